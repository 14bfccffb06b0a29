"""NATS JetStream over nats-py: a durable pull consumer (named by the group, so several
daemons compete for the same messages) reads the input subject's stream; forwards,
diverts and dead letters are JetStream publishes (the server's PubAck makes them
durable; a batch's publishes are in flight together) before the input messages are
acknowledged, together too. nats-py is asyncio: the adapter runs its own event loop in
a thread and offers the gate plain calls."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from scanner.sources.brokers.base import BrokerSource, Message

ACK_WAIT = 10.0
"""Seconds before an unacknowledged message (its daemon died) is delivered again."""
CALL_TIMEOUT = 60.0
"""Seconds a call into the event loop (publishes, acks, consumer info) may take."""

_Publish = tuple[str, bytes, dict[str, str]]
"""One JetStream publish: subject, payload, headers."""


def stream_name(subject: str) -> str:
    """JetStream stream that holds ``subject``: ``dlp.in`` -> ``DLP_IN``."""
    return "".join(c if c.isalnum() else "_" for c in subject).upper()


class NatsJetStreamSource(BrokerSource[list[_Publish]]):
    """Pull from ``input``; publish to ``output`` / ``quarantine`` / ``dead_letter``.
    A batch is the list of publishes, sent together when it is confirmed."""

    default_name = "nats"

    def _open(self, url: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"nats-{self.name}", daemon=True)
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

    def _begin_batch(self) -> list[_Publish]:
        return []

    def _publish(self, batch: list[_Publish], destination: str, msg: Message, body: bytes,
                 headers: dict[str, str]) -> None:
        batch.append((destination, body, self._merged(msg, headers)))

    def _confirm(self, batch: list[_Publish]) -> None:
        """All publishes at once; returns when every PubAck is in."""
        self._call(self._publish_all(batch))

    async def _publish_all(self, batch: list[_Publish]) -> None:
        # raises if any was not stored: nothing is acked then
        await asyncio.gather(*(self.js.publish(subject, body, headers=headers) for subject, body, headers in batch))

    def ack(self, msg: Message) -> None:
        self._call(msg.handle.ack_sync())

    def _ack_all(self, msgs: list[Message]) -> None:
        """The acks of a batch in flight together (each still confirmed by the server)."""
        self._call(self._ack_together(msgs))

    @staticmethod
    async def _ack_together(msgs: list[Message]) -> None:
        await asyncio.gather(*(m.handle.ack_sync() for m in msgs))

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
