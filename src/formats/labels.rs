//! The label dictionary: field labels in many languages (`Authors:`, `作者`, `저자`, `关键词`,
//! `摘要` …), table column names and JSON keys, each naming one [`Field`]. The built-in list is
//! `data/labels.yaml`; a profile adds its own labels. A new language is a line in the data file.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// A field a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Authors,
    Keywords,
    Abstract,
    Summary,
    Critique,
    Comments,
    Link,
    Date,
    Categories,
    Organization,
    Upvotes,
    Code,
    Venue,
    /// Read and left out (a translated title, a rank).
    Ignore,
}

/// Labels by field, as the data file and profiles write them.
pub type LabelLists = HashMap<Field, Vec<String>>;

/// Labels to fields.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    map: HashMap<String, Field>,
}

const BUILT_IN: &str = include_str!("data/labels.yaml");

static DEFAULT: LazyLock<Labels> = LazyLock::new(|| {
    let lists: LabelLists = serde_yaml::from_str(BUILT_IN).unwrap_or_else(|e| panic!("built-in labels.yaml: {e}"));
    let mut labels = Labels::default();
    labels.extend(&lists);
    labels
});

/// A label as it is looked up: lower case, without bold or emphasis markers, `_`/`-` as spaces,
/// no trailing colon, no leading symbols (emoji, bullets), single spaces.
pub fn normalise(label: &str) -> String {
    let lowered = label.to_lowercase().replace(['*', '`'], "").replace(['_', '-'], " ");
    let trimmed = lowered.trim().trim_end_matches([':', '：', '.', ' ']);
    let trimmed = if trimmed == "#" { trimmed } else { trimmed.trim_start_matches(|c: char| !c.is_alphanumeric()) };
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Labels {
    /// The built-in dictionary.
    pub fn built_in() -> &'static Labels {
        &DEFAULT
    }

    /// Adds labels (a profile's); they win over built-in ones.
    pub fn extend(&mut self, lists: &LabelLists) {
        for (field, labels) in lists {
            for label in labels {
                self.map.insert(normalise(label), *field);
            }
        }
    }

    /// The field a label names. A label with a parenthesised note (`摘要（原文）`, `Title (ZH)`)
    /// is looked up whole first, then without the note unless the note names a language.
    pub fn field(&self, label: &str) -> Option<Field> {
        let key = normalise(label);
        if key.is_empty() || key.chars().count() > 40 {
            return None;
        }
        if let Some(f) = self.map.get(&key) {
            return Some(*f);
        }
        let cut = key.find(['(', '（', '[']).map(|at| key[..at].trim().to_owned())?;
        self.map.get(&cut).copied()
    }

    /// A `Label: value` line (also `**Label:** value`, `Label：value`): its field and value.
    pub fn split<'a>(&self, line: &'a str) -> Option<(Field, &'a str)> {
        let line = line.trim();
        let at = line.char_indices().take(48).find(|(_, c)| *c == ':' || *c == '：').map(|(i, _)| i)?;
        let field = self.field(&line[..at])?;
        let colon = line[at..].chars().next().map_or(1, char::len_utf8);
        Some((field, line[at + colon..].trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_every_language_and_spelling() {
        let l = Labels::built_in();
        assert_eq!(l.split("Authors: A, B"), Some((Field::Authors, "A, B")));
        assert_eq!(l.split("**作者**：张三"), Some((Field::Authors, "张三")));
        assert_eq!(l.split("저자: Kim"), Some((Field::Authors, "Kim")));
        assert_eq!(l.split("关键词：视觉"), Some((Field::Keywords, "视觉")));
        assert_eq!(l.field("摘要（原文）"), Some(Field::Abstract));
        assert_eq!(l.field("Title (ZH)"), Some(Field::Ignore));
        assert_eq!(l.field("Publish Date"), Some(Field::Date));
        assert_eq!(l.field("arxiv_id"), Some(Field::Link));
        assert_eq!(l.split("In this paper: we show"), None);
        assert_eq!(l.split("https://arxiv.org/abs/2401.00001"), None);
    }

    #[test]
    fn the_data_file_is_consistent() {
        // Every label is written once: a label under two fields would make one of them dead.
        let lists: LabelLists = serde_yaml::from_str(BUILT_IN).expect("labels.yaml parses");
        let mut seen: HashMap<String, Field> = HashMap::new();
        for (field, labels) in &lists {
            assert!(!labels.is_empty(), "{field:?} has no labels");
            for label in labels {
                let key = normalise(label);
                assert!(!key.is_empty(), "label {label:?} normalises to nothing");
                if let Some(other) = seen.insert(key.clone(), *field) {
                    panic!("label {label:?} is under both {other:?} and {field:?}");
                }
            }
        }
    }
}
