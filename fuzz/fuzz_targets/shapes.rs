//! Every reader forced on any text: markdown, page, flat, hf-daily, generic and json, as
//! `--format` does.
#![no_main]

use digestlens::formats::{ParseOptions, read_file};
use digestlens::model::{Diagnostics, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let format = Format::ALL[usize::from(pick) % Format::ALL.len()];
    let text = String::from_utf8_lossy(rest);
    let mut diags = Diagnostics::new("digest.md");
    let options = ParseOptions { year: Some(2025), ..ParseOptions::default() };
    let _ = read_file("digest.md", &text, None, Some(format), &options, &mut diags);
});
