//! What the score reads from a document, or from one stretch of it: the
//! number of words, each rule's findings, the structural measurements, and
//! every lexicon term with its count.
//!
//! Words are read from running text only ([`structure::is_running_text`]):
//! block quotes are someone else's words (the engine drops findings inside
//! them too), and headings, link titles and table cells are structure whose
//! word use is not prose. Rates use at least
//! [`RATE_FLOOR_WORDS`] words as the denominator, so one finding in a
//! 40-word paragraph does not read as a flood.

use std::ops::Range;
use std::sync::OnceLock;

use super::structure::{self, Measurements};
use super::terms::{self, TermTable};
use crate::engine::Finding;
use crate::text::{BlockKind, Document, Vocabulary};

/// Smallest word count used as the denominator of a rate.
pub const RATE_FLOOR_WORDS: usize = 400;

/// A rule's findings per 1,000 words with diminishing returns:
/// `ln(1 + 1000·n/words)`, with at least [`RATE_FLOOR_WORDS`] words.
pub fn rate_value(count: u32, words: usize) -> f64 {
    (1000.0 * f64::from(count) / words.max(RATE_FLOOR_WORDS) as f64).ln_1p()
}

/// Words of running text at which the lexicon's evidence counts half.
pub const HALF_EVIDENCE_WORDS: f64 = 600.0;

/// Sentences of running text at which the measurements count half.
pub const HALF_EVIDENCE_SENTENCES: f64 = 40.0;

/// How much of the lexicon's evidence a text of `words` words carries:
/// `words / (words + HALF_EVIDENCE_WORDS)`. Word rates of a short text are
/// noisy, so its word use is pulled toward that of typical human prose.
pub fn word_reliability(words: usize) -> f64 {
    words as f64 / (words as f64 + HALF_EVIDENCE_WORDS)
}

/// How much a text reads as English prose, 0 to 1, from the share of its
/// words that are common English function words (a third or more in English
/// prose, almost none in other languages): 0 below 10%, 1 from 20%.
/// The lexicon and the measurements describe English prose; on other text
/// their evidence is scaled by this.
pub fn english(obs: &Observation) -> f64 {
    if obs.words == 0 {
        return 0.0;
    }
    let share = obs.function_words as f64 / obs.words as f64;
    ((share - 0.10) / 0.10).clamp(0.0, 1.0)
}

/// The multiplier of the lexicon's evidence for an observation: its length
/// reliability times how English it reads.
pub fn word_evidence(obs: &Observation) -> f64 {
    english(obs) * word_reliability(obs.words)
}

/// The multiplier of the measurements' evidence for an observation.
pub fn metric_evidence(obs: &Observation) -> f64 {
    english(obs) * metric_reliability(obs.sentences)
}

/// How much of the measurements' evidence `sentences` sentences carry.
pub fn metric_reliability(sentences: usize) -> f64 {
    sentences as f64 / (sentences as f64 + HALF_EVIDENCE_SENTENCES)
}

/// Text lengths (in words) at which typical human use of each lexicon word
/// is measured; between them it is interpolated on a log scale.
pub const LENGTH_NODES: [usize; 7] = [25, 50, 100, 200, 400, 800, 1600];

/// Interpolation weights of `words` over [`LENGTH_NODES`] (at most two are
/// non-zero; they sum to 1).
pub fn length_weights(words: usize) -> [f64; LENGTH_NODES.len()] {
    let mut w = [0.0; LENGTH_NODES.len()];
    let n = words.max(1) as f64;
    let last = LENGTH_NODES.len() - 1;
    if n <= LENGTH_NODES[0] as f64 {
        w[0] = 1.0;
    } else if n >= LENGTH_NODES[last] as f64 {
        w[last] = 1.0;
    } else {
        let k = LENGTH_NODES
            .iter()
            .rposition(|&x| x as f64 <= n)
            .unwrap_or(0);
        let (a, b) = (
            (LENGTH_NODES[k] as f64).ln(),
            (LENGTH_NODES[k + 1] as f64).ln(),
        );
        let t = (n.ln() - a) / (b - a);
        w[k] = 1.0 - t;
        w[k + 1] = t;
    }
    w
}

