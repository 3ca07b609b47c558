//! What several metrics read about one document, worked out once: the
//! word ids of running text for lexical diversity, and the words in the
//! classes the rate metrics count (participles, nominalizations, copulas)
//! found in one pass over the words instead of one pass per metric.

use std::cell::{Cell, OnceCell};
use std::ops::Range;
use std::sync::LazyLock;
use std::thread::LocalKey;

use super::{
    QuotedCursor, copula_deficit, nominalization_rate, participle_clause_rate, running_blocks,
};
use crate::text::Document;
use crate::text::swar::first_eight;

/// A document and what the metrics share about it: [`super::run`] builds
/// one per document, and each part is computed on first use, so a part no
/// enabled metric asks for costs nothing.
pub struct Context<'d> {
    doc: &'d Document,
    /// Lists of words whose occurrences are found with the classes' words
    /// (see [`Context::lists`]).
    lists: Vec<&'d WordList>,
    running: OnceCell<Vec<Range<usize>>>,
    classes: OnceCell<Classes>,
}

impl<'d> Context<'d> {
    /// The context of `doc`, nothing computed yet.
    pub fn new(doc: &'d Document) -> Self {
        Self::with_lists(doc, Vec::new())
    }

    /// The context of `doc` whose [`Classes`] also mark the words of
    /// `lists` ([`LISTED`]).
    pub(super) fn with_lists(doc: &'d Document, lists: Vec<&'d WordList>) -> Self {
        Context {
            doc,
            lists,
            running: OnceCell::new(),
            classes: OnceCell::new(),
        }
    }

    /// The document.
    pub fn doc(&self) -> &'d Document {
        self.doc
    }

    /// The words of running paragraphs outside quotations, in order, as
    /// runs of consecutive indices into [`Document::word_ids`] (see
    /// [`running_words`]).
    pub(super) fn running_words(&self) -> &[Range<usize>] {
        self.running
            .get_or_init(|| running_words(self.doc, SPARE_RUNNING.take()))
    }

    /// The words of the document in the classes the rate metrics count.
    pub(super) fn classes(&self) -> &Classes {
        self.classes
            .get_or_init(|| Classes::build(self.doc, &self.lists))
    }

    /// Whether the words of `list` (this very list, compared by address)
    /// are marked [`LISTED`] in [`Context::classes`].
    pub(super) fn lists(&self, list: &WordList) -> bool {
        self.lists.iter().any(|l| std::ptr::eq(*l, list))
    }
}

// A context's buffers, kept per thread from one document's context to the
// next: the metrics run on thousands of small documents, and allocating,
// zeroing and freeing these for each cost more than the zeroing alone.
// Each is given back emptied when its context is dropped.
thread_local! {
    static SPARE_RUNNING: Cell<Vec<Range<usize>>> = Cell::default();
    static SPARE_OF_ID: Cell<Vec<u8>> = Cell::default();
    static SPARE_WORDS: Cell<Vec<u32>> = Cell::default();
}

/// Most entries a buffer may hold to be kept: a huge document's buffers
/// are not kept for the small ones after it.
const KEPT: usize = 1 << 16;

/// Empties `buf` and keeps it in `spare` for this thread's next context.
fn put_back<T: 'static>(spare: &'static LocalKey<Cell<Vec<T>>>, mut buf: Vec<T>) {
    if buf.capacity() <= KEPT {
        buf.clear();
        spare.set(buf);
    }
}

impl Drop for Context<'_> {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            put_back(&SPARE_RUNNING, running);
        }
        if let Some(classes) = self.classes.take() {
            put_back(&SPARE_OF_ID, classes.of_id);
            put_back(&SPARE_WORDS, classes.words);
        }
    }
}

