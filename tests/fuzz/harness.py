"""One fuzz input through ``dispatch.extract``, and what counts as a failure.

A failure is: an exception escaping extract; a not-scanned item with the bare
reason ``error`` (an unexpected exception the scanner would report as such);
``limit:max_memory`` or a MemoryError (a blow-up, for inputs this small); a
detail holding a long digit run (details are our words, never content); an
input taking longer than the time bound; anything written to stdout or stderr
(stdout carries the JSONL records, and library logs quote content). ``mutate`` is a plain mutator for
runs without atheris (the CI smoke test).
"""

from __future__ import annotations

import io
import random
import re
import signal
import time
import tracemalloc
from contextlib import contextmanager, redirect_stderr, redirect_stdout

from scanner.extract import errors
from scanner.extract.dispatch import extract
from scanner.extract.limits import Budget, Limits
from scanner.extract.parts import Context, TextPart, Unscanned

TIME_LIMIT = 5.0
"""Seconds one input may take (a hang past it is a failure)."""
MEMORY_LIMIT = 512 * 1024 * 1024
"""Bytes of Python allocations one input may peak at, when measured (tracemalloc)."""
FUZZ_LIMITS = Limits(max_scan_time=60.0)
"""The scanner's own limits, as shipped (the time limit above is what catches hangs)."""
OUTPUT_SHOWN = 300
"""Characters of unexpected stdout/stderr output quoted in the failure."""
_LONG_DIGITS = re.compile(r"\d{12,}")
_FINALIZER_RECURSION = re.compile(
    r"Exception ignored in[^\n]*\n(?:(?:Traceback|[ \t])[^\n]*\n)*RecursionError[^\n]*\n?"
)
"""Python's note on a finalizer that failed with RecursionError: the cyclic collector runs an earlier
input's finalizer (olefile's ``__del__``) wherever it happens to run, deep in this input's recursion,
where any call fails. It says nothing about this input, and quotes no content."""


class FuzzFailure(Exception):
    """The input made the extractor misbehave; the message says how (no content)."""


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so that no extractor's ``except Exception`` eats it."""


_prefilter = None


def prefilter():
    """The engine's byte prefilter, built once: extract sees what a scan sees."""
    global _prefilter
    if _prefilter is None:
        from scanner.detect.engine import Engine
        from scanner.privacy.fingerprint import Fingerprinter
        from scanner.rules.loader import load_ruleset

        _prefilter = Engine(load_ruleset(), Fingerprinter("fuzz")).prefilter
    return _prefilter


@contextmanager
def _alarm(seconds: float | None):
    if not seconds:
        yield
        return

    def ring(_sig, _frame):
        raise Hang()

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_errors: list[BaseException] = []


def _keep_error(exc: BaseException) -> None:
    _errors.append(exc)


def _check_unscanned(item: Unscanned) -> None:
    if item.reason == "error":
        cause = _errors[-1] if _errors else None
        raise FuzzFailure(f"unexpected exception reported as error: {item.detail}") from cause
    if item.reason == "limit:max_memory":
        raise FuzzFailure("memory blow-up (MemoryError inside an extractor)")
    if _LONG_DIGITS.search(item.detail):
        raise FuzzFailure("a not-scanned detail holds a long digit run")


def run_extract(data: bytes) -> int:
    """Extract everything from ``data`` (segments consumed); the number of items. Raises FuzzFailure."""
    ctx = Context(prefilter(), FUZZ_LIMITS, Budget(FUZZ_LIMITS))
    count = 0
    _errors.clear()
    errors.on_error = _keep_error
    out = io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(out):
            count = _consume(extract(io.BytesIO(data), ctx))
    except (FuzzFailure, Hang):
        raise
    except MemoryError as exc:
        raise FuzzFailure("memory blow-up (MemoryError escaped extract)") from exc
    except Exception as exc:
        raise FuzzFailure(f"exception escaped extract: {type(exc).__name__}") from exc
    finally:
        errors.on_error = None
    written = _FINALIZER_RECURSION.sub("", out.getvalue())
    if written:  # the start of it, to find the writer (fuzz inputs hold synthetic numbers only)
        raise FuzzFailure(f"an extractor wrote to stdout or stderr: {written[:OUTPUT_SHOWN]!r}")
    return count


def _consume(items) -> int:
    count = 0
    for item in items:
        count += 1
        if isinstance(item, TextPart):
            for _segment in item.segments:
                pass
            if item.problem is not None:
                _check_unscanned(item.problem)
        else:
            _check_unscanned(item)
    return count


def check_one(
    data: bytes, time_limit: float | None = TIME_LIMIT, alarm: bool = True, memory_limit: int | None = None
) -> int:
    """``run_extract`` within the time bound (an alarm unless ``alarm`` is off: libFuzzer has its own)
    and, with ``memory_limit``, a tracemalloc bound on the peak. Raises FuzzFailure."""
    start = time.monotonic()
    if memory_limit:
        tracemalloc.start()
    try:
        with _alarm(time_limit if alarm else None):
            count = run_extract(data)
        if memory_limit:
            _now, peak = tracemalloc.get_traced_memory()
            if peak > memory_limit:
                raise FuzzFailure(f"memory blow-up: peak {peak} bytes for a {len(data)}-byte input")
    except Hang as exc:
        raise FuzzFailure(f"hang: more than {time_limit:g} s") from exc
    finally:
        if memory_limit:
            tracemalloc.stop()
    elapsed = time.monotonic() - start
    if time_limit and elapsed > time_limit:
        raise FuzzFailure(f"hang: {elapsed:.1f} s (bound {time_limit:g} s)")
    return count


TOKENS = (
    b"\x00", b"\xff", b"<", b">", b"/", b"=", b"\r\n", b"PK\x03\x04", b"%PDF-1.7", b"obj", b"endobj", b"stream",
    b"--", b"boundary=", b"charset=", b"=?", b"?=", b"\\u", b"{\\", b"999999999999", b"-1", b"4294967296", b"ZZZZZZZZ1",
    b"<![", b"<!", b"encoding=", b"Shift_JIS",
)
"""Bytes that mean something to one of the formats: the mutator splices them in."""


def mutate(rng: random.Random, seeds: list[bytes], max_len: int = 64 * 1024) -> bytes:
    """A seed with a few random byte-level edits (flips, inserts, deletes, copies, splices, cuts)."""
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(7)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[pos:pos] = rng.choice(TOKENS)
        elif op == 2:
            del data[pos : pos + rng.randint(1, 64)]
        elif op == 3 and data:
            start = rng.randrange(len(data))
            data[pos:pos] = data[start : start + rng.randint(1, 256)]
        elif op == 4:
            other = rng.choice(seeds)
            start = rng.randrange(len(other) + 1)
            data[pos:] = other[start:]
        elif op == 5:
            del data[pos:]
        elif data:
            data[min(pos, len(data) - 1)] = rng.choice((0, 1, 0x7F, 0x80, 0xFF))
    return bytes(data[:max_len])
