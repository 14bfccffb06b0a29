"""Masked forwarding: a message's numbers hidden in place, so the rest of it still flows.

Only a UTF-8 text or JSON body can be masked in place: there a finding's line and column
map straight back to the bytes. A document, an embedded base64 file or any other
encoding cannot be edited safely, so the gate diverts those instead. The masked body is
scanned again and must come out clean, or it is not used.
"""

from __future__ import annotations

import unicodedata

from scanner.detect.engine import Engine
from scanner.detect.finding import Confidence, Finding

MASK_CHAR = "*"
KEEP_LAST_DIGITS = 4
"""As in the ``masked`` field of a finding: all but the last 4 digits hidden."""
NUMBER_DIGITS = 12
MAX_SPAN_CHARS = 40
"""A number with its separators is never longer than this (12 digits + 11 separators, with room)."""


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts


def _is_digit(ch: str) -> bool:
    return ch.isdigit() and unicodedata.decimal(ch, None) is not None


def _mask_at(chars: list[str], start: int) -> bool:
    """Hide the first 8 of the 12 digits that begin at ``start``; False if they are not there."""
    digits = [i for i in range(start, min(len(chars), start + MAX_SPAN_CHARS)) if _is_digit(chars[i])][:NUMBER_DIGITS]
    if len(digits) < NUMBER_DIGITS or not _is_digit(chars[start]):
        return False
    for i in digits[: NUMBER_DIGITS - KEEP_LAST_DIGITS]:
        chars[i] = MASK_CHAR
    return True


def mask_text(
    engine: Engine, text: str, min_confidence: Confidence = Confidence.LOW
) -> tuple[str, list[Finding]] | None:
    """``text`` with every finding at or above ``min_confidence`` masked, and those findings;
    None when a finding cannot be located or the masked text still holds one."""
    findings = [f for f in engine.scan_text(text) if f.confidence >= min_confidence]
    if not findings:
        return text, []
    starts = _line_starts(text)
    chars = list(text)
    for f in findings:
        if f.line > len(starts) or not _mask_at(chars, starts[f.line - 1] + f.column - 1):
            return None
    masked = "".join(chars)
    if any(f.confidence >= min_confidence for f in engine.scan_text(masked)):
        return None  # never forward what still looks like a number
    return masked, findings


def mask_body(engine: Engine, body: bytes, min_confidence: Confidence = Confidence.LOW) -> bytes | None:
    """A UTF-8 body with its numbers masked, or None when it cannot be masked in place."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    result = mask_text(engine, text, min_confidence)
    return None if result is None else result[0].encode("utf-8")
