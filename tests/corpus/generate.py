"""Synthetic corpus of Japanese office documents with ground truth for My Number detection.

Every number here is generated: true My Numbers are random eleven digits plus the
mod-11 check digit; distractors (order numbers, phones, corporate numbers, JAN/UPC,
card numbers, timestamps, amounts ...) are random too, and a share of them is made
check-digit-valid on purpose so that only context can tell them apart.

Usage::

    python -m tests.corpus.generate OUTDIR --seed 7 --scale 2
    python tests/corpus/generate.py OUTDIR

Writes the files plus ``OUTDIR/truth.jsonl``: one record per file::

    {"path": "hr_csv/roster_000.csv", "case": "hr_csv", "encoding": "cp932",
     "numbers": [{"line": 3, "column": 27, "masked": "********9018",
                  "strength": "strong", "form": "plain"}, ...],
     "distractors": [{"line": 3, "column": 40, "length": 13, "kind": "phone",
                      "valid12": false}, ...]}

``line``/``column`` are 1-based and point at the first character of the value in
the decoded text (columns in characters; a BOM is not a character; lines split on
``\\n``). Positions are computed while the text is built, never guessed. The full
digits never go to disk outside the documents themselves; ``generate()`` returns
them in memory (``Corpus.true_digits``) for privacy tests.

How a template works: a case builds its text with markers (``@@M<n>@@``) standing
for values it registered on a ``Doc``; ``Doc.render`` replaces the markers and
records where each value landed.
"""

from __future__ import annotations

import argparse
import codecs
import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

# ---------------------------------------------------------------------------
# sizes (per unit of --scale)
# ---------------------------------------------------------------------------

HR_CSV_FILES = 5
HR_CSV_ROWS = (12, 45)
DISTRACTOR_ROSTER_FILES = 2
DISTRACTOR_ROSTER_ROWS = (15, 40)
MEMBER_CSV_FILES = 2
MEMBER_CSV_ROWS = (40, 90)
BARE_ROSTER_FILES = 2
BARE_ROSTER_ROWS = (8, 25)
TAX_FORM_FILES = 5
CHAT_FILES = 4
CHAT_LINES = (60, 140)
JSON_FILES = 5
JSON_RECORDS = (5, 20)
APP_LOG_FILES = 3
APP_LOG_LINES = (150, 350)
MAIL_FILES = 4
MEMO_FILES = 3
INVOICE_FILES = 3

VALID_DISTRACTOR_SHARE = 0.5
"""Share of 12-digit distractors made check-digit-valid on purpose."""

TRUTH_FILE = "truth.jsonl"

# ---------------------------------------------------------------------------
# check digits
# ---------------------------------------------------------------------------

WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(first11: str) -> int:
    """My Number check digit of the first eleven digits."""
    r = sum(w * int(c) for w, c in zip(WEIGHTS, first11)) % 11
    return 0 if r <= 1 else 11 - r


def is_valid(digits: str) -> bool:
    return len(digits) == 12 and digits.isdigit() and check_digit(digits[:11]) == int(digits[11])


def corporate_check(base12: str) -> int:
    """法人番号 check digit (the FIRST of its 13 digits) for the other twelve."""
    s = sum(int(c) * (1 if n % 2 else 2) for n, c in enumerate(reversed(base12), start=1))
    return 9 - s % 9


def luhn_check(body: str) -> int:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def gtin_check(body: str) -> int:
    """EAN-13 / UPC-A check digit of the body (12 resp. 11 digits)."""
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return (10 - total % 10) % 10


# ---------------------------------------------------------------------------
# number makers
# ---------------------------------------------------------------------------


def digits(rng: random.Random, n: int, first_nonzero: bool = False) -> str:
    s = "".join(rng.choice("0123456789") for _ in range(n))
    if first_nonzero and s[0] == "0":
        s = rng.choice("123456789") + s[1:]
    return s


def my_number(rng: random.Random) -> str:
    """A random check-digit-valid 12-digit number (not a trivial repeat)."""
    while True:
        body = digits(rng, 11)
        if len(set(body)) > 2:
            return body + str(check_digit(body))


def twelve(rng: random.Random, valid: bool | None = None, first_nonzero: bool = True) -> str:
    """12 random digits; ``valid`` forces the check digit to pass (True) or fail (False)."""
    while True:
        s = digits(rng, 12, first_nonzero)
        if valid is None or is_valid(s) == valid:
            return s


def coin(rng: random.Random, p: float = VALID_DISTRACTOR_SHARE) -> bool:
    return rng.random() < p


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
UNICODE_HYPHENS = ("\u2010", "\u2212", "\uff0d", "\u30fc", "\u2015")

MY_FORMS = ("plain", "hyphen", "space", "ideo-space", "unicode-hyphen", "fullwidth", "fullwidth-hyphen", "boxes", "dot")


def fmt_my(d: str, form: str, rng: random.Random) -> str:
    """Write 12 digits the way people do."""
    a, b, c = d[:4], d[4:8], d[8:]
    if form == "plain":
        return d
    if form == "hyphen":
        return f"{a}-{b}-{c}"
    if form == "space":
        return f"{a} {b} {c}"
    if form == "ideo-space":
        return f"{a}\u3000{b}\u3000{c}"
    if form == "unicode-hyphen":
        h = rng.choice(UNICODE_HYPHENS)
        return f"{a}{h}{b}{h}{c}"
    if form == "fullwidth":
        return d.translate(FULLWIDTH)
    if form == "fullwidth-hyphen":
        h = rng.choice(("\uff0d", "\u30fc"))
        return h.join((a, b, c)).translate(FULLWIDTH)
    if form == "boxes":
        return " ".join(d)
    if form == "dot":
        return f"{a}.{b}.{c}"
    raise ValueError(form)


