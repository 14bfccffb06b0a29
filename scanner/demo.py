"""Example files with synthetic My Numbers (check digits computed, no real person's number)."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

from scanner.detect.checkdigit import check_digit

DEMO_SEED = 20151005  # the day My Numbers were first notified
"""Seed of the synthetic numbers, so the demo shows the same output every time."""


def synthetic_number(rng: random.Random) -> str:
    """A random 12-digit string with a correct check digit."""
    first = "".join(str(rng.randrange(10)) for _ in range(11))
    return first + str(check_digit(first))


def write_demo_files(directory: Path | None = None) -> Path:
    """Write the example files into ``directory`` (a new temporary one by default) and return it."""
    target = directory or Path(tempfile.mkdtemp(prefix="mynumber-dlp-demo-"))
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(DEMO_SEED)
    n = [synthetic_number(rng) for _ in range(6)]
    roster = "社員番号,氏名,個人番号,電話番号\n" + "".join(
        f"{1001 + i},社員{i + 1},{n[i]},03-5555-{1000 + i}\n" for i in range(3)
    )
    (target / "従業員名簿.csv").write_bytes(roster.encode("cp932"))
    form = (
        "給与所得者の扶養控除等（異動）申告書\n"
        "氏名：山田 花子\n"
        f"個人番号：{n[3][:4]} {n[3][4:8]} {n[3][8:]}\n"
        "電話番号：090-1234-5678\n"
    )
    (target / "扶養控除等申告書.txt").write_text(form, encoding="utf-8")
    chat = (
        "[10:02] 佐藤: 年末調整の書類、マイナンバーも必要ですか？\n"
        f"[10:03] 鈴木: はい、{n[4].translate(str.maketrans('0123456789', '０１２３４５６７８９'))} です\n"
        "[10:05] 佐藤: 注文番号 202611260001 の件は別途連絡します\n"
    )
    (target / "chat.log").write_text(chat, encoding="utf-8")
    (target / "api-payload.json").write_text(json.dumps({"employee": {"name": "Tanaka", "my_number": n[5]}}))
    (target / "議事録.txt").write_text("本日の議題: 来期予算。次回は 2026-12-03 10:00 から。\n", encoding="utf-8")
    return target
