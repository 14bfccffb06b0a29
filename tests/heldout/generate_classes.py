#!/usr/bin/env python3
"""Held-out evaluation set by difficulty class for mynumber-dlp (written without looking at the detector).

    python tests/heldout/generate_classes.py OUTDIR --seed N

Writes a few hundred realistic office files (CSV in CP932 / UTF-8 with BOM, xlsx made with
openpyxl, docx made with python-docx, JSON with and without ensure_ascii, HTML/XML with
character references, .eml made with the email package, nested zips) into OUTDIR, plus
OUTDIR/truth_classes.jsonl with one record per file:

    {"path", "class", "numbers": [{"fingerprint", "masked", "expected", "tags"}],
     "distractors": [{"fingerprint", "masked", "kind", "valid"}]}

Fingerprints are HMAC-SHA256 (key b"heldout") of the 12 ASCII digits, so no full number is
stored.  Positions inside xlsx/docx/zip/eml depend on the extractor, so evaluate_classes.py
matches findings by (top-level path, fingerprint).  A distractor's entries are every 12-digit
window of its digits (separators and escapes removed), each with its own check-digit validity.

"expected" is the confidence a careful human reviewer would give:

  cell-linebreak      number broken by a line break inside one cell (CSV quoted field, Excel
                      Alt+Enter, docx cell paragraphs / <w:br/>), column or cell says
                      個人番号/マイナンバー -> high
  boxed-digits        one digit per box (|1|2|..., ｜, │, [1], 【1】, □, commas/tabs, one digit per
                      CSV/xlsx/docx cell), optional 4-4-4 gaps; label nearby -> high, no label -> low
  escaped-text        JSON \\uXXXX (ensure_ascii=True, also a JSON string inside JSON), HTML/XML
                      numeric character references for digits, separators and labels; label -> high
  chat-export         Slack / Teams / LINE WORKS / LINE / kintone JSON; label in the message -> high;
                      question earlier in the same thread/conversation -> medium; bare number in a
                      channel whose name (in the path, 人事-マイナンバー収集) says so -> medium (the
                      channel name is as telling as a file name, see far-context); bare number in a
                      kintone app with default field codes and nothing else -> low
  column-statistics   12-digit columns without a telling header (番号, No., ID, 管理番号, コード,
                      社員ID, col3) whose values all pass -> low; chance-rate columns beside them
                      (受注番号, UPC/JAN, 店番+科目+口座番号) are distractors.  Rosters run from 5 to
                      200 rows, so this class holds far more numbers than the others (the
                      evaluator prints a per-class mean beside the pooled figures, and a rows:* tag)
  spreadsheet-values  header 個人番号/マイナンバー; int, float (openpyxl writes it like an int),
                      1.23456789018E11 as Apache POI writes doubles, 0.00E+00, '@' text, formulas
                      with cached values written into the sheet XML, custom format 000000000000
                      -> high; leading zero lost (11-digit
                      int under 個人番号) -> medium (the padded value passes, but the cell as stored
                      is not a 12-digit number, so a reviewer would want to confirm); xlsx nested
                      2 and 3 zips deep -> high
  far-context         context only in the mail subject/body (attachment column 番号), a docx title
                      far above the table, the sheet name, or the file name -> medium; controls of
                      the same shapes about orders/products with mod-11 (weights 2..7, the same
                      scheme) order numbers -> distractors valid=true

Every number is synthetic (random body + computed check digit), unique across the set.  After
writing, each file is re-read with the library that wrote it and every number and distractor is
asserted to be present as intended.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import hmac
import html
import io
import json
import os
import random
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from email import encoders, policy
from email.header import Header
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import BytesParser
from email.utils import format_datetime, formataddr

import docx
import openpyxl
from docx.shared import Pt
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

try:
    from tests.heldout import generate as base
except ImportError:  # run as a script: tests/heldout is sys.path[0]
    import generate as base

KEY = b"heldout"
CLASSES = ("cell-linebreak", "boxed-digits", "escaped-text", "chat-export", "column-statistics",
           "spreadsheet-values", "far-context")
TRUTH = "truth_classes.jsonl"
FWT = str.maketrans("0123456789", "０１２３４５６７８９")
DEPTS = ["総務部", "人事部", "経理部", "営業部", "営業一課", "製造部", "品質管理課", "情報システム部", "物流センター",
         "開発部", "購買部", "カスタマーサポート"]
RELS = ["配偶者", "長男", "長女", "次男", "次女", "父", "母"]
PRODUCTS = ["コピー用紙A4 500枚", "ボールペン黒 10本", "トナーカートリッジ", "クリアファイル", "USBメモリ 32GB",
            "段ボール箱 100サイズ", "梱包テープ", "電卓", "ホッチキス針", "付箋 75mm"]
SHOPS = ["本店営業部", "新宿支店", "横浜駅前支店", "梅田支店", "名駅支店", "天神支店", "札幌支店"]


# ---------------------------------------------------------------------------------------
# numbers, fingerprints, digits

def valid12(s: str) -> bool:
    return len(s) == 12 and s.isdigit() and base.check_digit(s[:11]) == int(s[11])


def fingerprint(d: str) -> str:
    return hmac.new(KEY, d.encode("ascii"), hashlib.sha256).hexdigest()


def mask(d: str) -> str:
    return "*" * 8 + d[-4:]


def fw(s: str) -> str:
    return s.translate(FWT)


def grp(d: str, sep: str = " ") -> str:
    return sep.join((d[:4], d[4:8], d[8:]))


_UESC = re.compile(r"\\u([0-9a-fA-F]{4})")


def unescape_all(s: str) -> str:
    """Undo JSON \\uXXXX (also doubled backslashes), HTML references and width variants."""
    for _ in range(2):
        s = _UESC.sub(lambda m: chr(int(m.group(1), 16)), s)
    s = re.sub(r"[\ud800-\udbff][\udc00-\udfff]",
               lambda m: m.group(0).encode("utf-16", "surrogatepass").decode("utf-16"), s)
    return unicodedata.normalize("NFKC", html.unescape(s))


def plain_digits(s: str) -> str:
    return "".join(c for c in unescape_all(s) if c in "0123456789")


def digit_runs(s: str) -> list[str]:
    return re.findall(r"[0-9]+", unescape_all(s))


class Pool:
    """Synthetic 12-digit values, unique across the whole set (positives and 12-digit distractors)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used = {"123456789018"}

    def _body(self, n: int, lead: str | None) -> str:
        first = self.rng.choice(lead) if lead else self.rng.choice("0123456789")
        return first + "".join(self.rng.choice("0123456789") for _ in range(n - 1))

    def number(self, lead: str | None = None) -> str:
        """A new valid number; lead = allowed first digits ("123456789" for int cells, "0" for lost zeros)."""
        while True:
            body = self._body(11, lead)
            d = body + str(base.check_digit(body))
            if d not in self.used:
                self.used.add(d)
                return d

    def random12(self, valid: bool | None = None, lead: str = "123456789") -> str:
        """A 12-digit value at the chance rate (valid=None) or forced valid / invalid."""
        while True:
            d = self._body(12, lead)
            if (valid is None or valid12(d) == valid) and d not in self.used:
                self.used.add(d)
                return d

    def chance_column(self, n: int, lead: str = "123456789") -> list[str]:
        """n random values; at least one passes the check digit, not all do (when n > 1)."""
        while True:
            col = [self.random12(None, lead) for _ in range(n)]
            k = sum(valid12(v) for v in col)
            if k >= 1 and (k < n or n == 1):
                return col
            i = self.rng.randrange(n)
            col[i] = self.random12(True, lead)
            k = sum(valid12(v) for v in col)
            if 1 <= k < n or n == 1:
                return col


# ---------------------------------------------------------------------------------------
# distractor makers (return text as written)

def phone(rng: random.Random) -> str:
    a, b = f"{rng.randint(0, 9999):04d}", f"{rng.randint(0, 9999):04d}"
    return rng.choice([f"03-{a}-{b}", f"090-{a}-{b}", f"080-{a}-{b}", f"06-{a}-{b}", f"045-{a[:3]}-{b}",
                       f"0120-{a[:3]}-{b[:3]}", f"070-{a}-{b}", f"052-{a[:3]}-{b}"])


def phone_intl(rng: random.Random, valid: bool | None = None) -> str:
    """+81 mobile: its 12 digits 81 9x xxxx xxxx can pass the check digit."""
    while True:
        mob = rng.choice(["90", "80", "70"])
        a, b = f"{rng.randint(0, 9999):04d}", f"{rng.randint(0, 9999):04d}"
        s = rng.choice([f"+81-{mob}-{a}-{b}", f"+81 {mob} {a} {b}", f"+81{mob}{a}{b}", f"+81 {mob}-{a}-{b}"])
        if valid is None or valid12(plain_digits(s)) == valid:
            return s


def corp13(rng: random.Random) -> str:
    """法人番号: check digit first, then 12 base digits."""
    body = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(11))
    tot = sum(int(c) * (1 if i % 2 == 0 else 2) for i, c in enumerate(reversed(body)))
    return str(9 - tot % 9) + body


def jan13(rng: random.Random) -> str:
    body = rng.choice(["45", "49"]) + "".join(rng.choice("0123456789") for _ in range(10))
    tot = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - tot % 10) % 10)


def upc12(rng: random.Random) -> str:
    body = rng.choice("0147") + "".join(rng.choice("0123456789") for _ in range(10))
    tot = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(body))
    return body + str((10 - tot % 10) % 10)


def ts12(rng: random.Random) -> str:
    return f"{rng.randint(2023, 2025)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
           f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}"


def epoch_ms(rng: random.Random) -> str:
    return str(rng.randint(1_700_000_000_000, 1_740_000_000_000))


def postal(rng: random.Random) -> str:
    return f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}"


def yen(v: int) -> str:
    return f"{v:,}"


# ---------------------------------------------------------------------------------------
# people and office content

KANA_ROMAJI = {
    "サトウ": "sato", "スズキ": "suzuki", "タカハシ": "takahashi", "タナカ": "tanaka", "イトウ": "ito",
    "ワタナベ": "watanabe", "ヤマモト": "yamamoto", "ナカムラ": "nakamura", "コバヤシ": "kobayashi", "カトウ": "kato",
    "ヨシダ": "yoshida", "ヤマダ": "yamada", "ササキ": "sasaki", "ヤマグチ": "yamaguchi", "マツモト": "matsumoto",
    "イノウエ": "inoue", "キムラ": "kimura", "ハヤシ": "hayashi", "サイトウ": "saito", "シミズ": "shimizu",
    "ヤマザキ": "yamazaki", "モリ": "mori", "イケダ": "ikeda", "ハシモト": "hashimoto", "アベ": "abe",
    "イシカワ": "ishikawa", "マエダ": "maeda", "フジタ": "fujita", "オガワ": "ogawa", "ゴトウ": "goto",
    "オカダ": "okada", "ハセガワ": "hasegawa", "ムラカミ": "murakami", "コンドウ": "kondo", "ヤマサキ": "yamasaki",
}


def person(rng: random.Random) -> dict:
    s, g, sk, gk = base.person(rng)
    login = f"{KANA_ROMAJI.get(sk, 'staff')}.{rng.randint(1, 99):02d}"
    return {"login": login, "sei": s, "mei": g, "name": f"{s} {g}", "kana": f"{sk} {gk}", "birth": base.birth(rng),
            "addr": base.address(rng), "dept": rng.choice(DEPTS), "zip": postal(rng), "phone": phone(rng),
            "sex": rng.choice(["男", "女"]), "hired": f"{rng.randint(1995, 2024)}/{rng.randint(1, 12):02d}/01",
            "emp": f"{rng.randint(10000, 99999)}"}


def jdate(rng: random.Random, year: int = 2024) -> dt.date:
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


# ---------------------------------------------------------------------------------------
# truth records

class Rec:
    """Truth for one top-level file, plus the probes the self-check looks for."""

    def __init__(self, path: str, cls: str):
        self.path, self.cls = path, cls
        self.numbers: list[dict] = []
        self.distractors: dict[str, dict] = {}
        self.dprobes: list[str] = []

    def num(self, d: str, expected: str, tags, text: str, probe: str | None = None, padded: bool = False) -> str:
        """Register number d written as text (probe: how it appears in the re-read content;
        padded: the probe lost its leading zeros, as an int cell does)."""
        assert valid12(d) and expected in ("low", "medium", "high"), (d, expected)
        assert all(n["digits"] != d for n in self.numbers)
        self.numbers.append({"digits": d, "expected": expected, "tags": list(tags),
                             "probe": text if probe is None else probe, "padded": padded})
        return text

    def dis(self, text: str, kind: str, probe: str | None = None) -> str:
        """Register a distractor; every 12-digit window of its digits becomes a truth entry."""
        seqs = dict.fromkeys([plain_digits(text)] + digit_runs(text))  # ordered: the truth is reproducible
        for s in seqs:
            for i in range(len(s) - 11):
                w = s[i:i + 12]
                f = fingerprint(w)
                if f not in self.distractors:
                    self.distractors[f] = {"fingerprint": f, "masked": mask(w), "kind": kind, "valid": valid12(w)}
        self.dprobes.append(text if probe is None else probe)
        return text

    def truth(self) -> dict:
        return {"path": self.path, "class": self.cls,
                "numbers": [{"fingerprint": fingerprint(n["digits"]), "masked": mask(n["digits"]),
                             "expected": n["expected"], "tags": n["tags"]} for n in self.numbers],
                "distractors": list(self.distractors.values())}


