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


def is_excluded(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    """Whether a walk skips an entry: a pattern matches its base name or its path below the root."""
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(rel, p) for p in patterns)


def _kind(mode: int) -> str:
    """What a non-regular, non-directory entry is, in the words of ``ls -l``."""
    for test, name in ((stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISLNK, "symlink")):
        if test(mode):
            return name
    return "special file"


def _walk_dir(root: str, options: WalkOptions) -> Iterator[str | Unwalkable]:
    # directories already entered, by (device, inode): a followed link back up (d/up -> ..) is a loop
    try:
        top = os.stat(root)
    except OSError as exc:
        yield Unwalkable(root, "unreadable", exc.strerror or "cannot stat")
        return
    visited = {(top.st_dev, top.st_ino)}
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
            if is_excluded(rel, entry.name, options.exclude):
                continue
            try:
                if entry.is_symlink() and not options.follow_symlinks:
                    continue  # documented: links are followed only when asked
                st = entry.stat(follow_symlinks=options.follow_symlinks)
            except OSError as exc:
                yield Unwalkable(entry.path, "unreadable", exc.strerror or "cannot stat")
                continue
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) in visited:
                    yield Unwalkable(entry.path, "unsupported", "symlink loop: directory already walked")
                    continue
                visited.add((st.st_dev, st.st_ino))
                subdirs.append(entry.path)
            elif stat.S_ISREG(st.st_mode):
                yield entry.path
            else:
                yield Unwalkable(entry.path, "unsupported", f"not a regular file ({_kind(st.st_mode)})")
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
            yield Unwalkable(path, "unsupported", f"not a regular file ({_kind(st.st_mode)})")
