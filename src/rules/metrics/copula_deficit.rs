//! Copula deficit.
//!
//! ## What it flags
//! Present-tense documents with few plain "is" and "are": the document-level
//! counterpart of the pattern rule `copula-avoidance` ("serves as", "boasts").
//! ## Why it is a tell
//! The counts of "is" and "are" in arXiv abstracts fell more than 10% in
//! 2023, and GPT-3.5 revising abstracts reproduces the drop (Geng and
//! Trotta). Tense moves the rate a lot, so only documents written mostly in
//! the present (more present than past copulas) are measured.
//! ## Settings
//! `max-per-sentence` (fires at or below), `min-sentences`.

use serde::Deserialize;

use super::context::{PAST_COPULA, PRESENT_COPULA};
use super::{Context, Metric, hit, running_blocks, settings};
use crate::rules::Hit;
use crate::text::Document;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_max")]
    max_per_sentence: f64,
    #[serde(default = "default_min_sentences")]
    min_sentences: usize,
}

fn default_max() -> f64 {
    0.1
}
fn default_min_sentences() -> usize {
    15
}

struct CopulaDeficit(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(CopulaDeficit(settings(table)?)))
}

/// The present-tense copulas counted.
pub(super) const PRESENT: [&str; 4] = ["is", "are", "isn't", "aren't"];
/// The past-tense copulas counted.
pub(super) const PAST: [&str; 4] = ["was", "were", "wasn't", "weren't"];

/// Sentences of running text, present copulas (is/are/isn't/aren't/'s not
/// counted) and past copulas (was/were).
fn counts(cx: &Context<'_>) -> (usize, usize, usize) {
    let doc = cx.doc();
    let classes = cx.classes();
    let ids = doc.word_ids();
    // the copulas of the document, in order, and the running sentences, in
    // order: each copula is counted in the sentence that holds it, if any
    let mut copulas = classes.words(doc, PRESENT_COPULA | PAST_COPULA).peekable();
    let (mut sentences, mut present, mut past) = (0, 0, 0);
    for (_, b) in running_blocks(doc, false) {
        for s in &doc.sentences()[b.sentences.clone()] {
            sentences += 1;
            while copulas.next_if(|&i| i < s.words.start).is_some() {}
            while let Some(i) = copulas.next_if(|&i| i < s.words.end) {
                if classes.of(ids[i]) & PRESENT_COPULA != 0 {
                    present += 1;
                } else {
                    past += 1;
                }
            }
        }
    }
    (sentences, present, past)
}

/// Plain "is"/"are" per sentence of running text, for documents with at
/// least `min_sentences` sentences that are not mostly in the past tense.
pub fn copulas_per_sentence(doc: &Document, min_sentences: usize) -> Option<f64> {
    of_counts(counts(&Context::new(doc)), min_sentences)
}

fn of_counts(
    (sentences, present, past): (usize, usize, usize),
    min_sentences: usize,
) -> Option<f64> {
    if sentences < min_sentences.max(1) || past > present.max(2) {
        return None;
    }
    Some(present as f64 / sentences as f64)
}

impl Metric for CopulaDeficit {
    fn measure(&self, doc: &Document) -> Option<f64> {
        copulas_per_sentence(doc, self.0.min_sentences)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let Some(rate) = of_counts(counts(cx), self.0.min_sentences) else {
            return;
        };
        if rate > self.0.max_per_sentence {
            return;
        }
        let Some((_, first)) = running_blocks(doc, false).next() else {
            return;
        };
        out.push(hit(
            rule,
            doc.sentences()[first.sentences.start].span,
            format!(
                "few plain copulas: {rate:.2} \"is\"/\"are\" per sentence (limit {})",
                self.0.max_per_sentence
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts as first written: every word of every running sentence.
    fn reference(doc: &Document) -> (usize, usize, usize) {
        let (mut sentences, mut present, mut past) = (0, 0, 0);
        for (_, b) in running_blocks(doc, false) {
            for s in &doc.sentences()[b.sentences.clone()] {
                sentences += 1;
                for &id in &doc.word_ids()[s.words.clone()] {
                    let word = doc.vocabulary().text(id);
                    if PRESENT.contains(&word) {
                        present += 1;
                    } else if PAST.contains(&word) {
                        past += 1;
                    }
                }
            }
        }
        (sentences, present, past)
    }

    #[test]
    fn classes_count_every_copula() {
        let mut counted = 0;
        for doc in crate::rules::metrics::sample_documents() {
            let expected = reference(&doc);
            counted += expected.1 + expected.2;
            assert_eq!(counts(&Context::new(&doc)), expected, "{}", doc.prose());
        }
        assert!(counted > 100, "the samples hold copulas");
    }
}
