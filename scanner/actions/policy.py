"""Policy: which scan results raise an alert, and which send the file to quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from scanner.detect.finding import Confidence
from scanner.report.records import FindingRecord
from scanner.schema import ConfidenceLevel, StrictModel


class Policy(StrictModel):
    """Thresholds, per source or global (``[policy]``, ``[serve.watch.policy]``)."""

    alert_min_findings: int = Field(1, ge=1)
    """Alert when at least this many findings ..."""
    alert_min_confidence: ConfidenceLevel = Confidence.MEDIUM
    """... are at or above this confidence."""
    quarantine_min_findings: int = Field(1, ge=1)
    """Quarantine (when a quarantine directory is set) at this many findings ..."""
    quarantine_min_confidence: ConfidenceLevel = Confidence.HIGH
    """... at or above this confidence."""
    quarantine: bool = True
    """Whether this source quarantines at all."""
    on_unscanned: Literal["alert", "quarantine", "ignore"] = "alert"
    """A file that could not be scanned (encrypted, corrupt, over a limit): ``alert``,
    ``quarantine`` (also alert) or ``ignore`` (count it in the metrics only)."""


@dataclass(frozen=True, slots=True)
class Decision:
    alert: bool
    quarantine: bool


def _count(findings: list[FindingRecord], level: Confidence) -> int:
    return sum(1 for f in findings if f.confidence >= level)


def decide(policy: Policy, findings: list[FindingRecord], quarantine_enabled: bool) -> Decision:
    """What to do about a file with these findings."""
    alert = _count(findings, policy.alert_min_confidence) >= policy.alert_min_findings
    quarantine = (
        quarantine_enabled
        and policy.quarantine
        and _count(findings, policy.quarantine_min_confidence) >= policy.quarantine_min_findings
    )
    return Decision(alert=alert or quarantine, quarantine=quarantine)
