//! Structural measurements the score reads: sentence and paragraph rhythm,
//! punctuation rates, participle clauses, repeated openers, word length and
//! lexical diversity.
//!
//! Every measurement reads running text only ([`is_running_text`]):
//! paragraphs and sentence-like list items outside block quotes. Headings,
//! link titles and table cells are structure, not rhythm, so a bullet-heavy
//! digest is measured on its paragraphs (or not at all) rather than on its
//! link titles. A measurement with too little text
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
/// Fewest words for rate and diversity measurements.
const MIN_WORDS: usize = 40;
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
    let mut openers: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut letters = 0usize;
    let mut participles = 0usize;
    let mut punct = [0usize; 6]; // , ; : ? ! (
    for block in &doc.blocks()[range] {
        if !is_running_text(doc, block) {
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
            if let Some(first) = spans.first() {
                openers.push(doc.text(*first).to_lowercase());
            }
            for w in spans {
                let t = doc.text(*w);
                letters += t.chars().filter(|c| c.is_alphabetic()).count();
                words.push(t.to_lowercase());
            }
        }
        if paragraph_words > 0 {
            paragraph_lengths.push(paragraph_words as f64);
        }
    }
    let n_words = words.len();
    let n_sentences = sentence_lengths.len();
    let per_thousand = |count: usize| {
        (n_words >= MIN_WORDS).then(|| (1000.0 * count as f64 / n_words as f64).ln_1p())
    };
    let enough_sentences = n_sentences >= MIN_SENTENCES;
    [
        enough_sentences.then(|| spread(&sentence_lengths)),
        enough_sentences.then(|| (n_words as f64 / n_sentences as f64).ln()),
        (paragraph_lengths.len() >= MIN_PARAGRAPHS).then(|| spread(&paragraph_lengths)),
        per_thousand(punct[0]),
        per_thousand(punct[1]),
        per_thousand(punct[2]),
        per_thousand(punct[3]),
        per_thousand(punct[4]),
        per_thousand(punct[5]),
        enough_sentences.then(|| participles as f64 / n_sentences as f64),
        enough_sentences.then(|| repeated_share(&mut openers)),
        (n_words >= MIN_WORDS).then(|| letters as f64 / n_words as f64),
        (n_words >= DIVERSITY_WINDOW).then(|| moving_type_token_ratio(&words)),
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
fn repeated_share(openers: &mut [String]) -> f64 {
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
/// so the value does not fall with document length.
fn moving_type_token_ratio(words: &[String]) -> f64 {
    use std::collections::HashMap;
    let w = DIVERSITY_WINDOW;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for t in &words[..w] {
        *counts.entry(t.as_str()).or_default() += 1;
    }
    let mut total = counts.len() as f64;
    let mut windows = 1.0;
    for i in w..words.len() {
        let out = words[i - w].as_str();
        if let Some(c) = counts.get_mut(out) {
            *c -= 1;
            if *c == 0 {
                counts.remove(out);
            }
        }
        *counts.entry(words[i].as_str()).or_default() += 1;
        total += counts.len() as f64;
        windows += 1.0;
    }
    total / windows / w as f64
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
        let mut v: Vec<String> = ["the", "it", "the", "we", "the"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!((repeated_share(&mut v) - 0.6).abs() < 1e-12);
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
