//! `scanner._native`: the PyO3 bindings of the detection core. Bindings only: every rule of
//! detection lives in the `mynumber-dlp-core` crate, which knows nothing of Python.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use mynumber_dlp_core::decode::TextEncoding;
use mynumber_dlp_core::textscan::TextScan;
use mynumber_dlp_core::{candidates, checkdigit, engine, evidence, fingerprint, fold, prefilter, scorer};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The check digit for the first eleven ASCII digits of a My Number.
#[pyfunction]
fn check_digit(first_eleven: &str) -> PyResult<u8> {
    checkdigit::check_digit(first_eleven.as_bytes()).ok_or_else(|| PyValueError::new_err("expected 11 ASCII digits"))
}

/// True when `digits` is 12 ASCII digits whose last digit is the correct check digit.
#[pyfunction]
fn is_valid(digits: &str) -> bool {
    checkdigit::is_valid(digits.as_bytes())
}

/// `123456789018` -> `********9018`.
#[pyfunction]
fn mask(digits: &str) -> String {
    fingerprint::mask(digits)
}

/// HMAC-SHA256 keyed with the fingerprint key; the key never leaves the object.
#[pyclass(frozen, module = "scanner._native")]
struct Fingerprinter {
    inner: fingerprint::Fingerprinter,
}

#[pymethods]
impl Fingerprinter {
    #[new]
    fn new(key: &[u8]) -> PyResult<Self> {
        fingerprint::Fingerprinter::new(key)
            .map(|inner| Self { inner })
            .ok_or_else(|| PyValueError::new_err("fingerprint key must not be empty"))
    }

    /// Lowercase hex HMAC of the 12 ASCII digits.
    fn __call__(&self, digits: &str) -> String {
        self.inner.fingerprint(digits.as_bytes())
    }

    fn __repr__(&self) -> &'static str {
        "Fingerprinter(<key hidden>)"
    }
}

/// (pattern, positive, width) of one look-around condition, as the rule loader decomposes it.
type AroundSpec = (String, bool, usize);

fn arounds(specs: Vec<AroundSpec>) -> Vec<candidates::Around> {
    specs.into_iter().map(|(pattern, positive, width)| candidates::Around { pattern, positive, width }).collect()
}

/// All forms of one rule, decomposed by `scanner.rules.native_forms`.
#[pyclass(frozen, module = "scanner._native")]
struct CandidateFinder {
    inner: candidates::CandidateFinder,
}

#[pymethods]
impl CandidateFinder {
    #[new]
    fn new(
        forms: Vec<(String, Vec<AroundSpec>, Vec<AroundSpec>)>,
        start_behind: Vec<AroundSpec>,
        start_ahead: Vec<AroundSpec>,
    ) -> PyResult<Self> {
        let forms: Vec<candidates::FormSpec> = forms
            .into_iter()
            .map(|(body, behind, ahead)| candidates::FormSpec { body, behind: arounds(behind), ahead: arounds(ahead) })
            .collect();
        candidates::CandidateFinder::new(&forms, &arounds(start_behind), &arounds(start_ahead))
            .map(|inner| Self { inner })
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// (start, end, form, digits, valid) of each candidate starting in characters `pos..endpos`.
    #[pyo3(signature = (text, pos=0, endpos=None))]
    fn find(
        &self,
        py: Python<'_>,
        text: &str,
        pos: usize,
        endpos: Option<usize>,
    ) -> Vec<(usize, usize, usize, String, bool)> {
        let found = py.detach(|| self.inner.find(text, pos, endpos));
        found.into_iter().map(|c| (c.start, c.end, c.form, c.digits, c.valid)).collect()
    }
}

/// Lower-case, narrow full-width ASCII, widen half-width kana; as many characters as `text`.
#[pyfunction(name = "fold")]
fn fold_text(text: &str) -> String {
    fold::fold(text)
}

/// (window, near, far_factor, attenuation, label_window, other_line_factor, topic_window, topic_factor,
/// title_factor)
type ContextTuple = (usize, usize, f64, f64, usize, f64, usize, f64, f64);

fn context_settings(t: ContextTuple) -> scorer::ContextSettings {
    let (
        window,
        near,
        far_factor,
        attenuation,
        label_window,
        other_line_factor,
        topic_window,
        topic_factor,
        title_factor,
    ) = t;
    scorer::ContextSettings {
        window,
        near,
        far_factor,
        attenuation,
        label_window,
        other_line_factor,
        topic_window,
        topic_factor,
        title_factor,
    }
}

/// (roster_min_distinct, roster_min_valid_ratio, roster_weight, coincidence_min_values,
/// coincidence_max_valid_ratio, coincidence_weight, roster_floor, roster_floor_max_negative,
/// long_roster_min_distinct, long_roster_floor): a rule's `[document]`.
type DocumentTuple = (usize, f64, f64, usize, f64, f64, f64, f64, usize, f64);

fn document_settings(t: DocumentTuple) -> evidence::DocumentSettings {
    let (
        roster_min_distinct,
        roster_min_valid_ratio,
        roster_weight,
        coincidence_min_values,
        coincidence_max_valid_ratio,
        coincidence_weight,
        roster_floor,
        roster_floor_max_negative,
        long_roster_min_distinct,
        long_roster_floor,
    ) = t;
    evidence::DocumentSettings {
        roster_min_distinct,
        roster_min_valid_ratio,
        roster_weight,
        coincidence_min_values,
        coincidence_max_valid_ratio,
        coincidence_weight,
        roster_floor,
        roster_floor_max_negative,
        long_roster_min_distinct,
        long_roster_floor,
    }
}

/// (reason, weight, before, after, digits) of one adjustment, patterns in the core's syntax.
type AdjustmentTuple = (String, f64, Option<String>, Option<String>, Option<String>);

/// One rule as `scanner.detect.native_engine` hands it over (a dict).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct RuleArg {
    id: String,
    forms: Vec<(String, Vec<AroundSpec>, Vec<AroundSpec>)>,
    form_info: Vec<(String, f64)>,
    start_behind: Vec<AroundSpec>,
    start_ahead: Vec<AroundSpec>,
    context: ContextTuple,
    structure_factor: f64,
    adjustments: Vec<AdjustmentTuple>,
    thresholds: (f64, f64, f64),
    document: DocumentTuple,
}

