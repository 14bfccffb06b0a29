"""Allowlists: findings a person reviewed and accepted, each with a reason and an expiry.

A TOML file of ``[[allow]]`` entries (``fingerprint``, ``path`` and ``member`` globs, ``rule``,
``reason``, ``until``); an entry suppresses a finding when everything it names matches. An
entry that would match every finding (no fingerprint and no path but wildcards) is refused:
an allowlist must not switch scanning off by accident. Expired entries are not applied and
are reported, so a review that lapsed shows.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from scanner.i18n import _
from scanner.report.records import FindingRecord
from scanner.schema import StrictModel, first_error, read_toml

FINGERPRINT_PATTERN = r"^[0-9a-f]{64}$"
WILDCARDS = "*?[]/!"


def _iso_date(value: Any) -> Any:
    """``2027-03-31`` written as a TOML date or as a string (the command line's)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(_("must be a date as YYYY-MM-DD, not {value}").format(value=repr(value))) from None
    return value


class AllowlistError(ValueError):
    """An allowlist file that cannot be used; one line naming the file and the entry."""


class AllowEntry(StrictModel):
    """One ``[[allow]]`` entry: what it matches (all that is given must match) and why."""

    fingerprint: str | None = Field(None, pattern=FINGERPRINT_PATTERN)
    """The finding's fingerprint (``mynumber-dlp scan -f json`` shows it): that number only."""
    path: str | None = None
    """Glob of the file's path (``*`` spans ``/``); a relative glob matches the end of a path."""
    member: str | None = None
    """Glob of the place inside the file (``Sheet1*``, ``a.zip/*``)."""
    rule: str | None = None
    """The rule id (``jp-my-number``)."""
    reason: str = Field(min_length=1)
    """Why this finding is accepted: who reviewed it, a ticket; shown when the entry is listed."""
    until: Annotated[dt.date | None, BeforeValidator(_iso_date)] = None
    """Last day the entry applies (``until = 2027-03-31``); after it the entry is reported as expired."""

    @model_validator(mode="after")
    def _not_everything(self) -> Any:
        if self.fingerprint is None and not (self.path or "").strip(WILDCARDS):
            raise ValueError(_("an entry needs a fingerprint or a path that is not only wildcards "
                               "(it would allow every finding)"))
        return self

    def matches(self, record: FindingRecord) -> bool:
        """Whether this entry covers ``record`` (expiry aside)."""
        if self.fingerprint is not None and record.fingerprint != self.fingerprint:
            return False
        if self.rule is not None and record.rule != self.rule:
            return False
        if self.path is not None and not _path_matches(os.path.normpath(record.path), self.path):
            return False
        return self.member is None or fnmatch.fnmatchcase(record.member or "", self.member)


class AllowlistFile(StrictModel):
    """An allowlist file: its ``[[allow]]`` entries."""

    allow: list[AllowEntry] = []
    """The entries, in order; the first that matches a finding is the one counted."""


def _path_matches(path: str, glob: str) -> bool:
    if fnmatch.fnmatchcase(path, glob):
        return True
    return not glob.startswith("/") and fnmatch.fnmatchcase(path, "*/" + glob)


@dataclass(frozen=True, slots=True)
class Allowlist:
    """The entries in force today, and those that expired (reported, not applied)."""

    entries: tuple[AllowEntry, ...]
    expired: tuple[AllowEntry, ...]
    source: str

    def match(self, record: FindingRecord) -> AllowEntry | None:
        """The first entry in force that covers ``record``."""
        return next((e for e in self.entries if e.matches(record)), None)


def load_allowlist(path: Path, today: dt.date | None = None) -> Allowlist:
    """Read an allowlist file; AllowlistError (one line) when it is not one."""
    data = read_toml(path, AllowlistError)
    try:
        file = AllowlistFile.model_validate(data)
    except ValidationError as exc:
        raise AllowlistError(f"{path}: {first_error(exc, AllowlistFile, data)}") from None
    day = today or dt.date.today()
    live = tuple(e for e in file.allow if e.until is None or e.until >= day)
    return Allowlist(live, tuple(e for e in file.allow if e.until is not None and e.until < day), str(path))


def entry_toml(entry: AllowEntry) -> str:
    """One ``[[allow]]`` table as TOML text, to append to a file (its comments are kept)."""
    import tomli_w

    fields = {k: v for k, v in entry.model_dump().items() if v is not None}
    return "[[allow]]\n" + tomli_w.dumps(fields)  # its own header: tomli_w may inline an array of tables
