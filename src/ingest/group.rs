//! What a digest is, across files: an index page and the per-paper pages it links (a Jekyll
//! site's day folder) are one digest; a digest and its copy in another syntax in the same folder
//! (a README and its JSON lines, a Markdown file and its HTML rendering) are one digest; a folder
//! of per-paper pages of one day without an index is one digest. Within a group a paper listed
//! several times is one entry with the fields of all its listings.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::formats::content_hash;
use crate::formats::merge::{key, merge_listings};
use crate::model::{Diagnostic, Digest, Severity};
use crate::store::DigestRecord;

/// A digest read from one file, before grouping.
#[derive(Debug, Clone)]
pub struct Piece {
    pub id: String,
    pub path: String,
    pub input: String,
    pub bytes: u64,
    pub digest: Digest,
}

fn folder(path: &str) -> &str {
    path.rsplit_once(['/', '\\']).map_or("", |(dir, _)| dir)
}

/// The syntax family of a path: copies are in another family.
pub fn family(path: &str) -> &'static str {
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "json" | "jsonl" | "ndjson" | "json5" => "json",
        "html" | "htm" | "xhtml" => "html",
        _ => "text",
    }
}

/// A relative link resolved against the folder of the page that holds it, `.` and `..` folded.
fn resolve(from: &str, href: &str) -> Option<String> {
    if href.contains("://") || href.starts_with(['#', '/']) || href.starts_with("mailto:") {
        return None;
    }
    let href = href.split(['#', '?']).next()?;
    Some(fold(&Path::new(folder(from)).join(href)))
}

/// A path with `.` and `..` folded away where they can be, as the same file is named from
/// different folders.
fn fold(path: &Path) -> String {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                let pops = out.components().next_back().is_some_and(|c| matches!(c, Component::Normal(_)));
                if !pops || !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.to_string_lossy().into_owned()
}

/// The path without its extension, as pages and their renderings share it.
fn stem(path: &str) -> &str {
    let name_at = path.rfind(['/', '\\']).map_or(0, |i| i + 1);
    path[name_at..].rfind('.').map_or(path, |dot| &path[..name_at + dot])
}

struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, i: usize) -> usize {
        let mut r = i;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut j = i;
        while self.0[j] != r {
            let next = self.0[j];
            self.0[j] = r;
            j = next;
        }
        r
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// The folders of `paths` that hold files of two or more syntax families: only there can a
/// digest have a copy in another syntax.
pub fn mixed_folders<'a>(paths: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    let mut families: HashMap<&str, &str> = HashMap::new();
    let mut mixed = HashSet::new();
    for path in paths {
        let (dir, fam) = (folder(path), family(path));
        match families.get(dir) {
            Some(&have) if have != fam => {
                mixed.insert(dir.to_owned());
            }
            Some(_) => {}
            None => {
                families.insert(dir, fam);
            }
        }
    }
    mixed
}

/// Whether `group` may join this piece with another: a one-paper page (a linked page, or one of a
/// folder of pages), a page that links others by relative paths (an index), or a piece in a
/// folder of `mixed_folders` (a copy). Every other piece is a digest on its own, whatever else
/// is read: it can become its record at once (`alone`).
pub fn may_join(p: &Piece, mixed: &HashSet<String>) -> bool {
    p.digest.entries.len() == 1
        || mixed.contains(folder(&p.path))
        || p.digest.entries.iter().any(|e| e.url.as_deref().and_then(|u| resolve(&p.path, u)).is_some())
}

/// The record of a piece that joins no other (see `may_join`), as `group` would make it.
pub fn alone(p: Piece) -> DigestRecord {
    record(p)
}

fn keys(d: &Digest) -> HashSet<String> {
    d.entries.iter().filter_map(key).collect()
}

