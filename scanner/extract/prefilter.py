"""Byte-level prefilter: which lines of a file can hold a candidate at all.

Decoding is the most expensive step for ordinary office text, and most of it
holds no 12-digit number. For encodings where an ASCII digit byte is always a
digit (UTF-8, CP932, EUC-JP) the raw bytes are searched first, with ASCII
digits mapped to ``0`` so that the search starts from a literal: twelve digits
with at most one separator between neighbours (the rules' digit and separator
characters, encoded). Around each such run, enough whole lines are decoded for
every context the engine looks at; the rest of the file is only line-counted.

A rule may keep ``candidates.prefilter = true`` only if every form writes twelve
digits with at most one separator character between neighbours.
"""

from __future__ import annotations

import re

from scanner.detect.segments import Reach

ASCII_COMPATIBLE = {"utf-8": 4, "utf-8-sig": 4, "cp932": 2, "euc_jp": 3}
"""Encodings the prefilter reads, with the most bytes one character takes in each."""
DIGITS = 12
"""Digits in a candidate."""
WHOLE_BLOCK_SHARE = 0.5
"""When the ranges to decode cover more of a block than this, the whole block is decoded."""

_TO_ZERO = bytes.maketrans(b"0123456789", b"0000000000")


def _alternatives(chars: set[str], encoding: str) -> list[bytes]:
    out = []
    for ch in sorted(chars):
        try:
            out.append(ch.encode(encoding))
        except UnicodeEncodeError:
            continue  # a character this encoding cannot hold cannot be in the file
    return out


def _either(options: list[bytes]) -> bytes:
    singles = [o for o in options if len(o) == 1]
    multi = [re.escape(o) for o in options if len(o) > 1]
    parts = multi + ([b"[" + b"".join(re.escape(o) for o in singles) + b"]"] if singles else [])
    return b"(?:" + b"|".join(parts) + b")" if parts else b"(?!)"


def run_patterns(reach: Reach, encoding: str) -> list[re.Pattern[bytes]]:
    """Patterns over zero-mapped bytes that match the start of every possible candidate."""
    wide = _alternatives({d for d in reach.digits if not d.isascii()}, encoding)
    digit = _either([b"0"] + wide)
    sep = _either(_alternatives(set(reach.separators), encoding))
    tail = b"(?:" + sep + b"?" + digit + b"){" + str(DIGITS - 1).encode() + b"}"
    # a literal first byte makes the search fast; the look-behind tries each run of digits once
    patterns = [re.compile(b"0(?<!00)" + tail)]
    if wide:
        patterns.append(re.compile(_either(wide) + tail))
    return patterns


class BytePrefilter:
    """Finds the byte ranges of a block worth decoding."""

    def __init__(self, encoding: str, reach: Reach) -> None:
        width = ASCII_COMPATIBLE[encoding]
        self._patterns = run_patterns(reach, "utf-8" if encoding == "utf-8-sig" else encoding)
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
        for pattern in self._patterns:
            covered = -1
            for m in pattern.finditer(zeros):
                p = m.start()
                if p < covered:
                    continue
                spans.append((max(0, p - self.back_bytes), min(len(block), m.end() + self._ahead)))
                covered = m.end() + self._ahead // 2
        ranges = _merge_lines(block, spans)
        if sum(end - start for start, end in ranges) > len(block) * WHOLE_BLOCK_SHARE:
            return [(0, len(block))]  # mostly needed anyway: one piece is cheaper than many
        return ranges


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
