"""smb:// URLs: what they name, how records show them, what is refused."""

from __future__ import annotations

import pytest

from scanner.sources.smb.location import SmbLocation, SmbUrlError, is_smb_url, parse_smb_url


def test_a_url_names_server_port_share_path_and_user():
    loc = parse_smb_url("smb://kato@fs01.example.local:1445/共有/人事/2024")
    assert loc == SmbLocation("fs01.example.local", "共有", "人事/2024", 1445, "kato")
    assert loc.unc == "\\\\fs01.example.local\\共有\\人事\\2024"


def test_records_show_the_url_without_the_user_and_without_the_default_port():
    assert parse_smb_url("smb://kato@fs01:445/share/a").url == "smb://fs01/share/a"
    assert parse_smb_url("smb://fs01:1445/share").child("名簿.xlsx").url == "smb://fs01:1445/share/名簿.xlsx"


def test_percent_escapes_are_decoded_and_child_parent_relative_agree():
    root = parse_smb_url("smb://fs01/share/%E4%BA%BA%E4%BA%8B")
    assert root.path == "人事"
    leaf = root.child("a").child("b.txt")
    assert leaf.relative_to(root) == "a/b.txt" and leaf.parent().parent() == root


@pytest.mark.parametrize("url", ["smb://fs01", "smb:///share", "smb://fs01/share/../etc", "http://fs01/share",
                                 "smb://fs01:port/share"])
def test_urls_without_a_server_or_share_or_with_dot_dot_are_refused(url):
    with pytest.raises(SmbUrlError):
        parse_smb_url(url)


def test_a_password_in_the_url_is_refused_and_not_repeated():
    with pytest.raises(SmbUrlError) as caught:
        parse_smb_url("smb://kato:Hunter2pw@fs01/share")
    assert "Hunter2pw" not in str(caught.value) and "smb://kato:***@fs01/share" in str(caught.value)


def test_only_the_smb_scheme_is_an_smb_url():
    assert is_smb_url("SMB://fs01/share") and not is_smb_url("/srv/smb://x") and not is_smb_url("smb:/x")
