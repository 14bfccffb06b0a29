"""The gate on a real RabbitMQ (quorum queues, manual acks, publisher confirms), in process
and as the daemon: every clean message reaches the output, every violating one the
quarantine queue, none lost, none in both; kill -9 mid-stream loses nothing; consumers of
one queue share it."""

from __future__ import annotations

import base64
import json
import random
import signal
from pathlib import Path

import pika

from scanner.actions.alerting import Alerter
from scanner.serve.message_gate import Gate, GateOptions
from scanner.sources.brokers.rabbitmq import (
    BROKER_COUNT_HEADERS,
    PREFETCH,
    QUEUE_ARGUMENTS,
    RabbitMqSource,
)
from scanner.state import StateDB
from tests.conftest import make_number
from tests.sources.brokers.test_redis_streams import Collect, _payload
from tests.test_daemon import Served, wait_for

QUEUES = ("dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead")


def _connect(url: str) -> tuple[pika.BlockingConnection, pika.adapters.blocking_connection.BlockingChannel]:
    conn = pika.BlockingConnection(pika.URLParameters(url))
    ch = conn.channel()
    for q in QUEUES:
        ch.queue_declare(q, durable=True, arguments=QUEUE_ARGUMENTS)
    ch.confirm_delivery()
    return conn, ch


def _produce(url: str, messages: list[tuple[bytes, pika.BasicProperties]]) -> None:
    conn, ch = _connect(url)
    for body, props in messages:
        ch.basic_publish("", "dlp.in", body, props, mandatory=True)
    conn.close()


def _count(url: str, queue: str) -> int:
    conn, ch = _connect(url)
    n = ch.queue_declare(queue, passive=True).method.message_count
    conn.close()
    return n


def _consumers(url: str) -> int:
    conn, ch = _connect(url)
    n = ch.queue_declare("dlp.in", passive=True).method.consumer_count
    conn.close()
    return n


def _drain(url: str, queue: str) -> list[tuple[pika.BasicProperties, bytes]]:
    """Take every ready message off ``queue``."""
    conn, ch = _connect(url)
    out = []
    while True:
        method, props, body = ch.basic_get(queue, auto_ack=True)
        if method is None:
            break
        for h in BROKER_COUNT_HEADERS:  # what the broker adds on reading a quorum queue
            (props.headers or {}).pop(h, None)
        out.append((props, body))
    conn.close()
    return out


def _msg_ids(messages: list[tuple[pika.BasicProperties, bytes]]) -> list[int]:
    return [int(props.headers["msg"]) for props, _body in messages]


def _source(url: str, consumer: str = "dlp-1", key: bytes = b"k") -> RabbitMqSource:
    return RabbitMqSource(url, *QUEUES, consumer=consumer, id_key=key)


