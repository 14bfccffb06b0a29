"""Placeholders of form patterns and the characters of regex character classes."""

from __future__ import annotations

import re

PLACEHOLDERS = ("{D}", "{S}", "{H}", "{W}", "{B}")
"""Digit, separator, hyphen-like, space and box classes, in that order."""


def expand_pattern(pattern: str, classes: dict[str, str], form_index: int) -> str:
    """Replace {D} {S} {H} {W} {B} by character classes and {SEP}/{=SEP} by a per-form group."""
    out = pattern
    for ph in PLACEHOLDERS:
        out = out.replace(ph, "[" + classes[ph] + "]")
    out = out.replace("{SEP}", f"(?P<sep{form_index}>[{classes['{S}']}])")
    return out.replace("{=SEP}", f"(?P=sep{form_index})")


def class_chars(body: str) -> set[str]:
    """The characters a regex character-class body such as ``0-9\\uFF10-\\uFF19`` stands for."""
    items = [m.group() for m in _CLASS_ITEM.finditer(body)]
    chars = [_unescape_class_item(i) for i in items]
    out: set[str] = set()
    i = 0
    while i < len(chars):
        if i + 2 < len(chars) and items[i + 1] == "-":
            out.update(chr(c) for c in range(ord(chars[i]), ord(chars[i + 2]) + 1))
            i += 3
        else:
            out.add(chars[i])
            i += 1
    return out


_CLASS_ITEM = re.compile(r"\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\.|.", re.DOTALL)
_CLASS_ESCAPES = {"t": "\t", "n": "\n", "r": "\r"}


def _unescape_class_item(item: str) -> str:
    if item.startswith(("\\u", "\\x")):
        return chr(int(item[2:], 16))  # noqa: FURB166 - the prefix is \\u or \\x, not 0x
    if item.startswith("\\"):
        return _CLASS_ESCAPES.get(item[1], item[1])
    return item
