//! Byte-level prefilter: which lines of a file can hold a candidate at all.
//!
//! Decoding and scanning cost more than searching bytes, and most office text holds no
//! 12-digit number. In the encodings of [`crate::decode`] an ASCII digit byte is always a
//! digit, so the raw bytes are searched for twelve digits (any of the rules' digit
//! characters, encoded) with at most `gap` separator characters (encoded) between neighbours.
//! Around each such run enough whole lines are decoded for every context the engine looks
//! at; only the lines holding a run are searched for candidates. A rule may keep
//! `candidates.prefilter = true` only if every form writes twelve digits with at most `gap`
//! separator characters between neighbours.
//!
//! A match may start inside a multi-byte character (a CP932 trail byte read as a lead):
//! that only decodes a line more than needed, never one less.

use regex_automata::meta::Regex;
use regex_automata::util::syntax;
use regex_automata::Input;

use crate::decode::TextEncoding;

/// Digits in a candidate.
pub const DIGITS: usize = 12;
/// When the ranges to decode cover more of a block than this share, the whole block is decoded.
pub const WHOLE_BLOCK_SHARE: f64 = 0.5;

/// What the rules write a candidate with: the characters the prefilter searches for.
#[derive(Clone, Debug)]
pub struct CandidateChars {
    /// Characters a candidate's digits are written with.
    pub digits: String,
    /// Characters that may stand between two digits of a candidate ...
    pub separators: String,
    /// ... at most this many at a time (boxes: `] [`).
    pub gap: usize,
}

/// How many characters around a value the engine may look at, and what digits look like
/// (the engine derives it from its windows and the rules' [`CandidateChars`]).
#[derive(Clone, Debug)]
pub struct Reach {
    pub behind: usize,
    pub ahead: usize,
    /// Characters from the start of a document always read (table header detection).
    pub head: usize,
    /// What digits and separators look like.
    pub chars: CandidateChars,
}

/// What to decode of one block.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Line-aligned byte ranges to decode: every hit with the context the engine may read.
    pub ranges: Vec<(usize, usize)>,
    /// Line-aligned byte ranges (inside `ranges`) where candidates can start: the hits' lines.
    pub zones: Vec<(usize, usize)>,
}

/// The compiled byte search of one encoding.
#[derive(Debug)]
pub struct BytePrefilter {
    run: Regex,
    /// Bytes before a hit that may hold its context.
    pub back_bytes: usize,
    ahead_bytes: usize,
    /// Bytes from the start of a file always decoded.
    pub head_bytes: usize,
}

fn either(chars: &str, enc: TextEncoding) -> String {
    let mut options: Vec<Vec<u8>> = chars.chars().filter_map(|c| enc.encode_char(c)).collect();
    options.sort();
    options.dedup();
    let alts: Vec<String> = options.iter().map(|o| o.iter().map(|b| format!("\\x{b:02X}")).collect()).collect();
    if alts.is_empty() {
        "[^\\x00-\\xFF]".into() // matches nothing
    } else {
        format!("(?:{})", alts.join("|"))
    }
}

impl BytePrefilter {
    /// The search for `reach`'s digits and separators as `enc` writes them.
    pub fn new(reach: &Reach, enc: TextEncoding) -> Self {
        let digit = either(&reach.chars.digits, enc);
        let sep = either(&reach.chars.separators, enc);
        let gap = reach.chars.gap.max(1);
        let pattern = format!("{digit}(?:{sep}{{0,{gap}}}{digit}){{{}}}", DIGITS - 1);
        let run = Regex::builder()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .build(&pattern)
            .expect("escaped bytes always compile");
        let width = enc.max_char_bytes();
        Self { run, back_bytes: reach.behind * width, ahead_bytes: reach.ahead * width, head_bytes: reach.head * width }
    }

