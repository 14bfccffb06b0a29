"""Issue 9, never silently off: a small file cannot cost a huge amount (sparse sheets), and
a limit stops reading without throwing away what was read (padding does not hide a number).

The Office files are hand-made zips of the parts that matter (written by zipfile), so
the hostile part can be exactly what the test needs; the PDF is reportlab's."""

from __future__ import annotations

import email.header
import email.mime.application
import email.mime.multipart
import email.mime.text
import gzip
import io
import random
import time
import tracemalloc
import zipfile

from scanner.extract.dispatch import extract
from scanner.extract.limits import Budget, Limits
from scanner.extract.parts import Context, TextPart
from tests.conftest import make_number
from tests.extract.test_documents import scan

RNG = random.Random(1409)
N = make_number(RNG)
TAIL = N[-4:]

SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
WML = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DML = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
PADDING_RUNS = 100_000


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def sheet_xlsx(rows: str, shared: str | None = None) -> bytes:
    """A minimal workbook: one sheet ``S`` whose sheetData is ``rows`` (and optional sharedStrings XML)."""
    parts = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<workbook xmlns="{SML}" xmlns:r="{REL}">'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{SML}"><sheetData>{rows}</sheetData></worksheet>',
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return _zip(parts)


def _docx(body: str) -> bytes:
    document = f"<w:document {WML}><w:body>{body}</w:body></w:document>"
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": document})


def _texts(data: bytes, limits: Limits = Limits()) -> tuple[str, list]:
    """All text extracted from ``data`` and the not-scanned items (problems included)."""
    ctx = Context(None, limits, Budget(limits))
    text, problems = [], []
    for item in extract(io.BytesIO(data), ctx):
        if isinstance(item, TextPart):
            text += [s.text for s in item.segments]
            if item.problem:
                problems.append(item.problem)
        else:
            problems.append(item)
    return "".join(text), problems


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


# ---- 13. small file, huge cost: sheets are sparse -------------------------------------


def test_xlsx_cell_reference_beyond_the_grid_costs_only_its_cells(engine, tmp_path):
    data = sheet_xlsx(f'<row r="1">{_inline("A1", "個人番号")}</row><row r="2"><c r="ZZZZZ2"><v>{N}</v></c></row>')
    assert len(data) < 1024
    tracemalloc.start()
    start = time.monotonic()
    try:
        text, problems = _texts(data)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - start < 2 and peak < 8 * 1024 * 1024
    assert problems == [] and N in text
    path = tmp_path / "far.xlsx"
    path.write_bytes(data)
    found, _weak, skipped = scan(engine, path)
    assert found == {("S!A2", TAIL)} and skipped == []  # beyond XFD: as if absent, after the cell before it


def test_xlsx_rows_with_a_cell_in_the_last_column_cost_text_in_proportion_to_their_cells():
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="XFD{r}"><v>1</v></c></row>' for r in range(1, 2001))
    text, problems = _texts(sheet_xlsx(rows))
    assert problems == []
    assert len(text) < 2000 * 100  # a dense row would be 16,384 columns wide


def test_xlsx_cells_without_references_follow_one_another(engine, tmp_path):
    rows = (f'<row><c t="inlineStr"><is><t>氏名</t></is></c><c t="inlineStr"><is><t>個人番号</t></is></c></row>'
            f'<row><c t="inlineStr"><is><t>山田</t></is></c><c><v>{N}</v></c></row>')
    path = tmp_path / "norefs.xlsx"
    path.write_bytes(sheet_xlsx(rows))
    found, _weak, skipped = scan(engine, path)
    assert found == {("S!B2", TAIL)} and skipped == []


def test_xlsx_broken_shared_strings_cost_themselves_and_the_sheet_is_read(engine, tmp_path):
    shared = f'<sst xmlns="{SML}"><si><t>個人番号</t></si><si><t>x</t></si><<<broken'
    path = tmp_path / "shared.xlsx"
    rows = f'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>{N}</v></c></row>'
    path.write_bytes(sheet_xlsx(rows, shared))
    found, _weak, skipped = scan(engine, path)
    assert skipped == [("xl/sharedStrings.xml", "corrupt")]
    assert found == {("S!A2", TAIL)}


def test_xlsx_worksheet_the_workbook_does_not_list_is_read_too(engine, tmp_path):
    parts = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<workbook xmlns="{SML}"><sheets/></workbook>',
        "xl/worksheets/hidden.xml": f'<worksheet xmlns="{SML}"><sheetData><row r="1">{_inline("A1", "個人番号")}</row>'
                                    f'<row r="2"><c r="A2"><v>{N}</v></c></row></sheetData></worksheet>',
    }
    path = tmp_path / "unlisted.xlsx"
    path.write_bytes(_zip(parts))
    found, _weak, _skipped = scan(engine, path)
    assert found == {("hidden!A2", TAIL)}


# ---- 14. a limit stops reading; it does not throw away what was read ------------------


def test_docx_padded_with_runs_past_the_ratio_limit_still_has_its_number_found(engine, tmp_path):
    pad = "<w:r><w:t></w:t></w:r>" * PADDING_RUNS
    path = tmp_path / "padded.docx"
    path.write_bytes(_docx(f"<w:p><w:r><w:t>個人番号：{N}</w:t></w:r>{pad}</w:p>"))
    found, _weak, skipped = scan(engine, path)
    assert found == {("word/document.xml", TAIL)}
    assert skipped == [("word/document.xml", "limit:max_ratio")]


