"""Value types as people write them in TOML: sizes (``"256MiB"``), durations (``"2m"``),
confidence levels, paths, arrays. Each checks its own input type; nothing is coerced."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BeforeValidator, PlainSerializer
from pydantic_core import PydanticCustomError

from scanner.detect.finding import Confidence
from scanner.i18n import _

T = TypeVar("T")


def wrong_type(kind: str) -> PydanticCustomError:
    """The error of a value of the wrong TOML type; ``kind`` says what was expected."""
    return PydanticCustomError("wrong_type", _("must be {kind}"), {"kind": kind})


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ---- arrays -----------------------------------------------------------------------------

def _array_to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


Seq = Annotated[tuple[T, ...], BeforeValidator(_array_to_tuple)]
"""A TOML array, kept as an immutable tuple."""


# ---- paths ------------------------------------------------------------------------------

def _to_path(value: Any) -> Path:
    if isinstance(value, Path):
        return value
    if not isinstance(value, str):
        raise wrong_type(_("str (a path)"))
    if not value:
        raise PydanticCustomError("empty_path", _("must not be empty"))
    return Path(value).expanduser()


def _to_optional_path(value: Any) -> Path | None:
    return None if value == "" or value is None else _to_path(value)


ConfigPath = Annotated[Path, BeforeValidator(_to_path), PlainSerializer(str, when_used="json")]
"""A path; ``~`` is the user's home."""
OptionalPath = Annotated[Path | None, BeforeValidator(_to_optional_path)]
"""A path, or ``""`` for none (turns the feature off)."""


def _empty_to_none(value: Any) -> Any:
    return None if value == "" else value


OptionalText = Annotated[str | None, BeforeValidator(_empty_to_none)]
"""A string, or ``""`` for none."""


# ---- sizes ------------------------------------------------------------------------------

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*")
SIZE_UNITS = {
    "": 1, "b": 1,
    "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20,
    "g": 1 << 30, "gib": 1 << 30, "t": 1 << 40, "tib": 1 << 40,
    "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
}
"""Byte multipliers: ``K M G T`` and ``KiB MiB GiB TiB`` are powers of 1024, ``kB MB GB TB``
powers of 1000 (case does not matter)."""


def parse_size(value: Any) -> int:
    """Bytes from an integer or a string such as ``"256MiB"``, ``"1.5 GiB"``, ``"500MB"``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        m = _SIZE.fullmatch(value)
        if m and m.group(2).lower() in SIZE_UNITS:
            return int(float(m.group(1)) * SIZE_UNITS[m.group(2).lower()])
        raise PydanticCustomError("size", _("must be a size such as 268435456, \"256MiB\" or \"2GiB\", not {value}"),
                                  {"value": repr(value)})
    raise wrong_type(_("a size (bytes, or a string such as \"256MiB\")"))


Size = Annotated[int, BeforeValidator(parse_size)]
"""A number of bytes: ``268435456``, ``"256MiB"``, ``"2 GiB"``, ``"500MB"``."""


# ---- durations --------------------------------------------------------------------------

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*", re.IGNORECASE)
DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
"""Seconds per unit; a number without a unit is seconds."""


def parse_duration(value: Any) -> float:
    """Seconds from a number or a string such as ``"2m"``, ``"1h30m"``, ``"500ms"``, ``"90"``."""
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        parts = list(_DURATION_PART.finditer(text))
        if text and "".join(p.group() for p in parts) == text and all(p.group(2) for p in parts[:-1]):
            return sum(float(p.group(1)) * DURATION_UNITS[(p.group(2) or "s").lower()] for p in parts)
        raise PydanticCustomError("duration",
                                  _("must be a duration such as 120, \"2m\", \"1h30m\" or \"500ms\", not {value}"),
                                  {"value": repr(value)})
    raise wrong_type(_("a duration (seconds, or a string such as \"2m\")"))


Duration = Annotated[float, BeforeValidator(parse_duration)]
"""Seconds: ``120``, ``0.5``, ``"2m"``, ``"1h30m"``, ``"500ms"``."""


# ---- confidence -------------------------------------------------------------------------

def _to_confidence(value: Any) -> Confidence:
    if isinstance(value, Confidence):
        return value
    if not isinstance(value, str):
        raise wrong_type(_('"low", "medium" or "high"'))
    try:
        return Confidence.parse(value)
    except ValueError:
        raise PydanticCustomError(
            "confidence", _("must be low, medium or high, not {value}"), {"value": repr(value)}
        ) from None


ConfidenceLevel = Annotated[
    Confidence, BeforeValidator(_to_confidence), PlainSerializer(lambda c: c.label, when_used="json")
]
"""``"low"``, ``"medium"`` or ``"high"``."""


# ---- ranges -----------------------------------------------------------------------------

def Between(lo: float, hi: float) -> AfterValidator:  # noqa: N802 - reads as field metadata, like Field()
    """Field metadata: the value must lie in ``lo..hi`` (both included)."""

    def check(value: float) -> float:
        if not lo <= value <= hi:
            raise PydanticCustomError("range", _("must be between {lo} and {hi}, got {value}"),
                                      {"lo": lo, "hi": hi, "value": value})
        return value

    return AfterValidator(check)