/// The words of running paragraphs, outside quotations, as runs of
/// consecutive word indices, in order. Headings, list items and table
/// cells are left out: a list of link titles is a list of distinct names,
/// not a writer's vocabulary. Runs rather than the words' ids: most
/// paragraphs hold no quotation and are one run each, so nothing is copied.
/// The runs are put in `out` (emptied: any capacity).
fn running_words(doc: &Document, mut out: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let words = doc.words();
    let sentences = doc.sentences();
    let mut quoted = QuotedCursor::new(doc);
    // paragraphs that follow one another make one run, so a document has
    // a few: room for them from the start rather than grown from empty
    debug_assert!(out.is_empty());
    out.reserve(8);
    // a run that starts where the last one ends extends it
    let mut push = |run: Range<usize>| match out.last_mut() {
        Some(last) if last.end == run.start => last.end = run.end,
        _ => out.push(run),
    };
    for (_, b) in running_blocks(doc, false) {
        let block = &sentences[b.sentences.clone()];
        // when a paragraph's sentences' words follow one another and no
        // quotation is among them, the paragraph is one run
        if let (Some(f), Some(l)) = (block.first(), block.last())
            && f.words.start < l.words.end
            && block.windows(2).all(|p| p[0].words.end == p[1].words.start)
            && let (Some(first), Some(last)) =
                (words.get(f.words.start), words.get(l.words.end - 1))
            && quoted.none_between(first.start, last.start)
        {
            push(f.words.start..l.words.end);
            continue;
        }
        for s in block {
            let range = s.words.clone();
            let (Some(first), Some(last)) = (
                words.get(range.start),
                range.end.checked_sub(1).and_then(|i| words.get(i)),
            ) else {
                continue;
            };
            if quoted.none_between(first.start, last.start) {
                push(range);
                continue;
            }
            for i in range {
                if !quoted.is_quoted(words[i]) {
                    push(i..i + 1);
                }
            }
        }
    }
    out
}

/// A word a rate metric counts: a candidate participle (its lowercase form
/// ends in "ing").
pub(super) const PARTICIPLE: u8 = 1;
/// A nominalization ([`nominalization_rate::is_nominalization`]).
pub(super) const NOMINALIZATION: u8 = 2;
/// A present-tense copula ([`copula_deficit::PRESENT`]).
pub(super) const PRESENT_COPULA: u8 = 4;
/// A past-tense copula ([`copula_deficit::PAST`]).
pub(super) const PAST_COPULA: u8 = 8;
/// A word of a list the context was given ([`Context::with_lists`]).
pub(super) const LISTED: u8 = 16;

/// The words of a document in any of the classes above: each distinct
/// word is classified once, then one pass over the word ids finds the
/// few words in a class.
pub(super) struct Classes {
    /// The classes of each word id (bits), indexed by `id & mask`: a power
    /// of two long, so the index (the id itself: ids are below the
    /// vocabulary's length) needs no bounds check.
    of_id: Vec<u8>,
    mask: usize,
    /// Indices (into [`Document::words`]) of the words in any class, in
    /// order.
    words: Vec<u32>,
}

/// A list of lowercase words looked up in each document's vocabulary,
/// with each word's bit in the `Present` filter worked out once, when the
/// list is made: a run looks the same few lists up in thousands of
/// documents, most of them small, where working the bits out again was
/// most of the classes' cost.
pub struct WordList {
    words: Vec<String>,
    bits: Vec<u16>,
}

impl WordList {
    pub(super) fn new(words: Vec<String>) -> WordList {
        let bits = words
            .iter()
            .map(|w| Present::bit(first_eight(w.as_bytes()), w.len()) as u16)
            .collect();
        WordList { words, bits }
    }

    /// The words, in the order given.
    pub(super) fn words(&self) -> &[String] {
        &self.words
    }
}

/// The copula lists, with the class each marks.
static COPULAS: LazyLock<[(WordList, u8); 2]> = LazyLock::new(|| {
    let list = |words: [&str; 4]| WordList::new(words.map(String::from).to_vec());
    [
        (list(copula_deficit::PAST), PAST_COPULA),
        (list(copula_deficit::PRESENT), PRESENT_COPULA),
    ]
});

