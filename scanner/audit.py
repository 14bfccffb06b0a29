"""On-demand audits: scan files and directories, in parallel processes, into records.

Each file is one document for the engine. With one job (or one file) the scan
runs in this process and findings stream out as they are settled; with more,
files are spread over worker processes and their records come back in input
order.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

from scanner.detect.engine import Engine
from scanner.detect.finding import Confidence
from scanner.extract.dispatch import extract
from scanner.extract.errors import unscanned
from scanner.extract.limits import Budget, Limits
from scanner.extract.parts import Context, Unscanned, join_member
from scanner.privacy.fingerprint import Fingerprinter
from scanner.report.records import Record, Summary, finding_record, not_scanned_record
from scanner.rules.model import Ruleset
from scanner.sources.walk import Unwalkable, WalkOptions, walk

PARALLEL_CHUNKSIZE = 4
"""Files handed to a worker process at a time."""


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """How one audit runs."""

    min_confidence: Confidence = Confidence.LOW
    jobs: int = 1
    walk: WalkOptions = WalkOptions()
    limits: Limits = Limits()


def _scan_parts(engine: Engine, path: str, stream: BinaryIO, limits: Limits, min_confidence: Confidence) -> Iterator[Record]:
    ctx = Context(engine.reach, limits, Budget(limits))
    member: str | None = None
    try:
        for item in extract(stream, ctx):
            member = item.member
            if isinstance(item, Unscanned):
                yield not_scanned_record(path, item.member, item.reason, item.detail)
                continue
            for finding in engine.scan_segments(item.segments):
                if finding.confidence >= min_confidence:
                    place = item.locate(finding.line, finding.column) if item.locate else None
                    yield finding_record(path, join_member(item.member, place), finding)
            if item.problem is not None:
                yield not_scanned_record(path, item.problem.member, item.problem.reason, item.problem.detail)
    except Exception as exc:  # a bug or a hostile file costs this item, not the audit; no content in the detail
        problem = unscanned(member, exc)
        yield not_scanned_record(path, problem.member, problem.reason, problem.detail)


def scan_file(
    engine: Engine, path: str, min_confidence: Confidence, limits: Limits = Limits()
) -> Iterator[Record]:
    """Records for one file as they are produced; the last item is a ``_file`` bookkeeping record."""
    try:
        f = open(path, "rb")
    except OSError as exc:
        yield not_scanned_record(path, None, "unreadable", exc.strerror or "cannot open")
        yield {"type": "_file", "size": 0, "scanned": False}
        return
    with f:
        size = os.fstat(f.fileno()).st_size
        if size > limits.max_file_size:
            yield not_scanned_record(path, None, "limit:max_file_size", f"{size} bytes")
            yield {"type": "_file", "size": size, "scanned": False}
            return
        scanned = True
        for rec in _scan_parts(engine, path, f, limits, min_confidence):
            if rec["type"] == "not_scanned" and rec["member"] is None:
                scanned = False
            yield rec
    yield {"type": "_file", "size": size, "scanned": scanned}


@dataclass(frozen=True, slots=True)
class _WorkerSetup:
    ruleset: Ruleset
    key: bytes
    known: frozenset[str]
    min_confidence: Confidence
    limits: Limits


_worker: tuple[Engine, _WorkerSetup] | None = None  # one per worker process, set by its initializer


def _init_worker(setup: _WorkerSetup) -> None:
    global _worker
    _worker = (Engine(setup.ruleset, Fingerprinter(setup.key), setup.known), setup)


def _scan_in_worker(path: str) -> list[Record]:
    assert _worker is not None
    engine, setup = _worker
    return list(scan_file(engine, path, setup.min_confidence, setup.limits))


def _serial(engine: Engine, paths: list[str], options: AuditOptions) -> Iterator[Record]:
    for path in paths:
        yield from scan_file(engine, path, options.min_confidence, options.limits)


def _parallel(engine: Engine, key: bytes, paths: list[str], options: AuditOptions) -> Iterator[Record]:
    setup = _WorkerSetup(engine.ruleset, key, engine.known, options.min_confidence, options.limits)
    with ProcessPoolExecutor(max_workers=options.jobs, initializer=_init_worker, initargs=(setup,)) as pool:
        for records in pool.map(_scan_in_worker, paths, chunksize=PARALLEL_CHUNKSIZE):
            yield from records


def run_audit(
    engine: Engine,
    key: bytes,
    paths: list[str],
    options: AuditOptions,
    emit: Callable[[Record], None],
    progress: Callable[[int, int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> Summary:
    """Scan ``paths``; call ``emit`` for every finding and not_scanned record; return the summary."""
    started = time.monotonic()
    summary = Summary(ruleset=engine.ruleset.version)
    files: list[str] = []
    for item in walk(paths, options.walk):
        if isinstance(item, Unwalkable):
            rec = not_scanned_record(item.path, None, item.reason, item.detail)
            summary.count(rec)
            emit(rec)
        else:
            files.append(item)
    if on_total is not None:
        on_total(len(files))
    if options.jobs > 1 and len(files) > 1:
        records = _parallel(engine, key, files, options)
    else:
        records = _serial(engine, files, options)
    for rec in records:
        if rec["type"] == "_file":
            if rec["scanned"]:
                summary.files_scanned += 1
                summary.bytes_scanned += rec["size"]
            if progress is not None:
                progress(1, rec["size"])
            continue
        summary.count(rec)
        emit(rec)
    summary.duration_seconds = time.monotonic() - started
    return summary
