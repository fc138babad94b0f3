//! The generic reader on every shape of digest other generators write: small made-up fixtures
//! named for what is special in them, and the real third-party archives read from ../shared.

use std::collections::BTreeSet;

use super::*;

/// `check --json` of a path, as (format, date, date_source, entries) per digest.
fn checked(env: &Env, path: &str) -> Vec<(String, String, String, u64)> {
    let out = env.run(&["check", "--json", path]);
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    reports
        .as_array()
        .expect("array")
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (s("format"), s("date"), s("date_source"), r["entries"].as_u64().unwrap_or(0))
        })
        .collect()
}

fn ingest(env: &Env, paths: &[&str]) -> Output {
    let mut args = vec!["ingest"];
    args.extend(paths);
    args.extend(["--store", "st"]);
    let out = env.run(&args);
    assert!(matches!(out.status.code(), Some(0 | 1)), "ingest: {}", stderr(&out));
    out
}

#[test]
fn numbered_sections_with_bold_labels() {
    let env = Env::new();
    env.write(
        "digests/numbered_sections_bold_labels.md",
        "# arXiv Daily Digest — 2026-04-01\n\n**Mode:** direct\n**Papers found:** 2\n\n---\n\n## 1. Widgets That Route Themselves\n\n**Authors:** Ann Lee, Bo Chan\n**arXiv:** [2603.28955](https://arxiv.org/abs/2603.28955)\n**Categories:** Robotics (cs.RO)\n\nWe present a widget that routes itself through a network of other widgets and we evaluate it on eight tasks with many strong baselines from earlier work.\n\n---\n\n## 2. Gadgets: A Survey\n\n**Authors:** Cy Dee, ..., Ed Fu\n**arXiv:** [2603.29844v2](https://arxiv.org/pdf/2603.29844v2)\n\nGadgets are surveyed here in a long paragraph that is the abstract of this paper and nothing else at all.\n",
    );
    assert_eq!(checked(&env, "digests"), [("generic".into(), "2026-04-01".into(), "title-line".into(), 2)]);
    ingest(&env, &["digests"]);
    assert_eq!(
        env.sql("st", "select title, authors, arxiv_id, arxiv_version, title_source from entries order by position"),
        "title,authors,arxiv_id,arxiv_version,title_source\nWidgets That Route Themselves,Ann Lee; Bo Chan,2603.28955,,heading\nGadgets: A Survey,Cy Dee; Ed Fu,2603.29844,2,heading\n"
    );
    let abs = env.sql("st", "select abstract from entries where position = 1");
    assert!(abs.contains("We present a widget"), "{abs}");
}

#[test]
fn keyword_tables_of_a_rolling_readme() {
    let env = Env::new();
    let row = |date: &str, title: &str, id: &str| {
        format!("|**{date}**|**{title}**|Ann Lee et.al.|[{id}](http://arxiv.org/abs/{id})|null|\n")
    };
    let head = "|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n";
    let text = format!(
        "## Updated on 2026.06.29\n\n<details><summary>Table of Contents</summary><ol><li><a href=#slam>SLAM</a></li></ol></details>\n\n## SLAM\n\n{head}{}{}\n## NeRF\n\n{head}{}",
        row("2026-05-13", "Mapping Rooms Fast", "2605.13741"),
        row("2025-01-02", "Old Maps", "2501.00002"),
        row("2026-05-13", "Mapping Rooms Fast", "2605.13741"),
    );
    env.write("feed/keyword_tables_rolling_readme.md", text);
    assert_eq!(checked(&env, "feed"), [("generic".into(), "2026-06-29".into(), "title-line".into(), 2)]);
    ingest(&env, &["feed"]);
    assert_eq!(
        env.sql("st", "select arxiv_id, listed_date, listed_under from entries order by arxiv_id"),
        "arxiv_id,listed_date,listed_under\n2501.00002,2025-01-02,SLAM\n2605.13741,2026-05-13,SLAM; NeRF\n"
    );
    assert_eq!(
        env.sql("st", "select keyword, origin from keywords where origin = 'heading' order by paper_id, keyword"),
        "keyword,origin\nSLAM,heading\nNeRF,heading\nSLAM,heading\n"
    );
    // The analysis dates each row by its own date: the two papers are in two months, and the
    // README's update day is not a month of papers.
    let trends =
        env.run(&["trends", "--store", "st", "--period", "month", "--kind", "keywords", "--last", "0", "--csv"]);
    let text = stdout(&trends);
    assert!(text.contains("2025-01,") && text.contains("2026-05,"), "{text}");
    assert!(!text.contains("2026-06,"), "{text}");
}

