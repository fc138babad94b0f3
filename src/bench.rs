//! `digestlens bench`: wall time, throughput and peak memory of the main commands on a corpus,
//! each given as a ratio to the time of reading every file once with `cat`.
//!
//! Every stage runs as its own process (this binary, or `cat` for the floor), so each figure is
//! what a user waits for, start-up included, and each peak RSS belongs to one command: the child
//! writes its own high-water mark (`VmHWM` of `/proc/self/status`) to the file named by
//! `DIGESTLENS_PEAK_RSS` when it exits. Rounds run the stages one after the other, so that a
//! noisy stretch of the machine touches every stage alike; the median of the rounds is reported.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// The environment variable that asks a digestlens process to write its peak RSS (bytes).
pub const PEAK_RSS_ENV: &str = "DIGESTLENS_PEAK_RSS";

/// The environment variable that makes ingest and the analysis print how long each phase took.
pub const PHASES_ENV: &str = "DIGESTLENS_PHASES";

/// Prints every closed `tracing` span (the pipeline's phases) to stderr with its wall time and the
/// process's memory at that moment, when `DIGESTLENS_PHASES` is set. Production code only opens
/// spans; this layer, installed by `main`, is what turns them into figures.
pub fn install_phase_timer() {
    use tracing_subscriber::layer::SubscriberExt;
    if std::env::var_os(PHASES_ENV).is_some() {
        let subscriber = tracing_subscriber::registry().with(PhaseTimer);
        let _ = tracing::subscriber::set_global_default(subscriber);
    }
}

/// The layer of `install_phase_timer`: remembers when each span opened, prints it when it closes.
struct PhaseTimer;

/// When a span opened, and the process's CPU time then.
struct Opened(Instant, Option<f64>);

/// The CPU time (user and system, every thread) this process has used, in seconds, from
/// `/proc/self/stat` (Linux; its clock ticks are `USER_HZ`, 100 a second on every Linux ABI).
fn cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces, so it ends at the last ')'):
    // state is the first, utime and stime the 12th and 13th.
    let mut rest = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().skip(11);
    let (user, system): (f64, f64) = (rest.next()?.parse().ok()?, rest.next()?.parse().ok()?);
    Some((user + system) / 100.0)
}

impl<S> tracing_subscriber::Layer<S> for PhaseTimer
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        _: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Opened(Instant::now(), cpu_seconds()));
        }
    }

    fn on_close(&self, id: tracing::span::Id, ctx: tracing_subscriber::layer::Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let Some((secs, cpu_then)) = span.extensions().get::<Opened>().map(|o| (o.0.elapsed().as_secs_f64(), o.1))
        else {
            return;
        };
        let cpu = cpu_then.zip(cpu_seconds()).map_or(0.0, |(then, now)| now - then);
        let mb = |key| status_bytes(key).map_or(0.0, |b| b as f64 / 1e6);
        let (rss, peak) = (mb("VmRSS:"), mb("VmHWM:"));
        let indent = "  ".repeat(span.scope().skip(1).count());
        let name = format!("{indent}{}", span.name());
        eprintln!("phase {name:<30} {secs:>8.3} s  cpu {cpu:>7.2} s  rss {rss:>6.0} MB  peak {peak:>6.0} MB");
    }
}

/// Files per `cat` process, as `xargs` would pass them.
const CAT_BATCH: usize = 1000;

/// The peak resident set size of this process, in bytes (Linux; `None` elsewhere).
pub fn peak_rss() -> Option<u64> {
    status_bytes("VmHWM:")
}

/// A size line of `/proc/self/status`, in bytes.
fn status_bytes(key: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line.trim_start_matches(key).trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// Writes the peak RSS to the file `DIGESTLENS_PEAK_RSS` names, if it names one.
pub fn record_peak_rss() {
    if let (Some(path), Some(rss)) = (std::env::var_os(PEAK_RSS_ENV), peak_rss()) {
        let _ = fs::write(path, rss.to_string());
    }
}

/// The corpus a benchmark reads: its files (as ingest walks them) and their size.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub bytes: u64,
}

