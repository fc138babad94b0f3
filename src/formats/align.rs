//! Misattributed LLM-written fields. Titles, abstracts and links come from arXiv and are right;
//! keywords, summaries and critiques are written by a model and are sometimes attached to the
//! wrong paper (shifted or swapped). Each such field is scored against the title and abstract of
//! every entry within `REACH` places of its own (every entry of a digest of up to 2 × REACH + 1,
//! which LLM-written digests are; in a longer listing a field is not compared with all the
//! others, which would make reading quadratic in its entries): token overlap weighted by
//! inverse document frequency within the digest, with a quoted title as decisive evidence. When no two fields of a kind would land on the same paper
//! they are moved to the papers they describe, otherwise the suspicious ones are only reported.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::model::{Diagnostics, Digest, Entry, Severity};

/// How much better another paper must match than the entry's own for a field to move.
const MARGIN: f64 = 1.5;
/// The least share of a field's weighted tokens that must be found in the other paper.
const MIN_SCORE: f64 = 0.15;
/// How many entries before and after its own a field is compared with.
const REACH: usize = 16;

const STOPWORDS: [&str; 40] = [
    "this", "that", "with", "from", "paper", "papers", "model", "models", "language", "large", "these", "their",
    "which", "using", "based", "approach", "method", "methods", "results", "propose", "proposed", "show", "shows",
    "such", "than", "more", "into", "over", "while", "also", "both", "across", "via", "through", "where", "have",
    "been", "they", "however", "work",
];

#[derive(Debug, Clone, Copy)]
enum Kind {
    Keywords,
    Summary,
    Critique,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Keywords => "keywords",
            Kind::Summary => "summary",
            Kind::Critique => "critique",
        }
    }

    fn text(self, e: &Entry) -> Option<Cow<'_, str>> {
        match self {
            Kind::Keywords => (!e.keywords.is_empty()).then(|| Cow::Owned(e.keywords.join(" "))),
            Kind::Summary => e.summary.as_deref().map(Cow::Borrowed),
            Kind::Critique => e.critique.as_deref().map(Cow::Borrowed),
        }
    }

    /// Whether the entry has this field (what `text` gives, without building it).
    fn has(self, e: &Entry) -> bool {
        match self {
            Kind::Keywords => !e.keywords.is_empty(),
            Kind::Summary => e.summary.is_some(),
            Kind::Critique => e.critique.is_some(),
        }
    }

    fn take(self, e: &mut Entry) -> Field {
        match self {
            Kind::Keywords => Field::List(std::mem::take(&mut e.keywords)),
            Kind::Summary => Field::Text(e.summary.take()),
            Kind::Critique => Field::Text(e.critique.take()),
        }
    }

    fn put(self, e: &mut Entry, field: Field) {
        match (self, field) {
            (Kind::Keywords, Field::List(k)) => e.keywords = k,
            (Kind::Summary, Field::Text(t)) => e.summary = t,
            (Kind::Critique, Field::Text(t)) => e.critique = t,
            _ => {}
        }
    }
}

enum Field {
    List(Vec<String>),
    Text(Option<String>),
}

/// The distinct tokens of texts as sorted ids, shared by one digest's entries: words of at least
/// four characters, lower-cased, without stop words. Each word is stored once, in `arena`; the
/// table finds a word's id by its hash without a `String` per word.
#[derive(Debug)]
struct Tokens {
    /// Ids by the hash of their word; the stop words have the first `stop_ids` ids.
    table: hashbrown::HashTable<u32>,
    /// Ids below this are stop words; a token's id is its place among the others.
    stop_ids: u32,
    /// Where each id's word lies in `arena`.
    spans: Vec<(u32, u32)>,
    arena: Vec<u8>,
    hasher: foldhash::fast::FixedState,
    /// The word being looked up, lower-cased.
    word: Vec<u8>,
}

impl Default for Tokens {
    fn default() -> Self {
        let mut tokens = Tokens {
            table: hashbrown::HashTable::new(),
            spans: Vec::new(),
            arena: Vec::new(),
            hasher: foldhash::fast::FixedState::default(),
            word: Vec::new(),
            stop_ids: 0,
        };
        tokens.clear();
        tokens
    }
}

