#!/usr/bin/env python3
"""Held-out evaluation corpus for mynumber-dlp (written without looking at the detector).

    python tests/heldout/generate.py OUTDIR --seed N

Writes realistic Japanese office / municipality / IT-vendor text files into OUTDIR plus
OUTDIR/truth.jsonl (one record per file).  All numbers are synthetic (random 11 digits +
the My Number check digit); truth.jsonl never holds full numbers, only masked ones.
Positions are 1-based line/column in characters of the decoded text (lines split on
'\\n', a BOM is not a character) of the FIRST character of each number / distractor.
"""
import argparse
import json
import os
import random
import re
import sys
import unicodedata

WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(first11):
    r = sum(w * int(c) for w, c in zip(WEIGHTS, first11)) % 11
    return 0 if r <= 1 else 11 - r


def valid12(s):
    return len(s) == 12 and s.isdigit() and check_digit(s[:11]) == int(s[11])


SEPS = {
    "space": " ", "ideo": "\u3000", "hyphen": "-", "u2010": "\u2010", "u2011": "\u2011",
    "u2012": "\u2012", "u2013": "\u2013", "u2014": "\u2014", "u2015": "\u2015",
    "u2212": "\u2212", "uff0d": "\uff0d", "u30fc": "\u30fc", "uff70": "\uff70", "dot": ".",
}
SEP_WEIGHTS = {"space": 10, "ideo": 4, "hyphen": 14, "u2010": 2, "u2011": 1, "u2012": 1,
               "u2013": 1, "u2014": 1, "u2015": 1, "u2212": 2, "uff0d": 3, "u30fc": 2,
               "uff70": 1, "dot": 2}
SEPSET = set(SEPS.values()) | {",", "(", ")"}
FW = str.maketrans("0123456789", "０１２３４５６７８９")
UNFW = str.maketrans("０１２３４５６７８９", "0123456789")


def dvalid(s):
    """True if some 12-digit window of a digit run (claimed separators removed) passes."""
    s = s.translate(UNFW)
    runs, cur = [], ""
    for i, c in enumerate(s):
        if c.isdigit():
            cur += c
        elif c in SEPSET and cur and i + 1 < len(s) and s[i + 1].isdigit():
            continue
        else:
            if cur:
                runs.append(cur)
            cur = ""
    if cur:
        runs.append(cur)
    return any(valid12(r[i:i + 12]) for r in runs for i in range(len(r) - 11))


def render(digits, form):
    kind, _, sep = form.partition(":")
    s = SEPS.get(sep, "")
    if kind == "contiguous":
        return digits
    if kind == "fullwidth":
        return digits.translate(FW)
    if kind == "grouped":
        return s.join((digits[:4], digits[4:8], digits[8:]))
    if kind == "fwgrouped":
        return s.join((digits[:4], digits[4:8], digits[8:])).translate(FW)
    if kind == "boxed":
        return s.join(digits)
    if kind == "fwboxed":
        return s.join(digits.translate(FW))
    if kind == "wrapped":       # mail client wrapped the line after the 2nd group
        return digits[:4] + s + digits[4:8] + "\n" + digits[8:]
    raise ValueError(form)


SUBST = {"〜": "～", "～": "〜", "−": "－", "－": "−", "‐": "-", "ⅰ": "i", "①": "1", "②": "2",
         "③": "3", "㈱": "(", "髙": "高", "﨑": "崎"}


class Doc:
    def __init__(self, rng, category, relpath, enc="utf-8", crlf=False):
        self.rng, self.category, self.relpath = rng, category, relpath
        self.enc, self.crlf = enc, crlf
        self.parts, self.n = [], 0
        self.numbers, self.distractors = [], []
        self._ok_cache = {}

    # -- encoding helpers
    def codec(self):
        return {"utf-8-sig": "utf-8", "utf-16": "utf-16-le"}.get(self.enc, self.enc)

    def ok(self, c):
        r = self._ok_cache.get(c)
        if r is None:
            try:
                r = c.encode(self.codec()).decode(self.codec()) == c
            except UnicodeError:
                r = False
            self._ok_cache[c] = r
        return r

    def sanitize(self, s):
        out = []
        for c in s:
            if self.ok(c):
                out.append(c)
                continue
            alt = SUBST.get(c)
            if alt and self.ok(alt):
                out.append(alt)
                continue
            k = unicodedata.normalize("NFKC", c)
            out.append(k if len(k) == 1 and self.ok(k) else "?")
        return "".join(out)

    def _add(self, s):
        self.parts.append(s)
        self.n += len(s)

    def t(self, s):
        self._add(self.sanitize(s))
        return self

    def ln(self, s=""):
        return self.t(s + "\n")

    # -- numbers
    def pick_form(self, allow=("contiguous", "grouped", "fullwidth", "fwgrouped", "boxed")):
        weights = {"contiguous": 34, "grouped": 40, "fullwidth": 10, "fwgrouped": 8, "boxed": 5,
                   "fwboxed": 2}
        kinds = [k for k in allow]
        kind = self.rng.choices(kinds, [weights.get(k, 3) for k in kinds])[0]
        if kind in ("contiguous", "fullwidth"):
            return kind
        if kind in ("boxed", "fwboxed"):
            seps = ["space", "ideo"]
        else:
            seps = [k for k in SEPS if self.ok(SEPS[k])]
        seps = [k for k in seps if self.ok(SEPS[k])]
        sep = self.rng.choices(seps, [SEP_WEIGHTS[k] for k in seps])[0]
        return kind + ":" + sep

    def num(self, strength="strong", form=None, digits=None, tags=(), allow=None):
        if digits is None:
            digits = new_number(self.rng)
        if form is None:
            form = self.pick_form(allow) if allow else self.pick_form()
        s = render(digits, form)
        assert all(self.ok(c) for c in s), (form, self.enc)
        self.numbers.append(dict(off=self.n, text=s, digits=digits, strength=strength,
                                 form=form, tags=list(tags)))
        self._add(s)
        return self

    def dis(self, s, kind, valid=None):
        s = self.sanitize(s)
        self.distractors.append(dict(off=self.n, text=s, kind=kind,
                                     valid=dvalid(s) if valid is None else valid))
        self._add(s)
        return self

    # -- output
    def text(self):
        return "".join(self.parts)

    def encode(self):
        text = self.text()
        if self.crlf:
            text = text.replace("\n", "\r\n")
        if self.enc == "utf-8-sig":
            return b"\xef\xbb\xbf" + text.encode("utf-8")
        if self.enc == "utf-16":
            return b"\xff\xfe" + text.encode("utf-16-le")
        return text.encode(self.enc)


def decode_file(data, enc):
    if enc == "utf-8-sig":
        assert data[:3] == b"\xef\xbb\xbf"
        return data[3:].decode("utf-8")
    if enc == "utf-16":
        assert data[:2] == b"\xff\xfe"
        return data[2:].decode("utf-16-le")
    return data.decode(enc)


def linecol(text, off):
    line = text.count("\n", 0, off) + 1
    col = off - (text.rfind("\n", 0, off) + 1) + 1
    return line, col


USED = set()


def new_number(rng):
    while True:
        body = "".join(rng.choice("0123456789") for _ in range(11))
        d = body + str(check_digit(body))
        if d not in USED and d != "123456789018":
            USED.add(d)
            return d


# ---------------------------------------------------------------------------------------
# random building blocks

NAMES = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
         ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"),
         ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"),
         ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"),
         ("清水", "シミズ"), ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"),
         ("阿部", "アベ"), ("石川", "イシカワ"), ("前田", "マエダ"), ("藤田", "フジタ"), ("小川", "オガワ"),
         ("後藤", "ゴトウ"), ("岡田", "オカダ"), ("長谷川", "ハセガワ"), ("村上", "ムラカミ"), ("近藤", "コンドウ"),
         ("髙橋", "タカハシ"), ("渡邉", "ワタナベ"), ("齋藤", "サイトウ"), ("山﨑", "ヤマサキ")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("美咲", "ミサキ"), ("翔太", "ショウタ"),
         ("陽菜", "ヒナ"), ("健太", "ケンタ"), ("さくら", "サクラ"), ("大輔", "ダイスケ"), ("由美", "ユミ"),
         ("直樹", "ナオキ"), ("恵子", "ケイコ"), ("拓也", "タクヤ"), ("愛", "アイ"), ("隆", "タカシ"),
         ("真由美", "マユミ"), ("誠", "マコト"), ("裕子", "ユウコ"), ("亮", "リョウ"), ("彩", "アヤ"),
         ("蓮", "レン"), ("結衣", "ユイ"), ("悠真", "ユウマ"), ("芽依", "メイ"), ("和夫", "カズオ"), ("節子", "セツコ")]
COMPANIES = ["株式会社みどり精機", "有限会社丸山工務店", "株式会社アオバ物流", "東和システム株式会社",
             "合同会社ひかりデザイン", "株式会社北斗フーズ", "医療法人社団こもれび会", "社会福祉法人やまびこ福祉会",
             "株式会社さくら電機サービス", "三ツ星商事株式会社", "株式会社ＫＯＭＡＴＳＵ設計", "㈱いろは印刷"]
VENDORS = ["株式会社ネクストソリューションズ", "東邦情報システム株式会社", "株式会社データブリッジ",
           "アルファテクノ株式会社", "株式会社シンクロウェア"]
CITIES = ["桜ヶ丘市", "緑川市", "北浜市", "東山町", "若葉市", "青葉台市", "南川村", "西原町"]
TOWNS = ["本町", "中央", "栄町", "旭が丘", "緑町", "東雲", "港南", "桜台", "新田", "宮前"]
PREFS = ["東京都", "神奈川県", "埼玉県", "千葉県", "大阪府", "愛知県", "福岡県", "北海道", "宮城県", "静岡県"]


def person(rng):
    s, sk = rng.choice(NAMES)
    g, gk = rng.choice(GIVEN)
    return s, g, sk, gk


def digits(rng, n, lead="123456789"):
    return rng.choice(lead) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def d12(rng, valid):
    body = "".join(rng.choice("0123456789") for _ in range(11))
    c = check_digit(body)
    if not valid:
        c = rng.choice([x for x in range(10) if x != c])
    return body + str(c)


def vd(rng, make):
    """Call make() until its check-digit validity equals a coin flip (about half valid)."""
    want = rng.random() < 0.5
    s = make()
    for _ in range(400):
        if dvalid(s) == want:
            return s
        s = make()
    return s


def address(rng):
    return (f"{rng.choice(PREFS)}{rng.choice(CITIES)}{rng.choice(TOWNS)}{rng.randint(1, 5)}丁目"
            f"{rng.randint(1, 30)}番{rng.randint(1, 20)}号")


