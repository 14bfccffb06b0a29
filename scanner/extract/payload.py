"""Message payloads: text, JSON (keys are structure; base64 fields decoded), or any
document format the file extractors know."""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scanner.detect.engine import Engine
    from scanner.detect.finding import Confidence
    from scanner.extract.limits import Limits
    from scanner.report.records import Record

BASE64_MIN_CHARS = 64
"""JSON string values at least this long that decode as base64 are read as embedded files."""
_BASE64 = re.compile(r"^[A-Za-z0-9+/\r\n]+={0,2}$")


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def embedded_files(body: bytes) -> Iterator[tuple[str, bytes]]:
    """(JSON path, decoded bytes) of base64 string fields of a JSON payload."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return
    for path, text in _strings(doc):
        if len(text) >= BASE64_MIN_CHARS and _BASE64.match(text):
            try:
                yield path, base64.b64decode(text, validate=False)
            except (binascii.Error, ValueError):
                continue


def scan_payload(
    engine: Engine, name: str, body: bytes, limits: Limits, min_confidence: Confidence
) -> list[Record]:
    """Records for one message body: the body by content type, plus base64 files inside JSON."""
    from scanner.audit import scan_stream

    records = list(scan_stream(engine, name, io.BytesIO(body), limits, min_confidence))
    for path, data in embedded_files(body):
        records += scan_stream(engine, name, io.BytesIO(data), limits, min_confidence, member=f"base64:{path}")
    return records
