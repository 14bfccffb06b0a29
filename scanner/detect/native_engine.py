"""The native detection core behind the Python engine's API (issue 10, being switched over).

``NativeEngine(ruleset, fingerprinter, known)`` compiles the ruleset in the Rust core
(``scanner/native/core/src/engine.rs``) and hands out ``NativeDocument`` scanners with
``DocumentScanner``'s methods (``feed`` with zones, ``jump``, ``close``) returning the same
``Finding`` records. The ruleset goes over as data: forms decomposed by
``rules/native_forms.py``, keywords folded here as the Python index folds them, adjustment
patterns translated to the core's regex syntax.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from scanner import _native
from scanner.detect.finding import Confidence, Finding
from scanner.detect.keywords import Keyword
from scanner.detect.segments import Segment
from scanner.detect.structure import label_key
from scanner.detect.textfold import fold_keyword
from scanner.privacy.fingerprint import Fingerprinter
from scanner.rules.model import Rule, Ruleset
from scanner.rules.native_forms import native_form, native_regex, native_start


def _rule_arg(rule: Rule) -> dict:
    forms = [native_form(f.pattern) for f in rule.forms]
    behind, ahead = native_start(rule.start)
    ctx = rule.context
    return {
        "id": rule.id,
        "forms": [(f.body, list(f.behind), list(f.ahead)) for f in forms],
        "form_info": [(f.name, f.score) for f in rule.forms],
        "start_behind": behind,
        "start_ahead": ahead,
        "context": (ctx.window, ctx.near, ctx.far_factor, ctx.attenuation, ctx.label_window, ctx.other_line_factor,
                    ctx.topic_window, ctx.topic_factor),
        "structure_factor": rule.structure_factor,
        "adjustments": [
            (f"adjust:{a.name}", a.weight, *(native_regex(p, ignorecase=True) if p else None
                                            for p in (a.before, a.after, a.digits)))
            for a in rule.adjustments
        ],
        "thresholds": (rule.thresholds.low, rule.thresholds.medium, rule.thresholds.high),
        "document": tuple(getattr(rule.document, f.name) for f in dataclasses.fields(rule.document)),
    }


class NativeEngine:
    """A ruleset compiled in the native core, with the fingerprint key."""

    def __init__(self, ruleset: Ruleset, fingerprinter: Fingerprinter, known: frozenset[str] = frozenset()) -> None:
        self.ruleset = ruleset
        self.known = known
        keywords = [
            Keyword(i, word, sign * group.weight)
            for i, r in enumerate(ruleset.rules)
            for sign, groups in ((1, r.positive), (-1, r.negative))
            for group in groups
            for word in group.words
        ]
        # the automaton's forms in the order the Python index adds them
        entries: dict[str, list[int]] = {}
        for k, kw in enumerate(keywords):
            for form in fold_keyword(kw.word):
                if form.strip():
                    entries.setdefault(form, []).append(k)
        self._rules = ruleset.rules
        self._core = _native.Engine(
            [_rule_arg(r) for r in ruleset.rules],
            [(kw.rule_index, kw.word, kw.weight) for kw in keywords],
            list(entries),
            list(entries.values()),
            sorted({label_key(label) for r in ruleset.rules for label in r.transparent_labels}),
            sorted(known),
            fingerprinter.native,
        )

    def document(self) -> NativeDocument:
        """A scanner for one document; feed it text in order, then close it."""
        return NativeDocument(self._core.document(), self._rules)

    def scan_text(self, text: str) -> list[Finding]:
        """All findings in one whole text."""
        doc = self.document()
        return doc.feed(text) + doc.close()

    def scan_segments(self, segments: Iterable[Segment]) -> Iterable[Finding]:
        """Findings of one document given as segments (text after gaps that hold no candidate)."""
        doc = self.document()
        for seg in segments:
            if seg.line is not None:
                yield from doc.jump(seg.line)
            yield from doc.feed(seg.text, seg.zones)
        yield from doc.close()


class NativeDocument:
    """``DocumentScanner``'s methods over a native document."""

    def __init__(self, core: _native.Document, rules: tuple[Rule, ...]) -> None:
        self._core, self._rules = core, rules

    def _findings(self, found: list) -> list[Finding]:
        return [
            Finding(self._rules[r].id, line, col, Confidence(level), score, masked, fp, tuple(reasons))
            for r, line, col, level, score, masked, fp, reasons in found
        ]

    def feed(self, text: str, zones: tuple[tuple[int, int], ...] | None = None) -> list[Finding]:
        """Add the next piece of the document; returns the findings settled so far."""
        return self._findings(self._core.feed(text, list(zones) if zones is not None else None))

    def jump(self, line: int) -> list[Finding]:
        """The text fed so far ends a line; what is fed next starts at ``line`` after a gap."""
        return self._findings(self._core.jump(line))

    def close(self) -> list[Finding]:
        """End of document: settle every remaining finding."""
        return self._findings(self._core.close())
