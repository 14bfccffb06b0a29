"""The message gate: scan each message, forward clean ones, divert violating ones to the
quarantine destination with headers saying why, alert — at least once.

Order per message: scan; alert (durable, and recorded so a redelivered message is not
alerted twice); forward, forward masked, or divert; acknowledge. A message that keeps failing goes to
the dead-letter destination after ``max_deliveries``. An alert that did not reach every sink
(``Alerter``'s failure policy) fails the message: it is redelivered, never passed on unalerted.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from scanner.actions.alerting import Alerter, MessageAction, message_alert
from scanner.actions.masking import mask_body
from scanner.actions.policy import Policy, decide
from scanner.detect.engine import Engine
from scanner.detect.finding import Confidence
from scanner.extract.limits import Limits
from scanner.extract.payload import scan_payload
from scanner.i18n import _
from scanner.report.records import FindingRecord, NotScannedRecord, Record, findings_of, max_confidence, unscanned_of
from scanner.serve.defaults import GATE_BATCH
from scanner.sources.brokers.base import BrokerSource, Message
from scanner.sources.brokers.headers import CONFIDENCE, FINDINGS, FINGERPRINTS, MASKED, REASON, SOURCE
from scanner.state import StateDB
from scanner.triage.suppressor import Suppressor

log = logging.getLogger("mynumber_dlp.gate")

MAX_FINGERPRINTS_IN_HEADERS = 20
"""Divert headers carry at most this many fingerprints (the alert carries them all)."""


@dataclass(slots=True)
class Outcome:
    """What the gate decided for one message, waiting to be settled with the broker."""

    msg: Message
    action: str
    """``forwarded``, ``masked`` (forwarded with ``body``), ``diverted`` or ``dead_lettered``."""
    key: str
    """The message's name in the state."""
    started: float
    failed: int
    """Failed attempts counted in the state before this one."""
    body: bytes | None = None
    """The masked body (``masked`` only)."""
    headers: dict[str, str] = field(default_factory=dict)
    """Headers the gate adds (divert reasons, masked count)."""
    reason: str = ""
    """Why it is dead-lettered."""


@dataclass(frozen=True, slots=True)
class GateOptions:
    """How a gate treats messages."""

    policy: Policy = Policy(quarantine_min_confidence=Confidence.HIGH)
    limits: Limits = Limits()
    min_confidence: Confidence = Confidence.LOW
    max_deliveries: int = 5
    """Deliveries after which a message that cannot be processed is dead-lettered."""
    batch: int = GATE_BATCH
    """Messages taken from the broker at a time."""
    mask: bool = False
    """Forward violating messages with their numbers masked instead of diverting them
    (only UTF-8 text and JSON bodies can be masked; anything else is still diverted)."""
    suppress: Suppressor | None = None
    """Findings not reported (baseline, allowlist, samples): a message with only those is forwarded."""