impl RuleArg {
    fn spec(self) -> engine::RuleSpec {
        let (low, medium, high) = self.thresholds;
        engine::RuleSpec {
            id: self.id,
            forms: self
                .forms
                .into_iter()
                .map(|(body, behind, ahead)| candidates::FormSpec {
                    body,
                    behind: arounds(behind),
                    ahead: arounds(ahead),
                })
                .collect(),
            form_info: self.form_info,
            start_behind: arounds(self.start_behind),
            start_ahead: arounds(self.start_ahead),
            context: context_settings(self.context),
            structure_factor: self.structure_factor,
            adjustments: self
                .adjustments
                .into_iter()
                .map(|(reason, weight, before, after, digits)| engine::AdjustmentSpec {
                    reason,
                    weight,
                    before,
                    after,
                    digits,
                })
                .collect(),
            thresholds: scorer::Thresholds { low, medium, high },
            document: document_settings(self.document),
        }
    }
}

/// A compiled ruleset plus the fingerprint key.
#[pyclass(frozen, module = "scanner._native")]
struct Engine {
    inner: Arc<engine::Engine>,
}

#[pymethods]
impl Engine {
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        rules: Vec<RuleArg>,
        keywords: Vec<(usize, String, f64)>,
        keyword_forms: Vec<String>,
        keyword_entries: Vec<Vec<usize>>,
        transparent_labels: Vec<String>,
        label_keys: Vec<String>,
        known: Vec<String>,
        fingerprinter: &Fingerprinter,
        candidate_chars: Option<(String, String, usize)>,
    ) -> PyResult<Self> {
        let spec = engine::EngineSpec {
            rules: rules.into_iter().map(RuleArg::spec).collect(),
            keywords: keywords.into_iter().map(|(rule, word, weight)| engine::Keyword { rule, word, weight }).collect(),
            keyword_forms,
            keyword_entries,
            transparent_labels,
            label_keys,
            known: known.into_iter().collect(),
            prefilter: candidate_chars.map(|(digits, separators, gap)| prefilter::CandidateChars {
                digits,
                separators,
                gap,
            }),
        };
        engine::Engine::new(spec, fingerprinter.inner.clone())
            .map(|e| Self { inner: Arc::new(e) })
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// A scanner for one document.
    fn document(&self) -> Document {
        let doc = engine::Document::new(Arc::clone(&self.inner));
        Document {
            inner: Mutex::new(DocState { engine: Arc::clone(&self.inner), doc, bytes: None }),
            reasons: Mutex::new(HashMap::new()),
        }
    }
}

/// A document, and the byte scan that feeds it when it is given a file's bytes.
struct DocState {
    engine: Arc<engine::Engine>,
    doc: engine::Document,
    bytes: Option<TextScan>,
}

/// One document fed in pieces, as text or as a text file's bytes; the GIL is released while it scans.
#[pyclass(frozen, module = "scanner._native")]
struct Document {
    inner: Mutex<DocState>,
    /// Reasons lists handed out before, as Python tuples: a roster's million findings share a few.
    reasons: Mutex<HashMap<Vec<String>, Py<PyTuple>>>,
}

/// Distinct reasons lists kept as Python tuples per document.
const REASONS_CACHE: usize = 4096;

/// (rule index, line, column, confidence 1..3, score, masked, fingerprint, reasons)
type FindingRow<'py> = (usize, usize, usize, u8, f64, String, String, Bound<'py, PyTuple>);

