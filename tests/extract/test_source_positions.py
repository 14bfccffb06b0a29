"""Mail and HTML read as their readers see them, with findings at the file's own line and
column (what an editor shows), not at a place in the extracted text."""

from __future__ import annotations

import random

from scanner.audit import scan_file
from scanner.detect.finding import Confidence
from scanner.report.records import FileDone, record_dict
from tests.conftest import make_number

RNG = random.Random(2026)
N = make_number(RNG)
M = make_number(RNG)
D = make_number(RNG)  # check-digit valid, in a field that is not a My Number


def findings(engine, path):
    records = [record_dict(r) for r in scan_file(engine, str(path), Confidence.LOW) if not isinstance(r, FileDone)]
    return {r["masked"][-4:]: r for r in records if r["type"] == "finding"}


def place(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of ``needle`` in ``text``."""
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def test_mail_without_a_charset_is_read_in_its_sniffed_encoding_at_its_own_lines(engine, tmp_path):
    text = (
        "From: soumu@example.co.jp\r\nTo: kyuyo@example.jp\r\nSubject: マイナンバー提出の件\r\n"
        "Date: Mon, 21 Nov 2024 17:23:00 +0900\r\n\r\n"
        "総務課です。\r\n妻の分は " + M + "\r\n\r\n> 個人番号　" + N + "\r\n"
    )
    path = tmp_path / "reply.eml"
    path.write_bytes(text.encode("cp932"))  # Shift_JIS body and Subject, no MIME headers at all
    found = findings(engine, path)
    flat = text.replace("\r\n", "\n")
    assert found[N[-4:]]["confidence"] == "high"
    assert (found[N[-4:]]["line"], found[N[-4:]]["column"]) == place(flat, N)
    assert (found[M[-4:]]["line"], found[M[-4:]]["column"]) == place(flat, M)
    # the raw Shift_JIS Subject was decoded: it sets the topic of the bare number below
    assert any(r.startswith("topic:") for r in found[M[-4:]]["reasons"])


def test_mbox_findings_are_at_the_mailbox_files_lines(engine, tmp_path):
    first = "Subject: 会議\n\n本日の会議は中止です。\n"
    second = f"Subject: 年末調整\nContent-Type: text/plain; charset=utf-8\n\n提出します。\n個人番号 {N}\n"
    text = f"From a@example Mon Jan 1 00:00:00 2024\n{first}\nFrom b@example Mon Jan 1 00:00:00 2024\n{second}"
    path = tmp_path / "inbox.mbox"
    path.write_bytes(text.encode("utf-8"))
    found = findings(engine, path)
    assert found[N[-4:]]["member"] == "message-2"
    assert (found[N[-4:]]["line"], found[N[-4:]]["column"]) == place(text, N)


def test_html_findings_are_at_the_pages_line_and_column(engine, tmp_path):
    page = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>申請内容の確認</title></head><body>\n'
        '<table class="confirm">\n<tr><th>氏名</th><td>山田　太郎</td></tr>\n'
        f"<tr><th>個人番号</th><td>\n      {N[:4]}-{N[4:8]}-{N[8:]}</td></tr>\n</table>\n"
        f'<form method="post"><input type="hidden" name="my_number" value="{M}">\n'
        f'<input type="hidden" name="order_id" value="{D}">\n</form></body></html>\n'
    )
    path = tmp_path / "confirm.txt"  # a saved page, typed by its content
    path.write_text(page, encoding="utf-8")
    found = findings(engine, path)
    assert found[N[-4:]]["confidence"] == "high"
    assert (found[N[-4:]]["line"], found[N[-4:]]["column"]) == place(page, N[:4])
    # a hidden field is named by its name: my_number is a My Number, order_id is not
    assert found[M[-4:]]["confidence"] == "high"
    assert (found[M[-4:]]["line"], found[M[-4:]]["column"]) == place(page, M)
    assert D[-4:] not in found or found[D[-4:]]["confidence"] != "high"


def test_html_character_references_are_read_and_point_at_the_reference(engine, tmp_path):
    refs = "".join(f"&#{0xFF10 + int(c)};" for c in N[:4]) + "&#x30FC;"
    refs += "".join(f"&#x{0xFF10 + int(c):X};" for c in N[4:8])
    refs += "&#x30FC;" + "".join(f"&#{0xFF10 + int(c)};" for c in N[8:])
    page = f"<html><body><p>&#20491;&#20154;&#30058;&#21495;&#xFF1A;{refs}</p>\n<p>{D}</p></body></html>\n"  # 個人番号
    path = tmp_path / "page.html"
    path.write_text(page, encoding="ascii")
    found = findings(engine, path)
    assert found[N[-4:]]["confidence"] == "high"
    assert (found[N[-4:]]["line"], found[N[-4:]]["column"]) == place(page, refs)
    assert found.get(D[-4:], {}).get("confidence") != "high"
