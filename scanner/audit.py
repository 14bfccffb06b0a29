"""On-demand audits: scan files and directories, in worker processes, into records.

Each file is extracted by content type into parts, each part one document for
the engine. Files are scanned in forked worker processes (``workers.py``) with
a memory limit and a time limit, so a hostile file costs itself, never the
audit; records come back in input order, a long file's findings as they come.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from scanner.detect.card import card_finding
from scanner.detect.engine import Engine
from scanner.detect.finding import Confidence, Finding
from scanner.detect.names import name_findings
from scanner.extract.dispatch import extract
from scanner.extract.encoding import readable_name
from scanner.extract.errors import unscanned
from scanner.extract.limits import Budget, Limits
from scanner.extract.parts import Context, TextPart, Unscanned, join_member
from scanner.report.records import (
    FileDone,
    FindingRecord,
    NotScannedRecord,
    Record,
    ScanItem,
    Summary,
    finding_record,
    not_scanned_record,
)
from scanner.sources.smb.client import client_for, close_clients
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import SmbUrlError, is_smb_url, parse_smb_url
from scanner.sources.smb.walk import walk_share
from scanner.sources.walk import Unwalkable, WalkOptions, walk
from scanner.triage.suppressor import SUPPRESSED_BY, Suppressor
from scanner.workers import WorkerLimits, WorkerPool


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """How one audit runs."""

    min_confidence: Confidence = Confidence.LOW
    jobs: int = 1
    walk: WalkOptions = WalkOptions()
    limits: Limits = Limits()
    smb: SmbCredentials | None = None
    """Who logs on to the shares of ``smb://`` paths (None: no share among the paths)."""


def scan_stream(
    engine: Engine, path: str, stream: BinaryIO, limits: Limits, min_confidence: Confidence, member: str | None = None
) -> Iterator[Record]:
    """Records for one seekable stream (a file, a message payload), extracted by content type."""
    ctx = Context(engine.prefilter, limits, Budget(limits), member=member)
    names = _NamesSeen(engine, path, min_confidence)
    current: str | None = member  # the member being extracted, for the record of a failure
    try:
        for item in extract(stream, ctx):
            current = item.member
            yield from names.member(item.member)
            if isinstance(item, Unscanned):
                yield not_scanned_record(path, item.member, item.reason, item.detail)
                continue
            titles = tuple(t for t in (*_path_titles(path), *(item.member or "").split("/"), *item.titles) if t)
            found: list[Finding] = []
            for finding in engine.scan_segments(item.segments, titles, item.about):
                if item.image_lines:
                    found.append(finding)
                if finding.confidence >= min_confidence:
                    place = item.locate(finding.line, finding.column) if item.locate else None
                    if item.source is not None:
                        line, column = item.source(finding.line, finding.column)
                        finding = finding._replace(line=line, column=column)
                    if item.via:
                        finding = finding._replace(reasons=(*finding.reasons, *item.via))
                    yield finding_record(path, join_member(item.member, place), finding)
            if item.image_lines:
                yield from _card_records(engine, path, item, found, min_confidence)
            if item.problem is not None:
                yield not_scanned_record(path, item.problem.member, item.problem.reason, item.problem.detail)
    # a bug or a hostile file costs this item, not the audit; no content in the detail
    except Exception as exc:  # noqa: BLE001
        problem = unscanned(current, exc)
        yield not_scanned_record(path, problem.member, problem.reason, problem.detail)


def _card_records(
    engine: Engine, path: str, item: TextPart, numbers: list[Finding], min_confidence: Confidence
) -> Iterator[FindingRecord]:
    """The card itself, when the lines OCR read from one image are a card's (one finding per rule)."""
    for rule in engine.ruleset.rules:
        finding = card_finding(rule, item.image_lines, [f for f in numbers if f.rule == rule.id], engine.fingerprint)
        if finding is not None and finding.confidence >= min_confidence:
            yield finding_record(path, item.member, finding._replace(reasons=(*finding.reasons, *item.via)))


