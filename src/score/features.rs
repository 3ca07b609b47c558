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
pub const RATE_FLOOR_WORDS: usize = 400;

/// A rule's findings per 1,000 words with diminishing returns:
/// `ln(1 + 1000·n/words)`, with at least [`RATE_FLOOR_WORDS`] words.
pub fn rate_value(count: u32, words: usize) -> f64 {
    (1000.0 * f64::from(count) / words.max(RATE_FLOOR_WORDS) as f64).ln_1p()
}

/// Words of running text at which the lexicon's evidence counts half.
pub const HALF_EVIDENCE_WORDS: f64 = 600.0;

/// Sentences of running text at which the measurements count half.
pub const HALF_EVIDENCE_SENTENCES: f64 = 40.0;

/// How much of the lexicon's evidence a text of `words` words carries:
/// `words / (words + HALF_EVIDENCE_WORDS)`. Word rates of a short text are
/// noisy, so its word use is pulled toward that of typical human prose.
pub fn word_reliability(words: usize) -> f64 {
    words as f64 / (words as f64 + HALF_EVIDENCE_WORDS)
}

/// How much a text reads as English prose, 0 to 1, from the share of its
/// words that are common English function words (a third or more in English
/// prose, almost none in other languages): 0 below 10%, 1 from 20%.
/// The lexicon and the measurements describe English prose; on other text
/// their evidence is scaled by this.
pub fn english(obs: &Observation) -> f64 {
    if obs.words == 0 {
        return 0.0;
    }
    let share = obs.function_words as f64 / obs.words as f64;
    ((share - 0.10) / 0.10).clamp(0.0, 1.0)
}

/// The multiplier of the lexicon's evidence for an observation: its length
/// reliability times how English it reads.
pub fn word_evidence(obs: &Observation) -> f64 {
    english(obs) * word_reliability(obs.words)
}

/// The multiplier of the measurements' evidence for an observation.
pub fn metric_evidence(obs: &Observation) -> f64 {
    english(obs) * metric_reliability(obs.sentences)
}

/// How much of the measurements' evidence `sentences` sentences carry.
pub fn metric_reliability(sentences: usize) -> f64 {
    sentences as f64 / (sentences as f64 + HALF_EVIDENCE_SENTENCES)
}

/// Text lengths (in words) at which typical human use of each lexicon word
/// is measured; between them it is interpolated on a log scale.
pub const LENGTH_NODES: [usize; 7] = [25, 50, 100, 200, 400, 800, 1600];

/// Interpolation weights of `words` over [`LENGTH_NODES`] (at most two are
/// non-zero; they sum to 1).
pub fn length_weights(words: usize) -> [f64; LENGTH_NODES.len()] {
    let mut w = [0.0; LENGTH_NODES.len()];
    let n = words.max(1) as f64;
    let last = LENGTH_NODES.len() - 1;
    if n <= LENGTH_NODES[0] as f64 {
        w[0] = 1.0;
    } else if n >= LENGTH_NODES[last] as f64 {
        w[last] = 1.0;
    } else {
        let k = LENGTH_NODES
            .iter()
            .rposition(|&x| x as f64 <= n)
            .unwrap_or(0);
        let (a, b) = (
            (LENGTH_NODES[k] as f64).ln(),
            (LENGTH_NODES[k + 1] as f64).ln(),
        );
        let t = (n.ln() - a) / (b - a);
        w[k] = 1.0 - t;
        w[k + 1] = t;
    }
    w
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
    /// Words outside block quotes, structure included: what the rules read,
    /// so the denominator of their rates.
    pub checked_words: usize,
    /// Sentences of running text counted.
    pub sentences: usize,
    /// Words of running text that are common English function words.
    pub function_words: usize,
    /// Findings per rule index, ascending by index.
    pub rules: Vec<(usize, u32)>,
    /// The structural measurements.
    pub metrics: Measurements,
}

