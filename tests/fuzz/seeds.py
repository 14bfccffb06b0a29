"""Small real files of each kind the extractors read, made by the libraries people use.

They seed the fuzzer. Containers are repacked without compression (zip STORED,
7z COPY, PDF without stream compression) so that mutations land in the XML,
the text and the structures the extractors parse rather than in a deflate
stream; one compressed variant of each container is kept too. Every number in
them is synthetic, with a computed check digit.
"""

from __future__ import annotations

import email.mime.application
import email.mime.multipart
import email.mime.text
import gzip
import io
import random
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from scanner.detect.checkdigit import check_digit

RNG = random.Random(9)


def _number() -> str:
    first = "".join(str(RNG.randrange(10)) for _ in range(11))
    return first + str(check_digit(first))


N = _number()
LINE = f"個人番号：{N}"


def _repack(data: bytes, keep: Callable[[str], bool], compression: int = zipfile.ZIP_STORED) -> bytes:
    """A zip of the members of ``data`` that ``keep`` accepts, rewritten with ``compression``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            if keep(info.filename):
                dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def _saved(save: Callable[[str], object], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"seed{suffix}"
        save(str(path))
        return path.read_bytes()


def zip_seeds() -> list[bytes]:
    members = [("hr/roster.csv", f"氏名,個人番号\n山田,{N}\n".encode("cp932")), ("notes.txt", LINE.encode())]
    out = []
    for compression in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression) as z:
            for name, data in members:
                z.writestr(name, data)
            z.writestr("dir/", b"")
        out.append(buf.getvalue())
    return out


def docx_seeds() -> list[bytes]:
    import docx

    doc = docx.Document()
    doc.add_paragraph(LINE)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "氏名", "マイナンバー"
    table.cell(1, 0).text, table.cell(1, 1).text = "山田", N
    doc.sections[0].header.paragraphs[0].text = "社外秘"
    data = _saved(doc.save, ".docx")
    keep = lambda n: n == "[Content_Types].xml" or n in ("word/document.xml", "word/header1.xml")  # noqa: E731
    return [_repack(data, keep), _repack(data, keep, zipfile.ZIP_DEFLATED)]


def xlsx_seeds() -> list[bytes]:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名簿"
    ws.append(["氏名", "個人番号"])
    ws.append(["山田", int(N)])
    ws.append(["佐藤", N])
    data = _saved(wb.save, ".xlsx")
    keep = lambda n: n.startswith("xl/") and ("sheet" in n or "workbook" in n or "sharedStrings" in n)  # noqa: E731
    return [_repack(data, keep), _repack(data, keep, zipfile.ZIP_DEFLATED)]


def pptx_seeds() -> list[bytes]:
    import pptx

    prs = pptx.Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "年末調整"
    slide.placeholders[1].text = LINE
    slide.notes_slide.notes_text_frame.text = N
    data = _saved(prs.save, ".pptx")
    keep = lambda n: n in ("ppt/presentation.xml", "ppt/slides/slide1.xml", "ppt/notesSlides/notesSlide1.xml")  # noqa: E731
    return [_repack(data, keep), _repack(data, keep, zipfile.ZIP_DEFLATED)]


def odt_seeds() -> list[bytes]:
    from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    odt = OpenDocumentText()
    odt.text.addElement(P(text=LINE))
    ods = OpenDocumentSpreadsheet()
    table = Table(name="名簿")
    for row in (["氏名", "個人番号"], ["山田", N]):
        tr = TableRow()
        for value in row:
            cell = TableCell()
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    ods.spreadsheet.addElement(table)
    keep = lambda n: n in ("mimetype", "content.xml", "META-INF/manifest.xml")  # noqa: E731
    return [_repack(_saved(doc.save, ".od"), keep) for doc in (odt, ods)]


def pdf_seeds() -> list[bytes]:
    from reportlab.pdfgen import canvas

    out = []
    for compress in (0, 1):
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pageCompression=compress)
        c.drawString(50, 800, f"My Number {N[:4]} {N[4:8]} {N[8:]}")
        for i, digit in enumerate(N):
            c.drawString(150 + 18 * i, 760, digit)
        c.showPage()
        c.drawString(50, 800, "page two")
        c.save()
        out.append(buf.getvalue())
    return out


def eml_seeds() -> list[bytes]:
    msg = email.mime.multipart.MIMEMultipart()
    msg["Subject"] = "年末調整の件"
    msg["From"] = "hr@example.com"
    msg.attach(email.mime.text.MIMEText(f"マイナンバーは {N} です。\n", "plain", "iso-2022-jp"))
    msg.attach(email.mime.text.MIMEText(f"<p>個人番号 {N}</p>", "html", "utf-8"))
    att = email.mime.application.MIMEApplication(f"氏名,個人番号\n田中,{N}\n".encode("cp932"), Name="list.csv")
    att.add_header("Content-Disposition", "attachment", filename="list.csv")
    msg.attach(att)
    inner = email.mime.text.MIMEText(LINE, "plain", "utf-8")
    fwd = email.mime.multipart.MIMEMultipart()
    fwd["Subject"] = "Fwd"
    fwd.attach(email.mime.text.MIMEText("see below", "plain", "utf-8"))
    fwd.attach(email.mime.application.MIMEApplication(inner.as_bytes(), "rfc822"))
    return [msg.as_bytes(), fwd.as_bytes()]


def mbox_seeds() -> list[bytes]:
    one = email.mime.text.MIMEText(f"個人番号 {N}\n", "plain", "utf-8").as_bytes()
    two = email.mime.text.MIMEText("本日の会議は中止です。\n", "plain", "utf-8").as_bytes()
    return [b"From a@example Mon Jan 1 00:00:00 2024\n" + one + b"\n"
            b"From b@example Mon Jan 1 00:00:00 2024\n" + two + b"\n"]


def tar_seeds() -> list[bytes]:
    buf = io.BytesIO()
    data = LINE.encode()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        info = tarfile.TarInfo("dir/a.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("dir/link")
        link.type, link.linkname = tarfile.SYMTYPE, "a.txt"
        tf.addfile(link)
    return [buf.getvalue()]


def gz_seeds() -> list[bytes]:
    import bz2
    import lzma

    data = f"{LINE}\n".encode("euc_jp")
    return [gzip.compress(data), bz2.compress(data), lzma.compress(data)]


def sevenz_seeds() -> list[bytes]:
    import py7zr

    out = []
    for filters in ([{"id": py7zr.FILTER_COPY}], None):
        buf = io.BytesIO()
        with py7zr.SevenZipFile(buf, "w", filters=filters) as z:
            z.writestr(f"{LINE}\n", "hr/a.txt")
            z.writestr("memo\n", "b.txt")
        out.append(buf.getvalue())
    return out


def rtf_seeds() -> list[bytes]:
    label = "".join(f"\\u{ord(ch)}?" for ch in "個人番号")
    return [("{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0 MS Mincho;}}\\f0 " + label + f": {N}\\par "
             "{\\*\\generator x;}\\'8c\\'c2\\'90\\'6c\\par }").encode("ascii")]


def html_seeds() -> list[bytes]:
    return [(f"<!DOCTYPE html><html><head><title>t</title><style>p{{}}</style></head><body>"
             f"<table><tr><th>氏名</th><th>個人番号</th></tr><tr><td>山田</td><td>{N}</td></tr></table>"
             f"<form><input value='{N}'></form><script>var x=1;</script><p>{LINE}<br>end</body></html>").encode()]


def msg_seeds() -> list[bytes]:
    from tests.extract.test_more_formats import _msg_file

    with tempfile.TemporaryDirectory() as tmp:
        path = _msg_file(Path(tmp) / "m.msg", f"マイナンバーは {N} です。\r\n", ("a.csv", f"個人番号\n{N}\n".encode()))
        return [path.read_bytes()]


def xls_seeds() -> list[bytes]:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("名簿")
    sheet.write(0, 0, "個人番号")
    sheet.write(1, 0, int(N))
    buf = io.BytesIO()
    book.save(buf)
    return [buf.getvalue()]


def text_seeds() -> list[bytes]:
    return [f"氏名,個人番号\n山田,{N}\n".encode("cp932"), f"\ufeff{LINE}\n".encode(), f"{LINE}\n".encode("utf-16")]


TARGETS: dict[str, Callable[[], list[bytes]]] = {
    "zip": zip_seeds,
    "docx": docx_seeds,
    "xlsx": xlsx_seeds,
    "pptx": pptx_seeds,
    "odt": odt_seeds,
    "pdf": pdf_seeds,
    "eml": eml_seeds,
    "mbox": mbox_seeds,
    "tar": tar_seeds,
    "gz": gz_seeds,
    "7z": sevenz_seeds,
    "rtf": rtf_seeds,
    "html": html_seeds,
    "msg": msg_seeds,
    "xls": xls_seeds,
    "text": text_seeds,
}
"""Fuzz target name -> its seeds. Every target fuzzes the same entry point, ``dispatch.extract``."""
