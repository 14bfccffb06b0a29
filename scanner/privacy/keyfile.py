"""Where the fingerprint key comes from.

Order: the environment variable, the config file, a key file in the user's
config directory. With none of them, a random key is created once in that key
file with mode 0600 and the user is told, so fingerprints stay comparable
between later scans on this account.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from scanner.i18n import _

KEY_ENV = "MYNUMBER_DLP_FINGERPRINT_KEY"
KEY_FILE_NAME = "fingerprint.key"
KEY_BYTES = 32
"""Random bytes in a generated key (written as hex)."""


def user_config_dir() -> Path:
    """``$XDG_CONFIG_HOME/mynumber-dlp`` or ``~/.config/mynumber-dlp``."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "mynumber-dlp"


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    """The key and where it came from (never printed: only ``source`` is)."""

    key: str
    source: str
    created: bool = False


def _read_key_file(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ValueError(_("fingerprint key file {path} is empty").format(path=path))
    return key


def resolve_key(config_key: str | None = None, key_file: Path | None = None) -> ResolvedKey:
    """Find the fingerprint key, creating the per-user key file if nothing else gives one."""
    env = os.environ.get(KEY_ENV)
    if env:
        return ResolvedKey(env, f"environment variable {KEY_ENV}")
    if config_key:
        return ResolvedKey(config_key, "config file")
    path = key_file or user_config_dir() / KEY_FILE_NAME
    if path.exists():
        return ResolvedKey(_read_key_file(path), str(path))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return ResolvedKey(_read_key_file(path), str(path))
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key + "\n")
    return ResolvedKey(key, str(path), created=True)
