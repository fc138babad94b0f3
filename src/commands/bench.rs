//! `digestlens bench [--corpus DIR] [--runs N]`: makes the benchmark corpus if it is missing,
//! then times every stage (`crate::bench`) and prints the figures with their ratio to the floor.

use std::fs;
use std::time::Instant;

use super::Outcome;
use super::outln;
use crate::bench::{Corpus, Figure, folder_bytes, measure, stages, table};
use crate::cli::BenchArgs;
use crate::error::Error;
use crate::sample::{self, Options};

pub fn run(args: &BenchArgs) -> anyhow::Result<Outcome> {
    if cfg!(debug_assertions) {
        eprintln!("warning: this is a debug build; run `cargo run --release -- bench` for figures that mean something");
    }
    if !args.corpus.exists() {
        let started = Instant::now();
        let opts = Options {
            out: args.corpus.clone(),
            days: args.days,
            seed: args.seed,
            start: args.start,
            feeds: usize::from(args.feeds),
        };
        let written = sample::generate(&opts)?;
        eprintln!(
            "made the corpus {}: {} files in {:.1} s (seed {}, {} days, {} feeds)",
            args.corpus.display(),
            written.len(),
            started.elapsed().as_secs_f64(),
            args.seed,
            args.days,
            args.feeds
        );
    }
    let corpus = Corpus::scan(&args.corpus);
    let logs = args.work.join("logs");
    fs::create_dir_all(&logs).map_err(|e| Error::io(&logs, e))?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    outln!(
        "corpus {}: {} files, {:.1} MB; {cores} cores; median of {} rounds",
        corpus.dir.display(),
        corpus.files.len(),
        corpus.bytes as f64 / 1e6,
        args.runs
    )?;
    let warm = Instant::now();
    let read: u64 = corpus.files.iter().filter_map(|f| fs::read(f).ok()).map(|b| b.len() as u64).sum();
    eprintln!("page cache warmed: read {:.1} MB in {:.2} s", read as f64 / 1e6, warm.elapsed().as_secs_f64());

    let mut figures: Vec<Figure> =
        stages(&corpus.dir, &args.work).into_iter().map(|stage| Figure { stage, samples: Vec::new() }).collect();
    for round in 1..=args.runs {
        for (i, figure) in figures.iter_mut().enumerate() {
            let log = logs.join(format!("{round}-{i}.log"));
            let sample = measure(&figure.stage, &corpus, &log)?;
            eprintln!(
                "round {round}: {:<24} {:>8.3} s (exit {}, stderr in {})",
                figure.stage.name,
                sample.seconds,
                sample.exit,
                log.display()
            );
            figure.samples.push(sample);
        }
    }
    super::stdout(table(&figures, &corpus).as_bytes())?;
    let store = args.work.join("store");
    outln!(
        "store {}: {:.1} MB of Parquet for {:.1} MB of digests",
        store.display(),
        folder_bytes(&store) as f64 / 1e6,
        corpus.bytes as f64 / 1e6
    )?;
    let failed = figures.iter().any(|f| f.samples.iter().any(|s| s.exit > 1));
    if failed {
        eprintln!("warning: a stage failed (exit code above 1); see its log in {}", logs.display());
    }
    Ok(if failed { Outcome::Warnings } else { Outcome::Clean })
}
