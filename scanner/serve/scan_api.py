"""The HTTP scan API (``[serve.api]``): ``POST /v1/scan`` answers whether a body may be
published — ``{"verdict": "block"|"allow", "findings": [...], "not_scanned": [...]}`` in the
contract's records — for applications and CMS plugins that decide before they post.

The body is read as the ICAP service reads a post (``web_scan``); the caller holds the decision,
so the API answers and counts (metrics, service ``api``) but sends no alert. A bearer token is
compared in constant time; without one configured the API stays on loopback (``ApiSpec``).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import ssl
import time
from collections.abc import Callable

from aiohttp import StreamReader, web

from scanner.actions.web_verdict import WebPolicy, decide_web
from scanner.config.web import API_OPENAPI_PATH, API_SCAN_PATH, ApiSpec
from scanner.detect.engine import Engine
from scanner.detect.names import mask_name
from scanner.i18n import _
from scanner.report.records import Record, findings_of, record_dict, unscanned_of
from scanner.serve.scan_api_schema import openapi_document
from scanner.serve.web_scan import BodyScan, FileScanner, scan_body, scans_inline
from scanner.triage.suppressor import Suppressor

log = logging.getLogger("mynumber_dlp.api")

READ_CHUNK = 64 * 1024
"""Bytes read from the body at a time (up to ``max_body`` and one chunk more)."""
QUERY_PARAMETERS = ("filename", "content_type")
MAX_PARAMETER_CHARS = 255
"""Longest ``filename`` or ``content_type`` taken (a file name's limit on every common file system)."""
BODY_NAME = "body"
"""The records' ``path`` of a body posted without a ``filename``."""


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


async def read_limited(content: StreamReader, limit: int) -> tuple[bytes, bool]:
    """The body up to ``limit`` bytes; True when more came (the rest is left unread)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await content.read(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            return b"".join(chunks), True
        chunks.append(chunk)
    return b"".join(chunks), False


class ScanApi:
    """The API's handlers; ``engine`` is read per request (a reload swaps it)."""

    def __init__(
        self, spec: ApiSpec, engine: Callable[[], Engine], scan_file: FileScanner,
        observe: Callable[[str, float], None], max_ratio: int, suppressor: Callable[[], Suppressor] | None = None,
    ) -> None:
        self.spec, self._engine, self._observe, self._suppressor = spec, engine, observe, suppressor
        self._how = BodyScan(scan_file, spec.max_body, max_ratio, spec.min_confidence)
        self._policy = WebPolicy(on_violation="block", on_oversize=spec.on_oversize,
                                 on_unsupported=spec.on_unsupported, min_confidence=spec.min_confidence)
        self._token = (spec.token or "").encode()
        self._document = openapi_document(bool(self._token), MAX_PARAMETER_CHARS)

    def app(self) -> web.Application:
        """The aiohttp application: the two routes; anything else is aiohttp's 404 or 405."""
        app = web.Application()
        app.router.add_post(API_SCAN_PATH, self.scan)
        app.router.add_get(API_OPENAPI_PATH, self.openapi)
        return app

    def ssl_context(self) -> ssl.SSLContext | None:
        """HTTPS when ``tls_cert`` and ``tls_key`` are set (``OSError``/``SSLError`` when they do not load)."""
        if self.spec.tls_cert is None or self.spec.tls_key is None:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.spec.tls_cert, self.spec.tls_key)
        return context

    async def openapi(self, request: web.Request) -> web.Response:
        """``GET /v1/openapi.json``."""
        return web.json_response(self._document)

    def _authorized(self, request: web.Request) -> bool:
        if not self._token:
            return True
        scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self._token)

    async def scan(self, request: web.Request) -> web.Response:
        """``POST /v1/scan``: the verdict and the records of the body."""
        started = time.monotonic()
        try:
            return await self._scan(request, started)
        except Exception as exc:  # noqa: BLE001 - one line, counted; the caller gets a 500, never a verdict
            log.error(_("scan API request failed: %s"), type(exc).__name__)
            self._observe("error", time.monotonic() - started)
            return _error(500, _("the scan failed; the body was not judged"))

    async def _scan(self, request: web.Request, started: float) -> web.Response:
        if not self._authorized(request):
            self._observe("error", time.monotonic() - started)
            return _error(401, _("a valid bearer token is required"),
                          {"WWW-Authenticate": 'Bearer realm="mynumber-dlp"'})
        too_long = [p for p in QUERY_PARAMETERS if len(request.query.get(p, "")) > MAX_PARAMETER_CHARS]
        if too_long:  # refused before the body is read
            self._observe("error", time.monotonic() - started)
            return _error(400, _("{parameter} is longer than {limit} characters").format(
                parameter=too_long[0], limit=MAX_PARAMETER_CHARS))
        try:
            async with asyncio.timeout(self.spec.request_timeout):
                body, over = await read_limited(request.content, self.spec.max_body)
        except TimeoutError:
            self._observe("error", time.monotonic() - started)
            return _error(408, _("the body did not arrive within {seconds} s").format(
                seconds=format(self.spec.request_timeout, "g")))
        filename = request.query.get("filename")
        content_type: str = request.query.get("content_type") or request.headers.get("Content-Type") or ""
        encoding: str = request.headers.get("Content-Encoding") or ""
        name = mask_name(filename) if filename else BODY_NAME
        engine = self._engine()

        def scan() -> list[Record]:
            return scan_body(engine, name, body, content_type, encoding, self._how, over, as_file=bool(filename))

        if scans_inline(len(body), content_type, encoding) and not filename:
            records = scan()
        else:
            records = await asyncio.get_running_loop().run_in_executor(None, scan)
        if self._suppressor is not None:
            records = self._suppressor().kept(records)
        findings, unscanned = findings_of(records), unscanned_of(records)
        verdict = "block" if decide_web(self._policy, findings, unscanned, False).action == "block" else "allow"
        self._observe(verdict, time.monotonic() - started)
        return web.json_response({"verdict": verdict, "findings": [record_dict(r) for r in findings],
                                  "not_scanned": [record_dict(r) for r in unscanned]})
