"""The daemon's own files, which it must never scan, and layouts that would hide a share.

Protected are exactly: the state directory, the quarantine directory, and the alert log
*file* (with its rotated copies). Not the log's directory: with ``/x/alerts.jsonl`` and a
watch on ``/x/share`` the share is a sibling, and must be scanned.

A layout where a protected directory contains a watched tree would silently scan nothing,
so it is refused at start and by ``config check``; a watch that contains a protected
directory is fine (that directory is skipped) and only noted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from scanner.actions.quarantine import STUB_SUFFIX
from scanner.actions.share_quarantine import in_store
from scanner.i18n import _
from scanner.sources.smb.location import is_smb_url


def _real(path: Path | str) -> str:
    return os.path.realpath(path)


def _inside(path: str, directory: str) -> bool:
    """True when ``path`` is ``directory`` or below it (both real, absolute)."""
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


@dataclass(frozen=True, slots=True)
class ProtectedPaths:
    """What a daemon with this layout never scans."""

    directories: tuple[str, ...]
    """Real paths of the state and quarantine directories."""
    log_file: str | None
    """Real path of the alert log; its rotations are ``<log>.1`` ... ``<log>.N``."""

    @classmethod
    def of(cls, state_dir: Path, quarantine_dir: Path | None, alert_log: Path | None) -> ProtectedPaths:
        dirs = tuple(_real(d) for d in (state_dir, quarantine_dir) if d is not None)
        return cls(dirs, _real(alert_log) if alert_log is not None else None)

    def accepts(self, path: str) -> bool:
        """False for our own state, quarantine and log files, and for quarantine stubs."""
        if path.endswith(STUB_SUFFIX):
            return False
        if is_smb_url(path):
            return not in_store(path)  # a share's own quarantine folder; nothing local lives on a share
        real = _real(path)
        if any(_inside(real, d) for d in self.directories):
            return False
        if self.log_file is not None and (real == self.log_file or _is_rotation(real, self.log_file)):
            return False
        return True

    def check_watches(self, watches: list[Path]) -> tuple[list[str], list[str]]:
        """(errors, notes) for a set of watched directories: a watch inside a protected directory
        would scan nothing (an error); a protected directory inside a watch is skipped (a note)."""
        errors, notes = [], []
        for watch in watches:
            real = _real(watch)
            for d in self.directories:
                if _inside(real, d):
                    errors.append(_("watch {watch} is inside the daemon's own directory {directory}, which is never "
                                    "scanned; move the state/quarantine directory out of the share or watch another "
                                    "directory").format(watch=watch, directory=d))
                elif _inside(d, real):
                    notes.append(_("{directory} is inside watch {watch}; it is skipped").format(
                        directory=d, watch=watch))
            if self.log_file is not None and _inside(self.log_file, real):
                notes.append(_("alert log {path} is inside watch {watch}; it is skipped").format(
                    path=self.log_file, watch=watch))
        return errors, notes


class LayoutError(ValueError):
    """A watch lies inside the daemon's own directories: nothing in it would ever be scanned."""


def check_layout(
    state_dir: Path, quarantine_dir: Path | None, alert_log: Path | None, watches: list[Path]
) -> list[str]:
    """Raise LayoutError for a layout that would scan nothing; return notes on what is skipped."""
    errors, notes = ProtectedPaths.of(state_dir, quarantine_dir, alert_log).check_watches(watches)
    if errors:
        raise LayoutError("; ".join(errors))
    return notes


def _is_rotation(path: str, log_file: str) -> bool:
    suffix = path[len(log_file) + 1:] if path.startswith(log_file + ".") else ""
    return suffix.isdigit()