#[test]
fn a_jekyll_day_folder_is_one_digest() {
    let env = Env::new();
    env.write(
        "site/docs/dates/2025-10-12/index.md",
        "---\nlayout: default\ntitle: 每日要点 - 2025-10-12\n---\n\n# 每日要点（2025-10-12）\n\n| # | 题目 | 一句话要点 | 关键词 |\n|---:|---|---|---|\n| 1 | [Streaming Vision](./papers/251009608v1-streaming-vision.html) | 提出流式方法 | 视频理解, 实时 |\n| 2 | [Acting Models](./papers/251009607v1-acting-models.html) | 提出动作蒸馏 | 机器人 |\n",
    );
    for (id, slug, title) in [
        ("2510.09608", "251009608v1-streaming-vision", "Streaming Vision"),
        ("2510.09607", "251009607v1-acting-models", "Acting Models"),
    ] {
        env.write(
            &format!("site/docs/dates/2025-10-12/papers/{slug}.md"),
            format!("---\nlayout: default\ntitle: {title}: with a colon\n---\n\n# {title}\n**arXiv**：[{id}v1](https://arxiv.org/abs/{id}) · [PDF](https://arxiv.org/pdf/{id}.pdf)  \n**作者**：Baoshan Song, Xiao Xia  \n\n**关键词**：自主定位, 标定\n\n## 摘要（原文）\n\n> The original abstract.\n"),
        );
    }
    let out = ingest(&env, &["site"]);
    assert!(stderr(&out).contains("3 files (3 read, 0 unchanged, 0 pruned): 1 digests, 2 entries"), "{}", stderr(&out));
    assert_eq!(
        env.sql("st", "select source_file, digest_date, date_source, files from digests"),
        "source_file,digest_date,date_source,files\nsite/docs/dates/2025-10-12/index.md,2025-10-12,title-line,site/docs/dates/2025-10-12/index.md; site/docs/dates/2025-10-12/papers/251009607v1-acting-models.md; site/docs/dates/2025-10-12/papers/251009608v1-streaming-vision.md\n"
    );
    assert_eq!(
        env.sql("st", "select arxiv_id, title, authors, keywords, summary, abstract from entries order by arxiv_id"),
        "arxiv_id,title,authors,keywords,summary,abstract\n2510.09607,Acting Models,Baoshan Song; Xiao Xia,自主定位; 标定; 机器人,提出动作蒸馏,The original abstract.\n2510.09608,Streaming Vision,Baoshan Song; Xiao Xia,自主定位; 标定; 视频理解; 实时,提出流式方法,The original abstract.\n"
    );
    // A new page in the day folder joins the same digest on the next ingest.
    env.write(
        "site/docs/dates/2025-10-12/papers/251009600v1-third.md",
        "# Third Paper Here\n**arXiv**：[2510.09600v1](https://arxiv.org/abs/2510.09600)\n",
    );
    let again = ingest(&env, &["site"]);
    assert!(stderr(&again).contains("1 digests, 3 entries"), "{}", stderr(&again));
}

