"""Issue 9, never silently off: one poison member costs only itself, library exceptions
become the right reason, links in tars are reported, CP932 zip names read as written.

Every file here is written by the real library (zipfile, tarfile, email, py7zr ...),
then damaged the way a broken or hostile tool leaves it."""

from __future__ import annotations

import io
import random
import tarfile
import zipfile

from tests.conftest import make_number
from tests.extract import zipcraft
from tests.extract.test_documents import scan

RNG = random.Random(909)
N = make_number(RNG)
TAIL = N[-4:]
LINE = f"個人番号：{N}\n"


def _three(engine, tmp_path, patch, middle: str | zipfile.ZipInfo = "bad.txt"):
    """A zip a.txt, ``middle``, c.txt (each holding the number), patched by ``patch``; its scan."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("a.txt", middle, "c.txt"):
            z.writestr(name, LINE)
    path = tmp_path / "three.zip"
    path.write_bytes(patch(buf.getvalue()))
    return scan(engine, path)


# ---- 11. one poison member costs only itself ---------------------------------------


def test_zip_member_with_an_unknown_compression_method_is_unsupported_and_the_rest_is_read(engine, tmp_path):
    unknown_method = lambda d: zipcraft.patch_central(d, b"bad.txt", zipcraft.C_METHOD, "<H", 99)  # noqa: E731
    found, _weak, skipped = _three(engine, tmp_path, unknown_method)
    assert skipped == [("bad.txt", "unsupported")]
    assert found == {("a.txt", TAIL), ("c.txt", TAIL)}


def test_zip_member_whose_header_offset_is_before_the_file_is_corrupt_and_the_rest_is_read(engine, tmp_path):
    found, _weak, skipped = _three(engine, tmp_path, lambda d: zipcraft.negative_offset(d, b"a.txt"), middle="b.txt")
    assert skipped == [("a.txt", "corrupt")]
    assert found == {("b.txt", TAIL), ("c.txt", TAIL)}


def test_zip_member_with_an_empty_name_is_read_under_a_placeholder_name(engine, tmp_path):
    nameless = zipfile.ZipInfo("placeholder")
    nameless.filename = nameless.orig_filename = ""  # zipfile writes what it is given
    found, _weak, skipped = _three(engine, tmp_path, lambda d: d, middle=nameless)
    assert skipped == []
    assert found == {("a.txt", TAIL), ("member-1", TAIL), ("c.txt", TAIL)}


def test_zip_member_with_a_bad_crc_is_scanned_and_reported_corrupt(engine, tmp_path):
    bad_crc = lambda d: zipcraft.patch_central(d, b"bad.txt", zipcraft.C_CRC, "<I", 12345)  # noqa: E731
    found, _weak, skipped = _three(engine, tmp_path, bad_crc)
    assert skipped == [("bad.txt", "corrupt")]
    assert found == {("a.txt", TAIL), ("bad.txt", TAIL), ("c.txt", TAIL)}


def test_inner_zip_of_an_unknown_zip_version_costs_only_its_member(engine, tmp_path):
    inner = zipcraft.make_zip([("x.txt", LINE)])
    inner = zipcraft.patch_central(inner, b"x.txt", zipcraft.C_VERSION_NEEDED, "<H", 99)
    path = tmp_path / "outer.zip"
    path.write_bytes(zipcraft.make_zip([("a.txt", LINE), ("inner.zip", inner), ("c.txt", LINE)]))
    found, _weak, skipped = scan(engine, path)
    assert skipped == [("inner.zip", "unsupported")]
    assert found == {("a.txt", TAIL), ("c.txt", TAIL)}


def _mail_with_charset(charset: bytes) -> bytes:
    return (
        b"From: hr@example.com\r\nTo: all@example.com\r\nSubject: =?utf-8?b?" + _b64(f"個人番号 {N}") + b"?=\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
        b"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + LINE.encode() + b"\r\n"
        b"--XX\r\nContent-Type: text/plain; charset=\"" + charset + b"\"\r\n\r\n"
        + f"マイナンバー {N}".encode() + b"\r\n"
        b"--XX\r\nContent-Type: text/csv; name=list.csv\r\nContent-Disposition: attachment; filename=list.csv\r\n\r\n"
        + f"氏名,個人番号\n山田,{N}\n".encode() + b"\r\n--XX--\r\n"
    )


def _b64(text: str) -> bytes:
    import base64

    return base64.b64encode(text.encode())


def test_mail_part_whose_charset_holds_a_nul_keeps_the_subject_body_and_other_parts(engine, tmp_path):
    path = tmp_path / "nul.eml"
    path.write_bytes(_mail_with_charset(b"utf\x00-8"))
    found, _weak, skipped = scan(engine, path)
    assert skipped == []
    assert found == {(None, TAIL), ("list.csv", TAIL)}


# ---- 12. library exceptions become the right reason -----------------------------------


def test_zip_member_with_strong_encryption_is_encrypted_not_error(engine, tmp_path):
    found, _weak, skipped = _three(engine, tmp_path, lambda d: zipcraft.set_flags(d, b"bad.txt", 0x40))
    assert skipped == [("bad.txt", "encrypted")]
    assert found == {("a.txt", TAIL), ("c.txt", TAIL)}


def test_zip_of_an_unknown_zip_version_is_unsupported(engine, tmp_path):
    path = tmp_path / "v99.zip"
    data = zipcraft.make_zip([("a.txt", LINE)])
    path.write_bytes(zipcraft.patch_central(data, b"a.txt", zipcraft.C_VERSION_NEEDED, "<H", 99))
    found, _weak, skipped = scan(engine, path)
    assert found == set() and skipped == [(None, "unsupported")]


def test_filetype_sniffing_never_raises_on_an_unknown_zip_version():
    from scanner.extract.filetype import Kind, sniff_kind

    data = zipcraft.patch_central(zipcraft.make_zip([("a.txt", LINE)]), b"a.txt", zipcraft.C_VERSION_NEEDED, "<H", 99)
    assert sniff_kind(io.BytesIO(data)) is Kind.ZIP


def test_mail_nested_deeper_than_the_parser_can_follow_is_a_recursion_limit(engine, tmp_path):
    parts = b"Content-Type: text/plain\r\n\r\n" + LINE.encode() + b"\r\n"
    for i in range(3000):
        b = b"B%d" % i
        head = b"Content-Type: multipart/mixed; boundary=" + b + b"\r\n\r\n--" + b + b"\r\n"
        parts = head + parts + b"\r\n--" + b + b"--\r\n"
    path = tmp_path / "deep.eml"
    path.write_bytes(b"From: a@example.com\r\nTo: b@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n" + parts)
    _found, _weak, skipped = scan(engine, path)
    assert skipped == [(None, "limit:max_recursion")]


def test_attached_messages_nested_past_the_recursion_limit_keep_the_outer_text(engine, tmp_path):
    inner = b"Content-Type: text/plain\r\n\r\ninnermost\r\n"
    for _ in range(40):
        inner = b"Subject: fwd\r\nContent-Type: message/rfc822\r\n\r\n" + inner
    path = tmp_path / "fwd.eml"
    head = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: =?utf-8?b?" + _b64(f"個人番号 {N}") + b"?=\r\n"
    mime = b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
    path.write_bytes(head + mime + inner + b"\r\n--XX--\r\n")
    found, _weak, skipped = scan(engine, path)
    assert found == {(None, TAIL)}
    assert [reason for _m, reason in skipped] == ["limit:max_recursion"]


def test_xlsx_row_number_beyond_what_an_array_holds_reads_the_row(engine, tmp_path):
    from tests.extract.test_sparse_and_cut import sheet_xlsx

    path = tmp_path / "rows.xlsx"
    path.write_bytes(sheet_xlsx(f'<row r="1"><c r="A1" t="inlineStr"><is><t>個人番号</t></is></c></row>'
                                f'<row r="4294967297"><c r="A2"><v>{N}</v></c></row>'))
    found, _weak, skipped = scan(engine, path)
    assert skipped == []
    assert {t for _m, t in found} == {TAIL}


def test_7z_member_with_a_bad_crc_is_corrupt_and_the_archive_is_not_lost(engine, tmp_path):
    import py7zr

    path = tmp_path / "a.7z"
    with py7zr.SevenZipFile(path, "w", filters=[{"id": py7zr.FILTER_COPY}]) as z:
        z.writestr(LINE, "a.txt")
    data = bytearray(path.read_bytes())
    at = data.find(N.encode())
    data[at] = ord("0") if data[at] != ord("0") else ord("1")  # stored data changed, CRC not
    path.write_bytes(bytes(data))
    found, _weak, skipped = scan(engine, path)
    assert found == set() and skipped == [("a.txt", "corrupt")]


def test_7z_that_is_not_a_7z_is_corrupt(engine, tmp_path):
    path = tmp_path / "bad.7z"
    path.write_bytes(b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(range(256)) * 4)
    found, _weak, skipped = scan(engine, path)
    assert found == set() and skipped == [(None, "corrupt")]


# ---- 15. tar links and special files are reported ------------------------------------


def test_tar_links_devices_and_fifos_are_each_reported_unsupported(engine, tmp_path):
    buf = io.BytesIO()
    data = LINE.encode()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo("real.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        for name, kind in (("soft", tarfile.SYMTYPE), ("hard", tarfile.LNKTYPE), ("pipe", tarfile.FIFOTYPE),
                           ("tty", tarfile.CHRTYPE), ("disk", tarfile.BLKTYPE)):
            link = tarfile.TarInfo(name)
            link.type = kind
            link.linkname = "real.txt" if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
            tf.addfile(link)
        folder = tarfile.TarInfo("folder")
        folder.type = tarfile.DIRTYPE
        tf.addfile(folder)
    path = tmp_path / "links.tar"
    path.write_bytes(buf.getvalue())
    found, _weak, skipped = scan(engine, path)
    assert found == {("real.txt", TAIL)}
    assert sorted(skipped) == sorted((n, "unsupported") for n in ("soft", "hard", "pipe", "tty", "disk"))


def test_tar_link_records_say_what_the_member_is(tmp_path):
    from scanner.extract.archives import tar_members
    from scanner.extract.limits import Budget, Limits
    from scanner.extract.parts import Context

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        link = tarfile.TarInfo("soft")
        link.type, link.linkname = tarfile.SYMTYPE, "elsewhere"
        tf.addfile(link)
    buf.seek(0)
    items = list(tar_members(buf, Context(None, Limits(), Budget(Limits()))))
    assert [(i.member, i.reason, i.detail) for i in items] == [("soft", "unsupported", "symlink member")]


# ---- 16. zip names without the UTF-8 flag are CP932 -------------------------------------


def test_zip_member_name_without_the_utf8_flag_is_read_as_cp932(engine, tmp_path):
    name = "社員名簿.txt"
    raw = name.encode("cp932")
    placeholder = "x" * (len(raw) - 4) + ".txt"
    data = zipcraft.rename_raw(zipcraft.make_zip([(placeholder, LINE)]), placeholder, raw)
    path = tmp_path / "sjis.zip"
    path.write_bytes(data)
    found, _weak, skipped = scan(engine, path)
    assert found == {(name, TAIL)} and skipped == []


def test_zip_member_name_that_is_not_cp932_falls_back_to_cp437(engine, tmp_path):
    raw = b"\x81\x20.txt"  # 0x81 needs a second byte of 0x40..0xFC in CP932
    placeholder = "xx.txt"
    data = zipcraft.rename_raw(zipcraft.make_zip([(placeholder, LINE)]), placeholder, raw)
    path = tmp_path / "dos.zip"
    path.write_bytes(data)
    found, _weak, skipped = scan(engine, path)
    assert found == {(raw.decode("cp437"), TAIL)} and skipped == []


def _pdf_pages(tmp_path, texts: list[str]):
    """A PDF (reportlab, streams uncompressed) with one page per text."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "pages.pdf"
    c = canvas.Canvas(str(path), pageCompression=0)
    for text in texts:
        c.drawString(50, 800, text)
        c.showPage()
    c.save()
    return path


