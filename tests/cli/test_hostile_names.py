"""File and member names as they come from real shares: CP932 bytes, newlines, numbers.
Every output format stays valid, names round-trip through ``path_bytes``, numbers in
names are masked (and reported as ``in-name`` findings)."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import subprocess
import zipfile

import pytest

from tests.conftest import CLI

N = "123456789018"
CP932_NAME = "個人番号一覧.txt".encode("cp932")


def run(args, env):
    return subprocess.run(CLI + args, env=env, capture_output=True, timeout=120)


@pytest.fixture
def share(tmp_path):
    root = tmp_path / "share"
    root.mkdir()
    os.makedirs(os.fsencode(root), exist_ok=True)
    with open(os.path.join(os.fsencode(root), CP932_NAME), "wb") as f:
        f.write(f"個人番号：{N}\n".encode("cp932"))
    (root / "two\nlines.txt").write_text(f"個人番号：{N}\n", encoding="utf-8")
    (root / f"個人番号_{N}.txt").write_text("中身は空です\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "sarif", "text"])
def test_every_format_stays_valid_utf8_with_cp932_and_newline_names_and_no_number(share, cli_env, fmt):
    p = run(["scan", str(share), "-f", fmt, "-j", "1"], cli_env)
    assert p.returncode == 1, p.stderr
    out = p.stdout.decode("utf-8")  # strict: raises on invalid UTF-8
    assert N not in out and N not in p.stderr.decode("utf-8", "replace")
    if fmt == "jsonl":
        recs = [json.loads(line) for line in out.splitlines()]
        assert sum(r["type"] == "finding" for r in recs) == 3
    elif fmt in ("json", "sarif"):
        json.loads(out)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert sum(r["type"] == "finding" for r in rows) == 3
    else:
        lines = [line for line in out.splitlines() if "********9018" in line]
        assert len(lines) == 3 and any("two\\x0alines.txt" in line for line in lines)


def test_a_cp932_name_is_escaped_and_round_trips_through_path_bytes(share, cli_env):
    recs = [json.loads(x) for x in run(["scan", str(share), "-f", "jsonl"], cli_env).stdout.splitlines()]
    cp = next(r for r in recs if r.get("path", "").endswith(".txt") and "\\x8c" in r["path"])
    assert cp["path"].endswith("\\x8c\\xc2\\x90l\\x94\\xd4\\x8d\\x86\\x88\\xea\\x97\\x97.txt")
    raw = base64.b64decode(cp["path_bytes"])
    assert raw == os.path.join(os.fsencode(share), CP932_NAME) and os.path.exists(raw)


def test_a_number_in_a_file_name_is_masked_everywhere_and_reported_in_name(share, cli_env):
    recs = [json.loads(x) for x in run(["scan", str(share), "-f", "jsonl"], cli_env).stdout.splitlines()]
    named = [r for r in recs if r["type"] == "finding" and "in-name" in r["reasons"]]
    assert len(named) == 1
    assert named[0]["path"].endswith("個人番号_********9018.txt") and named[0]["line"] == 0
    assert named[0]["confidence"] == "high"  # the name itself says 個人番号


def test_raw_paths_shows_the_name_as_it_is_for_those_entitled(share, cli_env):
    out = run(["scan", str(share), "-f", "jsonl", "--raw-paths"], cli_env).stdout.decode()
    assert f"個人番号_{N}.txt" in out
    assert N not in "".join(json.loads(x).get("masked", "") for x in out.splitlines())


def test_output_file_with_a_cp932_name_in_it_is_written(share, cli_env, tmp_path):
    target = tmp_path / "report.sarif"
    p = run(["scan", str(share), "-f", "sarif", "-o", str(target)], cli_env)
    assert p.returncode == 1 and b"Traceback" not in p.stderr
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in json.loads(target.read_text(encoding="utf-8"))["runs"][0]["results"] for loc in res["locations"]]
    assert any(u.endswith("/%8C%C2%90l%94%D4%8D%86%88%EA%97%97.txt") for u in uris)


def test_numbers_in_zip_member_names_are_masked_and_reported(tmp_path, cli_env):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(f"社員/{N}.txt", "memo\n")
        z.writestr(f"個人番号_{N}.csv", "a,b\n")
    (tmp_path / "a.zip").write_bytes(buf.getvalue())
    p = run(["scan", str(tmp_path / "a.zip"), "-f", "sarif"], cli_env)
    out = p.stdout.decode()
    assert N not in out and p.returncode == 1
    members = {r["properties"]["member"] for r in json.loads(out)["runs"][0]["results"]}
    assert members == {"社員/********9018.txt", "個人番号_********9018.csv"}


def test_a_not_scanned_detail_keeps_sizes(tmp_path, cli_env):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 4096)
    cfg = tmp_path / "c.toml"
    cfg.write_text("[limits]\nmax_file_size = 1000\n", encoding="utf-8")
    rec = json.loads(run(["scan", str(big), "-f", "jsonl", "--config", str(cfg)], cli_env).stdout.splitlines()[0])
    assert rec["reason"] == "limit:max_file_size" and rec["detail"] == "4096 bytes"
