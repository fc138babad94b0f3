//! The generator's vocabulary and templates (`data/sample.yaml`), and the popularity curves of
//! its topics.

use std::sync::LazyLock;

use serde::Deserialize;

/// Everything `data/sample.yaml` holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocab {
    pub topics: Vec<Topic>,
    pub generic_keywords: Vec<String>,
    pub name_parts: NameParts,
    pub benchmarks: Vec<String>,
    pub models: Vec<String>,
    pub first_names: Vec<String>,
    pub last_names: Vec<String>,
    pub organisations: Vec<String>,
    pub comments: Vec<String>,
    pub titles: Vec<String>,
    pub verbing: Vec<String>,
    #[serde(rename = "abstract")]
    pub abstract_text: Vec<String>,
    pub summary: Vec<String>,
    pub critique: Critique,
    pub overview: Vec<String>,
    pub theme_line: Vec<String>,
    pub verbed: Vec<String>,
}

/// A research topic: how digests name it, its keywords in their many spellings, and how its
/// popularity moves over the archive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub labels: Vec<String>,
    pub keywords: Vec<String>,
    pub problems: Vec<String>,
    pub objects: Vec<String>,
    pub shape: Shape,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameParts {
    pub stems: Vec<String>,
    pub suffixes: Vec<String>,
    pub letters: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Critique {
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
}

/// A popularity curve over the archive's span, `t` from 0 (first day) to 1 (last day).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, tag = "kind", rename_all = "lowercase")]
pub enum Shape {
    Steady { level: f64 },
    Rising { level: f64, at: f64, width: f64 },
    Fading { level: f64, at: f64, width: f64 },
    Burst { level: f64, at: f64, width: f64, height: f64 },
    Wave { level: f64, width: f64 },
}

impl Shape {
    /// The topic's weight at `t`; never below a small floor, so every topic appears now and then.
    pub fn weight(self, t: f64) -> f64 {
        let logistic = |at: f64, width: f64| 1.0 / (1.0 + (-(t - at) / width).exp());
        let w = match self {
            Shape::Steady { level } => level,
            Shape::Rising { level, at, width } => level * logistic(at, width),
            Shape::Fading { level, at, width } => level * (1.0 - logistic(at, width)),
            Shape::Burst { level, at, width, height } => level + height * (-((t - at) / width).powi(2) / 2.0).exp(),
            Shape::Wave { level, width } => level * (1.0 + 0.8 * (std::f64::consts::TAU * t / width).sin()),
        };
        w.max(0.05)
    }
}

/// The built-in vocabulary, parsed once.
pub fn vocab() -> &'static Vocab {
    static VOCAB: LazyLock<Vocab> = LazyLock::new(|| {
        serde_yaml::from_str(include_str!("data/sample.yaml"))
            .unwrap_or_else(|e| panic!("src/sample/data/sample.yaml is built in and must parse: {e}"))
    });
    &VOCAB
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::taxonomy::Taxonomy;
    use crate::normalize::{Normalizer, Vocabulary};

    #[test]
    fn every_list_is_filled_and_every_topic_is_complete() {
        let v = vocab();
        assert!(v.topics.len() >= 10);
        for t in &v.topics {
            let lists = [&t.labels, &t.keywords, &t.problems, &t.objects];
            assert!(lists.iter().all(|l| !l.is_empty()), "topic {} has an empty list", t.id);
        }
        let lists = [&v.benchmarks, &v.models, &v.first_names, &v.last_names, &v.titles, &v.abstract_text];
        assert!(lists.iter().all(|l| !l.is_empty()));
    }

    #[test]
    fn every_topic_maps_to_a_canonical_theme() {
        // The sample exercises the taxonomy: each topic's keywords must reach a built-in theme.
        let builtin = Vocabulary::builtin();
        let normalizer = Normalizer::new(&builtin, Default::default());
        let taxonomy = Taxonomy::new(&builtin, &normalizer);
        for t in &vocab().topics {
            let norms: Vec<String> = t.keywords.iter().map(|k| normalizer.normalize(k).norm).collect();
            let hits = norms.iter().filter(|n| !taxonomy.keyword_hits(&[n.as_str()]).is_empty()).count();
            assert!(hits * 2 >= norms.len(), "topic {}: only {hits} of {} keywords hit a theme", t.id, norms.len());
        }
    }

    #[test]
    fn shapes_move_as_named() {
        let rising = Shape::Rising { level: 1.0, at: 0.5, width: 0.1 };
        assert!(rising.weight(0.9) > 5.0 * rising.weight(0.1));
        let burst = Shape::Burst { level: 0.5, at: 0.5, width: 0.05, height: 2.0 };
        assert!(burst.weight(0.5) > 4.0 * burst.weight(0.2));
        let fading = Shape::Fading { level: 1.0, at: 0.5, width: 0.1 };
        assert!(fading.weight(0.1) > 5.0 * fading.weight(0.9));
    }
}