/// A word's uses per 1,000 words with diminishing returns. No floor here:
/// common words are expected in every stretch of prose, so deflating a
/// short text's rates would read as their absence.
pub fn word_value(count: u32, words: usize) -> f64 {
    (1000.0 * f64::from(count) / words.max(1) as f64).ln_1p()
}

/// The inputs of the model for one stretch of a document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Observation {
    /// Words of running text counted.
    pub words: usize,
    /// Words outside block quotes, structure included: what the rules read,
    /// so the denominator of their rates.
    pub checked_words: usize,
    /// Sentences of running text counted.
    pub sentences: usize,
    /// Words of running text that are common English function words.
    pub function_words: usize,
    /// Findings per rule index, ascending by index.
    pub rules: Vec<(usize, u32)>,
    /// The structural measurements.
    pub metrics: Measurements,
}

/// What the score reads of each distinct word of a document, by vocabulary
/// id, worked out once per document rather than once per use (a text
/// repeats its words): whether it is a lexicon term, a function word, and
/// its lexicon entry.
#[derive(Clone, Debug, Default)]
pub struct WordFacts {
    facts: Vec<Fact>,
}

/// The facts of one vocabulary id.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Fact {
    /// Lexicon entry, or [`NO_ENTRY`].
    entry: u32,
    term: bool,
    function: bool,
}

impl Fact {
    /// The facts of a word whose term's class is `class` (`None`: not a
    /// term).
    #[inline]
    fn new(class: Option<terms::TermClass>) -> Fact {
        match class {
            Some(class) => Fact {
                entry: class.entry.unwrap_or(NO_ENTRY),
                term: true,
                function: class.function,
            },
            None => Fact {
                entry: NO_ENTRY,
                term: false,
                function: false,
            },
        }
    }
}

/// [`Fact::entry`] of a word the lexicon does not have.
const NO_ENTRY: u32 = terms::NO_ENTRY;

/// The facts of an id the document does not have (never met: ids come
/// from the document's own vocabulary).
const NO_FACT: Fact = Fact {
    entry: NO_ENTRY,
    term: false,
    function: false,
};

impl WordFacts {
    /// The facts of `doc`'s vocabulary, with lexicon entries from `table`.
    pub fn of(doc: &Document, table: &TermTable<'_>) -> WordFacts {
        let vocabulary = doc.vocabulary();
        let mut buf = String::new();
        // collected from an iterator of known length: written in place,
        // without a capacity check per id
        let facts = (0..)
            .zip(vocabulary.keys())
            .map(|(id, (key, len))| {
                let found = if terms::is_plain_key(key, len) {
                    // a lowercase ASCII word of up to eight bytes, most of
                    // a document's vocabulary: all of it is in its key, so
                    // its text is not read
                    table.plain_key(key, len)
                } else {
                    let word = vocabulary.text(id);
                    Self::classify(word, table, &mut buf).map(|(_, class)| class)
                };
                Fact::new(found)
            })
            .collect();
        WordFacts { facts }
    }

