"""Escaped text: JSON ``\\uXXXX`` escapes (``json.dumps`` writes every non-ASCII character so by
default) and HTML/XML numeric character references (``&#65297;``, ``&#x30FC;``) decoded, so that
full-width digits, separators such as ``ー`` and context words written as escapes are read as
what they stand for. Lines stay lines (``\\n`` inside a string becomes two spaces), and a
finding keeps the file's own line and column: each decoded line keeps anchors into the source.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from scanner.detect.segments import Segment
from scanner.extract.parts import chunk_lines, text_lines

TELLING = re.compile(r"\\u(?:20[1-9][0-9a-fA-F]|2212|[3-9a-fA-F][0-9a-fA-F]{3})|&#(?:[xX][0-9a-fA-F]{4,5}|[0-9]{4,6});")
"""An escape of a character a My Number or its context is written with (U+2010 and above: dashes,
minus, Japanese, full-width digits); one in a file's first bytes sends it through this decoder."""
_ESCAPE = re.compile(
    # a JSON escape (a surrogate pair as one), also inside JSON kept as a string in JSON (a log's
    # request body: \\\\u30fc), whose backslashes go with it
    r"\\+u([0-9a-fA-F]{4})(?:\\+u([dD][c-fC-F][0-9a-fA-F]{2}))?"
    r"|&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));"  # a numeric character reference
    r"|\\+[nrt]"  # a line break or tab inside a JSON string: spaces of the same width
)

Anchor = tuple[int, int]
"""A column of a decoded line (1-based) and the source column of the character there."""


def has_escapes(text: str) -> bool:
    """Whether ``text`` (a file's first characters) writes telling characters as escapes."""
    return TELLING.search(text) is not None


def _decoded(m: re.Match[str]) -> str | None:
    """What an escape stands for; None to keep it as written (ASCII punctuation, controls, bad code points)."""
    escape = m.group(0)
    if escape[-1] in "nrt" and escape.rstrip("nrt") == "\\" * (len(escape) - 1):
        return " " * len(escape)
    high, low, hexref, decref = m.groups()
    if high is not None:
        code = int(high, 16)
        if low is not None and 0xD800 <= code < 0xDC00:
            code = 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00)
        elif low is not None:
            return None
    else:
        code = int(hexref, 16) if hexref is not None else int(decref)
    if code > 0x10FFFF or 0xD800 <= code < 0xE000:
        return None
    char = chr(code)
    return char if code >= 0x80 or char.isalnum() else None


def unescape_line(line: str) -> tuple[str, list[Anchor]]:
    """A line with its escapes decoded, and anchors where decoded columns stop matching the source."""
    out: list[str] = []
    anchors: list[Anchor] = []
    width = 0  # characters written so far
    last = 0  # source index after the last escape
    for m in _ESCAPE.finditer(line):
        char = _decoded(m)
        if char is None:
            continue
        out.append(line[last : m.start()])
        width += m.start() - last
        anchors.append((width + 1, m.start() + 1))
        out.append(char)
        width += len(char)
        last = m.end()
        anchors.append((width + 1, last + 1))
    if not anchors:
        return line, []
    out.append(line[last:])
    return "".join(out), anchors


class LineShifts:
    """Where decoded columns stand in the source, for the lines whose escapes moved them."""

    def __init__(self) -> None:
        self.lines: dict[int, tuple[list[int], list[int]]] = {}

    def record(self, line: int, anchors: list[Anchor]) -> None:
        """Keep the anchors of 1-based ``line``."""
        if anchors:
            self.lines[line] = ([a for a, _ in anchors], [s for _, s in anchors])

    def __call__(self, line: int, column: int) -> tuple[int, int]:
        shift = self.lines.get(line)
        if shift is None:
            return line, column
        cols, sources = shift
        at = bisect.bisect_right(cols, column) - 1
        return (line, column) if at < 0 else (line, sources[at] + column - cols[at])


def unescaped_segments(chunks: Iterator[str], shifts: LineShifts) -> Iterator[Segment]:
    """Decoded text chunks as segments of whole lines with their escapes decoded."""

    def lines() -> Iterator[str]:
        for number, line in enumerate(chunk_lines(chunks), start=1):
            text, anchors = unescape_line(line)
            shifts.record(number, anchors)
            yield text

    return text_lines(lines())
