"""Writers for ``scan --format``: text, jsonl, json, csv (SARIF lives in sarif.py).

A writer receives records as they are produced and the summary at the end.
text, jsonl and csv stream; json and sarif are one document, written at the end.
"""

from __future__ import annotations

import csv
import json
from typing import Protocol, TextIO

from scanner.report.records import Record, Summary

CSV_COLUMNS = (
    "type", "path", "member", "line", "column", "rule", "confidence", "score",
    "masked", "fingerprint", "reasons", "reason", "detail",
)


class Writer(Protocol):
    """Receives records, then the summary."""

    def record(self, rec: Record) -> None: ...

    def close(self, summary: Summary) -> None: ...


def _dumps(rec: Record) -> str:
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


class JsonlWriter:
    """One JSON object per line; a closing ``summary`` record."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def record(self, rec: Record) -> None:
        self.out.write(_dumps(rec) + "\n")

    def close(self, summary: Summary) -> None:
        self.out.write(_dumps(summary.record()) + "\n")


class JsonWriter:
    """One JSON document: ``{"findings": [...], "not_scanned": [...], "summary": {...}}``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.findings: list[Record] = []
        self.not_scanned: list[Record] = []

    def record(self, rec: Record) -> None:
        (self.findings if rec["type"] == "finding" else self.not_scanned).append(rec)

    def close(self, summary: Summary) -> None:
        doc = {"findings": self.findings, "not_scanned": self.not_scanned, "summary": summary.record()}
        json.dump(doc, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")


class CsvWriter:
    """A header row, then one row per finding or not-scanned item; reasons joined by ``;``."""

    def __init__(self, out: TextIO) -> None:
        self.writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
        self.writer.writeheader()

    def record(self, rec: Record) -> None:
        row = dict(rec)
        if "reasons" in row:
            row["reasons"] = ";".join(row["reasons"])
        self.writer.writerow(row)

    def close(self, summary: Summary) -> None:
        pass


def _human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


class TextWriter:
    """For people: one line per finding, ``NOT SCANNED`` lines, a closing summary."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def record(self, rec: Record) -> None:
        where = rec["path"] + (f" [{rec['member']}]" if rec.get("member") else "")
        if rec["type"] == "finding":
            self.out.write(
                f"{where}:{rec['line']}:{rec['column']}  {rec['masked']}  {rec['confidence']} ({rec['score']:.2f})"
                f"  {' '.join(rec['reasons'])}\n"
            )
        else:
            self.out.write(f"NOT SCANNED {where}: {rec['reason']} ({rec['detail']})\n")

    def close(self, summary: Summary) -> None:
        f = summary.findings
        ns = summary.total_not_scanned
        self.out.write(
            f"\nScanned {summary.files_scanned} files ({_human_bytes(summary.bytes_scanned)}) in "
            f"{summary.duration_seconds:.2f} s: {summary.total_findings} findings "
            f"(high {f['high']}, medium {f['medium']}, low {f['low']})"
            + (f"; {ns} not scanned" if ns else "")
            + ".\n"
        )
