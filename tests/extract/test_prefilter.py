"""The byte prefilter skips text without changing a single finding."""

import io
import random

import pytest

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
    _enc, segments = iter_segments(io.BytesIO(data), engine.reach, read_bytes)
    segments = list(segments)
    found = [(f.line, f.column, f.masked, f.score, f.reasons) for f in engine.scan_segments(segments)]
    return found, segments


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "euc_jp"])
@pytest.mark.parametrize("read_bytes", [512, 4096, 65536, 1 << 20])
@pytest.mark.parametrize("density", [1.0, 0.02])
def test_prefiltered_scan_equals_full_scan(engine, encoding, read_bytes, density):
    rng = random.Random(7 + read_bytes + int(density * 100))
    text = _office_text(rng, lines=int(4000 / density ** 0.75), density=density)
    data = text.encode(encoding, errors="replace")  # characters an encoding lacks become "?"
    found, segments = _prefiltered(engine, data, read_bytes)
    assert found == _full(engine, data)
    assert len(found) >= 3
    if density < 1:
        assert sum(1 for s in segments if s.line is not None) >= 2  # there were gaps to skip


def test_prefilter_decodes_much_less_of_sparse_text(engine):
    rng = random.Random(5)
    filler = "".join(rng.choice(["本日の議事録を共有します。\n", "Please review by Friday.\n"]) for _ in range(200_000))
    n = make_number(rng)
    text = filler + f"個人番号：{n}\n" + filler
    found, segments = _prefiltered(engine, text.encode("utf-8"), 1 << 20)
    decoded = sum(len(s.text) for s in segments)
    assert decoded < len(text) / 20
    assert [(f[0], f[1]) for f in found] == [(200_001, 6)]


def test_a_file_without_final_newline_and_a_huge_single_line_are_read_whole(engine):
    n = make_number(random.Random(6))
    line = ("x" * 50 + " ") * 200_000 + f"個人番号：{n}"  # ~10 MB without a line break
    data = line.encode("utf-8")
    found, _ = _prefiltered(engine, data, 1 << 20)
    assert found == _full(engine, data) and len(found) == 1


def test_encodings_the_prefilter_cannot_read_are_decoded_whole(engine):
    text = _office_text(random.Random(7), lines=500)
    for enc in ("utf-16", "iso2022_jp"):
        plain = text.replace("\u3000", " ") if enc == "iso2022_jp" else text
        data = plain.encode(enc, errors="replace")
        found, segments = _prefiltered(engine, data, 65536)
        assert all(s.line is None for s in segments)
        assert found == _full(engine, data)
