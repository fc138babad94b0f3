//! Networks for the tools of the field (Gephi, VOSviewer, Pajek, networkx): co-word (keywords
//! that papers share), co-author (people who sign papers together) and theme-keyword (the
//! keywords of each theme's papers). An edge's weight is the number of papers the two nodes
//! share; a node's cluster is its Louvain community in the network written.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::Input;
use super::louvain::louvain;

/// One node: a keyword, a person or a theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub label: String,
    /// `keyword`, `author`, `organization` or `theme`.
    pub kind: &'static str,
    pub papers: u32,
    pub first_seen: Option<NaiveDate>,
    pub cluster: usize,
}

/// An undirected weighted network; edges are (a, b, papers) with a < b.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<(usize, usize, u32)>,
}

/// A family of nodes: the terms of an input, and what kind of node they are.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub input: &'a Input,
    pub kind: &'static str,
}

/// Per paper in the range, its terms of one side.
fn terms_by_paper(side: Side<'_>, keep: &impl Fn(NaiveDate) -> bool) -> BTreeMap<u32, BTreeSet<u32>> {
    let mut out: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for &(t, a) in &side.input.links {
        let Some(app) = side.input.appearances.get(a as usize) else { continue };
        if keep(app.date) {
            out.entry(app.paper).or_default().insert(t);
        }
    }
    out
}

/// Papers and first appearance of each term of a side, in the range.
fn node_figures(side: Side<'_>, keep: &impl Fn(NaiveDate) -> bool) -> Vec<(u32, Option<NaiveDate>)> {
    let mut papers: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); side.input.terms.len()];
    let mut first: Vec<Option<NaiveDate>> = vec![None; side.input.terms.len()];
    for &(t, a) in &side.input.links {
        let Some(app) = side.input.appearances.get(a as usize) else { continue };
        if keep(app.date) {
            papers[t as usize].insert(app.paper);
            let f = &mut first[t as usize];
            *f = Some(f.map_or(app.date, |d| d.min(app.date)));
        }
    }
    papers.into_iter().zip(first).map(|(p, f)| (u32::try_from(p.len()).unwrap_or(u32::MAX), f)).collect()
}

/// What to keep: the `top` nodes with most papers (0: all), edges of at least `min_edge` papers.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub top: usize,
    pub min_edge: u32,
    pub seed: u64,
}

/// The co-occurrence network of one side (co-word, co-author): two terms are linked by the
/// papers that carry both.
pub fn cooccurrence(side: Side<'_>, keep: impl Fn(NaiveDate) -> bool, limits: Limits) -> Network {
    let figures = node_figures(side, &keep);
    let kept = top_terms(&figures, limits.top);
    let mut weights: HashMap<(usize, usize), u32> = HashMap::new();
    for terms in terms_by_paper(side, &keep).values() {
        let nodes: Vec<usize> = terms.iter().filter_map(|t| kept.get(&(*t as usize)).copied()).collect();
        for (i, &a) in nodes.iter().enumerate() {
            for &b in &nodes[i + 1..] {
                *weights.entry((a.min(b), a.max(b))).or_default() += 1;
            }
        }
    }
    let nodes = ordered_nodes(side, &figures, &kept);
    finish(nodes, weights, limits)
}

/// The bipartite theme-keyword network: a theme and a keyword are linked by the theme's papers
/// that carry the keyword.
pub fn bipartite(themes: Side<'_>, keywords: Side<'_>, keep: impl Fn(NaiveDate) -> bool, limits: Limits) -> Network {
    let (tf, kf) = (node_figures(themes, &keep), node_figures(keywords, &keep));
    let kept_themes = top_terms(&tf, 0);
    let kept_keywords = top_terms(&kf, limits.top);
    let mut nodes = ordered_nodes(themes, &tf, &kept_themes);
    let offset = nodes.len();
    nodes.extend(ordered_nodes(keywords, &kf, &kept_keywords));
    let by_paper_keywords = terms_by_paper(keywords, &keep);
    let mut weights: HashMap<(usize, usize), u32> = HashMap::new();
    for (paper, ts) in terms_by_paper(themes, &keep) {
        let Some(ks) = by_paper_keywords.get(&paper) else { continue };
        for t in ts.iter().filter_map(|t| kept_themes.get(&(*t as usize))) {
            for k in ks.iter().filter_map(|k| kept_keywords.get(&(*k as usize))) {
                *weights.entry((*t, offset + k)).or_default() += 1;
            }
        }
    }
    finish(nodes, weights, limits)
}

