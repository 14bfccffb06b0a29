"""What happens to a web request (a post through the ICAP service, a call of the scan API):
block it, pass it and alert, pass it with its numbers masked, or pass it.

The rule is the message gate's, for a request in flight: what could not be read does not pass
unseen. A finding at or above ``min_confidence`` is a violation (``on_violation``); a part over
a limit, or one that could not be read, follows ``on_oversize`` (``block`` by default: a proxy
that passes what it could not read is switched off by anyone who zips a file twice). A file of
a kind with no text in it (a video, an executable) is passed and alerted (``on_unsupported``):
blocking every video upload would get the service switched off on its first day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scanner.detect.finding import Confidence
from scanner.report.records import FindingRecord, NotScannedRecord
from scanner.schema import ConfidenceLevel, StrictModel

WebAction = Literal["block", "alert", "mask", "allow"]
"""``block``: answered 403 with the block page; ``alert``: passed, alerted; ``mask``: passed
with its numbers masked, alerted; ``allow``: passed untouched."""


class WebPolicy(StrictModel):
    """The policy keys of ``[serve.icap]`` (and the scan API's verdict)."""

    on_violation: Literal["block", "alert", "mask"] = "block"
    """A request with a finding at or above ``min_confidence``: blocked, passed and alerted, or passed
    masked (text and JSON bodies only; anything else is blocked)."""
    on_oversize: Literal["block", "allow"] = "block"
    """A request with a part over a limit or that could not be read (encrypted, corrupt): blocked,
    or passed and alerted."""
    on_unsupported: Literal["alert", "block"] = "alert"
    """A request whose only unread parts are files of a kind that holds no text we read (video,
    audio, executables, unknown binary): passed and alerted, or blocked. Documents, archives and
    images are read whatever their name says, so renaming one does not make it unsupported."""
    min_confidence: ConfidenceLevel = Confidence.MEDIUM
    """Findings below this neither block nor alert."""


@dataclass(frozen=True, slots=True)
class WebVerdict:
    """The decision about one request, and why."""

    action: WebAction
    reason: Literal["my-number", "not_scanned", "clean"]
    findings: tuple[FindingRecord, ...]
    """The findings at or above the policy's confidence."""
    unscanned: tuple[NotScannedRecord, ...]

    @property
    def alert(self) -> bool:
        """Whether the request is alerted (all but a clean pass)."""
        return self.reason != "clean"


def decide_web(
    policy: WebPolicy, findings: list[FindingRecord], unscanned: list[NotScannedRecord], maskable: bool
) -> WebVerdict:
    """The verdict for a request with these records; ``maskable``: its body is text or JSON the
    caller can mask in place."""
    counted = tuple(f for f in findings if f.confidence >= policy.min_confidence)
    unread = tuple(unscanned)
    if counted:
        action: WebAction = policy.on_violation
        if action == "mask" and (not maskable or unread):
            action = "block"  # never pass a number that could not be masked, nor a part not read
        return WebVerdict(action, "my-number", counted, unread)
    if unread:
        if all(r.reason == "unsupported" for r in unread):
            action = "block" if policy.on_unsupported == "block" else "alert"
        else:
            action = "block" if policy.on_oversize == "block" else "alert"
        return WebVerdict(action, "not_scanned", counted, unread)
    return WebVerdict("allow", "clean", counted, unread)
