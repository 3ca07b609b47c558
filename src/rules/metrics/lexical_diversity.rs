//! Lexical diversity (vocabulary density).
//!
//! ## What it flags
//! Documents whose moving-average type-token ratio over 100-word windows
//! (MATTR-100) is unusually high, measured on running paragraphs outside
//! quotations (not headings, list items or cells: a digest's link titles
//! are all different words). Informational: weight 0 in the packs.
//! ## Why it is a tell
//! Folk wisdom says machine text is repetitive; recent models are the
//! opposite. On the dev set MATTR-100 is higher in AI than in human text
//! (AUROC 0.65), and every 2025 model but two beats the slop-score human
//! baseline on MATTR-500. The direction depends on model and genre, so the
//! value is reported for the score model and the editor, never scored here.
//! ## Settings
//! `min-mattr` (fires at or above), `window` (words), `min-words`.

use serde::Deserialize;

use super::{Metric, QuotedCursor, hit, running_blocks, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min")]
    min_mattr: f64,
    #[serde(default = "default_window")]
    window: usize,
    #[serde(default = "default_min_words")]
    min_words: usize,
}

fn default_min() -> f64 {
    0.8
}
fn default_window() -> usize {
    100
}
fn default_min_words() -> usize {
    300
}

struct LexicalDiversity(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    let s: Settings = settings(table)?;
    if s.window < 10 {
        return Err("bad settings: `window` must be at least 10".into());
    }
    Ok(Box::new(LexicalDiversity(s)))
}

/// The interned ids of the words of running paragraphs, outside
/// quotations. Headings, list items and table cells are left out: a list
/// of link titles is a list of distinct names, not a writer's vocabulary.
fn running_word_ids(doc: &Document) -> Vec<u32> {
    let ids = doc.word_ids();
    let words = doc.words();
    let sentences = doc.sentences();
    let mut quoted = QuotedCursor::new(doc);
    let mut out = Vec::with_capacity(ids.len());
    for (_, b) in running_blocks(doc, false) {
        for s in &sentences[b.sentences.clone()] {
            for i in s.words.clone() {
                if !quoted.is_quoted(words[i])
                    && let Some(&id) = ids.get(i)
                {
                    out.push(id);
                }
            }
        }
    }
    out
}

/// Moving-average type-token ratio of the running paragraphs over windows
/// of `window` words, or `None` when they hold fewer than `window` words.
/// Words are compared by their interned ids, so no word is lowercased again.
pub fn mattr(doc: &Document, window: usize) -> Option<f64> {
    mattr_of(doc, &running_word_ids(doc), window)
}

fn mattr_of(doc: &Document, ids: &[u32], window: usize) -> Option<f64> {
    if window == 0 || ids.len() < window {
        return None;
    }
    let mut counts = vec![0u32; doc.vocabulary().len()];
    let mut distinct = 0usize;
    for &id in &ids[..window] {
        let c = &mut counts[id as usize];
        if *c == 0 {
            distinct += 1;
        }
        *c += 1;
    }
    let mut total = distinct as f64;
    let mut windows = 1.0;
    for i in window..ids.len() {
        let out = &mut counts[ids[i - window] as usize];
        *out -= 1;
        if *out == 0 {
            distinct -= 1;
        }
        let inc = &mut counts[ids[i] as usize];
        if *inc == 0 {
            distinct += 1;
        }
        *inc += 1;
        total += distinct as f64;
        windows += 1.0;
    }
    Some(total / windows / window as f64)
}

impl Metric for LexicalDiversity {
    fn measure(&self, doc: &Document) -> Option<f64> {
        mattr(doc, self.0.window)
    }

    fn check(&self, doc: &Document, rule: usize, out: &mut Vec<Hit>) {
        let ids = running_word_ids(doc);
        if ids.len() < self.0.min_words {
            return;
        }
        let Some(value) = mattr_of(doc, &ids, self.0.window) else {
            return;
        };
        if value < self.0.min_mattr {
            return;
        }
        let Some(&first) = doc.words().first() else {
            return;
        };
        out.push(hit(
            rule,
            Span::new(first.start as usize, first.end as usize),
            format!(
                "vocabulary unusually varied: MATTR-{} {value:.2} (reported at {} and above)",
                self.0.window, self.0.min_mattr
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Markup;

    #[test]
    fn link_titles_and_headings_are_not_vocabulary() {
        // a digest: 60 list items of distinct words, one short paragraph
        let mut src = String::from("# Weekly links\n\nThe links we read this week.\n\n");
        for i in 0..60 {
            src.push_str(&format!("- Title{i} alpha{i} beta{i} gamma{i}\n"));
        }
        let doc = crate::source::document(src, Markup::Markdown);
        assert!(doc.word_count() > 200);
        assert_eq!(mattr(&doc, 100), None, "only the paragraph is measured");
        let metric = build(toml::Table::new()).expect("default settings");
        let mut hits = Vec::new();
        metric.check(&doc, 0, &mut hits);
        assert!(hits.is_empty());
    }
}
