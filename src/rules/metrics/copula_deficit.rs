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

use super::{Metric, hit, running_blocks, settings};
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

/// Sentences of running text, present copulas (is/are/isn't/aren't/'s not
/// counted) and past copulas (was/were).
fn counts(doc: &Document) -> (usize, usize, usize) {
    // compare interned word ids: no word is lowercased again
    let ids = |words: &[&str]| -> Vec<u32> {
        words
            .iter()
            .filter_map(|w| doc.vocabulary().id(w))
            .collect()
    };
    // the tense of each word id: one lookup per word, not eight compares
    const OTHER: u8 = 0;
    const PRESENT: u8 = 1;
    const PAST: u8 = 2;
    let mut tense = vec![OTHER; doc.vocabulary().len()];
    for id in ids(&["was", "were", "wasn't", "weren't"]) {
        tense[id as usize] = PAST;
    }
    for id in ids(&["is", "are", "isn't", "aren't"]) {
        tense[id as usize] = PRESENT;
    }
    let (mut sentences, mut present, mut past) = (0, 0, 0);
    let word_ids = doc.word_ids();
    for (_, b) in running_blocks(doc, false) {
        for s in &doc.sentences()[b.sentences.clone()] {
            sentences += 1;
            for &id in &word_ids[s.words.clone()] {
                match tense.get(id as usize) {
                    Some(&PRESENT) => present += 1,
                    Some(&PAST) => past += 1,
                    _ => {}
                }
            }
        }
    }
    (sentences, present, past)
}

/// Plain "is"/"are" per sentence of running text, for documents with at
/// least `min_sentences` sentences that are not mostly in the past tense.
pub fn copulas_per_sentence(doc: &Document, min_sentences: usize) -> Option<f64> {
    let (sentences, present, past) = counts(doc);
    if sentences < min_sentences.max(1) || past > present.max(2) {
        return None;
    }
    Some(present as f64 / sentences as f64)
}

impl Metric for CopulaDeficit {
    fn measure(&self, doc: &Document) -> Option<f64> {
        copulas_per_sentence(doc, self.0.min_sentences)
    }

    fn check(&self, doc: &Document, rule: usize, out: &mut Vec<Hit>) {
        let Some(rate) = self.measure(doc) else {
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
