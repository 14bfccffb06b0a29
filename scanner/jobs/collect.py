"""``audit collect``: read an audit's results and its manifest into one set of records.

Results arrive at least once: a job may be reported by two attempts (a daemon killed after
publishing, before its acknowledgement; a slow job taken over). Each job counts once, by
the first attempt whose parts are all in; later attempts are dropped and counted. Messages
that are not results of this audit are counted and skipped, never fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.jobs.job import WALK_JOB, JobFile, Manifest, ResultPart
from scanner.jobs.names import manifest_stream, results_stream
from scanner.jobs.queue import JobQueue, StreamReader
from scanner.report.records import Record


@dataclass(slots=True)
class JobReport:
    """One job's accepted result."""

    job: str
    worker: str
    ruleset: str
    key_id: str
    finished: float
    files: list[JobFile]
    records: list[Record]


@dataclass(slots=True)
class Assembly:
    """Results gathered so far (pure: fed parts, in stream order)."""

    audit: str
    done: dict[str, JobReport] = field(default_factory=dict)
    duplicates: int = 0
    """Attempts dropped because an earlier one of the same job was complete."""
    foreign: int = 0
    """Messages that were no result of this audit."""
    _partial: dict[tuple[str, str], dict[int, ResultPart]] = field(default_factory=dict)

    def add(self, part: ResultPart) -> None:
        """One part; completes its job when it was the attempt's last missing part."""
        if part.audit != self.audit:
            self.foreign += 1
            return
        key = (part.job, part.attempt)
        parts = self._partial.setdefault(key, {})
        parts[part.part] = part
        if len(parts) < part.parts:
            return
        del self._partial[key]
        if part.job in self.done:
            self.duplicates += 1
            return
        ordered = [parts[i] for i in range(part.parts)]
        first = ordered[0]
        self.done[part.job] = JobReport(
            part.job, first.worker, first.ruleset, first.key_id, max(p.finished for p in ordered),
            [f for p in ordered for f in p.files], [r for p in ordered for r in p.records],
        )

    def reports(self) -> list[JobReport]:
        """The jobs done, the walk's first, then in enqueue order."""
        return sorted(self.done.values(), key=lambda r: (r.job != WALK_JOB, r.job))


class Collector:
    """Reads audit ``name`` from ``queue``; ``poll()`` takes in what arrived since the last."""

    def __init__(self, queue: JobQueue, name: str) -> None:
        self.assembly = Assembly(name)
        self.manifest: Manifest | None = None
        self._results: StreamReader = queue.reader(results_stream(name))
        self._manifests: StreamReader = queue.reader(manifest_stream(name))
        self._queue, self.name = queue, name

    def poll(self) -> None:
        for body in self._manifests.new():
            try:
                self.manifest = Manifest.decode(body)
            except ValueError:
                self.assembly.foreign += 1
        for body in self._results.new():
            try:
                part = ResultPart.decode(body)
            except ValueError:
                self.assembly.foreign += 1
                continue
            self.assembly.add(part)

    @property
    def total(self) -> int | None:
        """Jobs in the audit, once its manifest is written."""
        return None if self.manifest is None else self.manifest.jobs

    @property
    def complete(self) -> bool:
        return self.total is not None and len(self.assembly.done) >= self.total

    def close(self) -> None:
        self._results.close()
        self._manifests.close()
