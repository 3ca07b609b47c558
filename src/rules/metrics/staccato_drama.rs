//! Staccato drama.
//!
//! ## What it flags
//! Runs of three or more very short sentences in one paragraph ("No
//! warning. No plan. Just silence."), when a document has more than one.
//! ## Why it is a tell
//! Manufactured punchlines: a run of fragments to create drama the content
//! does not carry. Fiction and advertising use the device too, and dialogue
//! exchanges are naturally short, so quoted speech is skipped and a single
//! run is allowed.
//! ## Settings
//! `max-words` (a short sentence has at most this many words), `min-run`
//! (short sentences in a row), `min-runs` (runs per document that fire).

use serde::Deserialize;

use super::{Context, Metric, hit, running_blocks, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_max_words")]
    max_words: usize,
    #[serde(default = "default_min_run")]
    min_run: usize,
    #[serde(default = "default_min_runs")]
    min_runs: usize,
}

fn default_max_words() -> usize {
    4
}
fn default_min_run() -> usize {
    3
}
fn default_min_runs() -> usize {
    2
}

struct StaccatoDrama(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(StaccatoDrama(settings(table)?)))
}

/// Runs of at least `min_run` consecutive sentences of at most `max_words`
/// words inside one paragraph: the span of each run.
pub fn runs(doc: &Document, max_words: usize, min_run: usize) -> Vec<Span> {
    let mut out = Vec::new();
    for (_, b) in running_blocks(doc, false) {
        let mut run: Vec<Span> = Vec::new();
        let sentences = &doc.sentences()[b.sentences.clone()];
        for (k, s) in sentences.iter().enumerate() {
            let short = !s.words.is_empty()
                && s.words.len() <= max_words
                && !doc.is_quoted(s.span)
                && !doc.text(s.span).contains(['"', '\u{201C}', '\u{201D}']);
            if short {
                run.push(s.span);
            }
            if !short || k + 1 == sentences.len() {
                if run.len() >= min_run.max(2) {
                    out.push(Span::new(
                        run[0].start as usize,
                        run[run.len() - 1].end as usize,
                    ));
                }
                run.clear();
            }
        }
    }
    out
}

impl Metric for StaccatoDrama {
    fn measure(&self, doc: &Document) -> Option<f64> {
        Some(runs(doc, self.0.max_words, self.0.min_run).len() as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let found = runs(doc, self.0.max_words, self.0.min_run);
        if found.len() < self.0.min_runs.max(1) {
            return;
        }
        for span in found {
            out.push(hit(
                rule,
                span,
                format!(
                    "run of sentences of {} words or fewer: drama by fragment",
                    self.0.max_words
                ),
            ));
        }
    }
}
