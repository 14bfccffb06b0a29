"""One web request scanned: its URL (path and query), its form fields and text as text, its
uploaded files as files (by an injected scanner: the daemon's isolated workers).

Pure but for ``scan_file``: a request in, records out. A body that cannot be split as its headers
say, or that is over a limit, is a ``not_scanned`` record (the verdict then follows ``on_oversize``),
never an empty request.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from dataclasses import dataclass

from scanner.detect.engine import Engine
from scanner.detect.finding import Confidence
from scanner.detect.names import mask_name
from scanner.extract.http_body import BodyError, BodyPart, BodyTooLarge, body_parts, query_parts
from scanner.extract.parts import join_member
from scanner.extract.textfile import BinaryContent, decode_stream
from scanner.report.records import FindingRecord, NotScannedRecord, Record, finding_record, not_scanned_record

FileScanner = Callable[[str, bytes], list[Record]]
"""Scans one uploaded file (name in records, bytes) -> its records."""
INLINE_SCAN_BYTES = 64 * 1024
"""Text bodies up to this size are scanned on the event loop: a thread hop costs more than
scanning 1 KB. Larger ones, encoded ones and files go to a thread (the core releases the GIL;
a file waits for an isolated worker)."""
INLINE_TYPES = ("text/", "application/json", "application/x-www-form-urlencoded")


def scans_inline(size: int, content_type: str, content_encoding: str) -> bool:
    """Whether a body is small and plain enough to scan on the event loop itself."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if size == 0:
        return True  # a GET: only its URL is read
    return size <= INLINE_SCAN_BYTES and not content_encoding and (kind.startswith(INLINE_TYPES)
                                                                   or kind.endswith("+json"))



@dataclass(frozen=True, slots=True)
class WebRequest:
    """What one HTTP request says about itself: for the scan, the verdict and the alert."""

    method: str
    host: str
    target: str
    """The request target in origin form (path and query)."""
    content_type: str = ""
    content_encoding: str = ""
    body: bytes = b""
    over: bool = False
    """More than ``max_body`` bytes came: ``body`` holds only the start."""

    @property
    def path(self) -> str:
        """The target without its query, numbers masked: what records and alerts name."""
        return mask_name(self.target.split("?", 1)[0].split("#", 1)[0])

    @property
    def name(self) -> str:
        """The request's name in records: ``http://host/path`` (never its query)."""
        return f"http://{self.host}{self.path}"


def _text_records(engine: Engine, name: str, part: BodyPart, min_confidence: Confidence) -> list[Record]:
    """A form field, the query or a text body, in whatever encoding the page sent it."""
    try:
        _, chunks = decode_stream(io.BytesIO(part.data))
    except BinaryContent:
        return [not_scanned_record(name, part.member, "unsupported", "not text in an encoding we read")]
    doc = engine.document()
    field = (part.member or "").partition(":")[2]
    if field:
        doc.set_titles((field,), ())  # a field named 個人番号 or my_number says what its value is
    text = "".join(chunks)
    return [finding_record(name, part.member, f) for f in doc.feed(text) + doc.close()
            if f.confidence >= min_confidence]


def _file_records(scan_file: FileScanner, name: str, part: BodyPart) -> list[Record]:
    """An upload's records, named inside the request (``upload:roster.xlsx/Sheet1``)."""
    out: list[Record] = []
    for r in scan_file(name, part.data):
        member = join_member(part.member, r.member)
        if isinstance(r, FindingRecord):
            out.append(r._replace(path=name, member=member))
        elif isinstance(r, NotScannedRecord):
            out.append(dataclasses.replace(r, path=name, member=member))
    return out


@dataclass(frozen=True, slots=True)
class BodyScan:
    """How to read bodies: the uploads' scanner, the limits, the confidence records start at."""

    scan_file: FileScanner
    max_body: int
    max_ratio: int
    min_confidence: Confidence


def scan_body(
    engine: Engine, name: str, body: bytes, content_type: str, content_encoding: str, how: BodyScan,
    over: bool = False, as_file: bool = False,
) -> list[Record]:
    """Every finding and unread part of one body, named ``name`` in its records; ``over``: more
    than ``max_body`` came and ``body`` is only its start; ``as_file``: the body is one file
    (read by its content) unless it is a form."""
    if over:
        return [not_scanned_record(name, None, "limit:max_body", f"body over {how.max_body} bytes")]
    try:
        parts = body_parts(body, content_type, content_encoding, how.max_body, how.max_ratio)
    except BodyTooLarge as exc:
        return [not_scanned_record(name, None, "limit:max_body", exc.reason)]
    except BodyError as exc:
        return [not_scanned_record(name, None, "corrupt", exc.reason)]
    records: list[Record] = []
    for part in parts:
        if as_file and part.member is None:
            part = BodyPart(None, part.data, "file")
        if part.kind == "text":
            records += _text_records(engine, name, part, how.min_confidence)
        else:
            records += _file_records(how.scan_file, name, part)
    return records


def scan_request(engine: Engine, request: WebRequest, how: BodyScan) -> list[Record]:
    """Every finding and unread part of one request (its URL, query and body), at or above
    ``min_confidence``."""
    name = request.name
    url = [BodyPart("url", request.target.split("?", 1)[0].encode("latin-1", "replace"), "text"),
           *query_parts(request.target)]
    records: list[Record] = [r for p in url for r in _text_records(engine, name, p, how.min_confidence)]
    return records + scan_body(engine, name, request.body, request.content_type, request.content_encoding, how,
                               request.over)
