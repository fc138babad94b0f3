//! People's and organisations' names. Two names are one person only when their normal forms are
//! equal: case, accents, spacing and punctuation folded (`José  García-López` = `jose garcia
//! lopez` = `JOSE GARCIA LOPEZ`). Forms that differ otherwise, in particular by initials
//! (`J. Smith`, `John Smith`), are never merged: `candidates` names them for a person to judge.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The normal form of a name: lower case, accents removed (NFKD without combining marks),
/// every run of punctuation or space one space.
pub fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// Whether two normal forms may name one person written with initials: the same last word, and
/// the first words pairwise equal or one the other's initial (`j smith` / `john smith`,
/// `j p muller` / `jean pierre muller`, `jp muller` / `jean pierre muller`). Equal forms are not
/// candidates: they are one name already.
pub fn may_be_same(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let (Some((last_a, first_a)), Some((last_b, first_b))) = (wa.split_last(), wb.split_last()) else {
        return false;
    };
    if last_a != last_b || first_a.is_empty() || first_b.is_empty() {
        return false;
    }
    // Run-together initials (`jp` against `jean pierre`) count as one initial per letter.
    let expand = |words: &[&str], other: usize| -> Vec<String> {
        match words {
            [w] if other > 1 && w.chars().count() == other => w.chars().map(String::from).collect(),
            _ => words.iter().map(|w| (*w).to_owned()).collect(),
        }
    };
    let (fa, fb) = (expand(first_a, first_b.len()), expand(first_b, first_a.len()));
    fa.len() == fb.len()
        && fa.iter().zip(&fb).all(|(x, y)| {
            x == y
                || (x.chars().count() == 1 && y.starts_with(x.as_str()))
                || (y.chars().count() == 1 && x.starts_with(y.as_str()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_spacing_and_punctuation_fold() {
        assert_eq!(key("José  García-López"), "jose garcia lopez");
        assert_eq!(key("JOSE GARCIA LOPEZ"), key("José García López"));
        assert_eq!(key(" Jürgen  Müller, "), "jurgen muller");
        assert_eq!(key("J.-P. Sartre"), "j p sartre");
        assert_eq!(key("王小明"), "王小明");
        assert_eq!(key("..."), "");
    }

    #[test]
    fn initials_are_candidates_never_the_same_key() {
        assert_ne!(key("J. Smith"), key("John Smith"));
        assert!(may_be_same(&key("J. Smith"), &key("John Smith")));
        assert!(may_be_same(&key("J.P. Muller"), &key("Jean Pierre Müller")));
        assert!(may_be_same(&key("JP Muller"), &key("Jean Pierre Muller")));
        assert!(!may_be_same(&key("J. Smith"), &key("Jane Smyth")));
        assert!(!may_be_same(&key("Anna Smith"), &key("John Smith")));
        assert!(!may_be_same(&key("John Smith"), &key("John Smith")));
        assert!(!may_be_same(&key("Smith"), &key("John Smith")));
        assert!(may_be_same(&key("A. Lovelace"), &key("Ada Lovelace")));
        assert!(!may_be_same(&key("Ada Lovelace"), &key("Adam Lovelace")));
    }
}
