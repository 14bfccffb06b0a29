"""Apache Kafka over confluent-kafka (librdkafka): a consumer group (``group``) reads the
input topic, so several daemons split its partitions; forwards, diverts and dead letters
are produced with ``acks=all`` by an idempotent producer, and the broker's acknowledgement
is awaited before the input message counts as done (a batch has all its produces in flight
and waits once).

Kafka acknowledges by offset, per partition, not per message. ``ack`` only records the
message as done; the next ``receive`` (and ``close``, and a rebalance taking partitions
away) commits, per partition, the offset after the last message done in order, in one
synchronous commit per batch rather than one per message. A crash therefore re-delivers
at most the batch in hand: at least once, never lost (a message is produced to its output
before its offset can be committed). A rebalance redoes nothing: partitions leave only
between batches, after what was done on them is committed.

A message the gate could not handle is read again: the next ``receive`` seeks each
partition back to its first unfinished message, and what the gate finished after it is
not handed out a second time. Kafka keeps no delivery count; this adapter counts only what
it re-reads itself, and the gate counts failed attempts in its state (keyed by the message
id, ``topic/partition/offset@timestamp``, stable across restarts and daemons), so a poison message
reaches the dead letter after a reconnect or restart too.

Membership is static (``group.instance.id`` = ``consumer``): a daemon that restarts, even
after kill -9, takes its partitions straight back without a rebalance of the group. Hence
``consumer`` must differ between daemons of one group (the default, host name plus queue
name, does: two daemons with one name fence each other in turn), and a daemon that stops
for good hands its partitions on after ``SESSION_TIMEOUT_MS``, not at once.

Topics that do not exist are created with ``DEFAULT_PARTITIONS`` partitions: at most that
many daemons of one group share the work. Headers (raw bytes, duplicates, order), key and
create time are kept on forward; a key is never shown (it is often a customer id)."""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from scanner.i18n import _
from scanner.sources.brokers.base import BrokerSource, Message

log = logging.getLogger("mynumber_dlp.kafka")

DEFAULT_PORT = 9092
"""Port of a bootstrap server given without one."""
DEFAULT_PARTITIONS = 3
"""Partitions of a topic this adapter creates: the most daemons of one group that can share it."""
SESSION_TIMEOUT_MS = 10_000
"""A member silent this long (killed and not restarted) loses its partitions to the rest of the group."""
HEARTBEAT_INTERVAL_MS = 1_000
"""How often a member heartbeats: a rebalance is noticed within about this."""
PRODUCE_TIMEOUT = 30.0
"""Seconds a forward / divert / dead letter may wait for the broker's acknowledgement."""
ADMIN_TIMEOUT = 30.0
"""Seconds to list and create topics at start."""
LAG_TIMEOUT = 5.0
"""Seconds each broker query of ``lag`` may take."""
OWN_SETTINGS = ("bootstrap.servers", "group.id", "group.instance.id", "enable.auto.commit", "enable.auto.offset.store",
                "auto.offset.reset", "acks", "enable.idempotence")
"""librdkafka settings the URL may not override: the delivery guarantees rest on them."""


def client_settings(url: str) -> dict[str, str]:
    """librdkafka settings from ``kafka://host:port[,host2:port2][?setting=value&...]`` (a bare
    ``host:port,...`` list works too): the hosts become ``bootstrap.servers``, query parameters
    are passed through (``security.protocol``, ``sasl.mechanisms``, ``ssl.ca.location`` ...)."""
    rest = url.strip()
    if "://" in rest:
        scheme, rest = rest.split("://", 1)
        if scheme.lower() != "kafka":
            raise ValueError(_("a Kafka URL starts with kafka://, not {scheme}://").format(scheme=scheme))
    rest, _mark, query = rest.partition("?")
    hosts = []
    for host in rest.strip("/").split(","):
        host = host.strip()
        if host:
            hosts.append(host if ":" in host.rsplit("]", 1)[-1] else f"{host}:{DEFAULT_PORT}")
    if not hosts:
        raise ValueError(_("no Kafka bootstrap server in the URL"))
    settings = dict(parse_qsl(query, keep_blank_values=True))
    overridden = sorted(set(settings) & set(OWN_SETTINGS))
    if overridden:
        raise ValueError(_("the Kafka URL may not set {settings}").format(settings=", ".join(overridden)))
    settings["bootstrap.servers"] = ",".join(hosts)
    return settings


