//! The keyword × period heatmap, the burst timeline and the thematic map. The first two are laid
//! out in pixels (a label column, then one column per period) so that labels never collide.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{Axis, Grid, Map, Timeline};
use super::draw::{Area, Drawn, INK, MUTED, PALETTE, fail, fit, text_style, titled};

const LABEL_WIDTH: i32 = 300;
const GAP: RGBColor = RGBColor(236, 236, 240);

/// A colour between `low` and `high` for `t` in 0..=1.
fn blend(low: RGBColor, high: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(mix(low.0, high.0), mix(low.1, high.1), mix(low.2, high.2))
}

const HEAT_LOW: RGBColor = RGBColor(247, 251, 255);
const HEAT_HIGH: RGBColor = RGBColor(8, 69, 148);
const BURST_LOW: RGBColor = RGBColor(254, 217, 118);
const BURST_HIGH: RGBColor = RGBColor(189, 0, 38);

/// Period columns from the first to the last key of the axis, gaps included.
struct Columns {
    first: i64,
    count: i64,
    left: i32,
    width: f64,
}

impl Columns {
    fn new(axis: &Axis, left: i32, right: i32) -> Columns {
        let (first, last) = axis.range();
        let count = (last - first + 1).max(1);
        Columns { first, count, left, width: f64::from(right - left) / count as f64 }
    }

    fn x(&self, key: i64) -> i32 {
        self.left + ((key - self.first) as f64 * self.width).round() as i32
    }

    /// Period labels under the columns, every so many periods so that they do not overlap.
    fn labels<DB: DrawingBackend>(&self, area: &Area<DB>, axis: &Axis, y: i32) -> Drawn {
        let style = text_style(12, INK).pos(Pos::new(HPos::Center, VPos::Top));
        let label_width = area.estimate_text_size(&axis.label_of(self.first), &style).map_or(70, |s| s.0) + 14;
        let every = ((f64::from(label_width) / self.width).ceil() as i64).max(1);
        for k in (0..self.count).step_by(usize::try_from(every).unwrap_or(1)) {
            let key = self.first + k;
            let x = self.x(key) + (self.width / 2.0) as i32;
            area.draw_text(&axis.label_of(key), &style, (x, y)).map_err(fail)?;
        }
        Ok(())
    }
}

/// A horizontal colour scale with its two end labels.
fn scale<DB: DrawingBackend>(
    area: &Area<DB>,
    at: (i32, i32),
    colors: (RGBColor, RGBColor),
    ends: (&str, &str),
) -> Drawn {
    let (x, y) = at;
    for i in 0..100 {
        let c = blend(colors.0, colors.1, f64::from(i) / 99.0);
        area.draw(&Rectangle::new([(x + 2 * i, y), (x + 2 * i + 2, y + 10)], c.filled())).map_err(fail)?;
    }
    let left = text_style(12, MUTED).pos(Pos::new(HPos::Right, VPos::Center));
    let right = text_style(12, MUTED).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw_text(ends.0, &left, (x - 6, y + 5)).map_err(fail)?;
    area.draw_text(ends.1, &right, (x + 206, y + 5)).map_err(fail)
}

pub fn heatmap<DB: DrawingBackend>(root: &Area<DB>, data: &Grid, title: &str) -> Drawn {
    let unit = data.axis.period.as_str();
    let subtitle = format!("share of each {unit}'s papers; grey columns are {unit}s without digests");
    let body = titled(root, title, &subtitle)?;
    let (w, h) = body.dim_in_pixel();
    let (w, h) = (i32::try_from(w).unwrap_or(900), i32::try_from(h).unwrap_or(400));
    let cols = Columns::new(&data.axis, LABEL_WIDTH, w - 20);
    let rows = i32::try_from(data.rows.len().max(1)).unwrap_or(1);
    let row_h = ((h - 70) / rows).clamp(8, 36);
    let max = data.rows.iter().flat_map(|r| r.1.iter().copied()).fold(0.0, f64::max).max(1e-9);
    let with_data: Vec<i64> = data.axis.periods.iter().map(|p| p.1).collect();
    let label_style = text_style(13.min(row_h.unsigned_abs()), INK).pos(Pos::new(HPos::Right, VPos::Center));
    for (r, (term, values)) in data.rows.iter().enumerate() {
        let y = 6 + i32::try_from(r).unwrap_or(0) * row_h;
        let label = fit(&body, term, &label_style, u32::try_from(LABEL_WIDTH - 16).unwrap_or(200));
        body.draw_text(&label, &label_style, (LABEL_WIDTH - 8, y + row_h / 2)).map_err(fail)?;
        for k in 0..cols.count {
            let key = cols.first + k;
            let color = match with_data.iter().position(|d| *d == key) {
                Some(i) => blend(HEAT_LOW, HEAT_HIGH, values[i] / max),
                None => GAP,
            };
            let (x0, x1) = (cols.x(key), cols.x(key + 1) - 1);
            body.draw(&Rectangle::new([(x0, y), (x1, y + row_h - 1)], color.filled())).map_err(fail)?;
        }
    }
    let bottom = 6 + rows * row_h;
    cols.labels(&body, &data.axis, bottom + 6)?;
    scale(&body, (LABEL_WIDTH + 40, bottom + 34), (HEAT_LOW, HEAT_HIGH), ("0%", &format!("{:.0}%", max * 100.0)))
}