class Corpus:
    def __init__(self, outdir: str, seed: int):
        self.outdir = outdir
        self.rng = random.Random(seed)
        self.pool = Pool(random.Random(seed * 7919 + 1))
        self.recs: list[Rec] = []
        self.paths: set[str] = set()

    def rec(self, path: str, cls: str) -> Rec:
        root, ext = os.path.splitext(path)
        k = 2
        while path in self.paths:
            path = f"{root}_{k}{ext}"
            k += 1
        self.paths.add(path)
        return Rec(path, cls)

    def add(self, rec: Rec, data: bytes) -> None:
        full = os.path.join(self.outdir, rec.path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            fh.write(data)
        self.recs.append(rec)


# ---------------------------------------------------------------------------------------
# file writers

def csv_bytes(rows, enc: str = "cp932", delimiter: str = ",") -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode(enc)


def header_style(ws, ncols: int, row: int = 1) -> None:
    for c in range(1, ncols + 1):
        ws.cell(row=row, column=c).font = Font(bold=True)


def wb_bytes(wb) -> bytes:
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def xlsx_cache(data: bytes, sheet: str, cached: dict[str, tuple[str, str]]) -> bytes:
    """Give openpyxl's formula cells cached results: cached = {"D2": ("str"|"n", value)};
    ("raw", text) rewrites a plain numeric cell's <v> (e.g. as Apache POI writes doubles)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == f"xl/worksheets/{sheet}.xml":
                xml = body.decode("utf-8")
                for ref, (typ, val) in cached.items():
                    if typ == "raw":
                        xml, k = re.subn(rf'(<c r="{ref}"[^>]*><v>)[^<]*(</v>)', rf"\g<1>{val}\g<2>", xml)
                        assert k == 1, ref
                        continue
                    pat = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?')
                    m = pat.search(xml)
                    assert m, ref
                    attrs = re.sub(r'\s*t="[^"]*"', "", m.group(1))
                    t = ' t="str"' if typ == "str" else ""
                    xml = xml[:m.start()] + f'<c r="{ref}"{attrs}{t}><f>{m.group(2)}</f><v>{html.escape(val)}</v>' \
                        + xml[m.end():]
                body = xml.encode("utf-8")
            zout.writestr(info, body)
    return out.getvalue()


def java_double(d: str) -> str:
    """Java's Double.toString of an integral value >= 1e7 (Apache POI writes cell values so)."""
    digits = str(int(d))
    m = digits.rstrip("0")
    return f"{m[0]}.{m[1:] or '0'}E{len(digits) - 1}"


def docx_bytes(doc) -> bytes:
    b = io.BytesIO()
    doc.save(b)
    return b.getvalue()


class CP932Name(zipfile.ZipInfo):
    """A zip entry named in CP932 without the UTF-8 flag, as Windows Explorer writes them."""

    def _encodeFilenameFlags(self):  # noqa: N802 - overrides zipfile's private hook
        return self.filename.encode("cp932"), self.flag_bits & ~0x800


def zip_bytes(members, cp932_names: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = CP932Name(name) if cp932_names else zipfile.ZipInfo(name)
            info.date_time = (2024, 11, 5, 9, 30, 0)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


def json_bytes(obj, ensure_ascii: bool, indent: int | None = 2, slash: bool = False) -> bytes:
    s = json.dumps(obj, ensure_ascii=ensure_ascii, indent=indent)
    if slash:  # Slack's exporter escapes every '/'
        s = s.replace("/", "\\/")
    return s.encode("utf-8")


def jesc(s: str, ensure_ascii: bool = True) -> str:
    """The text of s inside a JSON string literal."""
    return json.dumps(s, ensure_ascii=ensure_ascii)[1:-1]


def ncr(s: str, hexa: bool = False) -> str:
    return "".join(f"&#x{ord(c):X};" if hexa else f"&#{ord(c)};" for c in s)


# ======================================================================================
# 1. cell-linebreak

def linebreak_variants(d: str) -> list[tuple[str, list[str]]]:
    g = (d[:4], d[4:8], d[8:])
    return [
        (f"{g[0]}\n{g[1]} {g[2]}", ["break-after-group1"]),
        (f"{g[0]} {g[1]}\n{g[2]}", ["break-after-group2"]),
        (f"{g[0]}-{g[1]}-\n{g[2]}", ["break-after-hyphen"]),
        (f"{g[0]}{g[1]}\n{g[2]}", ["break-after-group2", "no-sep"]),
        (f"{d[:6]}\n{d[6:]}", ["split-mid-group", "no-sep"]),
        (f"{g[0]} {d[4:6]}\n{d[6:8]} {g[2]}", ["split-mid-group"]),
        (f"{d[:3]}\n{d[3:]}", ["split-mid-group", "no-sep"]),
        (f"{g[0]}\n{g[1]}\n{g[2]}", ["three-lines"]),
        (f"{g[0]}\r\n{g[1]} {g[2]}", ["crlf-in-cell"]),
    ]


def remark_variants(d: str) -> list[tuple[str, list[str]]]:
    return [
        (f"個人番号（再提出分）\n{grp(d)}", ["remarks-cell", "label-line-above"]),
        (f"扶養控除等申告書 受領済\nマイナンバー：{d}", ["remarks-cell", "label-same-line"]),
        (f"通知カードの写しで確認\n個人番号 {grp(d, '-')}\n※原本返却済", ["remarks-cell", "label-same-line"]),
        (f"マイナンバー\n{d[:4]} {d[4:8]}\n{d[8:]}", ["remarks-cell", "label-line-above", "break-after-group2"]),
    ]


class Cycler:
    """Round-robin over variants so every form turns up."""

    def __init__(self):
        self.k = {}

    def pick(self, key: str, options):
        i = self.k.get(key, 0)
        self.k[key] = i + 1
        return options[i % len(options)]


def gen_cell_linebreak(c: Corpus) -> None:
    rng, pool, cyc, cls = c.rng, c.pool, Cycler(), "cell-linebreak"

    def number_cell(rec, tags, remark_ok=True):
        d = pool.number()
        if remark_ok and rng.random() < 0.25:
            text, t = cyc.pick("remark", remark_variants(d))
            return None, rec.num(d, "high", tags + t, text)
        text, t = cyc.pick("lb", linebreak_variants(d))
        return rec.num(d, "high", tags + t, text), None

    def phone_cell(rec, p):
        if rng.random() < 0.3:
            return rec.dis(f"自宅 {phone(rng)}\n携帯 {phone(rng)}", "phone-pair")
        if rng.random() < 0.2:
            return rec.dis(phone_intl(rng, True), "phone-intl")
        return p["phone"]

    # CSV (Excel "CSV" = CP932, Excel "CSV UTF-8" = UTF-8 with BOM; Alt+Enter -> LF inside quotes)
    for i in range(7):
        enc = "cp932" if i % 2 == 0 else "utf-8-sig"
        tag = ["csv", "cp932" if enc == "cp932" else "utf8-bom"]
        if i % 3 == 0:
            rec = c.rec(f"人事/入社手続/入社書類_回収状況_2024{4 + i:02d}.csv", cls)
            col = rng.choice(["個人番号", "マイナンバー", "個人番号（12桁）"])
            rows = [["社員番号", "氏名", "フリガナ", "所属", "入社日", col, "電話番号", "備考"]]
            for _ in range(rng.randint(2, 4)):
                p = person(rng)
                cell, remark = number_cell(rec, tag)
                rows.append([p["emp"], p["name"], p["kana"], p["dept"], p["hired"], cell or "備考欄参照",
                             phone_cell(rec, p),
                             remark or rng.choice(["", "扶養控除申告書 回収済", "身元保証書 未着"])])
            rows.append(["", "（以下余白）", "", "", "", "", "", ""])
        elif i % 3 == 1:
            rec = c.rec(f"人事/年末調整/扶養控除申告書_入力_{rng.choice(DEPTS)}_{i}.csv", cls)
            col = rng.choice(["マイナンバー", "個人番号", "扶養親族の個人番号"])
            rows = [["No", "従業員氏名", "続柄", "扶養親族氏名", col, "生年月日", "同居／別居", "備考"]]
            for k in range(rng.randint(2, 4)):
                p, q = person(rng), person(rng)
                cell, remark = number_cell(rec, tag)
                rows.append([str(k + 1), p["name"], rng.choice(RELS), f"{p['sei']} {q['mei']}", cell or "",
                             q["birth"], rng.choice(["同居", "別居"]), remark or ""])
        else:
            city = rng.choice(base.CITIES)
            rec = c.rec(f"給与/給与支払報告書_個人別明細_{city}_{i}.csv", cls)
            rows = [["受給者番号", "氏名", "住所", "個人番号", "支払金額", "源泉徴収税額", "摘要"]]
            for _ in range(rng.randint(2, 4)):
                p = person(rng)
                cell, remark = number_cell(rec, tag)
                pay = rng.randint(2_000_000, 9_000_000)
                rows.append([p["emp"], p["name"], p["addr"], cell or "摘要欄に記載", yen(pay), yen(pay // 20),
                             remark or rng.choice(["", "中途就職 令和6年6月1日", "前職分含む"])])
        c.add(rec, csv_bytes(rows, enc))

    # xlsx: Alt+Enter inside a cell (wrap_text), incl. several dependants in one cell
    for i in range(5):
        rec = c.rec(f"人事/社員台帳_{rng.choice(DEPTS)}_{i + 1}.xlsx", cls)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "社員台帳"
        head = ["社員番号", "氏名", "所属", rng.choice(["個人番号", "マイナンバー"]), "扶養親族（氏名・個人番号）",
                "電話番号", "備考"]
        ws.append(head)
        header_style(ws, len(head))
        for _ in range(rng.randint(2, 3)):
            p = person(rng)
            cell, remark = number_cell(rec, ["xlsx"])
            if cell is not None and i == 4 and rng.random() < 0.5:
                cell = cell.replace("\n", "\r\n")  # pasted from a web form
                rec.numbers[-1]["probe"] = cell
                rec.numbers[-1]["tags"].append("crlf-in-cell")
            deps = []
            for _ in range(rng.choice([0, 0, 1])):
                q = person(rng)
                d = pool.number()
                deps.append(f"{p['sei']} {q['mei']}（{rng.choice(RELS)}） " +
                            rec.num(d, "high", ["xlsx", "dependants-cell"], grp(d)))
            row = [int(p["emp"]), p["name"], p["dept"], cell or "未回収", "\n".join(deps) or "なし",
                   phone_cell(rec, p), remark or ""]
            ws.append(row)
            for col in range(1, len(row) + 1):
                ws.cell(row=ws.max_row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["D"].width = 11
        ws.column_dimensions["E"].width = 30
        c.add(rec, wb_bytes(wb))

    # docx: a table cell that wraps: two paragraphs, or a run with a line break
    for i in range(5):
        p0 = person(rng)
        rec = c.rec(f"人事/年末調整/扶養控除等申告書_転記_{p0['sei']}_{i + 1}.docx", cls)
        doc = docx.Document()
        doc.add_heading("令和6年分 給与所得者の扶養控除等（異動）申告書（転記）", level=1)
        doc.add_paragraph(f"所属：{p0['dept']}　氏名：{p0['name']}　住所：{p0['addr']}")
        label = rng.choice(["個人番号", "マイナンバー", "個人番号（マイナンバー）"])
        t = doc.add_table(rows=1, cols=5)
        t.style = "Table Grid"
        for j, h in enumerate(["区分", "氏名", label, "続柄", "生年月日"]):
            t.rows[0].cells[j].text = h
        kinds = [("本人", p0, "本人")] + [("控除対象扶養親族", person(rng), rng.choice(RELS))
                                          for _ in range(rng.randint(1, 2))]
        for k, (kubun, p, rel) in enumerate(kinds):
            cells = t.add_row().cells
            for j, v in ((0, kubun), (1, f"{p0['sei']} {p['mei']}"), (3, rel), (4, p["birth"])):
                cells[j].text = v
            d = pool.number()
            style = (i + k) % 4
            para = cells[2].paragraphs[0]
            if style == 0:
                para.text = grp(d)[:9]
                cells[2].add_paragraph(d[8:])
                rec.num(d, "high", ["docx", "docx-paragraphs", "break-after-group2"], f"{grp(d)[:9]}\n{d[8:]}")
            elif style == 1:
                para.add_run(d[:4]).add_break()
                para.add_run(f"{d[4:8]} {d[8:]}")
                rec.num(d, "high", ["docx", "docx-break", "break-after-group1"], f"{d[:4]}\n{d[4:8]} {d[8:]}")
            elif style == 2:
                para.text = d[:6]
                cells[2].add_paragraph(d[6:])
                rec.num(d, "high", ["docx", "docx-paragraphs", "split-mid-group", "no-sep"], f"{d[:6]}\n{d[6:]}")
            else:
                run = para.add_run(f"{d[:4]}-{d[4:8]}-")
                run.add_break()
                para.add_run(d[8:])
                rec.num(d, "high", ["docx", "docx-break", "break-after-hyphen"], f"{d[:4]}-{d[4:8]}-\n{d[8:]}")
        doc.add_paragraph("")
        doc.add_paragraph("連絡先：" + rec.dis(phone_intl(rng, True), "phone-intl") + "（本人携帯）")
        doc.add_paragraph(f"受付日：令和6年{rng.randint(10, 12)}月{rng.randint(1, 28)}日　"
                          f"受付者：人事部 {person(rng)['sei']}")
        c.add(rec, docx_bytes(doc))

    # control: the same shapes without any number (phones and ids broken over lines)
    for i in range(3):
        rec = c.rec(f"総務/緊急連絡先一覧_{i + 1}.csv", cls)
        rows = [["氏名", "所属", "連絡先", "住所", "備考"]]
        for _ in range(rng.randint(4, 7)):
            p = person(rng)
            rows.append([p["name"], p["dept"], rec.dis(f"自宅 {phone(rng)}\n携帯 {phone(rng)}", "phone-pair"),
                         f"〒{p['zip']}\n{p['addr']}",
                         rec.dis(f"受付番号\n{pool.random12(True)}", "receipt-no") if rng.random() < .4 else ""])
        c.add(rec, csv_bytes(rows, "cp932" if i % 2 else "utf-8-sig"))
    for i in range(3):
        rec = c.rec(f"総務/会議議事録_{i + 1}.docx", cls)
        doc = docx.Document()
        doc.add_heading(f"第{rng.randint(2, 30)}回 安全衛生委員会 議事録", level=1)
        doc.add_paragraph(f"日時：2024年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 15:00～16:00　場所：本社3F会議室")
        t = doc.add_table(rows=1, cols=3)
        t.style = "Table Grid"
        for j, h in enumerate(["出席者", "所属", "連絡先"]):
            t.rows[0].cells[j].text = h
        for _ in range(rng.randint(3, 6)):
            p = person(rng)
            cells = t.add_row().cells
            cells[0].text, cells[1].text = p["name"], p["dept"]
            a, b = phone(rng), phone_intl(rng, True)
            cells[2].text = f"内線 {rng.randint(100, 999)}"
            cells[2].add_paragraph(a)
            cells[2].add_paragraph(b)
            rec.dis(f"{a}\n{b}", "phone-pair")
        doc.add_paragraph("議題1：ストレスチェックの実施について")
        doc.add_paragraph("議題2：健康診断の受診率向上について")
        c.add(rec, docx_bytes(doc))
    for i in range(4):
        rec = c.rec(f"総務/問い合わせ履歴_2024{i + 7:02d}.xlsx", cls)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "履歴"
        ws.append(["受付日時", "お客様", "内容", "対応メモ", "担当"])
        header_style(ws, 5)
        for _ in range(rng.randint(5, 9)):
            p = person(rng)
            o = pool.random12(True)
            k = rng.randrange(3)
            if k == 0:
                memo = f"注文番号\n{rec.dis(grp(o, '-'), 'order-no')}\n再送手配済"
            elif k == 1:
                memo = f"折返し先\n{rec.dis(phone_intl(rng, True), 'phone-intl')}"
            else:  # a 12-digit slip number wrapped by hand
                memo = f"伝票番号 {o[:6]}\n{o[6:]}（ヤマト）"
                rec.dis(o, "slip-no", probe=f"{o[:6]}\n{o[6:]}")
            ws.append([rec.dis(ts12(rng), "timestamp12"), p["name"],
                       rng.choice(["商品未着", "請求書再発行", "住所変更", "返品希望"]), memo, person(rng)["sei"]])
            ws.cell(row=ws.max_row, column=4).alignment = Alignment(wrap_text=True)
        c.add(rec, wb_bytes(wb))


# ======================================================================================
# 2. boxed-digits

BOX_STYLES = ["pipe", "fwpipe", "boxdraw", "bracket", "lenticular", "fwbracket", "square", "comma", "space",
              "markdown"]


def boxes(d: str, style: str, grouped: bool = False) -> str:
    gs = [d[:4], d[4:8], d[8:]] if grouped else [d]
    if style == "pipe":
        return "|" + "| |".join("|".join(g) for g in gs) + "|"
    if style == "fwpipe":
        return "｜" + "｜　｜".join("｜".join(fw(g)) for g in gs) + "｜"
    if style == "boxdraw":
        return "│" + "┃".join("│".join(g) for g in gs) + "│"
    if style == "bracket":
        return " ".join("".join(f"[{x}]" for x in g) for g in gs)
    if style == "lenticular":
        return "　".join("".join(f"【{x}】" for x in g) for g in gs)
    if style == "fwbracket":
        return "　".join("".join(f"［{fw(x)}］" for x in g) for g in gs)
    if style == "square":
        return "□" + "□　□".join("□".join(g) for g in gs) + "□"
    if style == "comma":
        return ",,".join(",".join(g) for g in gs)
    if style == "space":
        return "　".join(" ".join(g) for g in gs)
    if style == "markdown":
        return "| " + " | - | ".join(" | ".join(g) for g in gs) + " |"
    raise ValueError(style)


def frame(label: str, d: str, grouped: bool) -> tuple[str, str]:
    """A box-drawing grid with the label in the first box; returns (whole text, digits line)."""
    mid = "│" + label + boxes(d, "boxdraw", grouped)
    w = "─" * (len(label) * 2)
    top = "┌" + w + "┬─" * 12 + "┐"
    bot = "└" + w + "┴─" * 12 + "┘"
    return f"{top}\n{mid}\n{bot}", mid


def gen_boxed(c: Corpus) -> None:
    rng, pool, cyc, cls = c.rng, c.pool, Cycler(), "boxed-digits"
    labels = ["個人番号", "マイナンバー", "個人番号（マイナンバー）", "個 人 番 号"]

    def style_and_group():
        st = cyc.pick("style", BOX_STYLES)
        return st, cyc.pick("grouped", [False, True, False])

    # a) transcribed 扶養控除申告書 with box-drawing frames and | boxes
    for i in range(7):
        p, q = person(rng), person(rng)
        rec = c.rec(f"様式/扶養控除申告書_転記_{p['sei']}_{i + 1}.txt", cls)
        lines = ["令和6年分　給与所得者の扶養控除等（異動）申告書　（入力用転記）",
                 f"所轄税務署長：{rng.choice(base.CITIES)[:-1]}税務署長",
                 f"給与の支払者の名称：{rng.choice(base.COMPANIES)}",
                 "給与の支払者の法人番号：" + rec.dis(boxes(corp13(rng), "pipe"), "corporate-number")]
        d = pool.number()
        grouped = i % 2 == 1
        whole, mid = frame(rng.choice(["個人番号", "マイナンバー"]), d, grouped)
        rec.num(d, "high", ["txt", "box-drawing", "label-in-first-box"] + (["grouped-4-4-4"] if grouped else []),
                whole, probe=mid)
        lines += [whole, f"あなたの氏名：{p['name']}（{p['kana']}）",
                  "生年月日：" + boxes(re.sub(r"\D", "", base.birth(rng, "西暦")), "pipe"),
                  f"住所：〒{boxes(p['zip'].replace('-', ''), 'pipe')} {p['addr']}",
                  "電話番号：" + rec.dis(boxes(phone(rng).replace("-", ""), "pipe"), "phone-boxes")]
        if rng.random() < 0.7:
            d2 = pool.number()
            st, g2 = style_and_group()
            txt = boxes(d2, st, g2)
            lines += ["源泉控除対象配偶者",
                      f"  氏名　{p['sei']} {q['mei']}（{p['kana'].split()[0]} {q['kana'].split()[1]}）",
                      f"  {rng.choice(labels)}　" + rec.num(d2, "high", ["txt", st, "label-same-line"] +
                                                             (["grouped-4-4-4"] if g2 else []), txt),
                      f"  生年月日 {q['birth']}　所得の見積額 {yen(rng.randint(0, 950000))}円"]
        c.add(rec, ("\n".join(lines) + "\n").encode("utf-8" if i % 3 else "cp932"))

    # b) OCR output, label on the line above the boxes
    for i in range(6):
        rec = c.rec(f"OCR/読取結果_scan{rng.randint(1000, 9999)}_{i + 1}.txt", cls)
        d = pool.number()
        st, g = style_and_group()
        txt = boxes(d, st, g)
        lines = [f"=== OCR結果 scan_{rng.randint(100000, 999999)}.pdf  page 1/2  (engine: tesseract 5.3 jpn) ===",
                 "[field 01] 氏名 / confidence 0.88", person(rng)["name"],
                 f"[field 03] {rng.choice(labels)} / confidence 0.9{rng.randint(0, 9)}",
                 rec.num(d, "high", ["ocr", st, "label-line-above"] + (["grouped-4-4-4"] if g else []), txt),
                 "[field 04] 生年月日 / confidence 0.95",
                 boxes(re.sub(r"\D", "", base.birth(rng, "西暦")), "bracket"),
                 "[field 05] 電話番号 / confidence 0.71",
                 rec.dis(boxes(phone_intl(rng, True).replace("+", "").replace("-", "").replace(" ", ""), "bracket"),
                         "phone-intl-boxes")]
        c.add(rec, ("\n".join(lines) + "\n").encode("utf-8"))

    # c) wiki / markdown hand-over notes, one box per table column (header 1..12 is itself digits)
    for i in range(3):
        p = person(rng)
        rec = c.rec(f"引継ぎ/記入内容メモ_{p['sei']}_{i + 1}.md", cls)
        head = "| 項目 | " + " | ".join(str(k) for k in range(1, 13)) + " |"
        rec.dis(head, "column-numbers")
        lines = [f"## {p['name']} さん 給与支払報告書 記入内容", "", head, "|---" * 13 + "|"]
        for _ in range(2):
            d = pool.number()
            g = cyc.pick("mdgroup", [False, True])
            lab = rng.choice(["個人番号", "本人 マイナンバー", "配偶者 個人番号"])
            txt = f"| {lab} {boxes(d, 'markdown', g)}"
            lines.append(rec.num(d, "high", ["markdown", "label-in-row"] + (["grouped-4-4-4"] if g else []), txt,
                                 probe=boxes(d, "markdown", g)))
        lines.append("| 生年月日 | " + " | ".join(re.sub(r"\D", "", base.birth(rng, "西暦"))) + " |")
        lines += ["", f"- 提出先：{rng.choice(base.CITIES)} 市民税課", f"- 担当：{person(rng)['name']}"]
        c.add(rec, ("\n".join(lines) + "\n").encode("utf-8"))

    # d) Excel 方眼紙 saved as CSV: one digit per cell after a label cell
    for i in range(5):
        p = person(rng)
        rec = c.rec(f"様式/給与支払報告書_個人別明細書_{p['sei']}_{i + 1}.csv", cls)
        d = pool.number()
        g = i % 2 == 0
        cells = boxes(d, "comma", g).split(",")
        rec.num(d, "high", ["csv", "one-digit-per-cell", "cp932"] + (["grouped-4-4-4"] if g else []),
                ",".join(cells), probe="\x1f".join(cells))
        pay = rng.randint(1_800_000, 8_000_000)
        cn = corp13(rng)
        rec.dis(cn, "corporate-number", probe="\x1f".join(cn))
        rows = [["", "", "令和6年分 給与支払報告書（個人別明細書）"],
                ["支払を受ける者", "住所又は居所", p["addr"]],
                ["", rng.choice(["個人番号", "個人番号", "マイナンバー"])] + cells,
                ["", "氏名", p["name"], "", "フリガナ", p["kana"]],
                ["種別", "支払金額", "給与所得控除後の金額", "所得控除の額の合計額", "源泉徴収税額"],
                ["給料・賞与", yen(pay), yen(int(pay * 0.7)), yen(rng.randint(380000, 1500000)), yen(pay // 25)],
                ["支払者", "法人番号"] + list(cn),
                ["", "電話", rec.dis(phone(rng), "phone")]]
        if rng.random() < 0.6:
            d2 = pool.number()
            cells2 = list(d2)
            rows.insert(4, ["", "控除対象配偶者", f"{p['sei']} {person(rng)['mei']}", "", "個人番号"] + cells2)
            rec.num(d2, "high", ["csv", "one-digit-per-cell", "cp932", "label-in-row"], ",".join(cells2),
                    probe="\x1f".join(cells2))
        c.add(rec, csv_bytes(rows, "cp932"))

    # e) TSV transcriptions
    for i in range(3):
        rec = c.rec(f"入力/届出書_入力_{i + 1}.tsv", cls)
        rows = []
        for _ in range(2):
            p = person(rng)
            d = pool.number()
            g = cyc.pick("tsvgroup", [False, True])
            cells = boxes(d, "comma", g).split(",")
            rows += [["氏名", p["name"]], [rng.choice(["個人番号", "マイナンバー"])] + cells,
                     ["生年月日"] + list(re.sub(r"\D", "", base.birth(rng, "西暦"))), ["住所", p["addr"]], []]
            rec.num(d, "high", ["tsv", "one-digit-per-cell"] + (["grouped-4-4-4"] if g else []), "\t".join(cells),
                    probe="\x1f".join(cells))
        c.add(rec, csv_bytes(rows, "utf-8", "\t"))

    # f) Excel 方眼紙 xlsx: label in a merged cell, one digit per cell
    for i in range(4):
        p = person(rng)
        rec = c.rec(f"様式/個人番号届出書_{p['sei']}_{i + 1}.xlsx", cls)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "届出書"
        for col in range(1, 20):
            ws.column_dimensions[get_column_letter(col)].width = 3.5
        ws["A1"] = "個人番号等の届出書"
        ws.merge_cells("A1:P1")
        ws["A3"] = "氏名"
        ws.merge_cells("A3:D3")
        ws["E3"] = p["name"]
        ws["A4"] = rng.choice(["個人番号", "マイナンバー"])
        ws.merge_cells("A4:D4")
        d = pool.number()
        g = i % 2 == 1
        vals = list(d) if not g else list(d[:4]) + ["-"] + list(d[4:8]) + ["-"] + list(d[8:])
        as_int = i >= 2
        for k, v in enumerate(vals):
            ws.cell(row=4, column=5 + k, value=int(v) if as_int and v.isdigit() else v)
        probe = "\x1f".join(vals)
        rec.num(d, "high", ["xlsx", "one-digit-per-cell", "int-cells" if as_int else "str-cells"] +
                (["grouped-4-4-4"] if g else []), probe)
        ws["A5"] = "生年月日"
        ws.merge_cells("A5:D5")
        for k, v in enumerate(re.sub(r"\D", "", base.birth(rng, "西暦"))):
            ws.cell(row=5, column=5 + k, value=v)
        ws["A6"] = "電話番号"
        ws.merge_cells("A6:D6")
        tel = re.sub(r"\D", "", phone_intl(rng, True))
        rec.dis(tel, "phone-intl-boxes", probe="\x1f".join(tel))
        for k, v in enumerate(tel):
            ws.cell(row=6, column=5 + k, value=v)
        ws["A8"] = f"提出日 令和6年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        c.add(rec, wb_bytes(wb))

    # g) Word form: one digit per table cell
    for i in range(4):
        p = person(rng)
        rec = c.rec(f"様式/マイナンバー提供書_{p['sei']}_{i + 1}.docx", cls)
        doc = docx.Document()
        doc.add_heading("個人番号の提供について", level=1)
        doc.add_paragraph(f"{rng.choice(base.COMPANIES)}　御中")
        doc.add_paragraph(f"氏名：{p['name']}　所属：{p['dept']}")
        d = pool.number()
        if i % 2 == 0:
            t = doc.add_table(rows=1, cols=13)
            t.style = "Table Grid"
            t.rows[0].cells[0].text = rng.choice(["個人番号", "マイナンバー"])
            for k, x in enumerate(d):
                t.rows[0].cells[k + 1].text = x
            rec.num(d, "high", ["docx", "one-digit-per-cell", "label-in-first-cell"], "\x1f".join(d))
        else:
            t = doc.add_table(rows=2, cols=12)
            t.style = "Table Grid"
            merged = t.cell(0, 0).merge(t.cell(0, 11))
            merged.text = "個人番号（12桁）"
            for k, x in enumerate(d):
                t.cell(1, k).text = x
            rec.num(d, "high", ["docx", "one-digit-per-cell", "label-row-above"], "\x1f".join(d))
        doc.add_paragraph("")
        doc.add_paragraph("上記のとおり、個人番号を提供します。")
        doc.add_paragraph(f"令和6年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
        c.add(rec, docx_bytes(doc))

    # h) boxes with no label at all (OCR page 2, label not read) -> low
    for i in range(4):
        rec = c.rec(f"OCR/読取結果_scan{rng.randint(1000, 9999)}_p2_{i + 1}.txt", cls)
        d = pool.number()
        st = ["pipe", "bracket", "lenticular", "fwpipe"][i]
        txt = boxes(d, st, i % 2 == 1)
        lines = [f"=== OCR結果 scan_{rng.randint(100000, 999999)}.pdf  page 2/2 ===",
                 "[field 11] (項目名 読取不可) / confidence 0.64",
                 rec.num(d, "low", ["ocr", st, "no-label"] + (["grouped-4-4-4"] if i % 2 else []), txt),
                 "[field 12] (読取不可) / confidence 0.41", "", "[field 13] 備考",
                 rng.choice(["記載なし", "裏面参照", "－"])]
        c.add(rec, ("\n".join(lines) + "\n").encode("utf-8"))

    # controls: boxed bank / customer numbers (a 12-box 顧客番号 that passes the check digit)
    for i in range(7):
        p = person(rng)
        rec = c.rec(f"様式/口座振替依頼書_転記_{p['sei']}_{i + 1}.txt", cls)
        lines = ["預金口座振替依頼書（転記）", f"お名前：{p['name']}",
                 "金融機関コード：" + boxes(f"{rng.randint(1, 9999):04d}", "pipe"),
                 "支店コード：" + boxes(f"{rng.randint(1, 999):03d}", "pipe"),
                 "口座番号：" + boxes(f"{rng.randint(0, 9999999):07d}", "pipe"),
                 "お客様番号：" + rec.dis(boxes(pool.random12(True), rng.choice(["pipe", "bracket", "boxdraw"])),
                                        "customer-no-boxes"),
                 "電話番号：" + rec.dis(boxes(phone_intl(rng, True).replace("+", "").replace("-", "").replace(" ", ""),
                                            "pipe"), "phone-intl-boxes"),
                 "法人番号（収納代行）：" + rec.dis(boxes(corp13(rng), "bracket"), "corporate-number"),
                 "ご請求金額：" + boxes(str(rng.randint(1000, 99999)), "pipe") + " 円"]
        c.add(rec, ("\n".join(lines) + "\n").encode("cp932" if i % 2 else "utf-8"))


# ======================================================================================
# 3. escaped-text

def value_forms(d: str) -> list[tuple[str, list[str]]]:
    return [
        (d, ["ascii"]),
        (grp(d, "-"), ["ascii", "hyphen"]),
        (fw(d), ["fullwidth"]),
        (fw(grp(d, "ー")), ["fullwidth", "sep-u30fc"]),
        (grp(d, "－"), ["ascii", "sep-uff0d"]),
        (grp(d, "ー"), ["ascii", "sep-u30fc"]),
        (fw(grp(d, "－")), ["fullwidth", "sep-uff0d"]),
        (fw(grp(d, "　")), ["fullwidth", "sep-ideographic-space"]),
    ]


def gen_escaped(c: Corpus) -> None:
    rng, pool, cyc, cls = c.rng, c.pool, Cycler(), "escaped-text"

    def val(d):
        return cyc.pick("val", value_forms(d))

    # a) HR system API dumps, Japanese keys and memo values, json.dumps(ensure_ascii=True)
    for i in range(5):
        rec = c.rec(f"システム連携/人事API_employees_page{i + 1}.json", cls)
        emps = []
        for _ in range(rng.randint(2, 3)):
            p = person(rng)
            d = pool.number()
            v, t = val(d)
            e = {"社員番号": p["emp"], "氏名": p["name"], "カナ": p["kana"], "所属": p["dept"],
                 "生年月日": p["birth"], "電話番号": p["phone"],
                 "更新日時": f"2024-11-{rng.randint(1, 28):02d}T09:00:00+09:00"}
            where = cyc.pick("where", ["key", "memo", "nested"])
            if where == "key":
                e[rng.choice(["個人番号", "マイナンバー"])] = v
                rec.num(d, "high", ["json", "label-key-escaped"] + t, v, probe=jesc(v))
            elif where == "memo":
                memo = rng.choice([f"個人番号は{v}です", f"マイナンバー：{v}（本人確認済）",
                                   f"扶養追加。配偶者の個人番号 {v}"])
                e["メモ"] = memo
                rec.num(d, "high", ["json", "label-in-value"] + t, v, probe=jesc(v))
            else:
                e["扶養親族"] = [{"氏名": f"{p['sei']} {person(rng)['mei']}", "続柄": rng.choice(RELS),
                              "個人番号": v}]
                rec.num(d, "high", ["json", "label-key-escaped", "nested"] + t, v, probe=jesc(v))
            e["口座"] = {"銀行": "みずほ銀行", "支店": rng.choice(SHOPS), "番号": f"{rng.randint(0, 9999999):07d}"}
            emps.append(e)
        obj = {"status": "ok", "page": i + 1, "per_page": 50, "total": rng.randint(100, 400),
               "request_id": rec.dis(epoch_ms(rng), "epoch-ms"), "employees": emps,
               "法人番号": rec.dis(corp13(rng), "corporate-number")}
        c.add(rec, json_bytes(obj, True, 2 if i % 2 else None))

    # b) request logs: the body is a JSON string inside JSON (doubly escaped)
    for i in range(3):
        rec = c.rec(f"ログ/api_access_2024-11-{10 + i}.jsonl", cls)
        lines = []
        for k in range(rng.randint(6, 10)):
            ts = f"2024-11-{10 + i}T{9 + k // 3:02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}" \
                 f".{rng.randint(0, 999):03d}+09:00"
            if k in (2, 5):
                d = pool.number()
                v, t = val(d)
                body = json.dumps({"employee_id": rng.randint(1000, 9999), rng.choice(["個人番号", "マイナンバー"]): v})
                lines.append(json.dumps({"ts": ts, "level": "INFO", "method": "PUT",
                                         "path": "/api/v1/employees/mynumber", "status": 200, "request_body": body}))
                rec.num(d, "high", ["jsonl", "double-escaped"] + t, v, probe=jesc(jesc(v)))
            else:
                oid = rec.dis(pool.random12(True), "order-no")
                body = json.dumps({"order_no": oid, "tel": phone(rng), "memo": "至急発送"})
                lines.append(json.dumps({"ts": ts, "level": "INFO", "method": "POST", "path": "/api/v1/orders",
                                         "status": 201, "request_body": body,
                                         "trace_id": rec.dis(epoch_ms(rng), "epoch-ms")}))
        c.add(rec, ("\n".join(lines) + "\n").encode("utf-8"))

    # c) web-form answers
    for i in range(3):
        rec = c.rec(f"フォーム/入社前アンケート_回答_{i + 1}.json", cls)
        resp = []
        for _ in range(2):
            p = person(rng)
            d = pool.number()
            v, t = val(d)
            resp.append({"responseId": f"ACYDBN{rng.randint(10**9, 10**10 - 1)}",
                         "createTime": f"2024-10-{rng.randint(1, 28):02d}T03:{rng.randint(10, 59)}:00Z",
                         "answers": [{"question": "氏名", "value": p["name"]},
                                     {"question": "緊急連絡先（電話）", "value": p["phone"]},
                                     {"question": rng.choice(["マイナンバー（12桁）", "個人番号を入力してください"]),
                                      "value": v},
                                     {"question": "通勤経路", "value": f"{rng.choice(base.CITIES)}駅～本社"}]})
            rec.num(d, "high", ["json", "label-in-sibling"] + t, v, probe=jesc(v))
        c.add(rec, json_bytes({"formId": f"1FAIpQL{rng.randint(10**8, 10**9)}", "responses": resp}, True))

    # d) HTML saved from a CMS / WYSIWYG editor with numeric entity encoding
    for i in range(5):
        rec = c.rec(f"Web/申請内容確認_{i + 1}.html", cls)
        rows = []
        for k in range(2):
            p = person(rng)
            d = pool.number()
            style = (i * 2 + k) % 6
            if style == 0:
                txt, t = ncr(fw(d)), ["html", "ncr-decimal", "fullwidth"]
            elif style == 1:
                txt, t = ncr(fw(d), True), ["html", "ncr-hex", "fullwidth"]
            elif style == 2:
                txt, t = f"{d[:4]}&#x30FC;{d[4:8]}&#x30FC;{d[8:]}", ["html", "ncr-hex-separator", "ascii"]
            elif style == 3:
                txt, t = f"{d[:4]}&#12540;{d[4:8]}&#65293;{d[8:]}", ["html", "ncr-decimal-separator", "ascii"]
            elif style == 4:
                txt, t = ncr(d), ["html", "ncr-decimal", "ascii-digit-refs"]
            else:
                txt, t = ncr(fw(grp(d, "－")), True), ["html", "ncr-hex", "fullwidth", "sep-uff0d"]
            lab = cyc.pick("htmllab", [ncr("個人番号"), ncr("マイナンバー", True), "個人番号",
                                       ncr("個人番号（マイナンバー）")])
            t = t + (["label-plain"] if lab == "個人番号" else ["label-ncr"])
            rec.num(d, "high", t, txt)
            rows.append(f"<tr><th>{ncr('氏名')}</th><td>{ncr(p['name'])}</td></tr>\n"
                        f"<tr><th>{lab}</th><td>{txt}</td></tr>\n"
                        f"<tr><th>{ncr('電話番号')}</th><td>{rec.dis(ncr(fw(phone(rng))), 'phone')}</td></tr>")
        page = ("<!DOCTYPE html>\n<html lang=\"ja\">\n<head><meta charset=\"utf-8\"><title>" + ncr("申請内容の確認") +
                "</title></head>\n<body>\n<h1>" + ncr("申請内容の確認") + "</h1>\n<p>" + ncr("申請番号") + ncr("：") +
                rec.dis(pool.random12(True), "receipt-no") + "</p>\n<table class=\"confirm\">\n" + "\n".join(rows) +
                "\n</table>\n<p>" + ncr("法人番号") + " " + rec.dis(ncr(corp13(rng)), "corporate-number") +
                "</p>\n</body>\n</html>\n")
        c.add(rec, page.encode("utf-8"))

    # e) XML written by ElementTree with encoding="us-ascii" (every non-ASCII char is &#NNNNN;)
    for i in range(3):
        rec = c.rec(f"連携/給与支払報告書_{rng.choice(base.CITIES)}_{i + 1}.xml", cls)
        root = ET.Element("Report", version="1.2", created=f"2024-12-{rng.randint(1, 20):02d}")
        ET.SubElement(root, "Payer", name=rng.choice(base.COMPANIES)).set("corporateNumber",
                                                                          rec.dis(corp13(rng), "corporate-number"))
        for _ in range(2):
            p = person(rng)
            d = pool.number()
            v, t = val(d)
            emp = ET.SubElement(root, "Employee")
            for name, value in [("氏名", p["name"]), ("住所", p["addr"]), (rng.choice(["個人番号", "マイナンバー"]), v),
                                ("支払金額", str(rng.randint(2_000_000, 8_000_000)))]:
                ET.SubElement(emp, "Field", name=name).text = value
            rec.num(d, "high", ["xml", "ncr-decimal", "label-attribute-ncr"] + t, v,
                    probe=v.encode("ascii", "xmlcharrefreplace").decode("ascii"))
        c.add(rec, ET.tostring(root, encoding="us-ascii", xml_declaration=True) + b"\n")

    # f) escaped full-width numbers with no label anywhere -> low
    rec = c.rec("システム連携/import_buffer_0007.json", cls)
    rows = []
    for _ in range(3):
        d = pool.number()
        v, t = cyc.pick("nolab", [(fw(d), ["fullwidth"]), (fw(grp(d, "ー")), ["fullwidth", "sep-u30fc"])])
        rec.num(d, "low", ["json", "no-label"] + t, v, probe=jesc(v))
        rows.append([rng.randint(1, 999), person(rng)["name"], v, f"2024/0{rng.randint(1, 9)}/1{rng.randint(0, 9)}"])
    c.add(rec, json_bytes({"sheet": "Sheet1", "rows": rows}, True, None))

    # controls: escaped order / phone / corporate numbers
    for i in range(3):
        rec = c.rec(f"システム連携/受注API_orders_{i + 1}.json", cls)
        orders = []
        for _ in range(rng.randint(3, 6)):
            o = pool.random12(True)
            orders.append({"受注番号": rec.dis(fw(o) if rng.random() < .5 else o, "order-no"),
                           "顧客名": rng.choice(base.COMPANIES), "電話": rec.dis(fw(phone(rng)), "phone"),
                           "商品": rng.choice(PRODUCTS), "金額": rng.randint(1000, 99999),
                           "受注日時": rec.dis(ts12(rng), "timestamp12")})
        c.add(rec, json_bytes({"orders": orders}, True))
        for dd in orders:  # probes: the escaped form in the raw text
            rec.dprobes.append(jesc(dd["受注番号"]))
    for i in range(2):
        rec = c.rec(f"連携/受注データ_{20241101 + i}.xml", cls)
        root = ET.Element("Orders", exported=f"2024-11-0{i + 1}T00:00:00+09:00")
        for _ in range(rng.randint(3, 6)):
            o = ET.SubElement(root, "Order", id=rec.dis(pool.random12(True), "order-no"))
            ET.SubElement(o, "Field", name="顧客名").text = rng.choice(base.COMPANIES)
            ET.SubElement(o, "Field", name="電話番号").text = rec.dis(fw(phone(rng)), "phone", probe=None)
            ET.SubElement(o, "Field", name="法人番号").text = rec.dis(corp13(rng), "corporate-number")
            ET.SubElement(o, "Field", name="受注日時").text = rec.dis(ts12(rng), "timestamp12")
        c.add(rec, ET.tostring(root, encoding="us-ascii", xml_declaration=True) + b"\n")
    for i in range(3):
        rec = c.rec(f"Web/商品詳細_{i + 1}.html", cls)
        items = []
        for _ in range(rng.randint(2, 4)):
            j = jan13(rng)
            items.append(f"<li>{ncr(rng.choice(PRODUCTS))} JAN: {rec.dis(ncr(fw(j), i % 2 == 1), 'jan13')} "
                         f"{ncr('品番')}: {rec.dis(pool.random12(True), 'product-code')}</li>")
        page = ("<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>" + ncr("商品詳細") +
                "</title></head>\n<body>\n<ul>\n" + "\n".join(items) + "\n</ul>\n<p>" + ncr("お問い合わせ") + " " +
                rec.dis(ncr(fw(phone(rng))), "phone") + "</p>\n</body></html>\n")
        c.add(rec, page.encode("utf-8"))


# ======================================================================================
# 4. chat-export

class Clock:
    def __init__(self, rng, day: dt.date):
        self.rng = rng
        self.t = int(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=JST).timestamp())

    def tick(self) -> int:
        self.t += self.rng.randint(40, 3000)
        return self.t


JST = dt.timezone(dt.timedelta(hours=9))


def rand_id(rng, n: int, alphabet: str = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def guid(rng) -> str:
    a, b, c, d, e = (rng.getrandbits(n) for n in (32, 16, 12, 12, 48))
    return f"{a:08x}-{b:04x}-4{c:03x}-a{d:03x}-{e:012x}"


def slack_user(rng, k: int) -> dict:
    p = person(rng)
    return {"id": "U0" + rand_id(rng, 9), "name": p["login"], "real_name": p["name"],
            "person": p}


class SlackDay:
    """One channel-day file of a Slack export."""

    def __init__(self, rng, rec: Rec, team: str, day: dt.date):
        self.rng, self.rec, self.team = rng, rec, team
        self.clock = Clock(rng, day)
        self.msgs: list[dict] = []

    def ts(self) -> str:
        return f"{self.clock.tick()}.{self.rng.randint(0, 999999):06d}"

    def post(self, u: dict, text: str, ts: str | None = None, thread_ts: str | None = None,
             parent: str | None = None, replies: list[tuple[str, str]] | None = None) -> str:
        rng, team = self.rng, self.team
        ts = ts or self.ts()
        m = {"client_msg_id": guid(rng), "type": "message", "text": text, "user": u["id"],
             "ts": self.rec.dis(ts, "slack-ts"), "team": team, "user_team": team, "source_team": team,
             "user_profile": {"avatar_hash": f"{rng.getrandbits(48):012x}", "first_name": u["person"]["mei"],
                              "real_name": u["real_name"], "display_name": u["person"]["sei"], "team": team,
                              "name": u["name"], "is_restricted": False, "is_ultra_restricted": False},
             "blocks": [{"type": "rich_text", "block_id": rand_id(rng, 5, "abcdefXYZ0123+="),
                         "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}]}
        if thread_ts:
            m["thread_ts"] = thread_ts
        if parent:
            m["parent_user_id"] = parent
        if replies:
            users = sorted({x[0] for x in replies})
            m.update({"reply_count": len(replies), "reply_users_count": len(users), "latest_reply": replies[-1][1],
                      "reply_users": users, "replies": [{"user": x[0], "ts": x[1]} for x in replies],
                      "is_locked": False, "subscribed": False})
        self.msgs.append(m)
        return ts


class TeamsLog:
    """Graph API channel messages (with replies) of one Teams channel."""

    def __init__(self, rng, rec: Rec, start: dt.datetime, idx: int):
        self.rng, self.rec, self.idx = rng, rec, idx
        self.t = int(start.timestamp() * 1000)
        self.value: list[dict] = []

    def post(self, p: dict, content: str, reply_to: str | None = None) -> str:
        rng = self.rng
        self.t += rng.randint(60_000, 3_600_000)
        mid = self.rec.dis(str(self.t), "teams-id")
        created = dt.datetime.fromtimestamp(self.t / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        self.value.append({
            "id": mid, "replyToId": reply_to, "etag": mid, "messageType": "message", "createdDateTime": created,
            "lastModifiedDateTime": created, "deletedDateTime": None, "subject": None, "summary": None,
            "chatId": None, "importance": "normal", "locale": "en-us",
            "webUrl": f"https://teams.microsoft.com/l/message/19%3Aabc{self.idx}%40thread.tacv2/{mid}",
            "from": {"application": None, "device": None,
                     "user": {"id": guid(rng), "displayName": p["name"], "userIdentityType": "aadUser"}},
            "body": {"contentType": "html", "content": content}, "attachments": [], "mentions": [], "reactions": []})
        return mid


class LineWorksRoom:
    """A LINE WORKS talk-room message export."""

    def __init__(self, rng, rec: Rec, day: dt.date):
        self.rng, self.rec = rng, rec
        self.clock = Clock(rng, day)
        self.channel = f"{rng.getrandbits(64):016x}"
        self.msgs: list[dict] = []

    def post(self, sender: dict, text: str) -> None:
        t = self.clock.tick()
        mid = self.rec.dis(str(t * 1000 + self.rng.randint(0, 999)) + str(self.rng.randint(10, 99)), "message-id")
        self.msgs.append({"messageId": mid, "channelId": self.channel,
                          "sender": {"userId": sender["uid"], "name": sender["name"]},
                          "content": {"type": "text", "text": text},
                          "createdTime": dt.datetime.fromtimestamp(t, JST).isoformat()})


CHAT_INLINE = [
    lambda u, d: f"{u['person']['sei']}です。マイナンバーは {grp(d)} です。よろしくお願いします。",
    lambda u, d: f"お疲れ様です。扶養に入れる妻の個人番号です\n{d}",
    lambda u, d: f"個人番号：{fw(d)}（本人）",
    lambda u, d: f"マイナンバー {grp(d, '-')} で登録お願いします🙇",
    lambda u, d: f"遅くなりました！個人番号→{d}",
]
CHAT_ASKS = [
    "<@{uid}> 配偶者控除の申告ありがとうございます。奥様の個人番号を教えてください。",
    "扶養に追加するお子さんの個人番号（12桁）をこのスレッドに返信してください",
    "{sei}さん、マイナンバーの記載漏れがありました。番号を教えてもらえますか？",
]
CHAT_REPLIES = [
    lambda d: d, lambda d: f"{grp(d)}です", lambda d: f"{grp(d, '-')}\nよろしくお願いします",
    lambda d: f"妻：{d}", lambda d: f"了解です、{fw(d)} です",
]
CHAT_BARE = [
    lambda u, d: f"{u['person']['sei']}です。{d}", lambda u, d: d, lambda u, d: f"{grp(d)} 提出します",
    lambda u, d: f"{u['real_name']}（{u['person']['dept']}）\n{grp(d, '-')}",
]


def chat_slack(c: Corpus, cyc: Cycler) -> None:
    rng, pool, cls = c.rng, c.pool, "chat-export"
    for w, (ws_name, ea, slash) in enumerate([("Midori Seiki Slack export Oct 1 2024 - Dec 20 2024", False, True),
                                              ("aoba-butsuryu-export-2024", True, False)]):
        root = f"チャット/{ws_name}"
        team = "T0" + rand_id(rng, 9)
        users = [slack_user(rng, k) for k in range(8)]
        hr = users[0]
        chans = [("general", "全社連絡"), ("人事-年末調整", "年末調整の書類提出・問い合わせ用"),
                 ("人事-マイナンバー収集", "入社・年末調整に伴う番号の回収（閲覧は人事のみ）"),
                 ("受注-問い合わせ", "受注・出荷の問い合わせ")]
        meta = c.rec(f"{root}/users.json", cls)
        c.add(meta, json_bytes([{"id": u["id"], "team_id": team, "name": u["name"], "deleted": False,
                                 "real_name": u["real_name"], "tz": "Asia/Tokyo",
                                 "profile": {"title": u["person"]["dept"], "phone": u["person"]["phone"],
                                             "real_name": u["real_name"], "display_name": u["person"]["sei"]}}
                                for u in users], ea, 4, slash))
        meta = c.rec(f"{root}/channels.json", cls)
        c.add(meta, json_bytes([{"id": "C0" + rand_id(rng, 9), "name": n, "created": 1696118400 + k * 86400,
                                 "creator": hr["id"], "is_archived": False, "is_general": n == "general",
                                 "members": [u["id"] for u in users],
                                 "topic": {"value": "", "creator": "", "last_set": 0},
                                 "purpose": {"value": pu, "creator": hr["id"], "last_set": 1696118400}}
                                for k, (n, pu) in enumerate(chans)], ea, 4, slash))
        tag0 = ["slack", "ensure_ascii" if ea else "utf8"]
        for ch, _purpose in chans:
            for day_i in range({"general": 6, "受注-問い合わせ": 4}.get(ch, 3)):
                day = dt.date(2024, 11, 5) + dt.timedelta(days=day_i * 3 + w)
                rec = c.rec(f"{root}/{ch}/{day.isoformat()}.json", cls)
                s = SlackDay(rng, rec, team, day)
                if ch == "general":
                    mid = rec.dis(" ".join(f"{rng.randint(100, 999)}" for _ in range(4)), "meeting-id")
                    s.post(hr, f"<!channel> 本日17時から全体会議です。Teams会議 ID: {mid} パスコード: "
                           + rand_id(rng, 6, "abcdefgh23456789"))
                    s.post(rng.choice(users), "承知しました！")
                    tel = rec.dis(phone_intl(rng, True), "phone-intl")
                    s.post(rng.choice(users), f"代表番号が変わりました → {tel}")
                elif ch == "人事-年末調整":
                    s.post(hr, "<!channel> 年末調整の書類提出をお願いします。扶養控除申告書は今週金曜までです。")
                    u = rng.choice(users[1:])
                    d = pool.number()
                    text = cyc.pick("inline", CHAT_INLINE)(u, d)
                    s.post(u, text)
                    rec.num(d, "high", tag0 + ["label-in-message"], text)
                    # a thread: HR asks, the employee answers with just the number
                    u2 = rng.choice(users[1:])
                    pts, rts = s.ts(), None
                    ask = cyc.pick("ask", CHAT_ASKS).format(uid=u2["id"], sei=u2["person"]["sei"])
                    d2 = pool.number()
                    rtext = cyc.pick("reply", CHAT_REPLIES)(d2)
                    rts = s.ts()
                    s.post(hr, ask, ts=pts, thread_ts=pts, replies=[(u2["id"], rts)])
                    s.post(rng.choice(users), "私も提出しました")
                    s.post(u2, rtext, ts=rts, thread_ts=pts, parent=hr["id"])
                    rec.num(d2, "medium", tag0 + ["thread-context"], rtext)
                    s.post(hr, "ありがとうございます。登録しました。", thread_ts=pts, parent=hr["id"])
                elif ch == "人事-マイナンバー収集":
                    for _ in range(rng.randint(1, 2)):
                        u = rng.choice(users[1:])
                        d = pool.number()
                        text = cyc.pick("bare", CHAT_BARE)(u, d)
                        s.post(u, text)
                        rec.num(d, "medium", tag0 + ["channel-context"], text)
                    s.post(hr, "受け取りました。このチャンネルの投稿は月末に削除します。")
                else:
                    for _ in range(rng.randint(2, 4)):
                        o = pool.random12(True)
                        k = rng.randrange(3)
                        if k == 0:
                            text = f"注文番号 {rec.dis(o, 'order-no')} の件、出荷日を教えてください"
                        elif k == 1:
                            text = f"伝票番号 {rec.dis(grp(o, '-'), 'slip-no')} で出荷済みです"
                        else:
                            text = (f"受注 {rec.dis(o, 'order-no')} キャンセル依頼あり"
                                    f"（お客様 {rec.dis(phone_intl(rng, True), 'phone-intl')}）")
                        s.post(rng.choice(users), text)
                    jan = rec.dis(jan13(rng), "jan13")
                    s.post(rng.choice(users), f"JAN {jan} の在庫 残り{rng.randint(1, 30)}個です")
                c.add(rec, json_bytes(s.msgs, ea, 4, slash))


def chat_teams(c: Corpus, cyc: Cycler) -> None:
    rng, pool, cls = c.rng, c.pool, "chat-export"
    for i in range(2):
        ea = i == 0
        enc_tag = "ensure_ascii" if ea else "utf8"
        rec = c.rec(f"チャット/teams/人事部_{['年末調整', '入社手続き'][i]}_messages.json", cls)
        people = [person(rng) for _ in range(5)]
        log = TeamsLog(rng, rec, dt.datetime(2024, 11, 6 + i, 1, 0, tzinfo=dt.UTC), i)
        for k in range(2):
            d = pool.number()
            form = cyc.pick("teams-inline", [f"<p>マイナンバーは&nbsp;{grp(d)}&nbsp;です。</p>",
                                             f"<div>個人番号：<br>\n{d}</div>",
                                             f"<p>{people[k]['sei']}です。<br>マイナンバー　{fw(grp(d, '-'))}</p>"])
            log.post(people[k + 1], form)
            rec.num(d, "high", ["teams", "html-body", "label-in-message", enc_tag], form)
        root_id = log.post(people[0], "<p>扶養家族の個人番号をこのスレッドに返信してください（年末調整用）。</p>")
        for k in range(2):
            d = pool.number()
            form = cyc.pick("teams-reply", [f"<p>{d}</p>", f"<div>妻：{grp(d, '-')}<br>以上です</div>",
                                            f"<p>{grp(d)}&nbsp;</p>"])
            log.post(people[k + 2], form, reply_to=root_id)
            rec.num(d, "medium", ["teams", "html-body", "thread-context", enc_tag], form)
        mid = rec.dis(" ".join(str(rng.randint(100, 999)) for _ in range(4)), "meeting-id")
        log.post(people[4], f"<p>会議 ID: {mid}</p>")
        c.add(rec, json_bytes({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#teams('x')"
                                                 "/channels('y')/messages",
                               "@odata.count": len(log.value), "value": log.value}, ea))


def chat_line(c: Corpus, cyc: Cycler) -> None:
    rng, pool, cls = c.rng, c.pool, "chat-export"
    # LINE WORKS talk room: HR bot asks, the employee answers with the bare number
    for i in range(2):
        ea = i == 0
        enc_tag = "ensure_ascii" if ea else "utf8"
        rec = c.rec(f"チャット/lineworks/トーク_人事部_入社手続き_2024-1{i}.json", cls)
        room = LineWorksRoom(rng, rec, dt.date(2024, 10 + i, 3 + i))
        bot = {"uid": "bot-jinji-001", "name": "人事手続きBot"}
        for _ in range(2):
            p = person(rng)
            emp = {"uid": f"{p['login']}@example.co.jp", "name": p["name"]}
            room.post(bot, f"{p['sei']}さん、入社手続きの続きです。個人番号（12桁）を入力してください。")
            d = pool.number()
            text = cyc.pick("lw", [d, grp(d), grp(d, "-"), fw(d)])
            room.post(emp, text)
            rec.num(d, "medium", ["lineworks", "conversation-context", enc_tag], text)
            room.post(bot, "受け付けました。次に通勤経路を入力してください。")
            room.post(emp, f"{rng.choice(base.CITIES)}駅から本社まで電車です")
        p = person(rng)
        d = pool.number()
        text = f"すみません、先ほどの番号は間違いでした。正しいマイナンバーは {grp(d)} です"
        room.post({"uid": "x@example.co.jp", "name": p["name"]}, text)
        rec.num(d, "high", ["lineworks", "label-in-message", enc_tag], text)
        c.add(rec, json_bytes({"roomName": "人事部 入社手続き", "messages": room.msgs}, ea))

    # LINE Messaging API webhook + reply log (JSON lines)
    for i in range(2):
        rec = c.rec(f"チャット/line/webhook_2024-11-{20 + i}.jsonl", cls)
        lines = []
        ms = int(epoch_ms(rng))
        ea = i == 0
        for k in range(2):
            uid = f"U{rng.getrandbits(128):032x}"
            ms += rng.randint(10_000, 900_000)
            lines.append(json.dumps({"type": "reply", "to": uid, "timestamp": rec.dis(str(ms), "epoch-ms"),
                                     "messages": [{"type": "text",
                                                   "text": "マイナンバー（個人番号）を送信してください。"}]},
                                    ensure_ascii=ea))
            d = pool.number()
            text = [d, grp(d, "-")][k]
            ms += rng.randint(10_000, 900_000)
            event = {"type": "message", "mode": "active", "timestamp": int(rec.dis(str(ms), "epoch-ms")),
                     "source": {"type": "user", "userId": uid},
                     "webhookEventId": "01H" + rand_id(rng, 23, "ABCDEFGHJKMNPQRSTVWXYZ0123456789"),
                     "deliveryContext": {"isRedelivery": False},
                     "message": {"id": rec.dis(str(rng.randint(10**17, 10**18 - 1)), "line-message-id"),
                                 "type": "text", "quoteToken": f"q3Plxr4AgKd{rng.getrandbits(64):x}", "text": text},
                     "replyToken": f"{rng.getrandbits(128):032x}"}
            lines.append(json.dumps({"destination": f"U{rng.getrandbits(128):032x}", "events": [event]},
                                    ensure_ascii=ea))
            rec.num(d, "medium", ["line", "conversation-context"], text)
        d = pool.number()
        text = f"マイナンバー {d} です。よろしくお願いします"
        event = {"type": "message", "timestamp": int(rec.dis(str(ms + 5000), "epoch-ms")),
                 "source": {"type": "user", "userId": f"U{rng.getrandbits(128):032x}"},
                 "message": {"id": rec.dis(str(rng.randint(10**17, 10**18 - 1)), "line-message-id"), "type": "text",
                             "text": text}}
        lines.append(json.dumps({"destination": f"U{rng.getrandbits(128):032x}", "events": [event]}, ensure_ascii=ea))
        rec.num(d, "high", ["line", "label-in-message"], text)
        c.add(rec, ("\n".join(lines) + "\n").encode("utf-8"))


def chat_kintone(c: Corpus, cyc: Cycler) -> None:
    rng, pool, cls = c.rng, c.pool, "chat-export"
    for i in range(2):
        ea = i == 0
        enc_tag = "ensure_ascii" if ea else "utf8"
        app = rng.randint(20, 300)
        rec = c.rec(f"チャット/kintone/app{app}_入社手続き_records.json", cls)
        records = []
        code = rng.choice(["個人番号", "マイナンバー"])
        for k in range(rng.randint(2, 3)):
            p = person(rng)
            d = pool.number()
            v = cyc.pick("kv", [d, grp(d, "-"), grp(d)])
            rid = str(rng.randint(1, 999))
            records.append({"$id": {"type": "__ID__", "value": rid},
                            "$revision": {"type": "__REVISION__", "value": "3"},
                            "レコード番号": {"type": "RECORD_NUMBER", "value": rid},
                            "氏名": {"type": "SINGLE_LINE_TEXT", "value": p["name"]},
                            "所属": {"type": "DROP_DOWN", "value": p["dept"]},
                            code: {"type": "SINGLE_LINE_TEXT", "value": v},
                            "電話番号": {"type": "SINGLE_LINE_TEXT", "value": p["phone"]},
                            "作成日時": {"type": "CREATED_TIME", "value": f"2024-11-{k + 1:02d}T01:0{k}:00Z"},
                            "作成者": {"type": "CREATOR", "value": {"code": "jinji01", "name": "人事 担当"}}})
            rec.num(d, "high", ["kintone", "field-code-label", enc_tag], v)
        c.add(rec, json_bytes({"records": records, "totalCount": str(len(records))}, ea))

        rec = c.rec(f"チャット/kintone/app{app}_comments_record{rng.randint(1, 99)}.json", cls)
        p = person(rng)
        login = p["login"]
        d, d2 = pool.number(), pool.number()
        text1 = f"人事部 様\n個人番号は {grp(d, '-')} です。ご確認ください。"
        text3 = rng.choice([f"{d2}", f"{grp(d2)} です"])
        comments = [
            {"id": "4", "text": "ありがとうございます。登録しました。", "createdAt": "2024-11-07T02:10:00Z",
             "creator": {"code": "jinji01", "name": "人事 担当"}, "mentions": []},
            {"id": "3", "text": text3, "createdAt": "2024-11-06T08:00:00Z",
             "creator": {"code": login, "name": p["name"]}, "mentions": []},
            {"id": "2", "text": "配偶者のマイナンバーの記載がありません。コメントで教えてください。",
             "createdAt": "2024-11-06T01:00:00Z", "creator": {"code": "jinji01", "name": "人事 担当"},
             "mentions": [{"code": login, "type": "USER"}]},
            {"id": "1", "text": text1, "createdAt": "2024-11-05T01:00:00Z",
             "creator": {"code": login, "name": p["name"]}, "mentions": []}]
        rec.num(d, "high", ["kintone", "comment", "label-in-message", enc_tag], text1)
        rec.num(d2, "medium", ["kintone", "comment", "conversation-context", enc_tag], text3)
        c.add(rec, json_bytes({"comments": comments, "older": False, "newer": False}, ea))

    # kintone app with default field codes and nothing telling -> low
    rec = c.rec("チャット/kintone/app88_records.json", cls)
    records = []
    for _ in range(2):
        d = pool.number()
        records.append({"$id": {"type": "__ID__", "value": str(rng.randint(1, 99))},
                        "文字列__1行_": {"type": "SINGLE_LINE_TEXT", "value": person(rng)["name"]},
                        "文字列__1行__0": {"type": "SINGLE_LINE_TEXT", "value": d},
                        "日付": {"type": "DATE", "value": f"2024-10-{rng.randint(1, 28):02d}"}})
        rec.num(d, "low", ["kintone", "no-context"], d)
    c.add(rec, json_bytes({"records": records, "totalCount": None}, False))

    # control: kintone order app with mod-11 order numbers
    rec = c.rec("チャット/kintone/app57_受注管理_records.json", cls)
    records = []
    for _ in range(4):
        o = pool.random12(True)
        records.append({"$id": {"type": "__ID__", "value": str(rng.randint(1, 999))},
                        "受注番号": {"type": "SINGLE_LINE_TEXT", "value": rec.dis(o, "order-no")},
                        "顧客名": {"type": "SINGLE_LINE_TEXT", "value": rng.choice(base.COMPANIES)},
                        "電話番号": {"type": "LINK", "value": rec.dis(phone_intl(rng, True), "phone-intl")},
                        "金額": {"type": "NUMBER", "value": str(rng.randint(1000, 500000))}})
    c.add(rec, json_bytes({"records": records, "totalCount": "4"}, True))


def gen_chat(c: Corpus) -> None:
    cyc = Cycler()
    chat_slack(c, cyc)
    chat_teams(c, cyc)
    chat_line(c, cyc)
    chat_kintone(c, cyc)



# ======================================================================================
# 5. column-statistics

NEUTRAL_HEADERS = ["番号", "No.", "ID", "管理番号", "コード", "社員ID", "col3"]


def gen_column_stats(c: Corpus) -> None:
    rng, pool, cls = c.rng, c.pool, "column-statistics"
    sizes = [5, 6, 7, 8, 9, 10, 12, 15, 6, 200]
    for i, n in enumerate(sizes):
        head = NEUTRAL_HEADERS[i % len(NEUTRAL_HEADERS)]
        bucket = "rows:5-9" if n < 10 else ("rows:10-49" if n < 50 else "rows:200")
        fmt = ["csv", "csv", "tsv", "xlsx", "json", "csv", "xlsx", "json", "tsv", "csv"][i]
        people = [person(rng) for _ in range(n)]
        vals = [pool.number("123456789") for _ in range(n)]
        chance = pool.chance_column(n)
        dkind = ["order-no", "bank-branch-account", "upc12", "order-no", "order-no"][i % 5]
        if dkind == "bank-branch-account":
            chance = []
            while True:
                chance = [f"{rng.randint(1, 999):03d}{rng.choice(['01', '02'])}{rng.randint(0, 9999999):07d}"
                          for _ in range(n)]
                k = sum(valid12(x) for x in chance)
                if 1 <= k < n:
                    break
        elif dkind == "upc12":
            while True:
                chance = [upc12(rng) for _ in range(n)]
                k = sum(valid12(x) for x in chance)
                if 1 <= k < n:
                    break
        dhead = {"order-no": "受注番号", "bank-branch-account": "振込口座（店番＋科目＋口座番号）",
                 "upc12": "UPCコード"}[dkind]
        if head == "col3":
            heads = ["col1", "col2", "col3", "col4", "col5", "col6"]
        else:
            heads = [head, "氏名", "フリガナ", "生年月日", "住所", dhead]
        tags = [fmt, f"header:{head}", bucket]
        rows = []
        rec = None
        name = {"csv": "csv", "tsv": "tsv", "xlsx": "xlsx", "json": "json"}[fmt]
        title = ["従業員名簿", "会員名簿", "顧問先台帳", "職員一覧", "members", "export", "組合員名簿", "api_users",
                 "名簿_抽出", "組合員名簿_2024"][i]
        rec = c.rec(f"名簿/{title}_{i + 1}.{name}", cls)
        for p, v, x in zip(people, vals, chance, strict=True):
            rec.num(v, "low", tags, v)
            rec.dis(x, dkind)
            rows.append([v, p["name"], p["kana"], p["birth"], p["addr"], x])
        if fmt in ("csv", "tsv"):
            enc = "cp932" if i % 2 == 0 else "utf-8-sig"
            c.add(rec, csv_bytes([heads] + rows, enc, "\t" if fmt == "tsv" else ","))
        elif fmt == "xlsx":
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "一覧"
            ws.append(heads + ["入社日"])
            header_style(ws, len(heads) + 1)
            for r, p in zip(rows, people, strict=True):
                hired = dt.datetime.strptime(p["hired"], "%Y/%m/%d")
                ws.append([r[0] if i % 2 else int(r[0])] + r[1:5] + [r[5] if r[5][0] == "0" else int(r[5]), hired])
            c.add(rec, wb_bytes(wb))
        else:
            keys = ["id" if head == "ID" else head, "name", "kana", "birthday", "address", "order_no"]
            objs = [dict(zip(keys, r, strict=True)) for r in rows]
            c.add(rec, json_bytes(objs, i % 2 == 0))

    # controls: chance-rate 12-digit columns only
    for i in range(8):
        rec = c.rec(f"商品/{['受注データ', '商品マスタ', '振込先一覧', '出荷実績'][i % 4]}_2024{i + 5:02d}.csv", cls)
        n = rng.randint(8, 20)
        heads = ["受注番号", "受注日", "JANコード", "UPCコード", "商品名", "数量", "金額", "送り状番号"]
        rows = [heads]
        orders = pool.chance_column(n)
        for o in orders:
            rows.append([rec.dis(o, "order-no"), jdate(rng).isoformat(), rec.dis(jan13(rng), "jan13"),
                         rec.dis(upc12(rng), "upc12"), rng.choice(PRODUCTS), str(rng.randint(1, 50)),
                         str(rng.randint(100, 99999)), rec.dis(f"{rng.randint(1000, 9999)}-{rng.randint(0, 9999):04d}-"
                                                                f"{rng.randint(0, 9999):04d}", "tracking-no")])
        c.add(rec, csv_bytes(rows, "cp932" if i % 2 else "utf-8-sig"))
    for i in range(2):
        rec = c.rec(f"api/orders_page{i + 1}.json", cls)
        objs = [{"order_no": rec.dis(o, "order-no"), "jan": rec.dis(jan13(rng), "jan13"),
                 "customer": rng.choice(base.COMPANIES), "tel": phone(rng), "ordered_at": jdate(rng).isoformat()}
                for o in pool.chance_column(rng.randint(6, 12))]
        c.add(rec, json_bytes(objs, i == 0))


# ======================================================================================
# 6. spreadsheet-values

def fill_number_sheet(ws, rng, pool, rec, reprs, tags, nrows) -> dict[str, tuple[str, str]]:
    """A 個人番号 sheet whose number cells use the given representations; returns cached formula values."""
    label = rng.choice(["個人番号", "マイナンバー"])
    heads = ["社員番号", "氏名", "所属"]
    if {"formula-concat", "formula-value"} & set(reprs):
        heads += ["上4桁", "中4桁", "下4桁"]
    if "formula-text" in reprs:
        heads += ["番号（取込値）"]
    heads += [label, "支払金額", "電話番号", "入社日"]
    col = {h: get_column_letter(k + 1) for k, h in enumerate(heads)}
    ws.append(heads)
    header_style(ws, len(heads))
    cached: dict[str, tuple[str, str]] = {}
    for r in range(2, nrows + 2):
        p = person(rng)
        rp = reprs[(r - 2) % len(reprs)]
        lead = "0" if rp in ("lost-leading-zero", "zero-pad-format") or (rp == "formula-text" and rng.random() < .7) \
            else "123456789"
        d = pool.number(lead)
        while lead == "0" and d[1] == "0":  # one lost zero, not two
            d = pool.number(lead)
        row = {"社員番号": int(p["emp"]), "氏名": p["name"], "所属": p["dept"],
               "支払金額": rng.randint(2_000_000, 9_000_000),
               "電話番号": p["phone"], "入社日": dt.datetime.strptime(p["hired"], "%Y/%m/%d")}
        ref = f"{col[label]}{r}"
        expected, probe = "high", str(int(d))
        if rp in ("int", "sci-format", "zero-pad-format"):
            v = int(d)
        elif rp == "float":
            v = float(d)  # openpyxl writes it as 123456789018 and reads it back as an int
        elif rp == "poi-exponent":
            v = float(d)
            cached[ref] = ("raw", java_double(d))
            probe = str(v)
        elif rp == "text-format":
            v = probe = d
        elif rp == "formula-text":
            row["番号（取込値）"] = int(d)  # the imported value lost its zero; TEXT() restores it
            v = f'=TEXT({col["番号（取込値）"]}{r},"000000000000")'
            cached[ref] = ("str", d)
        elif rp in ("formula-concat", "formula-value"):
            row.update({"上4桁": d[:4], "中4桁": d[4:8], "下4桁": d[8:]})
            a, b, cc = (f"{col[h]}{r}" for h in ("上4桁", "中4桁", "下4桁"))
            if rp == "formula-value":
                v = f"=VALUE({a}&{b}&{cc})"
                cached[ref] = ("n", str(int(d)))
            else:
                v = rng.choice([f"={a}&{b}&{cc}", f"=CONCATENATE({a},{b},{cc})", f'={a}&"-"&{b}&"-"&{cc}'])
                cached[ref] = ("str", grp(d, "-") if '"-"' in v else d)
        else:  # lost-leading-zero
            v = int(d)
            expected = "medium"
        if ref in cached and cached[ref][0] != "raw":
            probe = cached[ref][1]
        row[label] = v
        ws.append([row.get(h) for h in heads])
        fmt = {"sci-format": "0.00E+00", "text-format": "@", "zero-pad-format": "000000000000", "float": "0"}.get(rp)
        if fmt:
            ws[ref].number_format = fmt
        for h in ("上4桁", "中4桁", "下4桁"):
            if h in col:
                ws[f"{col[h]}{r}"].number_format = "@"
        ws[f"{col['支払金額']}{r}"].number_format = "#,##0"
        rec.num(d, expected, tags + [rp], probe, padded=probe == str(int(d)) and d[0] == "0")
    ws.column_dimensions[col[label]].width = 16
    return cached


def number_workbook(rng, pool, rec, reprs, tags, nrows, extra_sheet=True) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = rng.choice(["源泉徴収", "Sheet1", "社員一覧", "2024"])
    cached = fill_number_sheet(ws, rng, pool, rec, reprs, tags, nrows)
    if extra_sheet:
        ws2 = wb.create_sheet("取引先")
        ws2.append(["法人番号", "取引先名", "年間売上（円）", "電話番号"])
        for _ in range(rng.randint(3, 5)):
            cn = corp13(rng)
            rec.dis(cn, "corporate-number", probe=str(int(cn)))
            sales = pool.random12(True)
            rec.dis(sales, "amount", probe=sales)
            ws2.append([int(cn), rng.choice(base.COMPANIES), int(sales), phone(rng)])
            ws2.cell(row=ws2.max_row, column=3).number_format = "#,##0"
    data = wb_bytes(wb)
    if cached:
        data = xlsx_cache(data, "sheet1", cached)
    return data


def gen_spreadsheet(c: Corpus) -> None:
    rng, pool, cls = c.rng, c.pool, "spreadsheet-values"
    plans = [["int", "float"], ["sci-format", "text-format"], ["formula-text"], ["formula-concat", "formula-value"],
             ["lost-leading-zero", "int"], ["zero-pad-format", "lost-leading-zero"], ["float", "sci-format", "int"],
             ["text-format", "formula-concat"], ["formula-text", "lost-leading-zero"],
             ["formula-value", "zero-pad-format"], ["poi-exponent", "int"], ["poi-exponent", "text-format"]]
    for i, reprs in enumerate(plans):
        rec = c.rec(f"給与/源泉徴収_基礎データ_{rng.choice(DEPTS)}_{i + 1}.xlsx", cls)
        c.add(rec, number_workbook(rng, pool, rec, reprs, ["xlsx"], rng.randint(2, 4)))

    # nested archives: zip(zip(xlsx)) and zip(zip(zip(xlsx)))
    nests = [(["2024年末調整.zip", "総務部.zip"], "個人番号一覧.xlsx", False),
             (["backup_20241105.zip", "人事.zip", "2024.zip"], "data.xlsx", False),
             (["提出用.zip", "東京本社.zip"], "マイナンバー台帳.xlsx", True),
             (["archive.zip", "jinji.zip", "nenmatsu.zip"], "個人番号_一覧.xlsx", True)]
    for k, (chain, leaf, cpnames) in enumerate(nests):
        rec = c.rec(f"アーカイブ/{chain[0]}", cls)
        tags = ["xlsx", f"nested-zip-{len(chain)}"] + (["cp932-zip-names"] if cpnames else [])
        data = number_workbook(rng, pool, rec, [["int", "text-format"], ["formula-text", "float"],
                                                ["text-format", "lost-leading-zero"], ["int", "sci-format"]][k],
                               tags, 3, extra_sheet=k % 2 == 0)
        readme = "パスワードは別途お送りします。\r\n".encode("cp932")
        name = leaf
        for outer in reversed(chain[1:]):
            data = zip_bytes([(name, data)] + ([("readme.txt", readme)] if outer == chain[1] else []), cpnames)
            name = outer
        c.add(rec, zip_bytes([(name, data)], cpnames))

    # controls: big integers that are not numbers of people
    for i in range(5):
        rec = c.rec(f"経理/{['売上集計', '取引先マスタ', '商品マスタ', '固定資産台帳', '予算実績'][i]}_2024.xlsx", cls)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = ["売上", "取引先", "商品", "資産", "予実"][i]
        ws.append(["コード", "名称", "金額（円）", "法人番号", "JAN", "更新日"])
        header_style(ws, 6)
        for _ in range(rng.randint(4, 8)):
            amount, cn, j = pool.random12(True), corp13(rng), jan13(rng)
            for x, k in ((amount, "amount"), (cn, "corporate-number"), (j, "jan13")):
                rec.dis(x, k)
            ws.append([rng.randint(1000, 9999), rng.choice(base.COMPANIES + PRODUCTS), int(amount), int(cn), int(j),
                       dt.datetime(2024, rng.randint(1, 12), rng.randint(1, 28))])
            ws.cell(row=ws.max_row, column=3).number_format = "#,##0"
            ws.cell(row=ws.max_row, column=4).number_format = "0"
        c.add(rec, wb_bytes(wb))


# ======================================================================================
# 7. far-context

RULES_TEXT = [
    "本一覧は特定個人情報に該当するため、取扱担当者以外の閲覧を禁止する。",
    "利用目的は、源泉徴収票作成事務、健康保険・厚生年金保険届出事務、雇用保険届出事務に限る。",
    "印刷した場合は施錠できるキャビネットに保管し、不要になった時点で速やかにシュレッダーで廃棄すること。",
    "電子データはアクセス制限のかかった共有フォルダにのみ保存し、メール添付での送付は禁止する。",
    "退職者の番号は、法定保存期間（7年）経過後に削除する。",
    "本人から番号の提供を受ける際は、番号確認と身元確認を必ず行うこと。",
    "事務取扱担当者：人事部 給与厚生グループ",
    "漏えい等が発生した場合は、直ちに責任者へ報告すること。",
]


def roster_rows(rng, pool, rec, n, expected, tags):
    rows = []
    for _ in range(n):
        p = person(rng)
        d = pool.number("123456789")
        rec.num(d, expected, tags, d)
        rows.append((p, d))
    return rows


def order_rows(rng, pool, rec, n):
    rows = []
    for _ in range(n):
        o = pool.random12(True)
        rec.dis(o, "order-no")
        rows.append((rng.choice(base.COMPANIES), rng.choice(PRODUCTS), o))
    return rows


JIS_SUBST = {"髙": "高", "﨑": "崎", "邉": "辺", "㈱": "(株)", "～": "〜"}


def jis_safe(s: str) -> str:
    """What a Japanese mailer sending ISO-2022-JP does with characters outside JIS X 0208."""
    out = []
    for ch in s:
        for cand in (ch, JIS_SUBST.get(ch, ""), unicodedata.normalize("NFKC", ch)):
            try:
                if cand:
                    cand.encode("iso2022_jp")
                    out.append(cand)
                    break
            except UnicodeEncodeError:
                continue
        else:
            out.append("?")
    return "".join(out)


def eml(rng, subject: str, body: str, attachments, jis: bool) -> bytes:
    """A mail with attachments: Outlook-style ISO-2022-JP (legacy email API) or a UTF-8 EmailMessage."""
    sender, to = person(rng), person(rng)
    addr = f"{sender['login']}@example.co.jp"
    date = format_datetime(dt.datetime(2024, 11, rng.randint(1, 28), rng.randint(8, 19), rng.randint(0, 59),
                                       tzinfo=JST))
    boundary = f"----=_NextPart_{rng.getrandbits(64):016X}"
    msgid = f"<{rng.getrandbits(64):016x}.{rng.randint(1000, 9999)}@example.co.jp>"
    if jis:
        m = MIMEMultipart(boundary=boundary)
        m["From"] = formataddr((jis_safe(sender["name"]), addr), charset="iso-2022-jp")
        m["To"] = formataddr((jis_safe(to["name"]), "jinji@example.co.jp"), charset="iso-2022-jp")
        m["Subject"] = Header(jis_safe(subject), "iso-2022-jp")
        m["Date"], m["Message-ID"], m["X-Mailer"] = date, msgid, "Microsoft Outlook 16.0"
        m.attach(MIMEText(jis_safe(body), "plain", "iso-2022-jp"))
        for name, data, mt, st in attachments:
            part = MIMEBase(mt, st)
            part.set_payload(data)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
            m.attach(part)
        return m.as_bytes()
    m = EmailMessage()
    m["From"] = f"{sender['name']} <{addr}>"
    m["To"] = f"{to['name']} <jinji@example.co.jp>"
    m["Subject"] = subject
    m["Date"], m["Message-ID"], m["X-Mailer"] = date, msgid, "Thunderbird 128.4.0"
    m.set_content(body)
    for name, data, mt, st in attachments:
        m.add_attachment(data, maintype=mt, subtype=st, filename=name)
    m.set_boundary(boundary)
    return m.as_bytes(policy=policy.SMTP)


def small_xlsx(heads, rows, sheet="Sheet1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(heads)
    header_style(ws, len(heads))
    for r in rows:
        ws.append(r)
    return wb_bytes(wb)


def gen_far_context(c: Corpus) -> None:
    rng, pool, cls = c.rng, c.pool, "far-context"

    # mail: subject/body says マイナンバー, attachment has a bare 番号 column
    mails = [("【人事】マイナンバー提出のお願い（回答）", "csv", True, "subject"),
             ("Re: 個人番号の提出について", "xlsx", False, "subject"),
             ("年末調整書類の送付", "csv", True, "body"),
             ("【至急】扶養家族のマイナンバー", "csv", False, "subject"),
             ("入社書類（追加分）", "xlsx", True, "body"),
             ("Fw: 個人番号一覧（営業部分）", "csv", False, "subject")]
    for i, (subject, kind, jis, where) in enumerate(mails):
        rec = c.rec(f"メール/2024-11-{i + 3:02d}_{re.sub(r'[^ぁ-んァ-ヶ一-龠ー]', '', subject)[:10]}.eml", cls)
        tags = ["eml", f"context-in-{where}", f"attachment-{kind}", "iso-2022-jp" if jis else "utf8"]
        rows = roster_rows(rng, pool, rec, rng.randint(3, 4), "medium", tags)
        p = person(rng)
        if where == "subject":
            body = f"人事部 {p['sei']}様\n\nお疲れ様です。{person(rng)['name']}です。\n" \
                   "ご依頼の件、添付のとおりお送りします。\n" \
                   "ご確認のほどよろしくお願いいたします。\n"
        else:
            body = f"人事部 {p['sei']}様\n\nお疲れ様です。\n" \
                   "扶養に入っている家族分も含め、マイナンバー（個人番号）を添付ファイルにまとめました。\n" \
                   "パスワードは別メールでお送りします。\n\n以上、よろしくお願いいたします。\n"
        heads = ["氏名", "続柄", "番号", "生年月日"]
        table = [[q["name"], rng.choice(["本人"] + RELS), d, q["birth"]] for q, d in rows]
        if kind == "csv":
            att = ("list.csv" if i % 2 else "回答.csv", csv_bytes([heads] + table, "cp932"), "text", "csv")
        else:
            att = ("回答.xlsx", small_xlsx(heads, table), "application",
                   "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        body += f"\n--\n{rng.choice(base.COMPANIES)} {p['dept']}\nTEL {rec.dis(phone_intl(rng, True), 'phone-intl')}\n"
        c.add(rec, eml(rng, subject, body, [att], jis))

    for i, subject in enumerate(["【発注】注文番号一覧の送付", "Re: 受注番号のご確認", "出荷予定のご連絡",
                                 "【見積】商品番号のご案内", "Fw: 返品番号の件"]):
        rec = c.rec(f"メール/2024-11-{20 + i}_{['発注', '受注確認', '出荷予定', '見積', '返品'][i]}.eml", cls)
        rows = order_rows(rng, pool, rec, rng.randint(3, 6))
        heads = ["取引先", "品名", "番号", "数量"]
        table = [[a, b, o, str(rng.randint(1, 40))] for a, b, o in rows]
        body = "いつもお世話になっております。\n添付のとおり注文番号をお送りします。\n" \
               "納期のご確認をお願いいたします。\n"
        att = ("注文一覧.csv", csv_bytes([heads] + table, "cp932"), "text", "csv")
        c.add(rec, eml(rng, subject, body, [att], i % 2 == 0))

    # docx: title says マイナンバー, table with 氏名/番号 far below
    for i in range(3):
        rec = c.rec(f"人事/規程/従業員マイナンバー一覧_{['本社', '工場', '営業所'][i]}.docx", cls)
        doc = docx.Document()
        doc.add_heading(rng.choice(["従業員マイナンバー一覧", "従業員個人番号一覧（特定個人情報）"]), level=0)
        doc.add_paragraph(f"作成日：令和6年{rng.randint(1, 12)}月{rng.randint(1, 28)}日　作成者：人事部")
        for sec in range(rng.randint(4, 6)):
            title = rng.choice(["取扱いの原則", "保管", "廃棄", "利用目的", "安全管理措置", "教育"])
            doc.add_heading(f"第{sec + 1}条　{title}", level=2)
            for _ in range(rng.randint(4, 7)):
                doc.add_paragraph(rng.choice(RULES_TEXT))
        doc.add_page_break()
        doc.add_paragraph("別表")
        rows = roster_rows(rng, pool, rec, 4, "medium", ["docx", "context-in-title", "far-below"])
        t = doc.add_table(rows=1, cols=4)
        t.style = "Table Grid"
        for j, h in enumerate(["氏名", "所属", "番号", "備考"]):
            t.rows[0].cells[j].text = h
        for p, d in rows:
            cells = t.add_row().cells
            cells[0].text, cells[1].text, cells[2].text, cells[3].text = p["name"], p["dept"], d, ""
            for cell in cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(9)
        c.add(rec, docx_bytes(doc))
    for i in range(2):
        rec = c.rec(f"営業/受注番号一覧_{i + 1}.docx", cls)
        doc = docx.Document()
        doc.add_heading(["受注番号一覧", "商品番号一覧（取扱注意）"][i], level=0)
        for _ in range(15):
            doc.add_paragraph(rng.choice(["納期は受注日から5営業日以内とする。",
                                          "番号はモジュラス11（ウェイト2～7）の検査数字付き。",
                                          "キャンセルは出荷前に限り受け付ける。", "返品時は番号を必ず記載すること。"]))
        t = doc.add_table(rows=1, cols=3)
        for j, h in enumerate(["取引先", "品名", "番号"]):
            t.rows[0].cells[j].text = h
        for a, b, o in order_rows(rng, pool, rec, 5):
            cells = t.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = a, b, o
        c.add(rec, docx_bytes(doc))

    # xlsx: the sheet name says マイナンバー
    for i in range(3):
        rec = c.rec(f"人事/社員情報_{2022 + i}.xlsx", cls)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "社員一覧"
        ws.append(["社員番号", "氏名", "所属", "入社日"])
        rows = roster_rows(rng, pool, rec, 4, "medium", ["xlsx", "context-in-sheet-name"])
        for p, _d in rows:
            ws.append([int(p["emp"]), p["name"], p["dept"], p["hired"]])
        ws2 = wb.create_sheet(["マイナンバー", "個人番号", "マイナンバー（扶養含む）"][i])
        ws2.append(["社員番号", "氏名", "番号"])
        for p, d in rows:
            ws2.append([int(p["emp"]), p["name"], d if i != 1 else int(d)])
        c.add(rec, wb_bytes(wb))
    for i in range(2):
        rec = c.rec(f"営業/受注管理_{2023 + i}.xlsx", cls)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = ["受注", "商品マスタ"][i]
        ws.append(["取引先", "品名", "番号"])
        for a, b, o in order_rows(rng, pool, rec, 5):
            ws.append([a, b, o if i else int(o)])
        c.add(rec, wb_bytes(wb))

    # the file name says it, the column is just "No."
    for i, name in enumerate(["人事/マイナンバー一覧.csv", "人事/個人番号_2024.xlsx",
                              "人事/マイナンバー一覧_営業部.csv", "人事/個人番号_2024_パート.xlsx"]):
        rec = c.rec(name, cls)
        rows = roster_rows(rng, pool, rec, rng.randint(3, 4), "medium",
                           ["context-in-filename", "csv" if name.endswith(".csv") else "xlsx"])
        heads = ["No.", "氏名", "部署", "生年月日"]
        table = [[d, p["name"], p["dept"], p["birth"]] for p, d in rows]
        if name.endswith(".csv"):
            c.add(rec, csv_bytes([heads] + table, "cp932" if i == 0 else "utf-8-sig"))
        else:
            c.add(rec, small_xlsx(heads, [[int(r[0])] + r[1:] for r in table]))
    for name in ["営業/受注一覧_2024.csv", "営業/商品番号_2024.xlsx", "営業/受注一覧_2023.csv",
                 "購買/発注番号一覧_2024.xlsx"]:
        rec = c.rec(name, cls)
        heads = ["No.", "取引先", "品名"]
        table = [[o, a, b] for a, b, o in order_rows(rng, pool, rec, 5)]
        c.add(rec, csv_bytes([heads] + table, "cp932") if name.endswith(".csv") else small_xlsx(heads, table))


# ======================================================================================
# self-check: re-read every file with the library that wrote it

def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp932")


def json_strings(obj, out: list[str]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.append(k)
            json_strings(v, out)
    elif isinstance(obj, list):
        for v in obj:
            json_strings(v, out)
    elif obj is not None:
        out.append(str(obj))


def texts_of(name: str, data: bytes) -> list[str]:
    """Every piece of text the writing library gives back for this file (recursing into mail and zip)."""
    ext = os.path.splitext(name)[1].lower()
    out: list[str] = []
    if ext in (".csv", ".tsv", ".txt", ".md", ".html", ".xml"):
        text = decode_text(data)
        out.append(text)
        if ext in (".csv", ".tsv"):
            for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t" if ext == ".tsv" else ","):
                out.extend(row)
                out.append("\x1f".join(row))
        if ext == ".xml":
            for el in ET.fromstring(data).iter():
                out.extend(v for v in el.attrib.values())
                if el.text:
                    out.append(el.text)
    elif ext in (".json", ".jsonl"):
        text = data.decode("utf-8")
        out.append(text)
        docs = [json.loads(x) for x in text.splitlines() if x.strip()] if ext == ".jsonl" else [json.loads(text)]
        for d in docs:
            json_strings(d, out)
    elif ext == ".xlsx":
        for data_only in (False, True):
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)
            for ws in wb.worksheets:
                out.append(ws.title)
                for row in ws.iter_rows(values_only=True):
                    out.extend(str(v) for v in row if v is not None)
                    out.append("\x1f".join("" if v is None else str(v) for v in row))
    elif ext == ".docx":
        doc = docx.Document(io.BytesIO(data))
        out.extend(p.text for p in doc.paragraphs)
        for t in doc.tables:
            for row in t.rows:
                cells = [cell.text for cell in row.cells]
                out.extend(cells)
                out.append("\x1f".join(cells))
    elif ext == ".eml":
        msg = BytesParser(policy=policy.default).parsebytes(data)
        out.append(str(msg["Subject"]))
        for part in msg.walk():
            if part.is_multipart():
                continue
            fn = part.get_filename()
            if fn:
                out.extend(texts_of(fn, part.get_payload(decode=True)))
            else:
                out.append(part.get_content())
    elif ext == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                out.extend(texts_of(info.filename, z.read(info)))
    else:
        raise ValueError(f"no reader for {name}")
    return out


def selfcheck(c: Corpus) -> None:
    problems = []
    allpos: dict[str, str] = {}
    for rec in c.recs:
        with open(os.path.join(c.outdir, rec.path), "rb") as fh:
            blob = "\x00".join(texts_of(rec.path, fh.read()))
        for n in rec.numbers:
            d = n["digits"]
            if d in allpos:
                problems.append(f"{rec.path}: number {mask(d)} also in {allpos[d]}")
            allpos[d] = rec.path
            got = plain_digits(n["probe"])
            ok = (got.zfill(12) == d) if n["padded"] else (d in got)
            if not ok:
                problems.append(f"{rec.path}: probe digits do not give {mask(d)}")
            if n["probe"] not in blob:
                problems.append(f"{rec.path}: {mask(d)} ({n['tags']}) not found as written")
        for p in rec.dprobes:
            if p not in blob:
                problems.append(f"{rec.path}: distractor {DIGIT_RE.sub('#', p)[:40]!r} not found")
    fps = {fingerprint(d) for d in allpos}
    for rec in c.recs:
        for f in rec.distractors:
            if f in fps:
                problems.append(f"{rec.path}: a distractor window equals a positive number")
    if problems:
        for p in problems[:50]:
            print("SELF-CHECK:", p, file=sys.stderr)
        raise SystemExit(f"self-check failed: {len(problems)} problem(s)")


DIGIT_RE = re.compile(r"[0-9０-９]")


# ======================================================================================

GENERATORS = [gen_cell_linebreak, gen_boxed, gen_escaped, gen_chat, gen_column_stats, gen_spreadsheet,
              gen_far_context]


def build(outdir: str, seed: int) -> Corpus:
    c = Corpus(outdir, seed)
    for gen in GENERATORS:
        gen(c)
    with open(os.path.join(outdir, TRUTH), "w", encoding="utf-8") as fh:
        for rec in c.recs:
            fh.write(json.dumps(rec.truth(), ensure_ascii=False) + "\n")
    selfcheck(c)
    return c


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20241126)
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    if os.listdir(a.outdir):
        raise SystemExit(f"{a.outdir} is not empty")
    c = build(a.outdir, a.seed)
    size = sum(os.path.getsize(os.path.join(a.outdir, r.path)) for r in c.recs)
    print(f"wrote {len(c.recs)} files ({size / 1e6:.1f} MB), "
          f"{sum(len(r.numbers) for r in c.recs)} numbers, "
          f"{sum(len(r.distractors) for r in c.recs)} distractor windows "
          f"({sum(d['valid'] for r in c.recs for d in r.distractors.values())} check-digit-valid); self-check OK")
    for cls in CLASSES:
        rs = [r for r in c.recs if r.cls == cls]
        exp = {lv: sum(n["expected"] == lv for r in rs for n in r.numbers) for lv in ("low", "medium", "high")}
        print(f"  {cls:<19} {len(rs):>4} files {sum(len(r.numbers) for r in rs):>4} numbers  expected {exp}")


if __name__ == "__main__":
    main()
