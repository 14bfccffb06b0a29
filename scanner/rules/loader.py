"""Load rule files, merge a user's overrides onto the shipped rules, validate.

Merge semantics (documented in README "Customising rules"): rule files are
merged by their ``id``; tables merge key by key; arrays of tables whose items
carry a ``name`` (forms, context groups, adjustments) merge item by item by
name, so a user adds a word group or replaces one without copying the rest;
other values replace. ``enabled = false`` drops a whole rule or one named item.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from scanner.rules.model import (
    Adjustment,
    ContextGroup,
    ContextSettings,
    DocumentSettings,
    Form,
    Rule,
    Ruleset,
    Thresholds,
)

SHIPPED_RULES_PACKAGE = "scanner.shipped_rules"
"""Package that carries the project's rules/ directory when installed."""

VALIDATORS = frozenset({"my-number"})
"""Check-digit algorithms implemented in code that a rule may name."""

_PLACEHOLDERS = ("{D}", "{S}", "{H}", "{W}")


class RuleError(ValueError):
    """A rule file is unreadable or invalid; the message names the file and field."""


def shipped_rules_dir() -> Path:
    """Directory of the rules that ship with the package."""
    return Path(str(resources.files(SHIPPED_RULES_PACKAGE)))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise RuleError(f"{path}: cannot read: {exc.strerror}") from None


def _merge_named(base: list[Any], override: list[Any]) -> list[Any]:
    merged = [copy.deepcopy(item) for item in base]
    index = {item.get("name"): i for i, item in enumerate(merged) if isinstance(item, dict)}
    for item in override:
        name = item.get("name") if isinstance(item, dict) else None
        if name is not None and name in index:
            merged[index[name]] = merge_tables(merged[index[name]], item)
        else:
            merged.append(copy.deepcopy(item))
            if name is not None:
                index[name] = len(merged) - 1
    return merged


def _is_named_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "name" in v for v in value)


