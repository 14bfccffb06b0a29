"""The daemon's lifecycle, and only that: build the parts, start them, serve until a
signal, reload on SIGHUP, drain and stop.

Threads: watchdog observers (callbacks only mark paths in the debouncer), the reconcile
walker, one thread per queue gate, the metrics HTTP server, and the main loop, which scans
ready paths in batches in the worker pool. SIGTERM/SIGINT: stop taking new paths, finish
the batch in flight (up to ``drain_timeout``), exit 0; a second signal exits at once.
SIGHUP: reload config and rules; on error keep the old ones (``reload_ok`` says so).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from scanner.actions.alerting import Alerter, AlertSink
from scanner.actions.alerts import JsonlAlertLog, StreamAlerts, SyslogSink, WebhookSink
from scanner.actions.quarantine import QuarantineOptions, QuarantineStore
from scanner.config import ServeConfig, parse_address
from scanner.extract.limits import Limits
from scanner.i18n import _
from scanner.serve.audit_jobs import AuditJobs
from scanner.serve.defaults import ALIVE_MIN_SECONDS, WEBHOOK_SPOOL
from scanner.serve.file_actions import FileActions
from scanner.serve.file_scans import FileScans, stop_or_reload
from scanner.serve.file_watch import FileWatch
from scanner.serve.metrics import HealthServer, Metrics
from scanner.serve.queue_gates import QueueGates
from scanner.serve.runtime import ReloadError, Runtime, build_runtime, reload_runtime
from scanner.serve.web_services import WebServices, web_service_names
from scanner.sources.smb.credentials import find_credentials
from scanner.state import StateDB

log = logging.getLogger("mynumber_dlp")


class Server:
    """One serving process: ``Server(config, key).run()`` returns the exit status."""

    def __init__(
        self, config: ServeConfig, key: str, config_path: Path | None = None, overrides: dict[str, Any] | None = None
    ) -> None:
        self.key = key
        self.config_path = config_path
        self.overrides = overrides or {}
        self.runtime: Runtime = build_runtime(config, key)
        """The current config and engine; replaced whole by a reload."""
        self.stop = threading.Event()
        self.reload = threading.Event()
        self._signals = 0
        self._alive_at = time.monotonic()

    def run(self) -> int:
        cfg = self.runtime.config
        db = StateDB(cfg.state_dir)
        metrics = Metrics()
        metrics.start_at_zero([w.name for w in cfg.watches], [q.name for q in cfg.queues], list(Limits.model_fields),
                              web_service_names(cfg), tuple(a.name for a in cfg.audits))
        metrics.reload_time.set(time.time())
        self.runtime.suppressor.on_suppressed = metrics.count_suppressed
        alerter = Alerter(alert_sinks(cfg), lambda ok: metrics.actions.labels("alert", "ok" if ok else "error").inc())
        watch = FileWatch(self.current, db, metrics, self.stop)
        actions = FileActions(db, metrics, alerter, quarantine_store(cfg, db), watch.requeue)
        web = WebServices(self.current, self.key, alerter, metrics)
        gates = QueueGates(self.current, self.key, alerter, db, metrics, self.stop)
        audits = AuditJobs(self.current, self.key, metrics, self.stop)
        scans = FileScans(watch.debouncer, db, metrics, actions, self.key, self._beat)
        http = HealthServer(parse_address(cfg.metrics_address), metrics, self._alive, lambda: watch.ready)
        log.info(_("metrics and health on http://%s:%d"), *http.address[:2])
        web.start()  # first: an address in use refuses the start before anything else runs
        self._install_signals()
        watch.start(actions.unwalkable)
        gates.start()
        audits.start()
        try:
            while not self.stop.is_set():
                scans.run(self.runtime, stop_or_reload(self.stop, self.reload))
                if self.reload.is_set():
                    self.reload.clear()
                    self._reload(metrics, watch)
        finally:
            web.stop()
            gates.join(self.runtime.config.drain_timeout)
            audits.join(self.runtime.config.drain_timeout)
            watch.stop()
            http.close()
            alerter.close()
            db.close()
        log.info(_("stopped"))
        return 0

    def current(self) -> Runtime:
        """The runtime in force (every thread reads it; a reload swaps it whole)."""
        return self.runtime

    def _reload(self, metrics: Metrics, watch: FileWatch) -> None:
        try:
            fresh = reload_runtime(self.runtime, self.config_path, self.overrides, self.key)
        except ReloadError as exc:
            metrics.reload_ok.set(0)
            log.error(_("reload failed, keeping the running config and rules: %s"), exc)
            return
        log.info(_("reloaded config and rules (ruleset %s); rescanning what the new rules may see differently"),
                 fresh.ruleset)
        fresh.suppressor.on_suppressed = metrics.count_suppressed
        self.runtime = fresh
        watch.reconcile_now.set()
        # the metrics say so once the new runtime is in force (and the log line is written)
        metrics.reload_ok.set(1)
        metrics.reload_time.set(time.time())

    def _install_signals(self) -> None:
        def stop(signum: int, _frame: object) -> None:
            self._signals += 1
            if self._signals > 1:
                log.warning(_("second signal: exiting now"))
                os._exit(1)
            drain = self.runtime.config.drain_timeout
            log.info(_("signal %d: draining (up to %.0f s), then exiting"), signum, drain)
            self.stop.set()
            deadline = threading.Timer(drain, lambda: os._exit(0))
            deadline.daemon = True  # only a drain that overruns needs it
            deadline.start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, lambda _s, _f: self.reload.set())

    def _beat(self) -> None:
        self._alive_at = time.monotonic()

    def _alive(self) -> bool:
        limit = max(ALIVE_MIN_SECONDS, self.runtime.config.scan.limits.max_scan_time * 2)
        return time.monotonic() - self._alive_at < limit


def alert_sinks(cfg: ServeConfig) -> list[AlertSink]:
    """The sinks the config names, in a fixed order."""
    sinks: list[AlertSink] = []
    if cfg.alert_log is not None:
        sinks.append(JsonlAlertLog(cfg.alert_log))
    if cfg.alerts_to_stdout:
        sinks.append(StreamAlerts())
    if cfg.webhook_url:
        sinks.append(WebhookSink(cfg.webhook_url, cfg.state_dir / WEBHOOK_SPOOL))
    if cfg.syslog_address:
        sinks.append(SyslogSink(cfg.syslog_address))
    return sinks


def quarantine_store(cfg: ServeConfig, db: StateDB) -> QuarantineStore | None:
    """The quarantine, with moves a crash interrupted finished first; None when not configured."""
    if cfg.quarantine_dir is None:
        return None
    smb = find_credentials(cfg.smb_credentials) if any(w.share for w in cfg.watches) else None
    store = QuarantineStore(QuarantineOptions(cfg.quarantine_dir, cfg.quarantine_stub, cfg.share_quarantine), db, smb)
    recovered = store.recover()
    if recovered:
        log.warning(_("finished %d quarantine moves interrupted by a crash"), len(recovered))
    return store
