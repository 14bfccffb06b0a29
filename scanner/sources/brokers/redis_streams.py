"""Redis Streams over redis-py: a consumer group reads the input stream; the message
body is the entry's ``payload`` field, the other fields are its headers. Several
daemons in one group share the stream (XREADGROUP); entries pending too long with a
dead consumer are claimed (XAUTOCLAIM)."""

from __future__ import annotations

from typing import Any, cast

from scanner.sources.brokers.base import Message

PAYLOAD_FIELD = "payload"
_Entries = list[tuple[bytes, dict[bytes, bytes]]]
"""XREADGROUP's reply for one stream as this client gets it (RESP2, bytes: no ``decode_responses``)."""
CLAIM_IDLE_MS = 30_000
"""Entries unacknowledged this long are taken over from a consumer that died."""


ACKED = object()
"""Marks a message whose XACK went with its XADD."""


class RedisStreamsSource:
    """XREADGROUP from ``input``; XADD to ``output`` / ``quarantine`` / ``dead_letter``; XACK."""

    def __init__(self, url: str, input: str, output: str, quarantine: str, dead_letter: str,
                 group: str = "mynumber-dlp", consumer: str = "dlp-1", name: str = "redis") -> None:
        import redis

        self.name = name
        self.r = redis.Redis.from_url(url)
        self.input, self.output, self.quarantine, self.dead = input, output, quarantine, dead_letter
        self.group, self.consumer = group, consumer
        try:
            self.r.xgroup_create(input, group, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

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
        _next, claimed, *_ = self.r.xautoclaim(
            self.input, self.group, self.consumer, CLAIM_IDLE_MS, "0-0", count=max_messages
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

    def _add(self, stream: str, msg: Message, body: bytes, extra: dict[str, str]) -> None:
        """XADD to ``stream`` and XACK the input entry in one MULTI/EXEC: never both, never neither."""
        with self.r.pipeline(transaction=True) as tx:
            self._queue_add(tx, stream, msg, body, extra)
            tx.execute()

    def _queue_add(self, tx: Any, stream: str, msg: Message, body: bytes, extra: dict[str, str]) -> None:
        fields: dict[str, Any] = dict(msg.headers)
        fields.update(extra)
        fields[PAYLOAD_FIELD] = body
        tx.xadd(stream, fields)
        tx.xack(self.input, self.group, msg.id)
        msg.handle = ACKED

    def settle(self, outcomes: list[Any]) -> None:
        """A whole batch's XADDs and XACKs in one MULTI/EXEC: one round trip, all or nothing."""
        with self.r.pipeline(transaction=True) as tx:
            for o in outcomes:
                if o.action == "dead_lettered":
                    self._queue_add(tx, self.dead, o.msg, o.msg.body, self._dead_headers(o.msg, o.reason))
                elif o.action == "diverted":
                    self._queue_add(tx, self.quarantine, o.msg, o.msg.body, o.headers)
                else:
                    self._queue_add(tx, self.output, o.msg, o.msg.body if o.body is None else o.body, o.headers)
            tx.execute()

    @staticmethod
    def _dead_headers(msg: Message, reason: str) -> dict[str, str]:
        return {"x-mynumber-dlp-dead-letter": reason, "x-mynumber-dlp-deliveries": str(msg.deliveries)}

    def forward(self, msg: Message, body: bytes | None = None, headers: dict[str, str] | None = None) -> None:
        self._add(self.output, msg, msg.body if body is None else body, headers or {})

    def divert(self, msg: Message, headers: dict[str, str]) -> None:
        self._add(self.quarantine, msg, msg.body, headers)

    def dead_letter(self, msg: Message, reason: str) -> None:
        self._add(self.dead, msg, msg.body, self._dead_headers(msg, reason))

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
