"""Copy a member out of a container into a seekable file, within the limits."""

from __future__ import annotations

import tempfile
from typing import BinaryIO, Protocol, cast

from scanner.extract.limits import Budget, LimitExceeded, Limits

SPOOL_IN_MEMORY = 16 * 1024 * 1024
"""Members up to this size are held in memory; larger ones go to a temporary file."""
COPY_BYTES = 1024 * 1024
RATIO_FLOOR = COPY_BYTES
"""A member may always expand to this many bytes, whatever its ratio (small members compress well)."""


class Readable(Protocol):
    """What extraction reads from: a zip member, a decompressor, a spooled file."""

    def read(self, n: int = -1, /) -> bytes: ...


def ratio_cap(compressed_size: int, limits: Limits) -> int:
    """Bytes a member of ``compressed_size`` may expand to before it counts as a bomb."""
    return max(max(compressed_size, 1) * limits.max_ratio, RATIO_FLOOR)


def spool_upto(
    source: Readable, budget: Budget, compressed_size: int | None = None
) -> tuple[BinaryIO, Exception | None]:
    """Read ``source`` into a seekable temporary file, counting the bytes against ``budget``.

    Reading stops at the file size limit (``limit:max_file_size``), when the
    member expands too far beyond ``compressed_size`` (``limit:max_ratio``) or
    when ``source`` fails (a bad CRC, a cut stream): the bytes read so far come
    back with what stopped them, so that a padded or damaged member still has
    its start scanned. Item-wide limits (scan size, time) raise.
    """
    limits = budget.limits
    cap, limit = limits.max_file_size, LimitExceeded("max_file_size", f"more than {limits.max_file_size} bytes")
    if compressed_size is not None and ratio_cap(compressed_size, limits) < cap:
        cap = ratio_cap(compressed_size, limits)
        limit = LimitExceeded("max_ratio", f"expands more than {limits.max_ratio} times")
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - handed to the caller
    total = 0
    stopped: Exception | None = None
    read = getattr(source, "read1", source.read)  # read1: what a decompressor has, so a cut stream loses less
    try:
        while stopped is None:
            try:
                chunk = read(min(COPY_BYTES, cap - total + 1))
            except Exception as exc:  # noqa: BLE001 - the caller reports it, after scanning what came before
                stopped = exc
                break
            if not chunk:
                break
            if total + len(chunk) > cap:
                chunk, stopped = chunk[: cap - total], limit
            total += len(chunk)
            budget.take(len(chunk))
            out.write(chunk)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return cast(BinaryIO, out), stopped


def spool(source: Readable, budget: Budget, compressed_size: int | None = None) -> BinaryIO:
    """Like ``spool_upto``, but a member over its size or ratio limit raises the limit."""
    out, limit = spool_upto(source, budget, compressed_size)
    if limit is not None:
        out.close()
        raise limit
    return out
