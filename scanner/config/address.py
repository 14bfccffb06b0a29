"""``host:port`` addresses (the metrics endpoint)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from scanner.config.errors import ConfigError
from scanner.i18n import _

DEFAULT_METRICS_ADDRESS = "127.0.0.1:9108"


def split_address(text: str) -> tuple[str, int] | None:
    """``host:port`` -> (host, port); None when ``text`` is not one."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        return None
    return host.strip("[]") or "127.0.0.1", int(port)


def parse_address(text: str) -> tuple[str, int]:
    """``host:port`` -> (host, port); :class:`ConfigError` otherwise."""
    parsed = split_address(text)
    if parsed is None:
        raise ConfigError(_("metrics address must be host:port, not {value}").format(value=repr(text)))
    return parsed


def _check(text: str) -> str:
    if split_address(text) is None:
        raise PydanticCustomError("address", _("must be host:port, not {value}"), {"value": repr(text)})
    return text


Address = Annotated[str, AfterValidator(_check)]
"""``host:port``, ``[::1]:port`` or ``:port`` (loopback)."""
