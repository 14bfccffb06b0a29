"""Batches of quiet paths scanned in the daemon's worker pools.

The main loop takes up to ``BATCH_PATHS`` ready paths from the debouncer, drops those
the state says are unchanged (same identity, same ruleset), sends images, PDFs and large
files to the slow lane (``slow_lane.py``, its own thread and workers) and scans the rest
in forked workers (a hostile file costs its worker, never the daemon). Each file's records
go to ``FileActions``, one file at a time whichever lane scanned it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator

from scanner.audit import scan_file
from scanner.isolated_payloads import WorkerEngine
from scanner.report.records import FileDone, ScanItem
from scanner.serve.defaults import BATCH_PATHS, IDLE_WAIT
from scanner.serve.file_actions import FileActions, ScannedFile
from scanner.serve.metrics import Metrics
from scanner.serve.runtime import Runtime
from scanner.serve.slow_lane import SlowLane, takes_slow_lane
from scanner.sources.identity import identity_of
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.watch import Debouncer
from scanner.state import FileIdentity, StateDB
from scanner.workers import WorkerLimits, WorkerPool


class FileScanner(WorkerEngine):
    """Picklable scan function for the daemon's file workers (started by a fork server)."""

    smb: SmbCredentials | None = None
    """Who logs on to the shares of ``smb://`` watches (each worker opens its own session)."""

    def __call__(self, path: str) -> Iterator[ScanItem]:
        return scan_file(self.engine(), path, self.min_confidence, self.limits, digest=True, smb=self.smb)


class FileScans:
    """The daemon's loops over the debouncer and the slow lane, one pair of worker pools per runtime."""

    def __init__(
        self, debouncer: Debouncer, db: StateDB, metrics: Metrics, actions: FileActions, key: str,
        heartbeat: Callable[[], None],
    ) -> None:
        self.debouncer, self.db, self.metrics, self.actions, self.key = debouncer, db, metrics, actions, key
        self._heartbeat = heartbeat
        self.slow_lane = SlowLane()
        """Outlives a reload: what waits in it is scanned with the new runtime."""
        self._acting = threading.Lock()  # one file's actions at a time, whichever lane scanned it

    def run(self, runtime: Runtime, until: Callable[[], bool]) -> None:
        """Scan ready paths with ``runtime`` until ``until()`` (stop or reload) is true."""
        cfg = runtime.config
        limits = cfg.scan.limits
        scan = FileScanner(runtime.engine.ruleset, self.key, runtime.engine.known, cfg.scan.min_confidence, limits)
        scan.smb = runtime.smb
        jobs = cfg.jobs or os.cpu_count() or 1
        worker_limits = WorkerLimits(limits.max_memory, limits.max_scan_time)
        # this process runs threads (watchers, HTTP, reconcile): workers come from a fork server
        with (
            WorkerPool(jobs, scan, worker_limits, "forkserver") as pool,
            WorkerPool(cfg.slow_lane_jobs, scan, worker_limits, "forkserver") as slow_pool,
        ):
            slow = threading.Thread(
                target=self._run_slow_lane, args=(slow_pool, runtime, until, cfg.slow_lane_jobs), name="slow-lane",
                daemon=True,
            )
            slow.start()
            try:
                while not until():
                    self._heartbeat()
                    self._count_waiting()
                    batch = self.debouncer.ready(limit=BATCH_PATHS)
                    if not batch:
                        self.debouncer.wait(IDLE_WAIT)
                        continue
                    self._scan(pool, runtime, self._fast_ones(self._due(runtime, batch)))
            finally:
                self.slow_lane.wake()
                slow.join()

    def _run_slow_lane(self, pool: WorkerPool, runtime: Runtime, until: Callable[[], bool], jobs: int) -> None:
        while not until():
            batch = self.slow_lane.take(jobs, IDLE_WAIT)
            if batch:
                # checked again: a file may have changed or gone while it waited
                self._scan(pool, runtime, self._due(runtime, batch))
                self._count_waiting()

    def _count_waiting(self) -> None:
        waiting = len(self.slow_lane)
        self.metrics.queue.set(len(self.debouncer) + waiting)
        self.metrics.slow_lane.set(waiting)

    def _due(self, runtime: Runtime, batch: list[tuple[str, str]]) -> list[tuple[str, str, FileIdentity]]:
        """The regular files of ``batch`` the state does not have as they are now (a vanished one is forgotten)."""
        todo: list[tuple[str, str, FileIdentity]] = []
        for path, source in batch:
            try:
                ident, regular = identity_of(path, runtime.smb)
            except FileNotFoundError:
                self.db.forget(path)
                continue
            except OSError:
                continue  # a share out of reach: the reconcile after it is back finds the file
            if not regular:
                continue
            if self.db.unchanged(path, ident, runtime.ruleset):
                continue
            todo.append((path, source, ident))
            self.metrics.last_event.set(time.time())
        return todo

    def _fast_ones(self, todo: list[tuple[str, str, FileIdentity]]) -> list[tuple[str, str, FileIdentity]]:
        """``todo`` without the files it hands to the slow lane."""
        fast = []
        for path, source, ident in todo:
            if takes_slow_lane(path, ident.size):
                self.slow_lane.put(path, source)
            else:
                fast.append((path, source, ident))
        return fast

    def _scan(self, pool: WorkerPool, runtime: Runtime, todo: list[tuple[str, str, FileIdentity]]) -> None:
        if not todo:
            return
        started = time.monotonic()
        files = iter(todo)
        # consume the whole stream (not zip): the pool's last messages must be read
        for items in per_file(pool.scan([p for p, _s, _i in todo])):
            path, source, ident = next(files)
            self.metrics.duration.observe(time.monotonic() - started)
            started = time.monotonic()
            items = runtime.suppressor.kept(items)  # reviewed findings make no alert and no quarantine
            with self._acting:
                self.actions.handle(runtime, ScannedFile.of(path, source, ident, items))


def per_file(items: Iterator[ScanItem]) -> Iterator[list[ScanItem]]:
    """Group a pool's stream into one list per file (each ends with its ``FileDone``)."""
    current: list[ScanItem] = []
    for item in items:
        current.append(item)
        if isinstance(item, FileDone):
            yield current
            current = []


def stop_or_reload(stop: threading.Event, reload: threading.Event) -> Callable[[], bool]:
    """``until`` for ``FileScans.run``: a stop or a reload ends the round."""
    return lambda: stop.is_set() or reload.is_set()
