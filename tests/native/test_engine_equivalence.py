"""One engine: the native document scanner gives exactly the Python engine's findings —
rule, line, column, confidence, score, masked value, fingerprint and reasons — on what the
project's corpora hold (several seeds of tests/corpus, the held-out generator, the
benchmark's prose and roster), extracted as the scanner extracts them (byte prefilter,
segments, zones, every encoding), and on hypothesis-made text. Known-number matching and
small feeds (a document arriving a few characters at a time) too."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.detect.engine import Engine
from scanner.extract.dispatch import extract
from scanner.extract.limits import Budget, Limits
from scanner.detect.segments import RawText
from scanner.extract.parts import Context, Unscanned
from scanner.extract.textfile import segment_texts
from scanner.privacy.fingerprint import Fingerprinter
from scanner.rules.loader import load_ruleset
from tests.conftest import ROOT, make_number

RULESET = load_ruleset([])
FINGERPRINTER = Fingerprinter("equivalence-key")
ENGINE = Engine(RULESET, FINGERPRINTER)


class _Reference:
    """The Python reference implementation behind the same calls as the engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.reach = engine.reach

    def document(self):
        return self.engine.python_document()

    def scan_text(self, text: str) -> list:
        doc = self.document()
        return doc.feed(text) + doc.close()

    def scan_segments(self, segments) -> list:
        """Segments as they are; a text file's raw bytes decoded whole by Python's codecs
        (so the native byte prefilter and decoding are checked too)."""
        doc = self.document()
        out = []
        if any(isinstance(seg, RawText) for seg in segments):
            for text in segment_texts(segments):
                out += doc.feed(text)
            return out + doc.close()
        for seg in segments:
            if seg.line is not None:
                out += doc.jump(seg.line)
            out += doc.feed(seg.text, seg.zones)
        return out + doc.close()


PYTHON = _Reference(ENGINE)
NATIVE = ENGINE


def _parts(path: Path):
    """Each text part of a file as the scanner extracts it: (member, segments)."""
    limits = Limits()
    with open(path, "rb") as f:
        data = f.read()
    ctx = Context(PYTHON.reach, limits, Budget(limits))
    for item in extract(io.BytesIO(data), ctx):
        if not isinstance(item, Unscanned):
            yield item.member, list(item.segments)


def _compare(files: list[Path]) -> int:
    compared = 0
    for path in files:
        for member, segments in _parts(path):
            want = list(PYTHON.scan_segments(segments))
            got = list(NATIVE.scan_segments(segments))
            assert got == want, f"{path.name} [{member}]"
            compared += len(want)
    return compared


def _generated(tmp_path_factory, module: str, seed: int, *extra: str) -> list[Path]:
    out = tmp_path_factory.mktemp(f"{module.rsplit('.', 1)[-1]}-{seed}")
    subprocess.run([sys.executable, "-m", module, str(out), "--seed", str(seed), *extra], cwd=ROOT, check=True,
                   capture_output=True, timeout=600)
    return sorted(p for p in out.rglob("*") if p.is_file() and p.name != "truth.jsonl")


@pytest.mark.parametrize("seed", [1, 7, 23])
def test_the_quality_corpus_gives_the_same_findings(tmp_path_factory, seed):
    assert _compare(_generated(tmp_path_factory, "tests.corpus.generate", seed, "--scale", "1")) > 50


@pytest.mark.parametrize("seed", [20241126, 5])
def test_the_held_out_generator_gives_the_same_findings(tmp_path_factory, seed):
    assert _compare(_generated(tmp_path_factory, "tests.heldout.generate", seed)) > 20


def test_the_benchmark_prose_and_roster_give_the_same_findings(tmp_path):
    sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
    import data  # tests/benchmarks/data.py

    files = [Path(data.mixed_text(tmp_path, size_mb=2, quiet=True).path),
             Path(data.dense_csv(tmp_path, size_mb=2, quiet=True).path)]
    assert _compare(files) > 1000


def test_known_numbers_are_matched_alike():
    n = make_number(__import__("random").Random(3))
    known = frozenset({FINGERPRINTER(n)})
    text = f"注文番号 {n}\n備考 {n}\n"
    engine = Engine(RULESET, FINGERPRINTER, known)
    found = engine.scan_text(text)
    assert found == _Reference(engine).scan_text(text)
    assert all("known-number" in f.reasons for f in found) and len(found) == 2


PIECES = st.sampled_from([
    "個人番号：", "マイナンバー ", "my_number", '"my_number": "', "<MyNumber>", "</MyNumber>", "氏名,個人番号\n",
    "山田,", "注文番号 ", "電話 ", "TEL", "¥", "円", "\n", "\n\n", ",", "\t", "|", " ", "\u3000", "-", "：",
    "123456789018", "1234-5678-9018", "１２３４５６７８９０１８", "1 2 3 4 5 6 7 8 9 0 1 8", "987654321098",
    "111111111111", "20241126093015", "No.", "a", "扶養控除", "源泉徴収票", "口座番号", "\\u500b\\u4eba",
])


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join), st.integers(1, 40))
def test_hypothesis_text_fed_in_small_pieces_gives_the_same_findings(text, step):
    want = PYTHON.scan_text(text)
    assert NATIVE.scan_text(text) == want
    doc = NATIVE.document()
    got = [f for i in range(0, len(text), step) for f in doc.feed(text[i:i + step])] + doc.close()
    ref = PYTHON.document()
    want_chunked = [f for i in range(0, len(text), step) for f in ref.feed(text[i:i + step])] + ref.close()
    assert got == want_chunked
