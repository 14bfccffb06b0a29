"""Turn the evidence around one candidate into a score in 0..1 and its reasons.

score = form score + strongest positive context - strongest negative context
        + adjustments + document evidence, clamped to 0..1.
Context words fade with distance (full within ``near``, down to ``far_factor``
at ``window``); structural context (column header, JSON key, label) counts in
full wherever it is. Whichever side's word is nearest owns the value: the other
side's strongest word keeps only ``attenuation`` of its weight.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.detect.finding import Confidence
from scanner.rules.model import ContextSettings, Thresholds


@dataclass(frozen=True, slots=True)
class ContextHit:
    """One piece of context: a word nearby or a structural header, with its signed weight."""

    kind: str
    """``keyword``, ``column``, ``key``, ``label`` or ``topic`` (shown in reasons)."""
    word: str
    weight: float
    distance: int
    structural: bool
    scale: float = 1.0
    """Share of the weight that counts: less across a line break, or for the conversation's topic."""


def fade(distance: int, settings: ContextSettings) -> float:
    """How much of a nearby word's weight counts at ``distance`` characters."""
    if distance <= settings.near:
        return 1.0
    if distance >= settings.window:
        return settings.far_factor if distance == settings.window else 0.0
    span = settings.window - settings.near
    return settings.far_factor + (1.0 - settings.far_factor) * (settings.window - distance) / span


def _strongest(
    hits: list[ContextHit], sign: int, settings: ContextSettings, factor: float
) -> tuple[float, ContextHit | None]:
    best, best_hit = 0.0, None
    for h in hits:
        if (h.weight > 0) != (sign > 0) or h.weight == 0:
            continue
        value = abs(h.weight) * h.scale * (factor if h.structural else fade(h.distance, settings))
        if value > best or (value == best and best_hit is not None and h.distance < best_hit.distance):
            best, best_hit = value, h
    return best, best_hit


def context_score(
    hits: list[ContextHit], settings: ContextSettings, structure_factor: float
) -> tuple[float, list[str], bool]:
    """Net context contribution, its reasons, and whether positive context was present."""
    pos, pos_hit = _strongest(hits, +1, settings, structure_factor)
    neg, neg_hit = _strongest(hits, -1, settings, structure_factor)
    if pos_hit is not None and neg_hit is not None:
        if pos_hit.distance < neg_hit.distance:
            neg *= settings.attenuation
        elif neg_hit.distance < pos_hit.distance:
            pos *= settings.attenuation
    reasons = []
    if pos_hit is not None:
        reasons.append(f"{pos_hit.kind}:{pos_hit.word}")
    if neg_hit is not None:
        reasons.append(f"negative-{neg_hit.kind}:{neg_hit.word}")
    return pos - neg, reasons, pos_hit is not None and pos > neg


def confidence_of(score: float, thresholds: Thresholds) -> Confidence | None:
    """Confidence level of a score, or None when it is below ``low``."""
    if score >= thresholds.high:
        return Confidence.HIGH
    if score >= thresholds.medium:
        return Confidence.MEDIUM
    if score >= thresholds.low:
        return Confidence.LOW
    return None


def clamp(score: float) -> float:
    """Keep a score within 0..1, rounded for stable output."""
    return round(min(1.0, max(0.0, score)), 3)
