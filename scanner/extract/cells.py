"""The text of one table cell as one line: a number the cell wraps (Excel's Alt+Enter, two
paragraphs in a Word table cell) is joined again, so it belongs to its cell and its column."""

from __future__ import annotations

import re

DIGIT = "0-9\uff10-\uff19"
SEPARATORS = " \u3000\\-\u2010-\u2015\u2212\uff0d\u30fc\uff70."
"""What stands between the groups of a number (as the rules' separators)."""
_BREAK = re.compile(rf"(?<=[{DIGIT}])([{SEPARATORS}]?)[ \t\u3000]*(?:\r?\n|\r)[ \t\u3000]*(?=[{DIGIT}])")
_RUN_BEFORE = re.compile(rf"[{DIGIT}{SEPARATORS}]*$")
_RUN_AFTER = re.compile(rf"[{DIGIT}{SEPARATORS}]*")
_GROUP_BEFORE = re.compile(rf"[{DIGIT}]+$")
_SEPARATOR = re.compile(rf"(?<=[{DIGIT}])[{SEPARATORS}](?=[{DIGIT}])")
_OTHER_BREAKS = re.compile(r"[\t\r\n]+")


def cell_line(text: str) -> str:
    """A cell's text on one line. A break between digits joins them with the separator the
    number already uses (``1234-5678⏎9012`` → ``1234-5678-9012``, ``1234⏎5678 9012`` →
    ``1234 5678 9012``, ``1234⏎5678⏎9012`` → ``123456789012``); other breaks and tabs become spaces."""
    if "\n" in text or "\r" in text:
        text = _BREAK.sub(lambda m: m.group(1) or _separator_near(text, m.start(), m.end()), text)
    return _OTHER_BREAKS.sub(" ", text)


def _separator_near(text: str, start: int, end: int) -> str:
    """The separator the digits around a break (``start``..``end``) are grouped with — those
    before it first, then those after — or none when the break splits a group of four."""
    group = _GROUP_BEFORE.search(text, 0, start)
    if group is not None and len(group.group()) % 4:
        return ""  # 1234 56⏎78 9012: the break is inside a group
    before = _RUN_BEFORE.search(text, 0, start)
    after = _RUN_AFTER.match(text, end)
    for run in (before, after):
        found = _SEPARATOR.search(run.group()) if run else None
        if found:
            return found.group()
    return ""
