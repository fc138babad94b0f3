//! JSON, JSON lines and the Python dict literals some generators write one per line (single
//! quotes, `None`, `True`): to records, each a JSON object with the line it starts on. A whole
//! document is searched for arrays of objects (`[{…}]`, `{"papers": [{…}]}`, `{"2025-10-12":
//! [{…}]}`, the key then given as the record's `context`). serde_json reads JSON; a line it
//! rejects is read by json5, which accepts single quotes. Nesting deeper than [`MAX_DEPTH`] is
//! refused before any parser sees it, so no input can overflow the stack.

use serde_json::{Map, Value};

/// The deepest nesting of arrays and objects read.
pub const MAX_DEPTH: usize = 64;

/// A JSON object that may describe a paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub line: u32,
    pub fields: Map<String, Value>,
    /// The key of the object or array it was found under (a date, a topic).
    pub context: Option<String>,
}

/// What a JSON text holds: its records, the top-level object's scalar keys (a document date),
/// and the lines that could not be read, with why.
#[derive(Debug, Default)]
pub struct JsonDocument {
    pub records: Vec<Record>,
    pub top: Map<String, Value>,
    pub problems: Vec<(u32, String)>,
}

/// Whether a text starting with `{` or `[` reads as JSON or JSON lines.
pub fn looks_like_json(head: &str) -> bool {
    let first = head.lines().next().unwrap_or("");
    serde_json::from_str::<Value>(head).is_ok() || parse_line(first).is_ok()
}

/// Where a scan of JSON or Python text is: inside a string (and its quote), after a backslash.
#[derive(Default)]
struct Quotes {
    quote: Option<char>,
    escaped: bool,
}

impl Quotes {
    /// Takes the next character; `true` when it is outside any string (a quote that opens or
    /// closes a string counts as inside).
    fn outside(&mut self, c: char) -> bool {
        match self.quote {
            Some(q) => {
                if self.escaped {
                    self.escaped = false;
                } else if c == '\\' {
                    self.escaped = true;
                } else if c == q {
                    self.quote = None;
                }
                false
            }
            None if c == '"' || c == '\'' => {
                self.quote = Some(c);
                false
            }
            None => true,
        }
    }
}

/// The deepest nesting of brackets outside strings.
fn depth(text: &str) -> usize {
    let (mut depth, mut max, mut quotes) = (0usize, 0usize, Quotes::default());
    for c in text.chars() {
        if !quotes.outside(c) {
            continue;
        }
        match c {
            '[' | '{' => {
                depth += 1;
                max = max.max(depth);
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Python's `None`, `True` and `False` outside strings, as JSON5 writes them.
fn python_literals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quotes = Quotes::default();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(match word.as_str() {
            "None" => "null",
            "True" => "true",
            "False" => "false",
            w => w,
        });
        word.clear();
    };
    for c in text.chars() {
        if quotes.quote.is_none() && (c.is_ascii_alphanumeric() || c == '_') {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        quotes.outside(c);
        out.push(c);
    }
    flush(&mut word, &mut out);
    out
}

fn parse_line(line: &str) -> Result<Value, String> {
    if depth(line) > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels; not read"));
    }
    serde_json::from_str::<Value>(line).or_else(|json_err| {
        json5::from_str::<Value>(&python_literals(line))
            .map_err(|_| format!("neither JSON nor a Python/JSON5 literal: {json_err}"))
    })
}

/// The scalar keys of a top-level object (a document's date or title).
fn scalars(value: &Value) -> Map<String, Value> {
    let Value::Object(top) = value else { return Map::new() };
    top.iter().filter(|(_, v)| !v.is_array() && !v.is_object()).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Reads a YAML data file as the JSON it stands for.
pub fn yaml_document(text: &str) -> JsonDocument {
    let mut doc = JsonDocument::default();
    match serde_yaml::from_str::<Value>(text) {
        Ok(value) => {
            doc.top = scalars(&value);
            collect(value, None, 1, &mut doc.records);
        }
        Err(err) => {
            let line = err.location().map_or(1, |l| u32::try_from(l.line()).unwrap_or(1));
            doc.problems.push((line, format!("not YAML: {err}")));
        }
    }
    doc
}

/// Reads a JSON document or JSON lines.
pub fn document(text: &str) -> JsonDocument {
    let mut doc = JsonDocument::default();
    if depth(text) > MAX_DEPTH {
        doc.problems.push((1, format!("nested deeper than {MAX_DEPTH} levels; not read")));
        return doc;
    }
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        if let Value::Object(top) = &value {
            doc.top = top
                .iter()
                .filter(|(_, v)| !v.is_array() && !v.is_object())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
        }
        collect(value, None, 1, &mut doc.records);
        return doc;
    }
    for (i, line) in text.lines().enumerate() {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line.trim()) {
            Ok(value) => collect(value, None, no, &mut doc.records),
            Err(why) => doc.problems.push((no, why)),
        }
    }
    doc
}

/// Every object of a value that describes something rather than holds a list of things, without
/// recursion. An object that holds lists of objects and has no title of its own
/// (`{"date": …, "papers": [{…}]}`) is a container; every other object is a record, even one
/// whose authors are objects (`{"title": …, "authors": [{"name": …}]}`).
fn collect(value: Value, context: Option<String>, line: u32, out: &mut Vec<Record>) {
    let mut stack = vec![(value, context)];
    while let Some((value, context)) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items.into_iter().rev().map(|v| (v, context.clone()))),
            Value::Object(map) => {
                let holds_lists = map.values().any(is_list_of_objects);
                if holds_lists && !has_title(&map) {
                    let mut nested: Vec<(Value, Option<String>)> = Vec::new();
                    for (k, v) in map {
                        if is_list_of_objects(&v) || v.is_object() {
                            nested.push((v, Some(k)));
                        }
                    }
                    stack.extend(nested.into_iter().rev());
                } else if !map.is_empty() {
                    out.push(Record { line, fields: map, context });
                }
            }
            _ => {}
        }
    }
}

