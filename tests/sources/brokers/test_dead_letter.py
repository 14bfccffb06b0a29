"""A message that cannot be processed is retried, then dead-lettered after max_deliveries,
on every broker, including those that do not count deliveries (MQTT): the gate counts
failed attempts in its state. The gate is reopened after each failure, as the daemon does."""

from __future__ import annotations

import asyncio
import json
import time

import paho.mqtt.client as mqtt

from scanner.actions.alerting import Alerter
from scanner.serve.message_gate import Gate, GateOptions
from scanner.sources.brokers.mqtt import MqttSource
from scanner.sources.brokers.nats_jetstream import NatsJetStreamSource
from scanner.state import StateDB
from tests.sources.brokers.test_mqtt import _collector
from tests.sources.brokers.test_nats import _produce, _read

ATTEMPTS = 12
"""Gate rounds the test allows; max_deliveries is 3."""


def _run(open_source, engine, db, done) -> None:
    """Gate rounds; on an error the source is closed and reopened (the daemon's gate loop)."""
    source = open_source()
    for _ in range(ATTEMPTS):
        gate = Gate(source, engine, GateOptions(max_deliveries=3, batch=1), Alerter([]), db)
        try:
            gate.step(timeout=0.5)
        except RuntimeError:
            source.close()
            source = open_source()
        if done():
            break
    source.close()


def test_nats_poison_message_is_dead_lettered_and_the_rest_flows(nats_url, engine, tmp_path, poison):
    open_source = lambda: NatsJetStreamSource(nats_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead")  # noqa: E731
    open_source().close()  # creates the streams
    asyncio.run(_produce(nats_url, [json.dumps({"id": "poison", "x": "POISON"}).encode(), json.dumps({"id": "ok"}).encode()]))
    dead: list = []
    out: list = []

    def done() -> bool:
        dead.extend(asyncio.run(_read(nats_url, "dlp.dead")))
        out.extend(asyncio.run(_read(nats_url, "dlp.out")))
        return bool(dead) and bool(out)

    _run(open_source, engine, StateDB(tmp_path / "state"), done)
    assert [b["id"] for b, _h in dead] == ["poison"]
    assert dead[0][1]["x-mynumber-dlp-dead-letter"] == "too many deliveries"
    assert int(dead[0][1]["x-mynumber-dlp-deliveries"]) == 4
    assert [b["id"] for b, _h in out] == ["ok"]


def test_mqtt_poison_message_is_dead_lettered_though_mqtt_counts_no_deliveries(mqtt_url, engine, tmp_path, poison):
    port = int(mqtt_url.rsplit(":", 1)[1])
    collector, got = _collector(port, ["dlp/out", "dlp/dead"])
    open_source = lambda: MqttSource(mqtt_url, "dlp/in", "dlp/out", "dlp/quarantine", "dlp/dead", consumer="g1",  # noqa: E731
                                     id_key=b"k" * 32)  # as the daemon does: ids agree across reconnects
    open_source().close()  # the persistent session is subscribed
    producer = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="producer", protocol=mqtt.MQTTv5)
    producer.connect("127.0.0.1", port)
    producer.loop_start()
    for body in ({"id": "poison", "x": "POISON"}, {"id": "ok"}):
        producer.publish("dlp/in", json.dumps(body), qos=1).wait_for_publish(10)
    try:
        _run(open_source, engine, StateDB(tmp_path / "state"), lambda: bool(got["dlp/dead"]) and bool(got["dlp/out"]))
        time.sleep(0.3)
        assert [m["body"]["id"] for m in got["dlp/dead"]] == ["poison"]
        assert got["dlp/dead"][0]["props"]["x-mynumber-dlp-dead-letter"] == "too many deliveries"
        assert [m["body"]["id"] for m in got["dlp/out"]] == ["ok"]
    finally:
        for c in (producer, collector):
            c.loop_stop()
            c.disconnect()
