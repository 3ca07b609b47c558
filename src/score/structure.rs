//! Structural measurements the score reads: sentence and paragraph rhythm,
//! punctuation rates, participle clauses, repeated openers and lexical
//! diversity.
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

use crate::text::{BlockKind, Document, Span};

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
    "lexical-diversity",
];

/// Number of measurements.
pub const COUNT: usize = 12;

/// Fewest sentences for sentence-based measurements.
const MIN_SENTENCES: usize = 5;
/// Fewest paragraphs for the paragraph-length spread.
const MIN_PARAGRAPHS: usize = 4;
/// Fewest words for the comma rate and diversity.
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
    /// Ids of the meter's own words, for a meter much smaller than its
    /// document's vocabulary (a paragraph of a long document), so its
    /// tables are sized to it rather than to the vocabulary.
    local: Option<LocalIds>,
    n_words: usize,
    participles: usize,
    punct: [usize; 6], // , ; : ? ! (
}

impl Meter {
    /// A meter for a document of `vocabulary` distinct words, `words` of
    /// which are in the paragraphs it will be fed, in at most `sentences`
    /// sentences and `paragraphs` paragraphs.
    pub(crate) fn new(
        vocabulary: usize,
        words: usize,
        sentences: usize,
        paragraphs: usize,
    ) -> Meter {
        let Spare {
            mut sentence_lengths,
            mut paragraph_lengths,
            mut openers,
            last,
        } = SPARE.take();
        sentence_lengths.reserve(sentences);
        paragraph_lengths.reserve(paragraphs);
        openers.reserve(sentences);
        // a meter's distinct words are at most its words and sentence
        // openers; a table the size of a large vocabulary, cleared for
        // each paragraph, made scoring paragraphs grow with the square of
        // the document
        let own = words + sentences;
        let local = (vocabulary > LOCAL_ABOVE && vocabulary / 4 > own).then(|| LocalIds::new(own));
        let ids = if local.is_some() { own } else { vocabulary };
        Meter {
            sentence_lengths,
            paragraph_lengths,
            paragraph_words: 0,
            openers,
            diversity: MovingTypeTokenRatio::new(ids, words, last),
            local,
            n_words: 0,
            participles: 0,
            punct: [0; 6],
        }
    }

    /// Adds a paragraph's sentence: its number of words (at least one)
    /// and the vocabulary id of its first word. Its words follow through
    /// [`Meter::words`], its marks through [`Meter::marks`].
    pub(crate) fn sentence(&mut self, words: usize, first: u32) {
        self.paragraph_words += words;
        self.n_words += words;
        self.sentence_lengths.push(words as f64);
        let first = match &mut self.local {
            Some(local) => local.id(first),
            None => first,
        };
        self.openers.push(first);
    }

    /// Counts the marks (`, ; : ? ! (`) of a paragraph's sentences, the
    /// spans `sentences` of `prose` (in order, not overlapping), and the
    /// sentences with a participle clause. One search per three marks over
    /// the whole paragraph, rather than a scan of every sentence: marks
    /// are rare, and between sentences there are none to miss (a mark
    /// outside every span is not counted).
    pub(crate) fn marks(&mut self, prose: &str, sentences: &[Span]) {
        let (Some(first), Some(last)) = (sentences.first(), sentences.last()) else {
            return;
        };
        let from = first.start as usize;
        let Some(region) = prose.as_bytes().get(from..last.end as usize) else {
            return;
        };
        // the sentence holding each mark, found by a cursor: marks come in
        // order
        let holding = |spans: &mut &[Span], at: usize| {
            while let Some((s, rest)) = spans.split_first()
                && (s.end as usize) <= at
            {
                *spans = rest;
            }
            spans.first().filter(|s| s.start as usize <= at).copied()
        };
        let mut spans = sentences;
        // the last sentence found to hold a participle clause
        let mut with_participle = None;
        for i in memchr::memchr3_iter(b',', b';', b':', region) {
            let at = from + i;
            let Some(s) = holding(&mut spans, at) else {
                continue;
            };
            match region[i] {
                b',' => {
                    self.punct[0] += 1;
                    // the clause as the sentence's own text holds it
                    let text = &prose[s.start as usize..s.end as usize];
                    let k = at - s.start as usize;
                    if with_participle != Some(s.start)
                        && text.as_bytes().get(k + 1) == Some(&b' ')
                        && participle_follows(&text[k + 2..])
                    {
                        with_participle = Some(s.start);
                        self.participles += 1;
                    }
                }
                b';' => self.punct[1] += 1,
                _ => self.punct[2] += 1,
            }
        }
        let mut spans = sentences;
        for i in memchr::memchr3_iter(b'?', b'!', b'(', region) {
            if holding(&mut spans, from + i).is_none() {
                continue;
            }
            match region[i] {
                b'?' => self.punct[3] += 1,
                b'!' => self.punct[4] += 1,
                _ => self.punct[5] += 1,
            }
        }
    }

