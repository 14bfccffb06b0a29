"""Office documents, archives, mail and HTML made by real libraries: the number is
found under the right member, the distractor is not, bad containers are reported."""

from __future__ import annotations

import email.mime.application
import email.mime.multipart
import email.mime.text
import gzip
import io
import random
import tarfile
import zipfile
from pathlib import Path

import pytest

from scanner.audit import scan_file
from scanner.detect.finding import Confidence
from scanner.extract.limits import Limits
from scanner.report.records import FileDone, record_dict
from tests.conftest import make_number

RNG = random.Random(314)
N = make_number(RNG)  # the number that must be found
D = make_number(RNG)  # a check-digit-valid distractor that must not be


def scan(engine, path: Path, limits: Limits = Limits()):
    records = [record_dict(r) for r in scan_file(engine, str(path), Confidence.LOW, limits) if not isinstance(r, FileDone)]
    found = {(r["member"], r["masked"][-4:]) for r in records if r["type"] == "finding" and r["confidence"] == "high"}
    weak = {(r["member"], r["masked"][-4:]) for r in records if r["type"] == "finding"}
    skipped = [(r["member"], r["reason"]) for r in records if r["type"] == "not_scanned"]
    return found, weak, skipped


def _docx(path: Path) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph("給与所得者の扶養控除等申告書")
    doc.add_paragraph(f"本人の個人番号：{N[:4]} {N[4:8]} {N[8:]}")
    doc.add_paragraph(f"注文番号：{D}")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "氏名", "マイナンバー"
    table.cell(1, 0).text, table.cell(1, 1).text = "山田", N
    doc.sections[0].header.paragraphs[0].text = f"社外秘 マイナンバー {N}"
    doc.save(path)
    return path


def test_docx_body_table_and_header_are_read(engine, tmp_path):
    found, weak, skipped = scan(engine, _docx(tmp_path / "form.docx"))
    tail = N[-4:]
    assert ("word/document.xml", tail) in found
    assert any(m.startswith("word/header") for m, t in found if t == tail)
    assert not any(t == D[-4:] for _m, t in weak)
    assert skipped == []