#[test]
fn a_readme_and_its_python_dict_copy_are_one_digest() {
    let env = Env::new();
    let md = "# Measure Gaps: A Principle \n\n**Authors**: Yi Wen, Yue Liu  \n\n**Link**: [PDF](https://arxiv.org/pdf/2505.20227)  \n\n**Abstract**: Multi-domain recommendation is studied.\n\n---\n# Leveraging Emotions \n\n**Title (ZH)**: 情感 \n\n**Authors**: Tonmoy Hasan  \n\n**Link**: [PDF](https://arxiv.org/pdf/2505.20190)  \n\n**Abstract**: Affect is studied.\n";
    env.write("reporter/27-May-2025/IR/README.md", md);
    env.write(
        "reporter/27-May-2025/IR/papers.jsonl",
        "{'arxiv_id': 'arXiv:2505.20227', 'title': \"Measure Gaps: A Principle\", 'authors': 'Yi Wen, Yue Liu', 'link': 'https://arxiv.org/abs/2505.20227', 'abstract': 'Multi-domain recommendation is studied.', 'pdf': None}\n{'arxiv_id': 'arXiv:2505.20190', 'title': 'Leveraging Emotions', 'authors': 'Tonmoy Hasan', 'link': 'https://arxiv.org/abs/2505.20190', 'abstract': 'Affect is studied.'}\nthis line is not a record\n",
    );
    let out = ingest(&env, &["reporter"]);
    assert!(stderr(&out).contains("1 digests, 2 entries"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("papers.jsonl:3: warning bad-record: skipped: neither JSON nor a Python/JSON5 literal"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        env.sql("st", "select digest_date, date_source from digests"),
        "digest_date,date_source\n2025-05-27,folder-name\n"
    );
    assert_eq!(
        env.sql("st", "select arxiv_id, title, url from entries order by arxiv_id"),
        "arxiv_id,title,url\n2505.20190,Leveraging Emotions,https://arxiv.org/pdf/2505.20190\n2505.20227,Measure Gaps: A Principle,https://arxiv.org/pdf/2505.20227\n"
    );
}

#[test]
fn a_saved_html_page_without_its_chrome() {
    let env = Env::new();
    env.write(
        "saved/digest_2026-05-01.html",
        r##"<!doctype html><html><head><title>Reading list</title><style>h2{color:red}</style><script>document.write('<h2>Injected Paper</h2><a href="https://arxiv.org/abs/2401.99999">x</a>')</script></head>
<body><header><a href="https://arxiv.org/abs/2401.11111">Featured header link</a></header><nav><ul><li><a href="/">Home</a></li></ul></nav>
<main><h2>Sparse Routing at Scale</h2><p><b>Authors:</b> Ann Lee, Bo Chan<br><b>Link:</b> <a href="https://arxiv.org/abs/2604.00001v3">arXiv</a></p><p>A long abstract of this paper that has more than twenty-five words so that it is taken as the abstract of the paper by the generic reader of digestlens.</p>
<h2>Dense Retrieval Revisited</h2><p>Authors: Cy Dee</p><p><a href="https://arxiv.org/pdf/2604.00002">PDF</a></p></main>
<footer><a href="https://arxiv.org/abs/2401.22222">Footer link</a> <a href="#top">Back to top</a></footer></body></html>"##,
    );
    assert_eq!(checked(&env, "saved"), [("generic".into(), "2026-05-01".into(), "file-name".into(), 2)]);
    ingest(&env, &["saved"]);
    assert_eq!(
        env.sql("st", "select arxiv_id, arxiv_version, title, authors from entries order by position"),
        "arxiv_id,arxiv_version,title,authors\n2604.00001,3,Sparse Routing at Scale,Ann Lee; Bo Chan\n2604.00002,,Dense Retrieval Revisited,Cy Dee\n"
    );
}

#[test]
fn paragraphs_around_an_id_belong_to_its_paper() {
    let env = Env::new();
    // A saved arXiv listing: the id line, then the title, authors and abstract below it.
    env.write(
        "runs/arxiv_listing_2026-02-03.html",
        r#"<html><body><h3>New submissions for Tue, 3 Feb 26</h3><dl>
<dt><a href="/abs/2602.00001">arXiv:2602.00001</a> [<a href="/pdf/2602.00001">pdf</a>]</dt>
<dd><div class="list-title"><span class="descriptor">Title:</span> Listing Paper One</div><div class="list-authors"><span class="descriptor">Authors:</span> <a href="/a/x">Ann Lee</a>, <a href="/a/y">Bo Chan</a></div><p>An abstract of the first listed paper, which is long enough to be taken for an abstract by the generic reader of the digests here.</p></dd>
<dt><a href="/abs/2602.00002">arXiv:2602.00002</a> [<a href="/pdf/2602.00002">pdf</a>]</dt>
<dd><div class="list-title"><span class="descriptor">Title:</span> Listing Paper Two</div><div class="list-authors"><span class="descriptor">Authors:</span> <a href="/a/z">Cy Dee</a></div></dd>
</dl></body></html>"#,
    );
    // Bold titles, then field lines, then the id, then the abstract; no headings, no rules.
    env.write(
        "runs/bold_titles_2026-02-04.md",
        "**Paper Alpha Goes First**\n\nAuthors: Ann Lee\n\narXiv: 2602.00011\n\nThe abstract of alpha is a paragraph of more than twenty words that belongs to alpha and to no other paper here.\n\n**Paper Beta Comes Next**\n\nAuthors: Bo Chan\n\narXiv: 2602.00012\n",
    );
    ingest(&env, &["runs"]);
    assert_eq!(
        env.sql(
            "st",
            "select arxiv_id, title, authors, abstract is not null as has_abstract from entries order by arxiv_id"
        ),
        "arxiv_id,title,authors,has_abstract\n2602.00001,Listing Paper One,Ann Lee; Bo Chan,true\n2602.00002,Listing Paper Two,Cy Dee,false\n2602.00011,Paper Alpha Goes First,Ann Lee,true\n2602.00012,Paper Beta Comes Next,Bo Chan,false\n"
    );
}

#[test]
fn a_briefing_page_with_themes_that_link_its_papers() {
    let env = Env::new();
    // Insight sections whose headings name a theme and whose prose links papers by their titles,
    // then the papers as cards under emoji topic headings; Korean prose, no field labels.
    let card = |id: &str, title: &str, authors: &str| {
        format!(
            r#"<div class="paper"><div class="line1">📄 <a href="https://arxiv.org/abs/{id}"><strong>{title}</strong></a> <span class="badge">RO</span></div><div class="authors">👥 {authors}</div><p>이 논문은 단안 카메라만으로 SLAM을 돌리는 문제를 다루고, 여러 벤치마크에서 트래킹 정확도와 렌더링 품질을 동시에 올렸습니다. 이번 주 트렌드의 연장선에 있는 연구입니다.</p></div>"#
        )
    };
    let html = format!(
        r#"<!DOCTYPE html><html lang="ko"><head><title>arXiv Daily Briefing — 2026-04-21</title><style>h1{{color:red}}</style></head><body><div class="container">
<h1>📄 arXiv Daily Briefing — 2026-04-21 (화)</h1>
<h2>💡 오늘의 인사이트</h2>
<div class="insight"><h3>1. 범용 로봇 FM 시대</h3><p>이번 주 가장 큰 이벤트는 <a href="https://arxiv.org/abs/2604.15483">Steerable Generalist Robot Models</a>입니다.</p></div>
<div class="insight"><h3>2. 회의적 증거들</h3><p>오늘 나온 두 편이 상당히 도발적입니다. <a href="https://arxiv.org/abs/2604.16060">Chain-of-Thought Degrades Spatial Reasoning</a>은 17개 모델에서 성능 저하를 보였고, <a href="https://arxiv.org/abs/2604.16256">Do Models Truly Reason?</a>은 텍스트 백본에 기댄다는 증거를 제시했어요. 커뮤니티가 재평가하기 시작한 것 같아요.</p></div>
<h2>📄 논문별 요약</h2>
<h4 class="bucket">📦 3D/Scene <span class="count">· 1편</span></h4>
{}
<h4 class="bucket">🤖 Robot Learning <span class="count">· 1편</span></h4>
{}
<h4 class="bucket">🧠 Foundation Models <span class="count">· 1편</span></h4>
{}
<h2>🔗 참고 링크</h2><ul class="links"><li><a href="https://arxiv.org/list/cs.CV/new">cs.CV/new</a></li></ul>
<footer>자동 생성 · 2026-04-21</footer></div></body></html>"#,
        card("2604.15612", "GaussianFlow SLAM: Monocular Gaussian Splatting SLAM", "Dong-Uk Seo, Jinwoo Jeon"),
        card("2604.15483", "Steerable Generalist Robot Models with Emergent Capabilities", "Bo Ai, Ali Amin"),
        card("2604.16060", "Chain-of-Thought Degrades Visual Spatial Reasoning", "Sai Kancheti"),
    );
    env.write("briefing/2026-04-21.html", html);
    assert_eq!(checked(&env, "briefing"), [("generic".into(), "2026-04-21".into(), "title-line".into(), 4)]);
    ingest(&env, &["briefing"]);
    assert_eq!(
        env.sql("st", "select arxiv_id, title, listed_under from entries order by arxiv_id"),
        "arxiv_id,title,listed_under\n2604.15483,Steerable Generalist Robot Models with Emergent Capabilities,Robot Learning · 1편\n2604.15612,GaussianFlow SLAM: Monocular Gaussian Splatting SLAM,3D/Scene · 1편\n2604.16060,Chain-of-Thought Degrades Visual Spatial Reasoning,Foundation Models · 1편\n2604.16256,Do Models Truly Reason?,\"\"\n",
        "a theme's numbered heading is no topic, and a paper only named in passing is listed under none"
    );
}

#[test]
fn several_digests_in_one_file_are_split() {
    let env = Env::new();
    let day = |d: &str, id: &str| {
        format!(
            "# arXiv Daily Digest — {d}\n\n## 1. Paper of {d}\n\n**Authors:** A B\n**arXiv:** [{id}](https://arxiv.org/abs/{id})\n\n"
        )
    };
    env.write(
        "many/several_digests_in_one_file.md",
        format!(
            "{}{}{}",
            day("2026-04-01", "2603.00001"),
            day("2026-04-02", "2603.00002"),
            day("2026-04-03", "2603.00001")
        ),
    );
    let got = checked(&env, "many");
    let dates: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
    assert_eq!(dates, ["2026-04-01", "2026-04-02", "2026-04-03"]);
    ingest(&env, &["many"]);
    assert_eq!(
        env.sql("st", "select digest_date, source_line, title from entries order by digest_date"),
        "digest_date,source_line,title\n2026-04-01,3,Paper of 2026-04-01\n2026-04-02,10,Paper of 2026-04-02\n2026-04-03,17,Paper of 2026-04-03\n"
    );
    assert_eq!(
        env.sql("st", "select count(distinct digest_id) as n, count(distinct source_file) as f from digests"),
        "n,f\n3,1\n"
    );
}

#[test]
fn the_eight_site_digests_concatenated_are_eight_digests() {
    let env = Env::new();
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(corpus().join("site")).expect("site").filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    let all: Vec<u8> = files.iter().flat_map(|f| std::fs::read(f).expect("read")).collect();
    env.write("all/site_concatenated.md", &all);
    let got = checked(&env, "all");
    let want: Vec<String> =
        files.iter().map(|f| f.file_name().and_then(|n| n.to_str()).expect("name")[12..22].to_owned()).collect();
    assert_eq!(got.iter().map(|g| g.1.clone()).collect::<Vec<_>>(), want);
    assert!(got.iter().all(|g| g.0 == "markdown" && g.2 == "front-matter"), "{got:?}");
    assert_eq!(got.iter().map(|g| g.3).sum::<u64>(), 51);
}

#[test]
fn html_renderings_of_the_site_digests_read_the_same_fields() {
    let env = Env::new();
    for f in std::fs::read_dir(corpus().join("site")).expect("site").filter_map(Result::ok) {
        let text = std::fs::read_to_string(f.path()).expect("read");
        let mut html = String::from("<html><body>");
        let parser = pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::ENABLE_TABLES);
        pulldown_cmark::html::push_html(&mut html, parser);
        html.push_str("</body></html>");
        let name = f.file_name().to_string_lossy().replace(".md", ".html");
        env.write(&format!("html/{name}"), html);
    }
    let md = env.run(&["ingest", s(&corpus().join("site")), "--store", "md"]);
    assert!(md.status.success(), "{}", stderr(&md));
    ingest(&env, &["html"]);
    let q = "select digest_date, arxiv_id, title, authors, keywords, comments, venue, url from entries order by digest_date, arxiv_id";
    assert_eq!(env.sql("st", q), env.sql("md", q));
    let letters = |t: String| t.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let q = "select abstract, summary from entries order by digest_date, arxiv_id";
    assert_eq!(letters(env.sql("st", q)), letters(env.sql("md", q)));
}

#[test]
fn the_site_page_as_its_site_serves_it() {
    let env = Env::new();
    env.write(
        "served/page.html",
        r#"<!doctype html><html><head><title>ArXiv Daily Digest on 2025-10-08 - Reading Group</title></head><body>
<header><nav><a href="/">Home</a><a href="/digests/">Digests</a></nav></header>
<article><h1>ArXiv Daily Digest on 2025-10-08</h1><p>Published: October 08, 2025</p><p>Today's overview.</p>
<h2>TL;DR</h2><p>Total papers: 93 , Selected papers: 1</p>
<h1>A Framework for Stateful Search</h1>
<p>Authors: Arshika Lalan, Rajat Ghosh</p><p>Keywords: Multi-Agent Framework, Code Coverage</p><p>Comments: Accepted at NeurIPS 2025</p>
<p>Paper link: <a href="http://arxiv.org/abs/2510.07147v1">http://arxiv.org/abs/2510.07147v1</a></p>
<h2>Abstract</h2><p>Recent work explores agentic inference-time techniques.</p></article>
<footer>© 2025</footer></body></html>"#,
    );
    assert_eq!(checked(&env, "served"), [("markdown".into(), "2025-10-08".into(), "title-line".into(), 1)]);
    ingest(&env, &["served"]);
    assert_eq!(
        env.sql("st", "select title, authors, keywords, venue, arxiv_id, arxiv_version, abstract from entries"),
        "title,authors,keywords,venue,arxiv_id,arxiv_version,abstract\nA Framework for Stateful Search,Arshika Lalan; Rajat Ghosh,Multi-Agent Framework; Code Coverage,NeurIPS 2025,2510.07147,1,Recent work explores agentic inference-time techniques.\n"
    );
}

#[test]
fn a_yaml_data_file_of_papers() {
    let env = Env::new();
    env.write(
        "site/_data/papers_2025-10-12.yml",
        "date: 2025-10-12\npapers:\n  - title: Widgets at Scale\n    authors: [Ann Lee, Bo Chan]\n    arxiv: 2510.00001v2\n  - title: Gadgets\n    link: https://arxiv.org/abs/2510.00002\n",
    );
    assert_eq!(checked(&env, "site"), [("json".into(), "2025-10-12".into(), "date-label".into(), 2)]);
    ingest(&env, &["site"]);
    assert_eq!(
        env.sql("st", "select arxiv_id, arxiv_version, title, authors from entries order by arxiv_id"),
        "arxiv_id,arxiv_version,title,authors\n2510.00001,2,Widgets at Scale,Ann Lee; Bo Chan\n2510.00002,,Gadgets,\"\"\n"
    );
}

#[test]
fn records_under_date_keys_are_one_digest_per_day() {
    let env = Env::new();
    env.write(
        "api/daily_papers_by_date.json",
        r#"{"2025-06-10": [{"paper": {"id": "2506.01234", "title": "Listed Paper", "authors": [{"name": "A B"}, {"name": "C D"}], "summary": "Abstract.", "upvotes": 12}}],
            "2025-06-11": [{"title": "Linked Paper", "url": "https://arxiv.org/abs/2506.05555v2", "tags": ["agents", "memory"]}]}"#,
    );
    let got = checked(&env, "api");
    assert_eq!(
        got,
        [
            ("json".into(), "2025-06-10".into(), "date-label".into(), 1),
            ("json".into(), "2025-06-11".into(), "date-label".into(), 1)
        ]
    );
    ingest(&env, &["api"]);
    assert_eq!(
        env.sql("st", "select arxiv_id, title, authors, upvotes, keywords from entries order by arxiv_id"),
        "arxiv_id,title,authors,upvotes,keywords\n2506.01234,Listed Paper,A B; C D,12,\"\"\n2506.05555,Linked Paper,\"\",,agents; memory\n"
    );
}

