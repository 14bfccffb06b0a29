"""QuarantineStore: exact restore, no overwrite, no symlinks, and recovery from a crash at
each step of a move."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.actions.quarantine import QuarantineError, QuarantineOptions, QuarantineStore
from scanner.state import StateDB


@pytest.fixture
def store(tmp_path):
    return QuarantineStore(QuarantineOptions(tmp_path / "q", stub=True), StateDB(tmp_path / "state"))


def _file(tmp_path: Path, name="a.txt", body=b"secret roster\n") -> Path:
    p = tmp_path / "share" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(body)
    os.chmod(p, 0o604)
    os.utime(p, ns=(1_600_000_000_000_000_000, 1_650_000_000_000_000_000))
    return p


def test_quarantine_and_restore_round_trip_bytes_and_metadata(tmp_path, store):
    p = _file(tmp_path)
    qid = store.quarantine(str(p), [{"masked": "********9018"}])
    assert not p.exists() and Path(str(p) + ".quarantined.txt").exists()
    assert store.restore(qid) == str(p)
    st = p.stat()
    assert p.read_bytes() == b"secret roster\n" and st.st_mode & 0o777 == 0o604
    assert (st.st_atime_ns, st.st_mtime_ns) == (1_600_000_000_000_000_000, 1_650_000_000_000_000_000)
    assert not Path(str(p) + ".quarantined.txt").exists()
    assert store.released(str(p))


def test_restore_never_overwrites(tmp_path, store):
    p = _file(tmp_path)
    qid = store.quarantine(str(p), [])
    p.write_bytes(b"a new file with the same name\n")
    with pytest.raises(QuarantineError):
        store.restore(qid)
    assert p.read_bytes() == b"a new file with the same name\n"


def test_symlinks_are_never_followed(tmp_path, store):
    target = _file(tmp_path, "real.txt")
    link = tmp_path / "share" / "link.txt"
    link.symlink_to(target)
    with pytest.raises(QuarantineError):
        store.quarantine(str(link), [])
    assert target.exists() and link.is_symlink()


def _interrupted(store, tmp_path, stage: str) -> tuple[Path, str]:
    """Simulate a kill -9 at ``stage`` of a move: the manifest says 'moving'."""
    p = _file(tmp_path)
    import uuid

    qid = uuid.uuid4().hex
    store.db.quarantine_add({"id": qid, "original_path": str(p), "state": "moving", "quarantined_at": 0.0,
                             "size": 14, "mode": 0o100604, "uid": 0, "gid": 0, "atime_ns": 0, "mtime_ns": 0,
                             "sha256": "", "reasons": "[]", "stub_path": None})
    stored = store.files / qid
    if stage == "linked":  # link made, original not yet unlinked
        os.link(p, stored)
    elif stage == "copying":  # cross-filesystem copy half written
        (store.files / (qid + ".part")).write_bytes(b"secret")
    elif stage == "moved":  # moved, manifest not yet updated
        os.link(p, stored)
        os.unlink(p)
    return p, qid


@pytest.mark.parametrize("stage,expect", [("linked", "aborted"), ("copying", "aborted"), ("moved", "stored")])
def test_recover_leaves_each_file_whole_in_exactly_one_place(tmp_path, store, stage, expect):
    p, qid = _interrupted(store, tmp_path, stage)
    store.recover()
    entry = store.db.quarantine_get(qid)
    assert entry["state"] == expect
    in_place, in_store = p.exists(), (store.files / qid).exists()
    assert in_place != in_store
    assert (p if in_place else store.files / qid).read_bytes() == b"secret roster\n"
    assert not any(f.name.endswith(".part") for f in store.files.iterdir())