def _path_titles(path: str) -> tuple[str, str]:
    """The file's name and its folder's: both say what a file holds (``マイナンバー提出/山田.xlsx``, a
    chat export's channel folder ``人事-マイナンバー収集/2024-11-05.json``)."""
    folder, name = os.path.split(path)
    return readable_name(os.path.basename(folder)), readable_name(name)


class _NamesSeen:
    """Findings in member names (``個人番号_….pdf`` inside a zip), each name once per stream."""

    def __init__(self, engine: Engine, path: str, min_confidence: Confidence) -> None:
        self.engine, self.path, self.min_confidence = engine, path, min_confidence
        self.seen: set[str] = set()

    def member(self, member: str | None) -> Iterator[FindingRecord]:
        """Records for the components of ``member`` not seen before (``a.zip/b/c.txt``: each level)."""
        if not member:
            return
        parts = member.split("/")
        for i, part in enumerate(parts):
            key = "/".join(parts[: i + 1])
            if key in self.seen:
                continue
            self.seen.add(key)
            for finding in name_findings(self.engine, part):
                if finding.confidence >= self.min_confidence:
                    yield finding_record(self.path, key, finding)


def name_records(engine: Engine, path: str, min_confidence: Confidence) -> Iterator[FindingRecord]:
    """Findings for numbers written in a file's own name."""
    for finding in name_findings(engine, os.path.basename(path)):
        if finding.confidence >= min_confidence:
            yield finding_record(path, None, finding)


def _opened(
    path: str, smb: SmbCredentials | None
) -> tuple[io.BufferedReader, tuple[int, int], Callable[[], tuple[int, int]]]:
    """The file at ``path`` (local, or ``smb://``) open for reading, its (size, mtime) as opened,
    and how to ask them again once it is read."""
    if is_smb_url(path):
        client, loc = client_for(smb or SmbCredentials()), parse_smb_url(path)
        handle = client.open(loc)

        def smb_state() -> tuple[int, int]:
            entry = client.stat(loc)
            return entry.size, entry.mtime_ns

        return handle, client.opened_state(handle), smb_state  # the open's own answer: no round trip
    f = open(path, "rb")

    def local_state() -> tuple[int, int]:
        st = os.fstat(f.fileno())
        return st.st_size, st.st_mtime_ns

    return f, local_state(), local_state


def scan_file(
    engine: Engine, path: str, min_confidence: Confidence, limits: Limits = Limits(), digest: bool = False,
    smb: SmbCredentials | None = None,
) -> Iterator[ScanItem]:
    """Records for one file as they are produced; the last item is its ``FileDone``
    (with the content's SHA-256 when ``digest``: the daemon keeps it in its state).
    ``path`` may be a share's ``smb://`` URL, read with the credentials ``smb``."""
    yield from name_records(engine, path, min_confidence)
    try:
        f, (size, mtime_ns), state = _opened(path, smb)
    except OSError as exc:
        yield not_scanned_record(path, None, "unreadable", exc.strerror or "cannot open")
        yield FileDone(0, scanned=False)
        return
    with f:
        if size > limits.max_file_size:
            yield not_scanned_record(path, None, "limit:max_file_size", f"{size} bytes")
            yield FileDone(size, scanned=False)
            return
        scanned = True
        for rec in scan_stream(engine, path, f, limits, min_confidence):
            if isinstance(rec, NotScannedRecord) and rec.member is None:
                scanned = False
            yield rec
        changed = False
        try:
            after_size, after_mtime_ns = state()
        except OSError:
            after_size, after_mtime_ns = -1, -1  # gone (deleted, renamed) while being read
        if (after_size, after_mtime_ns) != (size, mtime_ns):
            # truncated, grown or rewritten under us: what was read is not the file any more
            yield not_scanned_record(
                path, None, "unreadable", f"changed while being read ({size} -> {after_size} bytes)"
            )
            scanned, changed = False, True
        sha256 = None
        if digest:
            try:
                f.seek(0)
                sha256 = hashlib.file_digest(f, "sha256").hexdigest()
            except OSError:
                pass
    yield FileDone(size, scanned, changed, sha256)


