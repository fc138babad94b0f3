//! Format detection: the syntax of a file and the shape of its text.
#![no_main]

use digestlens::formats::detect;
use digestlens::read::{is_code, syntax};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = detect(&text);
    let _ = syntax("file", &text);
    let _ = is_code(&text);
});
