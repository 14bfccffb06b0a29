"""A message that cannot be processed is retried, then dead-lettered after max_deliveries;
the rest of the stream flows on."""

from __future__ import annotations

import redis

from scanner.actions.alerting import Alerter
from scanner.serve.message_gate import Gate, GateOptions
from scanner.sources.brokers.redis_streams import RedisStreamsSource
from scanner.state import StateDB


def test_poison_message_goes_to_dead_letter_after_max_deliveries(redis_url, engine, tmp_path, poison):
    r = redis.Redis.from_url(redis_url)
    r.xadd("dlp.in", {"payload": b"POISON", "msg": "poison"})
    r.xadd("dlp.in", {"payload": "本日の会議は中止です".encode(), "msg": "ok"})
    source = RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead", consumer="c1")
    gate = Gate(source, engine, GateOptions(max_deliveries=3, batch=1), Alerter([]), StateDB(tmp_path / "state"))
    for _ in range(20):
        try:
            if not gate.step(timeout=0.1) and r.xlen("dlp.dead") and r.xlen("dlp.out"):
                break
        except RuntimeError:
            continue  # the daemon's gate loop retries the same way
    dead = r.xrange("dlp.dead")
    assert [f[b"msg"] for _i, f in dead] == [b"poison"]
    assert dead[0][1][b"x-mynumber-dlp-dead-letter"] == b"too many deliveries"
    assert int(dead[0][1][b"x-mynumber-dlp-deliveries"]) == 4
    assert [f[b"msg"] for _i, f in r.xrange("dlp.out")] == [b"ok"]
    assert r.xpending("dlp.in", "mynumber-dlp")["pending"] == 0
