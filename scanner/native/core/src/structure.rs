//! Structure as context: table columns, JSON keys, form labels, XML elements.
//!
//! A value under a column headed 個人番号, after a key `"my_number":` or after a label
//! 「個人番号：」 belongs to that header, however far away the header is. Ported from the
//! Python engine's `structure.py` (issue 10); offsets and lengths are in characters.
//!
//! The label before a value is defined by a *reverse* regex (the Python engine's, matched right
//! to left) anchored where the label ends. The label pattern is written here reversed (each
//! alternative's items in reverse order) and matched forwards over the text read backwards: a
//! backtracking engine matching right to left tries the items in exactly that order. The text
//! is not copied reversed: a lazy DFA is fed the characters from the label ending backwards
//! (each character's bytes in their own order), as many as the match needs.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::LazyLock;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::meta::Regex;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

use crate::pytext::{csv_fields, splitlines, strip};

/// Lines from the start of a document examined to decide whether it is a table.
pub const TABLE_SNIFF_LINES: usize = 50;
/// Rows (header included) with the same field count needed to call a document a table.
pub const TABLE_MIN_ROWS: usize = 2;
/// Share of sniffed lines that must have the table's field count.
pub const TABLE_MIN_CONSISTENCY: f64 = 0.6;
/// Delimiters of whole-document tables, in the order they are tried.
pub const DELIMITERS: [char; 4] = [',', '\t', ';', '|'];
/// A header cell is a short name; longer text makes the row data or prose.
pub const HEADER_MAX_CELL: usize = 40;
/// Delimiters of tables inside other text (Markdown, pasted TSV/CSV) and the fewest per line.
pub const LOCAL_TABLE_DELIMITERS: [(char, usize); 3] = [('|', 2), ('\t', 1), (',', 2)];
/// Label endings tried, nearest first, before giving up on finding a label.
pub const MAX_LABEL_TRIES: usize = 12;
/// Characters stripped from what follows a label on its line before deciding it has a value of its own.
const OPENERS: &[char] = &[' ', '\t', '\u{3000}', '\r', '{', '[', '(', '（', '"', '\''];
/// Every label ends in one of these.
const LABEL_ENDS: &[char] = &[':', '：', '=', '>', '】', ']', '］', '〕', '\n'];

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("built-in pattern {pattern}: {e}"))
}

