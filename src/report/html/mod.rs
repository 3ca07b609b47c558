//! The editor's view: one self-contained HTML page (inline CSS and a little
//! script, no network requests) showing, for each document, its score and
//! what drove it, its text with every finding highlighted in place, each
//! paragraph's own score in a margin strip, and the lexical layer as a
//! toggle that tints words by their pull on the score.
//!
//! The page is built with maud, which escapes every value spliced into it,
//! so a draft's text can never become markup. Documents are rendered as
//! they are added (memory holds the rendered sections, not the documents)
//! and written in score order by [`HtmlReport::write`].
//!
//! Not a [`super::Reporter`]: it needs the explained score and the
//! paragraph scores of each document, and the whole run before it writes
//! the index at the top.

mod layout;
mod page;

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::engine::Finding;
use crate::rules::RuleSet;
use crate::score::Scored;
use crate::text::Document;

pub use layout::{Mark, Node, Row, Run, lay_out};

/// One document to show.
#[derive(Clone, Copy, Debug)]
pub struct HtmlDoc<'a> {
    /// The name shown (path as given, or the stdin name).
    pub path: &'a str,
    /// The document.
    pub doc: &'a Document,
    /// Its findings, sorted by position.
    pub findings: &'a [Finding],
    /// Its score, explained (with contributions).
    pub score: &'a Scored,
    /// Per-paragraph scores `(block index, score)`, as
    /// [`crate::score::Scorer::paragraphs`] gives them.
    pub paragraphs: &'a [(usize, Scored)],
}

/// Choices about what the page shows.
#[derive(Clone, Copy, Debug)]
pub struct HtmlOptions {
    /// Contributors listed each way in a document's breakdown.
    pub top: usize,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions { top: 8 }
    }
}

/// A document's line in the index, with its rendered section.
struct Entry {
    anchor: String,
    path: String,
    score: f64,
    low_confidence: bool,
    words: usize,
    by_severity: [usize; 3],
    paragraphs: Vec<f64>,
    section: String,
}

/// The page being built.
pub struct HtmlReport<'r> {
    rules: &'r RuleSet,
    options: HtmlOptions,
    entries: Vec<Entry>,
    /// Rules that fired in some document: the page explains each once.
    fired: BTreeSet<usize>,
}

impl<'r> HtmlReport<'r> {
    /// An empty page for findings of `rules`.
    pub fn new(rules: &'r RuleSet, options: HtmlOptions) -> Self {
        HtmlReport {
            rules,
            options,
            entries: Vec::new(),
            fired: BTreeSet::new(),
        }
    }

    /// Renders one document's section and keeps it for [`Self::write`].
    pub fn add(&mut self, d: &HtmlDoc<'_>) {
        let anchor = format!("d{}", self.entries.len() + 1);
        let mut by_severity = [0; 3];
        for f in d.findings {
            by_severity[f.severity as usize] += 1;
            self.fired.insert(f.rule);
        }
        let section = page::section(self.rules, &self.options, &anchor, d).into_string();
        self.entries.push(Entry {
            anchor,
            path: d.path.to_string(),
            score: d.score.score,
            low_confidence: d.score.low_confidence,
            // every word of the prose, as `check --format json` and
            // `--stats` count them (the score reads running text only)
            words: d.doc.word_count(),
            by_severity,
            paragraphs: d.paragraphs.iter().map(|(_, s)| s.score).collect(),
            section,
        });
    }

    /// Number of documents added.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the whole page: the index and the documents, highest score
    /// first (equal scores keep the order they were added in).
    pub fn write(mut self, out: &mut dyn Write) -> io::Result<()> {
        self.entries.sort_by(|a, b| b.score.total_cmp(&a.score));
        let page = page::page(self.rules, &self.entries, &self.fired).into_string();
        let (before, after) = page
            .split_once(page::SECTIONS)
            .expect("the page leaves room for the sections");
        out.write_all(before.as_bytes())?;
        for e in &self.entries {
            out.write_all(e.section.as_bytes())?;
        }
        out.write_all(after.as_bytes())
    }
}
