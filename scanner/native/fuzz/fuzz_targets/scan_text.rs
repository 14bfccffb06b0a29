//! Hostile bytes into the detection core, two ways: as a text file in an encoding the
//! core decodes (chosen by the input), through the byte prefilter or decoded whole, in
//! pieces whose sizes come from the input; and read as UTF-8 (lossily) and fed to a
//! document scanner as text, with jumps. A panic or an overflow (debug assertions are on)
//! is a finding. The structure and keyword functions are called directly as well.
#![no_main]

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use mynumber_dlp_core::decode::TextEncoding;
use mynumber_dlp_core::engine::{Document, Engine};
use mynumber_dlp_core::textscan::TextScan;
use mynumber_dlp_core::{fold, pytext, sample, structure};

const ENCODINGS: [TextEncoding; 4] =
    [TextEncoding::Utf8, TextEncoding::Utf8Sig, TextEncoding::Cp932, TextEncoding::EucJp];

fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    Arc::clone(ENGINE.get_or_init(sample::sample_engine))
}

fuzz_target!(|data: &[u8]| {
    let (step, body) = match data.split_first() {
        Some((s, rest)) => (usize::from(*s).max(1), rest),
        None => return,
    };
    let enc = ENCODINGS[(step / 2) % ENCODINGS.len()];
    let engine = engine();
    let prefilter = step % 2 == 0;
    let mut doc = Document::new(Arc::clone(&engine));
    let mut scan = TextScan::new(enc, engine.prefilter(enc).filter(|_| prefilter));
    for piece in body.chunks(step * 97) {
        scan.feed(&mut doc, piece);
    }
    scan.finish(&mut doc);
    doc.close();

    let text = String::from_utf8_lossy(body);
    let mut doc = Document::new(Arc::clone(&engine));
    let chars: Vec<char> = text.chars().collect();
    let title: String = chars.iter().take(64).collect();
    doc.set_titles(&title, &text); // titles and what the containers say: any text
    for (i, piece) in chars.chunks(step).enumerate() {
        let s: String = piece.iter().collect();
        if i % 7 == 6 && s.ends_with('\n') {
            doc.jump(i + 1);
        }
        doc.feed(&s, None);
    }
    doc.close();
    let _ = structure::detect_table(&text);
    let value: HashSet<String> = ["value".to_string()].into();
    let question: HashSet<String> = ["question".to_string()].into();
    let _ = structure::nearest_label(&text, &value, &question);
    let _ = structure::next_label_start(&text);
    let _ = pytext::csv_fields(&text, ',');
    assert_eq!(fold::fold(&text).chars().count(), chars.len());
});
