"""The daemon as users run it: a real subprocess, real inotify (or polling), real signals."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CLI

N = "123456789018"
WAIT = 20.0
"""Seconds a test waits for the daemon to react (it normally takes about one)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float = WAIT, step: float = 0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"condition not met within {timeout} s")


class Served:
    """A running ``mynumber-dlp serve`` with its own directories and port."""

    def __init__(self, root: Path, env: dict, extra: list[str] = (), config: Path | None = None) -> None:
        self.root = root
        self.watch, self.state, self.q = root / "watch", root / "state", root / "quarantine"
        self.watch.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.env = env
        args = ["serve", "--state-dir", str(self.state), "--quarantine-dir", str(self.q),
                "--metrics-address", f"127.0.0.1:{self.port}"]
        args += ["--config", str(config)] if config else ["--watch", str(self.watch)]
        self.proc = subprocess.Popen(CLI + args + list(extra), env=env, stdout=open(root / "stdout.log", "ab"),
                                     stderr=open(root / "stderr.log", "ab"), text=True)
        wait_for(lambda: self.http("/readyz") == 200)

    def http(self, path: str) -> int | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as r:
                self.last_body = r.read().decode()
                return r.status
        except Exception:  # noqa: BLE001
            return None

    def metric(self, name: str, **labels) -> float:
        self.http("/metrics")
        want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        for line in self.last_body.splitlines():
            if line.startswith(name + ("{" if labels else " ")):
                got = line[len(name):].split(" ")[0].strip("{}")
                if ",".join(sorted(got.split(","))) == want or not labels:
                    return float(line.rsplit(" ", 1)[1])
        return 0.0

    def alerts(self) -> list[dict]:
        log = self.state / "alerts.jsonl"
        return [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(CLI + list(args) + ["--state-dir", str(self.state), "--quarantine-dir", str(self.q)],
                              env=self.env, capture_output=True, text=True, timeout=60)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=60)


@pytest.fixture
def served(tmp_path, cli_env):
    s = Served(tmp_path, cli_env)
    yield s
    if s.proc.poll() is None:
        s.proc.kill()
        s.proc.wait()


def test_a_roster_dropped_in_is_alerted_and_quarantined_and_a_clean_file_is_untouched(served):
    (served.watch / "clean.txt").write_text("本日の議事録です。\n", encoding="utf-8")
    (served.watch / "名簿.csv").write_bytes(f"氏名,個人番号\n山田,{N}\n".encode("cp932"))
    alert = wait_for(lambda: next((a for a in served.alerts() if a["path"].endswith("名簿.csv")), None))
    assert alert["action"] == "quarantined" and alert["max_confidence"] == "high"
    assert alert["details"][0]["masked"] == "********9018" and N not in json.dumps(alert)
    assert not (served.watch / "名簿.csv").exists()
    assert (served.watch / "名簿.csv.quarantined.txt").read_text(encoding="utf-8").startswith("このファイルは")
    assert (served.watch / "clean.txt").read_text(encoding="utf-8") == "本日の議事録です。\n"
    wait_for(lambda: served.metric("mynumber_dlp_items_scanned_total", source="watch0", outcome="clean") >= 1)
    assert served.metric("mynumber_dlp_findings_total", confidence="high") >= 1
    assert served.metric("mynumber_dlp_actions_total", action="quarantine", result="ok") == 1
    assert served.http("/healthz") == 200


def test_restore_puts_back_exact_bytes_and_metadata_and_is_not_taken_again(served):
    path = served.watch / "form.txt"
    path.write_text(f"個人番号：{N}\n", encoding="utf-8")
    os.chmod(path, 0o640)
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    original = path.read_bytes()
    wait_for(lambda: not path.exists())
    listing = served.cli("quarantine", "list", "--format", "jsonl")
    entry = json.loads(listing.stdout.splitlines()[0])
    assert entry["original_path"] == str(path) and N not in listing.stdout
    restored = served.cli("quarantine", "restore", entry["id"])
    assert restored.returncode == 0, restored.stderr
    st = path.stat()
    assert path.read_bytes() == original and oct(st.st_mode & 0o777) == "0o640"
    assert st.st_mtime_ns == 1_700_000_000_000_000_000
    assert not (served.watch / "form.txt.quarantined.txt").exists()
    wait_for(lambda: any(a["action"] == "released" for a in served.alerts()))
    assert path.exists()


