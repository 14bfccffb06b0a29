"""Request bodies split as the browser sent them: codings undone (bounded), forms by field,
uploads as files, the query string too."""

from __future__ import annotations

import gzip
import io
import json
import urllib.parse
import uuid
import zlib

import brotli
import openpyxl
import pytest

from scanner.extract.http_body import BodyError, BodyTooLarge, body_parts, decode_content, query_parts

MiB = 1024 * 1024


def _multipart(fields: dict[str, str], files: dict[str, bytes]) -> tuple[bytes, str]:
    """A multipart/form-data body as browsers write it (RFC 7578)."""
    boundary = "----WebKitFormBoundary" + uuid.uuid4().hex[:16]
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for filename, data in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                  "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["氏名", "個人番号"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_an_urlencoded_form_is_one_text_part_per_field_percent_decoded():
    body = urllib.parse.urlencode({"title": "日記", "body": "個人番号 1234 5678 9018", "empty": ""}).encode()
    parts = body_parts(body, "application/x-www-form-urlencoded", "", MiB, 200)
    assert [(p.member, p.data.decode(), p.kind) for p in parts] == [
        ("form:title", "日記", "text"), ("form:body", "個人番号 1234 5678 9018", "text")]


def test_a_multipart_upload_gives_its_fields_as_text_and_its_files_as_files():
    xlsx = _xlsx()
    body, ctype = _multipart({"comment": "名簿です"}, {"名簿.xlsx": xlsx})
    parts = body_parts(body, ctype, "", MiB, 200)
    assert [(p.member, p.kind) for p in parts] == [("form:comment", "text"), ("upload:名簿.xlsx", "file")]
    assert parts[1].data == xlsx


@pytest.mark.parametrize("coding,encode", [
    ("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some clients send it
])
def test_each_content_coding_is_undone_before_the_json_is_read(coding, encode):
    doc = json.dumps({"note": "マイナンバー 1234 5678 9018"}, ensure_ascii=False).encode()
    parts = body_parts(encode(doc), "application/json; charset=utf-8", coding, MiB, 200)
    assert [(p.member, p.data, p.kind) for p in parts] == [(None, doc, "text")]


def test_a_compression_bomb_is_too_large_not_decoded_whole():
    bomb = gzip.compress(b"0" * (20 * MiB))
    with pytest.raises(BodyTooLarge):
        decode_content(bomb, "gzip", 512 * MiB, 200)  # the ratio stops it
    with pytest.raises(BodyTooLarge):
        decode_content(gzip.compress(b"0" * (2 * MiB)), "gzip", MiB, 10_000)  # the size stops it


@pytest.mark.parametrize("coding,body", [("gzip", b"not gzip"), ("gzip", gzip.compress(b"x" * 1000)[:20]),
                                         ("br", b"\xff\xff"), ("compress", b"x")])
def test_a_body_that_does_not_decode_as_its_coding_says_is_an_error(coding, body):
    with pytest.raises(BodyError):
        decode_content(body, coding, MiB, 200)


def test_a_broken_multipart_body_is_an_error_not_an_empty_form():
    body, ctype = _multipart({"comment": "x"}, {})
    with pytest.raises(BodyError):
        body_parts(body[:-30], ctype, "", MiB, 200)
    with pytest.raises(BodyError):
        body_parts(body, "multipart/form-data", "", MiB, 200)


def test_an_unknown_type_is_read_as_a_file_by_its_content():
    assert [(p.member, p.kind) for p in body_parts(b"%PDF-1.7 ...", "application/pdf", "", MiB, 200)] == [
        (None, "file")]


def test_the_query_string_is_scanned_field_by_field():
    parts = query_parts("http://blog.example/search?q=%E5%80%8B%E4%BA%BA%E7%95%AA%E5%8F%B7+123456789018&page=2#top")
    assert [(p.member, p.data.decode()) for p in parts] == [("query:q", "個人番号 123456789018"), ("query:page", "2")]
    assert query_parts("http://blog.example/") == []
