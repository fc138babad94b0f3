//! Analysis on the shared corpus: normalised keywords, canonical themes, trends, bursts, the
//! vocabulary files, and the analysis tables in export and sql. Figures were checked by hand
//! against the digests (week 2025-W41 holds the digests of 2025-10-06..09 and two listed papers).

use super::*;

fn analysis(env: &Env, args: &[&str]) -> String {
    let mut all = vec![args[0], "--store", "store"];
    all.extend(&args[1..]);
    let out = env.run(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn keywords_are_normalised_and_extracted() {
    let (env, _) = ingested();
    // Variants merge: "Large Language Models" / "LLMs" / "LLM", and "Mixture-of-Experts (MoE)".
    let llm = env
        .sql("store", "select count(distinct keyword) as n from keywords where keyword_norm = 'large language model'");
    assert!(csv_rows(&llm)[1][0].parse::<u32>().expect("n") >= 4, "{llm}");
    let moe = env.sql(
        "store",
        "select distinct keyword from keywords where keyword_norm = 'mixture of experts' order by keyword",
    );
    assert_eq!(moe, "keyword\nMixture-of-Experts\nMixture-of-Experts (MoE)\n");
    // Distinct concepts stay apart.
    let rl = env.sql(
        "store",
        "select distinct keyword_norm from keywords where keyword_norm like '%reinforcement learning%' order by 1",
    );
    assert!(rl.contains("\nreinforcement learning\n") && rl.contains("\nmulti agent reinforcement learning\n"), "{rl}");
    // hf-daily entries have no Keywords line: theirs are extracted from title and abstract.
    let extracted = env.sql(
        "store",
        "select count(distinct k.paper_id) as n from keywords k join entries e on k.digest_id = e.digest_id and k.paper_id = e.paper_id where e.format = 'hf-daily' and k.origin = 'extracted'",
    );
    assert!(csv_rows(&extracted)[1][0].parse::<u32>().expect("n") >= 20, "most of 29 listed papers: {extracted}");
    assert_eq!(
        env.sql("store", "select count(*) as n from keywords where origin = 'digest' and keyword_norm = ''"),
        "n\n0\n"
    );

    let explain = analysis(&env, &["keywords", "--explain", "MoE"]);
    assert_eq!(
        explain,
        "\"Mixture-of-Experts\" (digest, 12 rows): case, hyphens and spacing folded\n\
         \"Mixture-of-Experts (MoE)\" (digest, 5 rows): parenthesised acronym (MoE) dropped; case, hyphens and spacing folded\n"
    );
}

#[test]
fn the_normaliser_learned_is_kept_with_the_tables_and_equals_learning_again() {
    let (env, _) = ingested();
    let generation =
        env.path("store").join(std::fs::read_to_string(env.path("store/CURRENT")).expect("CURRENT").trim());
    let learned = generation.join("learned.msgpack");
    assert!(learned.exists(), "the ingest keeps what its normaliser learned");
    // Acronyms the corpus defines (MKGC, DLMA: in one site digest each, no built-in), built-in
    // ones, and keywords whose spacing the corpus decides.
    let terms = ["MKGC", "DLMA", "LLMs", "MoE", "multi-agent systems", "Chain of Thought", "tool use"];
    let explain = |term: &str| {
        let out = env.run(&["keywords", "--store", "store", "--explain", term]);
        assert_eq!(out.status.code(), Some(0), "{term}: {}", stderr(&out));
        (stderr(&out), stdout(&out))
    };
    let kept: Vec<_> = terms.iter().map(|t| explain(t)).collect();
    assert!(kept[0].0.contains("\"MKGC\" normalises to \"multilingual knowledge graph completion\""), "{:?}", kept[0]);
    assert!(kept[1].0.contains("\"DLMA\" normalises to \"double loop multi agent\""), "{:?}", kept[1]);
    // Without the file (a generation written before it), the normaliser is learned again from
    // the entries: the same answers.
    std::fs::remove_file(&learned).expect("remove learned.msgpack");
    for (term, want) in terms.iter().zip(&kept) {
        assert_eq!(&explain(term), want, "{term}");
    }
    // A damaged file is not used either.
    std::fs::write(&learned, b"not msgpack").expect("write");
    assert_eq!(explain(terms[0]), kept[0]);
}

#[test]
fn themes_map_to_the_taxonomy_and_keep_unmatched_labels() {
    let (env, _) = ingested();
    let mapping = env.sql(
        "store",
        "select distinct label, theme from themes where label in ('Multilingual MoE Routing', 'Cross-Lingual Transfer & Tokenization', 'RL Optimization', 'Safety & Reliability', 'Multi-Agent Frameworks') order by label",
    );
    assert_eq!(
        mapping,
        "label,theme\n\
         Cross-Lingual Transfer & Tokenization,Multilingual and cross-lingual NLP\n\
         Multi-Agent Frameworks,Agents and multi-agent systems\n\
         Multilingual MoE Routing,Mixture of experts and model architecture\n\
         RL Optimization,Reinforcement learning and reward modelling\n\
         Safety & Reliability,\"Safety, reliability and trust\"\n"
    );
    let unmatched = env.sql("store", "select count(*) as n from themes where theme = label and theme_score is null");
    let matched = env.sql("store", "select count(*) as n from themes where theme_score > 0");
    assert_eq!(
        csv_rows(&unmatched)[1][0].parse::<u32>().expect("n") + csv_rows(&matched)[1][0].parse::<u32>().expect("n"),
        92
    );
    // Papers carry canonical themes from their keywords and from the TL;DR themes naming them.
    let themed = env.sql("store", "select count(*) as n from papers where array_length(themes) > 0");
    assert!(csv_rows(&themed)[1][0].parse::<u32>().expect("n") >= 90, "{themed}");
    let overview = analysis(&env, &["themes", "--since", "2025-W41", "--until", "2025-W41", "--csv"]);
    let rows = csv_rows(&overview);
    assert_eq!(rows[0][..3], ["theme", "papers", "tldr_themes"]);
    assert_eq!(rows[1][..2], ["Agents and multi-agent systems", "23"]);
}

#[test]
fn weekly_trends_have_counts_shares_z_and_status() {
    let (env, _) = ingested();
    let out = env.run(&[
        "trends", "--store", "store", "--since", "2025-W41", "--until", "2025-W42", "--kind", "keywords", "--top", "3",
        "--csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_rows(&stdout(&out));
    assert_eq!(
        rows[0],
        [
            "kind",
            "period",
            "period_start",
            "term",
            "papers",
            "share",
            "baseline",
            "change",
            "share_change",
            "z",
            "status",
            "first_seen",
            "last_seen"
        ]
    );
    let row =
        |period: &str, term: &str| rows.iter().find(|r| r[1] == period && r[3] == term).cloned().unwrap_or_default();
    // 8 of the week's 39 papers carry "multi agent system", first seen on 2025-10-06.
    let mas = row("2025-W41", "multi agent system");
    assert_eq!(
        (mas[4].as_str(), &mas[5][..6], mas[10].as_str(), mas[11].as_str()),
        ("8", "0.2051", "new", "2025-10-06")
    );
    let llm = row("2025-W42", "large language model");
    assert_eq!((llm[4].as_str(), &llm[5][..6], llm[10].as_str()), ("10", "0.3333", "steady"));
    assert!(llm[9].parse::<f64>().is_ok_and(|z| (z - 0.894).abs() < 0.001), "{llm:?}");
    // Gaps are named, not filled with zeros: no digest and no listed paper in 2025-W43.
    let gap = env.run(&["trends", "--store", "store", "--since", "2025-W42", "--until", "2025-W44", "--csv"]);
    assert!(stderr(&gap).contains("no digests in 2025-W43 (gaps, not zeros)"), "{}", stderr(&gap));
    assert!(!stdout(&gap).contains("2025-W43"), "a gap has no rows");

    let themes =
        analysis(&env, &["trends", "--since", "2025-W41", "--until", "2025-W41", "--kind", "themes", "--top", "1"]);
    assert!(themes.starts_with("themes, 2025-W41 (2025-10-06 to 2025-10-12): 39 papers\n"), "{themes}");
    assert!(themes.contains("Agents and multi-agent systems  23      0.590"), "{themes}");
}

#[test]
fn trends_read_from_the_stored_tables_equal_trends_computed_from_the_keyword_rows() {
    let (env, _) = ingested();
    // `periods`: each week's distinct papers and listings (39 papers, listed 122 times by the
    // site's digests and their revisions: as counted from `entries` by hand), and the listings
    // dated only to a month (which a week cannot hold) in rows of their month.
    let week = env.sql("store", "select papers, listings from periods where period = '2025-W41'");
    assert_eq!(week, "papers,listings\n39,122\n");
    let month_only = env.sql("store", "select sum(listings) as n from periods where date_precision = 'month'");
    let month_only: u32 = csv_rows(&month_only)[1][0].parse().unwrap_or(0);
    // (stdout, stderr without phase lines, phase lines)
    let trends = |view: &[&str]| -> (String, String, String) {
        let out = Command::cargo_bin("digestlens")
            .expect("binary")
            .current_dir(env.path(""))
            .env("DIGESTLENS_PHASES", "1")
            .args([&["trends", "--store", "store"], view].concat())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0), "{view:?}: {}", stderr(&out));
        let err = stderr(&out);
        let (phases, notes): (Vec<&str>, Vec<&str>) = err.lines().partition(|l| l.starts_with("phase"));
        (stdout(&out), notes.join("\n"), phases.join("\n"))
    };
    let views: [&[&str]; 5] = [
        &[],
        &["--period", "week", "--csv", "--last", "0", "--top", "0"],
        &["--kind", "themes", "--last", "0", "--top", "5"],
        &["--json", "--since", "2025-W41", "--until", "2025-W44", "--top", "3"],
        &["--kind", "keywords", "--last", "30", "--top", "0"],
    ];
    let stored: Vec<_> = views.iter().map(|v| trends(v)).collect();
    for (view, (out, notes, phases)) in views.iter().zip(&stored) {
        assert!(phases.contains("read stored trends") && !phases.contains("inputs"), "{view:?}: {phases}");
        assert!(out.len() > 100, "{view:?}: {out}");
        if month_only > 0 {
            assert!(notes.contains(&format!("{month_only} paper listings dated only to the month")), "{notes}");
        }
    }
    // A store written before the `periods` table: the trends are computed from the keyword rows,
    // and are the same, ties in the same order.
    let current = std::fs::read_to_string(env.path("store/CURRENT")).expect("CURRENT");
    std::fs::remove_file(env.path("store").join(current.trim()).join("periods.parquet")).expect("remove");
    for (view, (out, notes, _)) in views.iter().zip(&stored) {
        let (computed, computed_notes, phases) = trends(view);
        assert!(phases.contains("inputs"), "{view:?}: {phases}");
        assert!(computed == *out, "{view:?}: the stored and the computed trends differ");
        assert_eq!(&computed_notes, notes, "{view:?}");
    }
}

#[test]
fn bursts_and_tables_for_export_and_sql() {
    let (env, _) = ingested();
    let bursts = analysis(&env, &["bursts", "--period", "month", "--kind", "keywords", "--csv"]);
    let rows = csv_rows(&bursts);
    assert_eq!(
        rows[0],
        ["kind", "term", "period", "begin", "end", "begin_date", "end_date", "periods", "strength", "papers"]
    );
    // "reasoning" is carried by 11 of the listing's papers from December to May: the strongest.
    assert_eq!(rows[1][..5], ["keyword", "reasoning", "month", "2025-12", "2026-05"]);
    let none = env.run(&["bursts", "--store", "store", "--gamma", "50"]);
    assert!(stderr(&none).contains("no bursts"), "{}", stderr(&none));
    let bad = env.run(&["bursts", "--store", "store", "--s", "0.5"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    let bad_date = env.run(&["trends", "--store", "store", "--since", "yesterday"]);
    assert!(stderr(&bad_date).contains("--since \"yesterday\" is not a date"), "{}", stderr(&bad_date));

    for table in ["keyword_trends", "theme_trends", "bursts", "trend_topics", "clusters"] {
        let n = env.sql("store", &format!("select count(*) as n from {table}"));
        assert!(csv_rows(&n)[1][0].parse::<u32>().expect("n") > 0, "{table} is empty");
    }
    let out = env.run(&["export", "--store", "store", "--to", "out", "--tables", "clusters,trend_topics"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let clusters = std::fs::read_to_string(env.path("out/clusters.csv")).expect("clusters.csv");
    assert!(clusters.starts_with("cluster,label,keywords,size,papers,centrality,density,quadrant\n"), "{clusters}");
    let quadrants = analysis(&env, &["keywords", "--clusters", "--csv"]);
    assert!(["motor", "niche", "basic", "emerging or declining"].iter().any(|q| quadrants.contains(q)));
}

#[test]
fn user_vocabulary_files_override_and_are_remembered() {
    let env = Env::new();
    env.write(
        "mine.yaml",
        "synonyms:\n  multi agent system: [multi agent collaboration]\nacronyms:\n  mas: multi agent system\n",
    );
    // "Multi-Agent Collaboration & Reasoning" names its theme by a phrase of the file (2 points of
    // evidence); "Hanabi" alone in its description would be one point, not enough.
    env.write(
        "tax.yaml",
        "replace: true\nthemes:\n  - name: Games\n    terms: [hanabi, game, multi agent collaboration]\n",
    );
    let out =
        env.run(&["ingest", s(&seed("001")), "--store", "store", "--synonyms", "mine.yaml", "--taxonomy", "tax.yaml"]);
    // Seed 001's shifted fields are all moved back (info): a clean run.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let merged =
        env.sql("store", "select count(*) as n from keywords where keyword_norm = 'multi agent collaboration'");
    assert_eq!(merged, "n\n0\n");
    let themes = env.sql("store", "select distinct theme from themes where theme = 'Games'");
    assert_eq!(themes, "theme\nGames\n");
    // A later ingest without the flags keeps them.
    env.run(&["ingest", s(&seed("002")), "--store", "store"]);
    assert_eq!(
        env.sql("store", "select count(*) as n from keywords where keyword_norm = 'multi agent collaboration'"),
        "n\n0\n"
    );
    let explain = analysis(&env, &["keywords", "--explain", "multi-agent collaboration"]);
    assert!(explain.contains("synonym multi agent collaboration -> multi agent system (from mine.yaml)"), "{explain}");
    // They are kept beside the manifest; a generation written before that file has them only in
    // its manifest, and they are read from there.
    let generation =
        env.path("store").join(std::fs::read_to_string(env.path("store/CURRENT")).expect("CURRENT").trim());
    let kept = std::fs::read_to_string(generation.join("vocab.json")).expect("vocab.json");
    assert!(kept.contains("mine.yaml") && kept.contains("tax.yaml"), "{kept}");
    std::fs::remove_file(generation.join("vocab.json")).expect("remove vocab.json");
    let explain = analysis(&env, &["keywords", "--explain", "multi-agent collaboration"]);
    assert!(explain.contains("synonym multi agent collaboration -> multi agent system (from mine.yaml)"), "{explain}");
    // A broken file is a usage error that names it.
    env.write("bad.yaml", "synonymz: {}\n");
    let bad = env.run(&["trends", "--store", "store", "--synonyms", "bad.yaml"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("bad.yaml: unknown field `synonymz`"), "{}", stderr(&bad));
}
