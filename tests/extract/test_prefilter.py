"""The byte prefilter skips text without changing a single finding.

The prefilter and the decoding run in the native core (``textscan.rs``); the reference is
the whole file decoded by Python's codecs and scanned as text."""

import io
import random

import pytest

from scanner.detect.segments import RawText
from scanner.extract.textfile import decode_stream, iter_segments
from tests.conftest import WIDE, make_invalid, make_number

FILLER = ["本日の議事録を共有します。\n", "Please find the attached report.\n", "\n", "了解です！\n"]


def _office_text(rng, lines=4000, density=1.0):
    out = []
    for _ in range(lines):
        r = rng.random() / density
        if r < 0.01:
            n = make_number(rng)
            sep = rng.choice(["-", " ", ".", "\u3000", "\u00a0", "\u2010", "\u2212", "\uff0d", "\u30fc"])
            mixed = n[:6] + n[6:].translate(WIDE)
            form = rng.choice([n, f"{n[:4]}{sep}{n[4:8]}{sep}{n[8:]}", n.translate(WIDE), " ".join(n), "\u3000".join(n),
                               mixed, f"{n[:4]}{sep}{n[4:8]}{sep}{n[8:]}".translate(WIDE)])
            out.append(f"{rng.choice(['個人番号：', 'マイナンバー ', '', '注文番号 '])}{form} です\n")
        elif r < 0.03:
            out.append(f"伝票 {make_invalid(rng)} 処理済\n")
        elif r < 0.05:
            out.append(f"2026-11-{rng.randrange(1, 29):02d} 10:{rng.randrange(60):02d} 会議 TEL 03-1234-5678\n")
        elif r < 0.06:
            out.append("氏名,個人番号\n")
        else:
            out.append(rng.choice(FILLER))
    return "".join(out)


def _full(engine, data):
    _enc, chunks = decode_stream(io.BytesIO(data))
    return [(f.line, f.column, f.masked, f.score, f.reasons) for f in engine.scan_chunks(chunks)]


def _prefiltered(engine, data, read_bytes):
    """Findings of the file read as the CLI reads it, and (bytes, decoded, gaps) of the core's byte scan."""
    _enc, segments = iter_segments(io.BytesIO(data), engine.prefilter, read_bytes)
    doc = engine.document()
    found = []
    for seg in segments:
        found += doc.feed_bytes(seg) if isinstance(seg, RawText) else doc.feed(seg.text, seg.zones)
    found += doc.close()
    prof = doc.profile()
    return [(f.line, f.column, f.masked, f.score, f.reasons) for f in found], (prof["bytes"], prof["decoded_bytes"], prof["gaps"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "euc_jp"])
@pytest.mark.parametrize("read_bytes", [512, 4096, 65536, 1 << 20])
@pytest.mark.parametrize("density", [1.0, 0.005])  # sparse: numbers further apart than a topic reaches both ways
def test_prefiltered_scan_equals_full_scan(engine, encoding, read_bytes, density):
    rng = random.Random(7 + read_bytes + int(density * 100))
    text = _office_text(rng, lines=int(4000 / density ** 0.75), density=density)
    data = text.encode(encoding, errors="replace")  # characters an encoding lacks become "?"
    found, (read, decoded, gaps) = _prefiltered(engine, data, read_bytes)
    assert found == _full(engine, data)
    assert len(found) >= 3
    assert read == len(data)
    if density < 1:
        assert gaps >= 2 and decoded < read  # there were gaps to skip


def test_prefilter_decodes_much_less_of_sparse_text(engine):
    rng = random.Random(5)
    filler = "".join(rng.choice(["本日の議事録を共有します。\n", "Please review by Friday.\n"]) for _ in range(200_000))
    n = make_number(rng)
    text = filler + f"個人番号：{n}\n" + filler
    data = text.encode("utf-8")
    found, (_read, decoded, _gaps) = _prefiltered(engine, data, 1 << 20)
    assert decoded < len(data) / 20
    assert [(f[0], f[1]) for f in found] == [(200_001, 6)]


def test_a_file_without_final_newline_and_a_huge_single_line_are_read_whole(engine):
    n = make_number(random.Random(6))
    line = ("x" * 50 + " ") * 200_000 + f"個人番号：{n}"  # ~10 MB without a line break
    data = line.encode("utf-8")
    found, (_read, decoded, _gaps) = _prefiltered(engine, data, 1 << 20)
    assert found == _full(engine, data) and len(found) == 1
    assert decoded == len(data)


def test_encodings_the_prefilter_cannot_read_are_decoded_whole(engine):
    text = _office_text(random.Random(7), lines=500)
    for enc in ("utf-16", "iso2022_jp"):
        plain = text.replace("\u3000", " ") if enc == "iso2022_jp" else text
        data = plain.encode(enc, errors="replace")
        _enc, segments = iter_segments(io.BytesIO(data), engine.prefilter, 65536)
        assert not any(isinstance(s, RawText) for s in segments)  # decoded by Python, whole
        found, _stats = _prefiltered(engine, data, 65536)
        assert found == _full(engine, data)


def test_the_text_of_raw_bytes_is_the_text_python_decodes(engine):
    from scanner.extract.textfile import segment_texts

    text = _office_text(random.Random(8), lines=300)
    for enc in ("utf-8", "utf-8-sig", "cp932", "euc_jp"):
        data = text.encode(enc, errors="replace")
        _enc, segments = iter_segments(io.BytesIO(data), None, 100)
        assert "".join(segment_texts(segments)) == data.decode(enc, errors="replace")


@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "euc_jp"])
def test_undecodable_bytes_cost_no_findings_around_them(engine, encoding):
    """A stray byte is one U+FFFD in both decoders: lines and columns stay Python's."""
    rng = random.Random(9)
    text = _office_text(rng, lines=2000)
    data = bytearray(text.encode(encoding, errors="replace"))
    for _ in range(40):  # lone high bytes at line starts: never inside a character
        at = data.find(b"\n", rng.randrange(len(data))) + 1
        data[at:at] = bytes([rng.choice([0x80, 0x85, 0xA0, 0xFD, 0xFF])])
    found, _stats = _prefiltered(engine, bytes(data), 4096)
    assert found == _full(engine, bytes(data)) and len(found) >= 3
