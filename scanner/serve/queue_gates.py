"""A thread per queue gate: open the broker, gate messages, report lag; on any error close
the source (what is not acknowledged is redelivered) and reconnect with backoff. A reload
starts a new round with the new rules; a stop ends the thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from scanner.actions.alerting import Alerter
from scanner.config import QueueSpec
from scanner.i18n import _
from scanner.isolated_payloads import IsolatedPayloads, PayloadScanner
from scanner.serve.defaults import GATE_STEP_TIMEOUT, LAG_INTERVAL, RECONNECT_BACKOFF_FIRST, RECONNECT_BACKOFF_MAX
from scanner.serve.message_gate import Gate, GateOptions
from scanner.serve.metrics import Metrics
from scanner.serve.runtime import Runtime
from scanner.sources.brokers.base import BrokerSource
from scanner.sources.brokers.registry import open_queue
from scanner.state import StateDB

log = logging.getLogger("mynumber_dlp")


class QueueGates:
    """The daemon's queue gates, one thread each."""

    def __init__(
        self, runtime: Callable[[], Runtime], key: str, alerter: Alerter, db: StateDB, metrics: Metrics,
        stop: threading.Event,
    ) -> None:
        self._runtime, self.key, self.alerter, self.db, self.metrics = runtime, key, alerter, db, metrics
        self._stop = stop
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for spec in self._runtime().config.queues:
            t = threading.Thread(target=self._run, args=(spec,), name=f"gate-{spec.name}", daemon=True)
            t.start()
            self._threads.append(t)

    def join(self, timeout: float) -> None:
        for t in self._threads:
            t.join(timeout=timeout)

    def _observer(self, spec: QueueSpec) -> Callable[[str, float], None]:
        def observe(result: str, seconds: float) -> None:
            self.metrics.messages.labels(spec.name, result).inc()
            if result != "redelivered":
                self.metrics.messages.labels(spec.name, "in").inc()
                self.metrics.message_latency.labels(spec.name).observe(seconds)

        return observe

    def _run(self, spec: QueueSpec) -> None:
        """Reconnects with backoff while the broker is away; stops with the daemon."""
        backoff = RECONNECT_BACKOFF_FIRST
        observe = self._observer(spec)
        while not self._stop.is_set():
            source: BrokerSource | None = None
            runtime = self._runtime()
            try:
                with self._payload_workers(runtime) as scan:
                    source = open_queue(spec, self.key.encode("utf-8"))
                    gate = Gate(source, runtime.engine, self._options(runtime, spec), self.alerter, self.db, observe,
                                scan)
                    log.info(_("gating queue %s (%s %s -> %s, quarantine %s)"), spec.name, spec.type, spec.input,
                             spec.output, spec.quarantine)
                    next_lag = 0.0
                    while not self._stop.is_set() and self._runtime() is runtime:  # a reload starts a new round
                        gate.step(timeout=GATE_STEP_TIMEOUT)
                        backoff = RECONNECT_BACKOFF_FIRST
                        if time.monotonic() >= next_lag:
                            next_lag = time.monotonic() + LAG_INTERVAL
                            self._report_lag(spec.name, source)
            except Exception as exc:  # noqa: BLE001 - a broker outage must not end the daemon
                log.error(_("queue %s: %s; retrying in %.0f s"), spec.name, type(exc).__name__, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, RECONNECT_BACKOFF_MAX)
            finally:
                if source is not None:
                    try:
                        source.close()  # what is not acknowledged is redelivered
                    except Exception:  # noqa: BLE001
                        pass

    @staticmethod
    def _options(runtime: Runtime, spec: QueueSpec) -> GateOptions:
        cfg = runtime.config
        return GateOptions(
            policy=cfg.policy, limits=cfg.scan.limits, min_confidence=cfg.scan.min_confidence,
            max_deliveries=spec.max_deliveries, mask=spec.on_violation == "mask", suppress=runtime.suppressor,
        )

    def _payload_workers(self, runtime: Runtime) -> IsolatedPayloads:
        """A worker process that scans one gate's payloads with the runtime's rules."""
        cfg, engine = runtime.config.scan, runtime.engine
        scanner = PayloadScanner(engine.ruleset, self.key, engine.known, cfg.min_confidence, cfg.limits)
        return IsolatedPayloads(scanner, cfg.limits)

    def _report_lag(self, name: str, source: BrokerSource) -> None:
        """Consumer lag into its gauge; a broker that cannot say leaves the gauge absent."""
        try:
            lag = source.lag()
        except Exception as exc:  # noqa: BLE001 - lag is advisory; the gate goes on
            log.debug("queue %s: lag unavailable: %s", name, type(exc).__name__)
            return
        if lag is not None:
            self.metrics.consumer_lag.labels(name).set(lag)
