"""PDF (reportlab, Japanese CID font), ODF (odfpy), legacy xls (xlwt), RTF, 7z (py7zr):
the number is found under the right member, the distractor is not."""

from __future__ import annotations

import os
import random

from tests.conftest import make_number
from tests.extract.test_documents import scan

RNG = random.Random(2718)
N = make_number(RNG)
D = make_number(RNG)


def test_pdf_text_layer_and_form_box_digits(engine, tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    path = tmp_path / "申告書.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("HeiseiKakuGo-W5", 12)
    c.drawString(50, 800, "給与所得者の扶養控除等（異動）申告書")
    c.drawString(50, 780, f"注文番号：{D}")
    c.drawString(50, 760, "マイナンバー")
    for i, digit in enumerate(N):  # one digit per form box
        c.drawString(150 + 18 * i, 760, digit)
    c.showPage()
    c.setFont("HeiseiKakuGo-W5", 12)
    c.drawString(50, 800, f"個人番号 {N[:4]} {N[4:8]} {N[8:]}")
    c.save()
    found, weak, skipped = scan(engine, path)
    assert found == {("page 1", N[-4:]), ("page 2", N[-4:])}
    assert not any(t == D[-4:] for _m, t in weak) and skipped == []


def test_pdf_of_random_bytes_is_corrupt(engine, tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    found, _weak, skipped = scan(engine, path)
    assert found == set() and [r for _m, r in skipped] == ["corrupt"]


def test_odt_and_ods(engine, tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    odt = OpenDocumentText()
    odt.text.addElement(P(text=f"個人番号：{N}"))
    odt.text.addElement(P(text=f"注文番号：{D}"))
    odt.save(str(tmp_path / "a.odt"))
    ods = OpenDocumentSpreadsheet()
    table = Table(name="名簿")
    for row in (["氏名", "個人番号", "注文番号"], ["山田", N, D]):
        tr = TableRow()
        for value in row:
            cell = TableCell()
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    ods.spreadsheet.addElement(table)
    ods.save(str(tmp_path / "b.ods"))
    for name in ("a.odt", "b.ods"):
        found, weak, skipped = scan(engine, tmp_path / name)
        assert found == {(None, N[-4:])}, name
        assert not any(t == D[-4:] for _m, t in weak) and skipped == []


def test_legacy_xls_names_the_cell(engine, tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("名簿")
    for c, value in enumerate(["氏名", "個人番号", "注文番号"]):
        sheet.write(0, c, value)
    sheet.write(1, 0, "山田")
    sheet.write(1, 1, int(N))  # a numeric cell: read back as 123…0.0 by xlrd
    sheet.write(1, 2, int(D))
    path = tmp_path / "old.xls"
    book.save(str(path))
    found, weak, skipped = scan(engine, path)
    assert found == {("名簿!B2", N[-4:])}
    assert not any(t == D[-4:] for _m, t in weak) and skipped == []


def test_rtf_with_unicode_escapes(engine, tmp_path):
    label = "".join(f"\\u{ord(ch)}?" for ch in "個人番号")
    path = tmp_path / "memo.rtf"
    rtf = "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 MS Mincho;}}\\f0 " + label + f": {N}\\par }}"
    path.write_bytes(rtf.encode("ascii"))
    found, _weak, skipped = scan(engine, path)
    assert found == {(None, N[-4:])} and skipped == []


def test_7z_members_and_encrypted_7z(engine, tmp_path):
    import py7zr

    path = tmp_path / "a.7z"
    with py7zr.SevenZipFile(path, "w") as z:
        z.writestr(f"氏名,個人番号\n山田,{N}\n", "hr/roster.csv")
    found, _weak, skipped = scan(engine, path)
    assert found == {("hr/roster.csv", N[-4:])} and skipped == []
    secret = tmp_path / "secret.7z"
    with py7zr.SevenZipFile(secret, "w", password="pw") as z:
        z.writestr(f"個人番号 {N}\n", "x.txt")
    found, _weak, skipped = scan(engine, secret)
    assert found == set() and skipped == [(None, "encrypted")]


def _msg_file(path, body: str, attachment: tuple[str, bytes]):
    """A real Outlook .msg, written with extract-msg's own OLE writer."""
    import struct

    from extract_msg.ole_writer import OleWriter

    def props(entries, top):
        head = b"\0" * 8 + (struct.pack("<IIII", 0, 1, 0, 1) + b"\0" * 8 if top else b"")
        return head + b"".join(struct.pack("<IIQ", tag, 6, size) for tag, size in entries)

    w = OleWriter()
    subject, text = "年末調整のお願い".encode("utf-16-le"), body.encode("utf-16-le")
    w.addEntry("__substg1.0_0037001F", subject)
    w.addEntry("__substg1.0_1000001F", text)
    w.addEntry("__substg1.0_001A001F", "IPM.Note".encode("utf-16-le"))
    w.addEntry("__properties_version1.0", props([(0x0037001F, len(subject) + 2), (0x1000001F, len(text) + 2),
                                                 (0x001A001F, 18)], True))
    w.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        w.addEntry(["__nameid_version1.0", f"__substg1.0_{stream}"], b"")
    att = "__attach_version1.0_#00000000"
    w.addEntry(att, storage=True)
    w.addEntry([att, "__substg1.0_3707001F"], attachment[0].encode("utf-16-le"))
    w.addEntry([att, "__substg1.0_37010102"], attachment[1])
    w.addEntry([att, "__properties_version1.0"], props([(0x37050003, 1)], False))
    w.write(str(path))
    return path


def test_outlook_msg_body_and_attachment(engine, tmp_path):
    path = _msg_file(tmp_path / "mail.msg", f"マイナンバーは {N} です。\r\n注文番号 {D}\r\n",
                     ("roster.csv", f"氏名,個人番号\n山田,{N}\n".encode("cp932")))
    found, weak, skipped = scan(engine, path)
    assert found == {(None, N[-4:]), ("roster.csv", N[-4:])}
    assert not any(t == D[-4:] for _m, t in weak) and skipped == []
