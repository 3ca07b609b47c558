//! Repeated paragraph openers.
//!
//! ## What it flags
//! A run of consecutive paragraphs that open with the same word ("This ...",
//! "This ...", "This ..."), articles and "I" excepted.
//! ## Why it is a tell
//! Generated digests and essays reuse one frame paragraph after paragraph:
//! a fact, then "This move ...", then "This shift ...". Anaphora is a human
//! device too, and instructions are verb-initial by design, so list items
//! are not counted and the rule is a note.
//! ## Settings
//! `min-run` (consecutive paragraphs that fire).

use serde::Deserialize;

use super::{Context, Metric, hit, running_blocks, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min_run")]
    min_run: usize,
}

fn default_min_run() -> usize {
    3
}

const SKIP: &[&str] = &["the", "a", "an", "i", "in", "on", "at", "and", "but"];

struct RepeatedOpeners(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    let s: Settings = settings(table)?;
    if s.min_run < 2 {
        return Err("bad settings: `min-run` must be at least 2".into());
    }
    Ok(Box::new(RepeatedOpeners(s)))
}

/// The runs of two or more consecutive paragraphs opening with the same
/// word: the first word of each paragraph in the run.
fn runs(doc: &Document) -> Vec<Vec<Span>> {
    let mut out = Vec::new();
    // the run's first words, once it has two (most paragraphs start no
    // run: nothing is allocated for them)
    let mut run: Vec<Span> = Vec::new();
    // the first word of the run's first paragraph
    let mut head = Span::default();
    let mut word = "";
    let mut last_block: Option<usize> = None;
    for (bi, b) in running_blocks(doc, false) {
        let Some(s) = doc.sentences().get(b.sentences.start) else {
            continue;
        };
        let Some(&w) = doc.words().get(s.words.start) else {
            continue;
        };
        let text = doc.text(w);
        let adjacent = last_block.is_some_and(|l| {
            // only headings may sit between two paragraphs of one run
            doc.blocks()[l + 1..bi]
                .iter()
                .all(|x| matches!(x.kind, crate::text::BlockKind::Heading(_)))
        });
        if adjacent && same_in_lowercase(text, word) && !is_skipped(text) {
            if run.is_empty() {
                run.push(head);
            }
            run.push(w);
        } else {
            if run.len() >= 2 {
                out.push(std::mem::take(&mut run));
            }
            run.clear();
            head = w;
            word = text;
        }
        last_block = Some(bi);
    }
    if run.len() >= 2 {
        out.push(run);
    }
    out
}

/// Whether `a` and `b` are equal once lowercased; ASCII words (nearly all
/// of them) are compared without lowercasing a copy.
fn same_in_lowercase(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// Whether `word`, lowercased, is one of the [`SKIP`] words.
fn is_skipped(word: &str) -> bool {
    if word.is_ascii() {
        SKIP.iter().any(|s| word.eq_ignore_ascii_case(s))
    } else {
        SKIP.contains(&word.to_lowercase().as_str())
    }
}

/// Length of the longest run of paragraphs opening with the same word.
pub fn longest_run(doc: &Document) -> usize {
    runs(doc).iter().map(Vec::len).max().unwrap_or(1)
}

impl Metric for RepeatedOpeners {
    fn measure(&self, doc: &Document) -> Option<f64> {
        (!doc.blocks().is_empty()).then(|| longest_run(doc) as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        for words in runs(doc) {
            let n = words.len();
            if n >= self.0.min_run {
                out.push(hit(
                    rule,
                    words[self.0.min_run - 1],
                    format!(
                        "{n} paragraphs in a row open with \"{}\"",
                        doc.text(words[0])
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs as first written: every first word lowercased.
    fn reference(doc: &Document) -> Vec<Vec<Span>> {
        let mut out = Vec::new();
        let mut run: Vec<Span> = Vec::new();
        let mut word = String::new();
        let mut last_block: Option<usize> = None;
        for (bi, b) in running_blocks(doc, false) {
            let Some(s) = doc.sentences().get(b.sentences.start) else {
                continue;
            };
            let Some(&w) = doc.words().get(s.words.start) else {
                continue;
            };
            let lower = doc.text(w).to_lowercase();
            let adjacent = last_block.is_some_and(|l| {
                doc.blocks()[l + 1..bi]
                    .iter()
                    .all(|x| matches!(x.kind, crate::text::BlockKind::Heading(_)))
            });
            if adjacent && lower == word && !SKIP.contains(&lower.as_str()) {
                run.push(w);
            } else {
                if run.len() >= 2 {
                    out.push(std::mem::take(&mut run));
                }
                run = vec![w];
                word = lower;
            }
            last_block = Some(bi);
        }
        if run.len() >= 2 {
            out.push(run);
        }
        out
    }

    #[test]
    fn runs_are_what_they_were() {
        let mut docs = crate::rules::metrics::sample_documents();
        docs.push(crate::source::document(
            "This one.\n\nthis two.\n\n# Head\n\nTHIS three.\n\nThe a.\n\nThe b.\n\n\u{c9}t\u{e9} one.\n\n\u{e9}t\u{e9} two.\n\n\u{212A}ey one.\n\nKey two.\n\nkey three.\n".to_string(),
            crate::text::Markup::Markdown,
        ));
        let mut runs = 0;
        for doc in &docs {
            let expected = reference(doc);
            runs += expected.len();
            assert_eq!(super::runs(doc), expected, "{}", doc.prose());
        }
        assert!(runs >= 3, "the samples hold runs");
    }
}
