"""SARIF 2.1.0 output, for code-scanning dashboards and CI annotations."""

from __future__ import annotations

import base64
import json
import os
from typing import TextIO
from urllib.parse import quote

from scanner import __version__
from scanner.detect.card import CARD_SUFFIX
from scanner.report.formats import Row
from scanner.report.records import Summary
from scanner.rules.model import Ruleset

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"high": "error", "medium": "warning", "low": "note"}
"""Confidence -> SARIF result level."""
FINGERPRINT_KEY = "myNumberHmac/v1"
CARD_DESCRIPTION = "An image of the card or letter that prints the number (OCR), even when the number is not read"


def _uri(rec: Row) -> str:
    """SARIF wants URIs: ``file:///abs/%E5%90%8D`` for absolute paths, percent-encoded relative ones.
    A name that is not UTF-8 is percent-encoded from its exact bytes (``path_bytes``)."""
    exact = rec.get("path_bytes")
    raw = base64.b64decode(exact) if exact else rec["path"].encode("utf-8")
    encoded = quote(raw.replace(os.sep.encode(), b"/"), safe="/")
    return "file://" + encoded if raw.startswith(b"/") else encoded


def sarif_rules(ruleset: Ruleset) -> list[tuple[str, str, str]]:
    """(id, name, description) of each rule, and of each rule's card finding (``<id>-card``)."""
    out = []
    for r in ruleset.rules:
        out.append((r.id, r.name, r.description))
        if r.card is not None:
            out.append((r.id + CARD_SUFFIX, f"{r.name} (card image)", CARD_DESCRIPTION))
    return out


class SarifWriter:
    """One SARIF log with a run whose results are the findings; not-scanned items are notifications."""

    def __init__(self, out: TextIO, rules: list[tuple[str, str, str]]) -> None:
        self.out = out
        self.rules = rules
        """(id, name, description) of each rule in the ruleset."""
        self.results: list[dict] = []
        self.notifications: list[dict] = []

    def record(self, rec: Row) -> None:
        uri = _uri(rec)
        if rec["type"] == "finding":
            self.results.append(
                {
                    "ruleId": rec["rule"],
                    "level": LEVELS[rec["confidence"]],
                    "message": {"text": f"Possible My Number {rec['masked']} ({rec['confidence']} confidence)"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
                                "region": {"startLine": rec["line"], "startColumn": rec["column"]},
                            },
                            **({"logicalLocations": [{"fullyQualifiedName": rec["member"]}]} if rec["member"] else {}),
                        }
                    ],
                    "partialFingerprints": {FINGERPRINT_KEY: rec["fingerprint"]},
                    "properties": {
                        "confidence": rec["confidence"],
                        "score": rec["score"],
                        "masked": rec["masked"],
                        "reasons": rec["reasons"],
                        "member": rec["member"],
                    },
                }
            )
        else:
            self.notifications.append(
                {
                    "level": "warning",
                    "message": {"text": f"not scanned: {rec['reason']} ({rec['detail']})"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                    "properties": {"reason": rec["reason"], "member": rec["member"], "detail": rec["detail"]},
                }
            )

    def close(self, summary: Summary) -> None:
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "mynumber-dlp",
                            "version": __version__,
                            "rules": [
                                {"id": rid, "name": name, "shortDescription": {"text": desc or name}}
                                for rid, name, desc in self.rules
                            ],
                        }
                    },
                    "invocations": [
                        {"executionSuccessful": True, "toolExecutionNotifications": self.notifications}
                    ],
                    "results": self.results,
                    "properties": {"summary": summary.as_dict()},
                }
            ],
        }
        json.dump(log, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")