/// Groups pieces into digests and turns them into records, with a note for each grouped file.
pub fn group(pieces: Vec<Piece>) -> (Vec<DigestRecord>, Vec<Diagnostic>) {
    let n = pieces.len();
    let mut sets = Sets((0..n).collect());
    let folded: Vec<String> = pieces.iter().map(|p| fold(Path::new(&p.path))).collect();
    let by_stem: HashMap<&str, Vec<usize>> = folded.iter().enumerate().fold(HashMap::new(), |mut m, (i, p)| {
        m.entry(stem(p)).or_default().push(i);
        m
    });
    // Index pages and the pages they link; the index's row then carries the page's id.
    let mut links: Vec<(usize, usize, usize)> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        for (k, e) in p.digest.entries.iter().enumerate() {
            let Some(target) = e.url.as_deref().and_then(|u| resolve(&p.path, u)) else { continue };
            for &j in by_stem.get(stem(&target)).into_iter().flatten() {
                if j != i && pieces[j].digest.entries.len() == 1 {
                    links.push((i, k, j));
                }
            }
        }
    }
    for &(i, _, j) in &links {
        sets.union(i, j);
    }
    // Copies in another syntax, and one-paper pages of one day, in one folder: only pieces of one
    // folder and one date are compared, so a folder of thousands of daily files costs no more
    // than its days.
    let mut by_day: BTreeMap<(&str, Option<chrono::NaiveDate>), Vec<usize>> = BTreeMap::new();
    for (i, p) in pieces.iter().enumerate() {
        by_day.entry((folder(&p.path), p.digest.date.map(|d| d.date))).or_default().push(i);
    }
    for ((_, day), members) in &by_day {
        let page = |i: usize| pieces[i].digest.format == "generic" && pieces[i].digest.entries.len() == 1;
        let pages: Vec<usize> = members.iter().copied().filter(|&i| day.is_some() && page(i)).collect();
        for w in pages.windows(2) {
            sets.union(w[0], w[1]);
        }
        let families: BTreeSet<&str> = members.iter().map(|&i| family(&pieces[i].path)).collect();
        if families.len() < 2 {
            continue;
        }
        let key_sets: Vec<HashSet<String>> = members.iter().map(|&i| keys(&pieces[i].digest)).collect();
        for (a, &i) in members.iter().enumerate() {
            for (b, &j) in members.iter().enumerate().skip(a + 1) {
                if family(&pieces[i].path) == family(&pieces[j].path) {
                    continue;
                }
                let smaller = key_sets[a].len().min(key_sets[b].len());
                let shared = key_sets[a].intersection(&key_sets[b]).count();
                if smaller > 0 && shared * 2 >= smaller {
                    sets.union(i, j);
                }
            }
        }
    }
    let mut pieces: Vec<Option<Piece>> = pieces.into_iter().map(Some).collect();
    debug_assert_eq!(pieces.len(), n);
    for (i, k, j) in links {
        let page_entry = pieces[j].as_ref().and_then(|p| p.digest.entries.first().cloned());
        if let (Some(index), Some(page)) = (pieces[i].as_mut(), page_entry)
            && let Some(e) = index.digest.entries.get_mut(k)
            && e.arxiv_id.is_none()
        {
            e.arxiv_id = page.arxiv_id;
            e.arxiv_version = page.arxiv_version;
            e.url = page.url.or(e.url.take());
        }
    }
    let mut groups: BTreeMap<usize, Vec<Piece>> = BTreeMap::new();
    for (i, piece) in pieces.into_iter().enumerate() {
        groups.entry(sets.find(i)).or_default().extend(piece);
    }
    let mut records = Vec::with_capacity(groups.len());
    let mut diags = Vec::new();
    for (_, members) in groups {
        records.push(merge_group(members, &mut diags));
    }
    (records, diags)
}

fn record(p: Piece) -> DigestRecord {
    DigestRecord {
        digest_id: p.id,
        source_file: p.path.clone(),
        files: vec![p.path],
        input: p.input,
        format: p.digest.format.clone(),
        bytes: p.bytes,
        digest: p.digest,
    }
}

