"""The rules' context words, and the folded forms the native core's automaton searches for."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from scanner import _native
from scanner.rules.model import Ruleset

SPACED_KEYWORD_MAX = 8
"""Japanese keywords up to this length are also matched written with a space between characters."""


@dataclass(frozen=True, slots=True)
class Keyword:
    """A context word as written in the rules."""

    rule_index: int
    """Which rule of the ruleset the word belongs to."""
    word: str
    """The word as written in the rule file (shown in reasons)."""
    weight: float
    """Positive raises the score, negative lowers it."""


def ruleset_keywords(ruleset: Ruleset) -> list[Keyword]:
    """Every context word of every rule, negative groups with negative weights."""
    return [
        Keyword(i, word, sign * group.weight)
        for i, r in enumerate(ruleset.rules)
        for sign, groups in ((1, r.positive), (-1, r.negative))
        for group in groups
        for word in group.words
    ]


def fold_keyword(word: str) -> set[str]:
    """Forms of a keyword to put in the automaton, folded as the core folds text (case, width,
    ``_`` and tabs as spaces): composed, with voiced marks split, and spaced out.

    Half-width ﾊﾞ folds to ハ + U+3099 (two characters), so バ must also be searched in its
    decomposed form; OCR and spaced-out forms write 「個 人 番 号」.
    """
    nfkc = unicodedata.normalize("NFKC", word)
    forms = {_native.fold(nfkc), _native.fold(unicodedata.normalize("NFD", nfkc))}
    if not any(c.isascii() for c in nfkc) and 2 <= len(nfkc) <= SPACED_KEYWORD_MAX:
        forms.add(_native.fold(" ".join(nfkc)))
    return forms


def keyword_forms(keywords: list[Keyword]) -> dict[str, list[int]]:
    """The folded forms to put in the core's automaton, in order, each with the indices of the
    keywords it stands for."""
    entries: dict[str, list[int]] = {}
    for k, kw in enumerate(keywords):
        for form in fold_keyword(kw.word):
            if form.strip():
                entries.setdefault(form, []).append(k)
    return entries
