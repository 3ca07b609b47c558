//! Structural measurements the score reads: sentence and paragraph rhythm,
//! punctuation rates, participle clauses, repeated openers, word length and
//! lexical diversity.
//!
//! Every measurement reads paragraphs outside block quotes. Headings, list
//! items and table cells are structure, not rhythm, so a bullet-heavy digest
//! is measured on its paragraphs (or not at all) rather than on its link
//! titles. (The lexicon also reads sentence-like list items, see
//! [`is_running_text`].) A measurement with too little text
//! to mean anything is `None`, which the model treats as typical of human
//! writing.
//!
//! Em-dash rates are deliberately absent: the labelled set the model is
//! fitted on lost the em dashes of many human texts, so a learned dash
//! weight would measure that loss, not the writer.

use crate::text::{BlockKind, Document};

/// The measurements, by stable name (used in the model file and `--explain`).
pub const NAMES: &[&str] = &[
    "sentence-length-spread",
    "sentence-length-mean",
    "paragraph-length-spread",
    "comma-rate",
    "semicolon-rate",
    "colon-rate",
    "question-rate",
    "exclamation-rate",
    "parenthesis-rate",
    "participle-clause-rate",
    "repeated-openers",
    "word-length-mean",
    "lexical-diversity",
];

/// Number of measurements.
pub const COUNT: usize = 13;

/// Fewest sentences for sentence-based measurements.
const MIN_SENTENCES: usize = 5;
/// Fewest paragraphs for the paragraph-length spread.
const MIN_PARAGRAPHS: usize = 4;
/// Fewest words for the comma rate, word length and diversity.
const MIN_WORDS: usize = 40;
/// Fewest words for rates of rare marks (semicolons, colons, question and
/// exclamation marks, parentheses): in a short text none is the usual count,
/// whoever wrote it.
const MIN_RARE_WORDS: usize = 120;
/// Fewest sentences for the participle-clause rate, a rare construction.
const MIN_RARE_SENTENCES: usize = 8;
/// Window of the moving type-token ratio.
const DIVERSITY_WINDOW: usize = 50;

/// The measurements of one stretch of text, in [`NAMES`] order.
pub type Measurements = [Option<f64>; COUNT];

/// Fewest words for a list item to count as running text.
const MIN_LIST_ITEM_WORDS: usize = 8;

/// Whether a block is running text: a paragraph outside block quotes, or a
/// list item written as a sentence (enough words, ending in `.`, `!` or
/// `?`). Headings, table cells and link-title list items are structure.
pub fn is_running_text(doc: &Document, block: &crate::text::Block) -> bool {
    if block.quoted {
        return false;
    }
    match block.kind {
        BlockKind::Paragraph => true,
        BlockKind::ListItem => {
            let words: usize = doc.sentences()[block.sentences.clone()]
                .iter()
                .map(|s| s.words.len())
                .sum();
            words >= MIN_LIST_ITEM_WORDS
                && doc
                    .text(block.span)
                    .trim_end_matches(['"', '\'', ')', '\u{201D}', '*', '_'])
                    .ends_with(['.', '!', '?'])
        }
        _ => false,
    }
}

/// Measures the running text of `doc`, or of the blocks in `blocks` only.
pub fn measure(doc: &Document, blocks: Option<std::ops::Range<usize>>) -> Measurements {
    let range = blocks.unwrap_or(0..doc.blocks().len());
    let mut sentence_lengths: Vec<f64> = Vec::new();
    let mut paragraph_lengths: Vec<f64> = Vec::new();
    let ids = doc.word_ids();
    let mut openers: Vec<u32> = Vec::new();
    let mut diversity = MovingTypeTokenRatio::default();
    let mut n_words = 0usize;
    let mut letters = 0usize;
    let mut participles = 0usize;
    let mut punct = [0usize; 6]; // , ; : ? ! (
    for block in &doc.blocks()[range] {
        // rhythm is measured on paragraphs: even sentence-like list items
        // take their lengths from the list, not from the writer
        if block.quoted || block.kind != BlockKind::Paragraph {
            continue;
        }
        let mut paragraph_words = 0;
        for sentence in &doc.sentences()[block.sentences.clone()] {
            let n = sentence.words.len();
            if n == 0 {
                continue;
            }
            paragraph_words += n;
            sentence_lengths.push(n as f64);
            let text = doc.text(sentence.span);
            for c in text.chars() {
                match c {
                    ',' => punct[0] += 1,
                    ';' => punct[1] += 1,
                    ':' => punct[2] += 1,
                    '?' => punct[3] += 1,
                    '!' => punct[4] += 1,
                    '(' => punct[5] += 1,
                    _ => {}
                }
            }
            if has_participle_clause(text) {
                participles += 1;
            }
            let spans = &doc.words()[sentence.words.clone()];
            if let Some(&first) = ids.get(sentence.words.start) {
                openers.push(first);
            }
            for (w, &id) in spans.iter().zip(&ids[sentence.words.clone()]) {
                let t = doc.text(*w);
                letters += if t.is_ascii() {
                    t.bytes().filter(u8::is_ascii_alphabetic).count()
                } else {
                    t.chars().filter(|c| c.is_alphabetic()).count()
                };
                diversity.push(id);
                n_words += 1;
            }
        }
        if paragraph_words > 0 {
            paragraph_lengths.push(paragraph_words as f64);
        }
    }
    let n_sentences = sentence_lengths.len();
    let rate = |count: usize, min_words: usize| {
        (n_words >= min_words).then(|| (1000.0 * count as f64 / n_words as f64).ln_1p())
    };
    let enough_sentences = n_sentences >= MIN_SENTENCES;
    [
        enough_sentences.then(|| spread(&sentence_lengths)),
        enough_sentences.then(|| (n_words as f64 / n_sentences as f64).ln()),
        (paragraph_lengths.len() >= MIN_PARAGRAPHS).then(|| spread(&paragraph_lengths)),
        rate(punct[0], MIN_WORDS),
        rate(punct[1], MIN_RARE_WORDS),
        rate(punct[2], MIN_RARE_WORDS),
        rate(punct[3], MIN_RARE_WORDS),
        rate(punct[4], MIN_RARE_WORDS),
        rate(punct[5], MIN_RARE_WORDS),
        (n_sentences >= MIN_RARE_SENTENCES).then(|| participles as f64 / n_sentences as f64),
        enough_sentences.then(|| repeated_share(&mut openers)),
        (n_words >= MIN_WORDS).then(|| letters as f64 / n_words as f64),
        (n_words >= DIVERSITY_WINDOW).then(|| diversity.value()),
    ]
}

