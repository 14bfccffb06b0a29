"""The engine's input types: text read in pieces (with gaps the byte prefilter skipped), or
the raw bytes of a text file, which the native core prefilters and decodes itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Segment:
    """Decoded text of consecutive lines."""

    text: str
    line: int | None
    """1-based line where ``text`` starts after a gap; None when it continues the previous segment."""
    zones: tuple[tuple[int, int], ...] | None = None
    """Character ranges of ``text`` where candidates can start; None: anywhere."""


@dataclass(frozen=True, slots=True)
class RawText:
    """The next bytes of a text file, cut anywhere, in an encoding the core decodes."""

    data: bytes
    encoding: str
    """Python codec name: one of ``CORE_ENCODINGS``."""
    prefilter: bool
    """Only the lines around runs of digits need decoding (False: the whole text matters)."""


CORE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "cp932", "euc_jp"})
"""Encodings the native core decodes itself (the ASCII-compatible ones, where an ASCII digit
byte is always a digit); UTF-16 and ISO-2022-JP are decoded in Python."""


@dataclass(frozen=True, slots=True)
class Prefilter:
    """What the native core's byte prefilter searches a text file for: twelve of the rules'
    digit characters with at most ``gap`` separator characters between neighbours (how far around
    a hit it decodes is the core's: its context windows)."""

    digits: str = "0123456789０１２３４５６７８９"
    """Characters a candidate's digits are written with."""
    separators: str = ""
    """Characters that may stand between two digits of a candidate ..."""
    gap: int = 1
    """... at most this many at a time."""
