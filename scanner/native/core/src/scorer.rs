//! The evidence around one candidate into a score in 0..1 and its reasons.
//!
//! score = form score + strongest positive context - strongest negative context
//!         + adjustments + document evidence, clamped to 0..1.
//! Context words fade with distance (full within `near`, down to `far_factor` at `window`);
//! structural context (column header, JSON key, label) counts in full wherever it is.
//! Whichever side's word is nearest owns the value: the other side's strongest word keeps
//! only `attenuation` of its weight. Ported operation for operation from the Python engine
//! (issue 10), so the floating-point results are the same as they were.

/// How far and how strongly context words count (a rule's `[context]`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContextSettings {
    pub window: usize,
    pub near: usize,
    pub far_factor: f64,
    pub attenuation: f64,
    pub label_window: usize,
    /// Share of a nearby word's weight that counts when a line break separates it from the value.
    pub other_line_factor: f64,
    /// How far back a positive word still says what the conversation is about.
    pub topic_window: usize,
    /// Share of such a topic word's weight that counts.
    pub topic_factor: f64,
    /// Share of a strong word's weight that counts when it is in a title of the document (its
    /// file name, sheet, the subject of the mail it came with): never enough for high alone.
    pub title_factor: f64,
}

/// Lowest score of each confidence level; below `low` nothing is reported.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    pub low: f64,
    pub medium: f64,
    pub high: f64,
}

/// Confidence levels, ordered so that `>=` compares them (as the Python `Confidence`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    Low = 1,
    Medium = 2,
    High = 3,
}

/// One piece of context: a word nearby or a structural header, with its signed weight.
#[derive(Clone, Debug, PartialEq)]
pub struct ContextHit {
    /// `keyword`, `column`, `key`, `label` or `topic` (shown in reasons).
    pub kind: String,
    pub word: String,
    pub weight: f64,
    pub distance: usize,
    pub structural: bool,
    /// Share of the weight that counts: less across a line break, or for the conversation's topic.
    pub scale: f64,
}

/// How much of a nearby word's weight counts at `distance` characters.
pub fn fade(distance: usize, s: &ContextSettings) -> f64 {
    if distance <= s.near {
        return 1.0;
    }
    if distance >= s.window {
        return if distance == s.window { s.far_factor } else { 0.0 };
    }
    let span = (s.window - s.near) as f64;
    s.far_factor + (1.0 - s.far_factor) * (s.window - distance) as f64 / span
}

fn strongest<'a>(
    hits: &'a [ContextHit],
    positive: bool,
    s: &ContextSettings,
    factor: f64,
) -> (f64, Option<&'a ContextHit>) {
    let mut best = 0.0;
    let mut best_hit: Option<&ContextHit> = None;
    for h in hits {
        if (h.weight > 0.0) != positive || h.weight == 0.0 {
            continue;
        }
        let value = h.weight.abs() * h.scale * if h.structural { factor } else { fade(h.distance, s) };
        if value > best || (value == best && best_hit.is_some_and(|b| h.distance < b.distance)) {
            best = value;
            best_hit = Some(h);
        }
    }
    (best, best_hit)
}

/// What the strongest positive hit of `hits` contributes.
pub fn strongest_positive(hits: &[ContextHit], s: &ContextSettings, structure_factor: f64) -> f64 {
    strongest(hits, true, s, structure_factor).0
}

/// Net context contribution, its reasons, and whether positive context was present.
pub fn context_score(hits: &[ContextHit], s: &ContextSettings, structure_factor: f64) -> (f64, Vec<String>, bool) {
    let (mut pos, pos_hit) = strongest(hits, true, s, structure_factor);
    let (mut neg, neg_hit) = strongest(hits, false, s, structure_factor);
    if let (Some(p), Some(n)) = (pos_hit, neg_hit) {
        if p.distance < n.distance {
            neg *= s.attenuation;
        } else if n.distance < p.distance {
            pos *= s.attenuation;
        }
    }
    let mut reasons = Vec::new();
    if let Some(p) = pos_hit {
        reasons.push(format!("{}:{}", p.kind, p.word));
    }
    if let Some(n) = neg_hit {
        reasons.push(format!("negative-{}:{}", n.kind, n.word));
    }
    (pos - neg, reasons, pos_hit.is_some() && pos > neg)
}

/// Confidence level of a score, or None when it is below `low`.
pub fn confidence_of(score: f64, t: &Thresholds) -> Option<Confidence> {
    if score >= t.high {
        Some(Confidence::High)
    } else if score >= t.medium {
        Some(Confidence::Medium)
    } else if score >= t.low {
        Some(Confidence::Low)
    } else {
        None
    }
}

/// Keep a score within 0..1, rounded to 3 decimals as Python's `round(x, 3)` does: the
/// decimal nearest to the exact binary value (formatting is exact), read back.
pub fn clamp(score: f64) -> f64 {
    let kept = score.clamp(0.0, 1.0);
    if kept == 0.0 || kept == 1.0 {
        return kept; // the common ends need no decimal round trip
    }
    format!("{kept:.3}").parse().unwrap_or(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: ContextSettings = crate::sample::CONTEXT;

    fn hit(word: &str, weight: f64, distance: usize) -> ContextHit {
        ContextHit { kind: "keyword".into(), word: word.into(), weight, distance, structural: false, scale: 1.0 }
    }

    #[test]
    fn words_fade_from_near_to_window() {
        assert_eq!(fade(5, &S), 1.0);
        assert_eq!(fade(64, &S), 0.4);
        assert_eq!(fade(65, &S), 0.0);
        assert!(fade(30, &S) > 0.4 && fade(30, &S) < 1.0);
    }

    #[test]
    fn the_nearest_side_owns_the_value() {
        let (score, reasons, positive) = context_score(&[hit("個人番号", 0.5, 1), hit("電話", -0.5, 20)], &S, 1.0);
        assert!(positive && score > 0.0);
        assert_eq!(reasons, vec!["keyword:個人番号", "negative-keyword:電話"]);
    }

    #[test]
    fn clamp_rounds_as_python_does() {
        assert_eq!(clamp(1.7), 1.0);
        assert_eq!(clamp(-0.2), 0.0);
        assert_eq!(clamp(0.1235), 0.123); // 0.1235 is 0.12349999… in binary
        assert_eq!(clamp(0.6665), 0.666);
    }
}
