//! The document scanner: candidates, context, structure and document evidence over one
//! document fed in pieces, memory bounded however long it is. A port of
//! the Python engine's `DocumentScanner` (deleted in issue 10 once the findings were proven
//! identical), step for step; offsets are characters, as Python callers count them.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Instant;

use regex_automata::meta::Regex;

use crate::candidates::{Candidate, CandidateFinder, FormError};
use crate::decode::TextEncoding;
use crate::evidence::{roster_floor, slot_evidence, DocumentSettings, Evidence, SlotStats};
use crate::fingerprint::{mask, Fingerprinter};
use crate::fold::fold;
use crate::keywords::KeywordIndex;
use crate::prefilter::{BytePrefilter, CandidateChars, Reach};
use crate::scorer::{
    clamp, confidence_of, context_score, strongest_positive, Confidence, ContextHit, ContextSettings, Thresholds,
};
use crate::structure::{
    column_of, detect_table, fields, find_local_header, label_key, local_table_delimiter, nearest_label,
    next_label_start, TableLayout,
};
use crate::topic::{TopicIndex, TopicWord};

fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Text gathered from the start of a document before scanning, to recognise a table header.
pub const HEAD_CHARS: usize = 64 * 1024;
/// Characters kept before the scan position: left context, labels, the start of a long CSV line.
pub const KEEP_BEHIND: usize = 4096;
/// Longest table row searched whole for context words.
pub const MAX_ROW_CHARS: usize = 4096;
/// How far above a value's line the header of a table inside other text is looked for.
pub const LOCAL_TABLE_REACH: usize = 512;
/// How far below `high` a value without context of its own is kept however strong its roster or title.
pub const STATISTICS_MARGIN: f64 = 0.001;
/// Longest candidate plus the characters its boundary checks look at.
pub const MAX_CANDIDATE_CHARS: usize = 48;
/// Characters before and after a candidate that adjustments look at.
pub const ADJUST_SPAN: usize = 8;
/// Findings held for document evidence before the oldest are settled with the evidence so far.
pub const MAX_PENDING: usize = 10_000;
/// Score of a finding whose fingerprint is on the known-numbers list.
pub const KNOWN_NUMBER_SCORE: f64 = 1.0;
/// Only words at least this strong (マイナンバー, 扶養控除) set a conversation's topic.
pub const TOPIC_MIN_WEIGHT: f64 = 0.3;
/// Most characters (boxes, brackets, spaces) around a value that still stands alone on its line.
pub const ALONE_MARGIN: usize = 32;
/// Distinct label texts whose keywords are remembered per document.
pub const LABEL_CACHE_SIZE: usize = 10_000;

/// A context word as written in the rules.
#[derive(Clone, Debug)]
pub struct Keyword {
    /// Which rule of the ruleset the word belongs to.
    pub rule: usize,
    /// The word as written in the rule file (shown in reasons).
    pub word: String,
    /// Positive raises the score, negative lowers it.
    pub weight: f64,
}

/// A score change when the text around the digits, or the digits, look a certain way.
#[derive(Clone, Debug)]
pub struct AdjustmentSpec {
    /// Shown in reasons (`adjust:<name>`).
    pub reason: String,
    pub weight: f64,
    /// Regexes (the core's syntax) searched before, after, and in the digits.
    pub before: Option<String>,
    pub after: Option<String>,
    pub digits: Option<String>,
}

/// One rule, as the loader hands it over.
#[derive(Clone, Debug)]
pub struct RuleSpec {
    pub id: String,
    pub forms: Vec<crate::candidates::FormSpec>,
    /// (name, score) of each form.
    pub form_info: Vec<(String, f64)>,
    pub start_behind: Vec<crate::candidates::Around>,
    pub start_ahead: Vec<crate::candidates::Around>,
    pub context: ContextSettings,
    pub structure_factor: f64,
    pub adjustments: Vec<AdjustmentSpec>,
    pub thresholds: Thresholds,
    pub document: DocumentSettings,
}

/// A ruleset plus what the engine needs besides it.
#[derive(Clone, Debug)]
pub struct EngineSpec {
    pub rules: Vec<RuleSpec>,
    /// Every context word.
    pub keywords: Vec<Keyword>,
    /// The folded forms in the automaton, and for each the keywords it stands for.
    pub keyword_forms: Vec<String>,
    pub keyword_entries: Vec<Vec<usize>>,
    /// Generic keys that only wrap the value of the key above them (`value`, `data`).
    pub transparent_labels: Vec<String>,
    /// Keys whose string value labels the generic key after them (`"question": "個人番号"`).
    pub label_keys: Vec<String>,
    /// Fingerprints of numbers known to be real (exact data match).
    pub known: HashSet<String>,
    /// What the byte prefilter searches for; None: a rule must see whole files.
    pub prefilter: Option<CandidateChars>,
}

struct CompiledAdjustment {
    reason: String,
    weight: f64,
    before: Option<Regex>,
    after: Option<Regex>,
    digits: Option<Regex>,
}

struct CompiledRule {
    spec: RuleSpec,
    finder: CandidateFinder,
    adjustments: Vec<CompiledAdjustment>,
}