def pick_form(rng: random.Random, weights: dict[str, float] | None = None) -> str:
    w = weights or {
        "plain": 5, "hyphen": 3, "space": 2, "ideo-space": 0.5, "unicode-hyphen": 0.7,
        "fullwidth": 1, "fullwidth-hyphen": 0.5, "boxes": 0.5, "dot": 0.2,
    }
    return rng.choices(list(w), weights=list(w.values()))[0]


def phone(rng: random.Random, style: str | None = None) -> str:
    style = style or rng.choice(("land", "mobile", "intl", "intl-compact", "free", "land-paren"))
    if style == "land":
        return f"0{rng.randint(3, 99)}-{rng.randint(100, 9999)}-{digits(rng, 4)}" if coin(rng, 0.3) else f"03-{digits(rng, 4)}-{digits(rng, 4)}"
    if style == "land-paren":
        return f"06({digits(rng, 4)}){digits(rng, 4)}"
    if style == "mobile":
        return f"0{rng.choice('789')}0-{digits(rng, 4)}-{digits(rng, 4)}"
    if style == "intl":
        return f"+81 {rng.choice('789')}0-{digits(rng, 4)}-{digits(rng, 4)}"
    if style == "intl-compact":
        # +81 then 10 digits: 12 digits after the plus; sometimes check-valid on purpose
        while True:
            tail = f"81{rng.choice('789')}0{digits(rng, 8)}"
            if not coin(rng) or is_valid(tail):
                return "+" + tail
    if style == "free":
        return f"0120-{digits(rng, 3)}-{digits(rng, 3)}"
    raise ValueError(style)


def corporate_number(rng: random.Random) -> str:
    """13-digit 法人番号; often its last twelve pass the My Number check."""
    base = twelve(rng, valid=True if coin(rng) else None)
    return str(corporate_check(base)) + base


def jan_code(rng: random.Random) -> str:
    """EAN-13 starting 45/49; sometimes the first twelve pass the My Number check."""
    want = coin(rng)
    while True:
        body = rng.choice(("45", "49")) + digits(rng, 10)
        if not want or is_valid(body):
            return body + str(gtin_check(body))


def upc_code(rng: random.Random) -> str:
    """UPC-A (12 digits); often also My-Number-valid, so only context tells them apart."""
    want = coin(rng)
    while True:
        body = rng.choice("0123") + digits(rng, 10)
        code = body + str(gtin_check(body))
        if not want or is_valid(code):
            return code


def credit_card(rng: random.Random) -> str:
    """16 digits 4-4-4-4 (Luhn); sometimes the first twelve are My-Number-valid."""
    first = "4" + digits(rng, 10)
    first12 = first + str(check_digit(first)) if coin(rng) else first + rng.choice("0123456789")
    body = first12 + digits(rng, 3)
    d = body + str(luhn_check(body))
    sep = rng.choice(("-", " "))
    return sep.join(d[i : i + 4] for i in range(0, 16, 4))


def stamp12(rng: random.Random, valid: bool | None = None) -> str:
    """A YYYYMMDDhhmm timestamp (12 digits); ``valid`` as for ``twelve``."""
    base = datetime(2023, 1, 1)
    while True:
        t = base + timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
        s = t.strftime("%Y%m%d%H%M")
        if valid is None or is_valid(s) == valid:
            return s


def epoch_ms(rng: random.Random) -> str:
    return str(rng.randint(1_672_531_200_000, 1_767_225_600_000))


def amount_yen(rng: random.Random) -> str:
    """¥123,456,789 or 123456789012円 (twelve digits, sometimes valid)."""
    if coin(rng):
        return "¥" + f"{rng.randint(10_000, 999_999_999):,}"
    return twelve(rng, valid=coin(rng)) + "円"


def hex_hash(rng: random.Random, n: int = 40) -> str:
    """Lowercase hex of length ``n``; sometimes holds a check-valid 12-digit run between letters."""
    if n >= 16 and coin(rng, 0.4):
        left_len = rng.randint(1, n - 14)
        left = "".join(rng.choice("0123456789abcdef") for _ in range(left_len - 1)) + rng.choice("abcdef")
        right_len = n - left_len - 12
        right = rng.choice("abcdef") + "".join(rng.choice("0123456789abcdef") for _ in range(right_len - 1))
        return left + twelve(rng, valid=True, first_nonzero=False) + right
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def mask(d: str) -> str:
    return "*" * 8 + d[-4:]


# ---------------------------------------------------------------------------
# people and places
# ---------------------------------------------------------------------------

SURNAMES = [
    ("山田", "ヤマダ"), ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
    ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山本", "ヤマモト"), ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"),
    ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"), ("山口", "ヤマグチ"), ("森", "モリ"),
    ("池田", "イケダ"), ("橋本", "ハシモト"), ("阿部", "アベ"), ("石川", "イシカワ"), ("前田", "マエダ"),
]
GIVEN = [
    ("太郎", "タロウ"), ("花子", "ハナコ"), ("健太", "ケンタ"), ("美咲", "ミサキ"), ("翔太", "ショウタ"),
    ("陽菜", "ヒナ"), ("大輔", "ダイスケ"), ("由美", "ユミ"), ("誠", "マコト"), ("恵子", "ケイコ"),
    ("拓也", "タクヤ"), ("彩", "アヤ"), ("浩二", "コウジ"), ("直美", "ナオミ"), ("隆", "タカシ"),
    ("優子", "ユウコ"), ("和也", "カズヤ"), ("智子", "トモコ"), ("亮", "リョウ"), ("真由美", "マユミ"),
]
PLACES = [
    "東京都千代田区丸の内1-2-3", "東京都新宿区西新宿2-8-1", "大阪府大阪市北区梅田3-1-1",
    "神奈川県横浜市西区みなとみらい2-3-5", "愛知県名古屋市中村区名駅4-7-1", "福岡県福岡市博多区博多駅前2-1-1",
    "北海道札幌市中央区北1条西2丁目", "埼玉県さいたま市浦和区高砂3-15-1", "千葉県千葉市中央区市場町1-1",
    "京都府京都市下京区烏丸通七条下ル", "兵庫県神戸市中央区加納町6-5-1", "宮城県仙台市青葉区国分町3-7-1",
]
COMPANIES = ["株式会社サンプル商事", "有限会社テスト工業", "合同会社みほん", "株式会社架空システムズ", "株式会社ダミー物流"]
DEPTS = ["総務部", "人事部", "経理部", "営業部", "開発部", "情報システム部"]
RELATIONS = ["妻", "夫", "長男", "長女", "次男", "次女", "父", "母"]


