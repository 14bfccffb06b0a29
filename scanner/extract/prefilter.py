"""Byte-level prefilter: which lines of a file can hold a candidate at all.

Decoding is the most expensive step for ordinary office text, and most of it
holds no 12-digit run. For encodings where an ASCII digit byte is always a
digit (UTF-8, CP932, EUC-JP) the raw bytes are searched first, with ASCII
digits mapped to ``0`` so that the search is for literals: four digits in a
row, single digits spaced out, or any full-width digit. Around each such place
whose neighbourhood holds at least twelve digits, enough lines are decoded for
every context the engine looks at; the rest of the file is skipped unread by
the engine (its lines are still counted).

Candidate forms must contain four ASCII digits in a row, digits spaced one by
one, or full-width digits; a rule whose forms do not sets
``candidates.prefilter = false`` and the whole text is decoded.
"""

from __future__ import annotations

import regex

from scanner.detect.segments import Reach

ASCII_COMPATIBLE = {"utf-8": 4, "utf-8-sig": 4, "cp932": 2, "euc_jp": 3}
"""Encodings the prefilter reads, with the most bytes one character takes in each."""
DIGITS_NEEDED = 12
"""Digits a candidate has; fewer around a hit cannot make one."""
NEIGHBOURHOOD_BYTES = 56
"""Bytes each side of a hit in which those digits must lie (11 separators of 4 bytes and more)."""

_TO_ZERO = bytes.maketrans(b"0123456789", b"0000000000")


def _ascii_pattern(encoding: str) -> regex.Pattern[bytes]:
    space = regex.escape("\u3000".encode(encoding))
    wide = b"|".join(regex.escape(chr(0xFF10 + i).encode(encoding)) for i in range(10))
    return regex.compile(
        b"0(?:000|[ \\t]0[ \\t]0|" + space + b"0" + space + b"0)|(?:" + wide + b")"
    )


class BytePrefilter:
    """Finds the byte ranges of a block worth decoding."""

    def __init__(self, encoding: str, reach: Reach) -> None:
        width = ASCII_COMPATIBLE[encoding]
        self._pattern = _ascii_pattern("utf-8" if encoding == "utf-8-sig" else encoding)
        self.back_bytes = reach.behind * width
        """Bytes before a hit that may hold its context."""
        self._ahead = reach.ahead * width
        self.head_bytes = reach.head * width

    @staticmethod
    def supports(encoding: str) -> bool:
        """True when ASCII digit bytes in this encoding are always digits."""
        return encoding in ASCII_COMPATIBLE

    def ranges(self, block: bytes, keep: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
        """Line-aligned, merged byte ranges of ``block`` to decode; ``keep`` adds ranges that must be."""
        zeros = block.translate(_TO_ZERO)
        spans: list[tuple[int, int]] = list(keep or [])
        covered = -1
        for m in self._pattern.finditer(zeros):
            p = m.start()
            if p < covered:
                continue
            if zeros[p] == 0x30 and zeros.count(b"0", max(0, p - NEIGHBOURHOOD_BYTES), p + NEIGHBOURHOOD_BYTES) < DIGITS_NEEDED:
                continue
            start, end = max(0, p - self.back_bytes), min(len(block), p + self._ahead)
            spans.append((start, end))
            covered = end - NEIGHBOURHOOD_BYTES
        return _merge_lines(block, spans)


def _merge_lines(block: bytes, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start = block.rfind(b"\n", 0, start) + 1
        nl = block.find(b"\n", end)
        end = len(block) if nl < 0 else nl + 1
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