impl Corpus {
    /// The files ingest would read under `dir` (hidden ones are skipped, as ingest does).
    pub fn scan(dir: &Path) -> Corpus {
        let (found, _) = crate::ingest::walk(&[dir.to_owned()]);
        Corpus {
            dir: dir.to_owned(),
            bytes: found.iter().map(|f| f.size).sum(),
            files: found.into_iter().map(|f| f.abs).collect(),
        }
    }
}

/// What a stage runs.
#[derive(Debug, Clone)]
pub enum Work {
    /// `cat` of every corpus file to /dev/null, in batches as `xargs` would run it.
    Cat,
    /// In this process, on every core: reading every file of `folder` (the corpus when none) and
    /// running pulldown-cmark over the Markdown ones (`parse_pass`). A reader built on
    /// pulldown-cmark takes at least that, before any work of its own.
    ParseFloor { folder: Option<PathBuf> },
    /// This binary with these arguments, after removing these folders.
    Digestlens { args: Vec<String>, fresh: Vec<PathBuf> },
    /// `python3` with these arguments (the Python peer, `scripts/peer/peer.py`).
    Python { args: Vec<String> },
    /// This binary with these arguments, after writing one new site-shaped Markdown digest (a day
    /// that no other run wrote) into the folder `new`: adding one day to a store.
    AddDigest { args: Vec<String>, new: PathBuf },
}

/// One measured command.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub work: Work,
    /// The bounds the issue sets for it, to print beside the figure.
    pub targets: Vec<Target>,
    /// The bytes it reads when not the whole corpus (its MB/s are of these; no floor ratio).
    pub bytes: Option<u64>,
}

/// A performance target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// At most this many times the floor.
    FloorRatio(f64),
    /// Under this many seconds.
    Seconds(f64),
    /// At least this many times faster than the stage named `PEER`.
    FasterThanPeer(f64),
    /// A peak resident set size of at most this many bytes.
    PeakRss(u64),
}

const MIB: u64 = 1 << 20;

/// The stage of the Python peer, which `Target::FasterThanPeer` compares with.
pub const PEER: &str = "python peer (markdown)";

/// The stages of `Work::ParseFloor`: over the corpus, and over its `markdown` folder.
pub const PARSE_FLOOR: &str = "parse floor";
pub const PARSE_FLOOR_MARKDOWN: &str = "parse floor (markdown)";

/// The peer script, from the crate's folder (it is not part of the binary).
fn peer_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/peer/peer.py")
}

/// Whether python3 with pandas and pyarrow and the peer script are here. The imports are tried
/// in the script's folder, as the peer runs: `python3 -c` looks for modules in the current folder
/// first, where a script named like a standard module (`grp.py`, met once) is imported instead.
fn peer_available() -> bool {
    let script = peer_script();
    script.is_file()
        && Command::new("python3")
            .args(["-c", "import pandas, pyarrow"])
            .current_dir(script.parent().unwrap_or(Path::new(".")))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// One run of one stage.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub seconds: f64,
    pub peak_rss: Option<u64>,
    pub exit: i32,
    /// For `Work::ParseFloor`: the seconds every thread spent reading and parsing.
    pub parts: Option<[f64; 2]>,
}

