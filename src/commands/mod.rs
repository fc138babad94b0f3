//! One module per subcommand. Each turns its arguments into settings, calls the library and
//! prints: data on stdout, messages and progress on stderr.

mod analysis;
mod bench;
mod bursts;
mod chart;
mod check;
mod export;
mod ingest;
mod keywords;
mod output;
mod quality;
mod report;
mod run;
mod sample;
mod sql;
mod themes;
mod trends;

use std::io::Write;

use crate::cli::{Cli, Command, ParseArgs};
use crate::error::Error;
use crate::formats::ParseOptions;
use crate::ingest::Options;

/// How a command finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    /// Finished, but some records were skipped or marked (exit code 1).
    Warnings,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Warnings => 1,
        }
    }

    fn from_warnings(warnings: bool) -> Self {
        if warnings { Outcome::Warnings } else { Outcome::Clean }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Ingest(args) => ingest::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Sql(args) => sql::run(&args),
        Command::Quality(args) => quality::run(&args),
        Command::Trends(args) => trends::run(&args),
        Command::Bursts(args) => bursts::run(&args),
        Command::Themes(args) => themes::run(&args),
        Command::Keywords(args) => keywords::run(&args),
        Command::Chart(args) => chart::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Sample(args) => sample::run(&args),
        Command::Bench(args) => bench::run(&args),
    }
}

/// Reading options from the flags; a profile that cannot be read is a usage error.
fn options(parse: &ParseArgs, progress: bool) -> Result<Options, Error> {
    let profiles =
        parse.profile.iter().map(|p| crate::formats::profile::Profile::load(p)).collect::<Result<Vec<_>, _>>()?;
    Ok(Options {
        format: parse.format.map(Into::into),
        parse: ParseOptions { year: parse.year, profiles: profiles.into() },
        progress,
    })
}

/// Writes data to stdout; a closed pipe surfaces as a broken-pipe error that main ignores.
fn stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush()).map_err(|e| Error::io(std::path::Path::new("<stdout>"), e))
}