class Gate:
    """One broker source gated by one engine."""

    def __init__(
        self, source: BrokerSource, engine: Engine, options: GateOptions, alerter: Alerter, db: StateDB,
        observe: Callable[[str, float], None] | None = None, scan: Callable[[str, bytes], list[Record]] | None = None,
    ) -> None:
        self.source = source
        self.engine = engine
        self.options = options
        self.alerter = alerter
        self.db = db
        self.observe = observe or (lambda _result, _seconds: None)
        """Told each message's result (forwarded, diverted, dead_lettered) and the time it took."""
        self.scan = scan
        """Scans a payload (name, body) -> records; None scans in this process with ``engine``.
        The daemon passes an ``IsolatedPayloads`` worker."""
        self.counts = {"in": 0, "forwarded": 0, "diverted": 0, "masked": 0, "dead_lettered": 0, "redelivered": 0}

    def step(self, timeout: float = 1.0) -> int:
        """Take one batch, decide each message (scan, alert), then settle the batch: forward,
        mask or divert, and acknowledge, in as few broker round trips as the adapter can.
        Returns how many messages the batch had.

        A message whose handling raises is left unacknowledged (released for redelivery)
        and counted in the state, so brokers that do not count deliveries (MQTT, Kafka)
        still reach the dead letter, across restarts too; the rest of the batch is settled
        first, then the error is raised (the daemon reopens the source)."""
        msgs = self.source.receive(self.options.batch, timeout)
        outcomes: list[Outcome] = []
        error: Exception | None = None
        for msg in msgs:
            self.counts["in"] += 1
            key = self._key(msg)
            try:
                outcomes.append(self._decide(msg, key))
            except Exception as exc:  # noqa: BLE001 - raised below, after the rest is settled
                self.db.count_failure(key)
                self._release(msg)
                error = error or exc
        self._settle(outcomes)
        if error is not None:
            raise error
        return len(msgs)

    def _decide(self, msg: Message, key: str) -> Outcome:
        """What to do with one message; its alert is durable when this returns."""
        started = time.monotonic()
        failed = self.db.failures(key)
        msg.deliveries = max(msg.deliveries, failed + 1)
        if msg.deliveries > 1:
            self.counts["redelivered"] += 1
            self.observe("redelivered", 0.0)
        if msg.deliveries > self.options.max_deliveries:
            return Outcome(msg, "dead_lettered", key, started, failed, reason="too many deliveries")
        records = self._scan(f"{self.source.name}:{msg.id}", msg.body)
        if self.options.suppress is not None:
            records = self.options.suppress.kept(records)
        findings, unscanned = findings_of(list(records)), unscanned_of(list(records))
        decision = decide(self.options.policy, findings, True)
        divert = decision.quarantine or any(r.member is None for r in unscanned)  # never pass what was not read
        masked = self._masked(msg.body) if divert and self.options.mask and not unscanned else None
        action: MessageAction = "masked" if masked is not None else "diverted" if divert else "forwarded"
        if decision.alert or divert:
            self._alert(key, msg, findings, unscanned, action)
        if action == "diverted":
            return Outcome(msg, action, key, started, failed, headers=self._headers(findings, unscanned))
        if action == "masked":
            return Outcome(
                msg, action, key, started, failed, body=masked, headers={MASKED: str(len(findings))}
            )
        return Outcome(msg, action, key, started, failed)

    def _settle(self, outcomes: list[Outcome]) -> None:
        if not outcomes:
            return
        settle = self.source.settle
        settle(outcomes)  # the adapter batches: one round trip or one wait for confirms
        for o in outcomes:
            if o.failed or o.action == "dead_lettered":
                self.db.clear_failures(o.key)
            self.counts[o.action] += 1
            self.observe(o.action, time.monotonic() - o.started)

    def _release(self, msg: Message) -> None:
        """Hand a failed message back for prompt redelivery, where the broker can."""
        release = getattr(self.source, "release", None)
        if release is not None:
            try:
                release(msg)
            except Exception as exc:  # noqa: BLE001 - the broker redelivers after its timeout anyway
                log.warning(_("could not release message %s: %s"), msg.id, type(exc).__name__)

    def _key(self, msg: Message) -> str:
        """Names a message in the state (never its content)."""
        return hashlib.sha256(f"{self.source.name}\0{msg.id}".encode()).hexdigest()

    def _scan(self, name: str, body: bytes) -> list[Record]:
        if self.scan is not None:
            return self.scan(name, body)
        return scan_payload(self.engine, name, body, self.options.limits, self.options.min_confidence)

    def _masked(self, body: bytes) -> bytes | None:
        """The body with its numbers masked, if that is possible and leaves nothing to find."""
        masked = mask_body(self.engine, body, self.options.min_confidence)
        if masked is None:
            return None
        again = self._scan(f"{self.source.name}:masked", masked)
        return None if again else masked  # any finding or unread part left: divert instead

    def _headers(self, findings: list[FindingRecord], unscanned: list[NotScannedRecord]) -> dict[str, str]:
        top = max_confidence(findings)
        return {
            REASON: "my-number" if findings else (unscanned[0].reason if unscanned else "policy"),
            CONFIDENCE: top.label if top is not None else "",
            FINDINGS: str(len(findings)),
            FINGERPRINTS: ",".join(f.fingerprint for f in findings[:MAX_FINGERPRINTS_IN_HEADERS]),
            SOURCE: self.source.name,
        }

    def _alert(
        self, key: str, msg: Message, findings: list[FindingRecord], unscanned: list[NotScannedRecord],
        action: MessageAction,
    ) -> None:
        """Alert once per message: raises (the message fails) unless every sink took it."""
        if self.db.alerted(key):
            return  # a redelivery: alerted already
        self.alerter.send(message_alert(self.source.name, msg.id, msg.routing, findings, unscanned, action))
        self.db.mark_alerted(key)
        log.info(_("alert: queue %s message %s %s"), self.source.name, msg.id, action)
