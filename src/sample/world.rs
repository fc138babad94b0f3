//! The made-up research world of the sample: each day's selected papers and TL;DR themes, and
//! each week's listing page, drawn from the vocabulary with topic weights that follow their
//! popularity curves. Everything is a function of the seed and the day, so any day can be made
//! on its own (in parallel) and the same seed gives the same archive.

use chrono::{Datelike, NaiveDate};
use fastrand::Rng;

use super::vocab::{Topic, vocab};

/// One selected paper of a daily digest.
#[derive(Debug, Clone)]
pub struct Paper {
    pub arxiv_id: String,
    pub version: u8,
    pub method: String,
    pub title: String,
    pub authors: Vec<String>,
    pub keywords: Vec<String>,
    pub comments: String,
    pub abstract_text: String,
    pub summary: Vec<String>,
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    pub topic: usize,
    /// Whether a keyword of a second topic was added.
    pub mixed: bool,
}

/// A TL;DR theme: a label, a line about it and the papers it names (indices into the day).
#[derive(Debug, Clone)]
pub struct ThemeGroup {
    pub label: String,
    pub description: String,
    pub lines: Vec<(usize, String)>,
}

/// One daily digest before it is written in a format.
#[derive(Debug, Clone)]
pub struct Day {
    /// The arXiv listing the digest covers, as in its file names (`cs_CL`).
    pub feed: &'static str,
    pub date: NaiveDate,
    pub total: u32,
    pub overview: Vec<String>,
    pub themes: Vec<ThemeGroup>,
    pub papers: Vec<Paper>,
}

impl Day {
    /// An earlier version of the day: the first `n` papers and the themes that name them.
    pub fn truncated(&self, n: usize) -> Day {
        let mut older = self.clone();
        older.papers.truncate(n);
        for theme in &mut older.themes {
            theme.lines.retain(|(i, _)| *i < n);
        }
        older.themes.retain(|t| !t.lines.is_empty());
        older.overview.truncate(1);
        older
    }
}

/// What a listing entry shows under its abstract.
#[derive(Debug, Clone)]
pub enum Meta {
    Authors(u32),
    Organisation(String),
    Nothing,
}

/// One entry of a listing page (hf-daily).
#[derive(Debug, Clone)]
pub struct Listed {
    pub title: String,
    pub abstract_text: String,
    pub meta: Meta,
    pub date: NaiveDate,
    pub upvotes: Option<u32>,
}

/// The arXiv listings a sample can have digests of, as file names spell them. A group that saves
/// several feeds has one digest per feed and weekday.
pub const FEEDS: [&str; 4] = ["cs_CL", "cs_LG", "cs_AI", "cs_IR"];

/// The seed of feed `feed`: the sample's own seed for the first, so that adding feeds leaves the
/// first feed's files as they were.
pub fn feed_seed(seed: u64, feed: usize) -> u64 {
    seed ^ (feed as u64).wrapping_mul(0xA076_1D64_78BD_642F)
}

/// The random source of one day: the seed and the day decide it, nothing else.
pub fn day_rng(seed: u64, day: u64, stream: u64) -> Rng {
    Rng::with_seed(seed ^ day.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
}

fn pick<'a>(rng: &mut Rng, items: &'a [String]) -> &'a str {
    items.get(rng.usize(..items.len().max(1))).map_or("", String::as_str)
}

/// A topic drawn with the weights its curve gives at `t` (0 = first day, 1 = last).
fn draw_topic(rng: &mut Rng, t: f64) -> usize {
    let topics = &vocab().topics;
    let weights: Vec<f64> = topics.iter().map(|tp| tp.shape.weight(t)).collect();
    let mut r = rng.f64() * weights.iter().sum::<f64>();
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return i;
        }
        r -= w;
    }
    topics.len() - 1
}

/// Values for the `{…}` placeholders of a template.
#[derive(Debug, Default)]
struct Ctx<'a> {
    method: &'a str,
    title: &'a str,
    problem: &'a str,
    object: &'a str,
    kw: &'a str,
    kw2: &'a str,
    kwlist: &'a str,
    label: &'a str,
    label2: &'a str,
    link: &'a str,
}

