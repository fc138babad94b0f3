//! The pipeline: orchestration above the layers it drives. `update` walks the inputs, reads and
//! parses them (`ingest`, `formats`), groups files into digests, turns records into frames
//! (`store::frames`; the entries are held as `entries::Entries`, each text once), derives the
//! normalised and analysis tables (`derive`: `normalize`, `analysis`) and commits a generation
//! under the store's writer lock (`store`). `store/` only stores; nothing below this module
//! calls it.

pub mod derive;
mod entries;
pub mod parsed;
pub mod update;

use std::sync::OnceLock;

use crate::model::{Diagnostic, Severity};

/// Moves the errors and warnings of `diags` to `kept`, in order, and returns how many notes
/// (`Severity::Info`) there were besides: an ingest keeps only what it prints, as its notes are
/// in the `diagnostics` table.
fn keep_warnings(diags: impl IntoIterator<Item = Diagnostic>, kept: &mut Vec<Diagnostic>) -> usize {
    let mut notes = 0;
    for d in diags {
        if d.severity >= Severity::Warning {
            kept.push(d);
        } else {
            notes += 1;
        }
    }
    notes
}

/// What the process does once an ingest's files are parsed, set by the binary (`main.rs`): it
/// tells the allocator to give freed memory back to the system promptly from then on. The files
/// are parsed on every core into millions of small strings, where holding freed pages for a while
/// is fastest; what follows is mostly one thread building and dropping large columns one after
/// the other, where pages held after they are freed add up to the peak.
static AFTER_PARSE: OnceLock<fn()> = OnceLock::new();

/// Sets the hook `update` calls once the files of an ingest are parsed (the first call wins).
pub fn set_after_parse(hook: fn()) {
    let _ = AFTER_PARSE.set(hook);
}

/// Runs the hook of `set_after_parse`, if one is set.
fn after_parse() {
    if let Some(hook) = AFTER_PARSE.get() {
        hook();
    }
}
