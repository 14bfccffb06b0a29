"""Turn what goes wrong while extracting into contract reasons, never into a crash or a clean."""

from __future__ import annotations

import lzma
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from xml.etree.ElementTree import ParseError

from scanner.extract.limits import Budget, LimitExceeded
from scanner.extract.parts import TextPart, Unscanned

CORRUPT = (
    zipfile.BadZipFile, tarfile.TarError, zlib.error, lzma.LZMAError, EOFError, ParseError, UnicodeError,
    OverflowError,  # a row number or an offset beyond what the format can hold
)
UNSUPPORTED_FEATURES = ("compression method", "compression type", "zip file version", "compressed patched data")
"""zipfile's NotImplementedError messages for features it does not read: ``unsupported``."""
ENCRYPTED_FEATURES = ("encrypt",)
"""NotImplementedError messages for encryption schemes we do not (and need not) read: ``encrypted``."""
PARSER_MODULES = ("pypdf", "py7zr", "olefile", "extract_msg", "xlrd", "striprtf")
"""Libraries whose own exceptions, and whose TypeError/KeyError/... on bad input, mean a corrupt file."""
PARSER_SLIPS = (
    TypeError, KeyError, IndexError, AttributeError, AssertionError, ValueError, ZeroDivisionError, struct.error,
)
"""What a parser library raises when a file breaks its assumptions (a corrupt file, not our bug)."""
ITEM_WIDE_LIMITS = ("max_scan_size", "max_scan_time")
"""Limits on the whole top-level item: once hit, nothing more of the item is read."""

on_error: Callable[[BaseException], None] | None = None
"""Called with each exception that becomes reason ``error`` (a bug to fix): the fuzzer keeps its traceback."""


class Encrypted(Exception):
    """The item or member is encrypted; we do not guess passwords."""


class Corrupt(Exception):
    """A format library failed on the content; ``kind`` is the type name of what it raised."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def unscanned(member: str | None, exc: BaseException) -> Unscanned:
    """The not-scanned record for an exception met while reading ``member``.

    Details never quote content: only our own words and the exception's type.
    """
    if isinstance(exc, LimitExceeded):
        return Unscanned(member, f"limit:{exc.name}", exc.detail)
    if isinstance(exc, MemoryError):
        return Unscanned(member, "limit:max_memory", "the parser needed more memory than allowed")
    if isinstance(exc, RecursionError):
        return Unscanned(member, "limit:max_recursion", "structure nested deeper than the parser can follow")
    if isinstance(exc, Encrypted):
        return Unscanned(member, "encrypted", str(exc) or "encrypted")
    if isinstance(exc, Corrupt):
        return Unscanned(member, "corrupt", f"{exc.kind}: cannot be read as its format")
    if isinstance(exc, NotImplementedError):
        return _not_implemented(member, exc)
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc).lower():
        return Unscanned(member, "encrypted", "encrypted member")
    if isinstance(exc, CORRUPT) or (isinstance(exc, ValueError) and str(exc).startswith("corrupt")):
        return _corrupt(member, exc)
    if isinstance(exc, OSError):
        return Unscanned(member, "corrupt" if exc.errno is None else "unreadable", type(exc).__name__)
    if type(exc) is LookupError:  # a codec an XML or text declaration names that Python does not know
        return Unscanned(member, "corrupt", "LookupError: declares an unknown encoding")
    if on_error is not None:
        on_error(exc)
    return Unscanned(member, "error", type(exc).__name__)


def _not_implemented(member: str | None, exc: NotImplementedError) -> Unscanned:
    """zipfile says which feature it lacks only in the message (we keep our own words)."""
    text = str(exc).lower()
    if any(word in text for word in ENCRYPTED_FEATURES):
        return Unscanned(member, "encrypted", "encryption scheme not read")
    if any(word in text for word in UNSUPPORTED_FEATURES):
        return Unscanned(member, "unsupported", "compression method or format version not read")
    return _corrupt(member, exc)


def _corrupt(member: str | None, exc: BaseException) -> Unscanned:
    """The ``corrupt`` record, naming only the exception's type."""
    return Unscanned(member, "corrupt", f"{type(exc).__name__}: cannot be read as its format")


def from_parser(exc: BaseException, modules: tuple[str, ...] = PARSER_MODULES) -> BaseException:
    """An exception from a format library as one ``unscanned`` maps right.

    The library's own exception types and its slips on bad input (TypeError,
    KeyError, AssertionError ...) mean a corrupt file; limits, memory, recursion,
    encryption and I/O errors keep their own reasons.
    """
    if isinstance(exc, (LimitExceeded, MemoryError, RecursionError, Encrypted, OSError, NotImplementedError)):
        return exc  # these keep their own reasons (NotImplementedError: unsupported, encrypted or corrupt)
    name = type(exc).__name__
    module = type(exc).__module__
    if module.startswith(modules):
        if "Password" in name or "Decrypt" in name or "Encrypt" in name:
            return Encrypted("password-protected content")
        if name == "LimitReachedError":  # pypdf's own bomb guard
            return LimitExceeded("max_ratio", "a stream expands beyond the parser's limit")
        if name in ("DependencyError", "UnsupportedCompressionMethodError"):
            return NotImplementedError("compression method")
        return Corrupt(name)
    if isinstance(exc, PARSER_SLIPS) and not isinstance(exc, UnicodeError):
        return Corrupt(name)
    return exc


def budget_spent(budget: Budget) -> LimitExceeded | None:
    """The item-wide limit that is used up (scan size or time), or None while some is left."""
    try:
        budget.take(0)
    except LimitExceeded as exc:
        return exc
    return None


def charge(part: TextPart, budget: Budget, n: int) -> TextPart:
    """``part`` with its ``n`` characters taken from ``budget``; over an item-wide limit the text
    is still scanned (it is read already) and the limit is the part's problem."""
    try:
        budget.take(n)
    except LimitExceeded as exc:
        part.problem = unscanned(part.member, exc)
    return part


def reports_item_limit(item: TextPart | Unscanned | None) -> bool:
    """Whether ``item`` (or its problem) already reports an item-wide limit."""
    record = item.problem if isinstance(item, TextPart) else item
    return record is not None and record.reason.removeprefix("limit:") in ITEM_WIDE_LIMITS
