"""Images and scans: read by OCR into the same engine, or reported not scanned, never clean."""

from __future__ import annotations

import io
import random
import subprocess
import sys

import docx
import pytest
from PIL import Image

from scanner.audit import scan_file
from scanner.detect.finding import Confidence
from scanner.extract import ocr
from scanner.extract.filetype import Kind, sniff_kind
from scanner.extract.limits import Limits
from scanner.report.records import FileDone, record_dict
from tests.conftest import make_number
from tests.imaging import boxed_form, card_back, card_front, need_ocr, notification_card, page, phone_photo, to_bytes

RNG = random.Random(12)
N = make_number(RNG)
OFF = Limits(max_ocr_pages=0)


def records(engine, path, limits=Limits()):
    return [record_dict(r) for r in scan_file(engine, str(path), Confidence.LOW, limits) if not isinstance(r, FileDone)]


def form(n=N, dpi=300):
    return page(["給与所得者の扶養控除等（異動）申告書", f"氏名 山田 太郎　　個人番号 {n[:4]} {n[4:8]} {n[8:]}",
                 "電話番号 03-1234-5678"], dpi=dpi)


def _docx_with_picture(path, img):
    document = docx.Document()
    document.add_paragraph("申告書の写しを添付します。")
    document.add_picture(io.BytesIO(to_bytes(img, "PNG")))
    document.save(path)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF", "BMP", "GIF", "WEBP"])
def test_each_image_format_is_sniffed_as_an_image(fmt):
    img = Image.new("RGB", (80, 40), "white")
    assert sniff_kind(io.BytesIO(to_bytes(img, fmt))) is Kind.IMAGE


def test_text_starting_with_bm_stays_text():
    assert sniff_kind(io.BytesIO("BM部 個人番号一覧\n".encode())) is Kind.TEXT


def test_an_image_with_ocr_off_is_not_scanned_and_says_why(engine, tmp_path):
    path = tmp_path / "card.png"
    path.write_bytes(to_bytes(Image.new("L", (400, 200), 255), "PNG"))
    assert records(engine, path, OFF) == [
        {"type": "not_scanned", "path": str(path), "member": None, "reason": "unsupported",
         "detail": "image: OCR off (limits.max_ocr_pages = 0)"}
    ]


def test_a_pdf_page_without_a_text_layer_with_ocr_off_is_not_scanned_by_page(engine, tmp_path):
    path = tmp_path / "scan.pdf"
    form().save(path, resolution=300)
    [rec] = records(engine, path, OFF)
    assert (rec["type"], rec["member"], rec["reason"]) == ("not_scanned", "page 1", "unsupported")
    assert rec["detail"].startswith("page 1 has no text layer")


def test_a_docx_screenshot_with_ocr_off_is_not_scanned_by_its_media_path(engine, tmp_path):
    path = tmp_path / "memo.docx"
    _docx_with_picture(path, form())
    [rec] = [r for r in records(engine, path, OFF) if r["type"] == "not_scanned"]
    assert (rec["member"], rec["reason"]) == ("word/media/image1.png", "unsupported")


def test_without_ocr_installed_an_image_says_what_to_install(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "TESSDATA_DIRS", ())
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # no language data there
    ocr.unavailable.cache_clear()
    try:
        path = tmp_path / "card.png"
        path.write_bytes(to_bytes(Image.new("L", (400, 200), 255), "PNG"))
        [rec] = records(engine, path)
    finally:
        ocr.unavailable.cache_clear()
    assert rec["reason"] == "unsupported"
    assert "tesseract-ocr-jpn" in rec["detail"]


def test_tiny_images_such_as_icons_are_neither_read_nor_reported(engine, tmp_path):
    path = tmp_path / "icon.png"
    path.write_bytes(to_bytes(Image.new("L", (32, 32), 255), "PNG"))
    assert records(engine, path, OFF) == []