    /// The term of `word` and its class, if it is a term.
    #[inline]
    fn classify<'t>(
        word: &'t str,
        table: &TermTable<'_>,
        buf: &'t mut String,
    ) -> Option<(&'t str, terms::TermClass)> {
        if terms::is_plain(word) {
            // every byte a lowercase letter; the commonest case, so kept cheap
            table.plain(word).map(|c| (word, c))
        } else {
            table.term(word, buf)
        }
    }

    /// [`WordFacts::of`], also passing each vocabulary id's term to `term`.
    fn with_terms(
        doc: &Document,
        table: &TermTable<'_>,
        mut term: impl FnMut(u32, Option<&str>),
    ) -> WordFacts {
        let vocabulary = doc.vocabulary();
        let mut facts = Vec::with_capacity(vocabulary.len());
        let mut buf = String::new();
        for (id, word) in vocabulary.iter() {
            let found = Self::classify(word, table, &mut buf);
            term(id, found.map(|(t, _)| t));
            facts.push(Fact::new(found.map(|(_, class)| class)));
        }
        WordFacts { facts }
    }

    /// Number of vocabulary ids.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// Whether the document has no words.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// The lexicon entry of vocabulary id `id`, if it is a term the lexicon
    /// has.
    pub fn entry(&self, id: u32) -> Option<u32> {
        self.facts
            .get(id as usize)
            .map(|f| f.entry)
            .filter(|&e| e != NO_ENTRY)
    }

    /// Whether vocabulary id `id` is a lexicon term (not a number or
    /// debris).
    pub fn is_term(&self, id: u32) -> bool {
        self.facts.get(id as usize).is_some_and(|f| f.term)
    }

    /// Whether vocabulary id `id` is a common English function word.
    pub fn is_function_word(&self, id: u32) -> bool {
        self.facts.get(id as usize).is_some_and(|f| f.function)
    }

    /// Reads the words `ids`, passing each id and its lexicon entry to
    /// `word`: the number of function words among them.
    #[inline]
    fn read(&self, ids: &[u32], word: &mut impl FnMut(u32, Option<u32>)) -> usize {
        let mut function = 0;
        for &id in ids {
            let f = self.facts.get(id as usize).copied().unwrap_or(NO_FACT);
            function += usize::from(f.function);
            word(id, (f.entry != NO_ENTRY).then_some(f.entry));
        }
        function
    }
}

/// Each distinct word of a document as a lexicon term, with its
/// [`WordFacts`] (without lexicon entries).
#[derive(Clone, Debug, Default)]
pub struct Terms {
    /// The term of each vocabulary id, `None` for numbers and debris.
    terms: Vec<Option<Box<str>>>,
    facts: WordFacts,
}

impl Terms {
    /// The terms of `doc`'s vocabulary.
    pub fn of(doc: &Document) -> Terms {
        let mut terms = Vec::with_capacity(doc.vocabulary().len());
        static NO_LEXICON: OnceLock<TermTable<'static>> = OnceLock::new();
        let table = NO_LEXICON.get_or_init(|| TermTable::new([]));
        let facts = WordFacts::with_terms(doc, table, |_, t| terms.push(t.map(Box::from)));
        Terms { terms, facts }
    }

    /// The lexicon term of vocabulary id `id`, if it is one.
    pub fn term(&self, id: u32) -> Option<&str> {
        self.terms.get(id as usize).and_then(|t| t.as_deref())
    }

    /// Whether vocabulary id `id` is a common English function word.
    pub fn is_function_word(&self, id: u32) -> bool {
        self.facts.is_function_word(id)
    }

    /// The facts of the vocabulary, to [`observe`] with.
    pub fn facts(&self) -> &WordFacts {
        &self.facts
    }

    /// Maps every vocabulary id through `f` applied to its term.
    pub fn map<T>(&self, mut f: impl FnMut(&str) -> Option<T>) -> Vec<Option<T>> {
        self.terms
            .iter()
            .map(|t| t.as_deref().and_then(&mut f))
            .collect()
    }
}

/// Observes blocks `blocks` of `doc` (all blocks when `None`), with the
/// findings whose span starts in them, and takes the structural
/// measurements in the same pass; calls `word` once per word of running
/// text, in order, with the word's vocabulary id.
pub fn observe(
    doc: &Document,
    facts: &WordFacts,
    findings: &[Finding],
    blocks: Option<Range<usize>>,
    mut word: impl FnMut(u32),
) -> Observation {
    observe_with(
        doc,
        findings,
        blocks,
        &mut EachWord::new(facts, |id, _| word(id)),
    )
}

/// How [`observe_with`] reads the words of running text.
pub(crate) trait WordReader {
    /// Reads `ids`, the words of one sentence of running text: the number
    /// of function words among them, or as many of those as it has counted
    /// yet.
    fn sentence(&mut self, ids: &[u32]) -> usize;

    /// After the last sentence: the function words not yet given.
    fn finish(&mut self) -> usize;
}

/// Reads each word in order, passing its id and lexicon entry (see
/// [`WordFacts::entry`]) to the function.
pub(crate) struct EachWord<'f, F> {
    facts: &'f WordFacts,
    word: F,
}

