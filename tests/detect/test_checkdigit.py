import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.jp import in_ as stdnum_in

from scanner.detect.checkdigit import check_digit, is_trivial, is_valid

twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@settings(max_examples=100_000, deadline=None, derandomize=True)
@given(twelve_digits)
def test_is_valid_agrees_with_python_stdnum_on_random_inputs(digits):
    assert is_valid(digits) == stdnum_in.is_valid(digits)


def test_check_digit_agrees_with_python_stdnum_on_random_prefixes():
    rng = random.Random(7)
    for _ in range(20_000):
        first = "".join(str(rng.randrange(10)) for _ in range(11))
        assert str(check_digit(first)) == stdnum_in.calc_check_digit(first)


def test_documented_example_is_valid_and_a_changed_digit_is_not():
    assert is_valid("123456789018")
    assert not is_valid("123456789017")
    assert not is_valid("223456789018")


def test_about_one_in_ten_random_strings_pass():
    rng = random.Random(3)
    passes = sum(is_valid(f"{rng.randrange(10**12):012d}") for _ in range(50_000))
    assert 0.08 < passes / 50_000 < 0.12


@pytest.mark.parametrize("bad", ["12345678901", "1234567890180", "12345678901a", "１２３４５６７８９０１８", ""])
def test_is_valid_rejects_anything_but_twelve_ascii_digits(bad):
    assert not is_valid(bad)


def test_check_digit_rejects_wrong_length():
    with pytest.raises(ValueError):
        check_digit("123")


def test_repeated_digit_values_are_trivial():
    assert is_valid("000000000000")
    assert is_trivial("000000000000")
    assert not is_trivial("123456789018")
