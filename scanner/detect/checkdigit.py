"""Check digit of the Japanese Individual Number (My Number).

Digits d1..d12, d12 the check digit. With P_n the n-th digit of d1..d11 counted
from the right and Q_n = n+1 (n <= 6) or n-5 (n >= 7), r = sum(P_n * Q_n) mod 11
and the check digit is 0 if r <= 1 else 11 - r. Written left to right the
weights of d1..d11 are 6,5,4,3,2,7,6,5,4,3,2.
"""

from __future__ import annotations

from operator import mul

import regex

WEIGHTS: tuple[int, ...] = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
"""Weights of d1..d11, left to right."""

LENGTH = 12
"""Digits in a My Number, check digit included."""

_NON_DIGIT = regex.compile(r"[^0-9\uFF10-\uFF19]+")
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ZERO = ord("0")
_BIAS = _ZERO * sum(WEIGHTS)  # digits are read as their byte values; remove what "0" adds


def check_digit(first_eleven: str) -> int:
    """Return the check digit for the first eleven ASCII digits of a My Number."""
    if len(first_eleven) != LENGTH - 1 or not first_eleven.isascii() or not first_eleven.isdigit():
        raise ValueError("expected 11 ASCII digits")
    r = sum(w * (c - _ZERO) for w, c in zip(WEIGHTS, first_eleven.encode("ascii"), strict=True)) % 11
    return 0 if r <= 1 else 11 - r


def is_valid(digits: str) -> bool:
    """True when ``digits`` is 12 ASCII digits whose last digit is the correct check digit."""
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    b = digits.encode("ascii")
    r = (sum(map(mul, WEIGHTS, b)) - _BIAS) % 11
    return (0 if r <= 1 else 11 - r) == b[11] - _ZERO


def is_trivial(digits: str) -> bool:
    """True for values no real number takes: one digit repeated (000000000000 passes the check)."""
    return digits.count(digits[0]) == len(digits)


def normalise_digits(raw: str) -> str:
    """Keep the digits of a match and make them ASCII: ``１２３４-５６７８-９０１８`` -> ``123456789018``."""
    if raw.isascii() and raw.isdigit():
        return raw
    return _NON_DIGIT.sub("", raw).translate(_WIDE_DIGITS)
