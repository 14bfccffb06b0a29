"""Alert sinks against real receivers on loopback: the webhook spools while the receiver is
down and delivers everything in order once it is up (also after a restart); syslog gets
the alert over UDP."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scanner.actions.alerting import Alert, Alerter, AlertNotDelivered, file_alert
from scanner.actions.alerts import JsonlAlertLog, SyslogSink, WebhookSink
from scanner.detect.finding import Confidence
from scanner.report.records import FindingRecord


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


def _alert(i: int) -> Alert:
    found = FindingRecord(f"/share/{i}.txt", None, 1, 6, "mynumber", Confidence.HIGH, 0.95, "********9018", "ab" * 32,
                          ("keyword",))
    return file_alert("share", f"/share/{i}.txt", [found], [])


def _n(alert: dict) -> int:
    return int(alert["path"].rsplit("/", 1)[1].split(".")[0])


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
        assert [_n(a) for a in receiver.received] == [0, 1, 2, 3]
        assert receiver.received[0]["details"][0]["masked"] == "********9018"
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
    assert _n(json.loads(data.split(": ", 1)[1].rstrip("\x00"))) == 7


def test_a_failing_sink_does_not_keep_the_alert_from_the_others_and_the_send_fails(tmp_path):
    """One failure policy: every sink is tried; if any failed the caller is told (and does not
    count the item as done), and each result is counted."""
    log_dir = tmp_path / "logs"
    good = JsonlAlertLog(log_dir / "alerts.jsonl")
    broken = JsonlAlertLog(Path("/dev/full"))  # every write fails with ENOSPC, as on a full disk
    results: list[bool] = []
    alerter = Alerter([broken, good], results.append)
    try:
        alerter.send(_alert(1))
    except AlertNotDelivered as exc:
        assert "JsonlAlertLog" in str(exc)
    else:
        raise AssertionError("a failed sink must fail the send")
    assert results == [False, True]
    lines = (log_dir / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert [_n(json.loads(line)) for line in lines] == [1]
    good.close()
