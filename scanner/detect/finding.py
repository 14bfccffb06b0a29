"""What the detector reports. A Finding never holds the number itself."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class Confidence(IntEnum):
    """Confidence levels; ordered so that ``>=`` compares them."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        """The contract's spelling: ``low``, ``medium`` or ``high``."""
        return _LABELS[self.value]

    @classmethod
    def parse(cls, text: str) -> Confidence:
        """Read ``low`` / ``medium`` / ``high``."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"confidence must be low, medium or high, not {text!r}") from None


class Finding(NamedTuple):
    """A likely My Number at a position in extracted text (a named tuple, immutable and cheap to
    make: a roster makes a million)."""

    rule: str
    line: int
    """1-based line in the extracted text."""
    column: int
    """1-based column (in characters) in the extracted text."""
    confidence: Confidence
    score: float
    masked: str
    """All but the last 4 digits hidden: ``********9018``."""
    fingerprint: str
    """Keyed HMAC-SHA256 of the 12 ASCII digits, lowercase hex."""
    reasons: tuple[str, ...]


_LABELS = {c.value: c.name.lower() for c in Confidence}
"""``Confidence.label`` of each level (a roster asks a million times)."""
