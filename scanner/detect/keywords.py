"""One Aho-Corasick automaton over every context word of every rule."""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick
import regex

from scanner.detect.textfold import fold, fold_keyword, unescape_json
from scanner.rules.model import Ruleset


@dataclass(frozen=True, slots=True)
class Keyword:
    """A context word as written in the rules."""

    rule_index: int
    """Which rule of the ruleset the word belongs to."""
    word: str
    """The word as written in the rule file (shown in reasons)."""
    weight: float
    """Positive raises the score, negative lowers it."""


@dataclass(frozen=True, slots=True)
class KeywordHit:
    """A keyword found near a candidate."""

    keyword: Keyword
    distance: int
    """Characters between the keyword and the candidate (0 = touching)."""
    same_line: bool
    """No line break between the keyword and the candidate."""


_NUMBER = regex.compile(r"[0-9\uFF10-\uFF19][0-9\uFF10-\uFF19,，.:/\-]{2,}")
_CAMEL = regex.compile(r"(?<=[a-z])(?=[A-Z])")


def _owns_a_number(text: str, end: int) -> bool:
    """True when the rest of the line after ``end`` holds a number of its own (090-1234-5678, 1,234,567)."""
    stop = text.find("\n", end)
    return _NUMBER.search(text, end, len(text) if stop < 0 else stop) is not None


def ruleset_keywords(ruleset: Ruleset) -> list[Keyword]:
    """Every context word of every rule, negative groups with negative weights."""
    return [
        Keyword(i, word, sign * group.weight)
        for i, r in enumerate(ruleset.rules)
        for sign, groups in ((1, r.positive), (-1, r.negative))
        for group in groups
        for word in group.words
    ]


def keyword_forms(keywords: list[Keyword]) -> dict[str, list[int]]:
    """The folded forms to put in an automaton, in order, each with the indices of the keywords
    it stands for (the Python index and the native core are built from the same forms)."""
    entries: dict[str, list[int]] = {}
    for k, kw in enumerate(keywords):
        for form in fold_keyword(kw.word):
            if form.strip():
                entries.setdefault(form, []).append(k)
    return entries


class KeywordIndex:
    """Case- and width-insensitive search for many words at once."""

    def __init__(self, keywords: list[Keyword]) -> None:
        self._automaton = ahocorasick.Automaton()
        entries = keyword_forms(keywords)
        for form, idx in entries.items():
            self._automaton.add_word(form, (len(form), tuple(keywords[k] for k in idx)))
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, tuple[Keyword, ...]]]:
        """All (start, end, keywords) occurrences in ``text``, offsets into ``text``."""
        if self._empty or not text:
            return []
        folded = fold(text)
        hits = sorted(
            ((end + 1 - n, end + 1, kws) for end, (n, kws) in self._automaton.iter(folded)),
            key=lambda h: (h[0], -h[1]),
        )
        # Keep the longest words: 番号 inside 注文番号, カード番号 inside マイナンバーカード番号.
        kept: list[tuple[int, int, tuple[Keyword, ...]]] = []
        for hit in hits:
            if kept and hit[1] <= kept[-1][1]:
                continue
            if not self._bounded(folded, hit[0], hit[1]):
                continue
            kept.append(hit)
        return kept

    @staticmethod
    def _bounded(folded: str, start: int, end: int) -> bool:
        """ASCII words must not sit inside longer ASCII words (tel in hotel, id in valid)."""
        if folded[start].isascii() and folded[start].isalpha() and start > 0:
            before = folded[start - 1]
            if before.isascii() and before.isalpha():
                return False
        if folded[end - 1].isascii() and folded[end - 1].isalpha() and end < len(folded):
            after = folded[end]
            if after.isascii() and after.isalpha():
                return False
        return True

    def around(self, left: str, right: str) -> list[KeywordHit]:
        """Keywords in the text just before (``left``) and after (``right``) a candidate.

        A word on another line that is followed on its own line by a number of its
        own (「注文番号 1234…」) belongs to that number and is left out.
        """
        hits: list[KeywordHit] = []
        left = unescape_json(left)
        right = unescape_json(right)
        n = len(left)
        last_break = left.rfind("\n")
        first_break = right.find("\n")
        for _start, end, kws in self.find(left):
            same_line = end > last_break
            if same_line or not _owns_a_number(left, end):
                hits.extend(KeywordHit(kw, n - end, same_line) for kw in kws)
        for start, end, kws in self.find(right):
            same_line = first_break < 0 or start < first_break
            if same_line or not _owns_a_number(right, end):
                hits.extend(KeywordHit(kw, start, same_line) for kw in kws)
        return hits

    def words_in(self, text: str) -> list[Keyword]:
        """Keywords of a short text such as a column header, a JSON key or a label.

        camelCase keys are split (``MyNumber__c``, ``orderNo``). When a label names
        both kinds (「個人番号又は法人番号」), only the positive words count: a
        12-digit value cannot be the 13-digit other kind.
        """
        text = _CAMEL.sub(" ", unescape_json(text))
        kws = [kw for _s, _e, hit in self.find(text) for kw in hit]
        positive = [kw for kw in kws if kw.weight > 0]
        return positive or kws
