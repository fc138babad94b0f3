//! Tables read row by row: columns named by their header row through the label dictionary
//! (Title, Authors, Publish Date, PDF, 题目, 关键词 …), `**bold**` and `<details>` cells unwrapped.

use super::entry::apply;
use super::structure::Structure;
use super::{listed_under, useful_title};
use crate::formats::fields;
use crate::formats::labels::{Field, Labels};
use crate::model::{Diagnostics, Entry, TitleSource};
use crate::read::Kind;

/// Reads the tables of a document whose header row names paper columns.
pub(super) fn table_entries(s: &Structure<'_>, labels: &Labels, diags: &mut Diagnostics) -> Vec<Entry> {
    // At most a row each: reserved, as the rows of a long table are thousands of entries.
    let rows = s.blocks.iter().filter(|b| matches!(b.kind, Kind::Row { header: false, .. })).count();
    let mut out = Vec::with_capacity(rows);
    let mut columns: Vec<Option<Field>> = Vec::new();
    for (i, b) in s.blocks.iter().enumerate() {
        let Kind::Row { header, .. } = b.kind else { continue };
        if header {
            columns = b.cells.iter().map(|c| labels.field(&c.text)).collect();
            continue;
        }
        let paper_table = columns.iter().any(|c| matches!(c, Some(Field::Title | Field::Link)));
        if !paper_table && s.ids[i].is_empty() {
            continue;
        }
        if let Some(entry) = row_entry(s, labels, i, &columns, diags) {
            out.push(entry);
        }
    }
    out
}

fn row_entry(
    s: &Structure<'_>,
    labels: &Labels,
    i: usize,
    columns: &[Option<Field>],
    diags: &mut Diagnostics,
) -> Option<Entry> {
    let b = &s.blocks[i];
    let mut entry = Entry { line: b.line, ..Entry::default() };
    for (cell, field) in b.cells.iter().zip(columns.iter().copied()) {
        match field {
            Some(Field::Title) => {
                entry.title = useful_title(&cell.text);
                entry.title_source = entry.title.as_ref().map(|_| TitleSource::Label);
                if let Some(d) = &cell.details {
                    entry.abstract_text = Some(d.clone());
                }
                if entry.url.is_none() {
                    entry.url = cell.links.first().map(|l| l.href.clone());
                }
            }
            Some(Field::Link) => {
                let link = cell.links.iter().find(|l| !fields::arxiv_refs(&l.href).is_empty()).or(cell.links.first());
                if let Some(l) = link {
                    entry.url = Some(l.href.clone());
                }
            }
            Some(Field::Code | Field::Ignore) | None => {}
            Some(f) => apply(&mut entry, f, b.line, cell.details.as_deref().unwrap_or(&cell.text), diags),
        }
    }
    // The id: from the link columns first, then any cell but code links.
    let from_columns = b.cells.iter().zip(columns).filter(|(_, f)| matches!(f, Some(Field::Link | Field::Title)));
    let id = from_columns
        .flat_map(|(c, _)| c.links.iter().flat_map(|l| fields::arxiv_refs(&l.href)).chain(fields::arxiv_refs(&c.text)))
        .next()
        .or_else(|| s.ids[i].first().cloned());
    if let Some(r) = id {
        entry.arxiv_id = Some(r.id);
        entry.arxiv_version = r.version;
    }
    if entry.title.is_none() {
        entry.title = b.all_links().find_map(|l| useful_title(&l.text).filter(|t| t.split_whitespace().count() >= 2));
        entry.title_source = entry.title.as_ref().map(|_| TitleSource::LinkText);
    }
    entry.listed_under = listed_under(s, labels, s.enclosing(i).iter().copied());
    (entry.arxiv_id.is_some() || entry.title.is_some()).then_some(entry)
}
