"""``mynumber-dlp scan smb://…`` against a real smbd: an audit of a share without a mount."""

from __future__ import annotations

import json
import random
import subprocess

from tests.conftest import CLI, make_number
from tests.sources.smb.samba import SMB_PASSWORD, SMB_USER


def scan(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + ["scan", *args], env=env, capture_output=True, text=True, timeout=120)


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_a_share_is_audited_over_smb_and_records_name_files_by_url(samba, cli_env):
    number = make_number(random.Random(15))
    (samba.root / "人事" / "2024").mkdir(parents=True)
    (samba.root / "人事" / "2024" / "名簿.csv").write_text(f"氏名,個人番号\n山田,{number}\n", encoding="utf-8")
    (samba.root / "clean.txt").write_text("会議は 3 時から\n", encoding="utf-8")
    p = scan(["-f", "jsonl", "-j", "2", samba.url], {**cli_env, **samba.env})
    assert p.returncode == 1, p.stderr
    recs = records(p.stdout)
    [finding] = [r for r in recs if r["type"] == "finding"]
    assert finding["path"] == f"{samba.url}/人事/2024/名簿.csv" and finding["masked"].endswith(number[-4:])
    assert recs[-1]["files_scanned"] == 2 and recs[-1]["not_scanned"] == 0
    assert number not in p.stdout + p.stderr


def test_a_wrong_password_is_one_line_naming_the_server_and_exit_2(samba, cli_env):
    env = {**cli_env, **samba.env, "MYNUMBER_DLP_SMB_PASSWORD": "wrong-" + SMB_PASSWORD}
    p = scan([samba.url], env)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.strip() == (f"mynumber-dlp: cannot log on to 127.0.0.1 as {SMB_USER}: wrong user name or "
                                "password, or the user may not log on (LogonFailure)")
    assert "wrong-" + SMB_PASSWORD not in p.stderr


def test_a_share_that_does_not_exist_and_a_server_that_is_down_are_usage_errors(samba, cli_env):
    env = {**cli_env, **samba.env}
    p = scan([samba.url.replace("/share", "/nosuch")], env)
    assert p.returncode == 2 and "share nosuch cannot be opened" in p.stderr and "Traceback" not in p.stderr
    samba.stop()
    p = scan([samba.url], env)
    assert p.returncode == 2 and f"cannot reach SMB server 127.0.0.1 port {samba.port}" in p.stderr


def test_a_missing_directory_on_the_share_is_not_scanned_and_exit_2(samba, cli_env):
    p = scan(["-f", "jsonl", f"{samba.url}/nodir"], {**cli_env, **samba.env})
    assert p.returncode == 2
    [rec] = [r for r in records(p.stdout) if r["type"] == "not_scanned"]
    assert (rec["path"], rec["reason"]) == (f"{samba.url}/nodir", "unreadable")


def test_a_credentials_file_logs_on_and_one_others_may_read_is_refused(samba, cli_env, tmp_path):
    number = make_number(random.Random(16))
    (samba.root / "memo.txt").write_text(f"マイナンバー {number}\n", encoding="utf-8")
    cred = tmp_path / "smb.cred"
    cred.write_text(f"username={SMB_USER}\npassword={SMB_PASSWORD}\n", encoding="utf-8")
    cred.chmod(0o600)
    p = scan(["--smb-credentials", str(cred), f"{samba.url}/memo.txt"], cli_env)
    assert p.returncode == 1 and "memo.txt" in p.stdout
    cred.chmod(0o640)
    p = scan(["--smb-credentials", str(cred), samba.url], cli_env)
    assert p.returncode == 2 and "chmod 600" in p.stderr
