"""Exit status as cron jobs and CI gates read it: 1 means findings and nothing else;
a crash, a missing operand or bad input is 2, with one line and no traceback."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import CLI

N = "123456789018"


def test_an_unexpected_exception_exits_2_with_one_line(tmp_path, cli_env):
    (tmp_path / "a.txt").write_text("x\n")
    code = ("import sys, scanner.cli as c\n"
            "def boom(*a, **k): raise RuntimeError('bug')\n"
            "c.run_audit = boom\n"
            f"sys.exit(c.main(['scan', {str(tmp_path)!r}]))\n")
    p = subprocess.run([sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and "internal error (RuntimeError" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_scan_dash_reads_standard_input(cli_env):
    p = subprocess.run(CLI + ["scan", "-", "-f", "jsonl"], input=f"個人番号：{N}\n".encode(), env=cli_env,
                       capture_output=True, timeout=60)
    assert p.returncode == 1
    assert b'"path":"-"' in p.stdout and N.encode() not in p.stdout


def test_a_missing_operand_alone_exits_2(tmp_path, cli_env):
    p = subprocess.run(CLI + ["scan", str(tmp_path / "nope")], env=cli_env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_an_unwritable_home_without_a_key_says_what_to_do(tmp_path, cli_env):
    env = dict(cli_env)
    env.pop("MYNUMBER_DLP_FINGERPRINT_KEY")
    env["XDG_CONFIG_HOME"] = "/proc/no-such-dir"
    (tmp_path / "a.txt").write_text("x\n")
    p = subprocess.run(CLI + ["scan", str(tmp_path)], env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "set MYNUMBER_DLP_FINGERPRINT_KEY" in p.stderr


def test_an_unwritable_output_file_exits_2(tmp_path, cli_env):
    (tmp_path / "a.txt").write_text("x\n")
    p = subprocess.run(CLI + ["scan", str(tmp_path / "a.txt"), "-o", "/proc/nope/out.jsonl"], env=cli_env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "cannot write" in p.stderr


def test_serve_with_a_state_dir_it_may_not_create_says_so_in_one_line(tmp_path, cli_env):
    from tests.hostile_tree import unprivileged
    from tests.test_daemon import free_port

    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    p = subprocess.run(unprivileged(CLI + ["serve", "--state-dir", str(ro / "state"), "--watch", str(tmp_path / "w"),
                                           "--metrics-address", f"127.0.0.1:{free_port()}"]),
                       env=cli_env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.strip() == f"mynumber-dlp: Permission denied: {ro / 'state'}"


def test_a_daemon_whose_alerts_would_go_nowhere_is_refused(tmp_path, cli_env):
    cfg = tmp_path / "serve.toml"
    cfg.write_text(f'[serve]\nstate_dir = "{tmp_path / "state"}"\nalert_log = ""\nalerts_to_stdout = false\n'
                   f'[[serve.watch]]\npath = "{tmp_path / "share"}"\n', encoding="utf-8")
    for command in (["config", "check", str(cfg)], ["serve", "--config", str(cfg)]):
        p = subprocess.run(CLI + command, env=cli_env, capture_output=True, text=True, timeout=60)
        assert p.returncode == 2, command
        assert "alerts would go nowhere" in p.stderr and "Traceback" not in p.stderr
