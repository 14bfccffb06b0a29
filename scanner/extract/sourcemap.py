"""Where extracted text stands in the file it came from, for text formats whose extracted lines
are not the file's (HTML, CSV cells joined over lines): a finding's line and column become
the ones an editor shows."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator

Anchor = tuple[int, int, int]
"""A column of an extracted line (1-based) and the file's (line, column) of the character there."""


class PageMap:
    """Where each extracted line's text stands in the file: a finding's (line, column) in the
    extracted text becomes the file's, as an editor shows it. Flat arrays (12 bytes an anchor):
    a page of a million table rows keeps its map in tens of megabytes."""

    def __init__(self) -> None:
        self.first = array("q")  # per extracted line: its first anchor's index
        self.cols = array("i")
        self.src_lines = array("i")
        self.src_cols = array("i")

    def record(self, lines: list[tuple[str, list[Anchor]]]) -> Iterator[str]:
        """Keep the anchors of ``lines`` and hand on their text."""
        for text, anchors in lines:
            self.first.append(len(self.cols))
            for col, src_line, src_col in anchors:
                self.cols.append(col)
                self.src_lines.append(src_line)
                self.src_cols.append(src_col)
            yield text

    def __call__(self, line: int, column: int) -> tuple[int, int]:
        if not 0 < line <= len(self.first):
            return line, column
        lo = self.first[line - 1]
        hi = self.first[line] if line < len(self.first) else len(self.cols)
        at = bisect.bisect_right(self.cols, column, lo, hi) - 1
        if at < lo:
            return line, column
        return self.src_lines[at], self.src_cols[at] + column - self.cols[at]
