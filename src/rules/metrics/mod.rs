//! Structural metrics: tells that no pattern can express (sentence rhythm,
//! dash density, repeated openers, heading shapes), one file each.
//!
//! A metric rule names its implementation with `metric = "..."` in a pack
//! and tunes it with a `settings` table; each metric parses its own
//! settings strictly, so a typo in a pack is an error naming the key.
//! Every metric also exposes its raw measurement ([`Metric::measure`] and a
//! `pub fn` in its file), so the score model can use it as a feature
//! without computing it twice.

pub mod ai_vocabulary_cluster;
pub mod bold_inline_header_list;
pub mod boldface_overuse;
pub mod common_marker_density;
mod context;
pub mod copula_deficit;
pub mod curly_quote_mix;
pub mod em_dash_density;
pub mod emoji_decoration;
pub mod fragmented_header;
pub mod heading_level_skip;
pub mod inline_header_paragraphs;
pub mod lexical_diversity;
pub mod markdown_residue;
pub mod nominalization_rate;
pub mod paragraph_length_uniformity;
pub mod participle_clause_rate;
pub mod repeated_openers;
pub mod rule_of_three;
pub mod sentence_length_uniformity;
pub mod staccato_drama;
pub mod title_case_headings;
pub mod unicode_bullet_residue;

use serde::de::DeserializeOwned;

pub use context::Context;
pub use context::WordList;

use super::Hit;
use crate::text::{Block, BlockKind, Document, Span};

/// A structural rule that reads the shared token and sentence tables.
pub trait Metric: Send + Sync {
    /// Inspects the document of `cx` and appends a hit for `rule` where the
    /// tell shows.
    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>);

    /// The raw measurement the check compares with its threshold, or
    /// `None` when the document is too short or has nothing to measure.
    fn measure(&self, doc: &Document) -> Option<f64>;

    /// Lowercase words whose occurrences the check reads: [`run`] finds
    /// them for every metric in one shared pass over the words (see
    /// `Context::lists`).
    fn listed_words(&self) -> Option<&WordList> {
        None
    }
}

/// Every metric implementation, by the name packs use: one visible list.
const METRICS: &[(&str, Builder)] = &[
    ("ai-vocabulary-cluster", ai_vocabulary_cluster::build),
    ("bold-inline-header-list", bold_inline_header_list::build),
    ("boldface-overuse", boldface_overuse::build),
    ("common-marker-density", common_marker_density::build),
    ("copula-deficit", copula_deficit::build),
    ("curly-quote-mix", curly_quote_mix::build),
    ("em-dash-density", em_dash_density::build),
    ("emoji-decoration", emoji_decoration::build),
    ("fragmented-header", fragmented_header::build),
    ("heading-level-skip", heading_level_skip::build),
    ("inline-header-paragraphs", inline_header_paragraphs::build),
    ("lexical-diversity", lexical_diversity::build),
    ("markdown-residue", markdown_residue::build),
    ("nominalization-rate", nominalization_rate::build),
    (
        "paragraph-length-uniformity",
        paragraph_length_uniformity::build,
    ),
    ("participle-clause-rate", participle_clause_rate::build),
    ("repeated-openers", repeated_openers::build),
    ("rule-of-three", rule_of_three::build),
    (
        "sentence-length-uniformity",
        sentence_length_uniformity::build,
    ),
    ("staccato-drama", staccato_drama::build),
    ("title-case-headings", title_case_headings::build),
    ("unicode-bullet-residue", unicode_bullet_residue::build),
];

/// Runs the enabled metrics (`enabled[rule]`) over `doc`, appending their
/// hits to `out`; they share one [`Context`], so what several of them read
/// is worked out once.
pub fn run(
    metrics: &[(usize, Box<dyn Metric>)],
    doc: &Document,
    enabled: &[bool],
    out: &mut Vec<Hit>,
) {
    let lists = metrics
        .iter()
        .filter(|(rule, _)| enabled.get(*rule).copied().unwrap_or(false))
        .filter_map(|(_, metric)| metric.listed_words())
        .filter(|list| !list.words().is_empty())
        .collect();
    let cx = Context::with_lists(doc, lists);
    for (rule, metric) in metrics {
        if enabled.get(*rule).copied().unwrap_or(false) {
            metric.check(&cx, *rule, out);
        }
    }
}

