"""The SMB client against a real smbd: one identity for a file however it is asked."""

from __future__ import annotations

from scanner.sources.identity import share_identity
from scanner.sources.smb.client import SmbClient
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import parse_smb_url
from scanner.sources.smb.walk import share_entries
from tests.sources.smb.samba import SMB_PASSWORD, SMB_USER


def test_a_listing_a_stat_and_an_open_agree_on_an_unchanged_files_size_and_time(samba):
    (samba.root / "d").mkdir()
    (samba.root / "d" / "a.txt").write_bytes(b"x" * 1234)
    client = SmbClient(SmbCredentials(SMB_USER, SMB_PASSWORD))
    try:
        loc = parse_smb_url(samba.url).child("d").child("a.txt")
        [listed] = list(share_entries(client, parse_smb_url(samba.url), ()))
        stat = client.stat(loc)
        with client.open(loc) as handle:
            opened = client.opened_state(handle)
        assert share_identity(listed) == share_identity(stat)  # else every reconcile rescans every file
        assert opened == (stat.size, stat.mtime_ns) == (1234, listed.mtime_ns)
    finally:
        client.close()
