"""PDF text layer, page by page (pypdf). Digits typed into form boxes come out one
per line; a run of such lines is joined into one spaced-out line so the
engine's "digits one by one" form sees it. Scanned images without a text layer
have nothing to read here (no OCR)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from scanner.extract.errors import charge, from_parser, unscanned
from scanner.extract.parts import Context, Item, TextPart, Unscanned, join_member, text_lines

_SINGLE_DIGIT = re.compile(r"^\s*[0-9\uFF10-\uFF19]\s*$")
BOX_RUN = 4
"""Consecutive one-digit lines joined into one line (fewer are left as they are)."""


def join_box_digits(lines: list[str]) -> list[str]:
    """``1`` ``2`` ``3`` … on lines of their own -> ``1 2 3 …`` on one line."""
    out: list[str] = []
    run: list[str] = []
    for line in lines + [""]:
        if _SINGLE_DIGIT.match(line):
            run.append(line.strip())
            continue
        if len(run) >= BOX_RUN:
            out.append(" ".join(run))
        else:
            out.extend(run)
        run = []
        out.append(line)
    return out[:-1]


def pdf_pages(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Each page's text as a part named ``page N``; a page that cannot be read costs itself."""
    try:
        import pypdf
    except ImportError:
        yield Unscanned(ctx.member, "unsupported", "PDF needs the 'formats' extra (pypdf)")
        return
    try:
        reader = pypdf.PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            yield Unscanned(ctx.member, "encrypted", "password-protected PDF")
            return
        count = len(reader.pages)
    except Exception as exc:  # noqa: BLE001 - TypeError, KeyError ... from pypdf on a broken file: corrupt
        yield unscanned(ctx.member, from_parser(exc))
        return
    for n in range(1, count + 1):
        member = join_member(ctx.member, f"page {n}")
        try:
            text = reader.pages[n - 1].extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - RecursionError in deep content: limit:max_recursion
            yield unscanned(member, from_parser(exc))
            continue
        yield charge(TextPart(member, text_lines(join_box_digits(text.splitlines()))), ctx.budget, len(text))
