"""Where on a share: ``smb://[user@]server[:port]/share/dir/file``.

Paths in records are these URLs without the user (``smb://fs01/人事/名簿.xlsx``): a path a
person can paste, that names the server and the share, and never holds a password.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from scanner.i18n import _

SMB_SCHEME = "smb://"
SMB_PORT = 445
"""SMB over TCP (direct hosting); a URL may name another port."""


class SmbUrlError(ValueError):
    """A ``smb://`` URL that does not name a server and a share."""


@dataclass(frozen=True, slots=True)
class SmbLocation:
    """A server, a share and a path inside it (``/``-separated, no leading slash; ``""`` = the share's root)."""

    server: str
    share: str
    path: str = ""
    port: int = SMB_PORT
    user: str | None = None
    """The user named in the URL (``smb://kato@fs01/...``); credentials may name one too."""

    def __str__(self) -> str:
        return self.url

    @property
    def url(self) -> str:
        """The URL records show: no user, the port only when it is not 445."""
        port = f":{self.port}" if self.port != SMB_PORT else ""
        tail = f"/{self.path}" if self.path else ""
        return f"{SMB_SCHEME}{self.server}{port}/{self.share}{tail}"

    @property
    def unc(self) -> str:
        r"""The UNC path smbclient takes: ``\\server\share\dir\file``."""
        tail = "\\" + self.path.replace("/", "\\") if self.path else ""
        return f"\\\\{self.server}\\{self.share}{tail}"

    @property
    def name(self) -> str:
        """The last component of the path (the share's name at its root)."""
        return self.path.rsplit("/", 1)[-1] if self.path else self.share

    def child(self, name: str) -> SmbLocation:
        """The entry ``name`` inside this directory."""
        return replace(self, path=f"{self.path}/{name}" if self.path else name)

    def parent(self) -> SmbLocation:
        """The directory holding this entry (the share's root for an entry at the root)."""
        return replace(self, path=self.path.rsplit("/", 1)[0] if "/" in self.path else "")

    def relative_to(self, root: SmbLocation) -> str:
        """This path below ``root`` (``a/b.txt``)."""
        return self.path[len(root.path):].lstrip("/") if root.path else self.path


def is_smb_url(text: str) -> bool:
    """True for ``smb://...`` (any case of the scheme)."""
    return text[: len(SMB_SCHEME)].lower() == SMB_SCHEME


def parse_smb_url(text: str) -> SmbLocation:
    """``smb://[user@]server[:port]/share[/dir...]`` -> :class:`SmbLocation`; SmbUrlError when it
    names no server or no share, or carries a password (``user:pw@``: it would sit in shell
    histories and process lists; use a credentials file or the environment)."""
    parts = urlsplit(text)
    if parts.scheme.lower() != "smb":
        raise SmbUrlError(_("{url}: an SMB URL starts with smb://").format(url=text))
    if parts.password is not None:
        raise SmbUrlError(_("{url}: put no password in the URL; use a credentials file or "
                            "MYNUMBER_DLP_SMB_PASSWORD").format(url=_safe(text)))
    try:
        port = parts.port or SMB_PORT
    except ValueError:
        raise SmbUrlError(_("{url}: the port is not a number").format(url=text)) from None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if not parts.hostname or not segments:
        raise SmbUrlError(_("{url}: an SMB URL names a server and a share: smb://server/share/dir").format(url=text))
    if any(s in (".", "..") for s in segments):
        raise SmbUrlError(_("{url}: . and .. are not allowed in an SMB path").format(url=text))
    return SmbLocation(server=parts.hostname, share=segments[0], path="/".join(segments[1:]), port=port,
                       user=unquote(parts.username) if parts.username else None)


def _safe(text: str) -> str:
    """``text`` with a password in its user part replaced by ``***``."""
    head, sep, tail = text.partition("@")
    if not sep or ":" not in head[len(SMB_SCHEME):]:
        return text
    user = head[len(SMB_SCHEME):].split(":", 1)[0]
    return f"{SMB_SCHEME}{user}:***@{tail}"
