"""The native core's cargo fuzz target builds and runs for a few seconds without a finding
(CI's smoke test; longer runs by hand: ``bash tests/fuzz/native.sh 3600``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

SMOKE_SECONDS = 10
"""How long CI fuzzes."""


def test_the_native_fuzz_target_runs_without_a_crash():
    if shutil.which("cargo") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("cargo is missing: the native core cannot be fuzzed")
        pytest.skip("cargo is not installed")
    p = subprocess.run(["bash", str(ROOT / "tests/fuzz/native.sh"), str(SMOKE_SECONDS)], capture_output=True,
                       text=True, timeout=1200)
    assert p.returncode == 0, p.stderr[-4000:]
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", p.stderr)
    assert runs is not None and int(runs.group(1)) > 1000, p.stderr[-2000:]
