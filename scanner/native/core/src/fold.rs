//! Length-preserving folding of text for keyword matching.
//!
//! Keywords must match regardless of case and character width (ＭＹ ＮＵＭＢＥＲ, ﾏｲﾅﾝﾊﾞｰ,
//! My_Number). Every fold maps one character to exactly one character, so an offset in
//! folded text (in characters) is the same offset in the original. Ported from the Python
//! engine (issue 10); the keyword forms are folded by this function too (`scanner._native.fold`):
//! lower case as Python's `str.lower` (whole text, so a final
//! sigma is ς), keeping a character whose lower case is longer (only U+0130), then full-width
//! ASCII narrowed, half-width katakana widened (NFKC of each) and `_`, U+3000, U+00A0, tab
//! made spaces.

/// NFKC of U+FF61..=U+FF9F (half-width katakana and punctuation), one character each.
pub const HALFWIDTH_KANA: [char; 63] = [
    '\u{3002}', '\u{300C}', '\u{300D}', '\u{3001}', '\u{30FB}', '\u{30F2}', '\u{30A1}', '\u{30A3}', '\u{30A5}',
    '\u{30A7}', '\u{30A9}', '\u{30E3}', '\u{30E5}', '\u{30E7}', '\u{30C3}', '\u{30FC}', '\u{30A2}', '\u{30A4}',
    '\u{30A6}', '\u{30A8}', '\u{30AA}', '\u{30AB}', '\u{30AD}', '\u{30AF}', '\u{30B1}', '\u{30B3}', '\u{30B5}',
    '\u{30B7}', '\u{30B9}', '\u{30BB}', '\u{30BD}', '\u{30BF}', '\u{30C1}', '\u{30C4}', '\u{30C6}', '\u{30C8}',
    '\u{30CA}', '\u{30CB}', '\u{30CC}', '\u{30CD}', '\u{30CE}', '\u{30CF}', '\u{30D2}', '\u{30D5}', '\u{30D8}',
    '\u{30DB}', '\u{30DE}', '\u{30DF}', '\u{30E0}', '\u{30E1}', '\u{30E2}', '\u{30E4}', '\u{30E6}', '\u{30E8}',
    '\u{30E9}', '\u{30EA}', '\u{30EB}', '\u{30EC}', '\u{30ED}', '\u{30EF}', '\u{30F3}', '\u{3099}', '\u{309A}',
];

/// One character after lower-casing: width folded, space-like characters made spaces.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF3F}' | '_' | '\u{3000}' | '\u{A0}' | '\t' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase()),
        '\u{FF61}'..='\u{FF9F}' => HALFWIDTH_KANA[(u32::from(c) - 0xFF61) as usize],
        _ => c,
    }
}

/// The only character whose lower case depends on the characters around it.
const CAPITAL_SIGMA: char = '\u{03A3}';

/// Kana, kanji and CJK punctuation have no case: no table lookup for them.
fn caseless(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9FFF}')
}

fn single_lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Lower-case, narrow full-width ASCII, widen half-width kana; as many characters as `text`.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text
            .bytes()
            .map(|b| if b == b'_' || b == b'\t' { ' ' } else { char::from(b.to_ascii_lowercase()) })
            .collect();
    }
    if text.contains(CAPITAL_SIGMA) {
        // Σ lower-cases by its context (ς at the end of a word), as Python's str.lower does
        let low = text.to_lowercase();
        if low.chars().count() == text.chars().count() {
            return low.chars().map(fold_width).collect();
        }
    }
    // Without Σ, lower-casing the whole text is lower-casing each character; a character
    // whose lower case is longer (İ) keeps the text's length only if it is left as it is,
    // which Python's fold does for the whole text in that case, and which changes nothing
    // for the other characters.
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().map(|c| {
        if c.is_ascii() {
            fold_width(c.to_ascii_lowercase()) // the common case: no case table
        } else {
            fold_width(if caseless(c) { c } else { single_lower(c) })
        }
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_and_case_fold_to_one_form() {
        assert_eq!(fold("ＭＹ　ＮＵＭＢＥＲ"), "my number");
        assert_eq!(fold("ﾏｲﾅﾝﾊﾞｰ"), "マイナンハ\u{3099}ー");
        assert_eq!(fold("My_Number\tNo"), "my number no");
    }

    #[test]
    fn folding_keeps_the_length_in_characters() {
        for s in ["İstanbul 個人番号", "ΟΔΟΣ", "ﾊﾞ", "Ａ＿Ｂ"] {
            assert_eq!(fold(s).chars().count(), s.chars().count(), "{s}");
        }
    }
}
