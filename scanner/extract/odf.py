"""OpenDocument (odt, ods, odp): content.xml read straight from the zip. Paragraphs
become lines, table rows tab-separated lines (repeated cells expanded, within reason)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import iterparse

from scanner.extract.errors import unscanned
from scanner.extract.parts import Context, Item, TextPart, Unscanned, text_lines

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
MAX_REPEAT = 64
"""Repeated empty cells/rows (ods pads sheets with them) are expanded at most this many times."""


def _lines(stream: BinaryIO, ctx: Context) -> Iterator[str]:
    depth = 0  # nesting of text:p / text:h (frames and notes nest paragraphs)
    row: list[str] | None = None
    cell: list[str] | None = None
    for event, el in iterparse(stream, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag in (TEXT + "p", TEXT + "h"):
                depth += 1
            elif tag == TABLE + "table-row":
                row = []
            elif tag == TABLE + "table-cell" and row is not None:
                cell = []
            continue
        if tag in (TEXT + "p", TEXT + "h"):
            depth -= 1
            if depth == 0:
                text = "".join(el.itertext())
                ctx.budget.take(len(text))
                if cell is not None:
                    cell.append(text)
                else:
                    yield text
                el.clear()
        elif tag == TABLE + "table-cell" and row is not None and cell is not None:
            repeat = min(int(el.get(TABLE + "number-columns-repeated", "1")), MAX_REPEAT)
            row.extend([" ".join(cell)] * repeat)
            cell = None
        elif tag == TABLE + "table-row" and row is not None:
            while row and not row[-1]:
                row.pop()
            yield "\t".join(row)
            row = None
            el.clear()


def odf_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """The text of content.xml (document body, tables, slides)."""
    try:
        zf = zipfile.ZipFile(stream)
    except Exception as exc:  # noqa: BLE001
        yield unscanned(ctx.member, exc)
        return
    with zf:
        info = zf.getinfo("content.xml")
        if info.flag_bits & 0x1:
            yield Unscanned(ctx.member, "encrypted", "encrypted OpenDocument")
            return
        part = TextPart(ctx.member, ())

        def lines() -> Iterator[str]:
            try:
                with zf.open(info) as xml:
                    yield from _lines(xml, ctx)
            except Exception as exc:  # noqa: BLE001
                part.problem = unscanned(ctx.member, exc)

        part.segments = text_lines(lines())
        yield part
