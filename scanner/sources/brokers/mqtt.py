"""MQTT over paho-mqtt (MQTT 5): a persistent session subscribed at QoS 1 to the input
topic through a shared subscription (``$share/<group>/<topic>``), so several daemons
split the stream. Messages are acknowledged by hand, only after their forward/divert
has been acknowledged by the broker (PUBACK; a batch's publishes are in flight together
and their PUBACKs awaited once); the session keeps unacknowledged ones for redelivery
after a crash. User properties are kept as headers. MQTT has no message ids and no way
to hand a message back or to tell how many are waiting: a message is named by a keyed
HMAC of its topic and payload, one that failed comes again after a reconnect, and
``lag`` is None."""

from __future__ import annotations

import queue
import socket
import threading
import time
from typing import Any
from urllib.parse import urlparse

from scanner.sources.brokers.base import BrokerSource, Message

SESSION_EXPIRY = 24 * 3600
"""Seconds the broker keeps this consumer's session (and its unacknowledged messages)."""
PUBLISH_TIMEOUT = 30.0
"""Seconds to wait for the broker's PUBACK of a forward / divert / dead letter."""


class MqttSource(BrokerSource[list[Any]]):
    """Subscribe to ``input``; publish to ``output`` / ``quarantine`` / ``dead_letter``.
    A batch is the ``MQTTMessageInfo`` of each publish in flight."""

    default_name = "mqtt"

    def _open(self, url: str) -> None:
        import paho.mqtt.client as mqtt
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        self._Properties, self._PacketTypes = Properties, PacketTypes
        self._inbox: queue.Queue = queue.Queue()
        self._seen: dict[str, int] = {}
        """Deliveries in this session of each message not yet acknowledged, by id."""
        self._connected = threading.Event()
        u = urlparse(url)
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.consumer, protocol=mqtt.MQTTv5)
        self.client.manual_ack_set(True)
        if u.username:
            self.client.username_pw_set(u.username, u.password)
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda _c, _u, m: self._inbox.put(m)
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY
        self.topic = f"$share/{self.group}/{self.input}"
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
            # the topic it came on (not the subscription's filter), as ids in existing state were made
            msg_id = self._keyed_id(m.topic, m.payload)
            self._seen[msg_id] = self._seen.get(msg_id, 0) + 1
            deliveries = self._seen[msg_id] + (1 if m.dup and self._seen[msg_id] == 1 else 0)
            out.append(Message(msg_id, m.payload, headers, deliveries, {"topic": m.topic}, m))
        return out

    def _begin_batch(self) -> list[Any]:
        return []

    def _publish(self, batch: list[Any], destination: str, msg: Message, body: bytes,
                 headers: dict[str, str]) -> None:
        props = self._Properties(self._PacketTypes.PUBLISH)
        props.UserProperty = list(self._merged(msg, headers).items())
        batch.append(self.client.publish(destination, body, qos=1, properties=props))

    def _confirm(self, batch: list[Any]) -> None:
        """Every PUBACK in (each wait returns at once for those already in)."""
        for info in batch:
            info.wait_for_publish(PUBLISH_TIMEOUT)
            if not info.is_published():
                raise ConnectionError("publish not acknowledged")

    def ack(self, msg: Message) -> None:
        self.client.ack(msg.handle.mid, msg.handle.qos)
        self._seen.pop(msg.id, None)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()
        time.sleep(0.05)
