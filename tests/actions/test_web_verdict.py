"""The verdict on a web request: violations by policy, what was not read never passes unseen."""

from __future__ import annotations

import pytest

from scanner.actions.web_verdict import WebPolicy, decide_web
from scanner.detect.finding import Confidence
from scanner.report.records import FindingRecord, NotScannedRecord


def _finding(confidence: Confidence) -> FindingRecord:
    return FindingRecord("post", "form:body", 1, 1, "jp-my-number", confidence, 0.9, "********9018", "f" * 64,
                         ("check-digit",))


UNREAD = NotScannedRecord("post", "upload:a.zip", "limit:max_scan_size", "more than 1 bytes extracted")


@pytest.mark.parametrize("on_violation", ["block", "alert", "mask"])
def test_a_finding_at_the_policys_confidence_follows_on_violation(on_violation):
    verdict = decide_web(WebPolicy(on_violation=on_violation), [_finding(Confidence.HIGH)], [], True)
    assert (verdict.action, verdict.reason, verdict.alert) == (on_violation, "my-number", True)


def test_a_finding_below_min_confidence_neither_blocks_nor_alerts():
    verdict = decide_web(WebPolicy(), [_finding(Confidence.LOW)], [], True)
    assert (verdict.action, verdict.alert, verdict.findings) == ("allow", False, ())


def test_a_body_that_cannot_be_masked_is_blocked_instead():
    assert decide_web(WebPolicy(on_violation="mask"), [_finding(Confidence.HIGH)], [], False).action == "block"
    assert decide_web(WebPolicy(on_violation="mask"), [_finding(Confidence.HIGH)], [UNREAD], True).action == "block"


def test_a_part_not_read_blocks_by_default_and_is_alerted_when_allowed():
    assert decide_web(WebPolicy(), [], [UNREAD], True).action == "block"
    verdict = decide_web(WebPolicy(on_oversize="allow"), [], [UNREAD], True)
    assert (verdict.action, verdict.reason, verdict.alert) == ("alert", "not_scanned", True)


def test_a_clean_request_is_allowed_without_an_alert():
    verdict = decide_web(WebPolicy(), [], [], True)
    assert (verdict.action, verdict.alert) == ("allow", False)


def test_an_unknown_policy_value_is_refused():
    with pytest.raises(ValueError):
        WebPolicy(on_violation="ignore")


def test_an_upload_of_a_kind_with_no_text_is_passed_and_alerted_unless_on_unsupported_blocks():
    video = NotScannedRecord("post", "upload:clip.mp4", "unsupported", "binary content of an unsupported type")
    verdict = decide_web(WebPolicy(), [], [video], True)
    assert (verdict.action, verdict.reason, verdict.alert) == ("alert", "not_scanned", True)
    assert decide_web(WebPolicy(on_unsupported="block"), [], [video], True).action == "block"
    assert decide_web(WebPolicy(), [], [video, UNREAD], True).action == "block"  # the zip over a limit still blocks
    assert decide_web(WebPolicy(), [_finding(Confidence.HIGH)], [video], True).action == "block"
