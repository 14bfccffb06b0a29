"""The engine's input types for text read in pieces, with gaps the byte prefilter skipped."""

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
class Reach:
    """How many characters around a value the engine may look at."""

    behind: int
    ahead: int
    head: int
    """Characters from the start of a document always read (table header detection)."""
    digits: str = "0123456789０１２３４５６７８９"
    """Characters a candidate's digits are written with."""
    separators: str = ""
    """Characters that may stand between two digits of a candidate (at most one at a time)."""
