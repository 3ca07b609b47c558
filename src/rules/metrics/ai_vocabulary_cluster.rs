//! AI-vocabulary cluster.
//!
//! ## What it flags
//! Several different excess-vocabulary words inside a short window of
//! sentences ("The pivotal study delves into the intricate interplay ...").
//! ## Why it is a tell
//! Any one of these words is ordinary English; the corpus studies report
//! co-occurrence, not single words. In 2024 "underscore" correlated with
//! "pivotal" at 0.449 and with "delve" at 0.311 across papers, against 0.032
//! and 0.018 in 2022 (Kousha and Thelwall). Each word carries its published
//! frequency ratio in the pack, and a window fires when enough distinct
//! words with enough combined evidence (the sum of their log ratios) meet.
//! ## Settings
//! `ratios` (word = excess ratio, with the source named in the pack),
//! `window` (sentences), `min-distinct` (distinct words in a window),
//! `min-evidence` (sum of natural-log ratios in a window).

use std::collections::HashMap;

use serde::Deserialize;

use super::context::{LISTED, WordList};
use super::{Context, Metric, QuotedCursor, hit, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

/// Listed words (lowercase) and their excess ratios. A fixed fast hasher
/// rather than the standard one: the keys are a pack's own words, so
/// flooding resistance buys nothing, and with SipHash the lookup of each
/// listed word of a document was most of this metric's cost.
pub type Ratios = HashMap<String, f64, foldhash::fast::FixedState>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default)]
    ratios: Ratios,
    #[serde(default = "default_window")]
    window: usize,
    #[serde(default = "default_min_distinct")]
    min_distinct: usize,
    #[serde(default = "default_min_evidence")]
    min_evidence: f64,
}

fn default_window() -> usize {
    3
}
fn default_min_distinct() -> usize {
    3
}
fn default_min_evidence() -> f64 {
    4.0
}

struct AiVocabularyCluster {
    settings: Settings,
    /// The listed words (the keys of `ratios`), for [`Context::lists`].
    words: WordList,
}

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    let mut s: Settings = settings(table)?;
    if let Some((w, r)) = s.ratios.iter().find(|(_, r)| !r.is_finite() || **r < 1.0) {
        return Err(format!(
            "bad settings: ratio of `{w}` is {r}; excess ratios are 1 or more"
        ));
    }
    if s.window == 0 {
        return Err("bad settings: `window` must be at least 1".into());
    }
    s.ratios = s
        .ratios
        .into_iter()
        .map(|(w, r)| (w.to_lowercase(), r))
        .collect();
    let mut words: Vec<String> = s.ratios.keys().cloned().collect();
    words.sort_unstable();
    Ok(Box::new(AiVocabularyCluster {
        settings: s,
        words: WordList::new(words),
    }))
}

/// Listed words of each sentence: (sentence index, word span, ln ratio,
/// word id). `words` are the keys of `ratios`; when `cx` lists them, their
/// occurrences were found in the context's one pass over the words.
fn listed(cx: &Context<'_>, words: &WordList, ratios: &Ratios) -> Vec<(usize, Span, f64, u32)> {
    let doc = cx.doc();
    if !cx.lists(words) {
        return listed(&Context::with_lists(doc, vec![words]), words, ratios);
    }
    let vocabulary = doc.vocabulary();
    let ids = doc.word_ids();
    let spans = doc.words();
    let sentences = doc.sentences();
    let mut quoted = QuotedCursor::new(doc);
    // most documents of some length have a few listed words: room for
    // them at the first rather than grown from empty (and nothing
    // allocated for a document with none, as most short ones are)
    let mut out = Vec::new();
    let mut si = 0;
    // the words of listed ids (of any list the context was given: those
    // `ratios` lacks are skipped), in order
    for wi in cx.classes().words(doc, LISTED) {
        let Some(ratio) = ratios.get(vocabulary.text(ids[wi])) else {
            continue;
        };
        // the sentence holding word `wi`, if any: sentences hold words in
        // order, so the cursor only moves forward
        while sentences.get(si).is_some_and(|s| s.words.end <= wi) {
            si += 1;
        }
        let Some(s) = sentences.get(si) else {
            break;
        };
        if wi < s.words.start || doc.blocks()[s.block].quoted {
            continue;
        }
        if !quoted.is_quoted(spans[wi]) {
            if out.capacity() == 0 {
                out.reserve(16);
            }
            out.push((si, spans[wi], ratio.ln(), ids[wi]));
        }
    }
    out
}

