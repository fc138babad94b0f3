//! Field parsers shared by every format: authors, keywords, comments and venues, arXiv ids and
//! versions, LaTeX clean-up, title case repair, and the `Label: value` field lines.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|err| panic!("built-in regex {pattern:?}: {err}"))
}

/// A `Label: value` field line of a paper block, as in `Authors: A, B`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Authors,
    Keywords,
    Comments,
    Link,
}

/// Recognises the field lines that open a paper block.
pub fn field_line(line: &str) -> Option<(Field, &str)> {
    let line = line.trim();
    let (label, value) = line.split_once(':')?;
    let field = match label.trim() {
        "Authors" => Field::Authors,
        "Keywords" => Field::Keywords,
        "Comments" => Field::Comments,
        "Paper link" | "Link" | "arXiv" | "URL" => Field::Link,
        _ => return None,
    };
    Some((field, value.trim()))
}

/// `Total papers: N , Selected papers: M`.
pub fn paper_counts(text: &str) -> (Option<u32>, Option<u32>) {
    let number = |label: &str| {
        let at = text.find(label)? + label.len();
        let digits: String =
            text[at..].trim_start_matches([':', ' ']).chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    (number("Total papers"), number("Selected papers"))
}

/// The forms of "and others" that end an author list that names only some of the authors.
const ET_AL: [&str; 6] = ["et al.", "et al", "et. al.", "et.al.", "et.al", "等"];

/// Whether an author list says it names only some of its authors (`et al.`, `et.al.`, `等`).
pub fn says_et_al(value: &str) -> bool {
    let value = value.trim().to_lowercase();
    ET_AL.iter().any(|e| value.ends_with(e))
}

/// Authors from an `Authors:` value, without a closing `et al.`; `true` when the list is cut off
/// (it ends in a comma or an ellipsis). See `says_et_al` for lists that say they are partial.
pub fn authors(value: &str) -> (Vec<String>, bool) {
    let mut value = value.trim();
    if value.is_ascii() {
        // Lower case is ASCII lower case, byte for byte: the endings are compared in place.
        for e in ET_AL {
            let at = value.len().saturating_sub(e.len());
            if value.len() >= e.len() && value.as_bytes()[at..].eq_ignore_ascii_case(e.as_bytes()) {
                value = value[..at].trim_end();
            }
        }
    } else {
        // Lower-cased again only when an ending was cut off (a list of hundreds of names is long).
        let mut lower = value.to_lowercase();
        for e in ET_AL {
            if lower.ends_with(e) && lower.len() == value.len() {
                value = value[..value.len() - e.len()].trim_end();
                lower = value.to_lowercase();
            }
        }
    }
    let truncated = value.ends_with(',') || value.ends_with("...") || value.ends_with('…');
    let value = value.trim_end_matches([',', '.', '…', ' ']);
    let list = value
        .split([',', ';'])
        .flat_map(|part| part.split(" and "))
        .map(|name| name.trim().trim_start_matches("and ").trim())
        .filter(|name| !name.is_empty() && *name != "et al")
        .map(str::to_owned)
        .collect();
    (list, truncated)
}

/// Keywords from a `Keywords:` value, separated by commas or semicolons; `N/A` or `None` is
/// no keywords.
pub fn keywords(value: &str) -> Vec<String> {
    if comments(value).is_none() {
        return Vec::new();
    }
    value
        .split([',', ';'])
        .map(|k| k.trim().trim_end_matches('.').trim())
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A `Comments:` value, where `None`, `N/A` or nothing means no comment.
pub fn comments(value: &str) -> Option<String> {
    let value = value.trim();
    let empty = ["", "none", "n/a", "na", "null", "-"];
    (!empty.contains(&value.to_ascii_lowercase().as_str())).then(|| value.to_owned())
}

static VENUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(NeurIPS|NIPS|ICLR|ICML|ACL|EMNLP|NAACL|COLING|EACL|AACL|IJCNLP|CoNLL|LREC|TACL|COLM|AAAI|IJCAI|CVPR|ICCV|ECCV|WACV|KDD|WWW|SIGIR|WSDM|CIKM|RecSys|ICASSP|Interspeech|INTERSPEECH|AISTATS|UAI|CoRL|ICRA|IROS|MICCAI|TMLR|JMLR|ACM MM|MM|SIGDIAL|INLG|SemEval)[ '’),-]*((?:19|20)\d{2}|'?\d{2})\b(?:\s+([A-Z][A-Za-z-]+))?",
    )
});
static FINDINGS: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bFindings of (?:the )?(ACL|EMNLP|NAACL|EACL|AACL)[ -]*((?:19|20)\d{2})\b"));

