//! Charts drawn with plotters, as SVG (inlined in reports) or PNG. Text uses DejaVu Sans,
//! embedded in the binary and registered with plotters' ab_glyph support, so charts render the
//! same on a machine without any system fonts.
//!
//! `data` chooses what a chart shows from the analysis results; `draw` and `grid` draw it.

pub mod data;
mod draw;
mod flow;
mod grid;

use std::path::Path;
use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::register_font;

pub use data::Scope;
use draw::{Area, Drawn};

use crate::analysis::tables::Results;
use crate::error::{Error, Result};

/// Pixel size of every chart.
pub const SIZE: (u32, u32) = (960, 540);

/// The chart kinds (also the values of `digestlens chart KIND`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Share-of-papers lines of the keywords that rose most.
    Trends,
    /// The most frequent keywords of the last period, as bars.
    Top,
    /// Keywords × periods, colour for the share of papers.
    Heatmap,
    /// Canonical themes' shares of mentions over time, stacked.
    Themes,
    /// One bar per burst, coloured by strength.
    Bursts,
    /// Co-word clusters by centrality and density.
    Map,
    /// Co-word clusters per quarter and how they continue, split, merge and fade (alluvial).
    Evolution,
}

impl Kind {
    pub const ALL: [Kind; 7] =
        [Kind::Trends, Kind::Top, Kind::Heatmap, Kind::Themes, Kind::Bursts, Kind::Map, Kind::Evolution];

    /// The file stem charts of this kind are written to.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Trends => "keyword-trends",
            Kind::Top => "top-keywords",
            Kind::Heatmap => "keyword-heatmap",
            Kind::Themes => "theme-shares",
            Kind::Bursts => "burst-timeline",
            Kind::Map => "thematic-map",
            Kind::Evolution => "theme-evolution",
        }
    }
}

/// Registers the embedded font once; every chart calls this first.
fn fonts() -> Result<()> {
    static DONE: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        let regular = register_font(draw::FONT, FontStyle::Normal, dejavu::sans::regular());
        let bold = register_font(draw::FONT, FontStyle::Bold, dejavu::sans::bold());
        regular.and(bold).map_err(|_| "the embedded DejaVu Sans font could not be loaded".to_owned())
    })
    .clone()
    .map_err(Error::Render)
}

fn draw<DB: DrawingBackend>(kind: Kind, root: &Area<DB>, results: &Results, scope: &Scope) -> Drawn {
    match kind {
        Kind::Trends => draw::lines(root, &data::keyword_trends(results, scope), "Rising keywords", false),
        Kind::Top => {
            let bars = data::top_keywords(results, scope);
            draw::bars(root, &bars, &format!("Top keywords of {}", bars.period))
        }
        Kind::Heatmap => {
            let grid = data::heatmap(results, scope);
            grid::heatmap(root, &grid, &format!("Keywords by {}", grid.axis.period.as_str()))
        }
        Kind::Themes => draw::lines(root, &data::theme_shares(results, scope), "Theme shares over time", true),
        Kind::Bursts => grid::timeline(root, &data::burst_timeline(results, scope), "Bursts of keywords and themes"),
        Kind::Map => grid::map(root, &data::thematic_map(results), "Thematic map of keyword clusters"),
        Kind::Evolution => flow::evolution(root, &data::evolution(results, scope), "Themes over time"),
    }
}

/// The chart as an SVG document.
pub fn svg(kind: Kind, results: &Results, scope: &Scope) -> Result<String> {
    fonts()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw(kind, &root, results, scope).map_err(Error::Render)?;
        root.present().map_err(|e| Error::Render(draw::fail(e)))?;
    }
    Ok(out)
}

/// Writes the chart to `path`, as SVG or PNG by its extension, atomically.
pub fn write(kind: Kind, results: &Results, scope: &Scope, path: &Path) -> Result<()> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("svg") => crate::store::io::write_if_changed(path, svg(kind, results, scope)?.as_bytes()).map(drop),
        Some("png") => png(kind, results, scope, path),
        _ => Err(Error::Usage(format!("{}: the chart file must end in .svg or .png", path.display()))),
    }
}

fn png(kind: Kind, results: &Results, scope: &Scope, path: &Path) -> Result<()> {
    fonts()?;
    let name = path.file_name().map_or_else(|| "chart".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}.png", std::process::id()));
    let drawn = (|| {
        let root = BitMapBackend::new(&tmp, SIZE).into_drawing_area();
        draw(kind, &root, results, scope)?;
        root.present().map_err(draw::fail)
    })();
    // An unchanged chart is not replaced, so its modification time says when it last changed.
    let result = drawn.map_err(Error::Render).and_then(|()| {
        let unchanged = std::fs::read(&tmp).is_ok_and(|new| std::fs::read(path).is_ok_and(|old| old == new));
        if unchanged {
            std::fs::remove_file(&tmp).map_err(|e| Error::io(&tmp, e))
        } else {
            std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
        }
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
