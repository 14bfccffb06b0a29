"""What a distributed audit is called on its broker: which broker a URL names, which audit
names are allowed, and the streams (Redis) or topics (Kafka) of one audit."""

from __future__ import annotations

import re
from typing import Literal

from scanner.i18n import _

Broker = Literal["redis", "kafka"]
REDIS_SCHEMES = ("redis", "rediss", "unix")
"""URL schemes of a Redis server (redis-py's)."""
KAFKA_SCHEMES = ("kafka",)
"""URL scheme of a Kafka cluster's bootstrap servers."""
AUDIT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
"""An audit's name: what Kafka allows in a topic name, at most 100 characters."""
AUDIT_PREFIX = "mynumber-dlp.audit."
"""Every stream or topic of one audit starts with this and the audit's name."""


def broker_of(url: str) -> Broker:
    """``redis`` or ``kafka`` from the URL's scheme; ValueError for any other."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme in REDIS_SCHEMES:
        return "redis"
    if scheme in KAFKA_SCHEMES:
        return "kafka"
    raise ValueError(_("an audit queue URL starts with redis://, rediss:// or kafka://"))


def check_audit_name(name: str) -> str:
    """``name`` if it is a valid audit name, else ValueError."""
    if not AUDIT_NAME.fullmatch(name):
        raise ValueError(_("an audit name is 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"))
    return name


def results_stream(name: str) -> str:
    """Where daemons publish the records of audit ``name``'s jobs."""
    return f"{AUDIT_PREFIX}{check_audit_name(name)}.results"


def manifest_stream(name: str) -> str:
    """Where ``audit enqueue`` writes audit ``name``'s manifest (its total), once every job is published."""
    return f"{AUDIT_PREFIX}{check_audit_name(name)}.manifest"


def dead_stream(jobs: str) -> str:
    """The adapter's unused destinations for a jobs stream (a failed job is reported, not dead-lettered)."""
    return f"{jobs}.dead"
