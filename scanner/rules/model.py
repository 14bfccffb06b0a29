"""The immutable, compiled form of rule files (see rules/*.toml; their schema is ``schema.py``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Form:
    """One way a number is written, as a regex over the text."""

    name: str
    """Shown in reasons as ``form:<name>``."""
    pattern: str
    """Regex with placeholders expanded; its whole match is the candidate."""
    score: float
    """Score of a check-digit-valid candidate of this form before any context."""


@dataclass(frozen=True, slots=True)
class ContextGroup:
    """Context words that share a weight."""

    name: str
    weight: float
    """Always >= 0; the group's polarity says whether it raises or lowers."""
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A score change when the text right around the digits, or the digits, look a certain way."""

    name: str
    weight: float
    before: str | None
    """Regex searched in the few characters before the candidate."""
    after: str | None
    """Regex searched in the few characters after the candidate."""
    digits: str | None
    """Regex matched against the 12 normalised digits."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Lowest score of each confidence level; below ``low`` nothing is reported."""

    low: float
    medium: float
    high: float


@dataclass(frozen=True, slots=True)
class ContextSettings:
    """How far and how strongly context words count."""

    window: int
    near: int
    far_factor: float
    attenuation: float
    label_window: int
    other_line_factor: float
    """Share of a nearby word's weight that counts when a line break separates it from the value."""
    topic_window: int
    """How far back a positive word still says what the conversation is about."""
    topic_factor: float
    """Share of such a topic word's weight that counts."""
    title_factor: float
    """Share of a strong word's weight when it is in a title of the document (never high alone)."""


@dataclass(frozen=True, slots=True)
class DocumentSettings:
    """Evidence from all values of one slot (column, JSON key, label, free text)."""

    roster_min_distinct: int
    roster_min_valid_ratio: float
    roster_weight: float
    coincidence_min_values: int
    coincidence_max_valid_ratio: float
    coincidence_weight: float
    roster_floor: float
    roster_floor_max_negative: float
    long_roster_min_distinct: int
    long_roster_floor: float


@dataclass(frozen=True, slots=True)
class CardSettings:
    """How the card itself is recognised in the text OCR read from one image (see ``detect/card.py``)."""

    number_label: str
    titles: tuple[str, ...]
    title_max_extra: int
    fields: tuple[str, ...]
    min_fields: int
    title_score: float
    back_fields: tuple[str, ...]
    back_max_lines: int
    back_score: float
    not_card: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """A detector: candidate forms, a validator, context and scoring."""

    id: str
    name: str
    description: str
    validator: str
    forms: tuple[Form, ...]
    positive: tuple[ContextGroup, ...]
    negative: tuple[ContextGroup, ...]
    adjustments: tuple[Adjustment, ...]
    thresholds: Thresholds
    context: ContextSettings
    structure_factor: float
    transparent_labels: tuple[str, ...]
    label_keys: tuple[str, ...]
    """Generic keys (``value``, ``data``) that wrap the value of the label above them."""
    document: DocumentSettings
    sources: tuple[str, ...]
    """Rule files this rule was assembled from, in merge order."""
    classes: dict[str, str]
    """Character-class bodies of the placeholders {D} {S} {H} {W} {B}."""
    start: str
    """Regex every form's match satisfies at its start (expanded); lets the search skip positions fast."""
    prefilter: bool
    gap: int
    """Most characters a form writes between two neighbouring digits."""
    card: CardSettings | None = None
    """The card itself in images (its findings' rule is ``<id>-card``); None: not looked for."""
    """Every form holds four ASCII digits in a row, spaced digits or full-width digits (see core/src/prefilter.rs)."""


@dataclass(frozen=True, slots=True)
class Ruleset:
    """All enabled rules, plus a digest that changes whenever any rule changes."""

    rules: tuple[Rule, ...]
    version: str
    """Short SHA-256 of the merged rule data; stored with scan state to trigger rescans."""