def test_xlsx_cells_numbers_and_header_columns(engine, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名簿"
    ws.append(["氏名", "個人番号", "注文番号"])
    ws.append(["山田", int(N), int(D)])
    ws.append(["佐藤", float(N), str(D)])
    ws.append(["鈴木", N, D])
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    found, weak, skipped = scan(engine, path)
    assert found == {("名簿!B2", N[-4:]), ("名簿!B3", N[-4:]), ("名簿!B4", N[-4:])}
    assert not any(t == D[-4:] for _m, t in weak)
    assert skipped == []


def test_xlsx_numeric_cell_that_lost_its_leading_zero_is_found(engine, tmp_path):
    import openpyxl

    from scanner.detect.checkdigit import check_digit

    first = "0" + "".join(str(RNG.randrange(10)) for _ in range(10))
    zero_led = first + str(check_digit(first))
    wb = openpyxl.Workbook()
    wb.active.append(["氏名", "マイナンバー"])
    wb.active.append(["山田", int(zero_led)])  # stored as an 11-digit number
    path = tmp_path / "zero.xlsx"
    wb.save(path)
    found, _weak, _ = scan(engine, path)
    assert found == {("Sheet!B2", zero_led[-4:])}


def test_pptx_slides_and_notes(engine, tmp_path):
    import pptx

    prs = pptx.Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "年末調整のお願い"
    slide.placeholders[1].text = f"マイナンバー：{N}"
    slide.notes_slide.notes_text_frame.text = f"個人番号 {N}"
    path = tmp_path / "deck.pptx"
    prs.save(path)
    found, _weak, _ = scan(engine, path)
    assert found == {("slide1", N[-4:]), ("notes1", N[-4:])}


def test_zip_with_nested_zip_docx_and_csv_names_members(engine, tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("hr/roster.csv", f"氏名,個人番号\n山田,{N}\n".encode("cp932"))
    outer = tmp_path / "export.zip"
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inner.zip", inner.getvalue())
        z.write(_docx(tmp_path / "f.docx"), "forms/f.docx")
        z.writestr("notes.txt", f"注文番号 {D}\n")
    found, weak, skipped = scan(engine, outer)
    assert ("inner.zip/hr/roster.csv", N[-4:]) in found
    assert ("forms/f.docx/word/document.xml", N[-4:]) in found
    assert not any(t == D[-4:] for _m, t in weak) and skipped == []


def test_tar_gz_members_are_read(engine, tmp_path):
    data = f"個人番号：{N}\n".encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo("dir/a.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    path = tmp_path / "backup.tar.gz"
    path.write_bytes(gzip.compress(buf.getvalue()))
    found, _weak, skipped = scan(engine, path)
    assert found == {("dir/a.txt", N[-4:])} and skipped == []


def test_mail_iso2022jp_body_and_shift_jis_and_xlsx_attachments(engine, tmp_path):
    import openpyxl

    msg = email.mime.multipart.MIMEMultipart()
    msg["Subject"] = "年末調整の件"
    msg.attach(email.mime.text.MIMEText(f"お世話になります。\nマイナンバーは {N} です。\n", "plain", "iso-2022-jp"))
    att = email.mime.application.MIMEApplication(f"氏名,個人番号\n田中,{N}\n".encode("cp932"), Name="list.csv")
    att.add_header("Content-Disposition", "attachment", filename="list.csv")
    msg.attach(att)
    wb = openpyxl.Workbook()
    wb.active.append(["個人番号"])
    wb.active.append([N])
    x = io.BytesIO()
    wb.save(x)
    att2 = email.mime.application.MIMEApplication(x.getvalue())
    att2.add_header("Content-Disposition", "attachment", filename="roster.xlsx")
    msg.attach(att2)
    path = tmp_path / "mail.eml"
    path.write_bytes(msg.as_bytes())
    found, _weak, skipped = scan(engine, path)
    assert {m for m, _t in found} == {None, "list.csv", "roster.xlsx/Sheet!A2"}
    assert skipped == []


def test_mbox_messages_are_numbered(engine, tmp_path):
    one = email.mime.text.MIMEText(f"個人番号 {N}\n", "plain", "utf-8")
    two = email.mime.text.MIMEText("本日の会議は中止です。\n", "plain", "utf-8")
    path = tmp_path / "inbox.mbox"
    path.write_bytes(b"From a@example Mon Jan 1 00:00:00 2024\n" + one.as_bytes() + b"\n"
                     b"From b@example Mon Jan 1 00:00:00 2024\n" + two.as_bytes() + b"\n")
    found, _weak, _ = scan(engine, path)
    assert found == {("message-1", N[-4:])}


def test_html_table_header_gives_column_context(engine, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><table><tr><th>氏名</th><th>個人番号</th></tr><tr><td>山田</td><td>{N}</td></tr></table>"
                    f"<script>var x = '{D}';</script></body></html>", encoding="utf-8")
    found, weak, _ = scan(engine, path)
    assert found == {(None, N[-4:])} and not any(t == D[-4:] for _m, t in weak)


def test_a_file_whose_extension_lies_is_read_by_content(engine, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(_docx(tmp_path / "x.docx").read_bytes())
    found, _weak, _ = scan(engine, path)
    assert ("word/document.xml", N[-4:]) in found


# ---- hostile and broken inputs -------------------------------------------------


def _encrypted_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("secret.txt", f"個人番号 {N}\n")
        z.writestr("open.txt", f"個人番号 {N}\n")
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag of the first member in its local and central headers
    local = data.find(b"PK\x03\x04")
    data[local + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1
    path.write_bytes(bytes(data))
    return path


def test_encrypted_member_is_not_scanned_encrypted_and_the_rest_is(engine, tmp_path):
    found, _weak, skipped = scan(engine, _encrypted_zip(tmp_path / "enc.zip"))
    assert skipped == [("secret.txt", "encrypted")]
    assert found == {("open.txt", N[-4:])}


def test_zip_bomb_hits_the_ratio_limit(engine, tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.txt", b"0" * (64 * 1024 * 1024))
        z.writestr("ok.txt", f"個人番号 {N}\n")
    found, _weak, skipped = scan(engine, path)
    assert skipped == [("zeros.txt", "limit:max_ratio")]
    assert found == {("ok.txt", N[-4:])}


def test_zip_nested_40_deep_hits_the_recursion_limit(engine, tmp_path):
    data = f"個人番号 {N}\n".encode()
    name = "leaf.txt"
    for depth in range(40):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(name, data)
        data, name = buf.getvalue(), f"level{depth}.zip"
    path = tmp_path / "deep.zip"
    path.write_bytes(data)
    found, _weak, skipped = scan(engine, path)
    assert found == set()
    assert len(skipped) == 1 and skipped[0][1] == "limit:max_recursion"


def test_truncated_docx_is_corrupt_not_clean(engine, tmp_path):
    whole = _docx(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) // 2])
    _found, _weak, skipped = scan(engine, path)
    assert skipped and all(reason in ("corrupt", "unsupported") for _m, reason in skipped)


def test_scan_size_limit_stops_but_keeps_what_was_found(engine, tmp_path):
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", f"個人番号 {N}\n")
        z.writestr("b.txt", "".join(f"行 {i} 本日の議事録\n" for i in range(200_000)))
    found, _weak, skipped = scan(engine, path, Limits(max_scan_size=1_000_000))
    assert found == {("a.txt", N[-4:])}
    assert skipped == [("b.txt", "limit:max_scan_size")]


def test_docx_number_split_across_runs_is_found(engine, tmp_path):
    import docx

    d = docx.Document()
    p = d.add_paragraph("個人番号：")
    for piece in (N[:3], N[3:7], N[7:]):
        p.add_run(piece).bold = True  # each run its own <w:r>
    path = tmp_path / "runs.docx"
    d.save(path)
    found, _weak, _ = scan(engine, path)
    assert found == {("word/document.xml", N[-4:])}


@pytest.mark.parametrize("compress", ["bz2", "xz"])
def test_bzip2_and_xz_streams_are_read(engine, tmp_path, compress):
    import bz2
    import lzma

    data = f"個人番号：{N}\n".encode("euc_jp")
    path = tmp_path / f"memo.txt.{compress}"
    path.write_bytes(bz2.compress(data) if compress == "bz2" else lzma.compress(data))
    found, _weak, skipped = scan(engine, path)
    assert found == {(None, N[-4:])} and skipped == []
