"""Output records of the finding contract (DESIGN.md section 3) and the scan summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner.detect.finding import Finding
from scanner.detect.names import mask_name

NOT_SCANNED_REASONS = ("encrypted", "corrupt", "unsupported", "unreadable", "error")
"""Contract reasons besides ``limit:<name>``."""

Record = dict[str, Any]

MAX_DETAIL_CHARS = 500
"""A not_scanned detail is cut here (our words, an exception type, a size)."""


def finding_record(path: str, member: str | None, f: Finding) -> Record:
    """One ``finding`` record."""
    return {
        "type": "finding",
        "path": path,
        "member": member,
        "line": f.line,
        "column": f.column,
        "rule": f.rule,
        "confidence": f.confidence.label,
        "score": f.score,
        "masked": f.masked,
        "fingerprint": f.fingerprint,
        "reasons": list(f.reasons),
    }


def safe_detail(text: str) -> str:
    """A detail message with any number in it masked, so none can slip out through an error message;
    other digits (sizes, counts, offsets) are kept: ``limit:max_file_size (300000000 bytes)``."""
    return mask_name(text)[:MAX_DETAIL_CHARS]


def not_scanned_record(path: str, member: str | None, reason: str, detail: str) -> Record:
    """One ``not_scanned`` record; ``reason`` is a contract reason or ``limit:<name>``."""
    if reason not in NOT_SCANNED_REASONS and not reason.startswith("limit:"):
        raise ValueError(f"not a contract reason: {reason}")
    return {"type": "not_scanned", "path": path, "member": member, "reason": reason, "detail": safe_detail(detail)}


@dataclass(slots=True)
class Summary:
    """Totals of one scan, written as the closing ``summary`` record."""

    files_scanned: int = 0
    bytes_scanned: int = 0
    findings: dict[str, int] = field(default_factory=lambda: {"low": 0, "medium": 0, "high": 0})
    not_scanned: dict[str, int] = field(default_factory=dict)
    duration_seconds: float = 0.0
    ruleset: str = ""

    def count(self, record: Record) -> None:
        """Add one finding or not_scanned record to the totals."""
        if record["type"] == "finding":
            self.findings[record["confidence"]] += 1
        elif record["type"] == "not_scanned":
            self.not_scanned[record["reason"]] = self.not_scanned.get(record["reason"], 0) + 1

    @property
    def total_findings(self) -> int:
        return sum(self.findings.values())

    @property
    def total_not_scanned(self) -> int:
        return sum(self.not_scanned.values())

    def record(self) -> Record:
        """The ``summary`` record."""
        return {
            "type": "summary",
            "files_scanned": self.files_scanned,
            "bytes_scanned": self.bytes_scanned,
            "findings": self.total_findings,
            "findings_by_confidence": dict(self.findings),
            "not_scanned": self.total_not_scanned,
            "not_scanned_by_reason": dict(sorted(self.not_scanned.items())),
            "duration_seconds": round(self.duration_seconds, 3),
            "ruleset": self.ruleset,
        }
