"""Masked forwarding: numbers hidden in place, everything else byte for byte the same."""

from __future__ import annotations

import json
import random

from scanner.actions.masking import mask_body, mask_text
from tests.conftest import make_number


def _hidden(number: str) -> str:
    return "********" + number[-4:]


def test_a_json_body_keeps_its_shape_and_loses_only_the_first_eight_digits(engine):
    rng = random.Random(3)
    n = make_number(rng)
    body = json.dumps({"id": 7, "employee": {"name": "山田", "my_number": n}, "note": "至急"}, ensure_ascii=False).encode()
    masked = mask_body(engine, body)
    assert masked is not None and n.encode() not in masked
    doc = json.loads(masked)
    assert doc["employee"]["my_number"] == _hidden(n)
    assert doc["id"] == 7 and doc["note"] == "至急" and doc["employee"]["name"] == "山田"


def test_separated_and_full_width_numbers_are_masked_with_their_separators_kept(engine):
    rng = random.Random(4)
    a, b = make_number(rng), make_number(rng)
    spaced = f"{a[:4]} {a[4:8]} {a[8:]}"
    wide = b.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    text = f"申請者\n個人番号: {spaced}\n配偶者のマイナンバー：{wide}\n以上"
    result = mask_text(engine, text)
    assert result is not None
    masked, findings = result
    assert len(findings) == 2
    assert "個人番号: **** **** " + a[8:] in masked
    assert "マイナンバー：********" + wide[-4:] in masked
    assert masked.startswith("申請者\n") and masked.endswith("\n以上")


def test_a_body_without_numbers_comes_back_unchanged(engine):
    body = "お問い合わせ番号 1234567890 の件、承知しました".encode()
    assert mask_body(engine, body) == body


def test_a_body_that_is_not_utf8_cannot_be_masked_in_place(engine):
    rng = random.Random(5)
    body = f"マイナンバー {make_number(rng)}".encode("cp932")
    assert mask_body(engine, body) is None
