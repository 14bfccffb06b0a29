"""Core benchmark for issue 10: the detection core in-process, the whole CLI and ripgrep, in one run.

Run by hand; prints numbers, asserts nothing about time::

    python tests/benchmarks/bench_core.py            # 200 MB each: digit-rich UTF-8, its CP932 twin, digit-dense CSV
    python tests/benchmarks/bench_core.py --quick    # 8 MB each, 100,000-row roster: while developing
    python tests/benchmarks/bench_core.py --size-mb 50 --json /tmp/core.json

For each file (see data.py: ``digit_rich``, ``digit_rich(cp932=True)``, ``digit_dense``) it
measures, on the same file in the same run:

* ``rg -c``        - ripgrep counting lines with 12 contiguous digits: the compiled-code yardstick;
* ``core``         - ``iter_segments`` (byte prefilter + decoding, as the CLI feeds the engine) and
                     ``Engine.scan_segments``, in this process;
* ``cli -j 1/2``   - ``mynumber-dlp scan FILE -f jsonl -j N`` as a subprocess, with its peak RSS;
* a per-stage profile, each stage a cumulative pipeline so that differences are stage costs:
  (a) read, (b) + byte prefilter, (c) + decoding into segments, (d) + candidate finding,
  (e) + the rest of the engine (= ``core``).

Then a 1 KB JSON message through ``Engine.scan_text`` (median of 10,000) and a roster of
1,000,000 rows, one My Number each (findings/s through the CLI and in-process).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scan  # noqa: E402  (tests/benchmarks/bench_scan.py: child process timing helpers)
import data  # noqa: E402  (tests/benchmarks/data.py)

MB = data.MB
ROOT = Path(__file__).resolve().parents[2]
FINGERPRINT_KEY = "bench"
RG_PATTERN = bench_scan.RG_PATTERN
DEFAULT_MB = 200.0
QUICK_MB = 8.0
ROSTER_ROWS = 1_000_000
QUICK_ROSTER_ROWS = 100_000
MESSAGES = 10_000


# ---------------------------------------------------------------------------
# set-up
# ---------------------------------------------------------------------------


def say(*a: object) -> None:
    if not QUIET:
        print(*a, file=sys.stderr, flush=True)


QUIET = False


def ensure_rg() -> tuple[str | None, str]:
    """ripgrep's path (installing the Debian package when root and it is missing) and a note."""
    rg = shutil.which("rg")
    if rg:
        return rg, ""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None, "rg not on PATH (install ripgrep); rg rows skipped"
    lists = Path("/var/lib/apt/lists")
    updated = False
    if not any(lists.glob("*Packages*")):
        say("   apt-get update -qq")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        updated = True
    say("   apt-get install -y ripgrep")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    ok = subprocess.run(["apt-get", "install", "-y", "-qq", "ripgrep"], env=env, check=False).returncode == 0
    if not ok and not updated:
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "ripgrep"], env=env, check=False)
    rg = shutil.which("rg")
    return (
        (rg, "installed ripgrep (apt-get)")
        if rg
        else (None, "rg not on PATH and apt-get install ripgrep failed; rg rows skipped")
    )


def rg_version(rg: str | None) -> str:
    if not rg:
        return "-"
    out = subprocess.run([rg, "--version"], capture_output=True, text=True).stdout
    return out.splitlines()[0] if out else "?"


def scanner_package() -> Path:
    """The directory of the ``scanner`` package this process imports (``PYTHONPATH`` may point elsewhere)."""
    spec = importlib.util.find_spec("scanner")
    return Path(spec.origin).parent if spec and spec.origin else ROOT / "scanner"


def source_state() -> str:
    """A digest of what the in-process rows and the CLI run: scanner/**/*.py, the native module, rules."""
    pkg = scanner_package()
    h = hashlib.sha256()
    files = sorted(pkg.rglob("*.py")) + sorted(pkg.rglob("*.so")) + sorted((pkg.parent / "rules").glob("*.toml"))
    for p in files:
        try:
            h.update(str(p.relative_to(pkg.parent)).encode() + b"\0" + p.read_bytes())
        except OSError:
            h.update(str(p).encode() + b"\0?")
    if pkg != ROOT / "scanner":
        return f"{h.hexdigest()[:12]} (package {pkg})"
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return f"{h.hexdigest()[:12]} (git {head or '?'} + working tree)"


