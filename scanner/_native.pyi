"""Type stubs of the native detection core (``scanner/native/python``, built by maturin)."""

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

class KeywordIndex:
    """One Aho-Corasick automaton over folded keyword forms."""

    def __init__(self, forms: list[str]) -> None: ...
    def find(self, text: str) -> list[tuple[int, int, int]]: ...

def context_score(
    hits: list[tuple[str, str, float, int, bool, float]],
    settings: tuple[int, int, float, float, int, float, int, float],
    structure_factor: float,
) -> tuple[float, list[str], bool]:
    """Net context contribution, its reasons, and whether positive context was present."""

def clamp(score: float) -> float:
    """A score kept within 0..1, rounded to 3 decimals as ``round`` does."""

def slot_evidence(
    values: list[tuple[bool, str | None]], settings: tuple[int, float, float, int, float, float]
) -> tuple[float, str | None]:
    """Score change and reason of a slot that saw these (valid, digits) values."""

# structure functions, for the differential tests
def structure_fields(line: str, delimiter: str) -> list[str]: ...
def structure_detect_table(head: str) -> tuple[str, int, list[str]] | None: ...
def structure_column_of(line_prefix: str, delimiter: str) -> int: ...
def structure_next_label_start(after: str) -> int: ...
def structure_nearest_label(before: str, transparent: list[str]) -> tuple[str, str, int, int] | None: ...
def structure_local_table_delimiter(line: str) -> tuple[str, int] | None: ...
def structure_find_local_header(lines_above: list[str], delimiter: str, count: int) -> int | None: ...
def structure_label_key(text: str) -> str: ...

class Engine:
    """A ruleset compiled in the core (built by ``scanner.detect.native_engine``)."""

    def __init__(
        self,
        rules: list[dict],
        keywords: list[tuple[int, str, float]],
        keyword_forms: list[str],
        keyword_entries: list[list[int]],
        transparent_labels: list[str],
        known: list[str],
        fingerprinter: Fingerprinter,
        reach: tuple[int, int, int, str, str] | None,
    ) -> None: ...
    def document(self) -> Document: ...

class Document:
    """One document fed in pieces; findings as (rule, line, column, level, score, masked, fingerprint, reasons)."""

    def feed(self, text: str, zones: list[tuple[int, int]] | None = None) -> list[tuple]: ...
    def jump(self, line: int) -> list[tuple]: ...
    def feed_bytes(self, data: bytes, encoding: str, prefilter: bool) -> list[tuple]: ...
    def profile(self) -> dict[str, int]: ...
    def close(self) -> list[tuple]: ...

def panic_for_tests() -> list[tuple]:
    """Panics (tests check that a panic becomes an exception)."""
