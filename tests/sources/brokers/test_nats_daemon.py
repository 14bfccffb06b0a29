"""The daemon gating a JetStream subject on a real nats-server: kill -9 mid-stream loses
nothing; two daemons on one durable consumer split the work."""

from __future__ import annotations

import asyncio
import json
import random
import signal

import nats

from scanner.sources.brokers.nats_jetstream import stream_name
from tests.conftest import make_number
from tests.sources.brokers.conftest import queue_config
from tests.sources.brokers.test_nats import _produce, _read
from tests.test_daemon import Served, wait_for


def _bodies(n: int, seed: int) -> tuple[list[bytes], set[int]]:
    rng = random.Random(seed)
    bodies, bad = [], set()
    for i in range(n):
        if i % 3 == 0:
            bodies.append(json.dumps({"id": i, "my_number": make_number(rng)}).encode())
            bad.add(i)
        else:
            bodies.append(json.dumps({"id": i, "text": "ご連絡ありがとうございます"}).encode())
    return bodies, bad


async def _stored(url: str, subject: str) -> int:
    nc = await nats.connect(url)
    try:
        return (await nc.jetstream().stream_info(stream_name(subject))).state.messages
    finally:
        await nc.close()


def _done(url: str) -> int:
    """Messages the gates have written out, so far."""
    return asyncio.run(_stored(url, "dlp.out")) + asyncio.run(_stored(url, "dlp.quarantine"))


def _gating(s: Served) -> bool:
    """The daemon's gate is connected: it has read its consumer's lag once."""
    return s.http("/metrics") == 200 and 'mynumber_dlp_consumer_lag_messages{source="nats"}' in s.last_body


def _handled(s: Served) -> float:
    return sum(s.metric("mynumber_dlp_messages_total", source="nats", result=r) for r in ("forwarded", "diverted"))


def test_daemon_gates_a_subject_and_survives_kill_9_midstream(nats_url, tmp_path, cli_env):
    cfg = queue_config(tmp_path / "serve.toml", "nats", "node-1")
    env = dict(cli_env, MYNUMBER_DLP_BROKER_URL=nats_url)
    s = Served(tmp_path, env, config=cfg)
    bodies, bad = _bodies(1500, 12)
    wait_for(lambda: _gating(s), timeout=30)  # the gate has created its streams
    asyncio.run(_produce(nats_url, bodies))
    wait_for(lambda: _handled(s) >= 100, timeout=60)
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait(timeout=30)
    assert _done(nats_url) < 1500  # killed mid-stream
    s2 = Served(tmp_path, env, config=cfg)
    try:
        # what the killed daemon held unacknowledged comes back after the ack wait
        wait_for(lambda: _done(nats_url) >= 1500, timeout=120, step=0.5)
        out = {b["id"] for b, _h in asyncio.run(_read(nats_url, "dlp.out"))}
        quarantined = {b["id"] for b, _h in asyncio.run(_read(nats_url, "dlp.quarantine"))}
        assert quarantined == bad and out == set(range(1500)) - bad  # none lost, none in both
    finally:
        s2.stop()


def test_two_daemons_on_one_durable_consumer_split_the_work(nats_url, tmp_path, cli_env):
    env = dict(cli_env, MYNUMBER_DLP_BROKER_URL=nats_url)
    daemons = []
    for node in ("node-1", "node-2"):
        (tmp_path / node).mkdir()
        daemons.append(Served(tmp_path / node, env, config=queue_config(tmp_path / node / "serve.toml", "nats", node)))
    try:
        wait_for(lambda: all(_gating(d) for d in daemons), timeout=30)
        bodies, bad = _bodies(1200, 13)
        asyncio.run(_produce(nats_url, bodies))
        wait_for(lambda: sum(_handled(d) for d in daemons) >= 1200, timeout=120)
        assert all(_handled(d) > 0 for d in daemons)  # both took a share
        out = [b["id"] for b, _h in asyncio.run(_read(nats_url, "dlp.out"))]
        quarantined = [b["id"] for b, _h in asyncio.run(_read(nats_url, "dlp.quarantine"))]
        assert set(quarantined) == bad and set(out) == set(range(1200)) - bad
        assert len(out) + len(quarantined) == 1200  # no message handled by both
    finally:
        for d in daemons:
            d.stop()
