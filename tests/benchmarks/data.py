"""Deterministic benchmark data for mynumber-dlp (run by hand; not collected by pytest).

Three kinds of file, all UTF-8, all numbers synthetic (random digits plus the mod-11
check digit; never a real person's number):

* ``mixed``  - Japanese/English office prose (meeting notes, mail, chat, reports) with
  sparse numbers: dates, times, phone numbers, amounts, order/tracking numbers, some
  full-width digits, and about one My Number (with context such as 「個人番号：」) per
  ~50 KB, in contiguous, 4-4-4 and full-width forms. Default 100 MB.
* ``dense``  - an HR-roster-like CSV (社員番号,氏名,生年月日,個人番号,電話番号,口座番号,金額)
  where every row holds several 12-digit-ish values and roughly 20-30 % of all
  12-digit values pass the check digit. Default 50 MB.
* ``big``    - ~1 GB made by repeating the ``mixed`` file (only when asked for).

Files are cached in a data directory (default /tmp/mynumber-dlp-bench) together with a
``.json`` sidecar holding the seed, requested size, generator version and the actual
byte size; a file is reused when all of these match.

Usage::

    python tests/benchmarks/data.py [--data-dir DIR] [--size-mb 100] [--dense-mb 50] [--big] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = 1
DEFAULT_DATA_DIR = Path("/tmp/mynumber-dlp-bench")
DEFAULT_SEED = 1
MB = 1_000_000
BLOCK_BYTES = 1 << 20
POOL_LINES = 6000
MY_NUMBER_EVERY = 50_000
"""Bytes of mixed text per inserted My Number (on average)."""
DISTRACTOR_EVERY = 8_000
"""Bytes of mixed text per inserted 12-digit (or 13-digit) distractor line (on average)."""

WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def check_digit(first11: str) -> int:
    r = sum(w * int(c) for w, c in zip(WEIGHTS, first11)) % 11
    return 0 if r <= 1 else 11 - r


def is_valid12(digits: str) -> bool:
    return len(digits) == 12 and digits.isdigit() and check_digit(digits[:11]) == int(digits[11])


# ---------------------------------------------------------------------------
# random value helpers
# ---------------------------------------------------------------------------


def digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10**n)).zfill(n)


def my_number(rng: random.Random) -> str:
    while True:
        first = digits(rng, 11)
        n = first + str(check_digit(first))
        if len(set(n)) > 1:
            return n


def invalid12(rng: random.Random) -> str:
    n = my_number(rng)
    return n[:11] + str((int(n[11]) + 1 + rng.randrange(9)) % 10)


def random12(rng: random.Random, valid_share: float = 0.0) -> str:
    """Twelve random digits; with probability ``valid_share`` forced check-digit-valid."""
    if rng.random() < valid_share:
        return my_number(rng)
    return digits(rng, 12)


SURNAMES = (
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 清水 "
    "山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木"
).split()
GIVEN = (
    "太郎 花子 健一 美咲 翔太 由美 大輔 直樹 陽子 裕子 拓也 さくら 誠 恵 隆 彩 大樹 舞 亮 真由美 "
    "和也 愛 浩二 智子 翼 結衣 健太 優子 聡 葵"
).split()
EN_NAMES = "Alice Bob Carol David Emma Frank Grace Henry Ivy Jack Kate Liam Mia Noah Olivia Paul".split()
DEPTS = "総務部 人事部 経理部 営業部 開発部 情報システム部 法務部 購買部 広報部 品質保証部".split()
EN_DEPTS = "HR Finance Sales Engineering IT Legal Procurement Marketing QA Operations".split()
PRODUCTS = "ノートPC モニター 複合機 トナー 名刺 会議用マイク サーバー保守 クラウド利用料 ライセンス 備品".split()
EN_PRODUCTS = "laptops monitors printer toner licenses cloud credits office chairs headsets".split()
PROJECTS = "基幹システム刷新 新人研修 年末調整 決算 展示会 移転 DX推進 セキュリティ監査 採用 BCP".split()
EN_PROJECTS = "ERP migration onboarding year-end closing trade show office move security audit hiring".split()
WEEKDAYS = "月火水木金土日"


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def date_ja(rng: random.Random) -> str:
    y, m, d = rng.randrange(2019, 2026), rng.randrange(1, 13), rng.randrange(1, 29)
    s = rng.choice((f"{y}年{m}月{d}日", f"{y}/{m:02d}/{d:02d}", f"{m}月{d}日（{rng.choice(WEEKDAYS)}）", f"令和{y - 2018}年{m}月{d}日"))
    return s.translate(WIDE) if rng.random() < 0.15 else s


def date_en(rng: random.Random) -> str:
    y, m, d = rng.randrange(2019, 2026), rng.randrange(1, 13), rng.randrange(1, 29)
    mon = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()[m - 1]
    return rng.choice((f"{y}-{m:02d}-{d:02d}", f"{mon} {d}, {y}", f"{d} {mon} {y}"))


def time_s(rng: random.Random) -> str:
    return f"{rng.randrange(8, 20)}:{rng.choice(('00', '15', '30', '45'))}"


def phone(rng: random.Random) -> str:
    s = rng.choice(
        (
            f"03-{digits(rng, 4)}-{digits(rng, 4)}",
            f"06-{digits(rng, 4)}-{digits(rng, 4)}",
            f"0{rng.choice('789')}0-{digits(rng, 4)}-{digits(rng, 4)}",
            f"0120-{digits(rng, 3)}-{digits(rng, 3)}",
            f"+81-{rng.choice('3679')}0-{digits(rng, 4)}-{digits(rng, 4)}",
            f"0{rng.choice('789')}0{digits(rng, 8)}",
        )
    )
    return s.translate(WIDE) if rng.random() < 0.1 else s


def amount(rng: random.Random) -> str:
    v = rng.choice((rng.randrange(100, 10_000), rng.randrange(10_000, 1_000_000), rng.randrange(1_000_000, 500_000_000)))
    s = rng.choice((f"{v:,}円", f"¥{v:,}", f"{v}円", f"{v:,} yen", f"JPY {v:,}"))
    return s.translate(WIDE) if rng.random() < 0.1 else s


def order_no(rng: random.Random) -> str:
    return rng.choice((f"PO-{digits(rng, 8)}", f"{digits(rng, 10)}", f"A{digits(rng, 7)}", f"ORD{digits(rng, 9)}", f"#{digits(rng, 6)}"))


# ---------------------------------------------------------------------------
# mixed office text
# ---------------------------------------------------------------------------

JA_TEMPLATES = (
    "【議事録】{date} {time}〜 {dept}定例ミーティング 参加者：{name}、{name}、{name}",
    "・{project}の進捗について{name}さんより報告。予定どおり{date}に完了見込み。",
    "・次回までに{name}さんが見積（{amount}）を再確認すること。",
    "・{product}の調達は{dept}で取りまとめ、発注番号{order}で手配済み。",
    "決定事項：{project}は{date}までに第一版を共有する。担当は{name}。",
    "課題：{product}の納期が遅れており、{date}着の見込み。影響範囲を{dept}で確認中。",
    "{name}様",
    "いつもお世話になっております。{dept}の{name}です。",
    "先日ご依頼いただいた{product}の件、お見積りを添付いたします。合計金額は{amount}（税込）です。",
    "ご不明な点がございましたら、{phone}までお気軽にお問い合わせください。",
    "お手数ですが、{date}までにご返信いただけますと幸いです。",
    "何卒よろしくお願い申し上げます。",
    "以上、よろしくお願いいたします。",
    "件名：【{dept}】{project}に関するご連絡（{date}）",
    "株式会社サンプル商事 {dept} {name} TEL：{phone} FAX：{phone}",
    "本メールは送信専用アドレスから配信しています。ご返信いただいてもお答えできません。",
    "[{time}] {name}: おはようございます、今日の{project}の打ち合わせは{time}からで大丈夫ですか？",
    "[{time}] {name}: 了解です！資料は共有フォルダに置きました",
    "[{time}] {name}: {product}の請求書、{amount}で合ってますか？",
    "[{time}] {name}: 注文番号{order}の件、先方から連絡ありました",
    "[{time}] {name}: 電話ください {phone}",
    "[{time}] {name}: 本日は在宅勤務です。{time}以降は会議で離席します。",
    "{date}（{time}）に{dept}フロアの避難訓練を実施します。全員参加してください。",
    "経費精算の締め切りは毎月{date}です。領収書の原本を{dept}へ提出してください。",
    "{project}の予算は{amount}、執行済みは{amount}です。",
    "今期の売上は前年同期比{pct}％増の{amount}となりました。",
    "会議室Ａ（{n}名）を{date} {time}〜{time}で予約しました。",
    "{name}さんの入社手続きについて、必要書類の一覧を添付します。",
    "社内システムのメンテナンスのため、{date} {time}から約{n}時間停止します。",
    "パスワードの有効期限が近づいています。{date}までに変更してください。",
    "{dept}より：年末調整の書類提出は{date}までにお願いします。",
    "研修のお知らせ：{project}研修を{date}に開催します（定員{n}名）。",
    "出張報告：{date}〜{date}、訪問先{n}社、交通費{amount}。",
    "在庫数：{product} {n}台、{product} {n}個。次回入荷予定は{date}。",
    "{name}（内線{ext}）まで、ご連絡ください。",
    "お問い合わせ番号：{order}",
    "配送状況は追跡番号{order}でご確認いただけます。",
    "第{n}四半期の目標達成率は{pct}％でした。",
    "来週の{project}レビューは{date}に延期となりました。",
    "〒{zip} 東京都千代田区丸の内{n}-{n}-{n} サンプルビル{n}階",
)

EN_TEMPLATES = (
    "Meeting notes {date_en}, {time}: attendees {en}, {en}, {en} ({en_dept}).",
    "- {en} reported that the {en_project} is on track for {date_en}.",
    "- Action item: {en} to confirm the quote of {amount} for {en_product}.",
    "- Purchase order {order} for {en_product} was placed last week.",
    "Hi {en},",
    "Thanks for your email. Please find the updated proposal attached.",
    "Could you call me back at {phone} when you have a minute?",
    "The invoice total is {amount}, payable by {date_en}.",
    "Best regards, {en} | {en_dept} | Tel {phone}",
    "[{time}] {en}: are we still on for the {en_project} sync at {time}?",
    "[{time}] {en}: yes, room B, I booked it until {time}",
    "[{time}] {en}: order {order} shipped, tracking should update tomorrow",
    "Reminder: expense reports for {date_en} are due by Friday.",
    "The server maintenance window is {date_en} {time}-{time} JST.",
    "Q{q} revenue grew {pct}% year over year to {amount}.",
    "Please review the draft before {date_en}; comments in the shared doc.",
    "We received {n} applications for the {en_dept} position.",
    "Ticket #{n}{n} has been resolved. Please reopen if the issue persists.",
    "FYI: the office will be closed on {date_en} for the holiday.",
    "Budget for {en_project}: {amount}, spent so far: {amount}.",
)


def _fill(t: str, rng: random.Random) -> str:
    out = t
    while "{" in out:
        i = out.index("{")
        j = out.index("}", i)
        key = out[i + 1 : j]
        val = {
            "date": lambda: date_ja(rng),
            "date_en": lambda: date_en(rng),
            "time": lambda: time_s(rng),
            "name": lambda: name(rng),
            "en": lambda: rng.choice(EN_NAMES),
            "dept": lambda: rng.choice(DEPTS),
            "en_dept": lambda: rng.choice(EN_DEPTS),
            "product": lambda: rng.choice(PRODUCTS),
            "en_product": lambda: rng.choice(EN_PRODUCTS),
            "project": lambda: rng.choice(PROJECTS),
            "en_project": lambda: rng.choice(EN_PROJECTS),
            "amount": lambda: amount(rng),
            "phone": lambda: phone(rng),
            "order": lambda: order_no(rng),
            "pct": lambda: str(rng.randrange(1, 40)),
            "n": lambda: str(rng.randrange(1, 30)),
            "q": lambda: str(rng.randrange(1, 5)),
            "ext": lambda: digits(rng, 4),
            "zip": lambda: f"{digits(rng, 3)}-{digits(rng, 4)}",
        }[key]()
        out = out[:i] + val + out[j + 1 :]
    return out


def build_pool(rng: random.Random, n: int = POOL_LINES) -> list[bytes]:
    """A few thousand varied prose lines (UTF-8, newline-terminated); ~70 % Japanese."""
    pool = []
    for _ in range(n):
        t = rng.choice(JA_TEMPLATES) if rng.random() < 0.7 else rng.choice(EN_TEMPLATES)
        pool.append((_fill(t, rng) + "\n").encode("utf-8"))
    pool.extend([b"\n"] * (n // 20))  # paragraph breaks
    return pool


def my_number_form(rng: random.Random, n: str) -> tuple[str, str]:
    r = rng.random()
    if r < 0.7:
        return n, "contiguous"
    if r < 0.8:
        return f"{n[:4]}-{n[4:8]}-{n[8:]}", "4-4-4"
    if r < 0.87:
        return f"{n[:4]} {n[4:8]} {n[8:]}", "4-4-4"
    return n.translate(WIDE), "full-width"


MY_NUMBER_TEMPLATES = (
    "個人番号：{mn}",
    "個人番号: {mn}（{name}）",
    "マイナンバー {mn} を確認しました（本人確認書類：運転免許証）。",
    "{name}さんのマイナンバーは{mn}です。扶養控除等申告書に転記してください。",
    "扶養控除等申告書の個人番号欄：{mn}",
    "[{time}] {name}: 源泉徴収票用にマイナンバー送ります {mn}",
    "[{time}] {name}: 年末調整の件、私の個人番号は{mn}です",
    "My Number: {mn}",
    "Employee {en}'s My Number (individual number) is {mn}, please file it with the tax forms.",
    "マイナンバーカード番号 {mn} / 氏名 {name}",
    "通知カードの個人番号 {mn} を登録しました。",
)

DISTRACTOR_TEMPLATES = (
    ("注文番号：{d12}", 12),
    ("[{time}] {name}: 注文番号{d12}で発注しました", 12),
    ("Tracking number {d12} - delivery expected {date_en}.", 12),
    ("口座番号 {d12} へお振込みください。", 12),
    ("伝票番号：{d12}", 12),
    ("会員番号 {d12}（{name}様）", 12),
    ("Order ID {d12} confirmed, total {amount}.", 12),
    ("お問い合わせ番号 {d12}", 12),
    ("法人番号：{d13}", 13),
    ("JANコード {d13}", 13),
    ("登録番号 T{d13}", 13),
    ("タイムスタンプ {ts}", 12),
    ("合計 ¥{d12}", 12),
    ("電話番号 {d12}", 12),
)


def _my_number_line(rng: random.Random) -> tuple[bytes, str]:
    form, kind = my_number_form(rng, my_number(rng))
    t = rng.choice(MY_NUMBER_TEMPLATES).replace("{mn}", "\x00")
    return (_fill(t, rng).replace("\x00", form) + "\n").encode("utf-8"), kind


def _distractor_line(rng: random.Random) -> tuple[bytes, bool]:
    t, _length = rng.choice(DISTRACTOR_TEMPLATES)
    d12 = random12(rng, valid_share=0.3)
    first12 = digits(rng, 12)
    d13 = str(check_digit(first12[:11]) % 10) + first12  # shape only; 13 digits
    y, m, d, hh, mm = rng.randrange(2019, 2026), rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(24), rng.randrange(60)
    ts = f"{y}{m:02d}{d:02d}{hh:02d}{mm:02d}"
    t = t.replace("{d12}", "\x01").replace("{d13}", "\x02").replace("{ts}", "\x03")
    line = _fill(t, rng).replace("\x01", d12).replace("\x02", d13).replace("\x03", ts)
    valid = ("\x01" in t and is_valid12(d12)) or ("\x03" in t and is_valid12(ts))
    return (line + "\n").encode("utf-8"), valid


@dataclass
class Generated:
    path: Path
    meta: dict


def _meta_path(path: Path) -> Path:
    return path.with_suffix(path.suffix + ".json")


def _cached(path: Path, want: dict) -> dict | None:
    mp = _meta_path(path)
    if not path.exists() or not mp.exists():
        return None
    try:
        meta = json.loads(mp.read_text())
    except (OSError, ValueError):
        return None
    if any(meta.get(k) != v for k, v in want.items()):
        return None
    if path.stat().st_size != meta.get("bytes"):
        return None
    return meta


def _finish(path: Path, tmp: Path, meta: dict) -> Generated:
    os.replace(tmp, path)
    meta["bytes"] = path.stat().st_size
    _meta_path(path).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n")
    return Generated(path, meta)


def _finish_measured(path: Path, tmp: Path, meta: dict, t0: float, quiet: bool) -> Generated:
    """``_finish`` for the issue-10 files: time taken, and their densities said on stderr."""
    meta["seconds"] = round(time.perf_counter() - t0, 2)
    g = _finish(path, tmp, meta)
    if not quiet:
        print(f"generated {path} in {meta['seconds']} s: {density_line(g.meta)}", file=sys.stderr)
    return g


def mixed_text(data_dir: Path, size_mb: float = 100, seed: int = DEFAULT_SEED, quiet: bool = False) -> Generated:
    """Mixed Japanese/English office prose of about ``size_mb`` MB (10^6 bytes)."""
    path = data_dir / f"mixed-{size_mb:g}mb-s{seed}.txt"
    want = {"kind": "mixed", "size_mb": size_mb, "seed": seed, "version": GENERATOR_VERSION}
    meta = _cached(path, want)
    if meta is not None:
        return Generated(path, meta)
    data_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rng = random.Random(f"mixed-{seed}")
    pool = build_pool(rng)
    avg = sum(map(len, pool)) / len(pool)
    target = int(size_mb * MB)
    written = 0
    counts = {"my_numbers": 0, "my_number_forms": {}, "distractors": 0, "valid_distractors": 0}
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        while written < target:
            k = max(1, int(BLOCK_BYTES / avg))
            lines = rng.choices(pool, k=k)
            kinds: dict[int, tuple[str, object]] = {}
            for _ in range(max(0, round(rng.gauss(BLOCK_BYTES / MY_NUMBER_EVERY, 1.5)))):
                i = rng.randrange(k)
                lines[i], form = _my_number_line(rng)
                kinds[i] = ("mn", form)
            for _ in range(max(0, round(rng.gauss(BLOCK_BYTES / DISTRACTOR_EVERY, 3)))):
                i = rng.randrange(k)
                if i in kinds:
                    continue
                lines[i], valid = _distractor_line(rng)
                kinds[i] = ("dist", valid)
            block = b"".join(lines)
            if written + len(block) > target:  # last block: whole lines up to the target
                room, n = target - written, 0
                for n, line in enumerate(lines):
                    if room < len(line):
                        break
                    room -= len(line)
                else:
                    n = len(lines)
                lines = lines[:n]
                kinds = {i: v for i, v in kinds.items() if i < n}
                block = b"".join(lines)
                if not block:
                    break
            for what, v in kinds.values():
                if what == "mn":
                    counts["my_numbers"] += 1
                    counts["my_number_forms"][v] = counts["my_number_forms"].get(v, 0) + 1
                else:
                    counts["distractors"] += 1
                    counts["valid_distractors"] += int(bool(v))
            f.write(block)
            written += len(block)
    meta = dict(want, **counts, seconds=round(time.perf_counter() - t0, 2))
    g = _finish(path, tmp, meta)
    if not quiet:
        print(f"generated {path} ({g.meta['bytes'] / MB:.1f} MB) in {meta['seconds']} s", file=sys.stderr)
    return g


DENSE_HEADER = "社員番号,氏名,生年月日,個人番号,電話番号,口座番号,金額\n"


def dense_csv(data_dir: Path, size_mb: float = 50, seed: int = DEFAULT_SEED, quiet: bool = False) -> Generated:
    """An HR-roster-like CSV where every row carries several 12-digit-ish values."""
    path = data_dir / f"dense-{size_mb:g}mb-s{seed}.csv"
    want = {"kind": "dense", "size_mb": size_mb, "seed": seed, "version": GENERATOR_VERSION}
    meta = _cached(path, want)
    if meta is not None:
        return Generated(path, meta)
    data_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rng = random.Random(f"dense-{seed}")
    target = int(size_mb * MB)
    rand = rng.random
    randrange = rng.randrange
    choice = rng.choice
    names = [s + g for s in SURNAMES for g in GIVEN]
    n12 = n12_valid = mn_rows = nrows = 0
    tmp = path.with_suffix(".tmp")
    head = DENSE_HEADER.encode("utf-8")
    written = len(head)
    with open(tmp, "wb") as f:
        f.write(head)
        done = False
        while not done:
            rows = []
            size = 0
            while size < BLOCK_BYTES:
                twelve = []
                emp = f"{randrange(2000, 2025)}{randrange(10**8):08d}"  # 12 digits: hire year + serial
                twelve.append(emp)
                y, m, d = randrange(1960, 2004), randrange(1, 13), randrange(1, 29)
                birth = f"{y}/{m:02d}/{d:02d}" if rand() < 0.7 else f"{y}{m:02d}{d:02d}"
                has_mn = 0
                r = rand()
                if r < 0.70:
                    mn = my_number(rng)
                    twelve.append(mn)
                    has_mn = 1
                elif r < 0.75:
                    n = my_number(rng)
                    mn = f"{n[:4]}-{n[4:8]}-{n[8:]}"
                    twelve.append(n)
                    has_mn = 1
                elif r < 0.82:
                    mn = invalid12(rng)  # typo
                    twelve.append(mn)
                else:
                    mn = choice(("", "未提出", "確認中"))
                r = rand()
                if r < 0.35:
                    tel = f"81{choice('789')}0{randrange(10**8):08d}"  # 12 digits, intl without +
                    twelve.append(tel)
                elif r < 0.7:
                    tel = f"0{choice('789')}0-{randrange(10**4):04d}-{randrange(10**4):04d}"
                else:
                    tel = f"0{choice('789')}0{randrange(10**8):08d}"
                if rand() < 0.9:
                    acct = f"{randrange(10**12):012d}"  # bank+branch+account, 12 digits
                    twelve.append(acct)
                else:
                    acct = f"{randrange(10**7):07d}"
                if rand() < 0.3:
                    amt = str(randrange(10**11, 10**12))
                    twelve.append(amt)
                else:
                    amt = str(randrange(1000, 10**7))
                row = f"{emp},{choice(names)},{birth},{mn},{tel},{acct},{amt}\n".encode("utf-8")
                if written + size + len(row) > target:
                    done = True
                    break
                n12 += len(twelve)
                mn_rows += has_mn
                n12_valid += sum(map(is_valid12, twelve))
                rows.append(row)
                size += len(row)
            nrows += len(rows)
            f.write(b"".join(rows))
            written += size
    meta = dict(
        want,
        rows=nrows,
        my_number_rows=mn_rows,
        twelve_digit_values=n12,
        valid_twelve_digit_values=n12_valid,
        valid_share=round(n12_valid / max(1, n12), 3),
        seconds=round(time.perf_counter() - t0, 2),
    )
    g = _finish(path, tmp, meta)
    if not quiet:
        print(f"generated {path} ({g.meta['bytes'] / MB:.1f} MB) in {meta['seconds']} s", file=sys.stderr)
    return g


def big_text(data_dir: Path, size_mb: float = 1000, base: Generated | None = None, seed: int = DEFAULT_SEED, quiet: bool = False) -> Generated:
    """About ``size_mb`` MB made by repeating the blocks of a mixed file (for the flat-memory check)."""
    if base is None:
        base = mixed_text(data_dir, 100, seed, quiet)
    path = data_dir / f"big-{size_mb:g}mb-from-{base.path.stem}.txt"
    want = {"kind": "big", "size_mb": size_mb, "seed": seed, "base_bytes": base.meta["bytes"], "version": GENERATOR_VERSION}
    meta = _cached(path, want)
    if meta is not None:
        return Generated(path, meta)
    t0 = time.perf_counter()
    target = int(size_mb * MB)
    written = repeats = 0
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        while written < target:
            with open(base.path, "rb") as src:
                while written < target:
                    block = src.read(BLOCK_BYTES * 4)
                    if not block:
                        break
                    if written + len(block) > target:
                        cut = block.rfind(b"\n", 0, target - written) + 1
                        block = block[:cut]
                        if not block:
                            written = target
                            break
                    out.write(block)
                    written += len(block)
            repeats += 1
    meta = dict(want, repeats_of_base=repeats, my_numbers_approx=round(base.meta["my_numbers"] * written / base.meta["bytes"]))
    meta["seconds"] = round(time.perf_counter() - t0, 2)
    g = _finish(path, tmp, meta)
    if not quiet:
        print(f"generated {path} ({g.meta['bytes'] / MB:.1f} MB) in {meta['seconds']} s", file=sys.stderr)
    return g


# ---------------------------------------------------------------------------
# issue 10: digit-rich office exports, a digit-dense CSV, a roster
# ---------------------------------------------------------------------------

CORE_VERSION = 1
"""Version of the generators below (digit_rich, digit_dense, roster)."""
RICH_MY_NUMBER_EVERY = 20_000
"""UTF-8 bytes of digit-rich text per My Number with context (on average)."""
ID12_SHARE = 0.5
"""Share of the ids in exports and logs that have 12 digits (the others 8, 10 or 14)."""
ID_FORCED_VALID = 0.22
"""Share of generated 12-digit ids forced check-digit valid; with the ~1 in 10 that pass by
chance, about 30 % of them pass."""

_CP932_SAFE = str.maketrans({"¥": "￥"})  # U+00A5 has no CP932 code; every line is made encodable
_NO_DIGITS = b"0123456789"
_CANDIDATE = re.compile(
    rb"(?<![0-9])(?:[0-9]{12}(?![0-9])|(?<![0-9][- ])[0-9]{4}([- ])[0-9]{4}\1[0-9]{4}(?![0-9])(?![- ][0-9]))"
)
"""A candidate as the benchmark counts it: exactly 12 ASCII digits not touching other digits,
or a 4-4-4 group (hyphen or space). Digit bytes are digits in UTF-8 and CP932 alike."""


def measure(buf: bytes) -> tuple[int, int, int]:
    """Digit bytes, candidates and check-digit-valid candidates in ``buf``."""
    digit_bytes = len(buf) - len(buf.translate(None, _NO_DIGITS))
    cands = valid = 0
    for m in _CANDIDATE.finditer(buf):
        cands += 1
        d = m.group()
        if len(d) != 12:
            d = d[:4] + d[5:9] + d[10:]
        valid += is_valid12(d.decode("ascii"))
    return digit_bytes, cands, valid


class _Density:
    """Running totals of ``measure`` over the bytes written."""

    def __init__(self) -> None:
        self.bytes = self.digit_bytes = self.candidates = self.valid = 0

    def add(self, buf: bytes) -> None:
        d, c, v = measure(buf)
        self.bytes += len(buf)
        self.digit_bytes += d
        self.candidates += c
        self.valid += v

    def meta(self) -> dict:
        return {
            "digit_bytes": self.digit_bytes,
            "digit_byte_share": round(self.digit_bytes / max(1, self.bytes), 4),
            "candidates": self.candidates,
            "candidates_per_mb": round(self.candidates / max(1, self.bytes) * MB, 1),
            "valid_candidates": self.valid,
            "valid_candidate_share": round(self.valid / max(1, self.candidates), 3),
        }


def density_line(meta: dict) -> str:
    """One line saying what a sidecar measured."""
    return (
        f"{meta.get('encoding', 'utf-8')}: {meta['bytes'] / MB:.1f} MB, digit bytes {meta['digit_byte_share'] * 100:.1f} %, "
        f"{meta['candidates_per_mb']:,.0f} candidates/MB ({meta['valid_candidate_share'] * 100:.0f} % check-digit valid)"
    )


def id12(rng: random.Random) -> str:
    return random12(rng, ID_FORCED_VALID)


def _ip(rng: random.Random) -> str:
    a = rng.choice(("10", "172", "192", "203", "198"))
    return f"{a}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


_MON = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 Version/17.2 Safari/605.1.15",
)
_PATHS = (
    "/api/v1/orders/{id}", "/api/v1/customers/{id}/invoices", "/mypage/orders/{id}", "/api/v1/shipments/{id}/status",
    "/api/v1/search?q=%E6%B3%A8%E6%96%87&page={n}", "/static/js/app.{hex}.js", "/login", "/healthz",
    "/api/v1/reports/daily?date={ymd}", "/img/products/{n}.jpg",
)  # fmt: skip
_LEVELS = ("INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR")
_APP_MSGS = (
    "注文を確定しました order_id={id} user_id={u} amount={amt} latency_ms={ms}",
    "決済APIを呼び出しました order_id={id} txn={id} status=200 elapsed={ms}ms",
    "在庫を引当てました sku={sku} qty={q} warehouse={wh} order_id={id}",
    "request completed method=GET path=/api/v1/orders/{id} status=200 bytes={b} duration_ms={ms}",
    "batch job finished job_id={ts12} processed={b} failed={q} elapsed_ms={ms}",
    "session created user_id={u} ip={ip} expires={epoch}",
    "配送ステータス更新 shipment={id} 状態=出荷済 updated_at={epoch}",
    "メール送信キュー投入 queue_id={id} to=user{u}@example.co.jp retry={q}",
    "cache miss key=customer:{u}:profile ttl={ms}",
    "slow query {ms}ms: SELECT * FROM orders WHERE customer_id={u} AND created_at>'{date}'",
    "請求データ連携完了 invoice_no={id} 金額={amt}円 取引先コード={sku}",
    "connection pool stats active={q} idle={q} waiting=0 max={ms}",
)
_CSV_EXPORTS = (
    ("注文番号,注文日,氏名,電話番号,金額,郵便番号,状態", "{id},{ymd_slash},{name},{tel},{amt},{zip},{state}"),
    ("伝票番号,取引先コード,品番,数量,単価,金額,納品日", "{id},{sku},{part},{q},{price},{amt},{ymd}"),
    ("会員番号,氏名,電話番号,登録日,ポイント,最終購入日", "{id},{name},{tel},{ymd_slash},{pts},{ymd}"),
    ("取引ID,日時,店舗コード,レジ番号,金額,支払方法", "{id},{ts14},{shop},{q},{amt},{pay}"),
)
_JSON_EXPORTS = (
    '{{"order_id":"{id}","customer":"{name}","tel":"{tel}","amount":{amt},"created_at":"{iso}","status":"{en_state}"}}',
    '{{"id":{id},"type":"invoice","customer_code":"{sku}","total":{amt},"tax":{price},"issued":"{ymd_dash}"}}',
    '{{"event":"page_view","user_id":{u},"session":"{hex}","ts":{epoch},"path":"/items/{n}","ref":"search"}}',
    '{{"shipment_id":"{id}","carrier":"yamato","tracking":"{id}","weight_g":{b},"updated":"{iso}"}}',
    '{{"ticket":"INC{u}","reporter":"{name}","priority":{q},"opened":"{iso}","summary":"{product}が起動しない"}}',
)
_STATES = ("発送済", "受付", "キャンセル", "入金待ち", "完了")
_EN_STATES = ("shipped", "pending", "cancelled", "paid", "delivered")
_PAYS = ("現金", "クレジット", "QR", "電子マネー")
_EXPORT_MY_NUMBER = (
    '{{"employee_id":"E{u}","name":"{name}","個人番号":"{mn}","dept":"{dept}"}}',
    '{{"staff_no":{u},"kojin_bango":"{mn}","updated":"{iso}"}}',
    "{dt} INFO [hr-sync] 従業員{u}のマイナンバーを登録しました my_number={mn}",
    "{dt} WARN [payroll] 扶養控除等申告書の個人番号 {mn} が未確認です",
)


def _rich_values(rng: random.Random) -> dict:
    """Values for the export templates: a fresh set per line (cheap to make, most unused)."""
    r = rng.randrange
    y, mo, d, hh, mi, ss = r(2019, 2026), r(1, 13), r(1, 29), r(24), r(60), r(60)
    return {
        "id": id12(rng) if rng.random() < ID12_SHARE else digits(rng, rng.choice((8, 10, 14))),
        "u": str(r(10**5, 10**8)),
        "amt": str(rng.choice((r(100, 10_000), r(10_000, 1_000_000), r(10**6, 10**8)))),
        "ms": str(r(1, 3000)),
        "sku": f"{r(10**5, 10**6)}",
        "q": str(r(1, 50)),
        "wh": f"WH{r(1, 20):02d}",
        "b": str(r(100, 100_000)),
        "ts12": f"{y}{mo:02d}{d:02d}{hh:02d}{mi:02d}",
        "ts14": f"{y}{mo:02d}{d:02d}{hh:02d}{mi:02d}{ss:02d}",
        "ip": _ip(rng),
        "epoch": str(r(1_500_000_000_000, 1_750_000_000_000)),
        "date": f"{y}-{mo:02d}-{d:02d}",
        "ymd": f"{y}{mo:02d}{d:02d}",
        "ymd_slash": f"{y}/{mo:02d}/{d:02d}",
        "ymd_dash": f"{y}-{mo:02d}-{d:02d}",
        "iso": f"{y}-{mo:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss:02d}+09:00",
        "dt": f"{y}-{mo:02d}-{d:02d} {hh:02d}:{mi:02d}:{ss:02d}.{r(1000):03d}",
        "name": name(rng),
        "tel": f"0{rng.choice('3679')}0-{r(10**4):04d}-{r(10**4):04d}" if rng.random() < 0.7 else f"03-{r(10**4):04d}-{r(10**4):04d}",
        "zip": f"{r(100, 1000)}-{r(10**4):04d}",
        "state": rng.choice(_STATES),
        "en_state": rng.choice(_EN_STATES),
        "part": f"P{r(10**6):06d}",
        "price": str(r(100, 100_000)),
        "pts": str(r(0, 20_000)),
        "shop": f"{r(1000, 10_000)}",
        "pay": rng.choice(_PAYS),
        "hex": f"{r(16**12):012x}",
        "n": str(r(1, 5000)),
        "product": rng.choice(PRODUCTS),
        "dept": rng.choice(DEPTS),
    }


def _access_line(rng: random.Random) -> str:
    r = rng.randrange
    v = _rich_values(rng)
    path = rng.choice(_PATHS).format(**v)
    ts = f"{r(1, 29):02d}/{rng.choice(_MON)}/{r(2019, 2026)}:{r(24):02d}:{r(60):02d}:{r(60):02d} +0900"
    return f'{v["ip"]} - - [{ts}] "GET {path} HTTP/1.1" {rng.choice((200, 200, 200, 304, 404, 500))} {v["b"]} "-" "{rng.choice(_UA)}"'


def _app_line(rng: random.Random) -> str:
    v = _rich_values(rng)
    return f"{v['dt']} {rng.choice(_LEVELS):<5} [worker-{rng.randrange(1, 9)}] " + rng.choice(_APP_MSGS).format(**v)


RICH_SECTIONS = ("access_log", "app_log", "csv_export", "json_export", "prose")
RICH_SECTION_WEIGHTS = (11, 22, 20, 14, 112)
"""Relative frequency of the section kinds (tuned for ~22 % digit bytes, ~1,700 candidates/MB)."""


def _rich_stream(seed: int):
    """Blocks of digit-rich text: (lines, {index: my number form}), each ~1 MB of UTF-8, forever."""
    rng = random.Random(f"rich-{seed}")
    prose = [b.decode("utf-8").rstrip("\n") for b in build_pool(rng)]
    credit = 0.0
    while True:
        lines: list[str] = []
        mns: dict[int, str] = {}
        size = 0
        while size < BLOCK_BYTES:
            kind = rng.choices(RICH_SECTIONS, RICH_SECTION_WEIGHTS)[0]
            n = rng.randrange(5, 60)
            if kind == "access_log":
                sec = [_access_line(rng) for _ in range(n)]
            elif kind == "app_log":
                sec = [_app_line(rng) for _ in range(n)]
            elif kind == "csv_export":
                head, row = rng.choice(_CSV_EXPORTS)
                sec = [head] + [row.format(**_rich_values(rng)) for _ in range(n)]
            elif kind == "json_export":
                sec = [rng.choice(_JSON_EXPORTS).format(**_rich_values(rng)) for _ in range(n)]
            else:
                sec = rng.choices(prose, k=n)
            sec_bytes = sum(len(s.encode("utf-8")) + 1 for s in sec)
            lines.extend(sec)
            size += sec_bytes
            credit += sec_bytes / RICH_MY_NUMBER_EVERY
            while credit >= 1 or (credit > 0 and rng.random() < credit * 0.2):
                credit -= 1
                form, how = my_number_form(rng, my_number(rng))
                if rng.random() < 0.35:
                    t = rng.choice(_EXPORT_MY_NUMBER).replace("{mn}", "\x00").format(**_rich_values(rng))
                else:
                    t = _fill(rng.choice(MY_NUMBER_TEMPLATES).replace("{mn}", "\x00"), rng)
                mns[len(lines)] = how
                t = t.replace("\x00", form)
                lines.append(t)
                size += len(t.encode("utf-8")) + 1
        yield [(s + "\n").translate(_CP932_SAFE) for s in lines], mns


def _rich_path(data_dir: Path, size_mb: float, seed: int, cp932: bool) -> Path:
    return data_dir / f"rich-{size_mb:g}mb-s{seed}{'-cp932' if cp932 else ''}.txt"


def digit_rich(
    size_mb: float = 200, data_dir: Path = DEFAULT_DATA_DIR, seed: int = DEFAULT_SEED, *, cp932: bool = False, quiet: bool = False
) -> Generated:
    """Digit-rich office exports of about ``size_mb`` MB: app and access logs, CSV and JSON exports, some prose.

    ~22 % digit bytes and ~1,700 candidates per MB in UTF-8; about 30 % of the 12-digit ids
    pass the check digit by construction; one My Number with context per ~20 KB. With
    ``cp932`` the same text stream is written in CP932, up to the same byte size (so it
    holds a little more of the stream: Japanese takes two bytes a character, not three).
    """
    path = _rich_path(data_dir, size_mb, seed, cp932)
    encoding = "cp932" if cp932 else "utf-8"
    want = {"kind": "rich", "encoding": encoding, "size_mb": size_mb, "seed": seed, "version": CORE_VERSION}
    meta = _cached(path, want)
    if meta is not None:
        return Generated(path, meta)
    data_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    target = int(size_mb * MB)
    written = nlines = 0
    forms: dict[str, int] = {}
    dens = _Density()
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        for lines, mns in _rich_stream(seed):
            block = "".join(lines).encode(encoding)
            last = written + len(block) >= target
            if last:  # last block: whole lines up to the target
                parts, room = [], target - written
                for line in lines:
                    b = line.encode(encoding)
                    if len(b) > room:
                        break
                    parts.append(b)
                    room -= len(b)
                lines = lines[: len(parts)]
                mns = {i: v for i, v in mns.items() if i < len(parts)}
                block = b"".join(parts)
            for how in mns.values():
                forms[how] = forms.get(how, 0) + 1
            dens.add(block)
            f.write(block)
            written += len(block)
            nlines += len(lines)
            if last:
                break
    meta = dict(want, lines=nlines, my_numbers=sum(forms.values()), my_number_forms=forms, **dens.meta())
    return _finish_measured(path, tmp, meta, t0, quiet)


DIGITS_HEADER = "個人番号,社員番号,口座番号,取引ID,金額,部署コード,入社日,生年月日,支給額\n"


def digit_dense(size_mb: float = 200, data_dir: Path = DEFAULT_DATA_DIR, seed: int = DEFAULT_SEED, *, quiet: bool = False) -> Generated:
    """A digit-dense CSV (~90 % digit bytes): numeric columns only, under a short header with 個人番号.

    個人番号 is valid in 85 % of rows (5 % of those 4-4-4), a typo in 10 %, blank in 5 %;
    社員番号, 口座番号 and 取引ID are 12 digits (口座番号 and 取引ID ~30 % valid by chance and
    construction); amounts, codes and dates (YYYYMMDD) are digits too.
    """
    path = data_dir / f"digits-{size_mb:g}mb-s{seed}.csv"
    want = {"kind": "digits", "encoding": "utf-8", "size_mb": size_mb, "seed": seed, "version": CORE_VERSION}
    meta = _cached(path, want)
    if meta is not None:
        return Generated(path, meta)
    data_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rng = random.Random(f"digits-{seed}")
    rand, r = rng.random, rng.randrange
    target = int(size_mb * MB)
    head = DIGITS_HEADER.encode("utf-8")
    dens = _Density()
    dens.add(head)
    nrows = mn_rows = 0
    written = len(head)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write(head)
        done = False
        while not done:
            rows = []
            size = 0
            while size < BLOCK_BYTES:
                x = rand()
                if x < 0.85:
                    mn = my_number(rng)
                    if x < 0.85 * 0.05:
                        mn = f"{mn[:4]}-{mn[4:8]}-{mn[8:]}"
                    has = 1
                elif x < 0.95:
                    mn, has = invalid12(rng), 0
                else:
                    mn, has = "", 0
                row = (
                    f"{mn},{r(2000, 2025)}{r(10**8):08d},{id12(rng)},{id12(rng)},{r(100, 10**r(4, 10))},"
                    f"{r(1000, 10_000)},{r(2000, 2025)}{r(1, 13):02d}{r(1, 29):02d},"
                    f"{r(1960, 2004)}{r(1, 13):02d}{r(1, 29):02d},{r(150_000, 1_200_000)}\n"
                ).encode("ascii")
                if written + size + len(row) > target:
                    done = True
                    break
                rows.append(row)
                size += len(row)
                mn_rows += has
            block = b"".join(rows)
            dens.add(block)
            f.write(block)
            written += size
            nrows += len(rows)
    meta = dict(want, rows=nrows, my_number_rows=mn_rows, **dens.meta())
    return _finish_measured(path, tmp, meta, t0, quiet)


ROSTER_HEADER = "No,氏名,個人番号\n"


def roster(rows: int = 1_000_000, data_dir: Path = DEFAULT_DATA_DIR, seed: int = DEFAULT_SEED, *, quiet: bool = False) -> Generated:
    """``rows`` rows ``No,氏名,個人番号``, each with one valid (synthetic) My Number (~33 bytes a row)."""
    path = data_dir / f"roster-{rows}-s{seed}.csv"
    want = {"kind": "roster", "encoding": "utf-8", "rows": rows, "seed": seed, "version": CORE_VERSION}
    meta = _cached(path, want)
    if meta is not None:
        return Generated(path, meta)
    data_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rng = random.Random(f"roster-{seed}")
    names = [s + g for s in SURNAMES for g in GIVEN]
    dens = _Density()
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        head = ROSTER_HEADER.encode("utf-8")
        dens.add(head)
        f.write(head)
        for start in range(0, rows, 50_000):
            block = "".join(
                f"{i + 1:07d},{rng.choice(names)},{my_number(rng)}\n" for i in range(start, min(rows, start + 50_000))
            ).encode("utf-8")
            dens.add(block)
            f.write(block)
    meta = dict(want, my_numbers=rows, **dens.meta())
    return _finish_measured(path, tmp, meta, t0, quiet)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--size-mb", type=float, default=100, help="mixed text size in MB (10^6 bytes)")
    ap.add_argument("--dense-mb", type=float, default=50, help="dense CSV size in MB")
    ap.add_argument("--big", action="store_true", help="also make the ~1 GB file from repeated mixed blocks")
    ap.add_argument("--big-mb", type=float, default=1000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    core = ap.add_argument_group("issue 10 files (any of these makes only them, not mixed/dense)")
    core.add_argument("--rich-mb", type=float, help="digit-rich exports (UTF-8) of this size")
    core.add_argument("--cp932", action="store_true", help="also the CP932 twin of the digit-rich file")
    core.add_argument("--digits-mb", type=float, help="digit-dense CSV (~90 %% digit bytes) of this size")
    core.add_argument("--roster-rows", type=int, help="roster with this many rows, one My Number each")
    a = ap.parse_args(argv)
    if a.rich_mb is None and a.cp932:
        a.rich_mb = 200
    if a.rich_mb is not None or a.digits_mb is not None or a.roster_rows is not None:
        gens = []
        if a.rich_mb is not None:
            gens.append(digit_rich(a.rich_mb, a.data_dir, a.seed))
            if a.cp932:
                gens.append(digit_rich(a.rich_mb, a.data_dir, a.seed, cp932=True))
        if a.digits_mb is not None:
            gens.append(digit_dense(a.digits_mb, a.data_dir, a.seed))
        if a.roster_rows is not None:
            gens.append(roster(a.roster_rows, a.data_dir, a.seed))
        for g in gens:
            print(g.path, json.dumps(g.meta, ensure_ascii=False))
            print(f"  {density_line(g.meta)}")
        return 0
    gens = [mixed_text(a.data_dir, a.size_mb, a.seed), dense_csv(a.data_dir, a.dense_mb, a.seed)]
    if a.big:
        gens.append(big_text(a.data_dir, a.big_mb, gens[0], a.seed))
    for g in gens:
        print(g.path, json.dumps(g.meta, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
