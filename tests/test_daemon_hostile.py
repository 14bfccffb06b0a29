"""The daemon cannot be switched off by a file name, a directory layout or an unreadable
file: each is scanned, alerted or refused loudly, and the daemon stays ready."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import CLI
from tests.hostile_tree import CP932_NAME, N, build, unprivileged
from tests.test_daemon import Served, free_port, wait_for


def _alerts(log) -> list[dict]:
    return [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def test_alert_log_state_and_quarantine_beside_the_share_still_quarantine_its_positives(tmp_path, cli_env):
    x = tmp_path / "x"
    x.mkdir()
    s = Served(x, cli_env, extra=["--alert-log", str(x / "alerts.jsonl")])  # x/watch, x/state, x/quarantine
    try:
        (s.watch / "名簿.csv").write_text(f"氏名,個人番号\n山田,{N}\n", encoding="utf-8")
        alert = wait_for(lambda: next((a for a in _alerts(x / "alerts.jsonl") if a["path"].endswith("名簿.csv")), None))
        assert alert["action"] == "quarantined" and not (s.watch / "名簿.csv").exists()
    finally:
        s.proc.kill()
        s.proc.wait()


def test_a_watch_inside_the_state_directory_is_refused_at_start_and_by_config_check(tmp_path, cli_env):
    state = tmp_path / "state"
    (state / "share").mkdir(parents=True)
    p = subprocess.run(CLI + ["serve", "--state-dir", str(state), "--watch", str(state / "share"),
                              "--metrics-address", f"127.0.0.1:{free_port()}"],
                       env=cli_env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "never scanned" in p.stderr and "Traceback" not in p.stderr
    cfg = tmp_path / "serve.toml"
    cfg.write_text(f'[serve]\nstate_dir = "{state}"\n[[serve.watch]]\npath = "{state / "share"}"\n', encoding="utf-8")
    p = subprocess.run(CLI + ["config", "check", str(cfg)], env=cli_env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "never scanned" in p.stderr


def test_a_cp932_name_is_quarantined_survives_a_restart_and_restores_to_the_same_bytes(tmp_path, cli_env):
    s = Served(tmp_path, cli_env)
    target = os.path.join(os.fsencode(s.watch), CP932_NAME)
    try:
        with open(target, "wb") as f:
            f.write(f"個人番号：{N}\n".encode("cp932"))
        with open(os.path.join(os.fsencode(s.watch), "clean-" .encode() + CP932_NAME), "wb") as f:
            f.write("議事録\n".encode("cp932"))
        alert = wait_for(lambda: next((a for a in s.alerts() if a.get("action") == "quarantined"), None))
        assert "\\x8c\\xc2" in alert["path"] and N not in json.dumps(alert)
        assert not os.path.exists(target)
        assert s.stop() == 0
        s2 = Served(tmp_path, cli_env)  # the reconcile walks the CP932-named clean file again: no crash
        assert s2.http("/readyz") == 200
        listed = s2.cli("quarantine", "list", "--format", "jsonl")
        entry = json.loads(listed.stdout.splitlines()[0])
        restored = s2.cli("quarantine", "restore", entry["id"][:8])
        assert restored.returncode == 0, restored.stderr
        with open(target, "rb") as f:
            assert f.read() == f"個人番号：{N}\n".encode("cp932")
        assert s2.http("/readyz") == 200
        s2.stop()
    finally:
        for proc in (s.proc,):
            if proc.poll() is None:
                proc.kill()


def test_unscannable_files_are_alerts_and_the_policy_can_quarantine_them(tmp_path, cli_env):
    from tests.hostile_tree import encrypted_zip

    cfg = tmp_path / "serve.toml"
    cfg.write_text(f'[serve]\nalert_log = "{tmp_path / "alerts.jsonl"}"\n'
                   f'[[serve.watch]]\npath = "{tmp_path / "watch"}"\nname = "hr"\n'
                   '[serve.watch.policy]\non_unscanned = "quarantine"\n'
                   f'[[serve.watch]]\npath = "{tmp_path / "other"}"\nname = "other"\n', encoding="utf-8")
    (tmp_path / "other").mkdir()
    s = Served(tmp_path, cli_env, config=cfg)
    try:
        (s.watch / "給与.zip").write_bytes(encrypted_zip())
        (tmp_path / "other" / "給与.zip").write_bytes(encrypted_zip())
        alerts = wait_for(lambda: [a for a in _alerts(tmp_path / "alerts.jsonl")] if len(
            _alerts(tmp_path / "alerts.jsonl")) >= 2 else None)
        by_source = {a["source"]: a for a in alerts}
        assert by_source["hr"]["action"] == "quarantined" and by_source["hr"]["not_scanned"][0]["reason"] == "encrypted"
        assert by_source["other"]["action"] == "not_scanned" and (tmp_path / "other" / "給与.zip").exists()
        assert s.metric("mynumber_dlp_not_scanned_total", reason="encrypted") == 2
    finally:
        s.proc.kill()
        s.proc.wait()


def test_hostile_share_at_the_daemon_every_item_alerted_ready_throughout(tmp_path, cli_env):
    root = tmp_path / "d"
    root.mkdir()
    expected = build(root / "watch", loop=False)  # the daemon never follows links
    os.symlink("..", root / "watch" / "up")  # ... and a loop is then just a link it leaves alone
    port = free_port()
    args = ["serve", "--state-dir", str(root / "state"), "--quarantine-dir", str(root / "q"),
            "--watch", str(root / "watch"), "--metrics-address", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(unprivileged(CLI + args), env=cli_env, stdout=open(root / "out.log", "wb"),
                            stderr=open(root / "err.log", "wb"))
    served = Served.__new__(Served)
    served.port, served.state = port, root / "state"
    try:
        wait_for(lambda: served.http("/readyz") == 200, timeout=30)

        def outcomes():
            got: dict[str, set[str]] = {}
            for a in served.alerts():
                name = a["path"].rsplit("/", 1)[-1]
                got.setdefault(name, set()).update(
                    {"finding"} if a["findings"] else {r["reason"] for r in a["not_scanned"]})
            return got if all(v in got.get(k, set()) for k, v in expected.items()) else None

        wait_for(outcomes, timeout=60)
        assert served.http("/readyz") == 200 and proc.poll() is None
        log = (root / "state" / "alerts.jsonl").read_text(encoding="utf-8")
        assert N not in log and N not in (root / "err.log").read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in (root / "err.log").read_text(encoding="utf-8", errors="replace")
    finally:
        proc.kill()
        proc.wait()
