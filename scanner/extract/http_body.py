"""An HTTP request body as the browser sent it, split into what is scanned: form fields as
text, uploaded files as files, JSON and text as they are (RFC 9110 content codings,
``application/x-www-form-urlencoded``, ``multipart/form-data`` (RFC 7578)).

Pure: bytes and headers in, ``BodyPart``s out. Decoding is bounded: a coding that expands past
``max_bytes`` or ``max_ratio`` times its input is a ``BodyTooLarge``, never decoded whole.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl

DECODE_STEP = 64 * 1024
"""Bytes of output a decoder yields at a time (its growth is checked between steps)."""
MAX_CODINGS = 3
"""Content codings stacked on one body at most (``gzip, br`` is two)."""


class BodyError(Exception):
    """A body that cannot be read as its headers say (``reason`` names why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BodyTooLarge(BodyError):
    """A body that decodes to more than it may."""


@dataclass(frozen=True, slots=True)
class BodyPart:
    """One thing in a body to scan."""

    member: str | None
    """Where it was: ``form:comment``, ``upload:roster.xlsx``, ``query``; None for the body itself."""
    data: bytes
    kind: Literal["text", "file"]
    """``text`` is scanned as text (UTF-8 expected); ``file`` by its content, as a file is."""


def _zlib_decoder(coding: str, body: bytes):
    """gzip, or deflate: zlib-wrapped as the RFC says, raw as some clients send it (told by the first byte)."""
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if coding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS)
    raise BodyError(f"content coding {coding!r} not supported")


def _bounded(chunks_out, max_bytes: int) -> bytes:
    out = bytearray()
    for piece in chunks_out:
        out += piece
        if len(out) > max_bytes:
            raise BodyTooLarge(f"decodes to more than {max_bytes} bytes")
    return bytes(out)


def _zlib_steps(d, data: bytes):
    yield d.decompress(data, DECODE_STEP)
    while d.unconsumed_tail:
        yield d.decompress(d.unconsumed_tail, DECODE_STEP)
    if not d.eof:
        raise BodyError("compressed body truncated")


def _brotli_steps(data: bytes):
    try:
        import brotli
    except ImportError:
        raise BodyError("content coding 'br' needs the brotli package") from None
    d = brotli.Decompressor()
    try:
        yield d.process(data, output_buffer_limit=DECODE_STEP)
        while not d.can_accept_more_data():
            yield d.process(b"", output_buffer_limit=DECODE_STEP)
    except brotli.error:
        raise BodyError("bad br body") from None
    if not d.is_finished():
        raise BodyError("compressed body truncated")


def decode_content(body: bytes, content_encoding: str, max_bytes: int, max_ratio: int) -> bytes:
    """``body`` with its content codings undone, last applied first; bounded by ``max_bytes``
    and by ``max_ratio`` times the input (a bomb)."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip() and c.strip() != "identity"]
    if len(codings) > MAX_CODINGS:
        raise BodyError("too many content codings")
    for coding in reversed(codings):
        limit = min(max_bytes, max(len(body), 1) * max_ratio)
        try:
            if coding == "br":
                body = _bounded(_brotli_steps(body), limit)
            else:
                body = _bounded(_zlib_steps(_zlib_decoder(coding, body), body), limit)
        except zlib.error:
            raise BodyError(f"bad {coding} body") from None
    return body


def _media_type(content_type: str) -> tuple[str, dict[str, str]]:
    from multipart import parse_options_header

    kind, options = parse_options_header(content_type or "")
    return kind.lower(), options


def form_fields(text: bytes, member_prefix: str) -> list[BodyPart]:
    """urlencoded ``a=1&b=2`` as one text part per field (``form:a``), values percent-decoded to the
    bytes the page sent (UTF-8, Shift_JIS, EUC-JP: the text scan sniffs which)."""
    try:
        # latin-1 both ways keeps every byte as it was: a Shift_JIS form is not mangled by a UTF-8 guess
        pairs = parse_qsl(text.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    except ValueError:
        raise BodyError("bad urlencoded form") from None
    return [BodyPart(f"{member_prefix}:{_field_name(name)}", value.encode("latin-1"), "text")
            for name, value in pairs if value]


def _field_name(raw: str) -> str:
    """A field's name for records, read as UTF-8 where it is (names are almost always ASCII)."""
    return raw.encode("latin-1").decode("utf-8", "replace")


def _multipart(body: bytes, boundary: str, max_bytes: int) -> list[BodyPart]:
    from multipart import MultipartError, MultipartParser

    parts: list[BodyPart] = []
    try:
        parser = MultipartParser(io.BytesIO(body), boundary, len(body), strict=True, memory_limit=max_bytes,
                                 partsize_limit=max_bytes, spool_limit=max_bytes)
        for part in parser:
            data = part.raw
            if part.filename:
                parts.append(BodyPart(f"upload:{part.filename}", data, "file"))
            elif part.name:
                parts.append(BodyPart(f"form:{part.name}", data, "text"))
    except MultipartError as exc:
        raise BodyError(f"bad multipart body: {type(exc).__name__}") from None
    return parts


def body_parts(body: bytes, content_type: str, content_encoding: str, max_bytes: int, max_ratio: int) -> list[BodyPart]:
    """What to scan in one request body, by its ``Content-Type`` (after ``Content-Encoding``)."""
    data = decode_content(body, content_encoding, max_bytes, max_ratio) if content_encoding else body
    kind, options = _media_type(content_type)
    if kind == "application/x-www-form-urlencoded":
        return form_fields(data, "form")
    if kind == "multipart/form-data":
        boundary = options.get("boundary")
        if not boundary:
            raise BodyError("multipart body without a boundary")
        return _multipart(data, boundary, max_bytes)
    if kind.startswith("text/") or kind == "application/json" or kind.endswith("+json"):
        return [BodyPart(None, data, "text")] if data else []
    return [BodyPart(None, data, "file")] if data else []  # a document or unknown: read by its content


def query_parts(target: str) -> list[BodyPart]:
    """The request target's query string as text parts (``query:q``): a number in a URL leaks too."""
    _, question, query = target.partition("?")
    return form_fields(query.split("#", 1)[0].encode("latin-1", "replace"), "query") if question else []
