"""Daemon benchmarks, run by hand:

    python tests/benchmarks/bench_daemon.py [--files 5000] [--latency-files 200] [--tree 50000]

1. burst: --files small files dropped at once (1 in 100 with a number): files/s until all
   are scanned (from /metrics).
2. latency: --latency-files files written one by one (every 50 ms), each with a number:
   time from close-after-write to its alert line appearing in the alert log; p50/p95.
3. reconcile: a tree of --tree files already in the state; restart; time until /readyz
   (a full reconcile walk that finds nothing changed): files/s of the walk.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

N = "123456789018"
CLI = [sys.executable, "-m", "scanner"]


def port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self, root: Path) -> None:
        self.root, self.port = root, port()
        env = dict(os.environ, MYNUMBER_DLP_FINGERPRINT_KEY="bench", XDG_DATA_HOME=str(root / "xdg"))
        self.proc = subprocess.Popen(
            CLI + ["serve", "--watch", str(root / "watch"), "--state-dir", str(root / "state"),
                   "--quarantine-dir", str(root / "q"), "--metrics-address", f"127.0.0.1:{self.port}"],
            env=env, stdout=subprocess.DEVNULL, stderr=open(root / "stderr.log", "ab"))
        self.started = time.monotonic()
        self.wait(lambda: self.get("/readyz") is not None, 600)
        self.ready_after = time.monotonic() - self.started

    def get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as r:
                return r.read().decode() if r.status == 200 else None
        except Exception:  # noqa: BLE001
            return None

    def scanned(self) -> float:
        text = self.get("/metrics") or ""
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith("mynumber_dlp_items_scanned_total{"))

    @staticmethod
    def wait(check, timeout: float) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if check():
                return
            time.sleep(0.02)
        raise TimeoutError

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(60)


def burst(root: Path, n: int) -> None:
    (root / "watch").mkdir(parents=True)
    d = Daemon(root)
    t = time.monotonic()
    for i in range(n):
        (root / "watch" / f"f{i}.txt").write_text(f"個人番号：{N}\n" if i % 100 == 0 else f"議事録 {i}\n", encoding="utf-8")
    d.wait(lambda: d.scanned() >= n, 3600)
    took = time.monotonic() - t
    print(f"burst: {n} files in {took:.1f} s = {n / took:.0f} files/s (writing included)")
    d.stop()


def latency(root: Path, n: int) -> None:
    (root / "watch").mkdir(parents=True)
    d = Daemon(root)
    log = root / "state" / "alerts.jsonl"
    lat = []
    for i in range(n):
        path = root / "watch" / f"lat{i}.txt"
        before = log.stat().st_size if log.exists() else 0
        path.write_text(f"個人番号：{N}\n", encoding="utf-8")
        closed = time.monotonic()
        d.wait(lambda: log.exists() and log.stat().st_size > before, 60)
        lat.append(time.monotonic() - closed)
        time.sleep(0.05)
    q = statistics.quantiles(lat, n=20)
    print(f"latency close→alert over {n} files: p50 {statistics.median(lat) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms")
    d.stop()


def reconcile(root: Path, n: int) -> None:
    watch = root / "watch"
    for i in range(n):
        sub = watch / f"d{i // 1000}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{i}.txt").write_text(f"議事録 {i}\n", encoding="utf-8")
    d = Daemon(root)
    d.wait(lambda: d.scanned() >= n, 3600)
    first = time.monotonic() - d.started
    d.stop()
    d2 = Daemon(root)
    print(f"reconcile: first scan of {n} files {first:.1f} s ({n / first:.0f} files/s); "
          f"restart walk with nothing changed {d2.ready_after:.1f} s ({n / d2.ready_after:.0f} files/s)")
    d2.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--latency-files", type=int, default=200)
    ap.add_argument("--tree", type=int, default=50000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        burst(Path(tmp) / "burst", args.files)
        latency(Path(tmp) / "latency", args.latency_files)
        reconcile(Path(tmp) / "reconcile", args.tree)


if __name__ == "__main__":
    main()
