//! `scanner._native`: the PyO3 bindings of the detection core. Bindings only: every rule of
//! detection lives in the `mynumber-dlp-core` crate, which knows nothing of Python.

use mynumber_dlp_core::{checkdigit, fingerprint};
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
    Ok(())
}
