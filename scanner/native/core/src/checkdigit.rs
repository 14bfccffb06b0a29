//! Check digit of the Japanese Individual Number (My Number).
//!
//! Digits d1..d12, d12 the check digit. Written left to right the weights of d1..d11 are
//! 6,5,4,3,2,7,6,5,4,3,2; r = sum(d_i * w_i) mod 11, and the check digit is 0 if r <= 1,
//! else 11 - r.

/// Weights of d1..d11, left to right.
pub const WEIGHTS: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// Digits in a My Number, check digit included.
pub const LENGTH: usize = 12;

/// The check digit for the first eleven ASCII digits, or None when they are not eleven ASCII digits.
pub fn check_digit(first_eleven: &[u8]) -> Option<u8> {
    if first_eleven.len() != LENGTH - 1 || !first_eleven.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let r = WEIGHTS.iter().zip(first_eleven).map(|(w, c)| w * u32::from(c - b'0')).sum::<u32>() % 11;
    Some(if r <= 1 { 0 } else { (11 - r) as u8 })
}

/// True when `digits` is 12 ASCII digits whose last digit is the correct check digit.
pub fn is_valid(digits: &[u8]) -> bool {
    digits.len() == LENGTH
        && digits[LENGTH - 1].is_ascii_digit()
        && check_digit(&digits[..LENGTH - 1]) == Some(digits[LENGTH - 1] - b'0')
}

/// True for values no real number takes: one digit repeated (000000000000 passes the check).
pub fn is_trivial(digits: &[u8]) -> bool {
    digits.first().is_some_and(|first| digits.iter().all(|d| d == first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_documented_example_is_valid() {
        // the number the project's docs and tests use
        let first = b"12345678901";
        let d = check_digit(first).unwrap();
        let mut full = first.to_vec();
        full.push(b'0' + d);
        assert!(is_valid(&full));
        assert_eq!(&full, b"123456789018");
    }

    #[test]
    fn wrong_lengths_and_non_digits_are_never_valid() {
        assert!(!is_valid(b"12345678901"));
        assert!(!is_valid(b"1234567890189"));
        assert!(!is_valid(b"12345678901a"));
        assert!(!is_valid("１２３４５６７８９０１８".as_bytes()));
        assert_eq!(check_digit(b"1234567890"), None);
    }

    proptest! {
        #[test]
        fn exactly_one_last_digit_makes_eleven_digits_valid(first in "[0-9]{11}") {
            let valid: Vec<u8> = (b'0'..=b'9')
                .filter(|d| { let mut v = first.as_bytes().to_vec(); v.push(*d); is_valid(&v) })
                .collect();
            prop_assert_eq!(valid.len(), 1);
            prop_assert_eq!(valid[0] - b'0', check_digit(first.as_bytes()).unwrap());
        }

        #[test]
        fn a_changed_digit_is_caught_unless_the_remainder_moves_between_0_and_1(
            first in "[0-9]{11}", at in 0usize..11, by in 1u8..10,
        ) {
            let remainder = |d: &[u8]| WEIGHTS.iter().zip(d).map(|(w, c)| w * u32::from(c - b'0')).sum::<u32>() % 11;
            let mut v = first.as_bytes().to_vec();
            let before = remainder(&v);
            v.push(b'0' + check_digit(&v).unwrap());
            v[at] = b'0' + (v[at] - b'0' + by) % 10;
            let after = remainder(&v[..11]);
            // 11 is prime and no weight is a multiple of it, so the remainder always changes; only
            // 0 and 1 share a check digit (0), the one blind spot of the scheme
            prop_assert_ne!(before, after);
            prop_assert_eq!(is_valid(&v), before <= 1 && after <= 1);
        }
    }
}
