"""The schema of a rule file (see rules/jp-my-number.toml): every key, its type, range and
default. A user's file holds only what it changes; the merged rule must be complete."""

from __future__ import annotations

from typing import Annotated

import regex
from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from scanner.i18n import _
from scanner.schema import Between, Seq, StrictModel

VALIDATORS = frozenset({"my-number"})
"""Check-digit algorithms implemented in code that a rule may name."""

COMBINATION = "combination"
"""Error type of checks across several keys: a user's file on its own may fail them."""

Fraction = Annotated[float, Between(0.0, 1.0)]
Text = Annotated[str, Field(min_length=1)]


def _not_blank(word: str) -> str:
    if not word.strip():
        raise PydanticCustomError("blank", _("must not be blank"))
    return word


def _compiles(pattern: str | None) -> str | None:
    if pattern is not None:
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise PydanticCustomError("regex", _("does not compile: {why}"), {"why": str(exc)}) from None
    return pattern


Word = Annotated[str, AfterValidator(_not_blank)]
Regex = Annotated[str | None, AfterValidator(_compiles)]


class Named(StrictModel):
    """An item of an array that merges by ``name``; ``enabled = false`` drops it."""

    name: Text
    """Identifies the item across files (and in reasons)."""
    enabled: bool = True
    """``false`` drops the item (and a shipped item of the same name)."""


class FormSpec(Named):
    """``[[candidates.forms]]``: one way a number is written."""

    pattern: Text
    """Python ``re`` pattern with ``{D} {S} {H} {W} {B}`` classes and ``{SEP}``/``{=SEP}``."""
    score: Fraction
    """Score of a check-digit-valid candidate of this form before any context."""


class CandidatesSpec(StrictModel):
    """``[candidates]``: character classes and forms."""

    digit: Text
    """Character-class body of ``{D}``."""
    separator: Text
    """Character-class body of ``{S}`` (and ``{SEP}``)."""
    hyphen: Text
    """Character-class body of ``{H}``."""
    space: Text
    """Character-class body of ``{W}``."""
    box: Text = "|"
    """Character-class body of ``{B}``: what stands between digits written one per box."""
    gap: Annotated[int, Between(1, 4)] = 1
    """Most characters any form writes between two neighbouring digits (the byte prefilter allows as many)."""
    prefilter: bool = True
    """Every form holds four ASCII digits in a row, spaced digits or full-width digits."""
    start: str = ""
    """Regex every form's match satisfies at its start (placeholders allowed)."""
    forms: Seq[FormSpec] = ()
    """The forms; at least one."""


class GroupSpec(Named):
    """``[[context.positive]]`` / ``[[context.negative]]``: words that share a weight."""

    weight: Fraction
    """How much a word of the group raises (positive) or lowers (negative) the score."""
    words: Seq[Word]
    """The words, matched folded (case, width)."""


class ContextSpec(StrictModel):
    """``[context]``: how far and how strongly context words count."""

    window: Annotated[int, Between(0, 4096)]
    """Characters each side searched for context words."""
    near: Annotated[int, Between(0, 4096)]
    """Within this distance a word counts fully; it fades to ``far_factor`` at ``window``."""
    far_factor: Fraction
    """Share of a word's weight at the edge of the window."""
    attenuation: Fraction
    """Weight kept by the strongest word of the side that is not nearest."""
    label_window: Annotated[int, Between(0, 65536)]
    """How far back a label is looked for."""
    other_line_factor: Fraction = 1.0
    """Share of a word's weight when a line break separates it from the value."""
    topic_window: Annotated[int, Between(0, 65536)] = 0
    """How far back a positive word still says what the conversation is about."""
    topic_factor: Fraction = 0.0
    """Share of such a topic word's weight that counts."""
    title_factor: Fraction = 0.0
    """Share of a strong word's weight when it is in a title (file name, sheet, mail subject); never high alone."""
    positive: Seq[GroupSpec] = ()
    """Word groups that raise the score."""
    negative: Seq[GroupSpec] = ()
    """Word groups that lower the score."""


class ThresholdsSpec(StrictModel):
    """``[thresholds]``: lowest score of each confidence level."""

    low: Fraction
    """Below this nothing is reported."""
    medium: Fraction
    """Lowest score of ``medium``."""
    high: Fraction
    """Lowest score of ``high``."""

    @model_validator(mode="after")
    def _ordered(self) -> ThresholdsSpec:
        if not self.low <= self.medium <= self.high:
            raise PydanticCustomError(COMBINATION, _("thresholds must satisfy low <= medium <= high"))
        return self


