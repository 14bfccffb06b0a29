"""Quarantine of files on a share: renamed into a folder at the share's root, on the server.

A rename within one share is atomic on the server and moves no bytes, so nothing is ever
half-moved and nothing crosses the network. The folder (``QUARANTINE_FOLDER``) is never
watched or scanned; give it an ACL that only the service account and the security team may
read (the daemon creates it when missing, with the share's inherited ACL). The manifest in
the state database is written before the rename, as for local files, so a crash in between
is finished or undone at the next start.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

from scanner.i18n import _
from scanner.sources.smb.client import SmbClient
from scanner.sources.smb.location import SmbLocation, is_smb_url, parse_smb_url

QUARANTINE_FOLDER = ".mynumber-dlp-quarantine"
"""The folder at each share's root that holds its quarantined files."""
COPY_CHUNK = 1024 * 1024
"""Bytes per read while a share's file is copied out."""


class ShareQuarantineError(Exception):
    """A move on a share that cannot be done safely; the message says why."""


def store_of(loc: SmbLocation) -> SmbLocation:
    """The quarantine folder of ``loc``'s share."""
    return SmbLocation(loc.server, loc.share, QUARANTINE_FOLDER, loc.port, loc.user)


def in_store(url: str) -> bool:
    """True for a path inside a share's quarantine folder (never scanned, never watched)."""
    if not is_smb_url(url):
        return False
    try:
        loc = parse_smb_url(url)
    except ValueError:
        return False
    return loc.path == QUARANTINE_FOLDER or loc.path.startswith(QUARANTINE_FOLDER + "/")


def share_digest(client: SmbClient, loc: SmbLocation) -> str:
    """SHA-256 of the file at ``loc``, read over SMB."""
    with client.open(loc) as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def manifest_entry(client: SmbClient, src: SmbLocation, qid: str, reasons: str) -> dict[str, Any]:
    """The manifest row of a file about to be moved into its share's quarantine folder."""
    entry = client.stat(src)
    if entry.is_dir or entry.is_link:
        raise ShareQuarantineError(_("not a regular file (symlinks are never followed)"))
    return {
        "id": qid, "original_path": src.url, "state": "moving", "quarantined_at": time.time(),
        "size": entry.size, "mode": None, "uid": None, "gid": None, "atime_ns": None, "mtime_ns": entry.mtime_ns,
        "sha256": share_digest(client, src), "reasons": reasons, "stub_path": None,
        "stored_path": store_of(src).child(qid).url,
    }


def move_in(client: SmbClient, src: SmbLocation, stored: SmbLocation) -> None:
    """Rename ``src`` into its share's quarantine folder (created when missing)."""
    client.makedirs(stored.parent())
    client.rename(src, stored)


def write_stub(client: SmbClient, src: SmbLocation, text: str, suffix: str) -> str | None:
    """The stub beside the moved file's old place; None when something is there already."""
    stub = src.parent().child(src.name + suffix)
    try:
        client.create(stub, text.encode("utf-8"))
    except OSError:
        return None  # a stub is a courtesy; never overwrite anything for it
    return stub.url


def copy_out(client: SmbClient, src: SmbLocation, dst: Path, expected_sha256: str) -> None:
    """Copy ``src`` to a new local ``dst`` (mode 0600, fsynced) and check the copy's SHA-256 is the
    manifest's; ShareQuarantineError (and no copy left) when it is not: the share's file is then kept."""
    h = hashlib.sha256()
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with client.open(src) as f:
            while chunk := f.read(COPY_CHUNK):
                h.update(chunk)
                os.write(fd, chunk)
        os.fsync(fd)
    finally:
        os.close(fd)
    if h.hexdigest() != expected_sha256:
        os.unlink(dst)
        raise ShareQuarantineError(_("{path} changed while it was copied out; it stays on the share").format(
            path=src.url))


def _refuse_existing(client: SmbClient, target: SmbLocation) -> None:
    if client.exists(target):
        raise ShareQuarantineError(_("something already exists at the target path; not overwriting (use --to PATH)"))


def copy_back(client: SmbClient, src: Path, target: SmbLocation) -> None:
    """Copy a quarantined local file to a new file at ``target`` on the share, never over anything."""
    _refuse_existing(client, target)
    client.makedirs(target.parent())
    client.create(target, src.read_bytes())


def move_back(client: SmbClient, stored: SmbLocation, target: SmbLocation) -> None:
    """Rename a quarantined file to ``target`` (on the same share), never over anything."""
    if target.server.lower() != stored.server.lower() or target.share.lower() != stored.share.lower():
        raise ShareQuarantineError(_("a file quarantined on {share} is restored on that share only").format(
            share=store_of(stored).parent().url))
    if not client.exists(stored):
        raise ShareQuarantineError(_("the quarantined file {path} is missing").format(path=stored.url))
    _refuse_existing(client, target)
    client.makedirs(target.parent())
    client.rename(stored, target)


def recover_move(client: SmbClient, entry: dict[str, Any]) -> str:
    """The state an interrupted move ends in. A rename: ``stored`` when it happened, else
    ``aborted`` (whole or not at all). A copy out: while the share's file exists the copy (whole
    or not) is dropped and the move ``aborted``; once it is deleted the copy is ``stored``."""
    stored = entry["stored_path"]
    if is_smb_url(stored):
        return "stored" if client.exists(parse_smb_url(stored)) else "aborted"
    if client.exists(parse_smb_url(entry["original_path"])):
        Path(stored).unlink(missing_ok=True)
        return "aborted"
    return "stored" if Path(stored).exists() else "aborted"