static LONG_DIGITS: LazyLock<Regex> = LazyLock::new(|| re(r"[0-9\uFF10-\uFF19]{6,}"));
static LETTER: LazyLock<Regex> = LazyLock::new(|| re(r"[^\W\d_]"));
static DIGIT: LazyLock<Regex> = LazyLock::new(|| re(r"\d"));
static MARKDOWN_RULE: LazyLock<Regex> = LazyLock::new(|| re(r"^[\s|:\-=+]+$"));
static NEXT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r#""(?:[^"\\\n]|\\.){1,64}"\s*:"#,
        r"|<[A-Za-z_][\w.:-]{0,40}(?:\s[^<>\n]{0,200})?>",
        r"|[【\[［〔][^】\]］〕\n]{1,24}[】\]］〕]",
        r#"|[^\s:：=,，、;；|"'<>\[\]【】「」()（）{}0-9\uFF10-\uFF19]{1,24}[ \t\u3000]*[:：=]"#,
    ))
});
/// `structure.LABEL_PATTERN`'s alternatives, in its order, each reversed for reversed text,
/// with the label ending each one starts with (in the reversed text). Anchored at an
/// ending, the first alternative that matches is the one Python's regex chooses; each is a
/// lazy DFA (no capture groups: the label's text is cut from the match by `label_text`, as
/// the group would have it).
static LABEL_ALTERNATIVES: LazyLock<[(LabelGroup, &[char], DFA); 5]> = LazyLock::new(|| {
    [
        (LabelGroup::Json, &[':'][..], label_dfa(r#":\s*"(?:[^"\\\n]|.\\){1,64}""#)),
        (LabelGroup::Xml, &['>'][..], label_dfa(r">(?:[^<>\n]{0,200}\s)?[\w.:-]{0,40}[A-Za-z_]<")),
        (LabelGroup::Bracket, &['】', ']', '］', '〕'][..], label_dfa(r"[】\]］〕][^】\]］〕\n]{1,24}[【\[［〔]")),
        (
            LabelGroup::Kv,
            &[':', '：', '='][..],
            label_dfa(concat!(
                r#"[:：=][ \t\u3000]*(?:[^\s:：=,，、;；|"'<>\[\]【】「」()（）{}]{1,24} ){0,3}"#,
                r#"[^\s:：=,，、;；|"'<>\[\]【】「」()（）{}]{1,24}"#
            )),
        ),
        (
            LabelGroup::Line,
            &['\n'][..],
            label_dfa(r"\n\r?[ \t\u3000]*[^\d\uFF10-\uFF19\n:：\-*・•]{1,16}?[ \t\u3000]*(?m:$)"),
        ),
    ]
});

fn label_dfa(pattern: &str) -> DFA {
    DFA::builder()
        .configure(DFA::config().match_kind(MatchKind::LeftmostFirst))
        .build(pattern)
        .unwrap_or_else(|e| panic!("built-in pattern {pattern}: {e}"))
}

thread_local! {
    /// Each label alternative's lazy DFA cache, per thread (scans run on many threads).
    static LABEL_CACHES: RefCell<Vec<Cache>> =
        RefCell::new(LABEL_ALTERNATIVES.iter().map(|(_, _, dfa)| dfa.create_cache()).collect());
}

/// Where the leftmost-first match of `dfa`, anchored at `end` and run over `text[..end]` read
/// backwards (characters from the last, each one's bytes in order), ends — as a byte offset of
/// `text`, the label's first byte; the same match as the DFA gives on the reversed text.
fn match_backwards(dfa: &DFA, cache: &mut Cache, text: &str, end: usize) -> Option<usize> {
    // A DFA reports a match one byte late, and at the end of input on its own transition.
    // The cache never gives up (no minimum clear count is configured), so its errors are None.
    let config = start::Config::new().anchored(Anchored::Yes);
    let mut sid = dfa.start_state(cache, &config).ok()?;
    let mut found = None;
    let mut utf8 = [0; 4];
    for (at, c) in text[..end].char_indices().rev() {
        let at_end = at + c.len_utf8();
        for (k, &b) in c.encode_utf8(&mut utf8).as_bytes().iter().enumerate() {
            sid = dfa.next_state(cache, sid, b).ok()?;
            if sid.is_tagged() {
                if sid.is_match() {
                    // a match always ends at a character boundary of the reversed text
                    if k == 0 {
                        found = Some(at_end);
                    }
                } else if sid.is_dead() || sid.is_quit() {
                    return found;
                }
            }
        }
    }
    sid = dfa.next_eoi_state(cache, sid).ok()?;
    if sid.is_match() {
        found = Some(0);
    }
    found
}

/// Compile the built-in patterns now rather than at the first value (an engine calls this when
/// it is built, so forked workers inherit them compiled and no scan pays for it).
pub fn compile_patterns() {
    for p in [&LONG_DIGITS, &LETTER, &DIGIT, &MARKDOWN_RULE, &NEXT_LABEL] {
        LazyLock::force(p);
    }
    LazyLock::force(&LABEL_ALTERNATIVES);
}

/// Which alternative of the label pattern matched (Python's group names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LabelGroup {
    Json,
    Xml,
    Bracket,
    Kv,
    Line,
}

/// The label's text (the named group) in a reversed match `m` of alternative `group`, up to
/// characters at its ends that `strip` removes anyway.
fn label_text(group: LabelGroup, m: &str) -> &str {
    let inner = |skip_front: usize, skip_back: usize| {
        let mut it = m.char_indices();
        let start = it.nth(skip_front).map_or(m.len(), |(i, _)| i);
        let end = if skip_back == 0 { m.len() } else { m.char_indices().next_back().map_or(0, |(i, _)| i) };
        &m[start..end.max(start)]
    };
    match group {
        // :\s*"…" : between the first quote and the last character (the other quote)
        LabelGroup::Json => {
            let q = m.find('"').map_or(m.len(), |i| i + 1);
            let end = m.len() - 1;
            &m[q..end.max(q)]
        }
        // >attributes\s name< : the name holds no whitespace, and the greedy attributes end
        // at the last whitespace
        LabelGroup::Xml => {
            let body = inner(1, 1);
            match body.char_indices().rfind(|(_, c)| c.is_whitespace()) {
                Some((i, c)) => &body[i + c.len_utf8()..],
                None => body,
            }
        }
        LabelGroup::Bracket => inner(1, 1),
        // the separator, then spaces (stripped later) and the words
        LabelGroup::Kv => inner(1, 0),
        // the line break (and \r; spaces are stripped later)
        LabelGroup::Line => inner(1, 0).trim_start_matches('\r'),
    }
}

/// A delimited table found at the start of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableLayout {
    pub delimiter: char,
    /// 0-based line index of the header row.
    pub header_line: usize,
    /// Header cells as written.
    pub header: Vec<String>,
}

