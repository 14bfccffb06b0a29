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
import re
import socket
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from scanner.actions.policy import Policy
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


# ---- serve ------------------------------------------------------------------------------

def default_home() -> Path:
    """Where the embedded default keeps its watch, state and quarantine directories."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "mynumber-dlp"
DEFAULT_METRICS_ADDRESS = "127.0.0.1:9108"


@dataclass(frozen=True, slots=True)
class WatchSpec:
    """One watched directory."""

    path: Path
    name: str
    """Label in metrics and alerts (never the path)."""
    poll: float = 0.0
    """Seconds between polls; 0 uses inotify (local disks). Network mounts need polling."""
    exclude: tuple[str, ...] = ()
    policy: Policy | None = None
    """This source's own policy (``[serve.watch.policy]``); None uses the global ``[policy]``."""


@dataclass(frozen=True, slots=True)
class QueueSpec:
    """One message-queue gate: read ``input``, forward clean messages to ``output``, divert the rest."""

    type: str
    """Broker kind: ``redis`` (Redis Streams), ``mqtt`` (MQTT 5, QoS 1, shared subscription),
    ``nats`` (NATS JetStream, durable pull consumer named by ``group``), ``rabbitmq`` (AMQP 0-9-1
    queues, competing consumers) or ``kafka`` (topics, consumer group ``group``)."""
    name: str
    url: str
    input: str
    output: str
    quarantine: str
    dead_letter: str
    group: str = "mynumber-dlp"
    """Consumer group shared by all daemons that split this stream."""
    consumer: str = ""
    """This daemon's consumer name in the group: stable across restarts, so a restarted daemon
    takes back what it left unacknowledged (default: host name and queue name)."""
    max_deliveries: int = 5
    """Deliveries after which a message that cannot be processed goes to ``dead_letter``."""
    on_violation: str = "divert"
    """``divert`` violating messages to ``quarantine``, or ``mask`` them: forward with the numbers
    masked (UTF-8 text and JSON only; other bodies are still diverted)."""


QUEUE_TYPES = ("redis", "mqtt", "nats", "rabbitmq", "kafka")
ON_VIOLATION = ("divert", "mask")


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """Settings of ``mynumber-dlp serve``."""

    watches: tuple[WatchSpec, ...]
    state_dir: Path
    """SQLite state and quarantine manifest; never scanned."""
    alert_log: Path | None
    """JSONL alert log (rotated); None for none."""
    alerts_to_stdout: bool = True
    """Also write alerts as JSON lines on stdout (foreground service, journald)."""
    webhook_url: str | None = None
    """POST each alert as JSON here (spooled in state_dir/webhook-spool until delivered)."""
    syslog_address: str | None = None
    """Send alerts to syslog: a socket path (/dev/log) or host:port (UDP)."""
    quarantine_dir: Path | None = None
    """Quarantine files with findings per the policy; None disables quarantine."""
    quarantine_stub: bool = True
    """Leave a stub explaining the quarantine where the file was."""
    metrics_address: str = DEFAULT_METRICS_ADDRESS
    """host:port of /metrics, /healthz, /readyz (loopback unless configured otherwise)."""
    policy: Policy = Policy()
    debounce_quiet: float = 1.0
    """Seconds a path must be quiet before it is scanned ..."""
    debounce_max_wait: float = 10.0
    """... unless it has been changing for this long."""
    reconcile_interval: float = 3600.0
    """Seconds between full reconcile walks (inotify drops events; network mounts send none)."""
    queue_size: int = 100_000
    """Paths waiting at most; beyond, events are dropped and a reconcile is scheduled."""
    drain_timeout: float = 30.0
    """On SIGTERM, seconds to finish the files in flight."""
    jobs: int = 0
    log_json: bool = False
    """Structured logs as JSON lines on stderr."""
    scan: ScanConfig = ScanConfig()
    queues: tuple[QueueSpec, ...] = ()
    """Message-queue gates run beside the file watches."""
    source: str | None = None


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def expand_vars(value: Any, where: str) -> Any:
    """``${VAR}`` in every string of a config, from the environment; an unset one is an error."""
    if isinstance(value, str):
        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in os.environ:
                raise ConfigError(f"{where}: environment variable {name} is not set")
            return os.environ[name]

        return _VAR.sub(sub, value)
    if isinstance(value, list):
        return [expand_vars(v, where) for v in value]
    if isinstance(value, dict):
        return {k: expand_vars(v, where) for k, v in value.items()}
    return value


