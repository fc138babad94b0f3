//! The field parsers: authors, keywords, comments and venue, arXiv references, URLs, LaTeX and
//! title case.
#![no_main]

use digestlens::formats::fields;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = fields::authors(&text);
    let _ = fields::keywords(&text);
    if let Some(c) = fields::comments(&text) {
        let _ = fields::venue(&c);
    }
    let _ = fields::arxiv_refs(&text);
    let _ = fields::strip_arxiv_ids(&text);
    let _ = fields::url(&text);
    let _ = fields::clean_latex(&text);
    let _ = fields::field_line(&text);
    let _ = fields::paper_counts(&text);
    let middle = text.char_indices().nth(text.chars().count() / 2).map_or(text.len(), |(i, _)| i);
    let (title, context) = text.split_at(middle);
    let _ = fields::repair_title_case(title, context);
});
