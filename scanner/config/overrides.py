"""Command-line flags over a serve config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scanner.config.address import parse_address
from scanner.config.serve import ServeConfig
from scanner.config.watch import WatchSpec

PATH_FLAGS = ("state_dir", "alert_log", "quarantine_dir")


def apply_overrides(cfg: ServeConfig, overrides: dict[str, Any]) -> ServeConfig:
    """``cfg`` with the flags that were given (``watch``, ``poll``, ``state_dir``, ``alert_log``,
    ``quarantine_dir``, ``metrics_address``; None or missing means not given)."""
    changes: dict[str, Any] = {}
    poll = overrides.get("poll")
    if overrides.get("watch"):
        changes["watches"] = tuple(
            WatchSpec(path=Path(p).expanduser(), name=f"watch{i}", poll=poll or 0.0)
            for i, p in enumerate(overrides["watch"])
        )
    elif poll:
        changes["watches"] = tuple(w.model_copy(update={"poll": float(poll)}) for w in cfg.watches)
    for key in PATH_FLAGS:
        if overrides.get(key) is not None:
            changes[key] = Path(overrides[key])
    if overrides.get("metrics_address") is not None:
        parse_address(overrides["metrics_address"])
        changes["metrics_address"] = overrides["metrics_address"]
    moved_state = "state_dir" in changes and "alert_log" not in changes
    if moved_state and cfg.alert_log is not None and cfg.alert_log.parent == cfg.state_dir:
        changes["alert_log"] = changes["state_dir"] / cfg.alert_log.name  # the log lives with the state
    return cfg.model_copy(update=changes)
