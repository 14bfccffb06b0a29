"""What the shared base (scanner/sources/brokers/base.py) promises every adapter, on real
brokers: a settle acknowledges nothing unless the broker stored every publish of the batch;
routing is decided for the whole batch before anything is sent; every dead letter says why
and after how many deliveries (MQTT too); message names made by the keyed HMAC keep their
values (they name messages in existing state)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import nats
import paho.mqtt.client as mqtt
import pika
import pytest
import redis

from scanner.sources.brokers import headers as h
from scanner.sources.brokers.base import Message, Settlement, keyed_id
from scanner.sources.brokers.mqtt import MqttSource
from scanner.sources.brokers.nats_jetstream import NatsJetStreamSource, stream_name
from scanner.sources.brokers.rabbitmq import RabbitMqSource
from scanner.sources.brokers.redis_streams import RedisStreamsSource

KEY = b"k" * 32
"""The fingerprint key the id-less messages are named with."""


@dataclass(slots=True)
class Decided:
    """A gate decision, as the gate's ``Outcome`` carries it."""

    msg: Message
    action: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    reason: str = ""


def _until(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > end:
            return value
        time.sleep(0.1)


def _receive_all(source: Any, n: int) -> list[Message]:
    got: list[Message] = []
    _until(lambda: got.extend(source.receive(n - len(got), 0.5)) or len(got) >= n)
    assert len(got) == n
    return got


def _dead_letters(port: int) -> tuple[mqtt.Client, list[dict[str, str]]]:
    """Subscribes to ``dlp/dead``; the user properties of what arrives."""
    got: list[dict[str, str]] = []
    ready = threading.Event()
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="collector", protocol=mqtt.MQTTv5)
    c.on_subscribe = lambda *_a: ready.set()
    c.on_connect = lambda client, *_a: client.subscribe("dlp/dead", qos=1)
    c.on_message = lambda _c, _u, m: got.append(dict(getattr(m.properties, "UserProperty", None) or []))
    c.connect("127.0.0.1", port)
    c.loop_start()
    assert ready.wait(10)
    return c, got


def test_keyed_names_keep_their_values():
    assert isinstance(Decided(Message("1", b""), "forwarded"), Settlement)
    # pinned: ids in existing state and alerts were made this way (HMAC-SHA256, first 32 hex)
    assert keyed_id(KEY, "dlp/in", b'{"id": 1}') == "a733d484233930c0c42cb41586f0aa00"


def test_mqtt_dead_letter_says_why_and_after_how_many_deliveries(mqtt_url):
    port = int(mqtt_url.rsplit(":", 1)[1])
    collector, got = _dead_letters(port)
    source = MqttSource(mqtt_url, "dlp/in", "dlp/out", "dlp/quarantine", "dlp/dead", consumer="g1", id_key=KEY)
    producer = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="producer", protocol=mqtt.MQTTv5)
    producer.connect("127.0.0.1", port)
    producer.loop_start()
    try:
        producer.publish("dlp/in", b'{"id": 1}', qos=1).wait_for_publish(10)
        [msg] = _receive_all(source, 1)
        assert msg.id == keyed_id(KEY, "dlp/in", b'{"id": 1}')  # the topic and payload, as before
        msg.deliveries = 6  # as the gate sets it from the failures counted in its state
        source.dead_letter(msg, "too many deliveries")
        assert _until(lambda: got)
        props = got[0]
        assert props[h.DEAD_LETTER] == "too many deliveries" and props[h.DELIVERIES] == "6"
        source.close()
        # acknowledged: the persistent session does not hand it out again
        source = MqttSource(mqtt_url, "dlp/in", "dlp/out", "dlp/quarantine", "dlp/dead", consumer="g1", id_key=KEY)
        assert source.receive(10, 1.0) == []
    finally:
        source.close()
        for c in (producer, collector):
            c.loop_stop()
            c.disconnect()