thread_local! {
    /// The tokens of the digest this thread realigned last, kept for the next one: cleared, its
    /// table and buffers keep their room (a digest of LLM-written entries has thousands of
    /// distinct words, and a table grown to them from empty for every digest was a fifth of
    /// tokenising).
    static SPARE: std::cell::Cell<Option<Tokens>> = const { std::cell::Cell::new(None) };
}

impl Tokens {
    /// Tokens with only the stop words: this thread's spare ones, cleared, if it has them.
    fn fresh() -> Tokens {
        match SPARE.take() {
            Some(mut tokens) => {
                tokens.clear();
                tokens
            }
            None => Tokens::default(),
        }
    }

    /// Keeps these tokens as this thread's spare ones.
    fn spare(self) {
        SPARE.set(Some(self));
    }

    /// Forgets every word but the stop words, which get the first ids.
    fn clear(&mut self) {
        self.table.clear();
        self.spans.clear();
        self.arena.clear();
        for w in STOPWORDS {
            self.word.clear();
            self.word.extend_from_slice(w.as_bytes());
            self.id();
        }
        self.stop_ids = u32::try_from(self.spans.len()).unwrap_or(u32::MAX);
    }

    /// The sorted distinct token ids of some texts (a title and an abstract, or one field).
    fn of<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) -> Vec<u32> {
        let mut out = Vec::new();
        for text in texts {
            self.add(text, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Adds the ids of a text's tokens to `out`, in text order, repeats included.
    fn add(&mut self, text: &str, out: &mut Vec<u32>) {
        for (word, ascii) in words(text) {
            self.word.clear();
            if ascii {
                if word.len() < 4 {
                    continue;
                }
                self.word.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
            } else {
                if word.chars().count() < 4 {
                    continue;
                }
                let mut buf = [0; 4];
                for c in word.chars().flat_map(char::to_lowercase) {
                    self.word.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
            if let Some(id) = self.id().checked_sub(self.stop_ids) {
                out.push(id);
            }
        }
    }

    /// The id of `self.word`, given now if the word is new.
    fn id(&mut self) -> u32 {
        let hash = self.hasher.hash_one(&self.word[..]);
        if let Some(&id) = self.table.find(hash, |&id| word_of(&self.spans, &self.arena, id) == &self.word[..]) {
            return id;
        }
        let id = u32::try_from(self.spans.len()).unwrap_or(u32::MAX);
        let start = u32::try_from(self.arena.len()).unwrap_or(u32::MAX);
        self.arena.extend_from_slice(&self.word);
        self.spans.push((start, u32::try_from(self.arena.len()).unwrap_or(u32::MAX)));
        let (spans, arena, hasher) = (&self.spans, &self.arena, &self.hasher);
        self.table.insert_unique(hash, id, |&id| hasher.hash_one(word_of(spans, arena, id)));
        id
    }

    /// How many token ids were given (stop words aside).
    fn len(&self) -> usize {
        self.spans.len().saturating_sub(self.stop_ids as usize)
    }
}

/// The word of a token id, as `Tokens` stores it.
fn word_of<'a>(spans: &[(u32, u32)], arena: &'a [u8], id: u32) -> &'a [u8] {
    spans.get(id as usize).map_or(&[][..], |&(s, e)| arena.get(s as usize..e as usize).unwrap_or_default())
}

/// The runs of alphanumeric characters of a text (what `split(!is_alphanumeric)` leaves, without
/// the empty pieces), each with whether it is all ASCII; ASCII bytes are tested as bytes.
fn words(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 && !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let (start, mut ascii) = (i, true);
            while i < bytes.len() {
                let b = bytes[i];
                if b < 0x80 {
                    if !b.is_ascii_alphanumeric() {
                        break;
                    }
                    i += 1;
                } else {
                    match text.get(i..).and_then(|t| t.chars().next()) {
                        Some(c) if c.is_alphanumeric() => {
                            ascii = false;
                            i += c.len_utf8();
                        }
                        _ => break,
                    }
                }
            }
            if i > start {
                return Some((&text[start..i], ascii));
            }
            // Past one character that ends words.
            i += text.get(i..).and_then(|t| t.chars().next()).map_or(1, char::len_utf8);
        }
        None
    })
}

