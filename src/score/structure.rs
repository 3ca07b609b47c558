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
            is_running_list_item(doc, block, words)
        }
        _ => false,
    }
}

/// Whether `block`, a list item outside block quotes of `words` words, is
/// written as a sentence (see [`is_running_text`]).
pub(crate) fn is_running_list_item(
    doc: &Document,
    block: &crate::text::Block,
    words: usize,
) -> bool {
    block.kind == BlockKind::ListItem
        && words >= MIN_LIST_ITEM_WORDS
        && doc
            .text(block.span)
            .trim_end_matches(['"', '\'', ')', '\u{201D}', '*', '_'])
            .ends_with(['.', '!', '?'])
}

/// Measures the running text of `doc`, or of the blocks in `blocks` only.
/// (The score measures while it observes, see [`super::features::observe`].)
pub fn measure(doc: &Document, blocks: Option<std::ops::Range<usize>>) -> Measurements {
    let facts = super::features::Terms::of(doc);
    super::features::observe(doc, facts.facts(), &[], blocks, |_| {}).metrics
}

/// The measurements being taken over a stretch of text, fed one paragraph
/// sentence at a time. Rhythm is measured on paragraphs outside block
/// quotes: even sentence-like list items take their lengths from the list,
/// not from the writer.
pub(crate) struct Meter {
    sentence_lengths: Vec<f64>,
    paragraph_lengths: Vec<f64>,
    paragraph_words: usize,
    openers: Vec<u32>,
    diversity: MovingTypeTokenRatio,
    n_words: usize,
    letters: usize,
    participles: usize,
    punct: [usize; 6], // , ; : ? ! (
}

impl Meter {
    /// A meter for a document of `vocabulary` distinct words, `words` of
    /// which are in the paragraphs it will be fed.
    pub(crate) fn new(vocabulary: usize, words: usize) -> Meter {
        Meter {
            sentence_lengths: Vec::new(),
            paragraph_lengths: Vec::new(),
            paragraph_words: 0,
            openers: Vec::new(),
            diversity: MovingTypeTokenRatio::new(vocabulary, words),
            n_words: 0,
            letters: 0,
            participles: 0,
            punct: [0; 6],
        }
    }

    /// Adds a paragraph's sentence: its `text`, the vocabulary ids of its
    /// words (at least one) and the letters of each vocabulary id.
    pub(crate) fn sentence(&mut self, text: &str, ids: &[u32], letters: impl Fn(u32) -> u32) {
        let Some(&first) = ids.first() else { return };
        self.paragraph_words += ids.len();
        self.sentence_lengths.push(ids.len() as f64);
        let bytes = text.as_bytes();
        // the marks are ASCII, so bytes can be searched instead of chars
        let mut participle = false;
        for i in memchr::memchr3_iter(b',', b';', b':', bytes) {
            match bytes[i] {
                b',' => {
                    self.punct[0] += 1;
                    if !participle && bytes.get(i + 1) == Some(&b' ') {
                        participle = participle_follows(&text[i + 2..]);
                    }
                }
                b';' => self.punct[1] += 1,
                _ => self.punct[2] += 1,
            }
        }
        for i in memchr::memchr3_iter(b'?', b'!', b'(', bytes) {
            match bytes[i] {
                b'?' => self.punct[3] += 1,
                b'!' => self.punct[4] += 1,
                _ => self.punct[5] += 1,
            }
        }
        self.participles += usize::from(participle);
        self.openers.push(first);
        for &id in ids {
            self.letters += letters(id) as usize;
            self.diversity.push(id);
        }
        self.n_words += ids.len();
    }

    /// Ends a paragraph.
    pub(crate) fn end_paragraph(&mut self) {
        if self.paragraph_words > 0 {
            self.paragraph_lengths.push(self.paragraph_words as f64);
        }
        self.paragraph_words = 0;
    }

    /// The measurements.
    pub(crate) fn finish(mut self) -> Measurements {
        self.end_paragraph();
        let n_words = self.n_words;
        let n_sentences = self.sentence_lengths.len();
        let rate = |count: usize, min_words: usize| {
            (n_words >= min_words).then(|| (1000.0 * count as f64 / n_words as f64).ln_1p())
        };
        let enough_sentences = n_sentences >= MIN_SENTENCES;
        let punct = self.punct;
        [
            enough_sentences.then(|| spread(&self.sentence_lengths)),
            enough_sentences.then(|| (n_words as f64 / n_sentences as f64).ln()),
            (self.paragraph_lengths.len() >= MIN_PARAGRAPHS)
                .then(|| spread(&self.paragraph_lengths)),
            rate(punct[0], MIN_WORDS),
            rate(punct[1], MIN_RARE_WORDS),
            rate(punct[2], MIN_RARE_WORDS),
            rate(punct[3], MIN_RARE_WORDS),
            rate(punct[4], MIN_RARE_WORDS),
            rate(punct[5], MIN_RARE_WORDS),
            (n_sentences >= MIN_RARE_SENTENCES)
                .then(|| self.participles as f64 / n_sentences as f64),
            enough_sentences.then(|| repeated_share(&mut self.openers)),
            (n_words >= MIN_WORDS).then(|| self.letters as f64 / n_words as f64),
            (n_words >= DIVERSITY_WINDOW).then(|| self.diversity.value()),
        ]
    }
}

