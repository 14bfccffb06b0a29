"""NATS JetStream over nats-py: a durable pull consumer (named by the group, so several
daemons compete for the same messages) reads the input subject's stream; forwards,
diverts and dead letters are JetStream publishes (the server's PubAck makes them
durable) before the input message is acknowledged. nats-py is asyncio: the adapter runs
its own event loop in a thread and offers the gate plain calls."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from scanner.sources.brokers.base import Message

ACK_WAIT = 10.0
"""Seconds before an unacknowledged message (its daemon died) is delivered again."""
CALL_TIMEOUT = 60.0


def stream_name(subject: str) -> str:
    """JetStream stream that holds ``subject``: ``dlp.in`` -> ``DLP_IN``."""
    return "".join(c if c.isalnum() else "_" for c in subject).upper()


def _dead_headers(msg: Message, reason: str) -> dict[str, str]:
    return {"x-mynumber-dlp-dead-letter": reason, "x-mynumber-dlp-deliveries": str(msg.deliveries)}


class NatsJetStreamSource:
    """Pull from ``input``; publish to ``output`` / ``quarantine`` / ``dead_letter``."""

    def __init__(self, url: str, input: str, output: str, quarantine: str, dead_letter: str,
                 group: str = "mynumber-dlp", consumer: str = "dlp-1", name: str = "nats") -> None:
        self.name = name
        self.input, self.output, self.quarantine, self.dead = input, output, quarantine, dead_letter
        self.group = group
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"nats-{name}", daemon=True)
        self._thread.start()
        self._call(self._connect(url))

    def _call(self, coro: Any, timeout: float = CALL_TIMEOUT) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _connect(self, url: str) -> None:
        import nats
        from nats.js.api import ConsumerConfig
        from nats.js.errors import NotFoundError

        self.nc = await nats.connect(url, max_reconnect_attempts=-1)
        self.js = self.nc.jetstream()
        for subject in (self.input, self.output, self.quarantine, self.dead):
            try:
                await self.js.stream_info(stream_name(subject))
            except NotFoundError:
                await self.js.add_stream(name=stream_name(subject), subjects=[subject])
        self.sub = await self.js.pull_subscribe(
            self.input, durable=self.group, stream=stream_name(self.input), config=ConsumerConfig(ack_wait=ACK_WAIT)
        )

    async def _fetch(self, n: int, timeout: float) -> list[Any]:
        import nats.errors

        try:
            return await self.sub.fetch(n, timeout=timeout)
        except (TimeoutError, nats.errors.TimeoutError):
            return []

    def receive(self, max_messages: int, timeout: float) -> list[Message]:
        out = []
        for m in self._call(self._fetch(max_messages, timeout), timeout + CALL_TIMEOUT):
            meta = m.metadata
            out.append(Message(str(meta.sequence.stream), m.data, dict(m.headers or {}), meta.num_delivered,
                               {"subject": m.subject}, m))
        return out

    def _publish(self, subject: str, msg: Message, body: bytes, extra: dict[str, str]) -> None:
        self._call(self.js.publish(subject, body, headers={**msg.headers, **extra}))

    def forward(self, msg: Message, body: bytes | None = None, headers: dict[str, str] | None = None) -> None:
        self._publish(self.output, msg, msg.body if body is None else body, headers or {})

    def divert(self, msg: Message, headers: dict[str, str]) -> None:
        self._publish(self.quarantine, msg, msg.body, headers)

    def dead_letter(self, msg: Message, reason: str) -> None:
        self._publish(self.dead, msg, msg.body, _dead_headers(msg, reason))
        self.ack(msg)

    def ack(self, msg: Message) -> None:
        self._call(msg.handle.ack_sync())

    def settle(self, outcomes: list[Any]) -> None:
        """A batch's publishes in flight together; once every PubAck is in, the acks together."""
        self._call(self._settle(outcomes))

    async def _settle(self, outcomes: list[Any]) -> None:
        publishes = []
        for o in outcomes:
            m = o.msg
            if o.action == "dead_lettered":
                publishes.append(
                    self.js.publish(self.dead, m.body, headers={**m.headers, **_dead_headers(m, o.reason)})
                )
            elif o.action == "diverted":
                publishes.append(self.js.publish(self.quarantine, m.body, headers={**m.headers, **o.headers}))
            else:
                body = m.body if o.body is None else o.body
                publishes.append(self.js.publish(self.output, body, headers={**m.headers, **o.headers}))
        await asyncio.gather(*publishes)  # raises if any was not stored: nothing is acked then
        await asyncio.gather(*(o.msg.handle.ack_sync() for o in outcomes))

    def release(self, msg: Message) -> None:
        """NAK: redeliver now rather than after the ack wait."""
        self._call(msg.handle.nak())

    def lag(self) -> int | None:
        """The durable consumer's ``num_pending``: messages in the stream not yet delivered to it."""
        info = self._call(self.js.consumer_info(stream_name(self.input), self.group), 10)
        return int(info.num_pending)

    def close(self) -> None:
        try:
            self._call(self.nc.close(), 10)  # every message is acked or left for redelivery
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