impl Classes {
    fn build(doc: &Document, lists: &[&WordList]) -> Classes {
        let vocabulary = doc.vocabulary();
        let mask = vocabulary.len().max(1).next_power_of_two() - 1;
        let mut of_id = SPARE_OF_ID.take();
        of_id.resize(mask + 1, 0);
        let mut present = Present::default();
        for ((id, (key, len)), class) in (0..).zip(vocabulary.keys()).zip(&mut of_id) {
            // a word of up to eight bytes is all in its key: its text is
            // not read
            let short = key.to_le_bytes();
            let lower = match short.get(..len) {
                Some(bytes) => bytes,
                None => vocabulary.text(id).as_bytes(),
            };
            *class = word_class(lower);
            present.add(key, len);
        }
        // the copulas and listed words, each looked up unless the filter
        // is sure the document lacks it (as it lacks most of them)
        let copulas = COPULAS.iter().map(|(list, class)| (list, *class));
        for (list, class) in copulas.chain(lists.iter().map(|&list| (list, LISTED))) {
            for (word, &bit) in list.words.iter().zip(&list.bits) {
                if present.has(bit)
                    && let Some(id) = vocabulary.id(word)
                {
                    of_id[id as usize & mask] |= class;
                }
            }
        }
        // about one word in ten is in a class
        let ids = doc.word_ids();
        let table = &of_id[..=mask];
        let mut words = SPARE_WORDS.take();
        words.reserve(ids.len() / 8);
        for (i, &id) in (0..).zip(ids) {
            if table[id as usize & mask] != 0 {
                words.push(i);
            }
        }
        Classes { of_id, mask, words }
    }

    /// The classes of word id `id`.
    pub(super) fn of(&self, id: u32) -> u8 {
        self.of_id[id as usize & self.mask]
    }

    /// Indices of the words in `class`, in order.
    pub(super) fn words<'a>(
        &'a self,
        doc: &'a Document,
        class: u8,
    ) -> impl Iterator<Item = usize> + 'a {
        let ids = doc.word_ids();
        self.words
            .iter()
            .map(|&i| i as usize)
            .filter(move |&i| self.of(ids[i]) & class != 0)
    }
}

/// A one-hash filter of a vocabulary's words by their first eight bytes
/// and length: a word it says is absent is absent, so looking it up is
/// skipped. A document has a few hundred distinct words, and the lists
/// looked up in it are of some sixty words, most of them absent: for
/// those a bit test replaces hashing and probing the vocabulary.
struct Present {
    bits: [u64; Present::WORDS],
}

impl Default for Present {
    fn default() -> Self {
        Present {
            bits: [0; Present::WORDS],
        }
    }
}

impl Present {
    /// 2,048 bits: a document of 300 distinct words sets about one in
    /// seven.
    const WORDS: usize = 32;

    /// The bit of the word of `len` bytes whose first eight bytes are
    /// packed in `key` (little-endian, zeros after a shorter word).
    #[inline(always)]
    fn bit(key: u64, len: usize) -> usize {
        let h = (key ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> (64 - 11)) as usize
    }

    /// Notes the word of `len` bytes with key `key`.
    #[inline(always)]
    fn add(&mut self, key: u64, len: usize) {
        let b = Self::bit(key, len);
        self.bits[(b >> 6) % Self::WORDS] |= 1 << (b & 63);
    }

    /// Whether a word whose bit ([`Present::bit`]) is `bit` may have been
    /// added; `false` is certain.
    #[inline]
    fn has(&self, bit: u16) -> bool {
        let b = usize::from(bit);
        self.bits[(b >> 6) % Self::WORDS] & (1 << (b & 63)) != 0
    }
}

