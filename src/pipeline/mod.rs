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
