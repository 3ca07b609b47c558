//! Em-dash density.
//!
//! ## What it flags
//! Documents with more em dashes (and spaced double hyphens standing in for
//! them) per 1,000 words than edited human prose usually carries.
//! ## Why it is a tell
//! Several chat models punctuate with em dashes at two to three times the
//! rate of published human essays; one dash means nothing, a dense page does.
//! ## Settings
//! `per-thousand` (rate that fires), `min-words` (shorter documents are
//! skipped), `min-dashes` (never fire below this many dashes).

use serde::Deserialize;

use super::{Context, Metric, QuotedCursor, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_rate")]
    per_thousand: f64,
    #[serde(default = "default_min_words")]
    min_words: usize,
    #[serde(default = "default_min_dashes")]
    min_dashes: usize,
}

fn default_rate() -> f64 {
    8.0
}
fn default_min_words() -> usize {
    150
}
fn default_min_dashes() -> usize {
    3
}

struct EmDashDensity(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    let s: Settings = settings(table)?;
    if s.per_thousand.is_nan() || s.per_thousand <= 0.0 {
        return Err("bad settings: `per-thousand` must be above 0".into());
    }
    Ok(Box::new(EmDashDensity(s)))
}

/// Prose offsets of the em dashes (and spaced `--`) outside quotations,
/// in order.
#[cfg(test)]
fn dashes(doc: &Document) -> Vec<usize> {
    let mut found = Vec::new();
    each_dash(doc, |i| found.push(i));
    found
}

/// The number of em dashes (and spaced `--`) outside quotations and the
/// prose offset of the first: all the check reads, so the offsets are not
/// collected.
fn count_dashes(doc: &Document) -> (usize, Option<usize>) {
    let (mut count, mut first) = (0, None);
    each_dash(doc, |i| {
        count += 1;
        first.get_or_insert(i);
    });
    (count, first)
}

/// Calls `found` with the prose offset of each em dash (and spaced `--`)
/// outside quotations, in order.
fn each_dash(doc: &Document, mut found: impl FnMut(usize)) {
    // one SIMD search for the two bytes that can start either mark, rather
    // than one search per mark and a sort
    let bytes = doc.prose().as_bytes();
    let mut quoted = QuotedCursor::new(doc);
    // where the last spaced `--` ended: occurrences do not overlap, as with
    // a left-to-right search for " -- "
    let mut spaced_end = 0;
    for i in memchr::memchr2_iter(0xE2, b'-', bytes) {
        let dash = if bytes[i] == b'-' {
            let spaced = i > spaced_end
                && bytes[i - 1] == b' '
                && bytes.get(i + 1..i + 3) == Some(b"- ".as_slice());
            if spaced {
                spaced_end = i + 3;
            }
            spaced
        } else {
            bytes.get(i..i + 3) == Some("\u{2014}".as_bytes())
        };
        if dash && !quoted.is_quoted(Span::new(i, i + 1)) {
            found(i);
        }
    }
}

/// Em dashes per 1,000 words of `doc`; `None` for a document without words.
pub fn per_thousand(doc: &Document) -> Option<f64> {
    let words = doc.word_count();
    (words > 0).then(|| count_dashes(doc).0 as f64 * 1000.0 / words as f64)
}

impl Metric for EmDashDensity {
    fn measure(&self, doc: &Document) -> Option<f64> {
        per_thousand(doc)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        let words = doc.word_count();
        if words < self.0.min_words.max(1) {
            return;
        }
        let prose = doc.prose();
        let (count, first) = count_dashes(doc);
        let rate = count as f64 * 1000.0 / words as f64;
        if count < self.0.min_dashes || rate < self.0.per_thousand {
            return;
        }
        let first = first.unwrap_or(0);
        let len = if prose[first..].starts_with('\u{2014}') {
            3
        } else {
            2
        };
        out.push(Hit {
            rule,
            span: Span::new(first, first + len),
            raw: false,
            message: Some(format!(
                "{} em dashes in {} words ({rate:.1} per 1,000; limit {})",
                count, words, self.0.per_thousand
            )),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dashes as first written: two substring searches and a sort.
    fn reference(doc: &Document) -> Vec<usize> {
        let prose = doc.prose();
        let mut found: Vec<usize> = prose
            .match_indices('\u{2014}')
            .map(|(i, _)| i)
            .chain(prose.match_indices(" -- ").map(|(i, _)| i + 1))
            .filter(|&i| !doc.is_quoted(Span::new(i, i + 1)))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn one_search_finds_what_two_did() {
        let mut found = 0;
        for doc in super::super::sample_documents() {
            let expected = reference(&doc);
            found += expected.len();
            assert_eq!(dashes(&doc), expected, "{}", doc.prose());
        }
        assert!(found > 5, "the samples hold dashes");
    }
}
