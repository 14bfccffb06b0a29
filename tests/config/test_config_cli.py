"""``mynumber-dlp config check`` and ``scan --config`` as users run them: a bad file is exit 2
and one line naming the file and the key; a good one prints the effective config, secrets masked."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import CLI


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_config_check_exits_2_with_one_line_on_a_bad_file(tmp_path, cli_env):
    cfg = tmp_path / "serve.toml"
    cfg.write_text('[serve]\nquarantine_dirr = "/srv/q"\n', encoding="utf-8")
    p = run(["config", "check", str(cfg)], cli_env)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.splitlines() == [
        f"mynumber-dlp: config: {cfg}: serve.quarantine_dirr: unknown key (did you mean 'quarantine_dir'?)"
    ]


def test_config_check_of_a_wrong_type_is_one_line_not_a_traceback(tmp_path, cli_env):
    cfg = tmp_path / "serve.toml"
    cfg.write_text("[serve]\nqueue_size = \"big\"\n", encoding="utf-8")
    p = run(["config", "check", str(cfg)], cli_env)
    assert p.returncode == 2 and "Traceback" not in p.stderr and len(p.stderr.splitlines()) == 1
    assert f"{cfg}: serve.queue_size: 'queue_size' must be int" in p.stderr


def test_config_check_prints_the_effective_config_without_the_secrets(tmp_path, cli_env):
    cfg = tmp_path / "serve.toml"
    cfg.write_text(
        'fingerprint_key = "${MY_KEY}"\n[limits]\nmax_file_size = "64MiB"\n'
        f'[serve]\nstate_dir = "{tmp_path / "state"}"\n'
        f'[[serve.watch]]\npath = "{tmp_path / "share"}"\nname = "share"\n'
        '[[serve.queue]]\ntype = "redis"\nurl = "redis://:hunter2@127.0.0.1:6379/0"\ninput = "i"\noutput = "o"\nquarantine = "q"\n',
        encoding="utf-8",
    )
    p = run(["config", "check", str(cfg)], {**cli_env, "MY_KEY": "do-not-print-me"})
    assert p.returncode == 0, p.stderr
    first, rest = p.stdout.split("\n", 1)
    assert first.startswith(f"ok  {cfg}: watches share=")
    shown = json.loads(rest)
    assert "do-not-print-me" not in p.stdout and "hunter2" not in p.stdout
    assert shown["fingerprint_key"] == "********" and shown["limits"]["max_file_size"] == 64 << 20
    assert shown["serve"]["alert_log"] == str(tmp_path / "state" / "alerts.jsonl")
    assert shown["serve"]["queue"][0]["url"] == "redis://:********@127.0.0.1:6379/0"
    assert shown["policy"]["on_unscanned"] == "alert"


def test_scan_with_a_bad_config_exits_2_with_one_line(tmp_path, cli_env):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[scan]\nfollow_symlinks = "no"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("nothing here\n", encoding="utf-8")
    p = run(["scan", str(tmp_path / "a.txt"), "--config", str(cfg)], cli_env)
    assert p.returncode == 2
    assert p.stderr.splitlines() == [
        f"mynumber-dlp: {cfg}: scan.follow_symlinks: 'follow_symlinks' must be bool (true or false), got string 'no'"
    ]
