"""Exact data match: fingerprint lists of numbers known to be real (an HR export).

``mynumber-dlp fingerprint FILE`` turns a list of numbers into fingerprints
without printing any number; a scan given that list raises any finding whose
fingerprint is on it to high (reason ``known-number``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import regex

from scanner.detect.checkdigit import is_valid, normalise_digits
from scanner.i18n import _
from scanner.privacy.fingerprint import Fingerprinter

FINGERPRINT_LIST_HEADER = "# mynumber-dlp fingerprint list v1"
_HEX64 = regex.compile(r"^[0-9a-f]{64}$")
_NUMBER = regex.compile(
    r"^[0-9\uFF10-\uFF19][0-9\uFF10-\uFF19 \-\u3000\u2010-\u2015\u2212\uFF0D]{10,22}[0-9\uFF10-\uFF19]$"
)


@dataclass(slots=True)
class ListStats:
    """What was read from a number list (counts only)."""

    valid: int = 0
    invalid: int = 0
    skipped: int = 0


def _delimiter(text: str) -> str:
    """Tab for tab-separated text (a sheet as the extractors give it, an Excel "Unicode text"
    export), else comma."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return "\t" if "\t" in first else ","


def _cells(text: str, column: str | None) -> Iterator[str]:
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    if not rows:
        return
    start = 0
    index: int | None = None
    if column is not None:
        header = [h.strip() for h in rows[0]]
        if column not in header:
            raise ValueError(_("column {column} is not in the header row").format(column=repr(column)))
        index, start = header.index(column), 1
    for row in rows[start:]:
        if index is None:
            yield from row
        elif index < len(row):
            yield row[index]


def fingerprints_from_text(text: str, fp: Fingerprinter, column: str | None = None) -> tuple[list[str], ListStats]:
    """Fingerprints of every check-digit-valid number in a list (one per line, or a CSV column)."""
    return fingerprints_from_texts([text], fp, column)


def fingerprints_from_texts(
    texts: Iterable[str], fp: Fingerprinter, column: str | None = None
) -> tuple[list[str], ListStats]:
    """The same over several texts (the sheets of a workbook, the parts of a document); with
    ``column``, each text is a table whose header row names it, and a text without it is skipped."""
    stats = ListStats()
    seen: dict[str, None] = {}
    found_column = column is None
    for text in texts:
        try:
            cells = list(_cells(text, column))
        except ValueError:
            continue  # this sheet has no such column; another may
        found_column = True
        _add(cells, fp, stats, seen)
    if not found_column:
        raise ValueError(_("column {column} is not in the header row").format(column=repr(column)))
    return list(seen), stats


def _add(cells: Iterable[str], fp: Fingerprinter, stats: ListStats, seen: dict[str, None]) -> None:
    for cell in cells:
        cell = cell.strip()
        if not _NUMBER.match(cell):
            stats.skipped += 1 if cell else 0
            continue
        digits = normalise_digits(cell)
        if len(digits) != 12 or not is_valid(digits):
            stats.invalid += 1
            continue
        stats.valid += 1
        seen[fp(digits)] = None


def write_list(fingerprints: Iterable[str]) -> str:
    """The text of a fingerprint list file."""
    return FINGERPRINT_LIST_HEADER + "\n" + "".join(f + "\n" for f in fingerprints)


def load_list(path: Path) -> frozenset[str]:
    """Read a fingerprint list file (one lowercase hex HMAC per line; ``#`` comments)."""
    out = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not _HEX64.match(line):
            raise ValueError(_("{path}:{line}: not a fingerprint (64 lowercase hex digits)").format(path=path, line=n))
        out.add(line)
    return frozenset(out)
