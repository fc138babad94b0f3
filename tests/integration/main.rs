//! End-to-end tests: the real binary on the shared corpus (read from ../shared/corpus, never
//! copied) and on small hand-made inputs written into a temp dir. One test binary; its modules
//! group the tests by stage.

mod analysis;
mod evolution;
mod ingest;
mod manners;
mod people;
mod readers;
mod report;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

pub(crate) fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

pub(crate) fn seed(prefix: &str) -> PathBuf {
    let dir = corpus().join("seeds");
    std::fs::read_dir(&dir)
        .expect("shared corpus seeds")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)))
        .unwrap_or_else(|| panic!("no seed {prefix}"))
}

/// Runs the binary in a temp dir that outlives the call.
pub(crate) struct Env {
    dir: TempDir,
}

impl Env {
    pub(crate) fn new() -> Self {
        Env { dir: TempDir::new().expect("temp dir") }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub(crate) fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("digestlens").expect("binary").current_dir(self.dir.path()).args(args).output().expect("run")
    }

    /// Runs digestlens with one environment variable set.
    pub(crate) fn run_with(&self, var: (&str, &str), args: &[&str]) -> Output {
        Command::cargo_bin("digestlens")
            .expect("binary")
            .current_dir(self.dir.path())
            .env(var.0, var.1)
            .args(args)
            .output()
            .expect("run")
    }

    pub(crate) fn sql(&self, store: &str, query: &str) -> String {
        let out = self.run(&["sql", "--store", store, "--csv", query]);
        assert!(out.status.success(), "sql failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8")
    }
}

pub(crate) fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A small CSV reader for test assertions (the export's own format).
pub(crate) fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    rows
}

/// The folders of the shared corpus in the site's own shapes (seeds, site, site-revisions): the
/// tests that count rows name them, so that a new folder in the corpus never changes their figures.
pub(crate) const SITE_FOLDERS: [&str; 3] = ["seeds", "site", "site-revisions"];

/// A made-up digest in the site's Markdown shape with one TL;DR theme and one paper
/// (whose abstract is `We study {theme} in depth.`).
pub(crate) fn site_digest(day: &str, theme: &str, description: &str, id: &str, keywords: &str) -> String {
    format!(
        "---\ntitle: \"ArXiv Daily Digest on {day}\"\ndate: {day}\n---\n\nOverview.\n\n## TL;DR\n\n**Main Themes:**\n- **{theme}** - {description}\n\n---\n\n# A made-up paper on {theme} ({id})\n\nAuthors: Ada Lovelace, Alan Turing\n\nKeywords: {keywords}\n\nComments: None\n\nPaper link: [http://arxiv.org/abs/{id}v1](http://arxiv.org/abs/{id}v1)\n\n## Abstract\n\nWe study {theme} in depth.\n\n## Summary\n\nA summary.\n"
    )
}

/// The site-shaped folders of the shared corpus ingested into `store`.
pub(crate) fn ingested() -> (Env, Output) {
    let env = Env::new();
    let paths: Vec<PathBuf> = SITE_FOLDERS.iter().map(|f| corpus().join(f)).collect();
    let mut args = vec!["ingest"];
    args.extend(paths.iter().map(|p| s(p)));
    args.extend(["--store", "store"]);
    let out = env.run(&args);
    assert!(matches!(out.status.code(), Some(0 | 1)), "ingest: {}", stderr(&out));
    (env, out)
}
