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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--size-mb", type=float, default=100, help="mixed text size in MB (10^6 bytes)")
    ap.add_argument("--dense-mb", type=float, default=50, help="dense CSV size in MB")
    ap.add_argument("--big", action="store_true", help="also make the ~1 GB file from repeated mixed blocks")
    ap.add_argument("--big-mb", type=float, default=1000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    a = ap.parse_args(argv)
    gens = [mixed_text(a.data_dir, a.size_mb, a.seed), dense_csv(a.data_dir, a.dense_mb, a.seed)]
    if a.big:
        gens.append(big_text(a.data_dir, a.big_mb, gens[0], a.seed))
    for g in gens:
        print(g.path, json.dumps(g.meta, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
