"""The detection engine: text in, findings out. Pure and synchronous; no I/O.

``Engine`` compiles a ruleset once, in the native core (Rust, ``scanner/native/core/``).
``Engine.document()`` gives a document scanner that takes one document in pieces of any
size — text, or a text file's raw bytes, which the core prefilters and decodes itself — and
returns findings; memory stays bounded however long the document is, and the GIL is released
while the core scans. The windows, limits and scores are the core's (``engine.rs``) and the
rules' (``rules/``).
"""

from __future__ import annotations

from collections.abc import Iterable

from scanner.detect.finding import Finding
from scanner.detect.native_engine import NativeDocument, build_core
from scanner.detect.segments import Prefilter, RawText, Segment
from scanner.privacy.fingerprint import Fingerprinter
from scanner.rules.loader import class_chars
from scanner.rules.model import Ruleset


def _prefilter(ruleset: Ruleset) -> Prefilter | None:
    """What the byte prefilter searches for, from every rule's digit and separator classes;
    None when a rule asks to see whole files (``candidates.prefilter = false``)."""
    if not all(r.prefilter for r in ruleset.rules):
        return None
    digits = set().union(*(class_chars(r.classes["{D}"]) for r in ruleset.rules))
    between = ("{S}", "{W}", "{B}")  # separators, spaces and boxes
    separators = set().union(*(class_chars(r.classes[c]) for r in ruleset.rules for c in between))
    gap = max(r.gap for r in ruleset.rules)
    return Prefilter(digits="".join(sorted(digits)), separators="".join(sorted(separators)), gap=gap)


class Engine:
    """A compiled ruleset plus the fingerprint key: builds document scanners."""

    def __init__(self, ruleset: Ruleset, fingerprinter: Fingerprinter, known: frozenset[str] = frozenset()) -> None:
        self.ruleset = ruleset
        self.fingerprint = fingerprinter
        self.known = known
        """Fingerprints of numbers known to be real (exact data match)."""
        self.prefilter = _prefilter(ruleset)
        """What the core's byte prefilter searches text files for; None: files are decoded whole."""
        self._core = build_core(ruleset, fingerprinter, known, self.prefilter)

    def document(self) -> NativeDocument:
        """A scanner for one document; feed it text in order, then close it."""
        return NativeDocument(self._core.document(), self.ruleset.rules)

    def scan_text(self, text: str) -> list[Finding]:
        """All findings in one whole text."""
        doc = self.document()
        return doc.feed(text) + doc.close()

    def scan_segments(
        self, segments: Iterable[Segment | RawText], titles: tuple[str, ...] = (), about: tuple[str, ...] = ()
    ) -> Iterable[Finding]:
        """Findings of one document given as segments (text after gaps that hold no candidate)
        or as a text file's raw bytes. ``titles`` name the whole document (its file, folder,
        member and sheet names): weaker context for all its values, either way; ``about`` is
        what its containers say of it (a mail's subject and text), which only raises them."""
        doc = self.document()
        if titles or about:
            doc.set_titles(titles, about)
        for seg in segments:
            if isinstance(seg, RawText):
                yield from doc.feed_bytes(seg)
                continue
            if seg.line is not None:
                yield from doc.jump(seg.line)
            yield from doc.feed(seg.text, seg.zones)
        yield from doc.close()

    def scan_chunks(self, chunks: Iterable[str]) -> Iterable[Finding]:
        """Findings of one document given as consecutive chunks, as soon as they are settled."""
        doc = self.document()
        for chunk in chunks:
            yield from doc.feed(chunk)
        yield from doc.close()
