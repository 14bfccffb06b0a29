"""One line per validation failure: ``key.path[0].sub: message (did you mean 'x'?)``."""

from __future__ import annotations

import datetime
import difflib
import types
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from scanner.i18n import _

Loc = tuple[str | int, ...]


def type_names() -> dict[str, str]:
    """pydantic's type errors and what the key should have been, in TOML's words (in the current language)."""
    return {
        "bool_type": _("bool (true or false)"),
        "int_type": _("int"),
        "int_from_float": _("int (a whole number)"),
        "float_type": _("float (a number)"),
        "string_type": _("str"),
        "tuple_type": _("an array"),
        "list_type": _("an array"),
        "dict_type": _("a table"),
        "model_type": _("a table"),
        "model_attributes_type": _("a table"),
    }


BOUNDS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}
IGNORED = {"default_factory_not_called"}
"""Consequences of another error, never the cause."""


def pick_error(exc: ValidationError, skip: frozenset[str] = frozenset()) -> ErrorDetails | None:
    """The most telling error of ``exc`` (an unknown key before anything else), leaving out the
    types in ``skip``; None when nothing is left."""
    errors = [e for e in exc.errors() if e["type"] not in IGNORED | skip]
    return next((e for e in errors if e["type"] == "extra_forbidden"), errors[0] if errors else None)


def format_error(error: Mapping[str, Any], schema: type[BaseModel], data: Any, *, item_names: bool = False) -> str:
    """``error`` as one line; ``item_names`` names array items by their ``name`` key instead of their index."""
    loc = tuple(error["loc"])
    where = key_path(loc, data if item_names else None)
    message = _message(error, loc, schema)
    return f"{where}: {message}" if where else message


def first_error(exc: ValidationError, schema: type[BaseModel], data: Any, *, item_names: bool = False) -> str:
    """The most telling error of ``exc`` as one line: ``key.path[0].sub: message (did you mean 'x'?)``."""
    error = pick_error(exc)
    return format_error(error, schema, data, item_names=item_names) if error else str(exc).splitlines()[0]


def key_path(loc: Loc, data: Any = None) -> str:
    """``("serve", "watch", 0, "path")`` -> ``serve.watch[0].path``; with ``data``, items that
    have a ``name`` are shown by it: ``context.positive[in-house].weight``."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            out += f"[{name}]" if isinstance(name, str) and name else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else part
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _message(error: Mapping[str, Any], loc: Loc, schema: type[BaseModel]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    key = key_path(loc[-2:] if loc and isinstance(loc[-1], int) else loc[-1:]) if loc else "value"
    names = type_names()
    if kind == "extra_forbidden":
        return _("unknown key") + _suggestion(str(loc[-1]), _field_names(schema, loc[:-1]))
    if kind == "missing":
        return _("required key is missing")
    if kind in names or kind == "wrong_type":
        expected = ctx.get("kind") or names[kind]
        return _("'{key}' must be {expected}, got {value}").format(key=key, expected=expected, value=describe(value))
    if kind == "literal_error":
        allowed = _literal_values(schema, loc)
        if allowed:
            return _("must be one of {allowed}, not {value}").format(
                allowed=", ".join(allowed), value=repr(value)) + _suggestion(str(value), allowed)
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _("must not be empty")
    if kind in BOUNDS:
        bound = next(iter(ctx.values()), "?")
        return _("must be {op} {bound}, got {value}").format(op=BOUNDS[kind], bound=bound, value=repr(value))
    msg = str(error["msg"])
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def describe(value: Any) -> str:
    """A value as TOML would call it, short (never a long string in full)."""
    if isinstance(value, bool):
        return _("boolean {value}").format(value=str(value).lower())
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return _("string {value}").format(value=repr(shown))
    if isinstance(value, (int, float)):
        return _("number {value}").format(value=repr(value))
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, dict):
        return _("a table")
    if isinstance(value, (datetime.date, datetime.time)):
        return _("a date/time")
    return type(value).__name__


def _suggestion(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return _(" (did you mean '{word}'?)").format(word=close[0]) if close else ""


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the type that holds the fields or values."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            rest = [a for a in get_args(tp) if a is not type(None)]
            if len(rest) != 1:
                return tp
            tp = rest[0]
        else:
            return tp


def _type_at(schema: type[BaseModel], loc: Loc) -> Any:
    tp: Any = schema
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            args = [a for a in get_args(tp) if a is not Ellipsis]
            if get_origin(tp) not in (tuple, list) or not args:
                return None
            tp = args[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        else:
            return None
    return _unwrap(tp)


def _field_names(schema: type[BaseModel], loc: Loc) -> list[str]:
    tp = _type_at(schema, loc)
    return list(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _literal_values(schema: type[BaseModel], loc: Loc) -> list[str]:
    tp = _type_at(schema, loc)
    return [str(v) for v in get_args(tp)] if get_origin(tp) is Literal else []
