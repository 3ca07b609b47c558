//! Heading-level skip.
//!
//! ## What it flags
//! Markdown headings that jump more than one level deeper than the heading
//! before them (`#` then `###`), or documents whose headings all start at
//! level 3 or deeper.
//! ## Why it is a tell
//! Some chat interfaces start every section at `###`; pasted into a
//! document, the sections skip a level. Hand-written Markdown rarely does
//! (markdownlint's MD001 rule exists because it is a mistake).
//! ## Settings
//! `min-headings` (documents with fewer headings are skipped).

use serde::Deserialize;

use super::{Context, Metric, hit, settings};
use crate::rules::Hit;
use crate::text::{BlockKind, Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min_headings")]
    min_headings: usize,
}

fn default_min_headings() -> usize {
    2
}

struct HeadingLevelSkip(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(HeadingLevelSkip(settings(table)?)))
}

/// The headings that skip a level, for Markdown documents with at least
/// `min_headings` headings.
pub fn skips(doc: &Document, min_headings: usize) -> Vec<(Span, u8, Option<u8>)> {
    if !doc.markup().is_markdown() {
        return Vec::new();
    }
    let headings: Vec<(Span, u8)> = doc
        .blocks()
        .iter()
        .filter(|b| !b.quoted)
        .filter_map(|b| match b.kind {
            BlockKind::Heading(level) => Some((b.span, level)),
            _ => None,
        })
        .collect();
    if headings.len() < min_headings.max(1) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if headings.iter().all(|&(_, l)| l >= 3) {
        out.push((headings[0].0, headings[0].1, None));
        return out;
    }
    for pair in headings.windows(2) {
        let (prev, (span, level)) = (pair[0].1, pair[1]);
        if level > prev + 1 {
            out.push((span, level, Some(prev)));
        }
    }
    out
}

impl Metric for HeadingLevelSkip {
    fn measure(&self, doc: &Document) -> Option<f64> {
        doc.markup()
            .is_markdown()
            .then(|| skips(doc, self.0.min_headings).len() as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        for (span, level, prev) in skips(doc, self.0.min_headings) {
            let message = match prev {
                Some(p) => format!("level-{level} heading right after a level-{p} heading"),
                None => format!("every heading is level {level} or deeper: sections start at ###"),
            };
            out.push(hit(rule, span, message));
        }
    }
}
