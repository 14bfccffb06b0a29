"""Commands that an admin runs beside the daemon do not load the daemon's machinery
(watchers, metrics server, brokers): they start fast and work where those are absent."""

from __future__ import annotations

import subprocess
import sys

import pytest

DAEMON_MODULES = ("scanner.serve", "scanner.sources.brokers", "scanner.sources.watch", "watchdog", "prometheus_client")


@pytest.mark.parametrize("argv", [
    ["config", "check", "{cfg}"],
    ["rules", "check"],
    ["quarantine", "list", "--state-dir", "{state}", "--quarantine-dir", "{q}"],
])
def test_admin_commands_do_not_import_the_daemon(tmp_path, cli_env, argv):
    from scanner.state import StateDB

    StateDB(tmp_path / "state").close()
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[serve]\nstate_dir = "{tmp_path / "state"}"\n', encoding="utf-8")
    args = [a.format(cfg=cfg, state=tmp_path / "state", q=tmp_path / "q") for a in argv]
    code = ("import sys\nfrom scanner.cli import main\n"
            f"rc = main({args!r})\n"
            f"loaded = [m for m in sys.modules if m.startswith({DAEMON_MODULES!r})]\n"
            "print('LOADED', loaded)\nsys.exit(rc)\n")
    p = subprocess.run([sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "LOADED []" in p.stdout, p.stdout
