"""A real Squid in front of a loopback "blog" that records every request it receives, and the
daemon with its ICAP service: the ICAP tests and the ICAP benchmark start them the same way."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.sources.brokers.servers import find, free_port, wait_for_port

SQUID_CONF = """\
http_port 127.0.0.1:{port}
pid_filename none
cache_log {log}
access_log none
cache deny all
cache_mem 8 MB
coredump_dir {dir}
http_access allow localhost
http_access deny all
icap_enable on
icap_send_client_ip on
icap_client_username_header X-Authenticated-User
icap_preview_enable on
icap_preview_size {preview}
icap_persistent_connections on
icap_service dlp reqmod_precache bypass=off icap://127.0.0.1:{icap}/reqmod
adaptation_access dlp allow all
shutdown_lifetime 1 seconds
forwarded_for delete
via off
"""
"""As deploy/squid/mynumber-dlp.conf, on private ports: bypass=off, so Squid fails closed."""


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Blog:
    """The loopback web server a post is meant for; ``received`` is every request that reached it."""

    port: int
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def blog_server() -> Iterator[Blog]:
    blog = Blog(free_port())
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _record(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length) if length else b""
            with lock:
                blog.received.append(Received(self.command, self.path, dict(self.headers.items()), body))
            page = b"<html><body><form method=post action=/post><textarea name=body></textarea>" \
                   b"<button id=send>send</button></form></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        do_GET = do_POST = do_PUT = _record  # noqa: N815 - http.server's names

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", blog.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield blog
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def squid(workdir: Path, icap_port: int | None, preview: int = 4096) -> Iterator[str]:
    """A private Squid on a free port whose REQMOD goes to ``icap_port`` (None: a plain proxy,
    the benchmark's yardstick); yields its proxy URL."""
    exe = find("squid")
    workdir.mkdir(parents=True, exist_ok=True)
    os.chmod(workdir, 0o777)  # Squid run as root drops to its own user, which writes its log here
    port = free_port()
    conf = workdir / "squid.conf"
    text = SQUID_CONF.format(port=port, log=workdir / "cache.log", dir=workdir, icap=icap_port, preview=preview)
    if icap_port is None:
        text = "".join(line for line in text.splitlines(True) if not line.startswith(("icap_", "adaptation_")))
    conf.write_text(text)
    proc = subprocess.Popen([exe, "-N", "-f", str(conf)], stdout=open(workdir / "squid.out", "ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(proc, port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