/// The label a value sits under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub text: String,
    /// `key` for a JSON key or XML element, `label` otherwise (shown in reasons).
    pub kind: &'static str,
    /// Characters between the end of the label and the value.
    pub distance: usize,
    /// Characters the label itself takes (with its quotes, brackets or colon).
    pub length: usize,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The cells of one line: as `csv` reads it, or split at the delimiter where `csv` refuses it.
pub fn fields(line: &str, delimiter: char) -> Vec<String> {
    csv_fields(line, delimiter).unwrap_or_else(|| line.split(delimiter).map(str::to_string).collect())
}

/// Short cells with words, none of them a number: 氏名,個人番号 but not 09:14,森,年末調整で…
pub fn looks_like_header(cells: &[String]) -> bool {
    let filled = cells.iter().filter(|c| !strip(c).is_empty()).count();
    if filled < 2 || (filled as f64) < cells.len() as f64 * 0.6 {
        return false;
    }
    let mut lettered = 0;
    for c in cells {
        let c = strip(c);
        if chars(c) > HEADER_MAX_CELL || LONG_DIGITS.is_match(c) {
            return false;
        }
        if LETTER.is_match(c) {
            lettered += 1;
        } else if DIGIT.is_match(c) {
            return false; // a time, a count, a date: a data row
        }
    }
    lettered >= (cells.len() / 2).max(1)
}

/// Decide from the first lines whether the document is a delimited table, and find its header.
pub fn detect_table(head: &str) -> Option<TableLayout> {
    let trimmed = head.trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with(['{', '[', '<']) {
        return None; // JSON, XML, HTML: keys and tags are the structure
    }
    let mut lines: Vec<&str> = splitlines(head).into_iter().take(TABLE_SNIFF_LINES).collect();
    if !head.is_empty() && !head.ends_with(['\n', '\r']) && lines.len() > 1 {
        lines.pop(); // the last line may be cut short
    }
    let mut best: Option<TableLayout> = None;
    let mut best_rows = 0;
    for delim in DELIMITERS {
        let counted: Vec<(usize, Vec<String>)> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !strip(l).is_empty())
            .map(|(i, l)| (i, fields(l, delim)))
            .collect();
        let counts: Vec<usize> = counted.iter().map(|(_, f)| f.len()).filter(|&n| n > 1).collect();
        if counts.len() < TABLE_MIN_ROWS {
            continue;
        }
        let mut distinct: Vec<usize> = counts.clone();
        distinct.sort_unstable();
        distinct.dedup();
        // the most frequent field count; a tie goes to the fewer fields (as the Python)
        let mut modal = distinct[0];
        let mut rows = 0;
        for &n in &distinct {
            let c = counts.iter().filter(|&&x| x == n).count();
            if c > rows {
                modal = n;
                rows = c;
            }
        }
        if rows < TABLE_MIN_ROWS || (rows as f64 / counted.len() as f64) < TABLE_MIN_CONSISTENCY || rows <= best_rows {
            continue;
        }
        // the first line may have more fields than the rows: a sheet's rows drop their empty last cells
        let first = counted.first().map(|(i, _)| *i);
        let fits = |i: usize, n: usize| n == modal || (Some(i) == first && n > modal);
        if let Some((i, f)) = counted.iter().find(|(i, f)| fits(*i, f.len()) && looks_like_header(f)) {
            best = Some(TableLayout { delimiter: delim, header_line: *i, header: f.clone() });
            best_rows = rows;
        }
    }
    best
}

