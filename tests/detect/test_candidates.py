"""Every written form of a number, and the boundaries that make a digit run something else."""

import pytest

from tests.conftest import WIDE

N = "123456789018"  # the documented valid example
G = f"{N[:4]} {N[4:8]} {N[8:]}"


def found(engine, text):
    return [(f.column, f.masked) for f in engine.scan_text(text)]


SEPARATORS = [" ", "\u3000", "\u00a0", "-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015",
              "\u2212", "\uff0d", "\u30fc", "\uff70", "."]


@pytest.mark.parametrize("sep", SEPARATORS, ids=[f"U+{ord(s):04X}" for s in SEPARATORS])
def test_grouped_4_4_4_is_found_with_every_separator(engine, sep):
    text = f"個人番号：{N[:4]}{sep}{N[4:8]}{sep}{N[8:]}"
    assert found(engine, text) == [(6, "********9018")]


@pytest.mark.parametrize("digits", [N, N.translate(WIDE)], ids=["ascii", "full-width"])
def test_contiguous_digits_are_found_in_ascii_and_full_width(engine, digits):
    assert found(engine, f"マイナンバー {digits}") == [(8, "********9018")]


def test_full_width_grouped_with_full_width_hyphen_is_found(engine):
    text = "個人番号 " + f"{N[:4]}－{N[4:8]}－{N[8:]}".translate(WIDE)
    assert found(engine, text) == [(6, "********9018")]


@pytest.mark.parametrize("sep", [" ", "\u3000"])
def test_digits_written_singly_with_spaces_are_found(engine, sep):
    assert found(engine, "個人番号 " + sep.join(N)) == [(6, "********9018")]


def test_mixed_separators_in_one_number_are_not_a_candidate(engine):
    assert found(engine, f"個人番号 {N[:4]}-{N[4:8]} {N[8:]}") == []


@pytest.mark.parametrize(
    "text",
    [
        f"個人番号 {N}3",  # 13 digits: a corporate number's length
        f"個人番号 9{N}",
        f"個人番号 {N}1234",  # 16 digits
        f"個人番号 {G} 5678",  # a group continues with the same separator
        f"個人番号 {N[:4]}-{N[4:8]}-{N[8:]}-1234",  # card number
        f"個人番号 12-{N[:4]}-{N[4:8]}-{N[8:]}",
        f"個人番号 {N}-12",  # followed by a hyphen and digits
        f"個人番号 12.{N}",  # a decimal
        f"個人番号 +{N}",  # an E.164 phone number
        f"個人番号 {' '.join(N)} 5",
    ],
)
def test_runs_that_continue_past_twelve_digits_are_not_candidates(engine, text):
    assert found(engine, text) == []


@pytest.mark.parametrize("before,after", [("個人番号は", "です"), ("番号：", "。"), ("（", "）"), ("「", "」")])
def test_digits_next_to_kanji_and_japanese_punctuation_are_found(engine, before, after):
    text = f"マイナンバー {before}{N}{after}"
    assert len(found(engine, text)) == 1


def test_a_wrong_check_digit_is_not_reported(engine):
    assert found(engine, "個人番号：123456789017") == []


@pytest.mark.parametrize("d", "0123456789")
def test_one_digit_repeated_is_dropped_even_when_it_passes(engine, d):
    assert found(engine, f"個人番号：{d * 12}") == []


def test_two_numbers_side_by_side_in_a_space_separated_table_are_both_found(engine):
    other = "987654321097"  # check digit computed below
    from scanner.detect.checkdigit import check_digit

    other = other[:11] + str(check_digit(other[:11]))
    assert len(found(engine, f"個人番号 {N} {other}\n")) == 2
