"""HTML as text: block elements end lines, table rows become tab-separated lines
(so a header row gives column context), scripts and styles are dropped."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import BinaryIO

from scanner.extract.encoding import SNIFF_BYTES, sniff
from scanner.extract.parts import Context, Item, TextPart, Unscanned, text_lines

BLOCKS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 dt dd dl section article header footer form fieldset legend "
    "label pre blockquote address hr caption title option".split()
)
SKIPPED = frozenset({"script", "style", "noscript", "template"})
READ_CHARS = 256 * 1024


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.skip = 0

    def _end_line(self) -> None:
        text = "".join(self.line).strip()
        self.line = []
        if text:
            self.lines.append(" ".join(text.split()))

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
            value = dict(attrs).get("value")
            if value:
                (self.cell if self.cell is not None else self.line).append(f" {value} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.lines.append("\t".join(self.row))
            self.row = None
        elif tag in BLOCKS and self.cell is None:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        (self.cell if self.cell is not None else self.line).append(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![word[ ... ]]>``: the stdlib parser asserts on a keyword it does not know (AssertionError),
        losing the rest of the page; such a section is skipped up to its ``>`` instead."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            j = self.rawdata.find(">", i + 3)
            return -1 if j < 0 else j + 1

    def take(self) -> list[str]:
        """The lines completed since the last call."""
        out, self.lines = self.lines, []
        return out

    def flush(self) -> list[str]:
        """All that is left: completed lines, then the open row, cell and line."""
        if self.row is not None:
            if self.cell is not None:
                self.row.append(" ".join("".join(self.cell).split()))
            self.lines.append("\t".join(self.row))
            self.row = self.cell = None
        elif self.cell is not None:
            self.line.extend(self.cell)
            self.cell = None
        self._end_line()
        return self.take()


def _html_lines(stream: BinaryIO, encoding: str, ctx: Context) -> Iterator[str]:
    """The page's lines as they are parsed; on a limit or a parser failure, the text before it comes out first."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    parser = _TextParser()
    try:
        while True:
            data = stream.read(READ_CHARS)
            text = decoder.decode(data, final=not data)
            parser.feed(text)
            yield from parser.take()
            ctx.budget.take(len(data))  # after the text is out: a page over the limit is still scanned
            if not data:
                break
        parser.close()
    except Exception:
        yield from parser.flush()
        raise
    yield from parser.flush()


def html_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """The visible text of an HTML page, tables as rows."""
    encoding = sniff(stream.read(SNIFF_BYTES)).encoding
    stream.seek(0)
    if encoding is None:
        yield Unscanned(ctx.member, "unsupported", "binary content of an unsupported type")
        return
    yield TextPart(ctx.member, text_lines(_html_lines(stream, encoding, ctx)))
