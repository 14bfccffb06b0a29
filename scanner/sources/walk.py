"""Walk the paths given on the command line into the regular files to scan."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WalkOptions:
    """What a directory walk includes."""

    exclude: tuple[str, ...] = ()
    """Glob patterns matched against the base name and the path below the walked root."""
    follow_symlinks: bool = False
    """Follow symbolic links found while walking (paths named explicitly are always followed)."""


@dataclass(frozen=True, slots=True)
class Unwalkable:
    """A path that could not be listed or is not a file we read."""

    path: str
    reason: str
    """``unreadable`` or ``unsupported`` (contract reasons)."""
    detail: str


def _excluded(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(rel, p) for p in patterns)


def _walk_dir(root: str, options: WalkOptions) -> Iterator[str | Unwalkable]:
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Unwalkable(directory, "unreadable", exc.strerror or "cannot list directory")
            continue
        subdirs = []
        for entry in entries:
            rel = os.path.relpath(entry.path, root)
            if _excluded(rel, entry.name, options.exclude):
                continue
            try:
                if entry.is_symlink() and not options.follow_symlinks:
                    continue
                if entry.is_dir(follow_symlinks=options.follow_symlinks):
                    subdirs.append(entry.path)
                elif entry.is_file(follow_symlinks=options.follow_symlinks):
                    yield entry.path
                # sockets, FIFOs and devices are not files to scan
            except OSError as exc:
                yield Unwalkable(entry.path, "unreadable", exc.strerror or "cannot stat")
        stack.extend(reversed(subdirs))


def walk(paths: list[str], options: WalkOptions) -> Iterator[str | Unwalkable]:
    """Regular files under ``paths`` in a stable order, and the paths that could not be walked."""
    for path in paths:
        try:
            st = os.stat(path)
        except OSError as exc:
            yield Unwalkable(path, "unreadable", exc.strerror or "cannot stat")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(path, options)
        elif stat.S_ISREG(st.st_mode):
            yield path
        else:
            yield Unwalkable(path, "unsupported", "not a regular file")