/// Words after a venue's year that say how a paper was presented, not where.
const PRESENTATION: [&str; 12] = [
    "Oral",
    "Poster",
    "Spotlight",
    "Main",
    "Conference",
    "Camera",
    "Camera-ready",
    "Accepted",
    "Paper",
    "Long",
    "Short",
    "Track",
];

/// The venue named in a comment: `NeurIPS 2025`, `EMNLP 2025 Wordplay` (a workshop),
/// `AAAI 2026` from `Accepted by AAAI 2026 Oral`, `EMNLP 2025 Findings`.
pub fn venue(comments: &str) -> Option<String> {
    if let Some(c) = FINDINGS.captures(comments) {
        return Some(format!("{} {} Findings", &c[1], &c[2]));
    }
    let c = VENUE.captures(comments)?;
    let year = c[2].trim_start_matches('\'');
    let year = if year.len() == 2 { format!("20{year}") } else { year.to_owned() };
    let mut venue = format!("{} {year}", &c[1]);
    if let Some(track) = c.get(3).map(|m| m.as_str()).filter(|t| !PRESENTATION.contains(t)) {
        venue.push(' ');
        venue.push_str(track);
    }
    Some(venue)
}

static ARXIV_URL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)arxiv\.org/(?:abs|pdf|html)/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?/\d{7}))(?:v(\d+))?")
});
static ARXIV_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\barxiv:\s*((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?/\d{7}))(?:v(\d+))?\b"));
static ARXIV_BARE: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})(?:v(\d+))?\b"));

/// An arXiv id (without version) and its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArxivRef {
    pub id: String,
    pub version: Option<u32>,
}

fn arxiv_ref(c: &regex::Captures<'_>) -> ArxivRef {
    ArxivRef { id: c[1].to_owned(), version: c.get(2).and_then(|v| v.as_str().parse().ok()) }
}

/// A match of an arXiv pattern: where its id lies, where the whole match lies, and the id.
#[derive(Debug, PartialEq, Eq)]
struct IdMatch {
    id: std::ops::Range<usize>,
    all: std::ops::Range<usize>,
    found: ArxivRef,
}

impl IdMatch {
    fn of(c: &regex::Captures<'_>) -> IdMatch {
        let id = c.get(1).map_or(0..0, |m| m.range());
        let all = c.get(0).map_or(id.clone(), |all| all.range());
        IdMatch { id, all, found: arxiv_ref(c) }
    }
}

/// The matches of `ARXIV_BARE` in an ASCII text (where `\d` is `[0-9]` and `\b` lies between a
/// byte of `[0-9A-Za-z_]` and one of no other or an end), in the order and spans the regex gives
/// them, found at the candidate dots of `Candidates::bare` (every match has one: four digits, a
/// dot, four or five digits) instead of by the regex. Tried as the regex tries: the most id
/// digits first, then the most version digits, then no version; a candidate inside the match
/// before it is passed over, as the regex's matches do not overlap.
fn bare_matches(text: &str, dots: &[(usize, usize)]) -> Vec<IdMatch> {
    let b = text.as_bytes();
    let word = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
    let digits_from = |i: usize| b.get(i..).map_or(0, |rest| rest.iter().take_while(|c| c.is_ascii_digit()).count());
    let mut out = Vec::new();
    let mut after = 0;
    for &(dot, n) in dots {
        let Some(start) = dot.checked_sub(4) else { continue };
        let month = matches!(b.get(dot - 2..dot), Some([b'0', b'1'..=b'9'] | [b'1', b'0'..=b'2']));
        if start < after || (start > 0 && word(start - 1)) || !month {
            continue;
        }
        let matched = (4..=n.min(5)).rev().find_map(|len| {
            let end = dot + 1 + len;
            let versions = digits_from(end + 1);
            let version = (b.get(end) == Some(&b'v') && versions > 0 && !word(end + 1 + versions))
                .then(|| (end + 1 + versions, text.get(end + 1..end + 1 + versions)));
            version.or_else(|| (!word(end)).then_some((end, None))).map(|(all_end, v)| (end, all_end, v))
        });
        if let Some((end, all_end, version)) = matched {
            let found = ArxivRef {
                id: text.get(start..end).unwrap_or_default().to_owned(),
                version: version.and_then(|v| v.parse().ok()),
            };
            out.push(IdMatch { id: start..end, all: start..all_end, found });
            after = all_end;
        }
    }
    out
}

