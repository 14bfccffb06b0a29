"""One watched directory (``[[serve.watch]]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, PlainValidator
from pydantic_core import PydanticCustomError

from scanner.actions.policy import Policy
from scanner.schema import Duration, Seq, StrictModel
from scanner.schema.types import _to_path
from scanner.sources.smb.location import SmbLocation, SmbUrlError, is_smb_url, parse_smb_url


def _watch_path(value: Any) -> Path | SmbLocation:
    if isinstance(value, (Path, SmbLocation)):
        return value
    if isinstance(value, str) and is_smb_url(value):
        try:
            return parse_smb_url(value)
        except SmbUrlError as exc:
            raise PydanticCustomError("smb_url", "{why}", {"why": str(exc)}) from None
    return _to_path(value)


WatchPath = Annotated[Path | SmbLocation, PlainValidator(_watch_path),
                      PlainSerializer(lambda v: v.url if isinstance(v, SmbLocation) else str(v), when_used="json")]
"""A local directory (``~`` is the user's home), or a share's ``smb://[user@]server[:port]/share/dir``."""


class WatchSpec(StrictModel):
    """One watched directory."""

    path: WatchPath
    """The directory; created when missing (on a local disk), or a share's ``smb://`` URL."""
    name: str = Field(min_length=1)
    """Label in metrics and alerts (never the path); ``watch<N>`` in a file that gives none."""
    poll: Duration = Field(0.0, ge=0)
    """Seconds between polls; 0 uses inotify (local disks). Network mounts need polling."""
    exclude: Seq[str] = ()
    """Glob patterns of files and directories not watched or scanned."""
    policy: Policy | None = None
    """This source's own policy (``[serve.watch.policy]``, over the global ``[policy]``); None uses the global one."""

    @property
    def share(self) -> SmbLocation | None:
        """The share watched over SMB (change notification, no mount); None for a local directory."""
        return self.path if isinstance(self.path, SmbLocation) else None

    @property
    def local(self) -> Path | None:
        """The local directory watched (inotify or polling); None for a share."""
        return self.path if isinstance(self.path, Path) else None
