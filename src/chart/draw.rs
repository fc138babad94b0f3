//! Line, stacked-area and bar charts, and what every chart shares: the palette (Okabe & Ito's
//! colour-blind-safe colours), fonts, a legend beside the plot, labels shortened to fit.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{Axis, Bars, Lines};

pub type Area<DB> = DrawingArea<DB, Shift>;
pub type Drawn = Result<(), String>;

pub const FONT: &str = "sans-serif";
pub const INK: RGBColor = RGBColor(40, 40, 48);
pub const MUTED: RGBColor = RGBColor(110, 110, 120);
const LEGEND_WIDTH: u32 = 250;

/// Okabe & Ito (2008), colour-blind safe, then grey for "other".
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(120, 94, 240),
    RGBColor(0, 0, 0),
];
pub const OTHER: RGBColor = RGBColor(170, 170, 178);

pub fn fail<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

pub fn text_style(size: u32, color: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&color)
}

/// `text` cut with an ellipsis so that it is at most `width` pixels wide in `style`.
pub fn fit<DB: DrawingBackend>(area: &Area<DB>, text: &str, style: &TextStyle<'_>, width: u32) -> String {
    let wide = |t: &str| area.estimate_text_size(t, style).map_or(u32::MAX, |(w, _)| w);
    if wide(text) <= width {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>().trim_end().to_owned() + "…";
        if wide(&candidate) <= width { lo = mid } else { hi = mid - 1 }
    }
    chars[..lo].iter().collect::<String>().trim_end().to_owned() + "…"
}

/// The title on top, a subtitle under it; returns the area left below.
pub fn titled<DB: DrawingBackend>(root: &Area<DB>, title: &str, subtitle: &str) -> Result<Area<DB>, String> {
    root.fill(&WHITE).map_err(fail)?;
    let (w, _) = root.dim_in_pixel();
    let title_style = text_style(22, INK).pos(Pos::new(HPos::Left, VPos::Top));
    let title_text = fit(root, title, &title_style, w - 40);
    root.draw_text(&title_text, &title_style, (20, 14)).map_err(fail)?;
    let sub_style = text_style(14, MUTED).pos(Pos::new(HPos::Left, VPos::Top));
    let sub_text = fit(root, subtitle, &sub_style, w - 40);
    root.draw_text(&sub_text, &sub_style, (20, 44)).map_err(fail)?;
    Ok(root.clone().split_vertically(70).1)
}

/// A legend of coloured swatches in its own column, labels shortened to fit.
pub fn legend<DB: DrawingBackend>(area: &Area<DB>, items: &[(String, RGBColor)]) -> Drawn {
    let style = text_style(14, INK).pos(Pos::new(HPos::Left, VPos::Center));
    let (w, _) = area.dim_in_pixel();
    for (k, (name, color)) in items.iter().enumerate() {
        let y = 30 + 24 * i32::try_from(k).unwrap_or(0);
        area.draw(&Rectangle::new([(10, y - 6), (24, y + 6)], color.filled())).map_err(fail)?;
        let label = fit(area, name, &style, w.saturating_sub(44));
        area.draw_text(&label, &style, (32, y)).map_err(fail)?;
    }
    Ok(())
}

/// How many x labels fit: one per ~110 pixels, at most one per period.
pub fn x_label_count(width: u32, periods: i64) -> usize {
    usize::try_from((i64::from(width) / 110).clamp(2, periods.max(2))).unwrap_or(2)
}

/// Consecutive runs of points (a period without data breaks a line: gaps are not zeros).
pub fn runs(points: &[(i64, f64)], axis: &Axis) -> Vec<Vec<(i64, f64)>> {
    let with_data: Vec<i64> = axis.periods.iter().map(|p| p.1).collect();
    let mut out: Vec<Vec<(i64, f64)>> = Vec::new();
    for &(k, v) in points.iter().filter(|(k, _)| with_data.contains(k)) {
        match out.last_mut() {
            Some(run) if run.last().is_some_and(|l| l.0 + 1 == k) => run.push((k, v)),
            _ => out.push(vec![(k, v)]),
        }
    }
    out
}

fn percent(y: &f64) -> String {
    format!("{:.0}%", y * 100.0)
}

