//! The sample generator, charts, weekly reports and the main job (`run`).

use std::collections::BTreeMap;

use super::*;

/// `sample` into `dir`; returns its per-format table: format -> (files, entries).
fn sample(env: &Env, dir: &str, days: &str, seed: &str) -> BTreeMap<String, (u64, u64)> {
    let out = env.run(&["sample", "--out", dir, "--days", days, "--seed", seed]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0].to_owned(), (f[1].parse().expect("files"), f[2].parse().expect("entries")))
        })
        .collect()
}

/// Every file under `dir` with its bytes, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walk(dir)
        .into_iter()
        .map(|p| (p.strip_prefix(dir).expect("prefix").display().to_string(), std::fs::read(&p).expect("read")))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out.sort();
    out
}

#[test]
fn sample_is_deterministic_and_parses_back_format_by_format() {
    let env = Env::new();
    let table = sample(&env, "a", "28", "7");
    sample(&env, "b", "28", "7");
    sample(&env, "c", "28", "8");
    let (a, b, c) = (files(&env.path("a")), files(&env.path("b")), files(&env.path("c")));
    assert_eq!(a, b, "the same seed must give the same files");
    assert_ne!(a, c, "another seed must give another archive");
    // Four weeks: 20 weekday digests (plus some older versions) and 4 Friday listings.
    assert!(table.values().map(|t| t.0).sum::<u64>() >= 24);
    assert_eq!(table["hf-daily"].0, 4);
    assert!(table.iter().all(|(_, (files, _))| *files > 0), "every format is present: {table:?}");

    let out = env.run(&["check", "--json", "a"]);
    assert_eq!(out.status.code(), Some(0), "the sample's quirks are all repaired: {}", stderr(&out));
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut parsed: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for r in reports.as_array().expect("array") {
        let slot = parsed.entry(r["format"].as_str().expect("format").to_owned()).or_default();
        slot.0 += 1;
        slot.1 += r["entries"].as_u64().expect("entries");
    }
    assert_eq!(parsed, table, "check finds exactly the files and entries sample wrote");
}

