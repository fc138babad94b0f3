//! Inputs to digests: walking paths, reading bytes, decoding, format detection and parsing, in
//! parallel across files. One bad file never stops the run: it becomes diagnostics.

pub mod decode;
pub mod group;

use std::collections::HashMap;
use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use chrono::{DateTime, Datelike, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::formats::{self, ParseOptions};
use crate::model::{Diagnostic, Diagnostics, Digest, Format};

/// How files are read and parsed.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Parse every file as this format instead of detecting it.
    pub format: Option<Format>,
    pub parse: ParseOptions,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
}

/// A file found under the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// The path as the user named it (input root joined with the walked part).
    pub path: String,
    /// The PATH argument it was found under.
    pub input: String,
    pub abs: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
}

/// What reading and parsing one file gave.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    pub file: FoundFile,
    pub hash: String,
    /// The shape of its first digest; `None` when the file was skipped.
    pub format: Option<Format>,
    /// Its digests with their ids: the file's hash, or each part's own for a file of several.
    pub digests: Vec<(String, Digest)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileOutcome {
    /// The file's first digest, if it has any.
    pub fn digest(&self) -> Option<&Digest> {
        self.digests.first().map(|(_, d)| d)
    }
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_owned()
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

/// A folder as the walk keys its canonical path: the empty parent of a bare file name is `.`.
fn folder_key(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() { Path::new(".") } else { dir }
}

/// Every regular file under the inputs, sorted by path; hidden files and folders are skipped
/// with a diagnostic unless named directly.
pub fn walk(inputs: &[PathBuf]) -> (Vec<FoundFile>, Vec<Diagnostic>) {
    // (path, its absolute path unless it is a symbolic link, input)
    let mut walked: Vec<(PathBuf, Option<PathBuf>, String)> = Vec::new();
    let mut diags = Vec::new();
    let mut canonical_dirs: HashMap<PathBuf, PathBuf> = HashMap::new();
    // The folder of the last file and its canonical path: a folder's files come one after the
    // other, so most files need no lookup (hashing a `Path` parses its components).
    let mut last_dir: Option<(PathBuf, PathBuf)> = None;
    for input in inputs {
        // Not sorted by the walk (its sort parses each name of a large folder again at every
        // comparison: 16% of walking 130,000 files): the files and diagnostics are sorted below.
        let walker = WalkDir::new(input).follow_links(true);
        let mut it = walker.into_iter();
        while let Some(next) = it.next() {
            let entry = match next {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().map_or_else(|| display(input), display);
                    let message = err.io_error().map_or_else(|| err.to_string(), ToString::to_string);
                    diags.push(Diagnostic {
                        source_file: path,
                        line: 0,
                        severity: crate::model::Severity::Error,
                        code: "unreadable",
                        message,
                    });
                    continue;
                }
            };
            if entry.depth() > 0 && is_hidden(entry.path()) {
                let what = if entry.file_type().is_dir() { "hidden folder" } else { "hidden file" };
                diags.push(Diagnostic {
                    source_file: display(entry.path()),
                    line: 0,
                    severity: crate::model::Severity::Info,
                    code: "hidden-skipped",
                    message: format!("{what} skipped"),
                });
                if entry.file_type().is_dir() {
                    it.skip_current_dir();
                }
                continue;
            }
            let kind = entry.file_type();
            if kind.is_dir() {
                // A folder's canonical path: its parent's and its name, unless it is an input or
                // reached through a symbolic link (then the system resolves it): no folder's
                // path is resolved component by component (20,000 `readlink` calls for the
                // 5,000 folders of a large archive).
                let dir = entry.path();
                let dir = folder_key(dir);
                let from_parent = match (entry.depth() > 0 && !entry.path_is_symlink(), dir.parent(), dir.file_name()) {
                    (true, Some(parent), Some(name)) => {
                        let parent = folder_key(parent);
                        canonical_dirs.get(parent).map(|p| p.join(name))
                    }
                    _ => None,
                };
                let canonical = from_parent.unwrap_or_else(|| fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned()));
                canonical_dirs.insert(dir.to_owned(), canonical);
            } else if kind.is_file() {
                let is_link = entry.path_is_symlink();
                let path = entry.into_path();
                // A folder's canonical path is known from the walk (above) or looked up once,
                // here; the files are looked at (size, modification time) on every core below.
                let abs = match (is_link, path.parent(), path.file_name()) {
                    (false, Some(dir), Some(name)) => {
                        let dir = folder_key(dir);
                        let canonical = match &last_dir {
                            Some((last, canonical)) if last.as_path() == dir => canonical,
                            _ => {
                                let canonical = canonical_dirs.get(dir).cloned().unwrap_or_else(|| {
                                    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
                                    canonical_dirs.insert(dir.to_owned(), canonical.clone());
                                    canonical
                                });
                                &last_dir.insert((dir.to_owned(), canonical)).1
                            }
                        };
                        Some(canonical.join(name))
                    }
                    _ => None,
                };
                walked.push((path, abs, display(input)));
            } else {
                diags.push(Diagnostic {
                    source_file: display(entry.path()),
                    line: 0,
                    severity: crate::model::Severity::Warning,
                    code: "special-skipped",
                    message: format!("skipped: {}, not a regular file", special_kind(&kind)),
                });
            }
        }
    }
    let mut files: Vec<FoundFile> =
        walked.into_par_iter().map(|(path, abs, input)| FoundFile { input, ..found(&path, abs) }).collect();
    files.par_sort_by(|a, b| a.path.cmp(&b.path));
    // By bytes: absolute paths are canonical, and comparing two `Path`s of one length that differ
    // goes through their components.
    files.dedup_by(|a, b| a.abs.as_os_str() == b.abs.as_os_str());
    diags.sort_by(|a, b| a.source_file.cmp(&b.source_file));
    (files, diags)
}