def person(rng: random.Random) -> tuple[str, str]:
    s, sk = rng.choice(SURNAMES)
    g, gk = rng.choice(GIVEN)
    return f"{s} {g}", f"{sk} {gk}"


def birthday(rng: random.Random, style: str = "slash") -> str:
    y, m, d = rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28)
    if style == "wareki":
        era, base = ("昭和", 1925) if y < 1989 else ("平成", 1988)
        return f"{era}{y - base}年{m}月{d}日"
    if style == "kanji":
        return f"{y}年{m}月{d}日"
    return f"{y}/{m:02d}/{d:02d}"


def zipcode(rng: random.Random) -> str:
    return f"〒{digits(rng, 3)}-{digits(rng, 4)}"


# ---------------------------------------------------------------------------
# documents with markers
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class Mark:
    value: str
    true: bool
    kind: str
    """Distractor kind, or the strength of a true number."""
    form: str = ""
    digits: str = ""
    bare_json: bool = False
    """In JSON: written as a number, so the quotes around the marker go."""


@dataclass(slots=True)
class Rendered:
    text: str
    numbers: list[dict]
    distractors: list[dict]
    true_digits: list[str]


_MARK = re.compile(r'("?)@@M(\d+)@@("?)')


class Doc:
    """Collects the values of one document; ``render`` puts them in and records positions."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.marks: list[Mark] = []

    def _add(self, m: Mark) -> str:
        self.marks.append(m)
        return f"@@M{len(self.marks) - 1}@@"

    def mn(self, d: str | None = None, form: str | None = None, strength: str = "strong", bare_json: bool = False) -> str:
        """A true My Number; returns its marker."""
        d = d or my_number(self.rng)
        form = form or pick_form(self.rng)
        return self._add(Mark(fmt_my(d, form, self.rng), True, strength, form, d, bare_json))

    def dis(self, value: str, kind: str, bare_json: bool = False) -> str:
        """A distractor; returns its marker."""
        return self._add(Mark(value, False, kind, bare_json=bare_json))

    def render(self, template: str) -> Rendered:
        out: list[str] = []
        line, col = 1, 1
        numbers: list[dict] = []
        dists: list[dict] = []
        true_digits: list[str] = []

        def emit(s: str) -> None:
            nonlocal line, col
            out.append(s)
            n = s.count("\n")
            if n:
                line += n
                col = len(s) - s.rfind("\n")
            else:
                col += len(s)

        pos = 0
        for m in _MARK.finditer(template):
            emit(template[pos : m.start()])
            mark = self.marks[int(m.group(2))]
            quoted = m.group(1) == '"' and m.group(3) == '"'
            if not (quoted and mark.bare_json):
                emit(m.group(1))
            if mark.true:
                numbers.append({"line": line, "column": col, "masked": mask(mark.digits), "strength": mark.kind, "form": mark.form})
                true_digits.append(mark.digits)
            else:
                digit_run = re.search(r"(?<!\d)\d{12}(?!\d)", mark.value)
                dists.append({
                    "line": line, "column": col, "length": len(mark.value), "kind": mark.kind,
                    "valid12": bool(digit_run and is_valid(digit_run.group())) or _has_valid_grouped(mark.value),
                })
            emit(mark.value)
            if not (quoted and mark.bare_json):
                emit(m.group(3))
            pos = m.end()
        emit(template[pos:])
        text = "".join(out)
        if "@@M" in text:
            raise AssertionError("unresolved marker")
        return Rendered(text, numbers, dists, true_digits)


def _has_valid_grouped(value: str) -> bool:
    ds = re.sub(r"\D", "", value)
    return any(is_valid(ds[i : i + 12]) for i in range(0, max(0, len(ds) - 11)))


# ---------------------------------------------------------------------------
# encodings
# ---------------------------------------------------------------------------

# One-for-one substitutions so positions survive: what each legacy codec cannot write.
_LEGACY_SUBST = {
    "cp932": str.maketrans({"\u2212": "\uff0d", "\u301c": "\uff5e", "\u00a5": "\uffe5", "\u2015": "\u2010"}),
    "euc_jp": str.maketrans({"\uff0d": "\u2212", "\uff5e": "\u301c", "\u00a5": "\uffe5"}),
    "iso2022_jp": str.maketrans({"\uff0d": "\u2212", "\uff5e": "\u301c", "\u00a5": "\uffe5"}),
}


def encode(text: str, encoding: str, newline: str = "\n") -> tuple[bytes, str, str]:
    """Bytes of the text in ``encoding`` (falls back to UTF-8); returns bytes, encoding, adapted text."""
    if encoding in _LEGACY_SUBST:
        text = text.translate(_LEGACY_SUBST[encoding])
    body = text.replace("\n", newline)
    try:
        if encoding == "utf-16":
            data = codecs.BOM_UTF16_LE + body.encode("utf-16-le")
        else:
            data = body.encode(encoding)
        if data.decode(encoding) != body:
            raise UnicodeError("round trip")
    except UnicodeError:
        return encode(text, "utf-8", newline)
    return data, encoding, text


# ---------------------------------------------------------------------------
# the corpus
# ---------------------------------------------------------------------------


@dataclass
class Corpus:
    outdir: Path
    records: list[dict] = field(default_factory=list)
    true_digits: set[str] = field(default_factory=set)

    def write(self, rel: str, case: str, rendered: Rendered, encoding: str = "utf-8", newline: str = "\n") -> None:
        data, enc, _ = encode(rendered.text, encoding, newline)
        path = self.outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.records.append({
            "path": rel, "case": case, "encoding": enc, "newline": "crlf" if newline == "\r\n" else "lf",
            "numbers": rendered.numbers, "distractors": rendered.distractors,
        })
        self.true_digits.update(rendered.true_digits)

    @property
    def n_true(self) -> int:
        return sum(len(r["numbers"]) for r in self.records)


def _csv_line(cells: list[str], delim: str, quoting: str, rng: random.Random) -> str:
    def q(c: str) -> str:
        if quoting == "all" or (quoting == "some" and rng.random() < 0.4) or (delim in c) or ('"' in c):
            return '"' + c.replace('"', '""') + '"'
        return c

    return delim.join(q(c) for c in cells)


# -- HR rosters -------------------------------------------------------------------

MN_HEADERS = ["個人番号", "マイナンバー", "個人番号(マイナンバー)", "マイナンバー（12桁）", "個人番号（本人）", "My Number", "mynumber"]


def case_hr_csv(c: Corpus, rng: random.Random, scale: int) -> None:
    """従業員名簿: a My Number column among ordinary HR columns."""
    for i in range(HR_CSV_FILES * scale):
        doc = Doc(rng)
        delim = "\t" if i % 3 == 2 else ","
        quoting = rng.choice(("none", "all", "some"))
        cols = ["社員番号", "氏名", "フリガナ", "生年月日", "MN", "住所", "電話番号"]
        if coin(rng, 0.5):
            cols.append("入社日")
        if coin(rng, 0.3):
            cols.append("扶養人数")
        head = cols[:2]
        rest = cols[2:]
        rng.shuffle(rest)
        cols = head + rest
        header = [rng.choice(MN_HEADERS) if h == "MN" else h for h in cols]
        if coin(rng, 0.3):
            header = [h.replace("電話番号", "連絡先電話") for h in header]
        lines: list[str] = []
        if coin(rng, 0.4):
            lines.append(_csv_line([f"{rng.choice(COMPANIES)} 従業員名簿（{rng.randint(2022, 2025)}年4月1日現在）"], delim, "none", rng))
            if coin(rng, 0.5):
                lines.append("")
        lines.append(_csv_line(header, delim, quoting, rng))
        hyphen_file = coin(rng, 0.3)
        for _ in range(rng.randint(*HR_CSV_ROWS)):
            name, kana = person(rng)
            row = []
            for h in cols:
                if h == "社員番号":
                    row.append(f"{rng.randint(1, 99999):06d}" if coin(rng, 0.7) else f"E{rng.randint(1000, 99999)}")
                elif h == "氏名":
                    row.append(name)
                elif h == "フリガナ":
                    row.append(kana)
                elif h == "生年月日":
                    row.append(birthday(rng, rng.choice(("slash", "kanji"))))
                elif h == "MN":
                    if coin(rng, 0.06):
                        row.append(rng.choice(("", "未提出", "確認中")))
                    else:
                        form = "hyphen" if hyphen_file else ("plain" if coin(rng, 0.9) else rng.choice(("hyphen", "space")))
                        row.append(doc.mn(form=form))
                elif h == "住所":
                    row.append(f"{zipcode(rng)} {rng.choice(PLACES)}" if coin(rng, 0.5) else rng.choice(PLACES))
                elif h == "電話番号":
                    row.append(doc.dis(phone(rng, rng.choice(("land", "mobile", "intl", "intl-compact"))), "phone"))
                elif h == "入社日":
                    row.append(f"{rng.randint(1990, 2024)}/{rng.randint(1, 12):02d}/01")
                elif h == "扶養人数":
                    row.append(str(rng.randint(0, 4)))
            lines.append(_csv_line(row, delim, quoting, rng))
        ext = "tsv" if delim == "\t" else "csv"
        enc = rng.choice(("utf-8", "utf-8-sig", "cp932", "cp932")) if delim == "," else rng.choice(("utf-16", "utf-16", "utf-8"))
        newline = "\r\n" if enc in ("cp932", "utf-16", "utf-8-sig") else "\n"
        c.write(f"hr_csv/roster_{i:03d}.{ext}", "hr_csv", doc.render("\n".join(lines) + "\n"), enc, newline)


def case_distractor_roster(c: Corpus, rng: random.Random, scale: int) -> None:
    """名簿 without any My Number: driver's licence, bank account, phones, employee numbers."""
    for i in range(DISTRACTOR_ROSTER_FILES * scale):
        doc = Doc(rng)
        delim = rng.choice((",", "\t"))
        header = ["社員番号", "氏名", "部署", "免許証番号", "口座番号", "携帯電話", "緊急連絡先"]
        lines = [_csv_line(header, delim, "none", rng)]
        for _ in range(rng.randint(*DISTRACTOR_ROSTER_ROWS)):
            name, _ = person(rng)
            lines.append(_csv_line([
                f"{rng.randint(1, 99999):06d}",
                name,
                rng.choice(DEPTS),
                doc.dis(twelve(rng, valid=coin(rng)), "drivers_license"),
                doc.dis(twelve(rng, valid=coin(rng)), "bank_account"),
                doc.dis(phone(rng, "mobile"), "phone"),
                doc.dis(phone(rng, rng.choice(("land", "intl-compact"))), "phone"),
            ], delim, "none", rng))
        enc = rng.choice(("utf-8", "cp932"))
        c.write(f"distractor_roster/staff_{i:03d}.{'tsv' if delim == chr(9) else 'csv'}", "distractor_roster",
                doc.render("\n".join(lines) + "\n"), enc)


