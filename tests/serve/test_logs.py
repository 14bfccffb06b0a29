"""The daemon's log lines: a library's traceback (which may quote a client's bytes) is one line."""

from __future__ import annotations

import logging

from scanner.serve.logs import OneLine


def test_a_library_error_with_a_traceback_becomes_one_line_naming_only_the_exception_type():
    try:
        raise ValueError("Invalid header value char: b'X-Note: 123456789018'")
    except ValueError:
        import sys

        record = logging.LogRecord("aiohttp.server", logging.ERROR, __file__, 1, "Error handling request from %s",
                                   ("127.0.0.1",), sys.exc_info())
    assert OneLine().filter(record)
    line = logging.Formatter("%(levelname)s %(message)s").format(record)
    assert line == "ERROR Error handling request from 127.0.0.1: ValueError"
