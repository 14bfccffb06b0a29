"""Context far away but still telling (issue 11, class 7): the file name, a sheet's name and the
subject of the mail a file is attached to say what all its values are — weaker than a word of
their own: they lift low to medium, never to high, and never outweigh a nearby negative word."""

from __future__ import annotations

import csv
import email.mime.application
import email.mime.multipart
import email.mime.text
import io
import random

from scanner.audit import scan_file
from scanner.detect.finding import Confidence
from scanner.report.records import FileDone, record_dict
from tests.conftest import make_number

RNG = random.Random(1207)


def levels(engine, path) -> dict[str, str]:
    records = [record_dict(r) for r in scan_file(engine, str(path), Confidence.LOW) if not isinstance(r, FileDone)]
    return {r["masked"][-4:]: r["confidence"] for r in records if r["type"] == "finding"}


def roster(values: list[str], header: str = "番号", extra: tuple[str, str] | None = None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["No.", "氏名", header] + ([extra[0]] if extra else []))
    for i, v in enumerate(values, 1):
        w.writerow([i, f"山田 {i}郎", v] + ([extra[1]] if extra else []))
    return out.getvalue()


def test_a_telling_file_name_lifts_a_generic_column_to_medium(engine, tmp_path):
    values = [make_number(RNG) for _ in range(3)]
    telling = tmp_path / "マイナンバー一覧.csv"
    telling.write_text(roster(values), encoding="cp932")
    plain = tmp_path / "名簿.csv"
    plain.write_text(roster(values), encoding="cp932")
    assert set(levels(engine, telling).values()) == {"medium"}
    assert set(levels(engine, plain).values()) == {"low"}


def test_a_title_and_a_long_roster_together_are_still_not_high(engine, tmp_path):
    values = [make_number(RNG) for _ in range(30)]
    path = tmp_path / "個人番号_2024.csv"
    path.write_text(roster(values, header="ID"), encoding="utf-8")
    assert set(levels(engine, path).values()) == {"medium"}


def test_a_nearby_negative_word_outweighs_the_title(engine, tmp_path):
    d = make_number(RNG)
    path = tmp_path / "マイナンバー一覧.csv"
    path.write_text(roster([d], header="注文番号"), encoding="utf-8")
    assert levels(engine, path).get(d[-4:]) in (None, "low")


def test_a_sheet_named_for_my_numbers_lifts_its_generic_column(engine, tmp_path):
    import openpyxl

    values = [make_number(RNG) for _ in range(3)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "マイナンバー"
    ws.append(["氏名", "番号"])
    for i, v in enumerate(values):
        ws.append([f"佐藤 {i}", v])
    path = tmp_path / "2024年度.xlsx"
    wb.save(path)
    assert set(levels(engine, path).values()) == {"medium"}


def _mail(subject: str, attachment: bytes) -> bytes:
    msg = email.mime.multipart.MIMEMultipart()
    msg["Subject"] = subject
    msg.attach(email.mime.text.MIMEText("お世話になっております。添付の通りお送りします。\n", "plain", "iso-2022-jp"))
    att = email.mime.application.MIMEApplication(attachment, Name="list.csv")
    att.add_header("Content-Disposition", "attachment", filename="list.csv")
    msg.attach(att)
    return msg.as_bytes()


def test_the_subject_of_a_mail_says_what_its_attachment_holds(engine, tmp_path):
    values = [make_number(RNG) for _ in range(3)]
    csv_bytes = roster(values).encode("cp932")
    telling = tmp_path / "a.eml"
    telling.write_bytes(_mail("扶養家族のマイナンバー提出について", csv_bytes))
    plain = tmp_path / "b.eml"
    plain.write_bytes(_mail("見積書の送付", csv_bytes))
    assert set(levels(engine, telling).values()) == {"medium"}
    assert set(levels(engine, plain).values()) == {"low"}


def test_a_cp932_file_name_is_read_as_its_user_reads_it(engine, tmp_path):
    import os

    values = [make_number(RNG) for _ in range(3)]
    path = tmp_path / os.fsdecode("マイナンバー一覧.csv".encode("cp932"))  # as a Samba share hands it over
    path.write_text(roster(values), encoding="cp932")
    assert set(levels(engine, path).values()) == {"medium"}


def test_the_folder_a_file_sits_in_is_a_title_too(engine, tmp_path):
    values = [make_number(RNG) for _ in range(3)]
    folder = tmp_path / "人事-マイナンバー収集"  # a chat export's channel, a share's collection folder
    folder.mkdir()
    path = folder / "2024-11-05.csv"
    path.write_text(roster(values), encoding="utf-8")
    assert set(levels(engine, path).values()) == {"medium"}


def test_the_text_of_a_mail_says_what_its_attachment_holds_and_its_signature_lowers_nothing(engine, tmp_path):
    values = [make_number(RNG) for _ in range(3)]
    csv_bytes = roster(values).encode("cp932")

    def mail(body: str) -> bytes:
        msg = email.mime.multipart.MIMEMultipart()
        msg["Subject"] = "書類送付"
        msg.attach(email.mime.text.MIMEText(body, "plain", "utf-8"))
        att = email.mime.application.MIMEApplication(csv_bytes, Name="list.csv")
        att.add_header("Content-Disposition", "attachment", filename="list.csv")
        msg.attach(att)
        return msg.as_bytes()

    telling = tmp_path / "a.eml"
    telling.write_bytes(mail("ご依頼の扶養親族のマイナンバーを添付します。\n--\n総務課 山田\nTEL 03-1234-5678\n"))
    signed = tmp_path / "b.eml"
    signed.write_bytes(mail("添付をご確認ください。\n--\n総務課 山田\nTEL 03-1234-5678\n"))
    assert set(levels(engine, telling).values()) == {"medium"}
    assert set(levels(engine, signed).values()) == {"low"}


def test_a_title_about_orders_keeps_a_column_of_passing_values_from_being_a_roster(engine, tmp_path):
    values = [make_number(RNG) for _ in range(6)]  # an order system with the same mod-11 check digit
    folder = tmp_path / "共有"  # not the test's own folder name, which says "orders"
    folder.mkdir()
    orders = folder / "受注一覧_2024.csv"
    orders.write_text(roster(values), encoding="utf-8")
    people = folder / "名簿_2024.csv"
    people.write_text(roster(values), encoding="utf-8")
    assert set(levels(engine, people).values()) == {"medium"}  # a roster under a generic header
    assert set(levels(engine, orders).values()) <= {"low"}
