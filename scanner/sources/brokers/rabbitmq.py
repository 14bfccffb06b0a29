"""RabbitMQ (AMQP 0-9-1) over pika: the gate consumes the input queue with manual acks and
a bounded prefetch; several daemons consuming the same queue are competing consumers, so
the queue itself is the group. Forwards, diverts and dead letters are persistent publishes
through the default exchange (routing key = queue name) on a channel in publisher-confirm
mode: each waits for the broker's confirm before the input message is acknowledged, so a
crash in between re-delivers (a possible duplicate), never loses.

Queues are declared durable **quorum** queues: they survive a broker restart and count
deliveries (``x-delivery-count``, and ``x-acquired-count`` from RabbitMQ 4.3 on, when the
former counts failed deliveries only). A queue that already exists with other arguments
(a classic queue made by its owner) is used as it is; there only the ``redelivered`` flag
tells a redelivery."""

from __future__ import annotations

import time
from collections import deque
from typing import Any
from urllib.parse import parse_qs, urlparse

from scanner.sources.brokers.base import BrokerSource, Message

PREFETCH = 64
"""Unacknowledged messages the broker hands this consumer at a time (backpressure)."""
QUEUE_ARGUMENTS = {"x-queue-type": "quorum"}
"""Arguments of the queues this adapter declares."""
BLOCKED_TIMEOUT = 300.0
"""Seconds a publish may stay blocked by a broker alarm (disk, memory) before the connection is given up."""
BROKER_COUNT_HEADERS = ("x-delivery-count", "x-acquired-count")
"""Set by the broker on delivery; never copied to the outputs (their consumers would read stale counts)."""
PRECONDITION_FAILED = 406
"""AMQP reply code: a queue exists with other arguments than those declared."""


def header_str(value: Any) -> str:
    """An AMQP field-table value as text (bytes decoded, numbers printed)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


class RabbitMqSource(BrokerSource[None]):
    """Consume ``input``; publish to ``output`` / ``quarantine`` / ``dead_letter`` queues.
    ``url`` is ``amqp://user:password@host:port/vhost``. ``group`` only prefixes the
    consumer tag: consumers of one queue share its messages. A message without a
    ``message_id`` is named by a keyed HMAC of the input queue's name and its body."""

    default_name = "rabbitmq"

    def _open(self, url: str) -> None:
        import pika

        self._pika = pika
        self._inbox: deque[tuple[Any, Any, bytes]] = deque()
        self._outstanding: set[int] = set()
        """Delivery tags handed to the gate and not yet acknowledged."""
        params = pika.URLParameters(url)
        if "blocked_connection_timeout" not in parse_qs(urlparse(url).query):
            params.blocked_connection_timeout = BLOCKED_TIMEOUT
        self._user = params.credentials.username
        self.conn = pika.BlockingConnection(params)
        self.channel = self.conn.channel()
        for queue in (self.input, self.output, self.quarantine, self.dead):
            self._declare(queue)
        self.channel.confirm_delivery()
        self.channel.basic_qos(prefetch_count=PREFETCH)  # per consumer: quorum queues have no global QoS
        self._cancelled = False
        self.channel.add_on_cancel_callback(self._on_cancel)
        self.channel.basic_consume(self.input, self._on_message, consumer_tag=f"{self.group}.{self.consumer}")

    def _declare(self, queue: str) -> None:
        try:
            self.channel.queue_declare(queue, durable=True, arguments=QUEUE_ARGUMENTS)
        except self._pika.exceptions.ChannelClosedByBroker as exc:
            if exc.reply_code != PRECONDITION_FAILED:
                raise
            # exists with other arguments (e.g. a classic queue): use it as it is
            self.channel = self.conn.channel()
            self.channel.queue_declare(queue, passive=True)

    def _on_message(self, _channel: Any, method: Any, props: Any, body: bytes) -> None:
        self._inbox.append((method, props, body))

    def _on_cancel(self, _frame: Any) -> None:
        self._cancelled = True  # the queue was deleted (or its node left): nothing more would come

    def _message(self, method: Any, props: Any, body: bytes) -> Message:
        table = props.headers or {}
        counts = [int(table[h]) for h in BROKER_COUNT_HEADERS if isinstance(table.get(h), int)]
        deliveries = max(counts) + 1 if counts else (2 if method.redelivered else 1)
        headers = {k: header_str(v) for k, v in table.items() if k not in BROKER_COUNT_HEADERS}
        # stable across redeliveries (the gate records alerts by id), and not reversible
        msg_id = str(props.message_id) if props.message_id else self._keyed_id(self.input, body)
        routing = {"queue": self.input, "exchange": method.exchange, "routing_key": method.routing_key}
        return Message(msg_id, body, headers, deliveries, routing, (method.delivery_tag, props))

    def receive(self, max_messages: int, timeout: float) -> list[Message]:
        # The gate settles every message of a batch before asking again: what is still
        # outstanding failed in the gate. Handing it back counts a delivery (as a crash would).
        for tag in sorted(self._outstanding):
            self.channel.basic_reject(tag, requeue=True)
        self._outstanding.clear()
        deadline = time.monotonic() + timeout
        while not self._inbox:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.conn.process_data_events(time_limit=left)  # returns as soon as a message came
            if self._cancelled:
                raise ConnectionError(f"the broker cancelled the consumer of {self.input}")  # reconnect, redeclare
        out: list[Message] = []
        while self._inbox and len(out) < max_messages:
            msg = self._message(*self._inbox.popleft())
            self._outstanding.add(msg.handle[0])
            out.append(msg)
        return out

    def _begin_batch(self) -> None:
        return None  # nothing to gather: each publish is confirmed before the next is sent

    def _publish(self, batch: None, destination: str, msg: Message, body: bytes, headers: dict[str, str]) -> None:
        """Persistent publish with the original properties; returns once the broker confirmed it
        (confirm mode: a nack or an unroutable message raises here)."""
        _tag, props = msg.handle
        table = {k: v for k, v in (props.headers or {}).items() if k not in BROKER_COUNT_HEADERS}
        table.update(headers)
        out = self._pika.BasicProperties(
            content_type=props.content_type, content_encoding=props.content_encoding, headers=table or None,
            delivery_mode=self._pika.spec.PERSISTENT_DELIVERY_MODE, priority=props.priority,
            correlation_id=props.correlation_id, reply_to=props.reply_to, expiration=props.expiration,
            message_id=props.message_id, timestamp=props.timestamp, type=props.type,
            user_id=props.user_id if props.user_id == self._user else None,  # the broker refuses another user's
            app_id=props.app_id, cluster_id=props.cluster_id,
        )
        # mandatory: a queue deleted under us raises UnroutableError instead of dropping the message
        self.channel.basic_publish("", destination, body, out, mandatory=True)

    def _confirm(self, batch: None) -> None:
        """Nothing left to wait for: every publish of the batch was confirmed as it was sent."""

    def ack(self, msg: Message) -> None:
        tag = msg.handle[0]
        self.channel.basic_ack(tag)
        self._outstanding.discard(tag)

    def release(self, msg: Message) -> None:
        """Back to the queue at once (the broker counts the delivery)."""
        tag = msg.handle[0]
        self.channel.basic_reject(tag, requeue=True)
        self._outstanding.discard(tag)

    def lag(self) -> int | None:
        """The input queue's ready messages: not yet handed to any consumer (prefetched ones are not counted)."""
        return int(self.channel.queue_declare(self.input, passive=True).method.message_count)

    def close(self) -> None:
        if self.conn.is_open:
            self.conn.close()  # what is not acknowledged goes back to the queue
