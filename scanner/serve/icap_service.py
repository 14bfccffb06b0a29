"""The ICAP service (RFC 3507) a web proxy hands each request to: asyncio, one coroutine per
connection, requests in turn on a persistent connection.

Per request: read the head (``protocol.read_request``), the body's preview and, after ``100
Continue``, the rest; scan the request (``web_scan``); decide (``web_verdict``); answer 204 (or the
request echoed when the proxy does not take 204), the 403 block page, or the request masked.
Anything malformed or too slow is an ICAP error and the connection is closed: with ``bypass=off``
the proxy then fails the post closed. Nothing here passes a request it did not read whole.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from scanner.actions.block_page import BLOCK_STATUS, block_page, incident_id
from scanner.actions.masking import mask_body
from scanner.actions.web_verdict import WebVerdict, decide_web
from scanner.config.web import ICAP_SERVICE_PATH, IcapSpec
from scanner.detect.engine import Engine
from scanner.i18n import _
from scanner.report.records import Record, findings_of, unscanned_of
from scanner.serve.web_scan import BodyScan, FileScanner, WebRequest, scan_body, scan_request, scans_inline
from scanner.sources.icap import responses
from scanner.sources.icap.protocol import (
    CRLF,
    IcapError,
    IcapRequest,
    WireLimits,
    parse_headers,
    read_chunks,
    read_request,
    request_line,
)
from scanner.triage.suppressor import Suppressor

log = logging.getLogger("mynumber_dlp.icap")

RESPMOD_SERVICE_PATH = "/respmod"
IDENTITY_HEADERS = ("x-client-ip", "x-authenticated-user", "x-authenticated-groups")
"""ICAP headers the proxy sends about the client (Squid: ``icap_send_client_ip``, ``icap_client_username_header``)."""
MASKABLE_TYPES = ("text/", "application/json")
IDLE_CONNECTION_SECONDS = 120.0
"""A persistent connection with no request for this long is closed, silently (Squid's own
``pconn_timeout`` is 60 s: it closes first, and opens a new one when it needs it)."""
LINGER_SECONDS = 2.0
"""After an error, how long the rest of the proxy's request is read and dropped before the close."""
LINGER_BYTES = 4 * 1024 * 1024
"""After an error, how much of the rest is dropped at most."""
READ_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class WebAlertInfo:
    """Who sent a request and where to: what its alert says beside the findings (never the query)."""

    service: str
    method: str
    host: str
    path: str
    incident: str
    client: dict[str, str]


AlertCall = Callable[[WebVerdict, WebAlertInfo], None]
"""Delivers the alert of one request (blocking; raises when a sink did not take it)."""


def _http_request(head: bytes) -> tuple[str, str, dict[str, str]]:
    """(method, target, headers lower-cased) of an encapsulated HTTP request head."""
    lines = head[:-4].split(CRLF)
    parts = lines[0].decode("latin-1").split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise IcapError(400, "bad encapsulated HTTP request line")
    return parts[0], parts[1], parse_headers(lines[1:])


def _http_response_headers(head: bytes) -> dict[str, str]:
    """The headers (lower-cased) of an encapsulated HTTP response head."""
    lines = head[:-4].split(CRLF)
    if not lines[0].startswith(b"HTTP/"):
        raise IcapError(400, "bad encapsulated HTTP status line")
    return parse_headers(lines[1:])


def _host(target: str, headers: dict[str, str]) -> str:
    """The target host: the Host header, else the authority of an absolute target."""
    if "host" in headers:
        return headers["host"]
    rest = target.split("://", 1)[1] if "://" in target else ""
    return rest.split("/", 1)[0]


