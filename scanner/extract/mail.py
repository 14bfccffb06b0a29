"""Mail: .eml and mbox. Every text part in its declared charset (Shift_JIS read as
CP932, ISO-2022-JP with its extensions), base64 and quoted-printable decoded,
HTML parts as text, attachments extracted recursively by content."""

from __future__ import annotations

import codecs
import email
import email.policy
import io
from collections.abc import Iterator
from email.header import decode_header
from email.message import Message
from typing import BinaryIO

from scanner.detect.segments import Segment
from scanner.extract.encoding import SNIFF_BYTES, sniff
from scanner.extract.errors import ITEM_WIDE_LIMITS, budget_spent, from_parser, reports_item_limit, unscanned
from scanner.extract.limits import LimitExceeded
from scanner.extract.parts import Context, Item, TextPart, Unscanned, text_lines
from scanner.extract.spool import spool

CHARSET_ALIASES = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms932": "cp932",
    "windows-31j": "cp932", "cp932": "cp932", "iso-2022-jp": "iso2022_jp_ext", "csiso2022jp": "iso2022_jp_ext",
    "euc-jp": "euc_jp", "x-euc-jp": "euc_jp",
}
"""Declared charsets -> the codec that reads what Japanese mailers actually send."""
HEADERS_SCANNED = ("Subject", "From", "To", "Cc")
RAW_READ_BYTES = 1024 * 1024
"""Bytes decoded at a time when a message the parser cannot read is scanned as plain text."""


def _codec(charset: str | None) -> str:
    if not charset:
        return "utf-8"
    name = charset.strip().lower()
    return CHARSET_ALIASES.get(name, name)


def _decode(payload: bytes, charset: str | None) -> str:
    """The text of a part; a charset Python does not know (or cannot even look up) reads as UTF-8."""
    try:
        return payload.decode(_codec(charset), errors="replace")
    except (LookupError, ValueError):  # ValueError: a NUL in the charset name
        return payload.decode("utf-8", errors="replace")


def _headers(msg: Message) -> list[str]:
    lines = []
    for name in HEADERS_SCANNED:
        for value in msg.get_all(name, []):
            lines.append(f"{name}: {' '.join(header_text(value).split())}")
    return lines


def header_text(value: object) -> str:
    """A header as its reader sees it: MIME encoded words (``=?ISO-2022-JP?B?...?=``) decoded."""
    raw = str(value)
    try:
        pieces = decode_header(raw)
    except Exception:  # noqa: BLE001 - a malformed encoded word: read the header as it stands
        return raw
    return "".join(p if isinstance(p, str) else _decode(p, charset) for p, charset in pieces)


def _nested(data: BinaryIO, ctx: Context) -> Iterator[Item]:
    from scanner.extract.dispatch import extract

    with data:
        yield from extract(data, ctx)


