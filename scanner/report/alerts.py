"""The one serialisation of an alert, for every sink: the JSON object, names shown as in records."""

from __future__ import annotations

import json
import time
from typing import Any

from scanner.actions.alerting import Alert
from scanner.report.alert_message import alert_message
from scanner.report.names import present_alert
from scanner.report.records import max_confidence, record_dict

FINDING_FIELDS = ("member", "line", "column", "rule", "confidence", "score", "masked", "fingerprint", "reasons")
"""What an alert says of each finding (its path is the alert's)."""
NOT_SCANNED_FIELDS = ("member", "reason", "detail")
"""What an alert says of each item it could not read."""
BRIEF_FIELDS = ("type", "time", "host", "source", "path", "message_id", "request", "findings", "max_confidence",
                "action", "quarantine_id", "message")
"""What a brief alert keeps (syslog, where the whole one is too long)."""


def alert_dict(alert: Alert) -> dict[str, Any]:
    """The alert's JSON object; fields that do not apply (a message's path, an id never given) are left out."""
    top = max_confidence(list(alert.findings))
    out: dict[str, Any] = {
        "type": "alert",
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(alert.time)),
        "source": alert.source,
        "path": alert.path,
        "message_id": alert.message_id,
        "routing": alert.routing,
        "request": alert.request,
        "findings": len(alert.findings),
        "max_confidence": top.label if top is not None else None,
        "details": [{k: v for k, v in record_dict(f).items() if k in FINDING_FIELDS} for f in alert.findings],
        "not_scanned": [{k: v for k, v in record_dict(r).items() if k in NOT_SCANNED_FIELDS} for r in alert.unscanned],
        "action": alert.action,
        "quarantine_id": alert.quarantine_id,
        "error": alert.error,
    }
    out["host"] = alert.host
    if alert.file is not None:
        out["file"] = {"owner": alert.file.owner, "size": alert.file.size,
                       "modified": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(alert.file.modified))}
    for optional in ("path", "message_id", "routing", "request", "quarantine_id", "error"):
        if out[optional] is None:
            del out[optional]
    out["message"] = alert_message(present_alert(out))  # from the names as shown: no number in it
    return out


def alert_line(alert: Alert, brief: bool = False) -> str:
    """One JSON line: numbers in names masked, bytes that are not UTF-8 escaped (``names.py``)."""
    doc = present_alert(alert_dict(alert))
    if brief:
        doc = {k: doc[k] for k in BRIEF_FIELDS if k in doc}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def alert_details(alert: Alert) -> list[dict[str, Any]]:
    """The alert's findings as it shows them (kept with a quarantined file as its reasons)."""
    details: list[dict[str, Any]] = present_alert(alert_dict(alert))["details"]
    return details
