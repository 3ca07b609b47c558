//! Unicode bullet residue.
//!
//! ## What it flags
//! Lines of prose that start with a bullet glyph (•, ◦, ▪, ‣) instead of a
//! Markdown list marker, when a document has several.
//! ## Why it is a tell
//! A chat answer's rendered list, copied as text, keeps its bullet glyphs.
//! Word-processor exports produce them too, so the rule is a note, and a
//! glyph inside a line ("fish • chips • peas") is not a line start.
//! ## Settings
//! `min-lines` (bulleted lines that fire).

use serde::Deserialize;

use super::{Context, Metric, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min_lines")]
    min_lines: usize,
}

fn default_min_lines() -> usize {
    3
}

const GLYPHS: [char; 4] = ['\u{2022}', '\u{25E6}', '\u{25AA}', '\u{2023}'];

struct UnicodeBulletResidue(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(UnicodeBulletResidue(settings(table)?)))
}

/// Source byte ranges of the bullet glyphs that start a line of prose (or
/// serve as a plain-text list marker), outside code.
pub fn bullets(doc: &Document) -> Vec<std::ops::Range<usize>> {
    let src = doc.source();
    // most files hold no glyph at all: one SIMD search for the lead byte
    // every glyph shares settles that (the byte also starts curly quotes
    // and dashes, so each hit is decoded)
    let lead = GLYPHS[0].encode_utf8(&mut [0; 4]).as_bytes()[0];
    if !memchr::memchr_iter(lead, src.as_bytes())
        .any(|i| src[i..].chars().next().is_some_and(|c| GLYPHS.contains(&c)))
    {
        return Vec::new();
    }
    let prose_ranges: Vec<std::ops::Range<usize>> = doc
        .blocks()
        .iter()
        .filter(|b| !b.quoted)
        .map(|b| {
            // a plain-text list marker lies just before the block's text
            let r = doc.source_range(b.span);
            let line_start = src[..r.start].rfind('\n').map_or(0, |i| i + 1);
            line_start..r.end
        })
        .collect();
    let mut out = Vec::new();
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let at = offset + (line.len() - trimmed.len());
        if let Some(c) = trimmed.chars().next()
            && GLYPHS.contains(&c)
            && trimmed[c.len_utf8()..].starts_with([' ', '\t'])
            && prose_ranges.iter().any(|r| r.contains(&at))
        {
            out.push(at..at + c.len_utf8());
        }
        offset += line.len();
    }
    out
}

impl Metric for UnicodeBulletResidue {
    fn measure(&self, doc: &Document) -> Option<f64> {
        Some(bullets(doc).len() as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let found = bullets(doc);
        if found.len() < self.0.min_lines.max(1) {
            return;
        }
        let n = found.len();
        for r in found {
            out.push(Hit {
                rule,
                span: Span::new(r.start, r.end),
                raw: true,
                message: Some(format!(
                    "bullet glyph from a copied list ({n} lines in this document)"
                )),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_starts_with_the_lead_byte_searched_for() {
        let lead = GLYPHS[0].encode_utf8(&mut [0; 4]).as_bytes()[0];
        for g in GLYPHS {
            assert_eq!(g.encode_utf8(&mut [0; 4]).as_bytes()[0], lead, "{g}");
        }
    }

    #[test]
    fn glyphs_that_start_lines_are_found() {
        let doc = crate::source::document(
            "Intro \u{201C}quoted\u{201D} \u{2014} text.\n\n\u{2022} one\n\u{25E6} two\n\u{25AA} three\n\u{2023} four\n".to_string(),
            crate::text::Markup::Plain,
        );
        assert_eq!(bullets(&doc).len(), 4);
        let doc = crate::source::document(
            "Intro \u{201C}quoted\u{201D} \u{2014} text.\n".to_string(),
            crate::text::Markup::Plain,
        );
        assert!(bullets(&doc).is_empty());
    }
}
