//! Paragraph-length uniformity.
//!
//! ## What it flags
//! Documents of five or more paragraphs of nearly equal length (a low
//! coefficient of variation of words per paragraph).
//! ## Why it is a tell
//! Generated articles give each paragraph one job and the same size, so
//! they could be reordered without loss; the dev set's AI median is 0.28
//! against 0.52 for human reviews. Templates (press releases, newsletters)
//! make human paragraphs uniform too, so this is weak evidence.
//! ## Settings
//! `max-cv` (fires at or below), `min-paragraphs`, `min-words` (paragraphs
//! shorter than this, such as one-line captions, are not counted).

use serde::Deserialize;

use super::{Context, Metric, coefficient_of_variation, hit, running_blocks, settings};
use crate::rules::Hit;
use crate::text::Document;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_max_cv")]
    max_cv: f64,
    #[serde(default = "default_min_paragraphs")]
    min_paragraphs: usize,
    #[serde(default = "default_min_words")]
    min_words: usize,
}

fn default_max_cv() -> f64 {
    0.2
}
fn default_min_paragraphs() -> usize {
    5
}
fn default_min_words() -> usize {
    15
}

struct ParagraphLengthUniformity(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(ParagraphLengthUniformity(settings(table)?)))
}

/// Words per running paragraph of at least `min_words` words, in order,
/// and the block index of the first such paragraph. Room for every block
/// from the start: growing the list from empty reallocated it a few times
/// per document.
fn paragraph_lengths(
    doc: &Document,
    min_paragraphs: usize,
    min_words: usize,
) -> (Option<usize>, Vec<f64>) {
    // too few blocks for enough paragraphs: nothing to gather (a short
    // file's lengths were most of this metric's cost)
    if doc.blocks().len() < min_paragraphs.max(2) {
        return (None, Vec::new());
    }
    let sentences = doc.sentences();
    let mut first = None;
    let mut lengths = Vec::with_capacity(doc.blocks().len());
    for (i, b) in running_blocks(doc, false) {
        let words: usize = sentences[b.sentences.clone()]
            .iter()
            .map(|s| s.words.len())
            .sum();
        if words >= min_words {
            first.get_or_insert(i);
            lengths.push(words as f64);
        }
    }
    (first, lengths)
}

/// The coefficient of variation of `lengths`, when there are at least
/// `min_paragraphs` of them.
fn cv_of(lengths: &[f64], min_paragraphs: usize) -> Option<f64> {
    if lengths.len() < min_paragraphs.max(2) {
        return None;
    }
    coefficient_of_variation(lengths)
}

/// Coefficient of variation of words per paragraph over paragraphs of at
/// least `min_words` words, when there are at least `min_paragraphs`.
pub fn paragraph_length_cv(doc: &Document, min_paragraphs: usize, min_words: usize) -> Option<f64> {
    cv_of(
        &paragraph_lengths(doc, min_paragraphs, min_words).1,
        min_paragraphs,
    )
}

impl Metric for ParagraphLengthUniformity {
    fn measure(&self, doc: &Document) -> Option<f64> {
        paragraph_length_cv(doc, self.0.min_paragraphs, self.0.min_words)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        // the lengths found once, for the measure and the message
        let (first, lengths) = paragraph_lengths(doc, self.0.min_paragraphs, self.0.min_words);
        let Some(cv) = cv_of(&lengths, self.0.min_paragraphs) else {
            return;
        };
        if cv > self.0.max_cv {
            return;
        }
        let Some(first) = first else {
            return;
        };
        let b = &doc.blocks()[first];
        out.push(hit(
            rule,
            doc.sentences()[b.sentences.start].span,
            format!(
                "{} paragraphs of nearly equal length: coefficient of variation {cv:.2} (limit {})",
                lengths.len(),
                self.0.max_cv
            ),
        ));
    }
}