def merge_tables(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``override`` onto ``base`` with the semantics in this module's docstring."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge_tables(old, value)
        elif _is_named_table_array(old) and _is_named_table_array(value):
            out[key] = _merge_named(old, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _rule_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise RuleError(f"{directory}: not a directory")
    return sorted(directory.glob("*.toml"))


def load_raw(directories: list[Path]) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """Read and merge rule files by id; returns id -> (merged data, source files)."""
    merged: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for directory in directories:
        for path in _rule_files(directory):
            data = _read_toml(path)
            rule_id = data.get("id")
            if not isinstance(rule_id, str) or not rule_id:
                raise RuleError(f"{path}: missing string field 'id'")
            if rule_id in merged:
                old, sources = merged[rule_id]
                merged[rule_id] = (merge_tables(old, data), sources + [str(path)])
            else:
                merged[rule_id] = (data, [str(path)])
    return merged


class _Reader:
    """Typed field access that names the file and field in every error."""

    def __init__(self, where: str, data: dict[str, Any]) -> None:
        self.where = where
        self.data = data

    def _get(self, key: str, kinds: tuple[type, ...], default: Any) -> Any:
        if key not in self.data:
            if default is _REQUIRED:
                raise RuleError(f"{self.where}: missing field '{key}'")
            return default
        value = self.data[key]
        if isinstance(value, bool) and bool not in kinds:
            raise RuleError(f"{self.where}: field '{key}' must be {kinds[0].__name__}")
        if not isinstance(value, kinds):
            raise RuleError(f"{self.where}: field '{key}' must be {kinds[0].__name__}")
        return value

    def str(self, key: str, default: Any = None) -> Any:
        return self._get(key, (str,), _REQUIRED if default is None else default)

    def opt_str(self, key: str) -> str | None:
        return self._get(key, (str,), None)

    def num(self, key: str, lo: float, hi: float, default: Any = None) -> float:
        value = float(self._get(key, (int, float), _REQUIRED if default is None else default))
        if not lo <= value <= hi:
            raise RuleError(f"{self.where}: field '{key}' must be between {lo} and {hi}, got {value}")
        return value

    def int(self, key: str, lo: int, hi: int, default: Any = None) -> int:
        value = self._get(key, (int,), _REQUIRED if default is None else default)
        if not lo <= value <= hi:
            raise RuleError(f"{self.where}: field '{key}' must be between {lo} and {hi}, got {value}")
        return value

    def bool(self, key: str, default: bool) -> bool:
        return self._get(key, (bool,), default)

    def table(self, key: str) -> _Reader:
        return _Reader(f"{self.where}.{key}", self._get(key, (dict,), {}))

    def tables(self, key: str) -> list[_Reader]:
        items = self._get(key, (list,), [])
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise RuleError(f"{self.where}.{key}[{i}]: must be a table")
            out.append(_Reader(f"{self.where}.{key}[{item.get('name', i)}]", item))
        return [r for r in out if r.bool("enabled", True)]


_REQUIRED = object()


def expand_pattern(pattern: str, classes: dict[str, str], form_index: int) -> str:
    """Replace {D} {S} {H} {W} by character classes and {SEP}/{=SEP} by a per-form group."""
    out = pattern
    for ph in _PLACEHOLDERS:
        out = out.replace(ph, "[" + classes[ph] + "]")
    out = out.replace("{SEP}", f"(?P<sep{form_index}>[{classes['{S}']}])")
    return out.replace("{=SEP}", f"(?P=sep{form_index})")


def _classes(cand: _Reader) -> dict[str, str]:
    return {
        "{D}": cand.str("digit"),
        "{S}": cand.str("separator"),
        "{H}": cand.str("hyphen"),
        "{W}": cand.str("space"),
    }


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
        return chr(int(item[2:], 16))
    if item.startswith("\\"):
        return _CLASS_ESCAPES.get(item[1], item[1])
    return item


def _start(rule: _Reader) -> str:
    cand = rule.table("candidates")
    start = expand_pattern(cand.str("start", ""), _classes(cand), -1)
    try:
        re.compile(start)
    except re.error as exc:
        raise RuleError(f"{cand.where}: 'start' does not compile: {exc}") from None
    return start


def _forms(rule: _Reader) -> tuple[Form, ...]:
    cand = rule.table("candidates")
    classes = _classes(cand)
    forms = []
    for i, f in enumerate(cand.tables("forms")):
        name = f.str("name")
        pattern = expand_pattern(f.str("pattern"), classes, i)
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise RuleError(f"{f.where}: pattern does not compile: {exc}") from None
        if compiled.search("") is not None:
            raise RuleError(f"{f.where}: pattern matches the empty string")
        forms.append(Form(name=name, pattern=pattern, score=f.num("score", 0.0, 1.0)))
    if not forms:
        raise RuleError(f"{cand.where}: at least one form is required")
    return tuple(forms)


def _groups(rule: _Reader, key: str) -> tuple[ContextGroup, ...]:
    groups = []
    for g in rule.table("context").tables(key):
        words = g.data.get("words", [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise RuleError(f"{g.where}: 'words' must be a list of non-empty strings")
        groups.append(ContextGroup(name=g.str("name"), weight=g.num("weight", 0.0, 1.0), words=tuple(words)))
    return tuple(groups)


def _string_list(table: _Reader, key: str) -> tuple[str, ...]:
    value = table.data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{table.where}: '{key}' must be a list of strings")
    return tuple(value)


def _adjustments(rule: _Reader) -> tuple[Adjustment, ...]:
    out = []
    for a in rule.tables("adjustments"):
        adj = Adjustment(
            name=a.str("name"),
            weight=a.num("weight", -1.0, 1.0),
            before=a.opt_str("before"),
            after=a.opt_str("after"),
            digits=a.opt_str("digits"),
        )
        if not (adj.before or adj.after or adj.digits):
            raise RuleError(f"{a.where}: needs at least one of 'before', 'after', 'digits'")
        for field in ("before", "after", "digits"):
            value = getattr(adj, field)
            if value is not None:
                try:
                    regex.compile(value)
                except regex.error as exc:
                    raise RuleError(f"{a.where}: '{field}' does not compile: {exc}") from None
        out.append(adj)
    return tuple(out)


def build_rule(data: dict[str, Any], sources: list[str]) -> Rule:
    """Validate merged rule data into a :class:`Rule`."""
    r = _Reader(sources[-1], data)
    validator = r.str("validator")
    if validator not in VALIDATORS:
        raise RuleError(f"{r.where}: unknown validator '{validator}' (known: {', '.join(sorted(VALIDATORS))})")
    th = r.table("thresholds")
    thresholds = Thresholds(th.num("low", 0.0, 1.0), th.num("medium", 0.0, 1.0), th.num("high", 0.0, 1.0))
    if not thresholds.low <= thresholds.medium <= thresholds.high:
        raise RuleError(f"{th.where}: thresholds must satisfy low <= medium <= high")
    ctx = r.table("context")
    context = ContextSettings(
        window=ctx.int("window", 0, 4096),
        near=ctx.int("near", 0, 4096),
        far_factor=ctx.num("far_factor", 0.0, 1.0),
        attenuation=ctx.num("attenuation", 0.0, 1.0),
        label_window=ctx.int("label_window", 0, 65536),
        other_line_factor=ctx.num("other_line_factor", 0.0, 1.0, 1.0),
        topic_window=ctx.int("topic_window", 0, 65536, 0),
        topic_factor=ctx.num("topic_factor", 0.0, 1.0, 0.0),
    )
    doc = r.table("document")
    document = DocumentSettings(
        roster_min_distinct=doc.int("roster_min_distinct", 1, 10**9),
        roster_min_valid_ratio=doc.num("roster_min_valid_ratio", 0.0, 1.0),
        roster_weight=doc.num("roster_weight", 0.0, 1.0),
        coincidence_min_values=doc.int("coincidence_min_values", 1, 10**9),
        coincidence_max_valid_ratio=doc.num("coincidence_max_valid_ratio", 0.0, 1.0),
        coincidence_weight=doc.num("coincidence_weight", -1.0, 0.0),
    )
    return Rule(
        id=r.str("id"),
        name=r.str("name", r.data.get("id", "")),
        description=r.str("description", ""),
        validator=validator,
        forms=_forms(r),
        positive=_groups(r, "positive"),
        negative=_groups(r, "negative"),
        adjustments=_adjustments(r),
        thresholds=thresholds,
        context=context,
        structure_factor=r.table("structure").num("factor", 0.0, 2.0, 1.0),
        transparent_labels=_string_list(r.table("structure"), "transparent_labels"),
        document=document,
        sources=tuple(sources),
        classes=_classes(r.table("candidates")),
        start=_start(r),
        prefilter=r.table("candidates").bool("prefilter", True),
    )


def load_ruleset(extra_dirs: list[Path] | tuple[Path, ...] = (), *, shipped: bool = True) -> Ruleset:
    """Load the shipped rules, then each directory of ``extra_dirs`` on top, into a Ruleset."""
    dirs = ([shipped_rules_dir()] if shipped else []) + [Path(d) for d in extra_dirs]
    raw = load_raw(dirs)
    rules = []
    for _rule_id, (data, sources) in sorted(raw.items()):
        if not _Reader(sources[-1], data).bool("enabled", True):
            continue
        rules.append(build_rule(data, sources))
    if not rules:
        raise RuleError("no enabled rules in " + ", ".join(str(d) for d in dirs))
    digest = hashlib.sha256(
        json.dumps({k: v[0] for k, v in sorted(raw.items())}, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]
    return Ruleset(rules=tuple(rules), version=digest)
