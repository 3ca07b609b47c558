//! Emoji decoration.
//!
//! ## What it flags
//! Headings, list items and paragraphs that start with an emoji used as a
//! marker (🚀, ✅, 💡, 📌), when a document has several. Table cells are
//! values, not markers, and are not read.
//! ## Why it is a tell
//! Chat answers decorate headings and bullets with emoji; by July 2025, 70%
//! of ChatGPT messages contained one, and the green check mark ran at 11
//! times the human rate (Washington Post). Emoji inside a sentence (a joke,
//! a reaction) are not markers and are not counted, nor are typographic
//! dingbats that are text by default (☞, ★, ✓, ➤): people have used them
//! as bullets since long before chat models.
//! A long changelog that marks two releases with 🎉 among a thousand
//! entries is not decorated, so the decorated blocks must also be a share
//! of the headings, list items and paragraphs.
//! ## Settings
//! `min-blocks` (decorated blocks that fire), `min-share` (their least
//! share of the blocks read).

use serde::Deserialize;

use super::{Context, Metric, hit, is_emoji, settings};
use crate::rules::Hit;
use crate::text::{BlockKind, Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min_blocks")]
    min_blocks: usize,
    #[serde(default)]
    min_share: f64,
}

fn default_min_blocks() -> usize {
    2
}

struct EmojiDecoration(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    let s: Settings = settings(table)?;
    if !(0.0..=1.0).contains(&s.min_share) {
        return Err("bad settings: `min-share` must be between 0 and 1".into());
    }
    Ok(Box::new(EmojiDecoration(s)))
}

/// The leading emoji of every heading, list item and paragraph that opens
/// with one. A table cell is left out: a check mark or a cross there is the
/// cell's value ("supported: ✅"), not a marker in front of words, and
/// comparison tables in human READMEs are full of them.
pub fn decorated_blocks(doc: &Document) -> Vec<Span> {
    read_blocks(doc)
        .filter_map(|b| {
            let mut chars = doc.text(b.span).chars();
            let c = chars.next()?;
            is_emoji(c, chars.next())
                .then(|| Span::new(b.span.start as usize, b.span.start as usize + c.len_utf8()))
        })
        .collect()
}

/// The blocks read for markers: headings, list items and paragraphs
/// outside quotations.
fn read_blocks(doc: &Document) -> impl Iterator<Item = &crate::text::Block> {
    doc.blocks()
        .iter()
        .filter(|b| !b.quoted && b.kind != BlockKind::TableCell)
}

impl Metric for EmojiDecoration {
    fn measure(&self, doc: &Document) -> Option<f64> {
        Some(decorated_blocks(doc).len() as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let found = decorated_blocks(doc);
        if found.len() < self.0.min_blocks.max(1)
            || (found.len() as f64) < self.0.min_share * read_blocks(doc).count() as f64
        {
            return;
        }
        let n = found.len();
        for span in found {
            out.push(hit(
                rule,
                span,
                format!("emoji used as a heading or bullet marker ({n} in this document)"),
            ));
        }
    }
}
