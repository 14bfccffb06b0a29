"""CI smoke test of the fuzz harness: every target for about a second with the plain mutator
(deterministic inputs, memory measured), and the atheris runner briefly when atheris is there.
Longer runs are by hand: see tests/fuzz/README.md."""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.fuzz import harness
from tests.fuzz.run import TARGET_NAMES
from tests.fuzz.seeds import TARGETS

SECONDS_PER_TARGET = 1.0
"""Plain-mutator time per target in CI (16 targets: well under a minute in all)."""
MEMORY_LIMIT = 256 * 1024 * 1024
"""Peak Python allocations one small input may cost."""


def test_the_runner_knows_every_target():
    assert tuple(TARGETS) == TARGET_NAMES


@pytest.mark.parametrize("target", TARGET_NAMES)
def test_fuzzing_the_extractors_finds_no_failure(target, tmp_path):
    seeds = TARGETS[target]()
    for seed in seeds:  # the seeds themselves read cleanly
        assert harness.check_one(seed, memory_limit=MEMORY_LIMIT) > 0
    rng = random.Random(f"smoke-{target}")
    end = time.monotonic() + SECONDS_PER_TARGET
    n = 0
    while time.monotonic() < end:
        data = harness.mutate(rng, seeds)
        n += 1
        try:
            harness.check_one(data, memory_limit=MEMORY_LIMIT)
        except harness.FuzzFailure as exc:
            saved = tmp_path / f"{target}-input-{n}"
            saved.write_bytes(data)
            pytest.fail(f"input {n} of {target} ({saved}, replay with python -m tests.fuzz.run --replay): {exc}")


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_the_atheris_runner_fuzzes_a_target(tmp_path):
    env = dict(os.environ, MYNUMBER_DLP_FUZZ_DIR=str(tmp_path))
    p = subprocess.run([sys.executable, "-m", "tests.fuzz.run", "html", "-atheris_runs=300"], cwd=ROOT, env=env,
                       capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr.decode(errors="replace")[-2000:]
    assert b"Done 300 runs" in p.stderr or b"Done 300" in p.stderr
