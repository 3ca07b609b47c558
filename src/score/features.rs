//! What the score reads from a document, or from one stretch of it: the
//! number of words, each rule's findings, the structural measurements, and
//! every lexicon term with its count.
//!
//! Words are read from running text only ([`structure::is_running_text`]):
//! block quotes are someone else's words (the engine drops findings inside
//! them too), and headings, link titles and table cells are structure whose
//! word use is not prose. Rates use at least
//! [`RATE_FLOOR_WORDS`] words as the denominator, so one finding in a
//! 40-word paragraph does not read as a flood.

use std::ops::Range;

use super::structure::{self, Measurements};
use super::terms;
use crate::engine::Finding;
use crate::text::Document;

/// Smallest word count used as the denominator of a rate.
pub const RATE_FLOOR_WORDS: usize = 150;

/// A rule's findings per 1,000 words with diminishing returns:
/// `ln(1 + 1000·n/words)`, with at least [`RATE_FLOOR_WORDS`] words.
pub fn rate_value(count: u32, words: usize) -> f64 {
    (1000.0 * f64::from(count) / words.max(RATE_FLOOR_WORDS) as f64).ln_1p()
}

/// Words of running text at which the lexicon's evidence counts half.
pub const HALF_EVIDENCE_WORDS: f64 = 250.0;

/// Sentences of running text at which the measurements count half.
pub const HALF_EVIDENCE_SENTENCES: f64 = 10.0;

/// How much of the lexicon's evidence a text of `words` words carries:
/// `words / (words + HALF_EVIDENCE_WORDS)`. Word rates of a short text are
/// noisy, so its word use is pulled toward that of typical human prose.
pub fn word_reliability(words: usize) -> f64 {
    words as f64 / (words as f64 + HALF_EVIDENCE_WORDS)
}

/// How much of the measurements' evidence `sentences` sentences carry.
pub fn metric_reliability(sentences: usize) -> f64 {
    sentences as f64 / (sentences as f64 + HALF_EVIDENCE_SENTENCES)
}

/// A word's uses per 1,000 words with diminishing returns. No floor here:
/// common words are expected in every stretch of prose, so deflating a
/// short text's rates would read as their absence.
pub fn word_value(count: u32, words: usize) -> f64 {
    (1000.0 * f64::from(count) / words.max(1) as f64).ln_1p()
}

/// The inputs of the model for one stretch of a document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Observation {
    /// Words of running text counted.
    pub words: usize,
    /// Sentences of running text counted.
    pub sentences: usize,
    /// Findings per rule index, ascending by index.
    pub rules: Vec<(usize, u32)>,
    /// The structural measurements.
    pub metrics: Measurements,
}

/// Observes blocks `blocks` of `doc` (all blocks when `None`), with the
/// findings whose span starts in them; calls `term` once per lexicon term
/// occurrence.
pub fn observe(
    doc: &Document,
    findings: &[Finding],
    blocks: Option<Range<usize>>,
    mut term: impl FnMut(&str),
) -> Observation {
    let range = blocks.clone().unwrap_or(0..doc.blocks().len());
    let mut words = 0;
    let mut sentence_count = 0;
    let mut buf = String::new();
    for block in &doc.blocks()[range.clone()] {
        if !structure::is_running_text(doc, block) {
            continue;
        }
        let sentences = &doc.sentences()[block.sentences.clone()];
        for s in sentences {
            words += s.words.len();
            sentence_count += usize::from(!s.words.is_empty());
            for w in &doc.words()[s.words.clone()] {
                if terms::normalise(doc.text(*w), &mut buf) {
                    term(&buf);
                }
            }
        }
    }
    let source = blocks.map(|r| {
        let blocks = &doc.blocks()[r];
        match (blocks.first(), blocks.last()) {
            (Some(a), Some(b)) => {
                doc.source_range(a.span).start..doc.source_range(b.span).end.max(1)
            }
            _ => 0..0,
        }
    });
    let mut rules: Vec<(usize, u32)> = Vec::new();
    for f in findings {
        if source.as_ref().is_some_and(|r| !r.contains(&f.span.start)) {
            continue;
        }
        match rules.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, n)) => *n += 1,
            None => rules.push((f.rule, 1)),
        }
    }
    rules.sort_unstable();
    Observation {
        words,
        sentences: sentence_count,
        rules,
        metrics: structure::measure(doc, Some(range)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_have_diminishing_returns_and_a_floor() {
        assert_eq!(rate_value(0, 500), 0.0);
        let one = rate_value(1, 1000);
        let two = rate_value(2, 1000);
        assert!(two > one && two < 2.0 * one);
        assert_eq!(rate_value(1, 10), rate_value(1, RATE_FLOOR_WORDS));
    }

    #[test]
    fn block_quotes_are_not_counted() {
        let doc = crate::source::document(
            "Our words here.\n\n> Their words, quoted at length here.\n".into(),
            crate::text::Markup::Markdown,
        );
        let mut seen = Vec::new();
        let obs = observe(&doc, &[], None, |t| seen.push(t.to_string()));
        assert_eq!(obs.words, 3);
        assert_eq!(seen, ["our", "words", "here"]);
    }
}