def test_a_mixed_stream_of_1000_messages_is_gated_without_loss(rabbitmq_url, engine, tmp_path):
    rng = random.Random(5)
    bad, messages = set(), []
    for i in range(1000):
        body, is_bad = _payload(i, rng)
        props = pika.BasicProperties(content_type="application/json", correlation_id=f"c-{i}", app_id="shop",
                                     message_id=f"m-{i}" if i % 2 else None, headers={"msg": str(i), "n": i},
                                     delivery_mode=2)
        messages.append((body, props))
        if is_bad:
            bad.add(i)
    source = _source(rabbitmq_url)
    _produce(rabbitmq_url, messages)
    wait_for(lambda: source.lag() == 1000 - PREFETCH)  # lag: ready in the queue, not yet handed to a consumer
    sink = Collect()
    gate = Gate(source, engine, GateOptions(), Alerter([sink]), StateDB(tmp_path / "state"))
    while gate.step(timeout=0.5):
        pass
    assert source.lag() == 0
    source.close()
    out, quarantined = _drain(rabbitmq_url, "dlp.out"), _drain(rabbitmq_url, "dlp.quarantine")
    assert set(_msg_ids(quarantined)) == bad
    assert set(_msg_ids(out)) == set(range(1000)) - bad
    assert len(out) + len(quarantined) == 1000  # none lost, none twice, none in both
    assert _count(rabbitmq_url, "dlp.in") == 0 and gate.counts["redelivered"] == 0
    # properties and headers are kept on forward (typed)
    for props, _body in out + quarantined:
        i = props.headers["msg"]
        assert (props.content_type, props.correlation_id, props.app_id, props.delivery_mode) == ("application/json", f"c-{i}", "shop", 2)
        assert props.message_id == (f"m-{i}" if int(i) % 2 else None) and props.headers["n"] == int(i)
    assert not any(k.startswith("x-mynumber-dlp-") for props, _b in out for k in props.headers)
    # the divert headers explain it
    assert all(p.headers["x-mynumber-dlp-reason"] == "my-number" for p, _b in quarantined)
    assert all(len(p.headers["x-mynumber-dlp-fingerprints"]) >= 64 and p.headers["x-mynumber-dlp-source"] == "rabbitmq"
               for p, _b in quarantined)
    # alerts name messages by message_id, or by a keyed (not reversible) digest of the body
    assert len(sink.alerts) == len(bad)
    named = {a["message_id"] for a in sink.alerts}
    assert {f"m-{i}" for i in bad if i % 2} <= named
    assert all(len(n) == 32 and int(n, 16) >= 0 for n in named if not n.startswith("m-"))
    assert all(a["routing"] == {"queue": "dlp.in", "exchange": "", "routing_key": "dlp.in"} for a in sink.alerts)


def test_deliveries_are_counted_by_the_broker_and_a_poison_message_is_dead_lettered(rabbitmq_url, engine, tmp_path, poison):
    source = _source(rabbitmq_url, consumer="c1")
    headers = lambda m: pika.BasicProperties(headers={"msg": m}, delivery_mode=2)
    _produce(rabbitmq_url, [(b"POISON", headers("poison")), ("本日の会議は中止です".encode(), headers("ok"))])
    gate = Gate(source, engine, GateOptions(max_deliveries=3, batch=1), Alerter([]), StateDB(tmp_path / "state"))
    for _ in range(20):
        try:
            if not gate.step(timeout=0.2) and _count(rabbitmq_url, "dlp.dead") and _count(rabbitmq_url, "dlp.out"):
                break
        except RuntimeError:
            continue  # the daemon's gate loop retries the same way (after reconnecting)
    source.close()
    dead = _drain(rabbitmq_url, "dlp.dead")
    assert [p.headers["msg"] for p, _b in dead] == ["poison"] and dead[0][1] == b"POISON"
    assert dead[0][0].headers["x-mynumber-dlp-dead-letter"] == "too many deliveries"
    assert dead[0][0].headers["x-mynumber-dlp-deliveries"] == "4"  # x-delivery-count 3 + 1
    assert [p.headers["msg"] for p, _b in _drain(rabbitmq_url, "dlp.out")] == ["ok"]
    assert _count(rabbitmq_url, "dlp.in") == 0

    # a consumer that goes away without acknowledging: the broker redelivers, counted, same name
    _produce(rabbitmq_url, [(b"no id here", headers("crash"))])
    crashed = _source(rabbitmq_url, consumer="c2", key=b"fingerprint key")
    [first] = wait_for(lambda: crashed.receive(10, 0.5))
    crashed.close()
    again = _source(rabbitmq_url, consumer="c3", key=b"fingerprint key")
    [second] = wait_for(lambda: again.receive(10, 0.5))
    assert (first.deliveries, second.deliveries) == (1, 2) and first.id == second.id
    assert second.headers == {"msg": "crash"}  # the broker's counter is read, not passed on as a header
    again.ack(second)
    again.close()
    assert _count(rabbitmq_url, "dlp.in") == 0

    # a classic queue made by its owner is used as it is; there the redelivered flag counts
    conn = pika.BlockingConnection(pika.URLParameters(rabbitmq_url))
    conn.channel().queue_declare("legacy.in", durable=True)
    conn.close()
    legacy = ("legacy.in", "legacy.out", "legacy.quarantine", "legacy.dead")
    crashed = RabbitMqSource(rabbitmq_url, *legacy, consumer="c4")
    conn, ch = _connect(rabbitmq_url)
    ch.basic_publish("", "legacy.in", b"old", pika.BasicProperties(message_id="old-1"), mandatory=True)
    conn.close()
    [first] = wait_for(lambda: crashed.receive(10, 0.5))
    crashed.close()
    again = RabbitMqSource(rabbitmq_url, *legacy, consumer="c5")
    [second] = wait_for(lambda: again.receive(10, 0.5))
    assert (first.deliveries, second.deliveries, first.id, second.id) == (1, 2, "old-1", "old-1")
    again.forward(second)
    again.ack(second)
    again.close()
    assert [b for _p, b in _drain(rabbitmq_url, "legacy.out")] == [b"old"]


