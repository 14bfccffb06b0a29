"""The native detection core behind ``Engine``'s API.

``build_core(ruleset, fingerprinter, known, prefilter)`` compiles the ruleset in the Rust core
(``scanner/native/core/src/engine.rs``); ``NativeDocument`` wraps one of its documents
(``feed`` with zones, ``jump``, ``close``) and returns ``Finding`` records, plus
``feed_bytes``: a text file's raw bytes, which the core cuts into line blocks, prefilters and
decodes itself. The ruleset goes over as data: forms decomposed by ``rules/native_forms.py``,
keywords folded by ``keywords.keyword_forms``, adjustment patterns translated to the core's
regex syntax.
"""

from __future__ import annotations

import dataclasses

from scanner import _native
from scanner.detect.finding import Confidence, Finding
from scanner.detect.keywords import keyword_forms, ruleset_keywords
from scanner.detect.segments import Prefilter, RawText
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
                    ctx.topic_window, ctx.topic_factor, ctx.title_factor),
        "structure_factor": rule.structure_factor,
        "adjustments": [
            (f"adjust:{a.name}", a.weight, *(native_regex(p, ignorecase=True) if p else None
                                            for p in (a.before, a.after, a.digits)))
            for a in rule.adjustments
        ],
        "thresholds": (rule.thresholds.low, rule.thresholds.medium, rule.thresholds.high),
        "document": tuple(getattr(rule.document, f.name) for f in dataclasses.fields(rule.document)),
    }


def build_core(
    ruleset: Ruleset, fingerprinter: Fingerprinter, known: frozenset[str], prefilter: Prefilter | None
) -> _native.Engine:
    """The ruleset compiled in the native core, with the fingerprint key, the known numbers and
    what its byte prefilter searches for (None: text files are decoded whole)."""
    keywords = ruleset_keywords(ruleset)
    entries = keyword_forms(keywords)
    return _native.Engine(
        [_rule_arg(r) for r in ruleset.rules],
        [(kw.rule_index, kw.word, kw.weight) for kw in keywords],
        list(entries),
        list(entries.values()),
        sorted({label for r in ruleset.rules for label in r.transparent_labels}),
        sorted({key for r in ruleset.rules for key in r.label_keys}),
        sorted(known),
        fingerprinter.native,
        None if prefilter is None else (prefilter.digits, prefilter.separators, prefilter.gap),
    )


_LEVELS = {int(c): c for c in Confidence}
"""The core's confidence levels 1..3 as ``Confidence``."""


class NativeCoreError(RuntimeError):
    """The native core failed on a document (a panic): the document is not scanned, the
    process goes on."""


class NativeDocument:
    """One document scanned by the native core, fed in order, then closed. A panic in the core (PyO3 raises
    it as a ``BaseException``) becomes ``NativeCoreError``, which callers report as
    ``not_scanned: error``; the document cannot be fed again after it."""

    def __init__(self, core: _native.Document, rules: tuple[Rule, ...]) -> None:
        self._core, self._rules = core, rules
        self._ids = [r.id for r in rules]

    def _findings(self, found: list) -> list[Finding]:
        ids, levels = self._ids, _LEVELS  # a roster makes a million of these: no enum lookups
        return [
            Finding(ids[r], line, col, levels[level], score, masked, fp, tuple(reasons))
            for r, line, col, level, score, masked, fp, reasons in found
        ]

    def _call(self, method, *args) -> list[Finding]:  # noqa: ANN001 - one of the core document's methods
        return self._findings(self._guard(method, *args))

    @staticmethod
    def _guard(method, *args):  # noqa: ANN001, ANN205 - one of the core document's methods, and what it returns
        try:
            return method(*args)
        except BaseException as exc:  # pyo3's PanicException derives from BaseException, not Exception
            if isinstance(exc, Exception) or type(exc).__name__ != "PanicException":
                raise
            raise NativeCoreError("the native detection core failed on this document") from None

    def feed(self, text: str, zones: tuple[tuple[int, int], ...] | None = None) -> list[Finding]:
        """Add the next piece of the document; returns the findings settled so far."""
        return self._call(self._core.feed, text, list(zones) if zones is not None else None)

    def feed_bytes(self, raw: RawText) -> list[Finding]:
        """Add the next bytes of a text file (the core cuts, prefilters and decodes them)."""
        return self._call(self._core.feed_bytes, raw.data, raw.encoding, raw.prefilter)

    def profile(self) -> dict[str, int]:
        """Where the core's time went on this document (nanoseconds per stage, and counts)."""
        return self._core.profile()

    def set_titles(self, titles: tuple[str, ...], about: tuple[str, ...] = ()) -> None:
        """What the whole document is called (file name, sheet, the mail it came with), before it is fed."""
        def text(parts: tuple[str, ...]) -> str:
            return "\n".join(parts).encode("utf-8", "replace").decode("utf-8")  # no lone surrogate reaches the core

        self._guard(self._core.set_titles, text(titles), text(about))

    def jump(self, line: int) -> list[Finding]:
        """The text fed so far ends a line; what is fed next starts at ``line`` after a gap."""
        return self._call(self._core.jump, line)

    def close(self) -> list[Finding]:
        """End of document: settle every remaining finding."""
        return self._call(self._core.close)
