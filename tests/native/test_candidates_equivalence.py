"""The native candidate finder finds exactly what the Python one finds — same starts, ends,
forms, digits and validity, in characters — for the shipped rule's forms decomposed by
``rules/native_forms.py``, on hypothesis-made text rich in the characters the forms and
their boundaries look at (ASCII and full-width digits, every separator, '+', newlines, kana)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner import _native
from scanner.detect.candidates import CandidateFinder
from scanner.rules.loader import load_ruleset
from scanner.rules.native_forms import FormSyntaxError, native_form, native_start

RULE = load_ruleset([]).rules[0]
PYTHON = CandidateFinder(RULE.forms, RULE.validator, RULE.start)


def _native_finder() -> _native.CandidateFinder:
    forms = [native_form(f.pattern) for f in RULE.forms]
    behind, ahead = native_start(RULE.start)
    return _native.CandidateFinder([(f.body, list(f.behind), list(f.ahead)) for f in forms], behind, ahead)


NATIVE = _native_finder()
PIECES = st.sampled_from([
    "123456789018", "1234", "5678", "9018", "１２３４５６７８９０１８", "１２３４", "0", "7", "８",
    "-", " ", "\u3000", "\u00a0", "‐", "−", "－", "ー", "ｰ", ".", "+", "\t", "\n", "個人番号：", "a", "電話",
])
TEXT = st.lists(PIECES, max_size=40).map("".join)


def _python(text: str, pos: int = 0, endpos: int | None = None) -> list[tuple]:
    return [(c.start, c.end, c.form, c.digits, c.valid) for c in PYTHON.find(text, pos, endpos)]


@settings(max_examples=3000, deadline=None)
@given(TEXT)
def test_native_candidates_equal_python_candidates(text):
    assert NATIVE.find(text) == _python(text)


@settings(max_examples=1000, deadline=None)
@given(TEXT, st.integers(0, 60), st.integers(0, 80))
def test_native_candidates_equal_python_candidates_between_pos_and_endpos(text, pos, length):
    endpos = min(len(text), pos + length)
    pos = min(pos, endpos)
    assert NATIVE.find(text, pos, endpos) == _python(text, pos, endpos)


def test_every_form_of_the_shipped_rule_is_found():
    text = "a 123456789018 b 1234-5678-9018 c １２３４　５６７８　９０１８ d 1 2 3 4 5 6 7 8 9 0 1 8 e"
    assert sorted({form for _s, _e, form, _d, _v in NATIVE.find(text)}) == [0, 1, 2]
    assert NATIVE.find(text) == _python(text)


def test_a_look_around_inside_the_number_is_refused_with_the_form_named():
    with pytest.raises(FormSyntaxError, match="inside the number"):
        native_form(r"[0-9]{4}(?![0-9])[0-9]{8}")
    with pytest.raises(FormSyntaxError, match="no fixed width"):
        native_form(r"(?<![0-9]+)[0-9]{12}")
