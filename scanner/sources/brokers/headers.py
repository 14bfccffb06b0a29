"""Every header the gate and the broker adapters add to a message they pass on. The
names are part of the interface: consumers of the output, quarantine and dead-letter
destinations (and the tests) read them, so they never change."""

from __future__ import annotations

PREFIX = "x-mynumber-dlp-"
"""Starts every header this scanner adds, so a consumer can tell them from the producer's own."""
REASON = PREFIX + "reason"
"""Why a message was diverted: ``my-number``, the reason a part could not be scanned, or ``policy``."""
CONFIDENCE = PREFIX + "confidence"
"""Highest confidence among the diverted message's findings (empty when it has none)."""
FINDINGS = PREFIX + "findings"
"""How many My Numbers were found in the diverted message."""
FINGERPRINTS = PREFIX + "fingerprints"
"""Comma-separated keyed fingerprints of the first findings (never the numbers themselves)."""
SOURCE = PREFIX + "source"
"""Name of the queue gate that diverted the message."""
MASKED = PREFIX + "masked"
"""How many numbers were masked in a message forwarded masked."""
DEAD_LETTER = PREFIX + "dead-letter"
"""Why a message went to the dead-letter destination (e.g. ``too many deliveries``)."""
DELIVERIES = PREFIX + "deliveries"
"""How many times a dead-lettered message had been delivered."""


def dead_letter_headers(reason: str, deliveries: int) -> dict[str, str]:
    """The headers a dead letter carries besides the message's own."""
    return {DEAD_LETTER: reason, DELIVERIES: str(deliveries)}
