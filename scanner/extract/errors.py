"""Turn what goes wrong while extracting into contract reasons, never into a crash or a clean."""

from __future__ import annotations

import lzma
import tarfile
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from scanner.extract.limits import LimitExceeded
from scanner.extract.parts import Unscanned

CORRUPT = (zipfile.BadZipFile, tarfile.TarError, zlib.error, lzma.LZMAError, EOFError, ParseError, UnicodeError)


class Encrypted(Exception):
    """The item or member is encrypted; we do not guess passwords."""


def unscanned(member: str | None, exc: BaseException) -> Unscanned:
    """The not-scanned record for an exception met while reading ``member``.

    Details never quote content: only our own words and the exception's type.
    """
    if isinstance(exc, LimitExceeded):
        return Unscanned(member, f"limit:{exc.name}", exc.detail)
    if isinstance(exc, MemoryError):
        return Unscanned(member, "limit:max_memory", "the parser needed more memory than allowed")
    if isinstance(exc, Encrypted):
        return Unscanned(member, "encrypted", str(exc) or "encrypted")
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc).lower():
        return Unscanned(member, "encrypted", "encrypted member")
    if isinstance(exc, CORRUPT) or (isinstance(exc, ValueError) and str(exc).startswith("corrupt")):
        return Unscanned(member, "corrupt", f"{type(exc).__name__}: cannot be read as its format")
    if isinstance(exc, OSError):
        return Unscanned(member, "corrupt" if exc.errno is None else "unreadable", type(exc).__name__)
    return Unscanned(member, "error", type(exc).__name__)
