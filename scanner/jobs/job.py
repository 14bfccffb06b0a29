"""The messages of a distributed audit, typed inside and JSON on the broker.

An ``AuditJob`` is a batch of files to scan; a job's result travels as one or more
``ResultPart`` messages (a roster's findings can exceed a broker's message size), all
of one ``attempt``: the collector takes a job's first attempt whose parts are all there, so
a job done twice (a daemon killed after publishing, before acknowledging) is reported once.
The ``Manifest`` closes the enqueue and gives the total. Records are the contract's objects
(``record_dict``): masked numbers and keyed fingerprints only, never a number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

from scanner.detect.finding import Confidence
from scanner.i18n import _
from scanner.report.records import FindingRecord, NotScannedRecord, Record, record_dict

FORMAT_VERSION = 1
"""Version of these messages; a reader refuses one it does not know."""
RESULT_PART_BYTES = 512 * 1024
"""A result is split into parts of about this size (Kafka's default message limit is 1 MB)."""
WALK_JOB = "walk"
"""The job that carries what ``audit enqueue`` could not walk (published by enqueue itself)."""
KEY_ID_MESSAGE = b"mynumber-dlp fingerprint key id"
"""What the key id is the HMAC of: results from daemons with different keys are told apart."""
KEY_ID_CHARS = 16
"""Hex characters of the key id (64 bits: tells keys apart, says nothing of the key)."""


def key_id(key: str) -> str:
    """A short keyed name of the fingerprint key (fingerprints agree only between equal keys)."""
    return hmac.new(key.encode("utf-8"), KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:KEY_ID_CHARS]


def _dumps(obj: dict[str, Any]) -> bytes:
    # ASCII escapes keep a path's undecodable bytes (surrogates) intact through UTF-8 brokers
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _loads(body: bytes, kind: str) -> dict[str, Any]:
    try:
        obj = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValueError(_("not a mynumber-dlp {kind} message (not JSON)").format(kind=kind)) from None
    if not isinstance(obj, dict) or obj.get("kind") != kind:
        raise ValueError(_("not a mynumber-dlp {kind} message").format(kind=kind))
    if obj.get("v") != FORMAT_VERSION:
        raise ValueError(_("{kind} message of unknown version {version}").format(kind=kind, version=obj.get("v")))
    return obj


@dataclass(frozen=True, slots=True)
class AuditJob:
    """Scan these files for audit ``audit``."""

    audit: str
    job: str
    """The job's id within its audit (zero-padded sequence number: sorts in enqueue order)."""
    paths: tuple[str, ...]
    """Local paths (the same on every daemon: one mount point) or ``smb://`` URLs."""
    min_confidence: Confidence = Confidence.LOW

    def encode(self) -> bytes:
        return _dumps({"kind": "job", "v": FORMAT_VERSION, "audit": self.audit, "job": self.job,
                       "paths": list(self.paths), "min_confidence": self.min_confidence.label})

    @classmethod
    def decode(cls, body: bytes) -> AuditJob:
        """The job in ``body``; ValueError when it is not one."""
        obj = _loads(body, "job")
        try:
            return cls(str(obj["audit"]), str(obj["job"]), tuple(str(p) for p in obj["paths"]),
                       Confidence.parse(obj["min_confidence"]))
        except (KeyError, TypeError, ValueError):
            raise ValueError(_("not a mynumber-dlp {kind} message").format(kind="job")) from None


@dataclass(frozen=True, slots=True)
class JobFile:
    """One file of a job as it was scanned: the report's per-directory totals and its summary."""

    path: str
    size: int
    scanned: bool


@dataclass(slots=True)
class JobResult:
    """What one attempt at a job found."""

    audit: str
    job: str
    attempt: str
    """Random id of this attempt: the parts of one attempt belong together."""
    worker: str
    """The consumer that did it."""
    ruleset: str
    key_id: str
    files: list[JobFile] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    finished: float = field(default_factory=time.time)

    def encode_parts(self, max_bytes: int = RESULT_PART_BYTES) -> list[bytes]:
        """The result as messages of about ``max_bytes`` each (files and records alike in order)."""
        chunks: list[tuple[list[Any], list[dict[str, Any]]]] = [([], [])]
        size = 0

        def take(n: int) -> tuple[list[Any], list[dict[str, Any]]]:
            nonlocal size
            if size + n > max_bytes and (chunks[-1][0] or chunks[-1][1]):
                chunks.append(([], []))
                size = 0
            size += n
            return chunks[-1]

        for f in self.files:
            entry = [f.path, f.size, f.scanned]
            take(len(json.dumps(entry)))[0].append(entry)
        for rec in self.records:
            row = record_dict(rec)
            take(len(_dumps(row)))[1].append(row)
        head = {"kind": "result", "v": FORMAT_VERSION, "audit": self.audit, "job": self.job, "attempt": self.attempt,
                "parts": len(chunks), "worker": self.worker, "ruleset": self.ruleset, "key_id": self.key_id,
                "finished": round(self.finished, 3)}
        return [_dumps({**head, "part": i, "files": files, "records": rows})
                for i, (files, rows) in enumerate(chunks)]


@dataclass(frozen=True, slots=True)
class ResultPart:
    """One message of a job's result, as the collector reads it."""

    audit: str
    job: str
    attempt: str
    part: int
    parts: int
    worker: str
    ruleset: str
    key_id: str
    finished: float
    files: tuple[JobFile, ...]
    records: tuple[Record, ...]

    @classmethod
    def decode(cls, body: bytes) -> ResultPart:
        """The part in ``body``; ValueError when it is not one."""
        obj = _loads(body, "result")
        try:
            parts = int(obj["parts"])
            part = int(obj["part"])
            if not 0 <= part < parts:
                raise ValueError
            return cls(
                str(obj["audit"]), str(obj["job"]), str(obj["attempt"]), part, parts, str(obj["worker"]),
                str(obj["ruleset"]), str(obj["key_id"]), float(obj["finished"]),
                tuple(JobFile(str(p), int(s), bool(ok)) for p, s, ok in obj["files"]),
                tuple(record_from_dict(r) for r in obj["records"]),
            )
        except (KeyError, TypeError, ValueError):
            raise ValueError(_("not a mynumber-dlp {kind} message").format(kind="result")) from None


def record_from_dict(row: dict[str, Any]) -> Record:
    """The typed record of a contract object (``record_dict``'s inverse)."""
    if row["type"] == "finding":
        return FindingRecord(row["path"], row["member"], int(row["line"]), int(row["column"]), row["rule"],
                             Confidence.parse(row["confidence"]), float(row["score"]), row["masked"],
                             row["fingerprint"], tuple(row["reasons"]))
    if row["type"] == "not_scanned":
        return NotScannedRecord(row["path"], row["member"], row["reason"], row["detail"])
    raise ValueError(f"unknown record type {row['type']!r}")


@dataclass(frozen=True, slots=True)
class Manifest:
    """Written by ``audit enqueue`` once every job is published: what the audit covers."""

    audit: str
    jobs: int
    """Jobs in all, the walk's own job included."""
    files: int
    paths: tuple[str, ...]
    """The operands the audit was started with."""
    jobs_stream: str
    created: float = field(default_factory=time.time)
    """When the enqueue began (the report's duration runs from here to the last result)."""

    def encode(self) -> bytes:
        return _dumps({"kind": "manifest", "v": FORMAT_VERSION, "audit": self.audit, "jobs": self.jobs,
                       "files": self.files, "paths": list(self.paths), "jobs_stream": self.jobs_stream,
                       "created": round(self.created, 3)})

    @classmethod
    def decode(cls, body: bytes) -> Manifest:
        """The manifest in ``body``; ValueError when it is not one."""
        obj = _loads(body, "manifest")
        try:
            return cls(str(obj["audit"]), int(obj["jobs"]), int(obj["files"]), tuple(str(p) for p in obj["paths"]),
                       str(obj["jobs_stream"]), float(obj["created"]))
        except (KeyError, TypeError, ValueError):
            raise ValueError(_("not a mynumber-dlp {kind} message").format(kind="manifest")) from None
