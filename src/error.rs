//! Library errors. Problems in input files are diagnostics, not errors: an error means the run
//! itself cannot go on (a store or an output cannot be read or written, a bad argument).

#[cfg(feature = "cli")]
use std::fmt::Display;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[cfg(feature = "cli")]
    #[error("{path}: {source}")]
    Polars { path: String, source: polars::error::PolarsError },
    #[error("{0}")]
    Store(String),
    /// Another process holds the store's writer lock and `--no-wait` was given (exit code 3).
    #[error("{0}")]
    Locked(String),
    #[error("{0}")]
    Usage(String),
    /// A `--profile` file that cannot be used.
    #[error("{0}")]
    Profile(String),
    /// A chart or report could not be drawn.
    #[error("{0}")]
    Render(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_owned(), source }
    }

    #[cfg(feature = "cli")]
    pub fn polars(path: impl Display, source: polars::error::PolarsError) -> Self {
        Error::Polars { path: path.to_string(), source }
    }

    /// The documented exit code: 2 for usage errors, 3 for I/O and store errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Profile(_) => 2,
            _ => 3,
        }
    }

    /// Whether this is a closed pipe on standard output, which is not an error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}