/// The stages of the benchmark, with `work` as the scratch folder (stores, reports, logs).
pub fn stages(corpus: &Path, work: &Path) -> Vec<Stage> {
    let s = |p: &Path| p.to_string_lossy().into_owned();
    let (store, run_store, reports) = (work.join("store"), work.join("run-store"), work.join("reports"));
    let new = work.join("new-digests");
    let ingest = vec!["ingest".into(), s(corpus), "--store".into(), s(&store), "--quiet".into()];
    let digestlens = |args: Vec<String>, fresh: Vec<PathBuf>| Work::Digestlens { args, fresh };
    let add = Work::AddDigest {
        args: vec!["ingest".into(), s(corpus), s(&new), "--store".into(), s(&store), "--quiet".into()],
        new: new.clone(),
    };
    let stage = |name, work, targets| Stage { name, work, targets, bytes: None };
    vec![
        stage("read floor (cat)", Work::Cat, vec![]),
        stage(PARSE_FLOOR, Work::ParseFloor { folder: None }, vec![]),
        stage("check", digestlens(vec!["check".into(), s(corpus)], vec![]), vec![Target::PeakRss(512 * MIB)]),
        stage(
            "check --json",
            digestlens(vec!["check".into(), s(corpus), "--json".into()], vec![]),
            vec![Target::PeakRss(512 * MIB)],
        ),
        stage(
            "ingest (fresh store)",
            digestlens(ingest.clone(), vec![store.clone(), new.clone()]),
            vec![Target::FloorRatio(4.0), Target::PeakRss(1024 * MIB)],
        ),
        stage("re-ingest (unchanged)", digestlens(ingest, vec![]), vec![Target::Seconds(0.5)]),
        // Two days, one after the other: the first one's keywords (the sample's vocabulary) are
        // new to a corpus of other digests and may join its extraction vocabulary, when every
        // table is derived again; the second adds what the first taught nothing new to, when
        // the stored keyword rows and papers are kept (`pipeline::derive::Basis`).
        stage("add one digest", add.clone(), vec![Target::Seconds(1.0), Target::PeakRss(1024 * MIB)]),
        stage("add another digest", add, vec![Target::Seconds(1.0), Target::PeakRss(1024 * MIB)]),
        stage(
            "trends --period week",
            digestlens(vec!["trends".into(), "--store".into(), s(&store), "--period".into(), "week".into()], vec![]),
            vec![Target::Seconds(0.3)],
        ),
    ]
    .into_iter()
    .chain(markdown_stages(corpus, work))
    .chain([stage(
        "run (fresh store)",
        digestlens(
            vec![
                "run".into(),
                s(corpus),
                "--store".into(),
                s(&run_store),
                "--reports".into(),
                s(&reports),
                "--quiet".into(),
            ],
            vec![run_store, reports],
        ),
        vec![],
    )])
    .collect()
}

/// Writes one new digest into `dir`: a site-shaped Markdown day dated after every day a `sample`
/// corpus has (the first free day from 2200-01-01 on, so each run adds a day of its own).
fn write_new_digest(dir: &Path) -> Result<PathBuf> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut date = chrono::NaiveDate::from_ymd_opt(2200, 1, 1).unwrap_or_default();
    let mut index = 0;
    loop {
        let path = dir.join(format!("{date}.md"));
        if !path.exists() {
            let day = crate::sample::world::day(7, 0, index, index + 1, date);
            fs::write(&path, crate::sample::render::markdown(&day)).map_err(|e| Error::io(&path, e))?;
            return Ok(path);
        }
        date = date.succ_opt().unwrap_or(date);
        index += 1;
    }
}

/// The site-shaped Markdown folder of a `sample` corpus, ingested by digestlens and read by the
/// Python peer (regular expressions + pandas, `scripts/peer/peer.py`) side by side; nothing when
/// the corpus has no `markdown` folder. Without python3, pandas and pyarrow the peer stage says
/// so in its log and exits 127.
fn markdown_stages(corpus: &Path, work: &Path) -> Vec<Stage> {
    let markdown = corpus.join("markdown");
    if !markdown.is_dir() {
        return Vec::new();
    }
    let s = |p: &Path| p.to_string_lossy().into_owned();
    let store = work.join("markdown-store");
    let bytes = Some(folder_bytes(&markdown));
    vec![
        Stage {
            name: "ingest (markdown)",
            work: Work::Digestlens {
                args: vec!["ingest".into(), s(&markdown), "--store".into(), s(&store), "--quiet".into()],
                fresh: vec![store],
            },
            targets: vec![Target::FasterThanPeer(3.0)],
            bytes,
        },
        Stage {
            name: PEER,
            work: Work::Python { args: vec![s(&peer_script()), s(&markdown), s(&work.join("peer.parquet"))] },
            targets: vec![],
            bytes,
        },
        Stage { name: PARSE_FLOOR_MARKDOWN, work: Work::ParseFloor { folder: Some(markdown) }, targets: vec![], bytes },
    ]
}