def _queues(items: Any, where: str) -> tuple[QueueSpec, ...]:
    out = []
    for i, q in enumerate(items or []):
        qwhere = f"{where} queue[{i}]"
        if not isinstance(q, dict):
            raise ConfigError(f"{qwhere}: must be a table")
        if q.get("type") not in QUEUE_TYPES:
            raise ConfigError(f"{qwhere}: type must be one of {', '.join(QUEUE_TYPES)}")
        missing = [k for k in ("url", "input", "output", "quarantine") if not isinstance(q.get(k), str) or not q.get(k)]
        if missing:
            raise ConfigError(f"{qwhere}: missing {', '.join(missing)}")
        if q.get("on_violation", "divert") not in ON_VIOLATION:
            raise ConfigError(f"{qwhere}: on_violation must be one of {', '.join(ON_VIOLATION)}")
        out.append(
            QueueSpec(
                type=q["type"], name=str(q.get("name", f"queue{i}")), url=q["url"], input=q["input"], output=q["output"],
                quarantine=q["quarantine"], dead_letter=str(q.get("dead_letter", q["input"] + ".dead")),
                group=str(q.get("group", "mynumber-dlp")),
                consumer=str(q.get("consumer") or f"{socket.gethostname()}-{q.get('name', i)}"),
                max_deliveries=int(q.get("max_deliveries", 5)), on_violation=q.get("on_violation", "divert"),
            )
        )
    return tuple(out)


def _opt_path(value: Any) -> Path | None:
    return Path(os.path.expandvars(value)).expanduser() if value else None


def default_serve_config() -> ServeConfig:
    """The embedded default: watch $XDG_DATA_HOME/mynumber-dlp/watch, quarantine high findings."""
    home = default_home()
    return ServeConfig(
        watches=(WatchSpec(home / "watch", "default"),),
        state_dir=home / "state",
        alert_log=home / "state" / "alerts.jsonl",
        quarantine_dir=home / "quarantine",
    )


def load_serve_config(path: Path | None) -> ServeConfig:
    """Read a serve config (TOML), or the embedded default when ``path`` is None."""
    if path is None:
        return default_serve_config()
    scan = load_scan_config(path)
    with open(path, "rb") as f:
        data = tomllib.load(f)
    where = str(path)
    data = expand_vars(data, where)
    serve = _expect(data, "serve", dict, where) or {}
    swhere = f"{where} [serve]"
    watches = []
    for i, w in enumerate(_expect(serve, "watch", list, swhere) or []):
        if not isinstance(w, dict) or not isinstance(w.get("path"), str):
            raise ConfigError(f"{swhere}: watch[{i}] needs a 'path'")
        poll = w.get("poll", 0)
        if isinstance(poll, bool) or not isinstance(poll, (int, float)) or poll < 0:
            raise ConfigError(f"{swhere}: watch[{i}].poll must be seconds >= 0")
        watches.append(
            WatchSpec(
                path=Path(os.path.expandvars(w["path"])).expanduser(),
                name=str(w.get("name", f"watch{i}")),
                poll=float(poll),
                exclude=_str_list(w, "exclude", f"{swhere} watch[{i}]"),
                policy=w.get("policy"),  # resolved against the global policy below
            )
        )
    policy = _policy(_expect(data, "policy", dict, where) or {}, f"{where} [policy]", Policy())
    watches = [
        replace(w, policy=_policy(w.policy, f"{swhere} watch {w.name} policy", policy) if w.policy is not None else None)
        for w in watches
    ]
    base = default_serve_config()
    state_dir = _opt_path(serve.get("state_dir")) or base.state_dir
    cfg = ServeConfig(
        watches=tuple(watches),
        state_dir=state_dir,
        alert_log=_opt_path(serve.get("alert_log", str(state_dir / "alerts.jsonl"))),
        alerts_to_stdout=bool(serve.get("alerts_to_stdout", True)),
        webhook_url=os.path.expandvars(serve["webhook_url"]) if serve.get("webhook_url") else None,
        syslog_address=serve.get("syslog_address") or None,
        quarantine_dir=_opt_path(serve.get("quarantine_dir")),
        quarantine_stub=bool(serve.get("quarantine_stub", True)),
        metrics_address=str(serve.get("metrics_address", DEFAULT_METRICS_ADDRESS)),
        policy=policy,
        debounce_quiet=float(serve.get("debounce_quiet", 1.0)),
        debounce_max_wait=float(serve.get("debounce_max_wait", 10.0)),
        reconcile_interval=float(serve.get("reconcile_interval", 3600.0)),
        queue_size=int(serve.get("queue_size", 100_000)),
        drain_timeout=float(serve.get("drain_timeout", 30.0)),
        jobs=int(serve.get("jobs", 0)),
        log_json=bool(serve.get("log_json", False)),
        scan=scan,
        queues=_queues(_expect(serve, "queue", list, swhere), swhere),
        source=where,
    )
    parse_address(cfg.metrics_address)
    return cfg


def _policy(table: Any, where: str, base: Policy) -> Policy:
    """A policy table over ``base``: keys it does not set keep the base's values."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    known = {f.name for f in fields(Policy)}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    try:
        values = {}
        for key, value in table.items():
            if key.endswith("_confidence"):
                values[key] = Confidence.parse(value)
            elif key == "quarantine":
                values[key] = bool(value)
            else:
                values[key] = int(value)
        return replace(base, **values)
    except (ValueError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{where}: {exc}") from None


def parse_address(text: str) -> tuple[str, int]:
    """``host:port`` -> (host, port)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise ConfigError(f"metrics address must be host:port, not {text!r}")
    return host.strip("[]") or "127.0.0.1", int(port)