def engine_kind(engine) -> str:
    """Which implementation ``Engine.document()`` scans with."""
    doc = engine.document()
    return f"{type(doc).__module__}.{type(doc).__name__}"


def warm(path: Path) -> None:
    """Read the file once so every method starts with it in the page cache."""
    with open(path, "rb") as f:
        while f.read(8 << 20):
            pass


# ---------------------------------------------------------------------------
# rows
# ---------------------------------------------------------------------------


@dataclass
class Row:
    method: str
    nbytes: int
    runs: int = 0
    wall: float | None = None
    rss_mb: float | None = None
    findings: str = ""
    note: str = ""
    count: int | None = None
    """Findings (or rg lines) as a number, for rates."""

    @property
    def mbps(self) -> float | None:
        return self.nbytes / MB / self.wall if self.wall else None


@dataclass
class Stage:
    key: str
    what: str
    wall: float
    runs: int
    info: dict = field(default_factory=dict)


@dataclass
class FileResult:
    label: str
    path: str
    meta: dict
    encoding: str = ""
    rows: list[Row] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(self, method: str) -> Row | None:
        return next((r for r in self.rows if r.method == method and r.wall), None)


def best_of(fn: Callable[[], object], repeat: int, slow: float) -> tuple[int, float, object]:
    """Runs made, best wall seconds, first result (one run when it takes longer than ``slow``)."""
    runs, wall, _cpu, result = bench_scan.best_of(fn, repeat, slow)
    return runs, wall, result


def by_confidence(levels: Counter) -> str:
    return f"{sum(levels.values())} (h{levels.get('high', 0)}/m{levels.get('medium', 0)}/l{levels.get('low', 0)})"