/// The classes (bits) of a lowercased word, by its text alone: the
/// copulas are looked up by id instead.
fn word_class(lower: &[u8]) -> u8 {
    let mut c = 0;
    if participle_clause_rate::may_be_participle(lower) {
        c |= PARTICIPLE;
    }
    if nominalization_rate::is_nominalization(lower) {
        c |= NOMINALIZATION;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The running ids as first gathered: each word of each running
    /// paragraph's sentences asked about on its own.
    fn running_ids_by_word(doc: &Document) -> Vec<u32> {
        let mut out = Vec::new();
        for (_, b) in running_blocks(doc, false) {
            for s in &doc.sentences()[b.sentences.clone()] {
                for i in s.words.clone() {
                    if !doc.is_quoted(doc.words()[i]) {
                        out.push(doc.word_ids()[i]);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn running_ids_are_the_unquoted_words_of_running_paragraphs() {
        let (mut words, mut quoted) = (0, 0);
        let mut docs = super::super::sample_documents();
        docs.push(crate::source::document(
            "One \"two three\" four. Five six.\n\n> Seven eight.\n\n\
             Nine, \u{201c}ten eleven,\u{201d} twelve. Thirteen?\n\n- Fourteen.\n\n\
             Fifteen sixteen. \"Seventeen.\"\n"
                .into(),
            crate::text::Markup::Markdown,
        ));
        for doc in &docs {
            let expected = running_ids_by_word(doc);
            let runs = running_words(doc, Vec::new());
            let ids: Vec<u32> = runs
                .iter()
                .flat_map(|r| &doc.word_ids()[r.clone()])
                .copied()
                .collect();
            assert_eq!(ids, expected);
            assert!(runs.windows(2).all(|p| p[0].end < p[1].start), "{runs:?}");
            words += expected.len();
            quoted += running_blocks(doc, false)
                .flat_map(|(_, b)| &doc.sentences()[b.sentences.clone()])
                .map(|s| s.words.len())
                .sum::<usize>()
                - expected.len();
        }
        assert!(words > 10_000 && quoted > 0, "{words} {quoted}");
    }

    #[test]
    fn classes_list_every_word_in_a_class() {
        let mut seen = 0;
        for doc in &super::super::sample_documents() {
            let classes = Classes::build(doc, &[]);
            let ids = doc.word_ids();
            // the classes as first written: each word's text classified
            let expected: Vec<u32> = (0..ids.len() as u32)
                .filter(|&i| {
                    let id = ids[i as usize];
                    let text = doc.vocabulary().text(id);
                    let copula = copula_deficit::PAST
                        .iter()
                        .chain(&copula_deficit::PRESENT)
                        .any(|w| *w == text);
                    word_class(text.as_bytes()) != 0 || copula
                })
                .collect();
            assert_eq!(classes.words, expected);
            for &i in &expected {
                let text = doc.vocabulary().text(ids[i as usize]);
                assert_eq!(
                    classes.of(ids[i as usize]) & (PARTICIPLE | NOMINALIZATION),
                    word_class(text.as_bytes()),
                    "{text}"
                );
            }
            seen += expected.len();
        }
        assert!(seen > 1000, "the samples hold words in classes");
    }

    /// Copulas and listed words are marked exactly where a lookup of each
    /// finds them, the filter in front of the lookups notwithstanding.
    #[test]
    fn filtered_lookups_mark_every_listed_word() {
        let docs = super::super::sample_documents();
        // words some documents have and others lack, long and short, and
        // words none has
        let mut list: Vec<String> = docs
            .iter()
            .flat_map(|d| d.vocabulary().iter().map(|(_, w)| w.to_string()))
            .step_by(7)
            .take(3000)
            .collect();
        list.extend(["delve", "tapestry", "zzzz", "", "ünïcödé", "a"].map(String::from));
        let list = WordList::new(list);
        let may_have = |present: &Present, word: &str| {
            present.has(Present::bit(first_eight(word.as_bytes()), word.len()) as u16)
        };
        let (mut marked, mut filtered) = (0, 0);
        for doc in &docs {
            let classes = Classes::build(doc, &[&list]);
            let vocabulary = doc.vocabulary();
            let mut present = Present::default();
            for (key, len) in vocabulary.keys() {
                present.add(key, len);
            }
            for ((id, word), (key, _)) in vocabulary.iter().zip(vocabulary.keys()) {
                assert_eq!(first_eight(word.as_bytes()), key, "{word}");
                assert!(may_have(&present, word), "{word}");
                let listed = list.words().iter().any(|w| w == word);
                assert_eq!(classes.of(id) & LISTED != 0, listed, "{word}");
                let copula = |l: &[&str]| l.contains(&word);
                assert_eq!(
                    classes.of(id) & PAST_COPULA != 0,
                    copula(&copula_deficit::PAST)
                );
                assert_eq!(
                    classes.of(id) & PRESENT_COPULA != 0,
                    copula(&copula_deficit::PRESENT)
                );
                marked += usize::from(listed);
            }
            filtered += list.bits.iter().filter(|&&b| !present.has(b)).count();
        }
        assert!(marked > 1000, "the lists hold words of the documents");
        assert!(filtered > 100_000, "the filter spares most lookups");
    }
}
