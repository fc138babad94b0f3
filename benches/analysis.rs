//! Benchmark of the analysis over one million keyword rows (a synthetic store: ten years of
//! daily digests, 40 papers a day, about seven keywords each from a Zipf-like vocabulary of
//! 20,000, one to three themes per paper). Prints the time of each stage, best of three runs.
//!
//! Run: `cargo bench --bench analysis` (optionally `-- ROWS` for another size).

use std::time::{Duration, Instant};

use digestlens::analysis::tables::{compute, tables};
use digestlens::analysis::{Series as TermSeries, Settings, bursts, coword, inputs, topics, trends};
use digestlens::store::Tables;
use polars::prelude::*;

/// A named stage and the work it times.
type Stage<'a> = (&'static str, Box<dyn Fn() + 'a>);

const DAYS: usize = 3650;
const VOCABULARY: usize = 20_000;
const THEMES: usize = 18;

fn main() -> PolarsResult<()> {
    let rows: usize = std::env::args().filter_map(|a| a.parse().ok()).next().unwrap_or(1_000_000);
    let built = Instant::now();
    let store = synthetic(rows)?;
    let keyword_rows = store.get("keywords").map_or(0, DataFrame::height);
    println!(
        "synthetic store: {keyword_rows} keyword rows, {} entries, {} digests (built in {:.2?})",
        store.get("entries").map_or(0, DataFrame::height),
        store.get("digests").map_or(0, DataFrame::height),
        built.elapsed()
    );
    let settings = Settings::default();
    let input = inputs(&store, settings.origins).map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
    let series = TermSeries::build(&input.keywords, settings.period);
    let stages: Vec<Stage> = vec![
        ("frames -> inputs", Box::new(|| drop(inputs(&store, settings.origins)))),
        ("keyword series (week)", Box::new(|| drop(TermSeries::build(&input.keywords, settings.period)))),
        ("keyword trends", Box::new(|| drop(trends::trends(&series, &settings.trends)))),
        ("keyword bursts", Box::new(|| drop(bursts::bursts(&series, &settings.bursts)))),
        ("trend topics", Box::new(|| drop(topics::topics(&input.keywords, settings.min_topic_freq)))),
        ("co-word clusters", Box::new(|| drop(coword::clusters(&input.keywords, &settings.coword)))),
        ("everything, keywords and themes", Box::new(|| drop(compute(input.clone(), &settings)))),
        ("everything, as tables from the store", Box::new(|| drop(tables(&store, &settings)))),
    ];
    println!("{:<40} {:>12}", "stage", "best of 3");
    for (name, run) in &stages {
        let best = (0..3).map(|_| timed(run)).min().unwrap_or_default();
        println!("{name:<40} {:>12}", format!("{:.1} ms", best.as_secs_f64() * 1000.0));
    }
    Ok(())
}

fn timed(run: &dyn Fn()) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}

/// The tables `analysis::inputs` reads, with about `rows` keyword rows.
fn synthetic(rows: usize) -> PolarsResult<Tables> {
    let mut rng = fastrand::Rng::with_seed(7);
    let per_day = (rows / DAYS / 7).max(1);
    let vocabulary: Vec<String> = (0..VOCABULARY).map(|i| format!("keyword {i}")).collect();
    let theme_names: Vec<String> = (0..THEMES).map(|i| format!("Theme {i}")).collect();
    let (mut d_id, mut d_date, mut d_prec) = (Vec::new(), Vec::new(), Vec::new());
    let (mut e_digest, mut e_paper) = (Vec::new(), Vec::new());
    let (mut k_digest, mut k_paper, mut k_norm) = (Vec::new(), Vec::new(), Vec::new());
    let (mut p_id, mut p_themes) = (Vec::new(), Vec::new());
    let start = 20_000i32; // days since 1970: 2024-10-04
    for day in 0..DAYS {
        let digest = format!("d{day}");
        d_id.push(digest.clone());
        d_date.push(start + day as i32);
        d_prec.push("day");
        for n in 0..per_day {
            let paper = format!("arxiv:{day}.{n}");
            e_digest.push(digest.clone());
            e_paper.push(paper.clone());
            for _ in 0..(4 + rng.usize(0..7)) {
                // Zipf-like: small indices far more often.
                let x = rng.f64();
                let k = ((VOCABULARY as f64).powf(x * x) as usize).min(VOCABULARY - 1);
                k_digest.push(digest.clone());
                k_paper.push(paper.clone());
                k_norm.push(vocabulary[k].clone());
            }
            let themes: Vec<&str> =
                (0..1 + rng.usize(0..3)).map(|_| theme_names[rng.usize(0..THEMES)].as_str()).collect();
            p_id.push(paper);
            p_themes.push(Series::new("".into(), themes));
        }
    }
    let date = |name: &str, v: Vec<i32>| -> PolarsResult<Column> {
        Ok(Series::new(name.into(), v).cast(&DataType::Date)?.into())
    };
    let mut tables = Tables::new();
    let n_keywords = k_norm.len();
    tables.insert(
        "digests".into(),
        DataFrame::new_infer_height(vec![
            Column::new("digest_id".into(), d_id),
            date("digest_date", d_date)?,
            Column::new("date_precision".into(), d_prec),
        ])?,
    );
    let n_entries = e_paper.len();
    tables.insert(
        "entries".into(),
        DataFrame::new_infer_height(vec![
            Column::new("digest_id".into(), e_digest),
            Column::new("paper_id".into(), e_paper),
            Series::new_null("listed_date".into(), n_entries).cast(&DataType::Date)?.into(),
        ])?,
    );
    tables.insert(
        "keywords".into(),
        DataFrame::new_infer_height(vec![
            Column::new("digest_id".into(), k_digest),
            Column::new("paper_id".into(), k_paper),
            Column::new("keyword_norm".into(), k_norm),
            Column::new("origin".into(), vec!["digest"; n_keywords]),
        ])?,
    );
    let themes: ListChunked = p_themes.into_iter().map(Some).collect();
    tables.insert(
        "papers".into(),
        DataFrame::new_infer_height(vec![
            Column::new("paper_id".into(), p_id),
            themes.into_series().with_name("themes".into()).into(),
        ])?,
    );
    Ok(tables)
}