def case_member_csv(c: Corpus, rng: random.Random, scale: int) -> None:
    """会員/注文一覧: a column of random 12-digit IDs; about 1 in 10 passes the check by chance."""
    for i in range(MEMBER_CSV_FILES * scale):
        doc = Doc(rng)
        idcol = rng.choice(("会員番号", "注文番号", "伝票番号", "受付番号"))
        header = [idcol, "氏名", "商品名", "JANコード", "金額", "注文日時"]
        lines = [",".join(header)]
        for _ in range(rng.randint(*MEMBER_CSV_ROWS)):
            name, _ = person(rng)
            lines.append(",".join([
                doc.dis(twelve(rng), "member_id_column"),
                name,
                rng.choice(("ボールペン 10本入", "コピー用紙 A4", "USBメモリ 32GB", "ファイル 青", "電卓")),
                doc.dis(jan_code(rng), "jan"),
                str(rng.randint(100, 99999)),
                doc.dis(stamp12(rng), "timestamp12"),
            ]))
        c.write(f"member_csv/orders_{i:03d}.csv", "member_csv", doc.render("\n".join(lines) + "\n"), rng.choice(("utf-8", "cp932")))


def case_bare_roster(c: Corpus, rng: random.Random, scale: int) -> None:
    """A roster with no header keyword (or no header at all): weak context, roster evidence only."""
    for i in range(BARE_ROSTER_FILES * scale):
        doc = Doc(rng)
        lines = []
        if i % 2 == 0:
            lines.append("No,氏名,番号,備考")
        for n in range(1, rng.randint(*BARE_ROSTER_ROWS) + 1):
            name, _ = person(rng)
            lines.append(f"{n},{name},{doc.mn(form='plain', strength='weak')},{rng.choice(('', '', '済', '再提出'))}")
        c.write(f"bare_roster/list_{i:03d}.csv", "bare_roster", doc.render("\n".join(lines) + "\n"), rng.choice(("utf-8", "cp932")))


