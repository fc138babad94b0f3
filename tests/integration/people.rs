//! Who, where and how much attention: authors, sources (`--by`), upvotes, papers and networks.

use std::collections::BTreeSet;

use super::ingest::python_with;
use super::*;

/// Six made-up papers: `alpha` and `beta` on every one, `gamma` on the first three and `delta` on
/// the last three (never together); Ada Lovelace on five (once written `ADA  LOVELACE`), once
/// more as `A. Lovelace`; upvotes 10 to 60; the last listing says `et al.`.
fn made_up() -> Env {
    let env = Env::new();
    let mut lines = String::new();
    for i in 1..=6 {
        let keywords = if i <= 3 { r#"["alpha", "beta", "gamma"]"# } else { r#"["alpha", "beta", "delta"]"# };
        let authors = match i {
            1..=4 => r#"["Ada Lovelace", "Alan Turing"]"#,
            5 => r#"["ADA  LOVELACE", "Grace Hopper"]"#,
            _ => r#"["A. Lovelace", "Grace Hopper", "et al."]"#,
        };
        lines.push_str(&format!(
            "{{\"id\": \"2510.1000{i}\", \"title\": \"Made up paper number {i} on widgets\", \"authors\": {authors}, \"keywords\": {keywords}, \"date\": \"2025-10-0{i}\", \"upvotes\": {}}}\n",
            10 * i
        ));
    }
    env.write("archive/papers.jsonl", lines);
    let out = env.run(&["ingest", "-q", "--store", "store", "archive"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    env
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn authors_count_papers_exactly_merging_only_equal_normal_forms() {
    let env = made_up();
    let rows = json(&env.run(&["authors", "--store", "store", "--top", "0", "--json"]));
    let papers = |name: &str| {
        rows.as_array()
            .and_then(|r| r.iter().find(|x| x["author"] == name))
            .and_then(|x| x["papers"].as_u64())
            .unwrap_or(u64::MAX)
    };
    assert_eq!(papers("Ada Lovelace"), 5, "{rows}");
    assert_eq!(papers("Alan Turing"), 4);
    assert_eq!(papers("Grace Hopper"), 2);
    assert_eq!(papers("A. Lovelace"), 1, "initials are not merged");
    let hopper =
        rows.as_array().and_then(|r| r.iter().find(|x| x["author"] == "Grace Hopper")).cloned().unwrap_or_default();
    assert_eq!(hopper["truncated"], 1, "the `et al.` listing is marked: {hopper}");
    assert!(hopper["keywords"].is_array(), "lists are JSON arrays");

    let explained = stdout(&env.run(&["authors", "--store", "store", "--explain", "Ada Lovelace", "--csv"]));
    assert!(explained.contains("ADA  LOVELACE,ada lovelace,1,merged"), "{explained}");
    assert!(explained.contains("A. Lovelace,a lovelace,1,\"candidate, not merged\""), "{explained}");

    let ranged = json(&env.run(&["authors", "--store", "store", "--until", "2025-10-02", "--json"]));
    assert_eq!(ranged.as_array().map(Vec::len), Some(2), "{ranged}");

    let lotka = stdout(&env.run(&["authors", "--store", "store", "--lotka", "--csv"]));
    assert!(lotka.starts_with("papers,authors,share,fitted,inverse_square,beta,c,r2\n"), "{lotka}");
}

#[test]
fn a_coword_graphml_has_the_shared_papers_as_weights() {
    let env = made_up();
    let out = env.run(&["network", "coword", "--store", "store", "--origin", "digest", "--out", "net/coword.graphml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let Some(python) = python_with("a_coword_graphml_has_the_shared_papers_as_weights", &["networkx"]) else { return };
    let script = "import networkx as nx\n\
        g = nx.read_graphml('net/coword.graphml')\n\
        n = {d['label']: k for k, d in g.nodes(data=True)}\n\
        print('alpha-beta', g.get_edge_data(n['alpha'], n['beta'])['weight'])\n\
        print('gamma-delta', g.has_edge(n['gamma'], n['delta']))\n\
        print('papers', g.nodes[n['gamma']]['papers'], g.nodes[n['gamma']]['first_seen'])\n";
    let out =
        std::process::Command::new(python).current_dir(env.path("")).args(["-c", script]).output().expect("python");
    let text = stdout(&out);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("alpha-beta 6.0"), "{text}");
    assert!(text.contains("gamma-delta False"), "{text}");
    assert!(text.contains("papers 3 2025-10-01"), "{text}");
}

#[test]
fn every_author_of_the_seeds_is_a_node_of_the_pajek_coauthor_network() {
    let env = Env::new();
    let out = env.run(&["ingest", "-q", "--store", "store", s(&corpus().join("seeds"))]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let authors = json(&env.run(&["authors", "--store", "store", "--top", "0", "--json"]));
    let names: BTreeSet<String> =
        authors.as_array().into_iter().flatten().filter_map(|a| a["author"].as_str().map(str::to_owned)).collect();
    assert!(names.len() > 100, "{}", names.len());
    let out = env.run(&["network", "coauthor", "--store", "store", "--top", "0", "--out", "coauthor.net"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let Some(python) = python_with("every_author_of_the_seeds_is_a_node_of_the_pajek_coauthor_network", &["networkx"])
    else {
        return;
    };
    let script = "import networkx as nx\ng = nx.read_pajek('coauthor.net')\nfor n in g.nodes():\n    print(n)\n";
    let out =
        std::process::Command::new(python).current_dir(env.path("")).args(["-c", script]).output().expect("python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let nodes: BTreeSet<String> = stdout(&out).lines().map(str::to_owned).collect();
    assert_eq!(nodes, names);
}

#[test]
fn vosviewer_files_have_the_documented_columns() {
    let env = made_up();
    let out = env.run(&["network", "coword", "--store", "store", "--format", "vosviewer", "--out", "vos/coword"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let map = std::fs::read_to_string(env.path("vos/coword_map.txt")).expect("map file");
    let network = std::fs::read_to_string(env.path("vos/coword_network.txt")).expect("network file");
    let mut lines = map.lines();
    assert_eq!(lines.next(), Some("id\tlabel\tcluster\tweight<Papers>\tscore<First seen>"));
    let ids: BTreeSet<u64> = lines
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            assert_eq!(cells.len(), 5, "{l}");
            assert!(
                cells[2].parse::<u32>().is_ok() && cells[3].parse::<u32>().is_ok() && cells[4].parse::<f64>().is_ok(),
                "{l}"
            );
            cells[0].parse().expect("id")
        })
        .collect();
    assert!(!network.is_empty());
    for l in network.lines() {
        let cells: Vec<u64> = l.split('\t').map(|c| c.parse().expect("a number: no header")).collect();
        assert_eq!(cells.len(), 3, "{l}");
        assert!(ids.contains(&cells[0]) && ids.contains(&cells[1]), "{l}");
    }
}

#[test]
fn papers_and_weighted_trends_use_upvotes_and_say_what_they_leave_out() {
    let env = made_up();
    let rows = json(&env.run(&["papers", "--store", "store", "--sort", "upvotes", "--top", "2", "--json"]));
    assert_eq!(rows[0]["upvotes"], 60, "{rows}");
    assert_eq!(rows[1]["arxiv_id"], "2510.10005", "{rows}");
    let out = env.run(&[
        "trends", "--store", "store", "--weight", "upvotes", "--period", "month", "--kind", "keywords", "--origin",
        "digest", "--json",
    ]);
    let weighted = json(&out);
    assert!(stderr(&out).contains("0 of 6 papers have no upvotes"), "{}", stderr(&out));
    let alpha = weighted.as_array().and_then(|r| r.iter().find(|x| x["term"] == "alpha")).cloned().unwrap_or_default();
    assert_eq!(alpha["papers"], 210, "10+20+…+60: {alpha}");
    let gamma = weighted.as_array().and_then(|r| r.iter().find(|x| x["term"] == "gamma")).cloned().unwrap_or_default();
    assert_eq!(gamma["papers"], 60, "{gamma}");
}

#[test]
fn trends_by_input_separates_every_path_given() {
    let env = Env::new();
    let mut paths: Vec<PathBuf> = vec![corpus().join("site"), corpus().join("seeds")];
    let third = std::fs::read_dir(corpus().join("third-party")).expect("third-party");
    paths.extend(third.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()));
    let mut args = vec!["ingest", "-q", "--store", "store"];
    args.extend(paths.iter().map(|p| s(p)));
    let out = env.run(&args);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let csv =
        stdout(&env.run(&["trends", "--store", "store", "--by", "input", "--period", "month", "--last", "1", "--csv"]));
    let inputs: BTreeSet<String> = csv_rows(&csv).into_iter().skip(1).filter_map(|r| r.first().cloned()).collect();
    let given: BTreeSet<String> = paths.iter().map(|p| s(p).to_owned()).collect();
    assert_eq!(inputs, given);
    let themes = stdout(&env.run(&["themes", "--store", "store", "--by", "format", "--csv"]));
    assert!(themes.starts_with("format,theme,"), "{themes}");
}

/// A store of the shared corpus's seeds and site digests.
fn seeds_and_site() -> Env {
    let env = Env::new();
    let (seeds, site) = (corpus().join("seeds"), corpus().join("site"));
    let out = env.run(&["ingest", "-q", "--store", "store", s(&seeds), s(&site)]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    env
}

#[test]
fn papers_top_n_are_the_first_rows_of_the_whole_sorted_list_with_their_titles_and_themes() {
    let env = seeds_and_site();
    for sort in ["appearances", "upvotes", "first-seen"] {
        let all = json(&env.run(&["papers", "--store", "store", "--sort", sort, "--top", "0", "--json"]));
        let all = all.as_array().cloned().unwrap_or_default();
        assert!(all.len() > 50, "{sort}: {} papers", all.len());
        // The documented order, paper id breaking ties.
        let key = |r: &serde_json::Value| -> (i64, i64, String) {
            let id = r["paper_id"].as_str().unwrap_or_default().to_owned();
            match sort {
                "appearances" => (-r["appearances"].as_i64().unwrap_or(0), 0, id),
                "upvotes" => (i64::from(r["upvotes"].is_null()), -r["upvotes"].as_i64().unwrap_or(0), id),
                _ => (-days(r["first_seen"].as_str().unwrap_or_default()), 0, id),
            }
        };
        assert!(all.windows(2).all(|w| key(&w[0]) < key(&w[1])), "{sort}: not in order");
        for n in ["1", "7", "20"] {
            let top = json(&env.run(&["papers", "--store", "store", "--sort", sort, "--top", n, "--json"]));
            let n: usize = n.parse().unwrap_or_default();
            assert_eq!(top.as_array().map(Vec::as_slice), Some(&all[..n]), "{sort} --top {n}");
        }
        // The rows shown carry what the whole list says of them: titles and themes too.
        let top = json(&env.run(&["papers", "--store", "store", "--sort", sort, "--json"]));
        let shown = top.as_array().cloned().unwrap_or_default();
        assert!(shown.iter().all(|r| r["title"].is_string()), "{sort}: {top}");
        assert!(shown.iter().any(|r| r["themes"].as_array().is_some_and(|t| !t.is_empty())), "{sort}: {top}");
    }
}

/// Days since 0001-01-01 of a `YYYY-MM-DD` date (0 for another text).
fn days(date: &str) -> i64 {
    use chrono::Datelike;
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").map_or(0, |d| i64::from(d.num_days_from_ce()))
}

#[test]
fn authors_top_n_are_the_first_rows_of_the_whole_list_with_their_keywords_and_themes() {
    let env = seeds_and_site();
    for range in [&[][..], &["--since", "2025-10-10"][..]] {
        let mut args = vec!["authors", "--store", "store", "--top", "0", "--json"];
        args.extend(range);
        let all = json(&env.run(&args));
        let all = all.as_array().cloned().unwrap_or_default();
        assert!(all.len() > 100, "{range:?}: {} authors", all.len());
        let described = |rows: &[serde_json::Value], column: &str| {
            rows.iter().filter(|r| r[column].as_array().is_some_and(|k| !k.is_empty())).count()
        };
        assert_eq!(described(&all, "keywords"), all.len(), "{range:?}: every author has papers with keywords");
        assert!(described(&all, "themes") > all.len() / 2, "{range:?}");
        for n in ["1", "9"] {
            args[4] = n;
            let top = json(&env.run(&args));
            let n: usize = n.parse().unwrap_or_default();
            assert_eq!(top.as_array().map(Vec::as_slice), Some(&all[..n]), "{range:?} --top {n}");
        }
        args[4] = "0";
    }
}
