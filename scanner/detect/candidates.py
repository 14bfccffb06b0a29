"""Find 12-digit candidates in the forms a rule allows, and normalise their digits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from scanner.detect import checkdigit
from scanner.rules.model import Form

_NON_DIGIT = regex.compile(r"[^0-9\uFF10-\uFF19]+")
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

VALIDATORS = {"my-number": checkdigit.is_valid}
MATCH_REACH = 64
"""Characters past a candidate's start that its match and boundary checks can read."""
"""Validator name in a rule file -> function of the 12 ASCII digits."""


@dataclass(slots=True)
class Candidate:
    """A run of digits in one of the rule's forms. ``digits`` never leaves the process."""

    start: int
    end: int
    form: int
    """Index into the rule's forms."""
    digits: str = field(repr=False)
    """The 12 digits as ASCII."""
    valid: bool


def normalise_digits(raw: str) -> str:
    """Keep the digits of a match and make them ASCII: ``１２３４-５６７８-９０１８`` -> ``123456789018``."""
    if raw.isascii() and raw.isdigit():
        return raw
    return _NON_DIGIT.sub("", raw).translate(_WIDE_DIGITS)


class CandidateFinder:
    """All forms of one rule compiled into one regex."""

    def __init__(self, forms: tuple[Form, ...], validator: str, start: str = "") -> None:
        alternatives = [f"(?P<f{i}>{form.pattern})" for i, form in enumerate(forms)]
        # stdlib re: with the rule's start guard it skips non-candidate positions
        # several times faster than the regex module on digit-dense text
        self._pattern = re.compile(start + "(?:" + "|".join(alternatives) + ")")
        self._group_form = {f"f{i}": i for i in range(len(forms))}
        self._validate = VALIDATORS[validator]

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Candidate]:
        """Candidates starting in ``text[pos:endpos]``; text outside still serves as boundary context."""
        limit = len(text) if endpos is None else endpos
        validate = self._validate
        # stop the search a little past the limit: a candidate starting before it ends
        # within MATCH_REACH, and the boundary look-aheads need a character or two more
        for m in self._pattern.finditer(text, pos, min(len(text), limit + MATCH_REACH)):
            start = m.start()
            if start >= limit:
                break
            digits = normalise_digits(m.group())
            if len(digits) != checkdigit.LENGTH or checkdigit.is_trivial(digits):
                continue
            assert m.lastgroup is not None  # every alternative of the pattern is a named group
            yield Candidate(start, m.end(), self._group_form[m.lastgroup], digits, validate(digits))