/// Runs a stage once; its stderr goes to `log`.
pub fn measure(stage: &Stage, corpus: &Corpus, log: &Path) -> Result<Sample> {
    let err_log = || fs::File::create(log).map_err(|e| Error::io(log, e));
    match &stage.work {
        Work::Cat => {
            let started = Instant::now();
            let mut exit = 0;
            for batch in corpus.files.chunks(CAT_BATCH) {
                let status = Command::new("cat")
                    .args(batch)
                    .stdout(Stdio::null())
                    .stderr(err_log()?)
                    .status()
                    .map_err(|e| Error::io(Path::new("cat"), e))?;
                exit = exit.max(status.code().unwrap_or(-1));
            }
            Ok(Sample { seconds: started.elapsed().as_secs_f64(), peak_rss: None, exit, parts: None })
        }
        Work::ParseFloor { folder } => {
            let files = folder.as_deref().map(|dir| Corpus::scan(dir).files);
            let files = files.as_deref().unwrap_or(&corpus.files);
            let started = Instant::now();
            let pass = files.par_chunks(PARSE_FLOOR_FILES).map(parse_pass).reduce(ParsePass::default, ParsePass::add);
            let seconds = started.elapsed().as_secs_f64();
            std::hint::black_box(pass.out);
            let parts = pass.seconds.map(|d| d.as_secs_f64());
            let said = format!(
                "{} files, {} could not be read; thread seconds reading {:.3}, parsing {:.3}\n",
                files.len(),
                pass.failed,
                parts[0],
                parts[1],
            );
            fs::write(log, said).map_err(|e| Error::io(log, e))?;
            Ok(Sample { seconds, peak_rss: None, exit: i32::from(pass.failed > 0), parts: Some(parts) })
        }
        Work::AddDigest { args, new } => {
            write_new_digest(new)?;
            run_digestlens(args, log)
        }
        Work::Digestlens { args, fresh } => {
            for dir in fresh {
                if dir.exists() {
                    fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                }
            }
            run_digestlens(args, log)
        }
        Work::Python { args } => {
            if !peer_available() {
                fs::write(
                    log,
                    "python3 with pandas and pyarrow (scripts/peer/requirements.txt) is needed for the peer\n",
                )
                .map_err(|e| Error::io(log, e))?;
                return Ok(Sample { seconds: f64::NAN, peak_rss: None, exit: 127, parts: None });
            }
            let started = Instant::now();
            let status = Command::new("python3")
                .args(args)
                .stdout(Stdio::null())
                .stderr(err_log()?)
                .status()
                .map_err(|e| Error::io(Path::new("python3"), e))?;
            Ok(Sample {
                seconds: started.elapsed().as_secs_f64(),
                peak_rss: None,
                exit: status.code().unwrap_or(-1),
                parts: None,
            })
        }
    }
}

/// Files a task of `Work::ParseFloor` takes at a time.
const PARSE_FLOOR_FILES: usize = 64;

/// What `parse_pass` did with some files.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct ParsePass {
    /// The bytes read and events parsed (kept so that no part is optimised away).
    out: usize,
    /// The files that could not be read.
    failed: usize,
    /// The time spent reading and parsing.
    seconds: [Duration; 2],
}

impl ParsePass {
    fn add(self, other: ParsePass) -> ParsePass {
        let mut seconds = self.seconds;
        seconds.iter_mut().zip(other.seconds).for_each(|(a, b)| *a += b);
        ParsePass { out: self.out + other.out, failed: self.failed + other.failed, seconds }
    }
}