/// Fills a template; numbers, benchmarks and models are drawn fresh for each placeholder.
fn fill(template: &str, ctx: &Ctx<'_>, rng: &mut Rng) -> String {
    let v = vocab();
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else { break };
        let name = &rest[open + 1..open + close];
        match name {
            "method" => out.push_str(ctx.method),
            "title" => out.push_str(ctx.title),
            "problem" => out.push_str(ctx.problem),
            "object" => out.push_str(ctx.object),
            "kw" => out.push_str(ctx.kw),
            "kw2" => out.push_str(ctx.kw2),
            "kwlist" => out.push_str(ctx.kwlist),
            "label" => out.push_str(ctx.label),
            "label2" => out.push_str(ctx.label2),
            "link" => out.push_str(ctx.link),
            "bench" => out.push_str(pick(rng, &v.benchmarks)),
            "model" => out.push_str(pick(rng, &v.models)),
            "verbed" => out.push_str(pick(rng, &v.verbed)),
            "n" => out.push_str(&(rng.u32(2..60) * 100).to_string()),
            "pct" => out.push_str(&format!("{}.{}", rng.u32(1..15), rng.u32(0..10))),
            other => out.push_str(other),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A made-up method name: a stem with a suffix, or an acronym.
fn method_name(rng: &mut Rng) -> String {
    let parts = &vocab().name_parts;
    if rng.u8(..3) == 0 {
        let letters: Vec<char> = parts.letters.chars().collect();
        (0..rng.usize(3..6)).map(|_| letters[rng.usize(..letters.len())]).collect()
    } else {
        format!("{}{}", pick(rng, &parts.stems), pick(rng, &parts.suffixes))
    }
}

/// Distinct keywords: some of the topic's, one of a second topic's, maybe a generic one.
fn keywords(rng: &mut Rng, topic: &Topic, second: Option<&Topic>) -> Vec<String> {
    let mut chosen: Vec<String> = Vec::new();
    let mut add = |k: &str| {
        if !chosen.iter().any(|c| c.eq_ignore_ascii_case(k)) {
            chosen.push(k.to_owned());
        }
    };
    for _ in 0..rng.usize(2..5) {
        add(pick(rng, &topic.keywords));
    }
    if let Some(second) = second {
        add(pick(rng, &second.keywords));
    }
    if rng.bool() {
        add(pick(rng, &vocab().generic_keywords));
    }
    chosen
}

/// A paper on a topic drawn at `t`: title, keywords and text that mention each other, as real
/// digests do (the realignment of shifted fields relies on it).
fn paper(rng: &mut Rng, t: f64, arxiv_id: String) -> Paper {
    let v = vocab();
    let topic = draw_topic(rng, t);
    let tp = &v.topics[topic];
    let second = rng.bool().then(|| &v.topics[draw_topic(rng, t)]).filter(|s| s.id != tp.id);
    let object = pick(rng, &tp.objects);
    let mut keywords = keywords(rng, tp, second);
    let task = keywords.first().cloned().unwrap_or_default();
    let task = task.split(" (").next().unwrap_or(&task).to_owned();
    if rng.u8(..10) < 6 {
        keywords.insert(rng.usize(1..=keywords.len()), object.to_owned());
    }
    let method = method_name(rng);
    let title = pick(rng, &v.titles)
        .replace("{verbing}", pick(rng, &v.verbing))
        .replace("{object}", &title_case(object))
        .replace("{task}", &title_case(&task))
        .replace("{method}", &method);
    let kwlist = match keywords.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => keywords.join(""),
    };
    let kw2 = keywords.get(1).map_or(task.as_str(), String::as_str);
    let problem = pick(rng, &tp.problems);
    let ctx =
        Ctx { method: &method, title: &title, problem, object, kw: &task, kw2, kwlist: &kwlist, ..Ctx::default() };
    let abstract_text = v.abstract_text.iter().map(|s| fill(s, &ctx, rng)).collect::<Vec<_>>().join(" ");
    let abstract_text = if rng.u8(..8) == 0 {
        abstract_text.replacen(&method, &format!("\\textbf{{{method}}}"), 1)
    } else {
        abstract_text
    };
    let summary = v.summary.iter().map(|s| fill(s, &ctx, rng)).collect();
    let strengths = v.critique.strengths.iter().map(|s| fill(s, &ctx, rng)).collect();
    let weaknesses = v.critique.weaknesses.iter().map(|s| fill(s, &ctx, rng)).collect();
    let authors =
        (0..rng.usize(2..9)).map(|_| format!("{} {}", pick(rng, &v.first_names), pick(rng, &v.last_names))).collect();
    Paper {
        arxiv_id,
        version: if rng.u8(..5) == 0 { 2 } else { 1 },
        method,
        title,
        authors,
        keywords,
        comments: pick(rng, &v.comments).to_owned(),
        abstract_text,
        summary,
        strengths,
        weaknesses,
        topic,
        mixed: second.is_some(),
    }
}

/// The digest of feed `feed` (an index into `FEEDS`) on `date`, day `index` of `days`.
pub fn day(seed: u64, feed: usize, index: u64, days: u64, date: NaiveDate) -> Day {
    let mut rng = day_rng(feed_seed(seed, feed), index, 1);
    let t = index as f64 / days.saturating_sub(1).max(1) as f64;
    let count = rng.usize(5..11);
    let yymm = format!("{:02}{:02}", date.year().rem_euclid(100), date.month());
    let mut papers: Vec<Paper> = Vec::with_capacity(count);
    for i in 0..count {
        // Numbers 100..=176 of the day for the first feed, 300..=376 for the second and so on:
        // papers of different feeds never share an id.
        let number = date.day() as usize * 1000 + 100 + feed * 200 + i * 7 + rng.usize(..7);
        // Titles of one day differ in their first words, as a quote of one names one paper.
        let head = |p: &Paper| p.title.chars().take(40).collect::<String>().to_lowercase();
        let mut p = paper(&mut rng, t, format!("{yymm}.{number:05}"));
        while papers.iter().any(|q| head(q) == head(&p)) {
            p = paper(&mut rng, t, p.arxiv_id.clone());
        }
        papers.push(p);
    }
    let themes = themes(&mut rng, &papers);
    let v = vocab();
    let label = |k: usize| themes.get(k).map_or("language models", |g| g.label.as_str());
    let ctx = Ctx {
        label: label(0),
        label2: label(1),
        kw: papers.first().and_then(|p| p.keywords.first()).map_or("", String::as_str),
        kw2: papers.get(1).and_then(|p| p.keywords.first()).map_or("", String::as_str),
        ..Ctx::default()
    };
    let overview = v.overview.iter().map(|s| fill(s, &ctx, &mut rng)).collect();
    let feed = FEEDS.get(feed).copied().unwrap_or(FEEDS[0]);
    Day { feed, date, total: u32::try_from(count).unwrap_or(0) + rng.u32(30..110), overview, themes, papers }
}

/// TL;DR themes: the day's most frequent topics, each naming its papers with their links.
fn themes(rng: &mut Rng, papers: &[Paper]) -> Vec<ThemeGroup> {
    let v = vocab();
    let mut topics: Vec<usize> = papers.iter().map(|p| p.topic).collect();
    topics.sort_unstable();
    topics.dedup();
    topics.sort_by_key(|t| std::cmp::Reverse(papers.iter().filter(|p| p.topic == *t).count()));
    topics.truncate(4);
    topics
        .into_iter()
        .map(|topic| {
            let tp = &v.topics[topic];
            let lines = papers
                .iter()
                .enumerate()
                .filter(|(_, p)| p.topic == topic)
                .map(|(i, p)| {
                    let link = format!("https://arxiv.org/abs/{}", p.arxiv_id);
                    let ctx = Ctx {
                        method: &p.method,
                        problem: pick(rng, &tp.problems),
                        object: pick(rng, &tp.objects),
                        kw: pick(rng, &p.keywords),
                        link: &link,
                        ..Ctx::default()
                    };
                    (i, fill(pick(rng, &v.theme_line), &ctx, rng))
                })
                .collect();
            let description = format!(
                "Several papers look at {}, and at what {} change",
                pick(rng, &tp.problems),
                pick(rng, &tp.objects)
            );
            ThemeGroup { label: pick(rng, &tp.labels).to_owned(), description, lines }
        })
        .collect()
}

/// The listing page published on `date`: papers of the week before it, and now and then an older
/// one (listings show the year only when it is not the page's).
pub fn listing(seed: u64, index: u64, days: u64, date: NaiveDate) -> Vec<Listed> {
    let mut rng = day_rng(seed, index, 2);
    let v = vocab();
    let count = rng.usize(8..15);
    (0..count)
        .map(|i| {
            let back = if i == count - 1 && rng.bool() { rng.i64(8..40) } else { rng.i64(0..7) };
            // Nothing before the archive's first day.
            let back = back.min(i64::try_from(index).unwrap_or(i64::MAX));
            let listed = date - chrono::Duration::days(back);
            let t = (index as f64 - back as f64).max(0.0) / days.saturating_sub(1).max(1) as f64;
            let p = paper(&mut rng, t, String::new());
            let sentences: Vec<&str> = p.abstract_text.split_inclusive(". ").collect();
            let meta = match rng.u8(..10) {
                0..=5 => Meta::Authors(u32::try_from(p.authors.len()).unwrap_or(1)),
                6..=8 => Meta::Organisation(pick(&mut rng, &v.organisations).to_owned()),
                _ => Meta::Nothing,
            };
            let upvotes = (rng.u8(..5) < 2).then(|| rng.u32(1..90));
            Listed {
                title: p.title,
                abstract_text: sentences[..sentences.len().min(5)].concat(),
                meta,
                date: listed,
                upvotes,
            }
        })
        .collect()
}