/// The ids two sorted id lists share.
fn shared<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    return Some(a[i - 1]);
                }
            }
        }
        None
    })
}

/// The alphanumeric characters, lower-cased (ASCII without a case table).
fn folded(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    for c in chars {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// What every field of a digest is scored against: the entries' tokens and normalised titles.
struct References {
    tokens: Tokens,
    refs: Vec<Vec<u32>>,
    /// Per token id, the entries whose title or abstract has it, in order.
    postings: Vec<Vec<u32>>,
    /// Weight per token id (inverse document frequency over the entries, plus a little).
    weights: Vec<f64>,
    unseen: f64,
    /// The first 40 characters of each normalised title of at least 12 bytes, ready to be
    /// searched for in every field.
    titles: Vec<Option<memchr::memmem::Finder<'static>>>,
}

impl References {
    fn new(entries: &[Entry]) -> References {
        let mut tokens = Tokens::fresh();
        let refs: Vec<Vec<u32>> = entries
            .iter()
            .map(|e| tokens.of([e.title.as_deref().unwrap_or(""), e.abstract_text.as_deref().unwrap_or("")]))
            .collect();
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); tokens.len()];
        for (entry, ids) in refs.iter().enumerate() {
            for &t in ids {
                if let Some(list) = postings.get_mut(t as usize) {
                    list.push(u32::try_from(entry).unwrap_or(u32::MAX));
                }
            }
        }
        let df: Vec<usize> = postings.iter().map(Vec::len).collect();
        let n = refs.len() as f64;
        let weight = |d: usize| (n / d.max(1) as f64).ln().max(0.0) + 0.05;
        // The first 40 characters of each normalised title of at least 12 bytes, to find quotes.
        let titles = entries
            .iter()
            .map(|e| {
                let t = folded(e.title.as_deref().unwrap_or("").chars());
                let cut = t.char_indices().nth(40).map_or(t.len(), |(i, _)| i);
                (t.len() >= 12).then(|| memchr::memmem::Finder::new(&t[..cut]).into_owned())
            })
            .collect();
        References { weights: df.into_iter().map(weight).collect(), unseen: weight(0), tokens, refs, postings, titles }
    }

    fn weight(&self, t: u32) -> f64 {
        self.weights.get(t as usize).copied().unwrap_or(self.unseen)
    }
}

/// Moves misattributed keywords, summaries and critiques to the entries they describe.
pub(super) fn realign(digest: &mut Digest, diags: &mut Diagnostics) {
    let entries = &mut digest.entries;
    if entries.len() < 2 || entries.iter().any(|e| e.title.is_none() || e.abstract_text.is_none()) {
        return;
    }
    // Only digests with a field that can be misattributed need the titles and abstracts
    // tokenised (a listing of titles and abstracts has none).
    let movable = |e: &Entry| !e.keywords.is_empty() || e.summary.is_some() || e.critique.is_some();
    if !entries.iter().any(movable) {
        return;
    }
    let mut refs = References::new(entries);
    let mut found: Vec<Move> = Vec::new();
    for kind in [Kind::Keywords, Kind::Summary, Kind::Critique] {
        let owners: Vec<Option<usize>> = (0..entries.len()).map(|i| owner(kind, i, entries, &mut refs)).collect();
        found.extend(apply(kind, &owners, entries));
    }
    refs.tokens.spare();
    report(&found, entries, diags);
}

/// A field of `kind` found under entry `from` that describes entry `to`.
struct Move {
    kind: Kind,
    from: usize,
    to: usize,
    moved: bool,
}

