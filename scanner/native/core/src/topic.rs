//! What a conversation is about: the strong positive words of a document (マイナンバー,
//! 個人番号, 扶養控除), kept by absolute position as its text streams, each piece of text
//! searched once. A bare number in a chat, a thread or a mail that has no word of its own
//! takes the nearest of them before or after it (kintone comments and Teams messages are
//! exported newest first: the question follows the answer) within the rule's `topic_window`.
//!
//! The index only holds positions; the engine searches the text (it owns the keyword
//! automaton and the buffer) and tells the index how far it has searched.

use std::collections::VecDeque;

/// A strong word: where it is (absolute characters) and the keywords of its entry.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicWord {
    pub start: usize,
    pub end: usize,
    /// Keyword indices (of every rule) at least `TOPIC_MIN_WEIGHT` strong.
    pub keywords: Vec<usize>,
    /// A number of the word's own follows it on its line (`個人番号：1234 …`): it labels that
    /// value, it is not a question or a subject that a later or an earlier value answers.
    pub owns_number: bool,
}

/// Strong words of one document in order of position, up to `searched_to`.
#[derive(Debug, Default)]
pub struct TopicIndex {
    /// Absolute offset up to which the text has been searched.
    searched_to: usize,
    words: VecDeque<TopicWord>,
}

impl TopicIndex {
    /// Absolute offset up to which the text has been searched.
    pub fn searched_to(&self) -> usize {
        self.searched_to
    }

    /// The text up to `to` has been searched and held `found` (in order). Words that end
    /// before the previous `searched_to` were found before (the caller searches a little
    /// before it, so that a word across the boundary is found whole) and are skipped.
    pub fn add(&mut self, to: usize, found: impl IntoIterator<Item = TopicWord>) {
        let before = self.searched_to;
        for w in found {
            if w.end > before && self.words.back().is_none_or(|last| w.start > last.start) {
                self.words.push_back(w);
            }
        }
        self.searched_to = self.searched_to.max(to);
    }

    /// Forget words that end before `abs`: no value left to examine can reach them.
    pub fn forget_before(&mut self, abs: usize) {
        while self.words.front().is_some_and(|w| w.end < abs) {
            self.words.pop_front();
        }
    }

    /// Words ending in `from..=to`, nearest to `to` first.
    pub fn before(&self, from: usize, to: usize) -> impl Iterator<Item = &TopicWord> {
        let stop = self.words.partition_point(|w| w.end <= to);
        self.words.range(..stop).rev().take_while(move |w| w.end >= from)
    }

    /// Words starting in `from..=to` that own no number, nearest to `from` first.
    pub fn after(&self, from: usize, to: usize) -> impl Iterator<Item = &TopicWord> {
        let first = self.words.partition_point(|w| w.start < from);
        self.words.range(first..).take_while(move |w| w.start <= to).filter(|w| !w.owns_number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(start: usize, len: usize, owns_number: bool) -> TopicWord {
        TopicWord { start, end: start + len, keywords: vec![0], owns_number }
    }

    #[test]
    fn a_word_found_again_across_the_boundary_is_kept_once() {
        let mut idx = TopicIndex::default();
        idx.add(100, [word(10, 6, false), word(96, 6, false)]);
        // the next search starts before 100 and finds the word across it again
        idx.add(200, [word(96, 6, false), word(150, 4, false)]);
        assert_eq!(idx.words.len(), 3);
        assert_eq!(idx.searched_to(), 200);
    }

    #[test]
    fn the_nearest_word_on_each_side_is_found_within_reach() {
        let mut idx = TopicIndex::default();
        idx.add(1000, [word(10, 6, false), word(300, 6, false), word(700, 4, true), word(800, 4, false)]);
        assert_eq!(idx.before(0, 500).map(|w| w.start).collect::<Vec<_>>(), vec![300, 10]);
        assert_eq!(idx.before(400, 500).count(), 0);
        // a word that labels a number of its own is not what a value before it answers
        assert_eq!(idx.after(600, 900).map(|w| w.start).collect::<Vec<_>>(), vec![800]);
        assert_eq!(idx.after(600, 750).count(), 0);
    }

    #[test]
    fn words_no_value_can_reach_are_forgotten() {
        let mut idx = TopicIndex::default();
        idx.add(1000, [word(10, 6, false), word(300, 6, false)]);
        idx.forget_before(100);
        assert_eq!(idx.before(0, 1000).map(|w| w.start).collect::<Vec<_>>(), vec![300]);
        assert_eq!(idx.words.len(), 1);
    }
}
