"""Structure as context: table columns, JSON keys, form labels, XML elements.

A value under a column headed 個人番号, after a key ``"my_number":`` or after a
label 「個人番号：」 belongs to that header, however far away the header is.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import regex

TABLE_SNIFF_LINES = 50
"""Lines from the start of a document examined to decide whether it is a table."""
TABLE_MIN_ROWS = 2
"""Rows (header included) with the same field count needed to call a document a table."""
TABLE_MIN_CONSISTENCY = 0.6
"""Share of sniffed lines that must have the table's field count."""
DELIMITERS = (",", "\t", ";", "|")
HEADER_MAX_CELL = 40
"""A header cell is a short name; longer text makes the row data or prose."""
LOCAL_TABLE_DELIMITERS = {"|": 2, "\t": 1, ",": 2}
"""Delimiters of tables inside other text (Markdown, pasted TSV/CSV) and the fewest per line."""
_MARKDOWN_RULE = regex.compile(r"^[\s|:\-=+]+$")

_LONG_DIGITS = regex.compile(r"[0-9\uFF10-\uFF19]{6,}")
_LETTER = regex.compile(r"[^\W\d_]")
_DIGIT = regex.compile(r"\d")

# The nearest of these before a value is its label. Alternatives, in order:
# JSON key, XML/HTML start tag, bracketed label, "key:" / "key=" / "key：", a short line of its own.
LABEL_PATTERN = regex.compile(
    r"""
      "(?P<json>(?:[^"\\\n]|\\.){1,64})"\s*:
    | <(?P<xml>[A-Za-z_][\w.:-]{0,40})(?:\s[^<>\n]{0,200})?>
    | [【\[［〔](?P<bracket>[^】\]］〕\n]{1,24})[】\]］〕]
    | (?P<kv>[^\s:：=,，、;；|"'<>\[\]【】「」()（）{}]{1,24}(?:\ [^\s:：=,，、;；|"'<>\[\]【】「」()（）{}]{1,24}){0,3})
      [ \t\u3000]*[:：=]
    | (?m:^[ \t\u3000]*(?P<line>[^\d\uFF10-\uFF19\n:：\-*・•]{1,16}?)[ \t\u3000]*\r?\n)
    """,  # noqa: E501 - the kv alternative is one regex line; full-width characters count double
    regex.VERBOSE | regex.REVERSE,
)
# Every label above ends in one of these; trying the last few of them is far cheaper than
# searching every position of the window.
_LABEL_END = regex.compile(r"[:：=>】\]］〕\n]", regex.REVERSE)
MAX_LABEL_TRIES = 12
"""Label endings tried, nearest first, before giving up on finding a label."""


@dataclass(frozen=True, slots=True)
class TableLayout:
    """A delimited table found at the start of a document."""

    delimiter: str
    header_line: int
    """0-based line index of the header row."""
    header: tuple[str, ...]
    """Header cells as written."""


@dataclass(frozen=True, slots=True)
class Label:
    """The label a value sits under."""

    text: str
    kind: str
    """``key`` for a JSON key or XML element, ``label`` otherwise (shown in reasons)."""
    distance: int
    """Characters between the end of the label and the value."""
    length: int
    """Characters the label itself takes (with its quotes, brackets or colon)."""


