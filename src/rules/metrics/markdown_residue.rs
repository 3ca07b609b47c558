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
    if doc.markup() != Markup::Plain || !may_hold_marks(doc.source()) {
        return Vec::new();
    }
    MARKS.find_iter(doc.source()).map(|m| m.range()).collect()
}

/// Whether `text` holds what every mark needs: `*` (a bold label), `#`
/// (a heading), a backtick (a fence) or `](` (a link). Most plain text
/// holds none, and the pattern, which has no literal to look for first,
/// cost 9 instructions a byte to find nothing in it (4 % of a run over
/// `../shared/data/dev`).
fn may_hold_marks(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3(b'*', b'#', b'`', bytes).is_some()
        || memchr::memmem::find(bytes, b"](").is_some()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_the_screen_passes_over_holds_no_mark() {
        let texts = [
            "Plain prose, with a list:\n- one\n- two\n1. three",
            "No marks at all here. Just words [and brackets] (and parentheses).",
            "**Cost:** nine pounds\n## Heading\n```\ncode\n```\n[a](https://x.org)",
            "A footnote* and a #hashtag, and `code` inline.",
            "see [this](http://example.com) and [that] (https://x)",
        ];
        for text in texts {
            let found: Vec<_> = MARKS.find_iter(text).collect();
            assert!(may_hold_marks(text) || found.is_empty(), "{text}");
        }
        assert!(!may_hold_marks(texts[0]) && !may_hold_marks(texts[1]));
        // each kind of mark alone
        for text in [
            "## Heading",
            "- **Cost:** nine",
            "```",
            "see [a](https://x.org)",
        ] {
            assert!(MARKS.is_match(text), "{text}");
            assert!(may_hold_marks(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_screen_passes_every_text_with_one_kind_of_mark(
            text in "[#a \n]{0,16}|[*:a \n-]{0,20}|[`a\n]{0,12}|[\\[\\]()a]{0,8}https?://a"
        ) {
            if MARKS.is_match(&text) {
                proptest::prop_assert!(may_hold_marks(&text), "{:?}", text);
            }
        }

        #[test]
        fn the_screen_passes_every_text_with_a_mark(text in "[-*+#`\\]\\[()a1. :\n\t]{0,40}(?:https?://)?[a-z ]{0,4}") {
            if MARKS.is_match(&text) {
                proptest::prop_assert!(may_hold_marks(&text), "{:?}", text);
            }
        }
    }
}
