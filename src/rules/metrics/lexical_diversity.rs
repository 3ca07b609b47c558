//! Lexical diversity (vocabulary density).
//!
//! ## What it flags
//! Documents whose moving-average type-token ratio over 100-word windows
//! (MATTR-100) is unusually high, measured on running paragraphs outside
//! quotations (not headings, list items or cells: a digest's link titles
//! are all different words). Informational: weight 0 in the packs.
//! ## Why it is a tell
//! Folk wisdom says machine text is repetitive; recent models are the
//! opposite. On the dev set MATTR-100 is higher in AI than in human text
//! (AUROC 0.65), and every 2025 model but two beats the slop-score human
//! baseline on MATTR-500. The direction depends on model and genre, so the
//! value is reported for the score model and the editor, never scored here.
//! ## Settings
//! `min-mattr` (fires at or above), `window` (words), `min-words`.

use std::ops::Range;

use serde::Deserialize;

use super::{Context, Metric, hit, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min")]
    min_mattr: f64,
    #[serde(default = "default_window")]
    window: usize,
    #[serde(default = "default_min_words")]
    min_words: usize,
}

fn default_min() -> f64 {
    0.8
}
fn default_window() -> usize {
    100
}
fn default_min_words() -> usize {
    300
}

struct LexicalDiversity(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    let s: Settings = settings(table)?;
    if s.window < 10 {
        return Err("bad settings: `window` must be at least 10".into());
    }
    Ok(Box::new(LexicalDiversity(s)))
}

/// Moving-average type-token ratio of the running paragraphs (outside
/// quotations; see [`Context`]) over windows of `window` words, or `None`
/// when they hold fewer than `window` words. Words are compared by their
/// interned ids, so no word is lowercased again.
pub fn mattr(doc: &Document, window: usize) -> Option<f64> {
    mattr_of(doc, Context::new(doc).running_words(), window)
}

fn mattr_of(doc: &Document, runs: &[Range<usize>], window: usize) -> Option<f64> {
    mattr_reaching(doc, runs, window, f64::NEG_INFINITY)
}

/// The number of words in `runs` of word indices.
fn words_in(runs: &[Range<usize>]) -> usize {
    runs.iter().map(ExactSizeIterator::len).sum()
}

/// Words between two looks at whether the ratio can still reach the floor.
const CHUNK: usize = 128;

/// [`mattr_of`], or `None` as soon as the ratio is certain to fall below
/// `floor`: a check that fires only at a high ratio stops reading a
/// repetitive document part way through. The sum only grows, by at most
/// the window per word still to come with whole windows ahead of it (and
/// `w - k` for the `k`-th word after those), so the sum so far plus those
/// most it can gain bounds it from above; that bound, divided as the
/// ratio is, falls below `floor` only if the ratio does. The words are
/// `runs` of indices into the document's word ids, read in place.
fn mattr_reaching(doc: &Document, runs: &[Range<usize>], window: usize, floor: f64) -> Option<f64> {
    let len = words_in(runs);
    if window == 0 || len < window {
        return None;
    }
    // The distinct words of all windows, summed as an integer (exact, as
    // the sum of whole numbers in floating point was) and divided once.
    // Rather than slide a window (two counts changed per word), each word
    // adds the windows it is a new type in: a word at position `i` whose id
    // was last used at `p` is new in every window starting in
    // `max(p + 1, i + 1 - window) ..= i` that exists. One entry changes per
    // word: one past each id's last use (0: unused), in a table a power of
    // two long indexed by `id & mask`, which is the id itself (ids are
    // below the vocabulary's length) and needs no bounds check.
    let mask = doc.vocabulary().len().max(1).next_power_of_two() - 1;
    let mut spare = SpareTable::take();
    spare.0.resize(mask + 1, 0);
    let after_last_use = &mut spare.0[..=mask];
    // windows start at 0 ..= last_start: the word at `i` up to
    // `last_start` has every window it is new in, `min(i + 1 - seen,
    // window)` of them (`seen` one past its id's last use); a later word is
    // in none past `last_start`. Positions are counted in 32 bits (a small
    // table is cheaper to clear): they fit, as the words' prose offsets do.
    let (Ok(n), Ok(w)) = (u32::try_from(len), u32::try_from(window)) else {
        return None;
    };
    let starts = n - w + 1;
    let windows = (len - window + 1) as f64;
    // the most the tail can add: w - 1, w - 2, ... 1
    let tail_most = u64::from(w) * u64::from(w - 1) / 2;
    let mut total = 0u64;
    // one past the position of the next word
    let mut after = 1u32;
    // the bound is looked at after every CHUNK words that start windows,
    // and after the last of them
    let chunk = u32::try_from(CHUNK).unwrap_or(u32::MAX);
    let mut look_at = chunk.min(starts);
    let all = doc.word_ids();
    for run in runs {
        let mut ids = all.get(run.clone()).unwrap_or_default();
        // the words of the run that start windows, up to the next look at
        // the bound at a time (`after - 1`, the words read, is at most
        // `look_at` until the last look)
        while after <= starts && !ids.is_empty() {
            let (head, rest) = ids.split_at(ids.len().min((look_at + 1 - after) as usize));
            for &id in head {
                let seen = std::mem::replace(&mut after_last_use[id as usize & mask], after);
                total += u64::from((after - seen).min(w));
                after += 1;
            }
            ids = rest;
            if after - 1 == look_at {
                let to_come = u64::from(starts - look_at);
                let most = total + to_come * u64::from(w) + tail_most;
                if (most as f64 / windows / window as f64) < floor {
                    return None;
                }
                look_at = look_at.saturating_add(chunk).min(starts);
            }
        }
        for &id in ids {
            let seen = std::mem::replace(&mut after_last_use[id as usize & mask], after);
            let first = seen.max(after.saturating_sub(w));
            total += u64::from(starts.saturating_sub(first));
            after += 1;
        }
    }
    Some(total as f64 / windows / window as f64)
}