/// One warning per entry and target, naming every field kind that was misattributed.
fn report(found: &[Move], entries: &[Entry], diags: &mut Diagnostics) {
    let mut index: HashMap<(usize, usize, bool), usize> = HashMap::new();
    let mut groups: Vec<(usize, usize, bool, Vec<&str>)> = Vec::new();
    for m in found {
        let at = *index.entry((m.from, m.to, m.moved)).or_insert_with(|| {
            groups.push((m.from, m.to, m.moved, Vec::new()));
            groups.len() - 1
        });
        groups[at].3.push(m.kind.name());
    }
    groups.sort_by_key(|g| (entries[g.0].line, g.1));
    let title = |e: &Entry| e.title.clone().unwrap_or_default();
    for (from, to, moved, kinds) in groups {
        let what = if moved { "moved to that entry" } else { "left in place: two fields would land on the same entry" };
        let (e, t) = (&entries[from], &entries[to]);
        let message =
            format!("the {} under {:?} describe {:?} (line {}); {what}", kinds.join(", "), title(e), title(t), t.line);
        // A field moved back to its paper is repaired (info); one left in place is still wrong.
        let severity = if moved { Severity::Info } else { Severity::Warning };
        diags.push(e.line, severity, "misattributed-field", message);
    }
}

/// The entry a field describes, when it is clearly another entry than the one holding it.
fn owner(kind: Kind, i: usize, entries: &[Entry], refs: &mut References) -> Option<usize> {
    let text = kind.text(&entries[i])?;
    let near = i.saturating_sub(REACH)..(i + REACH + 1).min(entries.len());
    if !matches!(kind, Kind::Keywords) {
        let head = folded(text.chars().take(600));
        let quoted = refs.titles[near.clone()]
            .iter()
            .position(|t| t.as_ref().is_some_and(|t| t.find(head.as_bytes()).is_some()));
        if let Some(at) = quoted {
            return Some(near.start + at);
        }
    }
    let field = refs.tokens.of([&*text]);
    let total: f64 = field.iter().map(|&t| refs.weight(t)).sum();
    if total <= 0.0 {
        return None;
    }
    // A score is at most 1 (a part of the same sum, added in the same order), so when the own
    // entry scores above 1 / MARGIN no other entry can be clearly better: the field stays.
    let own_score = shared(&field, &refs.refs[i]).map(|t| refs.weight(t)).sum::<f64>() / total;
    if MARGIN * own_score > 1.0 {
        return Some(i);
    }
    let scores = near_scores(refs, &field, near.clone(), total);
    let (best, &score) = scores.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
    let (best, own) = (near.start + best, scores[i - near.start]);
    let clear = best == i || (score >= MIN_SCORE && score >= MARGIN * own);
    clear.then_some(best)
}

/// Each entry of `near`'s share of a field (its sorted token ids, `total` their weight): the
/// weights of the tokens it shares, added in the field's token order (as `shared` gives them, so
/// the sums are the same to the last bit), found through the postings of the field's tokens
/// rather than by comparing the field with every nearby entry.
fn near_scores(refs: &References, field: &[u32], near: std::ops::Range<usize>, total: f64) -> Vec<f64> {
    let zero: f64 = std::iter::empty::<f64>().sum();
    let mut sums = vec![zero; near.len()];
    for &t in field {
        let (w, list) = (refs.weight(t), refs.postings.get(t as usize).map_or(&[][..], Vec::as_slice));
        let from = list.partition_point(|&e| (e as usize) < near.start);
        for &e in list[from..].iter().take_while(|&&e| (e as usize) < near.end) {
            if let Some(sum) = sums.get_mut(e as usize - near.start) {
                *sum += w;
            }
        }
    }
    sums.into_iter().map(|s| s / total).collect()
}