/// Where the arXiv patterns may match in a text, found by byte scans that are much cheaper than
/// the searches (most texts hold no id): a URL needs `arxiv.org/` and a prefix `arxiv:` (any
/// case), a bare id four digits, a dot and four digits (the dots of such places are kept).
struct Candidates {
    url: bool,
    prefix: bool,
    /// Byte offsets of the dots of `dddd.dddd`, with the digits that follow each (at most 5).
    bare: Vec<(usize, usize)>,
}

impl Candidates {
    fn of(text: &str) -> Candidates {
        let bytes = text.as_bytes();
        let (mut url, mut prefix) = (false, false);
        for i in memchr::memchr2_iter(b'x', b'X', bytes) {
            if i >= 2 && bytes.get(i - 2..i + 3).is_some_and(|w| w.eq_ignore_ascii_case(b"arxiv")) {
                url |= bytes.get(i + 3..i + 8).is_some_and(|w| w.eq_ignore_ascii_case(b".org/"));
                prefix |= bytes.get(i + 3) == Some(&b':');
            }
        }
        let digits_from =
            |at: usize| bytes[at.min(bytes.len())..].iter().take(5).take_while(|b| b.is_ascii_digit()).count();
        let bare = memchr::memchr_iter(b'.', bytes)
            .filter(|&i| i >= 4 && bytes[i - 4..i].iter().all(u8::is_ascii_digit))
            .map(|i| (i, digits_from(i + 1)))
            .filter(|&(_, n)| n >= 4)
            .collect();
        Candidates { url, prefix, bare }
    }

    /// Every pattern in order of precedence (URL, prefix, bare id), with whether it may match.
    fn patterns(&self) -> [(Pattern, bool); 3] {
        [(Pattern::Url, self.url), (Pattern::Prefix, self.prefix), (Pattern::Bare, !self.bare.is_empty())]
    }

    /// The patterns that may match, in order of precedence.
    fn may_match(&self) -> impl Iterator<Item = Pattern> + use<> {
        self.patterns().into_iter().filter(|(_, may)| *may).map(|(p, _)| p)
    }
}

/// The arXiv patterns, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    Url,
    Prefix,
    Bare,
}

impl Pattern {
    fn regex(self) -> &'static Regex {
        match self {
            Pattern::Url => &ARXIV_URL,
            Pattern::Prefix => &ARXIV_PREFIX,
            Pattern::Bare => &ARXIV_BARE,
        }
    }
}

/// The arXiv id of a link in any form: `http://arxiv.org/abs/2510.05095v1`, a Markdown link,
/// `/pdf/` or `/html/` URLs, `arXiv:2510.05095`, or a bare id.
pub fn arxiv_id(text: &str) -> Option<ArxivRef> {
    Candidates::of(text).may_match().find_map(|p| p.regex().captures(text)).map(|c| arxiv_ref(&c))
}

/// Every arXiv id a text names, once each, in order of first mention.
pub fn arxiv_ids(text: &str) -> Vec<String> {
    arxiv_refs(text).into_iter().map(|r| r.id).collect()
}

