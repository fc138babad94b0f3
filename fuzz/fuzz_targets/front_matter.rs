//! YAML front matter and the Markdown reader's blocks.
#![no_main]

use digestlens::read::{markdown, split_front_matter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = split_front_matter(&text);
    let _ = markdown::document(&text);
});
