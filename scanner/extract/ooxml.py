"""Office Open XML: docx, xlsx, pptx, read straight from the zip with streaming XML.

Direct parsing (zipfile + ``iterparse``) rather than python-docx/openpyxl: it
streams, needs no object model, and reads what the object models skip
(tracked deletions, comments, text boxes). Paragraphs become lines; table rows
become tab-separated lines, so a header row gives its column context; sheets
become tab-separated text whose cells are named back (``Sheet1!C5``).

A part is read through its limits: at its size or ratio cap, or at damage,
the text read before (down to the paragraph or row in progress) is still
scanned and the cut is reported on the part.

Sheets are sparse: memory and text grow with the cells present, not with
their references. A cell reference beyond Excel's grid (``XFD1048576``) or
malformed counts as absent (the cell follows the one before it in its row;
a row number out of range follows the row before), so its text is still
read; a run of more than ``MAX_EMPTY_COLUMNS`` empty columns is written as
that many.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import BinaryIO
from xml.etree.ElementTree import iterparse

from scanner.extract.archives import media_members
from scanner.extract.cells import cell_line
from scanner.extract.errors import Encrypted, from_parser, unscanned
from scanner.extract.parts import Context, Item, TextPart, Unscanned, join_member, text_lines
from scanner.extract.spool import Readable
from scanner.extract.zipparts import MemberReader, is_encrypted, open_member, xml_source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_V, _T, _C, _ROW = S + "v", S + "t", S + "c", S + "row"

DOCX_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
LOST_ZERO_DIGITS = 11
"""Integer cells this long get back the leading zero a spreadsheet drops from 12-digit numbers."""
MAX_INTEGER_DIGITS = 20
"""Numeric cells with at most this many integer digits are written as integers when integral."""
MAX_COLUMNS = 16_384
"""Excel's grid: columns A..XFD ..."""
MAX_ROWS = 1_048_576
"""... and rows 1..1048576. References beyond it are treated as absent."""
MAX_EMPTY_COLUMNS = 64
"""Empty columns written between two cells at most (a wider gap costs no more text)."""
ROW_NUMBER_CAP = 2**32 - 1
"""Rows counted past Excel's last (sheets without row numbers) are named with at most this."""
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_DIGITS = "0123456789"
ROW_DIGITS = 7
"""Digits of Excel's last row number (1048576)."""
COLUMN_CACHE = 4096
"""Column letters remembered (a sheet uses a few; a hostile one cannot grow the cache past this)."""
_COLUMNS: dict[str, int] = {}
_ROW_NUMBER = re.compile(r"^[0-9]{1,7}$")
_INDEX = re.compile(r"^[0-9]{1,9}$")


class _Paragraphs:
    """Lines from WordprocessingML or DrawingML: a line per paragraph, a tab-joined line per table row."""

    def __init__(self, ns: str) -> None:
        self.p, self.t, self.tr, self.tc = ns + "p", ns + "t", ns + "tr", ns + "tc"
        self.texts = {ns + "t", ns + "delText"}
        self.tab, self.breaks = ns + "tab", {ns + "br", ns + "cr"}

    def lines(self, stream: Readable, budget_take: Callable[[int], None]) -> Iterator[str]:
        """The lines of one part; on a limit or damage, the paragraph in progress comes out first."""
        paras: list[list[str]] = []  # open paragraphs, innermost last (text boxes nest them)
        rows: list[list[str]] = []  # open table rows, innermost last
        cells: list[list[str]] = []  # open cells, innermost last
        try:
            for event, el in iterparse(xml_source(stream), events=("start", "end")):
                if event == "start":
                    self._start(el.tag, paras, rows, cells)
                    continue
                line = self._end(el, paras, rows, cells)
                if line is not None:
                    yield line
                    budget_take(len(line))  # after the line is out: text over the limit is still scanned
        except Exception:
            pending = _pending(paras, rows, cells)
            if pending:
                yield pending
            raise

    def _start(self, tag: str, paras: list[list[str]], rows: list[list[str]], cells: list[list[str]]) -> None:
        if tag == self.tr:
            rows.append([])
        elif tag == self.tc:
            cells.append([])
        elif tag == self.p:
            paras.append([])

    def _end(self, el, paras: list[list[str]], rows: list[list[str]], cells: list[list[str]]) -> str | None:
        """The line an end tag completes, if any."""
        tag = el.tag
        para = paras[-1] if paras else None
        if tag in self.texts:
            if para is not None:
                para.append(el.text or "")
        elif tag == self.tab:
            if para is not None:
                para.append(" " if cells else "\t")
        elif tag in self.breaks:
            if para is not None:
                para.append("\n")  # in a cell too: cell_line joins a wrapped number, or makes it a space
        elif tag == self.p and paras:
            text = "".join(paras.pop())
            el.clear()
            if paras:  # a paragraph in a text box: its text stays in the paragraph around it
                paras[-1].append(" " + text + " ")
            elif cells:
                cells[-1].append(text)
            else:
                return text
        elif tag == self.tc and cells:
            cell = cell_line("\n".join(t for t in cells.pop() if t))  # its paragraphs, a wrapped number joined
            if rows:
                rows[-1].append(cell)
        elif tag == self.tr and rows:
            line = "\t".join(rows.pop())
            el.clear()
            if cells:  # a table inside a cell: keep its text in the cell
                cells[-1].append(line.replace("\t", " "))
            elif paras:
                paras[-1].append(" " + line.replace("\t", " ") + " ")
            else:
                return line
        return None


