//! Candidates: runs of digits in the forms a rule allows.
//!
//! A rule's form is a regex (Python syntax in the rule file) whose look-arounds say what may
//! not touch the number: `(?<!{D})` no digit before, `(?!{H}{D})` no hyphen-and-digit after.
//! The regex crate has no look-around and no back-reference, so the rule loader hands each
//! form over decomposed ([`FormSpec`]): the conditions before and after become data, checked
//! here in code; a separator repeated with `{=SEP}` becomes a second capture that must equal
//! the first. The search is leftmost-first like Python's: at each start position the forms
//! are tried in order, the first whose body matches and whose conditions hold is the
//! candidate, and the search goes on after it.

use regex_automata::meta::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};

use crate::checkdigit;

/// A condition on the text next to a position (a look-around of the rule's pattern).
#[derive(Clone, Debug)]
pub struct Around {
    /// The regex (no look-around inside).
    pub pattern: String,
    /// True for `(?=…)` / `(?<=…)`: it must match; false for `(?!…)` / `(?<!…)`: it must not.
    pub positive: bool,
    /// Characters a look-behind spans (look-behinds have a fixed width); unused for look-aheads.
    pub width: usize,
}

/// One form of a rule, decomposed by the loader.
#[derive(Clone, Debug)]
pub struct FormSpec {
    /// The regex of the number itself; a `(?P<NAME_again…>…)` group must equal group `NAME`.
    pub body: String,
    /// Conditions on the text before the start.
    pub behind: Vec<Around>,
    /// Conditions on the text after the end.
    pub ahead: Vec<Around>,
}

/// A run of digits in one of the rule's forms. Offsets are in characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    /// Index into the rule's forms.
    pub form: usize,
    /// The 12 digits as ASCII (never leaves the process).
    pub digits: String,
    pub valid: bool,
}

/// Characters past a candidate's start that its match and boundary checks can read.
pub const MATCH_REACH: usize = 64;

#[derive(Debug)]
struct CompiledAround {
    regex: Regex,
    positive: bool,
    width: usize,
    /// For each ASCII byte: no text that starts with it can match (whatever comes before), so
    /// the condition is settled without running the regex — most text around digits is ASCII.
    dead_first: [bool; 128],
}

/// Which ASCII first bytes no match of `pattern` (anchored, in the core's syntax) can start
/// with, in any context; all false when the DFA is too big to build.
fn dead_first_bytes(pattern: &str) -> [bool; 128] {
    use regex_automata::dfa::{dense, Automaton, StartKind};
    use regex_automata::util::start;
    let mut dead = [false; 128];
    let Ok(dfa) = dense::Builder::new()
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .configure(dense::Config::new().start_kind(StartKind::Anchored).dfa_size_limit(Some(DEAD_DFA_BYTES)))
        .build(pattern)
    else {
        return dead;
    };
    let contexts = std::iter::once(None).chain((0..=255u8).map(Some));
    let starts: Option<Vec<_>> = contexts
        .map(|lb| dfa.start_state(&start::Config::new().anchored(Anchored::Yes).look_behind(lb)).ok())
        .collect();
    let Some(starts) = starts else { return dead };
    for (b, d) in dead.iter_mut().enumerate() {
        let byte = u8::try_from(b).expect("ASCII");
        *d = starts.iter().all(|&s| {
            let next = dfa.next_state(s, byte);
            dfa.is_dead_state(next)
        });
    }
    dead
}

/// Largest DFA built to settle conditions by their first byte.
const DEAD_DFA_BYTES: usize = 1 << 20;

#[derive(Debug)]
struct CompiledForm {
    body: Regex,
    /// (group index, the index of the group it must equal)
    same_as: Vec<(usize, usize)>,
    behind: Vec<CompiledAround>,
    ahead: Vec<CompiledAround>,
}

/// An error in a form, said in the rule author's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError(pub String);

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormError {}

fn compile(pattern: &str, whole: bool) -> Result<Regex, FormError> {
    let pattern = if whole { format!("^(?:{pattern})$") } else { pattern.to_string() };
    Regex::builder()
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .build(&pattern)
        .map_err(|e| FormError(format!("{pattern}: {e}")))
}

fn compile_around(a: &Around, behind: bool) -> Result<CompiledAround, FormError> {
    let whole = if behind { format!("^(?:{})$", a.pattern) } else { a.pattern.clone() };
    Ok(CompiledAround {
        regex: compile(&a.pattern, behind)?,
        positive: a.positive,
        width: a.width,
        dead_first: dead_first_bytes(&whole),
    })
}

