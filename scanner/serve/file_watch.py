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
from collections.abc import Callable
from pathlib import Path

from scanner.config import WatchSpec
from scanner.i18n import _
from scanner.serve.defaults import MESSAGE_STATE_MAX_AGE, OBSERVER_JOIN_TIMEOUT
from scanner.serve.metrics import Metrics
from scanner.serve.runtime import Runtime
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
        self._stop_listening: Callable[[], None] = lambda: None
        self._on_unwalkable: OnUnwalkable = lambda _runtime, _item, _source: None

    def requeue(self, path: str, source: str) -> None:
        """Scan ``path`` again once it is quiet (it changed while it was read)."""
        self.debouncer.touch(path, source, closed=False)

    def start(self, on_unwalkable: OnUnwalkable) -> None:
        """Start the observers and the reconcile thread; unwalkable items go to ``on_unwalkable``."""
        self._on_unwalkable = on_unwalkable
        self._stop_listening = on_events_lost(self._overflowed)
        for w in self._runtime().config.watches:
            w.path.mkdir(parents=True, exist_ok=True)
            handler = EventHandler(self.debouncer, w.name, self._accepts, self._new_dir)
            self._observers.append(start_observer(w.path, w.poll, handler))
            how = _("polling every {seconds} s").format(seconds=f"{w.poll:g}") if w.poll else "inotify"
            log.info(_("watching %s (%s)"), w.path, how)
        threading.Thread(target=self._reconcile_loop, name="reconcile", daemon=True).start()

    def stop(self) -> None:
        self._stop_listening()
        for ob in self._observers:
            ob.stop()
        for ob in self._observers:
            ob.join(timeout=OBSERVER_JOIN_TIMEOUT)

    def _overflowed(self) -> None:
        """Events were dropped (the debouncer is full, or the kernel's inotify queue overflowed):
        count it and walk everything soon."""
        self.metrics.dropped.inc()
        self.reconcile_now.set()

    def _accepts(self, path: str) -> bool:
        return self._runtime().accepts(path)

    def _new_dir(self, path: str, source: str) -> None:
        threading.Thread(target=self._enqueue_tree, args=(Path(path), source), daemon=True).start()

    def _enqueue_tree(self, root: Path, source: str) -> None:
        for path in files_under(root, ()):
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

    def _reconcile(self, runtime: Runtime, w: WatchSpec) -> None:
        """Queue files that changed while no event said so, forget files that are gone."""
        seen = set()
        for path in files_under(w.path, w.exclude):
            if self._stop.is_set():
                return
            if isinstance(path, Unwalkable):
                if runtime.accepts(path.path):
                    seen.add(path.path)
                    self._on_unwalkable(runtime, path, w.name)
                continue
            if not runtime.accepts(path):
                continue
            seen.add(path)
            try:
                ident = FileIdentity.of(os.stat(path))
            except OSError:
                continue
            if not self.db.unchanged(path, ident, runtime.ruleset):
                self.debouncer.touch(path, w.name, closed=True)
        for path in self.db.known_paths(str(w.path)):
            if path not in seen and not os.path.lexists(path):
                self.db.forget(path)
