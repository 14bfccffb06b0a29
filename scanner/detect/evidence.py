"""Document evidence: what all values of one slot say about each of them.

A slot is where values of one kind sit: a table column, a JSON key or label,
or free text. Many distinct valid values in a slot make it a roster; when only
about one in ten of a slot's 12-digit values passes the check digit (what random
numbers do), the passes are coincidence.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from scanner.rules.model import DocumentSettings

DISTINCT_TRACKED = 4096
"""Distinct values remembered per slot; enough to tell a roster, bounded memory."""

SlotKey = Hashable


@dataclass(slots=True)
class SlotStats:
    """Counts of the 12-digit values seen in one slot."""

    values: int = 0
    valid: int = 0
    distinct: set[int] = field(default_factory=set)
    """Hashes of the valid values seen (in memory only; never written anywhere)."""

    def add(self, valid: bool, digits: str | None) -> None:
        """Count one value; ``digits`` of valid ones feed the distinct count."""
        self.values += 1
        if valid:
            self.valid += 1
            if digits is not None and len(self.distinct) < DISTINCT_TRACKED:
                self.distinct.add(hash(digits))


def slot_evidence(stats: SlotStats, settings: DocumentSettings) -> tuple[float, str | None]:
    """Score change and reason (``roster`` / ``coincidence``) for values of this slot."""
    ratio = stats.valid / stats.values if stats.values else 0.0
    if stats.values >= settings.coincidence_min_values and ratio <= settings.coincidence_max_valid_ratio:
        return settings.coincidence_weight, "coincidence"
    if len(stats.distinct) >= settings.roster_min_distinct and ratio >= settings.roster_min_valid_ratio:
        return settings.roster_weight, "roster"
    return 0.0, None
