//! Python's text semantics that the ported detection code relies on, so the core decides as
//! the Python engine did: `str.isspace`/`strip`, `str.splitlines`, and one line read by
//! `csv.reader` (excel dialect, `strict=False`), state for state as CPython's `_csv.c`.

/// `str.isspace` for one character (it differs from Unicode White_Space: U+001C..U+001F count).
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | '\u{1C}'..='\u{1F}' | ' ' | '\u{85}' | '\u{A0}' | '\u{1680}'
            | '\u{2000}'..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// `str.strip()`.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `str.splitlines()`: lines without their ends; every line boundary Python knows.
pub fn splitlines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let boundary = matches!(
            c,
            '\n' | '\r' | '\u{B}' | '\u{C}' | '\u{1C}' | '\u{1D}' | '\u{1E}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        );
        if boundary {
            out.push(&s[start..i]);
            let mut next = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(j, '\n')) = it.peek() {
                    it.next();
                    next = j + 1;
                }
            }
            start = next;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    InField,
    InQuotedField,
    QuoteInQuotedField,
    EatCrnl,
}

/// The fields `csv.reader([line], delimiter=…)` gives, or None where it raises `csv.Error`
/// (a line break inside an unquoted field). The field size limit (131,072) is not checked:
/// the lines read are shorter.
pub fn csv_fields(line: &str, delimiter: char) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut state = State::StartRecord;
    // every character, then the end of the line (None)
    for c in line.chars().map(Some).chain(std::iter::once(None)) {
        let is_crnl = matches!(c, Some('\n') | Some('\r'));
        loop {
            match state {
                State::StartRecord => {
                    if c.is_none() {
                        return Some(fields); // an empty line
                    }
                    if is_crnl {
                        state = State::EatCrnl;
                        break;
                    }
                    state = State::StartField;
                    continue; // the character starts the first field
                }
                State::StartField => {
                    if is_crnl || c.is_none() {
                        fields.push(std::mem::take(&mut field));
                        state = if c.is_none() { State::StartRecord } else { State::EatCrnl };
                    } else if c == Some('"') {
                        state = State::InQuotedField;
                    } else if c == Some(delimiter) {
                        fields.push(std::mem::take(&mut field));
                    } else if let Some(ch) = c {
                        field.push(ch);
                        state = State::InField;
                    }
                }
                State::InField => {
                    if is_crnl || c.is_none() {
                        fields.push(std::mem::take(&mut field));
                        state = if c.is_none() { State::StartRecord } else { State::EatCrnl };
                    } else if c == Some(delimiter) {
                        fields.push(std::mem::take(&mut field));
                        state = State::StartField;
                    } else if let Some(ch) = c {
                        field.push(ch);
                    }
                }
                State::InQuotedField => match c {
                    None => {}
                    Some('"') => state = State::QuoteInQuotedField,
                    Some(ch) => field.push(ch),
                },
                State::QuoteInQuotedField => {
                    if c == Some('"') {
                        field.push('"');
                        state = State::InQuotedField;
                    } else if c == Some(delimiter) {
                        fields.push(std::mem::take(&mut field));
                        state = State::StartField;
                    } else if is_crnl || c.is_none() {
                        fields.push(std::mem::take(&mut field));
                        state = if c.is_none() { State::StartRecord } else { State::EatCrnl };
                    } else if let Some(ch) = c {
                        field.push(ch); // strict=False: the quote closed early, the rest is the field
                        state = State::InField;
                    }
                }
                State::EatCrnl => {
                    if is_crnl {
                    } else if c.is_none() {
                        state = State::StartRecord;
                    } else {
                        return None; // "new-line character seen in unquoted field"
                    }
                }
            }
            break;
        }
    }
    // the input ended inside a quoted field: strict=False keeps what was read
    if state == State::InQuotedField || (state != State::StartRecord && state != State::EatCrnl && !field.is_empty()) {
        fields.push(field);
    }
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(line: &str) -> Option<Vec<String>> {
        csv_fields(line, ',')
    }

    fn v(items: &[&str]) -> Option<Vec<String>> {
        Some(items.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn csv_reads_one_line_as_python_does() {
        assert_eq!(f("a,\"bc"), v(&["a", "bc"]));
        assert_eq!(f("a,\"b\"c,d"), v(&["a", "bc", "d"]));
        assert_eq!(f("a\"b,c"), v(&["a\"b", "c"]));
        assert_eq!(f("\"a\"\"b\",c"), v(&["a\"b", "c"]));
        assert_eq!(f("a,"), v(&["a", ""]));
        assert_eq!(f(""), v(&[]));
        assert_eq!(f("\""), v(&[""]));
        assert_eq!(f("\"a\" ,b"), v(&["a ", "b"]));
        assert_eq!(f("a,b\r"), v(&["a", "b"]));
        assert_eq!(f("a\rb"), None);
    }

    #[test]
    fn splitlines_knows_every_boundary() {
        assert_eq!(splitlines("a\r\nb\rc\u{2028}d\n"), vec!["a", "b", "c", "d"]);
        assert_eq!(splitlines(""), Vec::<&str>::new());
        assert_eq!(splitlines("a\n\nb"), vec!["a", "", "b"]);
    }
}
