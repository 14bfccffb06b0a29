"""Queue gates per broker, run by hand:

    python tests/benchmarks/bench_brokers.py [--brokers redis,mqtt,nats,rabbitmq,kafka]
                                             [--messages 5000] [--paced 1000] [--interval 0.002]

Each broker is started privately on a free loopback port (tests/sources/brokers/servers.py).
For 1 KB JSON messages (Japanese text, order and phone numbers, no My Number) it measures,
in the same run:

- ``broker``: the broker's own produce -> consume round trip (our adapter's receive/ack as
  the consumer, the official client as the producer);
- ``gate``: produce -> gate (scan in an isolated worker, as the daemon does) -> output ->
  consume; and ``gate, in-process`` with the scan in the gate's own thread.

Latency is paced (one message every ``--interval`` s, so no queue builds up): p50 / p99 of
consume time minus produce time. Throughput is a burst of ``--messages``: messages per
second from the first produce to the last consume. ``added`` is the gate's own time per
message (scan, alert, forward, ack), from its histogram hook.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scanner.actions.alerting import Alerter
from scanner.detect.engine import Engine  # noqa: E402
from scanner.detect.finding import Confidence  # noqa: E402
from scanner.extract.limits import Limits  # noqa: E402
from scanner.isolated_payloads import IsolatedPayloads, PayloadScanner  # noqa: E402
from scanner.privacy.fingerprint import Fingerprinter  # noqa: E402
from scanner.rules.loader import load_ruleset  # noqa: E402
from scanner.serve.message_gate import Gate, GateOptions  # noqa: E402
from scanner.state import StateDB  # noqa: E402
from tests.sources.brokers import servers  # noqa: E402

KEY = "bench-key"
BODY_BYTES = 1024
KAFKA_JOIN_WAIT = 15.0
"""Seconds the Kafka consumers poll (and so join their groups) before the first message is produced."""


def body(i: int, rng: random.Random) -> dict:
    """A 1 KB JSON message of the kind a ticketing system sends (no My Number)."""
    doc = {
        "seq": i, "sent": 0.0, "ticket": f"INC{rng.randrange(10**7, 10**8)}", "order_id": str(rng.randrange(10**9, 10**10)),
        "from": {"name": "山田 太郎", "tel": f"03-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}"},
        "text": "いつもお世話になっております。先日の請求書の件でご連絡いたしました。",
    }
    pad = BODY_BYTES - len(json.dumps(doc, ensure_ascii=False).encode())
    doc["note"] = "確認をお願いします。" * max(0, pad // 30)
    return doc


def encode(doc: dict) -> bytes:
    doc["sent"] = time.perf_counter()
    return json.dumps(doc, ensure_ascii=False).encode()


# -- producers: the official clients ------------------------------------------------------

class RedisProducer:
    def __init__(self, url: str) -> None:
        import redis

        self.r = redis.Redis.from_url(url)

    def send(self, topic: str, data: bytes) -> None:
        self.r.xadd(topic, {"payload": data})

    def close(self) -> None:
        self.r.close()


class MqttProducer:
    def __init__(self, url: str) -> None:
        import paho.mqtt.client as mqtt

        port = int(url.rsplit(":", 1)[1])
        self.c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-producer-{random.random()}", protocol=mqtt.MQTTv5)
        self.c.connect("127.0.0.1", port)
        self.c.loop_start()
        time.sleep(0.2)

    def send(self, topic: str, data: bytes) -> None:
        self.c.publish(topic.replace(".", "/"), data, qos=1).wait_for_publish(10)

    def close(self) -> None:
        self.c.loop_stop()
        self.c.disconnect()


class NatsProducer:
    def __init__(self, url: str) -> None:
        import nats

        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.nc = self._run(nats.connect(url))
        self.js = self.nc.jetstream()

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def send(self, topic: str, data: bytes) -> None:
        self._run(self.js.publish(topic, data))

    def close(self) -> None:
        self._run(self.nc.close())
        self.loop.call_soon_threadsafe(self.loop.stop)


class RabbitProducer:
    def __init__(self, url: str) -> None:
        import pika

        self.pika = pika
        self.conn = pika.BlockingConnection(pika.URLParameters(url))
        self.ch = self.conn.channel()
        self.ch.confirm_delivery()

    def send(self, topic: str, data: bytes) -> None:
        self.ch.basic_publish("", topic, data, self.pika.BasicProperties(delivery_mode=2), mandatory=True)

    def close(self) -> None:
        self.conn.close()


class KafkaProducer:
    def __init__(self, url: str) -> None:
        from confluent_kafka import Producer

        self.p = Producer({"bootstrap.servers": url.split("://", 1)[-1], "acks": "all", "linger.ms": 0})

    def send(self, topic: str, data: bytes) -> None:
        self.p.produce(topic, data)
        self.p.flush(10)

    def close(self) -> None:
        self.p.flush(10)


def _source(kind: str, url: str, inp: str, out: str, consumer: str):
    """Our adapter on ``inp`` (its side outputs go to throw-away names)."""
    from scanner.config import QueueSpec
    from scanner.sources.brokers.registry import open_queue

    sep = "/" if kind == "mqtt" else "."
    names = [n.replace(".", sep) for n in (inp, out, "bench.quarantine", "bench.dead")]
    spec = QueueSpec(type=kind, name=kind, url=url, input=names[0], output=names[1], quarantine=names[2],
                     dead_letter=names[3], group=f"bench-{consumer}", consumer=consumer)
    return open_queue(spec, KEY.encode())


BROKERS: dict[str, tuple[Callable, Callable]] = {
    "redis": (servers.redis_server, RedisProducer),
    # the broker's set_tcp_nodelay, as deploy/examples/mqtt.toml advises (else Nagle adds ~40 ms to a PUBACK)
    "mqtt": (lambda work: servers.mosquitto(work, nodelay=True), MqttProducer),
    "nats": (servers.nats_server, NatsProducer),
    "rabbitmq": (servers.rabbitmq_server, RabbitProducer),
}
if hasattr(servers, "kafka_server"):
    BROKERS["kafka"] = (servers.kafka_server, KafkaProducer)


# -- one measurement -----------------------------------------------------------------------

def _consume(source, n: int, lat: list[float], done: threading.Event, deadline: float) -> None:
    got = 0
    while got < n and time.monotonic() < deadline:
        for m in source.receive(256, 0.2):
            lat.append(time.perf_counter() - json.loads(m.body)["sent"])
            source.ack(m)
            got += 1
    done.set()


def measure(kind: str, url: str, producer, topic_in: str, topic_out: str, n: int, interval: float, gate_factory=None) -> dict:
    """Produce ``n`` messages to ``topic_in`` (paced when ``interval``), consume from ``topic_out``."""
    run = f"{time.monotonic_ns()}"
    reader = _source(kind, url, topic_out, f"bench.sink.{run}", f"reader-{run}")
    stop = threading.Event()
    added: list[float] = []
    gate_thread = None
    if gate_factory is not None:
        gate = gate_factory(added)

        def loop() -> None:
            while not stop.is_set():
                gate.step(timeout=0.2)

        gate_thread = threading.Thread(target=loop, daemon=True)
        gate_thread.start()
    lat: list[float] = []
    done = threading.Event()
    consumer = threading.Thread(target=_consume, args=(reader, n, lat, done, time.monotonic() + 600), daemon=True)
    rng = random.Random(1)
    docs = [body(i, rng) for i in range(n)]
    consumer.start()  # polling from now on: subscriptions are made, groups joined
    # Kafka groups join in seconds (Tansu holds a join ~8 s): not part of a message's latency
    time.sleep(KAFKA_JOIN_WAIT if kind == "kafka" else 0.5)
    t0 = time.perf_counter()
    for doc in docs:
        producer.send(topic_in.replace(".", "/") if kind == "mqtt" else topic_in, encode(doc))
        if interval:
            time.sleep(interval)
    done.wait(600)
    elapsed = time.perf_counter() - t0
    stop.set()
    if gate_thread is not None:
        gate_thread.join(10)
        gate.source.close()
    reader.close()
    if len(lat) < n:
        raise RuntimeError(f"{kind}: {len(lat)} of {n} messages arrived")
    q = statistics.quantiles(lat, n=100)
    result = {"msgs_s": n / elapsed, "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}
    if added:
        qa = statistics.quantiles(added, n=100)
        result.update(added_p50_ms=qa[49] * 1000, added_p99_ms=qa[98] * 1000)
    return result


def gate_factory(kind: str, url: str, engine: Engine, workdir: Path, isolated: IsolatedPayloads | None, inp: str, out: str):
    def make(added: list[float]) -> Gate:
        run = f"{time.monotonic_ns()}"
        source = _source(kind, url, inp, out, f"gate-{run}")

        def observe(result: str, seconds: float) -> None:
            if result in ("forwarded", "diverted"):
                added.append(seconds)

        db = StateDB(workdir / f"state-{run}")
        return Gate(source, engine, GateOptions(), Alerter([]), db, observe, isolated)
    return make


def bench_broker(kind: str, args, engine: Engine, ruleset) -> list[tuple[str, dict]]:
    start, Producer = BROKERS[kind]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        work = Path(tmp)
        url = stack.enter_context(start(work))
        producer = Producer(url)
        stack.callback(producer.close)
        limits = Limits()
        isolated = stack.enter_context(IsolatedPayloads(PayloadScanner(ruleset, KEY, frozenset(), Confidence.LOW, limits), limits))
        for label, make in (
            ("broker", None),
            ("gate", lambda i, o: gate_factory(kind, url, engine, work, isolated, i, o)),
            ("gate, in-process", lambda i, o: gate_factory(kind, url, engine, work, None, i, o)),
        ):
            tag = label.replace(", ", "-").replace(" ", "")
            inp, out = (f"bench.rt.{tag}", f"bench.rt.{tag}") if make is None else (f"bench.in.{tag}", f"bench.out.{tag}")
            paced = measure(kind, url, producer, inp + ".p", out + ".p", args.paced, args.interval, make and make(inp + ".p", out + ".p"))
            burst = measure(kind, url, producer, inp + ".b", out + ".b", args.messages, 0.0, make and make(inp + ".b", out + ".b"))
            rows.append((label, {"msgs_s": burst["msgs_s"], **{k: v for k, v in paced.items() if k != "msgs_s"}}))
            print(f"  {kind:9} {label:17} {burst['msgs_s']:8.0f} msg/s   p50 {paced['p50_ms']:7.2f} ms   p99 {paced['p99_ms']:7.2f} ms"
                  + (f"   gate's own p50 {paced['added_p50_ms']:.2f} ms p99 {paced['added_p99_ms']:.2f} ms" if "added_p50_ms" in paced else ""),
                  flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--brokers", default=",".join(BROKERS))
    ap.add_argument("--messages", type=int, default=5000, help="burst size for throughput")
    ap.add_argument("--paced", type=int, default=1000, help="paced messages for latency")
    ap.add_argument("--interval", type=float, default=0.002, help="seconds between paced messages")
    args = ap.parse_args()
    ruleset = load_ruleset()
    engine = Engine(ruleset, Fingerprinter(KEY))
    table = {}
    for kind in args.brokers.split(","):
        try:
            table[kind] = bench_broker(kind, args, engine, ruleset)
        except servers.Missing as exc:
            print(f"  {kind}: skipped, {exc} is not installed")
    print("\n| broker | path | msgs/s (burst) | p50 ms | p99 ms | gate's own p50 / p99 ms |")
    print("|---|---|---|---|---|---|")
    for kind, rows in table.items():
        for label, r in rows:
            own = f"{r['added_p50_ms']:.2f} / {r['added_p99_ms']:.2f}" if "added_p50_ms" in r else "—"
            print(f"| {kind} | {label} | {r['msgs_s']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {own} |")


if __name__ == "__main__":
    main()
