"""The installed distribution carries every subpackage and the shipped rules."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "scanner").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert on_disk - listed == set()
    assert "scanner.shipped_rules" in listed
