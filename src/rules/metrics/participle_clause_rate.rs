//! Participle-clause rate.
//!
//! ## What it flags
//! Documents with many present-participle clauses after a comma
//! (", adding ...", ", making ...") per 1,000 words.
//! ## Why it is a tell
//! Present participial clauses are the grammatical feature instruction-tuned
//! models overuse most: GPT-4o writes them at 5.3 times the human rate
//! (Reinhart et al. 2025). On the dev set the human median is 0 per 1,000
//! words and the AI median about 7. Narrative fiction uses them heavily, so
//! the rule is a note. The evaluative subset (", highlighting ...") is the
//! pattern rule `superficial-ing-analysis`.
//! ## Settings
//! `per-thousand` (rate that fires), `min-words`, `min-clauses`.

use serde::Deserialize;

use super::context::PARTICIPLE;
use super::{Context, Density, Metric, QuotedCursor, per_thousand_words, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_rate")]
    per_thousand: f64,
    #[serde(default = "default_min_words")]
    min_words: usize,
    #[serde(default = "default_min_clauses")]
    min_clauses: usize,
}

fn default_rate() -> f64 {
    6.0
}
fn default_min_words() -> usize {
    150
}
fn default_min_clauses() -> usize {
    3
}

/// Words ending in -ing that are not participles.
const NOT_PARTICIPLES: &[&str] = &[
    "thing",
    "nothing",
    "something",
    "anything",
    "everything",
    "during",
    "morning",
    "evening",
    "king",
    "string",
    "spring",
    "bring",
    "ring",
    "wing",
    "sing",
    "sting",
    "ceiling",
    "building",
    "ping",
    "swing",
    "thing's",
    "including",
    "according",
    "regarding",
    "concerning",
    "pending",
    "notwithstanding",
    "wedding",
    "pudding",
    "sibling",
    "darling",
    "viking",
    "duckling",
];

struct ParticipleClauseRate(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(ParticipleClauseRate(settings(table)?)))
}

/// Whether a word (lowercased) may be a participle: one that does not end
/// in "ing" cannot. Decided once per distinct word ([`Context`]).
pub(super) fn may_be_participle(lower: &[u8]) -> bool {
    lower.ends_with(b"ing")
}

/// Indices of the words that pass the cheap tests of a participle
/// clause: right after ", ", lowercase, five bytes or more, ending in
/// "ing". Every clause is one of them.
fn candidates<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = usize> + 'a {
    let doc = cx.doc();
    let words = doc.words();
    let bytes = doc.prose().as_bytes();
    cx.classes().words(doc, PARTICIPLE).filter(move |&i| {
        let w = &words[i];
        let (start, end) = (w.start as usize, w.end as usize);
        // right after ", ": the cheapest test, and most words fail it
        if start < 2 || bytes.get(start - 2..start) != Some(b", ".as_slice()) {
            return false;
        }
        let text = &bytes[start..end];
        text.len() >= 5 && text.ends_with(b"ing") && text[0].is_ascii_lowercase()
    })
}

/// Spans of the `, <word>ing` participles outside quotations.
fn clauses(cx: &Context<'_>) -> Vec<Span> {
    let doc = cx.doc();
    let bytes = doc.prose().as_bytes();
    let words = doc.words();
    let mut quoted = QuotedCursor::new(doc);
    let mut out = Vec::new();
    for i in candidates(cx) {
        let w = &words[i];
        let text = &bytes[w.start as usize..w.end as usize];
        // the comma must follow a word of the same sentence
        if i == 0
            || doc.sentence_at(words[i - 1].start as usize) != doc.sentence_at(w.start as usize)
        {
            continue;
        }
        if NOT_PARTICIPLES
            .iter()
            .any(|n| text.eq_ignore_ascii_case(n.as_bytes()))
            || quoted.is_quoted(*w)
        {
            continue;
        }
        out.push(*w);
    }
    out
}

/// Participle clauses after a comma per 1,000 words; `None` without words.
pub fn per_thousand(doc: &Document) -> Option<f64> {
    per_thousand_words(doc, clauses(&Context::new(doc)).len())
}

impl Metric for ParticipleClauseRate {
    fn measure(&self, doc: &Document) -> Option<f64> {
        per_thousand(doc)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let density = Density {
            min_words: self.0.min_words,
            min_count: self.0.min_clauses,
            per_thousand: self.0.per_thousand,
        };
        // the candidates bound the clauses from above: when even they are
        // too few to fire (most documents), the dearer tests (the
        // sentence, the exceptions, quotations) are not run
        let find = |_: &Document| {
            if density.cannot_fire(cx.doc(), candidates(cx).count()) {
                Vec::new()
            } else {
                clauses(cx)
            }
        };
        density.check(cx.doc(), rule, "\", ...ing\" clauses", find, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The clauses as first written: every word of the document tested.
    fn reference(doc: &Document) -> Vec<Span> {
        let prose = doc.prose();
        let words = doc.words();
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let text = &prose[w.range()];
            if text.len() < 5
                || !text.ends_with("ing")
                || !text.starts_with(|c: char| c.is_ascii_lowercase())
                || !prose[..w.start as usize].ends_with(", ")
            {
                continue;
            }
            if i == 0
                || doc.sentence_at(words[i - 1].start as usize) != doc.sentence_at(w.start as usize)
            {
                continue;
            }
            let lower = text.to_ascii_lowercase();
            if NOT_PARTICIPLES.contains(&lower.as_str()) || doc.is_quoted(*w) {
                continue;
            }
            out.push(*w);
        }
        out
    }

    #[test]
    fn the_screen_drops_only_documents_that_cannot_fire() {
        let mut fired = 0;
        for doc in crate::rules::metrics::sample_documents() {
            let cx = Context::new(&doc);
            for (per_thousand, min_clauses) in [(0.0, 1), (2.0, 1), (6.0, 3), (12.0, 4)] {
                let settings = Settings {
                    per_thousand,
                    min_words: 1,
                    min_clauses,
                };
                let density = Density {
                    min_words: settings.min_words,
                    min_count: settings.min_clauses,
                    per_thousand,
                };
                let mut expected = Vec::new();
                density.check(
                    &doc,
                    0,
                    "\", ...ing\" clauses",
                    |_| reference(&doc),
                    &mut expected,
                );
                let mut hits = Vec::new();
                ParticipleClauseRate(settings).check(&cx, 0, &mut hits);
                assert_eq!(hits, expected, "{}", doc.prose());
                fired += hits.len();
            }
        }
        assert!(fired > 20, "the samples fire at low limits");
    }

    #[test]
    fn classes_find_every_clause() {
        let mut found = 0;
        for doc in crate::rules::metrics::sample_documents() {
            let expected = reference(&doc);
            found += expected.len();
            assert_eq!(clauses(&Context::new(&doc)), expected, "{}", doc.prose());
        }
        assert!(found > 10, "the samples hold participle clauses");
    }
}
