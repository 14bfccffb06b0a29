"""The broker side of a distributed audit, for Redis Streams and Kafka.

``JobQueue`` is what ``audit enqueue`` and ``audit collect`` need: create the streams or
topics, publish messages and wait for the broker to store them, read a stream from its
start. The daemons take jobs through the gate's own adapters (``open_jobs_source``): the
consumer group, redelivery after a crash, and ``reply`` (results published, then the job
acknowledged; on Redis both in one MULTI) are theirs.
"""

from __future__ import annotations

import functools
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scanner.jobs.names import broker_of, dead_stream

if TYPE_CHECKING:
    from scanner.config.audit_jobs import AuditJobsSpec
    from scanner.sources.brokers.base import BrokerSource

JOB_PARTITIONS = 12
"""Partitions of a Kafka jobs topic this creates: at most this many daemons share one audit."""
PUBLISH_CHUNK = 500
"""Messages published in one round trip (Redis pipeline) or one wait for acknowledgements (Kafka)."""
READ_CHUNK = 1000
"""Entries read per request."""
KAFKA_TIMEOUT = 30.0
"""Seconds a Kafka request (create topics, produce, read up to the end) may take."""
PAYLOAD_FIELD = "payload"
"""The Redis entry field that holds a message (the gates' field)."""


class StreamReader(ABC):
    """Reads one stream from its start; each ``new()`` returns what was added since the last."""

    @abstractmethod
    def new(self) -> list[bytes]:
        """Every message from where the last call ended up to the stream's end now."""

    @abstractmethod
    def close(self) -> None:
        """Let go of the connection."""


class JobQueue(ABC):
    """Publishing to and reading from the streams of one broker."""

    @abstractmethod
    def exists(self, stream: str) -> bool:
        """Whether ``stream`` holds (or, on Kafka, is) anything."""

    @abstractmethod
    def ensure(self, streams: dict[str, int]) -> None:
        """Create what is missing (Kafka topics with the given partitions; Redis creates on write)."""

    @abstractmethod
    def publish(self, stream: str, messages: Sequence[tuple[str, bytes]]) -> None:
        """Publish ``(key, body)`` messages and return once the broker stored all; raise if not."""

    @abstractmethod
    def reader(self, stream: str) -> StreamReader:
        """A reader of ``stream`` from its start."""

    @abstractmethod
    def close(self) -> None:
        """Disconnect."""


class _RedisReader(StreamReader):
    def __init__(self, r: Any, stream: str) -> None:
        self.r, self.stream, self.last = r, stream, "-"

    def new(self) -> list[bytes]:
        out: list[bytes] = []
        while True:
            entries = self.r.xrange(self.stream, min=self.last, max="+", count=READ_CHUNK)
            for entry_id, fields in entries:
                self.last = "(" + entry_id.decode()  # exclusive: after this entry
                out.append(fields.get(PAYLOAD_FIELD.encode(), b""))
            if len(entries) < READ_CHUNK:
                return out

    def close(self) -> None:
        """Nothing: the queue owns the connection."""


class RedisJobQueue(JobQueue):
    """Streams on one Redis server (XADD, XRANGE)."""

    def __init__(self, url: str) -> None:
        import redis

        self.r = redis.Redis.from_url(url)
        self.r.ping()  # an unreachable server is an error now, not at the first publish

    def exists(self, stream: str) -> bool:
        return bool(self.r.exists(stream))

    def ensure(self, streams: dict[str, int]) -> None:
        """Nothing: XADD makes a stream, and the daemons' group starts at its first entry."""

    def publish(self, stream: str, messages: Sequence[tuple[str, bytes]]) -> None:
        for start in range(0, len(messages), PUBLISH_CHUNK):
            with self.r.pipeline(transaction=False) as p:
                for key, body in messages[start:start + PUBLISH_CHUNK]:
                    p.xadd(stream, {PAYLOAD_FIELD: body, "key": key})
                p.execute()  # raises on the first failed XADD

    def reader(self, stream: str) -> StreamReader:
        return _RedisReader(self.r, stream)

    def close(self) -> None:
        self.r.close()


