"""What the fuzzer (tests/fuzz) found, each pinned by the behaviour it broke.

The inputs are rebuilt here with the libraries that make such files, reduced to what
triggered the failure, rather than kept as opaque blobs."""

from __future__ import annotations

import io
import logging
import random
import zipfile

from tests.conftest import make_number
from tests.extract.test_documents import scan

RNG = random.Random(4711)
N = make_number(RNG)
TAIL = N[-4:]
WML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_in(encoding: str, declared: str) -> bytes:
    xml = (f'<?xml version="1.0" encoding="{declared}" standalone="yes"?>'
           f'<w:document xmlns:w="{WML}"><w:body><w:p><w:r><w:t>個人番号：{N}</w:t></w:r></w:p></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml.encode(encoding))
    return buf.getvalue()


def test_office_part_declared_shift_jis_is_read(engine, tmp_path):
    # expat stops on a multi-byte declaration ("multi-byte encodings are not supported", ValueError)
    path = tmp_path / "sjis.docx"
    path.write_bytes(_docx_in("cp932", "Shift_JIS"))
    found, _weak, skipped = scan(engine, path)
    assert found == {("word/document.xml", TAIL)} and skipped == []


def test_office_part_declaring_an_unknown_encoding_is_read_as_utf8(engine, tmp_path):
    # expat raised LookupError for a codec name Python does not know: reported as "error"
    path = tmp_path / "bogus.docx"
    path.write_bytes(_docx_in("utf-8", "x-no-such-codec"))
    found, _weak, skipped = scan(engine, path)
    assert found == {("word/document.xml", TAIL)} and skipped == []


class _Kept(logging.Handler):
    """Every record that reaches the root logger's handlers."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_pdf_library_warnings_never_reach_stderr_or_the_log(engine, tmp_path, capfd):
    # pypdf logs what it repairs, quoting the bytes around it ("Invalid Elementary Object ... b'...'")
    from reportlab.pdfgen import canvas

    path = tmp_path / "noeof.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(50, 800, f"My Number {N}")
    c.save()
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b""))  # pypdf warns "EOF marker not found"
    root, kept = logging.getLogger(), _Kept()
    root.addHandler(kept)
    level, root.level = root.level, logging.DEBUG
    try:
        scan(engine, path)
    finally:
        root.removeHandler(kept)
        root.setLevel(level)
    assert capfd.readouterr().err == ""
    assert [r for r in kept.records if r.name.startswith("pypdf")] == []


def test_html_marked_section_of_an_unknown_kind_keeps_the_rest_of_the_page(engine, tmp_path):
    # html.parser asserts on "<![foo[": the AssertionError ended the page (reported as "error")
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><p>お知らせ</p><![foo[ x ]]><p>個人番号：{N}</p></body></html>", encoding="utf-8")
    found, _weak, skipped = scan(engine, path)
    assert found == {(None, TAIL)} and skipped == []


def test_mail_the_parser_gives_up_on_is_corrupt_and_its_text_still_read(engine, tmp_path):
    # email's feedparser raises ValueError on a NUL in an RFC 2231 charset ("boundary*=..."): the whole
    # message, subject and body, was lost as "error"
    path = tmp_path / "nul-boundary.eml"
    path.write_bytes(b"From: hr@example.com\r\nSubject: notice\r\nMIME-Version: 1.0\r\n"
                     b"Content-Type: multipart/mixed; boundary*=utf\x00-8''XX\r\n\r\n"
                     b"--XX\r\nContent-Type: text/plain\r\n\r\n" + f"個人番号：{N}".encode() + b"\r\n--XX--\r\n")
    found, _weak, skipped = scan(engine, path)
    assert skipped == [(None, "corrupt")]
    assert found == {(None, TAIL)}


def test_legacy_excel_warnings_never_reach_stdout(engine, tmp_path, capfd):
    # xlrd writes its warnings to stdout by default ("WARNING *** file size ... not 512 + multiple of
    # sector size"), in the middle of the JSONL records
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("名簿").write(0, 0, f"個人番号 {N}")
    buf = io.BytesIO()
    book.save(buf)
    path = tmp_path / "padded.xls"
    path.write_bytes(buf.getvalue() + b"\0" * 100)
    found, _weak, _skipped = scan(engine, path)
    out = capfd.readouterr()
    assert out.out == "" and out.err == ""
    assert {t for _m, t in found} == {TAIL}
