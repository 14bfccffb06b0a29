//! Masking and keyed fingerprints: the only forms in which a number leaves the process.
//!
//! A plain hash of a 12-digit number is reversible by trying all 10^11 valid values; the
//! HMAC-SHA256 keyed with the configured fingerprint key is not without the key.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Trailing digits left visible in a masked value.
pub const VISIBLE_DIGITS: usize = 4;
/// What hides the other digits.
pub const MASK_CHAR: char = '*';

/// `123456789018` -> `********9018` (a shorter value keeps only what it has).
pub fn mask(digits: &str) -> String {
    let n = digits.chars().count();
    let hidden = n.saturating_sub(VISIBLE_DIGITS);
    let mut out = String::with_capacity(n);
    out.extend(std::iter::repeat_n(MASK_CHAR, hidden));
    out.extend(digits.chars().skip(hidden));
    out
}

/// HMAC-SHA256 keyed once; each call fingerprints one value.
#[derive(Clone)]
pub struct Fingerprinter {
    base: Hmac<Sha256>,
}

impl Fingerprinter {
    /// A fingerprinter for `key` (None for an empty key: a fingerprint must be keyed).
    pub fn new(key: &[u8]) -> Option<Self> {
        if key.is_empty() {
            return None;
        }
        Some(Self { base: Hmac::<Sha256>::new_from_slice(key).ok()? })
    }

    /// Lowercase hex HMAC of the 12 ASCII digits.
    pub fn fingerprint(&self, digits: &[u8]) -> String {
        let mut mac = self.base.clone();
        mac.update(digits);
        hex(&mac.finalize().into_bytes())
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4231_case_2_matches() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        let f = Fingerprinter::new(b"Jefe").unwrap();
        assert_eq!(
            f.fingerprint(b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn an_empty_key_is_refused() {
        assert!(Fingerprinter::new(b"").is_none());
    }

    #[test]
    fn mask_keeps_the_last_four() {
        assert_eq!(mask("123456789018"), "********9018");
        assert_eq!(mask("１２３４５６７８９０１８"), "********９０１８");
        assert_eq!(mask("901"), "901");
    }
}