@dataclass(slots=True)
class _Record:
    """What ``forward`` needs of the consumed record, and whether the gate is done with it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    headers: list[tuple[str, bytes | None]] = field(default_factory=list)
    timestamp: int | None = None
    """Create time (ms) set by the producer, kept on forward; None when the broker set it."""
    tombstone: bool = False
    """No value at all (a deletion on a compacted topic), not an empty one: forwarded as such."""
    acked: bool = False


@dataclass(slots=True)
class _Deliveries:
    """A batch: how many produces it sent, and the delivery reports in so far (None = stored)."""

    sent: int = 0
    reports: list[Any] = field(default_factory=list)


class KafkaSource(BrokerSource[_Deliveries]):
    """Consume ``input`` in group ``group``; produce to ``output`` / ``quarantine`` / ``dead_letter``."""

    default_name = "kafka"

    def _open(self, url: str) -> None:
        from confluent_kafka import (
            TIMESTAMP_CREATE_TIME,
            Consumer,
            KafkaError,
            KafkaException,
            Producer,
            TopicPartition,
        )

        self._KafkaError, self._KafkaException, self._TopicPartition = KafkaError, KafkaException, TopicPartition
        self._create_time = TIMESTAMP_CREATE_TIME
        settings = client_settings(url)
        self._pending: dict[tuple[str, int], deque[Message]] = {}
        """Per partition, messages handed to the gate whose offsets are not committed yet, in order."""
        self._done: dict[tuple[str, int], int] = {}
        """Per partition, the offset to commit next (after the last message done in order)."""
        self._again: dict[tuple[str, int, int], int] = {}
        """Deliveries so far of messages rewound for reading again."""
        self._skip: set[tuple[str, int, int]] = set()
        """Messages done but rewound with an unfinished one before them: passed over when read again."""
        self._revoked: set[tuple[str, int]] = set()
        """Partitions taken away since ``receive`` polled its first message."""
        self._closed = False
        self._create_topics(settings)
        # defaults the URL may tune, then the URL's settings, then what the guarantees rest on
        self.producer = Producer({
            "client.id": self.consumer or self.name,
            "linger.ms": 0,  # each batch is awaited: waiting for more to batch would only add latency
            "message.timeout.ms": int(PRODUCE_TIMEOUT * 1000),  # librdkafka gives up when we stop waiting
            "partitioner": "murmur2_random",  # a key lands on the partition Java clients would choose
            **settings, "acks": "all", "enable.idempotence": True,
        })
        conf: dict[str, Any] = {
            "client.id": self.consumer or self.name,
            "session.timeout.ms": SESSION_TIMEOUT_MS, "heartbeat.interval.ms": HEARTBEAT_INTERVAL_MS,
            **settings, "group.id": self.group,
            "enable.auto.commit": False, "enable.auto.offset.store": False, "auto.offset.reset": "earliest",
        }
        if self.consumer:
            conf["group.instance.id"] = self.consumer  # static membership: a restart takes its partitions back
        self.reader = Consumer(conf)
        """The group member that reads ``input`` (``consumer`` is its name)."""
        self.reader.subscribe([self.input], on_revoke=self._on_revoke, on_lost=self._on_lost)

    def _create_topics(self, settings: dict[str, str]) -> None:
        from confluent_kafka.admin import AdminClient, NewTopic

        admin = AdminClient({**settings})  # kept referenced until its futures are done
        existing = admin.list_topics(timeout=ADMIN_TIMEOUT).topics
        missing = [t for t in dict.fromkeys((self.input, self.output, self.quarantine, self.dead)) if t not in existing]
        if not missing:
            return
        futures = admin.create_topics(
            [NewTopic(t, DEFAULT_PARTITIONS, -1) for t in missing],  # -1: the broker's replication
            operation_timeout=ADMIN_TIMEOUT, request_timeout=ADMIN_TIMEOUT,
        )
        for future in futures.values():
            try:
                future.result()
            except self._KafkaException as exc:
                if exc.args[0].code() != self._KafkaError.TOPIC_ALREADY_EXISTS:  # another daemon was first
                    raise

    def receive(self, max_messages: int, timeout: float) -> list[Message]:
        self._commit()
        self._rewind()  # what the gate left unacknowledged failed: read it again
        deadline = time.monotonic() + timeout
        while True:
            first = self.reader.poll(max(deadline - time.monotonic(), 0.0))  # returns with the first message
            if first is None:
                return []
            self._revoked.clear()  # poll returns nothing outdated; consume may yet serve a revoke after ``first``
            batch = [first] + (self.reader.consume(max_messages - 1, 0) if max_messages > 1 else [])
            out = [msg for msg in map(self._take, batch) if msg is not None]
            if out or time.monotonic() >= deadline:
                return out

    def _take(self, m: Any) -> Message | None:
        """The gate's message for a consumed record; None for errors and what is not for the gate."""
        err = m.error()
        if err is not None:
            if err.fatal():  # e.g. fenced by another daemon with the same consumer name
                raise self._KafkaException(err)
            if err.code() != self._KafkaError._PARTITION_EOF:
                log.warning(_("queue %s: %s"), self.name, err.name())
            return None
        tp = (m.topic(), m.partition())
        if tp in self._revoked:
            return None  # polled before a rebalance took its partition: the new owner reads it
        ts_type, ts = m.timestamp()
        rec = _Record(tp[0], tp[1], m.offset(), m.key(), list(m.headers() or []),
                      ts if ts_type == self._create_time else None, m.value() is None)
        # the timestamp tells a record from one at the same offset of a topic deleted and made again
        msg_id = f"{rec.topic}/{rec.partition}/{rec.offset}@{ts}"
        queue = self._pending.setdefault(tp, deque())
        if (rec.topic, rec.partition, rec.offset) in self._skip:  # done before the rewind: only its offset counts
            self._skip.discard((rec.topic, rec.partition, rec.offset))
            rec.acked = True
            queue.append(Message(msg_id, b"", handle=rec))
            return None
        headers = {k: (v or b"").decode("utf-8", errors="replace") for k, v in rec.headers}
        deliveries = self._again.pop((rec.topic, rec.partition, rec.offset), 0) + 1
        msg = Message(msg_id, m.value() or b"", headers, deliveries,
                      {"topic": rec.topic, "partition": rec.partition, "offset": rec.offset}, rec)
        queue.append(msg)
        return msg

    def _advance(self) -> None:
        """Move each partition's done prefix from pending to the offset to commit."""
        for tp, queue in self._pending.items():
            while queue and queue[0].handle.acked:
                self._done[tp] = queue.popleft().handle.offset + 1

    def _commit(self, only: set[tuple[str, int]] | None = None) -> None:
        """Commit what is done, synchronously; a failed commit is tried again with the next one."""
        self._advance()
        todo = {tp: off for tp, off in self._done.items() if only is None or tp in only}
        if not todo:
            return
        try:
            result = self.reader.commit(
                offsets=[self._TopicPartition(t, p, off) for (t, p), off in todo.items()], asynchronous=False)
        except self._KafkaException as exc:
            if exc.args[0].fatal():
                raise
            # e.g. a rebalance under way: the next owner of a partition re-reads from the last commit
            log.warning(_("queue %s: offset commit failed (%s); retried with the next batch"), self.name,
                        exc.args[0].name())
            return
        for tp in result or []:
            key = (tp.topic, tp.partition)
            if tp.error is not None:
                log.warning(_("queue %s: offset commit failed on partition %d (%s)"), self.name, tp.partition,
                            tp.error.name())
            elif self._done.get(key) == tp.offset:
                del self._done[key]

    def _rewind(self) -> None:
        """Seek each partition back to its first unacknowledged message, to read it again."""
        self._advance()
        for (topic, partition), queue in self._pending.items():
            if queue:
                # seek first: if it fails, the messages stay pending and no later commit passes them
                self.reader.seek(self._TopicPartition(topic, partition, queue[0].handle.offset))
                for msg in queue:
                    if msg.handle.acked:
                        self._skip.add((topic, partition, msg.handle.offset))
                    else:
                        self._again[(topic, partition, msg.handle.offset)] = msg.deliveries
                queue.clear()

    def _on_revoke(self, _consumer: Any, partitions: list[Any]) -> None:
        """Partitions go to another member: commit what is done there, forget the rest (it re-reads it)."""
        gone = {(tp.topic, tp.partition) for tp in partitions}
        try:
            self._commit(gone)
        except self._KafkaException as exc:  # raised out of consume() otherwise; the next owner redoes the batch
            log.warning(_("queue %s: commit on revoke failed (%s)"), self.name, exc.args[0].name())
        self._forget(gone)

    def _on_lost(self, _consumer: Any, partitions: list[Any]) -> None:
        """Partitions already taken over (this member was too long silent): nothing can be committed."""
        self._forget({(tp.topic, tp.partition) for tp in partitions})

    def _forget(self, gone: set[tuple[str, int]]) -> None:
        self._revoked |= gone
        for tp in gone:
            self._pending.pop(tp, None)
            self._done.pop(tp, None)
        self._again = {k: n for k, n in self._again.items() if (k[0], k[1]) not in gone}
        self._skip = {k for k in self._skip if (k[0], k[1]) not in gone}

    def _begin_batch(self) -> _Deliveries:
        return _Deliveries()

    def _publish(self, batch: _Deliveries, destination: str, msg: Message, body: bytes,
                 headers: dict[str, str]) -> None:
        """Produce with the original key, headers (bytes, duplicates, order; the gate's replace
        those of the same name) and create time; the delivery report goes to ``batch``."""
        rec: _Record = msg.handle
        out: list[tuple[str, str | bytes | None]] = [(k, v) for k, v in rec.headers if k not in headers]
        out += [(k, v.encode()) for k, v in headers.items()]
        kwargs: dict[str, Any] = {"timestamp": rec.timestamp} if rec.timestamp is not None else {}
        value = None if rec.tombstone and body == b"" else body
        self.producer.produce(destination, value=value, key=rec.key, headers=out,
                              on_delivery=lambda err, _m: batch.reports.append(err), **kwargs)
        batch.sent += 1

    def _confirm(self, batch: _Deliveries) -> None:
        """Until the broker has acknowledged every produce of ``batch`` (acks=all); raises if any failed."""
        self.producer.flush(PRODUCE_TIMEOUT + 5)  # librdkafka reports a timeout itself after PRODUCE_TIMEOUT
        if len(batch.reports) < batch.sent:
            raise TimeoutError(f"no acknowledgement from Kafka within {PRODUCE_TIMEOUT:.0f} s")
        failed = next((err for err in batch.reports if err is not None), None)
        if failed is not None:
            raise self._KafkaException(failed)

    def ack(self, msg: Message) -> None:
        msg.handle.acked = True  # committed with the next batch, once all before it are done too

    def release(self, msg: Message) -> None:
        """Nothing to do now: the next ``receive`` seeks back to it (the gate may still finish
        later messages of the batch; they are not handed out again)."""

    def lag(self) -> int | None:
        """Messages in the input topic not yet delivered to the group: per partition the high
        watermark less this consumer's position where it holds the partition, else less the
        group's committed offset (each daemon reports the whole group's lag, as with Redis).
        None until this consumer has joined the group."""
        TopicPartition = self._TopicPartition  # noqa: N806 - a class
        held = [tp for tp in self.reader.assignment() if tp.topic == self.input]
        if not held:
            return None
        meta = self.reader.list_topics(self.input, timeout=LAG_TIMEOUT).topics.get(self.input)
        if meta is None or meta.error is not None:
            return None
        parts = [TopicPartition(self.input, p) for p in sorted(meta.partitions)]
        position = {tp.partition: tp.offset for tp in self.reader.position(held)}
        committed = {tp.partition: tp.offset for tp in self.reader.committed(parts, timeout=LAG_TIMEOUT)}
        total = 0
        for tp in parts:
            # the high watermark of the last fetch where we fetch, else asked of the broker
            low, high = self.reader.get_watermark_offsets(tp, cached=True) if tp.partition in position else (-1, -1)
            if high < 0:
                low, high = self.reader.get_watermark_offsets(tp, timeout=LAG_TIMEOUT)
            done = position.get(tp.partition, -1)
            if done < 0:
                done = committed.get(tp.partition, -1)
            if done < 0:
                done = low  # nothing committed: the group starts at the earliest
            total += max(high - done, 0)
        return total

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            try:
                self._commit()  # what is done is not redone; the rest is read again by whoever holds the partition
            finally:
                self.reader.close()  # a static member keeps its partitions for SESSION_TIMEOUT_MS, for its restart
        finally:
            self.producer.flush(PRODUCE_TIMEOUT)  # nothing is outstanding: every produce was awaited
            close = getattr(self.producer, "close", None)  # newer confluent-kafka: its connections go now, not at GC
            if close is not None:
                close()
