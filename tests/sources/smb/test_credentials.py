"""Who logs on: a 0600 credentials file (mount.cifs's format) or the environment."""

from __future__ import annotations

import pytest

from scanner.sources.smb.credentials import CredentialsError, SmbCredentials, find_credentials


def test_a_mount_cifs_credentials_file_gives_user_password_and_domain(tmp_path):
    f = tmp_path / "cred"
    f.write_text("# 人事共有\nusername=kato\npassword = p=w d\ndomain=CORP\n", encoding="utf-8")
    f.chmod(0o600)
    creds = find_credentials(f, environ={"MYNUMBER_DLP_SMB_USER": "other"})
    assert creds == SmbCredentials("kato", "p=w d", "CORP")
    assert creds.logon_name() == "CORP\\kato" and creds.logon_name("sato") == "CORP\\sato"
    assert "p=w d" not in repr(creds)


def test_a_credentials_file_others_may_read_is_refused(tmp_path):
    f = tmp_path / "cred"
    f.write_text("username=kato\npassword=pw\n", encoding="utf-8")
    f.chmod(0o644)
    with pytest.raises(CredentialsError, match="chmod 600"):
        find_credentials(f, environ={})


def test_a_malformed_line_is_named_by_its_number(tmp_path):
    f = tmp_path / "cred"
    f.write_text("username=kato\npasswd pw\n", encoding="utf-8")
    f.chmod(0o600)
    with pytest.raises(CredentialsError, match=r"cred:2:"):
        find_credentials(f, environ={})


def test_the_environment_is_used_without_a_file_and_nothing_means_kerberos(tmp_path):
    f = tmp_path / "c"
    f.write_text("username=fileuser\npassword=x\n", encoding="utf-8")
    f.chmod(0o600)
    assert find_credentials(None, {"MYNUMBER_DLP_SMB_CREDENTIALS": str(f)}).username == "fileuser"
    env = {"MYNUMBER_DLP_SMB_USER": "kato", "MYNUMBER_DLP_SMB_PASSWORD": "pw"}
    assert find_credentials(None, env) == SmbCredentials("kato", "pw")
    assert find_credentials(None, {}) == SmbCredentials()