/// All forms of one rule, and the guard every candidate start must pass.
#[derive(Debug)]
pub struct CandidateFinder {
    forms: Vec<CompiledForm>,
    start_behind: Vec<CompiledAround>,
    start_ahead: Vec<CompiledAround>,
    /// Every form's body in one unanchored regex: it skips, at automaton speed, the text where
    /// no form can match (most digits of a log are dates and times), and stops at the leftmost
    /// position where one may; there the forms are tried in order with their conditions.
    any_form: Regex,
}

impl CandidateFinder {
    /// Compile a rule's forms and its start guard (look-arounds only, e.g. `(?={D})(?<!{D})`).
    pub fn new(forms: &[FormSpec], start_behind: &[Around], start_ahead: &[Around]) -> Result<Self, FormError> {
        let mut compiled = Vec::with_capacity(forms.len());
        for f in forms {
            let body = compile(&f.body, false)?;
            let names: Vec<Option<&str>> = body.group_info().pattern_names(regex_automata::PatternID::ZERO).collect();
            let mut same_as = Vec::new();
            for (i, name) in names.iter().enumerate() {
                if let Some((base, _)) = name.and_then(|n| n.split_once("_again")) {
                    let j = names
                        .iter()
                        .position(|m| *m == Some(base))
                        .ok_or_else(|| FormError(format!("{}: no group {base} to repeat", f.body)))?;
                    same_as.push((i, j));
                }
            }
            compiled.push(CompiledForm {
                body,
                same_as,
                behind: f.behind.iter().map(|a| compile_around(a, true)).collect::<Result<_, _>>()?,
                ahead: f.ahead.iter().map(|a| compile_around(a, false)).collect::<Result<_, _>>()?,
            });
        }
        let bodies: Vec<&str> = forms.iter().map(|f| f.body.as_str()).collect();
        let any_form = Regex::builder()
            .syntax(syntax::Config::new().unicode(true).utf8(true))
            .build_many(&bodies)
            .map_err(|e| FormError(e.to_string()))?;
        Ok(Self {
            forms: compiled,
            start_behind: start_behind.iter().map(|a| compile_around(a, true)).collect::<Result<_, _>>()?,
            start_ahead: start_ahead.iter().map(|a| compile_around(a, false)).collect::<Result<_, _>>()?,
            any_form,
        })
    }

    /// Candidates starting at characters `pos..endpos` of `text` (None: to the end); text before
    /// `pos` still serves as boundary context, and the search reads at most `MATCH_REACH`
    /// characters past `endpos` (as the Python finder does).
    pub fn find(&self, text: &str, pos: usize, endpos: Option<usize>) -> Vec<Candidate> {
        let pos_byte = byte_of(text, 0, pos);
        let limit_byte = endpos.map_or(text.len(), |e| byte_of(text, pos_byte, e.saturating_sub(pos)));
        let mut counter = CharCounter { byte: 0, chars: 0 };
        self.find_bytes(text, pos_byte, limit_byte)
            .into_iter()
            .map(|c| {
                let start = counter.at(text, c.start);
                let end = counter.at(text, c.end);
                Candidate { start, end, form: c.form, digits: c.digits, valid: c.valid }
            })
            .collect()
    }

    /// As `find`, with byte offsets in and out (the engine keeps its own character index).
    pub fn find_bytes(&self, text: &str, pos_byte: usize, limit_byte: usize) -> Vec<Candidate> {
        let hay_end = byte_of(text, limit_byte, MATCH_REACH);
        let mut caps: Vec<_> = self.forms.iter().map(|f| f.body.create_captures()).collect();
        let mut out = Vec::new();
        let mut at = pos_byte;
        while at < limit_byte {
            let p = match self.any_form.search(&Input::new(&text[..hay_end]).range(at..hay_end)) {
                Some(m) if m.start() < limit_byte => m.start(),
                _ => break,
            };
            if !self.start_ok(text, p, hay_end) {
                at = next_char(text, p);
                continue;
            }
            match self.match_at(text, p, hay_end, &mut caps) {
                Some((form, end)) => {
                    let digits = normalise_digits(&text[p..end]);
                    if digits.len() == checkdigit::LENGTH && !checkdigit::is_trivial(digits.as_bytes()) {
                        let valid = checkdigit::is_valid(digits.as_bytes());
                        out.push(Candidate { start: p, end, form, digits, valid });
                    }
                    at = if end > p { end } else { next_char(text, p) };
                }
                None => at = next_char(text, p),
            }
        }
        out
    }

    fn start_ok(&self, text: &str, p: usize, hay_end: usize) -> bool {
        self.start_behind.iter().all(|a| behind_holds(a, text, p))
            && self.start_ahead.iter().all(|a| ahead_holds(a, text, p, hay_end))
    }

