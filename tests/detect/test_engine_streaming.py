"""Chunked input: same findings as one string, numbers across chunk edges, bounded memory."""

import random
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.detect.finding import Confidence

from tests.conftest import make_number


def _doc(rng, lines=3000):
    out = []
    for i in range(lines):
        if i % 7 == 0:
            n = make_number(rng)
            out.append(f"{i} 個人番号：{n[:4]}-{n[4:8]}-{n[8:]} を受領\n")
        elif i % 5 == 0:
            out.append(f"{i} 注文番号 {make_number(rng)} 発送済み\n")
        else:
            out.append(f"{i} 本日の議事録です。The meeting notes follow; 次回は来週。\n")
    return "".join(out)


def _key(findings):
    return [(f.line, f.column, f.masked, f.confidence, f.score, f.reasons) for f in findings]


@pytest.mark.parametrize("size", [1, 7, 64, 1000, 65536])
def test_chunked_scan_equals_whole_text_scan_at_any_chunk_size(engine, size):
    text = _doc(random.Random(size), lines=400 if size < 64 else 3000)
    whole = engine.scan_text(text)
    chunked = list(engine.scan_chunks(text[i : i + size] for i in range(0, len(text), size)))
    assert _key(chunked) == _key(whole)
    assert len(whole) > 10


def test_number_split_across_a_chunk_edge_is_found(engine):
    n = make_number(random.Random(1))
    text = "x" * 100_000 + f"個人番号 {n}\n"
    cut = 100_000 + len("個人番号 ") + 6
    found = list(engine.scan_chunks([text[:cut], text[cut:]]))
    assert [(f.line, f.column) for f in found] == [(1, 100_006)]


def test_line_and_column_count_across_chunks(engine):
    n = make_number(random.Random(2))
    lines = ["a" * 50 + "\n"] * 5000 + [f"abc 個人番号 {n}\n"]
    found = list(engine.scan_chunks(lines))
    assert [(f.line, f.column) for f in found] == [(5001, 10)]


def test_memory_stays_bounded_while_streaming_a_long_document(engine):
    rng = random.Random(3)
    block = _doc(rng, lines=2000)

    def chunks(n):
        for _ in range(n):
            yield block

    tracemalloc.start()
    count = 0
    for _f in engine.scan_chunks(chunks(40)):
        count += 1
    _, peak_small = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for _f in engine.scan_chunks(chunks(160)):
        count += 1
    _, peak_big = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # four times the text (and more findings than MAX_PENDING), not four times the memory
    assert peak_big < peak_small * 2, (peak_small, peak_big)
    assert count > 0


def test_a_document_with_more_findings_than_are_held_gives_the_same_findings_in_any_pieces(engine):
    """Past MAX_PENDING the oldest findings are settled with the evidence seen so far; when that
    happens depends on the values' positions, not on how the text arrives."""
    from scanner._native import MAX_PENDING

    from tests.conftest import make_invalid

    rng = random.Random(12)
    # the column's evidence turns: valid numbers first, then many more that fail the check digit
    rows = ["氏名,番号,備考\n"] + [f"社員{i},{make_number(rng)},\n" for i in range(int(MAX_PENDING * 1.3))]
    rows += [f"社員{i},{make_invalid(rng)},\n" for i in range(MAX_PENDING * 3)]
    text = "".join(rows)
    whole = _key(engine.scan_text(text))
    assert len(whole) > MAX_PENDING // 4  # the first ones, settled before the evidence turned
    for size in (4096, 100_000, 1 << 20):
        assert _key(engine.scan_chunks(text[i : i + size] for i in range(0, len(text), size))) == whole
    data = text.encode("utf-8")
    from scanner.detect.segments import RawText

    raw = [RawText(data[i : i + 65536], "utf-8", True) for i in range(0, len(data), 65536)]
    assert _key(engine.scan_segments(raw)) == whole


PIECES = st.sampled_from([
    "個人番号：", "マイナンバー ", "my_number", '"my_number": "', "<MyNumber>", "</MyNumber>", "氏名,個人番号\n",
    "山田,", "注文番号 ", "電話 ", "TEL", "¥", "円", "\n", "\n\n", ",", "\t", "|", " ", "\u3000", "-", "：",
    "123456789018", "1234-5678-9018", "１２３４５６７８９０１８", "1 2 3 4 5 6 7 8 9 0 1 8", "987654321098",
    "111111111111", "20241126093015", "No.", "a", "扶養控除", "源泉徴収票", "口座番号", "\\u500b\\u4eba",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join), st.integers(1, 40))
def test_findings_do_not_depend_on_the_sizes_of_the_pieces_fed(engine, text, step):
    whole = engine.scan_text(text)
    doc = engine.document()
    pieces = [f for i in range(0, len(text), step) for f in doc.feed(text[i:i + step])] + doc.close()
    assert pieces == whole


def test_a_known_number_is_high_whatever_its_context(ruleset):
    from scanner.detect.engine import Engine
    from scanner.privacy.fingerprint import Fingerprinter

    fingerprinter = Fingerprinter("known-key")
    rng = random.Random(3)
    n, other = make_number(rng), make_number(rng)
    text = f"注文番号 {n}\n注文番号 {other}\n"
    plain = Engine(ruleset, fingerprinter).scan_text(text)
    found = Engine(ruleset, fingerprinter, frozenset({fingerprinter(n)})).scan_text(text)
    known = [f for f in found if f.fingerprint == fingerprinter(n)]
    assert len(known) == 1 and known[0].score == 1.0 and "known-number" in known[0].reasons
    assert known[0].confidence == Confidence.HIGH
    assert all("known-number" not in f.reasons for f in plain)
    assert [f for f in found if f.fingerprint != fingerprinter(n)] == [f for f in plain if f.fingerprint != fingerprinter(n)]