/// Every arXiv id a text names with its version (the highest written), in order of first mention.
pub fn arxiv_refs(text: &str) -> Vec<ArxivRef> {
    if let Some(r) = plain_arxiv_link(text).or_else(|| new_style_id(text, true)) {
        return vec![r];
    }
    let mut found: Vec<(usize, ArxivRef)> = Vec::new();
    // The spans earlier patterns matched, by start, with the furthest end reached up to each: a
    // match lies inside one of them when the furthest end among those starting at or before it
    // reaches its end (a lookup, so that a text naming n ids costs n log n, not n²).
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let candidates = Candidates::of(text);
    for pattern in candidates.may_match() {
        let mut furthest: Vec<usize> = Vec::with_capacity(covered.len());
        for &(_, end) in &covered {
            furthest.push(furthest.last().map_or(end, |&f: &usize| f.max(end)));
        }
        let inside = |m: &std::ops::Range<usize>| {
            let before = covered.partition_point(|&(start, _)| start <= m.start);
            before > 0 && furthest[before - 1] >= m.end
        };
        // A bare id found at a dot inside a URL or prefix match is passed over: when every
        // candidate dot is, the search is not needed (its id would start 4 bytes before the dot
        // and end at most after the digits that follow it).
        if pattern == Pattern::Bare && candidates.bare.iter().all(|&(dot, n)| inside(&(dot - 4..dot + 1 + n))) {
            continue;
        }
        let mut spans = Vec::new();
        // Bare ids in an ASCII text are found at the candidate dots: the regex with its captures
        // was the most costly step of reading a listing's table rows.
        let matches: Vec<IdMatch> = if pattern == Pattern::Bare && text.is_ascii() {
            bare_matches(text, &candidates.bare)
        } else {
            pattern.regex().captures_iter(text).map(|c| IdMatch::of(&c)).collect()
        };
        for IdMatch { id, all, found: r } in matches {
            if inside(&id) {
                continue;
            }
            spans.push((all.start, all.end));
            found.push((id.start, r));
        }
        covered.extend(spans);
        covered.sort_unstable();
    }
    found.sort_by_key(|(at, _)| *at);
    let mut refs: Vec<ArxivRef> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, r) in found {
        match index.get(&r.id) {
            Some(&at) => refs[at].version = refs[at].version.max(r.version),
            None => {
                index.insert(r.id.clone(), refs.len());
                refs.push(r);
            }
        }
    }
    refs
}

/// The id of a text that is nothing but a link to one new-style arXiv id
/// (`https://arxiv.org/abs/2510.05095v2`, `http://www.arxiv.org/pdf/2510.05095.pdf`): most links
/// of a digest, read here without the patterns. The patterns find exactly this id in such a text
/// (nothing else in it is a prefix, a URL or a bare id outside the URL), so `None` (anything
/// else) leaves the text to them.
fn plain_arxiv_link(text: &str) -> Option<ArxivRef> {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.strip_prefix("arxiv.org/")?;
    let rest = ["abs/", "pdf/", "html/"].iter().find_map(|p| rest.strip_prefix(p))?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    new_style_id(rest.strip_suffix(".pdf").unwrap_or(rest), false)
}

