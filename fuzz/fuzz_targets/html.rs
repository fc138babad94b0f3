//! The HTML reader, guarded as ingest guards it: pages nested deeper than it reads are refused.
#![no_main]

use digestlens::read::html::{MAX_DEPTH, nesting_depth, to_markdown};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if nesting_depth(&text) <= MAX_DEPTH {
        let _ = to_markdown(&text);
    }
});