def _scan_records(
    engine: Engine, min_confidence: Confidence, limits: Limits, smb: SmbCredentials | None, path: str
) -> Iterator[ScanItem]:
    return scan_file(engine, path, min_confidence, limits, smb=smb)


def walk_paths(paths: list[str], options: AuditOptions) -> Iterator[str | Unwalkable]:
    """The files under ``paths`` (local paths and ``smb://`` URLs), and what could not be walked."""
    for path in paths:
        if is_smb_url(path):
            try:
                root = parse_smb_url(path)
            except SmbUrlError as exc:
                yield Unwalkable(path, "unreadable", str(exc))
                continue
            yield from walk_share(client_for(options.smb or SmbCredentials()), root, options.walk)
        else:
            yield from walk([path], options.walk)


def run_audit(
    engine: Engine,
    paths: list[str],
    options: AuditOptions,
    emit: Callable[[Record], None],
    progress: Callable[[int, int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    suppress: Suppressor | None = None,
    on_file: Callable[[str, FileDone], None] | None = None,
) -> Summary:
    """Scan ``paths``; call ``emit`` for every finding and not_scanned record that ``suppress``
    does not hide (a baseline, an allowlist); ``on_file`` is told each file's path and
    ``FileDone`` once it is scanned (the report's per-directory totals); return the summary."""
    started = time.monotonic()
    summary = Summary(ruleset=engine.ruleset.version)
    if suppress is not None and not suppress.active:
        suppress = None  # asked once, not per record
    files: list[str] = []
    for item in walk_paths(paths, options):
        if isinstance(item, Unwalkable):
            rec = not_scanned_record(item.path, None, item.reason, item.detail)
            summary.count(rec)
            emit(rec)
        else:
            files.append(item)
    if on_total is not None:
        on_total(len(files))
    scan = functools.partial(_scan_records, engine, options.min_confidence, options.limits, options.smb)
    worker_limits = WorkerLimits(options.limits.max_memory, options.limits.max_scan_time)
    # smbclient runs a thread per connection: log off before forking the workers (each opens
    # its own session), or fork() would copy those threads' locks mid-use and share the socket
    close_clients()
    with WorkerPool(min(options.jobs, max(1, len(files))), scan, worker_limits) as pool:
        _collect(pool.scan(files), summary, emit, progress, suppress, on_file and _paired(files, on_file))
    summary.duration_seconds = time.monotonic() - started
    if suppress is not None:
        summary.suppressed = {by: suppress.counted[by] for by in SUPPRESSED_BY if suppress.counted[by]}
    return summary


def _paired(files: list[str], on_file: Callable[[str, FileDone], None]) -> Callable[[FileDone], None]:
    """Calls ``on_file`` with each ``FileDone`` and its path: the pool answers files in order."""
    paths = iter(files)
    return lambda done: on_file(next(paths), done)


def _collect(
    records: Iterable[ScanItem],
    summary: Summary,
    emit: Callable[[Record], None],
    progress: Callable[[int, int], None] | None,
    suppress: Suppressor | None,
    on_done: Callable[[FileDone], None] | None = None,
) -> None:
    for rec in records:
        if isinstance(rec, FileDone):
            if on_done is not None:
                on_done(rec)
            if rec.scanned:
                summary.files_scanned += 1
                summary.bytes_scanned += rec.size
            if progress is not None:
                progress(1, rec.size)
            continue
        if suppress is not None and suppress.hides(rec):
            continue
        summary.count(rec)
        emit(rec)
