"""Settings of ``mynumber-dlp scan`` (also the scan part of a serve config)."""

from __future__ import annotations

from pydantic import Field

from scanner.detect.finding import Confidence
from scanner.extract.limits import Limits
from scanner.schema import ConfidenceLevel, ConfigPath, OptionalPath, Seq, StrictModel


class SharedSettings(StrictModel):
    """The top-level keys of a config file."""

    fingerprint_key: str | None = Field(None, repr=False)
    """Key of the HMAC fingerprints; the environment variable MYNUMBER_DLP_FINGERPRINT_KEY overrides it."""
    rules_dirs: Seq[ConfigPath] = ()
    """Rule directories applied on top of the shipped rules, in order."""


class ScanSettings(StrictModel):
    """The ``[scan]`` table."""

    min_confidence: ConfidenceLevel = Confidence.LOW
    """Findings below this are not reported and do not change the exit status."""
    jobs: int = Field(0, ge=0)
    """Parallel worker processes; 0 means one per CPU core."""
    exclude: Seq[str] = ()
    """Glob patterns of files and directories a walk skips."""
    follow_symlinks: bool = False
    """Follow symbolic links met while walking directories."""
    known_numbers: OptionalPath = None
    """Fingerprint list of known real numbers (exact data match)."""
    allowlist: OptionalPath = None
    """TOML file of reviewed findings (``[[allow]]`` entries with a reason) that are not reported."""
    baseline: OptionalPath = None
    """Baseline file (``scan --write-baseline``): the findings it holds are not reported again."""
    allow_samples: bool = False
    """Do not report the well-known example numbers of tutorials and docs (rules/sample_numbers.txt)."""


class ScanConfig(SharedSettings, ScanSettings):
    """Everything ``mynumber-dlp scan`` takes from a config file."""

    limits: Limits = Limits()
    """Scan limits (``[limits]``; names as in ``limit:<name>`` reasons)."""
    source: str | None = None
    """The file this was read from, if any."""
