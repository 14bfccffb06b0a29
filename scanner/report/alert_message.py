"""The one-line human ``message`` of an alert, in the current language: what was found where,
and what was done. Built from the alert as sinks write it (names already masked), so it can
hold no number either."""

from __future__ import annotations

from typing import Any

from scanner.i18n import _, ngettext


def _confidence(label: str | None) -> str:
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}.get(label or "", "-")


def _what_done(action: str) -> str:
    return {
        "alert": _("left in place"),
        "not_scanned": _("could not be read whole"),
        "quarantined": _("moved to quarantine"),
        "quarantine_failed": _("quarantine failed; left in place"),
        "released": _("left in place (released by an operator)"),
        "forwarded": _("forwarded"),
        "masked": _("passed on with the numbers masked"),
        "diverted": _("diverted to quarantine"),
        "blocked": _("blocked"),
        "passed": _("passed"),
    }.get(action, action)


def alert_message(doc: dict[str, Any]) -> str:
    """``doc`` is the alert's JSON object with names shown (``report.alerts``)."""
    if doc.get("request"):
        request = doc["request"]
        where = _("a post to {host}{path}").format(host=request.get("host", ""), path=request.get("path", ""))
    elif doc.get("message_id") is not None:
        where = _("message {id} on {source}").format(id=doc["message_id"], source=doc["source"])
    else:
        where = _("{path} on {source}").format(path=doc.get("path", ""), source=doc["source"])
    if doc["findings"]:
        what = ngettext("{count} possible My Number (confidence {confidence})",
                        "{count} possible My Numbers (highest confidence {confidence})", doc["findings"]).format(
            count=doc["findings"], confidence=_confidence(doc.get("max_confidence")))
    else:
        unread = len(doc.get("not_scanned", []))
        what = ngettext("{count} part that could not be read", "{count} parts that could not be read",
                        unread).format(count=unread)
    return _("{what} in {where}: {done}.").format(what=what, where=where, done=_what_done(doc["action"]))
