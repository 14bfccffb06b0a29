"""The scan command as users run it: formats, exit codes, walking, keys, known numbers."""

import csv
import io
import json
import os
import pty
import random
import stat
import subprocess

import pytest

from tests.conftest import CLI, TEST_KEY, WIDE, make_number


def run(args, env, timeout=120):
    return subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def share(tmp_path):
    """A small share: a roster, a form, a clean memo, a binary file, a nested folder."""
    rng = random.Random(42)
    root = tmp_path / "share"
    (root / "総務" / "2026").mkdir(parents=True)
    nums = [make_number(rng) for _ in range(4)]
    (root / "総務" / "名簿.csv").write_bytes(
        ("氏名,個人番号\n" + "".join(f"社員{i},{n}\n" for i, n in enumerate(nums[:3]))).encode("cp932")
    )
    n = nums[3]
    (root / "総務" / "2026" / "申告書.txt").write_text(f"本人の個人番号：{n[:4]} {n[4:8]} {n[8:]}\n", encoding="utf-8")
    (root / "memo.txt").write_text("会議は 2026-12-01 10:00 から。TEL 03-1234-5678\n", encoding="utf-8")
    (root / "image.bin").write_bytes(bytes(range(256)) * 8)
    return root, nums


def records(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_jsonl_has_contract_fields_and_a_closing_summary(share, cli_env):
    root, nums = share
    p = run(["scan", str(root), "--format", "jsonl", "-j", "1"], cli_env)
    assert p.returncode == 1, p.stderr
    recs = records(p.stdout)
    findings = [r for r in recs if r["type"] == "finding"]
    assert len(findings) == 4
    for f in findings:
        assert set(f) == {"type", "path", "member", "line", "column", "rule", "confidence", "score", "masked",
                          "fingerprint", "reasons"}
        assert f["member"] is None and f["rule"] == "jp-my-number"
        assert f["masked"].startswith("********") and len(f["masked"]) == 12
        assert len(f["fingerprint"]) == 64 and f["fingerprint"] == f["fingerprint"].lower()
        assert 0 <= f["score"] <= 1 and f["confidence"] in ("low", "medium", "high")
    assert {f["masked"][-4:] for f in findings} == {n[-4:] for n in nums}
    not_scanned = [r for r in recs if r["type"] == "not_scanned"]
    assert [(os.path.basename(r["path"]), r["reason"]) for r in not_scanned] == [("image.bin", "unsupported")]
    assert recs[-1]["type"] == "summary" and recs[-1]["findings"] == 4 and recs[-1]["not_scanned"] == 1
    assert recs[-1]["files_scanned"] == 3


def test_fingerprint_is_hmac_sha256_of_the_digits_with_the_configured_key(share, cli_env):
    import hashlib
    import hmac

    root, nums = share
    p = run(["scan", str(root / "総務" / "2026"), "--format", "jsonl"], cli_env)
    f = records(p.stdout)[0]
    assert f["fingerprint"] == hmac.new(TEST_KEY.encode(), nums[3].encode(), hashlib.sha256).hexdigest()
    assert f["line"] == 1 and f["column"] == len("本人の個人番号：") + 1


def test_json_csv_sarif_and_text_carry_the_same_findings(share, cli_env):
    root, _ = share
    base = ["scan", str(root), "-j", "1"]
    doc = json.loads(run(base + ["--format", "json"], cli_env).stdout)
    assert len(doc["findings"]) == 4 and len(doc["not_scanned"]) == 1 and doc["summary"]["findings"] == 4
    rows = list(csv.DictReader(io.StringIO(run(base + ["--format", "csv"], cli_env).stdout)))
    assert [r["type"] for r in rows].count("finding") == 4
    assert {r["masked"] for r in rows if r["type"] == "finding"} == {f["masked"] for f in doc["findings"]}
    sarif = json.loads(run(base + ["--format", "sarif"], cli_env).stdout)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert len(results) == 4 and {r["ruleId"] for r in results} == {"jp-my-number"}
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    assert len(sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]) == 1
    text = run(base, cli_env).stdout
    assert text.count("********") == 4 and "NOT SCANNED" in text and "Scanned 3 files" in text


def test_exit_status_follows_min_confidence(tmp_path, cli_env):
    (tmp_path / "a.txt").write_text("参考 123456789018\n", encoding="utf-8")  # bare: low
    assert run(["scan", str(tmp_path)], cli_env).returncode == 1
    assert run(["scan", str(tmp_path), "--min-confidence", "high"], cli_env).returncode == 0
    (tmp_path / "a.txt").write_text("nothing here\n", encoding="utf-8")
    assert run(["scan", str(tmp_path)], cli_env).returncode == 0


