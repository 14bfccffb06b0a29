//! A text file's bytes into a document scanner: cut into blocks of whole lines, prefiltered
//! ([`crate::prefilter`]), decoded ([`crate::decode`]) where a candidate or its context may
//! be, and fed to the [`Document`] with the gaps between as line jumps.
//!
//! Each block is searched together with the tail of the one before (as much as the engine
//! looks back), so a value near a block edge gets its context from both sides. A line longer
//! than [`MAX_LINE_BYTES`] (minified JSON, say) ends prefiltering: the rest of the file is
//! decoded whole. Without a prefilter everything is decoded, as it comes.

use std::sync::Arc;
use std::time::Instant;

use crate::decode::{StreamDecoder, TextEncoding, UTF8_BOM};
use crate::engine::{Document, Finding};
use crate::prefilter::BytePrefilter;

/// Bytes gathered before a block is cut at its last line break and searched.
pub const BLOCK_BYTES: usize = 1024 * 1024;
/// A line longer than this ends prefiltering: the rest is decoded whole.
pub const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;
/// Decoded text is handed to the document scanner in pieces of about this many bytes, so its
/// buffer (text plus an offset per character) stays small however large a block is.
pub const FEED_BYTES: usize = 64 * 1024;

/// What a text scan decoded and skipped, and where its time went (tests, benchmarks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextStats {
    /// Bytes of the file read so far.
    pub bytes: usize,
    /// Bytes decoded and handed to the document scanner.
    pub decoded: usize,
    /// Gaps skipped (each a jump of the document scanner).
    pub gaps: usize,
    /// Nanoseconds in the byte prefilter (searching blocks, planning ranges).
    pub prefilter_ns: u64,
    /// Nanoseconds decoding.
    pub decode_ns: u64,
    /// Nanoseconds in the document scanner (candidates, context, evidence).
    pub scan_ns: u64,
}

