"""Distributed audits end to end: ``audit enqueue``, two real daemons in one consumer group
(``[[serve.audit]]``), ``audit collect``, on a real redis-server and on Tansu (Kafka)."""

from __future__ import annotations

import json
import random
import signal
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CLI, make_number
from tests.test_daemon import Served, wait_for

FILES = 2000
BATCH = 10
JOBS = FILES // BATCH + 1  # the walk's own job too
DONE = "mynumber_dlp_audit_jobs_total"


def _tree(root: Path) -> Path:
    rng = random.Random(15)
    tree = root / "share"
    for i in range(FILES):
        d = tree / f"課{i % 20:02d}" / f"{i % 7}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"社員{i:04d}.txt").write_text(f"社員番号 {i}\nマイナンバー: {make_number(rng)}\n", encoding="utf-8")
    return tree


def _daemon(root: Path, env: dict, url: str, consumer: str) -> Served:
    cfg = root / f"{consumer}.toml"
    cfg.write_text(f'[serve]\nalerts_to_stdout = false\n[[serve.audit]]\nurl = "{url}"\nconsumer = "{consumer}"\n'
                   f'claim_after = 3\n', encoding="utf-8")
    d = root / consumer
    d.mkdir()
    return Served(d, env, config=cfg)


def _cli(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + list(args), env=env, capture_output=True, text=True, timeout=timeout)


def _paths(report: str) -> list[str]:
    rows = [json.loads(line) for line in report.splitlines()]
    assert rows[-1]["type"] == "summary" and rows[-1]["files_scanned"] == FILES, rows[-1]
    return [r["path"] for r in rows if r["type"] == "finding"]


def _audit_with_one_daemon_killed(url: str, tmp_path: Path, env: dict, restart: bool = False) -> None:
    """``restart``: start the killed daemon again under its name (Kafka's static membership keeps
    its partitions for it: Tansu 0.6 never hands a dead static member's partitions to the rest)."""
    tree = _tree(tmp_path)
    a, b = _daemon(tmp_path, env, url, "dlp-a"), _daemon(tmp_path, env, url, "dlp-b")
    try:
        enq = _cli(env, "audit", "enqueue", "--queue", url, "--name", "hr-2026", "--batch", str(BATCH), str(tree))
        assert enq.returncode == 0, enq.stderr
        wait_for(lambda: a.metric(DONE, source="audit0", result="done") >= 2, timeout=60, step=0.05)
        a.proc.send_signal(signal.SIGKILL)  # mid-audit, most likely mid-job: its job is redelivered to b
        a.proc.wait()
        if restart:
            (tmp_path / "dlp-a-again").mkdir()
            a = Served(tmp_path / "dlp-a-again", env, config=tmp_path / "dlp-a.toml")
        got = _cli(env, "audit", "collect", "--queue", url, "--name", "hr-2026", "-f", "jsonl", "--wait", "240")
        assert got.returncode == 1, got.stderr  # complete, with findings
        paths = _paths(got.stdout)
        assert len(paths) == FILES and len(set(paths)) == FILES  # every file, each exactly once
        assert set(paths) == {str(p) for p in tree.rglob("*.txt")}
        assert b.metric(DONE, source="audit0", result="done") >= 1
        assert f"{JOBS} of {JOBS} jobs done" in got.stderr
    finally:
        for s in (a, b):
            if s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()


def test_two_daemons_on_redis_share_an_audit_and_the_union_is_complete_after_one_is_killed_9(
        redis_url, tmp_path, cli_env):
    _audit_with_one_daemon_killed(redis_url, tmp_path, cli_env)


def test_two_daemons_on_kafka_share_an_audit_and_the_union_is_complete_after_one_is_killed_9(
        kafka_url, tmp_path, cli_env):
    _audit_with_one_daemon_killed(kafka_url, tmp_path, cli_env, restart=True)


def test_an_audit_name_is_used_once_and_an_unknown_one_is_an_error(redis_url, tmp_path, cli_env):
    (tmp_path / "a.txt").write_text("nothing here", encoding="utf-8")
    args = ["audit", "enqueue", "--queue", redis_url, "--name", "once", str(tmp_path / "a.txt")]
    assert _cli(cli_env, *args).returncode == 0
    again = _cli(cli_env, *args)
    assert again.returncode == 2 and "exists" in again.stderr and "Traceback" not in again.stderr
    unknown = _cli(cli_env, "audit", "collect", "--queue", redis_url, "--name", "never")
    assert unknown.returncode == 2 and "no audit named never" in unknown.stderr


def test_an_audit_no_daemon_took_is_reported_incomplete_with_exit_2(redis_url, tmp_path, cli_env):
    (tmp_path / "a.txt").write_text("nothing here", encoding="utf-8")
    assert _cli(cli_env, "audit", "enqueue", "--queue", redis_url, "--name", "idle", str(tmp_path)).returncode == 0
    got = _cli(cli_env, "audit", "collect", "--queue", redis_url, "--name", "idle", "-f", "jsonl")
    assert got.returncode == 2 and "1 of 2 jobs done" in got.stderr and "not complete" in got.stderr
    assert json.loads(got.stdout.splitlines()[-1])["files_scanned"] == 0  # never "clean"


def test_a_directory_that_cannot_be_walked_is_a_not_scanned_record_of_the_audit(redis_url, tmp_path, cli_env):
    tree = tmp_path / "t"
    (tree / "locked").mkdir(parents=True)
    (tree / "a.txt").write_text("nothing", encoding="utf-8")
    (tree / "locked").chmod(0)
    try:
        with_daemon = _daemon(tmp_path, cli_env, redis_url, "dlp-c")
        assert _cli(cli_env, "audit", "enqueue", "--queue", redis_url, "--name", "walk", str(tree)).returncode == 0
        got = _cli(cli_env, "audit", "collect", "--queue", redis_url, "--name", "walk", "-f", "jsonl", "--wait", "60")
        with_daemon.stop()
    finally:
        (tree / "locked").chmod(0o755)
    rows = [json.loads(line) for line in got.stdout.splitlines()]
    if any(r.get("reason") == "unreadable" for r in rows) or Path("/proc/self").stat().st_uid != 0:
        assert any(r["type"] == "not_scanned" and r["path"].endswith("locked") for r in rows), rows
    assert rows[-1]["files_scanned"] == 1 and got.returncode in (0, 2)


@pytest.mark.parametrize("url,what", [("nats://127.0.0.1:4222", "redis://"), ("redis://127.0.0.1:1/0", "cannot reach")])
def test_a_wrong_or_unreachable_queue_url_is_one_line_and_exit_2(url, what, tmp_path, cli_env):
    got = _cli(cli_env, "audit", "enqueue", "--queue", url, "--name", "x", str(tmp_path), timeout=60)
    assert got.returncode == 2 and what in got.stderr and len(got.stderr.strip().splitlines()) == 1