#[test]
fn run_on_a_sample_writes_every_promised_file() {
    let env = Env::new();
    sample(&env, "archive", "21", "3");
    let out = env.run(&["run", "archive", "--store", "store", "--reports", "reports"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("open:    reports/index.html"), "{text}");
    let reports = env.path("reports");
    let weeks = ["2025-W36", "2025-W37", "2025-W38"];
    for w in weeks {
        for f in [format!("{w}.md"), format!("{w}.html")] {
            assert!(reports.join(&f).is_file(), "missing {f}");
        }
        for chart in ["keyword-trends.svg", "top-keywords.svg", "theme-shares.svg"] {
            let svg = std::fs::read_to_string(reports.join(w).join(chart)).expect("week chart");
            assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{w}/{chart}");
        }
    }
    for kind in ["keyword-trends", "top-keywords", "keyword-heatmap", "theme-shares", "burst-timeline", "thematic-map"]
    {
        let png = std::fs::read(reports.join("charts").join(format!("{kind}.png"))).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{kind}.png is a PNG");
        assert!(reports.join("charts").join(format!("{kind}.svg")).is_file());
    }
    let index = std::fs::read_to_string(reports.join("index.html")).expect("index");
    for w in weeks {
        assert!(index.contains(&format!("href=\"{w}.html\"")), "index links {w}");
    }
    assert!(index.contains("<svg class=\"spark\""), "index has sparklines");
    let page = std::fs::read_to_string(reports.join("2025-W37.html")).expect("page");
    assert!(
        page.contains("href=\"2025-W36.html\"") && page.contains("href=\"2025-W38.html\""),
        "previous and next week"
    );
    assert!(page.contains("<figure class=\"chart\"><svg"), "charts are inline");
    assert!(!page.contains("<script") && !page.contains("src=\"http"), "self-contained, no scripts");
    assert!(index.contains("Themes over time"), "the index has the evolution section");

    // Run again on the same archive: no file whose bytes would not change is written again.
    let mtimes = |dir: &Path| -> BTreeMap<PathBuf, std::time::SystemTime> {
        walk(dir).into_iter().filter_map(|p| Some((p.clone(), std::fs::metadata(&p).ok()?.modified().ok()?))).collect()
    };
    let before = mtimes(&reports);
    let out = env.run(&["run", "archive", "--store", "store", "--reports", "reports"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("0 weeks rendered, 3 unchanged"), "{}", stderr(&out));
    let after = mtimes(&reports);
    assert_eq!(before.len(), after.len());
    let rewritten: Vec<&PathBuf> = after.iter().filter(|(p, t)| before.get(*p) != Some(t)).map(|(p, _)| p).collect();
    assert!(rewritten.is_empty(), "rewritten with the same bytes: {rewritten:?}");

    // A week whose file went missing is rendered again, and only it.
    std::fs::remove_file(reports.join("2025-W37.html")).expect("remove");
    let out = env.run(&["report", "--store", "store", "--all", "--out", "reports"]);
    assert!(stderr(&out).contains("1 weeks rendered, 2 unchanged"), "{}", stderr(&out));
    assert!(reports.join("2025-W37.html").is_file());
}

const HOSTILE: &str = "---\ndate: 2025-10-08\n---\n\n## TL;DR\n\nTotal papers: 9 , Selected papers: 1\n\n\
## Agents <b onmouseover=alert(3)>bold</b>\n- **X** (https://arxiv.org/abs/2510.00001) does things\n\n---\n\n\
# Attack <script>alert(1)</script> and <img src=x onerror=alert(2)> [click](javascript:alert(4))\n\n\
Authors: Mallory <i>Evil</i>, Eve\n\nKeywords: <script>kw</script>, agents\n\nComments: None\n\n\
Paper link: http://arxiv.org/abs/2510.00001v1\n\n## Abstract\n\nAn abstract about agents.\n";

#[test]
fn digest_markup_is_escaped_in_the_html_report() {
    let env = Env::new();
    env.write("in/arxiv_cs_CL_2025-10-08_report.md", HOSTILE);
    let out = env.run(&["ingest", "in", "--store", "st", "-q"]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", stderr(&out));
    let out = env.run(&["report", "--store", "st", "--week", "2025-W41", "--out", "rep"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(env.path("rep/2025-W41.html")).expect("html");
    assert!(html.contains("Attack &lt;script&gt;alert(1)&lt;/script&gt;"), "the title is shown as text");
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"), "the img tag is shown as text");
    assert!(html.contains("Mallory &lt;i&gt;Evil&lt;/i&gt;"), "authors are text");
    for bad in ["<script", "<img", "<b onmouseover", "<i>", "javascript:"] {
        assert!(!html.contains(bad), "{bad} reached the HTML");
    }
    let md = std::fs::read_to_string(env.path("rep/2025-W41.md")).expect("md");
    assert!(md.contains("\\<script\\>"), "Markdown escapes it too");
}

/// Replaces the temp folder in report text.
fn filtered(text: &str, env: &Env) -> String {
    text.replace(s(&env.path("")), "[tmp]/")
}

#[test]
fn weekly_report_and_chart_snapshots() {
    let env = Env::new();
    sample(&env, "archive", "21", "11");
    assert!(env.run(&["ingest", "archive", "--store", "st", "-q"]).status.success());
    let out = env.run(&["report", "--store", "st", "--week", "2025-W37", "--out", "rep"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(env.path("rep/2025-W37.md")).expect("md");
    insta::assert_snapshot!("report_2025_W37_md", filtered(&md, &env));
    let out = env.run(&["chart", "top", "--store", "st", "--until", "2025-W37", "--out", "top.svg"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(env.path("top.svg")).expect("svg");
    insta::assert_snapshot!("chart_top_keywords_2025_W37_svg", svg);
}

#[test]
fn an_archive_made_from_real_digests_has_no_two_equal_files_and_each_copy_is_its_own_digest() {
    let env = Env::new();
    let site = corpus().join("site");
    let out = env.run(&["sample", "--from", s(&site), "--out", "real", "--megabytes", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (mut files, mut hashes) = (0, std::collections::BTreeSet::new());
    for entry in walkdir::WalkDir::new(env.path("real")).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            files += 1;
            hashes.insert(std::fs::read(entry.path()).expect("read"));
        }
    }
    let originals = std::fs::read_dir(&site).expect("site").count();
    assert!(files >= 2 * originals, "{files} files from {originals}");
    assert_eq!(hashes.len(), files, "two files are equal");
    // Every copy is read as a digest of its own, with its own dates and papers.
    let ingest = env.run(&["ingest", "real", "--store", "store"]);
    assert!(matches!(ingest.status.code(), Some(0 | 1)), "{}", stderr(&ingest));
    let digests = env.sql("store", "SELECT count(*) AS n, count(DISTINCT digest_date) AS days FROM digests");
    let row: Vec<u64> = digests.lines().nth(1).expect("row").split(',').map(|v| v.parse().expect("count")).collect();
    assert_eq!(row[0], files as u64, "one digest per file");
    assert!(row[1] > originals as u64, "dates moved: {digests}");
    let papers = env.sql("store", "SELECT count(DISTINCT arxiv_id) AS ids, count(*) AS rows FROM entries");
    let row: Vec<u64> = papers.lines().nth(1).expect("row").split(',').map(|v| v.parse().expect("count")).collect();
    assert!(row[0] * 10 > row[1] * 9, "arXiv ids renumbered per copy: {papers}");
}

#[test]
fn a_week_of_more_papers_than_a_page_lists_says_how_many_and_how_to_get_them_all() {
    let env = Env::new();
    // One README table of 1,200 papers, all listed on one day (a generated listing).
    let mut readme = String::from("## Updated on 2025.10.08\n\n## Sparse Routing\n\n");
    readme.push_str("|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n");
    for n in 1..=1200 {
        readme.push_str(&format!(
            "|**2025-10-07**|**Generated study {n} of sparse routing**|Ada Writer et.al.|\
             [2510.{n:05}](http://arxiv.org/abs/2510.{n:05})|null|\n"
        ));
    }
    env.write("arch/README.md", &readme);
    let out = env.run(&["ingest", "arch", "--store", "st", "-q"]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", stderr(&out));
    let out = env.run(&["report", "--store", "st", "--week", "2025-W41", "--out", "rep"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(env.path("rep/2025-W41.md")).expect("md");
    let section = md.split("## Papers of the week").nth(1).expect("the week's papers").split("\n## ").next();
    let section = section.unwrap_or_default();
    assert!(section.contains("1200 papers in this week's digests."), "{section:.300}");
    assert!(
        section.contains(
            "The first 1000 by date are listed here; all of them: \
             `digestlens papers --since 2025-10-06 --until 2025-10-12 --top 0 --csv`."
        ),
        "{section:.600}"
    );
    let listed = section.matches("Generated study").count();
    assert_eq!(listed, 1000, "the page lists the first 1,000");
    // The command the page names gives every one of them.
    let out =
        env.run(&["papers", "--store", "st", "--since", "2025-10-06", "--until", "2025-10-12", "--top", "0", "--csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().filter(|l| l.contains("Generated study")).count(), 1200);
}
