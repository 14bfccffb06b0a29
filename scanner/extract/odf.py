"""OpenDocument (odt, ods, odp): content.xml read straight from the zip. Paragraphs
become lines, table rows tab-separated lines (repeated cells expanded, within reason)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, iterparse

from scanner.extract.archives import media_members
from scanner.extract.cells import cell_line
from scanner.extract.errors import from_parser, unscanned
from scanner.extract.parts import Context, Item, TextPart, Unscanned, text_lines
from scanner.extract.spool import Readable
from scanner.extract.zipparts import is_encrypted, open_member, xml_source

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
PARAGRAPHS = (TEXT + "p", TEXT + "h")
_COUNT = re.compile(r"^[0-9]{1,9}$")
MAX_REPEAT = 64
"""Repeated empty cells/rows (ods pads sheets with them) are expanded at most this many times."""


def _repeat(el) -> int:
    """How many times a cell is repeated (``number-columns-repeated``), within ``MAX_REPEAT``."""
    text = el.get(TABLE + "number-columns-repeated", "1")
    return min(int(text), MAX_REPEAT) if _COUNT.match(text) else 1


def _lines(stream: Readable, ctx: Context) -> Iterator[str]:
    """The lines of content.xml; on a limit or damage, the paragraph and row in progress come out first."""
    state = _State()
    try:
        for event, el in iterparse(xml_source(stream), events=("start", "end")):
            if event == "start":
                state.start(el)
                continue
            line = state.end(el)
            if line is not None:
                yield line
                ctx.budget.take(len(line))  # after the line is out: text over the limit is still scanned
    except Exception:
        pending = state.pending()
        if pending:
            yield pending
        raise


class _State:
    """Where the reader is in content.xml: open paragraph, row and cell."""

    def __init__(self) -> None:
        self.depth = 0  # nesting of text:p / text:h (frames and notes nest paragraphs)
        self.para: Element | None = None  # the outermost open paragraph (its text so far is in the tree)
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def start(self, el: Element) -> None:
        tag = el.tag
        if tag in PARAGRAPHS:
            self.depth += 1
            if self.depth == 1:
                self.para = el
        elif tag == TABLE + "table-row":
            self.row = []
        elif tag == TABLE + "table-cell" and self.row is not None:
            self.cell = []

    def end(self, el) -> str | None:
        """The line an end tag completes, if any."""
        tag = el.tag
        if tag in PARAGRAPHS:
            self.depth = max(self.depth - 1, 0)
            if self.depth:
                return None
            self.para = None
            text = "".join(el.itertext())
            el.clear()
            if self.cell is not None:
                self.cell.append(text)
                return None
            return text
        if tag == TABLE + "table-cell" and self.row is not None and self.cell is not None:
            self.row.extend([cell_line("\n".join(self.cell))] * _repeat(el))
            self.cell = None
        elif tag == TABLE + "table-row" and self.row is not None:
            row, self.row = self.row, None
            while row and not row[-1]:
                row.pop()
            el.clear()
            return "\t".join(row)
        return None

    def pending(self) -> str:
        """What was read of the row, cell and paragraph still open, as one line."""
        pieces = [*(self.row or []), " ".join(self.cell or [])]
        if self.para is not None:
            pieces.append("".join(self.para.itertext()))
        return "\t".join(p for p in pieces if p.strip())


def odf_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """The text of content.xml (document body, tables, slides)."""
    try:
        zf = zipfile.ZipFile(stream)
    except Exception as exc:  # noqa: BLE001
        yield unscanned(ctx.member, from_parser(exc, ("zipfile",)))
        return
    with zf:
        info = zf.NameToInfo.get("content.xml")
        if info is None:
            yield Unscanned(ctx.member, "corrupt", "OpenDocument without content.xml")
            return
        if is_encrypted(info) or _manifest_encrypted(zf, ctx):
            yield Unscanned(ctx.member, "encrypted", "encrypted OpenDocument")
            return
        part = TextPart(ctx.member, ())

        def lines() -> Iterator[str]:
            try:
                with open_member(zf, info, ctx.limits) as xml:
                    yield from _lines(xml, ctx)
            except Exception as exc:  # noqa: BLE001
                part.problem = unscanned(ctx.member, exc)

        part.segments = text_lines(lines())
        yield part
        yield from media_members(zf, ctx, ("Pictures/",))


def _manifest_encrypted(zf: zipfile.ZipFile, ctx: Context) -> bool:
    """Whether META-INF/manifest.xml marks content.xml encrypted (ODF's own password protection)."""
    info = zf.NameToInfo.get("META-INF/manifest.xml")
    if info is None:
        return False
    try:
        with open_member(zf, info, ctx.limits) as xml:
            for _event, el in iterparse(xml_source(xml)):
                if el.tag == MANIFEST + "file-entry" and el.get(MANIFEST + "full-path") == "content.xml":
                    return any(child.tag == MANIFEST + "encryption-data" for child in el)
    except Exception:  # noqa: BLE001 - a broken manifest does not decide; content.xml will tell
        return False
    return False
