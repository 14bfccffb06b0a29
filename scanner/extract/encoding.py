"""Which of the encodings Japanese file shares hold a byte string is in.

General-purpose detectors also weigh GB18030, Big5 and others, which decode
Shift_JIS and EUC-JP bytes without error; here the choice is restricted to
what Japanese offices write: UTF-8 (with or without BOM), CP932 (Shift_JIS
with Microsoft's extensions), EUC-JP, ISO-2022-JP (mail) and UTF-16 (Excel
"Unicode text").
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import regex

SNIFF_BYTES = 64 * 1024
"""Bytes from the start of a file used to choose its encoding."""
UTF16_NUL_SHARE = 0.2
"""Share of NUL bytes on one parity that marks BOM-less UTF-16 text."""
BINARY_CONTROL_SHARE = 0.1
"""Share of control bytes (other than tab, CR, LF, FF, ESC) that marks a binary file."""
UTF8_GOOD_PER_BAD = 3
"""UTF-8 that does not decode cleanly is still UTF-8 with this many good characters per bad byte
(CP932 and EUC-JP Japanese read as UTF-8 give at most 1 per bad byte, measured on 60-character pieces)."""
UTF8_MIN_CHARS = 8
"""Non-ASCII characters needed before a sample with bad bytes is taken for UTF-8."""

ISO2022_JP = "iso2022_jp_ext"  # also decodes JIS X 0201 half-width katakana (ESC ( I)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I", b"\x1b$(D")
_JAPANESE = regex.compile(r"[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]")
_HALFWIDTH_KANA = regex.compile(r"[\uff61-\uff9f]")
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_CONTROL_CHARS = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ue000-\uf8ff]")


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the first bytes of a file say about it."""

    encoding: str | None
    """Python codec name, or None for binary content."""


def _decodes(sample: bytes, encoding: str) -> str | None:
    """Strict decode that tolerates a character cut at the end of the sample."""
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8 with a few bad bytes (a cut sequence, a stray byte pasted in): CP932 and EUC-JP read
    as UTF-8 break at about every character, not at one in four."""
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(sample, final=False)
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= UTF8_MIN_CHARS and bad * UTF8_GOOD_PER_BAD <= good


def _japanese_score(text: str) -> float:
    if not text:
        return 0.0
    return (len(_JAPANESE.findall(text)) - 3 * len(_HALFWIDTH_KANA.findall(text))) / len(text)


def _plausible_text(text: str) -> bool:
    """Few control characters and no unpaired surrogates: text, not bytes read as text."""
    if not text:
        return True
    controls = len(_CONTROL_CHARS.findall(text))
    return controls / len(text) <= BINARY_CONTROL_SHARE / 10


def _utf16_without_bom(sample: bytes) -> str | None:
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    guess = None
    if odd / half >= UTF16_NUL_SHARE and even < odd / 4:
        guess = "utf-16-le"
    elif even / half >= UTF16_NUL_SHARE and odd < even / 4:
        guess = "utf-16-be"
    if guess is None:
        return None
    text = _decodes(sample[: len(sample) // 2 * 2], guess)
    return guess if text is not None and _plausible_text(text) else None


def readable_name(name: str) -> str:
    """A file name as its user reads it: bytes that were not UTF-8 (a CP932 name on a Samba share,
    carried as surrogate escapes) decoded in their sniffed encoding, anything undecodable as U+FFFD."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
    return raw.decode(sniff(raw).encoding or "utf-8", errors="replace")


def sniff(sample: bytes) -> Sniffed:
    """Choose the encoding of a file from its first bytes (None: binary)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return Sniffed(name)
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return Sniffed(utf16)
    if sample and sum(sample.count(bytes([c])) for c in _CONTROL) / len(sample) > BINARY_CONTROL_SHARE:
        return Sniffed(None)
    if b"\x00" in sample:
        return Sniffed(None)
    if sample.isascii():
        return Sniffed(ISO2022_JP if any(e in sample for e in _ISO2022_ESCAPES) else "utf-8")
    if _decodes(sample, "utf-8") is not None or _mostly_utf8(sample):
        return Sniffed("utf-8")
    decoded = {enc: _decodes(sample, enc) for enc in ("cp932", "euc_jp")}
    ok = {enc: text for enc, text in decoded.items() if text is not None}
    if len(ok) == 1:
        return Sniffed(next(iter(ok)))
    if len(ok) == 2:
        return Sniffed(max(ok, key=lambda enc: _japanese_score(ok[enc])))
    # Neither decodes cleanly: take the one with fewer replacement characters.
    lossy = {enc: sample.decode(enc, errors="replace").count("\ufffd") for enc in ("utf-8", "cp932", "euc_jp")}
    return Sniffed(min(lossy, key=lossy.__getitem__))
