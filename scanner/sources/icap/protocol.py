"""ICAP messages as they come off the wire: the request line and headers, the ``Encapsulated``
offsets, the HTTP head they point at, and the chunked body with its preview (RFC 3507 4.4-4.5).

Strict by design: anything malformed is an ``IcapError`` carrying the ICAP status to answer
with (400, 413, 505 ...); the caller answers it and closes the connection, never passes the
request on. Reading is bounded by ``WireLimits``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

CRLF = b"\r\n"
ICAP_VERSION = "ICAP/1.0"
ENCAPSULATED_SECTIONS = ("req-hdr", "res-hdr", "req-body", "res-body", "null-body", "opt-body")
"""The names an ``Encapsulated`` header may give (RFC 3507 4.4.1)."""
BODY_SECTIONS = ("req-body", "res-body", "null-body", "opt-body")
"""Exactly one of these ends the list: the body, or none."""


@dataclass(frozen=True, slots=True)
class WireLimits:
    """How much of one ICAP request is read at most."""

    max_head: int = 64 * 1024
    """Bytes of the ICAP head (request line and headers) ..."""
    max_http_head: int = 64 * 1024
    """... and of the encapsulated HTTP head."""
    max_chunk_line: int = 1024
    """Bytes of one chunk-size line (size and extensions)."""


class IcapError(Exception):
    """A request that cannot be served: ``status`` is the ICAP status to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


