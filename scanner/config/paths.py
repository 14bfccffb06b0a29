"""Where config files and the embedded default's directories are."""

from __future__ import annotations

import os
from pathlib import Path

from scanner.privacy.keyfile import user_config_dir

CONFIG_FILE_NAME = "config.toml"
"""The user's config file in ``~/.config/mynumber-dlp/`` (read by ``scan`` when it exists)."""
ALERT_LOG_NAME = "alerts.jsonl"
"""The alert log's name in the state directory when ``alert_log`` is not set."""


def default_home() -> Path:
    """Where the embedded default keeps its watch, state and quarantine directories."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "mynumber-dlp"


def user_config_file() -> Path:
    """``~/.config/mynumber-dlp/config.toml`` (``$XDG_CONFIG_HOME`` honoured)."""
    return user_config_dir() / CONFIG_FILE_NAME
