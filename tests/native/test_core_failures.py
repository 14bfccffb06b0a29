"""A panic in the native core is an exception the scanner reports, never the end of the
process: the document becomes ``not_scanned: error`` and the next one is scanned."""

from __future__ import annotations

import io

import pytest

from scanner import _native
from scanner.audit import scan_stream
from scanner.detect.engine import Engine
from scanner.detect.finding import Confidence
from scanner.detect.native_engine import NativeCoreError, NativeDocument
from scanner.extract.limits import Limits
from scanner.privacy.fingerprint import Fingerprinter
from scanner.report.records import FindingRecord, NotScannedRecord
from scanner.rules.loader import load_ruleset


class _Panicking:
    """A core document whose every call panics in Rust."""

    def feed(self, *_args):
        return _native.panic_for_tests()

    jump = close = feed


def test_a_panic_in_the_core_becomes_a_native_core_error():
    doc = NativeDocument(_Panicking(), ())  # type: ignore[arg-type]
    with pytest.raises(NativeCoreError):
        doc.feed("個人番号：123456789018")


def test_a_document_the_core_panics_on_is_not_scanned_and_the_next_is_scanned(monkeypatch):
    engine = Engine(load_ruleset([]), Fingerprinter("k"))
    real = engine.document
    monkeypatch.setattr(engine, "document", lambda: NativeDocument(_Panicking(), engine.ruleset.rules))
    records = list(scan_stream(engine, "bad.txt", io.BytesIO("個人番号：123456789018\n".encode()), Limits(),
                               Confidence.LOW))
    assert [(type(r), r.reason) for r in records if isinstance(r, NotScannedRecord)] == [(NotScannedRecord, "error")]
    monkeypatch.setattr(engine, "document", real)
    again = list(scan_stream(engine, "good.txt", io.BytesIO("個人番号：123456789018\n".encode()), Limits(),
                             Confidence.LOW))
    assert [type(r) for r in again] == [FindingRecord]