/// Coefficient of variation (standard deviation over mean).
fn spread(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return 0.0;
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    var.sqrt() / mean
}

/// Share of sentences whose first word also opens another sentence.
fn repeated_share(openers: &mut [u32]) -> f64 {
    let n = openers.len();
    openers.sort_unstable();
    let mut repeated = 0;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && openers[j] == openers[i] {
            j += 1;
        }
        if j - i > 1 {
            repeated += j - i;
        }
        i = j;
    }
    repeated as f64 / n as f64
}

/// Mean type-token ratio over sliding windows of [`DIVERSITY_WINDOW`] words,
/// so the value does not fall with document length; fed one interned word
/// id at a time, holding only the current window.
#[derive(Default)]
struct MovingTypeTokenRatio {
    counts: Vec<u32>,
    window: std::collections::VecDeque<u32>,
    types: usize,
    total: f64,
    windows: f64,
}

impl MovingTypeTokenRatio {
    fn push(&mut self, id: u32) {
        let id = id as usize;
        if id >= self.counts.len() {
            self.counts.resize(id + 1, 0);
        }
        if self.window.len() == DIVERSITY_WINDOW
            && let Some(out) = self.window.pop_front()
        {
            let out = out as usize;
            self.counts[out] -= 1;
            self.types -= usize::from(self.counts[out] == 0);
        }
        self.types += usize::from(self.counts[id] == 0);
        self.counts[id] += 1;
        self.window.push_back(id as u32);
        if self.window.len() == DIVERSITY_WINDOW {
            self.total += self.types as f64;
            self.windows += 1.0;
        }
    }

    fn value(&self) -> f64 {
        self.total / self.windows.max(1.0) / DIVERSITY_WINDOW as f64
    }
}

/// Whether a sentence has a trailing participle clause: a comma followed by
/// a lowercase `-ing` word (", highlighting the need for ...").
fn has_participle_clause(sentence: &str) -> bool {
    sentence.match_indices(", ").any(|(i, _)| {
        let rest = &sentence[i + 2..];
        let word: &str = rest
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        word.len() >= 6
            && word.ends_with("ing")
            && word.chars().next().is_some_and(char::is_lowercase)
            && !matches!(
                word,
                "during" | "nothing" | "something" | "anything" | "everything"
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Measurements {
        measure(&Document::plain(text), None)
    }

    #[test]
    fn names_match_count() {
        assert_eq!(NAMES.len(), COUNT);
    }

    #[test]
    fn short_text_is_unmeasured() {
        assert!(m("Too short.").iter().all(Option::is_none));
    }

    #[test]
    fn uniform_sentences_have_low_spread() {
        let even = "One two three four five. Six seven eight nine ten. \
                    One two three four five. Six seven eight nine ten. \
                    One two three four five. Six seven eight nine ten.";
        let uneven = "One. Two three four five six seven eight nine ten eleven twelve. \
                      Three. Four five six. Seven eight nine ten eleven twelve thirteen \
                      fourteen fifteen sixteen. Yes.";
        let a = m(even)[0].unwrap();
        let b = m(uneven)[0].unwrap();
        assert!(a < 0.01 && b > 0.5, "{a} {b}");
    }

    #[test]
    fn participle_clauses_are_found() {
        assert!(has_participle_clause(
            "The plan failed, highlighting the need for care."
        ));
        assert!(!has_participle_clause("It rained, during the game."));
        assert!(!has_participle_clause("We went swimming, then ate."));
    }

    #[test]
    fn repeated_openers_share() {
        let doc =
            crate::text::Document::plain("The cat sat. It rained. The dog ran. We left. THE END.");
        let mut v: Vec<u32> = doc
            .sentences()
            .iter()
            .map(|s| doc.word_ids()[s.words.start])
            .collect();
        assert!((repeated_share(&mut v) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn moving_type_token_ratio_over_windows() {
        // 60 words cycling through 25 types: every 50-word window holds all 25
        let mut m = MovingTypeTokenRatio::default();
        for i in 0..60u32 {
            m.push(i % 25);
        }
        assert!((m.value() - 0.5).abs() < 1e-12);
        let mut all_new = MovingTypeTokenRatio::default();
        (0..70u32).for_each(|i| all_new.push(i));
        assert!((all_new.value() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn list_items_and_quotes_are_not_measured() {
        let md = crate::source::document(
            "- One item here.\n- Two items here.\n- Three.\n- Four.\n- Five.\n- Six.\n".into(),
            crate::text::Markup::Markdown,
        );
        assert!(measure(&md, None)[0].is_none());
    }
}