def test_docx_paragraph_after_the_number_padded_past_the_limit_keeps_the_number(engine, tmp_path):
    pad = "<w:r><w:t></w:t></w:r>" * PADDING_RUNS
    path = tmp_path / "padded2.docx"
    path.write_bytes(_docx(f"<w:p><w:r><w:t>個人番号：{N}</w:t></w:r></w:p><w:p>{pad}</w:p>"))
    found, _weak, skipped = scan(engine, path)
    assert found == {("word/document.xml", TAIL)} and skipped == [("word/document.xml", "limit:max_ratio")]


def test_docx_text_box_keeps_the_paragraph_around_it(engine, tmp_path):
    box = "<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>（記入例）</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>"
    path = tmp_path / "box.docx"
    path.write_bytes(_docx(f"<w:p><w:r><w:t>個人番号：</w:t></w:r>{box}<w:r><w:t>{N}</w:t></w:r></w:p>"))
    text, problems = _texts(path.read_bytes())
    assert "個人番号：" in text and N in text and problems == []


def test_xlsx_sheet_padded_past_the_ratio_limit_keeps_its_rows_and_reports_the_cut(engine, tmp_path):
    rows = f'<row r="1">{_inline("A1", "個人番号")}</row><row r="2"><c r="A2"><v>{N}</v></c></row>'
    path = tmp_path / "padded.xlsx"
    path.write_bytes(sheet_xlsx(rows + "<row/>" * 500_000))
    found, _weak, skipped = scan(engine, path)
    assert found == {("S!A2", TAIL)} and skipped == [(None, "limit:max_ratio")]


def test_pptx_slide_padded_past_the_ratio_limit_still_has_its_number_found(engine, tmp_path):
    pad = "<a:r><a:t></a:t></a:r>" * PADDING_RUNS
    slide = f"<p:sld xmlns:p='p' {DML}><a:p><a:r><a:t>マイナンバー {N}</a:t></a:r>{pad}</a:p></p:sld>"
    path = tmp_path / "padded.pptx"
    parts = {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>", "ppt/slides/slide1.xml": slide}
    path.write_bytes(_zip(parts))
    found, _weak, skipped = scan(engine, path)
    assert found == {("slide1", TAIL)} and skipped == [("slide1", "limit:max_ratio")]


def test_odt_paragraph_over_the_scan_size_still_has_its_number_found(engine, tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    doc.text.addElement(P(text=f"個人番号：{N} " + "本日の議事録。" * 20_000))
    doc.save(str(tmp_path / "long.odt"))
    found, _weak, skipped = scan(engine, tmp_path / "long.odt", Limits(max_scan_size=60_000))
    assert found == {(None, TAIL)} and skipped == [(None, "limit:max_scan_size")]


def test_mail_body_is_scanned_when_an_attachment_is_over_the_scan_size(engine, tmp_path):
    msg = email.mime.multipart.MIMEMultipart()
    msg["Subject"] = "年末調整"
    msg.attach(email.mime.text.MIMEText(f"マイナンバーは {N} です。\n", "plain", "utf-8"))
    att = email.mime.application.MIMEApplication(bytes(RNG.randrange(256) for _ in range(200_000)), Name="big.bin")
    att.add_header("Content-Disposition", "attachment", filename="big.bin")
    msg.attach(att)
    path = tmp_path / "big.eml"
    path.write_bytes(msg.as_bytes())
    found, _weak, skipped = scan(engine, path, Limits(max_scan_size=100_000))
    assert found == {(None, TAIL)} and skipped == [(None, "limit:max_scan_size")]


def test_mail_subject_in_encoded_words_is_decoded(engine, tmp_path):
    msg = email.mime.text.MIMEText("添付をご確認ください。\n", "plain", "iso-2022-jp")
    msg["Subject"] = email.header.Header(f"個人番号 {N} の件", "iso-2022-jp")
    path = tmp_path / "subject.eml"
    path.write_bytes(msg.as_bytes())
    assert b"=?iso-2022-jp?" in path.read_bytes()
    found, _weak, _skipped = scan(engine, path)
    assert found == {(None, TAIL)}


def test_pdf_page_over_the_scan_size_still_has_its_number_found(engine, tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    path = tmp_path / "long.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("HeiseiKakuGo-W5", 6)
    c.drawString(20, 820, f"個人番号 {N}")
    for i in range(120):
        c.drawString(20, 810 - 6 * i, "本日の議事録、出席者の発言と決定事項の記録。" * 3)
    c.save()
    found, _weak, skipped = scan(engine, path, Limits(max_scan_size=2_000))
    assert found == {("page 1", TAIL)} and skipped == [("page 1", "limit:max_scan_size")]


def test_zip_text_member_padded_past_the_ratio_limit_still_has_its_start_scanned(engine, tmp_path):
    path = tmp_path / "padded.zip"
    path.write_bytes(_zip({"memo.txt": f"個人番号：{N}\n" + " " * (4 * 1024 * 1024), "next.txt": f"個人番号：{N}\n"}))
    found, _weak, skipped = scan(engine, path)
    assert found == {("memo.txt", TAIL), ("next.txt", TAIL)}
    assert skipped == [("memo.txt", "limit:max_ratio")]


def test_gzip_padded_past_the_ratio_limit_still_has_its_start_scanned(engine, tmp_path):
    path = tmp_path / "memo.txt.gz"
    path.write_bytes(gzip.compress(f"個人番号：{N}\n".encode() + b"\n" * (4 * 1024 * 1024)))
    found, _weak, skipped = scan(engine, path)
    assert found == {(None, TAIL)} and skipped == [(None, "limit:max_ratio")]


def test_truncated_gzip_still_has_its_start_scanned(engine, tmp_path):
    whole = gzip.compress((f"個人番号：{N}\n" + "".join(f"行 {i} 議事録\n" for i in range(20_000))).encode())
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(whole[: len(whole) // 2])
    found, _weak, skipped = scan(engine, path)
    assert found == {(None, TAIL)} and skipped == [(None, "corrupt")]
