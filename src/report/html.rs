//! Reports as self-contained HTML pages: the Markdown rendered with pulldown-cmark, charts inlined
//! as SVG, one stylesheet in the page, no scripts and no network requests.
//!
//! Safety: digest text is escaped in the Markdown already; here, in addition, any raw HTML that
//! reaches the renderer is turned back into text, and a link or image may only point to
//! `https://arxiv.org/`, to a relative `.html`/`.md` page or to one of the charts, which are
//! inlined. The page frame is a minijinja template with HTML auto-escaping.

use std::collections::HashMap;

use minijinja::{Environment, context};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::error::{Error, Result};

const PAGE: &str = include_str!("page.html");

/// Whether a link target is one a report may contain.
fn allowed(dest: &str) -> bool {
    dest.starts_with("https://arxiv.org/")
        || (!dest.contains(':') && !dest.starts_with("//") && (dest.ends_with(".html") || dest.ends_with(".md")))
}

/// Markdown to an HTML fragment; images whose target is a key of `inline` become that SVG.
pub fn fragment(markdown: &str, inline: &HashMap<String, String>) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut in_image = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Image { dest_url, .. }) => {
                in_image = true;
                if let Some(svg) = inline.get(dest_url.as_ref()) {
                    events.push(Event::Html(CowStr::from(format!("<figure class=\"chart\">{svg}</figure>"))));
                }
            }
            Event::End(TagEnd::Image) => in_image = false,
            _ if in_image => {}
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url =
                    if allowed(&dest_url) { dest_url.replace(".md", ".html").into() } else { CowStr::from("#") };
                events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// A full page around an HTML fragment that [`fragment`] made.
pub fn page(title: &str, body: &str) -> Result<String> {
    let mut env = Environment::new();
    env.add_template("page.html", PAGE).map_err(|e| Error::Render(format!("page template: {e}")))?;
    let template = env.get_template("page.html").map_err(|e| Error::Render(e.to_string()))?;
    template
        .render(context! { title => title, body => minijinja::Value::from_safe_string(body.to_owned()) })
        .map_err(|e| Error::Render(format!("page template: {e}")))
}

/// A sparkline of counts as a small inline SVG (numbers only, no text from digests).
pub fn sparkline(values: &[u32], width: u32, height: u32) -> String {
    let max = values.iter().copied().max().unwrap_or(1).max(1);
    let n = values.len().max(2) - 1;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = f64::from(width) * i as f64 / n as f64;
            let y = f64::from(height) - 2.0 - f64::from(height - 4) * f64::from(*v) / f64::from(max);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    format!(
        "<svg class=\"spark\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"papers per week\"><polyline fill=\"none\" stroke=\"#0072b2\" stroke-width=\"1.5\" points=\"{}\"/></svg>",
        points.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_script_links_stay_text() {
        let md = "<script>alert(1)</script> and <img src=x onerror=alert(1)>\n\n[x](javascript:void) [y](//evil.example/a.html)";
        let html = fragment(md, &HashMap::new());
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("href=\"//evil"), "{html}");
        assert!(html.contains("href=\"#\""), "disallowed links point nowhere: {html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_known_charts_are_inlined() {
        let inline = HashMap::from([("w/a.svg".to_owned(), "<svg id=\"a\"></svg>".to_owned())]);
        let html = fragment("![a](w/a.svg) ![b](https://evil.example/b.svg)", &inline);
        assert!(html.contains("<svg id=\"a\">"));
        assert!(!html.contains("evil.example"), "{html}");
    }

    #[test]
    fn page_escapes_its_title() {
        let page = page("<b>t</b>", "<p>ok</p>").unwrap_or_default();
        assert!(page.contains("<title>&lt;b&gt;t&lt;"), "{page}");
        assert!(!page.contains("<b>t"));
        assert!(page.contains("<p>ok</p>"));
    }
}
