//! Weekly trend reports: per ISO week a Markdown file, a self-contained HTML page and the week's
//! charts as SVG; and an `index.html` of all weeks with sparklines of activity.
//!
//! ```text
//! reports/index.html
//! reports/2025-W42.md, reports/2025-W42.html
//! reports/2025-W42/keyword-trends.svg, top-keywords.svg, theme-shares.svg
//! ```

pub mod html;
pub mod markdown;
pub mod week;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::tables::Results;
use crate::chart::{self, Kind, Scope};
use crate::error::{Error, Result};
use crate::store::io::write_if_changed;
pub use week::{Stored, Week};

/// Which weeks to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weeks {
    All,
    Latest,
    One(String),
}

/// Whether `id` is exactly one arXiv identifier, as the ingest parsers read them.
pub fn is_arxiv_id(id: &str) -> bool {
    crate::formats::fields::arxiv_ids(id).first().is_some_and(|found| found == id)
}

/// The charts of a week's report cover the twelve weeks up to it.
fn week_scope(end: NaiveDate) -> Scope {
    Scope { since: Some(end - Duration::days(7 * 12 - 1)), until: Some(end), top: 8 }
}

/// The files of the chosen weeks and the index, and how many weeks were rendered again (the others
/// were current: the same fingerprint, every file in place).
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    pub rendered: usize,
    pub current: usize,
}

/// Writes the reports of the chosen weeks whose inputs changed, and the index.
pub fn write(results: &Results, stored: &Stored, out: &Path, weeks: &Weeks) -> Result<Written> {
    let series = &results.keywords;
    let chosen: Vec<usize> = match weeks {
        Weeks::All => (0..series.keys.len()).collect(),
        Weeks::Latest => series.keys.len().checked_sub(1).into_iter().collect(),
        Weeks::One(label) => {
            let i = (0..series.keys.len()).find(|&i| series.label(i) == *label);
            vec![i.ok_or_else(|| Error::Usage(format!("no digests in week {label} (weeks look like 2025-W42)")))?]
        }
    };
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    // What the index shows of every week; the chosen weeks in full.
    let all: Vec<Week> =
        (0..series.keys.len()).into_par_iter().map(|i| week::week(results, stored, i, 10, false)).collect();
    let known = Rendered::read(out);
    let written: Vec<(Vec<PathBuf>, String, String, bool)> = chosen
        .par_iter()
        .map(|&i| {
            let w = &week::week(results, stored, i, 10, true);
            let key = fingerprint(results, w);
            let files = week_files(w, out);
            let current = known.weeks.get(&w.label) == Some(&key) && files.iter().all(|f| f.is_file());
            let files = if current { files } else { write_week(results, w, out)? };
            Ok((files, w.label.clone(), key, current))
        })
        .collect::<Result<_>>()?;
    let mut rendered = known;
    let mut result = Written::default();
    for (week_files, label, key, current) in written {
        result.files.extend(week_files);
        rendered.weeks.insert(label, key);
        if current { result.current += 1 } else { result.rendered += 1 }
    }
    rendered.write(out)?;
    result.files.push(write_index(results, &all, out)?);
    Ok(result)
}

/// What the weekly reports were last rendered from, by week: `out/.rendered.json`. A week whose
/// fingerprint is unchanged and whose files all exist is not rendered again.
#[derive(Debug, Default, Serialize, serde::Deserialize)]
struct Rendered {
    weeks: std::collections::BTreeMap<String, String>,
}

const RENDERED: &str = ".rendered.json";

