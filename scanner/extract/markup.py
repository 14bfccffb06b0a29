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

    def take(self) -> list[str]:
        out, self.lines = self.lines, []
        return out


def _html_lines(stream: BinaryIO, encoding: str, ctx: Context) -> Iterator[str]:
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    parser = _TextParser()
    while True:
        data = stream.read(READ_CHARS)
        text = decoder.decode(data, final=not data)
        ctx.budget.take(len(data))
        parser.feed(text)
        yield from parser.take()
        if not data:
            break
    parser.close()
    parser._end_line()
    yield from parser.take()


def html_text(stream: BinaryIO, ctx: Context) -> Iterator[Item]:
    """The visible text of an HTML page, tables as rows."""
    encoding = sniff(stream.read(SNIFF_BYTES)).encoding
    stream.seek(0)
    if encoding is None:
        yield Unscanned(ctx.member, "unsupported", "binary content of an unsupported type")
        return
    yield TextPart(ctx.member, text_lines(_html_lines(stream, encoding, ctx)))
