"""Length-preserving folding of text for keyword matching.

Keywords must match regardless of case and character width (ＭＹ ＮＵＭＢＥＲ,
ﾏｲﾅﾝﾊﾞｰ, My_Number). Every fold here maps one character to exactly one
character, so an offset in folded text is the same offset in the original.
"""

from __future__ import annotations

import unicodedata

import regex

_SPACE_LIKE = "_\u3000\u00a0\t"
SPACED_KEYWORD_MAX = 8
"""Japanese keywords up to this length are also matched written with a space between characters."""


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Full-width ASCII and half-width katakana: NFKC gives one character for each.
    for cp in list(range(0xFF01, 0xFF5F)) + list(range(0xFF61, 0xFFA0)):
        folded = unicodedata.normalize("NFKC", chr(cp)).lower()
        if len(folded) == 1:
            table[cp] = folded
    for ch in _SPACE_LIKE:
        table[ord(ch)] = " "
    table[0xFF3F] = " "  # full-width low line, like "_"
    return table


_TABLE = _build_table()
_NEEDS_TABLE = regex.compile("[" + "".join(regex.escape(chr(cp)) for cp in _TABLE) + "]")
_UNESCAPE = regex.compile(r"\\u([0-9a-fA-F]{4})")


def fold(text: str) -> str:
    """Lower-case, narrow full-width ASCII, widen half-width kana; same length as ``text``."""
    low = text.lower()
    if low.isascii():
        return low.replace("_", " ").replace("\t", " ") if ("_" in low or "\t" in low) else low
    if len(low) != len(text):  # only U+0130 lower-cases to two characters
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    # most Japanese text has nothing to fold but case: check cheaply before translating
    if (
        max(low) >= "\uff01" or "_" in low or "\u3000" in low or "\xa0" in low or "\t" in low
    ) and _NEEDS_TABLE.search(low):
        low = low.translate(_TABLE)
    return low


def fold_keyword(word: str) -> set[str]:
    """Forms of a keyword to put in the automaton: composed and with voiced marks split.

    Half-width ﾊﾞ folds to ハ + U+3099 (two characters), so バ must also be
    searched in its decomposed form.
    """
    nfkc = unicodedata.normalize("NFKC", word)
    forms = {fold(nfkc), fold(unicodedata.normalize("NFD", nfkc))}
    if not any(c.isascii() for c in nfkc) and 2 <= len(nfkc) <= SPACED_KEYWORD_MAX:
        forms.add(fold(" ".join(nfkc)))  # 「個 人 番 号」 from OCR and spaced-out forms
    return forms


def unescape_json(text: str) -> str:
    r"""Decode ``\uXXXX`` escapes (Python's default ``json.dumps`` output) into the text they encode."""
    if "\\u" not in text:
        return text
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
