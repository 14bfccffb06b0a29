"""Redis Streams over redis-py: a consumer group reads the input stream; the message
body is the entry's ``payload`` field, the other fields are its headers. Several
daemons in one group share the stream (XREADGROUP); entries pending too long with a
dead consumer are claimed (XAUTOCLAIM). A batch is one MULTI/EXEC holding every XADD
and the XACK of each input entry: one round trip, and never one without the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from scanner.i18n import _
from scanner.sources.brokers.base import BrokerSource, Message

if TYPE_CHECKING:
    from redis.client import Pipeline

PAYLOAD_FIELD = "payload"
"""The entry field that holds the message body; every other field is a header."""
_Entries = list[tuple[bytes, dict[bytes, bytes]]]
"""XREADGROUP's reply for one stream as this client gets it (RESP2, bytes: no ``decode_responses``)."""
CLAIM_IDLE_MS = 30_000
"""Entries unacknowledged this long are taken over from a consumer that died."""
ACKED = object()
"""Marks a message whose XACK went with its XADD."""


@dataclass(slots=True)
class _Tx:
    """A batch: the MULTI being queued, and the entries it acknowledges."""

    tx: Pipeline
    acks: list[Message] = field(default_factory=list)


class RedisStreamsSource(BrokerSource[_Tx]):
    """XREADGROUP from ``input``; XADD to ``output`` / ``quarantine`` / ``dead_letter``; XACK."""

    default_name = "redis"
    claim_idle_ms: int = CLAIM_IDLE_MS
    """This source's claim time (an audit's jobs take longer than a gate's messages)."""

    def _open(self, url: str) -> None:
        import redis

        self.r = redis.Redis.from_url(url)
        try:
            self._check_destinations()
            try:
                self.r.xgroup_create(self.input, self.group, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):  # else another daemon of the group was first
                    raise
        except BaseException:
            self.r.close()  # the caller gets no source to close
            raise

    def _check_destinations(self) -> None:
        """Refuse a destination that exists but is no stream: EXEC does not roll back, so its
        XADD would fail while the XACK beside it still applied, and the message would be lost."""
        names = (self.output, self.quarantine, self.dead)
        with self.r.pipeline(transaction=False) as p:
            for key in names:
                p.type(key)
            types = p.execute()
        wrong = [key for key, kind in zip(names, types, strict=True) if kind not in (b"none", b"stream")]
        if wrong:
            raise ValueError(_("not a stream: {keys}").format(keys=", ".join(wrong)))

    def _message(self, entry_id: bytes, fields: dict[bytes, bytes], deliveries: int) -> Message:
        body = fields.get(PAYLOAD_FIELD.encode(), b"")
        headers = {
            k.decode(errors="replace"): v.decode(errors="replace")
            for k, v in fields.items()
            if k != PAYLOAD_FIELD.encode()
        }
        return Message(entry_id.decode(), body, headers, deliveries, {"stream": self.input})

    def receive(self, max_messages: int, timeout: float) -> list[Message]:
        out: list[Message] = []
        # first what a dead consumer left pending
        _next, claimed, *_rest = self.r.xautoclaim(
            self.input, self.group, self.consumer, self.claim_idle_ms, "0-0", count=max_messages
        )
        for entry_id, fields in claimed:
            if fields is not None:
                out.append(self._message(entry_id, fields, self._deliveries(entry_id)))
        if out:
            return out
        # then our own pending (after a restart), then new entries
        for start in ("0", ">"):
            # redis-py types the reply for every protocol and decoding (RESP3 dicts, str); this client's is RESP2 bytes
            resp = cast("list[tuple[bytes, _Entries]] | None", self.r.xreadgroup(
                self.group, self.consumer, {self.input: start}, count=max_messages,
                block=None if start == "0" else int(timeout * 1000),
            ))
            for _stream, entries in resp or []:
                for entry_id, fields in entries:
                    if fields:
                        out.append(self._message(entry_id, fields, self._deliveries(entry_id) if start == "0" else 1))
            if out:
                return out
        return out

    def _deliveries(self, entry_id: bytes) -> int:
        info = self.r.xpending_range(self.input, self.group, min=entry_id, max=entry_id, count=1)
        return int(info[0]["times_delivered"]) if info else 1

    def _begin_batch(self) -> _Tx:
        return _Tx(self.r.pipeline(transaction=True))

    def _publish(self, batch: _Tx, destination: str, msg: Message, body: bytes, headers: dict[str, str]) -> None:
        """Queue the XADD and, in the same MULTI, the input entry's XACK."""
        fields: dict[Any, Any] = {**self._merged(msg, headers), PAYLOAD_FIELD: body}  # redis-py wants its own key type
        batch.tx.xadd(destination, fields)
        batch.tx.xack(self.input, self.group, msg.id)
        batch.acks.append(msg)

    def _confirm(self, batch: _Tx) -> None:
        """EXEC: the XADDs and XACKs are applied together or not at all."""
        try:
            batch.tx.execute()
        finally:
            batch.tx.reset()
        for msg in batch.acks:
            msg.handle = ACKED

    def ack(self, msg: Message) -> None:
        """XACK, unless the forward / divert / dead letter already did in its MULTI."""
        if msg.handle is not ACKED:
            self.r.xack(self.input, self.group, msg.id)

    def lag(self) -> int | None:
        """The group's ``lag`` from XINFO GROUPS (Redis 7+): entries not yet read by the group."""
        for g in self.r.xinfo_groups(self.input):
            if g["name"].decode() == self.group:
                return None if g.get("lag") is None else int(g["lag"])
        return None

    def close(self) -> None:
        self.r.close()
