"""Columns without a telling header: a column whose 12-digit values all pass the check digit
is evidence in itself (n passes out of n happen by chance about once in 10^n) — low for a
few values, medium for a long roster, never high on statistics alone; a generic header
(番号, ID, 管理番号, コード) does not push such values below low; a column at the chance rate
still lowers its passes."""

from __future__ import annotations

import csv
import io
import random

import pytest

from scanner.detect.checkdigit import check_digit
from scanner.detect.finding import Confidence
from tests.conftest import make_number

RNG = random.Random(11)


def invalid_number(rng: random.Random) -> str:
    first = "".join(str(rng.randrange(10)) for _ in range(11))
    return first + str((check_digit(first) + 1 + rng.randrange(9)) % 10)


def roster_csv(header: str, values: list[str]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["No.", "氏名", header, "住所"])
    for i, v in enumerate(values, 1):
        w.writerow([i, f"山田 {i}郎", v, "東京都千代田区1-1"])
    return out.getvalue()


def levels(engine, text: str, values: list[str]) -> list[Confidence | None]:
    found = {f.masked[-4:]: f for f in engine.scan_text(text)}
    return [found[v[-4:]].confidence if v[-4:] in found else None for v in values]


@pytest.mark.parametrize("header", ["番号", "No", "ID", "管理番号", "コード", "社員ID", "col3"])
def test_a_generic_header_does_not_push_a_rosters_values_below_low(engine, header):
    values = [make_number(RNG) for _ in range(6)]
    found = levels(engine, roster_csv(header, values), values)
    assert all(level is not None and level < Confidence.HIGH for level in found), found


@pytest.mark.parametrize("header", ["ID", "col3", "管理番号"])
def test_a_long_roster_is_medium_but_never_high_on_statistics_alone(engine, header):
    values = [make_number(RNG) for _ in range(25)]
    values += [f"{v[:4]}-{v[4:8]}-{v[8:]}" for v in (make_number(RNG) for _ in range(5))]  # grouped forms score more
    found = levels(engine, roster_csv(header, values), values)
    assert all(level == Confidence.MEDIUM for level in found), found


def test_a_telling_header_still_makes_a_roster_high(engine):
    values = [make_number(RNG) for _ in range(25)]
    assert set(levels(engine, roster_csv("個人番号", values), values)) == {Confidence.HIGH}


def test_a_column_at_the_chance_rate_keeps_lowering_its_passes(engine):
    rng = random.Random(5)
    values = [make_number(rng) if i % 10 == 0 else invalid_number(rng) for i in range(40)]
    valid = values[::10]
    assert levels(engine, roster_csv("受注番号", values), valid) == [None] * len(valid)
