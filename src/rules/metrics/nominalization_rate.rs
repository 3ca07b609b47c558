//! Nominalization rate.
//!
//! ## What it flags
//! Documents dense in -tion, -ment, -ness, -ity, -ance and -ence nouns per
//! 1,000 words, the noun-heavy register instruction-tuned models keep even
//! in casual genres.
//! ## Why it is a tell
//! GPT-4o uses nominalizations at 2.1 times the human rate (Reinhart et al.
//! 2025). Academic and legal prose are nominal by nature, so this is weak
//! evidence and a note.
//! ## Settings
//! `per-thousand` (rate that fires), `min-words`.

use serde::Deserialize;

use super::{Metric, QuotedCursor, hit, per_thousand_words, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_rate")]
    per_thousand: f64,
    #[serde(default = "default_min_words")]
    min_words: usize,
}

fn default_rate() -> f64 {
    80.0
}
fn default_min_words() -> usize {
    200
}

const SUFFIXES: &[&str] = &[
    "tion", "tions", "ment", "ments", "ness", "nesses", "ity", "ities", "ance", "ances", "ence",
    "ences",
];

/// Common short words with a nominal suffix that are not nominalizations.
const EXCEPTIONS: &[&str] = &[
    "city", "cities", "nation", "station", "mention", "moment", "comment", "cement", "fence",
    "science", "sentence", "silence", "since", "hence", "once", "dance", "chance", "france",
    "business", "witness", "fitness", "ration", "lotion", "motion", "nations",
];

struct NominalizationRate(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(NominalizationRate(settings(table)?)))
}

fn nominalizations(doc: &Document) -> Vec<Span> {
    // decide once per distinct word, then count by id
    let vocabulary = doc.vocabulary();
    let nominal: Vec<bool> = (0..vocabulary.len() as u32)
        .map(|id| {
            let lower = vocabulary.text(id);
            lower.len() >= 7
                // every suffix ends in one of these: most words stop here
                && lower.ends_with(['n', 's', 't', 'y', 'e'])
                && lower.is_ascii()
                && SUFFIXES.iter().any(|s| lower.ends_with(s))
                && !EXCEPTIONS.contains(&lower)
        })
        .collect();
    let mut quoted = QuotedCursor::new(doc);
    doc.words()
        .iter()
        .zip(doc.word_ids())
        .filter(|(w, id)| {
            nominal.get(**id as usize).copied().unwrap_or(false) && !quoted.is_quoted(**w)
        })
        .map(|(w, _)| *w)
        .collect()
}

/// Nominalizations per 1,000 words; `None` without words.
pub fn per_thousand(doc: &Document) -> Option<f64> {
    per_thousand_words(doc, nominalizations(doc).len())
}

impl Metric for NominalizationRate {
    fn measure(&self, doc: &Document) -> Option<f64> {
        per_thousand(doc)
    }

    fn check(&self, doc: &Document, rule: usize, out: &mut Vec<Hit>) {
        let words = doc.word_count();
        if words < self.0.min_words.max(1) {
            return;
        }
        let found = nominalizations(doc);
        let rate = found.len() as f64 * 1000.0 / words as f64;
        if rate < self.0.per_thousand {
            return;
        }
        let Some(&first) = found.first() else { return };
        out.push(hit(
            rule,
            first,
            format!(
                "noun-heavy register: {} nominalizations in {words} words ({rate:.0} per 1,000; limit {})",
                found.len(),
                self.0.per_thousand
            ),
        ));
    }
}