def test_an_image_over_max_image_pixels_is_a_limit_not_decoded(engine, tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(to_bytes(Image.new("1", (6000, 6000), 1), "PNG"))  # 36 Mpx in a few kB
    [rec] = records(engine, path, Limits(max_image_pixels=10_000_000))
    assert rec["reason"] == "limit:max_image_pixels"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_300_dpi_scanned_form_is_read_by_ocr_and_found_high(engine, tmp_path, fmt):
    need_ocr()
    path = tmp_path / f"申告書.{fmt.lower()}"
    path.write_bytes(to_bytes(form(), fmt, **({"quality": 75} if fmt == "JPEG" else {})))
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [(r["masked"][-4:], r["confidence"]) for r in found] == [(N[-4:], "high")]
    assert "ocr" in found[0]["reasons"]


def test_a_phone_photo_of_a_form_is_read(engine, tmp_path):
    need_ocr()
    path = tmp_path / "IMG_0001.jpg"
    phone_photo(form(), random.Random(3), degrees=6).save(path, quality=60)
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [r["masked"][-4:] for r in found] == [N[-4:]]
    assert found[0]["confidence"] in ("medium", "high")


def test_a_multi_page_tiff_is_read_page_by_page(engine, tmp_path):
    need_ocr()
    other = make_number(RNG)
    path = tmp_path / "fax.tiff"
    first, second = form(), form(other)
    first.save(path, save_all=True, append_images=[page(["送付状"]), second], compression="tiff_lzw")
    found = {r["masked"][-4:]: r["member"] for r in records(engine, path) if r["type"] == "finding"}
    assert found == {N[-4:]: "page 1", other[-4:]: "page 3"}


def test_an_image_only_pdf_is_rendered_and_read_by_page(engine, tmp_path):
    need_ocr()
    path = tmp_path / "scan.pdf"
    page(["FAX送信票"]).save(path, resolution=300, save_all=True, append_images=[form(dpi=200)])
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [(r["member"], r["masked"][-4:], r["confidence"]) for r in found] == [("page 2", N[-4:], "high")]


def test_a_docx_with_an_embedded_screenshot_finds_the_number_in_its_media(engine, tmp_path):
    need_ocr()
    path = tmp_path / "memo.docx"
    _docx_with_picture(path, form())
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [(r["member"], r["masked"][-4:]) for r in found] == [("word/media/image1.png", N[-4:])]


def test_images_beyond_max_ocr_pages_are_limit_records(engine, tmp_path):
    need_ocr()
    path = tmp_path / "fax.tiff"
    blank = page(["送付状"])
    blank.save(path, save_all=True, append_images=[blank, blank])
    recs = records(engine, path, Limits(max_ocr_pages=2))
    assert [(r["member"], r["reason"]) for r in recs] == [("page 3", "limit:max_ocr_pages")]


def test_a_receipt_with_a_jan_code_and_phone_numbers_has_no_high_finding(engine, tmp_path):
    need_ocr()
    jan = "4901234567894"
    order = make_number(random.Random(99))  # check-digit valid: an order slip's number, not a My Number
    path = tmp_path / "receipt.png"
    receipt = page(["領収書", "株式会社サンプル商店 TEL 03-1234-5678", f"JAN {jan}", f"注文番号 {order}",
                    "合計 ¥1,280"], width_in=3.2)
    path.write_bytes(to_bytes(receipt, "PNG"))
    assert not [r for r in records(engine, path) if r["type"] == "finding" and r["confidence"] == "high"]


def test_the_cli_says_in_one_line_that_an_image_was_not_read_and_fails_when_asked(tmp_path, cli_env):
    path = tmp_path / "card.png"
    path.write_bytes(to_bytes(Image.new("L", (400, 200), 255), "PNG"))
    config = tmp_path / "ocr-off.toml"
    config.write_text("[limits]\nmax_ocr_pages = 0\n")
    cmd = [sys.executable, "-m", "scanner", "scan", str(path), "--config", str(config)]
    done = subprocess.run([*cmd, "--fail-on-unscanned"], env=cli_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    said = [line for line in (done.stdout + done.stderr).splitlines() if "OCR off" in line]
    assert len(said) == 1 and "card.png" in said[0]


def test_a_page_fed_in_sideways_is_turned_upright_and_read(engine, tmp_path):
    need_ocr()
    path = tmp_path / "sideways.png"
    form().rotate(90, expand=True).save(path)
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [(r["masked"][-4:], r["confidence"]) for r in found] == [(N[-4:], "high")]


@pytest.mark.parametrize("degrees", [-9, -4, 3, 8])
def test_the_tilt_of_a_page_is_measured_to_half_a_degree(degrees):
    tilted = form().rotate(degrees, expand=True, fillcolor=235)
    assert abs(ocr.skew_angle(tilted) + degrees) <= 0.5


@pytest.mark.parametrize("dpi", [300, 200])
def test_digits_written_one_per_printed_box_are_read_under_the_label_above(engine, tmp_path, dpi):
    need_ocr()
    n = "043419254127"  # check digit computed: 0434 1925 412 -> 7
    path = tmp_path / "申告書.png"
    boxed_form(n, dpi).save(path)
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [(r["masked"][-4:], r["confidence"]) for r in found] == [(n[-4:], "high")]


def test_a_phones_heic_photo_is_read(engine, tmp_path):
    need_ocr()
    import pillow_heif

    pillow_heif.register_heif_opener()
    path = tmp_path / "IMG_0002.HEIC"
    form().convert("RGB").save(path, "HEIF", quality=90)
    assert sniff_kind(io.BytesIO(path.read_bytes())) is Kind.IMAGE
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [(r["masked"][-4:], r["confidence"]) for r in found] == [(N[-4:], "high")]


def test_an_image_in_a_zip_in_a_mail_is_read_and_named_by_its_path(engine, tmp_path):
    need_ocr()
    import zipfile
    from email.message import EmailMessage

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("scans/申告書.png", to_bytes(form(), "PNG"))
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "hr@example.jp", "staff@example.jp", "書類の送付"
    msg.set_content("添付をご確認ください。")
    msg.add_attachment(inner.getvalue(), maintype="application", subtype="zip", filename="scans.zip")
    path = tmp_path / "mail.eml"
    path.write_bytes(msg.as_bytes())
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [(r["member"], r["masked"][-4:]) for r in found] == [("scans.zip/scans/申告書.png", N[-4:])]


def test_box_sides_read_as_ones_between_the_digits_leave_the_digits_between_them():
    n = "043419254127"
    assert ocr._between_sides("1".join(n)) == n  # inner sides only
    assert ocr._between_sides("1" + "1".join(n) + "1") == n  # the outer ones too
    assert ocr._between_sides("1" + "1".join(n)) == n
    assert ocr._between_sides("7".join(n)) is None  # not box sides: no reading of its own
    assert ocr._best(["9" + "1".join(n)[1:], "1".join(n)]) == n


def test_two_readings_passing_the_check_digit_give_the_one_the_other_readings_agree_with():
    # a boxed row read four ways (seen at 300 dpi): the digit pass box by box read both 8s as 6s,
    # a pair of misreads the check digit cannot see; the other readings side with the true number
    true, misread = "283952835612", "263952635612"
    assert ocr._passes(true) and ocr._passes(misread)
    assert ocr._best(["28352835612", misread, true, "1".join(true)]) == true
    assert ocr._best([misread, true]) is None  # as close to each other: neither is reported
    assert ocr._edits("28352835612", true) == 1


def test_a_boxed_row_whose_wide_boxes_make_tesseract_drop_a_digit_is_read_closed_up(engine, tmp_path):
    need_ocr()
    n = "855912249820"  # check digit computed; read as 11 digits with its boxes' gaps, 12 without them
    path = tmp_path / "scan.pdf"
    boxed_form(n, 300, name="鈴木 一郎").convert("L").save(path, resolution=300)
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [(r["masked"][-4:], r["confidence"]) for r in found] == [(n[-4:], "high")]


def test_a_rereading_replaces_the_misread_digits_and_keeps_how_the_number_was_written():
    line = "① 本人の個人番号 5992-2167-4253 ②"
    assert ocr._swap_digits(line, "599221674253", "590221674253") == "① 本人の個人番号 5902-2167-4253 ②"
    assert ocr._swap_digits("番号 ５９９２ ２１６７ ４２５３", "599221674253", "590221674253") == "番号 5902 2167 4253"
    assert ocr._swap_digits("番号 5992 167 4253", "59921674253", "590221674253") == "番号 590221674253"
    assert ocr._swap_digits("番号 59921674253 7", "5992167425", "590221674253") == "番号 59921674253 7"
    assert ocr._swap_digits("電話 03-1234-5678", "599221674253", "590221674253") == "電話 03-1234-5678"


def test_a_number_the_text_pass_misreads_at_200_dpi_is_read_again_by_the_digit_pass(engine, tmp_path):
    need_ocr()
    n = "590221674253"  # check digit computed; Tesseract's text pass reads its Gothic 0 as 9 at 200 dpi
    img = page(["給与所得者の扶養控除等（異動）申告書", "令和7年11月25日", "氏名　田中 健太",
                "本人の個人番号　5902-2167-4253", "住所　東京都千代田区丸の内1-7-16", "電話番号　03-9025-6191"],
               dpi=200)
    path = tmp_path / "scan.png"
    img.save(path)
    found = [r for r in records(engine, path) if r["type"] == "finding"]
    assert [(r["masked"][-4:], r["confidence"]) for r in found] == [(n[-4:], "high")]


def _cards(engine, path):
    return [(r["rule"], r["confidence"], r["masked"]) for r in records(engine, path) if r["type"] == "finding"]


def test_a_photo_of_the_back_of_the_card_is_a_card_finding_beside_its_number(engine, tmp_path):
    need_ocr()
    path = tmp_path / "IMG_0412.jpg"
    phone_photo(card_back(N), random.Random(5), degrees=6).save(path)
    assert sorted(_cards(engine, path)) == [("jp-my-number", "high", "********" + N[-4:]),
                                            ("jp-my-number-card", "medium", "********" + N[-4:])]


def test_the_back_of_the_card_with_its_number_covered_is_still_a_card_finding(engine, tmp_path):
    need_ocr()
    path = tmp_path / "scan.png"
    card_back(N, covered=True).save(path)
    found = _cards(engine, path)
    assert [(rule, level) for rule, level, _ in found] == [("jp-my-number-card", "medium")]
    assert found[0][2] in ("************", "********" + N[-4:])


def test_a_scanned_notification_card_is_a_high_card_finding(engine, tmp_path):
    need_ocr()
    path = tmp_path / "通知カード.pdf"
    notification_card(N, dpi=200).save(path, resolution=200)
    assert ("jp-my-number-card", "high", "********" + N[-4:]) in _cards(engine, path)


def test_the_front_of_the_card_which_prints_no_number_is_no_finding(engine, tmp_path):
    need_ocr()
    path = tmp_path / "front.png"
    card_front().save(path)
    assert _cards(engine, path) == []


def test_images_past_max_ocr_time_are_limit_records_and_the_documents_text_is_still_read(engine, tmp_path):
    need_ocr()
    path = tmp_path / "申告書.docx"
    document = docx.Document()
    document.add_paragraph(f"個人番号 {N}")
    for _ in range(2):
        document.add_picture(io.BytesIO(to_bytes(form(make_number(RNG)), "PNG")))
    document.save(path)
    found = records(engine, path, Limits(max_ocr_time=0.001))
    assert [r["masked"] for r in found if r["type"] == "finding"] == ["********" + N[-4:]]
    assert [(r["reason"], r["member"].split("/")[0]) for r in found if r["type"] == "not_scanned"] == [
        ("limit:max_ocr_time", "word")] * 2