impl Rendered {
    fn read(out: &Path) -> Rendered {
        std::fs::read(out.join(RENDERED)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    fn write(&self, out: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::Render(e.to_string()))?;
        write_if_changed(&out.join(RENDERED), &json).map(drop)
    }
}

/// Everything a week's pages are made of: the week (its rows and the global figures in them,
/// such as trend baselines and statuses), the data of its three charts, and the build of
/// digestlens that renders them (another build renders every week again).
fn fingerprint(results: &Results, w: &Week) -> String {
    static BUILD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let build = BUILD.get_or_init(|| {
        let exe = std::env::current_exe().ok().and_then(|p| std::fs::metadata(p).ok());
        let stamp = exe.map(|m| (m.len(), m.modified().ok())).map(|s| format!("{s:?}")).unwrap_or_default();
        format!("{} {stamp}", env!("CARGO_PKG_VERSION"))
    });
    let scope = week_scope(w.end);
    let charts = format!(
        "{:?}{:?}{:?}",
        chart::data::keyword_trends(results, &scope),
        chart::data::top_keywords(results, &scope),
        chart::data::theme_shares(results, &scope)
    );
    let text = format!("{build}\n{w:?}\n{charts}");
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// The files a week's report consists of.
fn week_files(w: &Week, out: &Path) -> Vec<PathBuf> {
    let dir = out.join(&w.label);
    let mut files: Vec<PathBuf> = markdown::CHARTS.iter().map(|(name, _)| dir.join(name)).collect();
    files.extend([out.join(format!("{}.md", w.label)), out.join(format!("{}.html", w.label))]);
    files
}

fn write_week(results: &Results, w: &Week, out: &Path) -> Result<Vec<PathBuf>> {
    let dir = out.join(&w.label);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let scope = week_scope(w.end);
    let mut files = Vec::new();
    let mut inline = HashMap::new();
    for (kind, (name, _)) in [Kind::Trends, Kind::Top, Kind::Themes].into_iter().zip(markdown::CHARTS) {
        let svg = chart::svg(kind, results, &scope)?;
        let path = dir.join(name);
        write_if_changed(&path, svg.as_bytes())?;
        files.push(path);
        inline.insert(format!("{}/{name}", w.label), svg);
    }
    let md = markdown::render(w, &w.label);
    let md_path = out.join(format!("{}.md", w.label));
    write_if_changed(&md_path, md.as_bytes())?;
    let page = html::page(&format!("Week {} · digestlens", w.label), &html::fragment(&md, &inline))?;
    let html_path = out.join(format!("{}.html", w.label));
    write_if_changed(&html_path, page.as_bytes())?;
    files.extend([md_path, html_path]);
    Ok(files)
}

#[derive(Debug, Serialize)]
struct IndexRow {
    label: String,
    start: NaiveDate,
    end: NaiveDate,
    digests: usize,
    papers: u32,
    spark: Value,
    top: String,
    rising: String,
}

/// Distinct papers per day (day-precision appearances only).
fn papers_per_day(results: &Results) -> HashMap<NaiveDate, usize> {
    let input = &results.inputs.keywords;
    let mut days: HashMap<NaiveDate, HashSet<u32>> = HashMap::new();
    for a in input.appearances.iter().filter(|a| a.day_precision) {
        days.entry(a.date).or_default().insert(a.paper);
    }
    days.into_iter().map(|(d, p)| (d, p.len())).collect()
}

fn write_index(results: &Results, weeks: &[Week], out: &Path) -> Result<PathBuf> {
    let series = &results.keywords;
    let per_day = papers_per_day(results);
    let rows: Vec<IndexRow> = weeks
        .iter()
        .rev()
        .map(|w| {
            let daily: Vec<u32> = (0..7)
                .map(|d| u32::try_from(per_day.get(&(w.start + Duration::days(d))).copied().unwrap_or(0)).unwrap_or(0))
                .collect();
            IndexRow {
                spark: Value::from_safe_string(html::sparkline(&daily, 84, 20)),
                top: w.top.first().map(|t| t.term.clone()).unwrap_or_default(),
                rising: w.rising.iter().take(3).map(|t| t.term.as_str()).collect::<Vec<_>>().join(", "),
                digests: w.digests.len(),
                papers: w.papers,
                label: w.label.clone(),
                start: w.start,
                end: w.end,
            }
        })
        .collect();
    let scope = Scope { since: None, until: None, top: 8 };
    let charts: Vec<Value> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Evolution)
        .map(|k| chart::svg(*k, results, &scope).map(Value::from_safe_string))
        .collect::<Result<_>>()?;
    let evolution = Value::from_safe_string(chart::svg(Kind::Evolution, results, &scope)?);
    let mut env = Environment::new();
    env.add_template("index.html", include_str!("index.html")).map_err(|e| Error::Render(e.to_string()))?;
    let body = env
        .get_template("index.html")
        .and_then(|t| {
            t.render(context! {
                first => rows.last().map(|r| r.start),
                last => rows.first().map(|r| r.end),
                digests => rows.iter().map(|r| r.digests).sum::<usize>(),
                papers => series.papers.iter().sum::<u32>(),
                spark => Value::from_safe_string(html::sparkline(&series.papers, 240, 28)),
                weeks => rows,
                charts => charts,
                evolution => evolution,
            })
        })
        .map_err(|e| Error::Render(format!("index template: {e}")))?;
    let page = html::page("Weekly trend reports · digestlens", &body)?;
    let path = out.join("index.html");
    write_if_changed(&path, page.as_bytes())?;
    Ok(path)
}

/// Writes every chart kind over the whole archive as SVG and PNG into `dir`.
pub fn write_charts(results: &Results, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let scope = Scope { since: None, until: None, top: 8 };
    let jobs: Vec<(Kind, &str)> = Kind::ALL.iter().flat_map(|k| [(*k, "svg"), (*k, "png")]).collect();
    jobs.par_iter()
        .map(|(kind, ext)| {
            let path = dir.join(format!("{}.{ext}", kind.name()));
            chart::write(*kind, results, &scope, &path).map(|()| path)
        })
        .collect()
}