/// Each distinct word of a document as a lexicon term, normalised once per
/// document rather than once per use (a text repeats its words; per-use
/// normalising and lookup were a fifth of the time spent scoring).
#[derive(Clone, Debug, Default)]
pub struct Terms {
    /// The term of each vocabulary id, `None` for numbers and debris.
    terms: Vec<Option<Box<str>>>,
    /// Whether each vocabulary id is a common English function word.
    function: Vec<bool>,
}

impl Terms {
    /// The terms of `doc`'s vocabulary.
    pub fn of(doc: &Document) -> Terms {
        let vocabulary = doc.vocabulary();
        let mut t = Terms {
            terms: Vec::with_capacity(vocabulary.len()),
            function: Vec::with_capacity(vocabulary.len()),
        };
        let mut buf = String::new();
        for (_, word) in vocabulary.iter() {
            if terms::normalise(word, &mut buf) {
                t.function.push(terms::is_function_word(&buf));
                t.terms.push(Some(buf.as_str().into()));
            } else {
                t.function.push(false);
                t.terms.push(None);
            }
        }
        t
    }

    /// The lexicon term of vocabulary id `id`, if it is one.
    pub fn term(&self, id: u32) -> Option<&str> {
        self.terms.get(id as usize).and_then(|t| t.as_deref())
    }

    /// Whether vocabulary id `id` is a common English function word.
    pub fn is_function_word(&self, id: u32) -> bool {
        self.function.get(id as usize).copied().unwrap_or(false)
    }

    /// Maps every vocabulary id through `f` applied to its term.
    pub fn map<T>(&self, mut f: impl FnMut(&str) -> Option<T>) -> Vec<Option<T>> {
        self.terms
            .iter()
            .map(|t| t.as_deref().and_then(&mut f))
            .collect()
    }
}

/// Observes blocks `blocks` of `doc` (all blocks when `None`), with the
/// findings whose span starts in them; calls `term` once per word of running
/// text, in order, with the word's vocabulary id when `terms` has it as a
/// lexicon term, or `None` for words that are not terms (numbers, debris).
pub fn observe(
    doc: &Document,
    terms: &Terms,
    findings: &[Finding],
    blocks: Option<Range<usize>>,
    mut term: impl FnMut(Option<u32>),
) -> Observation {
    let range = blocks.clone().unwrap_or(0..doc.blocks().len());
    let mut words = 0;
    let mut checked_words = 0;
    let mut sentence_count = 0;
    let mut function_words = 0;
    let ids = doc.word_ids();
    for block in &doc.blocks()[range.clone()] {
        if !block.quoted {
            checked_words += doc.sentences()[block.sentences.clone()]
                .iter()
                .map(|s| s.words.len())
                .sum::<usize>();
        }
        if !structure::is_running_text(doc, block) {
            continue;
        }
        let sentences = &doc.sentences()[block.sentences.clone()];
        for s in sentences {
            words += s.words.len();
            sentence_count += usize::from(!s.words.is_empty());
            for &id in &ids[s.words.clone()] {
                if terms.term(id).is_some() {
                    function_words += usize::from(terms.is_function_word(id));
                    term(Some(id));
                } else {
                    term(None);
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
        checked_words,
        sentences: sentence_count,
        function_words,
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
    fn length_weights_interpolate_on_a_log_scale() {
        assert_eq!(length_weights(10)[0], 1.0);
        assert_eq!(length_weights(5000)[LENGTH_NODES.len() - 1], 1.0);
        let w = length_weights(100);
        assert_eq!(w[2], 1.0);
        let w = length_weights(141); // about halfway between 100 and 200 in log terms
        assert!(
            (w[2] - 0.5).abs() < 0.01 && (w[3] - 0.5).abs() < 0.01,
            "{w:?}"
        );
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn block_quotes_are_not_counted() {
        let doc = crate::source::document(
            "Our words here.\n\n> Their words, quoted at length here.\n".into(),
            crate::text::Markup::Markdown,
        );
        let terms = Terms::of(&doc);
        let mut seen = Vec::new();
        let obs = observe(&doc, &terms, &[], None, |t| {
            seen.extend(t.and_then(|id| terms.term(id)).map(str::to_string));
        });
        assert_eq!(obs.words, 3);
        assert_eq!(seen, ["our", "words", "here"]);
    }
}
