"""Settings of ``mynumber-dlp serve``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from scanner.actions.policy import Policy
from scanner.config.address import DEFAULT_METRICS_ADDRESS, Address
from scanner.config.audit_jobs import AuditJobsSpec
from scanner.config.errors import ConfigError
from scanner.config.paths import ALERT_LOG_NAME, default_home
from scanner.config.queue import QueueSpec
from scanner.config.scan import ScanConfig
from scanner.config.watch import WatchSpec
from scanner.config.web import ApiSpec, IcapSpec
from scanner.i18n import _
from scanner.schema import ConfigPath, Duration, OptionalPath, OptionalText, Seq, StrictModel


def _default_state_dir() -> Path:
    return default_home() / "state"


def _default_alert_log(data: dict[str, Any]) -> Path:
    return data["state_dir"] / ALERT_LOG_NAME


class ServeSettings(StrictModel):
    """The keys of the ``[serve]`` table other than its watches and queues."""

    state_dir: ConfigPath = Field(default_factory=_default_state_dir)
    """SQLite state and quarantine manifest; never scanned (default: ``$XDG_DATA_HOME/mynumber-dlp/state``)."""
    alert_log: OptionalPath = Field(default_factory=_default_alert_log)
    """JSONL alert log, rotated (default: ``alerts.jsonl`` in ``state_dir``); ``""`` for none."""
    alerts_to_stdout: bool = True
    """Also write alerts as JSON lines on stdout (foreground service, journald)."""
    webhook_url: OptionalText = None
    """POST each alert as JSON here (spooled in state_dir/webhook-spool until delivered)."""
    syslog_address: OptionalText = None
    """Send alerts to syslog: a socket path (/dev/log) or host:port (UDP)."""
    quarantine_dir: OptionalPath = None
    """Quarantine files with findings per the policy; unset or ``""`` disables quarantine."""
    quarantine_stub: bool = True
    """Leave a stub explaining the quarantine where the file was."""
    share_quarantine: Literal["rename", "copy"] = "rename"
    """A share's file with findings: ``rename`` it into ``.mynumber-dlp-quarantine`` on its share
    (atomic, no bytes moved), or ``copy`` it into ``quarantine_dir`` (SHA-256 verified), then delete it."""
    smb_credentials: OptionalPath = None
    """Who logs on to ``smb://`` watches: a 0600 file of ``username=``/``password=``/``domain=`` lines;
    unset: ``MYNUMBER_DLP_SMB_USER``/``MYNUMBER_DLP_SMB_PASSWORD``, else Kerberos."""
    metrics_address: Address = DEFAULT_METRICS_ADDRESS
    """host:port of /metrics, /healthz, /readyz (loopback unless configured otherwise)."""
    debounce_quiet: Duration = Field(1.0, ge=0)
    """Seconds a path must be quiet before it is scanned ..."""
    debounce_max_wait: Duration = Field(10.0, gt=0)
    """... unless it has been changing for this long."""
    reconcile_interval: Duration = Field(3600.0, gt=0)
    """Seconds between full reconcile walks (inotify drops events; network mounts send none)."""
    queue_size: int = Field(100_000, gt=0)
    """Paths waiting at most; beyond, events are dropped and a reconcile is scheduled."""
    drain_timeout: Duration = Field(30.0, ge=0)
    """On SIGTERM, seconds to finish the files in flight."""
    jobs: int = Field(0, ge=0)
    """Worker processes of the daemon; 0 means one per CPU core."""
    slow_lane_jobs: int = Field(1, ge=1)
    """Worker processes, beside ``jobs``, for images, PDFs and files over 32 MiB (OCR is slow:
    text files never wait behind them)."""
    log_json: bool = False
    """Structured logs as JSON lines on stderr."""
    language: Literal["", "ja", "en"] = ""
    """Language of log lines and alert messages; "" takes it from LC_ALL/LC_MESSAGES/LANG (``--lang`` wins)."""
    icap: IcapSpec | None = None
    """The ICAP service for web proxies (``[serve.icap]``); off unless the table is there."""
    api: ApiSpec | None = None
    """The HTTP scan API (``[serve.api]``); off unless the table is there."""


class ServeConfig(ServeSettings):
    """Everything ``mynumber-dlp serve`` runs with."""

    watches: Seq[WatchSpec] = ()
    """Watched directories (``[[serve.watch]]``)."""
    queues: Seq[QueueSpec] = ()
    """Message-queue gates run beside the file watches (``[[serve.queue]]``)."""
    audits: Seq[AuditJobsSpec] = ()
    """Queues of distributed-audit jobs this daemon takes work from (``[[serve.audit]]``)."""
    policy: Policy = Policy()
    """The global policy (``[policy]``)."""
    scan: ScanConfig = ScanConfig()
    """Key, rules, scan settings and limits."""
    source: str | None = None
    """The file this was read from; None for the embedded default."""


def check_alert_destinations(cfg: ServeConfig) -> None:
    """Refuse a daemon whose alerts would go nowhere: findings would be counted and never told."""
    if cfg.alert_log is None and not cfg.alerts_to_stdout and not cfg.webhook_url and not cfg.syslog_address:
        raise ConfigError(f"{cfg.source or _('the default config')}: serve: " + _(
            "alerts would go nowhere; set alert_log, alerts_to_stdout, webhook_url or syslog_address"))
