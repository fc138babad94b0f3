//! `digestlens sample`: writes the made-up archive and prints what went where.

use crate::cli::SampleArgs;
use crate::commands::{Outcome, outln};
use crate::model::Format;
use crate::sample::{Options, generate};

pub fn run(args: &SampleArgs) -> anyhow::Result<Outcome> {
    if let Some(from) = &args.from {
        let started = std::time::Instant::now();
        let written = crate::sample::remix::remix(from, &args.out, args.megabytes, args.seed)?;
        print_counts(&written)?;
        let bytes: usize = written.iter().map(|w| w.bytes).sum();
        eprintln!(
            "wrote {} files ({:.1} MB) made from the digests of {} to {} in {:.1} s (seed {})",
            written.len(),
            bytes as f64 / 1e6,
            from.display(),
            args.out.display(),
            started.elapsed().as_secs_f64(),
            args.seed
        );
        return Ok(Outcome::Clean);
    }
    let opts = Options {
        out: args.out.clone(),
        days: args.days,
        seed: args.seed,
        start: args.start,
        feeds: usize::from(args.feeds),
    };
    let started = std::time::Instant::now();
    let written = generate(&opts)?;
    print_counts(&written)?;
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

/// Files, entries and bytes written per format (formats with none are left out of a remix).
fn print_counts(written: &[crate::sample::Written]) -> anyhow::Result<()> {
    outln!("{:<10} {:>6} {:>8} {:>12}", "format", "files", "entries", "bytes")?;
    for format in Format::ALL {
        let of: Vec<_> = written.iter().filter(|w| w.format == format).collect();
        if of.is_empty() && !Format::SHAPES.contains(&format) {
            continue;
        }
        let entries: usize = of.iter().map(|w| w.entries).sum();
        let bytes: usize = of.iter().map(|w| w.bytes).sum();
        outln!("{:<10} {:>6} {entries:>8} {bytes:>12}", format.as_str(), of.len())?;
    }
    Ok(())
}