def test_sighup_with_broken_rules_keeps_running_then_sigterm_exits_0(tmp_path, cli_env):
    rules = tmp_path / "rules"
    rules.mkdir()
    cfg = tmp_path / "serve.toml"
    cfg.write_text(f'rules_dirs = ["{rules}"]\n[serve]\n[[serve.watch]]\npath = "{tmp_path / "watch"}"\nname = "share"\n',
                   encoding="utf-8")
    s = Served(tmp_path, cli_env, config=cfg)
    try:
        (rules / "bad.toml").write_text('id = "jp-my-number"\n[thresholds]\nlow = 5\n', encoding="utf-8")
        s.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: s.metric("mynumber_dlp_rules_reload_success") == 0.0 and "reload failed" in (tmp_path / "stderr.log").read_text())
        (s.watch / "a.txt").write_text(f"マイナンバー {N}\n", encoding="utf-8")
        wait_for(lambda: any(a["source"] == "share" for a in s.alerts()))  # still scanning with the old rules
        (rules / "bad.toml").unlink()
        s.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: s.metric("mynumber_dlp_rules_reload_success") == 1.0)
        started = time.monotonic()
        assert s.stop() == 0
        assert time.monotonic() - started < 30
    finally:
        if s.proc.poll() is None:
            s.proc.kill()


def test_polling_mode_sees_changes(tmp_path, cli_env):
    s = Served(tmp_path, cli_env, extra=["--poll", "0.5"])
    try:
        (s.watch / "sub").mkdir()
        (s.watch / "sub" / "b.txt").write_text(f"個人番号：{N}\n", encoding="utf-8")
        wait_for(lambda: any(a["path"].endswith("b.txt") for a in s.alerts()))
    finally:
        s.stop()


def test_files_present_before_start_are_scanned_once_and_not_again_after_restart(tmp_path, cli_env):
    (tmp_path / "watch").mkdir()
    (tmp_path / "watch" / "old.txt").write_text(f"マイナンバー {N}\n", encoding="utf-8")
    (tmp_path / "watch" / "plain.txt").write_text("nothing here\n", encoding="utf-8")
    s = Served(tmp_path, cli_env)
    wait_for(lambda: len(s.alerts()) == 1)
    wait_for(lambda: s.metric("mynumber_dlp_items_scanned_total", source="watch0", outcome="clean") == 1)
    assert s.stop() == 0
    s2 = Served(tmp_path, cli_env)
    try:
        time.sleep(2)
        assert s2.metric("mynumber_dlp_items_scanned_total", source="watch0", outcome="clean") == 0
        assert len(s2.alerts()) == 1
    finally:
        s2.stop()


def test_kill_9_during_a_burst_then_restart_loses_nothing_and_quarantines_once(tmp_path, cli_env):
    from tests.conftest import make_number

    import random

    rng = random.Random(77)
    s = Served(tmp_path, cli_env)
    bad, good = [], []
    for i in range(800):
        if i % 2:
            name = f"roster{i}.csv"
            (s.watch / name).write_text(f"氏名,個人番号\n社員{i},{make_number(rng)}\n", encoding="utf-8")
            bad.append(name)
        else:
            name = f"memo{i}.txt"
            (s.watch / name).write_text(f"議事録 {i}\n", encoding="utf-8")
            good.append(name)
    wait_for(lambda: len(s.alerts()) >= 10, timeout=60)
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait(timeout=30)
    assert len(s.alerts()) < len(bad)  # killed in the middle of the burst
    s2 = Served(tmp_path, cli_env)
    try:
        wait_for(lambda: all(not (s.watch / n).exists() for n in bad), timeout=120)
        listing = s2.cli("quarantine", "list", "--format", "jsonl")
        stored = [json.loads(x) for x in listing.stdout.splitlines()]
        originals = [Path(e["original_path"]).name for e in stored]
        assert sorted(originals) == sorted(bad)  # each bad file quarantined exactly once
        assert all((s.watch / n).read_text(encoding="utf-8").startswith("議事録") for n in good)
        files = list((s.q / "files").iterdir())
        assert len(files) == len(bad) and not any(f.name.endswith(".part") for f in files)
    finally:
        s2.stop()


