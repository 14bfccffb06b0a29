"""One watched directory (``[[serve.watch]]``)."""

from __future__ import annotations

from pydantic import Field

from scanner.actions.policy import Policy
from scanner.schema import ConfigPath, Duration, Seq, StrictModel


class WatchSpec(StrictModel):
    """One watched directory."""

    path: ConfigPath
    """The directory; created when missing."""
    name: str = Field(min_length=1)
    """Label in metrics and alerts (never the path); ``watch<N>`` in a file that gives none."""
    poll: Duration = Field(0.0, ge=0)
    """Seconds between polls; 0 uses inotify (local disks). Network mounts need polling."""
    exclude: Seq[str] = ()
    """Glob patterns of files and directories not watched or scanned."""
    policy: Policy | None = None
    """This source's own policy (``[serve.watch.policy]``, over the global ``[policy]``); None uses the global one."""
