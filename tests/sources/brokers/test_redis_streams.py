"""The gate on a real Redis (Streams, consumer group): every clean message reaches the
output, every violating one the quarantine stream, none lost, none in both."""

from __future__ import annotations

import base64
import json
import random

import redis

from scanner.actions.alerting import Alerter
from scanner.extract.limits import Limits
from scanner.report.alerts import alert_line
from scanner.serve.message_gate import Gate, GateOptions
from scanner.sources.brokers.redis_streams import RedisStreamsSource
from scanner.state import StateDB
from tests.conftest import make_number
from tests.test_isolated_payloads import isolated


class Collect:
    """An alert sink that keeps each alert as every sink writes it (``report.alerts.alert_line``)."""

    def __init__(self) -> None:
        self.alerts = []

    def send(self, alert) -> None:
        self.alerts.append(json.loads(alert_line(alert)))

    def close(self) -> None:
        pass


def _payload(i: int, rng: random.Random) -> tuple[bytes, bool]:
    kind = i % 6
    if kind == 0:
        return json.dumps({"id": i, "employee": {"name": "山田", "my_number": make_number(rng)}}).encode(), True
    if kind == 1:
        return f"申請者のマイナンバーは {make_number(rng)} です（id {i}）".encode(), True
    if kind == 2:
        doc = f"氏名,個人番号\n社員{i},{make_number(rng)}\n".encode("cp932")
        return json.dumps({"id": i, "attachment": base64.b64encode(doc * 4).decode()}).encode(), True
    if kind == 3:
        return json.dumps({"id": i, "order_id": "1234567890", "amount": 1200}).encode(), False
    if kind == 4:
        return f"id {i}: 本日の会議は 15:00 からです。TEL 03-1234-5678".encode(), False
    return json.dumps({"id": i, "text": "お問い合わせありがとうございます"}, ensure_ascii=True).encode(), False


def _ids(r: redis.Redis, stream: str) -> list[str]:
    return [fields[b"msg"].decode() for _id, fields in r.xrange(stream)]


def test_a_mixed_stream_of_1000_messages_is_gated_without_loss(redis_url, engine, tmp_path):
    r = redis.Redis.from_url(redis_url)
    rng = random.Random(5)
    expected_bad = set()
    for i in range(1000):
        body, bad = _payload(i, rng)
        r.xadd("dlp.in", {"payload": body, "msg": str(i), "content-type": "application/json"})
        if bad:
            expected_bad.add(str(i))
    source = RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead", consumer="t1")
    sink = Collect()
    gate = Gate(source, engine, GateOptions(), Alerter([sink]), StateDB(tmp_path / "state"))
    while gate.step(timeout=0.2):
        pass
    out, quarantined = _ids(r, "dlp.out"), _ids(r, "dlp.quarantine")
    assert set(quarantined) == expected_bad
    assert set(out) == {str(i) for i in range(1000)} - expected_bad
    assert len(out) + len(quarantined) == 1000  # none lost, none twice, none in both
    assert r.xpending("dlp.in", "mynumber-dlp")["pending"] == 0
    # headers are kept on forward and explain the divert
    fields = r.xrange("dlp.quarantine", count=1)[0][1]
    assert fields[b"content-type"] == b"application/json"
    assert fields[b"x-mynumber-dlp-reason"] == b"my-number" and len(fields[b"x-mynumber-dlp-fingerprints"]) >= 64
    assert len(sink.alerts) == len(expected_bad)
    assert all(a["details"][0]["masked"].startswith("********") for a in sink.alerts)


def test_a_redelivered_message_is_not_alerted_twice(redis_url, engine, tmp_path):
    r = redis.Redis.from_url(redis_url)
    r.xadd("dlp.in", {"payload": "マイナンバー 123456789018".encode(), "msg": "0"})
    db = StateDB(tmp_path / "state")
    first = RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead", consumer="crashed")
    msgs = first.receive(10, 0.5)
    sink = Collect()
    crashed = Gate(first, engine, GateOptions(), Alerter([sink]), db)
    crashed._alert(crashed._key(msgs[0]), msgs[0], [], [], "diverted")  # alerted, then "crashed"
    second = RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead", consumer="crashed")
    gate = Gate(second, engine, GateOptions(), Alerter([sink]), db)
    while gate.step(timeout=0.2):
        pass
    assert len(sink.alerts) == 1 and _ids(r, "dlp.quarantine") == ["0"]
    assert gate.counts["redelivered"] == 1


