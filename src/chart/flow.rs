//! The evolution chart: an alluvial diagram. One column per slice, one box per cluster (its
//! height for its papers), and a band from a cluster to each cluster of the next slice it links
//! to, as thick as the link's inclusion index.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::Flow;
use super::draw::{Area, Drawn, MUTED, PALETTE, fail, fit, text_style, titled};

const BOX: i32 = 14;

pub fn evolution<DB: DrawingBackend>(root: &Area<DB>, data: &Flow, title: &str) -> Drawn {
    let hidden = if data.hidden > 0 { format!("; {} smaller clusters not drawn", data.hidden) } else { String::new() };
    let subtitle = format!(
        "co-word clusters per slice, boxes by papers; bands link clusters that share keywords, as thick as the inclusion index{hidden}"
    );
    let area = titled(root, title, &subtitle)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (i32::try_from(w).unwrap_or(960), i32::try_from(h).unwrap_or(470));
    if data.columns.is_empty() {
        let style = text_style(16, MUTED).pos(Pos::new(HPos::Center, VPos::Center));
        return area.draw_text("no keyword clusters in the range", &style, (w / 2, h / 2)).map_err(fail);
    }
    let n = i32::try_from(data.columns.len()).unwrap_or(1);
    let (left, right, top, bottom) = (20, w - 20, 10, h - 34);
    let step = if n > 1 { (right - left - 150) / (n - 1) } else { 0 };
    let x = |c: usize| left + step * i32::try_from(c).unwrap_or(0);
    let total = data.columns.iter().map(|(_, b)| b.iter().map(|x| f64::from(x.1)).sum::<f64>()).fold(1.0, f64::max);
    let gap = 8;
    let most = data.columns.iter().map(|(_, b)| b.len()).max().unwrap_or(1);
    let room = f64::from(bottom - top - gap * i32::try_from(most).unwrap_or(1));
    let scale = room.max(10.0) / total;
    // (top, bottom) of every box.
    let spans: Vec<Vec<(i32, i32)>> = data
        .columns
        .iter()
        .map(|(_, boxes)| {
            let mut y = top;
            boxes
                .iter()
                .map(|(_, papers)| {
                    let height = ((f64::from(*papers) * scale).round() as i32).max(4);
                    let span = (y, y + height);
                    y += height + gap;
                    span
                })
                .collect()
        })
        .collect();
    for &((fs, fb), (ts, tb), inclusion) in &data.bands {
        let (a, b) = (spans[fs][fb], spans[ts][tb]);
        let thick = (f64::from((a.1 - a.0).min(b.1 - b.0)) * inclusion).max(2.0);
        let (ya, yb) = (f64::from(a.0 + a.1) / 2.0, f64::from(b.0 + b.1) / 2.0);
        let (x0, x1) = (f64::from(x(fs) + BOX), f64::from(x(ts)));
        let steps = 24;
        let point = |t: f64, offset: f64| {
            let s = t * t * (3.0 - 2.0 * t);
            ((x0 + (x1 - x0) * t).round() as i32, (ya + (yb - ya) * s + offset).round() as i32)
        };
        let mut outline: Vec<(i32, i32)> =
            (0..=steps).map(|k| point(f64::from(k) / f64::from(steps), -thick / 2.0)).collect();
        outline.extend((0..=steps).rev().map(|k| point(f64::from(k) / f64::from(steps), thick / 2.0)));
        let color = PALETTE[fb % PALETTE.len()].mix(0.35);
        area.draw(&Polygon::new(outline, color.filled())).map_err(fail)?;
    }
    let label_style = text_style(12, super::draw::INK).pos(Pos::new(HPos::Left, VPos::Center));
    for (c, (_, boxes)) in data.columns.iter().enumerate() {
        let room = u32::try_from(if c + 1 < data.columns.len() { step - BOX - 8 } else { right - x(c) - BOX - 6 })
            .unwrap_or(60);
        for (b, (label, papers)) in boxes.iter().enumerate() {
            let (y0, y1) = spans[c][b];
            area.draw(&Rectangle::new([(x(c), y0), (x(c) + BOX, y1)], PALETTE[b % PALETTE.len()].filled()))
                .map_err(fail)?;
            let text = fit(&area, &format!("{label} ({papers})"), &label_style, room.max(20));
            area.draw_text(&text, &label_style, (x(c) + BOX + 4, (y0 + y1) / 2)).map_err(fail)?;
        }
    }
    let period_style = text_style(13, MUTED).pos(Pos::new(HPos::Left, VPos::Top));
    for (c, (label, _)) in data.columns.iter().enumerate() {
        area.draw_text(label, &period_style, (x(c), bottom + 10)).map_err(fail)?;
    }
    Ok(())
}
