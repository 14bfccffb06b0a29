"""Which adapter serves which queue type, and opening one for a ``[[serve.queue]]`` spec.
Adapters are imported on use: each broker's client is an optional extra."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from scanner.config import QueueSpec
    from scanner.sources.brokers.base import BrokerSource

ADAPTERS: dict[str, tuple[str, str, bool]] = {
    "redis": ("scanner.sources.brokers.redis_streams", "RedisStreamsSource", False),
    "mqtt": ("scanner.sources.brokers.mqtt", "MqttSource", True),
    "nats": ("scanner.sources.brokers.nats_jetstream", "NatsJetStreamSource", False),
    "rabbitmq": ("scanner.sources.brokers.rabbitmq", "RabbitMqSource", True),
    "kafka": ("scanner.sources.brokers.kafka", "KafkaSource", False),
}
"""Queue type -> (module, adapter class, whether it names id-less messages with a keyed HMAC)."""


def open_source(kind: str, url: str, input: str, outputs: str, group: str, consumer: str, name: str) -> BrokerSource:
    """An adapter reading ``input`` whose every destination is ``outputs`` (for consumers that
    publish only with ``reply``: the audit jobs' daemons)."""
    module, cls, _keyed = ADAPTERS[kind]
    adapter = cast("type[BrokerSource]", getattr(importlib.import_module(module), cls))
    return adapter(url, input, outputs, outputs, outputs, group, consumer, name)


def open_queue(spec: QueueSpec, key: bytes) -> BrokerSource:
    """The broker adapter of a queue spec; ``key`` (the fingerprint key) names messages that carry no id."""
    if spec.type not in ADAPTERS:
        raise ValueError(f"unknown queue type {spec.type}")
    module, cls, keyed = ADAPTERS[spec.type]
    adapter = cast("type[BrokerSource]", getattr(importlib.import_module(module), cls))
    extra = {"id_key": key} if keyed else {}
    return adapter(spec.url, spec.input, spec.output, spec.quarantine, spec.dead_letter, spec.group, spec.consumer,
                   spec.name, **extra)
