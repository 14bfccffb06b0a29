//! The detection core of mynumber-dlp, in Rust: pure functions over bytes and text, no I/O,
//! no Python. The Python package calls it through `scanner._native` (the `python` crate).
//!
//! Modules, one job each:
//! - [`textscan`]: a text file's bytes into a document: blocks of lines, prefiltered, decoded
//! - [`decode`]: the ASCII-compatible encodings Japanese shares hold (encoding_rs)
//! - [`prefilter`]: which lines of a block can hold a candidate, found in the raw bytes
//! - [`engine`]: the document scanner — one document in pieces, findings out, bounded memory
//! - [`candidates`]: runs of digits in the forms a rule allows, with their boundary conditions
//! - [`checkdigit`]: the mod-11 check digit of the Individual Number (番号法 第2条第5項)
//! - [`pytext`]: Python's text semantics the ported code relies on (whitespace, lines, csv)
//! - [`structure`]: table columns, JSON keys, form labels, XML elements as context
//! - [`scorer`]: context words and structure into a score in 0..1 and its reasons
//! - [`evidence`]: what all values of one slot (column, key, label, free text) say of each
//! - [`fold`]: length-preserving folding of case and width, for keyword matching
//! - [`keywords`]: one Aho-Corasick automaton over every context word
//! - [`topic`]: the strong words of a document by position, for values with none of their own
//! - [`fingerprint`]: masking and the keyed HMAC-SHA256 fingerprint, the only forms in which
//!   a number leaves the process

#![forbid(unsafe_code)]

pub mod candidates;
pub mod checkdigit;
pub mod decode;
pub mod engine;
pub mod evidence;
pub mod fingerprint;
pub mod fold;
pub mod keywords;
pub mod prefilter;
pub mod pytext;
pub mod sample;
pub mod scorer;
pub mod structure;
pub mod textscan;
pub mod topic;
