//! Common-marker density.
//!
//! ## What it flags
//! Documents dense in Kobak et al.'s ten frequent marker words (across,
//! additionally, comprehensive, crucial, enhancing, exhibited, insights,
//! notably, particularly, within), per 1,000 words.
//! ## Why it is a tell
//! None of these words is odd alone, but their combined rate rose sharply in
//! 2024 abstracts. On the dev set they run at 0.97 per 1,000 words in human
//! text and 2.94 in AI text; the threshold sits near 2.5 times the human
//! mean. Student essays come closest, so the rule is a note.
//! ## Settings
//! `per-thousand` (rate that fires), `min-words`, `min-hits`.

use serde::Deserialize;

use super::{Context, Density, Metric, per_thousand_words, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

/// The ten common marker words of Kobak, González-Márquez, Horvát and Lause
/// (2025), Science Advances 11(27): Appendix A.1 of the catalogue.
pub const MARKERS: [&str; 10] = [
    "across",
    "additionally",
    "comprehensive",
    "crucial",
    "enhancing",
    "exhibited",
    "insights",
    "notably",
    "particularly",
    "within",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_rate")]
    per_thousand: f64,
    #[serde(default = "default_min_words")]
    min_words: usize,
    #[serde(default = "default_min_hits")]
    min_hits: usize,
}

fn default_rate() -> f64 {
    4.0
}
fn default_min_words() -> usize {
    150
}
fn default_min_hits() -> usize {
    3
}

struct CommonMarkerDensity(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(CommonMarkerDensity(settings(table)?)))
}

fn markers(doc: &Document) -> Vec<Span> {
    let ids: Vec<u32> = MARKERS
        .iter()
        .filter_map(|m| doc.vocabulary().id(m))
        .collect();
    if ids.is_empty() {
        return Vec::new();
    }
    // one bit per id modulo 64: most words are told apart by one test,
    // not a search of the list (10 M instructions over 2.8 MB of
    // Markdown, where the list held several of the ten words)
    let mask = ids.iter().fold(0u64, |m, &id| m | 1 << (id % 64));
    doc.words()
        .iter()
        .zip(doc.word_ids())
        .filter(|&(w, &id)| mask & 1 << (id % 64) != 0 && ids.contains(&id) && !doc.is_quoted(*w))
        .map(|(w, _)| *w)
        .collect()
}

/// Marker words per 1,000 words; `None` without words.
pub fn per_thousand(doc: &Document) -> Option<f64> {
    per_thousand_words(doc, markers(doc).len())
}

impl Metric for CommonMarkerDensity {
    fn measure(&self, doc: &Document) -> Option<f64> {
        per_thousand(doc)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        Density {
            min_words: self.0.min_words,
            min_count: self.0.min_hits,
            per_thousand: self.0.per_thousand,
        }
        .check(
            doc,
            rule,
            "common marker words (crucial, notably, insights, ...)",
            markers,
            out,
        );
    }
}
