"""The detection core: text in, findings out. Pure and synchronous; no I/O.

``Engine`` compiles a ruleset once. ``Engine.document()`` gives a document scanner that
takes the text of one document in chunks of any size and returns findings; memory stays
bounded however long the document is. The scanning is done by the native core (Rust,
``scanner/native/``; the GIL is released while it scans). ``DocumentScanner`` below is the
Python implementation it was ported from, kept as the reference of the differential tests
(``tests/native/``) until it is deleted (issue 10).
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from scanner.detect.candidates import Candidate, CandidateFinder
from scanner.detect.evidence import SlotKey, SlotStats, slot_evidence
from scanner.detect.finding import Confidence, Finding
from scanner.detect.keywords import Keyword, KeywordIndex, ruleset_keywords
from scanner.detect.native_engine import NativeDocument, build_core
from scanner.detect.scorer import ContextHit, clamp, confidence_of, context_score
from scanner.detect.segments import RawText, Reach, Segment
from scanner.detect.structure import (
    LocalTable,
    TableLayout,
    column_cells,
    column_of,
    detect_table,
    find_local_header,
    label_key,
    local_table_delimiter,
    nearest_label,
    next_label_start,
)
from scanner.detect.textfold import fold, unescape_json
from scanner.privacy.fingerprint import Fingerprinter, mask
from scanner.rules.loader import class_chars
from scanner.rules.model import Rule, Ruleset

HEAD_CHARS = 64 * 1024
"""Text gathered from the start of a document before scanning, to recognise a table header."""
KEEP_BEHIND = 4096
"""Characters kept before the scan position: left context, labels, the start of a long CSV line."""
MAX_ROW_CHARS = 4096
"""Longest table row searched whole for context words."""
LOCAL_TABLE_REACH = 512
"""How far above a value's line the header of a table inside other text is looked for."""
MAX_CANDIDATE_CHARS = 48
"""Longest candidate plus the characters its boundary checks look at."""
ADJUST_SPAN = 8
"""Characters before and after a candidate that adjustments look at."""
MAX_PENDING = 10_000
"""Findings held for document evidence before the oldest are settled with the evidence so far."""
KNOWN_NUMBER_SCORE = 1.0
"""Score of a finding whose fingerprint is on the known-numbers list."""
TOPIC_MIN_WEIGHT = 0.3
"""Only words at least this strong (マイナンバー, 扶養控除) set a conversation's topic."""
LABEL_CACHE_SIZE = 10_000
"""Distinct label texts whose keywords are remembered per document."""


@dataclass(slots=True)
class _CompiledAdjustment:
    reason: str
    weight: float
    before: regex.Pattern[str] | None
    after: regex.Pattern[str] | None
    digits: regex.Pattern[str] | None


@dataclass(slots=True)
class _CompiledRule:
    rule: Rule
    finder: CandidateFinder
    adjustments: tuple[_CompiledAdjustment, ...]


@dataclass(slots=True)
class _Pending:
    """A valid candidate waiting for its slot's document evidence."""

    rule_index: int
    line: int
    column: int
    partial: float
    reasons: list[str]
    slot: tuple[int, SlotKey]
    """(rule index, the value's structural slot)."""
    positive: bool
    """Positive context of its own: free-text coincidence does not apply to it."""
    digits: str = field(repr=False)
    """Kept only until settled; then only the mask and the fingerprint go out."""


def _compile(p: str | None) -> regex.Pattern[str] | None:
    return regex.compile(p, regex.IGNORECASE) if p else None