def _fields(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def looks_like_header(cells: list[str]) -> bool:
    """Short cells with words, none of them a number: 氏名,個人番号 but not 09:14,森,年末調整で…"""
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2 or len(filled) < len(cells) * 0.6:
        return False
    lettered = 0
    for c in cells:
        c = c.strip()
        if len(c) > HEADER_MAX_CELL or _LONG_DIGITS.search(c):
            return False
        if _LETTER.search(c):
            lettered += 1
        elif _DIGIT.search(c):
            return False  # a time, a count, a date: a data row
    return lettered >= max(1, len(cells) // 2)


def detect_table(head: str) -> TableLayout | None:
    """Decide from the first lines whether the document is a delimited table, and find its header."""
    if head.lstrip("\ufeff \t\r\n").startswith(("{", "[", "<")):
        return None  # JSON, XML, HTML: keys and tags are the structure
    lines = head.splitlines()[:TABLE_SNIFF_LINES]
    if head and not head.endswith(("\n", "\r")) and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut short
    best: TableLayout | None = None
    best_rows = 0
    for delim in DELIMITERS:
        counted = [(i, _fields(line, delim)) for i, line in enumerate(lines) if line.strip()]
        counts = [len(f) for _, f in counted if len(f) > 1]
        if len(counts) < TABLE_MIN_ROWS:
            continue
        # the most frequent field count; a tie goes to the fewer fields (deterministic, unlike set order)
        modal = max(sorted(set(counts)), key=counts.count)
        rows = counts.count(modal)
        if rows < TABLE_MIN_ROWS or rows / len(counted) < TABLE_MIN_CONSISTENCY or rows <= best_rows:
            continue
        for i, fields in counted:
            if len(fields) == modal and looks_like_header(fields):
                best = TableLayout(delim, i, tuple(fields))
                best_rows = rows
                break
    return best


def column_cells(line: str, delimiter: str) -> list[str]:
    """Cells of a header row."""
    return _fields(line, delimiter)


def column_of(line_prefix: str, delimiter: str) -> int:
    """0-based column of a value whose line starts with ``line_prefix`` (quotes respected)."""
    if '"' not in line_prefix:
        return line_prefix.count(delimiter)
    return max(0, len(_fields(line_prefix, delimiter)) - 1)


_NEXT_LABEL = regex.compile(
    r"""
      "(?:[^"\\\n]|\\.){1,64}"\s*:
    | <[A-Za-z_][\w.:-]{0,40}(?:\s[^<>\n]{0,200})?>
    | [【\[［〔][^】\]］〕\n]{1,24}[】\]］〕]
    | [^\s:：=,，、;；|"'<>\[\]【】「」()（）{}0-9\uFF10-\uFF19]{1,24}[ \t\u3000]*[:：=]
    """,
    regex.VERBOSE,
)


def next_label_start(after: str) -> int:
    """Where the next field's label starts in the text after a value (``len(after)`` if none)."""
    m = _NEXT_LABEL.search(after)
    return m.start() if m else len(after)


def nearest_label(before: str, transparent: frozenset[str] = frozenset()) -> Label | None:
    """The label the value after ``before`` sits under, if any.

    The nearest label wins, except a label on an earlier line that already has a
    value of its own after it (``受付日時：2026/11/26``), and a generic key such as
    ``"value":`` (in ``transparent``) that only wraps the value of the key above it.
    """
    for tries, end in enumerate(_LABEL_END.finditer(before)):
        if tries >= MAX_LABEL_TRIES:
            return None
        m = LABEL_PATTERN.match(before, 0, end.end())  # reverse: anchored where the label ends
        if m is None:
            continue
        group = m.lastgroup or "line"
        text = m.group(group).strip()
        if transparent and label_key(text) in transparent:
            continue
        if group != "line":
            stop = before.find("\n", m.end())
            if stop >= 0 and before[m.end() : stop].strip(_OPENERS):
                continue
        kind = "key" if group in ("json", "xml") else "label"
        return Label(text=text, kind=kind, distance=len(before) - m.end(), length=m.end() - m.start())
    return None


_OPENERS = " \t\u3000\r{[(（\"'"


def label_key(text: str) -> str:
    """How labels are compared with ``transparent_labels``: case, ``_``, ``-`` and spaces ignored."""
    return text.lower().replace("_", "").replace("-", "").replace(" ", "")


@dataclass(frozen=True, slots=True)
class LocalTable:
    """A table inside other text, found by walking up from a value's line."""

    delimiter: str
    count: int
    """Delimiters per line in this table."""
    header_line: int
    """1-based line number of its header row."""
    header: tuple[str, ...]


def local_table_delimiter(line: str) -> tuple[str, int] | None:
    """The delimiter (and count per line) that makes ``line`` a table row, if any."""
    for delim, least in LOCAL_TABLE_DELIMITERS.items():
        n = line.count(delim)
        if n >= least:
            return delim, n
    return None


def find_local_header(lines_above: list[str], delimiter: str, count: int) -> int | None:
    """Index in ``lines_above`` (nearest last) of the header of the row block they end with.

    Walks up while lines have the same number of delimiters (Markdown rule lines
    such as ``|---|---|`` included); the top line of that block is the header
    if it looks like one.
    """
    top = None
    for i in range(len(lines_above) - 1, -1, -1):
        if lines_above[i].count(delimiter) != count:
            break
        top = i
    if top is None:
        return None
    line = lines_above[top]
    if _MARKDOWN_RULE.match(line):
        return None
    return top if looks_like_header(_fields(line, delimiter)) else None
