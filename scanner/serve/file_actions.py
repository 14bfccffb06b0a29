"""What happens to one scanned file: metrics, the policy's decision, quarantine, the alert,
and the state — in that order, so a file is recorded as done only once its alert was
delivered (``Alerter``'s failure policy) and a quarantined file only once it is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from scanner.actions.alerting import Alert, Alerter, AlertNotDelivered, file_alert
from scanner.actions.policy import Decision, Policy, decide
from scanner.actions.quarantine import QuarantineStore
from scanner.i18n import _
from scanner.report.alerts import alert_details
from scanner.report.names import shown_name
from scanner.report.records import (
    FileDone,
    FindingRecord,
    NotScannedRecord,
    ScanItem,
    findings_of,
    not_scanned_record,
    unscanned_of,
)
from scanner.serve.metrics import Metrics
from scanner.serve.runtime import Runtime
from scanner.sources.identity import identity_of
from scanner.sources.walk import Unwalkable
from scanner.state import FileIdentity, StateDB

log = logging.getLogger("mynumber_dlp")


@dataclass(frozen=True, slots=True)
class ScannedFile:
    """One file's scan results, as the main loop hands them over."""

    path: str
    source: str
    ident: FileIdentity
    """Identity when it was queued (what the state records)."""
    findings: list[FindingRecord]
    unscanned: list[NotScannedRecord]
    done: FileDone

    @classmethod
    def of(cls, path: str, source: str, ident: FileIdentity, items: list[ScanItem]) -> ScannedFile:
        done = items[-1] if items and isinstance(items[-1], FileDone) else FileDone(ident.size, scanned=False)
        return cls(path, source, ident, findings_of(items), unscanned_of(items), done)

    @property
    def outcome(self) -> str:
        """``findings``, ``not_scanned`` or ``clean`` (the items_scanned metric's outcome)."""
        return "findings" if self.findings else ("not_scanned" if not self.done.scanned else "clean")


class FileActions:
    """Acts on scanned files for the daemon."""

    def __init__(
        self, db: StateDB, metrics: Metrics, alerter: Alerter, quarantine: QuarantineStore | None,
        requeue: Callable[[str, str], None],
    ) -> None:
        """``requeue(path, source)`` scans a file again once it is quiet."""
        self.db, self.metrics, self.alerter, self.quarantine = db, metrics, alerter, quarantine
        self._requeue = requeue

    def handle(self, runtime: Runtime, f: ScannedFile) -> None:
        """Count, decide, quarantine, alert, record."""
        if f.done.changed:
            # changed while it was read: scan it again once it is quiet, say nothing yet
            self.metrics.items.labels(f.source, "changed").inc()
            self._requeue(f.path, f.source)
            return
        outcome = f.outcome
        self.metrics.items.labels(f.source, outcome).inc()
        self.metrics.bytes.labels(f.source).inc(f.done.size)
        for finding in f.findings:
            self.metrics.findings.labels(finding.confidence.label).inc()
        self._count_unscanned(f.path, f.unscanned)
        decision = self._decide(runtime.policy_for(f.source), f)
        if not decision.alert:
            self._record(runtime, f, outcome)
            return
        alert = file_alert(f.source, f.path, f.findings, f.unscanned, f.ident.size, f.ident.mtime_ns)
        if decision.quarantine and self.quarantine is not None:
            alert = self._quarantine(alert, f)
        try:
            self.alerter.send(alert)
        except AlertNotDelivered as exc:
            if alert.action != "quarantined":
                # not recorded as done: the next reconcile scans it and alerts again
                log.error(_("alert for %s not delivered (%s); retried at the next reconcile"), shown_name(f.path), exc)
                self.db.forget(f.path)
                return
            log.error(_("alert for quarantined %s not delivered (%s); `quarantine list` shows it"),
                      shown_name(f.path), exc)
        if alert.action == "quarantined":
            self.db.forget(f.path)
        else:
            self._record(runtime, f, outcome)

    def _decide(self, policy: Policy, f: ScannedFile) -> Decision:
        decision = decide(policy, f.findings, self.quarantine is not None)
        if f.unscanned and policy.on_unscanned != "ignore":
            # an encrypted zip on an HR share is what a leak looks like: never only a log line
            also = policy.on_unscanned == "quarantine" and self.quarantine is not None and policy.quarantine
            decision = Decision(alert=True, quarantine=decision.quarantine or also)
        return decision

    def _quarantine(self, alert: Alert, f: ScannedFile) -> Alert:
        assert self.quarantine is not None
        if self.quarantine.released(f.path, f.done.sha256):
            return alert.done("released")  # restored by an operator: alert, but leave it where it is
        try:
            qid = self.quarantine.quarantine(f.path, alert_details(alert))
        except Exception as exc:  # noqa: BLE001 - a failed move is alerted, never silent
            self.metrics.actions.labels("quarantine", "error").inc()
            log.error(_("could not quarantine %s: %s"), shown_name(f.path), type(exc).__name__)
            return alert.done("quarantine_failed", error=type(exc).__name__)
        self.metrics.actions.labels("quarantine", "ok").inc()
        return alert.done("quarantined", quarantine_id=qid)

    def _record(self, runtime: Runtime, f: ScannedFile, outcome: str) -> None:
        self.db.record(f.path, f.ident, runtime.ruleset, outcome, len(f.findings), f.done.sha256)

    def _count_unscanned(self, path: str, unscanned: list[NotScannedRecord]) -> None:
        for r in unscanned:
            self.metrics.not_scanned.labels(r.reason).inc()
            if r.reason.startswith("limit:"):
                self.metrics.limits.labels(r.reason[6:]).inc()
            member = f" [{shown_name(r.member)}]" if r.member else ""
            log.warning(_("not scanned: %s%s: %s"), shown_name(path), member, r.reason)

    def unwalkable(self, runtime: Runtime, item: Unwalkable, source: str) -> None:
        """A FIFO, a symlink loop or an unreadable directory met while walking a watch: alerted
        once (the state remembers it by identity), as a not_scanned item of its own."""
        try:
            ident, _regular = identity_of(item.path, runtime.smb)
        except OSError:
            return
        if self.db.unchanged(item.path, ident, runtime.ruleset):
            return
        rec = not_scanned_record(item.path, None, item.reason, item.detail)
        self.metrics.items.labels(source, "not_scanned").inc()
        self._count_unscanned(item.path, [rec])
        if runtime.policy_for(source).on_unscanned != "ignore":
            try:
                self.alerter.send(file_alert(source, item.path, [], [rec]))
            except AlertNotDelivered:
                return  # not recorded: alerted again at the next reconcile
        self.db.record(item.path, ident, runtime.ruleset, "not_scanned", 0)
