"""The one place that talks to an SMB server: logon, listing, stat, open (smbprotocol's smbclient).

Sessions live in a connection cache per process: smbclient keeps a receiving thread per
connection, and a connection inherited through fork() would share its socket with the parent,
so a forked worker opens its own. File errors are OSError (smbclient's ``SMBOSError`` carries
the errno), so callers treat a share like a local disk; logon and connection failures become
:class:`SmbLogonError`, one line naming the server and what to fix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scanner.i18n import _
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import SmbLocation

SMB_CONNECT_TIMEOUT = 10.0
"""Seconds to reach a server before giving up (smbclient's default of 60 hides a typo for a minute)."""
READ_BUFFER = 1 << 20
"""Bytes per SMB read: smbclient's default buffer (8 KiB) makes a request per 8 KiB, 3-4x slower."""
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
    """A write time in ns, to the microsecond: listings and opens give datetimes (µs), a stat gives
    100 ns ticks; every SMB time is cut to µs so the three agree on an unchanged file."""
    return int(value.timestamp()) * 1_000_000_000 + value.microsecond * 1000


class SmbClient:
    """Logs on to servers with one set of credentials and reads their shares."""

    def __init__(self, credentials: SmbCredentials, timeout: float = SMB_CONNECT_TIMEOUT) -> None:
        self.credentials = credentials
        self.timeout = timeout
        self._caches: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()  # smbclient's pool races when two threads set up one session

    def _cache(self) -> dict[str, Any]:
        return self._caches.setdefault(os.getpid(), {})

    def _base_kwargs(self, loc: SmbLocation) -> dict[str, Any]:
        return {"port": loc.port, "username": self.credentials.logon_name(loc.user),
                "password": self.credentials.password, "connection_cache": self._cache(),
                "connection_timeout": self.timeout}

    def _kwargs(self, loc: SmbLocation) -> dict[str, Any]:
        """smbclient's arguments for ``loc``, with the session set up first (under the lock)."""
        import smbclient

        kwargs = self._base_kwargs(loc)
        with self._lock, _as_os_errors():
            smbclient.register_session(loc.server, **kwargs)
        return kwargs

    def logon(self, loc: SmbLocation) -> None:
        """Log on to ``loc``'s server and check its share exists: SmbLogonError (one line) when not."""
        try:
            import smbclient
            from smbprotocol.exceptions import SMBAuthenticationError, SMBException, SMBResponseException
        except ImportError:
            raise SmbLogonError(_("smb:// paths need smbprotocol: pip install 'mynumber-dlp[smb]'")) from None

        kwargs = self._base_kwargs(loc)
        try:
            with self._lock:
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

        kwargs = self._kwargs(loc)
        with _as_os_errors():
            st = smbclient.lstat(loc.unc, **kwargs)
        return SmbEntry(loc, stat.S_ISDIR(st.st_mode), bool(st.st_file_attributes & FILE_ATTRIBUTE_REPARSE_POINT),
                        st.st_size, st.st_mtime_ns // 1000 * 1000, st.st_ino)

    def scandir(self, loc: SmbLocation) -> list[SmbEntry]:
        """The entries of the directory ``loc``, by name; OSError when it cannot be listed."""
        import smbclient

        out = []
        kwargs = self._kwargs(loc)
        with _as_os_errors():
            for entry in smbclient.scandir(loc.unc, **kwargs):
                info = entry.smb_info
                out.append(SmbEntry(loc.child(entry.name), bool(info.file_attributes & FILE_ATTRIBUTE_DIRECTORY),
                                    bool(info.file_attributes & FILE_ATTRIBUTE_REPARSE_POINT), info.end_of_file,
                                    _ns(info.last_write_time), info.file_id))
        return sorted(out, key=lambda e: e.location.name)

    def open(self, loc: SmbLocation) -> io.BufferedReader:
        """The file at ``loc`` open for reading (buffered, seekable); OSError when it cannot be opened."""
        import smbclient

        kwargs = self._kwargs(loc)
        with _as_os_errors():
            handle: io.BufferedReader = smbclient.open_file(loc.unc, mode="rb", share_access="rwd",
                                                            buffering=READ_BUFFER, **kwargs)
        return handle

    @staticmethod
    def opened_state(handle: io.BufferedReader) -> tuple[int, int]:
        """(size, write time in ns) of an open file, as the server said when it was opened (no round trip)."""
        fd = handle.raw.fd  # type: ignore[attr-defined]  # smbclient's SMBRawIO: its Open
        return fd.end_of_file, _ns(fd.last_write_time)

    def exists(self, loc: SmbLocation) -> bool:
        """Whether anything is at ``loc`` (False only when the server says it is not there)."""
        try:
            self.stat(loc)
        except FileNotFoundError:
            return False
        return True

    def rename(self, src: SmbLocation, dst: SmbLocation) -> None:
        """Rename on the server (atomic, within one share); never replaces an existing ``dst``."""
        import smbclient

        kwargs = self._kwargs(src)
        with _as_os_errors():
            smbclient.rename(src.unc, dst.unc, **kwargs)

    def remove(self, loc: SmbLocation) -> None:
        """Delete the file at ``loc``."""
        import smbclient

        kwargs = self._kwargs(loc)
        with _as_os_errors():
            smbclient.remove(loc.unc, **kwargs)

    def makedirs(self, loc: SmbLocation) -> None:
        """Create the directory ``loc`` and its parents (nothing when it exists)."""
        import smbclient

        kwargs = self._kwargs(loc)
        with _as_os_errors():
            smbclient.makedirs(loc.unc, exist_ok=True, **kwargs)

    def create(self, loc: SmbLocation, data: bytes) -> None:
        """Write a new file at ``loc``; FileExistsError when something is there (never overwrites)."""
        import smbclient

        kwargs = self._kwargs(loc)
        with _as_os_errors(), smbclient.open_file(loc.unc, mode="xb", **kwargs) as f:
            f.write(data)

    def open_dir(self, loc: SmbLocation) -> Any:
        """The directory ``loc`` held open (smbclient's SMBDirectoryIO), for change notification."""
        from smbclient._io import SMBDirectoryIO

        kwargs = self._kwargs(loc)
        with _as_os_errors():
            handle = SMBDirectoryIO(loc.unc, mode="r", share_access="rwd", **kwargs)
            handle.open()
        return handle

    def forget_server(self, loc: SmbLocation) -> None:
        """Drop this process's session to ``loc``'s server (after the connection broke: the next
        call connects afresh)."""
        import smbclient

        try:
            smbclient.delete_session(loc.server, loc.port, connection_cache=self._cache(), timeout=2)
        except Exception:  # noqa: BLE001 - it is broken already; the entry is gone from the cache either way
            pass

    def close(self) -> None:
        """Log off every session this process opened."""
        import smbclient

        cache = self._caches.pop(os.getpid(), None)
        if cache:
            smbclient.reset_connection_cache(connection_cache=cache)


@contextlib.contextmanager
def _as_os_errors() -> Iterator[None]:
    """smbprotocol's file errors as the OSError subclass of their errno, and its errors that are not
    OSError (a broken connection, a refused socket wrapped in ValueError, a protocol error) as
    ConnectionError: callers treat a share like a disk."""
    from smbprotocol.exceptions import SMBException, SMBOSError

    try:
        yield
    except SMBOSError as exc:
        # OSError(errno, ...) gives the subclass (FileNotFoundError, PermissionError ...) callers catch
        raise OSError(exc.errno, exc.strerror, exc.filename) from None
    except OSError:
        raise
    except (SMBException, ValueError) as exc:
        raise ConnectionError(_reason(exc)) from exc


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