def test_rabbitmq_settle_with_an_unconfirmed_publish_acknowledges_nothing(rabbitmq_url):
    queues = ("dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead")
    source = RabbitMqSource(rabbitmq_url, *queues, consumer="c1", id_key=KEY)
    conn = pika.BlockingConnection(pika.URLParameters(rabbitmq_url))
    ch = conn.channel()
    ch.confirm_delivery()
    for i in range(3):
        ch.basic_publish("", "dlp.in", json.dumps({"id": i}).encode(), pika.BasicProperties(delivery_mode=2),
                         mandatory=True)
    msgs = _receive_all(source, 3)
    ch.queue_delete("dlp.out")  # the forwards come back unroutable: not stored
    batch = [Decided(msgs[0], "diverted", headers={h.REASON: "my-number"}), Decided(msgs[1], "forwarded"),
             Decided(msgs[2], "masked", body=b"{}")]
    with pytest.raises(pika.exceptions.UnroutableError):
        source.settle(batch)
    source.close()
    ready = lambda: ch.queue_declare("dlp.in", passive=True).method.message_count  # noqa: E731
    assert _until(lambda: ready() == 3) and ready() == 3  # none acknowledged, the diverted one neither
    again = RabbitMqSource(rabbitmq_url, *queues, consumer="c2", id_key=KEY)
    redelivered = _receive_all(again, 3)
    assert sorted(m.id for m in redelivered) == sorted(m.id for m in msgs)
    assert all(m.deliveries == 2 for m in redelivered)
    assert msgs[0].id == keyed_id(KEY, "dlp.in", b'{"id": 0}')  # no message_id: the input queue and body
    again.close()
    conn.close()


def test_nats_settle_with_an_unstored_publish_acknowledges_nothing(nats_url):
    source = NatsJetStreamSource(nats_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead")

    async def setup() -> None:
        nc = await nats.connect(nats_url)
        js = nc.jetstream()
        await js.delete_stream(stream_name("dlp.out"))  # forwards find no stream: no PubAck
        for i in range(3):
            await js.publish("dlp.in", json.dumps({"id": i}).encode())
        await nc.close()

    async def pending() -> tuple[int, int]:
        nc = await nats.connect(nats_url)
        info = await nc.jetstream().consumer_info(stream_name("dlp.in"), "mynumber-dlp")
        await nc.close()
        return info.num_ack_pending, info.num_pending

    asyncio.run(setup())
    msgs = _receive_all(source, 3)
    with pytest.raises(nats.errors.Error):
        source.settle([Decided(msgs[0], "diverted"), Decided(msgs[1], "forwarded"), Decided(msgs[2], "forwarded")])
    assert asyncio.run(pending()) == (3, 0)  # all three still wait for their ack
    source.release(msgs[0])
    assert _receive_all(source, 1)[0].deliveries == 2
    source.close()


def test_redis_settle_routes_the_whole_batch_before_sending_any(redis_url):
    r = redis.Redis.from_url(redis_url)
    for i in range(4):
        r.xadd("dlp.in", {"payload": json.dumps({"id": i}), "msg": str(i)})
    source = RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead", consumer="c1")
    msgs = _receive_all(source, 4)
    with pytest.raises(ValueError, match="unknown settlement action"):
        source.settle([Decided(msgs[0], "forwarded"), Decided(msgs[1], "lost")])
    assert r.xlen("dlp.out") == 0 and r.xpending("dlp.in", "mynumber-dlp")["pending"] == 4
    msgs[3].deliveries = 5
    source.settle([Decided(msgs[0], "forwarded"), Decided(msgs[1], "masked", body=b"{}", headers={h.MASKED: "1"}),
                   Decided(msgs[2], "diverted", headers={h.REASON: "my-number"}),
                   Decided(msgs[3], "dead_lettered", reason="too many deliveries")])
    assert r.xpending("dlp.in", "mynumber-dlp")["pending"] == 0
    out = [f for _id, f in r.xrange("dlp.out")]
    assert out == [{b"payload": b'{"id": 0}', b"msg": b"0"}, {b"payload": b"{}", b"msg": b"1", h.MASKED.encode(): b"1"}]
    [(_id, quarantined)] = r.xrange("dlp.quarantine")
    assert quarantined[h.REASON.encode()] == b"my-number" and quarantined[b"msg"] == b"2"
    [(_id, dead)] = r.xrange("dlp.dead")
    assert (dead[h.DEAD_LETTER.encode()], dead[h.DELIVERIES.encode()]) == (b"too many deliveries", b"5")
    source.close()


def test_redis_refuses_a_destination_that_is_not_a_stream(redis_url):
    r = redis.Redis.from_url(redis_url)
    r.set("dlp.out", "a string")  # its XADD would fail inside the MULTI while the XACK went through
    with pytest.raises(ValueError, match="not a stream: dlp.out"):
        RedisStreamsSource(redis_url, "dlp.in", "dlp.out", "dlp.quarantine", "dlp.dead")