# -- forms -------------------------------------------------------------------------

def case_tax_form(c: Corpus, rng: random.Random, scale: int) -> None:
    """給与所得者の扶養控除等（異動）申告書, as text pulled out of a form."""
    for i in range(TAX_FORM_FILES * scale):
        doc = Doc(rng)
        form_w = {"plain": 2, "hyphen": 2, "space": 2, "boxes": 3, "fullwidth": 1.5, "fullwidth-hyphen": 0.7, "ideo-space": 0.7}
        name, kana = person(rng)
        sep = rng.choice(("：", ": ", "　", " "))
        year = rng.randint(2023, 2026)
        L = [
            f"令和{year - 2018}年分 給与所得者の扶養控除等（異動）申告書",
            "",
            f"所轄税務署長　{rng.choice(('麹町', '新宿', '北', '中'))}税務署長",
            f"給与の支払者の名称（氏名）　{rng.choice(COMPANIES)}",
            f"給与の支払者の法人番号{sep}{doc.dis(corporate_number(rng), 'corporate_number')}",
            f"給与の支払者の所在地（住所）　{rng.choice(PLACES)}",
            "",
            "(フリガナ)　" + kana,
            f"あなたの氏名　{name}",
            f"{rng.choice(('個人番号', 'あなたの個人番号', '本人の個人番号'))}{sep}{doc.mn(form=pick_form(rng, form_w))}",
            f"生年月日　{birthday(rng, 'wareki')}",
            f"あなたの住所又は居所　{zipcode(rng)} {rng.choice(PLACES)}",
            f"電話番号{sep}{doc.dis(phone(rng), 'phone')}",
            "",
        ]
        if coin(rng, 0.7):
            sname, skana = person(rng)
            L += [
                "Ａ 源泉控除対象配偶者",
                f"　(フリガナ) {skana}",
                f"　氏名 {sname}",
                f"　{rng.choice(('控除対象配偶者 個人番号', '配偶者の個人番号', '個人番号'))}{sep}{doc.mn(form=pick_form(rng, form_w))}",
                f"　生年月日 {birthday(rng, 'wareki')}",
                "",
            ]
        for k in range(rng.randint(0, 3)):
            dname, dkana = person(rng)
            L += [
                f"Ｂ 控除対象扶養親族 {k + 1}",
                f"　(フリガナ) {dkana}　続柄 {rng.choice(RELATIONS)}",
                f"　氏名 {dname}",
                f"　個人番号{sep}{doc.mn(form=pick_form(rng, form_w))}",
                "",
            ]
        L += [
            "※ 個人番号の記載に当たっては、番号確認及び本人確認を行います。",
            f"提出日 令和{year - 2018}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日　受付番号 {doc.dis(twelve(rng, valid=coin(rng)), 'receipt_number')}",
        ]
        enc = rng.choice(("utf-8", "cp932", "euc_jp", "utf-8-sig"))
        c.write(f"tax_form/fuyou_{i:03d}.txt", "tax_form", doc.render("\n".join(L) + "\n"), enc, "\r\n" if enc == "cp932" else "\n")


# -- chat --------------------------------------------------------------------------

CHAT_FILLER = [
    "おはようございます", "了解です！", "会議室Bに変更になりました", "資料共有します", "よろしくお願いします",
    "午後から外出します", "承知しました", "ありがとうございます🙏", "15時からの打ち合わせ、5分遅れます",
    "今日は在宅です", "確認してみます", "はい、大丈夫です", "例の件、どうなりました？", "lgtm", "👍",
    "経費精算の締めは25日です", "新しいPCのセットアップ終わりました", "ランチ行きましょう",
]


