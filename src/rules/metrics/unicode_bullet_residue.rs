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

use super::{Metric, settings};
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
    // most files hold no glyph at all: a few SIMD searches settle that
    if !GLYPHS.iter().any(|g| {
        let mut utf8 = [0; 4];
        memchr::memmem::find(src.as_bytes(), g.encode_utf8(&mut utf8).as_bytes()).is_some()
    }) {
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

    fn check(&self, doc: &Document, rule: usize, out: &mut Vec<Hit>) {
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
