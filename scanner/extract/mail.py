"""Mail: .eml and mbox. Every text part in its declared charset (Shift_JIS read as
CP932, ISO-2022-JP with its extensions), base64 and quoted-printable decoded,
HTML parts as text, attachments extracted recursively by content."""

from __future__ import annotations

import codecs
import email
import email.policy
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.header import Header, decode_header
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
_SCANNED_HEADER_LINE = re.compile(rb"(?i)(subject|from|to|cc):")
BODY_TITLE_CHARS = 2000
"""Characters of a message's text (the end of what comes before an attachment) that title the attachment."""
RAW_BODY_ENCODINGS = frozenset({"", "7bit", "8bit", "binary"})
"""Transfer encodings whose text stands in the message as it is, so its lines can be placed."""
RAW_READ_BYTES = 1024 * 1024
"""Bytes decoded at a time when a message the parser cannot read is scanned as plain text."""


def _codec(charset: str) -> str:
    name = charset.strip().lower()
    return CHARSET_ALIASES.get(name, name)


def _decode(payload: bytes, charset: str | None) -> str:
    """The text of a part. Without a charset (Japanese mailers and scripts often leave it out), or
    when the bytes are not in the declared one, the encoding is sniffed as for a text file; a
    charset Python does not know (or cannot even look up) is sniffed too."""
    if charset:
        try:
            return payload.decode(_codec(charset))
        except (LookupError, ValueError):  # ValueError: a NUL in the charset name, or bytes not in it
            pass
    return payload.decode(sniff(payload[:SNIFF_BYTES]).encoding or "utf-8", errors="replace")


@dataclass(slots=True)
class _Body:
    """A message's readable text as lines. For a message read from a file, each piece is put at
    its line in the file (blank lines fill the gaps), so a finding's line is the one an editor
    shows; pieces that cannot be placed (base64, an attached message) follow where they are."""

    raw: bytes | None
    """The message as it stands in the file; None when its lines cannot be placed."""
    first_line: int = 1
    """The file's line of the message's first line (an mbox holds many)."""
    lines: list[str] = field(default_factory=list)
    _searched: int = 0

    def add(self, lines: list[str], raw_piece: bytes | None = None, raw_line: int | None = None) -> None:
        """Append ``lines``, placed at ``raw_line`` (0-based, in the message) or where ``raw_piece`` stands."""
        if self.raw is not None and raw_line is None and raw_piece:
            at = self.raw.find(raw_piece, self._searched)
            if at >= 0:
                raw_line = self.raw.count(b"\n", 0, at)
                self._searched = at + len(raw_piece)
        if raw_line is not None:
            while len(self.lines) < raw_line + self.first_line - 1:
                self.lines.append("")
        self.lines.extend(lines)


def _headers(msg: Message, body: _Body) -> None:
    """The scanned headers into ``body``, in the file's order and at their lines when its bytes are known."""
    left = {name.lower(): list(msg.get_all(name, [])) for name in HEADERS_SCANNED}
    canonical = {name.lower(): name for name in HEADERS_SCANNED}
    if body.raw is not None:
        head = re.split(rb"\r?\n\r?\n", body.raw, maxsplit=1)[0]
        for i, line in enumerate(head.split(b"\n")):
            m = _SCANNED_HEADER_LINE.match(line)
            key = m.group(1).decode().lower() if m else ""
            if left.get(key):
                body.add([_header_line(canonical[key], left[key].pop(0))], raw_line=i)
    for name in HEADERS_SCANNED:
        for value in left[name.lower()]:
            body.add([_header_line(name, value)])


def _header_line(name: str, value: object) -> str:
    return f"{name}: {' '.join(header_text(value).split())}"


def header_text(value: object) -> str:
    """A header as its reader sees it: MIME encoded words (``=?ISO-2022-JP?B?...?=``) decoded, and raw
    8-bit bytes (a Subject written in Shift_JIS without encoded words) read in their sniffed encoding."""
    if isinstance(value, Header):  # how the parser hands over raw 8-bit bytes (charset "unknown-8bit")
        pieces = decode_header(value)
    else:
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
    raw = stream.read()
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001 - RecursionError on deep nesting: limit:max_recursion
        yield from _unparsed(stream, ctx, exc)
        return
    yield from _message(msg, ctx, _Body(raw))


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


def _message(msg: Message, ctx: Context, body: _Body) -> Iterator[Item]:
    """The message's parts, then its headers and body text (whatever stopped the parts).

    When the whole item's scan size or time runs out, the body read so far is
    still yielded, carrying the limit as its problem (so it is reported once, last).
    """
    stop: list[Unscanned] = []
    subject = msg.get("Subject")
    if subject is not None:
        ctx = ctx.saying(" ".join(header_text(subject).split()))  # says what the attachments are
    yield from _parts(msg, ctx, body, stop)
    part = TextPart(ctx.member, text_lines(body.lines))
    part.problem = stop[0] if stop else None
    yield part


def _parts(msg: Message, ctx: Context, body: _Body, stop: list[Unscanned]) -> Iterator[Item]:
    """Headers into ``body``, then each part. A part that cannot be read is reported on its own
    (``part-N``) and the others are read; an item-wide limit ends the parts (into ``stop``)."""
    try:
        _headers(msg, body)
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


def _part(part: Message, n: int, ctx: Context, body: _Body) -> Iterator[Item]:
    """One leaf of the message: its text joins ``body``; attachments and inner messages are extracted."""
    inner = _inner_message(part)
    if inner is not None:
        yield from _message(inner, ctx.child(f"message-{n}"), _Body(None))
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

            child = replace(ctx)
            for item in html_text(io.BytesIO(text.encode("utf-8", errors="replace")), child):
                if isinstance(item, TextPart):
                    item.source = None  # the page's lines are not the message's
                yield item
        else:
            body.add(text.splitlines(), payload if _stands_as_is(part) else None)
        return
    name = filename or f"part-{n}"
    data = spool(io.BytesIO(payload), ctx.budget)
    # what the message says before its attachment is what the attachment is about
    said = "\n".join(body.lines)[-BODY_TITLE_CHARS:]
    yield from _nested(data, ctx.child(name).saying(said))


def _stands_as_is(part: Message) -> bool:
    """Whether a part's decoded bytes are the bytes in the message (no base64, no quoted-printable)."""
    return str(part.get("Content-Transfer-Encoding", "")).strip().lower() in RAW_BODY_ENCODINGS


def mbox_messages(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Each message of an mbox file (split on ``From `` lines), its lines placed at the file's."""
    count = 0
    lines: list[bytes] = []
    first_line = 1
    for number, raw in enumerate(stream, start=1):
        if raw.startswith(b"From ") and lines:
            count += 1
            yield from _one(lines, count, first_line, ctx)
            lines = []
            if count >= ctx.limits.max_files:
                yield Unscanned(ctx.member, "limit:max_files", f"more than {ctx.limits.max_files} messages")
                return
        if raw.startswith(b"From ") and not lines:
            first_line = number + 1
        else:
            lines.append(raw[1:] if raw.startswith(b">From ") else raw)
    if lines:
        yield from _one(lines, count + 1, first_line, ctx)


def _one(lines: list[bytes], n: int, first_line: int, ctx: Context) -> Iterator[Item]:
    child = ctx.child(f"message-{n}")
    raw = b"".join(lines)
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001 - one message costs itself, not the mailbox
        yield from _unparsed(io.BytesIO(raw), child, exc)
        return
    yield from _message(msg, child, _Body(raw, first_line))