def _pending(paras: list[list[str]], rows: list[list[str]], cells: list[list[str]]) -> str:
    """What was read of the paragraphs, cells and rows still open when reading stopped, as one line."""
    pieces = ["\t".join(row) for row in rows] + [" ".join(cell) for cell in cells] + ["".join(p) for p in paras]
    return "\t".join(p for p in pieces if p.strip())


def _open_zip(stream: BinaryIO, ctx: Context) -> zipfile.ZipFile | Unscanned:
    try:
        return zipfile.ZipFile(stream)
    except Exception as exc:  # noqa: BLE001
        return unscanned(ctx.member, from_parser(exc, ("zipfile",)))


def _part_reader(zf: zipfile.ZipFile, name: str, ctx: Context) -> MemberReader:
    """A part's bytes, within its size and ratio limits; an encrypted part raises ``Encrypted``."""
    info = zf.getinfo(name)
    if is_encrypted(info):
        raise Encrypted("encrypted part")
    return open_member(zf, info, ctx.limits)


def _part_lines(zf: zipfile.ZipFile, name: str, ns: str, ctx: Context, part: TextPart) -> Iterator[str]:
    """Lines of one XML part; a failure part way is recorded on ``part`` (what was read is scanned)."""
    try:
        with _part_reader(zf, name, ctx) as xml:
            yield from _Paragraphs(ns).lines(xml, ctx.budget.take)
    except Exception as exc:  # noqa: BLE001
        part.problem = unscanned(part.member, exc)


def _xml_parts(stream: BinaryIO, ctx: Context, names, ns: str, label, media: str) -> Iterator[Item]:
    zf = _open_zip(stream, ctx)
    if isinstance(zf, Unscanned):
        yield zf
        return
    with zf:
        for name in names(zf):
            part = TextPart(join_member(ctx.member, label(name)), ())
            part.segments = text_lines(_part_lines(zf, name, ns, ctx, part))
            yield part
        yield from media_members(zf, ctx, (media,))


def _slide_number(name: str) -> int:
    m = re.search(r"(\d+)\.xml$", name)
    return int(m.group(1)) if m else 0


def docx_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Body, headers, footers, foot/endnotes and comments of a Word document."""
    yield from _xml_parts(
        stream, ctx, lambda zf: [n for n in zf.namelist() if DOCX_PARTS.match(n)], W, lambda n: n, "word/media/"
    )


def pptx_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Slides (in order) and their speaker notes."""

    def names(zf: zipfile.ZipFile) -> list[str]:
        slides = [n for n in zf.namelist() if re.match(r"^ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml$", n)]
        return sorted(slides, key=lambda n: (_slide_number(n), "notes" in n))

    def label(name: str) -> str:
        return f"{'notes' if 'notes' in name else 'slide'}{_slide_number(name)}"

    yield from _xml_parts(stream, ctx, names, A, label, "ppt/media/")


# ---- xlsx -----------------------------------------------------------------------


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_column(ref: str | None) -> int | None:
    """The 0-based column of a cell reference (``C5`` -> 2); None when absent, malformed or beyond ``XFD``."""
    if not ref:
        return None
    letters = ref.rstrip(_DIGITS)
    digits = ref[len(letters) :]
    if not 0 < len(digits) <= ROW_DIGITS:
        return None
    column = _COLUMNS.get(letters)
    if column is None:
        column = _letters_column(letters)
        if len(_COLUMNS) < COLUMN_CACHE:
            _COLUMNS[letters] = column
    return column if column >= 0 else None


