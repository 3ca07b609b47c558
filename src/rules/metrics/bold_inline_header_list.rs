//! Bold inline-header lists.
//!
//! ## What it flags
//! List items that open with a bold label and a colon, then a sentence
//! (`- **Speed:** Pages load in under a second.`), when a document has
//! several of them.
//! ## Why it is a tell
//! Chat answers format nearly every list this way, and expert annotators
//! name "bold header then colon" as a structural clue; reward models prefer
//! it. READMEs by people use it too, but rarely in item after item.
//! ## Settings
//! `min-items` (labelled items that fire).

use serde::Deserialize;

use super::{Context, Metric, hit, settings};
use crate::rules::Hit;
use crate::text::{BlockKind, Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min_items")]
    min_items: usize,
}

fn default_min_items() -> usize {
    3
}

struct BoldInlineHeaderList(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(BoldInlineHeaderList(settings(table)?)))
}

/// The bold labels (with their colon) of list items written as
/// `**Label:** text` or `**Label**: text`, outside block quotes.
///
/// A label is a heading in small, so it opens its item (after nothing but
/// spaces or a decoration such as an emoji) and is capitalised. Changelogs
/// bold a lowercase component name after a commit link
/// (`[abc123] - **parser**: fix ...`) or at the start
/// (`**deps**: bump ...`), and reference lists put a code before the
/// label (`` `1` **Uncaught Exception**: ... ``): item after item of them,
/// and not the tell.
pub fn labelled_items(doc: &Document) -> Vec<Span> {
    let prose = doc.prose();
    let mut out = Vec::new();
    for (i, b) in doc.blocks().iter().enumerate() {
        if b.kind != BlockKind::ListItem || b.quoted {
            continue;
        }
        let Some(label) = doc.lead_strong(i) else {
            continue;
        };
        // inline code leaves no text in the prose (at most a space, which
        // a block does not start with), so the source before the label is
        // read for it, from the list marker on
        let before = &prose[b.span.start as usize..label.start as usize];
        let from = b
            .marker
            .as_ref()
            .map_or_else(|| doc.source_range(b.span).start, |m| m.end);
        let to = doc.source_range(label).start;
        let code_before = doc.source().get(from..to).is_some_and(|s| s.contains('`'));
        if code_before || before.bytes().any(|c| c.is_ascii_punctuation()) {
            continue;
        }
        let text = doc.text(label);
        if text
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_lowercase)
        {
            continue;
        }
        let after = &prose[label.end as usize..b.span.end as usize];
        let colon_inside = text.trim_end().ends_with(':');
        let colon_after = after.trim_start().starts_with(':');
        let words = text.split_whitespace().count();
        let rest_has_words = after
            .trim_start_matches([':', ' '])
            .chars()
            .any(char::is_alphanumeric);
        if (colon_inside || colon_after) && (1..=8).contains(&words) && rest_has_words {
            out.push(label);
        }
    }
    out
}

impl Metric for BoldInlineHeaderList {
    fn measure(&self, doc: &Document) -> Option<f64> {
        Some(labelled_items(doc).len() as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let items = labelled_items(doc);
        if items.len() < self.0.min_items.max(1) {
            return;
        }
        let n = items.len();
        for span in items {
            out.push(hit(
                rule,
                span,
                format!("list item opens with a bold label and a colon ({n} in this document)"),
            ));
        }
    }
}
