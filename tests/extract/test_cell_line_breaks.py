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
