//! One Aho-Corasick automaton over every context word of every rule (their folded forms,
//! made by `scanner/detect/keywords.py`), searched in folded text:
//! of words that overlap, the longest from the leftmost start is kept (番号 inside 注文番号),
//! and an ASCII word never matches inside a longer ASCII word (tel in hotel).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::fold::fold;

/// Words found in one text: (start, end, entry) with offsets in characters.
pub type Hit = (usize, usize, usize);

/// The automaton over the folded forms; an entry is the index of a form as given.
#[derive(Debug)]
pub struct KeywordIndex {
    /// Every occurrence, overlapping (`Standard`: the longest of each start kept), or only the
    /// leftmost-longest ones.
    automaton: Option<AhoCorasick>,
}

/// An automaton that could not be built (too many or too long words).
#[derive(Debug)]
pub struct KeywordError(pub String);

impl KeywordIndex {
    /// The index of `forms` (already folded; blank ones are skipped by the caller).
    pub fn new(forms: &[String]) -> Result<Self, KeywordError> {
        // every occurrence, overlapping: the longest is chosen below
        Self::build(forms, MatchKind::Standard)
    }

    /// An index that reports only the leftmost-longest occurrences: for long texts searched
    /// whole (a conversation's topic words), where its prefilter skips most of the text.
    pub fn leftmost_longest(forms: &[String]) -> Result<Self, KeywordError> {
        Self::build(forms, MatchKind::LeftmostLongest)
    }

    fn build(forms: &[String], kind: MatchKind) -> Result<Self, KeywordError> {
        if forms.is_empty() {
            return Ok(Self { automaton: None });
        }
        let ac = AhoCorasickBuilder::new().match_kind(kind).build(forms).map_err(|e| KeywordError(e.to_string()))?;
        Ok(Self { automaton: Some(ac) })
    }

    /// All (start, end, entry) occurrences in `text`, offsets in characters of `text`.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        if text.is_empty() {
            return Vec::new();
        }
        let folded = fold(text);
        let mut hits: Vec<Hit> = if ac.match_kind() == MatchKind::Standard {
            ac.find_overlapping_iter(&folded).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect()
        } else {
            ac.find_iter(&folded).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect()
        };
        if hits.is_empty() {
            return hits;
        }
        // by start, longest first; ties keep the automaton's report order (byte offsets order
        // as character offsets do)
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let bytes = folded.as_bytes();
        let mut kept: Vec<Hit> = Vec::new();
        for hit in hits {
            if kept.last().is_some_and(|last| hit.1 <= last.1) {
                continue;
            }
            if bounded(bytes, hit.0, hit.1) {
                kept.push(hit);
            }
        }
        if !folded.is_ascii() {
            // byte offsets to character offsets, counting on from the previous hit
            let (mut byte, mut chars) = (0, 0);
            let mut char_at = |b: usize| {
                if b >= byte {
                    chars += folded[byte..b].chars().count();
                } else {
                    chars -= folded[b..byte].chars().count();
                }
                byte = b;
                chars
            };
            for h in &mut kept {
                (h.0, h.1) = (char_at(h.0), char_at(h.1));
            }
        }
        kept
    }
}

/// ASCII words must not sit inside longer ASCII words. On bytes of UTF-8: a byte below 0x80
/// is always a whole (ASCII) character, so the characters around a hit are checked by its bytes.
fn bounded(bytes: &[u8], start: usize, end: usize) -> bool {
    let alpha = |i: usize| bytes[i].is_ascii_alphabetic();
    if alpha(start) && start > 0 && alpha(start - 1) {
        return false;
    }
    !(alpha(end - 1) && end < bytes.len() && alpha(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(words: &[&str]) -> KeywordIndex {
        KeywordIndex::new(&words.iter().map(|w| fold(w)).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn the_longest_word_wins() {
        let idx = index(&["番号", "注文番号"]);
        assert_eq!(idx.find("注文番号：123"), vec![(0, 4, 1)]);
    }

    #[test]
    fn ascii_words_do_not_match_inside_longer_words() {
        let idx = index(&["tel"]);
        assert!(idx.find("hotel").is_empty());
        assert_eq!(idx.find("TEL: 03"), vec![(0, 3, 0)]);
    }
}
