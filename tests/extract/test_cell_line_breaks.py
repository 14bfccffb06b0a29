"""A number broken by a line break inside one cell (issue 11, class 1) belongs to its cell and
its column: Excel's Alt+Enter and a Word table cell whose number wraps onto a second paragraph."""

from __future__ import annotations

import random

from openpyxl.styles import Alignment

from scanner.extract.cells import cell_line
from tests.conftest import make_number
from tests.extract.test_documents import scan

RNG = random.Random(808)


def test_a_break_between_digits_joins_them_with_the_numbers_own_separator():
    assert cell_line("1234-5678\n9012") == "1234-5678-9012"
    assert cell_line("1234 5678\r\n9012") == "1234 5678 9012"
    assert cell_line("1234\n5678\n9012") == "123456789012"
    assert cell_line("個人番号\n1234\tメモ") == "個人番号 1234 メモ"


def test_an_excel_cell_with_alt_enter_keeps_its_column_context(engine, tmp_path):
    import openpyxl

    n, m, d = make_number(RNG), make_number(RNG), make_number(RNG)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "従業員"
    ws.append(["氏名", "個人番号", "注文番号"])
    ws.append(["山田 太郎", f"{n[:4]}-{n[4:8]}\n{n[8:]}", f"{d[:6]}\n{d[6:]}"])
    ws.append(["佐藤 花子", f"{m[:4]}\n{m[4:8]}\n{m[8:]}", "なし"])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    found, weak, skipped = scan(engine, path)
    assert found == {("従業員!B2", n[-4:]), ("従業員!B3", m[-4:])} and skipped == []
    assert not any(t == d[-4:] for _m, t in found)


def test_a_word_table_cell_whose_number_wraps_onto_a_second_paragraph(engine, tmp_path):
    import docx

    n = make_number(RNG)
    doc = docx.Document()
    doc.add_paragraph("扶養親族一覧")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "氏名", "個人番号"
    table.cell(1, 0).text = "山田 花子"
    cell = table.cell(1, 1)
    cell.text = f"{n[:4]} {n[4:8]}"
    cell.add_paragraph(n[8:])
    path = tmp_path / "fuyo.docx"
    doc.save(path)
    found, _weak, skipped = scan(engine, path)
    assert found == {("word/document.xml", n[-4:])} and skipped == []


def _records(engine, path):
    from scanner.audit import scan_file
    from scanner.detect.finding import Confidence
    from scanner.report.records import FileDone, record_dict

    records = [record_dict(r) for r in scan_file(engine, str(path), Confidence.LOW) if not isinstance(r, FileDone)]
    return {r["masked"][-4:]: r for r in records if r["type"] == "finding"}


def test_a_csv_cell_that_wraps_a_number_keeps_it_whole_under_its_header_at_the_files_lines(engine, tmp_path):
    import csv
    import io

    a, b, c, d = (make_number(RNG) for _ in range(4))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")  # as Excel saves "CSV (comma delimited)"
    w.writerow(["社員番号", "氏名", "所属", "個人番号", "電話番号", "備考"])
    remark = f"個人番号（再提出分）\n{a[:4]} {a[4:8]} {a[8:]}"
    w.writerow(["10001", "伊藤 大輔", "総務部", "備考欄参照", "03-1234-5678", remark])
    w.writerow(["10002", "松本 和夫", "営業部", f"{b[:4]}\n{b[4:8]} {b[8:]}", "090-1234-5678", ""])
    w.writerow(["10003", "岡田 さくら", "人事部", f"{c[:4]}-{c[4:6]}\n{c[6:8]}-{c[8:]}", "", "扶養控除申告書 回収済"])
    w.writerow(["10004", "山﨑 亮", "経理部", d, "", ""])
    text = out.getvalue()
    path = tmp_path / "入社書類_回収状況.csv"
    path.write_bytes(text.encode("cp932"))
    found = _records(engine, path)
    assert {k: r["confidence"] for k, r in found.items()} == {n[-4:]: "high" for n in (a, b, c, d)}
    lines = text.replace("\r\n", "\n").split("\n")  # Excel: CRLF ends a record, LF breaks a cell
    # each finding is where the number starts in the file, and the rows after keep their lines
    for n, first in ((a, f"{a[:4]} {a[4:8]}"), (b, f'"{b[:4]}'), (c, f"{c[:4]}-{c[4:6]}"), (d, d)):
        line = next(i for i, text in enumerate(lines, 1) if first in text)
        column = lines[line - 1].index(first) + 1 + first.startswith('"')
        assert (found[n[-4:]]["line"], found[n[-4:]]["column"]) == (line, column)


def test_an_excel_cell_with_a_windows_line_break_is_read(engine, tmp_path):
    import openpyxl

    n, m = make_number(RNG), make_number(RNG)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["社員番号", "氏名", "マイナンバー", "電話番号", "備考"])
    # 備考 is empty: the rows are shorter than the header, which still heads them
    ws.append(["10001", "藤田 隆", f"{n[:4]} {n[4:8]}\r\n{n[8:]}", "03-1234-5678"])
    ws.append(["10002", "髙橋 蓮", f"{m[:4]}-{m[4:8]}-\r\n{m[8:]}", "090-1234-5678"])
    path = tmp_path / "社員台帳.xlsx"
    wb.save(path)
    found, _weak, skipped = scan(engine, path)
    assert found == {("Sheet!C2", n[-4:]), ("Sheet!C3", m[-4:])} and skipped == []


def test_excel_escapes_of_characters_xml_cannot_hold_are_read():
    from scanner.extract.ooxml import unescape_ooxml

    assert unescape_ooxml("1234 5678_x000D_\n9012") == "1234 5678\r\n9012"
    assert unescape_ooxml("my_x005F_number") == "my_number"