@dataclass(slots=True)
class IcapRequest:
    """One ICAP request's head, with the encapsulated HTTP head read."""

    method: str
    """``OPTIONS``, ``REQMOD`` or ``RESPMOD``."""
    uri: str
    """As sent: ``icap://host:1344/reqmod``."""
    headers: dict[str, str]
    """ICAP headers, names lower-cased (a repeated header's values joined by ``, ``)."""
    sections: list[tuple[str, int]] = field(default_factory=list)
    """The ``Encapsulated`` header: (section, offset) in order."""
    http_heads: dict[str, bytes] = field(default_factory=dict)
    """The encapsulated HTTP heads by section (``req-hdr``, ``res-hdr``), each ending in a blank line."""

    @property
    def service(self) -> str:
        """The service path of the URI (``/reqmod``), without a query."""
        rest = self.uri.split("://", 1)[-1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return path.split("?", 1)[0]

    @property
    def body_section(self) -> str | None:
        """``req-body`` or ``res-body`` when a body follows, else None."""
        last = self.sections[-1][0] if self.sections else None
        return last if last in ("req-body", "res-body") else None

    @property
    def preview(self) -> int | None:
        """The ``Preview`` size in bytes the client sends first, or None without a preview."""
        value = self.headers.get("preview")
        if value is None:
            return None
        if not value.strip().isdigit():
            raise IcapError(400, "bad Preview header")
        return int(value)

    @property
    def allows_204(self) -> bool:
        """Whether the client takes ``204 No Content`` for "unchanged" (``Allow: 204``)."""
        return "204" in (v.strip() for v in self.headers.get("allow", "").split(","))


def parse_encapsulated(value: str) -> list[tuple[str, int]]:
    """``req-hdr=0, req-body=412`` as [(section, offset)]: known names, offsets rising from 0,
    exactly one body section, last."""
    sections: list[tuple[str, int]] = []
    for item in value.split(","):
        name, eq, offset = item.strip().partition("=")
        if not eq or name not in ENCAPSULATED_SECTIONS or not offset.isdigit():
            raise IcapError(400, "bad Encapsulated header")
        sections.append((name, int(offset)))
    offsets = [o for _, o in sections]
    if offsets[0] != 0 or any(b <= a for a, b in zip(offsets, offsets[1:], strict=False)):
        raise IcapError(400, "bad Encapsulated offsets")
    bodies = [name for name, _ in sections if name in BODY_SECTIONS]
    if bodies != [sections[-1][0]]:
        raise IcapError(400, "Encapsulated must end with exactly one body section")
    return sections


async def _read_line(reader: asyncio.StreamReader, room: int) -> bytes:
    """One head line with its line end; IcapError when longer than ``room``, IncompleteReadError at an early end."""
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError:
        raise IcapError(413, "ICAP head too large") from None
    if len(line) > room:
        raise IcapError(413, "ICAP head too large")
    return line


async def request_line(reader: asyncio.StreamReader, limits: WireLimits) -> bytes:
    """The first line of the next request, waited for as long as the caller lets an idle
    connection wait; EOFError when the client closed the connection cleanly before it."""
    try:
        return await _read_line(reader, limits.max_head)
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            raise EOFError from None
        raise IcapError(400, "ICAP head truncated") from None


async def _read_head(reader: asyncio.StreamReader, first: bytes, limit: int) -> bytes:
    """The head that ``first`` starts, up to and including its blank line; IcapError when over ``limit``."""
    head = bytearray(first)
    try:
        while not head.endswith(CRLF + CRLF):
            if not head.endswith(CRLF):
                raise IcapError(400, "bad header line")  # a bare LF
            head += await _read_line(reader, limit - len(head))
    except asyncio.IncompleteReadError:
        raise IcapError(400, "ICAP head truncated") from None
    return bytes(head)


def parse_headers(lines: list[bytes]) -> dict[str, str]:
    """Header lines (ICAP's, or the encapsulated HTTP head's) as {lower-cased name: value}."""
    headers: dict[str, str] = {}
    for raw in lines:
        name, colon, value = raw.decode("latin-1").partition(":")
        if not colon or not name or name != name.strip():
            raise IcapError(400, "bad header line")
        key = name.lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return headers


async def read_request(reader: asyncio.StreamReader, limits: WireLimits, first: bytes | None = None) -> IcapRequest:
    """The next request's head and encapsulated HTTP heads (the body is left to ``read_chunks``);
    ``first``: its request line, when the caller read it (``request_line``). Raises EOFError when
    the client closed the connection cleanly before a request."""
    head = await _read_head(reader, await request_line(reader, limits) if first is None else first, limits.max_head)
    lines = head[:-4].split(CRLF)
    parts = lines[0].decode("latin-1").split(" ")
    if len(parts) != 3:
        raise IcapError(400, "bad request line")
    method, uri, version = parts
    if version != ICAP_VERSION:
        raise IcapError(505, "ICAP version not supported")
    if not uri.startswith("icap://"):
        raise IcapError(400, "bad ICAP URI")
    request = IcapRequest(method, uri, parse_headers(lines[1:]))
    encapsulated = request.headers.get("encapsulated")
    if encapsulated is None:
        if method != "OPTIONS":
            raise IcapError(400, "no Encapsulated header")
        return request
    request.sections = parse_encapsulated(encapsulated)
    for (name, start), (_, end) in zip(request.sections, request.sections[1:], strict=False):
        if name.endswith("-hdr"):
            if end - start > limits.max_http_head:
                raise IcapError(400, "encapsulated HTTP head too large")
            try:
                block = await reader.readexactly(end - start)
            except asyncio.IncompleteReadError:
                raise IcapError(400, "encapsulated HTTP head truncated") from None
            if not block.endswith(CRLF + CRLF):
                raise IcapError(400, "Encapsulated offsets do not match the HTTP head")
            request.http_heads[name] = block
    return request


async def read_chunks(reader: asyncio.StreamReader, limits: WireLimits, max_bytes: int) -> tuple[bytes, bool, bool]:
    """One chunked body (up to its zero chunk): (data, ieof, over). ``ieof``: the client said the
    body ends here (``0; ieof``, after a preview); ``over``: more than ``max_bytes`` came (the rest
    is read and dropped so the connection stays in step)."""
    data = bytearray()
    over = False
    while True:
        try:
            line = await reader.readuntil(CRLF)
        except (asyncio.LimitOverrunError, asyncio.IncompleteReadError):
            raise IcapError(400, "bad or truncated chunk") from None
        if len(line) > limits.max_chunk_line:
            raise IcapError(400, "chunk line too long")
        size_text, _, extension = line[:-2].decode("latin-1").partition(";")
        try:
            size = int(size_text.strip(), 16)
        except ValueError:
            raise IcapError(400, "bad chunk size") from None
        if size < 0:
            raise IcapError(400, "bad chunk size")
        if size == 0:
            try:
                if await reader.readexactly(2) != CRLF:
                    raise IcapError(400, "bad chunked body end")
            except asyncio.IncompleteReadError:
                raise IcapError(400, "truncated chunked body") from None
            return bytes(data), extension.strip() == "ieof", over
        try:
            chunk = await reader.readexactly(size + 2)
        except asyncio.IncompleteReadError:
            raise IcapError(400, "truncated chunk") from None
        if chunk[-2:] != CRLF:
            raise IcapError(400, "chunk longer than its size")
        if len(data) + size > max_bytes:
            over = True
        else:
            data += chunk[:-2]
