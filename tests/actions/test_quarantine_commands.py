"""``mynumber-dlp quarantine``: restore from a state dir that is not the default, ids by
prefix, restore elsewhere, and a list that shows released and purged entries."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from scanner.actions.quarantine import QuarantineOptions, QuarantineStore
from scanner.state import StateDB
from tests.conftest import CLI

N = "123456789018"


@pytest.fixture
def stored(tmp_path):
    """Two files quarantined by a store at a non-default place, the manifest closed again."""
    state, qdir, share = tmp_path / "st", tmp_path / "q", tmp_path / "share"
    share.mkdir()
    db = StateDB(state)
    store = QuarantineStore(QuarantineOptions(qdir), db)
    ids = []
    for name in ("a.csv", f"個人番号_{N}.csv"):
        (share / name).write_bytes(b"data of " + name.encode())
        os.chmod(share / name, 0o640)
        ids.append(store.quarantine(str(share / name), []))
    db.close()
    return state, qdir, share, ids


def cli(env, *args):
    return subprocess.run(CLI + list(args), env=env, capture_output=True, text=True, timeout=60)


def test_restore_with_only_the_state_dir_finds_the_file_where_the_manifest_says(stored, cli_env):
    state, _qdir, share, ids = stored
    p = cli(cli_env, "quarantine", "restore", ids[0], "--state-dir", str(state))
    assert p.returncode == 0, p.stderr
    assert (share / "a.csv").read_bytes() == b"data of a.csv" and oct((share / "a.csv").stat().st_mode)[-3:] == "640"


def test_an_id_prefix_works_and_an_ambiguous_one_is_refused(stored, cli_env):
    state, qdir, share, ids = stored
    p = cli(cli_env, "quarantine", "show", ids[1][:8], "--state-dir", str(state), "--quarantine-dir", str(qdir))
    assert p.returncode == 0 and json.loads(p.stdout)["id"] == ids[1]
    assert N not in p.stdout and "********9018" in json.loads(p.stdout)["original_path"]
    bad = cli(cli_env, "quarantine", "show", "", "--state-dir", str(state), "--quarantine-dir", str(qdir))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_restore_to_puts_the_file_at_a_new_path(stored, cli_env, tmp_path):
    state, qdir, share, ids = stored
    target = tmp_path / "review" / "a.csv"
    p = cli(cli_env, "quarantine", "restore", ids[0][:6], "--to", str(target), "--state-dir", str(state),
            "--quarantine-dir", str(qdir))
    assert p.returncode == 0, p.stderr
    assert target.read_bytes() == b"data of a.csv" and not (share / "a.csv").exists()


def test_list_all_shows_restored_and_purged_entries(stored, cli_env):
    state, qdir, _share, ids = stored
    flags = ["--state-dir", str(state), "--quarantine-dir", str(qdir)]
    assert cli(cli_env, "quarantine", "restore", ids[0], *flags).returncode == 0
    assert cli(cli_env, "quarantine", "purge", ids[1], *flags).returncode == 0
    assert cli(cli_env, "quarantine", "list", *flags).stdout.strip() == ""
    rows = [json.loads(x) for x in cli(cli_env, "quarantine", "list", "--all", "--format", "jsonl", *flags).stdout.splitlines()]
    assert {(r["id"], r["state"]) for r in rows} == {(ids[0], "restored"), (ids[1], "purged")}
    assert all(N not in json.dumps(r) for r in rows)


def test_a_state_dir_without_a_database_is_a_one_line_error(tmp_path, cli_env):
    p = cli(cli_env, "quarantine", "list", "--state-dir", str(tmp_path / "none"), "--quarantine-dir", str(tmp_path / "q"))
    assert p.returncode == 2 and "no state database" in p.stderr and "Traceback" not in p.stderr
