"""The jsonl writer's direct path for findings writes exactly what the general path
(``record_dict`` → ``names.present`` → ``json.dumps``) writes, for any names."""

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.detect.finding import Confidence
from scanner.report.formats import JsonlWriter, Presented, _dumps, finding_line
from scanner.report.names import present
from scanner.report.records import FindingRecord, record_dict
from tests.conftest import make_number

NAMES = st.lists(
    st.sampled_from(list("abc/_-.\"\\ 個人番号マイナ０１２3456789\n\t\x7f") + ["\udc8f", "\ud83d", "123456789018"]),
    min_size=1,
    max_size=20,
).map("".join)


def _general(rec: FindingRecord, raw: bool) -> str:
    return _dumps(present(record_dict(rec), raw))


@settings(max_examples=400, deadline=None)
@given(
    path=NAMES,
    member=st.none() | NAMES,
    line=st.integers(1, 10**7),
    column=st.integers(1, 10**5),
    score=st.floats(0, 1),
    confidence=st.sampled_from(list(Confidence)),
    reasons=st.lists(st.text(max_size=12) | st.sampled_from(["check-digit", "label:個人番号", 'key:"x"']), max_size=5),
    raw=st.booleans(),
)
def test_a_finding_line_is_the_general_serialisation(path, member, line, column, score, confidence, reasons, raw):
    rec = FindingRecord(path, member, line, column, "jp-my-number", confidence, score, "********9018",
                        "ab" * 32, tuple(reasons))
    out = io.StringIO()
    Presented(JsonlWriter(out), raw).record(rec)
    assert out.getvalue() == _general(rec, raw) + "\n"
    json.loads(out.getvalue())


def test_plain_names_take_the_direct_path_and_odd_ones_the_general_one():
    n = make_number(__import__("random").Random(1))
    plain = FindingRecord("/share/名簿.csv", "Sheet1!B2", 2, 5, "jp-my-number", Confidence.HIGH, 1.0,
                          "********9018", "0f" * 32, ("check-digit", "column:個人番号"))
    assert finding_line(plain) == _general(plain, False)
    odd = FindingRecord("/share/\udc8f\udc8e.csv", None, 2, 5, "jp-my-number", Confidence.HIGH, 1.0,
                        "********9018", "0f" * 32, ())
    assert finding_line(odd) is None  # needs path_bytes: the general path writes it
    assert "path_bytes" in _general(odd, False)
    named = FindingRecord(f"/share/{n}.csv", None, 1, 1, "jp-my-number", Confidence.LOW, 0.31, "********9018",
                          "0f" * 32, ())
    assert n not in finding_line(named) and finding_line(named) == _general(named, False)