impl<'f, F: FnMut(u32, Option<u32>)> EachWord<'f, F> {
    /// A reader of words whose facts are `facts`, passing each to `word`.
    pub(crate) fn new(facts: &'f WordFacts, word: F) -> Self {
        EachWord { facts, word }
    }
}

impl<F: FnMut(u32, Option<u32>)> WordReader for EachWord<'_, F> {
    #[inline]
    fn sentence(&mut self, ids: &[u32]) -> usize {
        self.facts.read(ids, &mut self.word)
    }

    fn finish(&mut self) -> usize {
        0
    }
}

/// Counts the uses of each vocabulary id, and works out each used id's
/// facts once at the end rather than once per use (a text repeats its
/// words), passing each lexicon entry used and its number of uses to the
/// function, by ascending vocabulary id.
///
/// The facts are worked out as they are read, not gathered into a
/// [`WordFacts`] first: the one pass over the vocabulary that counts the
/// function words also looks each word up, and an id the
/// running text does not use is not looked up at all.
pub(crate) struct CountedWords<'a, F> {
    vocabulary: &'a Vocabulary,
    table: &'a TermTable<'a>,
    /// Uses by vocabulary id, in running text (a document has fewer words
    /// than its 32-bit prose offsets, so a count does not overflow).
    uses: Vec<u32>,
    entry: F,
}

impl<'a, F: FnMut(u32, u32)> CountedWords<'a, F> {
    /// A reader of the words of `doc`, with lexicon entries from `table`.
    pub(crate) fn new(doc: &'a Document, table: &'a TermTable<'a>, entry: F) -> Self {
        let vocabulary = doc.vocabulary();
        // this thread's table from the last document, emptied when it was
        // given back
        let mut uses = SPARE_USES.take();
        uses.resize(vocabulary.len(), 0);
        CountedWords {
            vocabulary,
            table,
            uses,
            entry,
        }
    }
}

thread_local! {
    /// The uses table of [`CountedWords`], kept per thread from one
    /// document to the next: allocating, zeroing and freeing one per
    /// document cost more than the zeroing alone.
    static SPARE_USES: std::cell::Cell<Vec<u32>> = std::cell::Cell::default();
}

impl<F> Drop for CountedWords<'_, F> {
    fn drop(&mut self) {
        // a huge document's table is not kept for the small ones after it
        if self.uses.capacity() <= 1 << 16 {
            let mut uses = std::mem::take(&mut self.uses);
            uses.clear();
            SPARE_USES.set(uses);
        }
    }
}

impl<F: FnMut(u32, u32)> WordReader for CountedWords<'_, F> {
    #[inline]
    fn sentence(&mut self, ids: &[u32]) -> usize {
        count_uses(&mut self.uses, ids);
        0
    }

    /// Not inlined: inside [`observe_with`] the loop kept little in
    /// registers (as [`count_uses`] did).
    #[inline(never)]
    fn finish(&mut self) -> usize {
        let mut function = 0;
        let mut buf = String::new();
        let counted = self.table.counted();
        for ((id, (key, rest, len)), &n) in (0..).zip(self.vocabulary.packed_keys()).zip(&self.uses)
        {
            if n == 0 {
                continue;
            }
            // as `WordFacts::of` works them out; a lowercase ASCII word of
            // up to sixteen bytes, nearly all of a vocabulary, is all in
            // its keys, so its text is not read, and its facts are what
            // the table of counted words says (a word missing from it,
            // debris included, is neither an entry nor a function word)
            let (entry, is_function) = match counted.get(key, rest, len) {
                Some(found) => found,
                None if terms::is_plain_keys(key, rest, len) => (NO_ENTRY, false),
                None => {
                    let word = self.vocabulary.text(id);
                    let found = WordFacts::classify(word, self.table, &mut buf);
                    let f = Fact::new(found.map(|(_, class)| class));
                    (f.entry, f.function)
                }
            };
            if is_function {
                function += n as usize;
            }
            if entry != NO_ENTRY {
                (self.entry)(entry, n);
            }
        }
        function
    }
}

