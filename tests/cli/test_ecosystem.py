"""The habits of the ecosystem: shell completion and a man page from the parser, and
``config init`` writing a commented example that loads as it is and never overwrites a file."""

from __future__ import annotations

import subprocess
from pathlib import Path

from scanner.config.example import example_text
from tests.conftest import CLI

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=60)


def test_bash_completion_knows_every_command_and_the_scan_options(cli_env):
    script = run(["completion", "bash"], cli_env)
    assert script.returncode == 0
    for word in ("scan", "serve", "quarantine", "allow", "--write-baseline", "--allowlist", "--lang", "html"):
        assert word in script.stdout
    checked = subprocess.run(["bash", "-n"], input=script.stdout, capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr


def test_the_man_page_is_roff_with_every_command(cli_env):
    page = run(["man"], cli_env)
    assert page.returncode == 0 and page.stdout.startswith(".TH MYNUMBER")
    assert all(c in page.stdout for c in ("scan", "serve", "config", "allow"))


def test_config_init_writes_a_commented_example_that_config_check_accepts(tmp_path, cli_env):
    target = tmp_path / "serve.toml"
    assert run(["config", "init", str(target), "--watch", str(tmp_path / "share")], cli_env).returncode == 0
    text = target.read_text(encoding="utf-8")
    assert "# max_file_size = \"256MiB\"" in text and f'path = "{tmp_path / "share"}"' in text
    check = run(["config", "check", str(target)], cli_env)
    assert check.returncode == 0 and f"watch0={tmp_path / 'share'}" in check.stdout
    again = run(["config", "init", str(target)], cli_env)
    assert again.returncode == 2 and "--force" in again.stderr and target.read_text(encoding="utf-8") == text


def test_the_example_config_is_the_readmes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration"):]
    assert section[section.index("```toml\n") + 8:section.index("```\n")] == example_text()
