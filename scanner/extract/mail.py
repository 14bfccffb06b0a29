"""Mail: .eml and mbox. Every text part in its declared charset (Shift_JIS read as
CP932, ISO-2022-JP with its extensions), base64 and quoted-printable decoded,
HTML parts as text, attachments extracted recursively by content."""

from __future__ import annotations

import email
import email.policy
import io
from collections.abc import Iterator
from email.message import Message
from typing import BinaryIO

from scanner.extract.errors import unscanned
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


def _codec(charset: str | None) -> str:
    if not charset:
        return "utf-8"
    name = charset.strip().lower()
    return CHARSET_ALIASES.get(name, name)


def _decode(payload: bytes, charset: str | None) -> str:
    try:
        return payload.decode(_codec(charset), errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _headers(msg: Message) -> list[str]:
    lines = []
    for name in HEADERS_SCANNED:
        for value in msg.get_all(name, []):
            lines.append(f"{name}: {' '.join(str(value).split())}")
    return lines


def _nested(data: BinaryIO, ctx: Context) -> Iterator[Item]:
    from scanner.extract.dispatch import extract

    with data:
        yield from extract(data, ctx)


def message_parts(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Headers, bodies and attachments of one message."""
    try:
        msg = email.message_from_binary_file(stream, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001
        yield unscanned(ctx.member, exc)
        return
    yield from _message(msg, ctx)


def _message(msg: Message, ctx: Context) -> Iterator[Item]:
    body: list[str] = _headers(msg)
    for n, part in enumerate(msg.walk()):
        if part.is_multipart():
            continue
        filename = part.get_filename()
        ctype = part.get_content_type()
        try:
            payload = part.get_payload(decode=True) or b""
            ctx.budget.take(len(payload))
        except LimitExceeded as exc:
            yield unscanned(ctx.member, exc)
            return
        except Exception as exc:  # noqa: BLE001
            yield unscanned(ctx.member, exc)
            continue
        if filename is None and ctype in ("text/plain", "text/html") and part.get_content_disposition() != "attachment":
            text = _decode(payload, part.get_content_charset())
            if ctype == "text/html":
                from scanner.extract.markup import html_text

                child = Context(ctx.reach, ctx.limits, ctx.budget, ctx.depth, ctx.member)
                yield from html_text(io.BytesIO(text.encode("utf-8")), child)
            else:
                body.extend(text.splitlines())
            continue
        if ctype == "message/rfc822" and isinstance(part.get_payload(), list):
            inner = part.get_payload()[0]
            yield from _message(inner, ctx.child(f"message-{n}"))
            continue
        name = filename or f"part-{n}"
        try:
            data = spool(io.BytesIO(payload), ctx.budget, name)
        except Exception as exc:  # noqa: BLE001
            yield unscanned(ctx.child(name).member, exc)
            continue
        yield from _nested(data, ctx.child(name))
    yield TextPart(ctx.member, text_lines(body))


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
    msg = email.message_from_bytes(b"".join(lines), policy=email.policy.compat32)
    yield from _message(msg, ctx.child(f"message-{n}"))
