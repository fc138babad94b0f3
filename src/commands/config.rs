//! `digestlens.yaml` (in the current folder, or `--config FILE`): the store, vocabulary files,
//! profiles and the watchlist, so that a daily job needs no flags. Precedence: flags, then the
//! config file, then what the store remembers (its synonyms and taxonomy), then the built-ins.
//! Paths in the file are relative to the file's folder. Unknown keys are errors with their line.
//! `digestlens config` prints the effective settings and where each came from.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use super::Outcome;
use crate::cli::{ConfigArgs, StoreArg, VocabArgs};
use crate::error::Error;
use crate::store::Store;

/// The file looked for in the current folder when no `--config` is given.
pub const FILE: &str = "digestlens.yaml";

/// What a config file sets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub store: Option<PathBuf>,
    pub synonyms: Option<PathBuf>,
    pub taxonomy: Option<PathBuf>,
    #[serde(default)]
    pub profiles: Vec<PathBuf>,
    #[serde(default)]
    pub watch: Vec<Watch>,
}

/// A watchlist entry: a name and the terms that select its papers (keywords or phrases, arXiv
/// ids, author names).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    pub name: String,
    pub terms: Vec<String>,
}

/// The config in effect and the file it came from.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    pub file: Option<PathBuf>,
}

static LOADED: OnceLock<Loaded> = OnceLock::new();

/// Reads `--config FILE`, or `digestlens.yaml` when the current folder has one; once per run.
pub fn load(explicit: Option<&Path>) -> Result<(), Error> {
    let file = match explicit {
        Some(f) => Some(f.to_owned()),
        None => Some(PathBuf::from(FILE)).filter(|f| f.is_file()),
    };
    let loaded = match file {
        None => Loaded::default(),
        Some(file) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::Usage(format!("{}: cannot read the config file: {e}", file.display())))?;
            let mut config: Config = serde_yaml::from_str(&text).map_err(|e| {
                let at = e.location().map(|l| format!(" line {}", l.line())).unwrap_or_default();
                Error::Usage(format!("{}:{at}: {e}", file.display()))
            })?;
            let base = file.parent().map(Path::to_owned).unwrap_or_default();
            let rel = |p: &mut PathBuf| {
                if p.is_relative() {
                    *p = base.join(&*p);
                }
            };
            config.store.as_mut().map(rel);
            config.synonyms.as_mut().map(rel);
            config.taxonomy.as_mut().map(rel);
            config.profiles.iter_mut().for_each(rel);
            for w in &config.watch {
                if w.name.trim().is_empty() || w.terms.iter().all(|t| t.trim().is_empty()) {
                    return Err(Error::Usage(format!("{}: a watch entry needs a name and terms", file.display())));
                }
            }
            Loaded { config, file: Some(file) }
        }
    };
    let _ = LOADED.set(loaded);
    Ok(())
}

/// The config in effect (empty when none was loaded).
pub fn current() -> &'static Loaded {
    static EMPTY: OnceLock<Loaded> = OnceLock::new();
    LOADED.get().unwrap_or_else(|| EMPTY.get_or_init(Loaded::default))
}

/// The default store folder when neither `--store` nor the config names one.
pub const DEFAULT_STORE: &str = "data/store";

impl StoreArg {
    /// The store folder: `--store`, else the config's, else `data/store`.
    pub fn dir(&self) -> PathBuf {
        self.store.clone().or_else(|| current().config.store.clone()).unwrap_or_else(|| PathBuf::from(DEFAULT_STORE))
    }
}

/// The vocabulary files in effect: the flags', else the config's (the store's own are used by
/// the callers when neither names any).
pub fn vocab(args: &VocabArgs) -> VocabArgs {
    let c = &current().config;
    if args.synonyms.is_some() || args.taxonomy.is_some() {
        return VocabArgs { synonyms: args.synonyms.clone(), taxonomy: args.taxonomy.clone() };
    }
    VocabArgs { synonyms: c.synonyms.clone(), taxonomy: c.taxonomy.clone() }
}

/// The profiles in effect: the flags', else the config's.
pub fn profiles(flags: &[PathBuf]) -> Vec<PathBuf> {
    if flags.is_empty() { current().config.profiles.clone() } else { flags.to_vec() }
}

/// `digestlens config`: every setting, its value and where it came from.
pub fn run(args: &ConfigArgs) -> anyhow::Result<Outcome> {
    let loaded = current();
    let c = &loaded.config;
    let from_file = || loaded.file.as_ref().map_or_else(|| "config".to_owned(), |f| format!("config {}", f.display()));
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let store = args.store.dir();
    let store_from = if args.store.store.is_some() {
        "flag --store".to_owned()
    } else if c.store.is_some() {
        from_file()
    } else {
        "built-in".to_owned()
    };
    rows.push(("store".into(), store.display().to_string(), store_from));
    let manifest = Store::new(&store).manifest().ok();
    for (key, flag, configured, remembered) in [
        (
            "synonyms",
            args.vocab.synonyms.as_ref(),
            c.synonyms.as_ref(),
            manifest.as_ref().and_then(|m| m.synonyms.as_ref()).map(|u| u.name.clone()),
        ),
        (
            "taxonomy",
            args.vocab.taxonomy.as_ref(),
            c.taxonomy.as_ref(),
            manifest.as_ref().and_then(|m| m.taxonomy.as_ref()).map(|u| u.name.clone()),
        ),
    ] {
        let (value, from) = match (flag, configured, remembered) {
            (Some(f), _, _) => (f.display().to_string(), format!("flag --{key}")),
            (None, Some(f), _) => (f.display().to_string(), from_file()),
            (None, None, Some(r)) => (r, "the store remembers it".to_owned()),
            _ => ("built-in".to_owned(), "built-in".to_owned()),
        };
        rows.push((key.to_owned(), value, from));
    }
    let profiles: Vec<String> = c.profiles.iter().map(|p| p.display().to_string()).collect();
    rows.push((
        "profiles".into(),
        if profiles.is_empty() { "none".into() } else { profiles.join(", ") },
        if profiles.is_empty() { "built-in".into() } else { from_file() },
    ));
    for w in &c.watch {
        rows.push((format!("watch: {}", w.name), w.terms.join(", "), from_file()));
    }
    if c.watch.is_empty() {
        rows.push(("watch".into(), "none".into(), "built-in".into()));
    }
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (k, v, from) in rows {
        out.push_str(&format!("{k:<width$}  {v}  ({from})\n"));
    }
    super::stdout(out.as_bytes())?;
    Ok(Outcome::Clean)
}
