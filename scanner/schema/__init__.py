"""What config files and rule files share: strict pydantic models, the value types people
write (sizes, durations, confidence levels, paths), ``${VAR}`` expansion, TOML reading,
and one-line error messages that name the key path and suggest the key meant."""

from scanner.schema.envvars import UnsetVariable, expand_vars
from scanner.schema.errors import first_error, format_error, key_path, pick_error
from scanner.schema.model import StrictModel
from scanner.schema.toml import read_toml
from scanner.schema.types import Between, ConfidenceLevel, ConfigPath, Duration, OptionalPath, OptionalText, Seq, Size

__all__ = [
    "Between", "ConfidenceLevel", "ConfigPath", "Duration", "OptionalPath", "OptionalText", "Seq", "Size",
    "StrictModel", "UnsetVariable", "expand_vars", "first_error", "format_error", "key_path", "pick_error", "read_toml",
]
