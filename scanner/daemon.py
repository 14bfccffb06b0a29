"""``mynumber-dlp serve``: watch directories, scan what changes, alert, quarantine.

Threads: watchdog observers (callbacks only mark paths in the debouncer), the
reconcile walker, the metrics HTTP server, and the main loop, which takes ready
paths in batches and scans them in the worker pool. SIGTERM/SIGINT: stop taking
new paths, finish the batch in flight (up to ``drain_timeout``), exit 0; a second
signal exits at once. SIGHUP: reload config and rules; on error keep the old ones.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.actions.alerts import AlertSink, JsonlAlertLog, StreamAlerts, SyslogSink, WebhookSink
from scanner.actions.policy import Decision, Policy, decide
from scanner.actions.quarantine import QuarantineOptions, QuarantineStore
from scanner.audit import scan_file
from scanner.config import (
    ConfigError,
    QueueSpec,
    ServeConfig,
    WatchSpec,
    apply_overrides,
    load_serve_config,
    parse_address,
)
from scanner.detect.engine import Engine
from scanner.detect.finding import Confidence
from scanner.extract.limits import Limits
from scanner.gate import Gate, GateOptions
from scanner.isolated_payloads import IsolatedPayloads, PayloadScanner, WorkerEngine
from scanner.metrics import HealthServer, Metrics
from scanner.privacy.fingerprint import Fingerprinter
from scanner.privacy.known_numbers import load_list
from scanner.report.names import shown_name
from scanner.report.records import Record, not_scanned_record
from scanner.rules.loader import RuleError, load_ruleset
from scanner.sources.protected import ProtectedPaths, check_layout
from scanner.sources.walk import Unwalkable
from scanner.sources.watch import Debouncer, _Handler, files_under, start_observer
from scanner.state import FileIdentity, StateDB
from scanner.workers import WorkerLimits, WorkerPool

log = logging.getLogger("mynumber_dlp")

WEBHOOK_SPOOL = "webhook-spool"
"""Directory under state_dir where undelivered webhook alerts wait."""
BATCH_PATHS = 64
"""Ready paths scanned together (one round of the worker pool)."""
IDLE_WAIT = 0.2
"""Seconds the main loop sleeps when nothing is ready."""
MESSAGE_STATE_MAX_AGE = 30 * 24 * 3600.0
"""Seconds a gate remembers that a message was alerted or failed (pruned at each reconcile)."""
LAG_INTERVAL = 5.0
"""Seconds between consumer-lag readings of a queue gate."""


class JsonFormatter(logging.Formatter):
    """Structured log lines; messages never carry numbers (only paths, counts, reasons)."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                "message": record.getMessage(),
            },
            ensure_ascii=False,
        )


