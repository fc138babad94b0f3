//! digestlens turns an archive of daily research digests into tables.
//!
//! ```text
//! pipeline (orchestration: update = walk, parse in batches, group; parsed = sorted runs set
//!           aside, merged with the stored rows into segments, unchanged ones linked; entries =
//!           what deriving holds of each entry, each text once; derive; commit)
//!   ├─► ingest (walk, read, decode; group files into digests, the pieces that wait set aside)
//!   │     ─► read (syntax: Markdown, HTML, JSON ─► blocks or records)
//!   │     ─► formats (the site's shapes, profiles, the generic reader ─► model)
//!   ├─► normalize, analysis (derive: keyword normal forms, themes, the analysis tables)
//!   └─► store (polars frames, Parquet generations with the big tables in segments, runs set
//!             aside in memory or on disk, the writer lock; stores only)
//! commands ─► pipeline, analysis, chart, report, export, sql
//! ```
//!
//! Layers import only downward: `store` and `model` import nothing above them.
//!
//! Parsing is per file and parallel; one bad file becomes diagnostics and never stops a run.
//! Every record keeps its source file and line.
//!
//! Phases (walk, parse, frames, derive, commit, …) are `tracing` spans; production code only
//! opens them. `bench` holds the one subscriber layer, which prints each span's wall time and
//! memory when `DIGESTLENS_PHASES` is set (installed by `main`).
//!
//! Built without the default `cli` feature, the library is the readers alone (`read`, `formats`,
//! `normalize`, `model`, `error`), without polars: what the fuzz targets build.

#[cfg(feature = "cli")]
pub mod analysis;
#[cfg(feature = "cli")]
pub mod bench;
#[cfg(feature = "cli")]
pub mod chart;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod commands;
pub mod error;
pub mod formats;
#[cfg(feature = "cli")]
pub mod ingest;
pub mod model;
pub mod normalize;
#[cfg(feature = "cli")]
pub mod pipeline;
pub mod read;
#[cfg(feature = "cli")]
pub mod report;
#[cfg(feature = "cli")]
pub mod sample;
#[cfg(feature = "cli")]
pub mod store;
