"""Every encoding Japanese shares hold is read, and numbers in it are found at the right place."""

import io

import pytest

from scanner.extract.encoding import sniff
from scanner.extract.textfile import BinaryContent, decode_stream

N = "123456789018"
TEXT = (
    "従業員名簿（総務部）\n"
    "氏名,フリガナ,個人番号,備考\n"
    f"山田太郎,ヤマダタロウ,{N},ｶﾀｶﾅ備考\n"
    "佐藤花子,サトウハナコ,,異動予定\n"
) * 3

CASES = [
    ("utf-8", lambda t: t.encode("utf-8")),
    ("utf-8-sig", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
    ("cp932", lambda t: t.encode("cp932")),
    ("euc_jp", lambda t: t.encode("euc_jp")),
    ("iso2022_jp_ext", lambda t: t.replace("ｶﾀｶﾅ", "カタカナ").encode("iso2022_jp")),
    ("utf-16", lambda t: t.encode("utf-16")),  # with BOM (Excel "Unicode text")
    ("utf-16-le", lambda t: t.encode("utf-16-le")),
    ("utf-16-be", lambda t: t.encode("utf-16-be")),
]


@pytest.mark.parametrize("expected,encode", CASES, ids=[c[0] for c in CASES])
def test_encoding_is_recognised(expected, encode):
    assert sniff(encode(TEXT)).encoding == expected


@pytest.mark.parametrize("expected,encode", CASES, ids=[c[0] for c in CASES])
def test_decoded_text_is_exact_and_numbers_are_found_on_their_line(engine, expected, encode):
    _enc, chunks = decode_stream(io.BytesIO(encode(TEXT)), read_bytes=64)
    text = "".join(chunks)
    assert text.replace("カタカナ", "ｶﾀｶﾅ") == TEXT
    found = engine.scan_text(text)
    col = TEXT.splitlines()[2].index(N) + 1
    expected = [(3, col, "high"), (7, col, "high"), (11, col, "high")]
    assert [(f.line, f.column, f.confidence.label) for f in found] == expected


def test_cp932_only_characters_are_read_as_cp932():
    text = "①髙﨑 個人番号 ＮＯ．" * 20
    assert sniff(text.encode("cp932")).encoding == "cp932"


def test_short_euc_jp_is_not_mistaken_for_cp932():
    text = "マイナンバーを提出してください。よろしくお願いします。\n"
    assert sniff(text.encode("euc_jp")).encoding == "euc_jp"


def test_a_multibyte_character_cut_at_the_sniff_boundary_does_not_change_the_answer():
    data = ("あ" * 30000).encode("utf-8")  # 90,000 bytes: the 64 KiB sample ends mid-character
    assert sniff(data[: 64 * 1024]).encoding == "utf-8"


def test_binary_content_is_refused_not_read_as_text():
    data = bytes(range(256)) * 100
    with pytest.raises(BinaryContent):
        decode_stream(io.BytesIO(data))


def test_invalid_bytes_become_replacement_characters_and_the_rest_is_still_read(engine):
    data = "個人番号：".encode() + b"\xff\xfe\xfd" + f"\nマイナンバー {N}\n".encode()
    _enc, chunks = decode_stream(io.BytesIO(data))
    assert len(engine.scan_text("".join(chunks))) == 1


@pytest.mark.parametrize("damage", [
    lambda b: b[:20] + b"\x97" + b[20:],  # a stray byte pasted in
    lambda b: b.replace("よろしく".encode(), "よろしく".encode()[:-1] + b"9", 1),  # a character cut short
    lambda b: b[:-2],  # cut mid-character at the end
])
def test_utf8_with_a_bad_byte_stays_utf8_so_its_japanese_context_is_kept(engine, damage):
    data = damage(f"私の個人番号は{N}です。よろしくお願いします".encode())
    encoding, chunks = decode_stream(io.BytesIO(data))
    assert encoding == "utf-8"
    assert "個人番号" in "".join(chunks)


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp"])
def test_legacy_japanese_is_not_taken_for_damaged_utf8(encoding):
    assert sniff(TEXT.encode(encoding)).encoding == encoding
    assert sniff("社員名簿：山田太郎、鈴木一郎".encode(encoding)).encoding == encoding
