//! Rule of three.
//!
//! ## What it flags
//! Documents dense in triads: coordinations of exactly three short items
//! ("practical, affordable, and flexible"; "plan, track and celebrate").
//! ## Why it is a tell
//! Generated text lists three things to sound complete; expert annotators
//! note that AI text keeps listing exactly three items. One triad is style,
//! but lists of three are everywhere in human text (over half of human dev
//! documents have one), so only a high density counts: 2025-model essays
//! have a median of 7 per 1,000 words against a human median of 0.
//! ## Settings
//! `per-thousand` (rate that fires), `min-words`, `min-triads`.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Density, Metric, QuotedCursor, per_thousand_words, running_blocks, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_rate")]
    per_thousand: f64,
    #[serde(default = "default_min_words")]
    min_words: usize,
    #[serde(default = "default_min_triads")]
    min_triads: usize,
}

fn default_rate() -> f64 {
    6.0
}
fn default_min_words() -> usize {
    150
}
fn default_min_triads() -> usize {
    3
}

/// Three items of one to three lower-case words, the last after "and"/"or":
/// proper nouns and numbers (flags, place lists, figures) are left out.
static TRIAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2}, [a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2},? (?:and|or) [a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2}\b")
        .expect("triad pattern compiles")
});

struct RuleOfThree(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(RuleOfThree(settings(table)?)))
}

fn triads(doc: &Document) -> Vec<Span> {
    let mut out = Vec::new();
    let mut quoted = QuotedCursor::new(doc);
    for (_, b) in running_blocks(doc, true) {
        for s in &doc.sentences()[b.sentences.clone()] {
            let text = doc.text(s.span);
            // every triad has ", " and then " and " or " or ": most
            // sentences lack one, and these searches are far cheaper than
            // the pattern's
            let Some(comma) = memchr::memmem::find(text.as_bytes(), b", ") else {
                continue;
            };
            let rest = &text.as_bytes()[comma..];
            if memchr::memmem::find(rest, b" and ").is_none()
                && memchr::memmem::find(rest, b" or ").is_none()
            {
                continue;
            }
            // more commas than a triad needs: a longer list, not a triad
            for m in TRIAD.find_iter(text) {
                let after = &text[m.end()..];
                if after.starts_with(',') && !after.starts_with(", and") {
                    continue;
                }
                let span = Span::new(
                    s.span.start as usize + m.start(),
                    s.span.start as usize + m.end(),
                );
                if !quoted.is_quoted(span) {
                    out.push(span);
                }
            }
        }
    }
    out
}

/// Triads per 1,000 words; `None` without words.
pub fn per_thousand(doc: &Document) -> Option<f64> {
    per_thousand_words(doc, triads(doc).len())
}

impl Metric for RuleOfThree {
    fn measure(&self, doc: &Document) -> Option<f64> {
        per_thousand(doc)
    }

    fn check(&self, doc: &Document, rule: usize, out: &mut Vec<Hit>) {
        Density {
            min_words: self.0.min_words,
            min_count: self.0.min_triads,
            per_thousand: self.0.per_thousand,
        }
        .check(doc, rule, "lists of exactly three", triads, out);
    }
}
