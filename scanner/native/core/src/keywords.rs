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
    automaton: Option<AhoCorasick>,
}

/// An automaton that could not be built (too many or too long words).
#[derive(Debug)]
pub struct KeywordError(pub String);

impl KeywordIndex {
    /// The index of `forms` (already folded; blank ones are skipped by the caller).
    pub fn new(forms: &[String]) -> Result<Self, KeywordError> {
        if forms.is_empty() {
            return Ok(Self { automaton: None });
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard) // every occurrence, overlapping: the longest is chosen below
            .build(forms)
            .map_err(|e| KeywordError(e.to_string()))?;
        Ok(Self { automaton: Some(ac) })
    }

    /// All (start, end, entry) occurrences in `text`, offsets in characters of `text`.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        if text.is_empty() {
            return Vec::new();
        }
        let folded = fold(text);
        let mut hits: Vec<Hit> =
            ac.find_overlapping_iter(&folded).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect();
        if hits.is_empty() {
            return hits;
        }
        if !folded.is_ascii() {
            // byte offsets to character offsets
            let starts: Vec<usize> = folded.char_indices().map(|(i, _)| i).collect();
            let char_of = |byte: usize| starts.partition_point(|&b| b < byte);
            for h in &mut hits {
                (h.0, h.1) = (char_of(h.0), char_of(h.1));
            }
        }
        // as Python sorts: by start, longest first; ties keep the automaton's report order
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let chars: Vec<char> = folded.chars().collect();
        let mut kept: Vec<Hit> = Vec::new();
        for hit in hits {
            if kept.last().is_some_and(|last| hit.1 <= last.1) {
                continue;
            }
            if bounded(&chars, hit.0, hit.1) {
                kept.push(hit);
            }
        }
        kept
    }
}

fn ascii_alpha(c: char) -> bool {
    c.is_ascii_alphabetic()
}

/// ASCII words must not sit inside longer ASCII words.
fn bounded(chars: &[char], start: usize, end: usize) -> bool {
    if ascii_alpha(chars[start]) && start > 0 && ascii_alpha(chars[start - 1]) {
        return false;
    }
    !(ascii_alpha(chars[end - 1]) && end < chars.len() && ascii_alpha(chars[end]))
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