class StructureSpec(StrictModel):
    """``[structure]``: column headers, JSON keys and labels."""

    factor: Annotated[float, Between(0.0, 2.0)] = 1.0
    """Structural context counts as a word at distance 0, times this."""
    transparent_labels: Seq[str] = ()
    """Generic keys (``value``, ``data``) that wrap the value of the label above them."""
    label_keys: Seq[str] = ()
    """Keys whose string value labels the value of the generic key after them (``"question": "個人番号"``)."""


class DocumentSpec(StrictModel):
    """``[document]``: evidence from all values of one slot."""

    roster_min_distinct: Annotated[int, Between(1, 10**9)]
    """Distinct valid values in one slot ..."""
    roster_min_valid_ratio: Fraction
    """... with this share of its 12-digit values valid: a roster."""
    roster_weight: Fraction
    """What a roster adds."""
    coincidence_min_values: Annotated[int, Between(1, 10**9)]
    """12-digit values in one slot ..."""
    coincidence_max_valid_ratio: Fraction
    """... of which at most this share pass: coincidence."""
    coincidence_weight: Annotated[float, Between(-1.0, 0.0)]
    """What a coincidence adds (negative)."""
    roster_floor: Fraction
    """The least score of a roster's values, whatever a generic header says (statistics are evidence) ..."""
    roster_floor_max_negative: Fraction
    """... a header or word no stronger than this, and no adjustment (amount, date-time, part of a token)."""
    long_roster_min_distinct: Annotated[int, Between(1, 10**9)]
    """Distinct valid values that make a long roster ..."""
    long_roster_floor: Fraction
    """... whose values score at least this (without context of their own never high)."""


class AdjustmentSpec(Named):
    """``[[adjustments]]``: a score change for how the digits sit in the text."""

    weight: Annotated[float, Between(-1.0, 1.0)]
    """Added to the score when the adjustment applies."""
    before: Regex = None
    """Regex searched in the few characters before the candidate."""
    after: Regex = None
    """Regex searched in the few characters after the candidate."""
    digits: Regex = None
    """Regex matched against the 12 normalised digits."""

    @model_validator(mode="after")
    def _says_where(self) -> AdjustmentSpec:
        if not (self.before or self.after or self.digits):
            raise PydanticCustomError(COMBINATION, _("needs at least one of 'before', 'after', 'digits'"))
        return self


class CardSpec(StrictModel):
    """``[card]``: the card itself recognised in an image by its printed words (finding rule ``<id>-card``)."""

    number_label: Text
    """The label printed before the number: a card is one only with it (the front of a
    マイナンバーカード prints no number: a photo ID, not a leak)."""
    titles: Seq[Text]
    """Printed titles of the card or letter (通知カード, 個人番号通知書 ...) ..."""
    title_max_extra: Annotated[int, Between(0, 64)] = 4
    """... on a line of their own: at most this many other characters (a sentence naming the card is no card)."""
    fields: Seq[Text]
    """Words printed on the card beside the number (氏名, 住所, 生年月日 ...)."""
    min_fields: Annotated[int, Between(0, 64)] = 2
    """Fields a title needs beside it to be the card."""
    title_score: Fraction
    """Score of a title with its fields."""
    back_fields: Seq[Text] = ()
    """Words that with the number's label make the back of the card without a title (氏名, 生年月日) ..."""
    back_max_lines: Annotated[int, Between(0, 1000)] = 8
    """... on an image of at most this many lines of text (a form has many more) ..."""
    back_score: Fraction = 0.0
    """... scored this."""
    not_card: Seq[Text] = ()
    """Words of forms and letters about the card (申告書, 記入, 貼付 ...): with one, the back's
    fields alone do not make a card."""


class RuleFile(StrictModel):
    """A rule file, and the merged data of all files of one rule ``id``."""

    id: Text
    """Files with the same id merge into one rule."""
    name: str | None = None
    """Shown in SARIF; default: the id."""
    description: str = ""
    """What the rule detects."""
    validator: str
    """Check-digit algorithm (code): ``my-number``."""
    enabled: bool = True
    """``false`` drops the whole rule."""
    candidates: CandidatesSpec
    """Character classes and forms."""
    thresholds: ThresholdsSpec
    """Confidence thresholds."""
    context: ContextSpec
    """Context words and windows."""
    structure: StructureSpec = StructureSpec()
    """Structural context."""
    document: DocumentSpec
    """Document evidence."""
    adjustments: Seq[AdjustmentSpec] = ()
    """Score adjustments."""
    card: CardSpec | None = None
    """The card itself, recognised in images (OCR)."""

    @field_validator("validator")
    @classmethod
    def _known_validator(cls, value: str) -> str:
        if value not in VALIDATORS:
            raise PydanticCustomError("validator", _("unknown validator {value} (known: {known})"),
                                      {"value": repr(value), "known": ", ".join(sorted(VALIDATORS))})
        return value
