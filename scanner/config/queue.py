"""One message-queue gate (``[[serve.queue]]``)."""

from __future__ import annotations

import socket
from typing import Any, Literal, get_args

from pydantic import Field

from scanner.schema import StrictModel

QueueType = Literal["redis", "mqtt", "nats", "rabbitmq", "kafka"]
OnViolation = Literal["divert", "mask"]
QUEUE_TYPES: tuple[str, ...] = get_args(QueueType)
ON_VIOLATION: tuple[str, ...] = get_args(OnViolation)


def _dead_letter(data: dict[str, Any]) -> str:
    return f"{data['input']}.dead"


def _consumer(data: dict[str, Any]) -> str:
    return f"{socket.gethostname()}-{data['name']}"


class QueueSpec(StrictModel):
    """One message-queue gate: read ``input``, forward clean messages to ``output``, divert the rest."""

    type: QueueType
    """Broker kind: ``redis`` (Redis Streams), ``mqtt`` (MQTT 5, QoS 1, shared subscription),
    ``nats`` (NATS JetStream, durable pull consumer named by ``group``), ``rabbitmq`` (AMQP 0-9-1
    queues, competing consumers) or ``kafka`` (topics, consumer group ``group``)."""
    name: str = Field(min_length=1)
    """Label in metrics and alerts; ``queue<N>`` in a file that gives none."""
    url: str = Field(min_length=1, repr=False)
    """Broker URL, usually ``${MYNUMBER_DLP_BROKER_URL}`` (its password is masked by ``config check``)."""
    input: str = Field(min_length=1)
    """Stream, topic or queue the messages come from."""
    output: str = Field(min_length=1)
    """Where clean (or masked) messages are forwarded."""
    quarantine: str = Field(min_length=1)
    """Where violating messages are diverted."""
    dead_letter: str = Field(default_factory=_dead_letter, min_length=1)
    """Where a message goes after ``max_deliveries`` failed attempts (default: ``<input>.dead``)."""
    group: str = Field("mynumber-dlp", min_length=1)
    """Consumer group shared by all daemons that split this stream."""
    consumer: str = Field(default_factory=_consumer, min_length=1)
    """This daemon's consumer name in the group: stable across restarts, so a restarted daemon
    takes back what it left unacknowledged (default: host name and queue name)."""
    max_deliveries: int = Field(5, ge=1)
    """Deliveries after which a message that cannot be processed goes to ``dead_letter``."""
    on_violation: OnViolation = "divert"
    """``divert`` violating messages to ``quarantine``, or ``mask`` them: forward with the numbers
    masked (UTF-8 text and JSON only; other bodies are still diverted)."""
