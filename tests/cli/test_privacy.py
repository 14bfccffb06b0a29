"""No full number leaves the process: not in any output format, not on stderr."""

import json
import random
import subprocess

import pytest

from tests.conftest import CLI, WIDE, make_number

FORMATS = ["text", "jsonl", "json", "csv", "sarif"]


@pytest.fixture(scope="module")
def leaky_share(tmp_path_factory):
    rng = random.Random(99)
    root = tmp_path_factory.mktemp("leaky")
    numbers = [make_number(rng) for _ in range(200)]
    lines = []
    for i, n in enumerate(numbers):
        form = i % 4
        shown = n if form == 0 else f"{n[:4]}-{n[4:8]}-{n[8:]}" if form == 1 else n.translate(WIDE) if form == 2 else " ".join(n)
        lines.append(f"個人番号：{shown}\n")
    (root / "numbers.txt").write_text("".join(lines), encoding="utf-8")
    (root / "roster.csv").write_text("no,my_number\n" + "".join(f"{i},{n}\n" for i, n in enumerate(numbers)), encoding="cp932")
    (root / "payload.json").write_text(json.dumps({"records": [{"my_number": n} for n in numbers[:50]]}))
    (root / "broken.txt").write_bytes(b"\x00\x01" + numbers[0].encode() + b"\x02\x03" * 200)  # binary: not scanned
    return root, numbers


def _forms(n):
    return {n, n.translate(WIDE), f"{n[:4]}-{n[4:8]}-{n[8:]}", f"{n[:4]} {n[4:8]} {n[8:]}", " ".join(n)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_output_format_or_stderr_carries_a_full_number(leaky_share, cli_env, fmt):
    root, numbers = leaky_share
    p = subprocess.run(CLI + ["scan", str(root), "--format", fmt, "-j", "2"], env=cli_env, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 1, p.stderr
    everything = p.stdout + p.stderr
    assert everything.count("********") >= 450  # the findings are there, masked
    leaked = [n for n in numbers if any(form in everything for form in _forms(n))]
    assert leaked == []
