"""Digits written one per box, as printed forms and their transcriptions write them: found with
the label beside them, in every box style, also through the byte prefilter of a large file;
twelve boxes alone are a low finding, and rows of one-digit survey answers are not findings."""

from __future__ import annotations

import random

import pytest

from scanner.audit import scan_file
from scanner.detect.finding import Confidence
from scanner.report.records import FileDone, record_dict
from tests.conftest import make_number

RNG = random.Random(41)


def boxed(n: str, style: str) -> str:
    groups = (n[:4], n[4:8], n[8:])
    return {
        "bar": "|" + "|".join(n) + "|",
        "fullwidth-bar": "｜" + "｜".join(n.translate(str.maketrans("0123456789", "０１２３４５６７８９"))) + "｜",
        "box-drawing": "│" + "│".join(n) + "│",
        "brackets": "".join(f"[{c}]" for c in n),
        "lenticular": "".join(f"【{c}】" for c in n),
        "grouped-bars": " ".join("|" + "|".join(g) + "|" for g in groups),
        "grouped-brackets": " ".join("".join(f"[{c}]" for c in g) for g in groups),
        "commas": ",".join(n),
        "white-squares": "□".join(n),
    }[style]


STYLES = ["bar", "fullwidth-bar", "box-drawing", "brackets", "lenticular", "grouped-bars", "grouped-brackets",
          "commas", "white-squares"]


@pytest.mark.parametrize("style", STYLES)
def test_boxed_digits_beside_a_label_are_high(engine, style):
    n = make_number(RNG)
    found = engine.scan_text(f"扶養控除等申告書\n個人番号 {boxed(n, style)}\n")
    assert [(f.masked[-4:], f.confidence) for f in found] == [(n[-4:], Confidence.HIGH)]


@pytest.mark.parametrize("style", ["commas", "bar"])
def test_one_digit_cells_without_context_are_not_findings(engine, style):
    n = make_number(RNG)  # a valid row of twelve one-digit answers, by chance
    assert engine.scan_text(f"回答者A {boxed(n, style)}\n") == []


def test_boxed_digits_in_a_large_file_pass_the_byte_prefilter(engine, tmp_path):
    n = make_number(RNG)
    filler = "本日の会議では来期の予算について話し合いました。\n" * 20000
    path = tmp_path / "form.txt"
    path.write_text(filler + f"個人番号 {boxed(n, 'grouped-brackets')}\n" + filler, encoding="cp932")
    records = [record_dict(r) for r in scan_file(engine, str(path), Confidence.LOW) if not isinstance(r, FileDone)]
    assert [(r["masked"][-4:], r["confidence"], r["line"]) for r in records if r["type"] == "finding"] == [
        (n[-4:], "high", 20001)
    ]


@pytest.mark.parametrize(
    "row",
    [
        "| 本人 マイナンバー | {} |",  # a Markdown table, one digit a cell
        "個人番号\t{}",  # a TSV row of one-digit cells, an empty cell between the groups
    ],
)
def test_one_digit_cells_of_tables_beside_their_label_are_found(engine, row):
    n = make_number(RNG)
    cells = " | ".join(n) if row.startswith("|") else "\t\t".join("\t".join(g) for g in (n[:4], n[4:8], n[8:]))
    found = engine.scan_text(row.format(cells) + "\n")
    assert [(f.masked[-4:], f.confidence) for f in found] == [(n[-4:], Confidence.HIGH)]


def test_twelve_boxes_inside_a_longer_row_are_not_a_number(engine):
    n = make_number(RNG)
    for row in ("|" + "|".join("1" + n) + "|", " ".join("1" + n), "\t".join("1" + n)):
        assert engine.scan_text(f"個人番号 {row}\n") == [], row


def test_a_label_whose_line_also_holds_a_confidence_score_still_counts(engine):
    n = make_number(RNG)
    text = "[field 12] 個人番号（マイナンバー） / confidence 0.93\n□" + "□".join(n) + "□\n"
    assert [f.masked[-4:] for f in engine.scan_text(text)] == [n[-4:]]


def test_twelve_boxes_without_a_word_are_a_low_finding(engine):
    n = make_number(RNG)
    for row in ("|" + "|".join(n) + "|", "".join(f"【{c}】" for c in n)):
        found = engine.scan_text(f"[field 11] (項目名 読取不可) / confidence 0.64\n{row}\n")
        assert [(f.masked[-4:], f.confidence) for f in found] == [(n[-4:], Confidence.LOW)], row


def test_a_table_of_one_digit_answers_passing_at_chance_rate_has_no_findings(engine):
    rng = random.Random(7)
    valid = [make_number(rng) for _ in range(3)]

    def table(rows: list[str]) -> str:
        head = "name," + ",".join(f"Q{i}" for i in range(1, 13)) + "\n"
        return head + "".join(f"{chr(65 + i % 26) * 2},{','.join(r)}\n" for i, r in enumerate(rows))

    assert len(engine.scan_text(table(valid))) == 3  # a few valid rows alone are low findings
    answers = ["".join(str(rng.randrange(10)) for _ in range(12)) for _ in range(60)]
    assert engine.scan_text(table(answers + valid)) == []  # among answers that pass 1 in 10: coincidence


@pytest.mark.parametrize("sep", ["\t", ","])
def test_a_dash_cell_between_the_groups_of_one_digit_cells_is_one_number(engine, sep):
    n = make_number(RNG)  # an xlsx row (tab-joined cells) or a CSV row: 6|0|1|0|-|6|8|1|0|-|4|6|5|7
    cells = f"{sep}-{sep}".join(sep.join(g) for g in (n[:4], n[4:8], n[8:]))
    found = engine.scan_text(f"マイナンバー{sep}{cells}\n")
    assert [(f.masked[-4:], f.confidence) for f in found] == [(n[-4:], Confidence.HIGH)]