def count_cli_output(out: str) -> tuple[Counter, Counter]:
    """Findings by confidence and not_scanned records by reason in a jsonl report."""
    conf: Counter = Counter()
    not_scanned: Counter = Counter()
    with open(out, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            kind = rec.get("type")
            if kind == "finding":
                conf[rec.get("confidence")] += 1
            elif kind == "not_scanned":
                not_scanned[rec.get("reason", "?")] += 1
    return conf, not_scanned


BENCH_CONFIG = """\
# mynumber-dlp config of the core benchmark: limits raised so that big files are scanned whole
[limits]
max_file_size = "64GiB"
max_scan_size = "64GiB"
max_scan_time = "6h"
"""
"""Passed with ``--config`` unless ``--shipped-limits``: the shipped 2 minutes per file would cut
the Python engine's scan of a 200 MB dense CSV short (a ``limit:max_scan_time`` record)."""


def cli_command(path: Path, jobs: int, args: argparse.Namespace, tmp: Path) -> list[str] | None:
    venv_cli = ROOT / ".venv" / "bin" / "mynumber-dlp"  # the project's venv first, else the one on PATH
    cli = [str(venv_cli)] if venv_cli.exists() else bench_scan.cli_command()
    if cli is None:
        return None
    cmd = [*cli, "scan", str(path), "-f", "jsonl", "-j", str(jobs)]
    if not args.shipped_limits:
        config = tmp / "bench-config.toml"
        config.write_text(BENCH_CONFIG)
        cmd += ["--config", str(config)]
    return cmd


def cli_row(path: Path, jobs: int, args: argparse.Namespace, tmp: Path) -> Row:
    size = path.stat().st_size
    method = f"cli scan -j {jobs} jsonl"
    cmd = cli_command(path, jobs, args, tmp)
    if cmd is None:
        return Row(method, size, note="skipped: mynumber-dlp not found")
    env = dict(os.environ, MYNUMBER_DLP_FINGERPRINT_KEY=FINGERPRINT_KEY, XDG_CONFIG_HOME=str(tmp / "xdg"))
    say(f"   {method}")
    runs, best, out = bench_scan.child_best(cmd, args.repeat, args.slow_seconds, tmp, env)
    try:
        if best is None:
            first = runs[0]
            detail = (first.stderr.strip().splitlines()[-1:] or [""])[0]
            return Row(method, size, note=f"failed: exit {first.rc}: {detail[:80]}")
        conf, not_scanned = count_cli_output(out)
        note = f"exit {best.rc}" + "".join(f", not_scanned {r} x{n}" for r, n in sorted(not_scanned.items()))
        return Row(
            method,
            size,
            len(runs),
            best.wall,
            max(r.rss_mb for r in runs),
            by_confidence(conf),
            note,
            sum(conf.values()),
        )
    finally:
        Path(out).unlink(missing_ok=True)


def rg_row(rg: str | None, path: Path, args: argparse.Namespace, tmp: Path) -> Row:
    size = path.stat().st_size
    if rg is None:
        return Row("rg -c 12 digits", size, note="skipped: rg not on PATH")
    say("   rg")
    runs, best, out = bench_scan.child_best([rg, "-c", RG_PATTERN, str(path)], max(3, args.repeat), float("inf"), tmp)
    n = Path(out).read_text().strip() if best else ""
    Path(out).unlink(missing_ok=True)
    if best is None:
        return Row("rg -c 12 digits", size, note=f"failed: exit {runs[0].rc}")
    return Row("rg -c 12 digits", size, len(runs), best.wall, best.rss_mb, f"{n or 0} lines", count=int(n or 0))


# ---------------------------------------------------------------------------
# the in-process stages
# ---------------------------------------------------------------------------


def stage_read(path: Path) -> dict:
    """(a) the bytes, read as textfile.py reads them (1 MiB at a time)."""
    from scanner.extract.textfile import READ_BYTES

    n = 0
    with open(path, "rb") as f:
        while b := f.read(READ_BYTES):
            n += len(b)
    return {"bytes": n}


def stage_profile(path: Path, engine) -> dict:
    """The core's own per-stage clock over one scan of the file as the CLI feeds it: raw bytes in
    (``feed_bytes``), the byte prefilter, decoding, candidate finding, examining (structure,
    context, scores) and the rest of the document scanner (settling, evidence, HMAC)."""
    from scanner.detect.segments import RawText
    from scanner.extract.textfile import iter_segments

    findings = 0
    with open(path, "rb") as f:
        enc, segs = iter_segments(f, engine.prefilter)
        doc = engine.document()
        for seg in segs:
            findings += len(doc.feed_bytes(seg) if isinstance(seg, RawText) else doc.feed(seg.text, seg.zones))
        findings += len(doc.close())
    prof = doc.profile() if hasattr(doc, "profile") else {}
    return {"encoding": enc, "findings": findings, **prof}


def stage_engine(path: Path, engine) -> dict:
    """(e) the full engine: iter_segments + Engine.scan_segments (the core as the CLI runs it)."""
    from scanner.extract.textfile import iter_segments

    levels: Counter = Counter()
    with open(path, "rb") as f:
        _enc, segs = iter_segments(f, engine.prefilter)
        for finding in engine.scan_segments(segs):
            levels[finding.confidence.label] += 1
    return {"findings": sum(levels.values()), "levels": dict(levels)}


STAGES = (
    ("a", "read bytes (1 MiB reads)", lambda p, e: stage_read(p)),
    ("p", "profiled core scan (the core's own clock)", stage_profile),
    ("e", "core: iter_segments + Engine.scan_segments", lambda p, e: stage_engine(p, e)),
)
PROFILE = (
    ("prefilter_ns", "byte prefilter (search, plan)"),
    ("decode_ns", "decoding (encoding_rs)"),
    ("find_ns", "candidate finding"),
    ("examine_ns", "examining (structure, context, score)"),
    ("settle_ns", "settling (evidence, mask, HMAC, records)"),
    ("python_ns", "Python: reading, bindings, Finding objects"),
)
"""The profiled scan's stages: each ns/B is the stage's own cost (they add up to its wall)."""


def bench_file(res: FileResult, engine, rg: str | None, args: argparse.Namespace, tmp: Path) -> None:
    path = Path(res.path)
    size = path.stat().st_size
    say(f"== {res.label}: {path} ({size / MB:.1f} MB)")
    warm(path)
    res.rows.append(rg_row(rg, path, args, tmp))

    for key, what, fn in STAGES:
        say(f"   stage ({key}) {what}")
        runs, wall, info = best_of(lambda fn=fn: fn(path, engine), args.repeat, args.slow_seconds)
        res.stages.append(Stage(key, what, wall, runs, dict(info)))
    e = res.stages[-1]
    res.encoding = res.stages[1].info.get("encoding", "")
    prof = res.stages[1].info
    if "scan_ns" in prof:
        core_ns = prof["prefilter_ns"] + prof["decode_ns"] + prof["scan_ns"]
        prof["settle_ns"] = prof["scan_ns"] - prof["find_ns"] - prof["examine_ns"]
        prof["python_ns"] = max(0, int(res.stages[1].wall * 1e9) - core_ns)
    core = Row(
        "core in-process (segments+engine)",
        size,
        e.runs,
        e.wall,
        None,
        by_confidence(Counter(e.info["levels"])),
        f"encoding {res.encoding}",
        e.info["findings"],
    )
    res.rows.append(core)

    for jobs in (1, 2):
        gc.collect()
        res.rows.append(cli_row(path, jobs, args, tmp))

    cli1 = res.row("cli scan -j 1 jsonl")
    if cli1 and cli1.count != core.count:
        res.notes.append(f"CLI -j 1 found {cli1.count}, the core in-process {core.count}")


# ---------------------------------------------------------------------------
# the message and the roster
# ---------------------------------------------------------------------------


def message_payload() -> str:
    """A typical ~1 KB JSON message (help-desk ticket) holding one My Number with context."""
    rng = random.Random("message-1")
    mn = data.my_number(rng)
    order = data.invalid12(rng)
    body = (
        "お疲れさまです。総務部の佐藤です。年末調整の書類を提出します。"
        f"私の個人番号は{mn}です。扶養控除等申告書の原本は社内便で別送しました。"
        f"先日の備品購入（注文番号 {order}、合計 12,800円）の精算もあわせてお願いします。"
        "不明点があれば内線 4321 か 090-1234-5678 までご連絡ください。"
        "Thanks, and sorry for the late submission - the forms were signed on 2024-11-28."
    )
    msg = {
        "id": "INC0012345",
        "created_at": "2024-12-02T09:15:32+09:00",
        "from": {"name": "佐藤 太郎", "email": "taro.sato@example.co.jp", "dept": "総務部"},
        "to": ["hr-desk@example.co.jp"],
        "subject": "年末調整の書類について（佐藤）",
        "body": body,
        "priority": 3,
        "tags": ["hr", "年末調整", "expense"],
        "attachments": [{"name": "receipt_20241128.pdf", "size": 183214}],
    }
    s = json.dumps(msg, ensure_ascii=False)
    pad = 1024 - len(s.encode("utf-8"))
    if pad > 20:
        msg["note"] = "x" * (pad - len(b', "note": ""'))
        s = json.dumps(msg, ensure_ascii=False)
    return s


def bench_message(engine, n: int) -> dict:
    say(f"== 1 KB JSON message x {n}")
    payload = message_payload()
    found = engine.scan_text(payload)
    for _ in range(200):  # warm up
        engine.scan_text(payload)
    times = []
    clock = time.perf_counter_ns
    gc.collect()
    for _ in range(n):
        t0 = clock()
        engine.scan_text(payload)
        times.append(clock() - t0)
    times.sort()
    return {
        "bytes": len(payload.encode("utf-8")),
        "messages": n,
        "findings_per_message": len(found),
        "levels": [f.confidence.label for f in found],
        "median_us": statistics.median(times) / 1000,
        "p90_us": times[int(n * 0.9)] / 1000,
        "p99_us": times[int(n * 0.99)] / 1000,
        "min_us": times[0] / 1000,
    }


def bench_roster(gen: data.Generated, engine, args: argparse.Namespace, tmp: Path) -> dict:
    path = gen.path
    size = path.stat().st_size
    say(f"== roster: {path} ({size / MB:.1f} MB, {gen.meta['rows']} rows)")
    warm(path)
    out: dict = {"path": str(path), "bytes": size, "rows": gen.meta["rows"]}
    runs, wall, info = best_of(lambda: stage_engine(path, engine), args.repeat, args.slow_seconds)
    out["core"] = {
        "runs": runs,
        "wall": wall,
        "findings": info["findings"],
        "levels": info["levels"],
        "findings_per_s": info["findings"] / wall,
        "mbps": size / MB / wall,
    }
    row = cli_row(path, 1, args, tmp)
    out["cli"] = {
        "runs": row.runs,
        "wall": row.wall,
        "findings": row.count,
        "rss_mb": row.rss_mb,
        "note": row.note,
        "findings_per_s": (row.count or 0) / row.wall if row.wall else None,
        "mbps": row.mbps,
    }
    return out


# ---------------------------------------------------------------------------
# printing
# ---------------------------------------------------------------------------


def fmt(v: float | None, spec: str) -> str:
    if v is None:
        width = "".join(ch for ch in spec.split(".")[0] if ch.isdigit())
        return "-".rjust(int(width or 0))
    return format(v, spec)


def x_rg(mbps: float | None, rg: Row | None) -> float | None:
    return mbps / rg.mbps if mbps and rg and rg.mbps else None


def print_file(res: FileResult, out) -> None:
    size = Path(res.path).stat().st_size
    m = res.meta
    print(f"\n## {res.label}: {Path(res.path).name}  {size / MB:.1f} MB  ({data.density_line(m)})", file=out)
    rg = res.row("rg -c 12 digits")
    hdr = f"{'method':<36} {'runs':>4} {'wall s':>8} {'MB/s':>8} {'x rg':>6} {'RSS MB':>7}  {'findings':<24} note"
    print(hdr, file=out)
    print("-" * len(hdr), file=out)
    for r in res.rows:
        print(
            f"{r.method:<36} {r.runs or '':>4} {fmt(r.wall, '8.3f')} {fmt(r.mbps, '8.2f')} "
            f"{fmt(x_rg(r.mbps, rg), '6.3f')} {fmt(r.rss_mb, '7.0f')}  {r.findings:<24} {r.note}",
            file=out,
        )
    print("\nstages (in-process; ns/B = wall ns per file byte)", file=out)
    hdr = f"{'stage':<48} {'runs':>4} {'wall s':>8} {'MB/s':>8} {'x rg':>6} {'ns/B':>7}"
    print(hdr, file=out)
    print("-" * len(hdr), file=out)
    for s in res.stages:
        nspb = s.wall * 1e9 / size
        mbps = size / MB / s.wall
        print(f"({s.key}) {s.what:<44} {s.runs:>4} {s.wall:8.3f} {mbps:8.2f} {fmt(x_rg(mbps, rg), '6.3f')} {nspb:7.2f}",
              file=out)
    prof = next((s.info for s in res.stages if s.key == "p"), {})
    if "scan_ns" in prof:
        cands = prof["candidates"]
        print(f"\nper-stage profile of (p): decoded {prof['decoded_bytes'] / size:.1%} of the bytes, "
              f"{prof['gaps']:,} gaps, {cands:,} candidates", file=out)
        print(f"{'stage':<48} {'ns/B':>8} {'ns/cand':>9} {'share':>6}", file=out)
        total = sum(prof[k] for k, _ in PROFILE) or 1
        for key, what in PROFILE:
            ns = prof[key]
            print(f"{what:<48} {ns / size:8.2f} {fmt(ns / cands if cands else None, '9.0f')} {ns / total:6.1%}",
                  file=out)
    gen = []
    if "my_numbers" in m:
        gen.append(f"generated My Numbers with context {m['my_numbers']} {m.get('my_number_forms', '')}")
    if "my_number_rows" in m:
        gen.append(f"rows {m['rows']:,}, with a valid 個人番号 {m['my_number_rows']:,}")
    gen.append(f"benchmark candidates (12 digits / 4-4-4) {m['candidates']:,}, valid {m['valid_candidates']:,}")
    for g in gen:
        print(f"  sanity: {g}", file=out)
    for n in res.notes:
        print(f"  NOTE: {n}", file=out)


def summary(results: list[FileResult]) -> list[tuple[str, float | None, str, str]]:
    """(what, measured, target, verdict) for the issue's targets."""
    by = {r.label: r for r in results}
    rows = []

    def ratio(label: str, method: str) -> float | None:
        r = by.get(label)
        if r is None:
            return None
        row, rg = r.row(method), r.row("rg -c 12 digits")
        return x_rg(row.mbps if row else None, rg)

    def verdict(v: float | None, target: float) -> str:
        return "-" if v is None else ("met" if v >= target else "not met")

    for label, method, target, what in (
        ("rich", "core in-process (segments+engine)", 1.0, "core / rg, digit-rich (mixed) text"),
        ("digits", "core in-process (segments+engine)", 0.5, "core / rg, dense CSV"),
        ("rich", "cli scan -j 1 jsonl", 0.5, "CLI -j 1 / rg, digit-rich text"),
        ("digits", "cli scan -j 1 jsonl", 0.25, "CLI -j 1 / rg, dense CSV"),
    ):
        v = ratio(label, method)
        rows.append((what, v, f">= {target}", verdict(v, target)))
    if "rich" in by and "cp932" in by:
        for method, name in (("core in-process (segments+engine)", "core"), ("cli scan -j 1 jsonl", "CLI -j 1")):
            a, b = by["rich"].row(method), by["cp932"].row(method)
            v = b.mbps / a.mbps if a and b else None
            ok = "-" if v is None else ("met" if v >= 0.8 else "not met")
            rows.append((f"{name} MB/s CP932 / UTF-8", v, ">= 0.8", ok))
    return rows


def print_report(results, message, roster_res, env, out=sys.stdout) -> None:
    print(
        f"\nmynumber-dlp core benchmark (issue 10)  python {env['python']}  cores {env['cores']}  {env['rg_version']}",
        file=out,
    )
    print(f"scanner sources: {env['sources_start']}; engine.document() is {env['engine']}", file=out)
    if env["sources_start"].split()[0] != env["sources_end"].split()[0]:  # the digest, not the git HEAD
        print(
            f"WARNING: scanner sources changed during the run (now {env['sources_end']}): rows may mix code versions",
            file=out,
        )
    print(
        f"load average at start {env['load_start']}, at the end {env['load_end']}; repeat {env['repeat']} "
        f"(once if a run > {env['slow_seconds']:g} s; rg always best of 3)",
        file=out,
    )
    limits = "shipped limits" if env["shipped_limits"] else "--config with max_scan_time 6h, max_file_size 64GiB"
    print(
        f"cli: MYNUMBER_DLP_FINGERPRINT_KEY=bench .venv/bin/mynumber-dlp scan FILE -f jsonl -j N ({limits})", file=out
    )
    if env.get("rg_note"):
        print(f"rg: {env['rg_note']}", file=out)
    print(
        "MB = 10^6 bytes of the file; MB/s = file MB / wall s; x rg = MB/s / rg's MB/s on the same file in this run;",
        "RSS MB = peak RSS of the largest process of that command",
        file=out,
    )
    for res in results:
        print_file(res, out)
    if message:
        m = message
        print(
            f"\n## 1 KB JSON message ({m['bytes']} bytes, {m['findings_per_message']} finding {m['levels']}) "
            f"through Engine.scan_text x {m['messages']:,}",
            file=out,
        )
        print(
            f"median {m['median_us']:.1f} us   p90 {m['p90_us']:.1f} us   p99 {m['p99_us']:.1f} us   "
            f"min {m['min_us']:.1f} us   ({1e6 / m['median_us']:,.0f} messages/s at the median)",
            file=out,
        )
    if roster_res:
        r = roster_res
        print(
            f"\n## roster: {Path(r['path']).name}  {r['bytes'] / MB:.1f} MB, {r['rows']:,} rows, one My Number each",
            file=out,
        )
        hdr = f"{'method':<36} {'runs':>4} {'wall s':>8} {'MB/s':>8} {'findings':>10} {'findings/s':>11} "
        hdr += f"{'RSS MB':>7}  note"
        print(hdr, file=out)
        print("-" * len(hdr), file=out)
        c = r["core"]
        print(
            f"{'core in-process (segments+engine)':<36} {c['runs']:>4} {c['wall']:8.3f} {c['mbps']:8.2f} "
            f"{c['findings']:>10,} {c['findings_per_s']:>11,.0f} {'-':>7}  {c['levels']}",
            file=out,
        )
        c = r["cli"]
        print(
            f"{'cli scan -j 1 jsonl':<36} {c['runs'] or '':>4} {fmt(c['wall'], '8.3f')} {fmt(c['mbps'], '8.2f')} "
            f"{fmt(c['findings'], '10,d')} {fmt(c['findings_per_s'], '11,.0f')} "
            f"{fmt(c['rss_mb'], '7.0f')}  {c['note']}",
            file=out,
        )
    rows = [t for t in summary(results) if t[1] is not None]
    if rows:
        print(f"\n## issue 10 targets, this run (engine.document() is {env['engine']})", file=out)
        for what, v, target, ok in rows:
            print(f"  {what:<40} {fmt(v, '8.3f')}   target {target:<6} {ok}", file=out)


# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    global QUIET
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=data.DEFAULT_DATA_DIR)
    ap.add_argument("--size-mb", type=float, default=None, help=f"size of each file in MB (default {DEFAULT_MB:g})")
    ap.add_argument("--quick", action="store_true", help=f"{QUICK_MB:g} MB files, {QUICK_ROSTER_ROWS:,}-row roster")
    ap.add_argument(
        "--roster-rows", type=int, default=None, help=f"default {ROSTER_ROWS:,} ({QUICK_ROSTER_ROWS:,} with --quick)"
    )
    ap.add_argument("--messages", type=int, default=MESSAGES, help="1 KB messages timed (median)")
    ap.add_argument("--seed", type=int, default=data.DEFAULT_SEED)
    ap.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    ap.add_argument(
        "--slow-seconds", type=float, default=10.0, help="a run longer than this is not repeated (rg: always 3)"
    )
    ap.add_argument(
        "--only",
        action="append",
        choices=("rich", "cp932", "digits", "message", "roster"),
        help="run only these parts (repeatable)",
    )
    ap.add_argument(
        "--shipped-limits", action="store_true", help="run the CLI with the shipped limits (2 min, 256 MiB per file)"
    )
    ap.add_argument("--json", type=Path, help="also write every number to this JSON file")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = ap.parse_args(argv)
    QUIET = args.quiet
    size_mb = args.size_mb if args.size_mb is not None else (QUICK_MB if args.quick else DEFAULT_MB)
    roster_rows = (
        args.roster_rows if args.roster_rows is not None else (QUICK_ROSTER_ROWS if args.quick else ROSTER_ROWS)
    )
    only = set(args.only or ("rich", "cp932", "digits", "message", "roster"))

    rg, rg_note = ensure_rg()
    from scanner.detect.engine import Engine
    from scanner.privacy.fingerprint import Fingerprinter
    from scanner.rules.loader import load_ruleset

    engine = Engine(load_ruleset(), Fingerprinter(FINGERPRINT_KEY))
    files = []
    if "rich" in only:
        files.append(("rich", data.digit_rich(size_mb, args.data_dir, args.seed, quiet=args.quiet)))
    if "cp932" in only:
        files.append(("cp932", data.digit_rich(size_mb, args.data_dir, args.seed, cp932=True, quiet=args.quiet)))
    if "digits" in only:
        files.append(("digits", data.digit_dense(size_mb, args.data_dir, args.seed, quiet=args.quiet)))
    ros = data.roster(roster_rows, args.data_dir, args.seed, quiet=args.quiet) if "roster" in only else None
    for label, g in files:
        say(f"   {label}: {data.density_line(g.meta)}")

    env = {
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "rg": rg,
        "rg_version": rg_version(rg),
        "rg_note": rg_note,
        "load_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "repeat": args.repeat,
        "slow_seconds": args.slow_seconds,
        "size_mb": size_mb,
        "sources_start": source_state(),
        "engine": engine_kind(engine),
        "shipped_limits": args.shipped_limits,
        "argv": sys.argv,
    }
    t0 = time.perf_counter()
    results: list[FileResult] = []
    message = roster_res = None
    with tempfile.TemporaryDirectory(prefix="mynumber-dlp-core-") as tmpdir:
        tmp = Path(tmpdir)
        for label, g in files:
            res = FileResult(label, str(g.path), g.meta)
            bench_file(res, engine, rg, args, tmp)
            results.append(res)
        if "message" in only:
            message = bench_message(engine, args.messages)
        if ros is not None:
            roster_res = bench_roster(ros, engine, args, tmp)
    env["sources_end"] = source_state()
    env["seconds"] = round(time.perf_counter() - t0, 1)
    env["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print_report(results, message, roster_res, env)
    print(f"\n(benchmark took {env['seconds']:.0f} s)")
    if args.json:
        rg_of = {r.label: r.row("rg -c 12 digits") for r in results}
        doc = {
            "env": env,
            "files": [
                {
                    **asdict(r),
                    "rows": [dict(asdict(x), mbps=x.mbps, x_rg=x_rg(x.mbps, rg_of[r.label])) for x in r.rows],
                    "stages": [
                        dict(asdict(s), ns_per_byte=s.wall * 1e9 / Path(r.path).stat().st_size) for s in r.stages
                    ],
                }
                for r in results
            ],
            "message": message,
            "roster": roster_res,
            "targets": [dict(zip(("what", "measured", "target", "verdict"), t, strict=True)) for t in summary(results)],
        }
        args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
