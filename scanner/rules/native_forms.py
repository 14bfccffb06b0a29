"""Rule forms decomposed for the native core, which has no look-around and no back-reference.

A form pattern (Python syntax, placeholders expanded) is read as

    (?<!A)(?<!B)…  BODY  (?!X)(?!Y)…

— look-behinds (each of a fixed width, as Python requires) before the number, look-aheads
after it — and handed over as data: the conditions become ``Around`` tuples checked in code,
and each back-reference ``(?P=sepN)`` becomes a second group ``(?P<sepN_againK>…)`` that the
core requires to equal ``sepN``. A look-around inside the body is refused with a message
naming the form: the native core cannot check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.i18n import _

Around = tuple[str, bool, int]
"""(pattern, positive, width in characters): one look-around condition."""

_OPEN = {"(?<!": (False, True), "(?<=": (True, True), "(?!": (False, False), "(?=": (True, False)}
"""Opening of a look-around -> (positive, looks behind)."""
_BACKREF = re.compile(r"\(\?P=(\w+)\)")


class FormSyntaxError(ValueError):
    """A form the native core cannot run, said in the rule author's terms."""


@dataclass(frozen=True, slots=True)
class NativeForm:
    """One form, decomposed."""

    body: str
    behind: tuple[Around, ...]
    ahead: tuple[Around, ...]


def _group_end(pattern: str, start: int) -> int:
    """Index just past the group opening at ``start`` (escapes and character classes respected)."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1  # a ']' first in a class is literal
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise FormSyntaxError(_("unbalanced parenthesis in {pattern}").format(pattern=repr(pattern)))


def _opening(pattern: str, at: int) -> str | None:
    return next((o for o in _OPEN if pattern.startswith(o, at)), None)


def _width(pattern: str) -> int:
    lo, hi = re._parser.parse(pattern).getwidth()  # type: ignore[attr-defined]  # the stdlib's own parser
    if lo != hi:
        raise FormSyntaxError(_("look-behind {pattern} has no fixed width").format(pattern=repr(pattern)))
    return int(lo)


def split_lookarounds(pattern: str) -> tuple[list[Around], str, list[Around]]:
    """(look-behinds before, the body, look-aheads after) of one pattern."""
    behind: list[Around] = []
    i = 0
    while (o := _opening(pattern, i)) is not None and _OPEN[o][1]:
        end = _group_end(pattern, i)
        inner = pattern[i + len(o) : end - 1]
        behind.append((inner, _OPEN[o][0], _width(inner)))
        i = end
    # look-aheads at the very start (a start guard such as (?={D})) are conditions too
    ahead_first: list[Around] = []
    while (o := _opening(pattern, i)) is not None:
        end = _group_end(pattern, i)
        inner = pattern[i + len(o) : end - 1]
        if _OPEN[o][1]:
            behind.append((inner, _OPEN[o][0], _width(inner)))
        else:
            ahead_first.append((inner, _OPEN[o][0], 0))
        i = end
    rest = pattern[i:]
    if not rest:
        return behind, "", ahead_first
    # trailing look-aheads: peel them off from the end
    ahead: list[Around] = []
    body_end = len(rest)
    while True:
        starts = [m.start() for m in re.finditer(r"\(\?[!=]", rest[:body_end])]
        tail = next((s for s in reversed(starts) if _group_end(rest, s) == body_end), None)
        if tail is None:
            break
        o = _opening(rest, tail)
        assert o is not None
        ahead.insert(0, (rest[tail + len(o) : body_end - 1], _OPEN[o][0], 0))
        body_end = tail
    body = rest[:body_end]
    if any(_opening(body, k) for k in range(len(body)) if body[k] == "(" and (k == 0 or body[k - 1] != "\\")):
        raise FormSyntaxError(_("a look-around inside the number ({pattern}) cannot be run by the native core").format(
            pattern=repr(body)))
    if ahead_first:
        raise FormSyntaxError(_("a look-ahead before the number in {pattern} cannot be run by the native core").format(
            pattern=repr(pattern)))
    return behind, body, ahead


def _named_groups(body: str) -> dict[str, str]:
    out = {}
    for m in re.finditer(r"\(\?P<(\w+)>", body):
        out[m.group(1)] = body[m.end() : _group_end(body, m.start()) - 1]
    return out


def native_form(pattern: str) -> NativeForm:
    """A form pattern decomposed for the native core."""
    behind, body, ahead = split_lookarounds(pattern)
    groups = _named_groups(body)
    count = 0

    def again(m: re.Match[str]) -> str:
        nonlocal count
        name = m.group(1)
        if name not in groups:
            raise FormSyntaxError(_("{pattern} repeats group {name}, which it does not define").format(
                pattern=repr(pattern), name=repr(name)))
        count += 1
        return f"(?P<{name}_again{count}>{groups[name]})"

    return NativeForm(_BACKREF.sub(again, body), tuple(behind), tuple(ahead))


def native_start(start: str) -> tuple[list[Around], list[Around]]:
    """(look-behinds, look-aheads) of a rule's start guard, which is look-arounds only."""
    behind, body, ahead = split_lookarounds(start)
    if body:
        raise FormSyntaxError(_("the start guard {pattern} must be look-arounds only").format(pattern=repr(start)))
    return behind, ahead


def native_regex(pattern: str, ignorecase: bool = False) -> str:
    """A Python ``re``/``regex`` search pattern in the core's syntax: ``$`` outside a class
    matches before a final newline in Python, so it becomes ``(?:\\n?\\z)``; ``\\Z`` is ``\\z``."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append("\\z" if nxt == "Z" and not in_class else ch + nxt)
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                out.append("[^")
                i += 2
                if pattern[i : i + 1] == "]":
                    out.append("\\]")
                    i += 1
                continue
        elif ch == "$":
            out.append(r"(?:\n?\z)")
            i += 1
            continue
        out.append(ch)
        i += 1
    return ("(?i)" if ignorecase else "") + "".join(out)