/// Adds `one` to the uses of each of `ids` in `uses`, by id. Not inlined:
/// inside [`observe_with`], which keeps much in flight, the loop reloaded
/// both slices from the stack on every word (eleven instructions a word);
/// on its own they stay in registers.
#[inline(never)]
fn count_uses(uses: &mut [u32], ids: &[u32]) {
    for &id in ids {
        // an id outside the vocabulary has no facts to count
        if let Some(n) = uses.get_mut(id as usize) {
            *n += 1;
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Findings [`observe_with`] looked at on this thread, for tests that
    /// bound its work.
    pub(crate) static FINDINGS_SEEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// [`observe`], with the words read by `reader`.
pub(crate) fn observe_with(
    doc: &Document,
    findings: &[Finding],
    blocks: Option<Range<usize>>,
    reader: &mut impl WordReader,
) -> Observation {
    let range = blocks.clone().unwrap_or(0..doc.blocks().len());
    let mut words = 0;
    let mut checked_words = 0;
    let mut sentence_count = 0;
    let mut function_words = 0;
    let ids = doc.word_ids();
    let (mut paragraph_words, mut paragraph_sentences, mut paragraphs) = (0, 0, 0);
    for b in &doc.blocks()[range.clone()] {
        if !b.quoted && b.kind == BlockKind::Paragraph {
            paragraphs += 1;
            paragraph_sentences += b.sentences.len();
            paragraph_words += doc.sentences()[b.sentences.clone()]
                .iter()
                .map(|s| s.words.len())
                .sum::<usize>();
        }
    }
    let mut meter = structure::Meter::new(
        doc.vocabulary().len(),
        paragraph_words,
        paragraph_sentences,
        paragraphs,
    );
    // the spans of the paragraph's sentences the meter was given: room for
    // every paragraph sentence from the start, rather than grown from empty
    let mut marked = Vec::with_capacity(paragraph_sentences);
    // the paragraph's words not yet given to the meter: one run of
    // consecutive words (a paragraph's sentences follow one another), given
    // at once rather than a sentence at a time
    let mut pending = 0..0;
    for block in &doc.blocks()[range.clone()] {
        if block.quoted {
            continue;
        }
        let sentences = &doc.sentences()[block.sentences.clone()];
        let block_words: usize = sentences.iter().map(|s| s.words.len()).sum();
        checked_words += block_words;
        let paragraph = block.kind == BlockKind::Paragraph;
        if !paragraph && !structure::is_running_list_item(doc, block, block_words) {
            continue;
        }
        for s in sentences {
            let sentence = &ids[s.words.clone()];
            let Some(&first) = sentence.first() else {
                continue;
            };
            words += sentence.len();
            sentence_count += 1;
            if paragraph {
                meter.sentence(sentence.len(), first);
                marked.push(s.span);
            }
            let function = reader.sentence(sentence);
            if paragraph {
                if pending.end == s.words.start {
                    pending.end = s.words.end;
                } else {
                    meter.words(&ids[pending]);
                    pending = s.words.clone();
                }
            }
            function_words += function;
        }
        if paragraph {
            meter.words(&ids[std::mem::replace(&mut pending, 0..0)]);
            meter.marks(doc.prose(), &marked);
            marked.clear();
            meter.end_paragraph();
        }
    }
    function_words += reader.finish();
    let source = blocks.map(|r| {
        let blocks = &doc.blocks()[r];
        match (blocks.first(), blocks.last()) {
            (Some(a), Some(b)) => {
                doc.source_range(a.span).start..doc.source_range(b.span).end.max(1)
            }
            _ => 0..0,
        }
    });
    // a document's findings are of a few rules: room for them from the
    // start rather than grown from empty
    let mut rules: Vec<(usize, u32)> = Vec::with_capacity(findings.len().min(16));
    for f in findings {
        #[cfg(test)]
        FINDINGS_SEEN.with(|n| n.set(n.get() + 1));
        if source.as_ref().is_some_and(|r| !r.contains(&f.span.start)) {
            continue;
        }
        match rules.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, n)) => *n += 1,
            None => rules.push((f.rule, 1)),
        }
    }
    rules.sort_unstable();
    Observation {
        words,
        checked_words,
        sentences: sentence_count,
        function_words,
        rules,
        metrics: meter.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_have_diminishing_returns_and_a_floor() {
        assert_eq!(rate_value(0, 500), 0.0);
        let one = rate_value(1, 1000);
        let two = rate_value(2, 1000);
        assert!(two > one && two < 2.0 * one);
        assert_eq!(rate_value(1, 10), rate_value(1, RATE_FLOOR_WORDS));
    }

    #[test]
    fn length_weights_interpolate_on_a_log_scale() {
        assert_eq!(length_weights(10)[0], 1.0);
        assert_eq!(length_weights(5000)[LENGTH_NODES.len() - 1], 1.0);
        let w = length_weights(100);
        assert_eq!(w[2], 1.0);
        let w = length_weights(141); // about halfway between 100 and 200 in log terms
        assert!(
            (w[2] - 0.5).abs() < 0.01 && (w[3] - 0.5).abs() < 0.01,
            "{w:?}"
        );
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn counting_uses_by_id_observes_what_reading_each_word_does() {
        let mut text = String::new();
        for i in 0..120 {
            text.push_str(match i % 7 {
                0 => "We delve into the rich tapestry; it is, frankly, a lot (of it)! ",
                1 => "The company's plans, highlighting growth, were bold? Café naïve. ",
                2 => "\n\n- A list item written as a sentence with words in it.\n",
                3 => "\n\n> Quoted words are someone else's words here.\n\n",
                4 => "Numbers 2024 and br nbsp debris, seamlessly leveraging it. ",
                5 => "\n\n# A heading here\n\n",
                _ => "Moreover, the THE the Delve DELVE: robust, pivotal, crucial. ",
            });
        }
        let doc = crate::source::document(text, crate::text::Markup::Markdown);
        let lexicon = ["delve", "company", "robust", "café", "the", "leveraging"];
        let table = TermTable::new(lexicon);
        let facts = WordFacts::of(&doc, &table);
        let mut each = vec![0u32; lexicon.len()];
        let a = observe_with(
            &doc,
            &[],
            None,
            &mut EachWord::new(&facts, |_, e: Option<u32>| {
                if let Some(e) = e {
                    each[e as usize] += 1;
                }
            }),
        );
        let mut counted = vec![0u32; lexicon.len()];
        let mut reader = CountedWords::new(&doc, &table, |e, n| counted[e as usize] += n);
        let b = observe_with(&doc, &[], None, &mut reader);
        drop(reader);
        assert_eq!(a, b);
        assert_eq!(each, counted);
        assert!(a.words > 500 && a.function_words > 100, "{a:?}");
        assert!(a.metrics.iter().all(Option::is_some), "{a:?}");
        assert!(counted.iter().all(|&n| n > 0), "{counted:?}");
    }

    #[test]
    fn facts_by_key_are_the_facts_by_text() {
        let text = "The THE the Delve delve DELVE café Café naïve br nbsp 2024 x_y \
                    company's robust leveraging abcdefgh abcdefghi Abcdefgh a I it's \
                    don\u{2019}t seamlessly 'quoted' ok-ish e.g. z zz zzzzzzzz";
        let doc = Document::plain(text);
        let lexicon = [
            "delve", "company", "robust", "café", "the", "zz", "abcdefgh",
        ];
        let table = TermTable::new(lexicon);
        let by_key = WordFacts::of(&doc, &table);
        let by_text = WordFacts::with_terms(&doc, &table, |_, _| {});
        assert_eq!(by_key.facts, by_text.facts);
        assert!(by_key.facts.iter().filter(|f| f.entry != NO_ENTRY).count() >= 6);
    }

    #[test]
    fn block_quotes_are_not_counted() {
        let doc = crate::source::document(
            "Our words here.\n\n> Their words, quoted at length here.\n".into(),
            crate::text::Markup::Markdown,
        );
        let terms = Terms::of(&doc);
        let mut seen = Vec::new();
        let obs = observe(&doc, terms.facts(), &[], None, |id| {
            seen.extend(terms.term(id).map(str::to_string));
        });
        assert_eq!(obs.words, 3);
        assert_eq!(seen, ["our", "words", "here"]);
    }
}
