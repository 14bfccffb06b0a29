"""Byte-level prefilter: which lines of a file can hold a candidate at all.

Decoding is the most expensive step for ordinary office text, and most of it
holds no 12-digit number. For encodings where an ASCII digit byte is always a
digit (UTF-8, CP932, EUC-JP) the raw bytes are searched first, with ASCII
digits mapped to ``0``: first for all-ASCII runs of twelve digits with at most
one single-byte separator between neighbours, then for anchors (a multi-byte
separator between digits, a full-width digit) confirmed as such runs with the
rules' digit and separator characters, encoded. Around each such run, enough whole lines are decoded for
every context the engine looks at; the rest of the file is only line-counted.

Only the lines holding such a run are searched for candidates. A rule may keep
``candidates.prefilter = true`` only if every form writes twelve digits with at
most one separator character between neighbours.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

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


_FILL = b"\x01"  # stands for the leading bytes of a multi-byte digit after mapping


@dataclass(frozen=True, slots=True)
class _Searches:
    """The compiled byte searches of one encoding."""

    wide: re.Pattern[bytes] | None
    """Multi-byte digits, replaced by fill bytes and a ``0`` (same length)."""
    wide_repl: bytes
    run: re.Pattern[bytes]
    """Twelve digits with at most one single-byte separator between neighbours: exact, no confirming."""
    anchor: re.Pattern[bytes] | None
    """A multi-byte separator between two digits: confirmed with ``confirm``."""
    confirm: re.Pattern[bytes]


@functools.lru_cache(maxsize=32)
def searches(reach: Reach, encoding: str) -> _Searches:
    """Build the byte searches for ``encoding`` from the rules' digit and separator characters
    (memoised: a gate scans thousands of small messages with the same rules)."""
    wide = _alternatives({d for d in reach.digits if not d.isascii()}, encoding)
    seps = _alternatives(set(reach.separators), encoding)
    single = b"[" + b"".join(re.escape(s) for s in seps if len(s) == 1) + b"]"
    multi = [s for s in seps if len(s) > 1]
    digit = re.escape(_FILL) + b"*0"
    more = str(DIGITS - 1).encode()
    return _Searches(
        wide=re.compile(b"|".join(re.escape(w) for w in wide)) if wide else None,
        # every wide digit has one length in a given encoding: one constant replacement
        wide_repl=_FILL * (len(wide[0]) - 1) + b"0" if wide else b"",
        # tried once per run of digits: the look-behind skips the rest of a run
        run=re.compile(b"0(?<!00)(?:" + single + b"?" + digit + b"){" + more + b"}"),
        anchor=re.compile(b"0" + _either(multi) + digit) if multi else None,
        confirm=re.compile(b"(?:" + _either(seps) + b"?" + digit + b"){" + more + b"}"),
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do with one block."""

    ranges: list[tuple[int, int]]
    """Line-aligned byte ranges to decode: every hit with the context the engine may read."""
    zones: list[tuple[int, int]]
    """Line-aligned byte ranges (inside ``ranges``) where candidates can start: the hits' lines."""


class BytePrefilter:
    """Finds the byte ranges of a block worth decoding, and the lines worth searching."""

    def __init__(self, encoding: str, reach: Reach) -> None:
        width = ASCII_COMPATIBLE[encoding]
        self._search = searches(reach, "utf-8" if encoding == "utf-8-sig" else encoding)
        self.back_bytes = reach.behind * width
        """Bytes before a hit that may hold its context."""
        self._ahead = reach.ahead * width
        self.head_bytes = reach.head * width

    @staticmethod
    def supports(encoding: str) -> bool:
        """True when ASCII digit bytes in this encoding are always digits."""
        return encoding in ASCII_COMPATIBLE

    def _hits(self, block: bytes) -> list[tuple[int, int]]:
        s = self._search
        zeros = block.translate(_TO_ZERO)
        if s.wide is not None:
            zeros = s.wide.sub(s.wide_repl, zeros)
        hits = [m.span() for m in s.run.finditer(zeros)]
        if s.anchor is not None:
            for m in s.anchor.finditer(zeros):
                # confirm from where the digits before the separator begin
                first = m.start()
                while first > 0 and zeros[first - 1] in b"0\x01" and m.start() - first < DIGITS * 4:
                    first -= 1
                for q in range(first, m.start() + 1):
                    if zeros[q] == 0x30 and (r := s.confirm.match(zeros, q + 1)):
                        hits.append((q, r.end()))
                        break
        return hits

    def plan(self, block: bytes, keep: list[tuple[int, int]] | None = None) -> Plan:
        """Ranges to decode and zones to search in ``block``; ``keep`` adds ranges that must be decoded."""
        hits = self._hits(block)
        zones = _merge_lines(block, hits)
        spans = list(keep or []) + [(max(0, s - self.back_bytes), min(len(block), e + self._ahead)) for s, e in hits]
        ranges = _merge_lines(block, spans)
        if sum(end - start for start, end in ranges) > len(block) * WHOLE_BLOCK_SHARE:
            ranges = [(0, len(block))]  # mostly needed anyway: one piece is cheaper than many
        return Plan(ranges, zones)


def _merge_lines(block: bytes, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start = block.rfind(b"\n", 0, start) + 1
        nl = block.find(b"\n", max(start, end - 1))
        end = len(block) if nl < 0 else nl + 1
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
