//! Document evidence: what all values of one slot say about each of them.
//!
//! A slot is where values of one kind sit: a table column, a JSON key or label, or free
//! text. Many distinct valid values in a slot make it a roster; when only about one in ten
//! of a slot's 12-digit values passes the check digit (what random numbers do), the passes
//! are coincidence.

use std::collections::HashSet;

/// Distinct values remembered per slot; enough to tell a roster, bounded memory.
pub const DISTINCT_TRACKED: usize = 4096;

/// Evidence from all values of one slot (a rule's `[document]`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DocumentSettings {
    pub roster_min_distinct: usize,
    pub roster_min_valid_ratio: f64,
    pub roster_weight: f64,
    pub coincidence_min_values: usize,
    pub coincidence_max_valid_ratio: f64,
    pub coincidence_weight: f64,
    /// A roster's values never score below this: statistics are evidence in themselves,
    /// whatever a generic header (`番号`, `ID`, `管理番号`) says ...
    pub roster_floor: f64,
    /// ... a header no stronger than this, with no adjustment (amount, date, part of a token).
    pub roster_floor_max_negative: f64,
    /// A roster with at least this many distinct valid values ...
    pub long_roster_min_distinct: usize,
    /// ... never scores below this (still not high without context of its own).
    pub long_roster_floor: f64,
}

/// What the document evidence says of a slot's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    Roster,
    Coincidence,
}

impl Evidence {
    /// The reason shown with a finding.
    pub fn reason(self) -> &'static str {
        match self {
            Evidence::Roster => "roster",
            Evidence::Coincidence => "coincidence",
        }
    }
}

/// Counts of the 12-digit values seen in one slot.
#[derive(Clone, Debug, Default)]
pub struct SlotStats {
    pub values: usize,
    pub valid: usize,
    /// The valid values seen, as numbers (in memory only; never written anywhere).
    distinct: HashSet<u64>,
}

impl SlotStats {
    /// Count one value; the digits of valid ones feed the distinct count.
    pub fn add(&mut self, valid: bool, digits: Option<&str>) {
        self.values += 1;
        if valid {
            self.valid += 1;
            if let Some(d) = digits.and_then(|d| d.parse::<u64>().ok()) {
                if self.distinct.len() < DISTINCT_TRACKED {
                    self.distinct.insert(d);
                }
            }
        }
    }

    /// Distinct valid values seen (up to `DISTINCT_TRACKED`).
    pub fn distinct(&self) -> usize {
        self.distinct.len()
    }
}

/// The least score of a value in a roster of `stats`.
pub fn roster_floor(stats: &SlotStats, s: &DocumentSettings) -> f64 {
    if stats.distinct() >= s.long_roster_min_distinct {
        s.roster_floor.max(s.long_roster_floor)
    } else {
        s.roster_floor
    }
}

/// Score change and evidence for values of this slot.
pub fn slot_evidence(stats: &SlotStats, s: &DocumentSettings) -> (f64, Option<Evidence>) {
    let ratio = if stats.values > 0 { stats.valid as f64 / stats.values as f64 } else { 0.0 };
    if stats.values >= s.coincidence_min_values && ratio <= s.coincidence_max_valid_ratio {
        return (s.coincidence_weight, Some(Evidence::Coincidence));
    }
    if stats.distinct() >= s.roster_min_distinct && ratio >= s.roster_min_valid_ratio {
        return (s.roster_weight, Some(Evidence::Roster));
    }
    (0.0, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: DocumentSettings = crate::sample::DOCUMENT;

    #[test]
    fn many_distinct_valid_values_make_a_roster() {
        let mut s = SlotStats::default();
        for n in 0..5u64 {
            s.add(true, Some(&format!("{:012}", 123_456_789_000 + n)));
        }
        assert_eq!(slot_evidence(&s, &D), (0.25, Some(Evidence::Roster)));
        assert_eq!(roster_floor(&s, &D), D.roster_floor);
    }

    #[test]
    fn a_long_roster_has_a_higher_floor() {
        let mut s = SlotStats::default();
        for n in 0..D.long_roster_min_distinct as u64 {
            s.add(true, Some(&format!("{:012}", 123_456_789_000 + n)));
        }
        assert_eq!(roster_floor(&s, &D), D.long_roster_floor);
    }

    #[test]
    fn few_passes_among_many_values_are_coincidence() {
        let mut s = SlotStats::default();
        for n in 0..10 {
            s.add(n == 0, Some("123456789018"));
        }
        assert_eq!(slot_evidence(&s, &D), (-0.5, Some(Evidence::Coincidence)));
    }
}
