"""Baselines: the findings of one scan, written so that a later scan reports only new ones.

Keyed by fingerprint, path and member, never by line, so an edit elsewhere in a file does not
break the baseline (gitleaks #974). Holds no number, only keyed fingerprints and names with their
numbers masked, and the id of the
key that made them: a baseline read with another key would match nothing, and says so.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scanner.detect.names import mask_name
from scanner.i18n import _, os_error_text
from scanner.report.records import FindingRecord

BASELINE_FORMAT = "mynumber-dlp-baseline"
BASELINE_VERSION = 1
BASELINE_MODE = 0o600
"""A baseline lists where numbers are: readable by its owner only."""
KEY_ID_MESSAGE = b"mynumber-dlp baseline key id"


class BaselineError(ValueError):
    """A baseline file that cannot be used (unreadable, not a baseline, made with another key)."""


def key_id(key: str) -> str:
    """Names the fingerprint key without revealing it (an HMAC of a fixed message)."""
    return hmac.new(key.encode("utf-8"), KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:16]


def entry_key(record: FindingRecord) -> tuple[str, str, str]:
    """What a baseline remembers of a finding: fingerprint, path (normalised) and member, with any
    number in the names masked (a file named after its owner's number must not put it in the file)."""
    return record.fingerprint, mask_name(os.path.normpath(record.path)), mask_name(record.member or "")


@dataclass(frozen=True, slots=True)
class Baseline:
    """The findings of an earlier scan."""

    entries: frozenset[tuple[str, str, str]]
    source: str

    def holds(self, record: FindingRecord) -> bool:
        """Whether this finding was already there."""
        return entry_key(record) in self.entries


def write_baseline(path: Path, findings: Iterable[FindingRecord], key: str) -> int:
    """Write the baseline of ``findings`` (mode 0600); returns how many entries it holds."""
    entries = sorted({entry_key(f) for f in findings})
    doc = {"format": BASELINE_FORMAT, "version": BASELINE_VERSION, "key_id": key_id(key),
           "findings": [{"fingerprint": fp, "path": p, "member": m or None} for fp, p, m in entries]}
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, BASELINE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.chmod(tmp, BASELINE_MODE)
    os.replace(tmp, path)
    return len(entries)


def load_baseline(path: Path, key: str) -> Baseline:
    """Read a baseline; BaselineError (one line) when it cannot be used with ``key``."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(_("cannot read baseline {path}: {why}").format(path=path, why=os_error_text(exc))) from None
    except (ValueError, UnicodeDecodeError):
        raise BaselineError(_("{path} is not a baseline (not JSON)").format(path=path)) from None
    if not isinstance(doc, dict) or doc.get("format") != BASELINE_FORMAT:
        raise BaselineError(_("{path} is not a baseline (written by scan --write-baseline)").format(path=path))
    if doc.get("version") != BASELINE_VERSION:
        raise BaselineError(_("{path}: baseline version {version} is not supported").format(
            path=path, version=repr(doc.get("version"))))
    if doc.get("key_id") != key_id(key):
        raise BaselineError(_("{path} was written with another fingerprint key: its fingerprints match nothing").format(
            path=path))
    try:
        entries = frozenset((str(e["fingerprint"]), os.path.normpath(str(e["path"])), str(e.get("member") or ""))
                            for e in doc["findings"])
    except (KeyError, TypeError):
        raise BaselineError(_("{path}: a baseline entry needs fingerprint and path").format(path=path)) from None
    return Baseline(entries, str(path))
