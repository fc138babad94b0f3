//! Who may touch a store: one writer at a time, and no generation removed under a reader.
//!
//! - **The writer lock** is an exclusive advisory lock (`flock` on Unix, `LockFileEx` on Windows,
//!   through `std::fs::File::lock`) on `STORE/lock`, held for a whole ingest. The holder writes
//!   its process id, command and start time into the file so that a second writer can name it.
//!   The operating system drops the lock when its process ends, however it ends (kill -9
//!   included), so a lock left by a killed process never blocks anyone: the file's text may be
//!   stale, the lock is not.
//! - **Read pins**: a reader takes a shared lock on `STORE/gen-N/.readers` before reading that
//!   generation and keeps it while it runs. A writer removes an old generation only after it got
//!   the exclusive lock on that file, so a generation being read is left for a later commit to
//!   remove. A reader that finds its generation gone (removed between reading `CURRENT` and
//!   taking the pin) reads `CURRENT` again.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The writer lock's file name in the store folder.
pub const WRITER: &str = "lock";
/// The read-pin file's name in a generation folder.
pub const READERS: &str = ".readers";

/// What a writer does when another process holds the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wait {
    /// Wait for it, saying so on stderr.
    #[default]
    Block,
    /// Give up at once with [`Error::Locked`].
    NoWait,
}

/// The writer lock, held until dropped.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
    path: PathBuf,
}

impl WriterLock {
    /// Takes the writer lock of the store folder `dir` (created if missing).
    pub fn acquire(dir: &Path, wait: Wait) -> Result<WriterLock> {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(WRITER);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = holder(&mut file);
                match wait {
                    Wait::NoWait => {
                        return Err(Error::Locked(format!(
                            "the store {} is being written by {holder} (lock file {}); --no-wait was given",
                            dir.display(),
                            path.display()
                        )));
                    }
                    Wait::Block => {
                        eprintln!(
                            "waiting for the store {}: it is being written by {holder} (lock file {})",
                            dir.display(),
                            path.display()
                        );
                        file.lock().map_err(|e| Error::io(&path, e))?;
                    }
                }
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let started = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let command: Vec<String> = std::env::args().take(3).collect();
        let text = format!("pid {}\ncommand {}\nsince {started}\n", std::process::id(), command.join(" "));
        // The text only names the holder for others; failing to write it does not matter.
        let _ = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| file.write_all(text.as_bytes()));
        Ok(WriterLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// "process 1234 (digestlens ingest …, since …)" from a held lock file's text.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|()| file.take(4096).read_to_string(&mut text));
    let field = |key: &str| {
        text.lines().find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_owned())).filter(|v| !v.is_empty())
    };
    match (field("pid "), field("command "), field("since ")) {
        (Some(pid), Some(command), Some(since)) => format!("process {pid} ({command}, since {since})"),
        (Some(pid), _, _) => format!("process {pid}"),
        _ => "another process".to_owned(),
    }
}

/// A shared lock on one generation, held while it is read.
#[derive(Debug)]
pub struct ReadPin {
    _file: File,
}

impl ReadPin {
    /// Pins `generation`; `None` when the folder is gone (removed by a writer) or has no pin file
    /// because an older digestlens wrote it (such a generation is read unpinned).
    pub fn take(generation: &Path) -> Result<Option<ReadPin>> {
        let path = generation.join(READERS);
        let file = match OpenOptions::new().read(true).open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        file.lock_shared().map_err(|e| Error::io(&path, e))?;
        // A writer removes a generation while it holds the exclusive lock: once the shared lock
        // is ours, the folder either still exists, and stays, or is gone.
        if path.exists() { Ok(Some(ReadPin { _file: file })) } else { Ok(None) }
    }

    /// Writes the pin file of a new generation folder.
    pub fn create(generation: &Path) -> Result<()> {
        let path = generation.join(READERS);
        File::create(&path).map(drop).map_err(|e| Error::io(&path, e))
    }
}

/// Removes a generation folder unless a reader has it pinned; says whether it was removed.
pub fn remove_unpinned(generation: &Path) -> bool {
    let path = generation.join(READERS);
    match File::open(&path) {
        Ok(file) => match file.try_lock() {
            Ok(()) => fs::remove_dir_all(generation).is_ok(),
            Err(_) => false,
        },
        // Staging folders and generations written before pins existed.
        Err(_) => fs::remove_dir_all(generation).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_holder_named_and_admitted_after() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let first = WriterLock::acquire(dir.path(), Wait::NoWait).unwrap_or_else(|e| panic!("{e}"));
        let err = WriterLock::acquire(dir.path(), Wait::NoWait).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains(&format!("process {}", std::process::id())), "{err}");
        assert!(err.contains("lock file"), "{err}");
        drop(first);
        assert!(WriterLock::acquire(dir.path(), Wait::NoWait).is_ok());
    }

    #[test]
    fn a_pinned_generation_is_not_removed_until_its_reader_is_done() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let generation = dir.path().join("gen-000001");
        fs::create_dir_all(&generation).unwrap_or_else(|e| panic!("{e}"));
        ReadPin::create(&generation).unwrap_or_else(|e| panic!("{e}"));
        let pin = ReadPin::take(&generation).ok().flatten();
        assert!(pin.is_some());
        assert!(!remove_unpinned(&generation));
        assert!(generation.exists());
        drop(pin);
        assert!(remove_unpinned(&generation));
        assert!(!generation.exists());
        assert!(ReadPin::take(&generation).ok().flatten().is_none());
    }
}
