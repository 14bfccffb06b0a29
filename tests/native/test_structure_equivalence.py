"""Structure in the native core equals the Python one: csv cells (quotes, strict=False),
table detection, columns, labels (the reverse label regex run forwards on reversed text),
local tables — on hypothesis-made lines of the characters these decisions turn on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner import _native
from scanner.detect import structure
from scanner.rules.loader import load_ruleset

TRANSPARENT = frozenset(structure.label_key(t) for r in load_ruleset([]).rules for t in r.transparent_labels)

PIECES = st.sampled_from([
    "氏名", "個人番号", "my_number", "value", "電話", "ID", "社員番号", "123456789018", "2026/11/26", "09:14",
    ",", "\t", ";", "|", '"', "'", ":", "：", "=", "【", "】", "[", "]", "<", ">", "<td>", "</td>", "{", "}",
    " ", "\u3000", "\n", "\r\n", "\r", "-", "*", "・", "\\", "山田", "a", "Σ", "\u2028", "\x1c", "１２３", "受付日時",
    '"value": ', '"my_number": "', "<MyNumber>", "|---|---|", "\ufeff",
])
LINE = st.lists(PIECES, max_size=14).map("".join)
TEXT = st.lists(PIECES, max_size=60).map("".join)
DELIM = st.sampled_from([",", "\t", ";", "|"])


@settings(max_examples=3000, deadline=None)
@given(LINE, DELIM)
def test_csv_cells_equal_python(line, delim):
    assert _native.structure_fields(line, delim) == structure._fields(line, delim)


@settings(max_examples=2000, deadline=None)
@given(TEXT)
def test_table_detection_equals_python(head):
    t = structure.detect_table(head)
    assert _native.structure_detect_table(head) == (None if t is None else (t.delimiter, t.header_line, list(t.header)))


@settings(max_examples=2000, deadline=None)
@given(LINE, DELIM)
def test_columns_equal_python(prefix, delim):
    assert _native.structure_column_of(prefix, delim) == structure.column_of(prefix, delim)


@settings(max_examples=3000, deadline=None)
@given(TEXT)
def test_next_label_start_equals_python(after):
    assert _native.structure_next_label_start(after) == structure.next_label_start(after)


@settings(max_examples=5000, deadline=None)
@given(TEXT, st.booleans())
def test_nearest_label_equals_python(before, with_transparent):
    transparent = TRANSPARENT if with_transparent else frozenset()
    label = structure.nearest_label(before, transparent)
    want = None if label is None else (label.text, label.kind, label.distance, label.length)
    assert _native.structure_nearest_label(before, sorted(transparent)) == want


@settings(max_examples=2000, deadline=None)
@given(st.lists(LINE, max_size=6), DELIM, st.integers(0, 4))
def test_local_tables_equal_python(lines, delim, count):
    assert _native.structure_find_local_header(lines, delim, count) == structure.find_local_header(lines, delim, count)
    for line in lines:
        assert _native.structure_local_table_delimiter(line) == structure.local_table_delimiter(line)
        assert _native.structure_label_key(line) == structure.label_key(line)
