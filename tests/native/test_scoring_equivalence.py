"""Scoring and document evidence in the native core equal the Python ones, to the last bit of
the float: context hits of every kind, weight, distance and scale; clamping and rounding;
slots of any mix of valid, invalid and repeated values."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner import _native
from scanner.detect.evidence import SlotStats, slot_evidence
from scanner.detect.scorer import ContextHit, clamp, context_score
from scanner.rules.loader import load_ruleset

RULE = load_ruleset([]).rules[0]
CTX = RULE.context
CTX_TUPLE = (CTX.window, CTX.near, CTX.far_factor, CTX.attenuation, CTX.label_window, CTX.other_line_factor,
             CTX.topic_window, CTX.topic_factor)
DOC = RULE.document
DOC_TUPLE = tuple(getattr(DOC, f.name) for f in dataclasses.fields(DOC))

HITS = st.lists(
    st.builds(
        ContextHit,
        kind=st.sampled_from(["keyword", "column", "key", "label", "topic"]),
        word=st.sampled_from(["個人番号", "マイナンバー", "電話", "注文番号", "tel"]),
        weight=st.one_of(st.sampled_from([0.0, 0.2, 0.35, 0.5, -0.3, -0.6]), st.floats(-1, 1, allow_nan=False)),
        distance=st.integers(0, 130),
        structural=st.booleans(),
        scale=st.sampled_from([1.0, CTX.other_line_factor, CTX.topic_factor]),
    ),
    max_size=8,
)


@settings(max_examples=3000, deadline=None)
@given(HITS, st.sampled_from([1.0, RULE.structure_factor, 0.8]))
def test_context_scores_equal_python_bit_for_bit(hits, factor):
    tuples = [(h.kind, h.word, h.weight, h.distance, h.structural, h.scale) for h in hits]
    assert _native.context_score(tuples, CTX_TUPLE, factor) == context_score(hits, CTX, factor)


@settings(max_examples=5000, deadline=None)
@given(st.floats(-2, 3, allow_nan=False))
def test_clamp_rounds_as_python_round(score):
    assert _native.clamp(score) == clamp(score)


VALUES = st.lists(st.tuples(st.booleans(), st.sampled_from([None, "123456789018", "111111111118", "987654321098",
                                                             "100000000008", "200000000006", "300000000004"])),
                  max_size=30)


@settings(max_examples=2000, deadline=None)
@given(VALUES)
def test_slot_evidence_equals_python(values):
    stats = SlotStats()
    for valid, digits in values:
        stats.add(valid, digits)
    assert _native.slot_evidence(values, DOC_TUPLE) == slot_evidence(stats, DOC)
