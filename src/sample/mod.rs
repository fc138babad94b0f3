//! `digestlens sample`: a realistic made-up archive in all four source formats, with topics that
//! rise, fade and burst, so every table, chart and report has something to show.
//!
//! The text comes from digestlens's own vocabulary and templates (`data/sample.yaml`), never
//! from a real digest. Each day is a pure function of the seed and its index, so days are made in
//! parallel and the same seed always gives the same bytes. Layout of the output folder:
//!
//! ```text
//! markdown/arxiv_cs_CL_2025-09-01_report.md          front matter + Markdown (most weekdays)
//! revisions/arxiv_cs_CL_2025-09-01_report.rev-….md   an older version of some of those days
//! pages/digest-page-2025-09-02.txt                   browser copy of the rendered page
//! flat/2025-09-03-digest.txt, flat/digest-copy-….txt paragraph-only copies, dated or not
//! hf-daily/daily-papers-2025-09-05.txt               a listing page every Friday
//! feeds/cs_LG/markdown/arxiv_cs_LG_2025-09-01_report.md  with `--feeds 2` or more: the same
//!                                                    layout (without listings) for each
//!                                                    further arXiv feed
//! ```
//!
//! Quirks, as in real archives: flat copies lose their titles (a summary quotes them) and, when
//! the file name has no date, their date; some Markdown days have mojibake; some digests have
//! their keywords shifted by one paper; listing dates have no year unless it differs from the
//! page's; some days exist in two versions.

pub mod remix;
pub mod render;
pub mod vocab;
pub mod world;

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate, Weekday};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::model::Format;
use crate::store::io::write_if_changed;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub days: u32,
    pub seed: u64,
    pub start: NaiveDate,
    /// How many arXiv feeds have a digest each weekday (1 to `world::FEEDS.len()`).
    pub feeds: usize,
}

/// One written file: where, in which format, how many paper entries, how many bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub format: Format,
    pub entries: usize,
    pub bytes: usize,
}

/// A file to write: its path under the output folder and its text.
type Planned = (String, Format, usize, String);

/// Writes the archive and lists what was written, in path order. Days are made and written in
/// parallel, one at a time per thread, so memory stays small whatever the number of days.
pub fn generate(opts: &Options) -> Result<Vec<Written>> {
    if opts.feeds == 0 || opts.feeds > world::FEEDS.len() {
        return Err(Error::Usage(format!("--feeds must be 1 to {}", world::FEEDS.len())));
    }
    let per_day: Vec<Vec<Written>> = (0..opts.days)
        .into_par_iter()
        .map(|i| {
            (0..opts.feeds)
                .flat_map(|feed| files_of_day(opts, feed, i))
                .map(|(rel, format, entries, text)| {
                    let path = opts.out.join(rel);
                    if let Some(dir) = path.parent() {
                        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                    }
                    write_if_changed(&path, text.as_bytes())?;
                    Ok(Written { path, format, entries, bytes: text.len() })
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    let mut written: Vec<Written> = per_day.into_iter().flatten().collect();
    written.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(written)
}

/// The files of feed `feed` on day `i`: a digest on weekdays in one of three formats (sometimes
/// with an older version), and, for the first feed, a listing page on Fridays.
fn files_of_day(opts: &Options, feed: usize, i: u32) -> Vec<Planned> {
    let date = opts.start + chrono::Duration::days(i64::from(i));
    let (seed, index, days) = (opts.seed, u64::from(i), u64::from(opts.days));
    let mut rng = world::day_rng(world::feed_seed(seed, feed), index, 3);
    let mut files = Vec::new();
    if feed == 0 && date.weekday() == Weekday::Fri {
        let listed = world::listing(seed, index, days, date);
        files.push((
            format!("hf-daily/daily-papers-{date}.txt"),
            Format::HfDaily,
            listed.len(),
            render::hf_daily(date, &listed),
        ));
    }
    if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        return files;
    }
    let mut day = world::day(seed, feed, index, days, date);
    let n = day.papers.len();
    let tag = day.feed;
    let dir = if feed == 0 { String::new() } else { format!("feeds/{tag}/") };
    match rng.u8(..20) {
        0..=11 => {
            if rng.u8(..5) == 0 {
                let older = day.truncated(n.saturating_sub(2).max(1));
                let text = render::markdown(&older);
                let hash = &blake3::hash(text.as_bytes()).to_hex()[..8];
                files.push((
                    format!("{dir}revisions/arxiv_{tag}_{date}_report.rev-{hash}.md"),
                    Format::Markdown,
                    older.papers.len(),
                    text,
                ));
            }
            if rng.u8(..10) == 0 {
                render::shift_keywords(&mut day);
            }
            let text = render::markdown(&day);
            let text = if rng.u8(..8) == 0 { render::mojibake(&text) } else { text };
            files.push((format!("{dir}markdown/arxiv_{tag}_{date}_report.md"), Format::Markdown, n, text));
        }
        12..=15 => {
            if rng.u8(..10) == 0 {
                render::shift_keywords(&mut day);
            }
            files.push((format!("{dir}pages/digest-page-{date}.txt"), Format::Page, n, render::page(&day)));
        }
        _ => {
            let name = if rng.u8(..3) == 0 { format!("digest-copy-{i:05}") } else { format!("{date}-digest") };
            files.push((format!("{dir}flat/{name}.txt"), Format::Flat, n, render::flat(&day)));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    fn opts(out: &Path, seed: u64) -> Options {
        let start = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
        Options { out: out.to_owned(), days: 21, seed, start, feeds: 1 }
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let plan = |seed| (0..21).flat_map(|i| files_of_day(&opts(Path::new("x"), seed), 0, i)).collect::<Vec<_>>();
        let (a, b, c) = (plan(7), plan(7), plan(8));
        assert_eq!(a, b);
        assert_ne!(a, c);
        // Three weeks: 15 weekdays with a digest, 3 Fridays with a listing, maybe revisions.
        assert!(a.len() >= 18);
        assert_eq!(a.iter().filter(|f| f.1 == Format::HfDaily).count(), 3);
    }

    #[test]
    fn further_feeds_have_their_own_folder_papers_and_no_listings() {
        let o = opts(Path::new("x"), 7);
        let first: Vec<Planned> = (0..21).flat_map(|i| files_of_day(&o, 0, i)).collect();
        let second: Vec<Planned> = (0..21).flat_map(|i| files_of_day(&o, 1, i)).collect();
        assert!(second.len() >= 15);
        assert!(second.iter().all(|f| f.0.starts_with("feeds/cs_LG/") && f.1 != Format::HfDaily));
        assert!(second.iter().filter(|f| f.1 == Format::Markdown).all(|f| f.0.contains("arxiv_cs_LG_")));
        let ids = |files: &[Planned]| -> BTreeSet<String> {
            files.iter().flat_map(|f| crate::formats::fields::arxiv_ids(&f.3)).collect()
        };
        let (a, b) = (ids(&first), ids(&second));
        assert!(a.len() > 50 && b.len() > 50);
        assert!(a.is_disjoint(&b), "feeds share papers: {:?}", a.intersection(&b).next());
    }

    #[test]
    fn mojibake_garbles_punctuation_only() {
        assert_eq!(render::mojibake("a — b → c × d’s"), "a â€” b â†’ c Ã— dâ€™s");
    }
}
