"""The daemon gating an MQTT topic on a real mosquitto; kill -9 mid-stream loses nothing."""

from __future__ import annotations

import json
import random
import signal
import time

import paho.mqtt.client as mqtt

from tests.conftest import make_number
from tests.sources.brokers.conftest import queue_config
from tests.sources.brokers.test_mqtt import _collector
from tests.test_daemon import Served, wait_for


def test_daemon_gates_an_mqtt_topic_and_survives_kill_9(mqtt_url, tmp_path, cli_env):
    port = int(mqtt_url.rsplit(":", 1)[1])
    collector, got = _collector(port, ["dlp/out", "dlp/quarantine"])
    cfg = tmp_path / "serve.toml"
    cfg.write_text(
        '[serve]\n[[serve.queue]]\ntype = "mqtt"\nname = "mqtt"\nurl = "${MYNUMBER_DLP_BROKER_URL}"\n'
        'input = "dlp/in"\noutput = "dlp/out"\nquarantine = "dlp/quarantine"\ndead_letter = "dlp/dead"\n'
        'consumer = "node-1"\n',
        encoding="utf-8",
    )
    env = dict(cli_env, MYNUMBER_DLP_BROKER_URL=mqtt_url)
    s = Served(tmp_path, env, config=cfg)
    time.sleep(1.0)  # the daemon's persistent session is subscribed
    producer = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="producer", protocol=mqtt.MQTTv5)
    producer.connect("127.0.0.1", port)
    producer.loop_start()
    rng = random.Random(9)
    bad = set()
    for i in range(1000):
        body = {"id": i, "my_number": make_number(rng)} if i % 3 == 0 else {"id": i, "text": "了解です"}
        if i % 3 == 0:
            bad.add(i)
        producer.publish("dlp/in", json.dumps(body), qos=1).wait_for_publish(10)
    done = lambda: len(got["dlp/out"]) + len(got["dlp/quarantine"])  # noqa: E731
    wait_for(lambda: done() >= 40, timeout=60)
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait(timeout=30)
    assert done() < 1000  # killed mid-stream
    s2 = Served(tmp_path, env, config=cfg)
    try:
        wait_for(lambda: {m["body"]["id"] for m in got["dlp/out"] + got["dlp/quarantine"]} >= set(range(1000)), timeout=120)
        out = {m["body"]["id"] for m in got["dlp/out"]}
        quarantined = {m["body"]["id"] for m in got["dlp/quarantine"]}
        assert quarantined == bad and out == set(range(1000)) - bad  # none lost, none in both
    finally:
        s2.stop()
        for c in (producer, collector):
            c.loop_stop()
            c.disconnect()


def test_two_daemons_on_one_shared_subscription_split_the_topic(mqtt_url, tmp_path, cli_env):
    port = int(mqtt_url.rsplit(":", 1)[1])
    collector, got = _collector(port, ["dlp/out", "dlp/quarantine"])
    env = dict(cli_env, MYNUMBER_DLP_BROKER_URL=mqtt_url)
    names = ("dlp/in", "dlp/out", "dlp/quarantine", "dlp/dead")
    daemons = []
    for node in ("node-1", "node-2"):
        (tmp_path / node).mkdir()
        daemons.append(Served(tmp_path / node, env, config=queue_config(tmp_path / node / "serve.toml", "mqtt", node, names)))
    producer = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="producer", protocol=mqtt.MQTTv5)
    try:
        time.sleep(1.0)  # both sessions are subscribed
        producer.connect("127.0.0.1", port)
        producer.loop_start()
        for i in range(1000):
            producer.publish("dlp/in", json.dumps({"id": i, "text": "了解です"}), qos=1).wait_for_publish(10)
        handled = lambda: [d.metric("mynumber_dlp_messages_total", source="mqtt", result="forwarded") for d in daemons]  # noqa: E731
        wait_for(lambda: sum(handled()) >= 1000, timeout=120)
        assert all(h > 0 for h in handled()) and sum(handled()) == 1000  # each took a share, none took one twice
        assert sorted(m["body"]["id"] for m in got["dlp/out"]) == list(range(1000))
    finally:
        for d in daemons:
            d.stop()
        for c in (producer, collector):
            c.loop_stop()
            c.disconnect()