def case_chat(c: Corpus, rng: random.Random, scale: int) -> None:
    """Slack/Teams/LINE-like logs: a few My Numbers, many ordinary lines and numbers."""
    for i in range(CHAT_FILES * scale):
        doc = Doc(rng)
        people = [person(rng)[0].split()[0] for _ in range(4)]
        style = i % 3
        t = datetime(2024, rng.randint(1, 12), rng.randint(1, 28), 9, 0)
        out: list[str] = []

        def say(who: str, msg: str) -> None:
            nonlocal t
            t += timedelta(minutes=rng.randint(0, 20), seconds=rng.randint(0, 59))
            if style == 0:
                out.append(f"[{t:%Y-%m-%d %H:%M}] {who}: {msg}")
            elif style == 1:
                out.append(f"{t:%H:%M}\t{who}\t{msg}")
            else:
                out.append(f"{who} {t:%Y/%m/%d %H:%M:%S}\n{msg}")

        for _ in range(rng.randint(*CHAT_LINES)):
            who = rng.choice(people)
            r = rng.random()
            if r < 0.06:
                tpl = rng.choice((
                    "マイナンバーは {n} です", "まいなんばー {n}", "個人番号送ります→{n}", "my number is {n}",
                    "私の個人番号 {n} でお願いします", "マイナンバー：{n}（本人）", "妻のマイナンバーは{n}です",
                    "MyNumber: {n}",
                ))
                say(who, tpl.format(n=doc.mn(form=pick_form(rng))))
            elif r < 0.10:
                # asked earlier, answered a few lines later with no keyword nearby
                say(who, rng.choice(("年末調整でマイナンバーが必要なので、今日中に送ってもらえますか？",
                                     "扶養家族の個人番号、まだの方は総務までお願いします。")))
                other = rng.choice([p for p in people if p != who])
                for _ in range(rng.randint(1, 3)):
                    say(rng.choice(people), rng.choice(CHAT_FILLER))
                say(other, rng.choice(("これ送っておきます {n}", "{n}", "遅くなりました、{n} です", "こちらです→ {n}")).format(
                    n=doc.mn(form=rng.choice(("plain", "hyphen", "space")), strength="weak")))
            elif r < 0.16:
                say(who, f"注文番号 {doc.dis(twelve(rng, valid=coin(rng)), 'order_number')} の件、出荷済みです")
            elif r < 0.20:
                say(who, f"{doc.dis(phone(rng), 'phone')} に電話ください")
            elif r < 0.24:
                say(who, f"合計 {doc.dis(amount_yen(rng), 'amount')} で見積もり出しました")
            elif r < 0.27:
                say(who, f"受付番号: {doc.dis(twelve(rng, valid=coin(rng)), 'receipt_number')} で問い合わせ済み")
            elif r < 0.30:
                say(who, f"伝票番号{doc.dis(twelve(rng, valid=coin(rng)), 'slip_number')}、追跡できません")
            elif r < 0.32:
                say(who, f"会社の法人番号は {doc.dis(corporate_number(rng), 'corporate_number')} です")
            elif r < 0.34:
                say(who, f"テスト用のカード {doc.dis(credit_card(rng), 'credit_card')} 使ってください")
            else:
                say(who, rng.choice(CHAT_FILLER))
        enc = "cp932" if i % 4 == 3 else "utf-8"
        c.write(f"chat/chat_{i:03d}.txt", "chat", doc.render("\n".join(out) + "\n"), enc)


# -- JSON --------------------------------------------------------------------------

MN_KEYS = ["my_number", "myNumber", "kojin_bango", "個人番号", "individual_number", "mynumber"]


def _json_record(doc: Doc, rng: random.Random) -> dict:
    name, kana = person(rng)
    key = rng.choice(MN_KEYS)
    bare = coin(rng, 0.25)
    rec: dict = {
        "id": rng.randint(1, 10**6),
        "name": name,
        "kana": kana,
        key: doc.mn(form="plain" if bare or coin(rng, 0.8) else "hyphen", bare_json=bare),
        "phone": doc.dis(phone(rng), "phone"),
        "created_at": doc.dis(epoch_ms(rng), "epoch_ms", bare_json=True),
        "order_id": doc.dis(twelve(rng, valid=coin(rng)), "order_id", bare_json=coin(rng)),
        "tracking_number": doc.dis(twelve(rng, valid=coin(rng)), "tracking_number"),
        "amount": doc.dis(twelve(rng, valid=coin(rng)), "amount", bare_json=True) if coin(rng, 0.3) else rng.randint(100, 10**6),
    }
    if coin(rng, 0.5):
        rec["dependents"] = [
            {"name": person(rng)[0], "relation": rng.choice(RELATIONS), key: doc.mn(form="plain")}
            for _ in range(rng.randint(1, 3))
        ]
    if coin(rng, 0.3):
        rec["employer"] = {"name": rng.choice(COMPANIES), "corporate_number": doc.dis(corporate_number(rng), "corporate_number")}
    return rec


def case_json(c: Corpus, rng: random.Random, scale: int) -> None:
    """API payloads: pretty JSON, JSON Lines, ensure_ascii escapes, nested objects and arrays."""
    for i in range(JSON_FILES * scale):
        doc = Doc(rng)
        records = [_json_record(doc, rng) for _ in range(rng.randint(*JSON_RECORDS))]
        ascii_only = i % 2 == 1
        if i % 3 == 0:
            text = "\n".join(json.dumps(r, ensure_ascii=ascii_only) for r in records) + "\n"
            ext = "jsonl"
        else:
            payload = {"status": "ok", "count": len(records), "request_id": doc.dis(hex_hash(rng, 32), "hex_hash"),
                       "data": {"employees": records}}
            text = json.dumps(payload, ensure_ascii=ascii_only, indent=rng.choice((None, 2, 4))) + "\n"
            ext = "json"
        c.write(f"json_api/payload_{i:03d}.{ext}", "json_api", doc.render(text), "utf-8")


# -- application logs ----------------------------------------------------------------