pub fn timeline<DB: DrawingBackend>(root: &Area<DB>, data: &Timeline, title: &str) -> Drawn {
    let subtitle = "Kleinberg bursts: one bar per burst, from its first to its last period; colour is strength";
    let body = titled(root, title, subtitle)?;
    let (w, h) = body.dim_in_pixel();
    let (w, h) = (i32::try_from(w).unwrap_or(900), i32::try_from(h).unwrap_or(400));
    let cols = Columns::new(&data.axis, LABEL_WIDTH, w - 20);
    let rows = i32::try_from(data.bursts.len().max(1)).unwrap_or(1);
    let row_h = ((h - 70) / rows).clamp(8, 36);
    let (lo, hi) = data.bursts.iter().fold((f64::MAX, 0.0f64), |(lo, hi), b| (lo.min(b.3), hi.max(b.3)));
    let label_style = text_style(13.min(row_h.unsigned_abs()), INK).pos(Pos::new(HPos::Right, VPos::Center));
    let bottom = 6 + rows * row_h;
    for k in (0..cols.count).step_by(2) {
        let x = cols.x(cols.first + k);
        let band = [(x, 6), (cols.x(cols.first + k + 1), bottom)];
        body.draw(&Rectangle::new(band, RGBColor(248, 248, 250).filled())).map_err(fail)?;
    }
    if data.bursts.is_empty() {
        let style = text_style(15, MUTED).pos(Pos::new(HPos::Center, VPos::Center));
        body.draw_text("no bursts in these periods", &style, (w / 2, h / 3)).map_err(fail)?;
    }
    for (r, (term, begin, end, strength)) in data.bursts.iter().enumerate() {
        let y = 6 + i32::try_from(r).unwrap_or(0) * row_h;
        let label = fit(&body, term, &label_style, u32::try_from(LABEL_WIDTH - 16).unwrap_or(200));
        body.draw_text(&label, &label_style, (LABEL_WIDTH - 8, y + row_h / 2)).map_err(fail)?;
        let t = if hi > lo { (strength - lo) / (hi - lo) } else { 1.0 };
        let (b, e) = ((*begin).max(cols.first), (*end).min(cols.first + cols.count - 1));
        let bar = [(cols.x(b) + 1, y + 3), (cols.x(e + 1) - 1, y + row_h - 3)];
        body.draw(&Rectangle::new(bar, blend(BURST_LOW, BURST_HIGH, t).filled())).map_err(fail)?;
    }
    cols.labels(&body, &data.axis, bottom + 6)?;
    let ends = (format!("{:.1}", if lo == f64::MAX { 0.0 } else { lo }), format!("{hi:.1}"));
    scale(&body, (LABEL_WIDTH + 40, bottom + 34), (BURST_LOW, BURST_HIGH), (&ends.0, &ends.1))
}