/// Lines of shares over periods, or the same stacked as areas.
pub fn lines<DB: DrawingBackend>(root: &Area<DB>, data: &Lines, title: &str, stacked: bool) -> Drawn {
    let unit = data.axis.period.as_str();
    let subtitle = if stacked {
        format!("share of theme mentions per {unit}; periods without digests are left blank")
    } else {
        format!("share of the {unit}'s papers that carry the keyword; breaks are periods without digests")
    };
    let body = titled(root, title, &subtitle)?;
    let (w, _) = body.dim_in_pixel();
    let (plot, side) = body.split_horizontally(w - LEGEND_WIDTH);
    let (x0, x1) = data.axis.range();
    let top = if stacked {
        1.0
    } else {
        let max = data.lines.iter().flat_map(|l| l.1.iter().map(|p| p.1)).fold(0.0, f64::max);
        (max * 1.15).max(0.05)
    };
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(10)
        .margin_right(20)
        .margin_bottom(10)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(x0 as f64 - 0.5..x1 as f64 + 0.5, 0.0..top)
        .map_err(fail)?;
    let axis = &data.axis;
    chart
        .configure_mesh()
        .x_labels(x_label_count(plot.dim_in_pixel().0, x1 - x0 + 1))
        .x_label_formatter(&|x| {
            if (x - x.round()).abs() < 1e-6 { axis.label_of(x.round() as i64) } else { String::new() }
        })
        .y_label_formatter(&percent)
        .y_desc(if stacked { "share of mentions" } else { "share of papers" })
        .label_style(text_style(13, INK))
        .axis_desc_style(text_style(14, MUTED))
        .max_light_lines(1)
        .light_line_style(RGBColor(244, 244, 247))
        .bold_line_style(RGBColor(222, 222, 228))
        .draw()
        .map_err(fail)?;
    let colors: Vec<RGBColor> = (0..data.lines.len())
        .map(|i| if stacked && data.lines[i].0 == "Other themes" { OTHER } else { PALETTE[i % PALETTE.len()] })
        .collect();
    if stacked {
        let mut below: Vec<(i64, f64)> =
            data.lines.first().map(|l| l.1.iter().map(|p| (p.0, 0.0)).collect()).unwrap_or_default();
        for ((_, points), color) in data.lines.iter().zip(&colors) {
            let above: Vec<(i64, f64)> = points.iter().zip(&below).map(|(p, b)| (p.0, p.1 + b.1)).collect();
            for (up, down) in runs(&above, axis).into_iter().zip(runs(&below, axis)) {
                let (up, down) = (widen(&up), widen(&down));
                let polygon: Vec<(f64, f64)> = up.iter().copied().chain(down.iter().rev().copied()).collect();
                chart.draw_series(std::iter::once(Polygon::new(polygon, color.mix(0.9).filled()))).map_err(fail)?;
            }
            below = above;
        }
    } else {
        for ((_, points), color) in data.lines.iter().zip(&colors) {
            for run in runs(points, axis) {
                let run: Vec<(f64, f64)> = run.iter().map(|(k, v)| (*k as f64, *v)).collect();
                let style = color.stroke_width(3);
                chart.draw_series(LineSeries::new(run.iter().copied(), style)).map_err(fail)?;
                chart.draw_series(run.iter().map(|&p| Circle::new(p, 3, color.filled()))).map_err(fail)?;
            }
        }
    }
    let items: Vec<(String, RGBColor)> = data.lines.iter().map(|l| l.0.clone()).zip(colors).collect();
    legend(&side, &items)
}

/// Points as f64 coordinates; a one-period run gets 0.4 of a period on each side, so that an
/// area has a width.
fn widen(run: &[(i64, f64)]) -> Vec<(f64, f64)> {
    match run {
        [(k, v)] => vec![(*k as f64 - 0.4, *v), (*k as f64 + 0.4, *v)],
        _ => run.iter().map(|(k, v)| (*k as f64, *v)).collect(),
    }
}

/// Horizontal bars of the top keywords of one period, labels beside the bars.
pub fn bars<DB: DrawingBackend>(root: &Area<DB>, data: &Bars, title: &str) -> Drawn {
    let subtitle = format!("papers per keyword in {} ({} papers)", data.period, data.papers);
    let body = titled(root, title, &subtitle)?;
    let n = data.bars.len().max(1);
    let max = data.bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let mut chart = ChartBuilder::on(&body)
        .margin_left(20)
        .margin_right(30)
        .margin_bottom(10)
        .x_label_area_size(36)
        .build_cartesian_2d(0.0..f64::from(max) * 1.9, 0.0..n as f64)
        .map_err(fail)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_desc("papers")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .label_style(text_style(13, INK))
        .axis_desc_style(text_style(14, MUTED))
        .max_light_lines(1)
        .light_line_style(RGBColor(244, 244, 247))
        .draw()
        .map_err(fail)?;
    let style = text_style(14, INK).pos(Pos::new(HPos::Left, VPos::Center));
    let plot_width = chart.plotting_area().dim_in_pixel().0;
    for (i, (term, count)) in data.bars.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let end = f64::from(*count);
        chart
            .draw_series(std::iter::once(Rectangle::new([(0.0, y + 0.18), (end, y + 0.82)], PALETTE[0].filled())))
            .map_err(fail)?;
        // The label goes after the bar, shortened to the room left there.
        let room = f64::from(plot_width) * (1.0 - end / (f64::from(max) * 1.9)) - 16.0;
        let label = fit(root, &format!("{term} ({count})"), &style, room.max(40.0) as u32);
        chart
            .draw_series(std::iter::once(Text::new(label, (end + f64::from(max) * 0.02, y + 0.5), style.clone())))
            .map_err(fail)?;
    }
    Ok(())
}