/// A compiled ruleset plus the fingerprint key: builds document scanners.
pub struct Engine {
    rules: Vec<CompiledRule>,
    keywords: Vec<Keyword>,
    index: KeywordIndex,
    entries: Vec<Vec<usize>>,
    /// The forms of strong positive words only (a topic), and their strong keywords.
    topic_index: KeywordIndex,
    topic_entries: Vec<Vec<usize>>,
    transparent: HashSet<String>,
    label_keys: HashSet<String>,
    known: HashSet<String>,
    fingerprinter: Fingerprinter,
    behind: usize,
    ahead: usize,
    /// Characters of the longest context word: a topic search starts this far before where the last one ended.
    longest_word: usize,
    /// Widest `topic_window` of any rule.
    topic_reach: usize,
    /// A value of a word's own after it on its line (`注文番号 1234…`, `携帯 090-…`): four digits
    /// at least, so that a score or a confidence (`/ confidence 0.93`) is not taken for one.
    number: Regex,
    /// A key with a value of its own after it on its line (`"id": "3",`, `ID: 7`): the word
    /// names that value, not one on another line.
    keyed: Regex,
    camel: Regex,
    /// The byte prefilter of each encoding the core decodes (none when a rule opts out).
    prefilters: Vec<(TextEncoding, Arc<BytePrefilter>)>,
}

/// A likely My Number at a position in extracted text.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: usize,
    pub line: usize,
    pub column: usize,
    pub confidence: Confidence,
    pub score: f64,
    pub masked: String,
    pub fingerprint: String,
    pub reasons: Vec<String>,
}

fn compile(pattern: &Option<String>) -> Result<Option<Regex>, FormError> {
    pattern.as_deref().map(|p| Regex::new(p).map_err(|e| FormError(format!("{p}: {e}")))).transpose()
}

