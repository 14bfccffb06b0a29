"""The daemon's web listeners — the ICAP service and the scan API — on one asyncio event loop
in a thread of their own. Uploaded files are read by worker processes, as files on a share
are: a hostile upload costs its request (blocked as not scanned), never the service.

Listening addresses are bound at start: a port in use refuses the daemon's start, loudly. A
reload swaps the rules each request uses; a changed address needs a restart (logged).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import ssl
import threading
from collections.abc import Callable
from contextlib import AsyncExitStack, ExitStack

from aiohttp import web

from scanner.actions.alerting import Alerter, WebRequestAction, web_alert
from scanner.actions.web_verdict import WebVerdict
from scanner.config import ServeConfig, parse_address
from scanner.config.web import API_SCAN_PATH, ICAP_SERVICE_PATH
from scanner.detect.engine import Engine
from scanner.i18n import _
from scanner.isolated_payloads import IsolatedPayloads, PayloadScanner
from scanner.report.records import Record
from scanner.serve.icap_service import IcapService, WebAlertInfo
from scanner.serve.metrics import Metrics
from scanner.serve.runtime import Runtime
from scanner.serve.scan_api import ScanApi
from scanner.triage.suppressor import Suppressor

log = logging.getLogger("mynumber_dlp")

ALERT_ACTIONS: dict[str, WebRequestAction] = {"block": "blocked", "alert": "passed", "mask": "masked"}
IDENTITY_FIELDS = {"x-client-ip": "client_ip", "x-authenticated-user": "user", "x-authenticated-groups": "groups"}
"""The proxy's identity headers as an alert names them."""
START_TIMEOUT = 30.0
"""Seconds the listeners may take to bind at start."""


def web_service_names(cfg: ServeConfig) -> tuple[str, ...]:
    """The web services a config runs (the ``service`` label of their metrics)."""
    return tuple(name for name, spec in (("icap", cfg.icap), ("api", cfg.api)) if spec is not None)


class ListenError(OSError):
    """A configured web service cannot listen on its address (in use, not allowed)."""


class UploadWorkers:
    """``jobs`` isolated worker processes that read uploads; each call takes a free one."""

    def __init__(self, runtime: Runtime, key: str, jobs: int) -> None:
        cfg, engine = runtime.config.scan, runtime.engine
        scanner = PayloadScanner(engine.ruleset, key, engine.known, cfg.min_confidence, cfg.limits)
        self._stack = ExitStack()
        self._free: queue.Queue[IsolatedPayloads] = queue.Queue()
        for _worker in range(jobs):
            self._free.put(self._stack.enter_context(IsolatedPayloads(scanner, cfg.limits)))

    def __call__(self, name: str, data: bytes) -> list[Record]:
        worker = self._free.get()
        try:
            return worker(name, data)
        finally:
            self._free.put(worker)

    def close(self) -> None:
        self._stack.close()