impl Document {
    /// Findings as Python rows, each reasons tuple made once.
    fn rows<'py>(&self, py: Python<'py>, found: Vec<engine::Finding>) -> PyResult<Vec<FindingRow<'py>>> {
        let mut cache = self.reasons.lock().map_err(|_| PyValueError::new_err("a scan of this document failed"))?;
        found
            .into_iter()
            .map(|f| {
                let reasons = match cache.get(&f.reasons) {
                    Some(t) => t.bind(py).clone(),
                    None => {
                        let t = PyTuple::new(py, &f.reasons)?;
                        if cache.len() < REASONS_CACHE {
                            cache.insert(f.reasons.clone(), t.clone().unbind());
                        }
                        t
                    }
                };
                Ok((f.rule, f.line, f.column, f.confidence as u8, f.score, f.masked, f.fingerprint, reasons))
            })
            .collect()
    }

    fn with<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut DocState) -> R + Send) -> PyResult<R> {
        py.detach(|| {
            let mut doc = self.inner.lock().map_err(|_| PyValueError::new_err("a scan of this document failed"))?;
            Ok(f(&mut doc))
        })
    }
}

#[pymethods]
impl Document {
    #[pyo3(signature = (text, zones=None))]
    fn feed<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        zones: Option<Vec<(usize, usize)>>,
    ) -> PyResult<Vec<FindingRow<'py>>> {
        let found = self.with(py, |d| d.doc.feed(text, zones.as_deref()))?;
        self.rows(py, found)
    }

    /// The document's titles (file name, sheet, mail subject), before it is fed.
    fn set_titles(&self, py: Python<'_>, titles: &str, about: &str) -> PyResult<()> {
        self.with(py, |d| d.doc.set_titles(titles, about))
    }

    fn jump<'py>(&self, py: Python<'py>, line: usize) -> PyResult<Vec<FindingRow<'py>>> {
        let found = self.with(py, |d| d.doc.jump(line))?;
        self.rows(py, found)
    }

    /// The next bytes of a text file in `encoding` (a Python codec name the core decodes);
    /// with `prefilter`, only the lines around runs of digits are decoded and scanned.
    fn feed_bytes<'py>(
        &self,
        py: Python<'py>,
        data: &[u8],
        encoding: &str,
        prefilter: bool,
    ) -> PyResult<Vec<FindingRow<'py>>> {
        let enc = TextEncoding::from_codec(encoding)
            .ok_or_else(|| PyValueError::new_err(format!("the core does not decode {encoding}")))?;
        let found = self.with(py, |d| {
            let scan = d.bytes.get_or_insert_with(|| TextScan::new(enc, d.engine.prefilter(enc).filter(|_| prefilter)));
            scan.feed(&mut d.doc, data)
        })?;
        self.rows(py, found)
    }

    /// Where this document's time went, for benchmarks: nanoseconds of each stage, and counts.
    fn profile(&self, py: Python<'_>) -> PyResult<HashMap<&'static str, u64>> {
        self.with(py, |d| {
            let t = d.bytes.as_ref().map(TextScan::stats).unwrap_or_default();
            let s = d.doc.stats();
            let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
            HashMap::from([
                ("bytes", count(t.bytes)),
                ("decoded_bytes", count(t.decoded)),
                ("gaps", count(t.gaps)),
                ("prefilter_ns", t.prefilter_ns),
                ("decode_ns", t.decode_ns),
                ("scan_ns", t.scan_ns),
                ("candidates", count(s.candidates)),
                ("find_ns", s.find_ns),
                ("examine_ns", s.examine_ns),
            ])
        })
    }

    fn close<'py>(&self, py: Python<'py>) -> PyResult<Vec<FindingRow<'py>>> {
        let found = self.with(py, |d| {
            let mut out = d.bytes.as_mut().map(|scan| scan.finish(&mut d.doc)).unwrap_or_default();
            out.extend(d.doc.close());
            out
        })?;
        self.rows(py, found)
    }
}

/// Panics, so tests can check that a panic in the core reaches Python as an exception the
/// scanner reports (`not_scanned: error`) instead of ending the process.
#[pyfunction]
fn panic_for_tests() -> Vec<(usize, usize)> {
    panic!("a panic raised on purpose by a test")
}

/// The crate's version (the package's version).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // the core's limit that tests reason about
    m.add("MAX_PENDING", engine::MAX_PENDING)?;
    m.add_function(wrap_pyfunction!(check_digit, m)?)?;
    m.add_function(wrap_pyfunction!(is_valid, m)?)?;
    m.add_function(wrap_pyfunction!(mask, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_class::<Fingerprinter>()?;
    m.add_class::<CandidateFinder>()?;
    m.add_class::<Engine>()?;
    m.add_function(wrap_pyfunction!(panic_for_tests, m)?)?;
    m.add_class::<Document>()?;
    m.add_function(wrap_pyfunction!(fold_text, m)?)?;
    Ok(())
}
