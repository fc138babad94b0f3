//! Themes over time: clusters per slice and their links (`evolution`).

use super::*;

/// A year of made-up papers: `widget`, `gadget` and `gizmo` together every month; `quasar`,
/// `pulsar` and `nebula` only in Q1; `quantum routing`, `qubit wiring` and `entangled widgets` only
/// in Q2.
fn archive() -> Env {
    let env = Env::new();
    let mut lines = String::new();
    let mut n = 0;
    let mut paper = |date: String, keywords: &[&str], lines: &mut String| {
        n += 1;
        let keywords: Vec<String> = keywords.iter().map(|k| format!("\"{k}\"")).collect();
        lines.push_str(&format!(
            "{{\"id\": \"2401.{n:05}\", \"title\": \"Made up paper {n}\", \"authors\": [\"A B\"], \"keywords\": [{}], \"date\": \"{date}\"}}\n",
            keywords.join(", ")
        ));
    };
    for month in 1..=12 {
        for day in [3, 17] {
            paper(format!("2024-{month:02}-{day:02}"), &["widget", "gadget", "gizmo"], &mut lines);
        }
    }
    for month in 1..=3 {
        paper(format!("2024-{month:02}-10"), &["quasar", "pulsar", "nebula"], &mut lines);
    }
    for month in 4..=6 {
        paper(format!("2024-{month:02}-10"), &["quantum routing", "qubit wiring", "entangled widgets"], &mut lines);
    }
    env.write("archive/papers.jsonl", lines);
    let out = env.run(&["ingest", "-q", "--store", "store", "archive"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    env
}

#[test]
fn a_running_theme_links_across_quarters_and_one_quarter_themes_stand_alone() {
    let env = archive();
    let out = env.run(&["evolution", "--store", "store", "--period", "quarter", "--origin", "digest", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let periods = v["periods"].as_array().expect("periods");
    let labels: Vec<&str> = periods.iter().filter_map(|p| p["period"].as_str()).collect();
    assert_eq!(labels, ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]);
    let find = |period: usize, keyword: &str| -> serde_json::Value {
        periods[period]["clusters"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["keywords"].as_array().is_some_and(|k| k.iter().any(|x| x == keyword))))
            .cloned()
            .unwrap_or_else(|| panic!("no cluster with {keyword} in {}", periods[period]))
    };
    let links = v["links"].as_array().expect("links");
    let from = |id: &serde_json::Value| links.iter().filter(|l| l["from"] == *id).count();
    let to = |id: &serde_json::Value| links.iter().filter(|l| l["to"] == *id).count();
    for q in 0..3 {
        let (a, b) = (find(q, "widget"), find(q + 1, "widget"));
        let link = links.iter().find(|l| l["from"] == a["id"] && l["to"] == b["id"]).expect("the running theme links");
        assert_eq!(link["inclusion"], 1.0);
        assert_eq!(link["shared"].as_array().map(Vec::len), Some(3));
    }
    let q1 = find(0, "quasar");
    assert_eq!(from(&q1["id"]), 0, "the Q1-only cluster has no successor");
    assert_eq!(q1["statuses"], serde_json::json!(["new", "vanishing"]));
    let q2 = find(1, "qubit wiring");
    assert_eq!(to(&q2["id"]), 0, "the Q2-only cluster has no predecessor");
    assert!(q2["statuses"].as_array().is_some_and(|s| s.iter().any(|x| x == "new")), "{q2}");
    for key in ["label", "keywords", "papers", "centrality", "density", "quadrant", "statuses"] {
        assert!(!q2[key].is_null(), "{key} in {q2}");
    }

    let csv = stdout(&env.run(&["evolution", "--store", "store", "--origin", "digest", "--csv"]));
    assert!(csv.starts_with("from,to,inclusion,jaccard,shared\n"), "{csv}");
    let cut = env.run(&["evolution", "--store", "store", "--origin", "digest", "--cuts", "2024-07-01", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&cut.stdout).expect("json");
    assert_eq!(v["periods"].as_array().map(Vec::len), Some(2), "{v}");
    let half = env.run(&[
        "evolution",
        "--store",
        "store",
        "--origin",
        "digest",
        "--since",
        "2024-Q2",
        "--until",
        "2024-Q3",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&half.stdout).expect("json");
    assert_eq!(v["periods"].as_array().map(Vec::len), Some(2), "the range keeps Q2 and Q3: {v}");
    let bad = env.run(&["evolution", "--store", "store", "--min-inclusion", "1.5"]);
    assert_eq!(bad.status.code(), Some(2));

    let chart = env.run(&["chart", "evolution", "--store", "store", "--origin", "digest", "--out", "evolution.svg"]);
    assert!(chart.status.success(), "{}", stderr(&chart));
    let svg = std::fs::read_to_string(env.path("evolution.svg")).expect("svg");
    for text in ["Themes over time", "2024-Q1", "2024-Q4", "gadget"] {
        assert!(svg.contains(text), "{text} is drawn");
    }
    assert!(["quasar", "pulsar", "nebula"].iter().any(|k| svg.contains(k)), "the Q1 cluster is drawn");
    assert!(svg.matches("<polygon").count() >= 3, "a band per link");
}

#[test]
fn clusters_of_a_range_are_the_clusters_of_its_papers() {
    let env = archive();
    let q1 = stdout(&env.run(&[
        "keywords",
        "--store",
        "store",
        "--clusters",
        "--origin",
        "digest",
        "--until",
        "2024-Q1",
        "--csv",
    ]));
    let q3 = stdout(&env.run(&[
        "keywords",
        "--store",
        "store",
        "--clusters",
        "--origin",
        "digest",
        "--since",
        "2024-Q3",
        "--csv",
    ]));
    assert!(q1.contains("quasar") && !q1.contains("qubit wiring"), "{q1}");
    assert!(!q3.contains("quasar") && !q3.contains("qubit wiring") && q3.contains("widget"), "{q3}");
}

#[test]
fn a_watchlist_finds_its_papers_and_the_weekly_report_names_them() {
    let env = archive();
    env.write(
        "digestlens.yaml",
        "store: store\nwatch:\n  - name: Quantum widgets\n    terms: [quantum routing, entangled widget]\n  - name: One paper\n    terms: [\"2401.00001\"]\n  - name: People\n    terms: [\"a  b\"]\n",
    );
    let out = env.run(&["watch", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let of = |name: &str| -> Vec<serde_json::Value> {
        rows.as_array().into_iter().flatten().filter(|r| r["watch"] == name).cloned().collect()
    };
    let quantum = of("Quantum widgets");
    assert_eq!(quantum.len(), 3, "the three Q2 papers: {quantum:?}");
    assert!(
        quantum
            .iter()
            .all(|r| r["matched_in"] == "keyword" && r["date"].as_str().is_some_and(|d| d.starts_with("2024-0")))
    );
    let one = of("One paper");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["matched_in"], "arxiv id");
    assert_eq!(of("People").len(), 30, "every paper is by A B (the author's normal form)");
    let since = env.run(&["watch", "--since", "2024-06-01", "--json"]);
    let later: serde_json::Value = serde_json::from_slice(&since.stdout).expect("json");
    assert!(later.as_array().is_some_and(|r| r.iter().filter(|x| x["watch"] == "Quantum widgets").count() == 1));

    let out = env.run(&["report", "--all", "--out", "reports"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // 2024-04-10 is in 2024-W15.
    let week = std::fs::read_to_string(env.path("reports/2024-W15.md")).expect("the week's report");
    let watched = week.split("## Watched").nth(1).expect("a Watched section").split("\n## ").next().unwrap_or_default();
    assert!(watched.contains("### Quantum widgets") && watched.contains("Made up paper"), "{watched}");
    assert!(watched.contains("quantum routing"), "{watched}");
    assert!(week.find("## Watched") < week.find("## Rising keywords"), "the report starts with it");
    let other = std::fs::read_to_string(env.path("reports/2024-W02.md")).expect("report");
    assert!(!other.contains("Quantum widgets"), "only the weeks of its papers");
}

#[test]
fn the_config_file_sets_what_flags_do_not_and_refuses_unknown_keys() {
    let env = archive();
    env.write("digestlens.yaml", "store: store\n");
    let out = env.run(&["config"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with("store") && l.contains("store") && l.contains("(config digestlens.yaml)")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("synonyms") && l.contains("built-in")), "{text}");
    let flagged = stdout(&env.run(&["config", "--store", "elsewhere"]));
    assert!(
        flagged.lines().any(|l| l.starts_with("store") && l.contains("elsewhere") && l.contains("(flag --store)")),
        "{flagged}"
    );
    // The config's store is the one read.
    let n = stdout(&env.run(&["sql", "--csv", "select count(*) as n from entries"]));
    assert!(n.contains("30"), "{n}");

    env.write("bad.yaml", "store: store\nwatchlist: []\n");
    let out = env.run(&["--config", "bad.yaml", "config"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("bad.yaml") && err.contains("line 2") && err.contains("watchlist"), "{err}");
}

#[test]
fn new_themes_stay_unmatched_and_are_listed_as_emerging() {
    let env = Env::new();
    for (day, id) in [("2024-04-10", "2404.00001"), ("2024-05-15", "2405.00002"), ("2024-06-12", "2406.00003")] {
        let description = format!("Routing qubits between widgets ({id}).");
        let text = site_digest(day, "Quantum widget routing", &description, id, "Quantum Routing, Qubit Wiring");
        env.write(&format!("digests/arxiv_cs_CL_{day}_report.md"), text);
    }
    let text = site_digest(
        "2024-04-11",
        "Mixture-of-Experts Routing",
        "Sparse expert routing.",
        "2404.00009",
        "Mixture of Experts",
    );
    env.write("digests/arxiv_cs_CL_2024-04-11_report.md", text);
    let out = env.run(&["ingest", "-q", "--store", "store", "digests"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));

    let mapping = stdout(&env.run(&["themes", "--store", "store", "--mapping", "--top", "0", "--csv"]));
    let quantum: Vec<&str> = mapping.lines().filter(|l| l.contains(",Quantum widget routing,")).collect();
    assert_eq!(quantum.len(), 3, "{mapping}");
    for line in &quantum {
        assert!(
            line.contains(",Quantum widget routing,Quantum widget routing,,"),
            "kept as its own label, no score: {line}"
        );
        assert!(line.contains("unmatched"), "and says why: {line}");
    }
    assert!(mapping.contains(",Mixture-of-Experts Routing,Mixture of experts and model architecture,"), "{mapping}");

    let emerging = env.run(&["themes", "--store", "store", "--emerging", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&emerging.stdout).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{rows}");
    assert_eq!(rows[0]["theme"], "Quantum widget routing");
    assert_eq!(rows[0]["first_seen"], "2024-04-10");
    assert_eq!((rows[0]["digests"].as_u64(), rows[0]["papers"].as_u64()), (Some(3), Some(3)));

    let yaml = stdout(&env.run(&["themes", "--store", "store", "--suggest-taxonomy"]));
    env.write("adopted.yaml", &yaml);
    let adopted = stdout(&env.run(&["themes", "--store", "store", "--taxonomy", "adopted.yaml", "--mapping", "--csv"]));
    assert!(
        adopted.contains(",Quantum widget routing,Quantum widget routing,3.0,its label is a name or term"),
        "{adopted}"
    );
    let after = stdout(&env.run(&["themes", "--store", "store", "--taxonomy", "adopted.yaml", "--emerging", "--csv"]));
    assert_eq!(csv_rows(&after).len(), 1, "nothing emerging once adopted: {after}");

    let out = env.run(&["report", "--store", "store", "--all", "--out", "reports"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let week = std::fs::read_to_string(env.path("reports/2024-W15.md")).expect("report of 2024-04-10");
    let section = week.split("## Emerging themes").nth(1).expect("an Emerging themes section");
    assert!(section.contains("- Quantum widget routing"), "{section}");
}