def case_app_log(c: Corpus, rng: random.Random, scale: int) -> None:
    """Server logs: request ids, user ids, durations, epoch millis, hashes, a few leaks."""
    paths = ["/api/v1/employees", "/api/v1/orders", "/api/v1/login", "/api/v2/tax/submit", "/healthz"]
    for i in range(APP_LOG_FILES * scale):
        doc = Doc(rng)
        t = datetime(2024, rng.randint(1, 12), rng.randint(1, 28), 0, 0, 0)
        out = []
        for _ in range(rng.randint(*APP_LOG_LINES)):
            t += timedelta(milliseconds=rng.randint(1, 30000))
            ts = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
            lvl = rng.choice(("INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"))
            req = f"req-{hex_hash(rng, 8) if coin(rng, 0.7) else ''.join(rng.choice('0123456789abcdef') for _ in range(8))}"
            r = rng.random()
            if r < 0.04:
                msg = rng.choice((
                    "DEBUG payload my_number={n} name=***",
                    "validation failed: field=individual_number value={n}",
                    'request body {{"myNumber": "{n}", "dept": "sales"}}',
                    "mynumber: {n} registered",
                )).format(n=doc.mn(form="plain" if coin(rng, 0.85) else "hyphen"))
            elif r < 0.15:
                msg = f"user_id={doc.dis(twelve(rng, valid=coin(rng)), 'user_id')} path={rng.choice(paths)} status=200 duration_ms={rng.randint(1, 3000)}"
            elif r < 0.22:
                msg = f"order_id={doc.dis(twelve(rng, valid=coin(rng)), 'order_id')} amount={rng.randint(100, 10**6)} created_at={doc.dis(epoch_ms(rng), 'epoch_ms')}"
            elif r < 0.27:
                msg = f"batch run_at={doc.dis(stamp12(rng, valid=coin(rng)), 'timestamp12')} processed={rng.randint(0, 5000)} rows"
            elif r < 0.32:
                msg = f"cache key sha1={doc.dis(hex_hash(rng), 'hex_hash')} hit={rng.choice(('true', 'false'))}"
            elif r < 0.35:
                msg = f"session={doc.dis(twelve(rng, valid=coin(rng)), 'session_id')} expired"
            else:
                msg = f"{rng.choice(('GET', 'POST', 'PUT'))} {rng.choice(paths)} {rng.choice((200, 200, 201, 404, 500))} {rng.randint(1, 900)}ms bytes={rng.randint(0, 10**6)}"
            out.append(f"{ts} {lvl:<5} [{req}] {msg}")
        c.write(f"app_log/app_{i:03d}.log", "app_log", doc.render("\n".join(out) + "\n"), "utf-8")


# -- mail and memos ------------------------------------------------------------------

def case_mail(c: Corpus, rng: random.Random, scale: int) -> None:
    """Mail copied to text (ISO-2022-JP and others): a My Number request and reply, signatures."""
    for i in range(MAIL_FILES * scale):
        doc = Doc(rng)
        name, _ = person(rng)
        staff, _ = person(rng)
        company = rng.choice(COMPANIES)
        body = [
            f"件名: Re: 【{rng.choice(DEPTS)}】マイナンバー提出のお願い",
            f"差出人: {name} <user{rng.randint(1, 999)}@example.co.jp>",
            f"日付: 2024年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 {rng.randint(9, 18)}:{rng.randint(0, 59):02d}",
            "",
            f"{staff.split()[0]}様",
            "",
            "お疲れ様です。",
            "年末調整の件、ご連絡いただいた内容を記載します。",
            "",
            f"本人の個人番号：{doc.mn(form=pick_form(rng))}",
        ]
        if coin(rng, 0.6):
            body.append(f"{rng.choice(('妻', '長男', '長女'))}の個人番号：{doc.mn(form=pick_form(rng))}")
        if coin(rng, 0.5):
            body += ["", f"それと、息子のは {doc.mn(form='plain', strength='weak')} で合っていると思います。"]
        body += [
            "",
            f"なお、振込先の口座番号 {doc.dis(twelve(rng, valid=coin(rng)), 'bank_account')} に変更はありません。",
            f"免許証番号 {doc.dis(twelve(rng, valid=coin(rng)), 'drivers_license')} は別途コピーを提出します。",
            "",
            "--",
            f"{company} {rng.choice(DEPTS)}",
            name,
            f"TEL: {doc.dis(phone(rng, 'land'), 'phone')}  携帯: {doc.dis(phone(rng, 'mobile'), 'phone')}",
            f"法人番号 {doc.dis(corporate_number(rng), 'corporate_number')}",
            f"登録番号 T{doc.dis(corporate_number(rng), 'invoice_number')}",
        ]
        enc = ("iso2022_jp", "iso2022_jp", "cp932", "utf-8")[i % 4]
        c.write(f"mail/mail_{i:03d}.txt", "mail", doc.render("\n".join(body) + "\n"), enc)


def case_memo(c: Corpus, rng: random.Random, scale: int) -> None:
    """Markdown notes: a table of numbers, bullet points, distractors in prose."""
    for i in range(MEMO_FILES * scale):
        doc = Doc(rng)
        L = [
            f"# 年末調整 作業メモ ({rng.randint(2023, 2025)})",
            "",
            "## 回収状況",
            "",
            "| 氏名 | 個人番号 | 提出日 | 備考 |",
            "|---|---|---|---|",
        ]
        for _ in range(rng.randint(3, 10)):
            name, _ = person(rng)
            L.append(f"| {name} | {doc.mn(form=rng.choice(('plain', 'hyphen', 'space')))} | 2024/11/{rng.randint(1, 30):02d} | {rng.choice(('', '原本確認済', '通知カード'))} |")
        L += ["", "## メモ", ""]
        for _ in range(rng.randint(4, 10)):
            n2, _ = person(rng)
            r = rng.random()
            if r < 0.25:
                L.append(f"- {n2}さんのマイナンバー `{doc.mn(form=pick_form(rng))}` 要再確認")
            elif r < 0.4:
                L.append(f"- 取引先の法人番号: {doc.dis(corporate_number(rng), 'corporate_number')}")
            elif r < 0.55:
                L.append(f"- 問い合わせ番号 {doc.dis(twelve(rng, valid=coin(rng)), 'inquiry_number')}（{n2}さん対応）")
            elif r < 0.7:
                L.append(f"- 備品 UPC {doc.dis(upc_code(rng), 'upc')} を発注")
            elif r < 0.85:
                L.append(f"- 経費 {doc.dis(amount_yen(rng), 'amount')} 立替分")
            else:
                L.append(f"- {n2}さん 免許証番号 {doc.dis(twelve(rng, valid=coin(rng)), 'drivers_license')} 確認")
        c.write(f"memo/memo_{i:03d}.md", "memo", doc.render("\n".join(L) + "\n"), "utf-8")


