"""Prometheus metrics and the /metrics, /healthz, /readyz endpoints.

Names start with ``mynumber_dlp_``, use base units and ``_total`` for counters;
no label carries a path or a number (sources are labelled by their configured name).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from scanner import __version__
from scanner.report.records import NOT_SCANNED_REASONS
from scanner.triage.suppressor import SUPPRESSED_BY

SCAN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
CONFIDENCES = ("low", "medium", "high")
ACTION_RESULTS = (("alert", "ok"), ("alert", "error"), ("quarantine", "ok"), ("quarantine", "error"))
FILE_OUTCOMES = ("clean", "findings", "not_scanned", "quarantined", "changed")
"""``outcome`` of mynumber_dlp_items_scanned_total; ``changed``: changed while read, scanned again."""
MESSAGE_RESULTS = ("in", "forwarded", "masked", "diverted", "dead_lettered", "redelivered")
AUDIT_JOB_RESULTS = ("done", "failed", "refused")
"""``result`` of mynumber_dlp_audit_jobs_total: scanned; reported not_scanned after too many deliveries;
not an audit job (dead-lettered)."""
WEB_VERDICTS = ("allow", "alert", "mask", "block", "error")
"""``verdict`` of mynumber_dlp_web_requests_total; ``error``: a malformed or too slow request (refused)."""
WEB_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
"""The ICAP service adds milliseconds to a post: finer buckets than a file scan's."""