/// One digest of a group: the piece with the most entries leads (an index), the others add theirs.
fn merge_group(mut members: Vec<Piece>, diags: &mut Vec<Diagnostic>) -> DigestRecord {
    if members.len() == 1 {
        return record(members.remove(0));
    }
    members.sort_by(|a, b| b.digest.entries.len().cmp(&a.digest.entries.len()).then(a.path.cmp(&b.path)));
    let mut ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    let id = content_hash(ids.join(",").as_bytes());
    let mut files: Vec<String> = members.iter().map(|m| m.path.clone()).collect();
    files.sort();
    let bytes = members.iter().map(|m| m.bytes).sum();
    let mut rest = members.split_off(1);
    let lead = members.remove(0);
    let mut digest = lead.digest;
    for m in &rest {
        diags.push(Diagnostic {
            source_file: m.path.clone(),
            line: 0,
            severity: Severity::Info,
            code: "grouped",
            message: format!("read as part of the digest of {} (a linked page or a copy)", lead.path),
        });
    }
    let mut entries = std::mem::take(&mut digest.entries);
    for m in rest.iter_mut() {
        entries.append(&mut m.digest.entries);
        digest.themes.append(&mut m.digest.themes);
        digest.date = digest.date.or(m.digest.date);
        digest.title = digest.title.take().or(m.digest.title.take());
    }
    digest.entries = merge_listings(entries);
    for (i, e) in digest.entries.iter_mut().enumerate() {
        e.position = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    DigestRecord {
        digest_id: id,
        source_file: lead.path,
        files,
        input: lead.input,
        format: digest.format.clone(),
        bytes,
        digest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entry;

    fn piece(path: &str, entries: Vec<Entry>) -> Piece {
        let date = crate::formats::dates::date_from_path(path);
        Piece {
            id: path.to_owned(),
            path: path.to_owned(),
            input: "in".into(),
            bytes: 1,
            digest: Digest { format: "generic".into(), date, entries, ..Digest::default() },
        }
    }

    fn paper(id: &str) -> Entry {
        Entry { arxiv_id: Some(id.into()), title: Some(format!("T {id}")), ..Entry::default() }
    }

    #[test]
    fn an_index_and_its_pages_are_one_digest() {
        let row = Entry { title: Some("Row".into()), url: Some("./papers/a.html".into()), ..Entry::default() };
        let pieces = vec![
            piece("d/2025-10-12/index.md", vec![row]),
            piece("d/2025-10-12/papers/a.md", vec![paper("2510.00001")]),
            piece("d/2025-10-13/index.md", vec![paper("2510.00009")]),
        ];
        let (records, diags) = group(pieces);
        assert_eq!(records.len(), 2);
        let day = records.iter().find(|r| r.files.len() == 2).expect("grouped");
        assert_eq!(day.source_file, "d/2025-10-12/index.md");
        assert_eq!(day.digest.entries.len(), 1);
        assert_eq!(day.digest.entries[0].arxiv_id.as_deref(), Some("2510.00001"));
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn a_copy_in_another_syntax_joins_but_a_revision_does_not() {
        let copy = vec![
            piece("t/27-May-2025/IR/README.md", vec![paper("2505.00001"), paper("2505.00002")]),
            piece("t/27-May-2025/IR/papers.jsonl", vec![paper("2505.00002"), paper("2505.00001")]),
        ];
        let (records, _) = group(copy);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].digest.entries.len(), 2);
        let revisions = vec![
            piece("t/27-May-2025/IR/README.md", vec![paper("2505.00001"), paper("2505.00002")]),
            piece("t/27-May-2025/IR/README.rev.md", vec![paper("2505.00001"), paper("2505.00002")]),
        ];
        assert_eq!(group(revisions).0.len(), 2);
    }

    #[test]
    fn pieces_that_may_join_none_are_their_own_records_as_group_makes_them() {
        let row = Entry { title: Some("Row".into()), url: Some("./papers/a.html".into()), ..Entry::default() };
        let two = || vec![paper("2505.00001"), paper("2505.00002")];
        let pieces = vec![
            piece("d/2025-10-12/index.md", vec![row]),
            piece("d/2025-10-12/papers/a.md", vec![paper("2510.00001")]),
            piece("t/27-May-2025/IR/README.md", two()),
            piece("t/27-May-2025/IR/papers.jsonl", two()),
            piece("s/2025-05-27.md", two()),
            piece("s/2025-05-28.md", vec![paper("2505.00003"), paper("2505.00004")]),
        ];
        let mixed = mixed_folders(pieces.iter().map(|p| p.path.as_str()));
        assert_eq!(mixed.into_iter().collect::<Vec<_>>(), ["t/27-May-2025/IR"]);
        let mixed = mixed_folders(pieces.iter().map(|p| p.path.as_str()));
        let joins: Vec<bool> = pieces.iter().map(|p| may_join(p, &mixed)).collect();
        assert_eq!(joins, [true, true, true, true, false, false]);
        let ids = |records: Vec<DigestRecord>| {
            let mut ids: Vec<(String, Vec<String>)> = records.into_iter().map(|r| (r.digest_id, r.files)).collect();
            ids.sort();
            ids
        };
        let whole = ids(group(pieces.clone()).0);
        let (held, alone_ones): (Vec<Piece>, Vec<Piece>) = pieces.into_iter().partition(|p| may_join(p, &mixed));
        let mut split = group(held).0;
        split.extend(alone_ones.into_iter().map(alone));
        assert_eq!(ids(split), whole);
        assert_eq!(whole.len(), 4);
    }
}