/// Whether an object has a title of its own (`title`, `paper_title`, `题目` …).
fn has_title(map: &Map<String, Value>) -> bool {
    map.iter().any(|(k, v)| {
        let k = k.to_lowercase();
        v.is_string() && (k.contains("title") || ["题目", "标题", "제목", "titre", "titel"].contains(&k.as_str()))
    })
}

fn is_list_of_objects(v: &Value) -> bool {
    v.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_object))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_dict_lines_are_read() {
        let doc =
            document("{'arxiv_id': 'arXiv:2505.20227', 'title': \"Measure Domain's Gap\", 'ok': True, 'x': None}\n");
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        assert_eq!(doc.records[0].fields["title"], "Measure Domain's Gap");
        assert_eq!(doc.records[0].fields["ok"], true);
    }

    #[test]
    fn containers_with_counts_and_records_with_author_objects() {
        let doc = document(
            r#"{"count": 2, "date": "2025-10-12", "papers": [{"title": "A", "authors": [{"name": "X"}]}, {"title": "B"}]}"#,
        );
        let titles: Vec<&Value> = doc.records.iter().map(|r| &r.fields["title"]).collect();
        assert_eq!(titles, ["A", "B"]);
        assert_eq!(doc.top["count"], 2);
    }

    #[test]
    fn yaml_data_files() {
        let doc =
            yaml_document("date: 2025-10-12\npapers:\n  - title: A Paper\n    url: https://arxiv.org/abs/2510.00001\n");
        assert_eq!((doc.records.len(), doc.top["date"].as_str()), (1, Some("2025-10-12")));
        assert_eq!(yaml_document("a: [unclosed").problems.len(), 1);
    }

    #[test]
    fn nested_documents_and_bad_lines() {
        let doc = document(r#"{"date": "2025-10-12", "papers": [{"title": "A"}, {"title": "B"}]}"#);
        assert_eq!(doc.records.len(), 2);
        assert_eq!(doc.records[1].context.as_deref(), Some("papers"));
        assert_eq!(doc.top["date"], "2025-10-12");
        let doc = document("{\"title\": \"A\"}\nnot json\n");
        assert_eq!((doc.records.len(), doc.problems[0].0), (1, 2));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(document(&deep).problems.len(), 1);
    }
}
