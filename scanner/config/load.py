"""Reading config files into :class:`ScanConfig` and :class:`ServeConfig`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from scanner.config.errors import ConfigError
from scanner.config.file import ConfigFile
from scanner.config.paths import default_home, user_config_file
from scanner.config.scan import ScanConfig, ScanSettings
from scanner.config.serve import ServeConfig, ServeSettings
from scanner.config.watch import WatchSpec
from scanner.i18n import _
from scanner.schema import UnsetVariable, first_error, read_toml
from scanner.schema import expand_vars as _expand
from scanner.schema.errors import key_path


def expand_vars(value: Any, where: str = "config") -> Any:
    """``${VAR}`` in every string of ``value``, from the environment (``$${`` for a literal
    ``${``); an unset variable is a :class:`ConfigError` naming it and the key path."""
    try:
        return _expand(value)
    except UnsetVariable as exc:
        at = key_path(exc.loc)
        raise ConfigError(f"{where}: {at + ': ' if at else ''}"
                          + _("environment variable {name} is not set").format(name=exc.name)) from None


def read_config_file(path: Path) -> ConfigFile:
    """Parse, expand and validate one config file."""
    data = expand_vars(read_toml(path, ConfigError), str(path))
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {first_error(exc, ConfigFile, data)}") from None


def _values(model: BaseModel, of: type[BaseModel]) -> dict[str, Any]:
    """The fields of ``model`` that ``of`` declares."""
    return {name: getattr(model, name) for name in of.model_fields}


def scan_config(file: ConfigFile, source: str | None) -> ScanConfig:
    """The scan settings of a validated file."""
    return ScanConfig(
        fingerprint_key=file.fingerprint_key, rules_dirs=file.rules_dirs, **_values(file.scan, ScanSettings),
        limits=file.limits, source=source,
    )


def load_scan_config(path: Path | None) -> ScanConfig:
    """Read ``path``, or the user's config file if it exists, or defaults."""
    if path is None:
        path = user_config_file()
        if not path.exists():
            return ScanConfig()
    return scan_config(read_config_file(path), str(path))


def default_serve_config() -> ServeConfig:
    """The embedded default: watch $XDG_DATA_HOME/mynumber-dlp/watch, quarantine high findings."""
    home = default_home()
    return ServeConfig(watches=(WatchSpec(path=home / "watch", name="default"),), quarantine_dir=home / "quarantine")


def load_serve_config(path: Path | None) -> ServeConfig:
    """Read a serve config (TOML), or the embedded default when ``path`` is None."""
    if path is None:
        return default_serve_config()
    file = read_config_file(path)
    return ServeConfig(
        **_values(file.serve, ServeSettings), watches=file.serve.watch, queues=file.serve.queue,
        audits=file.serve.audit,
        policy=file.policy, scan=scan_config(file, str(path)), source=str(path),
    )
