"""``scan -``: standard input as one item, spooled to a private temporary file.

Extractors need a seekable file and the workers open items by path, so the stream is
copied (up to ``max_file_size``; beyond, the rest is drained and the item reported over
the limit by the normal size check) into a mode-0600 file that is removed afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

STDIN_OPERAND = "-"
"""The operand that means standard input, as for grep and clamscan."""
SPOOL_PREFIX = "mynumber-dlp-stdin-"
COPY_CHUNK = 1024 * 1024


@contextmanager
def spool_stdin(max_bytes: int) -> Iterator[str]:
    """Copy standard input into a temporary file; yields its path, removes it on exit."""
    fd, path = tempfile.mkstemp(prefix=SPOOL_PREFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            src = sys.stdin.buffer
            written = 0
            while chunk := src.read(COPY_CHUNK):
                if written <= max_bytes:
                    out.write(chunk)  # one chunk past the limit is enough for the size check to trip
                written += len(chunk)
        yield path
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