def birth(rng, era=None):
    era = era or rng.choice(["昭和", "平成", "S", "H", "西暦"])
    if era == "西暦":
        return f"{rng.randint(1950, 2005)}/{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}"
    if era in ("S", "H"):
        return f"{era}{rng.randint(1, 60 if era == 'S' else 30)}.{rng.randint(1, 12)}.{rng.randint(1, 28)}"
    return f"{era}{rng.randint(1, 60 if era == '昭和' else 30)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def yen(rng, lo, hi, comma=True):
    v = rng.randint(lo, hi)
    return f"{v:,}" if comma else str(v)


# distractor makers: each returns text --------------------------------------------------
def phone(rng):
    style = rng.randrange(12)
    a, b = digits(rng, 4, "0123456789"), digits(rng, 4, "0123456789")
    mob = rng.choice(["90", "80", "70"])
    return [f"03-{a}-{b}", f"0{mob}-{a}-{b}", f"(06){a}-{b}", f"0120-{a[:3]}-{b[:3]}",
            f"+81-{mob}-{a}-{b}", f"+81 {mob} {a} {b}", f"+81(0){mob}-{a}-{b}", f"0{mob}{a}{b}",
            f"０{mob}－{a}－{b}".translate(FW), f"+81{mob}{a}{b}", f"045 {a[:3]} {b}",
            f"0{mob}.{a}.{b}"][style]


def d_phone(rng):
    return vd(rng, lambda: phone(rng))


def d_digits12(rng, sep=""):
    s = d12(rng, rng.random() < 0.5)
    return sep.join((s[:4], s[4:8], s[8:])) if sep else s


def corp_number(rng, valid_tail=None):
    """法人番号: 12 base digits preceded by the check digit."""
    def make():
        base = digits(rng, 12, "123456789")
        tot = sum(int(c) * (1 if i % 2 == 0 else 2) for i, c in enumerate(reversed(base)))
        return str(9 - tot % 9) + base
    return vd(rng, make)


def ean13(rng, prefix="49"):
    def make():
        body = prefix + digits(rng, 10, "0123456789")
        tot = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
        return body + str((10 - tot % 10) % 10)
    return vd(rng, make)


def upca(rng):
    def make():
        body = rng.choice("0147") + digits(rng, 10, "0123456789")
        tot = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(body))
        return body + str((10 - tot % 10) % 10)
    return vd(rng, make)


def card(rng, sep=" "):
    def make():
        body = rng.choice(["4", "5", "35", "37"]) + digits(rng, 14, "0123456789")
        body = body[:15]
        tot = 0
        for i, c in enumerate(reversed(body)):
            v = int(c) * (2 if i % 2 == 0 else 1)
            tot += v - 9 if v > 9 else v
        full = body + str((10 - tot % 10) % 10)
        return sep.join(full[i:i + 4] for i in range(0, 16, 4))
    return vd(rng, make)


def ts12(rng):
    return vd(rng, lambda: f"{rng.randint(2019, 2025)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                           f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}")


def epoch(rng, millis=False):
    v = rng.randint(1_600_000_000, 1_760_000_000)
    return str(v * 1000 + rng.randint(0, 999)) if millis else str(v)


def ip12(rng):
    return vd(rng, lambda: f"{rng.choice(['192.168', '172.' + str(rng.randint(100, 131))])}."
                           f"{rng.randint(100, 254)}.{rng.randint(100, 254)}" if rng.random() < .5 else
              f"{rng.randint(100, 223)}.{rng.randint(100, 254)}.{rng.randint(100, 254)}.{rng.randint(100, 254)}")


def version(rng):
    return vd(rng, lambda: rng.choice([
        f"{rng.randint(2020, 2025)}.{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}.{rng.randint(0, 2359):04d}",
        f"{rng.randint(1000, 9999)}.{rng.randint(1000, 9999)}.{rng.randint(1000, 9999)}",
        f"{rng.randint(10, 99)}.{rng.randint(1000, 9999)}.{rng.randint(100000, 999999)}"]))


def uuid_digits(rng):
    h = lambda n: "".join(rng.choice("0123456789abcdef") for _ in range(n))
    return f"{h(8)}-{h(4)}-4{h(3)}-a{h(3)}-{d12(rng, rng.random() < .5)}"


def hexhash(rng, n=40):
    s = "".join(rng.choice("0123456789abcdef") for _ in range(n))
    i = rng.randrange(0, n - 14)
    return s[:i] + "f" + d12(rng, rng.random() < .5) + "e" + s[i + 14:]


def license_no(rng):
    return d_digits12(rng)


def tracking(rng):
    return vd(rng, lambda: "-".join([digits(rng, 4), digits(rng, 4, "0123456789"), digits(rng, 4, "0123456789")]))


def amount12(rng):
    return vd(rng, lambda: f"{rng.randint(100_000_000_000, 999_999_999_999):,}")


CATEGORY_N = {}
GENERATORS = []


def category(name, n):
    def deco(fn):
        GENERATORS.append((name, n, fn))
        return fn
    return deco



def label(rng, strong=True):
    return rng.choice(["個人番号", "個人番号", "個人番号", "マイナンバー", "マイナンバー", "ﾏｲﾅﾝﾊﾞｰ",
                       "個人番号（マイナンバー）", "マイナンバー(個人番号)", "個人番号(12桁)", "My Number",
                       "個人No.", "マイナンバ－", "マイナンバー（12ケタ）", "個人番号"])


def sep(rng):
    return rng.choice(["：", ":", " ", "　", "：", "　：　", " : ", "…"])


