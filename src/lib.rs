//! digestlens turns an archive of daily research digests into tables.
//!
//! ```text
//! files ─► ingest (walk, read, decode; group files into digests)
//!       ─► read (syntax: Markdown, HTML, JSON ─► blocks or records)
//!       ─► formats (the site's shapes, profiles, the generic reader ─► model)
//!       ─► store (polars frames, Parquet generations) ─► analysis, chart, report, export, sql
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