class Engine:
    """A compiled ruleset plus the fingerprint key: builds document scanners."""

    def __init__(self, ruleset: Ruleset, fingerprinter: Fingerprinter, known: frozenset[str] = frozenset()) -> None:
        self.ruleset = ruleset
        self.fingerprint = fingerprinter
        self.known = known
        """Fingerprints of numbers known to be real (exact data match)."""
        self.window = max(r.context.window for r in ruleset.rules)
        looks_back = max(
            LOCAL_TABLE_REACH,
            *(max(r.context.window, r.context.label_window, r.context.topic_window) for r in ruleset.rules),
        )
        self.behind = max(KEEP_BEHIND, looks_back)
        self.ahead = self.window + MAX_CANDIDATE_CHARS + ADJUST_SPAN
        self.reach: Reach | None = (
            Reach(
                behind=looks_back + MAX_CANDIDATE_CHARS,
                ahead=self.ahead + MAX_CANDIDATE_CHARS,
                head=HEAD_CHARS,
                digits="".join(sorted(set().union(*(class_chars(r.classes["{D}"]) for r in ruleset.rules)))),
                separators="".join(
                    sorted(set().union(
                        *(class_chars(r.classes["{S}"]) | class_chars(r.classes["{W}"]) for r in ruleset.rules)
                    ))
                ),
            )
            if all(r.prefilter for r in ruleset.rules)
            else None
        )
        """What the engine may look at around a value, for the byte prefilter; None disables it."""
        self._core = build_core(ruleset, fingerprinter, known, self.reach)

    # The Python reference implementation's compiled rules and keywords: built on first use
    # only (by the differential tests), so no scanner pays for two engines at start-up.

    @functools.cached_property
    def rules(self) -> tuple[_CompiledRule, ...]:
        """The rules compiled for the Python reference implementation."""
        return tuple(
            _CompiledRule(
                rule=r,
                finder=CandidateFinder(r.forms, r.validator, r.start),
                adjustments=tuple(
                    _CompiledAdjustment(
                        f"adjust:{a.name}", a.weight, _compile(a.before), _compile(a.after), _compile(a.digits)
                    )
                    for a in r.adjustments
                ),
            )
            for r in self.ruleset.rules
        )

    @functools.cached_property
    def keywords(self) -> KeywordIndex:
        """Every context word in one automaton, for the Python reference implementation."""
        return KeywordIndex(ruleset_keywords(self.ruleset))

    @functools.cached_property
    def transparent_labels(self) -> frozenset[str]:
        """Generic keys that only wrap the value above them, as ``label_key``s."""
        return frozenset(label_key(label) for r in self.ruleset.rules for label in r.transparent_labels)

    def document(self) -> NativeDocument:
        """A scanner for one document; feed it text in order, then close it."""
        return NativeDocument(self._core.document(), self.ruleset.rules)

    def python_document(self) -> DocumentScanner:
        """The Python reference implementation of ``document()`` (differential tests only)."""
        return DocumentScanner(self)

    def scan_text(self, text: str) -> list[Finding]:
        """All findings in one whole text."""
        doc = self.document()
        return doc.feed(text) + doc.close()

    def scan_segments(self, segments: Iterable[Segment | RawText]) -> Iterable[Finding]:
        """Findings of one document given as segments (text after gaps that hold no candidate)
        or as a text file's raw bytes."""
        doc = self.document()
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


