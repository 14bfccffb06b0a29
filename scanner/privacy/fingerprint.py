"""Masking and keyed fingerprints: the only forms in which a number leaves the process."""

from __future__ import annotations

import hashlib
import hmac

from scanner import _native

MASK_CHAR = "*"
VISIBLE_DIGITS = 4
"""Trailing digits left visible in a masked value."""


def mask(digits: str) -> str:
    """``123456789018`` -> ``********9018``."""
    return MASK_CHAR * (len(digits) - VISIBLE_DIGITS) + digits[-VISIBLE_DIGITS:]


class Fingerprinter:
    """HMAC-SHA256 keyed with the configured fingerprint key.

    A plain hash of a 12-digit number is reversible by trying all 10^11 valid
    values; the keyed HMAC is not without the key.
    """

    __slots__ = ("_base", "native")

    def __init__(self, key: str | bytes) -> None:
        key_bytes = key.encode("utf-8") if isinstance(key, str) else key
        if not key_bytes:
            raise ValueError("fingerprint key must not be empty")
        self._base = hmac.new(key_bytes, digestmod=hashlib.sha256)
        self.native = _native.Fingerprinter(key_bytes)
        """The same key in the native core (the key itself is kept by neither)."""

    def __call__(self, digits: str) -> str:
        """Lowercase hex HMAC of the 12 ASCII digits."""
        h = self._base.copy()
        h.update(digits.encode("ascii"))
        return h.hexdigest()

    def text(self, message: str) -> str:
        """Lowercase hex HMAC of ``message`` as UTF-8: what stands for a card whose number was not read."""
        h = self._base.copy()
        h.update(message.encode("utf-8"))
        return h.hexdigest()

    def __repr__(self) -> str:
        return "Fingerprinter(<key hidden>)"
