"""``scan -f html``: the audit as one self-contained HTML file a manager can read — totals by
confidence and by reason, a table per directory, the files with most findings, what could not
be read and why, how a score is made, with charts (inline SVG). No script, no network: a
Content-Security-Policy forbids both. Only masked values and shown (masked) names go in;
never a number. In Japanese or English (``i18n``)."""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, select_autoescape

from scanner import __version__
from scanner.i18n import _, current_language, detail_text
from scanner.report.directories import DirectoryTotals
from scanner.report.records import Summary

MAX_LISTED = 1000
"""Not-scanned items (and findings) listed one by one; the totals count all of them."""
BAR_WIDTH = 320
"""Pixels of the longest bar of a chart."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart: its label, value and length in pixels."""

    label: str
    value: int
    width: int
    css: str = ""


def bars(items: list[tuple[str, int, str]]) -> list[Bar]:
    """Bars scaled so the largest is ``BAR_WIDTH`` (a zero stays empty)."""
    top = max((v for _l, v, _c in items), default=0) or 1
    return [Bar(label, value, round(BAR_WIDTH * value / top), css) for label, value, css in items]


def labels() -> dict[str, str]:
    """Every text of the report, in the current language."""
    return {
        "title": _("My Number audit report"),
        "generated": _("Generated"),
        "host": _("Host"),
        "scanned": _("Scanned"),
        "ruleset": _("Ruleset"),
        "duration": _("Duration"),
        "files": _("Files scanned"),
        "bytes": _("Bytes scanned"),
        "findings": _("Findings"),
        "not_scanned": _("Not scanned"),
        "suppressed": _("Suppressed (reviewed before)"),
        "by_confidence": _("Findings by confidence"),
        "by_reason": _("Not scanned, by reason"),
        "high": _("high"), "medium": _("medium"), "low": _("low"),
        "directories": _("By directory"),
        "directory": _("Directory"),
        "top_files": _("Files with the most findings"),
        "file": _("File"),
        "of_them_high": _("of them high"),
        "findings_list": _("Findings"),
        "where": _("Where"),
        "line": _("Line"),
        "masked": _("Number (masked)"),
        "confidence": _("Confidence"),
        "evidence": _("Evidence"),
        "unread": _("What could not be read"),
        "reason": _("Reason"),
        "detail": _("Detail"),
        "none": _("None."),
        "more": _("{count} more not listed; the JSON report (-f json) has them all."),
        "how": _("How a score is made"),
        "how_text": _(
            "A finding is a 12-digit number whose check digit is right. Its score adds up what "
            "surrounds it: the form (contiguous, or 4-4-4 groups), context words nearby "
            "(マイナンバー, 個人番号 raise it; 電話, 法人番号, 注文番号 lower it), the structure "
            "(a column headed 個人番号, a JSON key my_number, a label 「個人番号：」), and the "
            "document as a whole (many distinct valid values in one column make a roster). "
            "About 1 in 10 random 12-digit strings pass the check digit, so a bare number is low."),
        "thresholds": _("Thresholds: low from {low}, medium from {medium}, high from {high}."),
        "privacy": _("This report holds no My Number: numbers are masked, and numbers in file "
                     "names are masked too. Fingerprints are in the JSON report."),
    }


class HtmlWriter:
    """Collects rows and files as they come; writes the report at ``close``."""

    def __init__(self, out: TextIO, thresholds: tuple[float, float, float], operands: list[str]) -> None:
        self.out = out
        self.thresholds = thresholds
        self.operands = operands
        self.totals = DirectoryTotals()
        self.findings: list[dict[str, Any]] = []
        self.unread: list[dict[str, Any]] = []
        self.unlisted = 0

    def file(self, path: str, size: int) -> None:
        self.totals.file(path, size)

    def record(self, rec: dict[str, Any]) -> None:
        self.totals.record(rec)
        kept = self.findings if rec["type"] == "finding" else self.unread
        if len(kept) < MAX_LISTED:
            kept.append(rec if rec["type"] == "finding" else {**rec, "detail": detail_text(rec.get("detail") or "")})
        else:
            self.unlisted += 1

    def close(self, summary: Summary) -> None:
        env = Environment(loader=PackageLoader("scanner.report", "templates"),
                          autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
        t = labels()
        f = summary.findings
        low, medium, high = self.thresholds
        page = env.get_template("report.html.j2").render(
            t=t, lang=current_language(), summary=summary, version=__version__,
            generated=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), host=platform.node(),
            operands=self.operands, directories=self.totals.directories(), top_files=self.totals.top_files(),
            findings=self.findings, unread=self.unread, unlisted=self.unlisted,
            more=t["more"].format(count=self.unlisted),
            thresholds=t["thresholds"].format(low=low, medium=medium, high=high),
            confidence_bars=bars([(t["high"], f["high"], "high"), (t["medium"], f["medium"], "medium"),
                                  (t["low"], f["low"], "low")]),
            reason_bars=bars([(reason, n, "unread") for reason, n in sorted(summary.not_scanned.items())]),
        )
        self.out.write(page)
