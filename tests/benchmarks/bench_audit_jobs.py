"""Distributed-audit throughput with one and two daemons, run by hand:

    python tests/benchmarks/bench_audit_jobs.py [--files 4000] [--batch 50] [--broker redis|kafka]

A private redis-server (or Tansu) on a free loopback port; a generated tree of ``--files``
text files (2-8 KB of Japanese and English prose, 1 in 100 with a My Number). In the same run:

- ``rg -c``: ripgrep counting 12-digit runs over the tree (the yardstick);
- ``scan -j 2``: the local audit, one machine, two workers;
- ``audit, 1 daemon``: one daemon with ``workers = 2``: enqueue, then collect --wait to the end;
- ``audit, 2 daemons``: two daemons in one group with ``workers = 1`` each.

Files/s and MB/s per row. On a 2-core machine two daemons cannot be faster than one with two
workers: the second row against the third shows that the work is shared (both daemons take
jobs) and what the broker round trips cost, not a speed-up; that needs more machines.
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

from tests.sources.brokers import servers  # noqa: E402
from tests.test_daemon import Served  # noqa: E402

MB = 1 << 20
SEED = 15
NUMBER_EVERY = 100
CLI = [sys.executable, "-m", "scanner"]


def build_tree(root: Path, files: int) -> int:
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
    return total


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def audit(url: str, name: str, tree: Path, batch: int, env: dict) -> None:
    subprocess.run(CLI + ["audit", "enqueue", "--queue", url, "--name", name, "--batch", str(batch), str(tree)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    got = subprocess.run(CLI + ["audit", "collect", "--queue", url, "--name", name, "-f", "jsonl", "--wait", "600"],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if got.returncode not in (0, 1):
        raise SystemExit(f"collect failed: {got.stderr.strip()}")


def daemons(root: Path, url: str, env: dict, count: int, workers: int, tag: str) -> list[Served]:
    out = []
    for i in range(count):
        cfg = root / f"{tag}{i}.toml"
        cfg.write_text(f'[serve]\nalerts_to_stdout = false\n[[serve.audit]]\nurl = "{url}"\n'
                       f'consumer = "{tag}{i}"\nworkers = {workers}\ngroup = "{tag}"\n', encoding="utf-8")
        (root / f"{tag}{i}").mkdir()
        out.append(Served(root / f"{tag}{i}", env, config=cfg))
    return out


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--files", type=int, default=4000)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--broker", choices=("redis", "kafka"), default="redis")
    args = p.parse_args()
    env = {**os.environ, "MYNUMBER_DLP_FINGERPRINT_KEY": "bench-key"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env["XDG_DATA_HOME"] = str(root / "xdg")
        tree = root / "tree"
        size = build_tree(tree, args.files)
        start = servers.redis_server if args.broker == "redis" else servers.kafka_server
        rows: list[tuple[str, float]] = []
        rg = shutil.which("rg")
        if rg:
            rows.append(("rg -c", timed(lambda: subprocess.run(
                [rg, "-c", r"(^|[^0-9])[0-9]{12}([^0-9]|$)", str(tree)], stdout=subprocess.DEVNULL))))
        rows.append(("scan -j 2", timed(lambda: subprocess.run(
            CLI + ["scan", "-f", "jsonl", "-j", "2", str(tree)], env=env, stdout=subprocess.DEVNULL))))
        with start(root) as url:
            for label, count, workers in (("audit, 1 daemon", 1, 2), ("audit, 2 daemons", 2, 1)):
                tag = f"g{count}"
                ds = daemons(root, url, env, count, workers, tag)
                try:
                    rows.append((label, timed(lambda t=tag: audit(url, t, tree, args.batch, env))))
                finally:
                    for d in ds:
                        d.stop()
    print(f"{args.files} files, {size / MB:.1f} MB, batch {args.batch}, broker {args.broker}, "
          f"{os.cpu_count()} cores")
    for label, seconds in rows:
        print(f"{label:18s} {seconds:7.2f} s {args.files / seconds:9.0f} files/s {size / MB / seconds:8.1f} MB/s")
    t = dict(rows)
    print(f"1 daemon / scan -j 2: {t['audit, 1 daemon'] / t['scan -j 2']:.2f}x; "
          f"2 daemons / 1 daemon: {t['audit, 2 daemons'] / t['audit, 1 daemon']:.2f}x"
          + (f"; scan / rg: {t['scan -j 2'] / t['rg -c']:.0f}x" if "rg -c" in t else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
