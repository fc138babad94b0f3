//! JSON records to entries, keys mapped through the label dictionary (`title`, `authors`,
//! `abstract`, `arxiv_id`/`id`/`link`/`url`, `published`/`date`, `keywords`/`tags`, `upvotes` …).
//! A record's nested objects lend it their keys (a Hugging Face listing's `paper`). Records found
//! under date keys (`{"2025-10-12": […], "2025-10-13": […]}`) are one digest per date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::dates::{self, dated};
use super::fields;
use super::generic::apply;
use super::labels::{Field, Labels};
use super::merge::merge_listings;
use crate::model::{DateSource, Diagnostics, Digest, Entry, TitleSource};
use crate::read::json::{JsonDocument, Record};

/// A value as text: strings as they are, numbers written out, lists of names joined by commas.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|v| match v {
                    Value::Object(o) => {
                        ["name", "fullname", "full_name", "user"].iter().find_map(|k| o.get(*k)).and_then(text)
                    }
                    other => text(other),
                })
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Object(o) => ["name", "fullname", "title"].iter().find_map(|k| o.get(*k)).and_then(text),
        _ => None,
    }
}

/// The record's keys and those of the objects nested in it (one level), the record's own first.
fn flattened(fields: &Map<String, Value>) -> Vec<(&str, &Value)> {
    let mut out: Vec<(&str, &Value)> = fields.iter().map(|(k, v)| (k.as_str(), v)).collect();
    for v in fields.values() {
        if let Value::Object(inner) = v {
            out.extend(inner.iter().filter(|(k, _)| !fields.contains_key(k.as_str())).map(|(k, v)| (k.as_str(), v)));
        }
    }
    out
}

fn entry(record: &Record, labels: &Labels, diags: &mut Diagnostics) -> Option<Entry> {
    let mut entry = Entry { line: record.line, ..Entry::default() };
    let pairs = flattened(&record.fields);
    let has_abstract = pairs.iter().any(|(k, _)| labels.field(k) == Some(Field::Abstract));
    for (key, value) in &pairs {
        let Some(field) = labels.field(key) else { continue };
        // `summary` is the abstract in arXiv's and Hugging Face's own records.
        let field = if field == Field::Summary && !has_abstract { Field::Abstract } else { field };
        let Some(v) = text(value) else { continue };
        match field {
            Field::Title if entry.title.is_none() => {
                entry.title = Some(fields::squash(&v)).filter(|t| !t.is_empty());
                entry.title_source = entry.title.as_ref().map(|_| TitleSource::Record);
            }
            Field::Keywords | Field::Authors if value.is_array() => apply(&mut entry, field, record.line, &v, diags),
            _ => apply(&mut entry, field, record.line, &v, diags),
        }
    }
    if entry.arxiv_id.is_none() {
        // An id under another key, in any string value that links arXiv.
        let linked =
            pairs.iter().filter_map(|(_, v)| v.as_str()).filter(|s| s.contains("arxiv.org")).find_map(fields::arxiv_id);
        if let Some(r) = linked {
            entry.arxiv_id = Some(r.id);
            entry.arxiv_version = r.version;
        }
    }
    if let Some(topic) = record.context.as_deref().filter(|c| dates::date_in(c).is_none() && labels.field(c).is_none())
    {
        entry.listed_under.push(topic.to_owned());
    }
    (entry.arxiv_id.is_some() || entry.title.is_some()).then_some(entry)
}

/// The digests of a JSON document: one, or one per date key.
pub fn read(doc: &JsonDocument, labels: &Labels, diags: &mut Diagnostics) -> Vec<Digest> {
    for (line, why) in &doc.problems {
        diags.warn(*line, "bad-record", format!("skipped: {why}"));
    }
    let top_date = doc
        .top
        .iter()
        .find(|(k, _)| labels.field(k) == Some(Field::Date))
        .and_then(|(_, v)| v.as_str())
        .and_then(dates::date_in);
    let top_title = doc.top.iter().find(|(k, _)| labels.field(k) == Some(Field::Title)).and_then(|(_, v)| text(v));
    let mut by_date: BTreeMap<Option<NaiveDate>, Vec<Entry>> = BTreeMap::new();
    for record in &doc.records {
        let day = record.context.as_deref().and_then(dates::date_in);
        if let Some(e) = entry(record, labels, diags) {
            by_date.entry(day).or_default().push(e);
        }
    }
    if by_date.is_empty() {
        by_date.insert(None, Vec::new());
    }
    by_date
        .into_iter()
        .map(|(day, entries)| Digest {
            title: top_title.clone(),
            date: day
                .map(|d| dated(d, DateSource::DateLabel))
                .or_else(|| top_date.map(|d| dated(d, DateSource::DateLabel))),
            entries: merge_listings(entries),
            ..Digest::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json::document;

    #[test]
    fn keys_map_through_the_dictionary() {
        let doc = document(
            "{'arxiv_id': 'arXiv:2505.20227', 'title': 'A Title', 'authors': 'Yi Wen, Yue Liu', 'link': 'https://arxiv.org/abs/2505.20227', 'abstract': 'Text.'}\n",
        );
        let d = read(&doc, Labels::built_in(), &mut Diagnostics::new("t"));
        let e = &d[0].entries[0];
        assert_eq!((e.arxiv_id.as_deref(), e.title.as_deref()), (Some("2505.20227"), Some("A Title")));
        assert_eq!(e.authors, ["Yi Wen", "Yue Liu"]);
        assert_eq!(e.abstract_text.as_deref(), Some("Text."));
    }

    #[test]
    fn hugging_face_records_and_date_keys() {
        let doc = document(
            r#"{"2025-06-10": [{"paper": {"id": "2506.01234", "title": "HF Paper", "authors": [{"name": "A"}, {"name": "B"}], "summary": "Abs.", "upvotes": 12}}], "2025-06-11": [{"title": "Other", "url": "https://arxiv.org/abs/2506.05555v2"}]}"#,
        );
        let d = read(&doc, Labels::built_in(), &mut Diagnostics::new("t"));
        assert_eq!(d.len(), 2);
        let e = &d[0].entries[0];
        assert_eq!(e.arxiv_id.as_deref(), Some("2506.01234"));
        assert_eq!((e.authors.len(), e.upvotes), (2, Some(12)));
        assert_eq!(e.abstract_text.as_deref(), Some("Abs."));
        assert_eq!(d[1].entries[0].arxiv_version, Some(2));
        assert_eq!(d[1].date.map(|x| x.date.to_string()).as_deref(), Some("2025-06-11"));
    }
}