impl Engine {
    /// Compile a ruleset; `fingerprinter` makes the fingerprints.
    pub fn new(spec: EngineSpec, fingerprinter: Fingerprinter) -> Result<Self, FormError> {
        if spec.rules.is_empty() {
            return Err(FormError("a ruleset needs at least one rule".into()));
        }
        let mut rules = Vec::with_capacity(spec.rules.len());
        for r in &spec.rules {
            let finder = CandidateFinder::new(&r.forms, &r.start_behind, &r.start_ahead)?;
            let adjustments = r
                .adjustments
                .iter()
                .map(|a| {
                    Ok(CompiledAdjustment {
                        reason: a.reason.clone(),
                        weight: a.weight,
                        before: compile(&a.before)?,
                        after: compile(&a.after)?,
                        digits: compile(&a.digits)?,
                    })
                })
                .collect::<Result<Vec<_>, FormError>>()?;
            rules.push(CompiledRule { spec: r.clone(), finder, adjustments });
        }
        let window = spec.rules.iter().map(|r| r.context.window).max().unwrap_or(0);
        let looks_back = spec
            .rules
            .iter()
            .map(|r| r.context.window.max(r.context.label_window).max(r.context.topic_window))
            .max()
            .unwrap_or(0)
            .max(LOCAL_TABLE_REACH);
        let index = KeywordIndex::new(&spec.keyword_forms).map_err(|e| FormError(e.0))?;
        let (topic_forms, topic_entries): (Vec<String>, Vec<Vec<usize>>) = spec
            .keyword_forms
            .iter()
            .zip(&spec.keyword_entries)
            .filter_map(|(form, kws)| {
                let strong: Vec<usize> =
                    kws.iter().copied().filter(|&k| spec.keywords[k].weight >= TOPIC_MIN_WEIGHT).collect();
                (!strong.is_empty()).then(|| (form.clone(), strong))
            })
            .unzip();
        let topic_index = KeywordIndex::leftmost_longest(&topic_forms).map_err(|e| FormError(e.0))?;
        crate::structure::compile_patterns();
        let behind = KEEP_BEHIND.max(looks_back);
        let topic_reach = spec.rules.iter().map(|r| r.context.topic_window).max().unwrap_or(0);
        // a conversation's topic may follow the value (newest-first exports): kept ahead too
        let ahead = window.max(topic_reach) + MAX_CANDIDATE_CHARS + ADJUST_SPAN;
        let longest_word = spec.keyword_forms.iter().map(|w| w.chars().count()).max().unwrap_or(0);
        // the prefilter decodes what any value may look at, measured from either end of the
        // longest candidate
        let prefilters = spec.prefilter.map_or_else(Vec::new, |chars| {
            let reach = Reach {
                behind: looks_back + MAX_CANDIDATE_CHARS,
                ahead: ahead + MAX_CANDIDATE_CHARS,
                head: HEAD_CHARS,
                chars,
            };
            [TextEncoding::Utf8, TextEncoding::Cp932, TextEncoding::EucJp]
                .into_iter()
                .map(|enc| (enc, Arc::new(BytePrefilter::new(&reach, enc))))
                .collect()
        });
        Ok(Self {
            rules,
            keywords: spec.keywords,
            index,
            entries: spec.keyword_entries,
            topic_index,
            topic_entries,
            transparent: spec.transparent_labels.iter().map(|l| label_key(l)).collect(),
            label_keys: spec.label_keys.iter().map(|l| label_key(l)).collect(),
            known: spec.known,
            fingerprinter,
            behind,
            ahead,
            longest_word,
            topic_reach,
            number: Regex::new(r"(?:[0-9\uFF10-\uFF19][,，.:/\-]?){4}").expect("built-in pattern"),
            keyed: Regex::new(r#"^["']?[ \t\u3000]*[:：=][ \t\u3000]*[^\s{\[]"#).expect("built-in pattern"),
            camel: Regex::new(r"[a-z][A-Z]").expect("built-in pattern"),
            prefilters,
        })
    }

    /// The byte prefilter for files in `enc`; None when the ruleset must see whole files.
    pub fn prefilter(&self, enc: TextEncoding) -> Option<Arc<BytePrefilter>> {
        let enc = if enc == TextEncoding::Utf8Sig { TextEncoding::Utf8 } else { enc };
        self.prefilters.iter().find(|(e, _)| *e == enc).map(|(_, p)| Arc::clone(p))
    }

    /// Keyword hits in `text`: (start, end, keyword indices), offsets in characters.
    fn find_words(&self, text: &str) -> Vec<(usize, usize, &[usize])> {
        self.index.find(text).into_iter().map(|(s, e, i)| (s, e, self.entries[i].as_slice())).collect()
    }

    /// `KeywordIndex.words_in`: keywords of a short text such as a column header, a JSON key or a label.
    fn words_in(&self, text: &str) -> Vec<usize> {
        let text = unescape_json(text);
        // camelCase split: a space between a lower-case and an upper-case ASCII letter
        let mut split = String::with_capacity(text.len() + 4);
        let mut last = 0;
        for m in self.camel.find_iter(&text) {
            split.push_str(&text[last..m.start() + 1]);
            split.push(' ');
            last = m.start() + 1;
        }
        split.push_str(&text[last..]);
        let kws: Vec<usize> = self.find_words(&split).into_iter().flat_map(|(_, _, k)| k.iter().copied()).collect();
        let positive: Vec<usize> = kws.iter().copied().filter(|&k| self.keywords[k].weight > 0.0).collect();
        if positive.is_empty() {
            kws
        } else {
            positive
        }
    }

    /// Whether what follows a word on its line is a value of the word's own: a number, or a
    /// key's value.
    fn owns_a_value(&self, rest_of_line: &str) -> bool {
        self.number.is_match(rest_of_line) || self.keyed.is_match(rest_of_line)
    }

    /// The rest of the line after `end` (characters) holds a value of the word's own.
    fn owns_a_value_at(&self, text: &CharStr, end: usize) -> bool {
        let stop = text.find_char('\n', end).unwrap_or(text.len());
        self.owns_a_value(text.slice(end, stop))
    }

    /// `KeywordIndex.around`: (keyword, distance, same line) of words just before and after a
    /// value. When the value stands alone on its line (`alone`), the line above is its caption
    /// (`[field 03] 個人番号 / confidence 0.95`, a form's label printed over its boxes): its
    /// words count as the value's own line's.
    fn around(&self, left: &str, right: &str, alone: bool) -> Vec<(usize, usize, bool)> {
        let left = CharStr::new(unescape_json(left));
        let right = CharStr::new(unescape_json(right));
        let n = left.len();
        let last_break = left.rfind_char('\n', 0, n);
        // a caption over a lone value is the line above; a word there with a value of its own
        // (`個人番号：…` then another number below) captions nothing
        let caption_break = if alone { last_break.and_then(|b| left.rfind_char('\n', 0, b)) } else { last_break };
        let first_break = right.find_char('\n', 0);
        let mut hits = Vec::new();
        for (_s, end, kws) in self.find_words(left.as_str()) {
            let own_line = last_break.is_none_or(|b| end > b);
            if own_line || !self.owns_a_value_at(&left, end) {
                let same_line = own_line || caption_break.is_none_or(|b| end > b);
                hits.extend(kws.iter().map(|&k| (k, n - end, same_line)));
            }
        }
        for (start, end, kws) in self.find_words(right.as_str()) {
            let same_line = first_break.is_none_or(|b| start < b);
            if same_line || !self.owns_a_value_at(&right, end) {
                hits.extend(kws.iter().map(|&k| (k, start, same_line)));
            }
        }
        hits
    }

    fn fingerprint(&self, digits: &str) -> String {
        self.fingerprinter.fingerprint(digits.as_bytes())
    }
}

/// `textfold.unescape_json`: `\uXXXX` escapes decoded (a lone surrogate, which a Rust string
/// cannot hold, becomes U+FFFD: one character for one, as in Python).
pub fn unescape_json(text: &str) -> String {
    if !text.contains("\\u") {
        return text.to_string();
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 6 <= b.len() && b[i + 1] == b'u' && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) {
            let code = u32::from_str_radix(&text[i + 2..i + 6], 16).unwrap_or(0xFFFD);
            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            i += 6;
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// A string with O(1) slicing by character offsets.
struct CharStr {
    text: String,
    /// Byte offset of each character, and the length at the end.
    offs: Vec<usize>,
}

impl CharStr {
    fn new(text: String) -> Self {
        let mut offs: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offs.push(text.len());
        Self { text, offs }
    }

    fn len(&self) -> usize {
        self.offs.len() - 1
    }

    fn as_str(&self) -> &str {
        &self.text
    }

    fn byte(&self, char_pos: usize) -> usize {
        self.offs[char_pos.min(self.len())]
    }

    /// Characters `a..b` (clamped to the text, empty when reversed).
    fn slice(&self, a: usize, b: usize) -> &str {
        let b = b.min(self.len());
        let a = a.min(b);
        &self.text[self.offs[a]..self.offs[b]]
    }

    fn char_of(&self, byte: usize) -> usize {
        self.offs.partition_point(|&o| o < byte)
    }

    fn find_char(&self, c: char, from: usize) -> Option<usize> {
        let from = from.min(self.len());
        self.text[self.offs[from]..].find(c).map(|i| self.char_of(self.offs[from] + i))
    }

    fn rfind_char(&self, c: char, a: usize, b: usize) -> Option<usize> {
        let s = self.slice(a, b);
        s.rfind(c).map(|i| self.char_of(self.offs[a.min(b.min(self.len()))] + i))
    }

    fn count_lines(&self, a: usize, b: usize) -> usize {
        memchr::memchr_iter(b'\n', self.slice(a, b).as_bytes()).count()
    }

    fn push_str(&mut self, s: &str) {
        let base = self.text.len();
        self.offs.pop();
        if s.is_ascii() {
            self.offs.extend(base..base + s.len());
        } else {
            // a character starts at every byte that is not a UTF-8 continuation byte
            self.offs.extend(s.bytes().enumerate().filter(|&(_, b)| (b & 0xC0) != 0x80).map(|(i, _)| base + i));
        }
        self.text.push_str(s);
        self.offs.push(self.text.len());
    }

    /// Drop the first `n` characters.
    fn drop_front(&mut self, n: usize) {
        let n = n.min(self.len());
        let cut = self.offs[n];
        self.text.drain(..cut);
        self.offs.drain(..n);
        for o in &mut self.offs {
            *o -= cut;
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.offs.clear();
        self.offs.push(0);
    }
}

/// Where a value sits; values of one slot share document evidence.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Slot {
    Column(usize),
    Table(usize, usize),
    Label(String),
    Text,
}

struct Pending {
    rule: usize,
    line: usize,
    column: usize,
    partial: f64,
    reasons: Vec<String>,
    slot: (usize, Slot),
    positive: bool,
    /// No strong negative word and no adjustment: a roster's floor holds for the value.
    floorable: bool,
    /// No title says the document is about something else: roster evidence may count.
    roster_ok: bool,
    /// A title is the value's only positive context: it is never high.
    title_only: bool,
    /// Kept only until settled; then only the mask and the fingerprint go out.
    digits: String,
}

struct LocalTable {
    delimiter: char,
    count: usize,
    header_line: usize,
}

/// Nothing but spaces, boxes and punctuation: what may share a line with a value that stands alone.
fn bare(s: &str) -> bool {
    s.chars().all(|ch| !ch.is_alphanumeric())
}

/// Streams one document: candidates, context, structure and document evidence.
pub struct Document {
    e: Arc<Engine>,
    buf: CharStr,
    /// Absolute offset of `buf[0]` in the document.
    buf_abs: usize,
    /// Absolute offset from which candidate starts are still to be examined.
    next: usize,
    line_no: usize,
    /// Absolute offset up to which newlines are counted.
    line_pos: usize,
    /// Absolute offset where the line holding `line_pos` starts.
    line_start: usize,
    layout: Option<TableLayout>,
    layout_known: bool,
    table_columns: Vec<Vec<usize>>,
    pending: VecDeque<Pending>,
    slots: HashMap<(usize, Slot), SlotStats>,
    label_cache: HashMap<String, Vec<usize>>,
    local: Option<LocalTable>,
    /// Absolute offset of the last row seen of `local`.
    local_row_start: usize,
    local_columns: Vec<Vec<usize>>,
    /// The local table of the last whole line examined (absolute line start): its values share it.
    local_answer: Option<(usize, Option<(char, usize)>)>,
    /// Absolute [start, end) ranges where candidates can start, not yet searched.
    zones: VecDeque<[usize; 2]>,
    /// Absolute offset of the table row whose context words are in `row_cache` (None: none).
    row_cache_at: Option<usize>,
    row_cache: Vec<(usize, usize, Vec<usize>)>,
    /// Per rule: the strongest positive word in the document's titles (file name, sheet, subject).
    titles: Vec<Option<ContextHit>>,
    /// Per rule: the strongest negative word there (`受注一覧.csv`, a mail about orders).
    negative_titles: Vec<Option<ContextHit>>,
    /// Strong words searched so far, for values with no word of their own.
    topics: TopicIndex,
    stats: DocumentStats,
}

/// Candidates a document scanner examined and where its time went (benchmarks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentStats {
    /// Candidates found (valid or not).
    pub candidates: usize,
    /// Nanoseconds finding candidates.
    pub find_ns: u64,
    /// Nanoseconds examining them: structure, context words, scores, evidence.
    pub examine_ns: u64,
}

/// What `_structure` finds for a value: keywords, their kind, distance, the field's start, the slot.
struct Structure {
    kws: Vec<usize>,
    kind: &'static str,
    distance: usize,
    field_start: usize,
    slot: Option<Slot>,
}

impl Document {
    /// A scanner for one document of `engine`; feed it text in order, then close it.
    pub fn new(engine: Arc<Engine>) -> Self {
        Self {
            e: engine,
            buf: CharStr::new(String::new()),
            buf_abs: 0,
            next: 0,
            line_no: 1,
            line_pos: 0,
            line_start: 0,
            layout: None,
            layout_known: false,
            table_columns: Vec::new(),
            pending: VecDeque::new(),
            slots: HashMap::new(),
            label_cache: HashMap::new(),
            local: None,
            local_row_start: 0,
            local_columns: Vec::new(),
            local_answer: None,
            zones: VecDeque::new(),
            row_cache_at: None,
            row_cache: Vec::new(),
            titles: Vec::new(),
            negative_titles: Vec::new(),
            topics: TopicIndex::default(),
            stats: DocumentStats::default(),
        }
    }

    /// Candidates examined so far and the time spent finding and examining them.
    pub fn stats(&self) -> DocumentStats {
        self.stats
    }

    /// Add the next piece of the document; returns the findings settled so far. `zones` are
    /// the character ranges of `text` where candidates can start; None means anywhere.
    /// The document's titles (its file, folder, member and sheet names) and what its containers
    /// say of it (`about`: a mail's subject and text), before it is fed: the strongest positive
    /// word of either counts `title_factor` for every value; a strong negative word of the
    /// titles (never of `about`: a signature's TEL) says the document is about something else.
    pub fn set_titles(&mut self, titles: &str, about: &str) {
        let e = Arc::clone(&self.e);
        self.titles = vec![None; e.rules.len()];
        self.negative_titles = vec![None; e.rules.len()];
        let found = e.find_words(titles).into_iter().map(|w| (w, true));
        for ((_s, _end, kws), negative_too) in found.chain(e.find_words(about).into_iter().map(|w| (w, false))) {
            for &k in kws {
                let kw = &e.keywords[k];
                let factor = e.rules[kw.rule].spec.context.title_factor;
                if kw.weight.abs() < TOPIC_MIN_WEIGHT || factor <= 0.0 || (kw.weight < 0.0 && !negative_too) {
                    continue;
                }
                let slot = if kw.weight > 0.0 { &mut self.titles[kw.rule] } else { &mut self.negative_titles[kw.rule] };
                if slot.as_ref().is_none_or(|t| t.weight.abs() < kw.weight.abs()) {
                    *slot = Some(ContextHit {
                        kind: "title".into(),
                        word: kw.word.clone(),
                        weight: kw.weight,
                        distance: usize::MAX / 2, // never nearer than a word of the value's own
                        structural: true,
                        scale: factor,
                    });
                }
            }
        }
    }

    pub fn feed(&mut self, text: &str, zones: Option<&[(usize, usize)]>) -> Vec<Finding> {
        let base = self.buf_abs + self.buf.len();
        let whole = [(0, text.chars().count())];
        for &(zs, ze) in zones.unwrap_or(&whole) {
            match self.zones.back_mut() {
                Some(last) if last[1] >= base + zs => last[1] = last[1].max(base + ze),
                _ => self.zones.push_back([base + zs, base + ze]),
            }
        }
        self.buf.push_str(text);
        if !self.layout_known && self.buf.len() < HEAD_CHARS {
            return Vec::new();
        }
        self.process(false)
    }

    /// The text fed so far ends a line; what is fed next starts at `line` after a gap that
    /// holds no candidate and lies beyond the reach of every context.
    pub fn jump(&mut self, line: usize) -> Vec<Finding> {
        let out = self.process(true);
        let gap = self.buf_abs + self.buf.len() + 1;
        self.zones.clear();
        self.buf.clear();
        self.buf_abs = gap;
        self.next = gap;
        self.line_pos = gap;
        self.line_start = gap;
        self.line_no = line;
        out
    }

    /// End of document: settle every remaining finding.
    pub fn close(&mut self) -> Vec<Finding> {
        let mut out = self.process(true);
        let n = self.pending.len();
        out.extend(self.settle(n));
        out
    }

    fn process(&mut self, last: bool) -> Vec<Finding> {
        let mut out = Vec::new();
        if !self.layout_known {
            let head = self.buf.slice(0, HEAD_CHARS).to_string();
            self.learn_layout(&head);
        }
        let start = self.next - self.buf_abs;
        let len = self.buf.len();
        let limit = if last { Some(len) } else { len.checked_sub(self.e.ahead) };
        if let Some(limit) = limit.filter(|&l| l > start) {
            let t = Instant::now();
            let spans = self.zone_spans(start, limit);
            let e = Arc::clone(&self.e);
            let mut cands: Vec<(usize, usize, Candidate)> = Vec::new();
            for (zs, ze) in spans {
                let (bs, be) = (self.buf.byte(zs), self.buf.byte(ze));
                for (i, cr) in e.rules.iter().enumerate() {
                    for c in cr.finder.find_bytes(self.buf.as_str(), bs, be) {
                        let start_char = self.buf.char_of(c.start);
                        let end_char = self.buf.char_of(c.end);
                        cands.push((start_char, i, Candidate { start: start_char, end: end_char, ..c }));
                    }
                }
            }
            if e.rules.len() > 1 {
                cands.sort_by_key(|t| (t.0, t.1));
            }
            let found = Instant::now();
            self.stats.candidates += cands.len();
            for (_, i, c) in cands {
                self.examine(i, &c);
                // settled by the value's position, not by how the text arrived: the same
                // findings whatever the feed sizes
                if self.pending.len() > MAX_PENDING {
                    out.extend(self.settle(self.pending.len() - MAX_PENDING / 2));
                }
            }
            self.stats.find_ns += nanos(found - t);
            self.stats.examine_ns += nanos(found.elapsed());
            self.next = self.buf_abs + limit;
            self.topics.forget_before(self.next.saturating_sub(self.e.topic_reach));
            self.trim(limit);
        }
        out
    }

    /// Buffer ranges in [start, limit) where candidates can start; forgets zones passed.
    fn zone_spans(&mut self, start: usize, limit: usize) -> Vec<(usize, usize)> {
        let (lo, hi) = (self.buf_abs + start, self.buf_abs + limit);
        let mut spans = Vec::new();
        for z in &self.zones {
            if z[0] >= hi {
                break;
            }
            let (a, b) = (z[0].max(lo), z[1].min(hi));
            if b > a {
                spans.push((a - self.buf_abs, b - self.buf_abs));
            }
        }
        while self.zones.front().is_some_and(|z| z[1] <= hi) {
            self.zones.pop_front();
        }
        spans
    }

    fn trim(&mut self, limit: usize) {
        let cut = limit.saturating_sub(self.e.behind);
        if cut == 0 {
            return;
        }
        self.advance_lines(self.buf_abs + cut);
        self.buf.drop_front(cut);
        self.buf_abs += cut;
    }

    fn advance_lines(&mut self, abs_pos: usize) {
        let a = self.line_pos - self.buf_abs;
        let b = abs_pos - self.buf_abs;
        if b <= a {
            return;
        }
        let n = self.buf.count_lines(a, b);
        if n > 0 {
            self.line_no += n;
            let last = self.buf.rfind_char('\n', a, b).expect("a newline was counted");
            self.line_start = self.buf_abs + last + 1;
        }
        self.line_pos = abs_pos;
    }

    fn learn_layout(&mut self, head: &str) {
        self.layout_known = true;
        self.layout = detect_table(head);
        if let Some(layout) = &self.layout {
            self.table_columns = layout.header.iter().map(|cell| self.e.words_in(cell)).collect();
        }
    }

    fn structure(&mut self, c: &Candidate) -> Structure {
        let line_start = self.line_start.checked_sub(self.buf_abs);
        if let (Some(layout), Some(ls)) = (&self.layout, line_start) {
            if self.line_no - 1 > layout.header_line {
                let col = column_of(self.buf.slice(ls, c.start), layout.delimiter);
                let kws = self.table_columns.get(col).cloned().unwrap_or_default();
                return Structure { kws, kind: "column", distance: 0, field_start: ls, slot: Some(Slot::Column(col)) };
            }
        }
        if let Some(ls) = line_start {
            if let Some((delimiter, header_line)) = self.local_table(c, ls) {
                let col = column_of(self.buf.slice(ls, c.start), delimiter);
                let kws = self.local_columns.get(col).cloned().unwrap_or_default();
                let field_start = if kws.is_empty() { 0 } else { ls };
                return Structure {
                    kws,
                    kind: "column",
                    distance: 0,
                    field_start,
                    slot: Some(Slot::Table(header_line, col)),
                };
            }
        }
        let window = self.e.rules[0].spec.context.label_window;
        let before = self.buf.slice(c.start.saturating_sub(window), c.start);
        let Some(label) = nearest_label(before, &self.e.transparent, &self.e.label_keys) else {
            return Structure { kws: Vec::new(), kind: "label", distance: 0, field_start: 0, slot: None };
        };
        let kws = match self.label_cache.get(&label.text) {
            Some(k) => k.clone(),
            None => {
                let k = self.e.words_in(&label.text);
                if self.label_cache.len() < LABEL_CACHE_SIZE {
                    self.label_cache.insert(label.text.clone(), k.clone());
                }
                k
            }
        };
        // A label that names something (個人番号, 電話番号) starts the value's field; a
        // speaker's name in a chat ("鈴木:") does not, and words before it still count.
        let field_start = if kws.is_empty() { 0 } else { c.start - label.distance - label.length };
        let slot = Slot::Label(fold(&unescape_json(&label.text)));
        Structure { kws, kind: label.kind, distance: label.distance, field_start, slot: Some(slot) }
    }

    /// The table (Markdown, pasted TSV/CSV) a value's line belongs to: (delimiter, header line).
    fn local_table(&mut self, c: &Candidate, line_start: usize) -> Option<(char, usize)> {
        let at = self.buf_abs + line_start;
        if let Some((line, answer)) = self.local_answer {
            if line == at {
                return answer; // another value on this line: the same row of the same table, or none
            }
        }
        let line_end = self.buf.find_char('\n', c.end);
        let found = self.find_local_table(line_start, line_end.unwrap_or(self.buf.len()));
        // only a whole line's answer is final: more of a line can still make it a row
        self.local_answer = line_end.map(|_| (at, found));
        found
    }

    fn find_local_table(&mut self, line_start: usize, line_end: usize) -> Option<(char, usize)> {
        let (delim, count) = local_table_delimiter(self.buf.slice(line_start, line_end))?;
        if let Some(cached) = &self.local {
            if (cached.delimiter, cached.count) == (delim, count) {
                if let Some(last) = self.local_row_start.checked_sub(self.buf_abs).filter(|&l| l <= line_start) {
                    let rows: Vec<&str> = self.buf.slice(last, line_start).split('\n').collect();
                    if rows[..rows.len() - 1].iter().all(|row| row.matches(delim).count() == count) {
                        self.local_row_start = self.buf_abs + line_start;
                        return Some((cached.delimiter, cached.header_line));
                    }
                }
            }
        }
        let above_from = line_start.saturating_sub(LOCAL_TABLE_REACH);
        let above = self.buf.slice(above_from, line_start);
        let mut lines: Vec<&str> = above.split('\n').collect();
        lines.pop();
        if (above_from > 0 || self.buf_abs > 0) && !lines.is_empty() {
            lines.remove(0); // the first piece may be the tail of a longer line
        }
        let top = find_local_header(&lines, delim, count)?;
        let header_text = lines[top].to_string();
        let header_line = self.line_no.saturating_sub(lines.len() - top);
        self.local = Some(LocalTable { delimiter: delim, count, header_line });
        self.local_row_start = self.buf_abs + line_start;
        self.local_columns = fields(&header_text, delim).iter().map(|cell| self.e.words_in(cell)).collect();
        Some((delim, header_line))
    }

    fn examine(&mut self, rule: usize, c: &Candidate) {
        let e = Arc::clone(&self.e);
        let cr = &e.rules[rule];
        let ctx = cr.spec.context;
        self.advance_lines(self.buf_abs + c.start);
        let st = self.structure(c);
        let slot = (rule, st.slot.clone().unwrap_or(Slot::Text));
        if !c.valid {
            // counted for document evidence only: context of an invalid value is never needed
            self.slots.entry(slot).or_default().add(false, None);
            return;
        }
        let (mut left_len, mut right_len) = (0, 0);
        let mut hits: Vec<ContextHit> = if st.kind == "column" {
            self.row_hits(rule, c, st.field_start)
        } else {
            // Words before the value's own label, and from the next label on, belong to other
            // fields. A blank line ends a paragraph: context does not reach across it.
            let from = c.start.saturating_sub(ctx.window).max(st.field_start);
            let mut left = self.buf.slice(from, c.start);
            if let Some(i) = left.rfind("\n\n") {
                left = &left[i + 1..];
            }
            left_len = left.chars().count();
            let right_all = self.buf.slice(c.end, c.end + ctx.window);
            let cut = next_label_start(right_all);
            let mut right: String = right_all.chars().take(cut).collect();
            if let Some(i) = right.find("\n\n") {
                right.truncate(i);
            }
            right_len = right.chars().count();
            let alone = self.stands_alone(c);
            e.around(left, &right, alone)
                .into_iter()
                .filter(|&(k, _, _)| e.keywords[k].rule == rule)
                .map(|(k, distance, same_line)| ContextHit {
                    kind: "keyword".into(),
                    word: e.keywords[k].word.clone(),
                    weight: e.keywords[k].weight,
                    distance,
                    structural: false,
                    scale: if same_line { 1.0 } else { ctx.other_line_factor },
                })
                .collect()
        };
        hits.extend(st.kws.iter().filter(|&&k| e.keywords[k].rule == rule).map(|&k| ContextHit {
            kind: st.kind.into(),
            word: e.keywords[k].word.clone(),
            weight: e.keywords[k].weight,
            distance: st.distance,
            structural: true,
            scale: 1.0,
        }));
        let (mut ctx_score, mut reasons, mut positive) = context_score(&hits, &ctx, cr.spec.structure_factor);
        // a table's column says what its values are; the topic is for free text
        if st.kind != "column" && ctx.topic_window > ctx.window && !hits.iter().any(|h| h.weight > 0.0) {
            if let Some(topic) = self.topic(rule, c, c.start - left_len, right_len) {
                hits.push(topic);
                (ctx_score, reasons, positive) = context_score(&hits, &ctx, cr.spec.structure_factor);
            }
        }
        // a title says what the whole document is about: weaker than any word of the value's own
        let mut title_only = false;
        let mut roster_ok = true;
        let title = self.titles.get(rule).and_then(Clone::clone);
        let against = self.negative_titles.get(rule).and_then(Clone::clone);
        let strong_own = hits.iter().any(|h| h.weight >= TOPIC_MIN_WEIGHT);
        let title_is_against = against.is_some() && title.is_none(); // any telling title wins over one against
        if let (Some(n), true, false) = (&against, title_is_against, strong_own) {
            // the document is about something else (orders, products): its values' check-digit
            // passes are that numbering's, not a roster of My Numbers
            ctx_score -= -n.weight * n.scale;
            reasons.push(format!("negative-title:{}", n.word));
            roster_ok = false;
        } else if let Some(title) = title {
            let own = strongest_positive(&hits, &ctx, cr.spec.structure_factor);
            hits.push(title);
            let (s, r, _) = context_score(&hits, &ctx, cr.spec.structure_factor);
            hits.pop(); // what follows looks at the value's own words only
            if s > ctx_score {
                // a title only ever adds: it never takes the value from a nearer word's side
                (ctx_score, reasons, title_only) = (s, r, own == 0.0);
            }
        }
        self.slots.entry(slot.clone()).or_default().add(true, Some(&c.digits));
        let (form_name, form_score) = &cr.spec.form_info[c.form];
        let mut score = form_score + ctx_score;
        let strongest_negative = hits.iter().filter(|h| h.weight < 0.0).map(|h| -h.weight).fold(0.0, f64::max);
        let mut floorable = roster_ok && strongest_negative <= cr.spec.document.roster_floor_max_negative;
        let mut all_reasons = vec!["check-digit".to_string(), format!("form:{form_name}")];
        all_reasons.extend(reasons);
        if !cr.adjustments.is_empty() {
            let before = self.buf.slice(c.start.saturating_sub(ADJUST_SPAN), c.start);
            let after = self.buf.slice(c.end, c.end + ADJUST_SPAN);
            for adj in &cr.adjustments {
                // An adjustment applies when any of its conditions holds.
                let applies = adj.before.as_ref().is_some_and(|r| r.is_match(before))
                    || adj.after.as_ref().is_some_and(|r| r.is_match(after))
                    || adj.digits.as_ref().is_some_and(|r| r.is_match(&c.digits));
                if applies {
                    floorable = false;
                    score += adj.weight;
                    all_reasons.push(adj.reason.clone());
                }
            }
        }
        self.pending.push_back(Pending {
            rule,
            line: self.line_no,
            column: self.buf_abs + c.start - self.line_start + 1,
            partial: score,
            reasons: all_reasons,
            slot,
            positive,
            digits: c.digits.clone(),
            title_only,
            floorable,
            roster_ok,
        });
    }

    /// Whether nothing but spaces, boxes and punctuation shares the value's line with it.
    fn stands_alone(&self, c: &Candidate) -> bool {
        let Some(line_start) = self.line_start.checked_sub(self.buf_abs) else { return false };
        if c.start - line_start > ALONE_MARGIN {
            return false;
        }
        let after = self.buf.slice(c.end, c.end + ALONE_MARGIN + 1);
        let Some(stop) = after.find('\n') else {
            // no line break within reach: alone only when the text ends there
            return c.end + after.chars().count() == self.buf.len() && bare(after);
        };
        bare(self.buf.slice(line_start, c.start)) && bare(&after[..stop])
    }

    /// Context words in a table row: the row's other cells, searched once per row.
    fn row_hits(&mut self, rule: usize, c: &Candidate, line_start: usize) -> Vec<ContextHit> {
        let e = Arc::clone(&self.e);
        let row_abs = self.buf_abs + line_start;
        if self.row_cache_at != Some(row_abs) {
            let end = self.buf.find_char('\n', c.end).unwrap_or(self.buf.len()).min(line_start + MAX_ROW_CHARS);
            self.row_cache_at = Some(row_abs);
            self.row_cache = e
                .find_words(self.buf.slice(line_start, end))
                .into_iter()
                .map(|(s, en, k)| (s, en, k.to_vec()))
                .collect();
        }
        let window = e.rules[rule].spec.context.window;
        let (start, stop) = (c.start - line_start, c.end - line_start);
        let mut out = Vec::new();
        for (s, en, kws) in &self.row_cache {
            let distance = if *en <= start && start - en <= window {
                start - en
            } else if *s >= stop && s - stop <= window {
                s - stop
            } else {
                continue;
            };
            out.extend(kws.iter().filter(|&&k| e.keywords[k].rule == rule).map(|&k| ContextHit {
                kind: "keyword".into(),
                word: e.keywords[k].word.clone(),
                weight: e.keywords[k].weight,
                distance,
                structural: false,
                scale: 1.0,
            }));
        }
        out
    }

    /// What the conversation is about: the nearest strong positive word outside the value's
    /// context window (`before`: where its left context starts; `right_len`: how far its right
    /// context reaches), within `topic_window` before or after it.
    fn topic(&mut self, rule: usize, c: &Candidate, before: usize, right_len: usize) -> Option<ContextHit> {
        let ctx = self.e.rules[rule].spec.context;
        let (start, end) = (self.buf_abs + c.start, self.buf_abs + c.end);
        self.search_topics(
            start.saturating_sub(ctx.topic_window),
            (end + ctx.topic_window).min(self.buf_abs + self.buf.len()),
        );
        let e = Arc::clone(&self.e);
        // the strongest word wins (個人番号 over the 12桁 after it), then the nearer one; a tie
        // goes to the word before (a question, then its answer)
        let back = self
            .topics
            .before(start.saturating_sub(ctx.topic_window), self.buf_abs + before)
            .map(|w| (w, start - w.end));
        let ahead = self.topics.after(end + right_len, end + ctx.topic_window).map(|w| (w, w.start - end));
        let mut best: Option<(usize, usize)> = None;
        for (w, distance) in back.chain(ahead) {
            for &k in w.keywords.iter().filter(|&&k| e.keywords[k].rule == rule) {
                let better = best.is_none_or(|(b, d)| {
                    let (kw, bw) = (e.keywords[k].weight, e.keywords[b].weight);
                    kw > bw || (kw == bw && distance < d)
                });
                if better {
                    best = Some((k, distance));
                }
            }
        }
        let (k, distance) = best?;
        let kw = &e.keywords[k];
        Some(ContextHit {
            kind: "topic".into(),
            word: kw.word.clone(),
            weight: kw.weight,
            distance,
            structural: true,
            scale: ctx.topic_factor,
        })
    }

    /// Search the text in `reach..to` (absolute) not searched yet for strong positive words:
    /// each piece of a document is searched once, however many values look, and only where a
    /// value looks (text before `reach` is beyond every later value's topic window).
    fn search_topics(&mut self, reach: usize, to: usize) {
        let done = self.topics.searched_to().max(self.buf_abs).max(reach);
        if to <= done {
            return;
        }
        let from = done.saturating_sub(self.e.longest_word).max(self.buf_abs) - self.buf_abs;
        let text = self.buf.slice(from, to - self.buf_abs);
        let e = Arc::clone(&self.e);
        let mut found = Vec::new();
        for (s, en, i) in e.topic_index.find(text) {
            let strong = e.topic_entries[i].clone();
            let (ws, we) = (from + s, from + en);
            let stop = self.buf.find_char('\n', we).unwrap_or(self.buf.len());
            let owns_number = e.owns_a_value(self.buf.slice(we, stop));
            found.push(TopicWord { start: self.buf_abs + ws, end: self.buf_abs + we, keywords: strong, owns_number });
        }
        self.topics.add(to, found);
    }

    fn settle(&mut self, count: usize) -> Vec<Finding> {
        let mut out = Vec::new();
        for _ in 0..count.min(self.pending.len()) {
            let Some(p) = self.pending.pop_front() else { break };
            let rule = &self.e.rules[p.rule].spec;
            let (mut delta, mut why) = match self.slots.get(&p.slot) {
                Some(stats) => slot_evidence(stats, &rule.document),
                None => slot_evidence(&SlotStats::default(), &rule.document),
            };
            if why == Some(Evidence::Roster) && !p.roster_ok {
                delta = 0.0;
                why = None;
            }
            if why == Some(Evidence::Coincidence) && p.positive && p.slot.1 == Slot::Text {
                // free text mixes kinds of numbers: its chance passes say nothing about a
                // value that is introduced as a My Number
                delta = 0.0;
                why = None;
            }
            let mut score = p.partial + delta;
            if why == Some(Evidence::Roster) && p.floorable {
                let floor =
                    self.slots.get(&p.slot).map_or(rule.document.roster_floor, |s| roster_floor(s, &rule.document));
                score = score.max(floor);
            }
            if why == Some(Evidence::Roster) && !p.positive && p.partial < rule.thresholds.high {
                // statistics alone never make a value high: that takes context of its own
                score = score.min(rule.thresholds.high - STATISTICS_MARGIN);
            }
            if p.title_only {
                score = score.min(rule.thresholds.high - STATISTICS_MARGIN);
            }
            let mut reasons = p.reasons;
            if let Some(w) = why {
                reasons.push(w.reason().to_string());
            }
            let mut fingerprint = None;
            if !self.e.known.is_empty() {
                let f = self.e.fingerprint(&p.digits);
                if self.e.known.contains(&f) {
                    score = score.max(KNOWN_NUMBER_SCORE);
                    reasons.push("known-number".into());
                }
                fingerprint = Some(f);
            }
            let score = clamp(score);
            let Some(level) = confidence_of(score, &rule.thresholds) else { continue };
            let fingerprint = fingerprint.unwrap_or_else(|| self.e.fingerprint(&p.digits));
            out.push(Finding {
                rule: p.rule,
                line: p.line,
                column: p.column,
                confidence: level,
                score,
                masked: mask(&p.digits),
                fingerprint,
                reasons,
            });
        }
        out
    }
}
