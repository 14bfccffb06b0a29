"""Merging a user's rule files onto the shipped ones.

Rule files are merged by their ``id``; tables merge key by key; arrays of tables whose
items carry a ``name`` (forms, context groups, adjustments) merge item by item by name, so
a user adds a word group or replaces one without copying the rest; other values replace.
``enabled = false`` drops a whole rule or one named item.
"""

from __future__ import annotations

import copy
from typing import Any, TypeGuard


def _is_named_table_array(value: Any) -> TypeGuard[list[Any]]:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "name" in v for v in value)


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


def without_disabled(value: Any) -> Any:
    """``value`` without the tables of its arrays that say ``enabled = false``."""
    if isinstance(value, dict):
        return {k: without_disabled(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_disabled(v) for v in value if not (isinstance(v, dict) and v.get("enabled") is False)]
    return value
