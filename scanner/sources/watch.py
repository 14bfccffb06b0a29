"""File sources of the daemon: inotify or polling watches, a debounced bounded queue,
and reconcile walks that catch what events missed.

Watcher callbacks only mark paths in the ``Debouncer``; a path becomes ready when it
has been quiet for ``quiet`` seconds (or at once when closed after writing), or when
it has kept changing for ``max_wait``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from scanner.i18n import _
from scanner.sources.walk import Unwalkable, WalkOptions, walk

log = logging.getLogger("mynumber_dlp.watch")

INOTIFY_WATCHES_FILE = "/proc/sys/fs/inotify/max_user_watches"


@dataclass(slots=True)
class _Pending:
    first: float
    last: float
    source: str
    closed: bool = False


class Debouncer:
    """Paths waiting to be scanned, at most ``capacity`` of them."""

    def __init__(self, quiet: float, max_wait: float, capacity: int, on_overflow: Callable[[], None]) -> None:
        self.quiet = quiet
        self.max_wait = max_wait
        self.capacity = capacity
        self._on_overflow = on_overflow
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()

    def __len__(self) -> int:
        return len(self._pending)

    def touch(self, path: str, source: str, closed: bool = False, now: float | None = None) -> None:
        """Note that ``path`` changed (only bookkeeping: safe to call from watcher threads)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            p = self._pending.get(path)
            if p is None:
                if len(self._pending) >= self.capacity:
                    overflow = True
                else:
                    self._pending[path] = _Pending(now, now, source, closed)
                    overflow = False
            else:
                p.last, p.closed = now, p.closed or closed
                overflow = False
        if overflow:
            self._on_overflow()
        self._wake.set()

    def ready(self, now: float | None = None, limit: int = 256) -> list[tuple[str, str]]:
        """Up to ``limit`` (path, source) pairs due for scanning, removed from the queue."""
        now = time.monotonic() if now is None else now
        out = []
        with self._lock:
            for path, p in self._pending.items():
                if p.closed or now - p.last >= self.quiet or now - p.first >= self.max_wait:
                    out.append((path, p.source))
                    if len(out) >= limit:
                        break
            for path, _src in out:
                del self._pending[path]
        return out

    def wait(self, timeout: float) -> None:
        """Sleep until something is touched or ``timeout`` passes."""
        self._wake.wait(timeout)
        self._wake.clear()


class EventHandler(FileSystemEventHandler):
    """Watchdog events to the debouncer: files marked, new directories walked (``on_new_dir``)."""

    def __init__(
        self, debouncer: Debouncer, source: str, accept: Callable[[str], bool], on_new_dir: Callable[[str, str], None]
    ) -> None:
        self._d = debouncer
        self._source = source
        self._accept = accept
        self._on_new_dir = on_new_dir

    def on_any_event(self, event: FileSystemEvent) -> None:
        if isinstance(event, (DirCreatedEvent, DirMovedEvent)):
            target = getattr(event, "dest_path", "") or event.src_path
            if self._accept(str(target)):
                self._on_new_dir(str(target), self._source)
            return
        if event.is_directory or event.event_type in ("deleted", "opened", "closed_no_write"):
            return
        path = str(getattr(event, "dest_path", "") or event.src_path)
        if self._accept(path):
            self._d.touch(path, self._source, closed=isinstance(event, FileClosedEvent))


def inotify_watch_limit() -> int | None:
    """The per-user inotify watch limit, if the kernel says."""
    try:
        return int(Path(INOTIFY_WATCHES_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def count_dirs(root: Path, stop_at: int) -> int:
    """Directories under ``root`` (counting stops at ``stop_at``)."""
    n = 0
    for _dirpath, _dirs, _files in os.walk(root):
        n += 1
        if n >= stop_at:
            break
    return n


def start_observer(path: Path, poll: float, handler: FileSystemEventHandler) -> BaseObserver:
    """An inotify observer, or a polling one for network mounts or when inotify watches run out."""
    if poll <= 0:
        limit = inotify_watch_limit()
        if limit is not None and count_dirs(path, limit) >= limit * 0.9:
            log.error(
                _("watching %s needs more inotify watches than the limit (%d, %s); polling instead. "
                "Raise fs.inotify.max_user_watches (see deploy/sysctl)."), path, limit, INOTIFY_WATCHES_FILE
            )
            poll = 5.0
    observer = PollingObserver(timeout=poll) if poll > 0 else Observer()
    observer.schedule(handler, str(path), recursive=True)
    observer.start()
    return observer


def files_under(root: Path, exclude: tuple[str, ...]) -> Iterator[str | Unwalkable]:
    """Regular files under ``root`` (no symlinks), for reconcile walks and new directories, and
    what could not be walked or is not a file (FIFOs, unreadable directories): never dropped."""
    yield from walk([str(root)], WalkOptions(exclude=exclude))


WATCHDOG_LOGGERS = "watchdog.observers"
"""watchdog tells of a kernel event-queue overflow (IN_Q_OVERFLOW) only as a warning logged
under this name; the events are gone, so a walk must find what they said."""


class _OverflowListener(logging.Handler):
    def __init__(self, on_overflow: Callable[[], None]) -> None:
        super().__init__(logging.WARNING)
        self._on_overflow = on_overflow

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self._on_overflow()


def on_events_lost(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` whenever the kernel dropped file events (inotify queue overflow);
    returns the function that stops listening."""
    listener = _OverflowListener(callback)
    logger = logging.getLogger(WATCHDOG_LOGGERS)
    logger.addHandler(listener)
    return lambda: logger.removeHandler(listener)
