"""The ICAP service through a real Squid, run by hand:

    python tests/benchmarks/bench_icap.py [--seconds 10] [--connections 16] [--latency-requests 2000]

Needs squid, wrk and nginx (``apt-get install squid wrk nginx-light``). The stack, all on
loopback: wrk -> Squid -> origin (nginx answering ``return 200``), measured in the same run
three ways: straight to the origin, through a plain Squid (the yardstick), and through a
Squid whose REQMOD goes to the daemon's ICAP service (``bypass=off``, preview 4096, 204s).
Bodies are 1 KB and 100 KB of Japanese office text with dates, phones and order numbers but
no My Number (the common case: the post is allowed).

1. throughput: ``wrk -t1 -c C -d S`` POSTs: requests/s, and any non-2xx answer.
2. latency: one keep-alive connection, requests one after another from Python: p50 / p99
   without and with ICAP; ``added`` is the difference of the percentiles. The service's own
   time per request (from ``mynumber_dlp_web_added_latency_seconds``) is printed beside.

Squid, the daemon, nginx and wrk share the machine's cores: the numbers are of the whole
stack on this box, not of the service alone.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.serve.proxies import squid  # noqa: E402
from tests.sources.brokers.servers import free_port, wait_for_port  # noqa: E402

CLI = [sys.executable, "-m", "scanner"]
LINES = [
    "今日の議事録：参加者 12 名、次回は 2026-12-10 14:00 から第 3 会議室で。\n",
    "お問い合わせは 03-1234-5678 まで。受付番号 20261207-0042、注文番号 4512345678901。\n",
    "Meeting notes: budget 1,250,000 JPY approved; ticket #88213 closed by 田中.\n",
    "請求書 No.INV-2026-11-0385 のお支払期限は 12 月 25 日です。振込手数料はご負担ください。\n",
]
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_max_body_size 4m;
  client_body_buffer_size 256k;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  # the body is read whole before the answer (proxy_pass buffers it), as a blog reads a post: an
  # origin that answers first makes Squid close the client's connection
  server {{
    listen 127.0.0.1:{port};
    location / {{ rewrite ^ /ok break; proxy_pass http://127.0.0.1:{port}; }}
    location = /ok {{ return 200 "ok\\n"; }}
  }}
}}
"""
WRK_SCRIPT = """\
local f = io.open("{body}", "rb")
wrk.method = "POST"
wrk.path = "{url}"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/plain; charset=utf-8"
wrk.headers["Host"] = "{host}"
"""


def body_of(size: int) -> bytes:
    """``size`` bytes of office text (whole lines, padded with spaces)."""
    out = b""
    i = 0
    while len(out) < size:
        out += LINES[i % len(LINES)].encode()
        i += 1
    return out[:size - 1].decode("utf-8", "ignore").encode().ljust(size - 1, b" ") + b"\n"


@contextmanager
def origin(workdir: Path) -> Iterator[int]:
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=workdir, port=port))
    proc = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(workdir), "-c", str(conf),
                             "-e", str(workdir / "nginx-error.log")],
                            stdout=subprocess.DEVNULL, stderr=open(workdir / "nginx.out", "ab"), start_new_session=True)
    try:
        wait_for_port(proc, port, timeout=20)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


@contextmanager
def icap_daemon(workdir: Path) -> Iterator[tuple[int, int]]:
    """The daemon with ``[serve.icap]``; yields (ICAP port, metrics port)."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "watch").mkdir(exist_ok=True)
    icap_port, metrics_port = free_port(), free_port()
    config = workdir / "icap.toml"
    config.write_text(f'[[serve.watch]]\npath = "{workdir / "watch"}"\n\n[serve.icap]\n'
                      f'address = "127.0.0.1:{icap_port}"\n')
    env = dict(os.environ, MYNUMBER_DLP_FINGERPRINT_KEY="bench", XDG_DATA_HOME=str(workdir / "xdg"))
    proc = subprocess.Popen(CLI + ["serve", "--config", str(config), "--state-dir", str(workdir / "state"),
                                   "--metrics-address", f"127.0.0.1:{metrics_port}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(workdir / "daemon.log", "ab"))
    try:
        wait_for_port(proc, icap_port, timeout=120)
        yield icap_port, metrics_port
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def wrk(target: str, url: str, host: str, body: Path, seconds: int, connections: int, workdir: Path) -> dict:
    """One wrk run against ``target`` (the proxy or the origin) asking for ``url``."""
    script = workdir / f"post-{body.stem}.lua"
    script.write_text(WRK_SCRIPT.format(body=body, url=url, host=host))
    run = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), target],
                         capture_output=True, text=True, timeout=seconds + 60)
    out = run.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    lat = {p: m.group(2) for p in ("50%", "99%") if (m := re.search(rf"\s({p})\s+([\d.]+\w+)", out))}
    return {"rps": rps, "non2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(0) if errors else "",
            "p50": lat.get("50%", "-"), "p99": lat.get("99%", "-")}


def sequential(proxy_port: int | None, origin_port: int, body: bytes, n: int) -> list[float]:
    """Seconds of each of ``n`` POSTs one after another on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", proxy_port or origin_port, timeout=30)
    url = f"http://127.0.0.1:{origin_port}/post" if proxy_port else "/post"
    headers = {"Content-Type": "text/plain; charset=utf-8", "Host": f"127.0.0.1:{origin_port}"}
    took = []
    for _ in range(n):
        t = time.perf_counter()
        conn.request("POST", url, body, headers)
        r = conn.getresponse()
        r.read()
        took.append(time.perf_counter() - t)
        if r.status != 200:
            raise RuntimeError(f"answered {r.status}")
    conn.close()
    return took


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if p < 100 else max(values)