class Metrics:
    """The daemon's metrics, in a registry of their own."""

    def __init__(self) -> None:
        disable_created_metrics()  # the _created series only add noise to dashboards
        r = self.registry = CollectorRegistry()
        self.items = Counter(
            "mynumber_dlp_items_scanned", "Files scanned, by source and outcome", ["source", "outcome"], registry=r
        )
        self.bytes = Counter("mynumber_dlp_scanned_bytes", "Bytes of files scanned, by source", ["source"], registry=r)
        self.findings = Counter("mynumber_dlp_findings", "Findings reported, by confidence", ["confidence"], registry=r)
        self.actions = Counter(
            "mynumber_dlp_actions", "Actions taken, by action and result", ["action", "result"], registry=r
        )
        self.limits = Counter(
            "mynumber_dlp_limits_hit", "Items not scanned because a limit was hit, by limit", ["limit"], registry=r
        )
        self.not_scanned = Counter("mynumber_dlp_not_scanned", "Items not scanned, by reason", ["reason"], registry=r)
        self.queue = Gauge("mynumber_dlp_queue_depth", "Paths waiting to be scanned", registry=r)
        self.slow_lane = Gauge(
            "mynumber_dlp_slow_lane_depth", "Of those, images, PDFs and large files waiting for the slow lane",
            registry=r,
        )
        self.duration = Histogram(
            "mynumber_dlp_scan_duration_seconds", "Time to scan one file", buckets=SCAN_BUCKETS, registry=r
        )
        self.last_event = Gauge(
            "mynumber_dlp_last_event_timestamp_seconds", "When the last file-system event arrived", registry=r
        )
        self.last_reconcile = Gauge(
            "mynumber_dlp_last_reconcile_timestamp_seconds", "When the last reconcile scan finished", registry=r
        )
        self.reload_ok = Gauge(
            "mynumber_dlp_rules_reload_success", "1 if the last config/rules reload succeeded", registry=r
        )
        self.reload_time = Gauge(
            "mynumber_dlp_rules_reload_timestamp_seconds", "When config/rules were last (re)loaded", registry=r
        )
        self.messages = Counter(
            "mynumber_dlp_messages", "Messages through a queue gate, by source and result", ["source", "result"],
            registry=r,
        )
        self.message_latency = Histogram(
            "mynumber_dlp_message_added_latency_seconds",
            "Time the gate adds to a message (scan, alert, forward or divert)",
            ["source"], buckets=SCAN_BUCKETS, registry=r,
        )
        self.consumer_lag = Gauge(
            "mynumber_dlp_consumer_lag_messages",
            "Messages in a gate's input not yet delivered to its group, where the broker says",
            ["source"], registry=r,
        )
        self.dropped = Counter(
            "mynumber_dlp_events_dropped",
            "File events lost (queue full, kernel inotify overflow); a reconcile follows",
            registry=r,
        )
        self.web_requests = Counter(
            "mynumber_dlp_web_requests", "Web requests decided, by service (icap, api) and verdict",
            ["service", "verdict"], registry=r,
        )
        self.web_latency = Histogram(
            "mynumber_dlp_web_added_latency_seconds",
            "Time the service adds to a web request (read, scan, decide, alert)",
            ["service"], buckets=WEB_BUCKETS, registry=r,
        )
        self.audit_jobs = Counter(
            "mynumber_dlp_audit_jobs", "Distributed-audit jobs handled, by source and result (done, failed, refused)",
            ["source", "result"], registry=r,
        )
        self.audit_files = Counter(
            "mynumber_dlp_audit_files", "Files scanned for distributed-audit jobs, by source", ["source"], registry=r,
        )
        self.suppressed = Counter(
            "mynumber_dlp_findings_suppressed", "Findings not reported: in the baseline, allowlisted, or samples",
            ["by"], registry=r,
        )
        Info("mynumber_dlp_build", "Version of mynumber-dlp", registry=r).info({"version": __version__})
        self.reload_ok.set(1)

    def start_at_zero(
        self, sources: list[str], queues: list[str], limits: list[str], web: tuple[str, ...] = (),
        audits: tuple[str, ...] = (),
    ) -> None:
        """Create every series whose label values are known at start, at 0: an ``increase()``
        alert sees the first finding after a start only if the series existed before it."""
        for confidence in CONFIDENCES:
            self.findings.labels(confidence)
        for action, result in ACTION_RESULTS:
            self.actions.labels(action, result)
        for reason in (*NOT_SCANNED_REASONS, *(f"limit:{name}" for name in limits)):
            self.not_scanned.labels(reason)
        for name in limits:
            self.limits.labels(name)
        for source in sources:
            for outcome in FILE_OUTCOMES:
                self.items.labels(source, outcome)
            self.bytes.labels(source)
        for queue in queues:
            for result in MESSAGE_RESULTS:
                self.messages.labels(queue, result)
        for service in web:
            for verdict in WEB_VERDICTS:
                self.web_requests.labels(service, verdict)
        for by in SUPPRESSED_BY:
            self.suppressed.labels(by)
        for audit in audits:
            for result in AUDIT_JOB_RESULTS:
                self.audit_jobs.labels(audit, result)
            self.audit_files.labels(audit)

    def count_suppressed(self, by: str) -> None:
        """One finding hidden (a ``Suppressor``'s ``on_suppressed``)."""
        self.suppressed.labels(by).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class HealthServer:
    """HTTP on the metrics address: /metrics, /healthz (alive), /readyz (watching)."""

    def __init__(
        self, address: tuple[str, int], metrics: Metrics, alive: Callable[[], bool], ready: Callable[[], bool]
    ) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                if self.path.startswith("/metrics"):
                    self._send(200, metrics.exposition(), CONTENT_TYPE_LATEST)
                elif self.path.startswith("/healthz"):
                    ok = alive()
                    self._send(200 if ok else 503, b"ok\n" if ok else b"unhealthy\n", "text/plain")
                elif self.path.startswith("/readyz"):
                    ok = ready()
                    self._send(200 if ok else 503, b"ready\n" if ok else b"not ready\n", "text/plain")
                else:
                    self._send(404, b"not found\n", "text/plain")

            def _send(self, code: int, body: bytes, ctype: str) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # requests are not logged

        self._server = ThreadingHTTPServer(address, Handler)
        self._server.daemon_threads = True
        self.address = self._server.server_address
        self._thread = threading.Thread(target=self._server.serve_forever, name="metrics-http", daemon=True)
        outer._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