/// The clusters of `doc`: for each window that fires, the span of its first
/// listed word, its distinct words and their summed log ratios. Windows do
/// not overlap: after a cluster the scan resumes past it.
pub fn clusters(
    cx: &Context<'_>,
    words: &WordList,
    ratios: &Ratios,
    window: usize,
    min_distinct: usize,
    min_evidence: f64,
) -> Vec<(Span, Vec<String>, f64)> {
    let doc = cx.doc();
    let found = listed(cx, words, ratios);
    let mut out = Vec::new();
    // the distinct words of the window, by their first entry in `found`:
    // a word's id stands for its lowercase text, so windows compare ids,
    // and only the words of a cluster (few windows make one) are spelled
    // out, where lowercasing each word of each window allocated
    let mut distinct: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < found.len() {
        let start_sentence = found[i].0;
        distinct.clear();
        let mut evidence = 0.0;
        let mut j = i;
        while j < found.len() && found[j].0 < start_sentence + window {
            if !distinct.iter().any(|&k| found[k].3 == found[j].3) {
                evidence += found[j].2;
                distinct.push(j);
            }
            j += 1;
        }
        if distinct.len() >= min_distinct && evidence >= min_evidence {
            let words = distinct
                .iter()
                .map(|&k| doc.text(found[k].1).to_lowercase())
                .collect();
            out.push((found[i].1, words, evidence));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Summed log ratios of the distinct listed words per 1,000 words: the
/// document's excess-vocabulary evidence, for the score model.
pub fn evidence_per_thousand(doc: &Document, ratios: &Ratios) -> Option<f64> {
    let words = doc.word_count();
    if words == 0 {
        return None;
    }
    let mut seen: Vec<String> = Vec::new();
    let mut total = 0.0;
    let listed_words = WordList::new(ratios.keys().cloned().collect());
    for (_, span, ln, _) in listed(&Context::new(doc), &listed_words, ratios) {
        let text = doc.text(span).to_lowercase();
        if !seen.contains(&text) {
            total += ln;
            seen.push(text);
        }
    }
    Some(total * 1000.0 / words as f64)
}

impl Metric for AiVocabularyCluster {
    fn listed_words(&self) -> Option<&WordList> {
        Some(&self.words)
    }

    fn measure(&self, doc: &Document) -> Option<f64> {
        evidence_per_thousand(doc, &self.settings.ratios)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let s = &self.settings;
        for (span, words, evidence) in clusters(
            cx,
            &self.words,
            &s.ratios,
            s.window,
            s.min_distinct,
            s.min_evidence,
        ) {
            out.push(hit(
                rule,
                span,
                format!(
                    "{} AI-favoured words within {} sentences ({}; evidence {evidence:.1})",
                    words.len(),
                    s.window,
                    words.join(", ")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The listed words as first written: a lookup per word.
    fn reference(doc: &Document, ratios: &Ratios) -> Vec<(usize, Span, f64, u32)> {
        let mut out = Vec::new();
        for (si, s) in doc.sentences().iter().enumerate() {
            if doc.blocks()[s.block].quoted {
                continue;
            }
            for wi in s.words.clone() {
                let w = doc.words()[wi];
                let word = doc.vocabulary().text(doc.word_ids()[wi]);
                if let Some(ratio) = ratios.get(word)
                    && !doc.is_quoted(w)
                {
                    out.push((si, w, ratio.ln(), doc.word_ids()[wi]));
                }
            }
        }
        out
    }

    /// The clusters as first written: each window's words lowercased and
    /// compared as text.
    fn reference_clusters(
        doc: &Document,
        found: &[(usize, Span, f64, u32)],
        window: usize,
        min_distinct: usize,
        min_evidence: f64,
    ) -> Vec<(Span, Vec<String>, f64)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < found.len() {
            let mut words: Vec<String> = Vec::new();
            let mut evidence = 0.0;
            let mut j = i;
            while j < found.len() && found[j].0 < found[i].0 + window {
                let text = doc.text(found[j].1).to_lowercase();
                if !words.contains(&text) {
                    evidence += found[j].2;
                    words.push(text);
                }
                j += 1;
            }
            if words.len() >= min_distinct && evidence >= min_evidence {
                out.push((found[i].1, words, evidence));
                i = j;
            } else {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn clusters_are_the_windows_of_distinct_lowercase_words() {
        let ratios: Ratios = [
            ("the", 1.5),
            ("and", 1.2),
            ("of", 1.1),
            ("a", 1.3),
            ("to", 1.05),
            ("is", 1.4),
            ("it", 2.0),
        ]
        .into_iter()
        .map(|(w, r)| (w.to_string(), r))
        .collect();
        let words = WordList::new(ratios.keys().cloned().collect());
        let mut fired = 0;
        for doc in crate::rules::metrics::sample_documents() {
            let cx = Context::new(&doc);
            let found = listed(&cx, &words, &ratios);
            for (window, min_distinct, min_evidence) in [(1, 2, 0.3), (2, 3, 0.5), (3, 4, 1.0)] {
                let got = clusters(&cx, &words, &ratios, window, min_distinct, min_evidence);
                let expected = reference_clusters(&doc, &found, window, min_distinct, min_evidence);
                assert_eq!(got, expected, "{}", doc.prose());
                fired += got.len();
            }
        }
        assert!(fired > 1000, "the samples make clusters: {fired}");
    }

    #[test]
    fn listed_words_are_found_by_id() {
        let ratios: Ratios = [
            ("delve", 25.0),
            ("delves", 25.0),
            ("pivotal", 5.0),
            ("intricate", 4.0),
            ("the", 1.5),
            ("and", 1.2),
            ("said", 1.0),
        ]
        .into_iter()
        .map(|(w, r)| (w.to_string(), r))
        .collect();
        let words = WordList::new(ratios.keys().cloned().collect());
        let mut found = 0;
        for doc in crate::rules::metrics::sample_documents() {
            let expected = reference(&doc, &ratios);
            found += expected.len();
            assert_eq!(
                listed(&Context::new(&doc), &words, &ratios),
                expected,
                "{}",
                doc.prose()
            );
        }
        assert!(found > 1000, "the samples hold listed words");
    }
}
