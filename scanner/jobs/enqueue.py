"""``audit enqueue``: walk the paths here, publish one job per batch of files, then the manifest.

Jobs are published while the walk goes on (daemons start before it ends); what could not be
walked is the walk's own result, published by the enqueue itself; the manifest comes last,
so a collector that sees it knows the total. An audit name is used once: a second enqueue
under a name that has results or a manifest is refused (its reports would mix).
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from scanner.audit import AuditOptions, walk_paths
from scanner.detect.finding import Confidence
from scanner.i18n import _
from scanner.jobs.job import WALK_JOB, AuditJob, JobResult, Manifest
from scanner.jobs.names import manifest_stream, results_stream
from scanner.jobs.queue import JOB_PARTITIONS, PUBLISH_CHUNK, JobQueue
from scanner.report.records import Record, not_scanned_record
from scanner.sources.walk import Unwalkable

DEFAULT_BATCH_FILES = 50
"""Files per job: small enough that a daemon killed mid-job costs little, large enough that the
broker's round trips do not dominate small files."""
JOB_ID_DIGITS = 8
"""Job ids are zero-padded to this many digits (they sort in enqueue order)."""


class AuditExists(Exception):
    """The broker already has an audit of this name."""


@dataclass(frozen=True, slots=True)
class EnqueueOptions:
    """How ``audit enqueue`` cuts the work."""

    jobs_stream: str
    batch_files: int = DEFAULT_BATCH_FILES
    min_confidence: Confidence = Confidence.LOW
    audit: AuditOptions = field(default_factory=AuditOptions)
    """How the paths are walked (excludes, symlinks, share credentials)."""


def enqueue_audit(
    queue: JobQueue, name: str, paths: list[str], options: EnqueueOptions,
    progress: Callable[[int, int], None] | None = None,
) -> Manifest:
    """Publish audit ``name`` of ``paths``; ``progress(jobs, files)`` after each publish."""
    results, manifest = results_stream(name), manifest_stream(name)
    if queue.exists(manifest) or queue.exists(results):
        raise AuditExists(_("an audit named {name} exists on this broker; choose another name").format(name=name))
    queue.ensure({options.jobs_stream: JOB_PARTITIONS, results: 1, manifest: 1})
    started = time.time()  # the daemons start on the first jobs while the walk goes on
    unwalkable: list[Record] = []
    batch: list[str] = []
    pending: list[tuple[str, bytes]] = []
    jobs = files = 0

    def cut() -> None:
        nonlocal jobs
        job = AuditJob(name, f"{jobs:0{JOB_ID_DIGITS}d}", tuple(batch), options.min_confidence)
        pending.append((job.job, job.encode()))
        jobs += 1
        batch.clear()

    def publish() -> None:
        queue.publish(options.jobs_stream, pending)
        pending.clear()
        if progress is not None:
            progress(jobs, files)

    for item in walk_paths(paths, options.audit):
        if isinstance(item, Unwalkable):
            unwalkable.append(not_scanned_record(item.path, None, item.reason, item.detail))
            continue
        batch.append(item)
        files += 1
        if len(batch) >= options.batch_files:
            cut()
            if len(pending) >= PUBLISH_CHUNK:
                publish()
    if batch:
        cut()
    publish()
    walk = JobResult(name, WALK_JOB, uuid.uuid4().hex, socket.gethostname(), "", "", records=unwalkable)
    queue.publish(results, [(WALK_JOB, body) for body in walk.encode_parts()])
    done = Manifest(name, jobs + 1, files, tuple(paths), options.jobs_stream, started)
    queue.publish(manifest, [("manifest", done.encode())])
    return done
