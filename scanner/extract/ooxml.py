"""Office Open XML: docx, xlsx, pptx, read straight from the zip with streaming XML.

Direct parsing (zipfile + ``iterparse``) rather than python-docx/openpyxl: it
streams, needs no object model, and reads what the object models skip
(tracked deletions, comments, text boxes). Paragraphs become lines; table rows
become tab-separated lines, so a header row gives its column context; sheets
become tab-separated text whose cells are named back (``Sheet1!C5``).
"""

from __future__ import annotations

import re
import zipfile
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import BinaryIO
from xml.etree.ElementTree import iterparse

from scanner.extract.errors import unscanned
from scanner.extract.parts import Context, Item, TextPart, Unscanned, join_member, text_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"

DOCX_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
LOST_ZERO_DIGITS = 11
"""Integer cells this long get back the leading zero a spreadsheet drops from 12-digit numbers."""
MAX_INTEGER_DIGITS = 20
"""Numeric cells with at most this many integer digits are written as integers when integral."""


class _Paragraphs:
    """Lines from WordprocessingML or DrawingML: a line per paragraph, a tab-joined line per table row."""

    def __init__(self, ns: str) -> None:
        self.p, self.t, self.tr, self.tc = ns + "p", ns + "t", ns + "tr", ns + "tc"
        self.texts = {ns + "t", ns + "delText"}
        self.tab, self.breaks = ns + "tab", {ns + "br", ns + "cr"}

    def lines(self, stream: BinaryIO, budget_take) -> Iterator[str]:
        para: list[str] = []
        rows: list[list[str]] = []  # open table rows, innermost last
        cells: list[list[str]] = []  # open cells, innermost last
        for event, el in iterparse(stream, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == self.tr:
                    rows.append([])
                elif tag == self.tc:
                    cells.append([])
                elif tag == self.p:
                    para = []
                continue
            if tag in self.texts:
                para.append(el.text or "")
            elif tag == self.tab:
                para.append(" " if cells else "\t")
            elif tag in self.breaks:
                para.append(" " if cells else "\n")
            elif tag == self.p:
                text = "".join(para)
                budget_take(len(text))
                if cells:
                    cells[-1].append(text)
                else:
                    yield text
                el.clear()
            elif tag == self.tc and cells:
                cell = " ".join(t for t in cells.pop() if t)
                if rows:
                    rows[-1].append(cell)
            elif tag == self.tr and rows:
                row = rows.pop()
                line = "\t".join(row)
                if cells:  # a table inside a cell: keep its text in the cell
                    cells[-1].append(line.replace("\t", " "))
                else:
                    yield line
                el.clear()


def _open_zip(stream: BinaryIO, ctx: Context) -> zipfile.ZipFile | Unscanned:
    try:
        return zipfile.ZipFile(stream)
    except Exception as exc:  # noqa: BLE001
        return unscanned(ctx.member, exc)


def _part_lines(zf: zipfile.ZipFile, name: str, ns: str, ctx: Context, part: TextPart) -> Iterator[str]:
    """Lines of one XML part; a failure part way is recorded on ``part`` (what was read is scanned)."""
    info = zf.getinfo(name)
    if info.flag_bits & 0x1:
        part.problem = Unscanned(part.member, "encrypted", "encrypted part")
        return
    if info.file_size > ctx.limits.max_file_size or info.file_size > max(info.compress_size, 1) * ctx.limits.max_ratio > (1 << 20):
        part.problem = Unscanned(part.member, "limit:max_ratio" if info.file_size <= ctx.limits.max_file_size else "limit:max_file_size", name)
        return
    try:
        with zf.open(info) as xml:
            yield from _Paragraphs(ns).lines(xml, ctx.budget.take)
    except Exception as exc:  # noqa: BLE001
        part.problem = unscanned(part.member, exc)


def _xml_parts(stream: BinaryIO, ctx: Context, names, ns: str, label) -> Iterator[Item]:
    zf = _open_zip(stream, ctx)
    if isinstance(zf, Unscanned):
        yield zf
        return
    with zf:
        for name in names(zf):
            part = TextPart(join_member(ctx.member, label(name)), ())
            part.segments = text_lines(_part_lines(zf, name, ns, ctx, part))
            yield part


def _slide_number(name: str) -> int:
    m = re.search(r"(\d+)\.xml$", name)
    return int(m.group(1)) if m else 0


def docx_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Body, headers, footers, foot/endnotes and comments of a Word document."""
    yield from _xml_parts(
        stream, ctx, lambda zf: [n for n in zf.namelist() if DOCX_PARTS.match(n)], W, lambda n: n
    )


def pptx_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Slides (in order) and their speaker notes."""

    def names(zf: zipfile.ZipFile) -> list[str]:
        slides = [n for n in zf.namelist() if re.match(r"^ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml$", n)]
        return sorted(slides, key=lambda n: (_slide_number(n), "notes" in n))

    def label(name: str) -> str:
        return f"{'notes' if 'notes' in name else 'slide'}{_slide_number(name)}"

    yield from _xml_parts(stream, ctx, names, A, label)


# ---- xlsx -----------------------------------------------------------------------


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + (ord(ch.upper()) - 64)
    return n - 1


def numeric_text(value: str) -> str:
    """How a numeric cell reads: ``123456789018.0`` and ``1.23456789018E+11`` are integers.

    An 11-digit integer is a 12-digit number whose leading zero the spreadsheet
    dropped (My Numbers may start with 0): it is written back with the zero. The
    engine still decides from the column and the check digit whether it is one.
    """
    if not _NUMBER.match(value):
        return value
    try:
        d = Decimal(value)
    except InvalidOperation:
        return value
    if d == d.to_integral_value() and d.adjusted() < MAX_INTEGER_DIGITS:
        text = str(int(d))
        return "0" + text if len(text) == LOST_ZERO_DIGITS else text
    return value


def _shared_strings(zf: zipfile.ZipFile, ctx: Context) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    out: list[str] = []
    parts: list[str] = []
    with zf.open("xl/sharedStrings.xml") as xml:
        for _event, el in iterparse(xml):
            if el.tag == S + "t":
                parts.append(el.text or "")
            elif el.tag == S + "si":
                text = "".join(parts)
                ctx.budget.take(len(text))
                out.append(text)
                parts = []
                el.clear()
    return out


def _sheets(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) in workbook order."""
    targets = {}
    if "xl/_rels/workbook.xml.rels" in zf.namelist():
        with zf.open("xl/_rels/workbook.xml.rels") as rels:
            for _e, el in iterparse(rels):
                if el.tag == PR + "Relationship":
                    target = el.get("Target", "")
                    targets[el.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    out = []
    with zf.open("xl/workbook.xml") as wb:
        for _e, el in iterparse(wb):
            if el.tag == S + "sheet":
                path = targets.get(el.get(R + "id"))
                if path and path in zf.namelist():
                    out.append((el.get("name") or path, path))
    return out


class _SheetLocator:
    """Maps (line, column) of a sheet's text back to a cell reference."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.rows = array("I")
        self.starts: list[array] = []

    def add(self, row: int, starts: array) -> None:
        self.rows.append(row)
        self.starts.append(starts)

    def __call__(self, line: int, column: int) -> str | None:
        if not 0 < line <= len(self.rows):
            return None
        starts = self.starts[line - 1]
        col = bisect_right(starts, column - 1) - 1
        return f"{self.sheet}!{_column_letters(max(col, 0))}{self.rows[line - 1]}"


def _sheet_lines(zf: zipfile.ZipFile, path: str, strings: list[str], locator: _SheetLocator, ctx: Context, part: TextPart) -> Iterator[str]:
    cells: dict[int, str] = {}
    value: str | None = None
    inline: list[str] = []
    try:
        with zf.open(path) as xml:
            for _event, el in iterparse(xml):
                tag = el.tag
                if tag == S + "v":
                    value = el.text or ""
                elif tag == S + "t":
                    inline.append(el.text or "")
                elif tag == S + "c":
                    kind = el.get("t", "n")
                    if kind == "s" and value is not None and value.isdigit() and int(value) < len(strings):
                        text = strings[int(value)]
                    elif kind == "inlineStr":
                        text = "".join(inline)
                    elif kind == "n" and value is not None:
                        text = numeric_text(value)
                    else:
                        text = value or ""
                    if text:
                        cells[_column_index(el.get("r", "A1"))] = text.replace("\t", " ").replace("\n", " ")
                    value, inline = None, []
                    el.clear()
                elif tag == S + "row":
                    row = int(el.get("r", "0") or 0) or (locator.rows[-1] + 1 if locator.rows else 1)
                    width = max(cells) + 1 if cells else 0
                    texts = [cells.get(i, "") for i in range(width)]
                    starts = array("I")
                    pos = 0
                    for t in texts:
                        starts.append(pos)
                        pos += len(t) + 1
                    locator.add(row, starts)
                    line = "\t".join(texts)
                    ctx.budget.take(len(line))
                    cells = {}
                    el.clear()
                    yield line
    except Exception as exc:  # noqa: BLE001
        part.problem = unscanned(part.member, exc)


def xlsx_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Each sheet as tab-separated rows (shared, inline and numeric cells); findings name the cell."""
    zf = _open_zip(stream, ctx)
    if isinstance(zf, Unscanned):
        yield zf
        return
    with zf:
        try:
            strings = _shared_strings(zf, ctx)
            sheets = _sheets(zf)
        except Exception as exc:  # noqa: BLE001 - limits and broken parts alike become a record
            yield unscanned(ctx.member, exc)
            return
        for name, path in sheets:
            locator = _SheetLocator(name)
            part = TextPart(ctx.member, (), locator)
            part.segments = text_lines(_sheet_lines(zf, path, strings, locator, ctx, part))
            yield part
