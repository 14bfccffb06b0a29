"""A thread per ``[[serve.audit]]`` queue: take distributed-audit jobs through the consumer
group, scan their files in this queue's own worker pool, publish the records to the audit's
results stream, then acknowledge the job (``reply``). On any broker error the source is
closed (the job in hand is redelivered, to this daemon or another) and reopened with
backoff. A job that is no audit job is dead-lettered; one delivered ``max_deliveries``
times is reported with its files not_scanned. A reload starts a new round with the new
rules; a stop ends the thread after the job in hand.

Audits only report: no alert, no quarantine (that is the file watches' work).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from scanner.config.audit_jobs import AuditJobsSpec
from scanner.detect.finding import Confidence
from scanner.i18n import _
from scanner.jobs.job import AuditJob, key_id
from scanner.jobs.names import results_stream
from scanner.jobs.queue import open_jobs_source
from scanner.jobs.worker import AuditScanner, failed_job, run_job
from scanner.serve.defaults import GATE_STEP_TIMEOUT, RECONNECT_BACKOFF_FIRST, RECONNECT_BACKOFF_MAX
from scanner.serve.metrics import Metrics
from scanner.serve.runtime import Runtime
from scanner.sources.brokers.base import BrokerSource, Message
from scanner.workers import WorkerLimits, WorkerPool

log = logging.getLogger("mynumber_dlp")


class AuditJobs:
    """The daemon's audit-job consumers, one thread each."""

    def __init__(self, runtime: Callable[[], Runtime], key: str, metrics: Metrics, stop: threading.Event) -> None:
        self._runtime, self.key, self.metrics, self._stop = runtime, key, metrics, stop
        self._key_id = key_id(key)
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for spec in self._runtime().config.audits:
            t = threading.Thread(target=self._run, args=(spec,), name=f"audit-{spec.name}", daemon=True)
            t.start()
            self._threads.append(t)

    def join(self, timeout: float) -> None:
        for t in self._threads:
            t.join(timeout=timeout)

    def _run(self, spec: AuditJobsSpec) -> None:
        """Reconnects with backoff while the broker is away; stops with the daemon."""
        backoff = RECONNECT_BACKOFF_FIRST
        while not self._stop.is_set():
            source: BrokerSource | None = None
            runtime = self._runtime()
            try:
                with self._pool(runtime, spec) as pool:
                    source = open_jobs_source(spec)
                    log.info(_("taking audit jobs from %s (%s, group %s)"), spec.name, spec.stream, spec.group)
                    while not self._stop.is_set() and self._runtime() is runtime:  # a reload starts a new round
                        for msg in source.receive(1, GATE_STEP_TIMEOUT):
                            self._handle(spec, source, pool, runtime, msg)
                        backoff = RECONNECT_BACKOFF_FIRST
            except Exception as exc:  # noqa: BLE001 - a broker outage must not end the daemon
                log.error(_("audit jobs %s: %s; retrying in %.0f s"), spec.name, type(exc).__name__, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, RECONNECT_BACKOFF_MAX)
            finally:
                if source is not None:
                    try:
                        source.close()  # the job in hand, unacknowledged, is redelivered
                    except Exception:  # noqa: BLE001
                        pass

    def _handle(self, spec: AuditJobsSpec, source: BrokerSource, pool: WorkerPool, runtime: Runtime,
                msg: Message) -> None:
        try:
            job = AuditJob.decode(msg.body)
            results = results_stream(job.audit)
        except ValueError as exc:
            log.error(_("audit jobs %s: message %s refused: %s"), spec.name, msg.id, exc)
            source.dead_letter(msg, str(exc))
            self.metrics.audit_jobs.labels(spec.name, "refused").inc()
            return
        ruleset = runtime.engine.ruleset.version
        if msg.deliveries > spec.max_deliveries:
            log.error(_("audit %s: job %s delivered %d times; its files are reported not scanned"), job.audit,
                      job.job, msg.deliveries)
            result = failed_job(job, msg.deliveries, spec.consumer, ruleset, self._key_id)
            outcome = "failed"
        else:
            result = run_job(job, pool, spec.consumer, ruleset, self._key_id)
            outcome = "done"
        source.reply(msg, results, result.encode_parts())
        self.metrics.audit_jobs.labels(spec.name, outcome).inc()
        self.metrics.audit_files.labels(spec.name).inc(sum(f.scanned for f in result.files))

    def _pool(self, runtime: Runtime, spec: AuditJobsSpec) -> WorkerPool:
        """``spec.workers`` processes scanning with the runtime's rules (from a fork server: this
        process runs threads)."""
        cfg, engine = runtime.config.scan, runtime.engine
        scanner = AuditScanner(engine.ruleset, self.key, engine.known, Confidence.LOW, cfg.limits)
        scanner.smb = runtime.smb
        return WorkerPool(spec.workers, scanner, WorkerLimits(cfg.limits.max_memory, cfg.limits.max_scan_time),
                          "forkserver")
