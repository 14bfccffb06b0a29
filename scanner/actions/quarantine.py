"""Quarantine: move a file out of reach, keep a manifest, put it back exactly.

Crash safety: the manifest row is written (state ``moving``) before the file
moves. A rename on the same filesystem is atomic; across filesystems the copy
goes to a temporary name, is fsynced and renamed, and only then is the original
unlinked. ``recover()`` at start-up finishes or undoes any move a kill -9
interrupted, so every file ends either in place or in quarantine, whole.
Symlinks are never followed and nothing is ever overwritten.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.actions import share_quarantine
from scanner.i18n import _
from scanner.report.names import shown_name
from scanner.sources.smb.client import SmbClient, client_for
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import is_smb_url, parse_smb_url
from scanner.state import StateDB

STORE_DIR = "files"
STUB_SUFFIX = ".quarantined.txt"
COPY_BYTES = 1024 * 1024
STUB_TEXT = """このファイルは個人番号（マイナンバー）が含まれている可能性があるため、
情報漏えい防止のため隔離されました。
元のファイル: {name}
隔離ID: {qid}
日時: {when}
心当たりがある場合は、情報システム部門（セキュリティ担当）にお問い合わせください。

This file was quarantined because it may contain a Japanese Individual Number
(My Number). Original file: {name}  Quarantine ID: {qid}  Time: {when}
Please contact your IT security team if you need it back.
"""


class QuarantineError(Exception):
    """A quarantine operation that cannot be done safely; the message says why."""


@dataclass(frozen=True, slots=True)
class QuarantineOptions:
    """How files are quarantined."""

    directory: Path
    stub: bool = True
    """Leave a stub file explaining what happened (Japanese and English) next to the original path."""
    share_mode: str = "rename"
    """A share's file: ``rename`` it into its share's quarantine folder, or ``copy`` it out into
    ``directory`` (hash verified) and then delete it on the share."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        while chunk := f.read(COPY_BYTES):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_exact(src: Path, dst: Path, st: os.stat_result) -> None:
    """Copy bytes, mode, owner and times to a new ``dst`` (never overwriting), fsynced."""
    fin = os.open(src, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        fout = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            while chunk := os.read(fin, COPY_BYTES):
                os.write(fout, chunk)
            os.fsync(fout)
        finally:
            os.close(fout)
    finally:
        os.close(fin)
    _restore_metadata(dst, st)


def _restore_metadata(path: Path, st: os.stat_result | dict[str, Any]) -> None:
    get = (lambda k: st[k]) if isinstance(st, dict) else (lambda k: getattr(st, "st_" + k))
    try:
        os.chown(path, get("uid"), get("gid"), follow_symlinks=False)
    except PermissionError:
        pass  # not root: the owner cannot be kept, the bytes and mode still are
    os.chmod(path, stat.S_IMODE(get("mode")), follow_symlinks=False)
    os.utime(path, ns=(get("atime_ns"), get("mtime_ns")), follow_symlinks=False)


def _not_stored(qid: str, entry: dict[str, Any] | None) -> QuarantineError:
    return QuarantineError(_("quarantine entry {id} is {state}, not stored").format(
        id=qid, state=entry["state"] if entry else _("unknown")))


def _move(src: Path, dst: Path, st: os.stat_result) -> None:
    """Move without following links or overwriting; atomic on one filesystem, copy+fsync+unlink across."""
    if dst.exists():
        raise QuarantineError(_("target exists"))
    try:
        os.link(src, dst, follow_symlinks=False)  # fails instead of overwriting
        os.unlink(src)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK):
            raise
        tmp = dst.with_name(dst.name + ".part")
        _copy_exact(src, tmp, st)
        os.rename(tmp, dst)
        _fsync_dir(dst.parent)
        os.unlink(src)
    _fsync_dir(dst.parent)
    _fsync_dir(src.parent)


