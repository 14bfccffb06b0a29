"""Who logs on to a share: a credentials file (mount.cifs's format, mode 0600) or the environment.

A file holds ``username=``, ``password=`` and optionally ``domain=`` lines (``#`` comments);
it is refused when group or others may read it, as ssh refuses a readable key. Without a file,
``MYNUMBER_DLP_SMB_USER`` and ``MYNUMBER_DLP_SMB_PASSWORD`` are used; with neither, the logon is
left to Negotiate, which uses Kerberos when pyspnego finds a ticket (``kinit``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scanner.i18n import _, os_error_text

USER_ENV = "MYNUMBER_DLP_SMB_USER"
PASSWORD_ENV = "MYNUMBER_DLP_SMB_PASSWORD"
CREDENTIALS_ENV = "MYNUMBER_DLP_SMB_CREDENTIALS"
"""A credentials file named by the environment (when no option or config key names one)."""
CREDENTIAL_KEYS = ("username", "password", "domain")


class CredentialsError(ValueError):
    """A credentials file that cannot be used (unreadable, readable by others, malformed)."""


@dataclass(frozen=True, slots=True)
class SmbCredentials:
    """A user and password for NTLM, or nothing (Kerberos, from a ticket)."""

    username: str | None = None
    password: str | None = field(default=None, repr=False)
    """Never printed: the dataclass's repr leaves it out."""
    domain: str | None = None

    def logon_name(self, url_user: str | None = None) -> str | None:
        """``DOMAIN\\user`` as smbprotocol takes it; a user named in the URL comes first."""
        user = url_user or self.username
        return f"{self.domain}\\{user}" if user and self.domain and "\\" not in user else user


def read_credentials_file(path: Path) -> SmbCredentials:
    """Parse a mount.cifs credentials file; CredentialsError when it is readable by others or malformed."""
    try:
        st = os.stat(path)
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        why = os_error_text(exc) if isinstance(exc, OSError) else _("not UTF-8 text")
        raise CredentialsError(_("SMB credentials file {path}: cannot read: {why}").format(
            path=path, why=why)) from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(_("SMB credentials file {path} may be read by others (mode {mode:o}); "
                                 "chmod 600 it").format(path=path, mode=stat.S_IMODE(st.st_mode)))
    values: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip().lower()
        key = {"user": "username", "pass": "password", "dom": "domain", "workgroup": "domain"}.get(key, key)
        if not sep or key not in CREDENTIAL_KEYS:
            raise CredentialsError(_("SMB credentials file {path}:{line}: expected username=, password= or "
                                     "domain=").format(path=path, line=n))
        values[key] = value.strip()
    return SmbCredentials(values.get("username") or None, values.get("password"), values.get("domain") or None)


def find_credentials(file: Path | None = None, environ: Mapping[str, str] | None = None) -> SmbCredentials:
    """The credentials to log on with: ``file``, else the file ``MYNUMBER_DLP_SMB_CREDENTIALS``
    names, else ``MYNUMBER_DLP_SMB_USER``/``MYNUMBER_DLP_SMB_PASSWORD``, else none (Kerberos)."""
    env = os.environ if environ is None else environ
    path = file or (Path(env[CREDENTIALS_ENV]) if env.get(CREDENTIALS_ENV) else None)
    if path is not None:
        return read_credentials_file(path)
    return SmbCredentials(env.get(USER_ENV) or None, env.get(PASSWORD_ENV))