def setup_logging(as_json: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if as_json else logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def _max_confidence(findings: list[Record]) -> str | None:
    levels = [Confidence.parse(f["confidence"]) for f in findings]
    return max(levels).label if levels else None


@dataclass(slots=True)
class _Loaded:
    """What a (re)load produces: the config and the engine built from it."""

    config: ServeConfig
    engine: Engine


def protected_paths(cfg: ServeConfig) -> ProtectedPaths:
    """What a daemon with this config never scans."""
    return ProtectedPaths.of(cfg.state_dir, cfg.quarantine_dir, cfg.alert_log)


def build_engine(cfg: ServeConfig, key: str) -> Engine:
    ruleset = load_ruleset(list(cfg.scan.rules_dirs))
    known = load_list(cfg.scan.known_numbers) if cfg.scan.known_numbers else frozenset()
    return Engine(ruleset, Fingerprinter(key), known)


@dataclass
class Daemon:
    """One serving process."""

    config: ServeConfig
    key: str
    config_path: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._reload = threading.Event()
        self._reconcile_now = threading.Event()
        self._signals = 0
        self._ready = False
        self._alive_at = time.monotonic()
        self._current_ruleset = ""

    # -- lifecycle ---------------------------------------------------------------------

    def run(self) -> int:
        cfg = self.config
        engine = build_engine(cfg, self.key)
        self._current_ruleset = engine.ruleset.version
        self.db = StateDB(cfg.state_dir)
        self.quarantine = self._quarantine_store(cfg)
        self.metrics = Metrics()
        self.metrics.start_at_zero(
            [w.name for w in cfg.watches], [q.name for q in cfg.queues], list(Limits.model_fields)
        )
        self.metrics.reload_time.set(time.time())
        self.sinks: list[AlertSink] = self._sinks(cfg)
        self.http = HealthServer(parse_address(cfg.metrics_address), self.metrics, self._alive, lambda: self._ready)
        log.info("metrics and health on http://%s:%d", *self.http.address[:2])
        self.debouncer = Debouncer(cfg.debounce_quiet, cfg.debounce_max_wait, cfg.queue_size, self._overflow)
        self._install_signals()
        observers = self._start_watches(cfg)
        reconciler = threading.Thread(target=self._reconcile_loop, name="reconcile", daemon=True)
        reconciler.start()
        self._gate_engine = engine
        gates = [
            threading.Thread(target=self._gate_loop, args=(q,), name=f"gate-{q.name}", daemon=True) for q in cfg.queues
        ]
        for t in gates:
            t.start()
        loaded = _Loaded(cfg, engine)
        try:
            while not self._stop.is_set():
                loaded = self._serve(loaded)
                if self._reload.is_set():
                    self._reload.clear()
                    loaded = self._reloaded(loaded)
        finally:
            for t in gates:
                t.join(timeout=cfg.drain_timeout)
            for ob in observers:
                ob.stop()
            for ob in observers:
                ob.join(timeout=5)
            self.http.close()
            for sink in self.sinks:
                sink.close()
            self.db.close()
        log.info("stopped")
        return 0

    def _serve(self, loaded: _Loaded) -> _Loaded:
        cfg = loaded.config
        limits = cfg.scan.limits
        engine = loaded.engine
        scan = SpecScanner(engine.ruleset, self.key, engine.known, cfg.scan.min_confidence, limits)
        jobs = cfg.jobs or os.cpu_count() or 1
        # this process runs threads (watchers, HTTP, reconcile): workers come from a fork server
        with WorkerPool(jobs, scan, WorkerLimits(limits.max_memory, limits.max_scan_time), "forkserver") as pool:
            while not self._stop.is_set() and not self._reload.is_set():
                self._alive_at = time.monotonic()
                self.metrics.queue.set(len(self.debouncer))
                batch = self.debouncer.ready(limit=BATCH_PATHS)
                if not batch:
                    self.debouncer.wait(IDLE_WAIT)
                    continue
                self._scan_batch(pool, loaded, batch)
        return loaded

    def _gate_loop(self, spec: QueueSpec) -> None:
        """One queue gate: reconnects with backoff while the broker is away; stops with the daemon."""
        backoff = 1.0

        def observe(result: str, seconds: float) -> None:
            self.metrics.messages.labels(spec.name, result).inc()
            if result != "redelivered":
                self.metrics.messages.labels(spec.name, "in").inc()
                self.metrics.message_latency.labels(spec.name).observe(seconds)

        while not self._stop.is_set():
            source = None
            engine = self._gate_engine
            try:
                with self._payload_workers(engine) as scan:
                    source = open_queue(spec, self.key.encode("utf-8"))
                    options = GateOptions(
                        policy=self.config.policy, limits=self.config.scan.limits,
                        min_confidence=self.config.scan.min_confidence, max_deliveries=spec.max_deliveries,
                        mask=spec.on_violation == "mask",
                    )
                    gate = Gate(source, engine, options, self.sinks, self.db, observe, scan)
                    log.info("gating queue %s (%s %s -> %s, quarantine %s)", spec.name, spec.type, spec.input,
                             spec.output, spec.quarantine)
                    next_lag = 0.0
                    while not self._stop.is_set() and self._gate_engine is engine:  # a reload starts a new round
                        gate.step(timeout=1.0)
                        backoff = 1.0
                        if time.monotonic() >= next_lag:
                            next_lag = time.monotonic() + LAG_INTERVAL
                            self._report_lag(spec.name, source)
            except Exception as exc:  # noqa: BLE001 - a broker outage must not end the daemon
                log.error("queue %s: %s; retrying in %.0f s", spec.name, type(exc).__name__, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 60.0)
            finally:
                if source is not None:
                    try:
                        source.close()  # what is not acknowledged is redelivered
                    except Exception:  # noqa: BLE001
                        pass

    def _payload_workers(self, engine: Engine) -> IsolatedPayloads:
        """A worker process that scans one gate's payloads with ``engine``'s rules."""
        cfg = self.config.scan
        scanner = PayloadScanner(engine.ruleset, self.key, engine.known, cfg.min_confidence, cfg.limits)
        return IsolatedPayloads(scanner, cfg.limits)

    def _report_lag(self, name: str, source: Any) -> None:
        """Consumer lag into its gauge; a broker that cannot say leaves the gauge absent."""
        try:
            lag = source.lag()
        except Exception as exc:  # noqa: BLE001 - lag is advisory; the gate goes on
            log.debug("queue %s: lag unavailable: %s", name, type(exc).__name__)
            return
        if lag is not None:
            self.metrics.consumer_lag.labels(name).set(lag)

    def _reloaded(self, loaded: _Loaded) -> _Loaded:
        try:
            cfg = load_serve_config(self.config_path) if self.config_path else loaded.config
            cfg = apply_overrides(cfg, self.overrides)
            check_layout(cfg.state_dir, cfg.quarantine_dir, cfg.alert_log, [w.path for w in cfg.watches])
            engine = build_engine(cfg, self.key)
        except (ConfigError, RuleError, OSError, ValueError) as exc:
            self.metrics.reload_ok.set(0)
            log.error("reload failed, keeping the running config and rules: %s", exc)
            return loaded
        self.metrics.reload_ok.set(1)
        self.metrics.reload_time.set(time.time())
        log.info("reloaded config and rules (ruleset %s); rescanning what the new rules may see differently",
                 engine.ruleset.version)
        self._reconcile_now.set()
        self._current_ruleset = engine.ruleset.version
        self._gate_engine = engine
        self.config = cfg
        return _Loaded(cfg, engine)

    def _install_signals(self) -> None:
        def stop(signum: int, _frame: object) -> None:
            self._signals += 1
            if self._signals > 1:
                log.warning("second signal: exiting now")
                os._exit(1)
            log.info("signal %d: draining (up to %.0f s), then exiting", signum, self.config.drain_timeout)
            self._stop.set()
            deadline = threading.Timer(self.config.drain_timeout, lambda: os._exit(0))
            deadline.daemon = True  # only a drain that overruns needs it
            deadline.start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, lambda _s, _f: self._reload.set())

    def _alive(self) -> bool:
        return time.monotonic() - self._alive_at < max(60.0, self.config.scan.limits.max_scan_time * 2)

    def _overflow(self) -> None:
        self.metrics.dropped.inc()
        self._reconcile_now.set()

    # -- sources -------------------------------------------------------------------------

    def _accept(self, path: str) -> bool:
        """Never scan our own state and quarantine directories, the alert log, or quarantine stubs."""
        return protected_paths(self.config).accepts(path)

    def _start_watches(self, cfg: ServeConfig) -> list:
        observers = []
        for w in cfg.watches:
            w.path.mkdir(parents=True, exist_ok=True)
            handler = _Handler(self.debouncer, w.name, self._accept, self._new_dir)
            observers.append(start_observer(w.path, w.poll, handler))
            log.info("watching %s (%s)", w.path, f"polling every {w.poll:g} s" if w.poll else "inotify")
        return observers

    def _new_dir(self, path: str, source: str) -> None:
        # files created before the watch on a new directory existed would be missed: walk it
        threading.Thread(target=lambda: self._enqueue_tree(Path(path), source, ()), daemon=True).start()

    def _enqueue_tree(self, root: Path, source: str, exclude: tuple[str, ...]) -> None:
        for path in files_under(root, exclude):
            if isinstance(path, Unwalkable):
                if self._accept(path.path):
                    self._unwalkable(path, source)
            elif self._accept(path):
                self.debouncer.touch(path, source, closed=True)

    def _reconcile_loop(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            for w in self.config.watches:
                self._reconcile(w)
            self.metrics.last_reconcile.set(time.time())
            self.db.prune_messages(time.time() - MESSAGE_STATE_MAX_AGE)
            self._ready = True
            interval = self.config.reconcile_interval
            self._reconcile_now.wait(max(0.0, interval - (time.monotonic() - started)))
            self._reconcile_now.clear()

    def _reconcile(self, w: WatchSpec) -> None:
        """Queue files that changed while no event said so, forget files that are gone."""
        seen = set()
        for path in files_under(w.path, w.exclude):
            if self._stop.is_set():
                return
            if isinstance(path, Unwalkable):
                if self._accept(path.path):
                    seen.add(path.path)
                    self._unwalkable(path, w.name)
                continue
            if not self._accept(path):
                continue
            seen.add(path)
            try:
                ident = FileIdentity.of(os.stat(path))
            except OSError:
                continue
            if not self.db.unchanged(path, ident, self._current_ruleset):
                self.debouncer.touch(path, w.name, closed=True)
        for path in self.db.known_paths(str(w.path)):
            if path not in seen and not os.path.lexists(path):
                self.db.forget(path)

    # -- scanning ------------------------------------------------------------------------

    def _scan_batch(self, pool: WorkerPool, loaded: _Loaded, batch: list[tuple[str, str]]) -> None:
        ruleset = loaded.engine.ruleset.version
        todo: list[tuple[str, str, FileIdentity]] = []
        for path, source in batch:
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                self.db.forget(path)
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            ident = FileIdentity.of(st)
            if self.db.unchanged(path, ident, ruleset):
                continue
            todo.append((path, source, ident))
            self.metrics.last_event.set(time.time())
        if not todo:
            return
        started = time.monotonic()
        files = iter(todo)
        # consume the whole stream (not zip): the pool's last messages must be read
        for recs in _per_file(pool.scan([p for p, _s, _i in todo])):
            path, source, ident = next(files)
            self.metrics.duration.observe(time.monotonic() - started)
            started = time.monotonic()
            self._handle(loaded, path, source, ident, recs)

    def _handle(self, loaded: _Loaded, path: str, source: str, ident: FileIdentity, recs: list[Record]) -> None:
        cfg = loaded.config
        findings = [r for r in recs if r["type"] == "finding"]
        unscanned = [r for r in recs if r["type"] == "not_scanned"]
        done: Record = recs[-1] if recs and recs[-1]["type"] == "_file" else {"size": ident.size, "scanned": False}
        if done.get("changed"):
            # the file changed while it was read: scan it again once it is quiet, say nothing yet
            self.metrics.items.labels(source, "changed").inc()
            self.debouncer.touch(path, source, closed=False)
            return
        outcome = "findings" if findings else ("not_scanned" if not done.get("scanned") else "clean")
        self.metrics.items.labels(source, outcome).inc()
        self.metrics.bytes.labels(source).inc(done.get("size", 0))
        for f in findings:
            self.metrics.findings.labels(f["confidence"]).inc()
        self._count_unscanned(path, unscanned)
        policy = self._policy(cfg, source)
        decision = decide(policy, findings, self.quarantine is not None)
        if unscanned and policy.on_unscanned != "ignore":
            # an encrypted zip on an HR share is what a leak looks like: never only a log line
            decision = Decision(alert=True, quarantine=decision.quarantine or (
                policy.on_unscanned == "quarantine" and self.quarantine is not None and policy.quarantine))
        digest = done.get("sha256")
        if not decision.alert:
            self.db.record(path, ident, loaded.engine.ruleset.version, outcome, len(findings), digest)
            return
        alert = file_alert(source, path, findings, unscanned)
        if decision.quarantine and self.quarantine is not None and self.quarantine.released(path, digest):
            alert["action"] = "released"  # restored by an operator: alert, but leave it where it is
        elif decision.quarantine and self.quarantine is not None:
            try:
                alert["quarantine_id"] = self.quarantine.quarantine(path, alert["details"])
                alert["action"] = "quarantined"
                outcome = "quarantined"
                self.metrics.actions.labels("quarantine", "ok").inc()
            except Exception as exc:  # noqa: BLE001 - a failed move is alerted, never silent
                alert["action"] = "quarantine_failed"
                alert["error"] = type(exc).__name__
                self.metrics.actions.labels("quarantine", "error").inc()
                log.error("could not quarantine %s: %s", shown_name(path), type(exc).__name__)
        self._send(alert)
        if outcome == "quarantined":
            self.db.forget(path)
        else:
            self.db.record(path, ident, loaded.engine.ruleset.version, outcome, len(findings), digest)

    def _policy(self, cfg: ServeConfig, source: str) -> Policy:
        watch = next((w for w in cfg.watches if w.name == source), None)
        return watch.policy if watch is not None and watch.policy is not None else cfg.policy

    def _count_unscanned(self, path: str, unscanned: list[Record]) -> None:
        for r in unscanned:
            self.metrics.not_scanned.labels(r["reason"]).inc()
            if r["reason"].startswith("limit:"):
                self.metrics.limits.labels(r["reason"][6:]).inc()
            member = f" [{shown_name(r['member'])}]" if r["member"] else ""
            log.warning("not scanned: %s%s: %s", shown_name(path), member, r["reason"])

    def _send(self, alert: dict[str, Any]) -> None:
        """Every sink gets the alert; a failing sink is counted and logged, and the others still get it."""
        for sink in self.sinks:
            try:
                sink.send(alert)
                self.metrics.actions.labels("alert", "ok").inc()
            except Exception as exc:  # noqa: BLE001
                self.metrics.actions.labels("alert", "error").inc()
                log.error("alert sink %s failed: %s", type(sink).__name__, type(exc).__name__)

    def _unwalkable(self, item: Unwalkable, source: str) -> None:
        """A FIFO, a symlink loop or an unreadable directory met while walking a watch: alerted once
        (the state remembers it by identity), as a not_scanned item of its own."""
        try:
            ident = FileIdentity.of(os.lstat(item.path))
        except OSError:
            return
        ruleset = self._current_ruleset
        if self.db.unchanged(item.path, ident, ruleset):
            return
        rec = not_scanned_record(item.path, None, item.reason, item.detail)
        self.metrics.items.labels(source, "not_scanned").inc()
        self._count_unscanned(item.path, [rec])
        if self._policy(self.config, source).on_unscanned != "ignore":
            self._send(file_alert(source, item.path, [], [rec]))
        self.db.record(item.path, ident, ruleset, "not_scanned", 0)

    def _quarantine_store(self, cfg: ServeConfig) -> QuarantineStore | None:
        if cfg.quarantine_dir is None:
            return None
        store = QuarantineStore(QuarantineOptions(cfg.quarantine_dir, cfg.quarantine_stub), self.db)
        recovered = store.recover()
        if recovered:
            log.warning("finished %d quarantine moves interrupted by a crash", len(recovered))
        return store

    def _sinks(self, cfg: ServeConfig) -> list[AlertSink]:
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


class SpecScanner(WorkerEngine):
    """Picklable scan function for file workers."""

    def __call__(self, path: str) -> Iterator[Record]:
        return scan_file(self.engine(), path, self.min_confidence, self.limits, digest=True)


ADAPTERS: dict[str, tuple[str, str, bool]] = {
    "redis": ("scanner.sources.brokers.redis_streams", "RedisStreamsSource", False),
    "mqtt": ("scanner.sources.brokers.mqtt", "MqttSource", True),
    "nats": ("scanner.sources.brokers.nats_jetstream", "NatsJetStreamSource", False),
    "rabbitmq": ("scanner.sources.brokers.rabbitmq", "RabbitMqSource", True),
    "kafka": ("scanner.sources.brokers.kafka", "KafkaSource", False),
}
"""Queue type -> (module, adapter class, whether it names id-less messages with a keyed HMAC).
Imported on use: each broker's client is an optional extra."""


def open_queue(spec: QueueSpec, key: bytes):
    """The broker adapter of a queue spec; ``key`` (the fingerprint key) names messages that carry no id."""
    if spec.type not in ADAPTERS:
        raise ValueError(f"unknown queue type {spec.type}")
    module, cls, keyed = ADAPTERS[spec.type]
    adapter = getattr(importlib.import_module(module), cls)
    extra = {"id_key": key} if keyed else {}
    return adapter(spec.url, spec.input, spec.output, spec.quarantine, spec.dead_letter, spec.group, spec.consumer,
                   spec.name, **extra)


def file_alert(source: str, path: str, findings: list[Record], unscanned: list[Record]) -> dict[str, Any]:
    """The alert about one file: its findings (masked, fingerprinted) and what could not be read.
    ``action`` is ``alert`` until the caller says what else was done; ``not_scanned`` when
    nothing was found because nothing could be read."""
    details = [
        {
            k: f[k]
            for k in ("member", "line", "column", "rule", "confidence", "score", "masked", "fingerprint", "reasons")
        }
        for f in findings
    ]
    return {
        "type": "alert", "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "source": source, "path": path,
        "findings": len(findings), "max_confidence": _max_confidence(findings), "details": details,
        "not_scanned": [{k: r[k] for k in ("member", "reason", "detail")} for r in unscanned],
        "action": "alert" if findings else "not_scanned",
    }


def _per_file(records: Iterator[Record]) -> Iterator[list[Record]]:
    """Group a pool's record stream into one list per file (each ends with ``_file``)."""
    current: list[Record] = []
    for rec in records:
        current.append(rec)
        if rec["type"] == "_file":
            yield current
            current = []

