"""Change notification on a share (SMB2 CHANGE_NOTIFY): the SMB counterpart of inotify.

One directory handle on the watch's root stays open with a tree-wide notify request on it;
a request is answered once, so it is sent again after every answer (the server buffers what
happens in between against the open handle). Files added, written or renamed into the tree
are marked; a new directory is walked (files made before the notify saw it); an answer with
no entries (the server's buffer overflowed: STATUS_NOTIFY_ENUM_DIR) asks for a rescan. A lost
connection is retried with backoff and, once back, asks for a rescan too: what happened while
the share was away is found by the reconcile walk.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from scanner.i18n import _
from scanner.sources.smb.client import SmbClient
from scanner.sources.smb.location import SmbLocation

log = logging.getLogger("mynumber_dlp.watch")

NOTIFY_POLL = 0.5
"""Seconds between looks at the stop flag while a notify request is pending."""
RETRY_FIRST, RETRY_MAX = 1.0, 30.0
"""Backoff, in seconds, between attempts to reach a share that went away."""
NOTIFY_BUFFER = 65536
"""Bytes of change records the server may send in one answer (more: it says "overflow")."""
ADDED, REMOVED, MODIFIED, RENAMED_OLD, RENAMED_NEW = 1, 2, 3, 4, 5
"""FILE_NOTIFY_INFORMATION actions ([MS-FSCC] 2.7.1)."""
WATCH_TREE = 0x0001
CHANGES = 0x01 | 0x02 | 0x08 | 0x10 | 0x40
"""File names, directory names, sizes, last writes, creations ([MS-SMB2] 2.2.35)."""


class ShareWatcher:
    """A thread turning a share's change notifications into calls to the daemon's file watch."""

    def __init__(
        self, client: SmbClient, root: SmbLocation, stop: threading.Event, *, on_change: Callable[[str], None],
        on_new_dir: Callable[[str], None], on_lost: Callable[[], None],
    ) -> None:
        """``on_change(url)`` for a file added or written, ``on_new_dir(url)`` for a directory made or
        moved in, ``on_lost()`` when events may have been missed (overflow, reconnection)."""
        self.client, self.root, self._stop = client, root, stop
        self._on_change, self._on_new_dir, self._on_lost = on_change, on_new_dir, on_lost
        self.connected = threading.Event()
        """Set while a notify request is armed on the share."""
        self._thread = threading.Thread(target=self._run, name=f"smb-notify {root.url}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        delay, lost = RETRY_FIRST, False
        while not self._stop.is_set():
            try:
                self._watch(rescan_first=lost)
                return
            except Exception as exc:  # noqa: BLE001 - smbprotocol's errors are many; the watch must go on
                if self.connected.is_set():
                    delay = RETRY_FIRST  # it was up: a new outage starts the backoff again
                self.connected.clear()
                if self._stop.is_set():
                    return
                log.warning(_("share %s: change notification lost (%s); trying again in %.0f s"),
                            self.root.url, type(exc).__name__, delay)
                self.client.forget_server(self.root)
                lost = True
                self._stop.wait(delay)
                delay = min(delay * 2, RETRY_MAX)

    def _watch(self, rescan_first: bool) -> None:
        from smbprotocol.change_notify import FileSystemWatcher
        from smbprotocol.exceptions import NotifyEnumDir

        handle = self.client.open_dir(self.root)
        try:
            if rescan_first:
                log.info(_("share %s is back: walking it for what changed meanwhile"), self.root.url)
                self._on_lost()
            while not self._stop.is_set():
                watcher = FileSystemWatcher(handle.fd)
                watcher.start(CHANGES, flags=WATCH_TREE, output_buffer_length=NOTIFY_BUFFER)
                self.connected.set()
                while not watcher.response_event.wait(NOTIFY_POLL):
                    if self._stop.is_set():
                        watcher.cancel()
                        return
                try:
                    changes = watcher.result
                except NotifyEnumDir:
                    changes = []
                self._dispatch(changes or [])
        finally:
            try:
                handle.close()
            except Exception:  # noqa: BLE001 - the connection may be gone already
                pass

    def _dispatch(self, changes: list[Any]) -> None:
        names = [(c["action"].get_value(), c["file_name"].get_value()) for c in changes]
        if not names or any(not name for _action, name in names):
            self._on_lost()  # the server's buffer overflowed: what changed is not known
            return
        for action, name in names:
            if action in (REMOVED, RENAMED_OLD):
                continue  # gone: the state forgets it at the next walk
            loc = self.root
            for part in name.replace("\\", "/").split("/"):
                loc = loc.child(part)
            if action in (ADDED, RENAMED_NEW):
                try:
                    is_dir = self.client.stat(loc).is_dir
                except OSError:
                    continue  # gone again already
                if is_dir:
                    self._on_new_dir(loc.url)
                    continue
            self._on_change(loc.url)