class QuarantineStore:
    """Files taken out of reach, with their manifest in the state database."""

    def __init__(self, options: QuarantineOptions, db: StateDB, smb: SmbCredentials | None = None) -> None:
        """``smb``: who logs on to shares, for files on ``smb://`` watches (moved within their share)."""
        self.options = options
        self.db = db
        self.smb = smb
        self.files = options.directory / STORE_DIR
        self.files.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(options.directory, 0o700)

    def _stored(self, qid: str, entry: dict[str, Any] | None = None) -> Path:
        """Where a quarantined file is kept: as the manifest says (the store may have been
        configured elsewhere since), else in this store."""
        if entry is not None and entry.get("stored_path"):
            return Path(entry["stored_path"])
        return self.files / qid

    def resolve(self, id_or_prefix: str) -> str:
        """The full id of an entry given by its id or a unique prefix of it (as git takes hashes)."""
        ids = self.db.quarantine_ids(id_or_prefix)
        if not ids:
            raise QuarantineError(_("no quarantine entry {id}").format(id=id_or_prefix))
        if len(ids) > 1:
            raise QuarantineError(_("{id} is ambiguous: {count} entries start with it; give more of the id").format(
                id=id_or_prefix, count=len(ids)))
        return ids[0]

    def _client(self) -> SmbClient:
        return client_for(self.smb or SmbCredentials())

    def _quarantine_on_share(self, url: str, reasons: list[dict[str, Any]]) -> str:
        client, src, qid = self._client(), parse_smb_url(url), uuid.uuid4().hex
        try:
            entry = share_quarantine.manifest_entry(client, src, qid, json.dumps(reasons, ensure_ascii=False))
        except share_quarantine.ShareQuarantineError as exc:
            raise QuarantineError(str(exc)) from None
        if self.options.share_mode == "copy":
            entry["stored_path"] = str(self._stored(qid))
        self.db.quarantine_add(entry)
        if self.options.share_mode == "copy":
            try:
                share_quarantine.copy_out(client, src, self._stored(qid), entry["sha256"])
            except share_quarantine.ShareQuarantineError as exc:
                self.db.quarantine_update(qid, state="aborted")
                raise QuarantineError(str(exc)) from None
            client.remove(src)
        else:
            share_quarantine.move_in(client, src, parse_smb_url(entry["stored_path"]))
        when = time.strftime("%Y-%m-%d %H:%M:%S %z")
        stub = share_quarantine.write_stub(client, src, STUB_TEXT.format(name=shown_name(src.name), qid=qid, when=when),
                                           STUB_SUFFIX) if self.options.stub else None
        self.db.quarantine_update(qid, state="stored", stub_path=stub)
        return qid

    def quarantine(self, path: str, reasons: list[dict[str, Any]]) -> str:
        """Move ``path`` into quarantine (a share's file: into its share's quarantine folder);
        returns the quarantine id."""
        if is_smb_url(path):
            return self._quarantine_on_share(path, reasons)
        src = Path(path)
        st = os.lstat(src)
        if not stat.S_ISREG(st.st_mode):
            raise QuarantineError(_("not a regular file (symlinks are never followed)"))
        qid = uuid.uuid4().hex
        self.db.quarantine_add(
            {
                "id": qid, "original_path": str(src), "state": "moving", "quarantined_at": time.time(),
                "size": st.st_size, "mode": st.st_mode, "uid": st.st_uid, "gid": st.st_gid,
                "atime_ns": st.st_atime_ns, "mtime_ns": st.st_mtime_ns, "sha256": _sha256(src),
                "reasons": json.dumps(reasons, ensure_ascii=False), "stub_path": None,
                "stored_path": str(self._stored(qid)),
            }
        )
        _move(src, self._stored(qid), st)
        stub = self._write_stub(src, qid) if self.options.stub else None
        self.db.quarantine_update(qid, state="stored", stub_path=str(stub) if stub else None)
        return qid

    def _write_stub(self, src: Path, qid: str) -> Path | None:
        stub = src.with_name(src.name + STUB_SUFFIX)
        # the name as outputs show it: a CP932 name is escaped, a number in it masked
        text = STUB_TEXT.format(name=shown_name(src.name), qid=qid, when=time.strftime("%Y-%m-%d %H:%M:%S %z"))
        try:
            fd = os.open(stub, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        except OSError:
            return None  # a stub is a courtesy; never overwrite anything for it
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return stub

    def restore(self, qid: str, to: Path | None = None) -> str:
        """Put a quarantined file back, bytes and metadata exact; returns its path. ``to``
        restores it elsewhere (a new path, never an existing one) and leaves the stub."""
        qid = self.resolve(qid)
        entry = self.db.quarantine_get(qid)
        if entry is None or entry["state"] != "stored":
            raise _not_stored(qid, entry)
        if is_smb_url(entry["original_path"]):
            return self._restore_on_share(qid, entry, to)
        target = Path(to) if to is not None else Path(entry["original_path"])
        stored = self._stored(qid, entry)
        if not os.path.lexists(stored):
            raise QuarantineError(_("the quarantined file of {id} is missing from {directory}").format(
                id=qid, directory=stored.parent))
        if os.path.lexists(target):
            raise QuarantineError(_("something already exists at the target path; not overwriting (use --to PATH)"))
        stub = entry.get("stub_path")
        if to is None and stub and os.path.lexists(stub):
            os.unlink(stub)
        target.parent.mkdir(parents=True, exist_ok=True)
        _move(stored, target, os.lstat(stored))
        _restore_metadata(target, entry)
        # a copy restored elsewhere is not "released" at the original path: the same bytes there are taken again
        self.db.quarantine_update(qid, state="restored" if to is None else "restored_elsewhere")
        return str(target)

    def _restore_on_share(self, qid: str, entry: dict[str, Any], to: str | Path | None) -> str:
        client = self._client()
        target = parse_smb_url(str(to) if to is not None else entry["original_path"])
        stored = entry["stored_path"]
        try:
            if is_smb_url(stored):
                share_quarantine.move_back(client, parse_smb_url(stored), target)
            else:
                share_quarantine.copy_back(client, Path(stored), target)
                os.unlink(stored)
        except share_quarantine.ShareQuarantineError as exc:
            raise QuarantineError(str(exc)) from None
        stub = entry.get("stub_path")
        if to is None and stub:
            try:
                client.remove(parse_smb_url(stub))
            except FileNotFoundError:
                pass
        self.db.quarantine_update(qid, state="restored" if to is None else "restored_elsewhere")
        return target.url

    def released(self, path: str, digest: str | None = None) -> bool:
        """True when an operator restored this very content to this path: it is not taken again."""
        if digest is None:
            try:
                digest = (share_quarantine.share_digest(self._client(), parse_smb_url(path)) if is_smb_url(path)
                          else _sha256(Path(path)))
            except OSError:
                return False
        return self.db.quarantine_released(path, digest)

    def purge(self, qid: str) -> str:
        """Delete a quarantined file for good; returns the full id."""
        qid = self.resolve(qid)
        entry = self.db.quarantine_get(qid)
        if entry is None or entry["state"] != "stored":
            raise _not_stored(qid, entry)
        if is_smb_url(entry.get("stored_path") or ""):
            try:
                self._client().remove(parse_smb_url(entry["stored_path"]))
            except FileNotFoundError:
                pass
            self.db.quarantine_update(qid, state="purged")
            return qid
        stored = self._stored(qid, entry)
        if os.path.lexists(stored):
            os.unlink(stored)
            _fsync_dir(stored.parent)
        self.db.quarantine_update(qid, state="purged")
        return qid

    def recover(self) -> list[str]:
        """Finish or undo moves a crash interrupted; returns the ids touched."""
        touched = []
        for entry in self.db.quarantine_list(("moving",)):
            qid = entry["id"]
            if is_smb_url(entry.get("original_path") or ""):
                try:
                    self.db.quarantine_update(qid, state=share_quarantine.recover_move(self._client(), entry))
                except (OSError, ValueError):
                    continue  # the share is out of reach: finished at the next start
                touched.append(qid)
                continue
            stored, original = self._stored(qid, entry), Path(entry["original_path"])
            part = stored.with_name(stored.name + ".part")
            if part.exists():
                os.unlink(part)  # an unfinished copy: the original is still whole
            if stored.exists() and os.path.lexists(original):
                # copied and renamed, not yet unlinked: keep the original, drop the copy
                os.unlink(stored)
                self.db.quarantine_update(qid, state="aborted")
            elif stored.exists():
                self.db.quarantine_update(qid, state="stored")
            else:
                self.db.quarantine_update(qid, state="aborted")
            touched.append(qid)
        return touched