/// 0-based column of a value whose line starts with `line_prefix` (quotes respected).
pub fn column_of(line_prefix: &str, delimiter: char) -> usize {
    if !line_prefix.contains('"') {
        return line_prefix.matches(delimiter).count();
    }
    fields(line_prefix, delimiter).len().saturating_sub(1)
}

/// Where the next field's label starts in the text after a value (its length if none).
pub fn next_label_start(after: &str) -> usize {
    match NEXT_LABEL.find(after) {
        Some(m) => chars(&after[..m.start()]),
        None => chars(after),
    }
}

/// How labels are compared with `transparent_labels`: case, `_`, `-` and spaces ignored.
pub fn label_key(text: &str) -> String {
    text.to_lowercase().chars().filter(|c| !matches!(c, '_' | '-' | ' ')).collect()
}

/// The label the value after `before` sits under, if any.
///
/// The nearest label wins, except a label on an earlier line that already has a value of its
/// own after it (`受付日時：2026/11/26`), and a generic key such as `"value":` (in
/// `transparent`, as `label_key`s) that only wraps the value of the key above it. When that key
/// above is one of `label_keys` (`"question": "個人番号", "value": "…"`, as form builders export
/// answers), its string value is the label.
pub fn nearest_label(before: &str, transparent: &HashSet<String>, label_keys: &HashSet<String>) -> Option<Label> {
    let mut wrapped = false; // a transparent key was passed over
                             // Label endings are tried nearest first, reading backwards; at most MAX_LABEL_TRIES.
    let mut tries = 0;
    for (distance, (at, ending)) in before.char_indices().rev().enumerate() {
        if !LABEL_ENDS.contains(&ending) {
            continue;
        }
        if tries >= MAX_LABEL_TRIES {
            return None;
        }
        tries += 1;
        let end_byte = at + ending.len_utf8();
        let matched = LABEL_CACHES.with_borrow_mut(|caches| {
            LABEL_ALTERNATIVES
                .iter()
                .zip(caches.iter_mut())
                .filter(|((_, starts, _), _)| starts.contains(&ending))
                .find_map(|((group, _, dfa), cache)| {
                    match_backwards(dfa, cache, before, end_byte).map(|start| (*group, start))
                })
        });
        let Some((group, start)) = matched else { continue };
        let reversed: String = before[start..end_byte].chars().rev().collect();
        let text: String = label_text(group, &reversed).chars().rev().collect();
        let text = strip(&text).to_string();
        if !transparent.is_empty() && transparent.contains(&label_key(&text)) {
            wrapped = true;
            continue;
        }
        if group != LabelGroup::Line {
            let rest = &before[end_byte..];
            if let Some(stop) = rest.find('\n') {
                if !rest[..stop].trim_matches(OPENERS).is_empty() {
                    if let Some(named) =
                        (wrapped && group == LabelGroup::Json && label_keys.contains(&label_key(&text)))
                            .then(|| json_string_value(&rest[..stop]))
                            .flatten()
                    {
                        return Some(Label { text: named, kind: "label", distance, length: chars(&reversed) });
                    }
                    continue;
                }
            }
        }
        let kind = if matches!(group, LabelGroup::Json | LabelGroup::Xml) { "key" } else { "label" };
        return Some(Label { text, kind, distance, length: chars(&reversed) });
    }
    None
}

