"""Incremental state in SQLite: what was scanned, as what, and the quarantine manifest.

A restart rescans only files whose identity (device, inode, size, mtime) or the
ruleset changed. No number is stored: alerts and the manifest hold masked values
and fingerprints only.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    dev INTEGER, inode INTEGER, size INTEGER, mtime_ns INTEGER,
    ruleset TEXT, outcome TEXT, findings INTEGER, scanned_at REAL,
    sha256 TEXT
);
CREATE TABLE IF NOT EXISTS alerted (
    key TEXT PRIMARY KEY,
    at REAL
);
CREATE TABLE IF NOT EXISTS failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    at REAL
);
CREATE TABLE IF NOT EXISTS quarantine (
    id TEXT PRIMARY KEY,
    original_path TEXT NOT NULL,
    state TEXT NOT NULL,
    quarantined_at REAL,
    size INTEGER, mode INTEGER, uid INTEGER, gid INTEGER, atime_ns INTEGER, mtime_ns INTEGER,
    sha256 TEXT,
    reasons TEXT,
    stub_path TEXT,
    stored_path TEXT
);
"""
STATE_FILE = "state.sqlite3"
PATH_COLUMNS = ("path", "original_path", "stub_path", "stored_path")
"""Columns holding file system paths (see ``db_path``)."""


def db_path(path: str) -> str | bytes:
    """A path as the database keeps it: text when it is UTF-8, else its exact bytes as a BLOB.
    (SQLite text must be UTF-8; a CP932 name from an old Windows share is not, and a TEXT
    column keeps a BLOB as it is, so both kinds of name live in one column, losslessly.)"""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path)


def py_path(value: str | bytes | None) -> str | None:
    """A path read from the database, back as Python spells file names (PEP 383)."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """What tells a changed file from an unchanged one."""

    dev: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileIdentity:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class StateDB:
    """The daemon's state database; safe to use from several threads."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = directory / STATE_FILE
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # the quarantine manifest must survive a crash
            self._db.executescript(SCHEMA)
            columns = {r[1] for r in self._db.execute("PRAGMA table_info(files)")}
            if "sha256" not in columns:  # a state file from before content digests
                self._db.execute("ALTER TABLE files ADD COLUMN sha256 TEXT")
            qcolumns = {r[1] for r in self._db.execute("PRAGMA table_info(quarantine)")}
            if "stored_path" not in qcolumns:  # a manifest from before it named where each file is kept
                self._db.execute("ALTER TABLE quarantine ADD COLUMN stored_path TEXT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # -- files -------------------------------------------------------------------------

    def unchanged(self, path: str, ident: FileIdentity, ruleset: str) -> bool:
        """True when ``path`` was scanned as it is now, with this ruleset."""
        row = self._exec("SELECT dev, inode, size, mtime_ns, ruleset FROM files WHERE path = ?", (db_path(path),))
        return bool(row) and row[0] == (ident.dev, ident.inode, ident.size, ident.mtime_ns, ruleset)

    def record(
        self, path: str, ident: FileIdentity, ruleset: str, outcome: str, findings: int, sha256: str | None = None
    ) -> None:
        """Remember a scan's outcome (``clean``, ``findings``, ``not_scanned``) and the content digest."""
        self._exec(
            "INSERT OR REPLACE INTO files"
            " (path, dev, inode, size, mtime_ns, ruleset, outcome, findings, scanned_at, sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (db_path(path), ident.dev, ident.inode, ident.size, ident.mtime_ns, ruleset, outcome, findings, time.time(),
             sha256),
        )

    def forget(self, path: str) -> None:
        self._exec("DELETE FROM files WHERE path = ?", (db_path(path),))

    def known_paths(self, prefix: str) -> list[str]:
        """Paths under ``prefix`` that have a state row."""
        top = prefix.rstrip("/") + "/"
        # LIKE treats _ and % as wildcards: narrow with it, then compare exactly
        like = top.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        text = [r[0] for r in self._exec("SELECT path FROM files WHERE path LIKE ? ESCAPE '\\'", (like,))]
        raw = [py_path(r[0]) for r in self._exec("SELECT path FROM files WHERE typeof(path) = 'blob'")]
        return [p for p in text + raw if p is not None and p.startswith(top)]

    # -- message alerts already sent (redeliveries are not alerted twice) -------------------

    def alerted(self, key: str) -> bool:
        return bool(self._exec("SELECT 1 FROM alerted WHERE key = ?", (key,)))

    def mark_alerted(self, key: str) -> None:
        self._exec("INSERT OR IGNORE INTO alerted VALUES (?, ?)", (key, time.time()))

    # -- messages whose handling failed (counted here for brokers that do not count deliveries) --

    def failures(self, key: str) -> int:
        rows = self._exec("SELECT count FROM failures WHERE key = ?", (key,))
        return int(rows[0][0]) if rows else 0

    def count_failure(self, key: str) -> int:
        """One more failed attempt at a message; returns how many there have been."""
        self._exec("INSERT INTO failures VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE SET count = count + 1, at = ?",
                   (key, time.time(), time.time()))
        return self.failures(key)

    def clear_failures(self, key: str) -> None:
        self._exec("DELETE FROM failures WHERE key = ?", (key,))

    def prune_messages(self, before: float) -> None:
        """Forget alerts sent and failures counted before ``before`` (a Unix time): no broker
        redelivers a message that old, and the tables would otherwise grow without end."""
        self._exec("DELETE FROM alerted WHERE at < ?", (before,))
        self._exec("DELETE FROM failures WHERE at < ?", (before,))

    # -- quarantine manifest ---------------------------------------------------------------

    def quarantine_add(self, entry: dict[str, Any]) -> None:
        cols = ", ".join(entry)
        marks = ", ".join("?" for _ in entry)
        self._exec(f"INSERT INTO quarantine ({cols}) VALUES ({marks})", tuple(_to_db(entry).values()))

    def quarantine_update(self, qid: str, **fields: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in fields)
        self._exec(f"UPDATE quarantine SET {sets} WHERE id = ?", (*_to_db(fields).values(), qid))

    def quarantine_released(self, path: str, sha256: str) -> bool:
        """True when this content was restored to this path from quarantine."""
        return bool(
            self._exec(
                "SELECT 1 FROM quarantine WHERE original_path = ? AND sha256 = ? AND state = 'restored' LIMIT 1",
                (db_path(path), sha256),
            )
        )

    def quarantine_get(self, qid: str) -> dict[str, Any] | None:
        rows = self._quarantine_rows("WHERE id = ?", (qid,))
        return rows[0] if rows else None

    def quarantine_ids(self, prefix: str) -> list[str]:
        """Ids that start with ``prefix`` (ids are hex, so the prefix is checked to be too)."""
        if not prefix or any(c not in "0123456789abcdef" for c in prefix.lower()):
            return []
        return [r[0] for r in self._exec("SELECT id FROM quarantine WHERE id LIKE ?", (prefix.lower() + "%",))]

    def quarantine_list(self, states: tuple[str, ...] = ("stored",)) -> list[dict[str, Any]]:
        marks = ", ".join("?" for _ in states)
        return self._quarantine_rows(f"WHERE state IN ({marks}) ORDER BY quarantined_at", states)

    def _quarantine_rows(self, where: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._db.execute(f"SELECT * FROM quarantine {where}", args)
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        for r in rows:
            r["reasons"] = json.loads(r["reasons"] or "[]")
            for col in PATH_COLUMNS:
                if col in r:
                    r[col] = py_path(r[col])
        return rows


def _to_db(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: db_path(v) if k in PATH_COLUMNS and isinstance(v, str) else v for k, v in fields.items()}
