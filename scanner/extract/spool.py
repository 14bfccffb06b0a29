"""Copy a member out of a container into a seekable file, within the limits."""

from __future__ import annotations

import tempfile
from typing import BinaryIO

from scanner.extract.limits import Budget, LimitExceeded

SPOOL_IN_MEMORY = 16 * 1024 * 1024
"""Members up to this size are held in memory; larger ones go to a temporary file."""
COPY_BYTES = 1024 * 1024


def spool(source: BinaryIO, budget: Budget, name: str, compressed_size: int | None = None) -> BinaryIO:
    """Read ``source`` into a seekable temporary file, counting the bytes against ``budget``.

    Stops with ``limit:max_file_size`` past the file size limit and
    ``limit:max_ratio`` when the member expands too far beyond ``compressed_size``.
    """
    limits = budget.limits
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    total = 0
    try:
        while True:
            chunk = source.read(COPY_BYTES)
            if not chunk:
                break
            total += len(chunk)
            if total > limits.max_file_size:
                raise LimitExceeded("max_file_size", f"{name}: more than {limits.max_file_size} bytes")
            if compressed_size is not None and total > max(compressed_size, 1) * limits.max_ratio and total > COPY_BYTES:
                raise LimitExceeded("max_ratio", f"{name}: expands more than {limits.max_ratio} times")
            budget.take(len(chunk))
            out.write(chunk)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
