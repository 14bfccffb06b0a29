"""Numbers written in file and member names (``個人番号_123456789018.pdf``).

A name is not document text: it has no lines, tables or labels, and its words are
glued together with ``_`` and ``.``. So names get their own small detector: twelve
digits (ASCII or full-width), either contiguous or grouped 4-4-4 with one separator,
not part of a longer digit run, with a correct check digit. This is pure: a name in,
hits out; masking and reporting happen at the edges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scanner.detect.checkdigit import is_trivial, is_valid
from scanner.detect.finding import Confidence, Finding
from scanner.privacy.fingerprint import mask

if TYPE_CHECKING:
    from scanner.detect.engine import Engine

_DIGIT = "[0-9\uff10-\uff19]"
_SEP = "[ _.\\-\u3000\u2010\u2212\uff0d\u30fc]"
NAME_NUMBER = re.compile(
    rf"(?<![0-9\uff10-\uff19])(?:{_DIGIT}{{12}}|{_DIGIT}{{4}}({_SEP}){_DIGIT}{{4}}\1{_DIGIT}{{4}})(?![0-9\uff10-\uff19])"
)
"""Twelve digits, contiguous or 4-4-4 with the same separator twice, bounded by non-digits."""
_TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True, slots=True)
class NameHit:
    """A check-digit-valid number inside a name; ``digits`` never leaves the process."""

    start: int
    """0-based offset of the first character in the name."""
    end: int
    digits: str = field(repr=False)
    """The 12 ASCII digits (for the fingerprint only)."""


def numbers_in_name(name: str) -> list[NameHit]:
    """The check-digit-valid 12-digit numbers written in ``name``."""
    hits = []
    for m in NAME_NUMBER.finditer(name):
        digits = "".join(ch for ch in m.group(0).translate(_TO_ASCII) if ch.isdigit())
        if is_valid(digits) and not is_trivial(digits):
            hits.append(NameHit(m.start(), m.end(), digits))
    return hits


def mask_name(name: str) -> str:
    """``name`` with every number in it masked as in findings: all but the last 4 digits hidden."""
    hits = numbers_in_name(name)
    if not hits:
        return name
    out, pos = [], 0
    for h in hits:
        out.append(name[pos:h.start])
        run = name[h.start:h.end]
        seen, total = 0, sum(ch.isdigit() for ch in run)
        masked = []
        for ch in run:
            if ch.isdigit():
                seen += 1
                masked.append("*" if seen <= total - 4 else ch)
            else:
                masked.append(ch)
        out.append("".join(masked))
        pos = h.end
    out.append(name[pos:])
    return "".join(out)


NAME_REASON = "in-name"
"""Reason carried by every finding made in a file or member name."""
NAME_LINE = 0
"""``line`` of a finding in a name: 0, the name itself (document text starts at line 1)."""
_GLUE = re.compile(r"(?<![0-9\uff10-\uff19])[_.]|[_.](?![0-9\uff10-\uff19])")
"""``_`` and ``.`` that glue words together in names; shown to the engine as spaces."""


def name_findings(engine: Engine, name: str) -> list[Finding]:
    """A finding for each number in ``name`` (its last path component): the engine's judgement
    of the name read as a short text when it has one (a keyword such as 個人番号 raises it),
    else ``low``: a valid number in a name is worth a look, never silence."""
    hits = numbers_in_name(name)
    if not hits:
        return []
    judged = {f.column: f for f in engine.scan_text(_GLUE.sub(" ", name))}
    rule = engine.ruleset.rules[0]
    out = []
    for h in hits:
        seen = judged.get(h.start + 1)
        if seen is not None:
            out.append(seen._replace(line=NAME_LINE, reasons=(*seen.reasons, NAME_REASON)))
        else:
            out.append(
                Finding(
                    rule=rule.id, line=NAME_LINE, column=h.start + 1, confidence=Confidence.LOW,
                    score=rule.thresholds.low, masked=mask(h.digits), fingerprint=engine.fingerprint(h.digits),
                    reasons=("check-digit", NAME_REASON),
                )
            )
    return out
