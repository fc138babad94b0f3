//! Keyword normal forms. For now the basic form: case folded, hyphens, underscores and runs of
//! white space made single spaces.

/// `Multi-Agent  Systems` → `multi agent systems`.
pub fn keyword_basic(keyword: &str) -> String {
    keyword
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_' || c == '‐' || c == '–')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn basic_forms_merge_case_and_hyphen_variants() {
        assert_eq!(super::keyword_basic("Multi-Agent  Systems"), "multi agent systems");
        assert_eq!(super::keyword_basic("multi agent systems"), "multi agent systems");
    }
}
