"""The card itself: a photo or scan of a マイナンバーカード, a 通知カード or a 個人番号通知書,
recognised in the lines OCR read from one image by the words the card prints.

An image of the card leaks the number even when the number is covered, cut off or misread,
so it is a finding of its own (rule ``<rule id>-card``, e.g. ``jp-my-number-card``). Two ways
to recognise it, both from the rule's ``[card]`` table:

- a **title** on a line of its own (``個人番号カード``; a sentence that names the card, as
  forms and instructions do, is no title) with at least ``min_fields`` of the card's printed
  fields elsewhere (氏名, 住所, 生年月日, 有効, 市長 ...): ``title_score``;
- the **back** of the card, which prints no title: the number's label (or, as a photo loses
  that small print, a number alone on its line) with each of ``back_fields`` (氏名, 生年月日)
  filled in, on an image of at most ``back_max_lines`` lines with none of the words of forms
  (申告書, 記入, 住所 ...): ``back_score``.

Pure: lines in, at most one finding out. Its mask and fingerprint are the number's when the
engine read the number on the same image; else the mask shows the last four digits read after
the 個人番号 label (or none) and the fingerprint is the keyed HMAC of the card's text, so the
same image is one finding across scans and no digit is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence

from scanner.detect.finding import Confidence, Finding
from scanner.privacy.fingerprint import MASK_CHAR, VISIBLE_DIGITS, Fingerprinter, mask
from scanner.rules.model import CardSettings, Rule

CARD_SUFFIX = "-card"
"""A card finding's rule is the number rule's id with this suffix."""
NUMBER_DIGITS = 12
RUN_MIN_DIGITS = 10
"""A line of this many digits and nothing else is the number as the card prints it (misread or not)."""
SEPARATORS = frozenset("-‐−－ー 　")
"""What may stand between the digit groups of a printed number."""
FIELD_VALUE_MIN = 2
"""Characters a field needs after it on its line to be filled in (氏名山田花子), not a blank form's label."""


def card_finding(
    rule: Rule, lines: Sequence[str], numbers: Sequence[Finding], fingerprint: Fingerprinter
) -> Finding | None:
    """The card finding for the text ``lines`` of one image, or None when they are no card.
    ``numbers`` are the engine's findings on the same lines (the number, when it was read)."""
    card = rule.card
    if card is None:
        return None
    letters = ["".join(line.split()) for line in lines]
    found = _by_title(card, letters) or _by_back(card, letters)
    if found is None:
        return None
    score, line, reasons = found
    confidence = _confidence(rule, score)
    if confidence is None:
        return None
    number = max(numbers, key=lambda f: f.score, default=None)
    if number is not None:
        masked, digest = number.masked, number.fingerprint
    else:
        masked, digest = _mask(card, letters), fingerprint.text("card:" + "\n".join(letters))
    return Finding(rule.id + CARD_SUFFIX, line + 1, 1, confidence, score, masked, digest, reasons)


def _by_title(card: CardSettings, letters: list[str]) -> tuple[float, int, tuple[str, ...]] | None:
    for i, text in enumerate(letters):
        title = next((t for t in card.titles if "".join(t.split()) in text), None)
        if title is None or len(text) - len("".join(title.split())) > card.title_max_extra:
            continue
        others = "".join(letters[:i] + letters[i + 1:])
        fields = [f for f in card.fields if f in others]
        if card.number_label in others and len(fields) >= card.min_fields:
            return card.title_score, i, ("card", f"title:{title}", f"fields:{len(fields)}")
    return None


def _by_back(card: CardSettings, letters: list[str]) -> tuple[float, int, tuple[str, ...]] | None:
    text = "".join(letters)
    shown = [x for x in letters if x]
    if not card.back_fields or len(shown) > card.back_max_lines or any(w in text for w in card.not_card):
        return None
    # each field with its value beside it (氏名 山田 花子): a blank form's bare labels are no card
    if not all(any(_has_value(x, f) for x in letters) for f in card.back_fields):
        return None
    label = next((i for i, x in enumerate(letters) if card.number_label in x), None)
    # the label is small print a photo loses; the number alone on its line stands for it
    line = label if label is not None else next((i for i, x in enumerate(letters) if _number_alone(x)), None)
    if line is None:
        return None
    return card.back_score, line, ("card", "card-back", f"fields:{len(card.back_fields) + 1}")


def _has_value(text: str, field: str) -> bool:
    at = text.find(field)
    return at >= 0 and len(text) - at - len(field) >= FIELD_VALUE_MIN


def _number_alone(text: str) -> bool:
    """Whether ``text`` (spaces removed) is a number and nothing else, as the card prints it."""
    run = _first_digit_run(text)
    rest = [ch for ch in text if not (ch.isdecimal() or ch in SEPARATORS or ch in "|")]
    return RUN_MIN_DIGITS <= len(run) and not rest


def _confidence(rule: Rule, score: float) -> Confidence | None:
    t = rule.thresholds
    if score >= t.high:
        return Confidence.HIGH
    if score >= t.medium:
        return Confidence.MEDIUM
    return Confidence.LOW if score >= t.low else None


def _mask(card: CardSettings, letters: list[str]) -> str:
    """The usual mask with the last four digits of the first run of digits after the number's
    label (on its line or the next) or of a number alone on its line, or all stars when none shows."""
    shown = [_first_digit_run(x) for x in letters if _number_alone(x)]
    for i, text in enumerate(letters):
        at = text.find(card.number_label)
        if at >= 0:
            shown.insert(0, _first_digit_run(text[at + len(card.number_label):] + " " + "".join(letters[i + 1:i + 2])))
    run = next((r for r in shown if len(r) >= VISIBLE_DIGITS), "")
    if not run:
        return MASK_CHAR * NUMBER_DIGITS
    return mask(MASK_CHAR * (NUMBER_DIGITS - VISIBLE_DIGITS) + run[-VISIBLE_DIGITS:])


def _first_digit_run(text: str) -> str:
    run = ""
    for ch in text:
        if ch.isdecimal():
            run += str(int(ch))
        elif run and ch in SEPARATORS:
            continue
        elif run:
            break
    return run[:NUMBER_DIGITS]
