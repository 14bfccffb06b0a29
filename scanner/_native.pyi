"""Type stubs of the native detection core (``scanner/native/python``, built by maturin)."""

MAX_PENDING: int
"""Findings held for document evidence before the oldest are settled with the evidence so far."""

def check_digit(first_eleven: str) -> int:
    """The check digit for the first eleven ASCII digits; ValueError otherwise."""

def is_valid(digits: str) -> bool:
    """True when ``digits`` is 12 ASCII digits whose last digit is the correct check digit."""

def mask(digits: str) -> str:
    """``123456789018`` -> ``********9018``."""

def version() -> str:
    """The native core's version (the package's)."""

class Fingerprinter:
    """HMAC-SHA256 keyed with the fingerprint key."""

    def __init__(self, key: bytes) -> None: ...
    def __call__(self, digits: str) -> str: ...

class CandidateFinder:
    """All forms of one rule, decomposed by ``scanner.rules.native_forms``."""

    def __init__(
        self,
        forms: list[tuple[str, list[tuple[str, bool, int]], list[tuple[str, bool, int]]]],
        start_behind: list[tuple[str, bool, int]],
        start_ahead: list[tuple[str, bool, int]],
    ) -> None: ...
    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int, int, str, bool]]: ...

def fold(text: str) -> str:
    """Lower-case, narrow full-width ASCII, widen half-width kana; same length as ``text``."""

class Engine:
    """A ruleset compiled in the core (built by ``scanner.detect.native_engine``)."""

    def __init__(
        self,
        rules: list[dict],
        keywords: list[tuple[int, str, float]],
        keyword_forms: list[str],
        keyword_entries: list[list[int]],
        transparent_labels: list[str],
        label_keys: list[str],
        known: list[str],
        fingerprinter: Fingerprinter,
        candidate_chars: tuple[str, str, int] | None,
    ) -> None: ...
    def document(self) -> Document: ...

class Document:
    """One document fed in pieces; findings as (rule, line, column, level, score, masked, fingerprint, reasons)."""

    def feed(self, text: str, zones: list[tuple[int, int]] | None = None) -> list[tuple]: ...
    def jump(self, line: int) -> list[tuple]: ...
    def feed_bytes(self, data: bytes, encoding: str, prefilter: bool) -> list[tuple]: ...
    def set_titles(self, titles: str, about: str) -> None: ...
    def profile(self) -> dict[str, int]: ...
    def close(self) -> list[tuple]: ...

def panic_for_tests() -> list[tuple]:
    """Panics (tests check that a panic becomes an exception)."""