#[test]
fn nothing_is_made_up() {
    let env = Env::new();
    env.write("none/digest_heading_only.md", "# arXiv Daily Digest — 2026-04-01\n\n## Table of contents\n\n- [Back to top](#top)\n- [Archive](../index.md)\n\nNo papers today.\n");
    env.write(
        "none/repo_readme.md",
        "# My digests\n\nThis repository keeps daily digests. See the [docs](docs/README.md).\n",
    );
    let out = env.run(&["check", "none"]);
    let text = stdout(&out);
    assert!(text.contains("none/digest_heading_only.md: skipped"), "{text}");
    assert!(
        text.contains("none/repo_readme.md:0: warning unknown-format: skipped: not a digest (no paper found"),
        "{text}"
    );
    let out = env.run(&["ingest", "none", "--store", "st"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(env.sql("st", "select count(*) as n from entries"), "n\n0\n");
}

#[test]
fn a_profile_reads_a_generator_the_reader_does_not_know() {
    let env = Env::new();
    env.write(
        "de/ausgabe.md",
        "# Tagesauswahl\n\nAusgabe vom 01.04.2026\n\n## Schnelle Widgets\n\nVerfasser: Anna Lee, Bo Chan\n\nKurzfassung: Wir untersuchen Widgets.\n\nQuelle: https://arxiv.org/abs/2603.11111\n",
    );
    env.write(
        "de.yaml",
        "name: tagesauswahl\nmatch:\n  contains: Tagesauswahl\nlabels:\n  authors: [Verfasser]\n  abstract: [Kurzfassung]\n  link: [Quelle]\ndate:\n  pattern: 'Ausgabe vom (\\d{2}\\.\\d{2}\\.\\d{4})'\n  format: '%d.%m.%Y'\n",
    );
    let out = env.run(&["ingest", "de", "--store", "st", "--profile", "de.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        env.sql("st", "select format, digest_date from digests"),
        "format,digest_date\ntagesauswahl,2026-04-01\n"
    );
    assert_eq!(
        env.sql("st", "select title, authors, abstract, arxiv_id from entries"),
        "title,authors,abstract,arxiv_id\nSchnelle Widgets,Anna Lee; Bo Chan,Wir untersuchen Widgets.,2603.11111\n"
    );
    env.write("bad.yaml", "name: x\nlabelz: {}\n");
    let bad = env.run(&["check", "de", "--profile", "bad.yaml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("bad.yaml:"), "{}", stderr(&bad));
}

#[test]
fn hostile_html_and_json_give_diagnostics() {
    let env = Env::new();
    env.write(
        "bad/deep_nesting.html",
        format!("<html><body>{}x{}</body></html>", "<div>".repeat(200_000), "</div>".repeat(200_000)),
    );
    env.write("bad/deep_nesting.json", format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)));
    env.write("bad/garbled.html", "<html><body><h2>Unclosed <b>Paper <i>Title</h2><p>Authors: A<p><a href='https://arxiv.org/abs/2401.00001'>pdf</a></table></body>");
    let mut big = String::from("<html><body><h1>Big page 2025-10-06</h1>");
    while big.len() < 20 * 1024 * 1024 {
        big.push_str("<p>Filler text that is not about any paper at all, repeated.</p>\n");
    }
    big.push_str("<h2>The Last Paper</h2><p><a href='https://arxiv.org/abs/2510.00009'>abs</a></p></body></html>");
    env.write("bad/twenty_megabytes.html", big);
    let out = env.run(&["check", "bad"]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "bad/deep_nesting.html:0: warning unknown-format: skipped: not a digest (its HTML elements nest 200002 deep"
        ),
        "{text}"
    );
    assert!(
        text.contains("bad/deep_nesting.json:1: warning bad-record: skipped: nested deeper than 64 levels"),
        "{text}"
    );
    assert!(text.contains("bad/garbled.html: generic,"), "{text}");
    assert!(text.contains("bad/twenty_megabytes.html: generic, 2025-10-06 (title-line), 1 entries"), "{text}");
}

/// The new-style arXiv ids written in the files of a folder (as `archive_score.py` counts them).
fn ids_in(dir: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&p).expect("read")).into_owned();
            let b = text.as_bytes();
            for i in 0..b.len().saturating_sub(9) {
                let digits = |r: std::ops::Range<usize>| r.clone().all(|j| b.get(j).is_some_and(u8::is_ascii_digit));
                let before_ok = i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.');
                if before_ok && digits(i..i + 4) && b[i + 4] == b'.' && digits(i + 5..i + 9) {
                    let five = b.get(i + 9).is_some_and(u8::is_ascii_digit);
                    let end = if five { i + 10 } else { i + 9 };
                    if !b.get(end).is_some_and(u8::is_ascii_digit) {
                        ids.insert(text[i..end].to_owned());
                    }
                }
            }
        }
    }
    ids
}

