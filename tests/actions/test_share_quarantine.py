"""Quarantine on a share (a rename on the server) survives a crash at either side of the rename."""

from __future__ import annotations

import json

from scanner.actions import share_quarantine
from scanner.actions.quarantine import QuarantineOptions, QuarantineStore
from scanner.sources.smb.client import SmbClient
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import parse_smb_url
from scanner.state import StateDB
from tests.sources.smb.conftest import samba  # noqa: F401
from tests.sources.smb.samba import SMB_PASSWORD, SMB_USER

CREDS = SmbCredentials(SMB_USER, SMB_PASSWORD)


def _store(tmp_path) -> QuarantineStore:
    return QuarantineStore(QuarantineOptions(tmp_path / "q"), StateDB(tmp_path / "state"), CREDS)


def _crash_before_update(client, src, qid, db, rename: bool) -> None:
    """What a kill -9 leaves: the manifest row written (``moving``), the rename done or not."""
    entry = share_quarantine.manifest_entry(client, src, qid, json.dumps([]))
    db.quarantine_add(entry)
    if rename:
        share_quarantine.move_in(client, src, parse_smb_url(entry["stored_path"]))


def test_a_crash_after_the_rename_ends_stored_and_one_before_it_ends_aborted_with_the_file_in_place(samba, tmp_path):  # noqa: F811
    (samba.root / "moved.txt").write_bytes(b"moved")
    (samba.root / "kept.txt").write_bytes(b"kept")
    store, client = _store(tmp_path), SmbClient(CREDS)
    root = parse_smb_url(samba.url)
    try:
        _crash_before_update(client, root.child("moved.txt"), "a" * 32, store.db, rename=True)
        _crash_before_update(client, root.child("kept.txt"), "b" * 32, store.db, rename=False)
        assert sorted(store.recover()) == ["a" * 32, "b" * 32]
        assert store.db.quarantine_get("a" * 32)["state"] == "stored"
        assert store.db.quarantine_get("b" * 32)["state"] == "aborted"
        assert (samba.root / ".mynumber-dlp-quarantine" / ("a" * 32)).read_bytes() == b"moved"
        assert (samba.root / "kept.txt").read_bytes() == b"kept" and not (samba.root / "moved.txt").exists()
        assert store.restore("a" * 32) == root.child("moved.txt").url
        assert (samba.root / "moved.txt").read_bytes() == b"moved"
    finally:
        client.close()


def test_a_moving_row_on_a_share_out_of_reach_waits_for_the_next_start(samba, tmp_path):  # noqa: F811
    (samba.root / "f.txt").write_bytes(b"f")
    store, client = _store(tmp_path), SmbClient(CREDS)
    try:
        _crash_before_update(client, parse_smb_url(samba.url).child("f.txt"), "c" * 32, store.db, rename=True)
    finally:
        client.close()
    samba.stop()
    assert store.recover() == [] and store.db.quarantine_get("c" * 32)["state"] == "moving"
    samba.start()
    assert store.recover() == ["c" * 32] and store.db.quarantine_get("c" * 32)["state"] == "stored"


def test_a_share_quarantine_folder_is_never_scanned(samba, tmp_path):  # noqa: F811
    from scanner.sources.protected import ProtectedPaths

    protected = ProtectedPaths.of(tmp_path / "state", tmp_path / "q", None)
    assert not protected.accepts(f"{samba.url}/.mynumber-dlp-quarantine/{'d' * 32}")
    assert not protected.accepts(f"{samba.url}/dir/名簿.csv.quarantined.txt")
    assert protected.accepts(f"{samba.url}/dir/名簿.csv")


def test_copy_mode_takes_the_file_off_the_share_verified_and_restore_copies_it_back(samba, tmp_path):  # noqa: F811
    content = b"\x82\xa0" * 5000  # CP932 bytes, exact
    (samba.root / "人事").mkdir()
    (samba.root / "人事" / "名簿.csv").write_bytes(content)
    store = QuarantineStore(QuarantineOptions(tmp_path / "q", share_mode="copy"), StateDB(tmp_path / "state"), CREDS)
    url = parse_smb_url(samba.url).child("人事").child("名簿.csv").url
    qid = store.quarantine(url, [])
    entry = store.db.quarantine_get(qid)
    assert entry["state"] == "stored" and (tmp_path / "q" / "files" / qid).read_bytes() == content
    assert not (samba.root / "人事" / "名簿.csv").exists() and (samba.root / "人事" / "名簿.csv.quarantined.txt").exists()
    assert not (samba.root / ".mynumber-dlp-quarantine").exists()
    assert store.restore(qid) == url
    assert (samba.root / "人事" / "名簿.csv").read_bytes() == content and not (tmp_path / "q" / "files" / qid).exists()
    assert not (samba.root / "人事" / "名簿.csv.quarantined.txt").exists()


def test_a_crash_while_copying_out_keeps_the_file_on_the_share(samba, tmp_path):  # noqa: F811
    (samba.root / "a.txt").write_bytes(b"a" * 100)
    store = QuarantineStore(QuarantineOptions(tmp_path / "q", share_mode="copy"), StateDB(tmp_path / "state"), CREDS)
    client = SmbClient(CREDS)
    try:
        src = parse_smb_url(samba.url).child("a.txt")
        entry = share_quarantine.manifest_entry(client, src, "e" * 32, "[]")
        entry["stored_path"] = str(tmp_path / "q" / "files" / ("e" * 32))
        store.db.quarantine_add(entry)
        (tmp_path / "q" / "files" / ("e" * 32)).write_bytes(b"a" * 40)  # killed mid-copy
    finally:
        client.close()
    assert store.recover() == ["e" * 32] and store.db.quarantine_get("e" * 32)["state"] == "aborted"
    assert (samba.root / "a.txt").read_bytes() == b"a" * 100 and not (tmp_path / "q" / "files" / ("e" * 32)).exists()