    /// Adds words of the paragraph being fed, by vocabulary id, in
    /// order: a sentence's, or several sentences' at once.
    #[inline]
    pub(crate) fn words(&mut self, ids: &[u32]) {
        match &mut self.local {
            Some(local) => self.diversity.push_all(local.ids(ids)),
            None => self.diversity.push_all(ids),
        }
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
        let diversity = (n_words >= DIVERSITY_WINDOW).then(|| self.diversity.value());
        // the diversity's table of ids, no longer needed, counts the openers
        let repeated =
            enough_sentences.then(|| repeated_share(&self.openers, &mut self.diversity.last));
        let measurements = [
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
            repeated,
            diversity,
        ];
        Spare::put_back(Spare {
            sentence_lengths: self.sentence_lengths,
            paragraph_lengths: self.paragraph_lengths,
            openers: self.openers,
            last: self.diversity.last,
        });
        measurements
    }
}

/// A meter's buffers, kept per thread from one meter to the next: the
/// score meters every document, and allocating, zeroing and freeing the
/// four buffers for each cost about as much as filling them.
#[derive(Default)]
struct Spare {
    sentence_lengths: Vec<f64>,
    paragraph_lengths: Vec<f64>,
    openers: Vec<u32>,
    last: Vec<u32>,
}

thread_local! {
    static SPARE: std::cell::Cell<Spare> = std::cell::Cell::default();
}

impl Spare {
    /// Most entries a buffer may hold to be kept: a huge document's are
    /// not kept for the small ones after it.
    const KEPT: usize = 1 << 16;

