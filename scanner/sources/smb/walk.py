"""List a share into the files an audit reads, as the local walk does (same order, excludes, reasons)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from scanner.sources.smb.client import SmbClient
from scanner.sources.smb.location import SmbLocation
from scanner.sources.walk import Unwalkable, WalkOptions


def _excluded(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(rel, p) for p in patterns)


def walk_share(client: SmbClient, root: SmbLocation, options: WalkOptions) -> Iterator[str | Unwalkable]:
    """The regular files under ``root`` (their URLs), and what could not be listed. Links and
    junctions on the share are never followed (a share's links point at the server's disks)."""
    try:
        top = client.stat(root)
    except OSError as exc:
        yield Unwalkable(root.url, "unreadable", exc.strerror or "cannot stat")
        return
    if not top.is_dir:
        yield root.url
        return
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = client.scandir(directory)
        except OSError as exc:
            yield Unwalkable(directory.url, "unreadable", exc.strerror or "cannot list directory")
            continue
        subdirs = []
        for entry in entries:
            loc = entry.location
            if _excluded(loc.relative_to(root), loc.name, options.exclude):
                continue
            if entry.is_link:
                continue  # as local links: followed only when asked, and a share's never
            if entry.is_dir:
                subdirs.append(loc)
            else:
                yield loc.url
        stack.extend(reversed(subdirs))
