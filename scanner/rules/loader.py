"""Load rule files, merge a user's overrides onto the shipped rules (see ``merge.py``),
validate against the schema (``schema.py``) and compile into an immutable :class:`Ruleset`.

Each file is checked on its own first, so an unknown key or a wrong type is named in the
file that has it; what a file leaves out may come from another file of the same ``id``,
so completeness and cross-key checks run on the merged rule.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scanner import _native
from scanner.i18n import _
from scanner.rules.merge import merge_tables, without_disabled
from scanner.rules.model import (
    Adjustment,
    CardSettings,
    ContextGroup,
    ContextSettings,
    DocumentSettings,
    Form,
    Rule,
    Ruleset,
    Thresholds,
)
from scanner.rules.native_forms import native_form, native_regex, native_start
from scanner.rules.patterns import class_chars, expand_pattern
from scanner.rules.schema import COMBINATION, VALIDATORS, GroupSpec, RuleFile
from scanner.schema import format_error, key_path, pick_error, read_toml

__all__ = [
    "SHIPPED_RULES_PACKAGE", "VALIDATORS", "RuleError", "build_rule", "class_chars", "expand_pattern", "load_raw",
    "load_ruleset", "merge_tables", "shipped_rules_dir",
]

SHIPPED_RULES_PACKAGE = "scanner.shipped_rules"
"""Package that carries the project's rules/ directory when installed."""

ONE_FILE_SKIPS = frozenset({"missing", COMBINATION})
"""Errors a single file may have that another file of the same rule can make good."""


class RuleError(ValueError):
    """A rule file is unreadable or invalid; the message (one line) names the file and field."""


def shipped_rules_dir() -> Path:
    """Directory of the rules that ship with the package."""
    return Path(str(resources.files(SHIPPED_RULES_PACKAGE)))


@dataclass(slots=True)
class RawRule:
    """The files of one rule id, and their merged data."""

    data: dict[str, Any]
    files: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return [path for path, _data in self.files]


def _rule_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise RuleError(_("{directory}: not a directory").format(directory=directory))
    return sorted(directory.glob("*.toml"))


def _check_file(path: Path, data: dict[str, Any]) -> None:
    """Unknown keys and wrong types or ranges in one file, named in it."""
    try:
        RuleFile.model_validate(data)
    except ValidationError as exc:
        error = pick_error(exc, ONE_FILE_SKIPS)
        if error is not None:
            raise RuleError(f"{path}: {format_error(error, RuleFile, data, item_names=True)}") from None


def read_rule_file(path: Path) -> dict[str, Any]:
    """Parse and check one rule file."""
    data = read_toml(path, RuleError)
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleError(_("{path}: missing string field 'id'").format(path=path))
    _check_file(path, data)
    return data


def load_raw(directories: list[Path]) -> dict[str, RawRule]:
    """Read and merge rule files by id."""
    merged: dict[str, RawRule] = {}
    for directory in directories:
        for path in _rule_files(directory):
            data = read_rule_file(path)
            raw = merged.setdefault(data["id"], RawRule({}))
            raw.data = merge_tables(raw.data, data) if raw.files else data
            raw.files.append((str(path), data))
    return merged


# ---- which file an error of the merged rule belongs to ---------------------------------

def _holds(file_data: Any, merged: Any, loc: tuple[str | int, ...]) -> bool:
    """Whether ``file_data`` sets what ``loc`` names in ``merged`` (array items matched by name)."""
    for part in loc:
        if isinstance(part, int):
            if not isinstance(merged, list) or not isinstance(file_data, list) or part >= len(merged):
                return False
            item = merged[part]
            name = item.get("name") if isinstance(item, dict) else None
            matches = [f for f in file_data if isinstance(f, dict) and f.get("name") == name] if name else []
            file_data = matches[0] if matches else (file_data[part] if not name and part < len(file_data) else None)
            merged = item
            if file_data is None:
                return False
        else:
            if not isinstance(file_data, dict) or part not in file_data:
                return False
            file_data, merged = file_data[part], merged.get(part) if isinstance(merged, dict) else None
    return True


def _blame(raw: RawRule, merged: dict[str, Any], loc: tuple[str | int, ...]) -> str:
    """The last file that sets the deepest part of ``loc`` it can."""
    for depth in range(len(loc), 0, -1):
        for path, data in reversed(raw.files):
            if _holds(data, merged, loc[:depth]):
                return path
    return raw.sources[-1]


def _fail(raw: RawRule, merged: dict[str, Any], loc: tuple[str | int, ...], message: str) -> RuleError:
    return RuleError(f"{_blame(raw, merged, loc)}: {key_path(loc, merged)}: {message}")


# ---- compiling ----------------------------------------------------------------------------