def _letters_column(letters: str) -> int:
    """``A`` -> 0 ... ``XFD`` -> 16383; -1 when not 1 to 3 ASCII letters or beyond the grid."""
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
        return -1
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1 if n <= MAX_COLUMNS else -1


def row_number(text: str | None) -> int | None:
    """A row's 1-based number; None when absent, malformed or beyond Excel's last row."""
    if not text or not _ROW_NUMBER.match(text):
        return None
    n = int(text)
    return n if 1 <= n <= MAX_ROWS else None


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


def _shared_strings(zf: zipfile.ZipFile, ctx: Context, strings: list[str]) -> None:
    """Append the shared strings to ``strings``; raises part way (the strings read so far are kept)."""
    if "xl/sharedStrings.xml" not in zf.NameToInfo:
        return
    parts: list[str] = []
    with _part_reader(zf, "xl/sharedStrings.xml", ctx) as xml:
        for _event, el in iterparse(xml_source(xml)):
            if el.tag == S + "t":
                parts.append(el.text or "")
            elif el.tag == S + "si":
                text = "".join(parts)
                ctx.budget.take(len(text))
                strings.append(text)
                parts = []
                el.clear()


def _sheets(zf: zipfile.ZipFile, ctx: Context) -> list[tuple[str, str]]:
    """(sheet name, part path) in workbook order."""
    targets = {}
    if "xl/_rels/workbook.xml.rels" in zf.NameToInfo:
        with _part_reader(zf, "xl/_rels/workbook.xml.rels", ctx) as rels:
            for _e, el in iterparse(xml_source(rels)):
                if el.tag == PR + "Relationship":
                    target = el.get("Target", "")
                    targets[el.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    out = []
    with _part_reader(zf, "xl/workbook.xml", ctx) as wb:
        for _e, el in iterparse(xml_source(wb)):
            if el.tag == S + "sheet":
                path = targets.get(el.get(R + "id"))
                if path and path in zf.NameToInfo:
                    out.append((el.get("name") or path, path))
    return out


def _unlisted_sheets(zf: zipfile.ZipFile, listed: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Worksheet parts the workbook does not list (or a broken workbook lost): read too, named by file."""
    known = {path for _name, path in listed}
    return [
        (name.rsplit("/", 1)[-1].removesuffix(".xml"), name)
        for name in zf.namelist()
        if _WORKSHEET.match(name) and name not in known
    ]


class _SheetLocator:
    """Maps (line, column) of a sheet's text back to a cell reference.

    Flat arrays: per row its number and where its cells start in ``starts``/``columns``;
    per cell the text column it starts at and its sheet column. Memory follows the cells present.
    """

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.rows = array("I")
        self.first = array("I")  # index in starts/columns of each row's first cell
        self.starts = array("I")
        self.columns = array("H")

    def add(self, row: int, starts: list[int], columns: list[int]) -> None:
        """A row: its number, and the text offset and sheet column of each cell."""
        self.rows.append(min(row, ROW_NUMBER_CAP))
        self.first.append(len(self.starts))
        self.starts.extend(starts)
        self.columns.extend(columns)

    @property
    def last_row(self) -> int:
        return self.rows[-1] if self.rows else 0

    def __call__(self, line: int, column: int) -> str | None:
        if not 0 < line <= len(self.rows):
            return None
        lo = self.first[line - 1]
        hi = self.first[line] if line < len(self.rows) else len(self.starts)
        i = bisect_right(self.starts, column - 1, lo, hi) - 1
        col = self.columns[i] if lo <= i < hi else (self.columns[lo] if lo < hi else 0)
        return f"{self.sheet}!{_column_letters(col)}{self.rows[line - 1]}"


def _cell_text(el, value: str | None, inline: list[str], strings: list[str]) -> str:
    """The text of a ``<c>`` element from its value, inline string or shared string index."""
    kind = el.get("t", "n")
    if kind == "s" and value is not None and _INDEX.match(value) and int(value) < len(strings):
        return unescape_ooxml(strings[int(value)])
    if kind == "inlineStr":
        return unescape_ooxml("".join(inline))
    if kind == "n" and value is not None:
        return numeric_text(value)
    return value or ""


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_ooxml(text: str) -> str:
    """Excel's escapes of characters XML cannot hold (ECMA-376 ``ST_Xstring``): ``_x000D_`` is the
    carriage return of an Alt+Enter written on Windows, ``_x005F_`` a literal underscore."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


class _Row:
    """The cells of one row as they come: column -> text, kept sparse."""

    def __init__(self) -> None:
        self.cells: dict[int, str] = {}
        self.next_column = 0

    def add(self, ref: str | None, text: str) -> None:
        column = cell_column(ref)
        if column is None:
            column = min(self.next_column, MAX_COLUMNS - 1)
        self.next_column = column + 1
        if text:
            text = cell_line(text)
            old = self.cells.get(column)
            self.cells[column] = f"{old} {text}" if old else text  # a repeated reference loses no text

    def line(self) -> tuple[str, list[int], list[int]]:
        """The row's text (cells tab-separated, gaps capped), and the text offset and column of each cell."""
        columns = sorted(self.cells)
        if columns and columns[-1] == len(columns) - 1:  # no gaps (the usual row): one join
            texts = [self.cells[c] for c in columns]
            starts, pos = [], 0
            for text in texts:
                starts.append(pos)
                pos += len(text) + 1
            return "\t".join(texts), starts, columns
        pieces: list[str] = []
        starts = []
        pos, previous = 0, -1
        for column in columns:
            tabs = "\t" * (min(column - previous - 1, MAX_EMPTY_COLUMNS) + (1 if previous >= 0 else 0))
            text = self.cells[column]
            pieces += (tabs, text)
            starts.append(pos + len(tabs))
            pos += len(tabs) + len(text)
            previous = column
        return "".join(pieces), starts, columns


def _sheet_lines(
    zf: zipfile.ZipFile, path: str, strings: list[str], locator: _SheetLocator, ctx: Context, part: TextPart
) -> Iterator[str]:
    """A sheet's rows as lines; on a limit or damage the row in progress comes out first."""
    row = _Row()
    value: str | None = None
    inline: list[str] = []
    try:
        with _part_reader(zf, path, ctx) as xml:
            for _event, el in iterparse(xml_source(xml)):
                tag = el.tag
                if tag == _V:
                    value = el.text or ""
                elif tag == _T:
                    inline.append(el.text or "")
                elif tag == _C:
                    row.add(el.get("r"), _cell_text(el, value, inline, strings))
                    value, inline = None, []
                    el.clear()
                elif tag == _ROW:
                    line = _row_line(row, row_number(el.get("r")), locator)
                    row = _Row()
                    el.clear()
                    yield line
                    ctx.budget.take(len(line))  # after the row is out: a row over the limit is still scanned
    except Exception as exc:  # noqa: BLE001
        if row.cells:  # the row in progress
            yield _row_line(row, None, locator)
        part.problem = unscanned(part.member, exc)


def _row_line(row: _Row, number: int | None, locator: _SheetLocator) -> str:
    """One row's line, named in ``locator``."""
    line, starts, columns = row.line()
    locator.add(number or locator.last_row + 1, starts, columns)
    return line


def xlsx_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """Each sheet as tab-separated rows (shared, inline and numeric cells); findings name the cell.

    Broken or cut shared strings or workbook parts are reported on their own;
    the sheets are still read (with the strings read so far, or every worksheet part).
    """
    zf = _open_zip(stream, ctx)
    if isinstance(zf, Unscanned):
        yield zf
        return
    with zf:
        strings: list[str] = []
        try:
            _shared_strings(zf, ctx, strings)
        except Exception as exc:  # noqa: BLE001 - limits and broken parts alike become a record
            yield unscanned(join_member(ctx.member, "xl/sharedStrings.xml"), exc)
        try:
            sheets = _sheets(zf, ctx)
        except Exception as exc:  # noqa: BLE001
            yield unscanned(join_member(ctx.member, "xl/workbook.xml"), exc)
            sheets = []
        for name, path in sheets + _unlisted_sheets(zf, sheets):
            locator = _SheetLocator(name)
            part = TextPart(ctx.member, (), locator, titles=(name,))  # the sheet's name says what it holds
            part.segments = text_lines(_sheet_lines(zf, path, strings, locator, ctx, part))
            yield part
        yield from media_members(zf, ctx, ("xl/media/",))