/// The terms kept (most papers first, then by name... by term number here, names come later),
/// each with its node number.
fn top_terms(figures: &[(u32, Option<NaiveDate>)], top: usize) -> HashMap<usize, usize> {
    let mut order: Vec<usize> = (0..figures.len()).filter(|&t| figures[t].0 > 0).collect();
    order.sort_by(|&a, &b| figures[b].0.cmp(&figures[a].0).then(a.cmp(&b)));
    if top > 0 {
        order.truncate(top);
    }
    order.into_iter().enumerate().map(|(node, t)| (t, node)).collect()
}

fn ordered_nodes(side: Side<'_>, figures: &[(u32, Option<NaiveDate>)], kept: &HashMap<usize, usize>) -> Vec<Node> {
    let mut nodes: Vec<(usize, Node)> = kept
        .iter()
        .map(|(&t, &n)| {
            let node = Node {
                label: side.input.terms[t].clone(),
                kind: side.kind,
                papers: figures[t].0,
                first_seen: figures[t].1,
                cluster: 0,
            };
            (n, node)
        })
        .collect();
    nodes.sort_by_key(|(n, _)| *n);
    nodes.into_iter().map(|(_, node)| node).collect()
}

/// Drops light edges, sorts, and clusters the nodes (Louvain on the edges kept).
fn finish(nodes: Vec<Node>, weights: HashMap<(usize, usize), u32>, limits: Limits) -> Network {
    let mut edges: Vec<(usize, usize, u32)> =
        weights.into_iter().filter(|&(_, w)| w >= limits.min_edge.max(1)).map(|((a, b), w)| (a, b, w)).collect();
    edges.sort_unstable();
    let weighted: Vec<(usize, usize, f64)> = edges.iter().map(|&(a, b, w)| (a, b, f64::from(w))).collect();
    let communities = louvain(nodes.len(), &weighted, limits.seed);
    let mut nodes = nodes;
    for (node, c) in nodes.iter_mut().zip(communities) {
        node.cluster = c + 1;
    }
    Network { nodes, edges }
}

/// Text safe inside XML 1.0: escaped, without the control characters XML cannot carry.
fn xml(text: &str) -> String {
    let clean: String = text.chars().filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r')).collect();
    quick_xml::escape::escape(clean.as_str()).into_owned()
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// GraphML (graphml.graphdrawing.org), readable by Gephi, yEd, networkx and igraph.
pub fn graphml(net: &Network) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
         <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n\
         <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n\
         <key id=\"papers\" for=\"node\" attr.name=\"papers\" attr.type=\"int\"/>\n\
         <key id=\"first_seen\" for=\"node\" attr.name=\"first_seen\" attr.type=\"string\"/>\n\
         <key id=\"cluster\" for=\"node\" attr.name=\"cluster\" attr.type=\"int\"/>\n\
         <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n\
         <graph id=\"G\" edgedefault=\"undirected\">\n",
    );
    for (i, n) in net.nodes.iter().enumerate() {
        let _ = writeln!(
            out,
            "<node id=\"n{i}\"><data key=\"label\">{}</data><data key=\"kind\">{}</data><data key=\"papers\">{}</data><data key=\"first_seen\">{}</data><data key=\"cluster\">{}</data></node>",
            xml(&n.label),
            n.kind,
            n.papers,
            date_text(n.first_seen),
            n.cluster
        );
    }
    for (i, &(a, b, w)) in net.edges.iter().enumerate() {
        let _ =
            writeln!(out, "<edge id=\"e{i}\" source=\"n{a}\" target=\"n{b}\"><data key=\"weight\">{w}</data></edge>");
    }
    out.push_str("</graph>\n</graphml>\n");
    out
}

/// GEXF 1.2 (gexf.net), Gephi's own format.
pub fn gexf(net: &Network) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">\n\
         <meta><creator>digestlens</creator></meta>\n<graph mode=\"static\" defaultedgetype=\"undirected\">\n\
         <attributes class=\"node\">\n<attribute id=\"0\" title=\"kind\" type=\"string\"/>\n\
         <attribute id=\"1\" title=\"papers\" type=\"integer\"/>\n<attribute id=\"2\" title=\"first_seen\" type=\"string\"/>\n\
         <attribute id=\"3\" title=\"cluster\" type=\"integer\"/>\n</attributes>\n<nodes>\n",
    );
    for (i, n) in net.nodes.iter().enumerate() {
        let _ = writeln!(
            out,
            "<node id=\"{i}\" label=\"{}\"><attvalues><attvalue for=\"0\" value=\"{}\"/><attvalue for=\"1\" value=\"{}\"/><attvalue for=\"2\" value=\"{}\"/><attvalue for=\"3\" value=\"{}\"/></attvalues></node>",
            xml(&n.label),
            n.kind,
            n.papers,
            date_text(n.first_seen),
            n.cluster
        );
    }
    out.push_str("</nodes>\n<edges>\n");
    for (i, &(a, b, w)) in net.edges.iter().enumerate() {
        let _ = writeln!(out, "<edge id=\"{i}\" source=\"{a}\" target=\"{b}\" weight=\"{w}\"/>");
    }
    out.push_str("</edges>\n</graph>\n</gexf>\n");
    out
}