/// What a file that is neither a regular file nor a folder is (FIFOs would block a reader forever).
fn special_kind(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_symlink() { "a symbolic link that leads nowhere" } else { "a special file" }
}

/// A found file. Its absolute path is `abs` (its folder's canonical path, looked up once per
/// folder, joined with its name) or, for a symbolic link, the canonical path of its target.
fn found(path: &Path, abs: Option<PathBuf>) -> FoundFile {
    let meta = fs::metadata(path).ok();
    let mtime_ns = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    let abs = abs.unwrap_or_else(|| fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()));
    FoundFile { path: display(path), input: String::new(), abs, size: meta.map_or(0, |m| m.len()), mtime_ns }
}

pub use formats::content_hash;

/// Reads, decodes and parses one file.
pub fn process(file: &FoundFile, options: &Options) -> FileOutcome {
    let mut diags = Diagnostics::new(&file.path);
    let mut outcome = FileOutcome {
        file: file.clone(),
        hash: String::new(),
        format: None,
        digests: Vec::new(),
        diagnostics: Vec::new(),
    };
    match fs::read(&file.abs) {
        Ok(bytes) => {
            outcome.hash = content_hash(&bytes);
            outcome.file.size = bytes.len() as u64;
            let year = DateTime::<Utc>::from_timestamp_nanos(file.mtime_ns).year();
            for parsed in parse_bytes(&file.path, &bytes, Some(year), options, &mut diags) {
                outcome.format = outcome.format.or_else(|| Some(format_of(&parsed.digest.format)));
                let id = parsed.part_hash.unwrap_or_else(|| outcome.hash.clone());
                outcome.digests.push((id, parsed.digest));
            }
        }
        Err(err) => diags.push(0, crate::model::Severity::Error, "unreadable", format!("cannot read the file: {err}")),
    }
    outcome.diagnostics = diags.into_vec();
    outcome
}

/// The shape a format label names (a profile's digests are read by the generic reader).
pub fn format_of(label: &str) -> Format {
    Format::ALL.into_iter().find(|f| f.as_str() == label).unwrap_or(Format::Generic)
}

/// Decodes and parses the bytes of a file; nothing when it is skipped (binary, empty, no paper).
pub fn parse_bytes(
    path: &str,
    bytes: &[u8],
    mtime_year: Option<i32>,
    options: &Options,
    diags: &mut Diagnostics,
) -> Vec<formats::Parsed> {
    if let Some(what) = decode::binary_reason(bytes) {
        diags.warn(0, "binary-skipped", format!("skipped: the file is {what}, not text"));
        return Vec::new();
    }
    if options.format.is_none() && crate::read::is_code(path) {
        diags.info(0, "code-skipped", "skipped: source code or configuration, not a digest");
        return Vec::new();
    }
    let text = decode::decode(bytes, diags);
    match formats::read_file(path, &text, mtime_year, options.format, &options.parse, diags) {
        Ok(parsed) => parsed,
        Err(why) => {
            diags.warn(0, "unknown-format", format!("skipped: not a digest ({why})"));
            Vec::new()
        }
    }
}

/// Files per batch and bytes per batch (whichever is reached first) of `process_batches`: enough
/// to keep every core busy, small enough that a batch's parsed digests are a bounded amount of
/// memory whatever the size of the archive.
pub const BATCH_FILES: usize = 512;
pub const BATCH_BYTES: u64 = 32 << 20;