# ======================================================================================
# A. 住民税 特別徴収
@category("juminzei", 13)
def gen_juminzei(rng, i):
    v = i % 3
    if v == 0:
        d = Doc(rng, "juminzei", f"住民税/特別徴収一覧_{2024 + i % 2}_{i:02d}.csv", rng.choice(["cp932", "cp932", "utf-8-sig"]), crlf=True)
        shitei = digits(rng, rng.choice([8, 10]), "0")
        q = rng.random() < 0.7
        Q = (lambda s: f'"{s}"') if q else (lambda s: s)
        col = rng.choice(["個人番号", "個人番号", "マイナンバー", "個人番号（12桁）"])
        d.ln(",".join(Q(h) for h in ["指定番号", "宛名番号", col, "氏名", "カナ氏名", "生年月日", "住所", "年税額", "6月分", "7月分以降"]))
        for r in range(rng.randint(4, 18)):
            s, g, sk, gk = person(rng)
            d.t(Q(shitei) + ",")
            at = digits(rng, rng.choice([10, 15]), "0")
            if q:
                d.t('"')
            d.dis(at, "atena-no")
            d.t(('"' if q else "") + ",")
            if rng.random() < 0.12:
                d.t(Q(rng.choice(["", "未提出", "ー"])))
            else:
                if q:
                    d.t('"')
                d.num("strong", allow=("contiguous", "contiguous", "grouped"))
                if q:
                    d.t('"')
            tax = rng.randint(30000, 600000)
            d.ln("," + ",".join(Q(x) for x in [f"{s}　{g}", f"{sk} {gk}", birth(rng, '西暦'), address(rng),
                                                 str(tax), str(tax - tax // 12 * 11), str(tax // 12)]))
        return d
    if v == 1:
        d = Doc(rng, "juminzei", f"住民税/決定通知書_義務者用_{i:02d}.txt", rng.choice(["utf-8", "euc-jp", "cp932"]))
        city = rng.choice(CITIES)
        d.ln(f"令和{rng.choice(['６', '7', '６'])}年度　給与所得等に係る市民税・県民税　特別徴収税額の決定通知書（特別徴収義務者用）")
        d.ln(f"{city}長")
        d.ln(f"特別徴収義務者　{rng.choice(COMPANIES)}　様")
        d.t("指定番号　" + digits(rng, 8, "0") + "　　法人番号　").dis(corp_number(rng), "corporate-number").ln()
        d.ln("-" * 72)
        hdr = rng.choice(["個人番号", "個人番号", "マイナンバー"])
        d.ln(f"No  宛名番号     {hdr}          氏名            年税額     6月     7月～5月")
        for r in range(rng.randint(3, 12)):
            s, g, _, _ = person(rng)
            d.t(f"{r + 1:>2}  ")
            d.dis(digits(rng, 10, "0"), "atena-no")
            d.t("  ")
            d.num("strong", allow=("contiguous", "grouped", "grouped"))
            tax = rng.randint(30000, 500000)
            d.ln(f"  {s} {g}{'　' * (4 - len(s + g) // 2)}  {tax:>9,}  {tax - tax // 12 * 11:>7,}  {tax // 12:>7,}")
        d.ln("-" * 72)
        d.ln(f"合計 {rng.randint(3, 12)}名　　お問い合わせ：{city}役所 市民税課 特別徴収係 TEL ")
        d.dis(d_phone(rng), "phone").ln()
        d.ln("※この通知書に記載された個人番号は、番号法に基づき適切に管理してください。")
        return d
    d = Doc(rng, "juminzei", f"住民税/異動届出書_{i:02d}.txt", rng.choice(["utf-8", "cp932"]))
    s, g, sk, gk = person(rng)
    d.ln("給与支払報告・特別徴収に係る給与所得者異動届出書（入力控え）")
    d.ln(f"提出先：{rng.choice(CITIES)}長　提出日：令和6年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
    d.t("特別徴収義務者 法人番号：").dis(corp_number(rng), "corporate-number").ln()
    d.t("連絡先：").dis(d_phone(rng), "phone").ln()
    d.t("受給者番号（宛名番号）：").dis(digits(rng, 12, "0"), "atena-no").ln()
    d.ln(f"氏名：{s} {g}（{sk} {gk}）")
    d.t(label(rng) + sep(rng)).num("strong").ln()
    d.ln(f"生年月日：{birth(rng)}")
    d.ln(f"異動年月日：令和6年{rng.randint(1, 12)}月末日　異動事由：{rng.choice(['退職', '転勤', '休職'])}")
    d.ln(f"未徴収税額の処理：{rng.choice(['一括徴収', '普通徴収への切替', '新勤務先で継続'])}")
    if rng.random() < .5:
        d.t("新勤務先：" + rng.choice(COMPANIES) + "（法人番号 ").dis(corp_number(rng), "corporate-number").ln("）")
    d.ln("備考：口座振替の場合 金融機関コード 0005 支店 123 口座番号 " + digits(rng, 7, "0123456789"))
    return d


# ======================================================================================
# B. 源泉徴収票
@category("gensen", 13)
def gen_gensen(rng, i):
    d = Doc(rng, "gensen", f"源泉徴収票/{rng.choice(['R5', 'R6', '2024'])}_源泉徴収票_{i:03d}.txt",
            rng.choice(["utf-8", "utf-8-sig", "cp932", "euc-jp", "utf-16"]), crlf=rng.random() < .5)
    s, g, sk, gk = person(rng)
    copy = rng.choice(["税務署提出用", "市区町村提出用", "給与支払者控", "受給者交付用"])
    d.ln(f"令和{rng.choice(['5', '6'])}年分　給与所得の源泉徴収票（{copy}）")
    d.ln(f"支払を受ける者　住所又は居所　{address(rng)}")
    if copy == "受給者交付用":
        d.ln("　（個人番号）　※受給者交付用には記載しません")
    else:
        d.t(rng.choice(["　（個人番号）　", "(個人番号) ", "受給者番号 " + digits(rng, 4) + "  個人番号 ", "個人番号\t"]))
        d.num("strong", allow=("contiguous", "grouped", "fullwidth", "fwgrouped", "boxed", "fwboxed"))
        d.ln()
    d.ln(f"　（フリガナ）{sk} {gk}　氏名　{s}　{g}")
    pay = rng.randint(2_000_000, 12_000_000)
    d.ln(f"種別　給料・賞与　支払金額　{pay:,}円　給与所得控除後の金額　{int(pay * 0.72):,}円")
    d.ln(f"所得控除の額の合計額　{rng.randint(500_000, 2_500_000):,}　源泉徴収税額　{rng.randint(20_000, 900_000):,}")
    d.ln(f"社会保険料等の金額　{rng.randint(300_000, 1_500_000):,}　生命保険料の控除額　{rng.choice([0, 40000, 80000, 120000]):,}")
    if rng.random() < .7:
        ss, sg, _, _ = person(rng)
        d.t(f"（源泉・特別）控除対象配偶者　氏名　{s}　{sg}　")
        if copy != "受給者交付用":
            d.t(rng.choice(["個人番号　", "（個人番号）", "番号 "])).num("strong")
        d.ln()
    for k in range(rng.randint(0, 3)):
        _, kg, _, _ = person(rng)
        d.t(f"控除対象扶養親族{k + 1}　氏名　{s}　{kg}　区分　{rng.choice(['特定', '老人', '一般'])}　")
        if copy != "受給者交付用":
            d.t("個人番号　").num("strong")
        d.ln()
    if rng.random() < .4:
        _, kg, _, _ = person(rng)
        d.t(f"16歳未満の扶養親族1　{s} {kg}　")
        if copy != "受給者交付用":
            d.t("（個人番号）").num("strong")
        d.ln()
    d.ln(f"中途就・退職　{rng.choice(['', '就職 令和6年4月1日', '退職 令和6年9月30日'])}")
    d.t("支払者　個人番号又は法人番号　")
    if rng.random() < .25:
        d.num("strong", allow=("contiguous", "grouped"), tags=["payer-sole-proprietor"])
        d.ln("（右詰で記載）")
        d.ln(f"　住所　{address(rng)}　氏名又は名称　{rng.choice(['丸山 工務店 丸山 和夫', '佐藤税理士事務所 佐藤 誠'])}")
    else:
        d.dis(corp_number(rng), "corporate-number").ln("（右詰で記載）")
        d.ln(f"　住所　{address(rng)}　氏名又は名称　{rng.choice(COMPANIES)}")
    d.t("　電話　").dis(d_phone(rng), "phone").ln()
    d.t("整理欄 ").dis(digits(rng, 6), "misc-id").ln()
    return d


# ======================================================================================
# C. 扶養控除等申告書 transcriptions
@category("fuyo", 11)
def gen_fuyo(rng, i):
    d = Doc(rng, "fuyo", f"扶養控除申告書/{rng.choice(['令和7年分', 'R6', '2025'])}_扶養控除等申告書_{i:02d}.txt",
            rng.choice(["utf-8", "cp932", "utf-8-sig", "euc-jp"]))
    s, g, sk, gk = person(rng)
    d.ln(rng.choice(["令和７年分　給与所得者の扶養控除等（異動）申告書　入力内容確認",
                     "【扶養控除等申告書 転記】", "扶養控除等（異動）申告書 ／ 電子申請データ控え"]))
    d.ln(f"所轄税務署長　{rng.choice(['麹町', '品川', '北', '中京', '博多'])}税務署長")
    d.ln(f"給与の支払者の名称（氏名）　{rng.choice(COMPANIES)}")
    d.t("給与の支払者の法人番号　").dis(corp_number(rng), "corporate-number").ln()
    d.ln(f"給与の支払者の所在地（住所）　{address(rng)}")
    d.ln(f"あなたの氏名　{s} {g}（{sk} {gk}）")
    if rng.random() < .15:
        d.ln("あなたの個人番号　（従業員名簿に記載のため省略）")
    else:
        d.t(rng.choice(["あなたの個人番号　", "あなたの個人番号：", "本人 マイナンバー ", "あなたの個人番号\t"]))
        d.num("strong", allow=("contiguous", "grouped", "fullwidth", "fwgrouped", "boxed", "fwboxed"))
        d.ln()
    d.ln(f"あなたの生年月日　{birth(rng)}　世帯主の氏名　{s} {g}　あなたとの続柄　本人")
    d.ln(f"あなたの住所又は居所　〒{digits(rng, 3)}-{digits(rng, 4, '0123456789')}　{address(rng)}")
    d.ln("配偶者の有無　有")
    _, sg, _, sgk = person(rng)
    d.t(f"Ａ　源泉控除対象配偶者　氏名　{s} {sg}　")
    d.t(rng.choice(["個人番号　", "個人番号 ", "（個人番号）"])).num("strong")
    d.ln(f"　生年月日　{birth(rng)}　令和７年中の所得の見積額　{yen(rng, 0, 950000)}円")
    for k in range(rng.randint(1, 4)):
        _, kg, _, _ = person(rng)
        rel = rng.choice(["子", "長男", "長女", "二男", "父", "母"])
        d.t(f"Ｂ　控除対象扶養親族({k + 1})　氏名　{s} {kg}　続柄　{rel}　")
        if rng.random() < .1:
            d.ln("個人番号　申告済（変更なし）")
            continue
        d.t(rng.choice(["個人番号　", "個人番号：", "マイナンバー "])).num("strong")
        d.ln(f"　生年月日　{birth(rng, '平成')}　{rng.choice(['同居', '別居（仕送り）', '同居・特定扶養'])}")
    if rng.random() < .5:
        d.ln("Ｃ　障害者、寡婦、ひとり親又は勤労学生　該当なし")
    d.ln("住民税に関する事項")
    _, kg, _, _ = person(rng)
    d.t(f"　16歳未満の扶養親族　{s} {kg}　")
    d.t("個人番号　").num("strong")
    d.ln(f"　生年月日　令和{rng.randint(1, 6)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
    d.t("受付日 2025/01/" + f"{rng.randint(6, 31):02d}  受付番号 ").dis(ts12(rng), "receipt-no").ln()
    return d


# ======================================================================================
# D. 給与システム CSV exports
PAYROLL_HEADERS = ["個人番号", "マイナンバー", "個人番号（12桁）", "ﾏｲﾅﾝﾊﾞｰ", "MyNumber", "kojin_bango", "個人番号_本人"]


@category("payroll_csv", 16)
def gen_payroll(rng, i):
    enc = rng.choice(["cp932", "cp932", "cp932", "utf-8-sig", "utf-16"])
    tsv = enc == "utf-16" or rng.random() < .15
    ext = "txt" if enc == "utf-16" else ("tsv" if tsv else "csv")
    d = Doc(rng, "payroll_csv", f"給与システム/{rng.choice(['社員マスタ', 'emp_master', '給与データ', 'KYUYO_EXPORT'])}_{i:02d}.{ext}",
            enc, crlf=True)
    delim = "\t" if tsv else ","
    quote = (not tsv) and rng.random() < .6
    Q = (lambda x: '"' + x.replace('"', '""') + '"') if quote else (lambda x: x)
    has_mn = i % 5 != 4
    mncol = rng.choice(PAYROLL_HEADERS)
    hdr = ["社員番号", "氏名", "フリガナ", "生年月日", "入社日"]
    if has_mn:
        hdr.append(mncol)
    hdr += ["基礎年金番号", "雇用保険被保険者番号", "銀行コード", "支店コード", "口座番号", "基本給", "通勤手当", "電話番号", "従業員ID"]
    d.ln(delim.join(Q(h) for h in hdr))
    style = rng.choice(["plain", "plain", "excel-eq", "apos", "hyphen"])
    for r in range(rng.randint(5, 20)):
        s, g, sk, gk = person(rng)
        d.t(delim.join(Q(x) for x in [f"{rng.randint(1, 9999):05d}", f"{s} {g}", f"{sk} {gk}", birth(rng, '西暦'),
                                        f"20{rng.randint(0, 24):02d}/04/01"]) + delim)
        if has_mn:
            if rng.random() < .08:
                d.t(Q(""))
            else:
                pre, post = ("", "")
                if style == "excel-eq" and not tsv:
                    pre, post = ('"=""', '"""') if quote else ('="', '"')
                elif quote:
                    pre, post = '"', '"'
                if style == "apos":
                    pre += "'"
                d.t(pre)
                d.num("strong", form="grouped:hyphen" if style == "hyphen" else "contiguous")
                d.t(post)
            d.t(delim)
        d.t(Q(f"{digits(rng, 4)}-{digits(rng, 6, '0123456789')}") + delim)
        d.t(Q(f"{digits(rng, 4)}-{digits(rng, 6, '0123456789')}-{rng.randint(0, 9)}") + delim)
        d.t(delim.join(Q(x) for x in [rng.choice(["0001", "0005", "0009", "0010", "9900"]), digits(rng, 3, "0123456789"),
                                        digits(rng, 7, "0123456789"), str(rng.randint(18, 60) * 10000),
                                        str(rng.randint(0, 300) * 100)]) + delim)
        if quote:
            d.t('"')
        d.dis(d_phone(rng), "phone")
        d.t(('"' if quote else "") + delim)
        if quote:
            d.t('"')
        d.dis(f"{rng.randint(2000, 2024)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 9999):04d}" if rng.random() < .5 else d_digits12(rng), "employee-id")
        d.ln('"' if quote else "")
    return d


# ======================================================================================
# E. help-desk tickets and e-mails (some ISO-2022-JP, quoted replies)
def mail_header(d, rng, frm, to, subj, date=None):
    d.ln(f"From: {frm}")
    d.ln(f"To: {to}")
    d.ln(f"Subject: {subj}")
    d.ln(f"Date: {date or 'Mon, ' + str(rng.randint(1, 28)) + ' Nov 2024 ' + str(rng.randint(9, 18)) + ':' + str(rng.randint(10, 59)) + ':00 +0900'}")
    d.ln()


@category("mail", 20)
def gen_mail(rng, i):
    enc = rng.choice(["iso-2022-jp", "iso-2022-jp", "utf-8", "cp932"])
    d = Doc(rng, "mail", f"メール/{rng.choice(['年末調整', 'helpdesk', 'Re_マイナンバー', 'inquiry'])}_{i:03d}.{rng.choice(['eml', 'txt'])}", enc,
            crlf=rng.random() < .5)
    s, g, _, _ = person(rng)
    hs, hg, _, _ = person(rng)
    co = rng.choice(COMPANIES)
    v = i % 5
    if v == 0:   # employee sends family numbers after forgetting; strong
        mail_header(d, rng, f"{s} {g} <{'staff' + str(rng.randint(10, 99))}@example.co.jp>", "jinji@example.co.jp",
                    rng.choice(["扶養控除申告書の記入漏れについて", "【年末調整】マイナンバー記載漏れ", "Re: 年末調整書類の件"]))
        d.ln(f"人事部 {hs}様")
        d.ln()
        d.ln(rng.choice(["お疲れ様です。営業部の", "いつもお世話になっております。製造2課の", "おつかれさまです、"]) + f"{s}です。")
        d.ln(rng.choice(["扶養控除申告書に家族のマイナンバーを書き忘れておりました。", "ご指摘いただいた個人番号の記入漏れの件です。",
                         "提出した申告書に子どものマイナンバーが抜けていたので送ります。"]))
        d.ln("以下のとおりです。")
        d.ln()
        for k in range(rng.randint(1, 3)):
            _, kg, _, _ = person(rng)
            rel = rng.choice(["妻", "長男", "長女", "次男", "母"])
            d.t(rng.choice([f"{rel}　{s} {kg}　", f"・{rel}（{kg}）：", f"{rel} {kg} 個人番号 "]))
            wrap = rng.random() < .2 and enc != "cp932"
            d.num("strong", form="wrapped:space" if wrap else None, tags=["wrapped"] if wrap else [])
            d.ln()
        d.ln()
        d.ln(rng.choice(["お手数ですがよろしくお願いいたします。", "よろしくお願いします。", "以上、よろしくお願い致します。"]))
        d.ln(f"{s}")
        d.t("内線 " + digits(rng, 4) + " / 携帯 ").dis(d_phone(rng), "phone").ln()
        return d
    if v == 1:   # top-posted reply, number only implied; weak
        mail_header(d, rng, f"{s} {g} <{s.lower() if s.isascii() else 'user'}@example.ne.jp>", f"{hs}@example.co.jp",
                    "Re: 【ご依頼】年末調整に伴う書類のご提出について")
        d.ln(f"{hs}さん")
        d.ln(rng.choice(["遅くなりすみません。", "ご連絡ありがとうございます。", "お待たせしました！"]))
        d.t(rng.choice(["妻の分は ", "こちらになります。\n", "はい、こちらです "]))
        d.num("weak", allow=("contiguous", "grouped"))
        d.ln()
        d.ln(rng.choice(["でお願いします。", "です。", "よろしくお願いします。"]))
        d.ln()
        d.ln(f"{rng.randint(2024, 2024)}年11月{rng.randint(1, 28)}日(月) {rng.randint(9, 18)}:{rng.randint(10, 59)} {hs} <{hs}@example.co.jp>:")
        d.ln(f"> {s}様")
        d.ln(">")
        d.ln("> 年末調整の書類に記載が必要なため、配偶者の方のマイナンバー（個人番号）を")
        d.ln("> 本メールへの返信でお知らせいただけますでしょうか。")
        d.ln("> ※ご本人分は入社時にご提出いただいておりますので不要です。")
        d.ln(">")
        d.ln(f"> {co} 総務部 {hs}")
        d.t("> TEL ").dis(d_phone(rng), "phone").ln()
        return d
    if v == 2:   # helpdesk ticket with quoted strong number and a ticket number
        d.t("問い合わせ番号：").dis(d_digits12(rng), "ticket-no").ln()
        d.ln(f"件名：{rng.choice(['年末調整システムで個人番号が登録できない', 'マイナンバー入力時にエラー', '扶養親族の番号がエラーになる'])}")
        d.ln(f"起票者：{s} {g}（{co}）　優先度：{rng.choice(['中', '高', '低'])}")
        d.t("受付日時：").dis(ts12(rng), "timestamp12").ln()
        d.ln("---- 内容 ----")
        d.ln("年末調整の申告画面で、長女の個人番号を入力すると「番号が正しくありません」と表示されます。")
        d.t("入力した番号は ").num("strong", tags=["helpdesk"]).ln(" です（カードを見て入力しています）。")
        d.ln("---- 回答 ----")
        d.ln(f"{s}様")
        d.ln("お問い合わせありがとうございます。サポートセンターの" + hs + "です。")
        d.ln("いただいた内容を確認いたしました。")
        d.t("> 入力した番号は ").num("strong", tags=["quoted-reply"]).ln(" です")
        d.ln("番号中にスペースが含まれていると、旧バージョンでエラーになる事象を確認しております。")
        d.t("バージョン ").dis(version(rng), "version").ln(" 以降で修正済みですので、アップデートをお願いいたします。")
        d.ln("※セキュリティの観点から、今後はマイナンバーをメールやチケットに記載しないようお願いいたします。")
        return d
    if v == 3:   # distractor-heavy customer mail, no numbers
        mail_header(d, rng, f"{s} {g} <order@example.shop>", "support@example.co.jp", "ご注文内容の確認（注文番号のお問い合わせ）")
        d.t("注文番号：").dis(d_digits12(rng), "order-no").ln()
        d.t("お問い合わせ番号：").dis(tracking(rng), "tracking-no").ln(rng.choice(["（ヤマト運輸）", "（佐川急便）", "（ゆうパック）"]))
        d.t("商品コード（JAN）：").dis(ean13(rng), "jan13").ln()
        d.t("お支払い金額：").dis(amount12(rng) if rng.random() < .2 else yen(rng, 1000, 99999), "amount").ln("円")
        d.t("登録番号：").dis("T" + corp_number(rng), "invoice-no").ln()
        d.t("お電話：").dis(d_phone(rng), "phone").ln()
        d.t("カード：").dis(card(rng, rng.choice([" ", "-"])), "credit-card").ln()
        d.ln("ご不明な点がございましたら、本メールにご返信ください。")
        return d
    # v == 4: forwarded mail with quoted strong numbers, nested '>' prefixes
    mail_header(d, rng, f"{hs}@example.co.jp", "kyuyo-outsource@example.jp", "Fw: 中途入社者の個人番号について")
    d.ln("委託先ご担当者様")
    d.ln("下記、中途入社者の情報を転送いたします。ご確認ください。")
    d.ln()
    d.ln("-----Original Message-----")
    d.ln(f"> From: {s} {g}")
    d.ln(f"> 入社手続きの書類、{rng.choice(['提出します', '送付いたします'])}。")
    d.t(rng.choice(["> マイナンバー：", "> 個人番号　", ">> 私の個人番号は "])).num("strong", tags=["quoted-reply"]).ln()
    d.t("> 基礎年金番号：").dis(f"{digits(rng, 4)}-{digits(rng, 6, '0123456789')}", "kiso-nenkin").ln()
    d.t("> 雇用保険被保険者番号：").dis(f"{digits(rng, 4)}-{digits(rng, 6, '0123456789')}-{rng.randint(0, 9)}", "koyo-hoken").ln()
    d.t("> 連絡先：").dis(d_phone(rng), "phone").ln()
    return d


# ======================================================================================
# F. chat exports (Teams / Slack / LINE WORKS), TSV and plain
@category("chat", 16)
def gen_chat(rng, i):
    v = i % 3
    enc = rng.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16"])
    a = "".join(person(rng)[:2])
    b = "".join(person(rng)[:2])
    c = "".join(person(rng)[:2])
    if v == 0:
        d = Doc(rng, "chat", f"チャット/slack_export_{rng.choice(['soumu', 'kyuyo', 'general', 'jinji-help'])}_{i:02d}.tsv", enc)
        d.ln("ts\tuser\ttext")

        def msg(u, txt=None):
            d.dis(f"{epoch(rng)}.{digits(rng, 6, '0123456789')}", "slack-ts")
            d.t(f"\t{u}\t")
            if txt is not None:
                d.ln(txt)
    else:
        d = Doc(rng, "chat", f"チャット/{'teams' if v == 1 else 'lineworks'}_トーク履歴_{i:02d}.txt", enc)
        if v == 1:
            d.ln(f"会議チャット: 年末調整 説明会（Microsoft Teams）")
            d.t("会議 ID: ").dis(vd(rng, lambda: " ".join(digits(rng, 3, "0123456789") for _ in range(4))), "teams-meeting-id").ln()
            d.ln(f"パスコード: {rng.choice(['aB3xYz', 'Qw7PLm', 'k9TzuR'])}")
        else:
            d.ln(f"[LINE WORKS] トーク履歴　総務グループ　保存日時：2024/11/{rng.randint(10, 28)} {rng.randint(9, 18)}:{rng.randint(10, 59)}")
        t0 = [rng.randint(9, 17), rng.randint(0, 59)]

        def msg(u, txt=None):
            t0[1] += rng.randint(0, 7)
            if t0[1] > 59:
                t0[0] += 1
                t0[1] -= 60
            if v == 1:
                d.t(f"[2024/11/{10 + i % 18} {t0[0]}:{t0[1]:02d}] {u}: ")
            else:
                d.t(f"2024/11/{10 + i % 18}({'日月火水木金土'[(10 + i % 18 + 4) % 7]}) {t0[0]:02d}:{t0[1]:02d}\t{u}\t")
            if txt is not None:
                d.ln(txt)
    msg(a, rng.choice(["おつかれさまです！年末調整の件で確認させてください", "お疲れ様です", "すみません、ひとつ質問です🙏"]))
    msg(b, "はーい")
    # weak: asked for the My Number, the reply is just the digits
    msg(a, rng.choice([f"{c}さんの扶養に入ってる娘さんのマイナンバー、まだ頂けてないんですが…",
                       "奥さまのマイナンバーだけ申告書に書いてなかったので教えてもらえますか？",
                       f"{c}さん、お子さんの個人番号の控えってありますか？"]))
    msg(b, rng.choice(["ちょっと待ってください", "確認します！", "カード見てきます"]))
    msg(b)
    d.t(rng.choice(["", "これです ", "はい→", "たぶんこれ "]))
    d.num("weak", allow=("contiguous", "grouped", "fullwidth"))
    d.ln()
    msg(a, rng.choice(["ありがとうございます！", "受け取りました、チャットからは消しておいてくださいね", "👍"]))
    # strong
    if rng.random() < .7:
        msg(c)
        d.t(rng.choice([f"{a}さん、{c}の分もお願いします。自分のマイナンバー ", "私の個人番号は", "ついでに父の個人番号："]))
        d.num("strong", allow=("contiguous", "grouped", "fullwidth", "fwgrouped"))
        d.ln(rng.choice(["です", "", " でした", "です（カード確認済）"]))
    # distractors
    msg(a)
    d.t(rng.choice(["ちなみに備品の発注、注文番号 ", "Amazonの注文番号 ", "見積の受付番号は "]))
    d.dis(d_digits12(rng) if rng.random() < .7 else f"{digits(rng, 3)}-{digits(rng, 7, '0123456789')}-{digits(rng, 7, '0123456789')}", "order-no")
    d.ln(" です")
    msg(b)
    d.t("配送の追跡番号 ").dis(tracking(rng), "tracking-no").ln(rng.choice(["", " で届くみたいです", "（佐川）"]))
    msg(c)
    d.t(rng.choice(["折り返しはこちらに → ", "携帯: ", "外出中なので "])).dis(d_phone(rng), "phone").ln(rng.choice(["", " まで", " にお願いします"]))
    if rng.random() < .5:
        msg(a)
        d.t("午後の打合せ Zoom ミーティングID: ").dis(f"{digits(rng, 3)} {digits(rng, 4, '0123456789')} {digits(rng, 4, '0123456789')}", "zoom-id").ln()
    if rng.random() < .5:
        msg(b)
        d.t("例の免許証番号、第").dis(license_no(rng), "drivers-license").ln("号で合ってました")
    msg(a, rng.choice(["了解です〜", "承知しました", "ありがとうございます🙇"]))
    return d


# ======================================================================================
# G. kintone / Salesforce-like JSON exports
class N:   # marker: a My Number value
    def __init__(self, strength="strong", form="contiguous", tags=()):
        self.strength, self.form, self.tags = strength, form, tags


class D:   # marker: a distractor value
    def __init__(self, text, kind):
        self.text, self.kind = text, kind


def jdump(d, obj, ascii_, indent, lvl=0):
    pad = "\n" + " " * (indent * (lvl + 1)) if indent else ""
    end = "\n" + " " * (indent * lvl) if indent else ""
    sepc = ": " if indent else ":"
    if isinstance(obj, dict):
        d.t("{")
        for k, (key, val) in enumerate(obj.items()):
            d.t(("," if k else "") + pad + json.dumps(key, ensure_ascii=ascii_) + sepc)
            jdump(d, val, ascii_, indent, lvl + 1)
        d.t(end + "}")
    elif isinstance(obj, list):
        d.t("[")
        for k, val in enumerate(obj):
            d.t(("," if k else "") + pad)
            jdump(d, val, ascii_, indent, lvl + 1)
        d.t(end + "]")
    elif isinstance(obj, N):
        d.t('"')
        d.num(obj.strength, form=obj.form, tags=list(obj.tags) + (["escaped-label"] if ascii_ else []))
        d.t('"')
    elif isinstance(obj, D):
        d.t('"')
        d.dis(obj.text, obj.kind)
        d.t('"')
    else:
        d.t(json.dumps(obj, ensure_ascii=ascii_))


@category("json_export", 12)
def gen_json(rng, i):
    ascii_ = i % 3 == 0
    d = Doc(rng, "json_export", f"エクスポート/{'kintone' if i % 2 else 'salesforce'}_export_{i:02d}.json",
            rng.choice(["utf-8", "utf-8", "utf-8-sig"]))
    indent = rng.choice([0, 2, 4])
    form = rng.choice(["contiguous", "contiguous", "grouped:hyphen"])
    recs = []
    for r in range(rng.randint(2, 7)):
        s, g, sk, gk = person(rng)
        if i % 2:
            rec = {"$id": {"type": "__ID__", "value": str(rng.randint(1, 3000))},
                   "レコード番号": {"type": "RECORD_NUMBER", "value": f"EMP-{rng.randint(1, 999)}"},
                   "氏名": {"type": "SINGLE_LINE_TEXT", "value": f"{s} {g}"},
                   "フリガナ": {"type": "SINGLE_LINE_TEXT", "value": f"{sk} {gk}"},
                   rng.choice(["個人番号", "マイナンバー", "個人番号_本人"]): {"type": "SINGLE_LINE_TEXT", "value": N(form=form)},
                   "電話番号": {"type": "LINK", "value": D(d_phone(rng), "phone")},
                   "取引先コード": {"type": "SINGLE_LINE_TEXT", "value": D(d_digits12(rng), "customer-code")},
                   "更新日時": {"type": "UPDATED_TIME", "value": f"2024-11-{rng.randint(1, 28):02d}T0{rng.randint(0, 9)}:{rng.randint(10, 59)}:00Z"},
                   "$revision": {"type": "__REVISION__", "value": str(rng.randint(1, 30))}}
            if rng.random() < .4:
                rec["扶養親族"] = {"type": "SUBTABLE", "value": [
                    {"id": D(str(rng.randint(1000000, 9999999)), "kintone-row-id"),
                     "value": {"続柄": {"type": "DROP_DOWN", "value": "子"},
                               "扶養_個人番号": {"type": "SINGLE_LINE_TEXT", "value": N(form=form)}}}]}
        else:
            rec = {"attributes": {"type": "Employee__c", "url": f"/services/data/v58.0/sobjects/Employee__c/a0B5g{rng.randint(10 ** 9, 10 ** 10 - 1)}AB"},
                   "Id": f"a0B5g{rng.randint(10 ** 9, 10 ** 10 - 1)}AB",
                   "Name": f"{s} {g}",
                   rng.choice(["MyNumber__c", "Kojin_Bango__c", "My_Number__c"]): N(form=form),
                   "Phone": D(d_phone(rng), "phone"),
                   "EmployeeNumber__c": str(rng.randint(10000, 99999)),
                   "BankAccount__c": D(digits(rng, 7, "0123456789"), "bank-account"),
                   "OrderNo__c": D(d_digits12(rng), "order-no"),
                   "CreatedDate": f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T0{rng.randint(0, 9)}:00:00.000+0000",
                   "LastModifiedEpoch__c": D(epoch(rng, True), "epoch-millis")}
        recs.append(rec)
    obj = {"records": recs, "totalCount": str(len(recs))} if i % 2 else {"totalSize": len(recs), "done": True, "records": recs}
    jdump(d, obj, ascii_, indent)
    d.ln()
    return d


# ======================================================================================
# H. server / application logs
@category("logs", 14)
def gen_logs(rng, i):
    v = i % 3
    d = Doc(rng, "logs", f"ログ/{['app', 'access', 'batch'][v]}-2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}_{i:02d}.log",
            rng.choice(["utf-8", "utf-8", "cp932", "euc-jp"]))
    day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def ts():
        return f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}+09:00"
    for r in range(rng.randint(18, 40)):
        k = rng.randrange(14)
        if v == 1:
            ipaddr = ip12(rng)
            d.dis(ipaddr, "ip-address")
            path_id = d_digits12(rng)
            d.t(f' - - [{rng.randint(1, 28):02d}/Nov/2024:{rng.randint(0, 23):02d}:{rng.randint(10, 59)}:{rng.randint(10, 59)} +0900] "GET ')
            if k == 0:
                d.t("/api/v1/employees/search?my_number=")
                d.num("strong", form="contiguous", tags=["url-query"])
                d.t(" HTTP/1.1\" 200 ")
            else:
                d.t(rng.choice(["/api/v1/orders/", "/shop/item/", "/mypage/receipt/", "/tickets/"]))
                d.dis(path_id, "url-id")
                d.t(f" HTTP/1.1\" {rng.choice([200, 200, 304, 404])} ")
            d.ln(f'{rng.randint(200, 90000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"')
            continue
        if v == 2:
            d.t(f"[{day} {rng.randint(0, 23):02d}:{rng.randint(10, 59)}:{rng.randint(10, 59)}] ")
            if k == 0:
                d.t(f"WARN  NenmatsuImport row={rng.randint(2, 900)} ")
                d.t(rng.choice(["個人番号の形式が不正です: ", "kojin_no invalid format: ", "マイナンバー桁数エラー value="]))
                d.num("strong", allow=("grouped", "fullwidth", "fwgrouped"))
                d.ln()
            elif k == 1:
                d.t("INFO  job_id=").dis(ts12(rng), "timestamp12").t(" processed=").dis(str(rng.randint(1, 99999)), "count").ln(" status=OK")
            elif k == 2:
                d.t("INFO  出力ファイル: /data/out/ZENGIN_").dis(ts12(rng), "timestamp12").ln(".txt")
            else:
                d.t(f"DEBUG 社員 {rng.randint(10000, 99999)} 支給額 ").dis(yen(rng, 100000, 900000, comma=False), "amount").t(" 口座 ").dis(digits(rng, 7, "0123456789"), "bank-account").ln()
            continue
        d.t(ts() + f" {rng.choice(['INFO ', 'DEBUG', 'WARN ', 'ERROR'])} [{rng.choice(['http-nio-8080-exec-', 'worker-', 'main'])}{rng.randint(1, 20)}] ")
        if k == 0:
            d.t(rng.choice(["c.e.nenmatsu.MyNumberService - register my_number=", "EmployeeController - update personal_no: ",
                            "DEBUG payload mynumber=", "jp.example.kyuyo.Validator - validate(kojinBango="]))
            d.num("strong", allow=("contiguous", "contiguous", "grouped"))
            d.ln(rng.choice([" result=OK", ") -> true", " userId=" + str(rng.randint(100, 9999)), ""]))
        elif k == 1:
            d.t('{"level":"warn","msg":"validation failed","field":"' + rng.choice(["kojin_bango", "myNumber", "personal_number"]) + '","value":"')
            d.num("strong", form="contiguous", tags=["json-log"])
            d.ln('"}')
        elif k in (2, 3):
            d.t("OrderService - order created orderNo=").dis(d_digits12(rng), "order-no").t(" amount=").dis(yen(rng, 100, 99999, False), "amount").ln()
        elif k == 4:
            d.t("AuthFilter - login ok user=").dis(f"u{rng.randint(1000, 9999)}", "user").t(" ip=").dis(ip12(rng), "ip-address").t(" session=").dis(hexhash(rng, 32), "hash").ln()
        elif k == 5:
            d.t("Tracer - trace_id=").dis(uuid_digits(rng), "uuid").t(" span=").dis(hexhash(rng, 16), "hash").ln()
        elif k == 6:
            d.t("Scheduler - next run at epoch=").dis(epoch(rng), "epoch-seconds").t(" (").dis(epoch(rng, True), "epoch-millis").ln(" ms)")
        elif k == 7:
            d.t("Startup - kyuyo-app version ").dis(version(rng), "version").t(" build ").dis(ts12(rng), "timestamp12").ln()
        elif k == 8:
            d.t("SmsSender - send to tel=").dis(d_phone(rng), "phone").ln(" result=200")
        elif k == 9:
            d.t("PaymentGateway - authorize card=").dis(card(rng, "-"), "credit-card").ln(" result=DECLINED")
        elif k == 10:
            d.t("LicenseCheck - dl_no=").dis(license_no(rng), "drivers-license").ln(" verified=true")
        elif k == 11:
            d.t("Invoice - issuer registration=").dis("T" + corp_number(rng), "invoice-no").ln()
        else:
            d.t(f"HikariPool-1 - connection stats (total={rng.randint(5, 20)}, active={rng.randint(0, 5)}, idle={rng.randint(0, 10)}) elapsed=").dis(str(rng.randint(1, 99999)), "count").ln("ms")
    return d


# ======================================================================================
# I. Markdown meeting notes
@category("minutes_md", 10)
def gen_md(rng, i):
    d = Doc(rng, "minutes_md", f"議事録/{2024}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}_{rng.choice(['給与システム移行定例', '年末調整キックオフ', 'マイナンバー管理見直しWG', '基幹更改_結合テスト'])}_{i:02d}.md",
            rng.choice(["utf-8", "utf-8", "utf-8-sig"]))
    v = i % 2
    d.ln(f"# {rng.choice(['第3回 給与システム移行 定例会', '年末調整 キックオフ', '結合テスト 進捗確認'])} 議事録")
    d.ln()
    d.ln(f"- 日時: 2024/{rng.randint(1, 12)}/{rng.randint(1, 28)} 14:00-15:00")
    d.ln(f"- 参加者: {'、'.join(person(rng)[0] for _ in range(4))}（{rng.choice(VENDORS)}）")
    d.t("- Teams会議ID: ").dis(vd(rng, lambda: " ".join(digits(rng, 3, "0123456789") for _ in range(4))), "teams-meeting-id").ln()
    d.ln()
    d.ln("## 議題")
    d.ln("1. 移行データの確認状況")
    d.ln("2. テストデータの取り扱い")
    d.ln()
    if v == 0:
        d.ln("## テストデータ（テスト用・架空）")
        d.ln()
        d.ln(rng.choice(["| No | 氏名 | 個人番号 | 区分 | 備考 |", "| No | 氏名 | マイナンバー | 区分 | 備考 |"]))
        d.ln("|---:|---|---|---|---|")
        for r in range(rng.randint(3, 8)):
            s, g, _, _ = person(rng)
            d.t(f"| {r + 1} | テスト{g} | ")
            d.num("strong", allow=("contiguous", "grouped"), tags=["test-data"])
            d.ln(f" | {rng.choice(['本人', '配偶者', '扶養'])} | {rng.choice(['テスト用', '', '正常系', '境界値'])} |")
        d.ln()
        d.ln("- 異常系テストでは、チェックデジット不一致の番号を使用する（例：下記）")
        d.t("  - `").dis(d12(rng, False), "labelled-invalid-check", valid=False).ln("` → エラー表示されること")
    else:
        d.ln("## 発注・検収状況")
        d.ln()
        d.ln("| 発注番号 | 品目 | JAN | 金額(円) | 納期 |")
        d.ln("|---|---|---|---:|---|")
        for r in range(rng.randint(3, 7)):
            d.t("| ").dis(d_digits12(rng), "order-no").t(" | ")
            d.t(rng.choice(["トナー", "ノートPC", "タブレット", "帳票用紙", "ICカードリーダー"]) + " | ")
            d.dis(ean13(rng), "jan13").t(" | ")
            d.dis(amount12(rng) if r == 0 else yen(rng, 1000, 999999), "amount").ln(f" | 2024/12/{rng.randint(1, 28)} |")
    d.ln()
    d.ln("## 決定事項・宿題")
    d.ln(f"- [ ] {person(rng)[0]}: 本番データの個人番号はマスキング（`********1234` 形式）して渡すこと")
    d.ln(f"- [x] {person(rng)[0]}: 移行ツール v{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 20)} を検証環境に適用済み")
    if rng.random() < .5:
        d.t(f"- 本番で1件、{rng.choice(['山田様', '佐藤様'])}の個人番号（").num("strong", allow=("grouped",), tags=["incident"]).ln("）がログに平文出力されていた件 → 要報告")
    d.t("- 次回: 2024/12/").dis(str(rng.randint(10, 28)), "date").ln(" 同時刻")
    return d


# ======================================================================================
# J. HTML snippets saved as .txt
@category("html_txt", 8)
def gen_html(rng, i):
    d = Doc(rng, "html_txt", f"画面保存/{rng.choice(['confirm', '申請内容確認', 'mypage', 'employee_detail'])}_{i:02d}.txt",
            rng.choice(["utf-8", "cp932", "euc-jp"]))
    s, g, _, _ = person(rng)
    d.ln('<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>申請内容の確認</title></head><body>')
    d.ln('<h2>入力内容をご確認ください</h2>')
    d.ln('<table class="confirm">')
    d.ln(f"<tr><th>氏名</th><td>{s}　{g}</td></tr>")
    d.t(f"<tr><th>{rng.choice(['個人番号', 'マイナンバー', '個人番号（マイナンバー）'])}</th><td>")
    d.num("strong", allow=("contiguous", "grouped"))
    d.ln("</td></tr>")
    d.t('<tr><th>電話番号</th><td><a href="tel:').dis(d_phone(rng), "phone").ln('">お電話</a></td></tr>')
    d.ln("</table>")
    d.t('<form method="post"><input type="hidden" name="my_number" value="')
    d.num("strong", form="contiguous", tags=["html-attr"])
    d.ln('">')
    d.t('<input type="hidden" name="order_id" value="').dis(d_digits12(rng), "order-no").ln('">')
    d.t('<input type="hidden" name="_ts" value="').dis(epoch(rng, True), "epoch-millis").ln('">')
    d.ln('<button type="submit">送信</button></form>')
    d.t('<p>おすすめ商品：<a href="https://shop.example.jp/item/').dis(ean13(rng), "jan13").t('">').dis(d_digits12(rng), "url-id").ln("</a></p>")
    d.t('<img src="/img/banner.png?v=').dis(ts12(rng), "timestamp12").ln('" alt="">')
    d.ln("</body></html>")
    return d


# ======================================================================================
# K. 市区町村 窓口 業務メモ
@category("madoguchi_memo", 12)
def gen_madoguchi(rng, i):
    d = Doc(rng, "madoguchi_memo", f"窓口メモ/{rng.choice(['市民課', '税務課', '保険年金課', '福祉課'])}_引継ぎ_{i:02d}.txt",
            rng.choice(["cp932", "cp932", "utf-8", "euc-jp"]), crlf=rng.random() < .5)
    d.ln(f"■{rng.choice(['窓口対応メモ', '業務引継ぎ', '電話対応記録'])}　R{rng.choice(['6', '７'])}.{rng.randint(1, 12)}.{rng.randint(1, 28)}　担当：{person(rng)[0]}")
    for k in range(rng.randint(3, 6)):
        s, g, _, _ = person(rng)
        t = rng.randrange(7)
        d.t(f"・{rng.randint(8, 16)}:{rng.randint(10, 59)}　{s} {g}様　")
        if t == 0:
            d.t("個人番号カード交付。本人確認は運転免許証（第").dis(license_no(rng), "drivers-license").t("号）。")
            d.ln(rng.choice(["暗証番号設定済。", "通知カード返納あり。", "電子証明書発行済み"]))
        elif t == 1:
            d.t(rng.choice(["転入届受付。", "住所変更（転居）。", "世帯分離。"]) + "住民票コード ").dis(digits(rng, 11, "0123456789"), "juminhyo-code")
            d.t(rng.choice(["、", "／"]) + rng.choice(["個人番号 ", "個人番合 ", "ﾏｲﾅﾝﾊﾞｰ ", "マイナンバ－"]))
            d.num("strong", allow=("contiguous", "grouped", "fullwidth", "fwgrouped"))
            d.ln(" にて住基照会→異動履歴なし")
        elif t == 2:
            d.t("所得証明の申請。番号（カード裏面）")
            d.num("weak", allow=("contiguous", "grouped"))
            d.ln(" で照合OK、手数料300円")
        elif t == 3:
            d.t("国保加入手続。被保険者証記号 ").dis(digits(rng, 4), "insurance-symbol").t(" 番号 ").dis(digits(rng, 8, "0123456789"), "hihokensha-no")
            d.t("。基礎年金番号 ").dis(f"{digits(rng, 4)}-{digits(rng, 6, '0123456789')}", "kiso-nenkin").ln(" も確認")
        elif t == 4:
            d.t("電話あり（").dis(d_phone(rng), "phone").ln("）。マイナンバーカードの更新について。来庁予約案内済")
        elif t == 5:
            d.t("児童手当 現況。口座 ").dis(f"{rng.choice(['ゆうちょ 記号', '普通'])} {digits(rng, 5)} {digits(rng, 8, '0123456789')}", "bank-account")
            d.t("、子の個人番号 ").num("strong").ln(" 確認済")
        else:
            d.t("旅券申請の相談。旅券番号 ").dis(f"{rng.choice(['TK', 'TR', 'MZ', 'TZ'])}{digits(rng, 7, '0123456789')}", "passport").ln("（旧）")
    d.ln("※個人番号は業務端末以外に記録しないこと。メモは当日中にシュレッダー。")
    return d


# ======================================================================================
# L. vendor 作業報告書
@category("vendor_report", 10)
def gen_vendor(rng, i):
    d = Doc(rng, "vendor_report", f"作業報告/{rng.choice(VENDORS)}_作業報告書_{i:02d}.txt",
            rng.choice(["utf-8", "cp932", "utf-8-sig"]), crlf=rng.random() < .6)
    d.ln("作　業　報　告　書")
    d.ln(f"宛先：{rng.choice(CITIES)} 情報政策課 御中" if rng.random() < .5 else f"宛先：{rng.choice(COMPANIES)} 情報システム部 御中")
    d.ln(f"作業者：{rng.choice(VENDORS)}　{person(rng)[0]}")
    d.t("案件番号：PRJ-2024-").dis(digits(rng, 4), "project-no").t("　チケット：#").dis(str(rng.randint(1000, 99999)), "ticket-no").ln()
    d.ln(f"作業日時：2024年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 {rng.randint(9, 20)}:00～{rng.randint(21, 23)}:30")
    d.t("作業対象：給与計算サーバ（").dis(ip12(rng), "ip-address").t("）／ DBサーバ（").dis(ip12(rng), "ip-address").ln("）")
    d.ln("【作業内容】")
    d.t("1. 給与システムを ").dis(version(rng), "version").t(" から ").dis(version(rng), "version").ln(" へバージョンアップ")
    d.t("2. パッチ適用（KB").dis(digits(rng, 7), "kb-no").ln("）、再起動")
    d.ln("3. 本番データのマスキング状況確認")
    d.ln("【確認結果・特記事項】")
    if i % 2 == 0:
        d.ln("・マスキング処理において、個人番号カラム（KOJIN_NO）の一部がマスキングされずに")
        d.ln("　検証環境へ移送されていることを確認しました。該当レコード例：")
        for k in range(rng.randint(1, 3)):
            d.t(f"　　EMP_ID={rng.randint(10000, 99999)}  KOJIN_NO=")
            d.num("strong", form="contiguous", tags=["incident"])
            d.ln(f"  UPD_DT={rng.randint(2019, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
        d.ln("・当該データは本日中に削除し、削除証跡を別途ご提出いたします。")
    else:
        d.ln("・個人番号カラムは全件マスキング済み（例：********" + digits(rng, 4, "0123456789") + "）であることを確認しました。")
        d.t("・バックアップ取得：/backup/kyuyo_").dis(ts12(rng), "timestamp12").t(".dmp（").dis(f"{rng.randint(10, 999):,}", "size").ln(" MB）")
        d.t("・ハッシュ値（SHA-1）：").dis(hexhash(rng), "hash").ln()
    d.t("・作業中の連絡先：").dis(d_phone(rng), "phone").ln()
    d.t("・次回作業予定：").dis(ts12(rng), "timestamp12").ln(" 開始（YYYYMMDDhhmm）")
    d.ln("以上")
    return d


# ======================================================================================
# M. test data files (テスト用 numbers still count)
@category("testdata", 8)
def gen_testdata(rng, i):
    enc = rng.choice(["utf-8", "cp932", "utf-16", "euc-jp"])
    v = i % 2
    d = Doc(rng, "testdata", f"テストデータ/{rng.choice(['test_employees', 'テスト用_マイナンバー', 'fixture_kojin', 'dummy_data'])}_{i:02d}.{'csv' if v == 0 else 'txt'}",
            enc, crlf=enc == "utf-16")
    if v == 0:
        d.ln("# テスト用ダミーデータ（実在の人物・番号ではありません）")
        d.ln(rng.choice(["id,name,my_number,expected", "No,氏名,個人番号,期待結果", "case,テスト用個人番号,結果"]))
        for r in range(rng.randint(5, 14)):
            ok = rng.random() < .7
            d.t(f"{r + 1},テスト{person(rng)[1]},")
            if ok:
                d.num("strong", allow=("contiguous", "grouped"), tags=["test-data"])
                d.ln(",OK")
            else:
                d.dis(d12(rng, False), "labelled-invalid-check", valid=False).ln(",NG(チェックデジット)")
    else:
        d.ln("【単体テスト仕様書 抜粋】個人番号チェック関数 validateMyNumber()")
        d.ln("No. 入力値                     期待値   備考")
        forms = ["contiguous", "grouped:hyphen", "grouped:space", "fullwidth", "grouped:ideo", "fwgrouped:uff0d"]
        for r, f in enumerate(forms):
            if not all(d.ok(c) for c in render("123456789012", f)):
                f = "contiguous"
            d.t(f"{r + 1:>2}  ")
            d.num("strong", form=f, tags=["test-data"])
            d.ln("   true     テスト用の正常値")
        d.t(f"{len(forms) + 1:>2}  ").dis(d12(rng, False), "labelled-invalid-check", valid=False).ln("   false    チェックデジット誤り")
        d.t(f"{len(forms) + 2:>2}  ").dis(digits(rng, 11, "0123456789"), "short-11").ln("    false    桁不足")
        d.t(f"{len(forms) + 3:>2}  ").dis(corp_number(rng), "corporate-number").ln("   false    13桁（法人番号）")
    return d


# ======================================================================================
# O. OCR / transcription of paper forms: digits one per box
@category("ocr_form", 8)
def gen_ocr(rng, i):
    d = Doc(rng, "ocr_form", f"OCR/scan_{rng.randint(1000, 9999)}_{i:02d}.txt", rng.choice(["utf-8", "cp932", "utf-16"]))
    s, g, sk, gk = person(rng)
    d.ln(rng.choice(["[OCR結果] 個人番号カードの写し 添付", "[OCR] 従業員 入社書類", "[自動読取結果] 扶養控除等申告書 1/2"]))
    d.ln(f"氏名 {s} {g}　フリガナ {sk} {gk}")
    d.t(rng.choice(["個 人 番 号 ", "個人番号 ", "マイナンバー　", "個人番号\n"]))
    d.num("strong", allow=("boxed", "fwboxed", "grouped"), tags=["ocr"])
    d.ln()
    d.ln(f"生年月日 {birth(rng)}  性別 {rng.choice(['男', '女'])}")
    d.t("電話番号 ").dis(rng.choice([" ".join(d_phone(rng)), d_phone(rng)]), "phone").ln()
    d.t("郵便番号 〒 ").dis(" ".join(digits(rng, 3) + digits(rng, 4, "0123456789")), "postal-code").ln()
    d.t("口座番号 ").dis(" ".join(digits(rng, 7, "0123456789")), "bank-account").ln()
    if rng.random() < .5:
        d.t("基礎年金番号 ").dis(" ".join(digits(rng, 10)), "kiso-nenkin").ln()
    if rng.random() < .6:
        d.t("運転免許証 番号 ").dis(" ".join(license_no(rng)), "drivers-license").ln()
    d.ln(f"読取信頼度 0.{rng.randint(70, 99)}")
    return d


# ======================================================================================
# N. distractor-only files (nothing here is a My Number)
@category("distractor_only", 45)
def gen_distractors(rng, i):
    v = i % 15
    enc = rng.choice(["utf-8", "utf-8", "cp932", "euc-jp", "utf-8-sig", "utf-16"])
    if v == 0:
        d = Doc(rng, "distractor_only", f"その他/EC受注データ_{i:02d}.csv", "cp932" if enc == "utf-16" else enc, crlf=True)
        d.ln('"注文番号","注文日時","商品コード","商品名","数量","金額","送り状番号","電話番号"')
        for r in range(rng.randint(6, 15)):
            d.t('"').dis(d_digits12(rng) if rng.random() < .6 else digits(rng, 13), "order-no").t('","')
            d.dis(f"{rng.randint(2023, 2024)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}" if rng.random() < .4 else ts12(rng), "timestamp12").t('","')
            d.dis(ean13(rng, rng.choice(["45", "49"])), "jan13").t(f'","{rng.choice(["ボールペン黒", "コピー用紙A4", "USBメモリ32GB", "付箋"])}","{rng.randint(1, 20)}","')
            d.dis(yen(rng, 100, 99999, False), "amount").t('","').dis(tracking(rng).replace("-", "") if rng.random() < .5 else tracking(rng), "tracking-no").t('","')
            d.dis(d_phone(rng), "phone").ln('"')
        return d
    if v == 1:
        d = Doc(rng, "distractor_only", f"その他/請求書_{i:02d}.txt", enc)
        d.ln("請　求　書")
        d.t("請求番号：").dis(d_digits12(rng), "invoice-slip-no").t("　発行日：令和6年").ln(f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
        d.ln(f"{rng.choice(COMPANIES)} 御中")
        d.t("登録番号：").dis("T" + corp_number(rng), "invoice-no").ln()
        d.t("法人番号：").dis(corp_number(rng), "corporate-number").ln()
        d.t("ご請求金額（税込）：¥").dis(yen(rng, 10000, 9999999), "amount").ln("-")
        d.t("振込先：みずほ銀行 本店営業部（001）普通 ").dis(digits(rng, 7, "0123456789"), "bank-account").ln()
        d.t("お問い合わせ：").dis(d_phone(rng), "phone").ln()
        d.t("顧客番号：").dis(d_digits12(rng, rng.choice(["", "-", " "])), "customer-code").ln()
        return d
    if v == 2:
        d = Doc(rng, "distractor_only", f"その他/取引先_法人番号一覧_{i:02d}.csv", enc, crlf=True)
        d.ln("法人番号,商号又は名称,所在地,適格請求書発行事業者登録番号,更新年月日")
        for r in range(rng.randint(6, 15)):
            cn = corp_number(rng)
            d.dis(cn, "corporate-number").t(f",{rng.choice(COMPANIES)},{address(rng)},").dis("T" + cn, "invoice-no").ln(f",2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
        return d
    if v == 3:
        d = Doc(rng, "distractor_only", f"その他/ZENGIN_総合振込_{i:02d}.txt", "cp932", crlf=True)
        d.ln("1210" + digits(rng, 10, "0") + "ｶ)ﾐﾄﾞﾘｾｲｷ".ljust(40) + f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}0005ﾐｽﾞﾎ          001ﾎﾝﾃﾝ          1" + digits(rng, 7, "0123456789") + " " * 17)
        for r in range(rng.randint(4, 10)):
            d.t("2").dis(digits(rng, 4, "0") + digits(rng, 3, "0123456789"), "bank-branch")
            d.t("ｷﾞﾝｺｳ".ljust(15) + "ｼﾃﾝ".ljust(15) + "    1")
            d.dis(digits(rng, 7, "0123456789"), "bank-account").t(f"{person(rng)[2]} {person(rng)[3]}".ljust(30))
            d.dis(f"{rng.randint(10000, 9999999):010d}", "amount").ln("0" + " " * 20 + "7" + " " * 7)
        d.ln("8" + f"{rng.randint(4, 10):06d}" + f"{rng.randint(1000000, 99999999):012d}" + " " * 101)
        d.ln("9" + " " * 119)
        return d
    if v == 4:
        d = Doc(rng, "distractor_only", f"その他/カード利用明細_{i:02d}.txt", enc)
        d.ln(f"ご利用明細（{rng.randint(2024, 2024)}年{rng.randint(1, 12)}月分）")
        d.t("カード番号：").dis(card(rng, rng.choice(["-", " "])), "credit-card").ln()
        d.t("お客様番号：").dis(d_digits12(rng), "customer-code").ln()
        for r in range(rng.randint(4, 10)):
            d.t(f"2024/{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}  {rng.choice(['ｱﾏｿﾞﾝ', 'セブン－イレブン', 'JR東日本 モバイルSuica', 'ETC利用'])}  ")
            d.dis(yen(rng, 100, 99999), "amount").t("円  承認番号 ").dis(digits(rng, 6, "0123456789"), "approval-no").ln()
        d.t("カード番号（全桁）：").dis(card(rng, ""), "credit-card").ln("  ※再発行前")
        return d
    if v == 5:
        d = Doc(rng, "distractor_only", f"その他/連絡先一覧_{i:02d}.txt", enc)
        d.ln("【緊急連絡網】")
        for r in range(rng.randint(6, 14)):
            s, g, _, _ = person(rng)
            d.t(f"{s} {g}\t").dis(d_phone(rng), "phone").t("\t").dis(d_phone(rng), "phone").ln()
        d.t("代表 ").dis("+81-3-" + digits(rng, 4, "0123456789") + "-" + digits(rng, 4, "0123456789"), "phone").ln()
        return d
    if v == 6:
        d = Doc(rng, "distractor_only", f"その他/sensor_{i:02d}.log", "utf-8")
        for r in range(rng.randint(15, 30)):
            d.dis(epoch(rng, True), "epoch-millis").t(f",dev=").dis(vd(rng, lambda: digits(rng, 12)), "device-serial")
            d.t(f",temp={rng.randint(150, 350) / 10},ts=").dis(ts12(rng), "timestamp12").t(",epoch=").dis(epoch(rng), "epoch-seconds").ln()
        return d
    if v == 7:
        d = Doc(rng, "distractor_only", f"その他/機器台帳_{i:02d}.md", enc)
        d.ln("| ホスト名 | IPアドレス | シリアル番号 | OS/バージョン | 保守契約番号 |")
        d.ln("|---|---|---|---|---|")
        for r in range(rng.randint(5, 12)):
            d.t(f"| srv-{rng.choice(['kyuyo', 'jinji', 'file', 'ad'])}{r:02d} | ").dis(ip12(rng), "ip-address").t(" | ")
            d.dis(vd(rng, lambda: rng.choice(["SN", "JP", "CN"]) + digits(rng, 12)), "serial").t(" | Windows Server 2022 ").dis(version(rng), "version")
            d.t(" | ").dis(d_digits12(rng, rng.choice(["-", ""])), "contract-no").ln(" |")
        return d
    if v == 8:
        d = Doc(rng, "distractor_only", f"その他/POS_商品マスタ_{i:02d}.tsv", enc, crlf=True)
        d.ln("JAN\tUPC\t商品名\t売価\t原価")
        for r in range(rng.randint(6, 14)):
            d.dis(ean13(rng, rng.choice(["45", "49"])), "jan13").t("\t").dis(upca(rng), "upc-a")
            d.ln(f"\t{rng.choice(['おにぎり鮭', '緑茶500ml', 'ボールペン', '乾電池単3'])}\t{rng.randint(100, 500)}\t{rng.randint(50, 300)}")
        return d
    if v == 9:
        d = Doc(rng, "distractor_only", f"その他/社会保険_資格取得届控_{i:02d}.txt", enc)
        s, g, _, _ = person(rng)
        d.ln("健康保険・厚生年金保険 被保険者資格取得届（控）")
        d.t("事業所整理記号 ").dis(f"{digits(rng, 2)}-{rng.choice(['ｱｲｳ', 'ﾆﾎ', 'カキク'])}", "office-symbol").ln()
        d.ln(f"被保険者氏名 {s} {g}")
        d.t("基礎年金番号 ").dis(f"{digits(rng, 4)}-{digits(rng, 6, '0123456789')}", "kiso-nenkin").ln(rng.choice(["", "（個人番号の記載に代えて）"]))
        d.t("被保険者整理番号 ").dis(str(rng.randint(1, 999)), "count").t("  健康保険 記号 ").dis(digits(rng, 8), "insurance-symbol").t(" 番号 ").dis(str(rng.randint(1, 300)), "hihokensha-no").ln()
        d.t("介護保険被保険者番号 ").dis(digits(rng, 10, "0"), "hihokensha-no").ln()
        d.t("雇用保険被保険者番号 ").dis(f"{digits(rng, 4)}-{digits(rng, 6, '0123456789')}-{rng.randint(0, 9)}", "koyo-hoken").ln()
        d.t("報酬月額 ").dis(yen(rng, 100000, 900000), "amount").ln("円")
        d.ln("※個人番号欄は空欄で提出（基礎年金番号を記載したため）")
        return d
    if v == 10:
        d = Doc(rng, "distractor_only", f"その他/本人確認記録_{i:02d}.txt", enc)
        d.ln("本人確認書類の記録（犯収法）")
        for r in range(rng.randint(2, 5)):
            s, g, _, _ = person(rng)
            d.t(f"{s} {g}　運転免許証番号 ").dis(license_no(rng) if rng.random() < .6 else " ".join([license_no(rng)[j:j + 4] for j in (0, 4, 8)]), "drivers-license")
            d.t("　有効期限 令和").dis(f"{rng.randint(7, 11)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日", "date").t("　旅券番号 ").dis(f"{rng.choice(['TK', 'TR', 'MU'])}{digits(rng, 7, '0123456789')}", "passport").ln()
        d.ln("※マイナンバーカードは番号の記録不可のため、本人確認書類として使用した場合も個人番号は記録していない。")
        return d
    if v == 11:
        d = Doc(rng, "distractor_only", f"その他/git_log_{i:02d}.txt", "utf-8")
        for r in range(rng.randint(5, 12)):
            d.t("commit ").dis(hexhash(rng), "hash").ln()
            d.ln(f"Author: {rng.choice(['tanaka', 'suzuki', 'yamada'])} <dev@example.co.jp>")
            d.t("Date:   ").dis(epoch(rng), "epoch-seconds").ln(" +0900")
            d.ln()
            d.t(f"    {rng.choice(['fix: 個人番号入力欄のバリデーション修正', 'chore: bump deps', 'feat: マイナンバーのマスキング表示', 'docs: README更新'])} (").dis(version(rng), "version").ln(")")
            d.ln()
        return d
    if v == 12:
        d = Doc(rng, "distractor_only", f"その他/決算_数値メモ_{i:02d}.txt", enc)
        d.ln(f"{rng.choice(['連結', '単体'])}決算 主要数値（単位：円）")
        for k in ["売上高", "営業利益", "経常利益", "総資産", "純資産"]:
            d.t(f"{k}\t").dis(amount12(rng) if rng.random() < .5 else str(rng.randint(10 ** 11, 10 ** 12 - 1)), "amount").ln()
        d.t("売上高（税込・カンマなし）").dis(vd(rng, lambda: str(rng.randint(10 ** 11, 10 ** 12 - 1))), "amount").ln("円")
        return d
    if v == 13:
        d = Doc(rng, "distractor_only", f"その他/発送伝票一覧_{i:02d}.txt", enc)
        d.ln("出荷日\t送り状番号\tお届け先\t電話")
        for r in range(rng.randint(6, 15)):
            d.t(f"2024/11/{rng.randint(1, 28):02d}\t").dis(tracking(rng), "tracking-no").t(f"\t{person(rng)[0]}様\t").dis(d_phone(rng), "phone").ln()
        return d
    # v == 14: a document about マイナンバー (topic words) that holds no numbers
    d = Doc(rng, "distractor_only", f"その他/マイナンバー関連_お知らせ_{i:02d}.txt", enc)
    d.ln("【お知らせ】マイナンバー（個人番号）の提出について")
    d.ln("年末調整に伴い、マイナンバーの提出をお願いしております。個人番号カードまたは通知カードの写しをご用意ください。")
    d.t("受付番号：").dis(d_digits12(rng, rng.choice(["", "-", " "])), "receipt-no").ln()
    d.t("お問い合わせ専用ダイヤル：").dis(d_phone(rng), "phone").ln("（平日9時～17時）")
    d.t("管理番号 ").dis(ts12(rng), "timestamp12").ln()
    d.t("提出期限：").dis(f"2024年12月{rng.randint(1, 20)}日", "date").ln()
    d.t("個人番号の記載例（ダミー）：").dis("0000 0000 0000" if rng.random() < .5 else "000000000000", "placeholder-zeros", valid=True).ln()
    d.ln("※番号は12桁です。記入の際はお間違えのないようご注意ください。")
    return d


# ======================================================================================
def mask(digits_):
    return "*" * 8 + digits_[-4:]


def build(outdir, seed):
    rng = random.Random(seed)
    USED.clear()
    records, seen = [], set()
    for name, n, fn in GENERATORS:
        for i in range(n):
            d = fn(random.Random(rng.getrandbits(64)), i)
            rel = d.relpath
            while rel in seen:
                root, ext = os.path.splitext(rel)
                rel = root + "_b" + ext
            seen.add(rel)
            d.relpath = rel
            text = d.text()
            data = d.encode()
            path = os.path.join(outdir, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
            rec = {"path": rel, "encoding": d.enc, "crlf": d.crlf, "category": d.category,
                   "numbers": [], "distractors": []}
            for m in d.numbers:
                line, col = linecol(text, m["off"])
                rec["numbers"].append({"line": line, "column": col, "masked": mask(m["digits"]),
                                       "strength": m["strength"], "form": m["form"], "tags": m["tags"]})
            for m in d.distractors:
                line, col = linecol(text, m["off"])
                rec["distractors"].append({"line": line, "column": col, "kind": m["kind"],
                                           "valid": bool(m["valid"]), "length": len(m["text"])})
            records.append((rec, d))
    with open(os.path.join(outdir, "truth.jsonl"), "w", encoding="utf-8") as fh:
        for rec, _ in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    selfcheck(outdir, records)
    return records


def selfcheck(outdir, records):
    """Re-decode every file and confirm each recorded position holds what we wrote."""
    problems = 0
    for rec, d in records:
        with open(os.path.join(outdir, rec["path"]), "rb") as fh:
            text = decode_file(fh.read(), rec["encoding"])
        if text.replace("\r\n", "\n") != d.text():
            print("SELF-CHECK round trip mismatch:", rec["path"], file=sys.stderr)
            problems += 1
            continue
        lines = text.split("\n")
        for truth, m in zip(rec["numbers"], d.numbers):
            ln = lines[truth["line"] - 1]
            seg = ln[truth["column"] - 1:]
            first = m["text"][0]
            want = m["text"].split("\n")[0]
            if not seg.startswith(want) or not first.translate(UNFW).isdigit() or not valid12(m["digits"]) \
                    or "".join(c for c in m["text"] if c.translate(UNFW).isdigit()).translate(UNFW) != m["digits"]:
                print("SELF-CHECK number mismatch:", rec["path"], truth, file=sys.stderr)
                problems += 1
        for truth, m in zip(rec["distractors"], d.distractors):
            ln = lines[truth["line"] - 1]
            if not ln[truth["column"] - 1:].startswith(m["text"]):
                print("SELF-CHECK distractor mismatch:", rec["path"], truth, file=sys.stderr)
                problems += 1
    if problems:
        raise SystemExit(f"self-check failed: {problems} problem(s)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20241126)
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    if os.listdir(a.outdir):
        raise SystemExit(f"{a.outdir} is not empty")
    records = build(a.outdir, a.seed)
    nn = sum(len(r["numbers"]) for r, _ in records)
    nd = sum(len(r["distractors"]) for r, _ in records)
    d12n = [x for r, _ in records for x in r["distractors"] if x["valid"]]
    print(f"wrote {len(records)} files, {nn} numbers "
          f"({sum(1 for r, _ in records for x in r['numbers'] if x['strength'] == 'weak')} weak), "
          f"{nd} distractors ({len(d12n)} check-digit-valid); self-check OK")


if __name__ == "__main__":
    main()
