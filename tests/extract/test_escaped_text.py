"""Escaped text (issue 11, class 3): JSON written by ``json.dumps`` with its default
``ensure_ascii`` and XML with numeric character references are read as what they stand for —
full-width digits, separators such as ー and context words written as escapes — and findings
are at the file's own line and column (the escape's first character)."""

from __future__ import annotations

import json
import random

from scanner.audit import scan_file
from scanner.detect.finding import Confidence
from scanner.report.records import FileDone, record_dict
from tests.conftest import make_number

RNG = random.Random(77)
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def findings(engine, path):
    records = [record_dict(r) for r in scan_file(engine, str(path), Confidence.LOW) if not isinstance(r, FileDone)]
    return {r["masked"][-4:]: r for r in records if r["type"] == "finding"}


def test_json_escapes_of_full_width_digits_separators_and_words_are_read(engine, tmp_path):
    a, b, c, d = (make_number(RNG) for _ in range(4))
    records = [
        {"id": 1, "memo": f"個人番号は{a.translate(FULL)}です"},
        {"id": 2, "memo": f"マイナンバー {b[:4]}ー{b[4:8]}ー{b[8:]}"},
        {"id": 3, "note": f"本人確認済み。\n個人番号：\n{c}"},
        {"id": 4, "order": f"注文番号 {d}"},
    ]
    text = "\n".join(json.dumps(r) for r in records) + "\n"  # ensure_ascii: every Japanese character escaped
    assert "個" not in text and "\\u500b" in text
    path = tmp_path / "export.jsonl"
    path.write_text(text, encoding="ascii")
    found = findings(engine, path)
    for n in (a, b, c):
        assert found[n[-4:]]["confidence"] == "high", found[n[-4:]]
    assert d[-4:] not in found or found[d[-4:]]["confidence"] == "low"
    line = text.splitlines()[0]
    escaped_first_digit = json.dumps(a[0].translate(FULL))[1:-1]
    assert (found[a[-4:]]["line"], found[a[-4:]]["column"]) == (1, line.index(escaped_first_digit) + 1)
    assert found[c[-4:]]["line"] == 3


def test_xml_numeric_character_references_are_read(engine, tmp_path):
    n, m = make_number(RNG), make_number(RNG)
    refs = "".join(f"&#{0xFF10 + int(ch)};" for ch in n)
    label = "".join(f"&#x{ord(ch):X};" for ch in "個人番号")
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<records>\n  <record>\n    <kojin_bango>{refs}</kojin_bango>\n'
            f"    <memo>{label}：{m[:4]}&#x30FC;{m[4:8]}&#x30FC;{m[8:]}</memo>\n  </record>\n</records>\n")
    path = tmp_path / "records.xml"
    path.write_text(text, encoding="utf-8")
    found = findings(engine, path)
    assert found[m[-4:]]["confidence"] == "high"
    assert found[n[-4:]]["line"] == 4 and found[n[-4:]]["column"] == text.splitlines()[3].index("&#") + 1
    assert found[n[-4:]]["confidence"] == "high"  # the element's name is its label


def test_a_form_exports_answer_is_labelled_by_its_question(engine, tmp_path):
    n, m = make_number(RNG), make_number(RNG)
    export = {"formId": "1FAIpQLSe", "responses": [{"responseId": "ACYDBNg", "answers": [
        {"question": "氏名", "value": "山田 花子"},
        {"question": "電話番号", "value": "090-1234-5678"},
        {"question": "マイナンバー（個人番号）", "value": n.translate(FULL)},
        {"question": "社員番号", "value": m},
    ]}]}
    path = tmp_path / "form_answers.json"
    path.write_text(json.dumps(export, indent=2), encoding="ascii")  # Google Forms style, escaped
    found = findings(engine, path)
    assert found[n[-4:]]["confidence"] == "high"
    assert m[-4:] not in found or found[m[-4:]]["confidence"] == "low"


def test_json_kept_as_a_string_inside_json_is_read_through_both_escapes(engine, tmp_path):
    n = make_number(RNG)
    inner = json.dumps({"employee_id": 10021, "my_number": f"{n[:4]}ー{n[4:8]}ー{n[8:]}"})  # \u30fc
    line = json.dumps({"ts": "2024-11-10T09:12:33.120+09:00", "method": "PUT", "request_body": inner})
    assert "\\\\u30fc" in line
    path = tmp_path / "api_access.jsonl"
    path.write_text(line + "\n", encoding="ascii")
    assert findings(engine, path)[n[-4:]]["confidence"] == "high"
