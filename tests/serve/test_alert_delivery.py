"""The alerter's one failure policy, through a real daemon: a sink that cannot write (the alert
log on a full disk, here /dev/full) is counted and logged, the other sinks still get the alert,
and the file is not counted as done — the next reconcile scans it and alerts again."""

from __future__ import annotations

import json

from tests.test_daemon import Served, wait_for

N = "123456789018"


def _stdout_alerts(s: Served) -> list[dict]:
    lines = (s.root / "stdout.log").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_an_alert_a_sink_could_not_take_is_counted_and_sent_again_at_the_next_reconcile(tmp_path, cli_env):
    cfg = tmp_path / "serve.toml"
    cfg.write_text(
        f'[serve]\nalert_log = "/dev/full"\nreconcile_interval = "2s"\n'
        f'[[serve.watch]]\npath = "{tmp_path / "watch"}"\n[policy]\nquarantine = false\n',
        encoding="utf-8",
    )
    s = Served(tmp_path, cli_env, config=cfg)
    try:
        (s.watch / "roster.csv").write_text(f"氏名,個人番号\n山田,{N}\n", encoding="utf-8")
        wait_for(lambda: len([a for a in _stdout_alerts(s) if a["path"].endswith("roster.csv")]) >= 2, timeout=60)
        assert s.metric("mynumber_dlp_actions_total", action="alert", result="error") >= 2
        assert s.metric("mynumber_dlp_actions_total", action="alert", result="ok") >= 2
        log = (s.root / "stderr.log").read_text(encoding="utf-8")
        assert "alert sink JsonlAlertLog failed: OSError" in log and "retried at the next reconcile" in log
        assert N not in log and "Traceback" not in log
        assert s.http("/healthz") == 200
    finally:
        s.stop()