def _compile(raw: RawRule, merged: dict[str, Any], loc: tuple[str | int, ...], pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise _fail(raw, merged, loc, _("does not compile: {why}").format(why=exc)) from None


def _native_fail(raw: RawRule, merged: dict[str, Any], loc: tuple[str | int, ...], exc: Exception) -> RuleError:
    return _fail(raw, merged, loc, _("cannot be run by the detection core: {why}").format(why=exc))


def _native_form(raw: RawRule, merged: dict[str, Any], loc: tuple[str | int, ...], pattern: str) -> None:
    """Refuse, at load time with the key named, a form the native core cannot run."""
    try:
        form = native_form(pattern)
        _native.CandidateFinder([(form.body, list(form.behind), list(form.ahead))], [], [])
    except ValueError as exc:  # FormSyntaxError, or the core's regex syntax
        raise _native_fail(raw, merged, loc, exc) from None


def _native_search(raw: RawRule, merged: dict[str, Any], loc: tuple[str | int, ...], pattern: str | None) -> None:
    """Refuse an adjustment pattern the core's regex syntax cannot compile (compiled as a form body)."""
    if pattern is None:
        return
    try:
        _native.CandidateFinder([(native_regex(pattern, ignorecase=True), [], [])], [], [])
    except ValueError as exc:
        raise _native_fail(raw, merged, loc, exc) from None


def _forms(raw: RawRule, merged: dict[str, Any], spec: RuleFile, classes: dict[str, str]) -> tuple[Form, ...]:
    forms = []
    for i, f in enumerate(spec.candidates.forms):
        loc = ("candidates", "forms", i, "pattern")
        pattern = expand_pattern(f.pattern, classes, i)
        if _compile(raw, merged, loc, pattern).search("") is not None:
            raise _fail(raw, merged, loc, _("matches the empty string"))
        _native_form(raw, merged, loc, pattern)
        forms.append(Form(name=f.name, pattern=pattern, score=f.score))
    if not forms:
        raise _fail(raw, merged, ("candidates", "forms"), _("at least one form is required"))
    return tuple(forms)


def _groups(groups: tuple[GroupSpec, ...]) -> tuple[ContextGroup, ...]:
    return tuple(ContextGroup(name=g.name, weight=g.weight, words=g.words) for g in groups)


def _validated(raw: RawRule, merged: dict[str, Any]) -> RuleFile:
    try:
        return RuleFile.model_validate(merged)
    except ValidationError as exc:
        error = pick_error(exc)
        assert error is not None
        where = _blame(raw, merged, tuple(error["loc"]))
        raise RuleError(f"{where}: {format_error(error, RuleFile, merged, item_names=True)}") from None


def build_rule(raw: RawRule) -> Rule:
    """Validate the merged data of one rule and compile it into a :class:`Rule`."""
    merged = without_disabled(raw.data)
    spec = _validated(raw, merged)
    cand, ctx, doc, th = spec.candidates, spec.context, spec.document, spec.thresholds
    classes = {"{D}": cand.digit, "{S}": cand.separator, "{H}": cand.hyphen, "{W}": cand.space, "{B}": cand.box}
    start = expand_pattern(cand.start, classes, -1)
    _compile(raw, merged, ("candidates", "start"), start)
    try:
        native_start(start)
    except ValueError as exc:
        raise _native_fail(raw, merged, ("candidates", "start"), exc) from None
    for i, a in enumerate(spec.adjustments):
        for key in ("before", "after", "digits"):
            _native_search(raw, merged, ("adjustments", i, key), getattr(a, key))
    return Rule(
        id=spec.id,
        name=spec.name if spec.name is not None else spec.id,
        description=spec.description,
        validator=spec.validator,
        forms=_forms(raw, merged, spec, classes),
        positive=_groups(ctx.positive),
        negative=_groups(ctx.negative),
        adjustments=tuple(
            Adjustment(name=a.name, weight=a.weight, before=a.before, after=a.after, digits=a.digits)
            for a in spec.adjustments
        ),
        thresholds=Thresholds(th.low, th.medium, th.high),
        context=ContextSettings(
            window=ctx.window, near=ctx.near, far_factor=ctx.far_factor, attenuation=ctx.attenuation,
            label_window=ctx.label_window, other_line_factor=ctx.other_line_factor,
            topic_window=ctx.topic_window, topic_factor=ctx.topic_factor, title_factor=ctx.title_factor,
        ),
        structure_factor=spec.structure.factor,
        transparent_labels=spec.structure.transparent_labels,
        label_keys=spec.structure.label_keys,
        document=DocumentSettings(**doc.model_dump()),
        sources=tuple(raw.sources),
        classes=classes,
        start=start,
        prefilter=cand.prefilter,
        gap=cand.gap,
        card=None if spec.card is None else CardSettings(**spec.card.model_dump()),
    )


def load_ruleset(extra_dirs: list[Path] | tuple[Path, ...] = (), *, shipped: bool = True) -> Ruleset:
    """Load the shipped rules, then each directory of ``extra_dirs`` on top, into a Ruleset."""
    dirs = ([shipped_rules_dir()] if shipped else []) + [Path(d) for d in extra_dirs]
    raw = load_raw(dirs)
    rules = [build_rule(r) for _id, r in sorted(raw.items()) if r.data.get("enabled", True) is not False]
    if not rules:
        raise RuleError(_("no enabled rules in {directories}").format(directories=", ".join(str(d) for d in dirs)))
    digest = hashlib.sha256(
        json.dumps({k: v.data for k, v in sorted(raw.items())}, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]
    return Ruleset(rules=tuple(rules), version=digest)