/// Reads files and runs pulldown-cmark over the Markdown ones, as the readers call it (tables and
/// strikethrough, every event with its range).
fn parse_pass(paths: &[PathBuf]) -> ParsePass {
    let options = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    let mut pass = ParsePass::default();
    for path in paths {
        let started = Instant::now();
        let read = fs::read(path);
        pass.seconds[0] += started.elapsed();
        let Ok(bytes) = read else {
            pass.failed += 1;
            continue;
        };
        pass.out += bytes.len();
        if path.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "md" | "markdown")) {
            let started = Instant::now();
            let text = String::from_utf8_lossy(&bytes);
            pass.out += pulldown_cmark::Parser::new_ext(&text, options).into_offset_iter().count();
            pass.seconds[1] += started.elapsed();
        }
    }
    pass
}

/// Runs this binary with `args` (stdout to /dev/null, stderr to `log`) and reads the peak RSS the
/// child records.
fn run_digestlens(args: &[String], log: &Path) -> Result<Sample> {
    let exe = std::env::current_exe().map_err(|e| Error::io(Path::new("digestlens"), e))?;
    let err_log = fs::File::create(log).map_err(|e| Error::io(log, e))?;
    let rss_file = log.with_extension("rss");
    let _ = fs::remove_file(&rss_file);
    let started = Instant::now();
    let status = Command::new(&exe)
        .args(args)
        .env(PEAK_RSS_ENV, &rss_file)
        .stdout(Stdio::null())
        .stderr(err_log)
        .status()
        .map_err(|e| Error::io(&exe, e))?;
    let seconds = started.elapsed().as_secs_f64();
    let peak_rss = fs::read_to_string(&rss_file).ok().and_then(|s| s.trim().parse().ok());
    Ok(Sample { seconds, peak_rss, exit: status.code().unwrap_or(-1), parts: None })
}

/// The median of some numbers (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// One row of the result table.
#[derive(Debug, Clone)]
pub struct Figure {
    pub stage: Stage,
    pub samples: Vec<Sample>,
}

impl Figure {
    pub fn seconds(&self) -> f64 {
        median(&self.samples.iter().map(|s| s.seconds).collect::<Vec<_>>())
    }

    /// The mean of the samples' `parts` (none when no sample has them).
    pub fn parts(&self) -> Option<[f64; 2]> {
        let parts: Vec<[f64; 2]> = self.samples.iter().filter_map(|s| s.parts).collect();
        let n = parts.len() as f64;
        (!parts.is_empty()).then(|| [0, 1].map(|i| parts.iter().map(|p| p[i]).sum::<f64>() / n))
    }

    pub fn peak_rss(&self) -> Option<u64> {
        self.samples.iter().filter_map(|s| s.peak_rss).max()
    }

    /// Whether the stage met each of its targets, given the floor's and the peer's median
    /// seconds (`None` when the figure it needs is missing).
    pub fn met(&self, floor: f64, peer: f64) -> Vec<(Target, Option<bool>)> {
        let secs = self.seconds();
        let known = |v: f64| (!v.is_nan()).then_some(v);
        self.stage
            .targets
            .iter()
            .map(|&t| {
                let met = match t {
                    Target::FloorRatio(r) => known(floor).map(|floor| secs <= r * floor),
                    Target::Seconds(s) => Some(secs < s),
                    Target::FasterThanPeer(r) => known(peer).map(|peer| secs * r <= peer),
                    Target::PeakRss(bytes) => self.peak_rss().map(|rss| rss <= bytes),
                };
                (t, met)
            })
            .collect()
    }
}

