"""Totals per directory and per file, for the audit report and ``--summary-by-dir``: how many
files each directory held, how many findings and unread items were in them."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

TOP_FILES = 20
"""Files the report lists by their number of findings."""


@dataclass(slots=True)
class DirectoryRow:
    """One directory's totals (of the files directly in it)."""

    directory: str
    files: int = 0
    bytes: int = 0
    findings: int = 0
    high: int = 0
    not_scanned: int = 0


@dataclass(slots=True)
class FileRow:
    """One file's findings."""

    path: str
    findings: int = 0
    high: int = 0


def directory_of(path: str) -> str:
    """The directory a shown path is in (``.`` for a bare name, the path itself for ``-``)."""
    return posixpath.dirname(path) or "."


class DirectoryTotals:
    """Fed each scanned file (``file``) and each output row (``record``), as shown."""

    def __init__(self) -> None:
        self._dirs: dict[str, DirectoryRow] = {}
        self._files: dict[str, FileRow] = {}

    def _dir(self, path: str) -> DirectoryRow:
        name = directory_of(path)
        row = self._dirs.get(name)
        if row is None:
            row = self._dirs[name] = DirectoryRow(name)
        return row

    def file(self, path: str, size: int) -> None:
        """A file was scanned (or tried)."""
        row = self._dir(path)
        row.files += 1
        row.bytes += size

    def record(self, rec: dict[str, Any]) -> None:
        """A finding or not_scanned row, names as shown."""
        row = self._dir(rec["path"])
        if rec["type"] == "finding":
            row.findings += 1
            high = rec["confidence"] == "high"
            row.high += high
            f = self._files.get(rec["path"])
            if f is None:
                f = self._files[rec["path"]] = FileRow(rec["path"])
            f.findings += 1
            f.high += high
        else:
            row.not_scanned += 1

    def directories(self) -> list[DirectoryRow]:
        """Directories with the most findings (then most unread) first."""
        return sorted(self._dirs.values(), key=lambda d: (-d.findings, -d.not_scanned, d.directory))

    def top_files(self, n: int = TOP_FILES) -> list[FileRow]:
        """The ``n`` files with the most findings."""
        return sorted(self._files.values(), key=lambda f: (-f.findings, -f.high, f.path))[:n]
