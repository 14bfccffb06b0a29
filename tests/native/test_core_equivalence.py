"""The check digit, masking and the keyed HMAC exist twice — in the core, and in Python for
file names, known-number lists and reports — and must agree exactly.
Inputs come from hypothesis, including the edges: non-ASCII digits, wrong lengths, any key."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner import _native
from scanner.detect import checkdigit
from scanner.privacy.fingerprint import Fingerprinter, mask

DIGITS = st.text(alphabet="0123456789", min_size=12, max_size=12)
ANY_DIGITISH = st.text(alphabet="0123456789０１２３４５６７８９a -", min_size=0, max_size=14)


@settings(max_examples=2000)
@given(DIGITS)
def test_is_valid_agrees_on_every_twelve_digit_value(digits):
    assert _native.is_valid(digits) == checkdigit.is_valid(digits)


@settings(max_examples=500)
@given(ANY_DIGITISH)
def test_is_valid_agrees_on_what_is_not_twelve_ascii_digits(text):
    assert _native.is_valid(text) == checkdigit.is_valid(text)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_check_digit_agrees(first):
    assert _native.check_digit(first) == checkdigit.check_digit(first)


@given(ANY_DIGITISH.filter(lambda t: not (len(t) == 11 and t.isascii() and t.isdigit())))
def test_check_digit_refuses_what_python_refuses(text):
    try:
        checkdigit.check_digit(text)
    except ValueError:
        pass
    else:
        raise AssertionError("python accepted it")
    try:
        _native.check_digit(text)
    except ValueError:
        return
    raise AssertionError("native accepted what python refused")


@given(st.binary(min_size=1, max_size=80), DIGITS)
def test_fingerprints_agree_for_any_key(key, digits):
    assert _native.Fingerprinter(key)(digits) == Fingerprinter(key)(digits)


@given(st.text(alphabet="0123456789０１２３４５６７８９", min_size=4, max_size=24))
def test_masks_agree(digits):
    assert _native.mask(digits) == mask(digits)


def test_the_native_fingerprinter_hides_its_key():
    assert "secret" not in repr(_native.Fingerprinter(b"secret"))
