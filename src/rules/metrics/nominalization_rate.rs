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

use super::context::NOMINALIZATION;
use super::{Context, Metric, QuotedCursor, hit, per_thousand_words, settings};
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

/// Whether a word (lowercased) is a nominalization: a long enough word
/// with a nominal suffix that is not a common exception. Decided once per
/// distinct word ([`Context`]).
#[inline]
pub(super) fn is_nominalization(lower: &[u8]) -> bool {
    lower.len() >= 7
        && has_nominal_suffix(lower)
        && lower.is_ascii()
        && !EXCEPTIONS.iter().any(|e| e.as_bytes() == lower)
}

/// Whether `word` ends in -tion, -ment, -ness, -ity, -ance or -ence, or a
/// plural of one. Byte patterns, not a loop over the suffixes: a loop
/// compares through `memcmp`, and this runs once per distinct word.
#[inline]
fn has_nominal_suffix(word: &[u8]) -> bool {
    matches!(
        word,
        [.., b't', b'i', b'o', b'n']
            | [.., b't', b'i', b'o', b'n', b's']
            | [.., b'm', b'e', b'n', b't']
            | [.., b'm', b'e', b'n', b't', b's']
            | [.., b'n', b'e', b's', b's']
            | [.., b'n', b'e', b's', b's', b'e', b's']
            | [.., b'i', b't', b'y']
            | [.., b'i', b't', b'i', b'e', b's']
            | [.., b'a', b'n', b'c', b'e']
            | [.., b'a', b'n', b'c', b'e', b's']
            | [.., b'e', b'n', b'c', b'e']
            | [.., b'e', b'n', b'c', b'e', b's']
    )
}

fn nominalizations(cx: &Context<'_>) -> Vec<Span> {
    let doc = cx.doc();
    let words = doc.words();
    let mut quoted = QuotedCursor::new(doc);
    cx.classes()
        .words(doc, NOMINALIZATION)
        .map(|i| words[i])
        .filter(|w| !quoted.is_quoted(*w))
        .collect()
}

/// Nominalizations per 1,000 words; `None` without words.
pub fn per_thousand(doc: &Document) -> Option<f64> {
    per_thousand_words(doc, nominalizations(&Context::new(doc)).len())
}

impl Metric for NominalizationRate {
    fn measure(&self, doc: &Document) -> Option<f64> {
        per_thousand(doc)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let words = doc.word_count();
        if words < self.0.min_words.max(1) {
            return;
        }
        // the nominalizations, quoted or not, bound the rate from above:
        // when even they fall short (most documents: the limit is a noun-
        // heavy register) no quotation need be looked up nor span kept
        let candidates = cx.classes().words(doc, NOMINALIZATION).count();
        if (candidates as f64 * 1000.0 / words as f64) < self.0.per_thousand {
            return;
        }
        let found = nominalizations(cx);
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

#[cfg(test)]
mod tests {
    use super::*;

    const SUFFIXES: &[&str] = &[
        "tion", "tions", "ment", "ments", "ness", "nesses", "ity", "ities", "ance", "ances",
        "ence", "ences",
    ];

    #[test]
    fn the_screen_drops_only_documents_below_the_limit() {
        let mut fired = 0;
        for doc in crate::rules::metrics::sample_documents() {
            let cx = Context::new(&doc);
            let words = doc.word_count();
            for per_thousand in [0.0, 10.0, 30.0, 60.0, 95.0] {
                let metric = NominalizationRate(Settings {
                    per_thousand,
                    min_words: 1,
                });
                let mut hits = Vec::new();
                metric.check(&cx, 0, &mut hits);
                // the check as first written: every nominalization found
                let found = nominalizations(&cx);
                let fires = words > 0
                    && !found.is_empty()
                    && found.len() as f64 * 1000.0 / words as f64 >= per_thousand;
                assert_eq!(hits.len(), usize::from(fires), "{}", doc.prose());
                if let Some(hit) = hits.first() {
                    assert_eq!(hit.span, found[0]);
                    fired += 1;
                }
            }
        }
        assert!(fired > 20, "the samples fire at low limits");
    }

    #[test]
    fn suffix_patterns_are_the_suffixes() {
        let mut words: Vec<String> = vec![String::new(), "s".into(), "ion".into()];
        for suffix in SUFFIXES {
            for cut in 0..suffix.len() {
                words.push(suffix[cut..].to_string());
                words.push(format!("x{}", &suffix[cut..]));
            }
        }
        for doc in crate::rules::metrics::sample_documents().iter().take(40) {
            words.extend(doc.vocabulary().iter().map(|(_, w)| w.to_string()));
        }
        let mut nominal = 0;
        for w in &words {
            let expected = SUFFIXES.iter().any(|s| w.ends_with(s));
            nominal += usize::from(expected);
            assert_eq!(has_nominal_suffix(w.as_bytes()), expected, "{w}");
        }
        assert!(nominal > 100);
    }

    #[test]
    fn nominalizations_are_told_from_exceptions() {
        for w in [
            "implementation",
            "development",
            "happiness",
            "quantities",
            "governance",
        ] {
            assert!(is_nominalization(w.as_bytes()), "{w}");
        }
        for w in [
            "station",
            "business",
            "nation",
            "running",
            "sentence",
            "naïveté",
            "",
        ] {
            assert!(!is_nominalization(w.as_bytes()), "{w}");
        }
    }
}