class WebServices:
    """Start with ``start()`` (raises when an address cannot be bound), stop with ``stop()``."""

    def __init__(self, runtime: Callable[[], Runtime], key: str, alerter: Alerter, metrics: Metrics) -> None:
        self._runtime, self._key, self._alerter, self._metrics = runtime, key, alerter, metrics
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._uploads: UploadWorkers | None = None
        self.addresses: dict[str, tuple[str, int]] = {}
        """Where each service listens once started (``icap``, ``api``)."""

    def start(self) -> None:
        cfg = self._runtime().config
        if cfg.icap is None and cfg.api is None:
            return
        jobs = max(spec.file_jobs for spec in (cfg.icap, cfg.api) if spec is not None)
        self._uploads = UploadWorkers(self._runtime(), self._key, jobs)
        max_ratio = cfg.scan.limits.max_ratio
        icap = api = None
        if cfg.icap is not None:
            icap = IcapService(cfg.icap, self._engine, self._uploads, self._alert, self._observer("icap"), max_ratio,
                               suppressor=self._suppressor)
        if cfg.api is not None:
            api = ScanApi(cfg.api, self._engine, self._uploads, self._observer("api"), max_ratio, self._suppressor)
        ready = threading.Event()
        failure: list[str] = []

        async def listen() -> None:
            stack = AsyncExitStack()
            try:
                if icap is not None:
                    self.addresses["icap"] = await self._listen_icap(icap, stack)
                if api is not None:
                    self.addresses["api"] = await self._listen_api(api, stack)
            except (OSError, ListenError) as exc:
                failure.append(str(exc))
                await stack.aclose()
                return
            finally:
                ready.set()  # after the addresses are known: start() reads them
            async with stack:
                await asyncio.Event().wait()  # until stop() cancels it

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            try:
                self._loop.run_until_complete(listen())
            except asyncio.CancelledError:
                pass

        self._thread = threading.Thread(target=run, name="web-services", daemon=True)
        self._thread.start()
        if not ready.wait(START_TIMEOUT) or failure:
            why = failure[0] if failure else "web services did not start in time"
            self.stop()
            raise ListenError(why)
        if icap is not None:
            log.info(_("ICAP service on icap://%s:%d%s"), *self.addresses["icap"], ICAP_SERVICE_PATH)
        if api is not None:
            scheme = "https" if cfg.api and cfg.api.tls_cert else "http"
            log.info(_("scan API on %s://%s:%d%s"), scheme, *self.addresses["api"], API_SCAN_PATH)

    async def _listen_icap(self, icap: IcapService, stack: AsyncExitStack) -> tuple[str, int]:
        host, port = parse_address(icap.spec.address)
        try:
            server = await asyncio.start_server(icap.handle, host, port, limit=2 ** 17)
        except OSError as exc:
            why = f"{type(exc).__name__}: {exc}"
            raise ListenError(_("ICAP service cannot listen on {address}: {why}").format(
                address=icap.spec.address, why=why)) from exc
        await stack.enter_async_context(server)
        return server.sockets[0].getsockname()[:2]

    async def _listen_api(self, api: ScanApi, stack: AsyncExitStack) -> tuple[str, int]:
        address = api.spec.address
        try:
            context = api.ssl_context()
        except (OSError, ssl.SSLError) as exc:
            raise ListenError(_("scan API cannot load tls_cert/tls_key: {why}").format(
                why=f"{type(exc).__name__}: {exc}")) from exc
        # bodies are decoded by web_scan (bounded by max_ratio), not by aiohttp on the way in
        runner = web.AppRunner(api.app(), auto_decompress=False, access_log=None, handle_signals=False)
        await runner.setup()
        stack.push_async_callback(runner.cleanup)
        host, port = parse_address(address)
        try:
            await web.TCPSite(runner, host, port, ssl_context=context).start()
        except OSError as exc:
            raise ListenError(_("scan API cannot listen on {address}: {why}").format(
                address=address, why=f"{type(exc).__name__}: {exc}")) from exc
        return runner.addresses[0][:2]

    def stop(self) -> None:
        if self._thread is not None:
            def cancel() -> None:
                for task in asyncio.all_tasks(self._loop):
                    task.cancel()

            self._loop.call_soon_threadsafe(cancel)
            self._thread.join(timeout=10)
        if self._uploads is not None:
            self._uploads.close()

    def _engine(self) -> Engine:
        """The engine in force: read per request, so a reload applies to the next one."""
        return self._runtime().engine

    def _suppressor(self) -> Suppressor:
        """The suppressor in force, read per request as the engine is."""
        return self._runtime().suppressor

    def _observer(self, service: str) -> Callable[[str, float], None]:
        def observe(verdict: str, seconds: float) -> None:
            self._metrics.web_requests.labels(service, verdict).inc()
            self._metrics.web_latency.labels(service).observe(seconds)

        return observe

    def _alert(self, verdict: WebVerdict, info: WebAlertInfo) -> None:
        """One alert per decided request; raises when a sink did not take it (the caller blocks)."""
        request = {"method": info.method, "host": info.host, "path": info.path, "incident": info.incident,
                   **{IDENTITY_FIELDS[k]: v for k, v in info.client.items()}}
        self._alerter.send(web_alert(info.service, request, verdict.findings, verdict.unscanned,
                                     ALERT_ACTIONS[verdict.action]))