def message_parts(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Headers, bodies and attachments of one message."""
    try:
        msg = email.message_from_binary_file(stream, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001 - RecursionError on deep nesting: limit:max_recursion
        yield from _unparsed(stream, ctx, exc)
        return
    yield from _message(msg, ctx)


def _unparsed(stream: BinaryIO, ctx: Context, exc: Exception) -> Iterator[Item]:
    """A message the parser gave up on (a NUL in an RFC 2231 charset, say): reported, and its
    bytes read as plain text, so that breaking the parser does not hide the text."""
    yield unscanned(ctx.member, from_parser(exc, ("email",)))
    stream.seek(0)
    encoding = sniff(stream.read(SNIFF_BYTES)).encoding or "utf-8"  # a NUL makes it look binary: read it anyway
    stream.seek(0)
    yield TextPart(ctx.member, _raw_segments(stream, encoding))


def _raw_segments(stream: BinaryIO, encoding: str) -> Iterator[Segment]:
    """The stream decoded chunk by chunk, undecodable bytes replaced."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    while chunk := stream.read(RAW_READ_BYTES):
        yield Segment(decoder.decode(chunk), None)
    yield Segment(decoder.decode(b"", final=True), None)


def _message(msg: Message, ctx: Context) -> Iterator[Item]:
    """The message's parts, then its headers and body text (whatever stopped the parts).

    When the whole item's scan size or time runs out, the body read so far is
    still yielded, carrying the limit as its problem (so it is reported once, last).
    """
    body: list[str] = []
    stop: list[Unscanned] = []
    yield from _parts(msg, ctx, body, stop)
    part = TextPart(ctx.member, text_lines(body))
    part.problem = stop[0] if stop else None
    yield part


def _parts(msg: Message, ctx: Context, body: list[str], stop: list[Unscanned]) -> Iterator[Item]:
    """Headers into ``body``, then each part. A part that cannot be read is reported on its own
    (``part-N``) and the others are read; an item-wide limit ends the parts (into ``stop``)."""
    try:
        body += _headers(msg)
        if ctx.depth > ctx.limits.max_recursion:
            yield Unscanned(ctx.member, "limit:max_recursion", f"nested more than {ctx.limits.max_recursion} deep")
            return
        for n, part in _walk(msg):
            last = None
            try:
                for last in _part(part, n, ctx, body):
                    yield last
            except LimitExceeded as exc:
                if exc.name in ITEM_WIDE_LIMITS:
                    stop.append(unscanned(ctx.member, exc))
                    return
                yield unscanned(ctx.child(f"part-{n}").member, exc)
            except Exception as exc:  # noqa: BLE001 - one broken part costs itself
                yield unscanned(ctx.child(f"part-{n}").member, from_parser(exc, ("email",)))
            spent = budget_spent(ctx.budget)
            if spent is not None:
                if not reports_item_limit(last):
                    stop.append(unscanned(ctx.member, spent))
                return
    except Exception as exc:  # noqa: BLE001 - the headers or the walk itself failed (RecursionError ...)
        yield unscanned(ctx.member, from_parser(exc, ("email",)))


def _inner_message(part: Message) -> Message | None:
    """The message attached as a ``message/rfc822`` part, if it is one."""
    if part.get_content_type() != "message/rfc822":
        return None
    payload = part.get_payload()
    return payload[0] if isinstance(payload, list) and payload and isinstance(payload[0], Message) else None


def _walk(msg: Message) -> Iterator[tuple[int, Message]]:
    """(number, part) depth first like ``Message.walk``, but without recursion (deep nesting
    cannot overflow the stack) and without entering attached messages (read as messages)."""
    stack = [msg]
    n = 0
    while stack:
        part = stack.pop()
        yield n, part
        n += 1
        if _inner_message(part) is None and part.is_multipart():
            payload = part.get_payload()
            stack.extend(reversed([p for p in payload if isinstance(p, Message)]))


def _part(part: Message, n: int, ctx: Context, body: list[str]) -> Iterator[Item]:
    """One leaf of the message: its text joins ``body``; attachments and inner messages are extracted."""
    inner = _inner_message(part)
    if inner is not None:
        yield from _message(inner, ctx.child(f"message-{n}"))
        return
    if part.is_multipart():
        return
    filename = part.get_filename()
    ctype = part.get_content_type()
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = b""
    ctx.budget.take(len(payload))
    if filename is None and ctype in ("text/plain", "text/html") and part.get_content_disposition() != "attachment":
        text = _decode(payload, part.get_content_charset())
        if ctype == "text/html":
            from scanner.extract.markup import html_text

            child = Context(ctx.prefilter, ctx.limits, ctx.budget, ctx.depth, ctx.member)
            yield from html_text(io.BytesIO(text.encode("utf-8", errors="replace")), child)
        else:
            body.extend(text.splitlines())
        return
    name = filename or f"part-{n}"
    data = spool(io.BytesIO(payload), ctx.budget)
    yield from _nested(data, ctx.child(name))


def mbox_messages(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Each message of an mbox file (split on ``From `` lines)."""
    count = 0
    lines: list[bytes] = []
    for raw in stream:
        if raw.startswith(b"From ") and lines:
            count += 1
            yield from _one(lines, count, ctx)
            lines = []
            if count >= ctx.limits.max_files:
                yield Unscanned(ctx.member, "limit:max_files", f"more than {ctx.limits.max_files} messages")
                return
        if not (raw.startswith(b"From ") and not lines):
            lines.append(raw[1:] if raw.startswith(b">From ") else raw)
    if lines:
        yield from _one(lines, count + 1, ctx)


def _one(lines: list[bytes], n: int, ctx: Context) -> Iterator[Item]:
    child = ctx.child(f"message-{n}")
    raw = b"".join(lines)
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001 - one message costs itself, not the mailbox
        yield from _unparsed(io.BytesIO(raw), child, exc)
        return
    yield from _message(msg, child)
