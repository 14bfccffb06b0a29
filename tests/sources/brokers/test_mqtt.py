"""The gate on a real mosquitto (MQTT 5, QoS 1, shared subscription, manual acks)."""

from __future__ import annotations

import json
import random
import threading
import time

import paho.mqtt.client as mqtt

from scanner.actions.alerting import Alerter
from scanner.serve.message_gate import Gate, GateOptions
from scanner.sources.brokers.mqtt import MqttSource
from scanner.state import StateDB
from tests.conftest import make_number


def _collector(port: int, topics: list[str]) -> tuple[mqtt.Client, dict[str, list[dict]]]:
    got: dict[str, list[dict]] = {t: [] for t in topics}
    lock = threading.Lock()
    ready = threading.Event()
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="collector", protocol=mqtt.MQTTv5)

    def on_connect(client, _u, _f, _rc, _p):
        for t in topics:
            client.subscribe(t, qos=1)
        ready.set()

    def on_message(_c, _u, m):
        with lock:
            got[m.topic].append({"body": json.loads(m.payload), "props": dict(getattr(m.properties, "UserProperty", None) or [])})

    c.on_connect, c.on_message = on_connect, on_message
    c.connect("127.0.0.1", port)
    c.loop_start()
    assert ready.wait(10)
    time.sleep(0.2)
    return c, got


def test_mqtt_gate_splits_a_mixed_stream_without_loss(mqtt_url, engine, tmp_path):
    port = int(mqtt_url.rsplit(":", 1)[1])
    collector, got = _collector(port, ["dlp/out", "dlp/quarantine"])
    source = MqttSource(mqtt_url, "dlp/in", "dlp/out", "dlp/quarantine", "dlp/dead", consumer="gate-1")
    time.sleep(0.3)
    producer = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="producer", protocol=mqtt.MQTTv5)
    producer.connect("127.0.0.1", port)
    producer.loop_start()
    rng = random.Random(3)
    bad = set()
    for i in range(1000):
        if i % 4 == 0:
            body = {"id": i, "my_number": make_number(rng)}
            bad.add(i)
        else:
            body = {"id": i, "text": "よろしくお願いします"}
        producer.publish("dlp/in", json.dumps(body), qos=1).wait_for_publish(10)
    gate = Gate(source, engine, GateOptions(), Alerter([]), StateDB(tmp_path / "state"))
    end = time.monotonic() + 60
    while time.monotonic() < end and gate.counts["in"] < 1000:
        gate.step(timeout=0.5)
    time.sleep(0.5)
    out = {m["body"]["id"] for m in got["dlp/out"]}
    quarantined = {m["body"]["id"] for m in got["dlp/quarantine"]}
    assert quarantined == bad and out == set(range(1000)) - bad
    assert len(got["dlp/out"]) + len(got["dlp/quarantine"]) == 1000
    assert all(m["props"].get("x-mynumber-dlp-reason") == "my-number" for m in got["dlp/quarantine"])
    for c in (producer, collector):
        c.loop_stop()
        c.disconnect()
    source.close()