    /// The lines of `block` that hold a digit run, as byte ranges with their line breaks.
    /// One forward search a line: where the first run ends is enough to know the line, and
    /// the search goes on from the next line (a dense CSV holds several runs a line).
    pub fn hit_lines(&self, block: &[u8]) -> Vec<(usize, usize)> {
        let mut lines = Vec::new();
        let mut at = 0;
        while at < block.len() {
            let Some(m) = self.run.search_half(&Input::new(block).range(at..)) else { break };
            let last = m.offset() - 1; // a run is never empty, and never holds a line break
            let start = memchr::memrchr(b'\n', &block[..last]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &block[last..]).map_or(block.len(), |i| last + i + 1);
            lines.push((start, end));
            at = end;
        }
        lines
    }

    /// Ranges to decode and zones to search in `block`; `keep` is a range that must be decoded.
    pub fn plan(&self, block: &[u8], keep: Option<(usize, usize)>) -> Plan {
        let lines = self.hit_lines(block);
        let zones = merge_lines(block, lines.iter().copied());
        // a line's context reaches from before its start to after its end: every run on it is covered
        let spans = keep.into_iter().chain(
            lines.iter().map(|&(s, e)| (s.saturating_sub(self.back_bytes), (e + self.ahead_bytes).min(block.len()))),
        );
        let mut ranges = merge_lines(block, spans);
        let covered: usize = ranges.iter().map(|(s, e)| e - s).sum();
        if covered as f64 > block.len() as f64 * WHOLE_BLOCK_SHARE {
            ranges = vec![(0, block.len())]; // mostly needed anyway: one piece is cheaper than many
        }
        Plan { ranges, zones }
    }
}

/// Spans widened to whole lines, sorted and merged where they touch.
fn merge_lines(block: &[u8], spans: impl Iterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = spans.collect();
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (start, end) in spans {
        let start = memchr::memrchr(b'\n', &block[..start.min(block.len())]).map_or(0, |i| i + 1);
        let from = start.max(end.saturating_sub(1)).min(block.len());
        let end = memchr::memchr(b'\n', &block[from..]).map_or(block.len(), |i| from + i + 1);
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reach() -> Reach {
        Reach {
            behind: 10,
            ahead: 10,
            head: 0,
            chars: CandidateChars {
                digits: "0123456789０１２３４５６７８９".into(),
                separators: " -\u{3000}－ー".into(),
                gap: 1,
            },
        }
    }

    #[test]
    fn lines_with_twelve_digits_and_single_separators_are_hits_in_every_encoding() {
        for enc in [TextEncoding::Utf8, TextEncoding::Cp932, TextEncoding::EucJp] {
            let pre = BytePrefilter::new(&reach(), enc);
            for text in
                ["1234-5678-9012", "１２３４　５６７８　９０１２", "1 2 3 4 5 6 7 8 9 0 1 2", "1234ー5678ー9012"]
            {
                let bytes = enc.encode(text);
                assert_eq!(pre.hit_lines(&bytes), vec![(0, bytes.len())], "{enc:?} {text}");
            }
            for text in ["12345678901", "1234--5678-9012", "1234 5678 901"] {
                assert!(pre.hit_lines(&enc.encode(text)).is_empty(), "{enc:?} {text}");
            }
        }
    }

    #[test]
    fn zones_are_the_lines_of_hits_and_ranges_add_the_context() {
        let pre = BytePrefilter::new(&reach(), TextEncoding::Utf8);
        let mut block = b"aaaa\n".repeat(20);
        block.extend_from_slice(b"x 123456789012 y\n");
        block.extend_from_slice(&b"bbbb\n".repeat(20));
        let plan = pre.plan(&block, None);
        assert_eq!(plan.zones, vec![(100, 117)]);
        // 10 characters of 4 bytes before and after, widened to whole lines
        assert_eq!(plan.ranges, vec![(60, 157)]);
        assert_eq!(pre.plan(b"no digits\n", None), Plan::default());
        assert_eq!(pre.plan(&b"no digits\n".repeat(5), Some((0, 3))).ranges, vec![(0, 10)]);
    }

    #[test]
    fn a_block_mostly_needed_is_decoded_whole() {
        let pre = BytePrefilter::new(&reach(), TextEncoding::Utf8);
        let plan = pre.plan(b"123456789012\n123456789012\nabc\n", None);
        assert_eq!(plan.ranges, vec![(0, 30)]);
        assert_eq!(plan.zones, vec![(0, 26)]);
    }
}
