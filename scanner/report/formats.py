"""Writers for ``scan --format``: text, jsonl, json, csv (SARIF lives in sarif.py).

``Presented`` turns each typed record into its contract object (``record_dict``) with
names as outputs show them (``names.present``) and hands it to a writer; a writer
receives these objects as they are produced and the summary at the end.
text, jsonl and csv stream; json and sarif are one document, written at the end.
"""

from __future__ import annotations

import csv
import functools
import json
from typing import Any, Protocol, TextIO

from scanner.i18n import _, detail_text
from scanner.report.directories import DirectoryTotals
from scanner.report.names import present, shown_exactly, shown_name
from scanner.report.records import FileDone, FindingRecord, Record, Summary, record_dict

CSV_COLUMNS = (
    "type", "path", "member", "line", "column", "rule", "confidence", "score",
    "masked", "fingerprint", "reasons", "reason", "detail",
)


Row = dict[str, Any]
"""A record as outputs carry it: the contract's object, names shown."""


class Writer(Protocol):
    """Receives rows, then the summary."""

    def record(self, rec: Row) -> None: ...

    def close(self, summary: Summary) -> None: ...


class Presented:
    """Serialises typed records for a writer: the contract's object, with paths and member names
    as outputs show them (numbers in names masked unless ``raw``, undecodable bytes and control
    characters escaped); ``rename`` shows a path under another name (``-`` for stdin)."""

    def __init__(self, writer: Writer, raw: bool = False, rename: dict[str, str] | None = None) -> None:
        self.writer, self.raw, self.rename = writer, raw, rename or {}

    def record(self, rec: Record) -> None:
        if isinstance(self.writer, JsonlWriter) and isinstance(rec, FindingRecord) and rec.path not in self.rename:
            line = finding_line(rec, self.raw)
            if line is not None:
                self.writer.write_line(line)
                return
        row = record_dict(rec)
        if row["path"] in self.rename:
            row["path"] = self.rename[row["path"]]
        self.writer.record(present(row, self.raw))

    def file(self, path: str, done: FileDone) -> None:
        """A scanned file, for writers that total per directory (their ``file(shown path, size)``)."""
        take = getattr(self.writer, "file", None)
        if take is not None:
            take(shown_name(self.rename.get(path, path), self.raw), done.size)

    def close(self, summary: Summary) -> None:
        self.writer.close(summary)


def _dumps(rec: Row) -> str:
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


_json_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str


@functools.lru_cache(maxsize=4096)
def _json_reasons(reasons: tuple[str, ...]) -> str:
    return "[" + ",".join(_json_string(r) for r in reasons) + "]"


def finding_line(rec: FindingRecord, raw: bool = False) -> str | None:
    """``_dumps(present(record_dict(rec)))`` for a finding whose path and member are shown
    exactly (no ``*_bytes``), built directly: a roster's million findings are a million of
    these. None when the general path is needed."""
    path = shown_exactly(rec.path, raw)
    member = "null" if rec.member is None else shown_exactly(rec.member, raw)
    if path is None or member is None:
        return None
    return (
        f'{{"type":"finding","path":{path},"member":{member},"line":{rec.line},"column":{rec.column},'
        f'"rule":{_json_string(rec.rule)},"confidence":"{rec.confidence.label}","score":{rec.score!r},'
        f'"masked":{_json_string(rec.masked)},"fingerprint":{_json_string(rec.fingerprint)},'
        f'"reasons":{_json_reasons(rec.reasons)}}}'
    )


class JsonlWriter:
    """One JSON object per line; a closing ``summary`` record."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def record(self, rec: Row) -> None:
        self.out.write(_dumps(rec) + "\n")

    def write_line(self, line: str) -> None:
        """One record already serialised (``finding_line``)."""
        self.out.write(line + "\n")

    def close(self, summary: Summary) -> None:
        self.out.write(_dumps(summary.as_dict()) + "\n")


class JsonWriter:
    """One JSON document: ``{"findings": [...], "not_scanned": [...], "summary": {...}}``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.findings: list[Row] = []
        self.not_scanned: list[Row] = []

    def record(self, rec: Row) -> None:
        (self.findings if rec["type"] == "finding" else self.not_scanned).append(rec)

    def close(self, summary: Summary) -> None:
        doc = {"findings": self.findings, "not_scanned": self.not_scanned, "summary": summary.as_dict()}
        json.dump(doc, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")


class CsvWriter:
    """A header row, then one row per finding or not-scanned item; reasons joined by ``;``."""

    def __init__(self, out: TextIO, excel: bool = False) -> None:
        """``excel``: a UTF-8 byte order mark first and CRLF line ends, so Japanese Excel opens
        the file as UTF-8 (without the mark it guesses Shift_JIS and garbles every name)."""
        if excel:
            out.write("\ufeff")
        self.writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore",
                                     lineterminator="\r\n" if excel else "\n")
        self.writer.writeheader()

    def record(self, rec: Row) -> None:
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


def suppressed_by_text(suppressed: dict[str, int]) -> str:
    """``baseline 2, allowlist 1``: what hid how many findings."""
    return ", ".join(f"{by} {n}" for by, n in suppressed.items())


class TextWriter:
    """For people: one line per finding, ``NOT SCANNED`` lines, a closing summary."""

    def __init__(self, out: TextIO, by_directory: bool = False) -> None:
        """``by_directory``: a table of files, findings and unread items per directory at the end."""
        self.out = out
        self.totals = DirectoryTotals() if by_directory else None

    def file(self, path: str, size: int) -> None:
        if self.totals is not None:
            self.totals.file(path, size)

    def record(self, rec: Row) -> None:
        if self.totals is not None:
            self.totals.record(rec)
        where = rec["path"] + (f" [{rec['member']}]" if rec.get("member") else "")
        if rec["type"] == "finding":
            self.out.write(
                f"{where}:{rec['line']}:{rec['column']}  {rec['masked']}  {rec['confidence']} ({rec['score']:.2f})"
                f"  {' '.join(rec['reasons'])}\n"
            )
        else:
            self.out.write(_("NOT SCANNED {where}: {reason} ({detail})").format(
                where=where, reason=rec["reason"], detail=detail_text(rec["detail"])) + "\n")

    def close(self, summary: Summary) -> None:
        f = summary.findings
        ns = summary.total_not_scanned
        line = _("Scanned {files} files ({size}) in {seconds} s: {findings} findings "
                 "(high {high}, medium {medium}, low {low})").format(
            files=summary.files_scanned, size=_human_bytes(summary.bytes_scanned),
            seconds=f"{summary.duration_seconds:.2f}", findings=summary.total_findings, high=f["high"],
            medium=f["medium"], low=f["low"])
        if ns:
            line += _("; {count} not scanned").format(count=ns)
        if summary.suppressed:
            line += _("; {count} suppressed ({by})").format(count=sum(summary.suppressed.values()),
                                                            by=suppressed_by_text(summary.suppressed))
        self.out.write("\n" + line + _(".") + "\n")
        if self.totals is not None:
            self._directories(self.totals)

    def _directories(self, totals: DirectoryTotals) -> None:
        heads = (_("files"), _("findings"), _("high"), _("not scanned"))
        self.out.write("\n" + "  ".join(f"{h:>11}" for h in heads) + "  " + _("directory") + "\n")
        for d in totals.directories():
            self.out.write(f"{d.files:>11}  {d.findings:>11}  {d.high:>11}  {d.not_scanned:>11}  {d.directory}\n")