fn since(t: Instant) -> u64 {
    u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

enum Mode {
    /// Blocks of whole lines, prefiltered.
    Prefiltered(Arc<BytePrefilter>),
    /// Everything decoded as it comes.
    Whole(StreamDecoder),
}

/// One text file's bytes in pieces of any size, for one [`Document`].
pub struct TextScan {
    enc: TextEncoding,
    mode: Mode,
    /// Bytes received and not yet searched (the file's start until the BOM is settled).
    pending: Vec<u8>,
    bom_settled: bool,
    /// The kept tail of the previous block plus the new block, and its file offset.
    window: Vec<u8>,
    window_abs: usize,
    /// File offset where the text handed to the document so far ends.
    emitted: usize,
    /// File offset up to which lines are counted, and the line number there.
    counted: usize,
    line: usize,
    stats: TextStats,
    /// Bytes gathered before a block is cut (`BLOCK_BYTES`).
    block_bytes: usize,
}

impl TextScan {
    /// A scan of bytes in `enc`; with `prefilter`, only lines around digit runs are decoded.
    pub fn new(enc: TextEncoding, prefilter: Option<Arc<BytePrefilter>>) -> Self {
        Self::with_block_bytes(enc, prefilter, BLOCK_BYTES)
    }

    /// As `new`, cutting blocks of about `block_bytes` (tests cut small blocks to cross many edges).
    pub fn with_block_bytes(enc: TextEncoding, prefilter: Option<Arc<BytePrefilter>>, block_bytes: usize) -> Self {
        let mode = match prefilter {
            Some(p) => Mode::Prefiltered(p),
            None => Mode::Whole(enc.stream_decoder()),
        };
        Self {
            enc,
            mode,
            pending: Vec::new(),
            bom_settled: enc != TextEncoding::Utf8Sig,
            window: Vec::new(),
            window_abs: 0,
            emitted: 0,
            counted: 0,
            line: 1,
            stats: TextStats::default(),
            block_bytes: block_bytes.max(1),
        }
    }

    /// What was decoded and skipped so far.
    pub fn stats(&self) -> TextStats {
        self.stats
    }

    /// The next bytes of the file; returns the findings settled so far.
    pub fn feed(&mut self, doc: &mut Document, data: &[u8]) -> Vec<Finding> {
        self.stats.bytes += data.len();
        self.pending.extend_from_slice(data);
        if !self.bom_settled {
            if self.pending.len() < UTF8_BOM.len() && UTF8_BOM.starts_with(&self.pending) {
                return Vec::new(); // could still be the mark
            }
            if self.pending.starts_with(UTF8_BOM) {
                self.pending.drain(..UTF8_BOM.len());
            }
            self.bom_settled = true;
        }
        let mut out = Vec::new();
        loop {
            match &self.mode {
                Mode::Whole(_) => {
                    let data = std::mem::take(&mut self.pending);
                    out.extend(self.feed_whole(doc, &data, false));
                    return out;
                }
                Mode::Prefiltered(_) if self.pending.len() < self.block_bytes => return out,
                Mode::Prefiltered(_) => match memchr::memrchr(b'\n', &self.pending) {
                    Some(cut) => {
                        let rest = self.pending.split_off(cut + 1);
                        let block = std::mem::replace(&mut self.pending, rest);
                        out.extend(self.block(doc, &block));
                        if self.pending.len() < self.block_bytes {
                            return out;
                        }
                    }
                    None if self.pending.len() > MAX_LINE_BYTES => out.extend(self.go_whole(doc)),
                    None => return out,
                },
            }
        }
    }

    /// End of the file: what is left is searched. The document is closed by the caller.
    pub fn finish(&mut self, doc: &mut Document) -> Vec<Finding> {
        self.bom_settled = true;
        let rest = std::mem::take(&mut self.pending);
        match self.mode {
            Mode::Whole(_) => self.feed_whole(doc, &rest, true),
            Mode::Prefiltered(_) if rest.is_empty() => Vec::new(),
            Mode::Prefiltered(_) => self.block(doc, &rest),
        }
    }

    fn feed_whole(&mut self, doc: &mut Document, data: &[u8], last: bool) -> Vec<Finding> {
        let Mode::Whole(decoder) = &mut self.mode else { unreachable!("only in whole mode") };
        let t = Instant::now();
        let text = decoder.decode(data, last);
        self.stats.decoded += data.len();
        self.stats.decode_ns += since(t);
        if text.is_empty() {
            return Vec::new();
        }
        let t = Instant::now();
        let out = feed_in_pieces(doc, &text, None);
        self.stats.scan_ns += since(t);
        out
    }

    /// One enormous line: the rest of the file, from what was not handed out yet, is decoded whole.
    fn go_whole(&mut self, doc: &mut Document) -> Vec<Finding> {
        let pending = std::mem::take(&mut self.pending);
        self.window.extend_from_slice(&pending);
        let rest = self.emitted.saturating_sub(self.window_abs);
        let from = self.counted - self.window_abs;
        self.line += count_lines(&self.window[from.min(rest)..rest]);
        let mut out = Vec::new();
        if self.window_abs + rest != self.emitted {
            out.extend(doc.jump(self.line));
            self.stats.gaps += 1;
        }
        self.mode = Mode::Whole(self.enc.stream_decoder());
        let tail = self.window.split_off(rest);
        self.window.clear();
        out.extend(self.feed_whole(doc, &tail, false));
        out
    }

    /// One block of whole lines (the last may lack its line break).
    fn block(&mut self, doc: &mut Document, block: &[u8]) -> Vec<Finding> {
        let Mode::Prefiltered(pre) = &self.mode else { unreachable!("only when prefiltering") };
        let pre = Arc::clone(pre);
        self.window.extend_from_slice(block);
        let wa = self.window_abs;
        // the start of the document is always read: the engine recognises tables from it
        let keep = (wa < pre.head_bytes).then(|| (0, pre.head_bytes - wa));
        let t = Instant::now();
        let plan = pre.plan(&self.window, keep);
        self.stats.prefilter_ns += since(t);
        let mut out = Vec::new();
        for &(start, end) in &plan.ranges {
            let start = start.max(self.emitted.saturating_sub(wa));
            if end <= start {
                continue;
            }
            self.line += count_lines(&self.window[self.counted - wa..start]);
            let t = Instant::now();
            let (text, zones) = decode_with_zones(self.enc, &self.window, start, end, &plan.zones);
            self.stats.decode_ns += since(t);
            let t = Instant::now();
            if wa + start != self.emitted {
                out.extend(doc.jump(self.line));
                self.stats.gaps += 1;
            }
            out.extend(feed_in_pieces(doc, &text, Some(&zones)));
            self.stats.scan_ns += since(t);
            self.stats.decoded += end - start;
            self.line += count_lines(&self.window[start..end]);
            self.counted = wa + end;
            self.emitted = wa + end;
        }
        let done = self.emitted.saturating_sub(wa).max(self.counted - wa);
        let cut = self.window.len().saturating_sub(pre.back_bytes).max(done);
        let cut = memchr::memrchr(b'\n', &self.window[..cut]).map_or(0, |i| i + 1).max(done);
        self.line += count_lines(&self.window[self.counted - wa..cut]);
        self.counted = wa + cut;
        self.window.drain(..cut);
        self.window_abs = wa + cut;
        out
    }
}

/// `doc.feed(text, zones)` in pieces of about `FEED_BYTES` (cut between characters), each with
/// its share of the zones: a document scanner finds the same in any pieces.
fn feed_in_pieces(doc: &mut Document, text: &str, zones: Option<&[(usize, usize)]>) -> Vec<Finding> {
    if text.len() <= FEED_BYTES {
        return doc.feed(text, zones);
    }
    let mut out = Vec::new();
    let (mut start, mut chars) = (0, 0);
    while start < text.len() {
        let mut end = (start + FEED_BYTES).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let piece = &text[start..end];
        let n = piece.chars().count();
        let piece_zones: Option<Vec<(usize, usize)>> = zones.map(|zs| {
            zs.iter()
                .filter_map(|&(a, b)| {
                    let (a, b) = (a.max(chars), b.min(chars + n));
                    (b > a).then(|| (a - chars, b - chars))
                })
                .collect()
        });
        out.extend(doc.feed(piece, piece_zones.as_deref()));
        start = end;
        chars += n;
    }
    out
}

fn count_lines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// `block[start..end]` decoded, with the byte zones inside it as character ranges of the text.
fn decode_with_zones(
    enc: TextEncoding,
    block: &[u8],
    start: usize,
    end: usize,
    zones: &[(usize, usize)],
) -> (String, Vec<(usize, usize)>) {
    let mut text = String::with_capacity(end - start);
    let mut out = Vec::new();
    let (mut pos, mut chars) = (start, 0);
    for &(zs, ze) in zones {
        let (zs, ze) = (zs.max(start), ze.min(end));
        if ze <= zs {
            continue;
        }
        let before = enc.decode(&block[pos..zs]);
        let inside = enc.decode(&block[zs..ze]);
        chars += before.chars().count();
        let n = inside.chars().count();
        out.push((chars, chars + n));
        chars += n;
        text.push_str(&before);
        text.push_str(&inside);
        pos = ze;
    }
    text.push_str(&enc.decode(&block[pos..end]));
    (text, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample_engine;
    use proptest::prelude::*;

    fn scan(enc: TextEncoding, data: &[u8], piece: usize, prefilter: bool) -> (Vec<Finding>, TextStats) {
        scan_in_blocks(enc, data, piece, prefilter, BLOCK_BYTES)
    }

    fn scan_in_blocks(
        enc: TextEncoding,
        data: &[u8],
        piece: usize,
        prefilter: bool,
        block: usize,
    ) -> (Vec<Finding>, TextStats) {
        let engine = sample_engine();
        let pre = if prefilter { engine.prefilter(enc) } else { None };
        let mut doc = Document::new(engine);
        let mut scan = TextScan::with_block_bytes(enc, pre, block);
        let mut found = Vec::new();
        for chunk in data.chunks(piece.max(1)) {
            found.extend(scan.feed(&mut doc, chunk));
        }
        found.extend(scan.finish(&mut doc));
        found.extend(doc.close());
        (found, scan.stats())
    }

    fn office_text(lines: usize) -> String {
        let mut text = String::new();
        for i in 0..lines {
            match i % 997 {
                5 => text.push_str("個人番号：1234-5678-9018\n"),
                400 => text.push_str("マイナンバー １２３４５６７８９０１８ です\n"),
                _ => text.push_str(if i % 2 == 0 {
                    "本日の議事録を共有します。\n"
                } else {
                    "Please review.\n"
                }),
            }
        }
        text
    }

    #[test]
    fn prefiltered_scan_equals_the_whole_scan_in_every_encoding_and_piece_size() {
        // long enough that the head always read (HEAD_CHARS) and each number's reach, a
        // conversation's topic both ways, leave most of it unread
        let text = office_text(60_000);
        for enc in [TextEncoding::Utf8, TextEncoding::Cp932, TextEncoding::EucJp] {
            let data = enc.encode(&text);
            let (whole, _) = scan(enc, &data, data.len(), false);
            assert!(whole.len() >= 40, "{enc:?}");
            for piece in [1000, 65_536, 3 << 20] {
                let (found, stats) = scan(enc, &data, piece, true);
                assert_eq!(found, whole, "{enc:?} {piece}");
                assert!(stats.gaps >= 2 && stats.decoded < data.len() / 2, "{enc:?} {stats:?}");
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_dropped_even_when_it_comes_one_byte_at_a_time() {
        let data = [UTF8_BOM, "個人番号：123456789018\n".as_bytes()].concat();
        for prefilter in [false, true] {
            let (found, _) = scan(TextEncoding::Utf8Sig, &data, 1, prefilter);
            assert_eq!((found[0].line, found[0].column), (1, 6));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Any bytes — digits, separators, labels, stray lead and trail bytes — in any pieces:
        /// the prefiltered scan finds what the whole decoded text holds, in every encoding.
        #[test]
        fn prefiltered_bytes_scan_like_the_whole_text(
            parts in proptest::collection::vec(prop_oneof![
                Just(b"1234".to_vec()), Just(b"5678".to_vec()), Just(b"9018".to_vec()), Just(b"-".to_vec()),
                Just(b" ".to_vec()), Just(b"\n".to_vec()), Just(b",".to_vec()),
                Just("個人番号：".as_bytes().to_vec()), Just("１２３".as_bytes().to_vec()),
                Just(vec![0x82, 0x50]), Just(vec![0xA3, 0xB1]), Just(vec![0x81, 0x40]), Just(vec![0x82]),
                Just(vec![0xE3]), Just(vec![0xFF]), Just(vec![0x8F, 0xA2]),
            ], 0..120),
            piece in 1usize..300,
            block in 8usize..400,
            enc in prop_oneof![Just(TextEncoding::Utf8), Just(TextEncoding::Cp932), Just(TextEncoding::EucJp)],
        ) {
            let data = parts.concat();
            let (whole, _) = scan(enc, &data, data.len(), false);
            let (found, _) = scan_in_blocks(enc, &data, piece, true, block);
            prop_assert_eq!(found, whole);
        }
    }

    #[test]
    fn a_line_too_long_to_prefilter_is_decoded_whole_from_there() {
        let mut text = "個人番号：123456789018\n".repeat(3);
        text.push_str(&"x".repeat(MAX_LINE_BYTES + 10));
        text.push_str(" 個人番号：123456789018");
        let data = text.as_bytes();
        let (whole, _) = scan(TextEncoding::Utf8, data, data.len(), false);
        let (found, stats) = scan(TextEncoding::Utf8, data, 1 << 20, true);
        assert_eq!(found, whole);
        assert_eq!(found.len(), 4);
        assert_eq!(stats.decoded, data.len());
    }
}