def test_unscanned_items_fail_only_with_fail_on_unscanned(tmp_path, cli_env):
    (tmp_path / "x.bin").write_bytes(b"\x00\x01\x02\x03" * 100)
    assert run(["scan", str(tmp_path)], cli_env).returncode == 0
    assert run(["scan", str(tmp_path), "--fail-on-unscanned"], cli_env).returncode == 2


def test_missing_operand_is_reported_the_scan_goes_on_and_exits_2_like_grep(tmp_path, cli_env):
    (tmp_path / "a.txt").write_text("個人番号 123456789018\n", encoding="utf-8")
    p = run(["scan", str(tmp_path / "nope"), str(tmp_path), "--format", "jsonl"], cli_env)
    recs = records(p.stdout)
    assert recs[0]["type"] == "not_scanned" and recs[0]["reason"] == "unreadable"
    assert any(r["type"] == "finding" for r in recs)
    assert p.returncode == 2
    assert "cannot read 1 of the paths given" in p.stderr and "Traceback" not in p.stderr


def test_usage_and_rule_errors_exit_2(tmp_path, cli_env):
    assert run(["scan"], cli_env).returncode == 2
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "x.toml").write_text('id = "jp-my-number"\n[thresholds]\nlow = 2\n')
    p = run(["scan", str(tmp_path), "--rules", str(bad)], cli_env)
    assert p.returncode == 2 and "x.toml" in p.stderr and "Traceback" not in p.stderr


