//! `--profile` files: parsing (errors, never panics) and, when one parses, matching and dating a
//! text with it.
#![no_main]

use std::path::Path;

use digestlens::formats::profile::Profile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (yaml, sample) = text.split_once("\n===\n").unwrap_or((&text, "# 2025-10-06\n"));
    if let Ok(profile) = Profile::parse(Path::new("fuzz.yaml"), yaml) {
        let _ = profile.matches("feeds/2025-10-06.md", sample);
        let _ = profile.date("feeds/2025-10-06.md", sample);
    }
});