#[test]
fn every_third_party_archive_is_read() {
    let root = corpus().join("third-party");
    let mut archives: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("third-party")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    archives.sort();
    assert!(archives.len() >= 4, "{archives:?}");
    for dir in archives {
        let env = Env::new();
        let out = env.run(&["ingest", s(&dir), "--store", "st"]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        let gold = ids_in(&dir);
        let rows = csv_rows(&env.sql("st", "select arxiv_id, title, digest_date from entries"));
        let found: BTreeSet<String> = rows[1..].iter().map(|r| r[0].clone()).filter(|id| !id.is_empty()).collect();
        let name = dir.file_name().expect("name").to_string_lossy().into_owned();
        let recall = gold.intersection(&found).count() as f64 / gold.len().max(1) as f64;
        assert!(recall >= 0.95, "{name}: recall {recall}");
        assert!(
            found.is_subset(&gold),
            "{name}: ids not in the files: {:?}",
            found.difference(&gold).collect::<Vec<_>>()
        );
        let without_id = rows[1..].iter().filter(|r| r[0].is_empty()).count();
        // One index row of a1henu links a page that is not in the archive: no id can be read.
        assert!(without_id * 100 <= rows.len(), "{name}: {without_id} entries without an id");
        assert!(rows[1..].iter().all(|r| !r[2].is_empty()), "{name}: an entry without a date");
        assert!(rows[1..].iter().all(|r| !r[1].is_empty()), "{name}: an entry without a title");
    }
}

#[test]
fn quality_shows_what_was_understood_per_source() {
    let env = Env::new();
    let (site, tp) = (corpus().join("site"), corpus().join("third-party/BernieZhu_arxiv-daily-digest"));
    env.write("mixed/notes.txt", "nothing here\n");
    ingest(&env, &[s(&site), s(&tp), "mixed"]);
    let out = env.run(&["quality", "--store", "st", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = rows.as_array().expect("array");
    let row = |input: &Path| rows.iter().find(|r| r["input"] == s(input)).expect("row");
    assert_eq!((row(&site)["format"].as_str(), row(&site)["entries"].as_u64()), (Some("markdown"), Some(51)));
    assert_eq!(row(&site)["keywords_grade"], "Excellent");
    assert_eq!((row(&tp)["format"].as_str(), row(&tp)["digests"].as_u64()), (Some("generic"), Some(22)));
    assert_eq!(row(&tp)["keywords_grade"], "Completely missing");
    assert_eq!(row(&tp)["arxiv_id"], 1.0);
    let skipped = rows.iter().find(|r| r["input"] == "mixed").expect("skipped row");
    assert_eq!((skipped["format"].as_str(), skipped["files"].as_u64()), (Some("(skipped)"), Some(1)));
    let text = stdout(&env.run(&["quality", "--store", "st"]));
    assert!(
        text.contains("files that yielded nothing:\n  mixed/notes.txt: unknown-format: skipped: not a digest"),
        "{text}"
    );
}

#[test]
fn input_tells_sources_apart() {
    let env = Env::new();
    let (a, b) = (corpus().join("seeds"), corpus().join("third-party/Vincentqyw_cv-arxiv-daily"));
    ingest(&env, &[s(&a), s(&b)]);
    let got = env.sql("st", "select input, count(*) as n from entries group by input order by input");
    assert_eq!(got, format!("input,n\n{},57\n{},8563\n", s(&a), s(&b)));
}
