//! `scanner._native`: the PyO3 bindings of the detection core. Bindings only: every rule of
//! detection lives in the `mynumber-dlp-core` crate, which knows nothing of Python.

use mynumber_dlp_core::{candidates, checkdigit, fingerprint, fold, keywords};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

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

/// One Aho-Corasick automaton over folded keyword forms; hits name a form by its index.
#[pyclass(frozen, module = "scanner._native")]
struct KeywordIndex {
    inner: keywords::KeywordIndex,
}

#[pymethods]
impl KeywordIndex {
    #[new]
    fn new(forms: Vec<String>) -> PyResult<Self> {
        keywords::KeywordIndex::new(&forms).map(|inner| Self { inner }).map_err(|e| PyValueError::new_err(e.0))
    }

    /// (start, end, form index) of each word kept in `text`, offsets in characters.
    fn find(&self, py: Python<'_>, text: &str) -> Vec<(usize, usize, usize)> {
        py.detach(|| self.inner.find(text))
    }
}

/// The crate's version (the package's version).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check_digit, m)?)?;
    m.add_function(wrap_pyfunction!(is_valid, m)?)?;
    m.add_function(wrap_pyfunction!(mask, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_class::<Fingerprinter>()?;
    m.add_class::<CandidateFinder>()?;
    m.add_class::<KeywordIndex>()?;
    m.add_function(wrap_pyfunction!(fold_text, m)?)?;
    Ok(())
}
