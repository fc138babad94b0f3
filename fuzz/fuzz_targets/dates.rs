//! The date finders: in text, in labelled lines and in paths.
#![no_main]

use digestlens::formats::dates::{date_from_path, date_in, find_date, labelled_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = find_date(&text);
    let _ = date_in(&text);
    let _ = date_from_path(&text);
    for line in text.lines().take(64) {
        let _ = labelled_date(line);
    }
});
