"""Alert sinks against real receivers on loopback: the webhook spools while the receiver is
down and delivers everything in order once it is up (also after a restart); syslog gets
the alert over UDP."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scanner.actions.alerts import SyslogSink, WebhookSink


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Receiver:
    def __init__(self, port: int) -> None:
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _wait(check, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return False


def _alert(i: int) -> dict:
    return {"type": "alert", "n": i, "details": [{"masked": "********9018", "fingerprint": "ab" * 32}]}


def test_webhook_spools_while_down_and_delivers_in_order_after_a_restart(tmp_path):
    port = _free_port()
    sink = WebhookSink(f"http://127.0.0.1:{port}/hook", tmp_path / "spool", timeout=1.0)
    for i in range(3):
        sink.send(_alert(i))
    time.sleep(0.5)
    assert sink.pending() == 3  # nobody listening: nothing lost, nothing dropped
    sink.close()
    receiver = _Receiver(port)
    try:
        again = WebhookSink(f"http://127.0.0.1:{port}/hook", tmp_path / "spool", timeout=1.0)
        again.send(_alert(3))
        assert _wait(lambda: len(receiver.received) == 4)
        assert [a["n"] for a in receiver.received] == [0, 1, 2, 3]
        assert _wait(lambda: again.pending() == 0)
        again.close()
    finally:
        receiver.close()


def test_syslog_receives_the_alert_over_udp():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(10)
        sink = SyslogSink(f"127.0.0.1:{server.getsockname()[1]}")
        sink.send(_alert(7))
        data = server.recv(65536).decode()
        sink.close()
    assert data.startswith("<36>mynumber-dlp: ")  # facility auth, severity warning
    assert json.loads(data.split(": ", 1)[1].rstrip("\x00"))["n"] == 7