class DocumentScanner:
    """Streams one document: candidates, context, structure and document evidence."""

    def __init__(self, engine: Engine) -> None:
        self._e = engine
        self._buf = ""
        self._buf_abs = 0
        """Absolute offset of ``_buf[0]`` in the document."""
        self._next = 0
        """Absolute offset from which candidate starts are still to be examined."""
        self._line_no = 1
        self._line_pos = 0
        """Absolute offset up to which newlines are counted."""
        self._line_start = 0
        """Absolute offset where the line holding ``_line_pos`` starts."""
        self._layout: TableLayout | None = None
        self._layout_known = False
        self._table_columns: list[list[Keyword]] = []
        self._pending: deque[_Pending] = deque()
        self._slots: dict[SlotKey, SlotStats] = {}
        self._label_cache: dict[str, list[Keyword]] = {}
        self._local: LocalTable | None = None
        self._local_row_start = 0
        """Absolute offset of the last row seen of ``_local``."""
        self._local_columns: list[list[Keyword]] = []
        self._zones: deque[list[int]] = deque()
        """Absolute [start, end) ranges where candidates can start, not yet searched."""
        self._row_cache_at = -1
        """Absolute offset of the table row whose context words are in ``_row_cache``."""
        self._row_cache: list[tuple[int, int, tuple[Keyword, ...]]] = []

    # -- public ---------------------------------------------------------------

    def feed(self, text: str, zones: tuple[tuple[int, int], ...] | None = None) -> list[Finding]:
        """Add the next piece of the document; returns the findings settled so far.

        ``zones`` are the character ranges of ``text`` where candidates can start
        (the byte prefilter's hit lines); None means anywhere.
        """
        base = self._buf_abs + len(self._buf)
        for zs, ze in ((0, len(text)),) if zones is None else zones:
            if self._zones and self._zones[-1][1] >= base + zs:
                self._zones[-1][1] = max(self._zones[-1][1], base + ze)
            else:
                self._zones.append([base + zs, base + ze])
        self._buf += text
        if not self._layout_known and len(self._buf) < HEAD_CHARS:
            return []
        return self._process(final=False)

    def jump(self, line: int) -> list[Finding]:
        """The text fed so far ends a line; what is fed next starts at ``line`` after a gap.

        The gap holds no candidate and lies beyond the reach of every context
        (the byte prefilter guarantees both), so it is never looked at.
        """
        out = self._process(final=True)
        gap = self._buf_abs + len(self._buf) + 1
        self._zones.clear()
        self._buf = ""
        self._buf_abs = self._next = self._line_pos = self._line_start = gap
        self._line_no = line
        return out

    def close(self) -> list[Finding]:
        """End of document: settle every remaining finding."""
        out = self._process(final=True)
        out.extend(self._settle(len(self._pending)))
        return out

    # -- scanning ---------------------------------------------------------------

    def _process(self, final: bool) -> list[Finding]:
        out: list[Finding] = []
        if not self._layout_known:
            self._learn_layout(self._buf[:HEAD_CHARS])
        buf = self._buf
        start = self._next - self._buf_abs
        limit = len(buf) if final else len(buf) - self._e.ahead
        if limit > start:
            cands = [
                (c.start, i, c)
                for zs, ze in self._zone_spans(start, limit)
                for i, cr in enumerate(self._e.rules)
                for c in cr.finder.find(buf, zs, ze)
            ]
            if len(self._e.rules) > 1:
                cands.sort(key=lambda t: (t[0], t[1]))
            for _, i, c in cands:
                self._examine(i, c)
                # settled by the value's position, not by how the text arrived: the same
                # findings whatever the feed sizes
                if len(self._pending) > MAX_PENDING:
                    out.extend(self._settle(len(self._pending) - MAX_PENDING // 2))
            self._next = self._buf_abs + limit
            self._trim(limit)
        return out

    def _zone_spans(self, start: int, limit: int) -> list[tuple[int, int]]:
        """Buffer ranges in [start, limit) where candidates can start; forgets zones passed."""
        lo, hi = self._buf_abs + start, self._buf_abs + limit
        spans = []
        for zone in self._zones:
            if zone[0] >= hi:
                break
            a, b = max(zone[0], lo), min(zone[1], hi)
            if b > a:
                spans.append((a - self._buf_abs, b - self._buf_abs))
        while self._zones and self._zones[0][1] <= hi:
            self._zones.popleft()
        return spans

    def _trim(self, limit: int) -> None:
        cut = max(0, limit - self._e.behind)
        if cut <= 0:
            return
        self._advance_lines(self._buf_abs + cut)
        self._buf = self._buf[cut:]
        self._buf_abs += cut

    def _advance_lines(self, abs_pos: int) -> None:
        a = self._line_pos - self._buf_abs
        b = abs_pos - self._buf_abs
        if b <= a:
            return
        n = self._buf.count("\n", a, b)
        if n:
            self._line_no += n
            self._line_start = self._buf_abs + self._buf.rfind("\n", a, b) + 1
        self._line_pos = abs_pos

    def _learn_layout(self, head: str) -> None:
        self._layout_known = True
        self._layout = detect_table(head)
        if self._layout is not None:
            self._table_columns = [self._e.keywords.words_in(cell) for cell in self._layout.header]

    # -- one candidate -------------------------------------------------------------

    def _structure(self, c: Candidate) -> tuple[list[Keyword], str, int, int, SlotKey | None]:
        """Header/label keywords, their kind and distance, where the value's own field starts, its slot."""
        layout = self._layout
        line_start = self._line_start - self._buf_abs
        if layout is not None and self._line_no - 1 > layout.header_line and line_start >= 0:
            col = column_of(self._buf[line_start : c.start], layout.delimiter)
            kws = self._table_columns[col] if col < len(self._table_columns) else []
            return kws, "column", 0, line_start, ("column", col)
        if line_start >= 0:
            table = self._local_table(c, line_start)
            if table is not None:
                col = column_of(self._buf[line_start : c.start], table.delimiter)
                cells = self._local_columns
                kws = cells[col] if col < len(cells) else []
                return kws, "column", 0, line_start if kws else 0, ("table", table.header_line, col)
        window = self._e.rules[0].rule.context.label_window
        label = nearest_label(self._buf[max(0, c.start - window) : c.start], self._e.transparent_labels)
        if label is None:
            return [], "label", 0, 0, None
        cached = self._label_cache.get(label.text)
        if cached is None:
            kws = self._e.keywords.words_in(label.text)
            if len(self._label_cache) < LABEL_CACHE_SIZE:
                self._label_cache[label.text] = kws
        else:
            kws = cached
        # A label that names something (個人番号, 電話番号) starts the value's field; a speaker's
        # name in a chat ("鈴木:") does not, and words before it still count.
        field_start = c.start - label.distance - label.length if kws else 0
        return kws, label.kind, label.distance, field_start, ("label", fold(unescape_json(label.text)))

    def _local_table(self, c: Candidate, line_start: int) -> LocalTable | None:
        """The table (Markdown, pasted TSV/CSV) a value's line belongs to, with a header above it."""
        buf = self._buf
        line_end = buf.find("\n", c.end)
        found = local_table_delimiter(buf[line_start : len(buf) if line_end < 0 else line_end])
        if found is None:
            return None
        delim, count = found
        cached = self._local
        if cached is not None and (cached.delimiter, cached.count) == (delim, count):
            last = self._local_row_start - self._buf_abs
            if 0 <= last <= line_start and all(
                row.count(delim) == count for row in buf[last:line_start].split("\n")[:-1]
            ):
                self._local_row_start = self._buf_abs + line_start
                return cached
        above_from = max(0, line_start - LOCAL_TABLE_REACH)
        lines = buf[above_from:line_start].split("\n")[:-1]
        if above_from > 0 or self._buf_abs > 0:
            lines = lines[1:]  # the first piece may be the tail of a longer line
        top = find_local_header(lines, delim, count)
        if top is None:
            return None
        header_text = lines[top]
        table = LocalTable(delim, count, self._line_no - (len(lines) - top), tuple(header_text.split(delim)))
        self._local = table
        self._local_row_start = self._buf_abs + line_start
        self._local_columns = [self._e.keywords.words_in(cell) for cell in column_cells(header_text, delim)]
        return table

    def _examine(self, rule_index: int, c: Candidate) -> None:
        cr = self._e.rules[rule_index]
        rule = cr.rule
        buf = self._buf
        self._advance_lines(self._buf_abs + c.start)
        struct_kws, kind, distance, field_start, struct_slot = self._structure(c)
        slot = (rule_index, struct_slot or ("text",))
        stats = self._slots.get(slot)
        if stats is None:
            stats = self._slots[slot] = SlotStats()
        if not c.valid:
            # counted for document evidence only: context of an invalid value is never needed
            stats.add(False, None)
            return
        if kind == "column":
            hits = self._row_hits(rule_index, c, field_start)
            left = ""
        else:
            # Words before the value's own label, and from the next label on, belong to other
            # fields. A blank line ends a paragraph: context does not reach across it.
            left = buf[max(0, c.start - rule.context.window, field_start) : c.start]
            left = left[left.rfind("\n\n") + 1 :] if "\n\n" in left else left
            right = buf[c.end : c.end + rule.context.window]
            right = right[: next_label_start(right)]
            right = right[: right.find("\n\n")] if "\n\n" in right else right
            other_line = rule.context.other_line_factor
            hits = [
                ContextHit(
                    "keyword", h.keyword.word, h.keyword.weight, h.distance, False,
                    1.0 if h.same_line else other_line,
                )
                for h in self._e.keywords.around(left, right)
                if h.keyword.rule_index == rule_index
            ]
        hits.extend(
            ContextHit(kind, k.word, k.weight, distance, True) for k in struct_kws if k.rule_index == rule_index
        )
        ctx, reasons, positive = context_score(hits, rule.context, rule.structure_factor)
        # a table's column says what its values are; the topic is for free text
        if kind != "column" and rule.context.topic_window > rule.context.window and not any(h.weight > 0 for h in hits):
            topic = self._topic(rule_index, c.start - len(left), c.start)
            if topic is not None:
                hits.append(topic)
                ctx, reasons, _ = context_score(hits, rule.context, rule.structure_factor)
        stats.add(True, c.digits)
        score = rule.forms[c.form].score + ctx
        reasons = ["check-digit", f"form:{rule.forms[c.form].name}", *reasons]
        if cr.adjustments:
            before = buf[max(0, c.start - ADJUST_SPAN) : c.start]
            after = buf[c.end : c.end + ADJUST_SPAN]
            for adj in cr.adjustments:
                # An adjustment applies when any of its conditions holds.
                if (
                    (adj.before is not None and adj.before.search(before))
                    or (adj.after is not None and adj.after.search(after))
                    or (adj.digits is not None and adj.digits.search(c.digits))
                ):
                    score += adj.weight
                    reasons.append(adj.reason)
        self._pending.append(
            _Pending(
                rule_index=rule_index,
                line=self._line_no,
                column=self._buf_abs + c.start - self._line_start + 1,
                partial=score,
                reasons=reasons,
                slot=slot,
                positive=positive,
                digits=c.digits,
            )
        )

    def _row_hits(self, rule_index: int, c: Candidate, line_start: int) -> list[ContextHit]:
        """Context words in a table row: the row's other cells, searched once per row."""
        buf = self._buf
        row_abs = self._buf_abs + line_start
        if self._row_cache_at != row_abs:
            end = buf.find("\n", c.end)
            end = min(len(buf) if end < 0 else end, line_start + MAX_ROW_CHARS)
            self._row_cache_at = row_abs
            self._row_cache = self._e.keywords.find(buf[line_start:end])
        window = self._e.rules[rule_index].rule.context.window
        start, stop = c.start - line_start, c.end - line_start
        out: list[ContextHit] = []
        for s, e, kws in self._row_cache:
            if e <= start and start - e <= window:
                distance = start - e
            elif s >= stop and s - stop <= window:
                distance = s - stop
            else:
                continue
            out.extend(
                ContextHit("keyword", k.word, k.weight, distance, False) for k in kws if k.rule_index == rule_index
            )
        return out

    def _topic(self, rule_index: int, before: int, value_start: int) -> ContextHit | None:
        """The nearest strong positive word before the context window: what the conversation is about."""
        ctx = self._e.rules[rule_index].rule.context
        start = max(0, before - (ctx.topic_window - ctx.window))
        best = None
        for _s, end, kws in self._e.keywords.find(self._buf[start:before]):
            for kw in kws:
                if kw.rule_index == rule_index and kw.weight >= TOPIC_MIN_WEIGHT:
                    best = ContextHit("topic", kw.word, kw.weight, value_start - start - end, True, ctx.topic_factor)
        return best

    def _settle(self, count: int) -> list[Finding]:
        out: list[Finding] = []
        known = self._e.known
        for _ in range(min(count, len(self._pending))):
            p = self._pending.popleft()
            rule = self._e.rules[p.rule_index].rule
            delta, why = slot_evidence(self._slots[p.slot], rule.document)
            if why == "coincidence" and p.positive and p.slot[1] == ("text",):
                # free text mixes kinds of numbers: its chance passes say nothing about a
                # value that is introduced as a My Number
                delta, why = 0.0, None
            score = p.partial + delta
            reasons = p.reasons + [why] if why else p.reasons
            fingerprint = self._e.fingerprint(p.digits) if known else None
            if fingerprint is not None and fingerprint in known:
                score = max(score, KNOWN_NUMBER_SCORE)
                reasons = reasons + ["known-number"]
            score = clamp(score)
            level = confidence_of(score, rule.thresholds)
            if level is None:
                continue
            if fingerprint is None:
                fingerprint = self._e.fingerprint(p.digits)
            out.append(Finding(rule.id, p.line, p.column, level, score, mask(p.digits), fingerprint, tuple(reasons)))
        return out


__all__ = ["Engine", "DocumentScanner", "Finding", "Confidence"]