def test_two_gates_on_one_queue_split_it(rabbitmq_url, engine, tmp_path):
    sources = [_source(rabbitmq_url, consumer=f"node-{n}") for n in (1, 2)]
    _produce(rabbitmq_url, [(f"連絡事項 {i}".encode(), pika.BasicProperties(headers={"msg": str(i)}, delivery_mode=2))
                            for i in range(600)])
    gates = [Gate(s, engine, GateOptions(batch=20), Alerter([]), StateDB(tmp_path / f"state{n}")) for n, s in enumerate(sources)]
    while sum(g.step(timeout=0.3) for g in gates):
        pass
    for s in sources:
        s.close()
    assert all(g.counts["in"] > 0 for g in gates) and sum(g.counts["in"] for g in gates) == 600
    assert sorted(_msg_ids(_drain(rabbitmq_url, "dlp.out"))) == list(range(600))  # union complete, no duplicates


def test_mask_policy_forwards_masked_bodies_with_properties_kept(rabbitmq_url, engine, tmp_path):
    rng = random.Random(8)
    n1, n2 = make_number(rng), make_number(rng)
    attached = base64.b64encode(f"氏名,個人番号\n佐藤,{make_number(rng)}\n".encode("cp932") * 4).decode()
    props = lambda m, ct: pika.BasicProperties(content_type=ct, message_id=m, headers={"msg": m}, delivery_mode=2)
    source = _source(rabbitmq_url, consumer="m")
    _produce(rabbitmq_url, [
        (json.dumps({"user": "佐藤", "my_number": n1}, ensure_ascii=False).encode(), props("json", "application/json")),
        (f"マイナンバー：{n2} で登録済み".encode(), props("text", "text/plain")),
        (json.dumps({"attachment": attached}).encode(), props("file", "application/json")),
        ("ご確認ください".encode(), props("clean", "text/plain")),
    ])
    sink = Collect()
    gate = Gate(source, engine, GateOptions(mask=True), Alerter([sink]), StateDB(tmp_path / "state"))
    while gate.step(timeout=0.3):
        pass
    source.close()
    out = {p.message_id: (p, b) for p, b in _drain(rabbitmq_url, "dlp.out")}
    assert set(out) == {"json", "text", "clean"}
    assert [p.message_id for p, _b in _drain(rabbitmq_url, "dlp.quarantine")] == ["file"]
    assert json.loads(out["json"][1])["my_number"] == "********" + n1[-4:]
    assert out["text"][1].decode() == f"マイナンバー：********{n2[-4:]} で登録済み"
    assert out["json"][0].headers == {"msg": "json", "x-mynumber-dlp-masked": "1"} and out["clean"][0].headers == {"msg": "clean"}
    assert (out["text"][0].content_type, out["text"][0].delivery_mode) == ("text/plain", 2)
    assert gate.counts["masked"] == 2 and gate.counts["diverted"] == 1
    assert sorted(a["action"] for a in sink.alerts) == ["diverted", "masked", "masked"]