type Builder = fn(toml::Table) -> Result<Box<dyn Metric>, String>;

/// Names of the metric implementations packs can use.
pub fn names() -> impl Iterator<Item = &'static str> {
    METRICS.iter().map(|(n, _)| *n)
}

/// Builds the metric `name` with its pack settings.
pub fn build(name: &str, settings: toml::Table) -> Result<Box<dyn Metric>, String> {
    match METRICS.iter().find(|(n, _)| *n == name) {
        Some((_, build)) => build(settings),
        None => Err(format!(
            "unknown metric `{name}`; known metrics: {}",
            names().collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Parses a metric's settings table into its typed settings.
fn settings<T: DeserializeOwned>(table: toml::Table) -> Result<T, String> {
    toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| format!("bad settings: {}", e.message().trim()))
}

/// A hit of `rule` on `span` with a message that reports the measured value.
/// `count` per 1,000 words of `doc`; `None` without words.
fn per_thousand_words(doc: &Document, count: usize) -> Option<f64> {
    let words = doc.word_count();
    (words > 0).then(|| count as f64 * 1000.0 / words as f64)
}

/// When a density metric fires: a document of at least `min_words` words
/// with at least `min_count` spans, `per_thousand` or more per 1,000 words.
struct Density {
    min_words: usize,
    min_count: usize,
    per_thousand: f64,
}

impl Density {
    /// One hit at the first span `find` returns, when the density fires;
    /// `what` names the spans in the message ("lists of exactly three").
    /// `find` runs only on documents long enough to be judged.
    fn check(
        &self,
        doc: &Document,
        rule: usize,
        what: &str,
        find: impl FnOnce(&Document) -> Vec<Span>,
        out: &mut Vec<Hit>,
    ) {
        let words = doc.word_count();
        if words < self.min_words.max(1) {
            return;
        }
        let found = find(doc);
        let rate = found.len() as f64 * 1000.0 / words as f64;
        let Some(&first) = found.first() else { return };
        if found.len() < self.min_count || rate < self.per_thousand {
            return;
        }
        out.push(hit(
            rule,
            first,
            format!(
                "{} {what} in {words} words ({rate:.1} per 1,000; limit {})",
                found.len(),
                self.per_thousand
            ),
        ));
    }
}

impl Density {
    /// Whether `count` spans in `doc`, or any fewer, are too few to fire:
    /// a screen with an upper bound on what `find` would return (the rate
    /// only grows with the count).
    fn cannot_fire(&self, doc: &Document, count: usize) -> bool {
        let words = doc.word_count();
        words == 0
            || count == 0
            || count < self.min_count
            || (count as f64 * 1000.0 / words as f64) < self.per_thousand
    }
}

fn hit(rule: usize, span: Span, message: String) -> Hit {
    Hit {
        rule,
        span,
        raw: false,
        message: Some(message),
    }
}

/// Running text: paragraphs (and list items when `lists`) outside block
/// quotes, with their indices. Headings, cells and quoted material are
/// someone else's words or not prose in the sense these metrics measure.
fn running_blocks(doc: &Document, lists: bool) -> impl Iterator<Item = (usize, &Block)> {
    doc.blocks().iter().enumerate().filter(move |(_, b)| {
        !b.quoted && (b.kind == BlockKind::Paragraph || (lists && b.kind == BlockKind::ListItem))
    })
}

/// [`Document::is_quoted`] for spans asked about in text order: two
/// cursors (into the quotations and the blocks) replace two binary
/// searches per span, which on a per-word pass were most of a metric's
/// cost.
struct QuotedCursor<'d> {
    quotes: &'d [Span],
    blocks: &'d [Block],
}

impl<'d> QuotedCursor<'d> {
    fn new(doc: &'d Document) -> Self {
        QuotedCursor {
            quotes: doc.quotes(),
            blocks: doc.blocks(),
        }
    }

    /// Whether `span` starts inside a quotation or a block quote; `span`
    /// must not start before any span asked about earlier.
    fn is_quoted(&mut self, span: Span) -> bool {
        let start = span.start;
        while let Some((q, rest)) = self.quotes.split_first()
            && q.end <= start
        {
            self.quotes = rest;
        }
        if self.quotes.first().is_some_and(|q| q.start <= start) {
            return true;
        }
        while let Some((b, rest)) = self.blocks.split_first()
            && b.span.end <= start
        {
            self.blocks = rest;
        }
        self.blocks
            .first()
            .is_some_and(|b| b.span.start <= start && b.quoted)
    }

    /// Whether no span starting between offsets `from` and `to` (both
    /// included) is quoted, answered for all of them at once when that is
    /// certain: no quotation starts before `to` and ends after `from`, and
    /// one block that is not a block quote holds them all. `false` means
    /// "ask [`QuotedCursor::is_quoted`] per span"; the cursor is left as
    /// asking about `from` would leave it. `from` must not be before any
    /// offset asked about earlier.
    fn none_between(&mut self, from: u32, to: u32) -> bool {
        while let Some((q, rest)) = self.quotes.split_first()
            && q.end <= from
        {
            self.quotes = rest;
        }
        // quotations are sorted by start: none after this one starts sooner
        if self.quotes.first().is_some_and(|q| q.start <= to) {
            return false;
        }
        while let Some((b, rest)) = self.blocks.split_first()
            && b.span.end <= from
        {
            self.blocks = rest;
        }
        match self.blocks.first() {
            // the cursor stays on this block for every offset up to `to`
            Some(b) => b.span.start <= from && b.span.end > to && !b.quoted,
            None => true,
        }
    }
}

/// Coefficient of variation (standard deviation over mean) of `values`.
fn coefficient_of_variation(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return None;
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Some(var.sqrt() / mean)
}

/// Whether `c` (followed by `next`) is drawn as an emoji: a pictograph of
/// the supplementary planes, a symbol whose default presentation is emoji,
/// or any symbol asking for emoji presentation with U+FE0F. Typographic
/// dingbats that default to text (☞ ★ ✓ ➤), which people have long used as
/// bullets, are not emoji.
fn is_emoji(c: char, next: Option<char>) -> bool {
    let cp = c as u32;
    if (0x1F300..=0x1FAFF).contains(&cp) {
        return true;
    }
    in_symbol_blocks(c) && (next == Some('\u{FE0F}') || has_emoji_presentation(cp))
}

/// Whether `c` is in the blocks of symbols prose sets as markers and
/// bullets: arrows, technical symbols, geometric shapes, miscellaneous
/// symbols and dingbats (☞ ★ ✓ ➤ ■ ⌚ ➡).
pub(in crate::rules) fn in_symbol_blocks(c: char) -> bool {
    matches!(u32::from(c), 0x2190..=0x21FF | 0x2300..=0x23FF | 0x25A0..=0x27BF | 0x2B00..=0x2BFF)
}

/// Symbols below U+3000 with `Emoji_Presentation=Yes` (Unicode emoji-data.txt,
/// Unicode 15.1): drawn as emoji even without a variation selector.
fn has_emoji_presentation(cp: u32) -> bool {
    matches!(cp,
        0x231A..=0x231B | 0x23E9..=0x23EC | 0x23F0 | 0x23F3 | 0x25FD..=0x25FE
        | 0x2614..=0x2615 | 0x2648..=0x2653 | 0x267F | 0x2693 | 0x26A1
        | 0x26AA..=0x26AB | 0x26BD..=0x26BE | 0x26C4..=0x26C5 | 0x26CE | 0x26D4
        | 0x26EA | 0x26F2..=0x26F3 | 0x26F5 | 0x26FA | 0x26FD | 0x2705
        | 0x270A..=0x270B | 0x2728 | 0x274C | 0x274E | 0x2753..=0x2755 | 0x2757
        | 0x2795..=0x2797 | 0x27B0 | 0x27BF | 0x2B1B..=0x2B1C | 0x2B50 | 0x2B55)
}

/// Documents to compare a metric's fast path with a plain reference on:
/// hand-written edge cases (quotations, block quotes, lists, dashes,
/// bullets, triads) and, when the shared data set is on this machine, a
/// sample of its human and AI texts and human Markdown.
#[cfg(test)]
fn sample_documents() -> Vec<Document> {
    use crate::text::Markup;
    let mut docs: Vec<Document> = [
        "He said \"delve into it, plan, track and celebrate\" and left -- for good.\n\n> A quoted block, with red, white and blue -- in it.\n\nThen \u{201C}more\u{201D} words \u{2014} plain, fast, or cheap \u{2014} and more.\n",
        "# Title Of The Page\n\n- one, two and three\n- \u{2022} bullet, glyph and more\n\n\u{2022} first line\n\u{2022} second line\n\u{2022} third line\n\nA -- -- b --- c -- d, e and f, g or h.\n",
        "Running, jumping, and swimming are fun, adding joy. The pivotal study delves into the intricate interplay, underscoring its importance. It is what it is; they are here, were there, and was it?\n\nRunning again. Running again. Running again.\n",
        "",
        "--",
        " -- ",
        "\u{2014}\u{2014}\u{2014}",
    ]
    .iter()
    .map(|s| crate::source::document(s.to_string(), Markup::Markdown))
    .collect();
    for (dir, markup, take) in [
        ("dev/ai", Markup::Plain, 60),
        ("dev/human", Markup::Plain, 60),
        ("human-md", Markup::Markdown, 60),
    ] {
        let files = crate::testing::files_under(&crate::testing::shared_data(dir), &["txt", "md"]);
        for path in files.into_iter().take(take) {
            if let Ok(text) = std::fs::read_to_string(&path) {
                docs.push(crate::source::document(text, markup));
            }
        }
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_told_from_text_dingbats() {
        for (c, next) in [
            ('🚀', None),
            ('✅', None),
            ('⭐', None),
            ('✔', Some('\u{FE0F}')),
        ] {
            assert!(is_emoji(c, next), "{c}");
        }
        for (c, next) in [
            ('☞', Some(' ')),
            ('★', None),
            ('✓', None),
            ('➤', None),
            ('a', None),
        ] {
            assert!(!is_emoji(c, next), "{c}");
        }
    }

    #[test]
    fn quoted_cursor_agrees_with_the_document() {
        let doc = crate::source::document(
            "He said \"delve into it\" and left.\n\n> A quoted block here.\n\nThen \u{201C}more\u{201D} words, \"and\" more.\n".to_string(),
            crate::text::Markup::Markdown,
        );
        let mut cursor = QuotedCursor::new(&doc);
        let mut quoted = 0;
        for i in 0..doc.prose().len() {
            let span = Span::new(i, i + 1);
            assert_eq!(cursor.is_quoted(span), doc.is_quoted(span), "offset {i}");
            quoted += usize::from(doc.is_quoted(span));
        }
        assert!(quoted > 20, "the text has quotations");
    }

    #[test]
    fn cv_of_equal_values_is_zero() {
        assert_eq!(coefficient_of_variation(&[3.0, 3.0, 3.0]), Some(0.0));
        assert_eq!(coefficient_of_variation(&[1.0]), None);
        let cv = coefficient_of_variation(&[1.0, 3.0]).expect("two values");
        assert!((cv - 0.5).abs() < 1e-9);
    }

    #[test]
    fn every_metric_builds_with_default_settings() {
        for name in names() {
            assert!(build(name, toml::Table::new()).is_ok(), "{name}");
        }
        assert!(build("no-such-metric", toml::Table::new()).is_err());
    }
}
