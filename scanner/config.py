"""Configuration file (TOML) for scans; command-line flags override it.

Example::

    fingerprint_key = "long random secret shared by every scanner of the organisation"
    rules_dirs = ["/etc/mynumber-dlp/rules"]

    [scan]
    min_confidence = "low"
    jobs = 0
    exclude = [".git", "*.iso"]
    known_numbers = "/etc/mynumber-dlp/known.txt"

    [limits]               # see scanner/extract/limits.py for the defaults
    max_file_size = 268435456
    max_scan_time = 120
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from scanner.detect.finding import Confidence
from scanner.extract.limits import Limits
from scanner.privacy.keyfile import user_config_dir

CONFIG_FILE_NAME = "config.toml"


class ConfigError(ValueError):
    """The config file is unreadable or invalid; the message names the field."""


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Settings of ``mynumber-dlp scan``."""

    fingerprint_key: str | None = None
    """Key of the HMAC fingerprints; the environment variable overrides it."""
    rules_dirs: tuple[Path, ...] = ()
    """Rule directories applied on top of the shipped rules, in order."""
    min_confidence: Confidence = Confidence.LOW
    """Findings below this are not reported and do not change the exit status."""
    jobs: int = 0
    """Parallel worker processes; 0 means one per CPU core."""
    exclude: tuple[str, ...] = ()
    """Glob patterns of files and directories a walk skips."""
    follow_symlinks: bool = False
    """Follow symbolic links met while walking directories."""
    known_numbers: Path | None = None
    """Fingerprint list of known real numbers (exact data match)."""
    limits: Limits = Limits()
    """Scan limits (``[limits]`` table; names as in ``limit:<name>`` reasons)."""
    source: str | None = field(default=None, compare=False)
    """The file this was read from, if any."""


def _expect(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = table.get(key)
    if value is not None and not isinstance(value, kind):
        raise ConfigError(f"{where}: '{key}' must be {kind.__name__}")
    return value


def _str_list(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = _expect(table, key, list, where) or []
    if not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(os.path.expandvars(v) for v in value)


def _limits(table: dict[str, Any], where: str) -> Limits:
    known = {f.name: f.type for f in fields(Limits)}
    values = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown limit '{key}' (known: {', '.join(known)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(f"{where}: '{key}' must be a positive number")
        values[key] = float(value) if key == "max_scan_time" else int(value)
    return Limits(**values)


def load_scan_config(path: Path | None) -> ScanConfig:
    """Read ``path``, or the user's config file if it exists, or defaults."""
    if path is None:
        default = user_config_dir() / CONFIG_FILE_NAME
        if not default.exists():
            return ScanConfig()
        path = default
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    where = str(path)
    scan = _expect(data, "scan", dict, where) or {}
    swhere = f"{where} [scan]"
    try:
        min_conf = Confidence.parse(_expect(scan, "min_confidence", str, swhere) or "low")
    except ValueError as exc:
        raise ConfigError(f"{swhere}: {exc}") from None
    jobs = _expect(scan, "jobs", int, swhere) or 0
    if jobs < 0:
        raise ConfigError(f"{swhere}: 'jobs' must be >= 0")
    known = _expect(scan, "known_numbers", str, swhere)
    limits = _limits(_expect(data, "limits", dict, where) or {}, f"{where} [limits]")
    return ScanConfig(
        fingerprint_key=_expect(data, "fingerprint_key", str, where),
        rules_dirs=tuple(Path(p) for p in _str_list(data, "rules_dirs", where)),
        min_confidence=min_conf,
        jobs=jobs,
        exclude=_str_list(scan, "exclude", swhere),
        follow_symlinks=bool(_expect(scan, "follow_symlinks", bool, swhere)),
        known_numbers=Path(os.path.expandvars(known)) if known else None,
        limits=limits,
        source=where,
    )
