"""The example numbers people copy from tutorials and docs (``rules/sample_numbers.txt``): with
``allow_samples`` on they are allowlisted by fingerprint, so a manual or a test fixture quoting
one is not reported. Off by default: a real roster might hold one by chance."""

from __future__ import annotations

from pathlib import Path

from scanner.privacy.fingerprint import Fingerprinter
from scanner.rules.loader import shipped_rules_dir

SAMPLES_FILE = "sample_numbers.txt"


def sample_numbers(path: Path | None = None) -> tuple[str, ...]:
    """The sample numbers listed in the shipped rules (one per line, ``#`` comments)."""
    text = (path or shipped_rules_dir() / SAMPLES_FILE).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(line for line in lines if line)


def sample_fingerprints(fingerprinter: Fingerprinter) -> frozenset[str]:
    """The fingerprints of the sample numbers under this key."""
    return frozenset(fingerprinter(n) for n in sample_numbers())
