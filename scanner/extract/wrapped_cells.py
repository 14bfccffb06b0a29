"""Delimited text (CSV, TSV) whose quoted cells go over lines — Excel writes a cell's Alt+Enter
as a line break inside the quotes: ``"1234 5678⏎9012"``, ``"個人番号⏎1234…"``. Each record is
joined back into one line, as the engine reads tables (a line a row, its cells by delimiter):
a break between digits with the separator the number already uses (``extract/cells.py``),
any other with a space, so a number stays whole, in its cell and under its column's header;
findings keep the file's own lines through a ``PageMap``.

Only files whose first lines show such a cell come here (Python decodes them); all others go
to the native core as raw bytes. Quote parity decides where a cell is open: RFC 4180 doubles
a quote inside a quoted cell, which leaves the parity as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.detect.segments import Segment
from scanner.extract.cells import DIGIT, cell_line
from scanner.extract.parts import chunk_lines, text_lines
from scanner.extract.sourcemap import Anchor, PageMap

MAX_RECORD_LINES = 16
"""Physical lines joined into one record at most: a stray quote must not glue a file together."""
MIN_HEADER_DELIMITERS = 2
"""Commas or tabs the first line needs for the file to be read as delimited text."""
_DIGIT = re.compile(rf"[{DIGIT}]")


def has_wrapped_numbers(text: str) -> bool:
    """Whether ``text`` (a file's first characters) is delimited text with a quoted cell that goes
    over lines into digits."""
    lines = text.split("\n")
    header = lines[0]
    if '"' not in text or max(header.count(","), header.count("\t")) < MIN_HEADER_DELIMITERS:
        return False
    open_quote = False
    for line, following in zip(lines, lines[1:], strict=False):
        open_quote ^= line.count('"') % 2 == 1
        if open_quote and _DIGIT.search(following):
            return True
    return False


class _Joiner:
    """Physical lines in, logical lines out (with their anchors): a line that ends inside a quoted
    cell is joined with the next (up to ``MAX_RECORD_LINES``)."""

    def __init__(self) -> None:
        self.open_quote = False  # after the pending line
        self.pending: tuple[str, list[Anchor]] | None = None
        self.number = 0
        self.joined = 0  # physical lines joined into the pending one

    def feed(self, line: str) -> list[tuple[str, list[Anchor]]]:
        """Take the next physical line; returns the logical line it completes, if any."""
        self.number += 1
        if self.open_quote and self.joined >= MAX_RECORD_LINES:
            self.open_quote = False  # a stray quote, not a cell: read on line by line
        if self.pending is not None and self.open_quote:
            text, anchors = self.pending
            rest = line.lstrip(" \t\u3000")
            joined = cell_line(text.rstrip("\r") + "\n" + rest)
            anchors.append((len(joined) - len(rest) + 1, self.number, len(line) - len(rest) + 1))
            self.pending = (joined, anchors)
            self.joined += 1
            self.open_quote ^= line.count('"') % 2 == 1
            return []
        done = [self.pending] if self.pending is not None else []
        self.pending = (line, [(1, self.number, 1)])
        self.joined = 0
        self.open_quote ^= line.count('"') % 2 == 1
        return done

    def close(self) -> list[tuple[str, list[Anchor]]]:
        """The last logical line."""
        done = [self.pending] if self.pending is not None else []
        self.pending = None
        return done


def joined_segments(chunks: Iterator[str], page: PageMap) -> Iterator[Segment]:
    """Decoded text chunks as segments of logical lines, their anchors kept in ``page``."""

    def lines() -> Iterator[str]:
        joiner = _Joiner()
        for line in chunk_lines(chunks):
            yield from page.record(joiner.feed(line))
        yield from page.record(joiner.close())

    return text_lines(lines())