def test_walk_skips_symlinks_and_fifos_and_honours_excludes(tmp_path, cli_env):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("個人番号 123456789018\n", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link.txt").symlink_to(outside / "secret.txt")
    (root / "linkdir").symlink_to(outside)
    os.mkfifo(root / "pipe")
    (root / "skip").mkdir()
    (root / "skip" / "a.txt").write_text("個人番号 123456789018\n", encoding="utf-8")
    (root / "b.log").write_text("個人番号 123456789018\n", encoding="utf-8")
    p = run(["scan", str(root), "--format", "jsonl", "--exclude", "skip", "--exclude", "*.log"], cli_env)
    assert p.returncode == 0, p.stdout
    assert records(p.stdout)[-1]["files_scanned"] == 0
    p = run(["scan", str(root), "--format", "jsonl", "--follow-symlinks", "--exclude", "skip", "--exclude", "*.log"],
            cli_env, timeout=60)
    assert records(p.stdout)[-1]["findings"] == 2


def test_parallel_scan_gives_the_same_records_in_the_same_order(share, cli_env):
    root, _ = share
    one = records(run(["scan", str(root), "--format", "jsonl", "-j", "1"], cli_env).stdout)
    two = records(run(["scan", str(root), "--format", "jsonl", "-j", "2"], cli_env).stdout)
    strip = lambda rs: [{k: v for k, v in r.items() if k != "duration_seconds"} for r in rs]  # noqa: E731
    assert strip(one) == strip(two)


def test_without_any_key_one_is_created_with_mode_0600_and_reused(tmp_path, cli_env):
    env = dict(cli_env)
    del env["MYNUMBER_DLP_FINGERPRINT_KEY"]
    (tmp_path / "a.txt").write_text("個人番号 123456789018\n", encoding="utf-8")
    first = run(["scan", str(tmp_path / "a.txt"), "--format", "jsonl"], env)
    keyfile = tmp_path / "xdg" / "mynumber-dlp" / "fingerprint.key"
    assert "created a new fingerprint key" in first.stderr and str(keyfile) in first.stderr
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    second = run(["scan", str(tmp_path / "a.txt"), "--format", "jsonl"], env)
    assert "created" not in second.stderr
    assert records(first.stdout)[0]["fingerprint"] == records(second.stdout)[0]["fingerprint"]
    assert keyfile.read_text().strip() not in first.stderr + first.stdout


def test_config_key_is_used_and_environment_overrides_it(tmp_path, cli_env):
    (tmp_path / "a.txt").write_text("個人番号 123456789018\n", encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text('fingerprint_key = "from-config"\n[scan]\nmin_confidence = "high"\n')
    env = dict(cli_env)
    del env["MYNUMBER_DLP_FINGERPRINT_KEY"]
    a = records(run(["scan", str(tmp_path / "a.txt"), "--format", "jsonl", "--config", str(cfg)], env).stdout)[0]
    b = records(run(["scan", str(tmp_path / "a.txt"), "--format", "jsonl", "--config", str(cfg)], cli_env).stdout)[0]
    assert a["fingerprint"] != b["fingerprint"]


def test_known_numbers_list_raises_a_weak_finding_to_high(tmp_path, cli_env):
    rng = random.Random(8)
    known = [make_number(rng) for _ in range(3)]
    hr = tmp_path / "hr.csv"
    hr.write_text("社員番号,個人番号\n" + "".join(f"{i},{n}\n" for i, n in enumerate(known)), encoding="utf-8")
    p = run(["fingerprint", str(hr), "--column", "個人番号", "-o", str(tmp_path / "known.txt")], cli_env)
    assert p.returncode == 0 and "3 fingerprints" in p.stderr
    assert all(n not in p.stdout + p.stderr for n in known)
    assert stat.S_IMODE((tmp_path / "known.txt").stat().st_mode) == 0o600
    doc = tmp_path / "docs"
    doc.mkdir()
    (doc / "note.txt").write_text(f"参考 {known[1]}\n参考 {make_number(rng)}\n", encoding="utf-8")
    recs = records(run(["scan", str(doc), "--format", "jsonl", "--known", str(tmp_path / "known.txt")], cli_env).stdout)
    found = [r for r in recs if r["type"] == "finding"]
    assert [(r["line"], r["confidence"], "known-number" in r["reasons"]) for r in found] == [
        (1, "high", True), (2, "low", False)]


def test_rules_check_validates_a_directory(tmp_path, cli_env):
    assert run(["rules", "check"], cli_env).returncode == 0
    (tmp_path / "x.toml").write_text('id = "jp-my-number"\n[context]\nnear = -1\n')
    p = run(["rules", "check", str(tmp_path)], cli_env)
    assert p.returncode == 2 and "near" in p.stderr


def test_version_is_printed(cli_env):
    p = run(["--version"], cli_env)
    assert p.returncode == 0 and p.stdout.startswith("mynumber-dlp ")


def test_progress_bar_appears_only_on_a_terminal(share, cli_env):
    root, _ = share
    plain = run(["scan", str(root), "-j", "1"], cli_env)
    assert "file/s" not in plain.stderr and "%|" not in plain.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(CLI + ["scan", str(root), "-j", "1"], env=cli_env, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    out, _ = proc.communicate(timeout=60)
    seen = b""
    try:
        while True:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(master)
    assert b"file" in seen and b"|" in seen


def test_demo_scans_its_example_files(tmp_path, cli_env):
    p = run(["demo", str(tmp_path / "demo"), "--format", "jsonl"], cli_env)
    recs = records(p.stdout)
    assert p.returncode == 1
    assert recs[-1]["findings"] >= 5 and recs[-1]["findings_by_confidence"]["high"] >= 5


def test_full_width_digits_in_a_path_component_do_not_matter(tmp_path, cli_env):
    d = tmp_path / "１２３"
    d.mkdir()
    (d / "a.txt").write_text("マイナンバー " + "123456789018".translate(WIDE) + "\n", encoding="utf-8")
    assert records(run(["scan", str(d), "--format", "jsonl"], cli_env).stdout)[0]["masked"] == "********9018"


def _roster_file(tmp_path, rows):
    rng = random.Random(rows)
    path = tmp_path / "roster.csv"
    path.write_text("氏名,個人番号\n" + "".join(f"社員{i},{make_number(rng)}\n" for i in range(rows)), encoding="utf-8")
    return path


def test_a_report_to_a_pipe_is_whole_even_when_python_output_is_unbuffered(tmp_path, cli_env):
    # written in blocks, not a line at a time (PYTHONUNBUFFERED, common in containers, makes
    # sys.stdout write each line by itself); every record arrives, the summary last
    path = _roster_file(tmp_path, 5000)
    p = run(["scan", str(path), "--format", "jsonl"], {**cli_env, "PYTHONUNBUFFERED": "1"})
    recs = records(p.stdout)
    assert p.returncode == 1 and len(recs) == 5001 and recs[-1]["type"] == "summary"
    assert recs[-1]["findings"] == 5000


def test_a_reader_that_closes_the_pipe_early_ends_the_scan_without_a_traceback(tmp_path, cli_env):
    path = _roster_file(tmp_path, 20000)
    proc = subprocess.Popen(CLI + ["scan", str(path), "--format", "jsonl"], env=cli_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b'{"type":"finding"')
    proc.stdout.close()  # as `| head -1` does
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert b"Traceback" not in err and b"Exception ignored" not in err