/// The table of [`mattr_reaching`], kept per thread from one document to
/// the next (allocating, zeroing and freeing one per document cost more
/// than the zeroing alone); given back emptied when dropped, so a return
/// from anywhere in the loop gives it back.
struct SpareTable(Vec<u32>);

thread_local! {
    static SPARE_TABLE: std::cell::Cell<Vec<u32>> = std::cell::Cell::default();
}

impl SpareTable {
    /// This thread's table, empty.
    fn take() -> SpareTable {
        SpareTable(SPARE_TABLE.take())
    }
}

impl Drop for SpareTable {
    fn drop(&mut self) {
        // a huge document's table is not kept for the small ones after it
        if self.0.capacity() <= 1 << 16 {
            let mut table = std::mem::take(&mut self.0);
            table.clear();
            SPARE_TABLE.set(table);
        }
    }
}

impl Metric for LexicalDiversity {
    fn measure(&self, doc: &Document) -> Option<f64> {
        mattr(doc, self.0.window)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        // running words are some of the document's words: a short
        // document is passed over before they are gathered
        if doc.word_ids().len() < self.0.min_words {
            return;
        }
        let runs = cx.running_words();
        if words_in(runs) < self.0.min_words {
            return;
        }
        let Some(value) = mattr_reaching(doc, runs, self.0.window, self.0.min_mattr) else {
            return;
        };
        if value < self.0.min_mattr {
            return;
        }
        let Some(&first) = doc.words().first() else {
            return;
        };
        out.push(hit(
            rule,
            Span::new(first.start as usize, first.end as usize),
            format!(
                "vocabulary unusually varied: MATTR-{} {value:.2} (reported at {} and above)",
                self.0.window, self.0.min_mattr
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Markup;

    #[test]
    fn link_titles_and_headings_are_not_vocabulary() {
        // a digest: 60 list items of distinct words, one short paragraph
        let mut src = String::from("# Weekly links\n\nThe links we read this week.\n\n");
        for i in 0..60 {
            src.push_str(&format!("- Title{i} alpha{i} beta{i} gamma{i}\n"));
        }
        let doc = crate::source::document(src, Markup::Markdown);
        assert!(doc.word_count() > 200);
        assert_eq!(mattr(&doc, 100), None, "only the paragraph is measured");
        let metric = build(toml::Table::new()).expect("default settings");
        let mut hits = Vec::new();
        metric.check(&Context::new(&doc), 0, &mut hits);
        assert!(hits.is_empty());
    }

    /// MATTR as first written: running words found one at a time, the
    /// window's distinct words summed in floating point.
    fn reference(doc: &Document, window: usize) -> Option<f64> {
        let mut ids = Vec::new();
        for (_, b) in super::super::running_blocks(doc, false) {
            for s in &doc.sentences()[b.sentences.clone()] {
                for i in s.words.clone() {
                    if !doc.is_quoted(doc.words()[i]) {
                        ids.push(doc.word_ids()[i]);
                    }
                }
            }
        }
        if ids.len() < window {
            return None;
        }
        let mut counts = std::collections::HashMap::new();
        let (mut total, mut windows) = (0.0, 0.0);
        for (i, &id) in ids.iter().enumerate() {
            *counts.entry(id).or_insert(0) += 1;
            if i >= window {
                let gone = counts.get_mut(&ids[i - window]).expect("counted");
                *gone -= 1;
                if *gone == 0 {
                    counts.remove(&ids[i - window]);
                }
            }
            if i + 1 >= window {
                total += counts.len() as f64;
                windows += 1.0;
            }
        }
        Some(total / windows / window as f64)
    }

    #[test]
    fn stopping_early_only_drops_ratios_below_the_floor() {
        let (mut stopped, mut kept) = (0, 0);
        for doc in super::super::sample_documents() {
            let ids = Context::new(&doc).running_words().to_vec();
            for window in [10, 50, 100] {
                let exact = mattr_of(&doc, &ids, window);
                for floor in [0.3, 0.6, 0.7, 0.75, 0.8, 0.82, 0.9, 1.0] {
                    let got = mattr_reaching(&doc, &ids, window, floor);
                    match (got, exact) {
                        (Some(g), Some(e)) => {
                            assert_eq!(g.to_bits(), e.to_bits());
                            kept += 1;
                        }
                        (None, Some(e)) => {
                            assert!(e < floor, "{e} stopped below {floor}");
                            stopped += 1;
                        }
                        (None, None) => {}
                        (Some(_), None) => panic!("a ratio where there is none"),
                    }
                }
            }
        }
        assert!(stopped > 50 && kept > 50, "{stopped} stopped, {kept} kept");
    }

    #[test]
    fn mattr_is_what_it_was() {
        let mut measured = 0;
        for doc in super::super::sample_documents() {
            for window in [10, 100] {
                let expected = reference(&doc, window);
                measured += usize::from(expected.is_some());
                assert_eq!(
                    mattr(&doc, window).map(f64::to_bits),
                    expected.map(f64::to_bits),
                    "{}",
                    doc.prose()
                );
            }
        }
        assert!(measured > 50, "the samples are long enough to measure");
    }
}
