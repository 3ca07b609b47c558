//! Boldface overuse.
//!
//! ## What it flags
//! Running text with bold phrases scattered through its sentences
//! ("The **key** to **success** is **consistency**."), not counting bold
//! labels that open a block.
//! ## Why it is a tell
//! Chat models bold phrases key-takeaway style where writers would use
//! italics or nothing; preference data favours bold (42.8% of preferred
//! against 16.8% of rejected responses). Textbooks bold defined terms, so
//! the rule needs several bold spans in one sentence or a dense page.
//! ## Settings
//! `per-sentence` (bold spans in one sentence that fire), `per-hundred-words`
//! (document density that fires), `min-spans`.

use serde::Deserialize;

use super::{Context, Metric, hit, running_blocks, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_per_sentence")]
    per_sentence: usize,
    #[serde(default = "default_density")]
    per_hundred_words: f64,
    #[serde(default = "default_min_spans")]
    min_spans: usize,
}

fn default_per_sentence() -> usize {
    3
}
fn default_density() -> f64 {
    2.0
}
fn default_min_spans() -> usize {
    6
}

struct BoldfaceOveruse(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(BoldfaceOveruse(settings(table)?)))
}

/// Bold spans inside running text (paragraphs and list items outside
/// quotes), leaving out the bold label that opens a block.
fn inline_bold(doc: &Document) -> Vec<Span> {
    let mut out = Vec::new();
    for (i, b) in running_blocks(doc, true) {
        let lead = doc.lead_strong(i);
        out.extend(
            within(doc.strong(), b.span)
                .iter()
                .copied()
                .filter(|s| s.end <= b.span.end && Some(*s) != lead),
        );
    }
    out
}

/// The spans of `sorted` (sorted by start) that start inside `outer`: a
/// binary search, since a long document has thousands of both.
fn within(sorted: &[Span], outer: Span) -> &[Span] {
    let from = sorted.partition_point(|s| s.start < outer.start);
    let to = from + sorted[from..].partition_point(|s| s.start < outer.end);
    &sorted[from..to]
}

/// Inline bold spans per 100 words of running text.
pub fn per_hundred_words(doc: &Document) -> Option<f64> {
    let words = doc.word_count();
    (words > 0).then(|| inline_bold(doc).len() as f64 * 100.0 / words as f64)
}

impl Metric for BoldfaceOveruse {
    fn measure(&self, doc: &Document) -> Option<f64> {
        per_hundred_words(doc)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let spans = inline_bold(doc);
        if spans.is_empty() {
            return;
        }
        let mut flagged = false;
        for s in doc.sentences() {
            let n = within(&spans, s.span)
                .iter()
                .filter(|b| b.end <= s.span.end)
                .count();
            if n >= self.0.per_sentence.max(2) {
                out.push(hit(
                    rule,
                    s.span,
                    format!("{n} bold phrases in one sentence"),
                ));
                flagged = true;
            }
        }
        let density = spans.len() as f64 * 100.0 / doc.word_count().max(1) as f64;
        if !flagged && spans.len() >= self.0.min_spans && density >= self.0.per_hundred_words {
            out.push(hit(
                rule,
                spans[0],
                format!(
                    "{} bold phrases in running text ({density:.1} per 100 words; limit {})",
                    spans.len(),
                    self.0.per_hundred_words
                ),
            ));
        }
    }
}