/// A label for Pajek and VOSviewer: one line, no double quotes or tabs.
fn plain(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c == '"' {
                '\''
            } else if c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Pajek's .net: `*Vertices n` with quoted labels, then `*Edges` as `a b weight` (1-based).
pub fn pajek(net: &Network) -> String {
    let mut out = format!("*Vertices {}\n", net.nodes.len());
    for (i, n) in net.nodes.iter().enumerate() {
        let _ = writeln!(out, "{} \"{}\"", i + 1, plain(&n.label));
    }
    out.push_str("*Edges\n");
    for &(a, b, w) in &net.edges {
        let _ = writeln!(out, "{} {} {w}", a + 1, b + 1);
    }
    out
}

/// VOSviewer's map file (tab-separated, with a header: id, label, cluster, `weight<Papers>`,
/// `score<First seen>` as a decimal year) and network file (id, id, weight; no header), as the
/// VOSviewer manual (version 1.6.20, section 4.4) describes them.
pub fn vosviewer(net: &Network) -> (String, String) {
    let mut map = String::from("id\tlabel\tcluster\tweight<Papers>\tscore<First seen>\n");
    for (i, n) in net.nodes.iter().enumerate() {
        let score = n
            .first_seen
            .map(|d| format!("{:.3}", f64::from(d.year()) + f64::from(d.ordinal0()) / 365.25))
            .unwrap_or_default();
        let _ = writeln!(map, "{}\t{}\t{}\t{}\t{score}", i + 1, plain(&n.label), n.cluster, n.papers);
    }
    let mut network = String::new();
    for &(a, b, w) in &net.edges {
        let _ = writeln!(network, "{}\t{}\t{w}", a + 1, b + 1);
    }
    (map, network)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Appearance;

    fn input(papers: &[&[&str]]) -> Input {
        let mut input = Input::default();
        let day = NaiveDate::from_ymd_opt(2025, 10, 6).unwrap_or_default();
        for (p, terms) in papers.iter().enumerate() {
            input.papers_mut().push(&format!("p{p}"));
            input.appearances_mut().push(Appearance { paper: p as u32, date: day, day_precision: true });
            for t in *terms {
                let id = match input.terms.iter().position(|x| x == t) {
                    Some(i) => i,
                    None => {
                        input.terms.push((*t).to_owned());
                        input.terms.len() - 1
                    }
                };
                input.links.push((id as u32, p as u32));
            }
        }
        input
    }

    #[test]
    fn edges_weigh_the_papers_two_nodes_share() {
        let i = input(&[&["a", "b"], &["a", "b", "c"], &["a", "b"], &["c", "d"]]);
        let net = cooccurrence(Side { input: &i, kind: "keyword" }, |_| true, Limits { top: 0, min_edge: 1, seed: 1 });
        let id = |l: &str| net.nodes.iter().position(|n| n.label == l).unwrap_or(usize::MAX);
        let w = |x: &str, y: &str| {
            let (a, b) = (id(x).min(id(y)), id(x).max(id(y)));
            net.edges.iter().find(|e| (e.0, e.1) == (a, b)).map(|e| e.2)
        };
        assert_eq!(w("a", "b"), Some(3));
        assert_eq!(w("a", "d"), None);
        assert_eq!(w("c", "d"), Some(1));
        assert_eq!(net.nodes[id("a")].papers, 3);
        let strong =
            cooccurrence(Side { input: &i, kind: "keyword" }, |_| true, Limits { top: 2, min_edge: 2, seed: 1 });
        assert_eq!(strong.nodes.len(), 2);
        assert_eq!(strong.edges, vec![(0, 1, 3)]);
        assert!(graphml(&net).contains("<data key=\"label\">a</data>"));
        assert!(pajek(&net).starts_with("*Vertices 4\n"));
        let (map, network) = vosviewer(&net);
        assert!(map.starts_with("id\tlabel\tcluster\tweight<Papers>\tscore<First seen>\n"));
        assert_eq!(network.lines().count(), net.edges.len());
    }

    #[test]
    fn labels_cannot_break_the_files() {
        let i = input(&[&["<b>&\"x\"\u{1}", "y"]]);
        let net = cooccurrence(Side { input: &i, kind: "keyword" }, |_| true, Limits { top: 0, min_edge: 1, seed: 1 });
        assert!(graphml(&net).contains("&lt;b&gt;&amp;&quot;x&quot;</data>"));
        assert!(gexf(&net).contains("label=\"&lt;b&gt;&amp;&quot;x&quot;\""));
        assert!(pajek(&net).contains("\"<b>&'x' \""));
    }
}
