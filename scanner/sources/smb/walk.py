"""List a share into the files an audit reads, as the local walk does (same order, excludes, reasons)."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.sources.smb.client import SmbClient, SmbEntry
from scanner.sources.smb.location import SmbLocation
from scanner.sources.walk import Unwalkable, WalkOptions, is_excluded


def walk_share(client: SmbClient, root: SmbLocation, options: WalkOptions) -> Iterator[str | Unwalkable]:
    """The regular files under ``root`` (their URLs), and what could not be listed. Links and
    junctions on the share are never followed (a share's links point at the server's disks)."""
    for item in share_entries(client, root, options.exclude):
        yield item if isinstance(item, Unwalkable) else item.location.url


def share_entries(client: SmbClient, root: SmbLocation, exclude: tuple[str, ...]) -> Iterator[SmbEntry | Unwalkable]:
    """The regular files under ``root`` with what the listing says of them (size, time, file id:
    a reconcile needs no stat per file), and what could not be listed, in a stable order."""
    try:
        top = client.stat(root)
    except OSError as exc:
        yield Unwalkable(root.url, "unreadable", exc.strerror or "cannot stat")
        return
    if not top.is_dir:
        yield top
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
            if is_excluded(loc.relative_to(root), loc.name, exclude) or entry.is_link:
                continue  # links and junctions: as local links, never followed on a share
            if entry.is_dir:
                subdirs.append(loc)
            else:
                yield entry
        stack.extend(reversed(subdirs))
