"""The schema of a config file: every key it may hold, as the file lays them out.

One file serves both commands: ``scan`` reads the top-level keys, ``[scan]`` and ``[limits]``;
``serve`` reads those and ``[policy]`` and ``[serve]``. Either command rejects a file with a key
that neither knows."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from scanner.actions.policy import Policy
from scanner.config.audit_jobs import AuditJobsSpec
from scanner.config.queue import QueueSpec
from scanner.config.scan import ScanSettings, SharedSettings
from scanner.config.serve import ServeSettings
from scanner.config.watch import WatchSpec
from scanner.extract.limits import Limits
from scanner.schema import Seq


def _named(items: Any, prefix: str) -> Any:
    """Tables of an array, each with a ``name`` (``<prefix><index>`` where it has none)."""
    if not isinstance(items, list):
        return items
    return [{"name": f"{prefix}{i}", **item} if isinstance(item, dict) else item for i, item in enumerate(items)]


class ServeTable(ServeSettings):
    """The ``[serve]`` table."""

    watch: Seq[WatchSpec] = ()
    """Watched directories."""
    queue: Seq[QueueSpec] = ()
    """Message-queue gates."""
    audit: Seq[AuditJobsSpec] = ()
    """Queues of distributed-audit jobs."""

    @model_validator(mode="before")
    @classmethod
    def _name_items(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {
                **data, "watch": _named(data.get("watch", []), "watch"),
                "queue": _named(data.get("queue", []), "queue"),
                "audit": _named(data.get("audit", []), "audit"),
            }
        return data


class ConfigFile(SharedSettings):
    """A whole config file."""

    scan: ScanSettings = ScanSettings()
    """How ``scan`` reports and walks."""
    limits: Limits = Limits()
    """Limits of every scanned item, files and messages alike."""
    policy: Policy = Policy()
    """What the daemon alerts on and quarantines."""
    serve: ServeTable = Field(default_factory=ServeTable)
    """The daemon."""

    @model_validator(mode="before")
    @classmethod
    def _watch_policies_over_the_global_one(cls, data: Any) -> Any:
        """A ``[serve.watch.policy]`` table sets only what differs from ``[policy]``."""
        if not isinstance(data, dict) or not isinstance(data.get("serve"), dict):
            return data
        base = data.get("policy", {})
        base = {k: v for k, v in base.items() if k in Policy.model_fields} if isinstance(base, dict) else {}
        watches = data["serve"].get("watch")
        if not isinstance(watches, list):
            return data
        merged = [
            {**w, "policy": {**base, **w["policy"]}} if isinstance(w, dict) and isinstance(w.get("policy"), dict) else w
            for w in watches
        ]
        return {**data, "serve": {**data["serve"], "watch": merged}}