def _config(root: Path, consumer: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    cfg = root / "serve.toml"
    cfg.write_text(
        '[serve]\n[[serve.queue]]\ntype = "rabbitmq"\nname = "rabbitmq"\nurl = "${MYNUMBER_DLP_BROKER_URL}"\n'
        'input = "dlp.in"\noutput = "dlp.out"\nquarantine = "dlp.quarantine"\ndead_letter = "dlp.dead"\n'
        f'consumer = "{consumer}"\n',
        encoding="utf-8",
    )
    return cfg


def _mixed(n: int, seed: int) -> tuple[list[tuple[bytes, pika.BasicProperties]], set[int]]:
    rng = random.Random(seed)
    bad, messages = set(), []
    for i in range(n):
        if i % 3 == 0:
            body = json.dumps({"id": i, "my_number": make_number(rng)}).encode()
            bad.add(i)
        else:
            body = json.dumps({"id": i, "text": "ご連絡ありがとうございます"}).encode()
        messages.append((body, pika.BasicProperties(content_type="application/json", headers={"msg": str(i)}, delivery_mode=2)))
    return messages, bad


class Collector:
    """Takes what the daemons put on the output queues, as it comes."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.got: dict[str, list[int]] = {"dlp.out": [], "dlp.quarantine": []}

    def poll(self) -> int:
        for q, ids in self.got.items():
            ids.extend(_msg_ids(_drain(self.url, q)))
        return len(set(self.got["dlp.out"]) | set(self.got["dlp.quarantine"]))


def test_daemon_gates_a_queue_and_survives_kill_9_midstream(rabbitmq_url, tmp_path, cli_env):
    messages, bad = _mixed(1500, 11)
    _produce(rabbitmq_url, messages)
    cfg = _config(tmp_path, "node-1")
    env = dict(cli_env, MYNUMBER_DLP_BROKER_URL=rabbitmq_url)
    done = lambda: sum(_count(rabbitmq_url, q) for q in ("dlp.out", "dlp.quarantine"))
    s = Served(tmp_path, env, config=cfg)
    wait_for(lambda: done() >= 100, timeout=60)
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait(timeout=30)
    assert done() < 1500  # killed mid-stream
    collector = Collector(rabbitmq_url)
    s2 = Served(tmp_path, env, config=cfg)
    try:
        wait_for(lambda: collector.poll() >= 1500, timeout=120)
        out, quarantined = collector.got["dlp.out"], collector.got["dlp.quarantine"]
        assert set(quarantined) == bad and set(out) == set(range(1500)) - bad  # none lost, none in both
        # at least once: only messages unacknowledged at the kill (at most the prefetch) may come twice
        assert len(out) + len(quarantined) - 1500 <= PREFETCH
        assert s2.metric("mynumber_dlp_messages_total", source="rabbitmq", result="diverted") > 0
        assert s2.metric("mynumber_dlp_messages_total", source="rabbitmq", result="redelivered") > 0
        # lag is read every few seconds: it was above 1000 after the restart and drains to 0
        wait_for(lambda: s2.http("/metrics") == 200 and 'mynumber_dlp_consumer_lag_messages{source="rabbitmq"} 0.0' in s2.last_body,
                 timeout=20)
    finally:
        s2.stop()
    assert _count(rabbitmq_url, "dlp.in") == 0


def test_two_daemons_on_one_queue_split_it(rabbitmq_url, tmp_path, cli_env):
    env = dict(cli_env, MYNUMBER_DLP_BROKER_URL=rabbitmq_url)
    daemons = [Served(tmp_path / f"node-{n}", env, config=_config(tmp_path / f"node-{n}", f"node-{n}")) for n in (1, 2)]
    try:
        wait_for(lambda: _consumers(rabbitmq_url) == 2)  # both attached before the messages come
        messages, bad = _mixed(900, 12)
        _produce(rabbitmq_url, messages)
        collector = Collector(rabbitmq_url)
        wait_for(lambda: collector.poll() >= 900, timeout=120)
        out, quarantined = collector.got["dlp.out"], collector.got["dlp.quarantine"]
        assert sorted(out + quarantined) == list(range(900))  # union complete, no duplicates
        assert set(quarantined) == bad
        handled = [sum(d.metric("mynumber_dlp_messages_total", source="rabbitmq", result=r) for r in ("forwarded", "diverted"))
                   for d in daemons]
        assert all(h > 0 for h in handled) and sum(handled) == 900, handled
    finally:
        for d in daemons:
            d.stop()