/// A text that is one new-style id (`2510.05095`, `2510.05095v2`) and nothing else. A bare id
/// (`bare`) must name a month (`01`-`12`), as the bare pattern requires; one in a URL need not.
fn new_style_id(text: &str, bare: bool) -> Option<ArxivRef> {
    let (id, version) = match text.split_once('v') {
        Some((id, v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => (id, Some(v)),
        Some(_) => return None,
        None => (text, None),
    };
    let (year_month, number) = id.split_once('.')?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if year_month.len() != 4 || !(4..=5).contains(&number.len()) || !digits(year_month) || !digits(number) {
        return None;
    }
    if bare
        && !matches!(
            &year_month[2..],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
    {
        return None;
    }
    Some(ArxivRef { id: id.to_owned(), version: version.and_then(|v| v.parse().ok()) })
}

/// A text without the arXiv ids and links to arXiv it names.
pub fn strip_arxiv_ids(text: &str) -> String {
    let mut out = text.to_owned();
    // Searched only when the text as it is now may hold a match; scanned again only after a
    // pattern changed it (most texts, titles, name no id: one scan).
    let mut candidates = Candidates::of(&out);
    for k in 0..3 {
        if let (pattern, true) = candidates.patterns()[k] {
            out = pattern.regex().replace_all(&out, "").into_owned();
            candidates = Candidates::of(&out);
        }
    }
    for scheme in ["https://", "http://"] {
        if out.contains(scheme) {
            out = out.replace(scheme, "");
        }
    }
    out
}

/// The first URL in a field value (the target of a Markdown link, or a bare URL).
pub fn url(value: &str) -> Option<String> {
    static URL: LazyLock<Regex> = LazyLock::new(|| re(r"https?://[^\s)\]>]+"));
    URL.find(value).map(|m| m.as_str().trim_end_matches(['.', ',']).to_owned())
}

static LATEX_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\\(?:textbf|textit|emph|texttt|textsc|mathrm|mathbf|mathit|text|mbox|underline)\{([^{}]*)\}")
});
static LATEX_MATH: LazyLock<Regex> = LazyLock::new(|| re(r"\$([^$]{1,80})\$"));

/// LaTeX symbols as they appear in titles and abstracts, and what they stand for.
const LATEX_SYMBOLS: [(&str, &str); 20] = [
    ("\\times", "×"),
    ("\\rightarrow", "→"),
    ("\\to", "→"),
    ("\\leftarrow", "←"),
    ("\\geq", "≥"),
    ("\\ge", "≥"),
    ("\\leq", "≤"),
    ("\\le", "≤"),
    ("\\approx", "≈"),
    ("\\sim", "~"),
    ("\\pm", "±"),
    ("\\cdot", "·"),
    ("\\alpha", "α"),
    ("\\beta", "β"),
    ("\\lambda", "λ"),
    ("\\infty", "∞"),
    ("\\&", "&"),
    ("\\%", "%"),
    ("\\_", "_"),
    ("\\#", "#"),
];

/// Removes LaTeX markup and escapes: `\textbf{X}` → `X`, `$\times$` → `×`, `\&` → `&`,
/// `AlpacaEval~2` → `AlpacaEval 2`.
pub fn clean_latex(text: &str) -> String {
    if !has_latex(text) {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    for _ in 0..3 {
        let next = LATEX_COMMAND.replace_all(&out, "$1").into_owned();
        if next == out {
            break;
        }
        out = next;
    }
    out = LATEX_MATH
        .replace_all(&out, |c: &regex::Captures<'_>| {
            let inner = &c[1];
            let replaced = replace_symbols(inner);
            if replaced.contains('\\') { c[0].to_owned() } else { replaced.replace(['{', '}'], "") }
        })
        .into_owned();
    out = replace_symbols(&out);
    static TIE: LazyLock<Regex> = LazyLock::new(|| re(r"(\S)~(\S)"));
    TIE.replace_all(&out, "$1 $2").into_owned()
}

/// Whether `clean_latex` may change a text.
fn has_latex(text: &str) -> bool {
    text.contains(['\\', '$', '~'])
}

/// `clean_latex` of an owned text, given back as it is when it has nothing of LaTeX (most titles
/// and abstracts): no copy.
pub fn clean_latex_owned(text: String) -> String {
    if has_latex(&text) { clean_latex(&text) } else { text }
}

/// A text without the white space at its ends, given back as it is when it has none.
pub fn trim_owned(text: String) -> String {
    if text.len() == text.trim().len() { text } else { text.trim().to_owned() }
}

fn replace_symbols(text: &str) -> String {
    let mut out = text.to_owned();
    for (latex, symbol) in LATEX_SYMBOLS {
        if out.contains(latex) {
            out = replace_command(&out, latex, symbol);
        }
    }
    out.replace("\\,", " ").replace("\\ ", " ")
}

/// Replaces a LaTeX command unless it is the prefix of a longer one (`\to` in `\top`).
fn replace_command(text: &str, latex: &str, symbol: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(latex) {
        let after = &rest[at + latex.len()..];
        let is_word = latex.chars().last().is_some_and(char::is_alphabetic);
        out.push_str(&rest[..at]);
        if is_word && after.starts_with(char::is_alphabetic) {
            out.push_str(latex);
        } else {
            out.push_str(symbol);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Collapses runs of white space into one space and trims.
pub fn squash(text: &str) -> String {
    if is_squashed(text) { text.to_owned() } else { text.split_whitespace().collect::<Vec<_>>().join(" ") }
}

/// `squash` of an owned text, which is given back as it is when nothing needs squashing (most
/// titles): no copy.
pub fn squash_owned(text: String) -> String {
    if is_squashed(&text) { text } else { squash(&text) }
}

/// Whether `squash` leaves a text as it is: words separated by single spaces, none at its ends.
fn is_squashed(text: &str) -> bool {
    let mut space = true;
    for c in text.chars() {
        if c.is_whitespace() {
            if c != ' ' || space {
                return false;
            }
            space = true;
        } else {
            space = false;
        }
    }
    !space || text.is_empty()
}

/// Restores the case of title words that the digest lowered (`Slm-mux` → `SLM-MUX`) when the
/// entry's own texts (`contexts`: abstract, summary) write the same word with capitals inside
/// it. Returns `None` when nothing changed.
pub fn repair_title_case(title: &str, contexts: &[&str]) -> Option<String> {
    // The contexts' words with at least two capitals after their first letter (acronyms and
    // product names), by their lower-case form; the first spelling wins. One pass over each
    // context, whatever the length of the title.
    let mut cased: HashMap<String, &str> = HashMap::new();
    for context in contexts {
        cased_words(context, &mut cased);
    }
    if cased.is_empty() {
        return None;
    }
    let better = |word: &str| -> Option<&str> {
        let lowered_inside = word.chars().skip(1).all(|ch| !ch.is_uppercase());
        cased.get(&word.to_lowercase()).copied().filter(|&b| word.len() >= 3 && lowered_inside && b != word)
    };
    if !WORD.find_iter(title).any(|m| better(m.as_str()).is_some()) {
        return None;
    }
    let repaired = WORD.replace_all(title, |c: &regex::Captures<'_>| better(&c[0]).unwrap_or(&c[0]).to_owned());
    Some(repaired.into_owned())
}

/// Adds the words of `context` with two capitals or more after the first letter, by their
/// lower-case form (a form seen before keeps its first spelling). Such words are rare: only
/// capitals that follow a letter or digit are looked at.
fn cased_words<'a>(context: &'a str, cased: &mut HashMap<String, &'a str>) {
    let bytes = context.as_bytes();
    let in_word = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    let mut i = 1;
    while let Some(at) = inner_capital(bytes, i) {
        i = at;
        let start = (0..i).rev().find(|&j| !in_word(bytes[j])).map_or(0, |j| j + 1);
        let end = (i..bytes.len()).find(|&j| !in_word(bytes[j])).unwrap_or(bytes.len());
        i = end;
        let preceded = context[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric());
        let Some(m) = WORD.find(&context[start..end]).filter(|m| m.start() == 0 && !preceded) else { continue };
        let word = m.as_str();
        if word.chars().skip(1).filter(|c| c.is_uppercase()).count() >= 2 {
            cased.entry(word.to_lowercase()).or_insert(word);
        }
    }
}

/// The first place at or after `from` (and after the first byte) of an ASCII capital that
/// follows a letter or digit. Prose has few: 32 places are tested at once, as a mask the compiler
/// builds with vector instructions.
fn inner_capital(bytes: &[u8], from: usize) -> Option<usize> {
    let hit = |b: u8, before: u8| b.is_ascii_uppercase() & before.is_ascii_alphanumeric();
    let mut i = from.max(1);
    while let (Some(now), Some(before)) = (bytes.get(i..i + 32), bytes.get(i - 1..i + 31)) {
        let mut mask = 0u32;
        for (k, (&b, &p)) in now.iter().zip(before).enumerate() {
            mask |= u32::from(hit(b, p)) << k;
        }
        if mask != 0 {
            return Some(i + mask.trailing_zeros() as usize);
        }
        i += 32;
    }
    (i..bytes.len()).find(|&j| hit(bytes[j], bytes[j - 1]))
}

/// A word as `repair_title_case` sees it: letters and digits, with inner hyphens.
static WORD: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arxiv_ids_and_links_are_stripped_from_texts() {
        // Each pattern searched again on the text the one before left, as a regex at a time does.
        let reference = |text: &str| {
            let mut out = text.to_owned();
            for re in [&*ARXIV_URL, &*ARXIV_PREFIX, &*ARXIV_BARE] {
                out = re.replace_all(&out, "").into_owned();
            }
            out.replace("https://", "").replace("http://", "")
        };
        for text in [
            "A Title Without Ids",
            "",
            "Title 2510.05095v2",
            "Title (arXiv:2510.05095) and https://arxiv.org/abs/2510.05095",
            "see http://example.org and ARXIV.ORG/pdf/2510.05095v1.pdf",
            "arXiv: 2510.05095 2510.05096",
            "x2510.05095 2513.05095",
        ] {
            assert_eq!(strip_arxiv_ids(text), reference(text), "{text:?}");
        }
    }

    #[test]
    fn author_lists_cut_their_endings_in_any_case() {
        for (list, want) in [
            ("A B, C D et al.", vec!["A B", "C D"]),
            ("A B ET AL", vec!["A B"]),
            ("Christina Kassab et.al.", vec!["Christina Kassab"]),
            ("A B Et. Al.", vec!["A B"]),
            ("Ä B, C D et al.", vec!["Ä B", "C D"]),
            ("Ä B ET.AL", vec!["Ä B"]),
            ("张三, 李四等", vec!["张三", "李四"]),
            ("Petal", vec!["Petal"]),
        ] {
            assert_eq!(authors(list).0, want, "{list:?}");
        }
    }

    #[test]
    fn owned_texts_are_cleaned_as_borrowed_ones() {
        let texts = [
            "",
            " ",
            "a",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\nb",
            "a\u{a0}b",
            "\u{a0}",
            "a \u{2003} b",
            "x$^2$ y",
            "  \\alpha-decay ",
            "A~B",
            "plain title: with, punctuation",
        ];
        for t in texts {
            assert_eq!(squash_owned(t.to_owned()), squash(t), "{t:?}");
            assert_eq!(clean_latex_owned(t.to_owned()), clean_latex(t), "{t:?}");
            assert_eq!(trim_owned(t.to_owned()), t.trim(), "{t:?}");
            let squashed = squash(t);
            assert_eq!(is_squashed(t), squashed == t, "{t:?}");
        }
    }

    #[test]
    fn bare_ids_are_found_where_and_as_the_regex_finds_them() {
        // Texts made of pieces of ids and what borders them: digits, dots, versions, word and
        // non-word bytes, months that are and are not months.
        let pieces = [
            "2510.05095",
            "2510.0509",
            "2513.05095",
            "2512.1234",
            "2501.",
            "0001.00010",
            "v",
            "v2",
            "v12x",
            "7",
            "12",
            ".",
            "0",
            "x",
            "_",
            " ",
            "-",
            "(",
            ")",
            "et.al.",
            "2510.050951",
            "1110.11111v3",
            "/",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut tried = 0;
        for _ in 0..40_000 {
            let text: String = (0..1 + next(7)).map(|_| pieces[next(pieces.len())]).collect();
            let want: Vec<IdMatch> = ARXIV_BARE.captures_iter(&text).map(|c| IdMatch::of(&c)).collect();
            let got = bare_matches(&text, &Candidates::of(&text).bare);
            assert_eq!(got, want, "{text:?}");
            tried += usize::from(!want.is_empty());
        }
        assert!(tried > 5_000, "{tried} texts with a match");
    }

    #[test]
    fn authors_and_truncation() {
        assert_eq!(authors("A B, C D"), (vec!["A B".to_owned(), "C D".to_owned()], false));
        let (list, truncated) = authors("A B, C D,");
        assert_eq!(list.len(), 2);
        assert!(truncated);
    }

    #[test]
    fn comments_none_is_null() {
        assert_eq!(comments("None"), None);
        assert_eq!(comments(" 9 pages "), Some("9 pages".to_owned()));
        assert!(keywords("N/A").is_empty());
    }

    #[test]
    fn venues_from_comments() {
        assert_eq!(venue("NeurIPS 2025").as_deref(), Some("NeurIPS 2025"));
        assert_eq!(venue("EMNLP 2025 Wordplay").as_deref(), Some("EMNLP 2025 Wordplay"));
        assert_eq!(venue("Accepted by AAAI 2026 Oral").as_deref(), Some("AAAI 2026"));
        assert_eq!(venue("Findings of the ACL 2025").as_deref(), Some("ACL 2025 Findings"));
        assert_eq!(venue("Accepted to Transactions of the ACL (TACL), 2025. 15 pages").as_deref(), Some("TACL 2025"));
        assert_eq!(venue("Work in progress"), None);
        assert_eq!(venue("29 pages, 2 figures"), None);
    }

    #[test]
    fn arxiv_ids_in_every_link_form() {
        let want = |id: &str, v: Option<u32>| Some(ArxivRef { id: id.to_owned(), version: v });
        assert_eq!(arxiv_id("http://arxiv.org/abs/2510.05095v1"), want("2510.05095", Some(1)));
        assert_eq!(
            arxiv_id("[http://arxiv.org/abs/2510.05095v2](http://arxiv.org/abs/2510.05095v2)"),
            want("2510.05095", Some(2))
        );
        assert_eq!(arxiv_id("https://arxiv.org/pdf/2510.14406"), want("2510.14406", None));
        assert_eq!(arxiv_id("arXiv:2401.00001v3"), want("2401.00001", Some(3)));
        assert_eq!(arxiv_id("https://arxiv.org/abs/cs/0112017v1"), want("cs/0112017", Some(1)));
        assert_eq!(arxiv_id("no id here 1234.5"), None);
    }

    #[test]
    fn the_byte_scan_never_hides_an_arxiv_match() {
        let texts = [
            "ARXIV:2401.00001",
            "see ArXiv.org/abs/2401.00001v2 now",
            "arxiv.org/pdf/hep-th/9901001",
            "2401.00001",
            "id 2401.00001",
            "x2401.00001x",
            "arXiv",
            "xx",
            "a.b 123.4567 1234.567",
            "arXiv: 2510.05095 and 2510.14967v3.",
            "",
        ];
        for text in texts {
            for (pattern, may) in Candidates::of(text).patterns() {
                if pattern.regex().is_match(text) {
                    assert!(may, "{text:?}: {pattern:?}");
                }
            }
        }
        assert_eq!(arxiv_ids("x ARXIV:2401.00001 and 2510.14967v3."), ["2401.00001", "2510.14967"]);
        assert_eq!(arxiv_id("a.b 123.4567 1234.567"), None);
        // Plain links, read without the patterns, give what the patterns give.
        for link in [
            "https://arxiv.org/abs/2510.05095v2",
            "http://www.arxiv.org/pdf/2510.05095.pdf",
            "https://arxiv.org/html/2510.0509v12/",
            "https://arxiv.org/abs/2510.050951",
            "https://arxiv.org/abs/2510.05095v",
            "https://arxiv.org/abs/cs/0112017v1",
            "https://arxiv.org/abs/2510.05095#x",
        ] {
            let patterns: Vec<ArxivRef> =
                [&*ARXIV_URL].iter().flat_map(|re| re.captures(link)).map(|c| arxiv_ref(&c)).collect();
            if let Some(fast) = plain_arxiv_link(link) {
                assert_eq!(vec![fast], patterns, "{link}");
            }
            assert_eq!(arxiv_refs(link), patterns, "{link}");
        }
        for bare in ["2510.05095", "2510.05095v3", "2513.05095", "2510.050951", "2510.0509", "x2510.05095"] {
            let patterns: Vec<ArxivRef> = ARXIV_BARE.captures(bare).map(|c| arxiv_ref(&c)).into_iter().collect();
            assert_eq!(arxiv_refs(bare), patterns, "{bare}");
        }
        // A bare id beside a URL is still found; one inside it counts once.
        assert_eq!(arxiv_ids("https://arxiv.org/abs/2510.05095v2 and 2510.14967"), ["2510.05095", "2510.14967"]);
        let refs = arxiv_refs("ARXIV.ORG/abs/2510.05095v2 (2510.05095v3)");
        assert_eq!(refs, [ArxivRef { id: "2510.05095".into(), version: Some(3) }]);
    }

    #[test]
    fn arxiv_ids_once_each_in_order() {
        let text = "(https://arxiv.org/abs/2510.14545, https://arxiv.org/abs/2510.14967) and (2510.14545v1)";
        assert_eq!(arxiv_ids(text), ["2510.14545", "2510.14967"]);
    }

    #[test]
    fn latex_is_removed() {
        assert_eq!(clean_latex(r"Tool Planning \& Scheduling"), "Tool Planning & Scheduling");
        assert_eq!(clean_latex(r"LLM$\times$MapReduce-V3"), "LLM×MapReduce-V3");
        assert_eq!(clean_latex(r"\textbf{FP16} on AlpacaEval~2, A $\to$ B"), "FP16 on AlpacaEval 2, A → B");
        assert_eq!(clean_latex(r"keeps $\mathcal{L}_e$ as is"), r"keeps $\mathcal{L}_e$ as is");
    }

    #[test]
    fn title_case_is_repaired_from_context() {
        let fixed =
            repair_title_case("Slm-mux: Orchestrating small language models", &["we propose SLM-MUX, a method"]);
        assert_eq!(fixed.as_deref(), Some("SLM-MUX: Orchestrating small language models"));
        assert_eq!(repair_title_case("Plain Title", &["nothing related"]), None);
    }

    #[test]
    fn inner_capitals_are_found_wherever_they_fall_among_the_32_places_tested_together() {
        let naive = |b: &[u8], from: usize| {
            (from.max(1)..b.len()).find(|&j| b[j].is_ascii_uppercase() && b[j - 1].is_ascii_alphanumeric())
        };
        // Capitals after a letter, a digit, a space and a hyphen, at every offset around the
        // block edges, with non-ASCII text before them.
        for pad in 0..70 {
            for inner in ["aB", "9Q", " Z", "-K", "é ", "ÉtÉ"] {
                let text = format!(
                    "{}{inner}{}",
                    "x ".repeat(pad / 2) + if pad % 2 == 1 { "y" } else { "" },
                    " tail".repeat(9)
                );
                let b = text.as_bytes();
                for from in 0..b.len() + 2 {
                    assert_eq!(inner_capital(b, from), naive(b, from), "{text:?} from {from}");
                }
            }
        }
        assert_eq!(inner_capital(b"", 0), None);
        assert_eq!(inner_capital(b"A", 0), None, "the first byte follows nothing");
    }
}
