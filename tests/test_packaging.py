"""The installed distribution carries every subpackage, the shipped rules and the native core,
at the package's version: checked on a real wheel built by maturin from this tree."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile

import scanner
from tests.conftest import ROOT


def test_a_built_wheel_holds_every_subpackage_the_shipped_rules_and_the_native_core(tmp_path):
    p = subprocess.run([sys.executable, "-m", "maturin", "build", "--release", "--quiet", "--out", str(tmp_path)],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stderr[-3000:]
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    on_disk = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "scanner").rglob("*.py")
        if "__pycache__" not in p.parts and "native" not in p.relative_to(ROOT).parts
    }
    assert on_disk - names == set()
    assert {"scanner/shipped_rules/__init__.py", "scanner/shipped_rules/jp-my-number.toml",
            "scanner/shipped_rules/sample_numbers.txt", "scanner/i18n/locale/ja/LC_MESSAGES/mynumber_dlp.mo",
            "scanner/config/example.toml", "scanner/report/templates/report.html.j2"} <= names
    assert any(n.startswith("scanner/_native.") and n.endswith(".so") for n in names)
    assert not any(n.startswith("scanner/native/") for n in names)  # the crate's sources stay out
    assert wheel.name.startswith(f"mynumber_dlp-{scanner.__version__}-")


def test_the_package_and_the_native_core_have_one_version():
    from scanner import _native

    cargo = tomllib.loads((ROOT / "scanner/native/Cargo.toml").read_text())
    assert scanner.__version__ == cargo["workspace"]["package"]["version"] == _native.version()