    /// The first form (in rule order) that matches at byte `p` with its conditions: (form, end byte).
    fn match_at(&self, text: &str, p: usize, hay_end: usize, caps: &mut [Captures]) -> Option<(usize, usize)> {
        let hay = &text[..hay_end];
        for (i, f) in self.forms.iter().enumerate() {
            if !f.behind.iter().all(|a| behind_holds(a, text, p)) {
                continue;
            }
            let input = Input::new(hay).range(p..hay_end).anchored(Anchored::Yes);
            let end = if f.same_as.is_empty() {
                match f.body.search(&input) {
                    Some(m) => m.end(),
                    None => continue,
                }
            } else {
                let c = &mut caps[i];
                f.body.search_captures(&input, c);
                let Some(m) = c.get_match() else { continue };
                let same = f.same_as.iter().all(|&(a, b)| match (c.get_group(a), c.get_group(b)) {
                    (Some(x), Some(y)) => hay[x.range()] == hay[y.range()],
                    _ => false,
                });
                if !same {
                    continue;
                }
                m.end()
            };
            if f.ahead.iter().all(|a| ahead_holds(a, text, end, hay_end)) {
                return Some((i, end));
            }
        }
        None
    }
}

/// Character offsets of increasing byte offsets, counted once over the text.
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    fn at(&mut self, text: &str, byte: usize) -> usize {
        let piece = &text.as_bytes()[self.byte..byte];
        // a character starts at every byte that is not a UTF-8 continuation byte
        self.chars += piece.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        self.byte = byte;
        self.chars
    }
}

/// The byte offset `chars` characters after byte `from` (the end of the text at most).
fn byte_of(text: &str, from: usize, chars: usize) -> usize {
    text[from..].char_indices().nth(chars).map_or(text.len(), |(i, _)| from + i)
}

fn behind_holds(a: &CompiledAround, text: &str, p: usize) -> bool {
    let before = &text[..p];
    let matched = a.width > 0
        && before
            .char_indices()
            .rev()
            .nth(a.width - 1)
            .is_some_and(|(i, _)| !dead_at(a, before.as_bytes()[i]) && a.regex.is_match(&before[i..]));
    matched == a.positive
}

fn ahead_holds(a: &CompiledAround, text: &str, p: usize, hay_end: usize) -> bool {
    if p < hay_end && dead_at(a, text.as_bytes()[p]) {
        return !a.positive;
    }
    let input = Input::new(&text[..hay_end]).range(p..hay_end).anchored(Anchored::Yes);
    a.regex.search(&input).is_some() == a.positive
}

/// No match of `a` can start with byte `b`.
fn dead_at(a: &CompiledAround, b: u8) -> bool {
    a.dead_first.get(usize::from(b)).copied().unwrap_or(false)
}

fn next_char(text: &str, p: usize) -> usize {
    p + text[p..].chars().next().map_or(1, char::len_utf8)
}

/// Keep the digits of a match and make them ASCII: `１２３４-５６７８-９０１８` -> `123456789018`.
pub fn normalise_digits(raw: &str) -> String {
    raw.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '\u{FF10}'..='\u{FF19}' => char::from_u32(u32::from(c) - 0xFF10 + u32::from('0')),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "[0-9\\uFF10-\\uFF19]";

    fn around(pattern: &str, positive: bool, width: usize) -> Around {
        Around { pattern: pattern.to_string(), positive, width }
    }

    fn contiguous() -> CandidateFinder {
        let form = FormSpec {
            body: format!("{D}{{12}}"),
            behind: vec![around(D, false, 1)],
            ahead: vec![around(D, false, 0)],
        };
        CandidateFinder::new(&[form], &[around(D, false, 1)], &[around(D, true, 0)]).unwrap()
    }

    #[test]
    fn finds_a_contiguous_number_with_char_offsets() {
        let found = contiguous().find("個人番号：123456789018 です", 0, None);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].start, found[0].end, found[0].valid), (5, 17, true));
        assert_eq!(found[0].digits, "123456789018");
    }

    #[test]
    fn thirteen_digits_are_no_candidate() {
        assert!(contiguous().find("1234567890181", 0, None).is_empty());
    }

    #[test]
    fn full_width_digits_are_normalised() {
        let found = contiguous().find("１２３４５６７８９０１８", 0, None);
        assert_eq!(found[0].digits, "123456789018");
    }

    #[test]
    fn a_repeated_separator_must_be_the_same() {
        let form = FormSpec {
            body: format!("{D}{{4}}(?P<sep0>[ -]){D}{{4}}(?P<sep0_again1>[ -]){D}{{4}}"),
            behind: vec![],
            ahead: vec![],
        };
        let f = CandidateFinder::new(&[form], &[], &[]).unwrap();
        assert_eq!(f.find("1234-5678-9018", 0, None).len(), 1);
        assert!(f.find("1234-5678 9018", 0, None).is_empty());
    }

    #[test]
    fn trivial_values_are_dropped() {
        assert!(contiguous().find("000000000000", 0, None).is_empty());
    }
}
