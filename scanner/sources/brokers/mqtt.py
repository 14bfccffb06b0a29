"""MQTT over paho-mqtt (MQTT 5): a persistent session subscribed at QoS 1 to the input
topic through a shared subscription (``$share/<group>/<topic>``), so several daemons
split the stream. Messages are acknowledged by hand, only after their forward/divert
has been acknowledged by the broker (PUBACK); the session keeps unacknowledged ones for
redelivery after a crash. User properties are kept as headers."""

from __future__ import annotations

import hashlib
import hmac
import os
import queue
import socket
import threading
import time
from typing import Any
from urllib.parse import urlparse

from scanner.sources.brokers.base import Message

SESSION_EXPIRY = 24 * 3600
"""Seconds the broker keeps this consumer's session (and its unacknowledged messages)."""
PUBLISH_TIMEOUT = 30.0


class MqttSource:
    """Subscribe to ``input``; publish to ``output`` / ``quarantine`` / ``dead_letter``."""

    def __init__(self, url: str, input: str, output: str, quarantine: str, dead_letter: str,
                 group: str = "mynumber-dlp", consumer: str = "dlp-1", name: str = "mqtt",
                 id_key: bytes | None = None) -> None:
        """``id_key`` keys the HMAC that names a message (MQTT has no ids that survive a
        redelivery): the fingerprint key, so ids agree across restarts. A plain hash of a
        payload could be reversed when the payload is just a number."""
        import paho.mqtt.client as mqtt
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        self.name = name
        self.input, self.output, self.quarantine, self.dead = input, output, quarantine, dead_letter
        self._mqtt, self._Properties, self._PacketTypes = mqtt, Properties, PacketTypes
        self._inbox: queue.Queue = queue.Queue()
        self._seen: dict[str, int] = {}
        self._connected = threading.Event()
        self._id_key = id_key or os.urandom(32)
        u = urlparse(url)
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=consumer, protocol=mqtt.MQTTv5)
        self.client.manual_ack_set(True)
        if u.username:
            self.client.username_pw_set(u.username, u.password)
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda _c, _u, m: self._inbox.put(m)
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY
        self.topic = f"$share/{group}/{input}"
        self.client.connect(u.hostname or "127.0.0.1", u.port or 1883, clean_start=False, properties=props)
        self.client.loop_start()
        if not self._connected.wait(30):
            raise ConnectionError("MQTT broker did not answer")

    def _on_connect(self, client, _userdata, _flags, reason_code, _props) -> None:
        sock = client.socket()
        if sock is not None and hasattr(sock, "setsockopt"):
            # an ack then a publish are two small writes: without this, Nagle holds the publish
            # for the peer's delayed ACK (~40 ms a message)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if not reason_code.is_failure:
            client.subscribe(self.topic, qos=1)
            self._connected.set()

    def receive(self, max_messages: int, timeout: float) -> list[Message]:
        out: list[Message] = []
        try:
            first = self._inbox.get(timeout=timeout)
        except queue.Empty:
            return out
        for m in [first] + [self._inbox.get_nowait() for _ in range(min(max_messages - 1, self._inbox.qsize()))]:
            headers = {k: v for k, v in (getattr(m.properties, "UserProperty", None) or [])}
            key = hmac.new(self._id_key, m.topic.encode() + b"\0" + m.payload, hashlib.sha256).hexdigest()
            self._seen[key] = self._seen.get(key, 0) + 1
            deliveries = self._seen[key] + (1 if m.dup and self._seen[key] == 1 else 0)
            out.append(Message(key[:32], m.payload, headers, deliveries, {"topic": m.topic}, (m, key)))
        return out

    def _send(self, topic: str, msg: Message, body: bytes, extra: dict[str, str]) -> Any:
        props = self._Properties(self._PacketTypes.PUBLISH)
        props.UserProperty = list({**msg.headers, **extra}.items())
        return self.client.publish(topic, body, qos=1, properties=props)

    @staticmethod
    def _confirmed(info: Any) -> None:
        info.wait_for_publish(PUBLISH_TIMEOUT)
        if not info.is_published():
            raise ConnectionError("publish not acknowledged")

    def _publish(self, topic: str, msg: Message, body: bytes, extra: dict[str, str]) -> None:
        self._confirmed(self._send(topic, msg, body, extra))

    def settle(self, outcomes: list[Any]) -> None:
        """A batch's publishes in flight together; once every PUBACK is in, the acks."""
        sent = []
        for o in outcomes:
            m = o.msg
            if o.action == "dead_lettered":
                sent.append(self._send(self.dead, m, m.body, {"x-mynumber-dlp-dead-letter": o.reason}))
            elif o.action == "diverted":
                sent.append(self._send(self.quarantine, m, m.body, o.headers))
            else:
                sent.append(self._send(self.output, m, m.body if o.body is None else o.body, o.headers))
        for info in sent:
            self._confirmed(info)
        for o in outcomes:
            self.ack(o.msg)

    def forward(self, msg: Message, body: bytes | None = None, headers: dict[str, str] | None = None) -> None:
        self._publish(self.output, msg, msg.body if body is None else body, headers or {})

    def divert(self, msg: Message, headers: dict[str, str]) -> None:
        self._publish(self.quarantine, msg, msg.body, headers)

    def dead_letter(self, msg: Message, reason: str) -> None:
        self._publish(self.dead, msg, msg.body, {"x-mynumber-dlp-dead-letter": reason})
        self.ack(msg)

    def ack(self, msg: Message) -> None:
        raw, key = msg.handle
        self.client.ack(raw.mid, raw.qos)
        self._seen.pop(key, None)

    def lag(self) -> int | None:
        """MQTT brokers do not tell a subscriber how much is waiting."""
        return None

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()
        time.sleep(0.05)