/// Moves the fields of `kind` when no two of them would land on the same entry. A field whose
/// owner is unclear stays where it is; an entry whose own field is missing receives nothing.
fn apply(kind: Kind, owners: &[Option<usize>], entries: &mut [Entry]) -> Vec<Move> {
    let effective: Vec<Option<usize>> =
        owners.iter().enumerate().map(|(i, o)| kind.has(&entries[i]).then(|| o.unwrap_or(i))).collect();
    let mut targets: Vec<usize> = effective.iter().flatten().copied().collect();
    targets.sort_unstable();
    let distinct = targets.windows(2).all(|w| w[0] != w[1]);
    let moves: Vec<Move> = effective
        .iter()
        .enumerate()
        .filter_map(|(from, o)| o.filter(|&to| to != from).map(|to| Move { kind, from, to, moved: distinct }))
        .collect();
    if distinct && !moves.is_empty() {
        let fields: Vec<Field> = entries.iter_mut().map(|e| kind.take(e)).collect();
        for (i, field) in fields.into_iter().enumerate() {
            if let Some(j) = effective[i] {
                kind.put(&mut entries[j], field);
            }
        }
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, abstract_text: &str, keywords: &[&str], summary: &str) -> Entry {
        Entry {
            title: Some(title.to_owned()),
            abstract_text: Some(abstract_text.to_owned()),
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            summary: Some(summary.to_owned()),
            ..Entry::default()
        }
    }

    /// Realigns a digest of these entries; returns it with the diagnostics.
    fn realigned(entries: Vec<Entry>) -> (Digest, Vec<crate::model::Diagnostic>) {
        let mut digest = Digest { entries, ..Digest::default() };
        let mut diags = Diagnostics::new("t");
        realign(&mut digest, &mut diags);
        (digest, diags.into_vec())
    }

    #[test]
    fn scores_through_postings_equal_scores_by_comparison_to_the_last_bit() {
        const WORDS: [&str; 24] = [
            "sparse",
            "routing",
            "experts",
            "retrieval",
            "graphs",
            "diffusion",
            "tokens",
            "agents",
            "reward",
            "policy",
            "vision",
            "speech",
            "memory",
            "latent",
            "kernel",
            "robust",
            "causal",
            "privacy",
            "tabular",
            "ranking",
            "quantum",
            "physics",
            "scaling",
            "pruning",
        ];
        // Deterministic word lists of varied overlap.
        let text = |seed: usize, n: usize| -> String {
            (0..n).map(|k| WORDS[(seed * 7 + k * k * 3 + k) % WORDS.len()]).collect::<Vec<_>>().join(" ")
        };
        let entries: Vec<Entry> = (0..50).map(|i| entry(&text(i, 3), &text(i + 11, 12 + i % 9), &[], "")).collect();
        let mut refs = References::new(&entries);
        for f in 0..60 {
            let field = refs.tokens.of([format!("{} novelword{f}", text(f * 5 + 1, 4 + f % 7)).as_str()]);
            let total: f64 = field.iter().map(|&t| refs.weight(t)).sum();
            let i = f % entries.len();
            let near = i.saturating_sub(REACH)..(i + REACH + 1).min(entries.len());
            let fast: Vec<u64> = near_scores(&refs, &field, near.clone(), total).iter().map(|s| s.to_bits()).collect();
            let slow: Vec<u64> = refs.refs[near]
                .iter()
                .map(|r| (shared(&field, r).map(|t| refs.weight(t)).sum::<f64>() / total).to_bits())
                .collect();
            assert_eq!(fast, slow, "field {f}");
        }
    }

    #[test]
    fn words_are_the_alphanumeric_runs() {
        for text in ["", "  ", "Large-scale RL (GRPO): 3.5x—faster", "naïve São-Paulo ß Ωmega 東京 x", "end."] {
            let want: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            assert_eq!(words(text).map(|(w, _)| w).collect::<Vec<_>>(), want, "{text:?}");
            assert!(words(text).all(|(w, ascii)| ascii == w.is_ascii()), "{text:?}");
        }
        let mut tokens = Tokens::default();
        let ids = tokens.of(["This Model trains Models; naïve naïve NAÏVE with GRPO"]);
        assert_eq!(ids.len(), 3, "trains, naïve, grpo: stop words and short words left out");
        assert_eq!(tokens.len(), 3);
    }

    #[test]
    fn tokens_are_the_lower_cased_words_of_four_characters_or_more_but_stop_words() {
        let texts = [
            "Large-scale RL (GRPO): 3.5x—faster Transformers; TRANSFORMERS transformers",
            "naïve São-Paulo ß Ωmega 東京都市圏 x ÉCOLE école Straße STRASSE",
            "This Paper USING models: abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 A1b2C3d4",
            "word—word…wörd\u{301}s İstanbul ǅungla ﬁnance 12345678 mixed9Case",
            "",
        ];
        let mut tokens = Tokens::default();
        for text in texts {
            let ids = tokens.of([text]);
            let got: std::collections::BTreeSet<String> = ids
                .iter()
                .map(|&id| {
                    String::from_utf8_lossy(word_of(&tokens.spans, &tokens.arena, id + tokens.stop_ids)).into_owned()
                })
                .collect();
            let want: std::collections::BTreeSet<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 4)
                .map(str::to_lowercase)
                .filter(|w| !STOPWORDS.contains(&w.as_str()))
                .collect();
            assert_eq!(got, want, "{text:?}");
            assert_eq!(ids.len(), want.len(), "{text:?}: one id per distinct word");
        }
        // The same word gets the same id in every text, whatever its case.
        assert_eq!(tokens.of(["Transformers"]), tokens.of(["tRANSFORMERS, transformers"]));
        assert_eq!(tokens.of(["ÉCOLE"]), tokens.of(["école"]));
    }

    #[test]
    fn tokens_kept_for_the_next_digest_number_its_words_as_new_ones_do() {
        let texts = ["Sparse mixture routing for retrieval", "Routing agents with sparse rewards"];
        let mut new = Tokens::default();
        let want: Vec<Vec<u32>> = texts.iter().map(|t| new.of([*t])).collect();
        let mut used = Tokens::fresh();
        used.of(["Quantum annealing of spin glasses, then retrieval and routing"]);
        used.spare();
        let mut kept = Tokens::fresh();
        assert_eq!(kept.len(), 0, "only the stop words are left");
        let got: Vec<Vec<u32>> = texts.iter().map(|t| kept.of([*t])).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn swapped_fields_are_moved_back() {
        let (digest, diags) = realigned(vec![
            entry(
                "Hanabi benchmark",
                "cooperative card game theory-of-mind agents",
                &["Quantum annealing", "Spin glass"],
                "This paper studies quantum annealing of spin glass systems",
            ),
            entry(
                "Quantum annealing",
                "annealing spin glass hardware qubits",
                &["Hanabi", "Theory-of-mind"],
                "This paper introduces a Hanabi benchmark for theory-of-mind agents",
            ),
            entry(
                "Protein folding",
                "folding proteins structure prediction",
                &["Protein structure", "Folding"],
                "This paper predicts protein structure folding",
            ),
        ]);
        assert_eq!(digest.entries[0].keywords, ["Hanabi", "Theory-of-mind"]);
        assert_eq!(digest.entries[1].keywords, ["Quantum annealing", "Spin glass"]);
        assert_eq!(digest.entries[2].keywords, ["Protein structure", "Folding"]);
        assert!(digest.entries[0].summary.as_deref().is_some_and(|s| s.contains("Hanabi")));
        assert_eq!(diags.len(), 2);
    }

    #[test]
    fn a_shift_with_a_missing_field_is_undone() {
        let (digest, _) = realigned(vec![
            entry(
                "Hanabi benchmark",
                "cooperative card game theory-of-mind agents",
                &["Quantum annealing", "Spin glass"],
                "x",
            ),
            entry("Quantum annealing", "annealing spin glass hardware qubits", &["Protein structure", "Folding"], "y"),
            entry("Protein folding", "folding proteins structure prediction", &[], "z"),
        ]);
        let keywords: Vec<&[String]> = digest.entries.iter().map(|e| e.keywords.as_slice()).collect();
        assert!(keywords[0].is_empty(), "the first paper's own keywords are not in the digest");
        assert_eq!(keywords[1], ["Quantum annealing", "Spin glass"]);
        assert_eq!(keywords[2], ["Protein structure", "Folding"]);
    }

    #[test]
    fn well_attributed_fields_stay() {
        let (digest, diags) = realigned(vec![
            entry("Hanabi benchmark", "cooperative card game agents", &["Hanabi"], "A Hanabi card game benchmark"),
            entry("Quantum annealing", "annealing spin glass", &["Annealing"], "Quantum annealing of spin glass"),
        ]);
        assert_eq!(digest.entries[0].keywords, ["Hanabi"]);
        assert!(diags.is_empty());
    }
}