class _KafkaReader(StreamReader):
    """Assigns every partition from its start (no group membership, nothing committed) and reads
    each up to the high watermark it has when ``new`` is called."""

    def __init__(self, settings: dict[str, str], topic: str) -> None:
        from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

        self.topic = topic
        self.consumer = Consumer({**settings, "group.id": f"mynumber-dlp-collect-{uuid.uuid4().hex}",
                                  "enable.auto.commit": False, "enable.partition.eof": True})
        meta = self.consumer.list_topics(topic, timeout=KAFKA_TIMEOUT).topics.get(topic)
        partitions = sorted(meta.partitions) if meta is not None and meta.error is None else []
        self.position = dict.fromkeys(partitions, 0)
        self.consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])

    def new(self) -> list[bytes]:
        from confluent_kafka import KafkaError, KafkaException, TopicPartition

        ends = {p: self.consumer.get_watermark_offsets(TopicPartition(self.topic, p), timeout=KAFKA_TIMEOUT)[1]
                for p in self.position}
        out: list[bytes] = []
        deadline = time.monotonic() + KAFKA_TIMEOUT
        while any(self.position[p] < ends[p] for p in self.position):
            if time.monotonic() > deadline:
                raise TimeoutError(f"Kafka: {self.topic} not read to its end within {KAFKA_TIMEOUT:.0f} s")
            for m in self.consumer.consume(READ_CHUNK, 1.0):
                err = m.error()
                if err is not None:
                    if err.code() == KafkaError._PARTITION_EOF:
                        continue
                    raise KafkaException(err)
                self.position[m.partition()] = (m.offset() or 0) + 1
                out.append(m.value() or b"")
        return out

    def close(self) -> None:
        self.consumer.close()


class KafkaJobQueue(JobQueue):
    """Topics on a Kafka cluster: an idempotent producer with ``acks=all``."""

    def __init__(self, url: str) -> None:
        from confluent_kafka import Producer
        from confluent_kafka.admin import AdminClient

        from scanner.sources.brokers.kafka import client_settings

        self.settings = client_settings(url)
        self.admin = AdminClient({**self.settings})
        self.producer = Producer({**self.settings, "linger.ms": 5, "acks": "all", "enable.idempotence": True,
                                  "message.timeout.ms": int(KAFKA_TIMEOUT * 1000), "partitioner": "murmur2_random"})
        self._topics = set(self.admin.list_topics(timeout=KAFKA_TIMEOUT).topics)

    def exists(self, stream: str) -> bool:
        self._topics = set(self.admin.list_topics(timeout=KAFKA_TIMEOUT).topics)
        return stream in self._topics

    def ensure(self, streams: dict[str, int]) -> None:
        from confluent_kafka import KafkaError, KafkaException
        from confluent_kafka.admin import NewTopic

        missing = [NewTopic(t, n, -1) for t, n in streams.items() if t not in self._topics]
        if not missing:
            return
        futures = self.admin.create_topics(missing, operation_timeout=KAFKA_TIMEOUT, request_timeout=KAFKA_TIMEOUT)
        for future in futures.values():
            try:
                future.result()
            except KafkaException as exc:
                if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:  # another one was first
                    raise
        self._topics |= set(streams)

    def publish(self, stream: str, messages: Sequence[tuple[str, bytes]]) -> None:
        from confluent_kafka import KafkaException

        for start in range(0, len(messages), PUBLISH_CHUNK):
            reports: list[Any] = []
            chunk = messages[start:start + PUBLISH_CHUNK]
            for key, body in chunk:
                while True:
                    try:
                        # the key spreads jobs over the partitions, hence over the daemons
                        self.producer.produce(stream, value=body, key=key.encode(),
                                              on_delivery=functools.partial(_note_delivery, reports))
                        break
                    except BufferError:  # librdkafka's queue is full: let it send
                        self.producer.poll(0.1)
            self.producer.flush(KAFKA_TIMEOUT + 5)
            if len(reports) < len(chunk):
                raise TimeoutError(f"no acknowledgement from Kafka within {KAFKA_TIMEOUT:.0f} s")
            failed = next((err for err in reports if err is not None), None)
            if failed is not None:
                raise KafkaException(failed)

    def reader(self, stream: str) -> StreamReader:
        return _KafkaReader(self.settings, stream)

    def close(self) -> None:
        self.producer.flush(KAFKA_TIMEOUT)


def _note_delivery(reports: list[Any], err: Any, _msg: Any) -> None:
    """A delivery report: its error, None when the broker stored the message."""
    reports.append(err)


def open_job_queue(url: str) -> JobQueue:
    """The queue at ``url`` (``redis://`` or ``kafka://``), connected."""
    return RedisJobQueue(url) if broker_of(url) == "redis" else KafkaJobQueue(url)


def open_jobs_source(spec: AuditJobsSpec) -> BrokerSource:
    """A daemon's consumer of the jobs stream, a member of ``spec.group``."""
    from scanner.sources.brokers.registry import open_source

    kind = broker_of(spec.url)
    dead = dead_stream(spec.stream)
    if kind == "kafka":
        queue = open_job_queue(spec.url)
        try:  # before the consumer makes them with the gates' default partitions
            queue.ensure({spec.stream: JOB_PARTITIONS, dead: 1})
        finally:
            queue.close()
    source = open_source(kind, spec.url, spec.stream, dead, spec.group, spec.consumer, spec.name)
    if hasattr(source, "claim_idle_ms"):
        source.claim_idle_ms = int(spec.claim_after * 1000)
    return source
