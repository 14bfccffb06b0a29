"""One place that decides whether a finding is hidden, for every source: the scan command, the
daemon's files, the queue gates and the web services all ask the same ``Suppressor``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from scanner.report.records import FindingRecord, ScanItem
from scanner.triage.allowlist import Allowlist
from scanner.triage.baseline import Baseline

SuppressedBy = Literal["baseline", "allowlist", "sample"]
SUPPRESSED_BY: tuple[SuppressedBy, ...] = ("baseline", "allowlist", "sample")
"""Why a finding was hidden (the ``by`` label of ``mynumber_dlp_findings_suppressed_total``)."""
Item = TypeVar("Item", bound=ScanItem)


@dataclass
class Suppressor:
    """Applies a baseline, an allowlist and the sample numbers; counts what each hid."""

    baseline: Baseline | None = None
    allowlist: Allowlist | None = None
    samples: frozenset[str] = frozenset()
    """Fingerprints of the sample numbers, when ``allow_samples`` is on."""
    counted: Counter[str] = field(default_factory=Counter)
    """Findings hidden so far, by ``SUPPRESSED_BY``."""
    on_suppressed: Callable[[SuppressedBy], None] | None = None
    """Told each hidden finding's reason (the daemon's metric)."""
    collect: list[FindingRecord] | None = None
    """Every finding asked about, hidden or not (``scan --write-baseline`` writes them)."""
    digest: str = ""
    """Names what this suppressor hides (its files' bytes, the samples switch): the daemon's
    state sees a file scanned under another allowlist as not yet scanned."""

    @property
    def active(self) -> bool:
        """Whether anything can be hidden or collected at all."""
        return bool(self.baseline or self.allowlist or self.samples) or self.collect is not None

    def why_hidden(self, record: FindingRecord) -> SuppressedBy | None:
        """Why ``record`` is hidden, or None when it is reported."""
        if record.fingerprint in self.samples:
            return "sample"
        if self.allowlist is not None and self.allowlist.match(record) is not None:
            return "allowlist"
        if self.baseline is not None and self.baseline.holds(record):
            return "baseline"
        return None

    def hides(self, record: ScanItem) -> bool:
        """Whether ``record`` is hidden (counted when it is); not_scanned records never are."""
        if not isinstance(record, FindingRecord) or not self.active:
            return False
        if self.collect is not None:
            self.collect.append(record)
        why = self.why_hidden(record)
        if why is None:
            return False
        self.counted[why] += 1
        if self.on_suppressed is not None:
            self.on_suppressed(why)
        return True

    def kept(self, records: Sequence[Item]) -> list[Item]:
        """``records`` without the hidden findings (not_scanned records and ``FileDone`` stay)."""
        if not self.active:
            return list(records)  # nothing to hide: a roster's million findings are not each asked
        return [r for r in records if not self.hides(r)]