def _rss_mb(pid: int) -> float:
    total = 0.0
    for p in [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def test_ten_thousand_files_dropped_at_once_are_all_processed_with_bounded_memory(tmp_path, cli_env):
    s = Served(tmp_path, cli_env)
    try:
        batch = s.watch / "burst"
        batch.mkdir()
        for i in range(10_000):
            body = f"個人番号：{N}\n" if i % 100 == 0 else f"議事録 {i} 本日の会議\n"
            (batch / f"f{i:05d}.txt").write_text(body, encoding="utf-8")
        peak = 0.0

        def done() -> bool:
            nonlocal peak
            peak = max(peak, _rss_mb(s.proc.pid))
            scanned = sum(s.metric("mynumber_dlp_items_scanned_total", source="watch0", outcome=o)
                          for o in ("clean", "findings"))
            return scanned >= 10_000

        wait_for(done, timeout=240, step=0.5)
        assert len([a for a in s.alerts() if a["action"] == "quarantined"]) == 100
        assert peak < 600, f"daemon and workers peaked at {peak:.0f} MB"
    finally:
        s.stop()


def test_policy_per_source_alerts_without_quarantine_where_configured(tmp_path, cli_env):
    cfg = tmp_path / "serve.toml"
    hr, share = tmp_path / "hr", tmp_path / "watch"
    cfg.write_text(
        f'[serve]\n[[serve.watch]]\npath = "{share}"\nname = "share"\n'
        f'[[serve.watch]]\npath = "{hr}"\nname = "hr"\n[serve.watch.policy]\nquarantine = false\n',
        encoding="utf-8",
    )
    hr.mkdir()
    s = Served(tmp_path, cli_env, config=cfg)
    try:
        (hr / "roster.csv").write_text(f"氏名,個人番号\n山田,{N}\n", encoding="utf-8")
        (share / "roster.csv").write_text(f"氏名,個人番号\n山田,{N}\n", encoding="utf-8")
        wait_for(lambda: len(s.alerts()) == 2)
        actions = {a["source"]: a["action"] for a in s.alerts()}
        assert actions == {"hr": "alert", "share": "quarantined"}
        assert (hr / "roster.csv").exists() and not (share / "roster.csv").exists()
    finally:
        s.stop()


def test_quarantine_and_state_inside_the_watched_tree_are_never_scanned(tmp_path, cli_env):
    share = tmp_path / "watch"
    share.mkdir()
    args = ["serve", "--watch", str(share), "--state-dir", str(share / ".state"),
            "--quarantine-dir", str(share / ".quarantine"), "--metrics-address", f"127.0.0.1:{free_port()}"]
    proc = subprocess.Popen(CLI + args, env=cli_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        (share / "roster.csv").write_text(f"氏名,個人番号\n山田,{N}\n", encoding="utf-8")
        log = share / ".state" / "alerts.jsonl"
        wait_for(lambda: log.exists() and log.read_text(encoding="utf-8").count('"type":"alert"') >= 1)
        time.sleep(3)  # time for any wrongful rescan of the quarantined copy or the alert log
        alerts = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
        assert [a["path"] for a in alerts] == [str(share / "roster.csv")]
        assert len(list((share / ".quarantine" / "files").iterdir())) == 1
    finally:
        proc.terminate()
        proc.wait(timeout=60)
