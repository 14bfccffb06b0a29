"""Baselines and allowlists as users run them with ``scan`` and ``allow add``: a baseline
survives edits elsewhere in a file, reviewed findings are hidden and counted, an expired
review is reported and no longer hides anything, nothing that would hide everything is taken."""

from __future__ import annotations

import json
import os
import random
import stat
import subprocess
from pathlib import Path

import pytest

from scanner.privacy.fingerprint import Fingerprinter
from tests.conftest import CLI, TEST_KEY, make_number

RNG = random.Random(21)
OLD, NEW, OTHER = make_number(RNG), make_number(RNG), make_number(RNG)


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=120)


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def share(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    (root / "人事").mkdir(parents=True)
    (root / "人事" / "メモ.txt").write_text(f"面談メモ\n個人番号：{OLD}\n以上\n", encoding="utf-8")
    (root / "人事" / "名簿.csv").write_text(f"氏名,個人番号\n山田 太郎,{OTHER}\n", encoding="utf-8")
    return root


def test_a_baseline_survives_lines_inserted_above_and_only_new_findings_are_reported(share, tmp_path, cli_env):
    baseline = tmp_path / "baseline.json"
    first = run(["scan", str(share), "-f", "jsonl", "--write-baseline", str(baseline)], cli_env)
    assert first.returncode == 1 and len(records(first.stdout)) == 3  # 2 findings + the summary
    assert stat.S_IMODE(os.stat(baseline).st_mode) == 0o600
    text = baseline.read_text(encoding="utf-8")
    assert OLD not in text and OTHER not in text and OLD[-4:] not in text
    memo = share / "人事" / "メモ.txt"
    memo.write_text("追記1\n追記2\n追記3\n" + memo.read_text(encoding="utf-8") + f"新規：個人番号 {NEW}\n",
                    encoding="utf-8")
    again = run(["scan", str(share), "-f", "jsonl", "--baseline", str(baseline)], cli_env)
    found = [r for r in records(again.stdout) if r["type"] == "finding"]
    summary = records(again.stdout)[-1]
    assert [f["masked"][-4:] for f in found] == [NEW[-4:]] and found[0]["line"] == 7
    assert (summary["suppressed"], summary["suppressed_by"]) == (2, {"baseline": 2})
    assert again.returncode == 1 and "2 findings suppressed (baseline 2)" in again.stderr


def test_only_suppressed_findings_exit_clean(share, tmp_path, cli_env):
    baseline = tmp_path / "b.json"
    run(["scan", str(share), "--write-baseline", str(baseline)], cli_env)
    assert run(["scan", str(share), "--baseline", str(baseline)], cli_env).returncode == 0


def test_a_baseline_made_with_another_key_is_refused_in_one_line(share, tmp_path, cli_env):
    baseline = tmp_path / "b.json"
    run(["scan", str(share), "--write-baseline", str(baseline)], cli_env)
    other = dict(cli_env, MYNUMBER_DLP_FINGERPRINT_KEY="another-key")
    result = run(["scan", str(share), "--baseline", str(baseline)], other)
    assert result.returncode == 2 and "another fingerprint key" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_allowlisted_fingerprint_is_hidden_and_an_expired_entry_is_reported_not_applied(share, tmp_path, cli_env):
    allow = tmp_path / "allow.toml"
    fp_old, fp_other = Fingerprinter(TEST_KEY)(OLD), Fingerprinter(TEST_KEY)(OTHER)
    assert run(["allow", "add", "--file", str(allow), "--fingerprint", fp_old,
                "--reason", "面談メモの記載例 (チケット #42)"], cli_env).returncode == 0
    assert run(["allow", "add", "--file", str(allow), "--fingerprint", fp_other, "--reason", "前年度の確認",
                "--until", "2020-03-31"], cli_env).returncode == 0
    result = run(["scan", str(share), "-f", "jsonl", "--allowlist", str(allow)], cli_env)
    found = [r for r in records(result.stdout) if r["type"] == "finding"]
    assert [f["fingerprint"] for f in found] == [fp_other]
    assert "entry expired on 2020-03-31 is not applied (前年度の確認)" in result.stderr
    assert records(result.stdout)[-1]["suppressed_by"] == {"allowlist": 1}


def test_allowlist_path_and_member_globs_match_the_end_of_a_path(share, tmp_path, cli_env):
    allow = tmp_path / "allow.toml"
    allow.write_text('[[allow]]\npath = "人事/*.csv"\nreason = "名簿の雛形"\n', encoding="utf-8")
    result = run(["scan", str(share), "-f", "jsonl", "--allowlist", str(allow)], cli_env)
    assert [r["path"].endswith("メモ.txt") for r in records(result.stdout) if r["type"] == "finding"] == [True]


@pytest.mark.parametrize("entry, message", [
    ('path = "*"\nreason = "x"', "would allow every finding"),
    ('rule = "jp-my-number"\nreason = "x"', "would allow every finding"),
    ('fingerprint = "abc"\nreason = "x"', "fingerprint"),
    (f'fingerprint = "{"a" * 64}"', "reason"),
    (f'fingerprint = "{"a" * 64}"\nreason = "x"\nuntil = "31/03/2027"', "YYYY-MM-DD"),
    (f'fingerprint = "{"a" * 64}"\nreason = "x"\nexpires = 2027-03-31', "expires"),
])
def test_an_allowlist_entry_that_is_wrong_or_would_hide_everything_is_refused(share, tmp_path, cli_env, entry, message):
    allow = tmp_path / "allow.toml"
    allow.write_text("[[allow]]\n" + entry + "\n", encoding="utf-8")
    result = run(["scan", str(share), "--allowlist", str(allow)], cli_env)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_allow_add_keeps_the_files_comments_and_refuses_to_append_to_a_broken_file(tmp_path, cli_env):
    allow = tmp_path / "allow.toml"
    allow.write_text("# 確認済みの検出 (情報システム課)\n", encoding="utf-8")
    fp = "b" * 64
    assert run(["allow", "add", "--file", str(allow), "--fingerprint", fp, "--reason", "確認済み"], cli_env).returncode == 0
    text = allow.read_text(encoding="utf-8")
    assert text.startswith("# 確認済みの検出") and f'fingerprint = "{fp}"' in text
    allow.write_text("[[allow]\nbroken", encoding="utf-8")
    result = run(["allow", "add", "--file", str(allow), "--fingerprint", fp, "--reason", "x"], cli_env)
    assert result.returncode == 2 and "invalid TOML" in result.stderr and allow.read_text() == "[[allow]\nbroken"


def test_the_sample_numbers_are_hidden_only_with_allow_samples(tmp_path, cli_env):
    doc = tmp_path / "manual.txt"
    doc.write_text("記入例：個人番号 123456789018\n", encoding="utf-8")
    assert run(["scan", str(doc)], cli_env).returncode == 1
    hidden = run(["scan", str(doc), "-f", "jsonl", "--allow-samples"], cli_env)
    assert hidden.returncode == 0 and records(hidden.stdout)[-1]["suppressed_by"] == {"sample": 1}


def test_a_baseline_of_a_file_named_after_its_number_holds_no_number_and_still_matches(tmp_path, cli_env):
    share = tmp_path / "控え"
    share.mkdir()
    (share / f"申告書_{NEW}.txt").write_text(f"個人番号：{NEW}\n", encoding="utf-8")
    baseline = tmp_path / "b.json"
    run(["scan", str(share), "--write-baseline", str(baseline)], cli_env)
    assert NEW not in baseline.read_text(encoding="utf-8")
    assert run(["scan", str(share), "--baseline", str(baseline)], cli_env).returncode == 0
