//! The whole read of one file as ingest does it: syntax (from the name the first byte picks),
//! detection, the shape's reader or the generic one, splitting and the finishing passes.
#![no_main]

use digestlens::formats::{ParseOptions, read_file};
use digestlens::model::Diagnostics;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = [
    "digest.md",
    "2025-10-06/index.html",
    "papers.json",
    "papers.jsonl",
    "arxiv_cs_CL_2025-10-06_report.txt",
    "data.yaml",
    "README.md",
    "page.htm",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let path = NAMES[usize::from(pick) % NAMES.len()];
    let text = String::from_utf8_lossy(rest);
    let mut diags = Diagnostics::new(path);
    let _ = read_file(path, &text, Some(2025), None, &ParseOptions::default(), &mut diags);
});
