"""One alert builder and one alerter, for files and messages alike.

An ``Alert`` says what was found (masked values and fingerprints only), what could not
be read, and what was done about it. ``Alerter`` hands it to every sink with one
failure policy:

- every sink is tried, whatever the others do; each result is counted and a failure
  logged (sink type and exception type only: never content);
- if any sink failed, ``send`` raises ``AlertNotDelivered`` once all were tried, and the
  caller treats the item as not done: a file is not recorded as scanned (the next
  reconcile scans and alerts again), a message is not acknowledged (redelivered, and
  dead-lettered after ``max_deliveries``). Alerts are at least once, never silently lost.
"""

from __future__ import annotations

import logging
import os
import pwd
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

from scanner.i18n import _
from scanner.report.records import FindingRecord, NotScannedRecord
from scanner.sources.smb.location import is_smb_url

log = logging.getLogger("mynumber_dlp.alerts")

FileAction = Literal["alert", "not_scanned", "quarantined", "quarantine_failed", "released"]
"""What was done about a file: alerted only; alerted because it could not be read; moved to
quarantine; the move failed; left in place because an operator released it."""
MessageAction = Literal["forwarded", "masked", "diverted"]
"""What was done about a message: passed on; passed on with its numbers masked; diverted to
the quarantine destination."""
WebRequestAction = Literal["blocked", "passed", "masked"]
"""What was done about a web request: answered with the block page; passed on and alerted; passed
on with its numbers masked."""


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What a person acting on a file's alert asks first: whose it is, how big, since when."""

    owner: str | None
    """The owner's user name (the uid when it has no name); None on a share (its owner is a
    Windows SID the daemon does not resolve)."""
    size: int
    modified: float
    """Its modification time (epoch seconds)."""


def file_facts(path: str, size: int | None = None, mtime_ns: int | None = None) -> FileFacts | None:
    """The facts of ``path`` now (None when it is gone or cannot be examined); a share's file
    (``smb://``) has them from its scan (``size``, ``mtime_ns``), not from a stat here."""
    if is_smb_url(path):
        return FileFacts(None, size, mtime_ns / 1e9) if size is not None and mtime_ns is not None else None
    try:
        st = os.stat(path)
    except OSError:
        return None
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    return FileFacts(owner, st.st_size, st.st_mtime)


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert about a file or a message."""

    source: str
    """The watch or queue it came from (its configured name)."""
    findings: tuple[FindingRecord, ...]
    unscanned: tuple[NotScannedRecord, ...]
    action: FileAction | MessageAction | WebRequestAction
    path: str | None = None
    """The file (None for a message)."""
    message_id: str | None = None
    """The message's id on its broker (None for a file)."""
    routing: Mapping[str, Any] | None = None
    """Where the message came from (stream, topic, partition ...)."""
    request: Mapping[str, str] | None = None
    """A web request's method, host, path (never its query), incident id and the proxy's identity
    headers (None for a file or a message)."""
    quarantine_id: str | None = None
    error: str | None = None
    """Why the action failed (an exception type), for ``quarantine_failed``."""
    time: float = field(default_factory=time.time)
    host: str = field(default_factory=socket.gethostname)
    """The machine that raised the alert (a fleet's alerts meet in one SIEM)."""
    file: FileFacts | None = None
    """The file's owner, size and modification time, when it is a file."""

    def done(self, action: FileAction, quarantine_id: str | None = None, error: str | None = None) -> Alert:
        """The same alert after the caller acted on it."""
        return replace(self, action=action, quarantine_id=quarantine_id, error=error)


def file_alert(
    source: str, path: str, findings: Sequence[FindingRecord], unscanned: Sequence[NotScannedRecord],
    size: int | None = None, mtime_ns: int | None = None,
) -> Alert:
    """The alert about one file: ``alert`` when something was found, ``not_scanned`` when nothing
    was found because something could not be read; the caller says what else was done
    (``size``/``mtime_ns``: what the scan saw, for a share's file)."""
    return Alert(source, tuple(findings), tuple(unscanned), "alert" if findings else "not_scanned", path=path,
                 file=file_facts(path, size, mtime_ns))


def message_alert(
    source: str, message_id: str, routing: Mapping[str, Any], findings: Sequence[FindingRecord],
    unscanned: Sequence[NotScannedRecord], action: MessageAction,
) -> Alert:
    """The alert about one message and what the gate does with it."""
    return Alert(source, tuple(findings), tuple(unscanned), action, message_id=message_id, routing=dict(routing))


def web_alert(
    source: str, request: Mapping[str, str], findings: Sequence[FindingRecord],
    unscanned: Sequence[NotScannedRecord], action: WebRequestAction,
) -> Alert:
    """The alert about one web request (a post through the proxy, a call of the scan API)."""
    return Alert(source, tuple(findings), tuple(unscanned), action, request=dict(request))


class AlertSink(Protocol):
    """Somewhere alerts go (``alerts.py``)."""

    def send(self, alert: Alert) -> None: ...

    def close(self) -> None: ...


class AlertNotDelivered(Exception):
    """At least one sink did not take an alert (the others did)."""


class Alerter:
    """Every alert to every sink, with the failure policy above."""

    def __init__(self, sinks: list[AlertSink], counted: Callable[[bool], None] | None = None) -> None:
        """``counted`` is told each sink's result (True: delivered), for the metrics."""
        self.sinks = sinks
        self._counted = counted or (lambda _ok: None)

    def send(self, alert: Alert) -> None:
        """Deliver ``alert`` to every sink; raise ``AlertNotDelivered`` after trying them all if any failed."""
        failed = []
        for sink in self.sinks:
            try:
                sink.send(alert)
            except Exception as exc:  # noqa: BLE001 - one broken sink must not keep the alert from the others
                failed.append(f"{type(sink).__name__}: {type(exc).__name__}")
                self._counted(False)
                log.error(_("alert sink %s failed: %s"), type(sink).__name__, type(exc).__name__)
            else:
                self._counted(True)
        if failed:
            raise AlertNotDelivered("; ".join(failed))

    def close(self) -> None:
        for sink in self.sinks:
            sink.close()