/// The result table: median wall time, throughput, ratio to the floor, peak RSS, targets.
pub fn table(figures: &[Figure], corpus: &Corpus) -> String {
    let floor = figures.first().map_or(f64::NAN, Figure::seconds);
    let peer = figures.iter().find(|f| f.stage.name == PEER).map_or(f64::NAN, Figure::seconds);
    let mut out =
        format!("{:<24} {:>9} {:>9} {:>9} {:>10}  {}\n", "stage", "wall s", "MB/s", "x floor", "peak RSS", "targets");
    for f in figures {
        let secs = f.seconds();
        let rss = f.peak_rss().map_or_else(|| "-".to_owned(), |b| format!("{:.0} MB", b as f64 / 1e6));
        let targets: Vec<String> = f
            .met(floor, peer)
            .into_iter()
            .map(|(t, met)| {
                let said = met.map_or("not measured", verdict);
                match t {
                    Target::FloorRatio(r) => format!("<= {r}x floor: {said}"),
                    Target::Seconds(s) => format!("< {s} s: {said}"),
                    Target::FasterThanPeer(r) if met.is_some() => {
                        format!("{r}x faster than the peer: {said} ({:.2}x)", peer / secs)
                    }
                    Target::FasterThanPeer(r) => format!("{r}x faster than the peer: no peer"),
                    Target::PeakRss(b) => format!("peak <= {} MiB: {said}", b / MIB),
                }
            })
            .collect();
        let exits: Vec<i32> = f.samples.iter().map(|s| s.exit).filter(|&e| e != 0).collect();
        let exits = if exits.is_empty() { String::new() } else { format!(" (exit codes {exits:?})") };
        let bytes = f.stage.bytes.unwrap_or(corpus.bytes);
        let ratio = if f.stage.bytes.is_some() { "-".to_owned() } else { format!("{:.2}", secs / floor) };
        out.push_str(&format!(
            "{:<24} {secs:>9.3} {:>9.1} {ratio:>9} {rss:>10}  {}{exits}\n",
            f.stage.name,
            bytes as f64 / 1e6 / secs,
            targets.join("; "),
        ));
    }
    out.push_str(&budgets(figures, floor, peer));
    out
}