def _replace_stream(data: bytes, marker: bytes, content: bytes) -> bytes:
    """``data`` with the content stream holding ``marker`` replaced by ``content`` (its /Length fixed)."""
    at = data.find(marker)
    start = data.rfind(b"obj", 0, at) + 3
    end = data.find(b"endobj", at)
    return data[:start] + b"\n<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream\n" + data[end:]


def test_pdf_page_content_nested_deeper_than_the_parser_follows_costs_that_page(engine, tmp_path):
    path = _pdf_pages(tmp_path, ["first page", f"My Number {N}"])
    deep = b"BT /F1 12 Tf 50 800 Td " + b"[" * 20_000 + b"]" * 20_000 + b" TJ ET"
    path.write_bytes(_replace_stream(path.read_bytes(), b"(first page)", deep))
    found, _weak, skipped = scan(engine, path)
    assert skipped == [("page 1", "limit:max_recursion")]
    assert found == {("page 2", TAIL)}


def test_docx_in_a_zip_with_a_bad_crc_is_still_read_and_reported_corrupt(engine, tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph(LINE)
    inner = io.BytesIO()
    d.save(inner)
    data = zipcraft.make_zip([("form.docx", inner.getvalue())], zipfile.ZIP_STORED)
    path = tmp_path / "forms.zip"
    path.write_bytes(zipcraft.patch_central(data, b"form.docx", zipcraft.C_CRC, "<I", 1))
    found, _weak, skipped = scan(engine, path)
    assert found == {("form.docx/word/document.xml", TAIL)}
    assert skipped == [("form.docx", "corrupt")]


def _library_exceptions():
    import py7zr.exceptions
    import pypdf.errors

    return [
        (NotImplementedError("That compression method is not supported"), None, "unsupported"),
        (NotImplementedError("compression type 99"), None, "unsupported"),
        (NotImplementedError("zip file version 9.9"), None, "unsupported"),
        (NotImplementedError("strong encryption (flag bit 6)"), None, "encrypted"),
        (KeyError("/Root"), ("pypdf",), "corrupt"),
        (TypeError("'NoneType' object is not subscriptable"), ("pypdf",), "corrupt"),
        (AssertionError(), ("pypdf",), "corrupt"),
        (NotImplementedError("unsupported filter /JBIG2Decode"), ("pypdf",), "corrupt"),
        (pypdf.errors.PdfReadError("x"), ("pypdf",), "corrupt"),
        (pypdf.errors.FileNotDecryptedError("x"), ("pypdf",), "encrypted"),
        (RecursionError(), ("pypdf",), "limit:max_recursion"),
        (OverflowError("unsigned int is greater than maximum"), None, "corrupt"),
        (py7zr.exceptions.CrcError(1, 2, "a.txt"), ("py7zr",), "corrupt"),
        (py7zr.exceptions.Bad7zFile("not a 7z"), ("py7zr",), "corrupt"),
        (py7zr.exceptions.PasswordRequired("x"), ("py7zr",), "encrypted"),
        (py7zr.exceptions.UnsupportedCompressionMethodError(b"\x21", "x"), ("py7zr",), "unsupported"),
        (MemoryError(), ("pypdf",), "limit:max_memory"),
    ]


def test_library_exceptions_become_the_contract_reason_and_name_only_their_type():
    from scanner.extract.errors import from_parser, unscanned

    for exc, modules, reason in _library_exceptions():
        mapped = from_parser(exc, modules) if modules else exc
        record = unscanned("m", mapped)
        assert record.reason == reason, (type(exc).__name__, str(exc))
        assert str(exc) not in record.detail or not str(exc)
