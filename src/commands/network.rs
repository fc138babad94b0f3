//! `digestlens network coword|coauthor|theme-keyword --out FILE`: a network file for Gephi,
//! VOSviewer, Pajek or networkx, in the format its extension (or `--format`) names.

use std::path::{Path, PathBuf};

use super::Outcome;
use super::analysis::{Need, Range, load, settings};
use crate::analysis::network::{Limits, Network, Side, bipartite, cooccurrence, gexf, graphml, pajek, vosviewer};
use crate::analysis::{Unit, inputs, people};
use crate::cli::{AnalysisArgs, NetworkArgs, NetworkFormat, NetworkKind, RangeArgs, StoreArg, VocabArgs};
use crate::error::Error;
use crate::store::io::write_if_changed;

pub fn run(args: &NetworkArgs) -> anyhow::Result<Outcome> {
    let format = match args.format {
        Some(f) => f,
        None => match args.out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("graphml") => NetworkFormat::Graphml,
            Some("gexf") => NetworkFormat::Gexf,
            Some("net") => NetworkFormat::Pajek,
            _ => {
                return Err(Error::Usage(format!(
                    "{}: the extension names no network format (.graphml, .gexf, .net), and no --format was given",
                    args.out.display()
                ))
                .into());
            }
        },
    };
    if args.kind == NetworkKind::Coauthor && args.origin.is_some() {
        return Err(Error::Usage("--origin selects keywords; a co-author network has none".to_owned()).into());
    }
    let analysis = AnalysisArgs {
        store: StoreArg { store: args.store.store.clone() },
        period: None,
        range: RangeArgs { since: args.range.since.clone(), until: args.range.until.clone() },
        origin: args.origin,
        top: args.top,
        vocab: VocabArgs { synonyms: None, taxonomy: None },
        csv: false,
        json: false,
    };
    let range = Range::new(&analysis)?;
    // The analysis' inputs, and for co-authors the entries' authors (every table without its long
    // texts was read before).
    let need = match args.kind {
        NetworkKind::Coauthor => Need::InputsAnd(&crate::analysis::PEOPLE_COLUMNS),
        NetworkKind::Coword | NetworkKind::ThemeKeyword => Need::Inputs,
    };
    let loaded = load(&analysis, need)?;
    let keep = |d: chrono::NaiveDate| range.overlaps(d, d);
    let limits = Limits { top: args.top, min_edge: args.min_edge, seed: args.seed };
    let net: Network = match args.kind {
        NetworkKind::Coword => {
            let inputs = inputs(&loaded.tables, settings(&analysis).origins)?;
            cooccurrence(Side { input: &inputs.keywords, kind: "keyword" }, keep, limits)
        }
        NetworkKind::Coauthor => {
            let people = people(&loaded.tables, Unit::Author)?;
            // Nodes are labelled with each author's name as most often written.
            let mut input = people.input;
            for (t, forms) in people.forms.iter().enumerate() {
                if let (Some(name), Some(slot)) = (forms.first(), input.terms.get_mut(t)) {
                    slot.clone_from(&name.0);
                }
            }
            cooccurrence(Side { input: &input, kind: "author" }, keep, limits)
        }
        NetworkKind::ThemeKeyword => {
            let inputs = inputs(&loaded.tables, settings(&analysis).origins)?;
            let themes = Side { input: &inputs.themes, kind: "theme" };
            bipartite(themes, Side { input: &inputs.keywords, kind: "keyword" }, keep, limits)
        }
    };
    let written: Vec<PathBuf> = match format {
        NetworkFormat::Graphml => write(&args.out, &graphml(&net))?,
        NetworkFormat::Gexf => write(&args.out, &gexf(&net))?,
        NetworkFormat::Pajek => write(&args.out, &pajek(&net))?,
        NetworkFormat::Vosviewer => {
            let (map, network) = vosviewer(&net);
            let stem = args.out.with_extension("");
            let name = stem.file_name().map_or_else(|| "network".into(), |n| n.to_string_lossy().into_owned());
            let mut out = write(&stem.with_file_name(format!("{name}_map.txt")), &map)?;
            out.extend(write(&stem.with_file_name(format!("{name}_network.txt")), &network)?);
            out
        }
    };
    let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    eprintln!("{} nodes, {} edges -> {}", net.nodes.len(), net.edges.len(), files.join(", "));
    Ok(Outcome::Clean)
}

fn write(path: &Path, text: &str) -> anyhow::Result<Vec<PathBuf>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    write_if_changed(path, text.as_bytes())?;
    Ok(vec![path.to_owned()])
}
