//! Fragmented headers.
//!
//! ## What it flags
//! A heading followed by a one-line paragraph of a few words that restates
//! it ("## Performance" / "Speed matters."), before the real content.
//! ## Why it is a tell
//! Generated sections open with a slogan that echoes their heading, slide
//! style, before saying anything. Human documents rarely do.
//! ## Settings
//! `max-words` (the echo paragraph has at most this many words).

use serde::Deserialize;

use super::{Context, Metric, hit, settings};
use crate::rules::Hit;
use crate::text::{BlockKind, Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_max_words")]
    max_words: usize,
}

fn default_max_words() -> usize {
    6
}

struct FragmentedHeader(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(FragmentedHeader(settings(table)?)))
}

/// Lower-cased stems (first five letters) of the words of `text` longer
/// than three letters.
fn stems(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3)
        .map(|w| w.to_lowercase().chars().take(5).collect())
        .collect()
}

/// Whether the one-line paragraph at `span` reads as a slogan: a
/// statement closed by `.`, `!` or `?`, with no code, link or figure in
/// its source. A line that leads into a list ("Licensed under either
/// of:") or states a fact ("The minimum supported version is `1.60`.")
/// says something of its own, as human READMEs' sections often open.
fn is_slogan(doc: &Document, span: Span) -> bool {
    let text = doc
        .text(span)
        .trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')', ' ']);
    if !text.ends_with(['.', '!', '?']) {
        return false;
    }
    let source = doc.source().get(doc.source_range(span)).unwrap_or_default();
    !source.contains(['`', '[', '<']) && !source.bytes().any(|b| b.is_ascii_digit())
}

/// The short paragraphs that echo the heading above them and are followed
/// by more content.
pub fn echoes(doc: &Document, max_words: usize) -> Vec<Span> {
    let blocks = doc.blocks();
    let mut out = Vec::new();
    for i in 0..blocks.len().saturating_sub(2) {
        let (h, p, next) = (&blocks[i], &blocks[i + 1], &blocks[i + 2]);
        if !matches!(h.kind, BlockKind::Heading(_)) || p.kind != BlockKind::Paragraph || p.quoted {
            continue;
        }
        if !matches!(next.kind, BlockKind::Paragraph | BlockKind::ListItem)
            || p.sentences.len() != 1
        {
            continue;
        }
        let words = doc.sentences()[p.sentences.start].words.len();
        if words == 0 || words > max_words {
            continue;
        }
        if !is_slogan(doc, p.span) {
            continue;
        }
        let heading = stems(doc.text(h.span));
        if stems(doc.text(p.span)).iter().any(|s| heading.contains(s)) {
            out.push(p.span);
        }
    }
    out
}

impl Metric for FragmentedHeader {
    fn measure(&self, doc: &Document) -> Option<f64> {
        Some(echoes(doc, self.0.max_words).len() as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        for span in echoes(doc, self.0.max_words) {
            out.push(hit(
                rule,
                span,
                "one-line paragraph restating the heading above it".to_string(),
            ));
        }
    }
}
