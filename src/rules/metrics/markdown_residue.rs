//! Markdown residue.
//!
//! ## What it flags
//! Structural Markdown in a plain-text document, where nothing renders it:
//! `## ` headings, bold labels that open a line (`**Cost:**`), code fences,
//! `[text](https://...)` links. Inline `**emphasis**` alone is not counted:
//! forum writers type it by hand.
//! ## Why it is a tell
//! Models write Markdown by habit (Freeburg 2026: instructions to avoid it
//! remove headings and bullets but not the orientation); pasted into an
//! email, a form or a plain-text file, the asterisks and hashes stay
//! visible. Markdown files are not checked by this rule: there the syntax
//! is correct.
//! ## Settings
//! `min-marks` (occurrences that fire).

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Context, Metric, settings};
use crate::rules::Hit;
use crate::text::{Document, Markup, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min_marks")]
    min_marks: usize,
}

fn default_min_marks() -> usize {
    2
}

static MARKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:[-*+] |\d+\. )?\*\*[^*\n]{1,60}(?::\*\*|\*\*:)|^#{1,6} \S|^```|\]\(https?://")
        .expect("markdown residue pattern compiles")
});

struct MarkdownResidue(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(MarkdownResidue(settings(table)?)))
}

/// Source ranges of Markdown marks in a plain-text document (none for
/// Markdown documents, where the syntax renders).
pub fn marks(doc: &Document) -> Vec<std::ops::Range<usize>> {
    if doc.markup() != Markup::Plain {
        return Vec::new();
    }
    MARKS.find_iter(doc.source()).map(|m| m.range()).collect()
}

impl Metric for MarkdownResidue {
    fn measure(&self, doc: &Document) -> Option<f64> {
        (doc.markup() == Markup::Plain).then(|| marks(doc).len() as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let found = marks(doc);
        if found.len() < self.0.min_marks.max(1) {
            return;
        }
        let n = found.len();
        for r in found {
            out.push(Hit {
                rule,
                span: Span::new(r.start, r.end),
                raw: true,
                message: Some(format!(
                    "Markdown syntax in plain text ({n} marks in this document)"
                )),
            });
        }
    }
}
