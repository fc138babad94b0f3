//! `digestlens sample`: writes the made-up archive and prints what went where.

use crate::cli::SampleArgs;
use crate::commands::{Outcome, outln};
use crate::model::Format;
use crate::sample::{Options, generate};

pub fn run(args: &SampleArgs) -> anyhow::Result<Outcome> {
    let opts = Options {
        out: args.out.clone(),
        days: args.days,
        seed: args.seed,
        start: args.start,
        feeds: usize::from(args.feeds),
    };
    let started = std::time::Instant::now();
    let written = generate(&opts)?;
    outln!("{:<10} {:>6} {:>8} {:>12}", "format", "files", "entries", "bytes")?;
    for format in Format::SHAPES {
        let of: Vec<_> = written.iter().filter(|w| w.format == format).collect();
        let entries: usize = of.iter().map(|w| w.entries).sum();
        let bytes: usize = of.iter().map(|w| w.bytes).sum();
        outln!("{:<10} {:>6} {entries:>8} {bytes:>12}", format.as_str(), of.len())?;
    }
    let bytes: usize = written.iter().map(|w| w.bytes).sum();
    eprintln!(
        "wrote {} files ({:.1} MB) to {} in {:.1} s (seed {}, {} days from {})",
        written.len(),
        bytes as f64 / 1e6,
        args.out.display(),
        started.elapsed().as_secs_f64(),
        args.seed,
        args.days,
        args.start
    );
    Ok(Outcome::Clean)
}