    /// Empties the buffers and keeps them for this thread's next meter.
    fn put_back(mut self) {
        let kept = [
            self.sentence_lengths.capacity(),
            self.paragraph_lengths.capacity(),
            self.openers.capacity(),
            self.last.capacity(),
        ];
        if kept.iter().all(|&c| c <= Self::KEPT) {
            self.sentence_lengths.clear();
            self.paragraph_lengths.clear();
            self.openers.clear();
            self.last.clear();
            SPARE.set(self);
        }
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

/// Share of sentences whose first word also opens another sentence, by
/// the openers' ids; `counts` is scratch space indexed by id (any
/// contents; grown if an id is past its end). Counting in a table instead
/// of sorting: a document has few sentences and the ids are small.
fn repeated_share(openers: &[u32], counts: &mut Vec<u32>) -> f64 {
    let n = openers.len();
    for &id in openers {
        let id = id as usize;
        if id >= counts.len() {
            counts.resize(id + 1, 0);
        }
        counts[id] = 0;
    }
    for &id in openers {
        counts[id as usize] += 1;
    }
    let repeated = openers
        .iter()
        .filter(|&&id| counts[id as usize] > 1)
        .count();
    repeated as f64 / n as f64
}

/// Vocabularies up to this size are cleared for any meter: a few
/// kilobytes, cheaper than hashing each word.
const LOCAL_ABOVE: usize = 4096;

/// A meter's own ids for its document's word ids, numbered from 0 in the
/// order first seen: equal words keep equal ids, which is all the
/// diversity and the repeated openers compare.
struct LocalIds {
    /// `(document id + 1) << 32 | own id`, 0 for an empty slot; open
    /// addressing, at most half full.
    slots: Vec<u64>,
    next: u32,
    /// The last call's words, in own ids.
    mapped: Vec<u32>,
}

impl LocalIds {
    /// Room for `most` distinct ids.
    fn new(most: usize) -> LocalIds {
        LocalIds {
            slots: vec![0; (2 * most).next_power_of_two().max(16)],
            next: 0,
            mapped: Vec::new(),
        }
    }

    /// The own id of document id `id`, a new one if first seen.
    fn id(&mut self, id: u32) -> u32 {
        let mask = self.slots.len() - 1;
        let key = u64::from(id) + 1;
        let mut i = slot(key) & mask;
        loop {
            match self.slots[i] {
                0 => {
                    let own = self.next;
                    self.next += 1;
                    self.slots[i] = key << 32 | u64::from(own);
                    // more ids than the meter was told of: keep it half full
                    if self.next as usize * 2 > self.slots.len() {
                        self.grow();
                    }
                    return own;
                }
                s if s >> 32 == key => return s as u32,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let doubled = vec![0; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|&s| s != 0) {
            let mut i = slot(s >> 32) & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }

    /// `ids` in own ids.
    fn ids(&mut self, ids: &[u32]) -> &[u32] {
        let mut mapped = std::mem::take(&mut self.mapped);
        mapped.clear();
        mapped.extend(ids.iter().map(|&id| self.id(id)));
        self.mapped = mapped;
        &self.mapped
    }
}

/// Where [`LocalIds`] looks for `key` first, before the mask.
fn slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
}

/// One past position `i`, as [`MovingTypeTokenRatio::last`] keeps it.
#[inline(always)]
fn position(i: usize) -> u32 {
    debug_assert!(i < u32::MAX as usize);
    (i + 1) as u32
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
    /// Indexed by `id & mask`: a power of two long and longer than every
    /// id pushed, so the index is the id itself and needs no bounds check.
    /// Positions in 32 bits (a smaller table is cheaper to clear): a
    /// document's words have 32-bit prose offsets, so fewer words than
    /// that.
    last: Vec<u32>,
    mask: usize,
    /// Words pushed so far.
    at: usize,
    /// Words there will be in all.
    words: usize,
    /// Types summed over the windows.
    total: u64,
}

impl MovingTypeTokenRatio {
    /// A ratio over `words` words whose ids are all below `vocabulary`
    /// (as a document's word ids are below its vocabulary's length), its
    /// table in `last` (emptied: any capacity).
    fn new(vocabulary: usize, words: usize, mut last: Vec<u32>) -> MovingTypeTokenRatio {
        let mask = vocabulary.max(1).next_power_of_two() - 1;
        debug_assert!(last.is_empty());
        // fewer words than a window are never looked up (`push_all` returns
        // first): a paragraph's meter then costs nothing for the size of
        // its document's vocabulary, which, cleared for each short
        // paragraph, made scoring paragraphs grow faster than the document
        if words >= DIVERSITY_WINDOW {
            last.resize(mask + 1, 0);
        }
        MovingTypeTokenRatio {
            last,
            mask,
            at: 0,
            words,
            total: 0,
        }
    }

    /// Adds the next words, by id. Not inlined: inside
    /// [`super::features::observe_with`] its loops kept little in
    /// registers.
    #[inline(never)]
    fn push_all(&mut self, ids: &[u32]) {
        debug_assert!(ids.iter().all(|&id| id as usize <= self.mask));
        let Some(last_window) = self.words.checked_sub(DIVERSITY_WINDOW) else {
            // shorter than a window: there is nothing to sum
            self.at += ids.len();
            return;
        };
        // the position and the sum in locals, for the loop's registers
        let (mut i, mut total) = (self.at, self.total);
        let mask = self.mask;
        let Some(after_last_use) = self.last.get_mut(..=mask) else {
            return;
        };
        if i + 1 >= DIVERSITY_WINDOW && i + ids.len() <= last_window + 1 {
            // every word here has a whole window behind it and starts a
            // window: it counts once in each window since its last use, of
            // the window's width at most (the general sum below, simplified)
            for &id in ids {
                let after = std::mem::replace(&mut after_last_use[id as usize & mask], position(i));
                total += (i + 1 - after as usize).min(DIVERSITY_WINDOW) as u64;
                i += 1;
            }
        } else {
            for &id in ids {
                let after = std::mem::replace(&mut after_last_use[id as usize & mask], position(i))
                    as usize;
                let first = after.max((i + 1).saturating_sub(DIVERSITY_WINDOW));
                let end = i.min(last_window) + 1;
                total += end.saturating_sub(first) as u64;
                i += 1;
            }
        }
        (self.at, self.total) = (i, total);
    }

    #[cfg(test)]
    fn push(&mut self, id: u32) {
        self.push_all(&[id]);
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
    // the word's ASCII letters by byte, then (rarely) the rest by char: an
    // ASCII character is alphabetic exactly when it is an ASCII letter
    let bytes = rest.as_bytes();
    let ascii = bytes
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(bytes.len());
    let end = if bytes.get(ascii).is_some_and(|b| !b.is_ascii()) {
        ascii
            + rest[ascii..]
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len() - ascii)
    } else {
        ascii
    };
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
        // the word found by byte, as by char
        let by_char = |rest: &str| {
            let word = &rest[..rest
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len())];
            word.len() >= 6
                && word.ends_with("ing")
                && word.chars().next().is_some_and(char::is_lowercase)
                && !matches!(
                    word,
                    "during" | "nothing" | "something" | "anything" | "everything"
                )
        };
        for rest in [
            "ending",
            "endingé",
            "éending",
            "naïveing",
            "naïvely",
            "Ending it",
            "ending-x",
            "ending2",
            "during",
            "sing",
            "",
            "bringing café",
            "rÉsuming",
            "ıng",
            "swimming,",
        ] {
            assert_eq!(participle_follows(rest), by_char(rest), "{rest:?}");
        }
        assert!(participle_follows("naïveing") && participle_follows("ending."));
    }

    /// The marks and participle sentences of a document's paragraphs as
    /// first counted: each sentence's text scanned on its own.
    fn marks_by_sentence(doc: &Document) -> ([usize; 6], usize) {
        let (mut punct, mut participles) = ([0; 6], 0);
        for b in doc.blocks() {
            if b.quoted || b.kind != BlockKind::Paragraph {
                continue;
            }
            for s in &doc.sentences()[b.sentences.clone()] {
                if s.words.is_empty() {
                    continue;
                }
                let text = doc.text(s.span);
                for (k, mark) in [',', ';', ':', '?', '!', '('].into_iter().enumerate() {
                    punct[k] += text.matches(mark).count();
                }
                participles += usize::from(has_participle_clause(text));
            }
        }
        (punct, participles)
    }

    /// A text with marks, quotations and lists, and (when the shared data
    /// is on this machine) 40 texts of each of its sets.
    fn sample_texts() -> Vec<String> {
        let mut texts = vec![
            "Yes, well; (no): why? Oh! 1,2;3 \u{2014} é, x. It failed, highlighting \
             the need, underscoring it, and ending. \"Quoted, saying so,\" he said!\n\n\
             > Quoted, block; here.\n\n- A list item, listing things; here.\n\n\
             Trailing comma,\n\nTwo? Sentences! Here, running, (ending) jumping."
                .to_string(),
        ];
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        for dir in ["dev/ai", "dev/human", "human-md"] {
            let Ok(entries) = std::fs::read_dir(data.join(dir)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for path in paths.into_iter().filter(|p| p.is_file()).take(40) {
                texts.extend(std::fs::read_to_string(&path).ok());
            }
        }
        texts
    }

    /// A meter's buffers come from the one before it on the thread: each
    /// document measures the same after any other, larger or smaller.
    #[test]
    fn measurements_do_not_depend_on_the_document_before() {
        let docs: Vec<Document> = sample_texts()
            .iter()
            .map(|t| crate::source::document(t.clone(), crate::text::Markup::Markdown))
            .collect();
        let bits = |m: Measurements| m.map(|v| v.map(f64::to_bits));
        let forward: Vec<_> = docs.iter().map(|d| bits(measure(d, None))).collect();
        for (doc, expected) in docs.iter().zip(&forward).rev() {
            assert_eq!(bits(measure(doc, None)), *expected, "{}", doc.prose());
        }
        assert!(forward.iter().flatten().any(Option::is_some));
    }

    /// The diversity measured while observing (a paragraph's words given
    /// at once) is the window-by-window ratio of the words of the
    /// paragraphs outside block quotes, gathered plainly.
    #[test]
    fn measured_diversity_is_the_ratio_of_the_paragraph_words() {
        let mut measured = 0;
        for text in sample_texts() {
            for doc in [
                crate::source::document(text.clone(), crate::text::Markup::Markdown),
                Document::plain(&text),
            ] {
                let ids: Vec<u32> = doc
                    .blocks()
                    .iter()
                    .filter(|b| !b.quoted && b.kind == BlockKind::Paragraph)
                    .flat_map(|b| &doc.sentences()[b.sentences.clone()])
                    .flat_map(|s| &doc.word_ids()[s.words.clone()])
                    .copied()
                    .collect();
                let expected = (ids.len() >= DIVERSITY_WINDOW).then(|| windowed(&ids));
                let at = NAMES.iter().position(|&n| n == "lexical-diversity");
                let got = measure(&doc, None)[at.expect("a measurement")];
                assert_eq!(got.map(f64::to_bits), expected.map(f64::to_bits));
                measured += usize::from(got.is_some());
            }
        }
        assert!(measured > 100, "the samples are long enough to measure");
    }

    #[test]
    fn marks_by_paragraph_are_marks_by_sentence() {
        let texts = sample_texts();
        let mut participles = 0;
        for text in texts {
            let doc = crate::source::document(text, crate::text::Markup::Markdown);
            let mut meter = Meter::new(doc.vocabulary().len(), 0, 0, 0);
            for b in doc.blocks() {
                if b.quoted || b.kind != BlockKind::Paragraph {
                    continue;
                }
                let spans: Vec<Span> = doc.sentences()[b.sentences.clone()]
                    .iter()
                    .filter(|s| !s.words.is_empty())
                    .map(|s| s.span)
                    .collect();
                meter.marks(doc.prose(), &spans);
            }
            let expected = marks_by_sentence(&doc);
            assert_eq!(
                (meter.punct, meter.participles),
                expected,
                "{}",
                doc.prose()
            );
            participles += expected.1;
        }
        assert!(participles > 5, "the samples hold participle clauses");
    }

    #[test]
    fn repeated_openers_share() {
        let doc =
            crate::text::Document::plain("The cat sat. It rained. The dog ran. We left. THE END.");
        let v: Vec<u32> = doc
            .sentences()
            .iter()
            .map(|s| doc.word_ids()[s.words.start])
            .collect();
        assert!((repeated_share(&v, &mut vec![7; 2]) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn counted_openers_are_sorted_openers() {
        // the share as first written: sorted, runs of equal ids
        let sorted = |openers: &[u32]| {
            let mut o = openers.to_vec();
            o.sort_unstable();
            let (mut repeated, mut i) = (0, 0);
            while i < o.len() {
                let j = i + o[i..].iter().take_while(|&&x| x == o[i]).count();
                if j - i > 1 {
                    repeated += j - i;
                }
                i = j;
            }
            repeated as f64 / o.len() as f64
        };
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut scratch = Vec::new();
        for case in 1..300 {
            let ids: Vec<u32> = (0..case % 90 + 1)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % (1 + case as u64 % 40)) as u32
                })
                .collect();
            let got = repeated_share(&ids, &mut scratch);
            assert_eq!(got.to_bits(), sorted(&ids).to_bits(), "{ids:?}");
        }
    }

    /// A meter much smaller than its document's vocabulary numbers its own
    /// words (`LocalIds`) and measures exactly what a meter indexing the
    /// vocabulary itself does.
    #[test]
    fn a_small_meter_of_a_large_vocabulary_measures_the_same() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for case in 0..200 {
            // paragraphs of sentences; ids from a small range, so words
            // repeat, and some openers that are not among the words
            let types = 2 + next(if case % 2 == 0 { 40 } else { 400 });
            let paragraphs: Vec<Vec<Vec<u32>>> = (0..1 + next(4))
                .map(|_| {
                    (0..1 + next(12))
                        .map(|_| (0..1 + next(30)).map(|_| next(types) as u32).collect())
                        .collect()
                })
                .collect();
            let words: usize = paragraphs.iter().flatten().map(Vec::len).sum();
            let sentences: usize = paragraphs.iter().map(Vec::len).sum();
            let measure = |vocabulary: usize| {
                let mut meter = Meter::new(vocabulary, words, sentences, paragraphs.len());
                assert_eq!(
                    meter.local.is_some(),
                    vocabulary > LOCAL_ABOVE,
                    "case {case}: {vocabulary}"
                );
                for p in &paragraphs {
                    for (k, s) in p.iter().enumerate() {
                        let first = if k % 3 == 2 { 3000 + k as u32 } else { s[0] };
                        meter.sentence(s.len(), first);
                        meter.words(s);
                    }
                    meter.end_paragraph();
                }
                meter.finish()
            };
            let whole = measure(4000);
            let local = measure(1 << 20);
            assert_eq!(format!("{whole:?}"), format!("{local:?}"), "case {case}");
        }
    }

    #[test]
    fn own_ids_are_dense_stable_and_grow_past_what_was_told() {
        let mut local = LocalIds::new(2);
        let ids: Vec<u32> = (0..500).map(|i| i * 7919 % 100_003).collect();
        let own: Vec<u32> = ids.iter().map(|&id| local.id(id)).collect();
        assert_eq!(own, (0..500).collect::<Vec<u32>>());
        assert_eq!(local.ids(&ids[..3]), &[0, 1, 2]);
        assert_eq!(local.id(ids[250]), 250);
        assert_eq!(local.id(u32::MAX), 500);
    }

    #[test]
    fn a_ratio_over_fewer_words_than_a_window_needs_no_table() {
        let mut short = MovingTypeTokenRatio::new(1 << 20, DIVERSITY_WINDOW - 1, Vec::new());
        assert!(short.last.is_empty());
        (0..DIVERSITY_WINDOW as u32 - 1).for_each(|i| short.push(i << 10));
        assert!(short.last.is_empty());
        let long = MovingTypeTokenRatio::new(1 << 20, DIVERSITY_WINDOW, Vec::new());
        assert_eq!(long.last.len(), 1 << 20);
    }

    #[test]
    fn moving_type_token_ratio_over_windows() {
        // 60 words cycling through 25 types: every 50-word window holds all 25
        let mut m = MovingTypeTokenRatio::new(25, 60, Vec::new());
        for i in 0..60u32 {
            m.push(i % 25);
        }
        assert!((m.value() - 0.5).abs() < 1e-12);
        let mut all_new = MovingTypeTokenRatio::new(70, 70, Vec::new());
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
            let mut m = MovingTypeTokenRatio::new(types, len, Vec::new());
            ids.iter().for_each(|&id| m.push(id));
            assert_eq!(m.value().to_bits(), windowed(&ids).to_bits(), "{ids:?}");
            // fed a sentence at a time, of lengths crossing the window's edges
            let mut m = MovingTypeTokenRatio::new(types, len, Vec::new());
            for sentence in ids.chunks(1 + case % 23) {
                m.push_all(sentence);
            }
            assert_eq!(m.value().to_bits(), windowed(&ids).to_bits(), "{ids:?}");
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
