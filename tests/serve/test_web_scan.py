"""A web request scanned as the ICAP service and the scan API see it: URL, fields, uploads."""

from __future__ import annotations

import gzip
import json

import pytest

from scanner.detect.finding import Confidence
from scanner.extract.limits import Limits
from scanner.extract.payload import scan_payload
from scanner.report.records import FindingRecord, NotScannedRecord
from scanner.serve.web_scan import INLINE_SCAN_BYTES, BodyScan, WebRequest, scan_body, scan_request, scans_inline
from tests.serve.uploads import multipart_upload, roster_xlsx

N = "123456789018"
MiB = 1024 * 1024


def _scan(engine, request):
    def scan_file(name, data):
        return scan_payload(engine, name, data, Limits(), Confidence.LOW)

    return scan_request(engine, request, BodyScan(scan_file, MiB, 200, Confidence.LOW))


def test_a_number_in_a_form_field_is_found_and_the_record_names_the_field_not_the_query(engine):
    body = f"title=日記&body=個人番号 {N}".encode()
    recs = _scan(engine, WebRequest("POST", "blog.example", "/post?draft=1", "application/x-www-form-urlencoded",
                                    body=body))
    assert [(r.member, r.masked) for r in recs] == [("form:body", "********9018")]
    assert recs[0].path == "http://blog.example/post"


def test_a_number_in_the_query_string_is_found_and_the_path_it_names_is_masked(engine):
    recs = _scan(engine, WebRequest("GET", "h", f"/u/{N}/edit?mynumber={N}"))
    assert [r.member for r in recs] == ["query:mynumber"]
    assert recs[0].path == "http://h/u/********9018/edit"


def test_a_gzip_json_body_is_decoded_before_it_is_scanned(engine):
    body = gzip.compress(json.dumps({"note": f"マイナンバー {N}"}, ensure_ascii=False).encode())
    recs = _scan(engine, WebRequest("POST", "h", "/api", "application/json", "gzip", body))
    assert [r.masked for r in recs] == ["********9018"]


def test_a_shift_jis_form_field_keeps_its_japanese_context(engine):
    from urllib.parse import quote_from_bytes

    value = f"個人番号：{N}".encode("cp932")
    recs = _scan(engine, WebRequest("POST", "h", "/", "application/x-www-form-urlencoded",
                                    body=b"comment=" + quote_from_bytes(value).encode()))
    assert [r.confidence for r in recs] == [Confidence.HIGH]


def test_an_uploaded_xlsx_is_scanned_as_a_file_and_named_inside_the_request(engine):
    body, ctype = multipart_upload("名簿.xlsx", roster_xlsx("山田", N))
    recs = _scan(engine, WebRequest("POST", "h", "/upload", ctype, body=body))
    assert recs and all(r.member.startswith("upload:名簿.xlsx") for r in recs)
    assert any(isinstance(r, FindingRecord) and r.confidence == Confidence.HIGH for r in recs)


def test_a_body_over_the_limit_or_broken_is_not_scanned_never_clean(engine):
    over = _scan(engine, WebRequest("POST", "h", "/", "text/plain", body=b"x", over=True))
    broken = _scan(engine, WebRequest("POST", "h", "/", "text/plain", "gzip", b"not gzip"))
    assert [r.reason for r in over] == ["limit:max_body"]
    assert [type(r) for r in broken] == [NotScannedRecord] and broken[0].reason == "corrupt"


def test_a_body_posted_as_a_file_is_read_as_one_so_a_csv_header_gives_context(engine):
    calls = []

    def scan_file(name, data):
        calls.append(name)
        return scan_payload(engine, name, data, Limits(), Confidence.LOW)

    csv = f"氏名,個人番号\n山田 太郎,{N}\n".encode()
    recs = scan_body(engine, "roster.csv", csv, "text/plain", "", BodyScan(scan_file, MiB, 200, Confidence.LOW),
                     as_file=True)
    assert calls == ["roster.csv"] and [(r.path, r.masked) for r in recs] == [("roster.csv", "********9018")]


@pytest.mark.parametrize(("size", "ctype", "coding", "inline"), [
    (1000, "text/plain; charset=utf-8", "", True),
    (1000, "application/x-www-form-urlencoded", "", True),
    (1000, "application/ld+json", "", True),
    (0, "", "", True),  # a GET: its URL only
    (1000, "text/plain", "gzip", False),  # inflating may take long
    (1000, "application/octet-stream", "", False),  # a file waits for an isolated worker
    (1000, "multipart/form-data; boundary=x", "", False),
    (INLINE_SCAN_BYTES + 1, "text/plain", "", False),
])
def test_only_small_plain_text_bodies_are_scanned_on_the_event_loop(size, ctype, coding, inline):
    assert scans_inline(size, ctype, coding) is inline
