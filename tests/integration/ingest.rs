//! Ingestion: formats, fields, the store, incremental runs, bad input, exit codes.

use super::*;

#[test]
fn check_counts_entries_per_seed_and_detects_formats() {
    let env = Env::new();
    let out = env.run(&["check", "--json", s(&corpus().join("seeds"))]);
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let got: Vec<(String, String, u64)> = reports
        .as_array()
        .expect("array")
        .iter()
        .map(|r| {
            let name =
                Path::new(r["path"].as_str().unwrap_or_default()).file_name().expect("file name").to_string_lossy()
                    [..3]
                    .to_owned();
            (name, r["format"].as_str().unwrap_or_default().to_owned(), r["entries"].as_u64().unwrap_or(0))
        })
        .collect();
    let want = [
        ("000", "page", 7),
        ("001", "markdown", 6),
        ("002", "markdown", 10),
        ("003", "flat", 5),
        ("004", "hf-daily", 29),
    ];
    let want: Vec<(String, String, u64)> =
        want.iter().map(|(n, f, c)| ((*n).to_owned(), (*f).to_owned(), *c)).collect();
    assert_eq!(got, want);
    // The seeds' misattributed fields (000, 001) are all moved back to their papers, which is a
    // repair (info), not a warning: the check finishes clean.
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn check_prints_dates_with_their_source() {
    let env = Env::new();
    let out = env.run(&["check", s(&seed("003")), s(&seed("004")), s(&seed("000"))]);
    let text = stdout(&out);
    assert!(text.contains("000_fe491d81c930a6c4.txt: page, 2025-10-06 (title-line), 7 entries"), "{text}");
    assert!(text.contains("003_3428cd2b592dbe92.txt: flat, 2025-10 (arxiv-id, month only), 5 entries"), "{text}");
    assert!(text.contains("004_476739d2295b07c2.txt: hf-daily, 2026-06-10 (page-years), 29 entries"), "{text}");
    assert!(text.contains(":0: info date-inferred: no digest date in the file; month 2025-10"), "{text}");
}

#[test]
fn export_csv_has_the_contract_columns_and_counts() {
    let (env, _) = ingested();
    let out = env.run(&["export", "--store", "store", "--to", "out", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(env.path("out/entries.csv")).expect("entries.csv");
    let rows = csv_rows(&text);
    let header = &rows[0];
    for column in [
        "source_file",
        "format",
        "digest_date",
        "position",
        "arxiv_id",
        "title",
        "authors",
        "keywords",
        "comments",
        "paper_id",
        "venue",
        "abstract",
    ] {
        assert!(header.iter().any(|h| h == column), "missing column {column} in {header:?}");
    }
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let per_seed =
        |prefix: &str| rows[1..].iter().filter(|r| r[col("source_file")].contains(&format!("seeds/{prefix}"))).count();
    assert_eq!(
        [per_seed("000"), per_seed("001"), per_seed("002"), per_seed("003"), per_seed("004")],
        [7, 6, 10, 5, 29]
    );
    let bvpo = rows[1..]
        .iter()
        .find(|r| r[col("source_file")].contains("seeds/000") && r[col("arxiv_id")] == "2510.05095")
        .expect("BVPO entry in seed 000");
    assert_eq!(bvpo[col("authors")], "Mingkang Zhu; Xi Chen; Bei Yu; Hengshuang Zhao; Jiaya Jia");
    assert_eq!(bvpo[col("comments")], "", "Comments: None is null");
    for table in ["digests", "papers", "keywords", "themes", "diagnostics"] {
        assert!(env.path(&format!("out/{table}.csv")).exists(), "{table}.csv");
    }
}

#[test]
fn field_values_are_exact_in_every_format() {
    let (env, _) = ingested();
    let q = |sql: &str| env.sql("store", sql);
    // page (seed 000): title line before Authors, keywords, link, the title case repaired.
    assert_eq!(
        q(
            "select title, keywords, arxiv_version, digest_date from entries where source_file like '%seeds/000%' and position = 1"
        ),
        "title,keywords,arxiv_version,digest_date\nFrom Noisy Traces to Stable Gradients: Bias-Variance Optimized Preference Optimization for Aligning Large Reasoning Models,Large Reasoning Models; Preference Optimization; Bias-Variance Trade-off; Gradient Variance; Direct Preference Optimization; Trace Sampling; Alignment; Mathematical Reasoning,1,2025-10-06\n"
    );
    assert_eq!(
        q("select title from entries where source_file like '%seeds/000%' and position = 2"),
        "title\nSLM-MUX: Orchestrating small language models for reasoning\n"
    );
    // markdown (seed 002): mojibake repaired in the text, venue from comments.
    let abstracts = q(
        "select count(*) as n from entries where source_file like '%seeds/002%' and (abstract like '%Ã%' or summary like '%â€%' or critique like '%â€%')",
    );
    assert_eq!(abstracts, "n\n0\n");
    let venues = q("select distinct venue from entries where venue is not null order by venue");
    assert!(venues.contains("NeurIPS 2025") && venues.contains("EMNLP 2025 Wordplay"), "{venues}");
    // flat (seed 003): titles recovered for all five entries, from the quoted titles.
    assert_eq!(
        q("select title, title_source, arxiv_id from entries where source_file like '%seeds/003%' order by position"),
        "title,title_source,arxiv_id\n\
         Reasoning Curriculum: Bootstrapping Broad LLM Reasoning from Math,summary-quote,2510.26143\n\
         The Geometry of Dialogue: Graphing Language Models to Reveal Synergistic Teams for Multi-Agent Collaboration,summary-quote,2510.26352\n\
         Defeating the Training-Inference Mismatch via FP16,summary-quote,2510.26788\n\
         Value Drifts: Tracing Value Alignment During LLM Post-Training,summary-quote,2510.26707\n\
         The Era of Agentic Organization: Learning to Organize with Language Models,summary-quote,2510.26658\n"
    );
    assert_eq!(
        q("select digest_date, date_source, date_precision from digests where source_file like '%seeds/003%'"),
        "digest_date,date_source,date_precision\n2025-10-01,arxiv-id,month\n"
    );
    // hf-daily (seed 004): page year 2026 (latest explicit year 2025 + 1), upvotes, organisations.
    assert_eq!(
        q(
            "select title, author_count, listed_date, upvotes, organization from entries where source_file like '%seeds/004%' and (position in (1, 3) or title like 'Xuanwu%') order by position"
        ),
        "title,author_count,listed_date,upvotes,organization\n\
         DUET: Optimize Token-Budget Allocation for Reinforcement Learning with Verifiable Rewards,4,2026-05-07,,\n\
         RLP: Reinforcement as a Pretraining Objective,,2025-09-26,4,NVIDIA\n\
         Xuanwu: Evolving General Multimodal Models into an Industrial-Grade Foundation for Content Ecosystems,8,2026-03-30,,\n"
    );
    // LaTeX escapes removed from titles.
    assert_eq!(
        q(
            "select count(*) as n from entries where title = 'TPS-Bench: Evaluating AI Agents'' Tool Planning & Scheduling Abilities in Compounding Tasks'"
        ),
        "n\n1\n"
    );
    assert_eq!(q("select count(*) as n from entries where title like '%\\%' or title like '%$%'"), "n\n0\n");
}

#[test]
fn misattributed_keywords_are_moved_to_their_papers() {
    let (env, _) = ingested();
    // Seed 001 lists LLM-Hanabi's keywords under the BVPO paper (2510.05095); after realignment
    // BVPO has no Hanabi keywords and LLM-Hanabi (2510.04980) has them.
    let q = |id: &str| {
        env.sql(
            "store",
            &format!("select keywords from entries where source_file like '%seeds/001%' and arxiv_id = '{id}'"),
        )
    };
    assert!(!q("2510.05095").contains("Theory-of-Mind"), "{}", q("2510.05095"));
    assert!(q("2510.04980").contains("Theory-of-Mind"), "{}", q("2510.04980"));
    let diags = env.sql(
        "store",
        "select count(*) as n from diagnostics where code = 'misattributed-field' and source_file like '%seeds/001%'",
    );
    assert_eq!(diags, "n\n6\n");
}

#[test]
fn themes_in_every_shape() {
    let (env, _) = ingested();
    let labels = |file: &str| {
        env.sql("store", &format!("select label from themes where source_file like '%{file}' order by position"))
    };
    // `##` headings with bullets that link papers.
    assert_eq!(
        labels("seeds/002_b9667ea320df1103.txt"),
        "label\nMulti-Agent Systems & Complex Reasoning\nEfficient Model Training & Alignment\nMixture-of-Experts Optimization\nSubjective Evaluation & Human Preferences\n"
    );
    // Bold lead-ins.
    assert_eq!(
        labels("seeds/001_a54f5cef4c38be59.txt"),
        "label\nMulti-Agent Collaboration & Reasoning\nEfficient Model Orchestration\nAlignment & Optimization\nMultilingual & Architectural Insights\nInformation Theory & Efficiency\n"
    );
    // Bullets under `Main Themes:` in the page copy, and the same digest as Markdown.
    let page = "label\nMulti-agent collaboration & orchestration\nTraining optimization\nReasoning model alignment\n";
    assert_eq!(labels("seeds/000_fe491d81c930a6c4.txt"), page);
    assert_eq!(labels("site/arxiv_cs_CL_2025-10-06_report.md"), page);
    // Numbered bold themes collect the arXiv ids of their bullets.
    assert_eq!(
        env.sql("store", "select label, arxiv_ids from themes where source_file like '%site/arxiv_cs_CL_2025-10-07_report.md' order by position"),
        "label,arxiv_ids\nAgentic Memory & Reasoning Systems,2510.05520; 2510.05746; 2510.05592\nCross-Lingual Representation Learning,2510.06128\n"
    );
    assert_eq!(
        env.sql("store", "select paper_ids from themes where label = 'Mixture-of-Experts Optimization' and source_file like '%seeds/002%'"),
        "paper_ids\narxiv:2510.14853\n"
    );
}

#[test]
fn identical_content_counts_once_and_papers_group_appearances() {
    let (env, out) = ingested();
    // seed 001 and site-revisions/…rev-b931b91c.md are the same bytes.
    assert!(stderr(&out).contains("31 files"), "{}", stderr(&out));
    assert_eq!(env.sql("store", "select count(*) as n from digests"), "n\n30\n");
    let dup = env.sql("store", "select message from diagnostics where code = 'duplicate-content'");
    assert!(
        dup.contains("same content as ../shared/corpus/seeds/001_a54f5cef4c38be59.txt")
            || dup.contains("same content as"),
        "{dup}"
    );
    let bvpo =
        env.sql("store", "select appearances, first_seen, last_seen from papers where paper_id = 'arxiv:2510.05095'");
    assert!(bvpo.starts_with("appearances,first_seen,last_seen\n"), "{bvpo}");
    let row = bvpo.lines().nth(1).expect("row");
    assert!(row.ends_with(",2025-10-06,2025-10-06"), "{row}");
    let n: u32 = row.split(',').next().and_then(|n| n.parse().ok()).expect("count");
    assert!(n >= 3, "BVPO appears in several 2025-10-06 versions: {row}");
    assert_eq!(env.sql("store", "select count(*) as n from papers where paper_id like 'title:%'"), "n\n29\n");
}

#[test]
fn ingest_is_incremental_and_idempotent() {
    let env = Env::new();
    let input = env.path("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for p in ["000", "002", "003"] {
        let src = seed(p);
        std::fs::copy(&src, input.join(src.file_name().expect("name"))).expect("copy");
    }
    let first = env.run(&["ingest", "in", "--store", "st"]);
    assert!(
        stderr(&first).contains("3 files (3 read, 0 unchanged, 0 pruned): 3 digests, 22 entries"),
        "{}",
        stderr(&first)
    );
    let tables = |env: &Env| -> Vec<(String, String)> {
        ["digests", "entries", "papers", "keywords", "themes", "diagnostics"]
            .iter()
            .map(|t| ((*t).to_owned(), env.sql("st", &format!("select * from {t}"))))
            .collect()
    };
    let before = tables(&env);
    let again = env.run(&["ingest", "in", "--store", "st"]);
    assert!(
        stderr(&again).contains("(0 read, 3 unchanged, 0 pruned): 3 digests, 22 entries")
            && stderr(&again).contains("nothing changed"),
        "{}",
        stderr(&again)
    );
    assert_eq!(tables(&env), before, "a second ingest changes nothing");

    // A changed file replaces its own rows; a new file adds its rows.
    let flat = input.join(seed("003").file_name().expect("name"));
    let text = std::fs::read_to_string(&flat).expect("read");
    let cut = text.find("\nAuthors: Penghui Qi").expect("third entry");
    std::fs::write(&flat, &text[..cut]).expect("truncate");
    let changed = env.run(&["ingest", "in", "--store", "st"]);
    assert!(
        stderr(&changed).contains("(1 read, 2 unchanged, 0 pruned): 3 digests, 19 entries"),
        "{}",
        stderr(&changed)
    );
    assert_eq!(env.sql("st", "select count(*) as n from entries where source_file like '%003%'"), "n\n2\n");

    // --prune drops the rows of a deleted file; without it they stay.
    std::fs::remove_file(&flat).expect("rm");
    let kept = env.run(&["ingest", "in", "--store", "st"]);
    assert!(stderr(&kept).contains("3 digests"), "{}", stderr(&kept));
    let pruned = env.run(&["ingest", "in", "--store", "st", "--prune"]);
    assert!(stderr(&pruned).contains("1 pruned): 2 digests, 17 entries"), "{}", stderr(&pruned));
    assert_eq!(env.sql("st", "select count(*) as n from diagnostics where source_file like '%003%'"), "n\n0\n");
}

#[test]
fn a_killed_ingest_leaves_the_previous_store_readable() {
    let env = Env::new();
    let out = env.run(&["ingest", s(&seed("000")), "--store", "st"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = env.sql("st", "select title from entries");
    // What a run killed mid-write leaves behind: a half-written staging folder and a temp pointer.
    env.write("st/.gen-000002.tmp-999/entries.parquet", b"PAR1 truncated");
    env.write("st/.CURRENT.tmp-999", b"gen-000002\n");
    assert_eq!(env.sql("st", "select title from entries"), before);
    let next = env.run(&["ingest", s(&seed("002")), "--store", "st"]);
    assert!(stderr(&next).contains("2 digests"), "{}", stderr(&next));
    assert!(!env.path("st/.gen-000002.tmp-999").exists(), "leftovers are cleaned up");
}

/// A Python that has every module of `modules` (the engines that read our Parquet). `.ci/run`
/// installs them; without them the test fails, naming what to install, unless
/// DIGESTLENS_SKIP_INTEROP=1 is set, in which case it says by name that it skipped.
pub(crate) fn python_with(test: &str, modules: &[&str]) -> Option<&'static str> {
    let import = format!("import {}", modules.join(", "));
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| std::process::Command::new(p).args(["-c", &import]).output().is_ok_and(|o| o.status.success()));
    if python.is_none() {
        let missing = format!("{test}: needs the Python modules {modules:?}");
        assert!(
            std::env::var_os("DIGESTLENS_SKIP_INTEROP").is_some(),
            "{missing}: run `python3 -m pip install -r tests/requirements.txt` (or set DIGESTLENS_SKIP_INTEROP=1 to skip it)"
        );
        eprintln!("SKIPPED {missing} (DIGESTLENS_SKIP_INTEROP is set)");
        println!("SKIPPED {missing}");
    }
    python
}

#[test]
fn parquet_export_reads_back_with_a_second_engine() {
    let Some(python) = python_with("parquet_export_reads_back_with_a_second_engine", &["pyarrow"]) else { return };
    let (env, _) = ingested();
    assert!(env.run(&["export", "--store", "store", "--to", "pq", "--format", "parquet"]).status.success());
    assert!(env.run(&["export", "--store", "store", "--to", "csv"]).status.success());
    let script = "import pyarrow.parquet as pq, csv, sys\n\
        for t in ['digests','entries','papers','keywords','themes','diagnostics']:\n\
        \x20   n = pq.read_table(f'pq/{t}.parquet').num_rows\n\
        \x20   m = sum(1 for _ in csv.DictReader(open(f'csv/{t}.csv', newline='', encoding='utf-8')))\n\
        \x20   print(t, n, m)\n\
        e = pq.read_table('pq/entries.parquet').to_pylist()\n\
        r = [x for x in e if x['arxiv_id'] == '2510.05095' and 'seeds/000' in x['source_file']][0]\n\
        print('authors', '|'.join(r['authors']))\n";
    let out =
        std::process::Command::new(python).current_dir(env.dir.path()).args(["-c", script]).output().expect("python");
    let text = stdout(&out);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for line in text.lines().filter(|l| !l.starts_with("authors")) {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts[1], parts[2], "row counts differ between Parquet and CSV: {line}");
    }
    assert!(text.contains("entries 197 197"), "{text}");
    assert!(text.contains("authors Mingkang Zhu|Xi Chen|Bei Yu|Hengshuang Zhao|Jiaya Jia"), "{text}");
}

#[test]
fn partitioned_export_is_a_hive_dataset_by_month() {
    let (env, _) = ingested();
    let out =
        env.run(&["export", "--store", "store", "--to", "hive", "--format", "parquet", "--partition-by", "month"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Dated tables are folders of month=YYYY-MM partitions; undated ones stay single files.
    let months: Vec<String> = std::fs::read_dir(env.path("hive/entries"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(months.contains(&"month=2025-10".to_owned()), "{months:?}");
    assert!(months.iter().all(|m| m.starts_with("month=")), "{months:?}");
    assert!(env.path("hive/entries/month=2025-10/part-0.parquet").is_file());
    assert!(env.path("hive/diagnostics.parquet").is_file() && env.path("hive/clusters.parquet").is_file());
    let total = env.sql("store", "SELECT count(*) AS n FROM entries");
    let october = env.sql(
        "store",
        "SELECT count(*) AS n FROM entries WHERE digest_date >= '2025-10-01' AND digest_date < '2025-11-01'",
    );

    let Some(python) = python_with("partitioned_export_is_a_hive_dataset_by_month", &["pyarrow"]) else { return };
    // A second engine reads the folder as one table, with `month` from the paths.
    let script = "import pyarrow.dataset as ds, pyarrow.compute as pc\n\
        t = ds.dataset('hive/entries', format='parquet', partitioning='hive').to_table()\n\
        print('rows', t.num_rows)\n\
        print('october', pc.sum(pc.equal(t['month'], '2025-10')).as_py())\n\
        bad = [m for m, d in zip(t['month'].to_pylist(), t['digest_date'].to_pylist()) if d is not None and d.strftime('%Y-%m') != m]\n\
        print('misplaced', len(bad))\n";
    let out =
        std::process::Command::new(python).current_dir(env.dir.path()).args(["-c", script]).output().expect("python");
    let text = stdout(&out);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let number = |s: &str| s.lines().filter_map(|l| l.trim().parse::<u64>().ok()).next().unwrap_or(0);
    assert!(text.contains(&format!("rows {}\n", number(&total))), "{text} vs {total}");
    assert!(text.contains(&format!("october {}\n", number(&october))), "{text} vs {october}");
    assert!(number(&october) > 50, "{october}");
    assert!(text.contains("misplaced 0"), "{text}");
}

#[test]
fn bad_inputs_give_diagnostics_not_panics() {
    let env = Env::new();
    env.write("bad/empty.md", b"");
    env.write("bad/image.png", b"\x89PNG\r\n\x1a\n\0\0\0binary");
    env.write("bad/invalid_utf8.md", b"---\ndate: 2025-10-06\n---\n\n# A Title\n\nAuthors: A \xff B\n\nPaper link: http://arxiv.org/abs/2510.00001v1\n\n## Abstract\n\nText.\n");
    let mut long = b"Daily Papers\n\nbyAK and the research community\n\nJun 10\n\n".to_vec();
    long.extend(std::iter::repeat_n(b'x', 20 * 1024 * 1024));
    env.write("bad/long_line.txt", &long);
    env.write("bad/truncated_digest.md", "---\ndate: 2025-10-06\n---\n\n## TL;DR\n\nTotal papers: 9 , Selected papers: 3\n\n# First Paper\n\nAuthors: Ann Lee, Bo Chan,\n\nPaper link: http://arxiv.org/abs/2510.00002v1\n\n## Abstract\n\nWe study.\n\n# Second Paper\n\nAuthors: Cy");
    env.write("bad/notes.txt", "just some notes\nnothing else\n");
    env.write("bad/.hidden.md", "---\ndate: 2025-10-06\n---\n");
    let out = env.run(&["check", "bad"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "bad/empty.md:0: warning unknown-format: skipped: not a digest (the file is empty)",
        "bad/image.png:0: warning binary-skipped: skipped: the file is a PNG image, not text",
        "bad/invalid_utf8.md:7: warning invalid-utf8: invalid UTF-8 at byte",
        "bad/notes.txt:0: warning unknown-format: skipped: not a digest (no paper found: no arXiv id, paper heading",
        "bad/.hidden.md:0: info hidden-skipped: hidden file skipped",
        "bad/truncated_digest.md:11: warning truncated-authors: the author list ends in ',': it is cut off after 2 name(s)",
        "bad/truncated_digest.md:0: warning entry-count-mismatch: the TL;DR says 3 selected papers but 2 entries were found",
        "bad/truncated_digest.md:19: warning missing-abstract: the entry has no abstract",
        "bad/long_line.txt: hf-daily, ",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // The store keeps what it can.
    let ingest = env.run(&["ingest", "bad", "--store", "st"]);
    assert_eq!(ingest.status.code(), Some(1), "{}", stderr(&ingest));
    assert_eq!(
        env.sql("st", "select title, authors from entries where source_file like '%truncated%' order by position"),
        "title,authors\nFirst Paper,Ann Lee; Bo Chan\nSecond Paper,Cy\n"
    );
}

#[test]
fn usage_and_io_errors_have_documented_exit_codes() {
    let env = Env::new();
    let usage = env.run(&["export", "--to", "x", "--format", "xml"]);
    assert_eq!(usage.status.code(), Some(2));
    let tables = env.run(&["export", "--store", "st", "--to", "x", "--tables", "nope"]);
    assert_eq!(tables.status.code(), Some(2));
    assert!(stderr(&tables).contains("error: --tables: no table named \"nope\""), "{}", stderr(&tables));
    let missing = env.run(&["sql", "--store", "nowhere", "select 1"]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(stderr(&missing).contains("error: no store at nowhere"), "{}", stderr(&missing));
}

#[test]
fn duckdb_and_python_polars_read_the_exports_as_the_readme_shows() {
    let Some(python) =
        python_with("duckdb_and_python_polars_read_the_exports_as_the_readme_shows", &["duckdb", "polars"])
    else {
        return;
    };
    let (env, _) = ingested();
    for (to, extra) in [("pq", None), ("hive", Some("--partition-by"))] {
        let mut args = vec!["export", "--store", "store", "--to", to, "--format", "parquet"];
        args.extend(extra.map(|flag| [flag, "month"]).into_iter().flatten());
        let out = env.run(&args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // The live store's entries, as segments of 20 rows, read as the store section shows.
    let mut args = vec!["ingest"];
    let paths: Vec<PathBuf> = SITE_FOLDERS.iter().map(|f| corpus().join(f)).collect();
    args.extend(paths.iter().map(|p| s(p)));
    args.extend(["--store", "seg"]);
    let out = env.run_with(("DIGESTLENS_SEGMENT_ROWS", "20"), &args);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let live = std::fs::read_to_string(env.path("seg/CURRENT")).expect("CURRENT").trim().to_owned();
    let script = format!(
        "import duckdb, polars as pl\n\
        live = 'seg/{live}/entries/*.parquet'\n\
        print('segments', duckdb.sql(f\"select count(*) from read_parquet('{{live}}')\").fetchall()[0][0])\n\
        seg = pl.read_parquet(live)\n\
        exported = pl.read_parquet('pq/entries.parquet')\n\
        print('segments in table order', seg['digest_id'].to_list() == exported['digest_id'].to_list() and seg['position'].to_list() == exported['position'].to_list())\n"
    ) + "import duckdb, polars as pl\n\
        print('duckdb', duckdb.sql(\"select count(*) from 'pq/entries.parquet'\").fetchall()[0][0])\n\
        print('hive', duckdb.sql(\"select count(*) from read_parquet('hive/entries/*/*.parquet', hive_partitioning = true) where month = '2025-10'\").fetchall()[0][0])\n\
        a = duckdb.sql(\"select authors from 'pq/entries.parquet' where arxiv_id = '2510.05095' and source_file like '%seeds/000%'\").fetchall()[0][0]\n\
        print('duckdb authors', '|'.join(a))\n\
        e = pl.read_parquet('pq/entries.parquet')\n\
        print('polars', e.height)\n\
        print('polars authors', e.schema['authors'])\n\
        k = pl.read_parquet('pq/keyword_trends.parquet')\n\
        print('trends', k.height)\n";
    let out =
        std::process::Command::new(python).current_dir(env.dir.path()).args(["-c", &script]).output().expect("python");
    let text = stdout(&out);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let entries = env.sql("store", "SELECT count(*) AS n FROM entries");
    let n = entries.lines().nth(1).unwrap_or_default().trim().to_owned();
    assert!(text.contains(&format!("duckdb {n}\n")) && text.contains(&format!("polars {n}\n")), "{text} vs {n}");
    let parts = std::fs::read_dir(env.path(&format!("seg/{live}/entries"))).expect("segments").count();
    assert!(parts >= 5, "{parts} segments of 20 rows");
    assert!(text.contains(&format!("segments {n}\n")) && text.contains("segments in table order True\n"), "{text}");
    let october = env.sql(
        "store",
        "SELECT count(*) AS n FROM entries WHERE digest_date >= '2025-10-01' AND digest_date < '2025-11-01'",
    );
    assert!(text.contains(&format!("hive {}\n", october.lines().nth(1).unwrap_or_default().trim())), "{text}");
    assert!(text.contains("duckdb authors Mingkang Zhu|Xi Chen|Bei Yu|Hengshuang Zhao|Jiaya Jia"), "{text}");
    assert!(text.contains("polars authors List(String)"), "{text}");
    let trends = env.sql("store", "SELECT count(*) AS n FROM keyword_trends");
    assert!(text.contains(&format!("trends {}\n", trends.lines().nth(1).unwrap_or_default().trim())), "{text}");
}

#[test]
fn a_store_written_with_older_columns_is_read_again_and_stacks() {
    let (env, _) = ingested();
    // Make the live generation look as an older digestlens left it: an older column version in
    // its manifest (stacking rows without a newer column is `aligned`'s unit test).
    let generation =
        env.path("store").join(std::fs::read_to_string(env.path("store/CURRENT")).expect("CURRENT").trim());
    let manifest = std::fs::read_to_string(generation.join("manifest.json")).expect("manifest");
    let older = manifest.replace("\"columns\":1", "\"columns\":0");
    assert_ne!(older, manifest, "the manifest names the column version of its files");
    std::fs::write(generation.join("manifest.json"), older).expect("write");
    let out = env.run(&[
        "sql",
        "--store",
        "store",
        "--csv",
        "select count(*) as n from entries where authors_truncated is not null",
    ]);
    assert!(stdout(&out).contains("197"), "{}", stdout(&out));
    // A new file in another folder: the old rows stack with the new ones.
    env.write("new/digest.md", std::fs::read(seed("001")).expect("seed"));
    let out = env.run(&["ingest", "-q", "--store", "store", "new"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    // The site folders are read again (their rows were written with older columns), then not.
    let paths: Vec<PathBuf> = SITE_FOLDERS.iter().map(|f| corpus().join(f)).collect();
    let mut args = vec!["ingest", "--store", "store"];
    args.extend(paths.iter().map(|p| s(p)));
    let again = env.run(&args);
    assert!(
        stderr(&again).contains("31 files (") && stderr(&again).contains(" read, 0 unchanged"),
        "{}",
        stderr(&again)
    );
    let third = env.run(&args);
    assert!(stderr(&third).contains("(0 read, 31 unchanged"), "{}", stderr(&third));
}

#[test]
fn check_of_more_files_than_a_batch_reports_every_file_once_in_path_order() {
    let env = Env::new();
    // More files than one read batch holds (512): check writes each batch before reading the next.
    let made = env.run(&["sample", "--out", "arch", "--days", "320", "--feeds", "2"]);
    assert!(made.status.success(), "{}", stderr(&made));
    let json = env.run(&["check", "--json", "arch"]);
    let reports: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON array");
    let reports = reports.as_array().expect("array");
    let paths: Vec<&str> = reports.iter().map(|r| r["path"].as_str().unwrap_or_default()).collect();
    assert!(paths.len() > 512, "{} reports", paths.len());
    assert!(paths.windows(2).all(|w| w[0] < w[1]), "reports out of path order");
    let entries: u64 = reports.iter().map(|r| r["entries"].as_u64().unwrap_or(0)).sum();
    let summary = stderr(&json);
    assert!(
        summary.contains(&format!("checked {} files: {} digests, {entries} entries", paths.len(), paths.len())),
        "{summary}"
    );
    // The text report has the same files in the same order, then the diagnostics.
    let text = env.run(&["check", "arch"]);
    let text = stdout(&text);
    let listed: Vec<&str> = text
        .lines()
        .take_while(|l| !l.contains(": info ") && !l.contains(": warning "))
        .filter_map(|l| l.split(": ").next())
        .collect();
    assert_eq!(listed, paths);
}

/// Every table of a store as CSV, by table name.
fn exported(env: &Env, store: &str) -> Vec<(String, String)> {
    let to = format!("{store}-csv");
    let out = env.run(&["export", "--store", store, "--to", &to, "--format", "csv"]);
    assert!(out.status.success(), "export: {}", stderr(&out));
    let mut tables: Vec<(String, String)> = std::fs::read_dir(env.path(&to))
        .expect("export folder")
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).expect("csv")))
        .collect();
    tables.sort();
    tables
}

#[test]
fn a_new_day_learns_on_from_what_the_store_learned_and_equals_one_whole_ingest() {
    let env = Env::new();
    let site: Vec<PathBuf> = ["seeds", "site"].iter().map(|f| corpus().join(f)).collect();
    let learned = |store: &str| {
        let generation = std::fs::read_to_string(env.path(&format!("{store}/CURRENT"))).expect("CURRENT");
        std::fs::read(env.path(store).join(generation.trim()).join("learned.msgpack")).expect("learned.msgpack")
    };
    let ingest = |store: &str, inputs: &[&str]| {
        let out = env.run(&[&["ingest", "-q", "--store", store], inputs].concat());
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    };
    ingest("store", &[s(&site[0]), s(&site[1])]);
    // Days after every stored one (a new day each), one of them defining an acronym the corpus
    // defines otherwise (MoE), then one dated among the stored days: the new rows are not all
    // after the stored ones, and the normaliser is learned from every entry again.
    let days = [
        ("2031-01-05", "3101.00001", "Mixture of Embeddings (MoE)", "Mixture of Embeddings"),
        ("2031-01-06", "3101.00002", "Quantum Kernel Tuning (QKT)", "QKT, multiagent"),
        ("2025-10-08", "3101.00003", "Query Key Tuning (QKT)", "multi agent"),
    ];
    for (n, (day, id, defined, keywords)) in days.iter().enumerate() {
        env.write(&format!("new/{n}.md"), site_digest(day, defined, "A made-up theme.", id, keywords));
        ingest("store", &[s(&site[0]), s(&site[1]), "new"]);
        let fresh = format!("fresh{n}");
        ingest(&fresh, &[s(&site[0]), s(&site[1]), "new"]);
        assert!(learned("store") == learned(&fresh), "day {day}: what the normaliser learned differs");
        let (got, want) = (exported(&env, "store"), exported(&env, &fresh));
        for ((name, a), (_, b)) in got.iter().zip(&want) {
            assert!(a == b, "day {day}: {name} differs from one whole ingest");
        }
    }
    let explain = env.run(&["keywords", "--store", "store", "--explain", "QKT"]);
    assert!(stderr(&explain).contains("normalises to \"quantum kernel tuning\""), "{}", stderr(&explain));
}

/// A made-up day added to a store: its date, paper, TL;DR theme (also the paper's title and
/// abstract), the theme's description, the paper's keywords, and whether the stored keyword rows
/// are kept (with them, some stored paper segments).
type Day = (&'static str, &'static str, &'static str, &'static str, &'static str, bool);

/// Ingests `folders` of the shared corpus into a store with segments of 16 rows, then each of
/// `days` in turn; after each, checks which segments of `keywords` and `papers` were kept (the
/// same files, linked into the new generation) and that every table equals one whole ingest's.
fn add_days_and_compare_with_whole_ingests(folders: &[&str], days: &[Day]) {
    use std::os::unix::fs::MetadataExt;
    let env = Env::new();
    let folders: Vec<PathBuf> = folders.iter().map(|f| corpus().join(f)).collect();
    let mut inputs: Vec<&str> = folders.iter().map(|p| s(p)).collect();
    // Segments of 16 rows, so that the tables have several and a new day can keep some (papers
    // with arXiv ids sort before a made-up id 3101.x, the others after it).
    let segments = ("DIGESTLENS_SEGMENT_ROWS", "16");
    let ingest = |store: &str, inputs: &[&str]| {
        let out = env.run_with(segments, &[&["ingest", "-q", "--store", store], inputs].concat());
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    };
    let generation = |store: &str| {
        let current = std::fs::read_to_string(env.path(&format!("{store}/CURRENT"))).expect("CURRENT");
        env.path(store).join(current.trim())
    };
    // The inode of each segment file of a table: a segment kept from the generation before is the
    // same file, linked into the new one.
    let inodes = |table: &str| -> Vec<u64> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(generation("store").join(table))
            .expect("segments")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        files.iter().map(|f| std::fs::metadata(f).expect("segment").ino()).collect()
    };
    ingest("store", &inputs);
    assert!(inodes("keywords").len() > 2 && inodes("papers").len() > 1);
    inputs.push("new");
    for (n, &(day, id, theme, description, keywords, kept)) in days.iter().enumerate() {
        let (keywords_before, papers_before) = (inodes("keywords"), inodes("papers"));
        env.write(&format!("new/{n}.md"), site_digest(day, theme, description, id, keywords));
        ingest("store", &inputs);
        let (keywords_after, papers_after) = (inodes("keywords"), inodes("papers"));
        // Every stored keyword row is kept when it is derived alike: every segment, but a last
        // one of fewer than half the segment's rows, which is written again with the new rows.
        let linked = |before: &[u64], after: &[u64]| after.iter().filter(|i| before.contains(i)).count();
        let keywords_linked = linked(&keywords_before, &keywords_after);
        let papers_linked = linked(&papers_before, &papers_after);
        if kept {
            assert!(keywords_linked + 1 >= keywords_before.len(), "day {day}: {keywords_linked} keyword segments kept");
            // The new paper sorts after the stored ones; a stored paper listed again changes its segment.
            assert!(papers_linked > 0 && papers_linked < papers_after.len(), "day {day}: {papers_linked} kept");
        } else {
            assert_eq!((keywords_linked, papers_linked), (0, 0), "day {day}: segments kept");
        }
        let basis = std::fs::read_to_string(generation("store").join("basis.json")).expect("basis.json");
        assert!(basis.contains("\"normaliser\"") && basis.contains("\"vocabulary\""), "{basis}");
        let fresh = format!("fresh{n}");
        ingest(&fresh, &inputs);
        let (got, want) = (exported(&env, "store"), exported(&env, &fresh));
        assert_eq!(got.len(), want.len());
        for ((name, a), (_, b)) in got.iter().zip(&want) {
            assert!(a == b, "day {day}: {name} differs from one whole ingest");
        }
    }
}

#[test]
fn a_new_day_keeps_the_stored_keyword_rows_and_papers_it_derives_alike_and_equals_one_whole_ingest() {
    // The seeds have listings without keywords, which keywords are extracted from. A new paper
    // with keywords no paper had; one of them for a second paper (it joins the extraction
    // vocabulary, but no stored title or abstract has it); another for a second paper, which a
    // stored listing's title has (its extracted keywords change, and nothing is kept); a stored
    // paper listed again, with a keyword of its own; a new paper under a TL;DR theme that names a
    // stored paper the day does not list (the theme is one of that paper's themes now).
    let (theme, plain) = ("Lattice Sieving Heuristics", "A made-up theme.");
    let named = "A made-up theme, as in https://arxiv.org/abs/2510.05077.";
    add_days_and_compare_with_whole_ingests(
        &["seeds", "site"],
        &[
            ("2031-01-05", "3101.00001", theme, plain, "zyxwv sieving, credit assignment", true),
            ("2031-01-06", "3101.00002", theme, plain, "zyxwv sieving", true),
            ("2031-01-07", "3101.00003", theme, plain, "credit assignment", false),
            ("2031-01-08", "2510.05095", theme, plain, "qwvxz parsing", true),
            ("2031-01-09", "3101.00004", theme, named, "vzqxw pruning", true),
        ],
    );
}

#[test]
fn in_an_archive_with_keywords_everywhere_a_day_keeps_the_stored_rows_unless_it_renames_a_stored_keyword() {
    // Every entry of the site's digests has keywords, so none is extracted from. A day whose
    // abstract defines an acronym no stored keyword has (the normaliser changes, no stored normal
    // form does); a keyword for a second paper (the vocabulary changes, but nothing is matched
    // against it); a day defining an acronym that a stored keyword has (QRX), which that keyword
    // now normalises through.
    let plain = "A made-up theme.";
    add_days_and_compare_with_whole_ingests(
        &["site"],
        &[
            ("2031-02-01", "3102.00001", "Zeta Quark Kernels (ZQK)", plain, "QRX tuning, lattice decoding", true),
            ("2031-02-02", "3102.00002", "Lattice Decoding at Scale", plain, "lattice decoding", true),
            ("2031-02-03", "3102.00003", "Quasi Random Xylophones (QRX)", plain, "xylophone search", false),
        ],
    );
}

#[test]
fn a_new_day_with_other_synonyms_derives_every_stored_row_again() {
    // A synonym that renames keywords of the stored days: the normaliser of what was learned
    // before, made again with the new file, would say the stored rows come out alike.
    let env = Env::new();
    let site = corpus().join("site");
    let ingest = |store: &str, extra: &[&str]| {
        let args = [&["ingest", "-q", "--store", store, s(&site), "new"][..], extra].concat();
        let out = env.run_with(("DIGESTLENS_SEGMENT_ROWS", "16"), &args);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    };
    env.write("new/0.md", site_digest("2031-03-01", "Lattice Sieving", "A made-up theme.", "3103.00001", "zyxwv"));
    ingest("store", &[]);
    // Not a term of the taxonomy, which the normaliser also makes: only the keyword rows show it.
    env.write("mine.yaml", "synonyms:\n  frozen parameters: [parameter freezing]\n");
    env.write("new/1.md", site_digest("2031-03-02", "Lattice Sieving", "A made-up theme.", "3103.00002", "zyxwv"));
    ingest("store", &["--synonyms", "mine.yaml"]);
    ingest("whole", &["--synonyms", "mine.yaml"]);
    let (got, want) = (exported(&env, "store"), exported(&env, "whole"));
    let renamed = |tables: &[(String, String)]| {
        tables.iter().any(|(name, csv)| name == "keywords.csv" && csv.contains(",frozen parameter,"))
    };
    assert!(renamed(&want), "the synonym renames stored keywords");
    for ((name, a), (_, b)) in got.iter().zip(&want) {
        assert!(a == b, "{name} differs from one whole ingest");
    }
}

#[test]
fn streamed_frames_and_incremental_ingests_store_the_tables_of_one_whole_ingest() {
    let env = Env::new();
    // A file that is no digest: ingested first on its own, it makes every later ingest of "steps"
    // one into a store that has files, which reads its changed files whole (not streamed).
    let note = env.write("note/readme.txt", "A note about this archive, not a digest.\n");
    let folders = ["seeds", "site", "site-revisions", "third-party"].map(|f| corpus().join(f));
    let mut whole = vec!["ingest", s(&note)];
    whole.extend(folders.iter().map(|p| s(p)));
    // One ingest into an empty store: files stream, digests become columns a slice at a time.
    let out = env.run(&[whole.as_slice(), &["--store", "whole"]].concat());
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    // The summary's counts ("… N diagnostics (E errors, W warnings, I info) …").
    let counts = |out: &std::process::Output| {
        let err = stderr(out);
        let at = err.rfind(" diagnostics (").expect("a summary");
        let from = err[..at].rfind(' ').map_or(0, |i| i + 1);
        let to = err[at..].find(')').map_or(err.len(), |i| at + i + 1);
        err[from..to].to_owned()
    };
    let whole_counts = counts(&out);
    assert!(!whole_counts.starts_with("0 "), "{whole_counts}");
    // The same, a digest at a time (every slice stacked onto the ones before), each a run on disk.
    let out = Command::cargo_bin("digestlens")
        .expect("binary")
        .current_dir(env.path(""))
        .env("DIGESTLENS_FRAME_SLICE", "1")
        // Every run set aside on disk (the whole ingest holds them all in memory).
        .env("DIGESTLENS_HELD_BYTES", "0")
        .args([whole.as_slice(), &["--store", "sliced"]].concat())
        .output()
        .expect("run");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    // Its diagnostics were set aside on disk every few digests: the same counts.
    assert_eq!(counts(&out), whole_counts);
    // The note, then one folder per ingest: files read whole, stored rows kept, new rows merged,
    // everything derived again.
    // Segments of 300 rows: each ingest links the stored segments it leaves unchanged and writes
    // the others again.
    for input in std::iter::once(note.clone()).chain(folders.iter().cloned()) {
        let out = env.run_with(("DIGESTLENS_SEGMENT_ROWS", "300"), &["ingest", s(&input), "--store", "steps"]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    }
    let want = exported(&env, "whole");
    assert_eq!(want.len(), 12, "every table exported");
    assert!(want.iter().any(|(name, csv)| name == "entries.csv" && csv.lines().count() > 9000));
    assert!(want.iter().any(|(name, csv)| name == "diagnostics.csv" && csv.contains("readme.txt")));
    for store in ["sliced", "steps"] {
        let got = exported(&env, store);
        assert_eq!(got.len(), want.len());
        for ((name, a), (_, b)) in want.iter().zip(&got) {
            assert!(a == b, "{store}: {name} differs from one whole ingest");
        }
    }
}

#[test]
fn an_ingest_killed_at_any_moment_leaves_the_store_as_it_was_or_as_it_became() {
    let env = Env::new();
    let out = env.run(&["sample", "--out", "arch", "--days", "240", "--feeds", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = env.run(&["ingest", s(&seed("000")), "--store", "st"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let count = |env: &Env| env.sql("st", "select count(*) as n from entries");
    let before = count(&env);
    // Killed while it reads, merges, derives, writes the staged tables or publishes: the store
    // always reads, and holds what it held or (when the kill came after the publish) all of it.
    let mut after = None;
    for delay_ms in [100, 300, 600, 900, 1300, 1800, 2500, 3500, 5000] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("digestlens"))
            .current_dir(env.path(""))
            .args(["ingest", "arch", "--store", "st", "--quiet"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = count(&env);
        if now != before {
            // Published before the kill: every later ingest finds nothing to do.
            after.get_or_insert(now.clone());
            assert_eq!(Some(&now), after.as_ref());
        }
    }
    let done = env.run(&["ingest", "arch", "--store", "st", "--no-wait"]);
    assert!(matches!(done.status.code(), Some(0 | 1)), "{}", stderr(&done));
    let whole = count(&env);
    assert_ne!(whole, before);
    if let Some(after) = after {
        assert_eq!(after, whole);
    }
    let leftovers: Vec<String> = generations(&env, "st").into_iter().filter(|n| n.starts_with(".gen-")).collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

/// The names of a store's generations and staging folders, sorted.
fn generations(env: &Env, store: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(env.path(store))
        .expect("store")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gen-"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_stored_table_is_in_the_order_of_its_sort_keys() {
    // Keywords and papers are built in their table's order rather than sorted after (a rank per
    // entry, one sort by paper): the stored rows must be exactly what sorting them gives.
    use polars::prelude::SortMultipleOptions;
    let (env, _) = ingested();
    let tables = digestlens::store::Store::new(env.path("store")).tables().expect("tables");
    assert_eq!(tables.len(), digestlens::store::schema::TABLES.len());
    for (name, df) in &tables {
        let keys = digestlens::store::schema::sort_keys(name);
        let sorted =
            df.sort(keys.iter().copied(), SortMultipleOptions::default().with_maintain_order(true)).expect("sort");
        assert!(df.height() > 0, "{name} is empty");
        assert!(df.equals_missing(&sorted), "{name} is not in the order of {keys:?}");
    }
}

#[test]
fn reading_some_columns_gives_those_that_exist_and_every_row() {
    // Reports read only the columns they use; a column the stored table lacks (a store written
    // before it existed) is left out rather than failing the read.
    use digestlens::store::schema::{DIAGNOSTICS, ENTRIES, PAPER_ID, TITLE};
    let (env, _) = ingested();
    let store = digestlens::store::Store::new(env.path("store"));
    let whole = store.tables().expect("tables");
    let wanted: [(&str, Option<&[&str]>); 2] =
        [(ENTRIES, Some(&[PAPER_ID, TITLE, "no_such_column"])), (DIAGNOSTICS, None)];
    let some = store.read_present(&wanted).expect("columns");
    assert_eq!(some.len(), 2);
    let entries = &some[ENTRIES];
    let names: Vec<&str> = entries.get_column_names().into_iter().map(|n| n.as_str()).collect();
    assert_eq!(names, [PAPER_ID, TITLE]);
    assert!(entries.height() > 0);
    assert!(entries.equals_missing(&whole[ENTRIES].select([PAPER_ID, TITLE]).expect("select")));
    assert!(some[DIAGNOSTICS].equals_missing(&whole[DIAGNOSTICS]));
    // A table listed twice (the analysis' inputs and a command's own columns) is read once with
    // the columns of both, in the stored order.
    let twice: [(&str, Option<&[&str]>); 2] = [(ENTRIES, Some(&[TITLE])), (ENTRIES, Some(&[PAPER_ID]))];
    let both = store.read_present(&twice).expect("columns");
    assert_eq!(both.len(), 1);
    assert!(both[ENTRIES].equals_missing(&whole[ENTRIES].select([PAPER_ID, TITLE]).expect("select")));
}

#[test]
fn an_ingest_with_nothing_to_do_removes_what_killed_writers_left() {
    // A writer killed after making its generation live but before removing the old one and the
    // staging folders leaves them; the next ingest finds nothing changed and writes nothing, and
    // must still tidy them away.
    let env = Env::new();
    let seed_file = seed("000");
    let input = s(&seed_file);
    let first = env.run(&["ingest", input, "--store", "st"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let current = std::fs::read_to_string(env.path("st/CURRENT")).expect("CURRENT").trim().to_owned();
    std::fs::create_dir_all(env.path("st/.gen-000007.tmp-4242")).expect("staging folder");
    std::fs::write(env.path("st/.gen-000007.tmp-4242/entries.parquet"), b"partial").expect("partial table");
    std::fs::create_dir_all(env.path("st/gen-000000")).expect("old generation");
    let again = env.run(&["ingest", input, "--store", "st"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(stderr(&again).contains("nothing changed"), "{}", stderr(&again));
    assert_eq!(generations(&env, "st"), [current], "only the live generation stays");
}

#[test]
fn a_store_whose_tables_are_out_of_order_merges_as_if_they_were_in_order() {
    // Ingest merges the kept stored rows with the new ones by reading the stored table from front
    // to back, which needs it in table order; a store whose tables were rewritten in another order
    // (by hand or by another tool) is sorted first, and gives the same tables.
    use polars::prelude::{ParquetReader, ParquetWriter, SerReader};
    let env = Env::new();
    let (first, second) = (corpus().join("seeds"), corpus().join("site"));
    let whole = env.run(&["ingest", s(&first), s(&second), "--store", "whole"]);
    assert!(matches!(whole.status.code(), Some(0 | 1)), "{}", stderr(&whole));
    let out = env.run(&["ingest", s(&first), "--store", "st"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let current = std::fs::read_to_string(env.path("st/CURRENT")).expect("CURRENT").trim().to_owned();
    for table in ["digests", "entries"] {
        // Written as a folder of segments; rewritten here as one file, as another tool might.
        let folder = env.path(&format!("st/{current}/{table}"));
        let mut parts: Vec<PathBuf> =
            std::fs::read_dir(&folder).expect("segments").filter_map(Result::ok).map(|e| e.path()).collect();
        parts.sort();
        let mut df = polars::prelude::DataFrame::empty();
        for part in parts {
            let piece = ParquetReader::new(std::fs::File::open(&part).expect("open")).finish().expect("read");
            df = if df.width() == 0 { piece } else { df.vstack(&piece).expect("stack") };
        }
        assert!(df.height() > 1, "{table} has rows to reverse");
        std::fs::remove_dir_all(&folder).expect("remove segments");
        let mut reversed = df.reverse();
        let path = env.path(&format!("st/{current}/{table}.parquet"));
        ParquetWriter::new(std::fs::File::create(&path).expect("create")).finish(&mut reversed).expect("write");
    }
    let out = env.run(&["ingest", s(&first), s(&second), "--store", "st"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let (want, got) = (exported(&env, "whole"), exported(&env, "st"));
    assert_eq!(got.len(), want.len());
    for ((name, a), (_, b)) in want.iter().zip(&got) {
        assert!(a == b, "{name} differs from one whole ingest");
    }
}

#[cfg(unix)]
#[test]
fn a_new_day_rewrites_only_the_segments_it_changes_and_links_the_rest() {
    use std::os::unix::fs::MetadataExt;
    let env = Env::new();
    let out = env.run(&["sample", "--out", "arch", "--days", "200", "--seed", "4"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut days: Vec<PathBuf> = std::fs::read_dir(env.path("arch/markdown"))
        .expect("markdown folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    days.sort();
    // The newest day is added later, as a daily job would.
    let newest = days.pop().expect("a day");
    let later = env.path("later.md");
    std::fs::rename(&newest, &later).expect("set aside");
    let small = ("DIGESTLENS_SEGMENT_ROWS", "50");
    let out = env.run_with(small, &["ingest", "arch/markdown", "--store", "st"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let parts = |env: &Env| -> Vec<(PathBuf, u64)> {
        let current = std::fs::read_to_string(env.path("st/CURRENT")).expect("CURRENT").trim().to_owned();
        let mut parts: Vec<(PathBuf, u64)> = std::fs::read_dir(env.path(&format!("st/{current}/entries")))
            .expect("entries segments")
            .filter_map(Result::ok)
            .map(|e| (PathBuf::from(e.file_name()), e.metadata().expect("metadata").ino()))
            .collect();
        parts.sort();
        parts
    };
    let before = parts(&env);
    assert!(before.len() >= 4, "several segments of 50 rows: {before:?}");
    std::fs::rename(&later, &newest).expect("put back");
    let out = env.run_with(small, &["ingest", "arch/markdown", "--store", "st"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let after = parts(&env);
    // Every segment but the last holds the same file (a link), under the same name.
    let kept = before.iter().zip(&after).filter(|(b, a)| b == a).count();
    assert!(kept >= before.len() - 1, "linked {kept} of {}: {before:?} then {after:?}", before.len());
    assert!(after.len() >= before.len());
    // And the tables are those of one ingest of every day.
    let out = env.run(&["ingest", "arch/markdown", "--store", "whole"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let (want, got) = (exported(&env, "whole"), exported(&env, "st"));
    assert_eq!(got.len(), want.len());
    for ((name, a), (_, b)) in want.iter().zip(&got) {
        assert!(a == b, "{name} differs from one whole ingest");
    }
}
