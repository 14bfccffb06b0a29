"""OCR benchmarks, run by hand:

    python tests/benchmarks/bench_ocr.py [--pages 20] [--scan-pages 50] [--text-files 20]

1. pages: an image-only PDF of --pages A4 pages (a form with a number on each, 300 dpi) scanned
   in this process: pages/s, and what each stage of the OCR costs per page (orientation
   detection, levelling, the text pass, the digit passes), measured by timing the stage
   functions. The yardstick, in the same run: the same pages as a PDF with a text layer.
2. latency: the daemon's close-to-alert time for text files (each with a number) written one
   by one, first with nothing else to do, then while a --scan-pages image-only PDF is being
   read by OCR (the slow lane): p50/p95/max of each, and when the scan's own alert came.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_daemon import Daemon  # noqa: E402

from scanner.audit import scan_file  # noqa: E402
from scanner.detect.engine import Engine  # noqa: E402
from scanner.detect.finding import Confidence  # noqa: E402
from scanner.extract import ocr  # noqa: E402
from scanner.privacy.fingerprint import Fingerprinter  # noqa: E402
from scanner.report.records import FindingRecord  # noqa: E402
from scanner.rules.loader import load_ruleset  # noqa: E402
from tests.conftest import make_number  # noqa: E402
from tests.imaging import page  # noqa: E402

STAGES = ("prepare", "deskew", "_recognise", "_orientations", "_reread_run", "_digit_pass")
"""The OCR module's stage functions timed per call (``read_lines`` calls them by module name)."""
BODY = [f"第{i}条　従業員は会社の定める規則に従い業務を行うものとする。" for i in range(1, 9)]


def form_page(n: str, dpi: int = 300):
    lines = ["給与所得者の扶養控除等（異動）申告書", "氏名　山田 太郎", f"個人番号　{n[:4]} {n[4:8]} {n[8:]}", *BODY]
    return page(lines, dpi=dpi)


def image_pdf(path: Path, count: int, seed: int) -> int:
    """An image-only PDF of ``count`` form pages; returns how many numbers it holds."""
    import random

    rng = random.Random(seed)
    pages = [form_page(make_number(rng)).convert("L") for _ in range(count)]
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=300)
    return count


def text_pdf(path: Path, count: int, seed: int) -> None:
    """The same kind of pages with a text layer (pypdfium2 cannot write text: reportlab)."""
    import random

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    rng = random.Random(seed)
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(count):
        n = make_number(rng)
        c.setFont("HeiseiKakuGo-W5", 11)
        lines = ["給与所得者の扶養控除等（異動）申告書", "氏名　山田 太郎", f"個人番号　{n[:4]} {n[4:8]} {n[8:]}", *BODY]
        for i, line in enumerate(lines):
            c.drawString(60, 780 - i * 20, line)
        c.showPage()
    c.save()


def timed_stages() -> dict[str, list[float]]:
    """Wrap the OCR stage functions so that each call's time is recorded."""
    spent: dict[str, list[float]] = defaultdict(list)

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name].append(time.perf_counter() - started)

        return timed

    for name in STAGES:
        setattr(ocr, name, wrap(name, getattr(ocr, name)))
    return spent


def pages_per_second(root: Path, count: int) -> None:
    engine = Engine(load_ruleset(), Fingerprinter("bench"))
    scanned, text = root / "scanned.pdf", root / "text.pdf"
    numbers = image_pdf(scanned, count, seed=1)
    text_pdf(text, count, seed=1)
    ocr.read_lines(form_page("123456789018"), 60, 80_000_000)  # load the models outside the timing
    started = time.perf_counter()
    found_text = sum(isinstance(r, FindingRecord) for r in scan_file(engine, str(text), Confidence.MEDIUM))
    text_took = time.perf_counter() - started
    spent = timed_stages()
    started = time.perf_counter()
    found = sum(isinstance(r, FindingRecord) for r in scan_file(engine, str(scanned), Confidence.MEDIUM))
    took = time.perf_counter() - started
    print(f"pages: {count} scanned A4 pages in {took:.1f} s = {count / took:.2f} pages/s, "
          f"{found}/{numbers} numbers found at >= medium")
    print(f"       yardstick, same pages with a text layer: {count / text_took:.0f} pages/s "
          f"({found_text}/{numbers} found) -> OCR costs {took / text_took:.0f}x")
    for name in STAGES:
        calls = spent.get(name, [])
        print(f"       {name.strip('_'):14} {len(calls):4d} calls  {sum(calls) / count * 1000:7.0f} ms/page")
    rest = took - sum(sum(spent.get(name, [])) for name in STAGES)
    print(f"       {'render, engine':14}            {rest / count * 1000:7.0f} ms/page (the rest)")


def latencies(d: Daemon, root: Path, names: list[str], gap: float) -> list[float]:
    """Close-to-alert seconds of each text file written, one at a time, ``gap`` apart."""
    log = root / "state" / "alerts.jsonl"
    out = []
    for name in names:
        path = root / "watch" / name
        path.write_text(f"個人番号：{make_number_text(name)}\n", encoding="utf-8")
        closed = time.monotonic()
        d.wait(lambda path=path: log.exists() and str(path) in log.read_text(encoding="utf-8"), 120)
        out.append(time.monotonic() - closed)
        time.sleep(gap)
    return out


def make_number_text(name: str) -> str:
    import random

    return make_number(random.Random(name))


def summary(lat: list[float]) -> str:
    p95 = statistics.quantiles(lat, n=20)[18] if len(lat) >= 2 else lat[0]
    return f"p50 {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms"


def daemon_latency(root: Path, scan_pages: int, files: int) -> None:
    (root / "watch").mkdir(parents=True)
    scan = root / "scan.pdf"
    image_pdf(scan, scan_pages, seed=2)
    d = Daemon(root)
    try:
        idle = latencies(d, root, [f"idle{i}.txt" for i in range(files)], 0.2)
        log = root / "state" / "alerts.jsonl"
        dropped = time.monotonic()
        (root / "watch" / "scan.pdf").write_bytes(scan.read_bytes())
        time.sleep(2.0)  # past the debounce: the scan is being read
        busy = latencies(d, root, [f"busy{i}.txt" for i in range(files)], 0.5)
        busy_done = time.monotonic()
        d.wait(lambda: "scan.pdf" in log.read_text(encoding="utf-8"), 3600)
        scan_took = time.monotonic() - dropped
    finally:
        d.stop()
    print(f"latency: text files close->alert, daemon idle:            {summary(idle)}")
    print(f"         the same while a {scan_pages}-page scan is read: {summary(busy)}")
    print(f"         the scan's own alert {scan_took:.1f} s after it was dropped "
          f"({scan_pages / scan_took:.2f} pages/s in the slow lane); the {files} text files were all alerted "
          f"{'before' if busy_done < dropped + scan_took else 'after'} it")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--scan-pages", type=int, default=50)
    ap.add_argument("--text-files", type=int, default=20)
    ap.add_argument("--only", choices=["pages", "latency"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "pages"):
            (Path(tmp) / "pages").mkdir()
            pages_per_second(Path(tmp) / "pages", args.pages)
        if args.only in (None, "latency"):
            daemon_latency(Path(tmp) / "latency", args.scan_pages, args.text_files)


if __name__ == "__main__":
    main()
