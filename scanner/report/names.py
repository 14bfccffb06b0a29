"""How paths and member names appear in every output, alert and log line.

File names on a Linux share are bytes. Python hands names that are not valid UTF-8
(CP932 names copied from old Windows systems) over as ``str`` with each undecodable
byte as a lone surrogate (``\\udc8f``, PEP 383), which no UTF-8 output can carry. So:

- each undecodable byte is shown as ``\\x8f`` and each control character (a newline
  in a name) as ``\\x0a``, so every output line stays valid UTF-8 and one record per line;
- check-digit-valid 12-digit numbers in names are masked (``********9018``) unless the
  operator asks for raw names (``--raw-paths``);
- when the shown name is not the name itself, ``<field>_bytes`` carries the exact bytes
  (base64 of the name as it is on disk, after masking), so nothing is lost.
"""

from __future__ import annotations

import base64
import functools
import json

from scanner.detect.names import mask_name

_CONTROL = {c for c in range(0x20)} | {0x7F}


def _escape_bytes(raw: bytes) -> str:
    return "".join(chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}" for b in raw)


def _escape_component(part: str) -> str:
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in part):
        # not UTF-8 on disk: show every non-ASCII byte, not the accidental UTF-8 pieces inside it
        return _escape_bytes(part.encode("utf-8", "surrogateescape" if _escapable(part) else "surrogatepass"))
    return "".join(f"\\x{ord(ch):02x}" if ord(ch) in _CONTROL else ch for ch in part)


def _escapable(part: str) -> bool:
    return all(0xDC80 <= ord(ch) <= 0xDCFF for ch in part if 0xD800 <= ord(ch) <= 0xDFFF)


def escape_name(name: str) -> str:
    """Control characters as ``\\xNN``; a path component that is not UTF-8 on disk with each of its
    non-ASCII bytes as ``\\xNN`` (as ``ls -b`` does); everything else as it is."""
    return "/".join(_escape_component(part) for part in name.split("/"))


SHOWN_CACHE_SIZE = 4096
"""Names whose shown form is remembered: a file's findings all carry its path."""


@functools.lru_cache(maxsize=SHOWN_CACHE_SIZE)
def _shown(name: str, raw: bool) -> tuple[str, str | None]:
    """(shown name, base64 of the exact bytes or None when the shown name is exact): the name
    is masked once (unless ``raw``) and escaped once, for both."""
    source = name if raw else mask_name(name)
    shown = escape_name(source)
    if shown == source:
        return shown, None
    data = source.encode("utf-8", "surrogateescape" if _escapable(source) else "surrogatepass")
    return shown, base64.b64encode(data).decode("ascii")


def shown_name(name: str, raw: bool = False) -> str:
    """A path or member name as outputs show it: numbers masked (unless ``raw``), then escaped."""
    return _shown(name, raw)[0]


def name_bytes(name: str, raw: bool = False) -> str | None:
    """Base64 of the name's bytes on disk (masked unless ``raw``) when ``shown_name`` is not
    the name itself; None when the shown name is exact."""
    return _shown(name, raw)[1]


@functools.lru_cache(maxsize=SHOWN_CACHE_SIZE)
def shown_exactly(name: str, raw: bool = False) -> str | None:
    """The name as outputs show it, JSON-encoded, when that is the name itself (no
    ``*_bytes`` needed); None otherwise."""
    shown, exact = _shown(name, raw)
    return json.encoder.encode_basestring(shown) if exact is None else None


def present(rec: dict, raw: bool = False) -> dict:
    """A record with its ``path`` and ``member`` as outputs show them (adds ``*_bytes`` when needed)."""
    out = dict(rec)
    for key in ("path", "member"):
        value = rec.get(key)
        if isinstance(value, str):
            out[key], exact = _shown(value, raw)
            if exact is not None:
                out[f"{key}_bytes"] = exact
    return out


def present_alert(alert: dict) -> dict:
    """An alert as every sink writes it: its path, and the member of each finding and
    not-scanned item it lists, shown as in records (numbers masked, bytes escaped)."""
    out = present(alert)
    for key in ("details", "not_scanned"):
        if isinstance(alert.get(key), list):
            out[key] = [present(item) if isinstance(item, dict) else item for item in alert[key]]
    return out