/// What the time targets leave once the parser has done its part: each target's seconds beside
/// what `parse floor` took for the same files (nothing for a figure not measured).
fn budgets(figures: &[Figure], floor: f64, peer: f64) -> String {
    let figure = |name| figures.iter().find(|f| f.stage.name == name).filter(|f| !f.seconds().is_nan());
    let mut out = String::new();
    for f in figures {
        for &target in &f.stage.targets {
            let (budget, parsed, of) = match target {
                Target::FloorRatio(r) => (r * floor, figure(PARSE_FLOOR), format!("{r}x the floor")),
                Target::FasterThanPeer(r) => (peer / r, figure(PARSE_FLOOR_MARKDOWN), format!("the peer's time / {r}")),
                _ => continue,
            };
            let Some(parsed) = parsed.filter(|_| !budget.is_nan()) else { continue };
            let secs = parsed.seconds();
            out.push_str(&format!(
                "{}: the target ({of}) is {budget:.3} s; reading and pulldown-cmark alone take {secs:.3} s of it ({:.0}%)",
                f.stage.name,
                100.0 * secs / budget
            ));
            if let Some([read, parse]) = parsed.parts() {
                out.push_str(&format!(" (thread seconds: reading {read:.2}, pulldown-cmark {parse:.2})"));
            }
            out.push('\n');
        }
    }
    out
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

/// The total size of the files under `dir`.
pub fn folder_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn this_process_knows_its_peak_rss_on_linux() {
        if cfg!(target_os = "linux") {
            let rss = peak_rss().unwrap_or(0);
            assert!(rss > 1_000_000, "peak RSS {rss}");
        }
    }

    #[test]
    fn targets_are_judged_against_the_floor_median() {
        let sample = |seconds| Sample { seconds, peak_rss: Some(10), exit: 0, parts: None };
        let targets = vec![Target::FloorRatio(4.0), Target::PeakRss(10), Target::Seconds(3.0)];
        let stage = Stage { name: "ingest", work: Work::Cat, targets, bytes: None };
        let f = Figure { stage, samples: vec![sample(3.0), sample(9.0), sample(3.9)] };
        assert_eq!(f.seconds(), 3.9);
        let verdicts = |floor| f.met(floor, f64::NAN).into_iter().map(|(_, m)| m).collect::<Vec<_>>();
        assert_eq!(verdicts(1.0), [Some(true), Some(true), Some(false)]);
        assert_eq!(verdicts(0.9), [Some(false), Some(true), Some(false)]);
        assert_eq!(verdicts(f64::NAN)[0], None);
        let stage = Stage {
            name: "ingest (markdown)",
            work: Work::Cat,
            targets: vec![Target::FasterThanPeer(3.0), Target::PeakRss(9)],
            bytes: None,
        };
        let f = Figure { stage, samples: vec![sample(1.0)] };
        assert_eq!(f.met(9.0, 3.1), [(Target::FasterThanPeer(3.0), Some(true)), (Target::PeakRss(9), Some(false))]);
        assert_eq!(f.met(9.0, 2.9)[0].1, Some(false));
        assert_eq!(f.met(9.0, f64::NAN)[0].1, None);
    }

    #[test]
    fn the_time_targets_are_set_beside_what_the_parser_alone_takes() {
        let figure = |name, targets, seconds| Figure {
            stage: Stage { name, work: Work::Cat, targets, bytes: None },
            samples: vec![Sample { seconds, peak_rss: None, exit: 0, parts: None }],
        };
        let mut figures = vec![
            figure("read floor (cat)", vec![], 2.0),
            figure(PARSE_FLOOR, vec![], 4.0),
            figure("ingest (fresh store)", vec![Target::FloorRatio(4.0), Target::PeakRss(1)], 30.0),
            figure("ingest (markdown)", vec![Target::FasterThanPeer(3.0)], 2.0),
            figure(PEER, vec![], 1.5),
        ];
        let said = table(&figures, &Corpus { dir: PathBuf::new(), files: Vec::new(), bytes: 1 });
        assert!(said.contains("ingest (fresh store): the target (4x the floor) is 8.000 s; reading and pulldown-cmark alone take 4.000 s of it (50%)"), "{said}");
        // Without the Markdown folder's parse floor, the peer's target has nothing to be set beside.
        assert!(!said.contains("ingest (markdown):"), "{said}");
        let mut markdown = figure(PARSE_FLOOR_MARKDOWN, vec![], 0.75);
        markdown.samples[0].parts = Some([0.25, 0.75]);
        markdown.samples.push(Sample { parts: Some([0.5, 0.5]), ..markdown.samples[0] });
        figures.push(markdown);
        let said = table(&figures, &Corpus { dir: PathBuf::new(), files: Vec::new(), bytes: 1 });
        assert!(said.contains("ingest (markdown): the target (the peer's time / 3) is 0.500 s; reading and pulldown-cmark alone take 0.750 s of it (150%) (thread seconds: reading 0.38, pulldown-cmark 0.62)"), "{said}");
    }

    #[test]
    fn the_parse_pass_reads_and_parses_or_says_it_could_not() {
        let dir = std::env::temp_dir().join(format!("digestlens-bench-parse-floor-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap_or_default();
        let (markdown, text) = (dir.join("day.md"), dir.join("day.txt"));
        let body = "# A paper\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n**Keywords:** x, y\n".repeat(200);
        fs::write(&markdown, &body).unwrap_or_default();
        fs::write(&text, &body).unwrap_or_default();
        let (md, txt) = (parse_pass(std::slice::from_ref(&markdown)), parse_pass(&[text]));
        // The same bytes are read; only the Markdown file is also parsed into events.
        assert!(md.out > txt.out + 1000 && md.failed + txt.failed == 0, "{md:?} {txt:?}");
        assert!(md.seconds[1] > Duration::ZERO && txt.seconds[1] == Duration::ZERO, "{md:?} {txt:?}");
        let with_missing = parse_pass(&[dir.join("missing.md"), markdown]);
        assert_eq!((with_missing.out, with_missing.failed), (md.out, 1));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn each_added_digest_is_a_new_day() {
        let dir = std::env::temp_dir().join(format!("digestlens-bench-new-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let first = write_new_digest(&dir).unwrap_or_default();
        let second = write_new_digest(&dir).unwrap_or_default();
        assert_ne!(first, second);
        let text = fs::read_to_string(&second).unwrap_or_default();
        assert!(text.contains("2200-01-02") && text.contains("arxiv.org"), "{text}");
        let _ = fs::remove_dir_all(&dir);
    }
}