/// The string after a JSON key's colon (`: "個人番号",` → `個人番号`), if it is one.
fn json_string_value(rest: &str) -> Option<String> {
    let inner = rest.trim_start().strip_prefix('"')?;
    let end = inner.find('"')?;
    let value = strip(&inner[..end]);
    (!value.is_empty()).then(|| value.to_string())
}

/// The delimiter (and count per line) that makes `line` a table row, if any.
pub fn local_table_delimiter(line: &str) -> Option<(char, usize)> {
    LOCAL_TABLE_DELIMITERS.iter().find_map(|&(d, least)| {
        let n = line.matches(d).count();
        (n >= least).then_some((d, n))
    })
}

/// Index in `lines_above` (nearest last) of the header of the row block they end with.
///
/// Walks up while lines have the same number of delimiters (Markdown rule lines such as
/// `|---|---|` included); the top line of that block is the header if it looks like one.
pub fn find_local_header(lines_above: &[&str], delimiter: char, count: usize) -> Option<usize> {
    let mut top = None;
    for i in (0..lines_above.len()).rev() {
        if lines_above[i].matches(delimiter).count() != count {
            break;
        }
        top = Some(i);
    }
    let top = top?;
    let line = lines_above[top];
    if MARKDOWN_RULE.is_match(line) {
        return None;
    }
    looks_like_header(&fields(line, delimiter)).then_some(top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_with_a_header_is_a_table() {
        let t = detect_table("氏名,個人番号\n山田,123456789018\n佐藤,123456789018\n").unwrap();
        assert_eq!((t.delimiter, t.header_line), (',', 0));
        assert_eq!(t.header, vec!["氏名", "個人番号"]);
    }

    #[test]
    fn json_is_never_a_table() {
        assert!(detect_table("{\"a\": 1,\n\"b\": 2}\n").is_none());
    }

    #[test]
    fn the_nearest_label_is_found() {
        let none = HashSet::new();
        let l = nearest_label("氏名：山田\n個人番号：", &none, &none).unwrap();
        assert_eq!((l.text.as_str(), l.kind, l.distance), ("個人番号", "label", 0));
        let k = nearest_label("{\"my_number\": \"", &none, &none).unwrap();
        assert_eq!((k.text.as_str(), k.kind, k.distance, k.length), ("my_number", "key", 2, 12));
    }

    #[test]
    fn a_question_key_labels_the_answer_after_it() {
        let value: HashSet<String> = ["value".to_string()].into();
        let question: HashSet<String> = ["question".to_string()].into();
        let l = nearest_label("{\n  \"question\": \"個人番号\",\n  \"value\": \"", &value, &question).unwrap();
        assert_eq!((l.text.as_str(), l.kind), ("個人番号", "label"));
        let plain = nearest_label("{\n  \"question\": \"個人番号\",\n  \"value\": \"", &value, &value);
        assert!(plain.is_none_or(|l| l.text != "個人番号")); // not a label key: its value names nothing
    }

    #[test]
    fn a_label_with_its_own_value_is_passed_over() {
        let none = HashSet::new();
        assert!(nearest_label("受付日時：2026/11/26\n", &none, &none).is_none_or(|l| l.text != "受付日時"));
    }

    #[test]
    fn column_of_counts_delimiters_outside_quotes() {
        assert_eq!(column_of("a,b,", ','), 2);
        assert_eq!(column_of("\"a,b\",", ','), 1);
    }
}