/// Consecutive runs of `files` of at most `max_files` files and, unless one file is larger,
/// `max_bytes` bytes.
pub fn batches(files: &[FoundFile], max_files: usize, max_bytes: u64) -> Vec<&[FoundFile]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, f) in files.iter().enumerate() {
        let full = i > start && (i - start >= max_files.max(1) || bytes + f.size > max_bytes);
        if full {
            out.push(&files[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += f.size;
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

/// Processes files in parallel, keeping their order, with a progress bar for long runs.
pub fn process_all(files: &[FoundFile], options: &Options) -> Vec<FileOutcome> {
    let mut all = Vec::with_capacity(files.len());
    let _ = process_batches::<()>(files, options, usize::MAX, u64::MAX, |batch| {
        all.extend(batch);
        Ok(())
    });
    all
}

/// Processes files in batches (`batches`), each in parallel, handing each batch's outcomes in
/// file order to `each` while the next batch is read: memory holds two batches. One progress bar
/// covers every batch. Stops at the first error `each` returns.
pub fn process_batches<E: Send>(
    files: &[FoundFile],
    options: &Options,
    max_files: usize,
    max_bytes: u64,
    mut each: impl FnMut(Vec<FileOutcome>) -> Result<(), E> + Send,
) -> Result<(), E> {
    let bar = if options.progress && files.len() > 50 && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(files.len() as u64);
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    } else {
        ProgressBar::hidden()
    };
    let parse = |batch: &[FoundFile]| -> Vec<FileOutcome> {
        batch
            .par_iter()
            .map(|f| {
                let outcome = process(f, options);
                bar.inc(1);
                outcome
            })
            .collect()
    };
    // Each batch is handed on while the next one is read: a core that `each` leaves idle reads.
    let mut read: Option<Vec<FileOutcome>> = None;
    for batch in batches(files, max_files, max_bytes) {
        let (outcomes, handed) = rayon::join(|| parse(batch), || read.take().map_or(Ok(()), &mut each));
        handed?;
        read = Some(outcomes);
    }
    if let Some(outcomes) = read {
        each(outcomes)?;
    }
    bar.finish_and_clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(size: u64) -> FoundFile {
        FoundFile { path: String::new(), input: String::new(), abs: PathBuf::new(), size, mtime_ns: 0 }
    }

    #[test]
    fn batches_cover_every_file_once_within_their_bounds() {
        let files: Vec<FoundFile> = [5, 5, 5, 20, 1, 1, 1, 1, 1].into_iter().map(file).collect();
        let sizes = |max_files, max_bytes| -> Vec<Vec<u64>> {
            batches(&files, max_files, max_bytes).iter().map(|b| b.iter().map(|f| f.size).collect()).collect()
        };
        assert_eq!(sizes(100, 10), [vec![5, 5], vec![5], vec![20], vec![1, 1, 1, 1, 1]]);
        assert_eq!(sizes(2, 1000), [vec![5, 5], vec![5, 20], vec![1, 1], vec![1, 1], vec![1]]);
        assert_eq!(sizes(0, 0).len(), 9);
        assert!(batches(&[], 4, 4).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn every_file_found_has_the_canonical_path_the_system_gives_it() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let root = tmp.path().join("archive");
        for dir in ["2025/10", "2025/11/deep", "elsewhere/pages"] {
            fs::create_dir_all(root.join(dir)).expect("folder");
        }
        for file in ["2025/10/a.md", "2025/11/deep/b.md", "elsewhere/pages/c.md", "top.md"] {
            fs::write(root.join(file), "# x\n").expect("file");
        }
        // A folder reached through a link (its files live elsewhere), a link to a file, and
        // the archive itself named through a link to its parent.
        symlink(root.join("elsewhere/pages"), root.join("2025/linked")).expect("folder link");
        symlink(root.join("top.md"), root.join("2025/10/top-link.md")).expect("file link");
        symlink(tmp.path(), tmp.path().join("via")).expect("parent link");
        let inputs =
            [(root.clone(), 5), (tmp.path().join("via/archive/"), 5), (tmp.path().join("via/archive/2025/../2025"), 4)];
        for (input, files) in inputs {
            let (found, _) = walk(std::slice::from_ref(&input));
            // c.md once: through the link and in its folder it is one file.
            assert_eq!(found.len(), files, "{input:?}: {found:?}");
            for f in &found {
                let want = fs::canonicalize(tmp.path().join(&f.path)).or_else(|_| fs::canonicalize(&f.path));
                assert_eq!(Some(&f.abs), want.as_ref().ok(), "{input:?}: {}", f.path);
            }
        }
    }
}
