"""Reading a TOML file into plain data, with every failure as one line naming the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from scanner.i18n import _, os_error_text


def read_toml(path: Path, error: type[Exception]) -> dict[str, Any]:
    """Parse ``path`` (UTF-8, a leading BOM allowed, as Windows editors write it); failures raise ``error``."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise error(_("{path}: cannot read: {why}").format(path=path, why=os_error_text(exc))) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(_("{path}: not UTF-8 text (byte {offset}); TOML files must be UTF-8").format(
            path=path, offset=exc.start)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(_("{path}: invalid TOML: {error}").format(path=path, error=exc)) from None
