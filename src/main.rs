//! The `digestlens` binary: parse arguments, run the command, map the outcome to an exit code
//! (0 ok, 1 finished with warnings, 2 usage, 3 I/O).

use std::process::ExitCode;

use clap::Parser;
use digestlens::cli::Cli;
use digestlens::error::Error;

/// mimalloc: ingest makes millions of small strings on every core. Measured on a 113 MB sample
/// (three runs each): the same wall time as glibc's allocator, 15% less peak memory. Built with
/// `no_thp` (it does not ask the kernel for transparent huge pages): each huge page is zeroed
/// whole when first touched, which was a third of the kernel time of an ingest. Adding one digest
/// to the 1.1 GB bench store, two runs each: 12.5-13.2 s with huge pages, 11.5 s without
/// (system time 5.2-5.6 s to 2.5-2.7 s, peak 2.08 GB to 1.94 GB).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Once an ingest's files are parsed, freed memory goes back to the system after 30 ms instead
/// of mimalloc's default of one second (`pipeline::set_after_parse`). What follows the parse is
/// mostly large columns built and dropped one after the other, and pages freed less than a second
/// earlier were a sixth of the peak. Measured with release builds, fresh ingests, two runs each
/// (peak RSS, wall time): on the 981 MB archive of real digests 1.11-1.15 GB and 23.4-24.4 s with
/// the default, 0.95-0.97 GB and 24.9-25.6 s with 30 ms (10 ms: 0.95-0.96 GB, 25.9-27.4 s; 50
/// ms: 0.99-1.04 GB, 23.4-24.2 s); on the 1.1 GB bench corpus 0.90-0.96 GB and 15.4-16.0 s with
/// the default, 0.78-0.85 GB and 16.5-17.4 s with 30 ms. Purging promptly from the start instead costs
/// 9 s of 24: the parse frees and allocates pages on every core.
mod allocator {
    /// `mi_option_purge_delay` of mimalloc v3 (`mimalloc.h`; `libmimalloc-sys` does not name it).
    pub(crate) const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

    /// How long freed memory is kept once the files are parsed, in milliseconds.
    const PROMPTLY_MS: std::ffi::c_long = 30;

    /// Freed memory is given back to the system `PROMPTLY_MS` after it is freed.
    #[allow(unsafe_code)]
    pub fn purge_promptly() {
        // SAFETY: `mi_option_set` stores a number in mimalloc's option table; it takes no
        // pointers. mimalloc notes that setting options is not thread safe: it is called once,
        // after the parse, when no other thread of this process is allocating.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PROMPTLY_MS) };
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    digestlens::bench::install_phase_timer();
    digestlens::pipeline::set_after_parse(allocator::purge_promptly);
    let result = digestlens::commands::run(cli);
    digestlens::bench::record_peak_rss();
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) => {
            let ours = err.chain().find_map(|e| e.downcast_ref::<Error>());
            if ours.is_some_and(Error::is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            if let Some(Error::Store(msg)) = ours
                && msg.starts_with("no store")
            {
                eprintln!("hint: ingest some digests first, e.g. `digestlens ingest ../shared/corpus`");
            }
            ExitCode::from(ours.map_or(3, Error::exit_code))
        }
    }
}

#[cfg(test)]
mod tests {
    /// The option number names mimalloc's purge delay: its default is one second, unless the
    /// environment sets it.
    #[test]
    #[allow(unsafe_code)]
    fn purge_delay_is_the_option_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("skipped purge_delay_is_the_option_set: MIMALLOC_PURGE_DELAY is set");
            return;
        }
        // SAFETY: reads a number from mimalloc's option table; no other test sets options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::allocator::PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
