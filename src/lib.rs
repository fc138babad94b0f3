//! digestlens turns an archive of daily research digests into tables.
//!
//! ```text
//! files ─► ingest (walk, read, decode, detect) ─► formats (one parser per format) ─► model
//!       ─► store (polars frames, Parquet generations) ─► export (CSV, Parquet, NDJSON) and sql
//! ```
//!
//! Parsing is per file and parallel; one bad file becomes diagnostics and never stops a run.
//! Every record keeps its source file and line.

pub mod analysis;
pub mod bench;
pub mod chart;
pub mod cli;
pub mod commands;
pub mod error;
pub mod formats;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod read;
pub mod report;
pub mod sample;
pub mod store;
