//! Inline-header paragraphs.
//!
//! ## What it flags
//! Three or more consecutive paragraphs that each open with a short plain
//! label and a colon ("Plan ahead: Book a month early."). List items and
//! labels with digits (event dates, versions, link titles in a digest) are
//! not counted: a labelled list is an ordinary list.
//! ## Why it is a tell
//! It is the bold inline-header list after its bold was lost on a paste, or
//! a newsletter template ("What happened:", "Why it matters:") applied
//! story after story. Human reviews use "The good:" / "The bad:" pairs, so
//! only runs of three count, and the rule is a note.
//! ## Settings
//! `min-run` (labelled blocks in a row that fire), `max-label-words`.

use serde::Deserialize;

use super::{Context, Metric, hit, settings};
use crate::rules::Hit;
use crate::text::{BlockKind, Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min_run")]
    min_run: usize,
    #[serde(default = "default_max_label_words")]
    max_label_words: usize,
}

fn default_min_run() -> usize {
    3
}
fn default_max_label_words() -> usize {
    6
}

struct InlineHeaderParagraphs(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(InlineHeaderParagraphs(settings(table)?)))
}

/// Characters a label may hold besides letters.
const LABEL_PUNCTUATION: &str = " '’-&/";

/// The label (with its colon) that opens block `i`, if it is a short
/// capitalised plain-text label followed by more text.
#[inline(always)]
fn label(doc: &Document, i: usize, max_words: usize) -> Option<Span> {
    let b = &doc.blocks()[i];
    // list items with a label are lists (event dates, link titles), not the
    // paragraph template this rule is about
    if b.quoted || b.kind != BlockKind::Paragraph {
        return None;
    }
    let text = doc.text(b.span);
    // most paragraphs have no colon: one SIMD search settles them
    let colon = memchr::memchr(b':', text.as_bytes())?;
    let head = &text[..colon];
    if !head.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    // a label with a digit is a date, time or version, not a template
    // label; this stops at the first character that is not plain, so it
    // comes before the word count, which reads the whole head
    if !head
        .chars()
        .all(|c| c.is_alphabetic() || LABEL_PUNCTUATION.contains(c))
    {
        return None;
    }
    let words = head.split_whitespace().count();
    let rest = text[colon + 1..].trim_start();
    ((1..=max_words).contains(&words) && rest.chars().next().is_some_and(char::is_alphanumeric))
        .then(|| Span::new(b.span.start as usize, b.span.start as usize + colon + 1))
}

/// Calls `found` with the labels of each run of consecutive labelled
/// blocks, in order. One buffer serves every run: most runs are one block
/// long and the check passes over them, so they are not kept.
fn each_run(doc: &Document, max_words: usize, mut found: impl FnMut(&[Span])) {
    let mut run = Vec::new();
    for i in 0..doc.blocks().len() {
        match label(doc, i, max_words) {
            Some(span) => run.push(span),
            None if matches!(doc.blocks()[i].kind, BlockKind::Heading(_)) => {}
            None => {
                if !run.is_empty() {
                    found(&run);
                    run.clear();
                }
            }
        }
    }
    if !run.is_empty() {
        found(&run);
    }
}

impl Metric for InlineHeaderParagraphs {
    fn measure(&self, doc: &Document) -> Option<f64> {
        let mut longest = 0;
        each_run(doc, self.0.max_label_words, |run| {
            longest = longest.max(run.len());
        });
        Some(longest as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        each_run(doc, self.0.max_label_words, |run| {
            if run.len() < self.0.min_run.max(2) {
                return;
            }
            let n = run.len();
            for &span in run {
                out.push(hit(
                    rule,
                    span,
                    format!("{n} paragraphs in a row open with a label and a colon"),
                ));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The label as first written: the text up to the first colon, tested.
    fn reference(doc: &Document, i: usize, max_words: usize) -> Option<Span> {
        let b = &doc.blocks()[i];
        if b.quoted || b.kind != BlockKind::Paragraph {
            return None;
        }
        let text = doc.text(b.span);
        let colon = text.find(':')?;
        let head = &text[..colon];
        let rest = text[colon + 1..].trim_start();
        let words = head.split_whitespace().count();
        let first = head.chars().next()?;
        let plain = head
            .chars()
            .all(|c| c.is_alphabetic() || LABEL_PUNCTUATION.contains(c));
        (first.is_uppercase()
            && plain
            && (1..=max_words).contains(&words)
            && rest.chars().next().is_some_and(char::is_alphanumeric))
        .then(|| Span::new(b.span.start as usize, b.span.start as usize + colon + 1))
    }

    #[test]
    fn labels_are_what_they_were() {
        let mut docs = crate::rules::metrics::sample_documents();
        docs.push(crate::source::document(
            "Speed: fast.\n\nTwo Words: yes\n\nOne two three four five six: x\n\nOne two three four five six seven: x\n\nDate 2024: no\n\n:colon first\n\nLabel:\n\nLabel: \u{e9}t\u{e9}\n\nRock & Roll/Jazz - it\u{2019}s: on\n\nNo colon here at all\n\nLow: case\n\nTrailing space : x\n".to_string(),
            crate::text::Markup::Markdown,
        ));
        let mut labels = 0;
        for doc in &docs {
            for i in 0..doc.blocks().len() {
                for max_words in [1, 6] {
                    let expected = reference(doc, i, max_words);
                    labels += usize::from(expected.is_some());
                    assert_eq!(
                        label(doc, i, max_words),
                        expected,
                        "{}",
                        doc.text(doc.blocks()[i].span)
                    );
                }
            }
        }
        assert!(labels > 10, "the samples hold labels");
    }
}
