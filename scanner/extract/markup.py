"""HTML as text: block elements end lines, table rows become tab-separated lines
(so a header row gives column context), scripts and styles are dropped."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import BinaryIO

from scanner.extract.encoding import SNIFF_BYTES, sniff
from scanner.extract.parts import Context, Item, TextPart, Unscanned, text_lines
from scanner.extract.sourcemap import Anchor, PageMap

BLOCKS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 dt dd dl section article header footer form fieldset legend "
    "label pre blockquote address hr caption title option".split()
)
SKIPPED = frozenset({"script", "style", "noscript", "template"})
READ_CHARS = 256 * 1024


Run = tuple[str, int, int]
"""A piece of a page's text and the (line, column) in the page where it starts, both 1-based."""
_WORD = re.compile(r"\S+")
_VALUE_ATTR = re.compile(r"""\svalue\s*=\s*["']?""", re.IGNORECASE)


def collapse(runs: list[Run]) -> tuple[str, list[Anchor]]:
    """The runs' text with whitespace collapsed to single spaces and stripped, and where each
    stretch of it came from in the page (one anchor per word, per run)."""
    out: list[str] = []
    anchors: list[Anchor] = []
    width = 0
    space = False
    for text, line, col in runs:
        end = 0
        for m in _WORD.finditer(text):
            space = space or m.start() > end
            if space and width:
                out.append(" ")
                width += 1
            space = False
            if not anchors or anchors[-1][1] != line or anchors[-1][2] - anchors[-1][0] != col + m.start() - width - 1:
                anchors.append((width + 1, line, col + m.start()))  # not where the last one leads
            out.append(m.group())
            width += m.end() - m.start()
            end = m.end()
        space = space or end < len(text)
    return "".join(out), anchors


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # references come one by one, so positions stay known
        self.lines: list[tuple[str, list[Anchor]]] = []
        self.line: list[Run] = []
        self.row: list[tuple[str, list[Anchor]]] | None = None
        self.cell: list[Run] | None = None
        self.skip = 0

    def _pos(self) -> tuple[int, int]:
        line, offset = self.getpos()
        return line, offset + 1

    def _add(self, text: str, line: int, col: int) -> None:
        (self.cell if self.cell is not None else self.line).append((text, line, col))

    def _end_line(self) -> None:
        text, anchors = collapse(self.line)
        self.line = []
        if text:
            self.lines.append((text, anchors))

    def _end_cell(self) -> None:
        if self.row is not None and self.cell is not None:
            self.row.append(collapse(self.cell))
        self.cell = None

    def _end_row(self) -> None:
        if self.row is None:
            return
        text: list[str] = []
        anchors: list[Anchor] = []
        width = 0
        for i, (cell, cell_anchors) in enumerate(self.row):
            if i:
                text.append("\t")
                width += 1
            anchors += [(c + width, line, col) for c, line, col in cell_anchors]
            text.append(cell)
            width += len(cell)
        self.lines.append(("".join(text), anchors))
        self.row = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED:
            self.skip += 1
        elif tag == "tr":
            self._end_line()
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in BLOCKS and self.cell is None:
            self._end_line()
        elif tag == "input":
            self._input(dict(attrs))

    def _input(self, attrs: dict[str, str | None]) -> None:
        """A form field's value, after its name as a label (``my_number: …``): hidden fields carry
        what the page was about to send."""
        value = attrs.get("value")
        if not value:
            return
        line, col = self._pos()
        raw = self.get_starttag_text() or ""
        m = _VALUE_ATTR.search(raw)
        if m:  # the value's own place in the page, for the finding's line and column
            before = raw[: m.end()]
            newlines = before.count("\n")
            col = (col + len(before)) if not newlines else len(before) - before.rfind("\n")
            line += newlines
        name = attrs.get("name") or attrs.get("id")
        if name:
            self._add(f" {name}: ", line, max(1, col - len(name) - 2))
        self._add(f"{value} ", line, col)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self._end_cell()
        elif tag == "tr" and self.row is not None:
            self._end_row()
        elif tag in BLOCKS and self.cell is None:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        line, col = self._pos()
        for i, piece in enumerate(data.split("\n")):
            if piece:
                self._add(piece, line + i, col if i == 0 else 1)

    def handle_charref(self, name: str) -> None:
        self.handle_entityref("#" + name)

    def handle_entityref(self, name: str) -> None:
        if not self.skip:
            line, col = self._pos()
            self._add(html.unescape(f"&{name};"), line, col)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![word[ ... ]]>``: the stdlib parser asserts on a keyword it does not know (AssertionError),
        losing the rest of the page; such a section is skipped up to its ``>`` instead."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            j = self.rawdata.find(">", i + 3)
            return -1 if j < 0 else j + 1

    def take(self) -> list[tuple[str, list[Anchor]]]:
        """The lines completed since the last call, each with its anchors."""
        out, self.lines = self.lines, []
        return out

    def flush(self) -> list[tuple[str, list[Anchor]]]:
        """All that is left: completed lines, then the open row, cell and line."""
        if self.row is not None:
            if self.cell is not None:
                self._end_cell()
            self._end_row()
            self.row = self.cell = None
        elif self.cell is not None:
            self.line.extend(self.cell)
            self.cell = None
        self._end_line()
        return self.take()


def _html_lines(stream: BinaryIO, encoding: str, ctx: Context, page: PageMap) -> Iterator[str]:
    """The page's lines as they are parsed; on a limit or a parser failure, the text before it comes out first."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    parser = _TextParser()
    try:
        while True:
            data = stream.read(READ_CHARS)
            text = decoder.decode(data, final=not data)
            parser.feed(text)
            yield from page.record(parser.take())
            ctx.budget.take(len(data))  # after the text is out: a page over the limit is still scanned
            if not data:
                break
        parser.close()
    except Exception:
        yield from page.record(parser.flush())
        raise
    yield from page.record(parser.flush())


def html_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """The visible text of an HTML page, tables as rows."""
    encoding = sniff(stream.read(SNIFF_BYTES)).encoding
    stream.seek(0)
    if encoding is None:
        yield Unscanned(ctx.member, "unsupported", "binary content of an unsupported type")
        return
    page = PageMap()
    yield TextPart(ctx.member, text_lines(_html_lines(stream, encoding, ctx, page)), source=page)
