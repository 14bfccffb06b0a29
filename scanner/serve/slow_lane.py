"""The daemon's slow lane: images, PDFs and large files, scanned apart from everything else.

OCR reads two to four pages a second, so one scanned 200-page PDF takes about a minute.
The worker pool yields a batch's files in order, so a text file in the same batch would
wait for it. Files that may need OCR (images and PDFs, sniffed by magic) and files over
``SLOW_LANE_BYTES`` go to this lane, which has its own workers (``serve.slow_lane_jobs``);
a text file's close-to-alert time does not depend on what the slow lane is reading.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from scanner.extract.filetype import is_image

SLOW_LANE_BYTES = 32 * 1024 * 1024
"""Files at least this large take the slow lane whatever they are (a 2 GB zip holds back text files too)."""
SNIFF_BYTES = 32
"""Bytes read to tell an image or a PDF by its magic."""


def takes_slow_lane(path: str, size: int) -> bool:
    """Whether ``path`` (``size`` bytes) is scanned in the slow lane: an image, a PDF or a large file.
    A file that cannot be opened here goes the fast way (its worker reports why it could not be read)."""
    if size >= SLOW_LANE_BYTES:
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return False
    return head.startswith(b"%PDF-") or is_image(head)


class SlowLane:
    """Paths waiting for the slow lane, oldest first, each once; safe across threads."""

    def __init__(self) -> None:
        self._waiting: OrderedDict[str, str] = OrderedDict()
        self._ready = threading.Condition()

    def __len__(self) -> int:
        return len(self._waiting)

    def put(self, path: str, source: str) -> None:
        """Queue ``path`` (already waiting: it keeps its place)."""
        with self._ready:
            self._waiting.setdefault(path, source)
            self._ready.notify()

    def take(self, limit: int, timeout: float) -> list[tuple[str, str]]:
        """Up to ``limit`` (path, source) pairs, waiting up to ``timeout`` seconds for the first."""
        with self._ready:
            if not self._waiting:
                self._ready.wait(timeout)
            out: list[tuple[str, str]] = []
            while self._waiting and len(out) < limit:
                out.append(self._waiting.popitem(last=False))
            return out

    def wake(self) -> None:
        """Wake a waiting ``take`` (the round is ending)."""
        with self._ready:
            self._ready.notify_all()

