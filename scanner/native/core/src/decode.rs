//! The byte encodings the core decodes itself (encoding_rs): the ASCII-compatible ones
//! Japanese shares hold, in which an ASCII digit byte is always a digit. UTF-16 and
//! ISO-2022-JP files are decoded by Python and reach the core as text.
//!
//! CP932 is encoding_rs's Shift_JIS (the WHATWG decoder is Microsoft's table); EUC-JP is
//! WHATWG's, which maps seven JIS X 0208 code points as Windows does (0xA1C1 to U+FF5E where
//! Python's `euc_jp` gives U+301C, 0xA1DD to U+FF0D rather than U+2212, …). Undecodable bytes
//! become U+FFFD.

use std::borrow::Cow;

use encoding_rs::{Decoder, Encoding, EUC_JP, SHIFT_JIS, UTF_8};

/// The UTF-8 byte-order mark, dropped at the start of a `utf-8-sig` file.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// An encoding the core decodes, named as Python's codecs name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 that starts with a byte-order mark.
    Utf8Sig,
    Cp932,
    EucJp,
}

impl TextEncoding {
    /// The encoding of a Python codec name (`utf-8`, `utf-8-sig`, `cp932`, `euc_jp`).
    pub fn from_codec(name: &str) -> Option<Self> {
        match name {
            "utf-8" => Some(Self::Utf8),
            "utf-8-sig" => Some(Self::Utf8Sig),
            "cp932" => Some(Self::Cp932),
            "euc_jp" => Some(Self::EucJp),
            _ => None,
        }
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            Self::Utf8 | Self::Utf8Sig => UTF_8,
            Self::Cp932 => SHIFT_JIS,
            Self::EucJp => EUC_JP,
        }
    }

    /// The most bytes one character takes.
    pub fn max_char_bytes(self) -> usize {
        match self {
            Self::Utf8 | Self::Utf8Sig => 4,
            Self::Cp932 => 2,
            Self::EucJp => 3,
        }
    }

    /// `c` in this encoding; None when the encoding cannot write it.
    pub fn encode_char(self, c: char) -> Option<Vec<u8>> {
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = self.encoding().encode(c.encode_utf8(&mut buf));
        (!unmappable).then(|| bytes.into_owned())
    }

    /// `text` in this encoding; characters it cannot write become `?` (test data, fuzzing).
    pub fn encode(self, text: &str) -> Vec<u8> {
        text.chars().flat_map(|c| self.encode_char(c).unwrap_or_else(|| vec![b'?'])).collect()
    }

    /// Bytes that hold whole characters (a line range, say) as text.
    pub fn decode(self, bytes: &[u8]) -> Cow<'_, str> {
        self.encoding().decode_without_bom_handling(bytes).0
    }

    /// A decoder for bytes cut anywhere (a character may span two calls).
    pub fn stream_decoder(self) -> StreamDecoder {
        StreamDecoder { inner: self.encoding().new_decoder_without_bom_handling() }
    }
}

/// Decodes a byte stream given in pieces cut anywhere.
pub struct StreamDecoder {
    inner: Decoder,
}

impl StreamDecoder {
    /// The text of `bytes`; `last` ends the stream (a cut character becomes U+FFFD).
    pub fn decode(&mut self, bytes: &[u8], last: bool) -> String {
        let room = self.inner.max_utf8_buffer_length(bytes.len()).unwrap_or(bytes.len() * 3 + 16);
        let mut out = String::with_capacity(room);
        let (_, read, _) = self.inner.decode_to_string(bytes, &mut out, last);
        debug_assert_eq!(read, bytes.len(), "the buffer was sized for all of the input");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_decodes_microsofts_table() {
        // ～ (0x8160) and － (0x817C) as Windows writes them; a digit byte is a digit
        let (text, _, _) = SHIFT_JIS.decode(b"\x82\x50\x81\x60\x81\x7c9");
        assert_eq!(text, "１～－9");
        assert_eq!(TextEncoding::Cp932.decode(b"\x82\x50\x81\x60\x81\x7c9"), "１～－9");
    }

    #[test]
    fn euc_jp_minus_and_wave_dash_decode_as_windows_writes_them() {
        assert_eq!(TextEncoding::EucJp.decode(b"\xa1\xdd\xa1\xc1\xa3\xb1"), "－～１");
    }

    #[test]
    fn a_character_cut_between_two_pieces_is_decoded_whole() {
        let bytes = "個人番号".as_bytes();
        let mut d = TextEncoding::Utf8.stream_decoder();
        let mut text = d.decode(&bytes[..4], false);
        text += &d.decode(&bytes[4..], true);
        assert_eq!(text, "個人番号");
    }

    #[test]
    fn a_character_cut_at_the_end_becomes_one_replacement() {
        let mut d = TextEncoding::Cp932.stream_decoder();
        assert_eq!(d.decode(b"a\x82", true), "a\u{FFFD}");
    }

    #[test]
    fn characters_an_encoding_lacks_are_not_encoded() {
        assert_eq!(TextEncoding::Cp932.encode_char('\u{3000}'), Some(vec![0x81, 0x40]));
        assert_eq!(TextEncoding::EucJp.encode_char('１'), Some(vec![0xA3, 0xB1]));
        assert_eq!(TextEncoding::Cp932.encode_char('\u{1F600}'), None);
        assert_eq!(TextEncoding::from_codec("utf-16"), None);
    }
}
