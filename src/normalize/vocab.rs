//! The lookup tables behind normalisation: built-in acronyms, synonyms and theme taxonomy
//! (data files in `src/normalize/data/`, compiled in with `include_str!`), extended or overridden
//! by user YAML files of the same shape (`--synonyms FILE`, `--taxonomy FILE`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

const BUILTIN_SYNONYMS: &str = include_str!("data/synonyms.yaml");
const BUILTIN_TAXONOMY: &str = include_str!("data/taxonomy.yaml");

/// Where a vocabulary entry comes from (shown by `keywords --explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    /// A user file, by the name it was given under.
    User(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::BuiltIn => f.write_str("built-in"),
            Origin::User(path) => write!(f, "from {path}"),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymsFile {
    #[serde(default)]
    acronyms: BTreeMap<String, String>,
    #[serde(default)]
    synonyms: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    #[serde(default)]
    replace: bool,
    themes: Vec<ThemeDef>,
}

/// A canonical theme and the terms that signal it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeDef {
    pub name: String,
    pub terms: Vec<String>,
}

pub use crate::model::UserFile;

/// Acronyms, synonyms and themes as written in the data files, each with its origin. Later
/// entries win: built-in first, then the user's.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// (acronym, long form, origin)
    pub acronyms: Vec<(String, String, Origin)>,
    /// (canonical, variants, origin)
    pub synonyms: Vec<(String, Vec<String>, Origin)>,
    pub themes: Vec<ThemeDef>,
    pub user_synonyms: Option<UserFile>,
    pub user_taxonomy: Option<UserFile>,
}

impl Vocabulary {
    /// The built-in vocabulary alone.
    pub fn builtin() -> Vocabulary {
        Vocabulary::with_user(None, None).unwrap_or_else(|e| panic!("built-in vocabulary is invalid: {e}"))
    }

    /// Built-in vocabulary plus user files read from disk.
    pub fn load(synonyms: Option<&Path>, taxonomy: Option<&Path>) -> Result<Vocabulary> {
        let read = |p: &Path| -> Result<UserFile> {
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
            Ok(UserFile { name: p.display().to_string(), text })
        };
        Vocabulary::with_user(synonyms.map(read).transpose()?, taxonomy.map(read).transpose()?)
    }

    /// Built-in vocabulary plus user files given as text.
    pub fn with_user(synonyms: Option<UserFile>, taxonomy: Option<UserFile>) -> Result<Vocabulary> {
        let builtin: SynonymsFile = parse("built-in synonyms.yaml", BUILTIN_SYNONYMS)?;
        let mut vocab = Vocabulary {
            acronyms: builtin.acronyms.into_iter().map(|(a, l)| (a, l, Origin::BuiltIn)).collect(),
            synonyms: builtin.synonyms.into_iter().map(|(c, v)| (c, v, Origin::BuiltIn)).collect(),
            themes: parse::<TaxonomyFile>("built-in taxonomy.yaml", BUILTIN_TAXONOMY)?.themes,
            user_synonyms: None,
            user_taxonomy: None,
        };
        if let Some(file) = synonyms {
            let user: SynonymsFile = parse(&file.name, &file.text)?;
            let origin = Origin::User(file.name.clone());
            vocab.acronyms.extend(user.acronyms.into_iter().map(|(a, l)| (a, l, origin.clone())));
            vocab.synonyms.extend(user.synonyms.into_iter().map(|(c, v)| (c, v, origin.clone())));
            vocab.user_synonyms = Some(file);
        }
        if let Some(file) = taxonomy {
            let user: TaxonomyFile = parse(&file.name, &file.text)?;
            if user.replace {
                vocab.themes.clear();
            }
            for theme in user.themes {
                match vocab.themes.iter_mut().find(|t| t.name == theme.name) {
                    Some(existing) => *existing = theme,
                    None => vocab.themes.push(theme),
                }
            }
            vocab.user_taxonomy = Some(file);
        }
        Ok(vocab)
    }
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T> {
    serde_yaml::from_str(text).map_err(|e| Error::Usage(format!("{name}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_files_extend_and_override() {
        let synonyms = UserFile { name: "mine.yaml".into(), text: "acronyms:\n  rl: robot learning\n".into() };
        let taxonomy = UserFile {
            name: "tax.yaml".into(),
            text: "themes:\n  - name: Reasoning\n    terms: [logic]\n  - name: Quantum\n    terms: [qubit]\n".into(),
        };
        let vocab = Vocabulary::with_user(Some(synonyms), Some(taxonomy)).expect("valid");
        let last_rl = vocab.acronyms.iter().rev().find(|(a, _, _)| a == "rl").expect("rl");
        assert_eq!((last_rl.1.as_str(), &last_rl.2), ("robot learning", &Origin::User("mine.yaml".into())));
        let reasoning = vocab.themes.iter().find(|t| t.name == "Reasoning").expect("kept");
        assert_eq!(reasoning.terms, ["logic"]);
        assert_eq!(vocab.themes.last().map(|t| t.name.as_str()), Some("Quantum"));
        assert_eq!(vocab.themes.len(), Vocabulary::builtin().themes.len() + 1);
    }

    #[test]
    fn a_bad_user_file_names_itself() {
        let bad = UserFile { name: "bad.yaml".into(), text: "synonym: [x]\n".into() };
        let err = Vocabulary::with_user(Some(bad), None).expect_err("unknown field");
        assert!(err.to_string().starts_with("bad.yaml: unknown field `synonym`"), "{err}");
    }

    #[test]
    fn replace_drops_builtin_themes() {
        let taxonomy =
            UserFile { name: "t.yaml".into(), text: "replace: true\nthemes:\n  - name: A\n    terms: [a]\n".into() };
        let vocab = Vocabulary::with_user(None, Some(taxonomy)).expect("valid");
        assert_eq!(vocab.themes.len(), 1);
    }
}
