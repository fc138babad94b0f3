//! The data readers: JSON, JSON lines, Python dict lines and YAML documents into records.
#![no_main]

use digestlens::read::json::{document, looks_like_json, yaml_document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = looks_like_json(&text);
    let _ = document(&text);
    let _ = yaml_document(&text);
});
