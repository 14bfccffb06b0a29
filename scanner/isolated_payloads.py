"""Message payloads scanned in a worker process, as files are: a payload that crashes a
parser, hangs it or eats memory costs that message (diverted as not scanned), never the
daemon's gate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scanner.detect.engine import Engine
from scanner.detect.finding import Confidence
from scanner.extract.limits import Limits
from scanner.extract.payload import scan_payload
from scanner.privacy.fingerprint import Fingerprinter
from scanner.report.records import FileDone, Record, ScanItem
from scanner.rules.model import Ruleset
from scanner.workers import StartMethod, WorkerLimits, WorkerPool

PayloadJob = tuple[str, bytes]
"""(name shown in records, message body)."""


class WorkerEngine:
    """Picklable holder of what a worker needs to build its engine, once, in the worker."""

    def __init__(
        self, ruleset: Ruleset, key: str, known: frozenset[str], min_confidence: Confidence, limits: Limits
    ) -> None:
        self.ruleset, self.key, self.known = ruleset, key, known
        self.min_confidence, self.limits = min_confidence, limits
        self._engine: Engine | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_engine"] = None
        return state

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = Engine(self.ruleset, Fingerprinter(self.key), self.known)
        return self._engine


class PayloadScanner(WorkerEngine):
    """Picklable scan function for a payload worker."""

    def __call__(self, job: PayloadJob) -> Iterator[ScanItem]:
        name, body = job
        yield from scan_payload(self.engine(), name, body, self.limits, self.min_confidence)
        yield FileDone(len(body), scanned=True)


class IsolatedPayloads:
    """``scan(name, body)`` in a worker process of its own; use as a context manager."""

    def __init__(self, scanner: PayloadScanner, limits: Limits, start_method: StartMethod = "forkserver") -> None:
        """``start_method``: "forkserver" from the daemon (it runs threads), "fork" from a
        single-threaded program."""
        self._pool = WorkerPool(1, scanner, WorkerLimits(limits.max_memory, limits.max_scan_time), start_method)

    def __enter__(self) -> IsolatedPayloads:
        self._pool.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.__exit__(*exc)

    def __call__(self, name: str, body: bytes) -> list[Record]:
        """Records of one payload (without its ``FileDone``)."""
        return [r for r in self._pool.scan([(name, body)]) if not isinstance(r, FileDone)]