/// The letters of a word: alphabetic characters. Lowercasing keeps their
/// number (a test checks every character), so a word and its vocabulary
/// entry have the same count.
pub(crate) fn letters(word: &str) -> u32 {
    if word.is_ascii() {
        word.bytes().filter(u8::is_ascii_alphabetic).count() as u32
    } else {
        word.chars().filter(|c| c.is_alphabetic()).count() as u32
    }
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
/// id at a time.
///
/// Rather than slide a window, each word adds the windows it is new in:
/// the types of a window are the words in it whose id was not used earlier
/// in it, so a word at position `i` whose id was last used at `p` counts
/// once in every window starting in `p + 1 ..= i` that exists. The sum is
/// an integer, so it equals the window-by-window sum exactly.
struct MovingTypeTokenRatio {
    /// One past the position of each vocabulary id's last use; 0: unused.
    last: Vec<usize>,
    /// Words pushed so far.
    at: usize,
    /// Words there will be in all.
    words: usize,
    /// Types summed over the windows.
    total: u64,
}

impl MovingTypeTokenRatio {
    /// A ratio over `words` words with ids below `vocabulary` (larger ids
    /// grow the table).
    fn new(vocabulary: usize, words: usize) -> MovingTypeTokenRatio {
        MovingTypeTokenRatio {
            last: vec![0; vocabulary],
            at: 0,
            words,
            total: 0,
        }
    }

    #[inline]
    fn push(&mut self, id: u32) {
        let id = id as usize;
        if id >= self.last.len() {
            self.last.resize(id + 1, 0);
        }
        let i = self.at;
        self.at += 1;
        let after_last_use = std::mem::replace(&mut self.last[id], i + 1);
        if let Some(last_window) = self.words.checked_sub(DIVERSITY_WINDOW) {
            let first = after_last_use.max((i + 1).saturating_sub(DIVERSITY_WINDOW));
            let end = i.min(last_window) + 1;
            self.total += end.saturating_sub(first) as u64;
        }
    }

    fn value(&self) -> f64 {
        debug_assert_eq!(self.at, self.words, "told the number of words");
        let windows = (self.words + 1).saturating_sub(DIVERSITY_WINDOW) as f64;
        self.total as f64 / windows.max(1.0) / DIVERSITY_WINDOW as f64
    }
}

/// Whether a sentence has a trailing participle clause: a comma followed by
/// a lowercase `-ing` word (", highlighting the need for ...").
#[cfg(test)]
fn has_participle_clause(sentence: &str) -> bool {
    sentence
        .match_indices(", ")
        .any(|(i, _)| participle_follows(&sentence[i + 2..]))
}

/// Whether `rest`, the text after a comma and space, opens with a
/// lowercase `-ing` word.
fn participle_follows(rest: &str) -> bool {
    let end = rest
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(rest.len());
    let word = &rest[..end];
    word.len() >= 6
        && word.ends_with("ing")
        && word.chars().next().is_some_and(char::is_lowercase)
        && !matches!(
            word,
            "during" | "nothing" | "something" | "anything" | "everything"
        )
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
        let mut m = MovingTypeTokenRatio::new(0, 60);
        for i in 0..60u32 {
            m.push(i % 25);
        }
        assert!((m.value() - 0.5).abs() < 1e-12);
        let mut all_new = MovingTypeTokenRatio::new(10, 70);
        (0..70u32).for_each(|i| all_new.push(i));
        assert!((all_new.value() - 1.0).abs() < 1e-12);
    }

    /// The ratio as defined: each window's distinct ids, window by window.
    fn windowed(ids: &[u32]) -> f64 {
        let mut total = 0.0;
        let mut windows = 0.0;
        for w in ids.windows(DIVERSITY_WINDOW) {
            let mut types = w.to_vec();
            types.sort_unstable();
            types.dedup();
            total += types.len() as f64;
            windows += 1.0;
        }
        total / f64::max(windows, 1.0) / DIVERSITY_WINDOW as f64
    }

    #[test]
    fn moving_type_token_ratio_equals_the_window_by_window_ratio() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for case in 0..200 {
            let len = case * 3 % 160;
            let types = 1 + case % 70;
            let ids: Vec<u32> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % types as u64) as u32
                })
                .collect();
            let mut m = MovingTypeTokenRatio::new(types / 2, len);
            ids.iter().for_each(|&id| m.push(id));
            assert_eq!(m.value().to_bits(), windowed(&ids).to_bits(), "{ids:?}");
        }
    }

    #[test]
    fn lowercasing_keeps_the_number_of_letters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let lower: String = c.to_lowercase().collect();
            assert_eq!(letters(&c.to_string()), letters(&lower), "{c:?}");
        }
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
