"""The gate on a real nats-server with JetStream (durable pull consumer, acks after PubAck)."""

from __future__ import annotations

import asyncio
import json
import random

import nats

from scanner.actions.alerting import Alerter
from scanner.serve.message_gate import Gate, GateOptions
from scanner.sources.brokers.nats_jetstream import NatsJetStreamSource, stream_name
from scanner.state import StateDB
from tests.conftest import make_number


async def _produce(url: str, bodies: list[bytes]) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    for b in bodies:
        await js.publish("dlp.in", b, headers={"content-type": "application/json"})
    await nc.drain()


async def _read(url: str, subject: str) -> list[tuple[dict, dict]]:
    nc = await nats.connect(url)
    js = nc.jetstream()
    sub = await js.pull_subscribe(subject, durable="reader", stream=stream_name(subject))
    out = []
    while True:
        try:
            msgs = await sub.fetch(100, timeout=0.5)
        except (nats.errors.TimeoutError, asyncio.TimeoutError):
            break
        for m in msgs:
            out.append((json.loads(m.data), dict(m.headers or {})))
            await m.ack()
    await nc.flush()
    await nc.close()  # not drain(): draining a pull subscription waits out its 30 s expiry
    return out


def test_nats_gate_splits_a_mixed_stream_without_loss(nats_url, engine, tmp_path):
    source = NatsJetStreamSource(nats_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead")
    rng = random.Random(4)
    bad, bodies = set(), []
    for i in range(1000):
        if i % 5 == 0:
            bodies.append(json.dumps({"id": i, "my_number": make_number(rng)}).encode())
            bad.add(i)
        else:
            bodies.append(json.dumps({"id": i, "text": "承知しました"}).encode())
    asyncio.run(_produce(nats_url, bodies))
    gate = Gate(source, engine, GateOptions(), Alerter([]), StateDB(tmp_path / "state"))
    while gate.counts["in"] < 1000 and gate.step(timeout=1.0):
        pass
    source.close()
    out = asyncio.run(_read(nats_url, "dlp.out"))
    quarantined = asyncio.run(_read(nats_url, "dlp.quarantine"))
    assert {b["id"] for b, _h in quarantined} == bad
    assert {b["id"] for b, _h in out} == set(range(1000)) - bad
    assert len(out) + len(quarantined) == 1000
    assert all(h.get("content-type") == "application/json" for _b, h in out)
    assert all(h.get("x-mynumber-dlp-reason") == "my-number" for _b, h in quarantined)


def test_lag_counts_messages_the_durable_consumer_has_not_been_given(nats_url):
    source = NatsJetStreamSource(nats_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead")
    try:
        asyncio.run(_produce(nats_url, [b'{"id": 1}'] * 40))
        assert source.lag() == 40
        got = source.receive(25, 1.0)
        assert len(got) == 25 and source.lag() == 15
    finally:
        source.close()