def service_time(metrics_port: int) -> tuple[float, float]:
    """(count, mean seconds) of the ICAP service's own latency histogram."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).read().decode()
    count = total = 0.0
    for line in text.splitlines():
        if line.startswith('mynumber_dlp_web_added_latency_seconds_count{service="icap"}'):
            count = float(line.rsplit(" ", 1)[1])
        elif line.startswith('mynumber_dlp_web_added_latency_seconds_sum{service="icap"}'):
            total = float(line.rsplit(" ", 1)[1])
    return count, (total / count if count else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    ap.add_argument("--connections", type=int, default=16, help="wrk's concurrent connections")
    ap.add_argument("--latency-requests", type=int, default=2000, help="sequential requests per latency row")
    ap.add_argument("--sizes", default="1024,102400", help="body sizes in bytes")
    ap.add_argument("--workdir", help="where the servers' files and logs go (a temporary directory in it)")
    args = ap.parse_args()
    missing = [exe for exe in ("squid", "wrk", "nginx") if not (shutil.which(exe) or shutil.which(exe, path="/usr/sbin"))]
    if missing:
        sys.exit(f"missing: {' '.join(missing)} (apt-get install squid wrk nginx-light)")
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-icap-", dir=args.workdir) as tmp:
        root = Path(tmp)
        os.chmod(root, 0o755)
        bodies = {}
        for size in sizes:
            bodies[size] = root / f"body{size}.txt"
            bodies[size].write_bytes(body_of(size))
        with origin(root / "origin") as origin_port, icap_daemon(root / "daemon") as (icap_port, metrics_port), \
                squid(root / "squid-plain", None) as plain, squid(root / "squid-icap", icap_port) as adapted:
            url, host = f"http://127.0.0.1:{origin_port}/post", f"127.0.0.1:{origin_port}"
            routes = {"origin": (None, f"http://127.0.0.1:{origin_port}"), "squid": (int(plain.rsplit(":", 1)[1]), plain),
                      "squid+icap": (int(adapted.rsplit(":", 1)[1]), adapted)}
            print(f"# wrk -t1 -c{args.connections} -d{args.seconds}s, {os.cpu_count()} cores shared by all")
            print(f"{'body':>8} {'route':<11} {'req/s':>9} {'MB/s':>7} {'wrk p50':>9} {'wrk p99':>9} {'non-2xx':>8}")
            for size in sizes:
                for name, (_, target) in routes.items():
                    path = "/post" if name == "origin" else url
                    r = wrk(target, path, host, bodies[size], args.seconds, args.connections, root)
                    print(f"{size:>8} {name:<11} {r['rps']:>9.0f} {r['rps'] * size / 1e6:>7.1f} {r['p50']:>9} "
                          f"{r['p99']:>9} {r['non2xx']:>8} {r['socket_errors']}", flush=True)
            print(f"\n# latency: {args.latency_requests} sequential POSTs on one keep-alive connection (ms)")
            print(f"{'body':>8} {'squid p50':>10} {'squid p99':>10} {'+icap p50':>10} {'+icap p99':>10} "
                  f"{'added p50':>10} {'added p99':>10} {'service mean':>13}")
            for size in sizes:
                data = bodies[size].read_bytes()
                sequential(routes["squid+icap"][0], origin_port, data, 50)  # warm connections
                before = service_time(metrics_port)
                plain_t = sequential(routes["squid"][0], origin_port, data, args.latency_requests)
                icap_t = sequential(routes["squid+icap"][0], origin_port, data, args.latency_requests)
                after = service_time(metrics_port)
                served = after[0] - before[0]
                mean = (after[1] * after[0] - before[1] * before[0]) / served if served else 0.0
                p = {k: [pct(v, q) * 1000 for q in (50, 99)] for k, v in (("plain", plain_t), ("icap", icap_t))}
                print(f"{size:>8} {p['plain'][0]:>10.2f} {p['plain'][1]:>10.2f} {p['icap'][0]:>10.2f} "
                      f"{p['icap'][1]:>10.2f} {p['icap'][0] - p['plain'][0]:>10.2f} {p['icap'][1] - p['plain'][1]:>10.2f} "
                      f"{mean * 1000:>13.2f}", flush=True)


if __name__ == "__main__":
    main()
