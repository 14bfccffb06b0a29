"""Records of the finding contract (DESIGN.md section 3), typed, and their one serialisation.

Inside the scanner a file's results travel as dataclasses: ``FindingRecord`` and
``NotScannedRecord`` (the contract's two record types), closed by one ``FileDone``
(bookkeeping for the caller, never output). Only ``record_dict`` (and ``Summary.as_dict``)
turn them into the contract's JSON objects, with the contract's field order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, NamedTuple

from scanner.detect.finding import Confidence, Finding
from scanner.detect.names import mask_name

NOT_SCANNED_REASONS = ("encrypted", "corrupt", "unsupported", "unreadable", "error")
"""Contract reasons besides ``limit:<name>``."""

MAX_DETAIL_CHARS = 500
"""A not_scanned detail is cut here (our words, an exception type, a size)."""


class _FindingFields(NamedTuple):
    path: str
    member: str | None
    """Where inside the file (``a.zip/b.docx``, ``Sheet1!B2``); None for the file itself."""
    line: int
    column: int
    rule: str
    confidence: Confidence
    score: float
    masked: str
    fingerprint: str
    reasons: tuple[str, ...]


class FindingRecord(_FindingFields):
    """A likely My Number in a file, member or message: never the number, only its masked form
    and keyed fingerprint. A named tuple (a roster makes a million; workers send them to the
    parent as plain tuples, see ``workers``)."""

    __slots__ = ()
    type: ClassVar[str] = "finding"


@dataclass(frozen=True, slots=True)
class NotScannedRecord:
    """A file, member, page or message (part) that could not be read, and why."""

    type: ClassVar[str] = "not_scanned"
    path: str
    member: str | None
    reason: str
    """A contract reason (``NOT_SCANNED_REASONS``) or ``limit:<name>``."""
    detail: str
    """Our words, an exception type, a size: never content (numbers masked)."""


Record = FindingRecord | NotScannedRecord
"""What a scan reports."""


@dataclass(frozen=True, slots=True)
class FileDone:
    """The last item of one file's (or payload's) stream: bookkeeping for the caller, never output."""

    size: int
    """Bytes of the file as it was opened."""
    scanned: bool
    """Whether the file itself was read (False when the whole file is not_scanned)."""
    changed: bool = False
    """The file changed while it was read (the daemon scans it again once it is quiet)."""
    sha256: str | None = None
    """The content's digest, when asked for (the daemon keeps it in its state)."""


ScanItem = Record | FileDone
"""What one file's stream yields: records, then one ``FileDone``."""


def finding_record(path: str, member: str | None, f: Finding) -> FindingRecord:
    """One ``finding`` record."""
    return FindingRecord(path, member, f.line, f.column, f.rule, f.confidence, f.score, f.masked, f.fingerprint,
                         f.reasons)


def safe_detail(text: str) -> str:
    """A detail message with any number in it masked, so none can slip out through an error message;
    other digits (sizes, counts, offsets) are kept: ``limit:max_file_size (300000000 bytes)``."""
    return mask_name(text)[:MAX_DETAIL_CHARS]


def not_scanned_record(path: str, member: str | None, reason: str, detail: str) -> NotScannedRecord:
    """One ``not_scanned`` record; ``reason`` is a contract reason or ``limit:<name>``."""
    if reason not in NOT_SCANNED_REASONS and not reason.startswith("limit:"):
        raise ValueError(f"not a contract reason: {reason}")
    return NotScannedRecord(path, member, reason, safe_detail(detail))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
"""Each record class's field names, in order (``fields()`` is slow for a million records)."""


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        named = getattr(cls, "_fields", None)  # a named tuple's, else a dataclass's
        names = _FIELD_NAMES[cls] = named if named is not None else tuple(f.name for f in fields(cls))
    return names


def record_dict(rec: Record) -> dict[str, Any]:
    """The contract's JSON object for a record: ``type`` first, then the fields in order."""
    out: dict[str, Any] = {"type": rec.type}
    for name in _field_names(type(rec)):
        value = getattr(rec, name)
        if isinstance(value, Confidence):
            value = value.label
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def findings_of(items: Sequence[ScanItem]) -> list[FindingRecord]:
    """The finding records among a file's items."""
    return [r for r in items if isinstance(r, FindingRecord)]


def unscanned_of(items: Sequence[ScanItem]) -> list[NotScannedRecord]:
    """The not_scanned records among a file's items."""
    return [r for r in items if isinstance(r, NotScannedRecord)]


def max_confidence(findings: list[FindingRecord]) -> Confidence | None:
    """The highest confidence among findings, or None when there are none."""
    return max((f.confidence for f in findings), default=None)


@dataclass(slots=True)
class Summary:
    """Totals of one scan, written as the closing ``summary`` record."""

    files_scanned: int = 0
    bytes_scanned: int = 0
    findings: dict[str, int] = field(default_factory=lambda: {"low": 0, "medium": 0, "high": 0})
    not_scanned: dict[str, int] = field(default_factory=dict)
    duration_seconds: float = 0.0
    ruleset: str = ""
    suppressed: dict[str, int] = field(default_factory=dict)
    """Findings hidden, by what hid them (``baseline``, ``allowlist``, ``sample``)."""

    def count(self, record: Record) -> None:
        """Add one finding or not_scanned record to the totals."""
        if isinstance(record, FindingRecord):
            self.findings[record.confidence.label] += 1
        else:
            self.not_scanned[record.reason] = self.not_scanned.get(record.reason, 0) + 1

    @property
    def total_findings(self) -> int:
        return sum(self.findings.values())

    @property
    def total_not_scanned(self) -> int:
        return sum(self.not_scanned.values())

    def as_dict(self) -> dict[str, Any]:
        """The ``summary`` record."""
        return {
            "type": "summary",
            "files_scanned": self.files_scanned,
            "bytes_scanned": self.bytes_scanned,
            "findings": self.total_findings,
            "findings_by_confidence": dict(self.findings),
            "not_scanned": self.total_not_scanned,
            "not_scanned_by_reason": dict(sorted(self.not_scanned.items())),
            "suppressed": sum(self.suppressed.values()),
            "suppressed_by": dict(self.suppressed),
            "duration_seconds": round(self.duration_seconds, 3),
            "ruleset": self.ruleset,
        }
