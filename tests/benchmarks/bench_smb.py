"""Audits of a share over SMB against the same tree read locally, run by hand (as root: smbd):

    python tests/benchmarks/bench_smb.py [--files 2000] [--big 10] [--big-mb 4] [--jobs 2]

A private smbd (tests/sources/smb/samba.py) serves a generated tree on a free loopback port:
``--files`` small text files (2-8 KB of Japanese and English prose, 1 in 100 with a My Number)
and ``--big`` files of ``--big-mb`` MB. In the same run it measures:

- ``read, local`` / ``read, smb``: every file read whole (Python, one thread) from the disk and
  through smbclient: the transport's floor;
- ``rg -c, local``: ripgrep counting 12-digit runs over the local tree (the yardstick);
- ``scan, local`` / ``scan, smb``: ``mynumber-dlp scan DIR|smb://… -f jsonl -j JOBS``.

Files/s and MB/s per row, and the ratios smb/local. Loopback has no network latency: on a
real LAN each file costs round trips (open, read, close) that these numbers do not show.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402

from scanner.sources.smb.client import SmbClient  # noqa: E402
from scanner.sources.smb.credentials import SmbCredentials  # noqa: E402
from scanner.sources.smb.location import parse_smb_url  # noqa: E402
from scanner.sources.smb.walk import share_entries  # noqa: E402
from tests.sources.smb.samba import SMB_PASSWORD, SMB_USER, samba_share  # noqa: E402

MB = 1 << 20
SEED = 15
NUMBER_EVERY = 100
"""One small file in this many holds a My Number."""


def build_tree(root: Path, files: int, big: int, big_mb: float) -> int:
    """The tree under ``root`` (100 files per directory); returns its bytes."""
    rng = random.Random(SEED)
    pool = data.build_pool(rng)
    total = 0
    for i in range(files):
        d = root / f"部署{i // 100:03d}"
        d.mkdir(parents=True, exist_ok=True)
        body = b"".join(rng.choice(pool) for _ in range(rng.randint(30, 110)))
        if i % NUMBER_EVERY == 0:
            body += f"個人番号: {data.my_number(rng)}\n".encode()
        (d / f"議事録{i:05d}.txt").write_bytes(body)
        total += len(body)
    for i in range(big):
        chunks, size = [], 0
        while size < big_mb * MB:
            line = rng.choice(pool)
            chunks.append(line)
            size += len(line)
        (root / f"大容量{i:02d}.log").write_bytes(b"".join(chunks))
        total += size
    return total


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def read_local(root: Path) -> None:
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            with open(os.path.join(dirpath, n), "rb") as f:
                while f.read(MB):
                    pass


def read_smb(url: str) -> None:
    client = SmbClient(SmbCredentials(SMB_USER, SMB_PASSWORD))
    for entry in share_entries(client, parse_smb_url(url), ()):
        if hasattr(entry, "location"):
            with client.open(entry.location) as f:
                while f.read(MB):
                    pass
    client.close()


def run(args: list[str], env: dict) -> None:
    p = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit(f"{args[:4]} failed ({p.returncode}): {p.stderr.strip()[:300]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--big", type=int, default=10)
    ap.add_argument("--big-mb", type=float, default=4.0)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-smb-"))
    try:
        with samba_share(work) as share:
            nbytes = build_tree(share.root, a.files, a.big, a.big_mb)
            nfiles = a.files + a.big
            env = {**os.environ, **share.env, "MYNUMBER_DLP_FINGERPRINT_KEY": "bench-key",
                   "XDG_CONFIG_HOME": str(work / "xdg"), "XDG_DATA_HOME": str(work / "xdg-data")}
            cli = [sys.executable, "-m", "scanner", "scan", "-f", "jsonl", "-j", str(a.jobs), "--no-progress"]
            rows: list[tuple[str, float]] = []
            read_local(share.root)  # warm the page cache: both sides then read from memory
            rows.append(("read, local", timed(lambda: read_local(share.root))))
            rows.append(("read, smb", timed(lambda: read_smb(share.url))))
            rg = shutil.which("rg")
            if rg:
                rows.append(("rg -c, local", timed(lambda: subprocess.run(
                    [rg, "-c", r"(^|[^0-9])[0-9]{12}([^0-9]|$)", str(share.root)], stdout=subprocess.DEVNULL))))
            rows.append(("scan, local", timed(lambda: run(cli + [str(share.root)], env))))
            rows.append(("scan, smb", timed(lambda: run(cli + [share.url], env))))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"tree: {nfiles} files, {nbytes / MB:.1f} MB ({a.files} small, {a.big} x {a.big_mb:g} MB); "
          f"scans with -j {a.jobs}; {os.cpu_count()} cores")
    print(f"{'method':<14} {'seconds':>8} {'files/s':>9} {'MB/s':>8}")
    for name, secs in rows:
        print(f"{name:<14} {secs:8.2f} {nfiles / secs:9.0f} {nbytes / MB / secs:8.1f}")
    t = dict(rows)
    print(f"ratios: read smb/local {t['read, smb'] / t['read, local']:.1f}x slower; "
          f"scan smb/local {t['scan, smb'] / t['scan, local']:.2f}x; "
          + (f"scan local / rg {t['scan, local'] / t['rg -c, local']:.0f}x" if "rg -c, local" in t else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
