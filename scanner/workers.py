"""Scan files in child processes that a hostile file cannot take down with it.

Each worker is a forked process with an address-space limit; it scans one file
at a time and streams the records back. A worker that overruns the file's time
is killed; one that dies (a parser crash, memory exhausted) is replaced. Either
way the file gets a ``not_scanned`` record and the records already received
(findings made before the trouble) are kept. Results come back in input order.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext
from typing import Any, Literal, cast

from scanner.report.records import FileDone, FindingRecord, ScanItem, not_scanned_record

GRACE_SECONDS = 5.0
"""Time past a file's scan-time limit before its worker is killed (the worker reports the limit itself first)."""
BATCH_RECORDS = 1024
"""Records sent to the parent at a time."""
FLUSH_SECONDS = 0.2
"""Longest a record waits in a worker before it is sent."""

ScanOne = Callable[[Any], Iterable[ScanItem]]
"""Scans one item in the worker (a path, or a ``(name, payload)`` pair); its last item is
its ``FileDone``."""


@dataclass(frozen=True, slots=True)
class WorkerLimits:
    """Limits of each worker process."""

    max_memory: int
    """Address space of a worker in bytes (RLIMIT_AS); 0 for none."""
    max_seconds: float
    """Wall-clock seconds one file may take in a worker before it is killed."""


def _to_wire(batch: list[ScanItem]) -> list[Any]:
    """A batch as it crosses the pipe: findings as plain tuples, which pickle writes and reads
    in C (a record class costs a Python-level reduce per record, and a roster sends a million);
    ``_from_wire`` makes them records again."""
    return [tuple(r) if type(r) is FindingRecord else r for r in batch]


def _from_wire(batch: list[Any]) -> list[ScanItem]:
    make = FindingRecord._make
    return [make(r) if type(r) is tuple else r for r in batch]


class _Outbox:
    """Records on their way to the parent: sent in batches, and at least every FLUSH_SECONDS,
    so findings made before a parser hangs are not lost with the worker."""

    def __init__(self, conn: multiprocessing.connection.Connection) -> None:
        self._conn = conn
        self._batch: list[ScanItem] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, daemon=True)
        self._thread.start()

    def _tick(self) -> None:
        while not self._stop.wait(FLUSH_SECONDS):
            self.flush()

    def flush(self, final: bool = False) -> None:
        with self._lock:
            if self._batch:
                self._conn.send(_to_wire(self._batch))
                self._batch = []
            if final:
                self._conn.send(None)  # end of this file

    def put(self, rec: ScanItem) -> None:
        with self._lock:
            self._batch.append(rec)
            full = len(self._batch) >= BATCH_RECORDS
        if full:
            self.flush()


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies (a kill -9 of the audit or the
    daemon must not leave scanning workers behind: sibling workers hold each other's
    pipes open, so the end-of-file alone does not reach them)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the pipe's end-of-file still ends an orphan whose siblings are gone


def _serve(conn: multiprocessing.connection.Connection, scan: ScanOne, limits: WorkerLimits) -> None:
    _die_with_parent()
    if limits.max_memory:
        resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory, limits.max_memory))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)  # the parent decides when to stop; EOF on the pipe ends us
    outbox = _Outbox(conn)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if item is None:
            return
        try:
            for rec in scan(item):
                outbox.put(rec)
        except MemoryError:
            outbox.put(not_scanned_record(item_name(item), None, "limit:max_memory", "the worker ran out of memory"))
            outbox.put(FileDone(0, scanned=False))
        outbox.flush(final=True)


@dataclass(slots=True)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    path: Any = None
    """The item being scanned (a path or a ``(name, payload)`` pair); None when idle."""
    index: int = -1
    deadline: float = 0.0


StartMethod = Literal["fork", "forkserver", "spawn"]
"""How worker processes are started (``multiprocessing`` start methods)."""


class WorkerPool:
    """``jobs`` forked workers that scan files with ``scan``; use as a context manager."""

    def __init__(self, jobs: int, scan: ScanOne, limits: WorkerLimits, start_method: StartMethod = "fork") -> None:
        """``start_method``: "fork" from a single-threaded parent (the CLI); "forkserver" from one
        that runs threads (the daemon), where ``scan`` must then be picklable."""
        self._jobs = max(1, jobs)
        self._scan = scan
        self._limits = limits
        # typeshed picks get_context(str) -> BaseContext (no .Process) for a union of literals
        self._ctx = cast(ForkContext | ForkServerContext | SpawnContext, multiprocessing.get_context(start_method))
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        self._workers = [self._start() for _ in range(self._jobs)]
        return self

    def __exit__(self, *exc: object) -> None:
        for w in self._workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in self._workers:
            w.process.join(timeout=2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_serve, args=(child, self._scan, self._limits), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _replace(self, w: _Worker) -> _Worker:
        if w.process.is_alive():
            w.process.kill()
        w.process.join()
        w.conn.close()
        fresh = self._start()
        self._workers[self._workers.index(w)] = fresh
        return fresh

    def scan(self, paths: Iterable[Any]) -> Iterator[ScanItem]:
        """Records of every path (or ``(name, payload)`` item), one after another in input order.

        Consume the iterator to its end before calling ``scan`` again: the workers'
        last messages are read only then.
        """
        todo = deque(enumerate(paths))
        results: dict[int, list[ScanItem]] = {}
        finished: set[int] = set()
        next_out = 0
        while todo or any(w.path is not None for w in self._workers) or next_out in results:
            for w in self._workers:
                if w.path is None and todo:
                    w.index, w.path = todo.popleft()
                    w.deadline = time.monotonic() + self._limits.max_seconds + GRACE_SECONDS
                    results[w.index] = []
                    w.conn.send(w.path)
            busy = [w for w in self._workers if w.path is not None]
            if busy:
                timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                ready = multiprocessing.connection.wait([w.conn for w in busy], timeout=timeout)
                for w in busy:
                    if w.conn in ready:
                        self._receive(w, results, finished)
                    elif time.monotonic() > w.deadline:
                        self._fail(w, results, finished, "limit:max_scan_time",
                                   f"killed after {self._limits.max_seconds:g} s")
            while next_out in finished:
                yield from results.pop(next_out)
                finished.discard(next_out)
                next_out += 1
            # stream the head file's records while it is still being scanned
            if next_out in results and next_out not in finished and results[next_out]:
                batch, results[next_out] = results[next_out], []
                yield from batch

    def _receive(self, w: _Worker, results: dict[int, list[ScanItem]], finished: set[int]) -> None:
        try:
            msg = w.conn.recv()
        except (EOFError, OSError):
            code = w.process.exitcode
            w.process.join(timeout=1)
            code = w.process.exitcode if code is None else code
            how = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
            self._fail(w, results, finished, "error", f"the scanning process died ({how})")
            return
        if msg is None:
            finished.add(w.index)
            w.path = None
        else:
            results[w.index].extend(_from_wire(msg))

    def _fail(
        self, w: _Worker, results: dict[int, list[ScanItem]], finished: set[int], reason: str, detail: str
    ) -> None:
        path, index = w.path, w.index
        assert path is not None
        self._replace(w)
        results[index].append(not_scanned_record(item_name(path), None, reason, detail))
        results[index].append(FileDone(_size(path), scanned=False))
        finished.add(index)


def item_name(item: Any) -> str:
    """What records call an item: the path, or the name of a ``(name, payload)`` pair."""
    return item if isinstance(item, str) else item[0]


def _size(path: Any) -> int:
    if not isinstance(path, str):
        return len(path[1])
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
