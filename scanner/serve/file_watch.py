"""File sources of the daemon: watchdog observers on each watch, a walk of every new
directory (files made before its watch existed), and the reconcile walk that catches
what no event said (inotify overflows, network mounts, changes while stopped).

Every path found goes to the debouncer (owned here; the main loop takes quiet paths from
it); a FIFO, a symlink loop or an unreadable directory goes to ``on_unwalkable`` (alerted
once). Our own files are never queued.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from scanner.config import WatchSpec
from scanner.i18n import _
from scanner.serve.defaults import MESSAGE_STATE_MAX_AGE, OBSERVER_JOIN_TIMEOUT
from scanner.serve.metrics import Metrics
from scanner.serve.runtime import Runtime
from scanner.sources.identity import identity_of, share_identity
from scanner.sources.smb.client import SmbClient, client_for
from scanner.sources.smb.credentials import SmbCredentials
from scanner.sources.smb.location import SmbLocation, is_smb_url, parse_smb_url
from scanner.sources.smb.walk import share_entries
from scanner.sources.smb.watcher import ShareWatcher
from scanner.sources.walk import Unwalkable
from scanner.sources.watch import Debouncer, EventHandler, files_under, on_events_lost, start_observer
from scanner.state import FileIdentity, StateDB

log = logging.getLogger("mynumber_dlp")

OnUnwalkable = Callable[[Runtime, Unwalkable, str], None]
"""Told of a FIFO, symlink loop or unreadable directory met in a watch (runtime, item, watch name)."""


class FileWatch:
    """Observers plus the reconcile thread, feeding one debouncer."""

    def __init__(self, runtime: Callable[[], Runtime], db: StateDB, metrics: Metrics, stop: threading.Event) -> None:
        self._runtime, self.db, self.metrics, self._stop = runtime, db, metrics, stop
        cfg = runtime().config
        self.debouncer = Debouncer(cfg.debounce_quiet, cfg.debounce_max_wait, cfg.queue_size, self._overflowed)
        """Paths waiting to be quiet; the main loop takes them in batches."""
        self.reconcile_now = threading.Event()
        """Set to walk every watch again at once (after a reload, an event overflow)."""
        self.ready = False
        """True once the first reconcile is done (/readyz)."""
        self._observers: list = []
        self._share_watchers: list[ShareWatcher] = []
        self._stop_listening: Callable[[], None] = lambda: None
        self._on_unwalkable: OnUnwalkable = lambda _runtime, _item, _source: None

    def requeue(self, path: str, source: str) -> None:
        """Scan ``path`` again once it is quiet (it changed while it was read)."""
        self.debouncer.touch(path, source, closed=False)

    def start(self, on_unwalkable: OnUnwalkable) -> None:
        """Start the observers and the reconcile thread; unwalkable items go to ``on_unwalkable``."""
        self._on_unwalkable = on_unwalkable
        self._stop_listening = on_events_lost(self._overflowed)
        runtime = self._runtime()
        for w in runtime.config.watches:
            if w.share is not None:
                self._watch_share(runtime, w.share, w.name)
                continue
            assert w.local is not None
            w.local.mkdir(parents=True, exist_ok=True)
            handler = EventHandler(self.debouncer, w.name, self._accepts, self._new_dir)
            self._observers.append(start_observer(w.local, w.poll, handler))
            how = _("polling every {seconds} s").format(seconds=f"{w.poll:g}") if w.poll else "inotify"
            log.info(_("watching %s (%s)"), w.local, how)
        threading.Thread(target=self._reconcile_loop, name="reconcile", daemon=True).start()

    def _watch_share(self, runtime: Runtime, share: SmbLocation, source: str) -> None:
        """SMB change notification on ``share``; a new directory is walked, a lost connection or an
        overflow walks every watch (as an inotify overflow does)."""
        def changed(url: str) -> None:
            if self._accepts(url):
                self.debouncer.touch(url, source, closed=False)

        # a connection of its own: a pending notify request holds credits the other calls would wait for
        watcher = ShareWatcher(SmbClient(runtime.smb or SmbCredentials()), share, self._stop, on_change=changed,
                               on_new_dir=lambda url: self._new_dir(url, source), on_lost=self._overflowed)
        watcher.start()
        self._share_watchers.append(watcher)
        log.info(_("watching %s (%s)"), share.url, _("SMB change notification"))

    def stop(self) -> None:
        self._stop_listening()
        for ob in self._observers:
            ob.stop()
        for ob in self._observers:
            ob.join(timeout=OBSERVER_JOIN_TIMEOUT)
        for sw in self._share_watchers:
            sw.join(timeout=OBSERVER_JOIN_TIMEOUT)

    def _overflowed(self) -> None:
        """Events were dropped (the debouncer is full, or the kernel's inotify queue overflowed):
        count it and walk everything soon."""
        self.metrics.dropped.inc()
        self.reconcile_now.set()

    def _accepts(self, path: str) -> bool:
        return self._runtime().accepts(path)

    def _new_dir(self, path: str, source: str) -> None:
        threading.Thread(target=self._enqueue_tree, args=(path, source), daemon=True).start()

    def _enqueue_tree(self, root: str, source: str) -> None:
        for path in self._files_under(root, ()):
            if isinstance(path, Unwalkable):
                if self._accepts(path.path):
                    self._on_unwalkable(self._runtime(), path, source)
            elif self._accepts(path):
                self.debouncer.touch(path, source, closed=True)

    def _reconcile_loop(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            runtime = self._runtime()
            for w in runtime.config.watches:
                self._reconcile(runtime, w)
            self.metrics.last_reconcile.set(time.time())
            self.db.prune_messages(time.time() - MESSAGE_STATE_MAX_AGE)
            self.ready = True
            interval = runtime.config.reconcile_interval
            self.reconcile_now.wait(max(0.0, interval - (time.monotonic() - started)))
            self.reconcile_now.clear()

    def _files_under(self, root: str, exclude: tuple[str, ...]) -> Iterator[str | Unwalkable]:
        """Files under a local directory or a share's URL (what a new directory holds)."""
        if is_smb_url(root):
            smb = client_for(self._runtime().smb or SmbCredentials())
            for item in share_entries(smb, parse_smb_url(root), exclude):
                yield item if isinstance(item, Unwalkable) else item.location.url
        else:
            yield from files_under(Path(root), exclude)

    def _entries(self, runtime: Runtime, w: WatchSpec) -> Iterator[tuple[str, FileIdentity | None] | Unwalkable]:
        """(path, identity) of every file of a watch; a share's listing carries the identities."""
        if w.share is not None:
            smb = client_for(runtime.smb or SmbCredentials())
            for item in share_entries(smb, w.share, w.exclude):
                yield item if isinstance(item, Unwalkable) else (item.location.url, share_identity(item))
            return
        assert w.local is not None
        for path in files_under(w.local, w.exclude):
            if isinstance(path, Unwalkable):
                yield path
                continue
            try:
                yield path, FileIdentity.of(os.stat(path))
            except OSError:
                yield path, None

    def _reconcile(self, runtime: Runtime, w: WatchSpec) -> None:
        """Queue files that changed while no event said so, forget files that are gone."""
        seen = set()
        for item in self._entries(runtime, w):
            if self._stop.is_set():
                return
            if isinstance(item, Unwalkable):
                if runtime.accepts(item.path):
                    seen.add(item.path)
                    self._on_unwalkable(runtime, item, w.name)
                continue
            path, ident = item
            if not runtime.accepts(path):
                continue
            seen.add(path)
            if ident is not None and not self.db.unchanged(path, ident, runtime.ruleset):
                self.debouncer.touch(path, w.name, closed=True)
        for path in self.db.known_paths(str(w.path)):
            if path not in seen and self._gone(runtime, path):
                self.db.forget(path)

    def _gone(self, runtime: Runtime, path: str) -> bool:
        """True only when the file is known not to exist (a share out of reach says nothing)."""
        try:
            identity_of(path, runtime.smb)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return False
