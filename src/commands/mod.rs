//! One module per subcommand. Each turns its arguments into settings, calls the library and
//! prints: data on stdout, messages and progress on stderr.

mod analysis;
mod authors;
mod bench;
mod bursts;
mod chart;
mod check;
pub mod config;
mod docs;
mod evolution;
mod export;
mod ingest;
mod keywords;
mod network;
mod output;
mod papers;
mod quality;
mod report;
mod run;
mod sample;
mod sql;
mod themes;
mod trends;
mod watch;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

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
    config::load(cli.config.as_deref())?;
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
        Command::Authors(args) => authors::run(&args),
        Command::Papers(args) => papers::run(&args),
        Command::Evolution(args) => evolution::run(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Config(args) => config::run(&args),
        Command::Network(args) => network::run(&args),
        Command::Chart(args) => chart::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Sample(args) => sample::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Completions(args) => docs::completions(&args),
        Command::Man(args) => docs::man(&args),
    }
}

/// Reading options from the flags; a profile that cannot be read is a usage error.
fn options(parse: &ParseArgs, progress: bool) -> Result<Options, Error> {
    let profiles = config::profiles(&parse.profile)
        .iter()
        .map(|p| crate::formats::profile::Profile::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Options {
        format: parse.format.map(Into::into),
        parse: ParseOptions { year: parse.year, profiles: profiles.into() },
        progress,
    })
}

/// Diagnostics counted by severity, for a command's summary line.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
}

impl Tally {
    pub fn add(&mut self, severity: crate::model::Severity) {
        use crate::model::Severity;
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.info += 1,
        }
    }
}

/// Set once stdout was found closed (`digestlens … | head`): later data is dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes data to stdout. A closed pipe is not an error: the reader has what it wanted, so the
/// data is dropped and the command ends as it would have, with its own exit code.
fn stdout(bytes: &[u8]) -> Result<(), Error> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        other => other.map_err(|e| Error::io(std::path::Path::new("<stdout>"), e)),
    }
}

/// `println!` for data: through `stdout`, so a closed pipe ends nothing with a panic.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::commands::stdout(format!("{}\n", format_args!($($arg)*)).as_bytes())
    };
}
pub(crate) use outln;
