"""Command-line flags over a serve config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scanner.config.address import parse_address
from scanner.config.errors import ConfigError
from scanner.config.serve import ServeConfig
from scanner.config.watch import WatchSpec
from scanner.schema import first_error

PATH_FLAGS = ("state_dir", "alert_log", "quarantine_dir")


def _watch(path: str, index: int, poll: float | None) -> WatchSpec:
    """A ``--watch`` directory or ``smb://`` URL as a watch; ConfigError (one line) when it is not one."""
    data = {"path": path, "name": f"watch{index}", "poll": poll or 0.0}
    try:
        return WatchSpec.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"--watch {path}: {first_error(exc, WatchSpec, data)}") from None


def apply_overrides(cfg: ServeConfig, overrides: dict[str, Any]) -> ServeConfig:
    """``cfg`` with the flags that were given (``watch``, ``poll``, ``state_dir``, ``alert_log``,
    ``quarantine_dir``, ``metrics_address``; None or missing means not given)."""
    changes: dict[str, Any] = {}
    poll = overrides.get("poll")
    if overrides.get("watch"):
        changes["watches"] = tuple(_watch(p, i, poll) for i, p in enumerate(overrides["watch"]))
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
