"""Alert sinks. An alert carries masked values and fingerprints, never a number."""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from typing import Any, Protocol, TextIO

ALERT_LOG_MAX_BYTES = 64 * 1024 * 1024
"""The JSONL alert log rotates at this size ..."""
ALERT_LOG_BACKUPS = 10
"""... keeping this many old files."""


class AlertSink(Protocol):
    """Somewhere alerts go."""

    def send(self, alert: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


def _line(alert: dict[str, Any]) -> str:
    return json.dumps(alert, ensure_ascii=False, separators=(",", ":"))


class JsonlAlertLog:
    """One JSON object per line, rotated by size, flushed after every alert."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=ALERT_LOG_MAX_BYTES, backupCount=ALERT_LOG_BACKUPS, encoding="utf-8"
        )
        self._handler.setFormatter(logging.Formatter("%(message)s"))
        self._lock = threading.Lock()

    def send(self, alert: dict[str, Any]) -> None:
        record = logging.LogRecord("alerts", logging.WARNING, "", 0, _line(alert), None, None)
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

    def send(self, alert: dict[str, Any]) -> None:
        with self._lock:
            self._stream.write(_line(alert) + "\n")
            self._stream.flush()

    def close(self) -> None:
        pass