def _path_only(target: str) -> str:
    """An absolute target (``http://h/p?q``) as origin-form (``/p?q``), as records name it."""
    if "://" in target:
        rest = target.split("://", 1)[1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return target


async def _linger(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Half-close after an error and drop what the proxy still sends, for a moment: closing
    with unread input resets the connection, and a reset can destroy the error in flight."""
    if writer.can_write_eof():
        writer.write_eof()
    try:
        async with asyncio.timeout(LINGER_SECONDS):
            dropped = 0
            while dropped < LINGER_BYTES and (data := await reader.read(READ_CHUNK)):
                dropped += len(data)
    except TimeoutError:
        pass


def with_content_length(head: bytes, length: int) -> bytes:
    """An HTTP head with its ``Content-Length`` set to ``length`` (a masked body may be shorter)."""
    lines = head[:-4].split(CRLF)
    kept = [line for line in lines[1:] if not line.lower().startswith(b"content-length:")]
    return CRLF.join([lines[0], *kept, b"Content-Length: %d" % length]) + CRLF + CRLF


class IcapService:
    """One ICAP listener's request handling; ``engine`` is read per request (a reload swaps it)."""

    def __init__(
        self, spec: IcapSpec, engine: Callable[[], Engine], scan_file: FileScanner, alert: AlertCall,
        observe: Callable[[str, float], None], max_ratio: int, wire: WireLimits | None = None,
        suppressor: Callable[[], Suppressor] | None = None,
    ) -> None:
        self.spec, self._engine, self._alert = spec, engine, alert
        self._how = BodyScan(scan_file, spec.max_body, max_ratio, spec.min_confidence)
        self._observe = observe
        """Told each request's verdict (``allow``, ``alert``, ``mask``, ``block``, ``error``) and seconds taken."""
        self._wire = wire or WireLimits()
        self._suppressor = suppressor
        """Read per request, as the engine is: findings reviewed before make no verdict."""

    def istag(self) -> str:
        """Changes with the ruleset and the policy: a proxy that caches answers sees new rules."""
        engine = self._engine()
        policy = (self.spec.on_violation, self.spec.on_oversize, self.spec.on_unsupported, self.spec.min_confidence)
        seed = "|".join(map(str, (engine.ruleset.version, *policy)))
        return "mnd-" + hashlib.sha256(seed.encode()).hexdigest()[:24]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one connection until the client closes it or an error closes it."""
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the proxy went away mid-request: nothing was passed
        finally:
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """One request answered; False when the connection is to be closed."""
        try:
            async with asyncio.timeout(IDLE_CONNECTION_SECONDS):
                first = await request_line(reader, self._wire)
        except (EOFError, TimeoutError):
            return False  # closed, or idle too long: closed without a word, as between requests
        except IcapError as exc:
            return await self._refuse(reader, writer, exc, time.monotonic())
        started = time.monotonic()  # from the request's first line: the time it adds, not the idle time before
        try:
            async with asyncio.timeout(self.spec.request_timeout):
                request = await read_request(reader, self._wire, first)
                answer = await self._answer(request, reader, writer, started)
        except EOFError:
            return False
        except TimeoutError:
            return await self._refuse(reader, writer, IcapError(408, "request not received in time"), started)
        except IcapError as exc:
            return await self._refuse(reader, writer, exc, started)
        except ConnectionError:
            raise  # the proxy went away: handle() closes the connection
        except Exception as exc:  # noqa: BLE001 - a bug costs this request (an ICAP 500: fails closed), not the service
            log.error(_("ICAP request failed: %s"), type(exc).__name__)
            return await self._refuse(reader, writer, IcapError(500, "internal error"), started)
        writer.write(answer)
        await writer.drain()
        return True

    async def _refuse(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, error: IcapError, started: float
    ) -> bool:
        """Answer an ICAP error, counted as verdict ``error``; the connection is then closed."""
        if error.status not in (408, 500):
            log.warning(_("ICAP request refused: %s"), error)
        self._observe("error", time.monotonic() - started)
        writer.write(responses.error(error.status, self.istag()))
        await writer.drain()
        await _linger(reader, writer)
        return False

    async def _answer(
        self, request: IcapRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, started: float
    ) -> bytes:
        services = {ICAP_SERVICE_PATH: "REQMOD", **({RESPMOD_SERVICE_PATH: "RESPMOD"} if self.spec.respmod else {})}
        if request.service not in services and not (request.service == RESPMOD_SERVICE_PATH
                                                    and request.method in ("OPTIONS", "RESPMOD")):
            raise IcapError(404, "no such service")
        if request.method == "OPTIONS":
            method = services.get(request.service, "RESPMOD")
            return responses.options(self.istag(), method, self.spec.preview, self.spec.options_ttl,
                                     self.spec.max_connections)
        if request.method == "RESPMOD" and not self.spec.respmod:
            return await self._unchanged_response(request, reader, writer)
        if services.get(request.service) != request.method:
            raise IcapError(405, "method not allowed on this service")
        section = "req-hdr" if request.method == "REQMOD" else "res-hdr"
        head = request.http_heads.get(section)
        if head is None:
            raise IcapError(400, f"{request.method} without its {section}")
        body, over = await self._body(request, reader, writer)
        return await self._decide(request, head, body, over, started)

    async def _body(
        self, request: IcapRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[bytes, bool]:
        """The whole body: the preview, then (``100 Continue``) the rest; over: past ``max_body``."""
        if request.body_section is None:
            return b"", False
        limit = self.spec.max_body
        data, ieof, over = await read_chunks(reader, self._wire, limit)
        if request.preview is not None and not ieof:
            writer.write(responses.continue_())
            await writer.drain()
            rest, _ieof, more = await read_chunks(reader, self._wire, max(0, limit - len(data)))
            data, over = data + rest, over or more
        return data, over

    async def _unchanged_response(
        self, request: IcapRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bytes:
        """RESPMOD while responses are not scanned: passed as it is, 204 (right after the preview
        when there is one), or the response echoed to a proxy that does not take 204."""
        if request.body_section is not None and request.allows_204 and request.preview is not None:
            await read_chunks(reader, self._wire, 0)  # the preview, dropped: 204 ends the exchange
            return responses.no_content(self.istag())
        body, over = await self._body(request, reader, writer)
        if request.allows_204:
            return responses.no_content(self.istag())
        head = request.http_heads.get("res-hdr")
        if head is None or over:
            raise IcapError(400 if head is None else 413, "RESPMOD that cannot be echoed without Allow: 204")
        return responses.modified_response(self.istag(), head, body)

    async def _decide(self, request: IcapRequest, head: bytes, body: bytes, over: bool, started: float) -> bytes:
        """The answer for a request (REQMOD: ``head`` is the HTTP request's) or for a response on
        its way back (RESPMOD: ``head`` is the HTTP response's; its request names it)."""
        response = request.method == "RESPMOD"
        req_head = request.http_heads.get("req-hdr")
        method, target, req_headers = _http_request(req_head) if req_head else ("GET", "/", {})
        headers = _http_response_headers(head) if response else req_headers  # the body's own headers
        web = WebRequest(method, _host(target, req_headers), _path_only(target), headers.get("content-type", ""),
                         headers.get("content-encoding", ""), body, over)
        engine = self._engine()
        records = await self._scan(engine, web, body_only=response)
        if self._suppressor is not None:
            records = self._suppressor().kept(records)
        ctype = web.content_type.lower()
        maskable = not web.content_encoding and ctype.startswith(MASKABLE_TYPES)
        verdict = decide_web(self.spec, findings_of(records), unscanned_of(records), maskable)
        masked = self._masked(engine, body) if verdict.action == "mask" else None
        if verdict.action == "mask" and masked is None:
            verdict = WebVerdict("block", verdict.reason, verdict.findings, verdict.unscanned)
        incident = incident_id()
        if verdict.alert:
            info = WebAlertInfo("icap", method, web.host, web.path.split("?", 1)[0], incident,
                                {k: request.headers[k] for k in IDENTITY_HEADERS if k in request.headers})
            try:
                await asyncio.get_running_loop().run_in_executor(None, self._alert, verdict, info)
            except Exception as exc:  # noqa: BLE001 - an alert not delivered must not let the post pass
                log.error(_("alert not delivered (%s): blocking the request"), type(exc).__name__)
                verdict = WebVerdict("block", verdict.reason, verdict.findings, verdict.unscanned)
        self._observe(verdict.action, time.monotonic() - started)
        if verdict.action == "block":
            page = block_page(verdict.reason, incident, len(verdict.findings))
            return responses.http_response(self.istag(), BLOCK_STATUS, "Forbidden", "text/html; charset=utf-8",
                                           page, [("X-Incident-Id", incident)])
        modified = responses.modified_response if response else responses.modified_request
        if verdict.action == "mask" and masked is not None:
            return modified(self.istag(), with_content_length(head, len(masked)), masked)
        if request.allows_204:
            return responses.no_content(self.istag())
        return modified(self.istag(), head, body)

    async def _scan(self, engine: Engine, web: WebRequest, body_only: bool = False) -> list[Record]:
        """A request's records (its URL, query and body), or with ``body_only`` a response's body's."""
        def scan() -> list[Record]:
            if body_only:
                return scan_body(engine, web.name, web.body, web.content_type, web.content_encoding, self._how,
                                 web.over)
            return scan_request(engine, web, self._how)

        if scans_inline(len(web.body), web.content_type, web.content_encoding):
            return scan()
        return await asyncio.get_running_loop().run_in_executor(None, scan)

    def _masked(self, engine: Engine, body: bytes) -> bytes | None:
        masked = mask_body(engine, body, self.spec.min_confidence)
        return masked if masked is not None and masked != body else None
