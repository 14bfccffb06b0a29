"""The daemon watching a share over SMB (change notification, no mount) on a real smbd."""

from __future__ import annotations

import random
import subprocess
import time

import pytest

from scanner.sources.smb.client import SmbClient
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import parse_smb_url
from tests.conftest import CLI, make_number
from tests.sources.smb.samba import SMB_PASSWORD, SMB_USER
from tests.test_daemon import Served, wait_for

CLOSE_TO_ALERT = 5.0
"""The issue's bound: a file written through SMB is alerted and quarantined within 5 s of its close."""


def _config(tmp_path, samba, extra: str = "") -> str:
    cfg = tmp_path / "serve.toml"
    cfg.write_text(f'[[serve.watch]]\npath = "{samba.url}"\nname = "nas"\nexclude = ["*.tmp"]\n{extra}',
                   encoding="utf-8")
    return cfg


@pytest.fixture
def daemon(tmp_path, cli_env, samba):
    d = Served(tmp_path / "d", {**cli_env, **samba.env}, config=_config(tmp_path, samba))
    yield d
    if d.proc.poll() is None:
        d.proc.kill()
        d.proc.wait()


@pytest.fixture
def share(samba):
    client = SmbClient(SmbCredentials(SMB_USER, SMB_PASSWORD))
    yield client, parse_smb_url(samba.url)
    client.close()


def _alert_for(daemon, url: str, timeout: float):
    return wait_for(lambda: next((a for a in daemon.alerts() if a["path"] == url), None), timeout=timeout)


def test_a_file_written_over_smb_is_quarantined_within_5_s_and_restore_puts_it_back(daemon, share, samba):
    client, root = share
    number = make_number(random.Random(151))
    content = f"氏名,個人番号\n山田,{number}\n".encode("cp932")
    target = root.child("人事").child("名簿.csv")
    client.makedirs(target.parent())
    client.create(target, content)  # closed when create() returns
    closed = time.monotonic()
    alert = _alert_for(daemon, target.url, CLOSE_TO_ALERT)
    assert time.monotonic() - closed < CLOSE_TO_ALERT
    assert alert["action"] == "quarantined" and alert["source"] == "nas" and number not in str(alert)
    assert alert["file"]["owner"] is None and alert["file"]["size"] == len(content)  # a SID is not resolved
    assert alert["file"]["modified"][:10] == time.strftime("%Y-%m-%d")
    local = samba.root / "人事" / "名簿.csv"
    assert not local.exists() and (samba.root / "人事" / "名簿.csv.quarantined.txt").exists()
    stored = samba.root / ".mynumber-dlp-quarantine" / alert["quarantine_id"]
    assert stored.read_bytes() == content
    restored = daemon.cli("quarantine", "restore", alert["quarantine_id"])
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == target.url and local.read_bytes() == content
    assert not (samba.root / "人事" / "名簿.csv.quarantined.txt").exists() and not stored.exists()
    # restored by an operator: alerted as released, and not taken again
    again = wait_for(lambda: [a for a in daemon.alerts() if a["path"] == target.url][1:], timeout=15)
    assert [a["action"] for a in again] == ["released"] and local.read_bytes() == content


def test_a_rename_into_the_tree_and_a_directory_moved_in_are_seen(daemon, share, samba):
    client, root = share
    number = make_number(random.Random(152))
    client.create(root.child("draft.tmp"), f"個人番号 {number}\n".encode())  # excluded while it is .tmp
    client.rename(root.child("draft.tmp"), root.child("提出.txt"))
    assert _alert_for(daemon, root.child("提出.txt").url, 15)["action"] == "quarantined"
    batch = root.child("batch.tmp")
    client.makedirs(batch.child("sub"))
    client.create(batch.child("sub").child("list.txt"), f"マイナンバー: {number}\n".encode())
    client.rename(batch, root.child("batch"))  # one notify for the directory: its files are walked
    moved = root.child("batch").child("sub").child("list.txt")
    assert _alert_for(daemon, moved.url, 15)["action"] == "quarantined"
    assert not any(a["path"].endswith(".tmp") or ".tmp/" in a["path"] for a in daemon.alerts())


def test_the_share_going_away_and_coming_back_is_survived(daemon, share, samba):
    client, root = share
    number = make_number(random.Random(153))
    samba.stop()
    time.sleep(2)
    (samba.root / "while-away.txt").write_text(f"個人番号 {number}\n", encoding="utf-8")  # no event can say this
    samba.start()
    assert _alert_for(daemon, root.child("while-away.txt").url, 60)["action"] == "quarantined"
    client.forget_server(root)
    client.create(root.child("after.txt"), f"個人番号 {number}\n".encode())
    assert _alert_for(daemon, root.child("after.txt").url, 15)["action"] == "quarantined"
    assert daemon.proc.poll() is None


def test_a_wrong_password_or_a_missing_watch_directory_stops_the_daemon_at_start(tmp_path, cli_env, samba):
    args = CLI + ["serve", "--config", str(_config(tmp_path, samba)), "--state-dir", str(tmp_path / "s")]
    env = {**cli_env, **samba.env, "MYNUMBER_DLP_SMB_PASSWORD": "not-" + SMB_PASSWORD}
    p = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and p.stderr.strip() == (
        f"mynumber-dlp: cannot log on to 127.0.0.1 as {SMB_USER}: wrong user name or password, "
        "or the user may not log on (LogonFailure)")
    cfg = tmp_path / "missing.toml"
    cfg.write_text(f'[[serve.watch]]\npath = "{samba.url}/nodir"\nname = "nas"\n', encoding="utf-8")
    p = subprocess.run(CLI + ["serve", "--config", str(cfg), "--state-dir", str(tmp_path / "s")],
                       env={**cli_env, **samba.env}, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and f"watch {samba.url}/nodir" in p.stderr and "Traceback" not in p.stderr
