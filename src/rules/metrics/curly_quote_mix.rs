//! Curly-quote mix.
//!
//! ## What it flags
//! Documents whose prose mixes curly quotes and apostrophes (“ ” ‘ ’) with
//! straight ones (" ').
//! ## Why it is a tell
//! Some models write curly quotes, the editors people type in mostly do not
//! (or curl everything): a mix suggests passages pasted from a chat into a
//! draft typed elsewhere. Word processors and two editors mix them too, so
//! this is a note.
//! ## Settings
//! `min-each` (fires when both kinds occur at least this often).

use serde::Deserialize;

use super::{Context, Metric, hit, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min_each")]
    min_each: usize,
}

fn default_min_each() -> usize {
    3
}

struct CurlyQuoteMix(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(CurlyQuoteMix(settings(table)?)))
}

/// Counts of curly and straight quote characters in the source text of
/// the document's prose blocks, with the prose span of the first curly one.
fn counts(doc: &Document) -> (usize, usize, Option<Span>) {
    let src = doc.source();
    let (mut curly, mut straight, mut first) = (0, 0, None);
    for b in doc.blocks() {
        let range = doc.source_range(b.span);
        let Some(text) = src.get(range) else { continue };
        for c in text.chars() {
            match c {
                '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}' => {
                    curly += 1;
                    if first.is_none() {
                        first = Some(b.span);
                    }
                }
                '"' | '\'' => straight += 1,
                _ => {}
            }
        }
    }
    (curly, straight, first)
}

/// The smaller of the curly and straight quote counts: zero when the
/// document is consistent.
pub fn minority_count(doc: &Document) -> usize {
    let (curly, straight, _) = counts(doc);
    curly.min(straight)
}

impl Metric for CurlyQuoteMix {
    fn measure(&self, doc: &Document) -> Option<f64> {
        Some(minority_count(doc) as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let (curly, straight, first) = counts(doc);
        if curly < self.0.min_each || straight < self.0.min_each {
            return;
        }
        let Some(block) = first else { return };
        let start = block.start as usize;
        let len = doc.text(block).chars().next().map_or(1, char::len_utf8);
        out.push(hit(
            rule,
            Span::new(start, start + len),
            format!(
                "{curly} curly and {straight} straight quotes or apostrophes mixed in one document"
            ),
        ));
    }
}
