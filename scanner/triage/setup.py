"""The ``Suppressor`` a command or the daemon runs with, from its config and options; problems
are one line (the CLI exits 2), expired allowlist entries are warnings."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from scanner.i18n import _
from scanner.privacy.fingerprint import Fingerprinter
from scanner.triage.allowlist import AllowlistError, load_allowlist
from scanner.triage.baseline import BaselineError, load_baseline
from scanner.triage.samples import sample_fingerprints
from scanner.triage.suppressor import Suppressor


class TriageError(ValueError):
    """A baseline or allowlist that cannot be used."""


@dataclass(frozen=True, slots=True)
class TriageFiles:
    """What to suppress: each part off when None/False."""

    allowlist: Path | None = None
    baseline: Path | None = None
    allow_samples: bool = False


def build_suppressor(files: TriageFiles, key: str) -> tuple[Suppressor, list[str]]:
    """The suppressor and its warnings (expired allowlist entries, named by reason)."""
    warnings: list[str] = []
    try:
        allowlist = load_allowlist(files.allowlist) if files.allowlist is not None else None
        baseline = load_baseline(files.baseline, key) if files.baseline is not None else None
    except (AllowlistError, BaselineError) as exc:
        raise TriageError(str(exc)) from None
    if allowlist is not None:
        warnings += [_("allowlist {path}: entry expired on {day} is not applied ({reason})").format(
            path=allowlist.source, day=e.until, reason=e.reason) for e in allowlist.expired]
    samples = sample_fingerprints(Fingerprinter(key)) if files.allow_samples else frozenset()
    suppressor = Suppressor(baseline, allowlist, samples)
    suppressor.digest = _digest(suppressor)
    return suppressor, warnings


def _digest(suppressor: Suppressor) -> str:
    """Changes when what is hidden changes: the entries in force (an entry expiring, not a new
    day or an edited comment), the baseline's entries, the samples switch."""
    if not (suppressor.allowlist or suppressor.baseline or suppressor.samples):
        return ""
    live = [e.model_dump(mode="json") for e in suppressor.allowlist.entries] if suppressor.allowlist else []
    held = sorted(suppressor.baseline.entries) if suppressor.baseline else []
    text = json.dumps([live, held, bool(suppressor.samples)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