/// Callon centrality × density, medians as dashed lines, the four quadrants named in corners.
pub fn map<DB: DrawingBackend>(root: &Area<DB>, data: &Map, title: &str) -> Drawn {
    let subtitle = "co-word clusters: centrality (links to other clusters) × density (links within); size is papers";
    let body = titled(root, title, subtitle)?;
    let span = |f: fn(&(String, f64, f64, u32)) -> f64, m: f64| {
        let (lo, hi) = data.clusters.iter().map(f).fold((m, m), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let pad = ((hi - lo) * 0.15).max(0.05);
        (lo - pad)..(hi + pad)
    };
    let (xr, yr) = (span(|c| c.1, data.median.0), span(|c| c.2, data.median.1));
    let mut chart = ChartBuilder::on(&body)
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(xr.clone(), yr.clone())
        .map_err(fail)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("centrality")
        .y_desc("density")
        .label_style(text_style(13, INK))
        .axis_desc_style(text_style(14, MUTED))
        .draw()
        .map_err(fail)?;
    let dashed = MUTED.stroke_width(1);
    let (mx, my) = data.median;
    chart.draw_series(DashedLineSeries::new([(mx, yr.start), (mx, yr.end)], 6, 4, dashed)).map_err(fail)?;
    chart.draw_series(DashedLineSeries::new([(xr.start, my), (xr.end, my)], 6, 4, dashed)).map_err(fail)?;
    let plot = chart.plotting_area().clone();
    let corner = |h: HPos, v: VPos| text_style(14, MUTED).pos(Pos::new(h, v));
    let quadrants = [
        ("Niche themes", (xr.start, yr.end), HPos::Left, VPos::Top, (8, 6)),
        ("Motor themes", (xr.end, yr.end), HPos::Right, VPos::Top, (-8, 6)),
        ("Emerging or declining", (xr.start, yr.start), HPos::Left, VPos::Bottom, (8, -6)),
        ("Basic themes", (xr.end, yr.start), HPos::Right, VPos::Bottom, (-8, -6)),
    ];
    for (name, at, h, v, (dx, dy)) in quadrants {
        let (x, y) = plot.map_coordinate(&at);
        root.draw_text(name, &corner(h, v), (x + dx, y + dy)).map_err(fail)?;
    }
    let most = data.clusters.iter().map(|c| c.3).max().unwrap_or(1).max(1);
    let radius = |papers: u32| 6 + (18.0 * (f64::from(papers) / f64::from(most)).sqrt()) as i32;
    // Labels may cover neither another label nor any circle.
    let mut taken: Vec<(i32, i32, i32, i32)> = data
        .clusters
        .iter()
        .map(|(_, x, y, papers)| {
            let ((px, py), r) = (plot.map_coordinate(&(*x, *y)), radius(*papers));
            (px - r, py - r, px + r, py + r)
        })
        .collect();
    let style = text_style(13, INK);
    for (i, (name, x, y, papers)) in data.clusters.iter().enumerate() {
        let radius = radius(*papers);
        let color = PALETTE[i % PALETTE.len()];
        chart.draw_series(std::iter::once(Circle::new((*x, *y), radius, color.mix(0.75).filled()))).map_err(fail)?;
        let label = fit(root, name, &style, 200);
        let (lw, lh) = root.estimate_text_size(&label, &style).map_or((120, 14), |(w, h)| (w as i32, h as i32));
        let (px, py) = plot.map_coordinate(&(*x, *y));
        let (bx, by) = plot.get_base_pixel();
        // Try right, left, above, below the point; a label that fits nowhere is left out.
        let (r, d) = (radius + 4, radius * 7 / 10 + 2);
        let candidates = [
            (px + r, py - lh / 2),
            (px - r - lw, py - lh / 2),
            (px - lw / 2, py - r - lh),
            (px - lw / 2, py + r),
            (px + d, py - d - lh),
            (px + d, py + d),
            (px - d - lw, py - d - lh),
            (px - d - lw, py + d),
        ];
        let (pw, ph) = plot.dim_in_pixel();
        let inside = |(x, y): (i32, i32)| x >= bx && y >= by && x + lw <= bx + pw as i32 && y + lh <= by + ph as i32;
        let free = |(x, y): (i32, i32)| taken.iter().all(|&(a, b, c, d)| x + lw < a || x > c || y + lh < b || y > d);
        if let Some(&(lx, ly)) = candidates.iter().find(|&&c| inside(c) && free(c)) {
            taken.push((lx, ly, lx + lw, ly + lh));
            root.draw_text(&label, &style.pos(Pos::new(HPos::Left, VPos::Top)), (lx, ly)).map_err(fail)?;
        }
    }
    Ok(())
}
