"""Config files (TOML) for ``scan`` and ``serve``; command-line flags override them.

One schema (``file.ConfigFile``) declares every key, its type, range and default, and a
one-line description. Unknown keys are errors that name the key path and suggest the key
meant; values are never coerced (``"no"`` is not a boolean); sizes (``"256MiB"``) and
durations (``"2m"``) are written as people write them; ``${VAR}`` is expanded in every
string. Example::

    fingerprint_key = "${MYNUMBER_DLP_KEY}"
    rules_dirs = ["/etc/mynumber-dlp/rules"]

    [scan]
    min_confidence = "low"
    exclude = [".git", "*.iso"]

    [limits]
    max_file_size = "256MiB"
    max_scan_time = "2m"
"""

from scanner.config.address import DEFAULT_METRICS_ADDRESS, parse_address
from scanner.config.effective import effective_config, mask_url
from scanner.config.errors import ConfigError
from scanner.config.file import ConfigFile
from scanner.config.load import (
    default_serve_config,
    expand_vars,
    load_scan_config,
    load_serve_config,
    read_config_file,
)
from scanner.config.overrides import apply_overrides
from scanner.config.paths import CONFIG_FILE_NAME, default_home
from scanner.config.queue import ON_VIOLATION, QUEUE_TYPES, QueueSpec
from scanner.config.scan import ScanConfig
from scanner.config.serve import ServeConfig, check_alert_destinations
from scanner.config.watch import WatchSpec

__all__ = [
    "CONFIG_FILE_NAME", "DEFAULT_METRICS_ADDRESS", "ON_VIOLATION", "QUEUE_TYPES", "ConfigError", "ConfigFile",
    "QueueSpec", "ScanConfig", "ServeConfig", "WatchSpec", "apply_overrides", "check_alert_destinations",
    "default_home", "default_serve_config",
    "effective_config", "expand_vars", "load_scan_config", "load_serve_config", "mask_url", "parse_address",
    "read_config_file",
]
