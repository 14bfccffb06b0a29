"""Log lines of the daemon, plain or JSON. Messages carry paths (shown as outputs show them),
counts and reasons, never content."""

from __future__ import annotations

import json
import logging
import sys


class JsonFormatter(logging.Formatter):
    """One JSON object per log line."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                "message": record.getMessage(),
            },
            ensure_ascii=False,
        )


class OneLine(logging.Filter):
    """A library's error logged with its traceback becomes one line naming the exception's type:
    an exception's text may quote what a client sent (a header, a body), and the log never does."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()}: {type(record.exc_info[1]).__name__}"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True


QUOTING_LOGGERS = ("aiohttp.server", "aiohttp.web")
"""Libraries' loggers whose errors carry a client's bytes (aiohttp logs a malformed request so)."""
CHATTY_LOGGERS = ("smbprotocol", "smbclient", "spnego")
"""Libraries that log every protocol message at INFO: only their warnings reach our log."""


def setup_logging(as_json: bool) -> None:
    """Everything at INFO and above to stderr."""
    for name in QUOTING_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLine) for f in logger.filters):
            logger.addFilter(OneLine())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if as_json else logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
