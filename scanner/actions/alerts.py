"""Alert sinks: where ``Alerter`` (``alerting.py``) sends alerts. An alert carries masked values
and fingerprints, never a number; every sink writes the one line ``report.alerts`` makes."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TextIO

from scanner.actions.alerting import Alert
from scanner.report.alerts import alert_line

ALERT_LOG_MAX_BYTES = 64 * 1024 * 1024
"""The JSONL alert log rotates at this size ..."""
ALERT_LOG_BACKUPS = 10
"""... keeping this many old files."""


class _Raising:
    """logging's handlers print a failed write to stderr and carry on; a sink must fail loudly
    (the Alerter then counts it, and the item is not done)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        raise  # noqa: PLE0704 - called by logging inside its except block: re-raises that error


class _RotatingFile(_Raising, logging.handlers.RotatingFileHandler):
    pass


class _Syslog(_Raising, logging.handlers.SysLogHandler):
    pass


class JsonlAlertLog:
    """One JSON object per line, rotated by size, flushed after every alert."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handler = _RotatingFile(
            path, maxBytes=ALERT_LOG_MAX_BYTES, backupCount=ALERT_LOG_BACKUPS, encoding="utf-8"
        )
        self._handler.setFormatter(logging.Formatter("%(message)s"))
        self._lock = threading.Lock()

    def send(self, alert: Alert) -> None:
        record = logging.LogRecord("alerts", logging.WARNING, "", 0, alert_line(alert), None, None)
        with self._lock:
            self._handler.emit(record)
            self._handler.flush()

    def close(self) -> None:
        self._handler.close()


class StreamAlerts:
    """Alerts as JSON lines on a stream (stdout for a foreground daemon)."""

    def __init__(self, stream: TextIO = sys.stdout) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, alert: Alert) -> None:
        with self._lock:
            self._stream.write(alert_line(alert) + "\n")
            self._stream.flush()

    def close(self) -> None:
        pass


WEBHOOK_TIMEOUT = 10.0
"""Seconds one POST may take."""
WEBHOOK_BACKOFF_MAX = 300.0
"""Longest wait between retries of an undelivered alert."""
SYSLOG_MAX_BYTES = 8192
"""Longer alerts are summarised for syslog (the alert log keeps them whole)."""


class WebhookSink:
    """POST each alert as JSON. Alerts are spooled to disk first and delivered in order by a
    background thread, retried with exponential backoff, so none is lost while the
    receiver is down or across restarts."""

    def __init__(self, url: str, spool_dir: Path, timeout: float = WEBHOOK_TIMEOUT) -> None:
        self.url = url
        self.spool = spool_dir
        self.spool.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.timeout = timeout
        self._seq = int(time.time() * 1e6)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._deliver_loop, name="webhook", daemon=True)
        self._thread.start()

    def send(self, alert: Alert) -> None:
        with self._lock:
            self._seq += 1
            name = f"{self._seq:020d}.json"
        tmp = self.spool / (name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(alert_line(alert))
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, self.spool / name)
        self._wake.set()

    def pending(self) -> int:
        """Alerts spooled and not yet delivered."""
        return len(list(self.spool.glob("*.json")))

    def _post(self, body: bytes) -> bool:
        req = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return 200 <= r.status < 300
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def _deliver_loop(self) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            spooled = sorted(self.spool.glob("*.json"))
            if not spooled:
                self._wake.wait(5.0)
                self._wake.clear()
                continue
            path = spooled[0]
            if self._post(path.read_bytes()):
                path.unlink()
                backoff = 1.0
            else:
                self._stop.wait(backoff)
                backoff = min(backoff * 2, WEBHOOK_BACKOFF_MAX)

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=self.timeout + 1)


class SyslogSink:
    """Alerts to syslog (RFC 3164 via the local socket or UDP ``host:port``), facility auth."""

    def __init__(self, address: str) -> None:
        target: str | tuple[str, int]
        if address.startswith("/"):
            target = address
        else:
            host, _, port = address.rpartition(":")
            target = (host or "127.0.0.1", int(port or 514))
        self._handler = _Syslog(address=target, facility=logging.handlers.SysLogHandler.LOG_AUTH)
        self._handler.ident = "mynumber-dlp: "

    def send(self, alert: Alert) -> None:
        text = alert_line(alert)
        if len(text.encode()) > SYSLOG_MAX_BYTES:
            text = alert_line(alert, brief=True)
        self._handler.emit(logging.LogRecord("alerts", logging.WARNING, "", 0, text, None, None))

    def close(self) -> None:
        self._handler.close()
