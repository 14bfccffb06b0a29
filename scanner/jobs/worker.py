"""What a daemon does with one audit job: scan its files in the worker pool, into a result.

Pure of the broker: the daemon's thread (``serve/audit_jobs.py``) takes the job and
publishes what ``run_job`` returns. Files are scanned at ``low`` and filtered to the job's
``min_confidence`` here, so one pool serves every audit whatever it asks for.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from scanner.audit import scan_file
from scanner.detect.finding import Confidence
from scanner.isolated_payloads import WorkerEngine
from scanner.jobs.job import AuditJob, JobFile, JobResult
from scanner.report.records import FileDone, FindingRecord, ScanItem, not_scanned_record
from scanner.sources.smb.credentials import SmbCredentials
from scanner.workers import WorkerPool


class AuditScanner(WorkerEngine):
    """Picklable scan function of the audit jobs' workers (started by a fork server)."""

    smb: SmbCredentials | None = None
    """Who logs on to the shares of ``smb://`` paths."""

    def __call__(self, path: str) -> Iterator[ScanItem]:
        return scan_file(self.engine(), path, Confidence.LOW, self.limits, smb=self.smb)


def run_job(job: AuditJob, pool: WorkerPool, worker: str, ruleset: str, key_id: str) -> JobResult:
    """Scan ``job``'s files; their records and sizes, in the job's order."""
    result = JobResult(job.audit, job.job, uuid.uuid4().hex, worker, ruleset, key_id)
    paths = iter(job.paths)
    for item in pool.scan(job.paths):
        if isinstance(item, FileDone):
            result.files.append(JobFile(next(paths), item.size, item.scanned))
        elif not isinstance(item, FindingRecord) or item.confidence >= job.min_confidence:
            result.records.append(item)
    return result


def failed_job(job: AuditJob, deliveries: int, worker: str, ruleset: str, key_id: str) -> JobResult:
    """The result of a job delivered too often without one: each of its files not_scanned (the
    report says so; an audit never silently lacks them)."""
    result = JobResult(job.audit, job.job, uuid.uuid4().hex, worker, ruleset, key_id)
    for path in job.paths:
        result.files.append(JobFile(path, 0, False))
        result.records.append(not_scanned_record(path, None, "error", f"audit job failed {deliveries} times"))
    return result
