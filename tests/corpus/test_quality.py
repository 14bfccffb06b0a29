"""End-to-end quality of the CLI on a small generated corpus (see generate.py, quality.py)."""

from __future__ import annotations

import pytest

from .generate import FULLWIDTH, generate, verify
from .quality import MIN_PRECISION_HIGH, MIN_RECALL_LOW, evaluate, report, run_cli

SEED = 20240401
SCALE = 3  # large enough that recall does not swing with a handful of weak numbers


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    return generate(out, seed=SEED, scale=SCALE)


def test_truth_positions_hold_the_numbers(corpus):
    assert corpus.n_true > 100
    assert verify(corpus.outdir) == []


def test_generation_is_deterministic(tmp_path, corpus):
    again = generate(tmp_path / "again", seed=SEED, scale=SCALE)
    assert again.records == corpus.records
    assert again.true_digits == corpus.true_digits


def test_cli_recall_and_precision(corpus):
    result = evaluate(corpus.outdir)
    report(result)  # shown by pytest when the test fails
    overall = result["overall"]
    assert result["run"]["exit_status"] in (0, 1), result["run"]["stderr_tail"]
    assert overall["low"]["recall"] >= MIN_RECALL_LOW, overall
    assert overall["high"]["precision"] >= MIN_PRECISION_HIGH, overall


def _forms(d: str) -> list[str]:
    a, b, c = d[:4], d[4:8], d[8:]
    return [d, d.translate(FULLWIDTH), f"{a} {b} {c}", f"{a}-{b}-{c}"]


def test_no_true_number_leaves_the_process(corpus):
    _, stdout, stderr, rc = run_cli(corpus.outdir)
    assert rc in (0, 1), stderr[-2000:]
    assert '"type":' in stdout or '"type": ' in stdout
    out = stdout + "\n" + stderr
    leaked = [f"********{d[-4:]}" for d in corpus.true_digits if any(f in out for f in _forms(d))]
    assert not leaked, f"{len(leaked)} true numbers appear raw in CLI output, e.g. {leaked[:5]}"
