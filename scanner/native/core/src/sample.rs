//! A small ruleset shaped like the shipped one (its forms, boundaries, adjustments and a few
//! context words of each kind), for the fuzz target and the core's own tests. The real
//! rules come from `rules/*.toml` through the Python loader.

use std::collections::HashSet;
use std::sync::Arc;

use crate::candidates::{Around, FormSpec};
use crate::engine::{AdjustmentSpec, Engine, EngineSpec, Keyword, RuleSpec};
use crate::evidence::DocumentSettings;
use crate::fingerprint::Fingerprinter;
use crate::fold::fold;
use crate::prefilter::CandidateChars;
use crate::scorer::{ContextSettings, Thresholds};

const D: &str = r"[0-9\uFF10-\uFF19]";
const S: &str = r"[ \u3000\u00A0\-\u2010-\u2015\u2212\uFF0D\u30FC\uFF70.]";
const H: &str = r"[\-\u2010-\u2015\u2212\uFF0D\u30FC\uFF70.]";
const W: &str = r"[ \u3000\t]";

/// The shipped rule's `[context]`.
pub const CONTEXT: ContextSettings = ContextSettings {
    window: 64,
    near: 12,
    far_factor: 0.4,
    attenuation: 0.25,
    label_window: 400,
    other_line_factor: 0.6,
    topic_window: 400,
    topic_factor: 0.35,
    title_factor: 0.4,
};

/// The shipped rule's `[document]`.
pub const DOCUMENT: DocumentSettings = DocumentSettings {
    roster_min_distinct: 5,
    roster_min_valid_ratio: 0.8,
    roster_weight: 0.25,
    coincidence_min_values: 8,
    coincidence_max_valid_ratio: 0.35,
    coincidence_weight: -0.5,
    roster_floor: 0.3,
    roster_floor_max_negative: 0.2,
    long_roster_min_distinct: 20,
    long_roster_floor: 0.55,
};

fn not(pattern: String, width: usize) -> Around {
    Around { pattern, positive: false, width }
}

/// The sample engine (fingerprint key `sample`).
pub fn sample_engine() -> Arc<Engine> {
    let forms = vec![
        FormSpec {
            body: format!("{D}{{12}}"),
            behind: vec![not(D.into(), 1), not(r"\+".into(), 1), not(format!("{D}{H}"), 2)],
            ahead: vec![not(D.into(), 0), not(format!("{H}{D}"), 0)],
        },
        FormSpec {
            body: format!("{D}{{4}}(?P<sep1>{S}){D}{{4}}(?P<sep1_again1>{S}){D}{{4}}"),
            behind: vec![not(D.into(), 1), not(r"\+".into(), 1), not(format!("{D}{S}"), 2)],
            ahead: vec![not(D.into(), 0), not(format!("{S}{D}"), 0)],
        },
        FormSpec {
            body: format!("{D}(?:{W}{D}){{11}}"),
            behind: vec![not(D.into(), 1), not(format!("{D}{W}"), 2)],
            ahead: vec![not(D.into(), 0), not(format!("{W}{D}"), 0)],
        },
    ];
    let words: [(&str, f64); 10] = [
        ("マイナンバー", 0.55),
        ("個人番号", 0.55),
        ("my number", 0.55),
        ("扶養控除", 0.3),
        ("番号", 0.1),
        ("法人番号", -0.6),
        ("電話", -0.6),
        ("tel", -0.6),
        ("注文番号", -0.6),
        ("jan", -0.6),
    ];
    let keywords: Vec<Keyword> =
        words.iter().map(|&(w, weight)| Keyword { rule: 0, word: w.to_string(), weight }).collect();
    let rule = RuleSpec {
        id: "sample".into(),
        forms,
        form_info: vec![("contiguous".into(), 0.35), ("grouped-4-4-4".into(), 0.45), ("spaced-digits".into(), 0.45)],
        start_behind: vec![not(D.into(), 1)],
        start_ahead: vec![Around { pattern: D.into(), positive: true, width: 0 }],
        context: CONTEXT,
        structure_factor: 1.0,
        adjustments: vec![
            AdjustmentSpec {
                reason: "adjust:amount".into(),
                weight: -0.6,
                before: Some(r"(?i)[¥￥$＄]\s*(?:\n?\z)".into()),
                after: Some(r"(?i)^\s*(?:円|yen|jpy|万)".into()),
                digits: None,
            },
            AdjustmentSpec {
                reason: "adjust:part-of-token".into(),
                weight: -0.5,
                before: Some(r"(?i)[A-Za-z_/#@%&?](?:\n?\z)".into()),
                after: Some(r"(?i)^(?:[A-Za-z_@%]|\.[A-Za-z])".into()),
                digits: None,
            },
        ],
        thresholds: Thresholds { low: 0.3, medium: 0.55, high: 0.75 },
        document: DOCUMENT,
    };
    let spec = EngineSpec {
        rules: vec![rule],
        keyword_forms: keywords.iter().map(|k| fold(&k.word)).collect(),
        keyword_entries: (0..keywords.len()).map(|i| vec![i]).collect(),
        keywords,
        transparent_labels: ["value", "data", "text"].iter().map(|s| s.to_string()).collect(),
        label_keys: ["question", "label"].iter().map(|s| s.to_string()).collect(),
        known: HashSet::new(),
        prefilter: Some(CandidateChars {
            digits: "0123456789０１２３４５６７８９".into(),
            separators: " \u{3000}\u{00A0}-\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2015}\u{2212}－ー\u{FF70}.\t"
                .into(),
            gap: 1,
        }),
    };
    let fingerprinter = Fingerprinter::new(b"sample").expect("a key");
    Arc::new(Engine::new(spec, fingerprinter).expect("the sample ruleset compiles"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Document;
    use proptest::prelude::*;

    #[test]
    fn the_sample_engine_finds_a_labelled_number() {
        let mut doc = Document::new(sample_engine());
        let mut found = doc.feed("個人番号：123456789018\n", None);
        found.extend(doc.close());
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].column, found[0].masked.as_str()), (1, 6, "********9018"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_text_in_any_pieces_scans_without_a_panic(
            text in "(個人番号|：|,|\\|| |\n|\t|[0-9]{1,13}|１２３|-|\"my_number\": \"|<a>|【|】|\\\\u500b|あ|a){0,60}",
            step in 1usize..50,
        ) {
            let mut doc = Document::new(sample_engine());
            let chars: Vec<char> = text.chars().collect();
            for piece in chars.chunks(step) {
                let s: String = piece.iter().collect();
                doc.feed(&s, None);
            }
            doc.close();
        }
    }
}