def case_invoice(c: Corpus, rng: random.Random, scale: int) -> None:
    """請求書 / 納品書 text: invoice numbers, corporate numbers, JAN/UPC, amounts, card, account. No My Number."""
    for i in range(INVOICE_FILES * scale):
        doc = Doc(rng)
        company = rng.choice(COMPANIES)
        L = [
            "請　求　書",
            "",
            f"請求書番号: {doc.dis(twelve(rng, valid=coin(rng)), 'invoice_no')}",
            f"発行日: 2024年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            f"{company}",
            f"適格請求書発行事業者 登録番号：T{doc.dis(corporate_number(rng), 'invoice_number')}",
            f"法人番号：{doc.dis(corporate_number(rng), 'corporate_number')}",
            f"TEL {doc.dis(phone(rng, 'land'), 'phone')} / FAX {doc.dis(phone(rng, 'land'), 'phone')}",
            "",
            "品名\tJAN\t数量\t金額",
        ]
        for _ in range(rng.randint(3, 12)):
            if coin(rng, 0.6):
                code = f"JAN {doc.dis(jan_code(rng), 'jan')}"
            else:
                code = f"UPC {doc.dis(upc_code(rng), 'upc')}"
            L.append(f"{rng.choice(('トナー', 'ケーブル', '用紙', 'マウス'))}\t{code}\t{rng.randint(1, 20)}\t{rng.randint(100, 90000):,}円")
        L += [
            "",
            f"合計金額 {doc.dis(amount_yen(rng), 'amount')}",
            f"お振込先: サンプル銀行 本店営業部 普通 口座番号 {doc.dis(twelve(rng, valid=coin(rng)), 'bank_account')}",
            f"カード決済: {doc.dis(credit_card(rng), 'credit_card')}",
            f"配送伝票番号 {doc.dis(twelve(rng, valid=coin(rng)), 'slip_number')}",
            f"処理日時 {doc.dis(stamp12(rng, valid=coin(rng)), 'timestamp12')} / epoch {doc.dis(epoch_ms(rng), 'epoch_ms')}",
        ]
        enc = ("utf-8", "cp932", "euc_jp")[i % 3]
        c.write(f"invoice/invoice_{i:03d}.txt", "invoice", doc.render("\n".join(L) + "\n"), enc)


CASES: dict[str, Callable[[Corpus, random.Random, int], None]] = {
    "hr_csv": case_hr_csv,
    "distractor_roster": case_distractor_roster,
    "member_csv": case_member_csv,
    "bare_roster": case_bare_roster,
    "tax_form": case_tax_form,
    "chat": case_chat,
    "json_api": case_json,
    "app_log": case_app_log,
    "mail": case_mail,
    "memo": case_memo,
    "invoice": case_invoice,
}


def generate(outdir: str | Path, seed: int = 1, scale: int = 1, cases: list[str] | None = None) -> Corpus:
    """Write the corpus and ``truth.jsonl``; deterministic for a given seed and scale."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(outdir)
    for name, fn in CASES.items():
        if cases and name not in cases:
            continue
        # one stream per case: adding a case does not change the others
        fn(corpus, random.Random(f"{seed}:{name}"), scale)
    with open(outdir / TRUTH_FILE, "w", encoding="utf-8") as f:
        for rec in corpus.records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return corpus


def load_truth(outdir: str | Path) -> list[dict]:
    with open(Path(outdir) / TRUTH_FILE, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def verify(outdir: str | Path) -> list[str]:
    """Check the truth against the files as written: each position holds the number it claims."""
    outdir = Path(outdir)
    problems = []
    for rec in load_truth(outdir):
        lines = (outdir / rec["path"]).read_bytes().decode(rec["encoding"]).split("\n")
        for n in rec["numbers"]:
            at = lines[n["line"] - 1][n["column"] - 1 :]
            ds = "".join(ch for ch in at[:40].translate(_FROM_FULLWIDTH) if ch.isdigit())
            if not at[:1].translate(_FROM_FULLWIDTH).isdigit() or len(ds) < 12 or not is_valid(ds[:12]) or ds[8:12] != n["masked"][-4:]:
                problems.append(f"{rec['path']}:{n['line']}:{n['column']} does not hold {n['masked']}")
        for d in rec["distractors"]:
            if len(lines[d["line"] - 1]) < d["column"] - 1 + d["length"]:
                problems.append(f"{rec['path']}:{d['line']}:{d['column']} distractor span past end of line")
    return problems


_FROM_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--case", action="append", choices=sorted(CASES), help="only these cases (repeatable)")
    a = ap.parse_args(argv)
    corpus = generate(a.outdir, a.seed, a.scale, a.case)
    n_d = sum(len(r["distractors"]) for r in corpus.records)
    for problem in verify(a.outdir):
        print("truth error:", problem, file=sys.stderr)
    print(f"{len(corpus.records)} files, {corpus.n_true} true numbers, {n_d} distractors -> {a.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
