"""The one place that talks to an SMB server: logon, listing, stat, open (smbprotocol's smbclient).

Sessions live in a connection cache per process: smbclient keeps a receiving thread per
connection, and a connection inherited through fork() would share its socket with the parent,
so a forked worker opens its own. File errors are OSError (smbclient's ``SMBOSError`` carries
the errno), so callers treat a share like a local disk; logon and connection failures become
:class:`SmbLogonError`, one line naming the server and what to fix.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
from dataclasses import dataclass
from typing import Any

from scanner.i18n import _
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import SmbLocation

SMB_CONNECT_TIMEOUT = 10.0
"""Seconds to reach a server before giving up (smbclient's default of 60 hides a typo for a minute)."""
FILE_ATTRIBUTE_DIRECTORY = 0x10
FILE_ATTRIBUTE_REPARSE_POINT = 0x400
"""A symbolic link or junction on the share: like local links, not followed."""


class SmbLogonError(ConnectionError):
    """The server cannot be reached or refuses the logon; the message is one line."""


@dataclass(frozen=True, slots=True)
class SmbEntry:
    """What a directory listing or a stat says about one entry."""

    location: SmbLocation
    is_dir: bool
    is_link: bool
    size: int
    mtime_ns: int
    file_id: int
    """The server's file id (stable across renames on the share: the incremental state's key)."""


def _ns(value: dt.datetime) -> int:
    return int(value.timestamp()) * 1_000_000_000 + value.microsecond * 1000


class SmbClient:
    """Logs on to servers with one set of credentials and reads their shares."""

    def __init__(self, credentials: SmbCredentials, timeout: float = SMB_CONNECT_TIMEOUT) -> None:
        self.credentials = credentials
        self.timeout = timeout
        self._caches: dict[int, dict[str, Any]] = {}

    def _cache(self) -> dict[str, Any]:
        return self._caches.setdefault(os.getpid(), {})

    def _kwargs(self, loc: SmbLocation) -> dict[str, Any]:
        return {"port": loc.port, "username": self.credentials.logon_name(loc.user),
                "password": self.credentials.password, "connection_cache": self._cache(),
                "connection_timeout": self.timeout}

    def logon(self, loc: SmbLocation) -> None:
        """Log on to ``loc``'s server and check its share exists: SmbLogonError (one line) when not."""
        try:
            import smbclient
            from smbprotocol.exceptions import SMBAuthenticationError, SMBException, SMBResponseException
        except ImportError:
            raise SmbLogonError(_("smb:// paths need smbprotocol: pip install 'mynumber-dlp[smb]'")) from None

        kwargs = self._kwargs(loc)
        try:
            smbclient.register_session(loc.server, **kwargs)
        except (SMBAuthenticationError, SMBResponseException) as exc:
            raise SmbLogonError(_("cannot log on to {server} as {user}: wrong user name or password, or the user "
                                  "may not log on ({status})").format(
                server=loc.server, user=kwargs["username"] or _("(Kerberos ticket)"),
                status=type(exc).__name__)) from None
        except (ValueError, OSError, SMBException) as exc:
            raise SmbLogonError(_("cannot reach SMB server {server} port {port}: {why}").format(
                server=loc.server, port=loc.port, why=_reason(exc))) from None
        try:
            self.stat(SmbLocation(loc.server, loc.share, "", loc.port, loc.user))
        except OSError as exc:
            raise SmbLogonError(_("{url}: share {share} cannot be opened: {why}").format(
                url=loc.url, share=loc.share, why=exc.strerror or type(exc).__name__)) from None

    def stat(self, loc: SmbLocation) -> SmbEntry:
        """The entry at ``loc`` (links not followed); OSError when it cannot be read."""
        import smbclient

        st = smbclient.lstat(loc.unc, **self._kwargs(loc))
        return SmbEntry(loc, stat.S_ISDIR(st.st_mode), bool(st.st_file_attributes & FILE_ATTRIBUTE_REPARSE_POINT),
                        st.st_size, st.st_mtime_ns, st.st_ino)

    def scandir(self, loc: SmbLocation) -> list[SmbEntry]:
        """The entries of the directory ``loc``, by name; OSError when it cannot be listed."""
        import smbclient

        out = []
        for entry in smbclient.scandir(loc.unc, **self._kwargs(loc)):
            info = entry.smb_info
            out.append(SmbEntry(loc.child(entry.name), bool(info.file_attributes & FILE_ATTRIBUTE_DIRECTORY),
                                bool(info.file_attributes & FILE_ATTRIBUTE_REPARSE_POINT), info.end_of_file,
                                _ns(info.last_write_time), info.file_id))
        return sorted(out, key=lambda e: e.location.name)

    def open(self, loc: SmbLocation) -> io.BufferedReader:
        """The file at ``loc`` open for reading (buffered, seekable); OSError when it cannot be opened."""
        import smbclient

        handle: io.BufferedReader = smbclient.open_file(loc.unc, mode="rb", share_access="rwd", **self._kwargs(loc))
        return handle

    def close(self) -> None:
        """Log off every session this process opened."""
        import smbclient

        cache = self._caches.pop(os.getpid(), None)
        if cache:
            smbclient.reset_connection_cache(connection_cache=cache)


def _reason(exc: BaseException) -> str:
    """A connection failure's cause in a few words (smbprotocol wraps socket errors in ValueError)."""
    cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


_clients: dict[SmbCredentials, SmbClient] = {}


def client_for(credentials: SmbCredentials) -> SmbClient:
    """The client of this process for ``credentials`` (one per set, its sessions reused across files)."""
    return _clients.setdefault(credentials, SmbClient(credentials))


def close_clients() -> None:
    """Log off every session of this process (and so end smbclient's threads: fork() is safe after)."""
    for client in list(_clients.values()):
        client.close()
