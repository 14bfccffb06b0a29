"""What tells a changed file from an unchanged one, wherever it lives: a local path's lstat, a
share's listing (the server's file id in place of the inode)."""

from __future__ import annotations

import os
import stat
import zlib

from scanner.sources.smb.client import SmbEntry, client_for
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import SmbLocation, is_smb_url, parse_smb_url
from scanner.state import FileIdentity


def share_device(loc: SmbLocation) -> int:
    """A stable number for a server's share, standing in for st_dev."""
    return zlib.crc32(f"{loc.server}:{loc.port}/{loc.share}".lower().encode())


def share_identity(entry: SmbEntry) -> FileIdentity:
    """The identity of a file on a share, from a listing or a stat."""
    return FileIdentity(share_device(entry.location), entry.file_id, entry.size, entry.mtime_ns)


def identity_of(path: str, smb: SmbCredentials | None) -> tuple[FileIdentity, bool]:
    """(identity, whether it is a regular file) of a local path (not following links) or a
    share's ``smb://`` URL; FileNotFoundError when it is gone, OSError when it cannot be asked."""
    if is_smb_url(path):
        entry = client_for(smb or SmbCredentials()).stat(parse_smb_url(path))
        return share_identity(entry), not (entry.is_dir or entry.is_link)
    st = os.lstat(path)
    return FileIdentity.of(st), stat.S_ISREG(st.st_mode)