def test_two_gates_in_one_group_split_the_stream(redis_url, engine, tmp_path):
    r = redis.Redis.from_url(redis_url)
    for i in range(600):
        r.xadd("dlp.in", {"payload": f"連絡事項 {i}".encode(), "msg": str(i)})
    gates = [
        Gate(RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead", consumer=f"node-{n}"),
             engine, GateOptions(batch=20), Alerter([]), StateDB(tmp_path / f"state{n}"))
        for n in (1, 2)
    ]
    while sum(g.step(timeout=0.1) for g in gates):
        pass
    assert [g.counts["in"] for g in gates] == [300, 300]  # the group shares the stream
    assert sorted(_ids(r, "dlp.out"), key=int) == [str(i) for i in range(600)]


def test_mask_policy_forwards_text_masked_and_diverts_what_cannot_be_masked(redis_url, engine, tmp_path):
    r = redis.Redis.from_url(redis_url)
    rng = random.Random(8)
    n1, n2, n3 = make_number(rng), make_number(rng), make_number(rng)
    r.xadd("dlp.in", {"payload": json.dumps({"user": "佐藤", "my_number": n1}, ensure_ascii=False).encode(), "msg": "json"})
    r.xadd("dlp.in", {"payload": f"マイナンバー：{n2} で登録済み".encode(), "msg": "text"})
    attached = base64.b64encode(f"氏名,個人番号\n佐藤,{n3}\n".encode("cp932") * 4).decode()
    r.xadd("dlp.in", {"payload": json.dumps({"attachment": attached}).encode(), "msg": "file"})
    r.xadd("dlp.in", {"payload": "ご確認ください".encode(), "msg": "clean"})
    sink = Collect()
    source = RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead", consumer="m")
    gate = Gate(source, engine, GateOptions(mask=True), Alerter([sink]), StateDB(tmp_path / "state"))
    while gate.step(timeout=0.2):
        pass
    out = {f[b"msg"].decode(): f for _i, f in r.xrange("dlp.out")}
    assert set(out) == {"json", "text", "clean"} and _ids(r, "dlp.quarantine") == ["file"]
    assert json.loads(out["json"][b"payload"])["my_number"] == "********" + n1[-4:]
    assert out["text"][b"payload"].decode() == f"マイナンバー：********{n2[-4:]} で登録済み"
    assert out["json"][b"x-mynumber-dlp-masked"] == b"1" and b"x-mynumber-dlp-masked" not in out["clean"]
    assert all(n.encode() not in f[b"payload"] for f in out.values() for n in (n1, n2, n3))
    assert gate.counts["masked"] == 2 and gate.counts["diverted"] == 1
    assert sorted(a["action"] for a in sink.alerts) == ["diverted", "masked", "masked"]


def test_lag_counts_entries_the_group_has_not_read_yet(redis_url):
    r = redis.Redis.from_url(redis_url)
    source = RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead", consumer="lag")
    for i in range(50):
        r.xadd("dlp.in", {"payload": b"x", "msg": str(i)})
    assert source.lag() == 50
    got = source.receive(30, 0.5)
    assert len(got) == 30 and source.lag() == 20


def test_the_gate_diverts_a_message_whose_parser_died_and_forwards_the_rest(redis_url, ruleset, engine, tmp_path):
    r = redis.Redis.from_url(redis_url)
    for i, body in enumerate([b"ABORT", "本日は晴天なり".encode()]):
        r.xadd("dlp.in", {"payload": body, "msg": str(i)})
    source = RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead", consumer="iso")
    with isolated(ruleset, Limits(max_memory=768 << 20, max_scan_time=2)) as scan:
        gate = Gate(source, engine, GateOptions(), Alerter([]), StateDB(tmp_path / "state"), scan=scan)
        while gate.step(timeout=0.2):
            pass
    quarantined = r.xrange("dlp.quarantine")
    assert [f[b"msg"] for _i, f in quarantined] == [b"0"]
    assert quarantined[0][1][b"x-mynumber-dlp-reason"] == b"error"
    assert [f[b"msg"] for _i, f in r.xrange("dlp.out")] == [b"1"]
