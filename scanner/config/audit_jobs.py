"""One queue of distributed-audit jobs a daemon takes work from (``[[serve.audit]]``)."""

from __future__ import annotations

import socket
from typing import Any

from pydantic import Field, field_validator

from scanner.schema import Duration, StrictModel

DEFAULT_JOBS_STREAM = "mynumber-dlp.audit.jobs"
"""Stream (Redis) or topic (Kafka) ``audit enqueue`` publishes jobs to and daemons take them from."""
DEFAULT_AUDIT_GROUP = "mynumber-dlp-audit"
"""Consumer group of the daemons that share the audit jobs."""


def _consumer(data: dict[str, Any]) -> str:
    return f"{socket.gethostname()}-{data['name']}"


class AuditJobsSpec(StrictModel):
    """Take audit jobs from ``stream`` as a member of ``group``, scan their files, publish the records."""

    name: str = Field(min_length=1)
    """Label in metrics and logs; ``audit<N>`` in a file that gives none."""
    url: str = Field(min_length=1, repr=False)
    """Broker URL: ``redis://`` / ``rediss://`` (Redis Streams) or ``kafka://host:port`` (Kafka);
    the same URL ``audit enqueue --queue`` is given."""
    stream: str = Field(DEFAULT_JOBS_STREAM, min_length=1)
    """Stream or topic of the jobs."""
    group: str = Field(DEFAULT_AUDIT_GROUP, min_length=1)
    """Consumer group shared by every daemon that takes audit jobs from ``stream``."""
    consumer: str = Field(default_factory=_consumer, min_length=1)
    """This daemon's name in the group, stable across restarts (default: host name and ``name``)."""
    workers: int = Field(1, ge=1)
    """Worker processes scanning this queue's jobs (beside the file watches' ``jobs``)."""
    claim_after: Duration = Field(300.0, gt=0)
    """Redis: a job another daemon has held unfinished this long is taken over (it died); longer
    than a job takes. Kafka hands a dead daemon's partitions on after its session timeout."""
    max_deliveries: int = Field(3, ge=1)
    """A job delivered this often without a result is reported with each of its files not_scanned."""

    @field_validator("url")
    @classmethod
    def _known_broker(cls, url: str) -> str:
        from scanner.jobs.names import broker_of

        broker_of(url)  # raises ValueError with the reason
        return url
