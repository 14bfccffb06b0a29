"""Throughput per document format, beside plain text, run by hand:

    python tests/benchmarks/bench_formats.py [--rows 20000] [--data-dir DIR]

Each format holds the same HR roster (rows of 氏名, 個人番号, 電話番号, 備考) made by the
library people use for it; the CLI scans each file alone (-j 1) and the table shows
file MB/s, extracted-text MB/s (the roster as CSV text / time) and findings. Numbers are
synthetic (random digits + computed check digit).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
import zipfile
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def number(rng: random.Random) -> str:
    first = "".join(str(rng.randrange(10)) for _ in range(11))
    r = sum(w * int(c) for w, c in zip(WEIGHTS, first)) % 11
    return first + str(0 if r <= 1 else 11 - r)


def roster(rows: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    out = [["氏名", "個人番号", "電話番号", "備考"]]
    for i in range(rows):
        out.append([f"社員{i}", number(rng), f"03-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}", "年末調整 提出済み"])
    return out


def make(dirpath: Path, rows: int) -> dict[str, Path]:
    import docx
    import openpyxl
    import pptx
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    data = roster(rows)
    csv_text = "".join(",".join(r) + "\n" for r in data)
    files = {}
    files["txt (csv)"] = dirpath / "roster.csv"
    files["txt (csv)"].write_text(csv_text, encoding="utf-8")
    d = docx.Document()
    for r in data[: min(len(data), 5000)]:
        d.add_paragraph("\t".join(r))
    files["docx"] = dirpath / "roster.docx"
    d.save(files["docx"])
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("名簿")
    for r in data:
        ws.append(r)
    files["xlsx"] = dirpath / "roster.xlsx"
    wb.save(files["xlsx"])
    prs = pptx.Presentation()
    for start in range(1, min(len(data), 2001), 20):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.placeholders[1].text = "\n".join("個人番号 " + r[1] for r in data[start : start + 20])
    files["pptx"] = dirpath / "roster.pptx"
    prs.save(files["pptx"])
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    files["pdf"] = dirpath / "roster.pdf"
    c = canvas.Canvas(str(files["pdf"]))
    for start in range(1, min(len(data), 3001), 50):
        c.setFont("HeiseiKakuGo-W5", 9)
        for i, r in enumerate(data[start : start + 50]):
            c.drawString(40, 800 - 15 * i, f"{r[0]} 個人番号：{r[1]} 電話 {r[2]}")
        c.showPage()
    c.save()
    msg = MIMEMultipart()
    msg["Subject"] = "名簿送付"
    msg.attach(MIMEText("名簿を送ります。\n", "plain", "iso-2022-jp"))
    att = MIMEApplication(csv_text.encode("cp932"), Name="roster.csv")
    att.add_header("Content-Disposition", "attachment", filename="roster.csv")
    msg.attach(att)
    files["eml"] = dirpath / "roster.eml"
    files["eml"].write_bytes(msg.as_bytes())
    files["zip of csv"] = dirpath / "rosters.zip"
    with zipfile.ZipFile(files["zip of csv"], "w", zipfile.ZIP_DEFLATED) as z:
        for k in range(10):
            part = data[:1] + data[1 + k * (rows // 10) : 1 + (k + 1) * (rows // 10)]
            z.writestr(f"dept{k}/roster.csv", "".join(",".join(r) + "\n" for r in part))
    return files


def run(path: Path) -> tuple[float, int]:
    env = dict(os.environ, MYNUMBER_DLP_FINGERPRINT_KEY="bench")
    cmd = [sys.executable, "-m", "scanner", "scan", str(path), "--format", "jsonl", "-j", "1", "--no-progress"]
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    return wall, p.stdout.count('"type":"finding"')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--data-dir", default="/tmp/mynumber-dlp-bench/formats")
    args = ap.parse_args()
    d = Path(args.data_dir)
    d.mkdir(parents=True, exist_ok=True)
    files = make(d, args.rows)
    base_wall, _ = run(files["txt (csv)"])
    print(f"{'format':12s} {'file MB':>8s} {'wall s':>7s} {'file MB/s':>9s} {'text MB/s':>9s} {'findings':>8s}  vs csv")
    for name, path in files.items():
        wall, n = run(path)
        size = path.stat().st_size / 1e6
        text_mb = files["txt (csv)"].stat().st_size / 1e6 * (n / max(1, args.rows))
        print(f"{name:12s} {size:8.2f} {wall:7.2f} {size / wall:9.2f} {text_mb / wall:9.2f} {n:8d}  {wall / base_wall:5.2f}x time")


if __name__ == "__main__":
    main()
