//! The words the lexicon reads: which word tokens count as lexicon terms and
//! how they are normalised (lowercased, curly apostrophes straightened,
//! possessive `'s` dropped).
//!
//! Numbers, tokens with digits and leftovers of markup that slipped into
//! stored text (`br`, `nbsp`, `amp`, ...) are never terms: they say where a
//! text was stored, not who wrote it.

use crate::text::swar::first_eight;

/// Tokens that are markup or web debris rather than words.
const DEBRIS: &[&str] = &[
    "amp", "br", "com", "div", "gt", "href", "html", "http", "https", "img", "li", "lt", "nbsp",
    "org", "px", "quot", "src", "ul", "www",
];

/// The commonest English function words: in English prose they make up a
/// third or more of all words, in other languages almost none.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have",
    "he", "i", "in", "is", "it", "not", "of", "on", "or", "that", "the", "they", "this", "to",
    "was", "we", "were", "with", "you",
];

/// English function words: pronouns, determiners, auxiliaries,
/// prepositions and conjunctions. Their rates say more about genre
/// (narrative or exposition, first or third person) than about who wrote a
/// text, so the lexicon leaves them out.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "i'm",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether a normalised term is an English function word (`STOPWORDS`).
pub fn is_stopword(term: &str) -> bool {
    STOPWORDS.binary_search(&term).is_ok()
}

/// Whether a normalised term is one of the commonest English function words.
pub fn is_function_word(term: &str) -> bool {
    // short-circuit on length: every function word has at most five letters
    term.len() <= 5 && FUNCTION_WORDS.binary_search(&term).is_ok()
}

/// A fast, deterministic string hash (64-bit FNV-1a) for the lexicon's
/// lookup table: keys are the model's own words, so the flooding resistance
/// of the standard hasher buys nothing here and costs a third of scoring.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Builds [`Fnv`] hashers.
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// Longest token taken as a word; longer ones are glued words or debris.
const MAX_CHARS: usize = 24;

/// What the score needs to know of a term: its lexicon entry and whether it
/// is a function word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TermClass {
    /// The lexicon entry, if the lexicon has the term.
    pub entry: Option<u32>,
    /// Whether it is one of the commonest English function words.
    pub function: bool,
}

/// Every word the score looks a document's words up in, in one table: the
/// lexicon, the function words and the debris. One lookup per distinct
/// word of a document replaces three searches.
///
/// The table is open addressing over a word's first eight bytes packed in
/// a `u64` (as the tokenizer's vocabulary packs them): a word of up to
/// eight bytes, most of a document's vocabulary, is hashed and compared as
/// one number, without touching its text. Building a document's
/// [`super::features::WordFacts`] is one lookup per distinct word, and a
/// general-purpose hash map of strings cost three times as much.
#[derive(Clone, Debug)]
pub struct TermTable<'a> {
    /// Linear probing, a power of two long, at most half full: index + 1
    /// into `words` per used slot, 0 for an empty one.
    slots: Vec<u32>,
    words: Vec<TableWord<'a>>,
    /// The words the score counts that a vocabulary's packed keys hold
    /// whole: see [`Counted::get`]. Linear probing from
    /// [`counted_slot`], a power of two long, at most a third full.
    counted: Vec<CountedSlot>,
    /// 64 less the number of bits of an index into `counted`.
    counted_shift: u32,
}

/// The table of counted words of a [`TermTable`], borrowed: kept in
/// registers through a loop over a vocabulary.
#[derive(Clone, Copy, Debug)]
pub struct Counted<'t> {
    slots: &'t [CountedSlot],
    shift: u32,
}

/// One slot of [`TermTable::counted`]: a plain word of up to sixteen bytes
/// that is a lexicon entry or a function word, packed as the vocabulary
/// packs it; or [`CountedSlot::EMPTY`].
#[derive(Clone, Copy, Debug)]
struct CountedSlot {
    key: u64,
    rest: u64,
    /// Its lexicon entry, or [`NO_ENTRY`].
    entry: u32,
    len: u16,
    function: bool,
}

impl Counted<'_> {
    /// For a word of `len` bytes whose first eight bytes are packed in `k`
    /// and the next eight in `rest` (as
    /// [`crate::text::Vocabulary::packed_keys`] packs them): its lexicon
    /// entry ([`NO_ENTRY`] if none) and whether it is a function word, if
    /// it is a plain word ([`is_plain`]) that is either; `None` for every
    /// other word, among them all the plain words the score only counts
    /// (see [`TermTable::plain_keys`]). One probe of a table of packed
    /// words for most words, where [`TermTable::plain_keys`] checks the
    /// word, hashes it, and probes slots and then words.
    #[inline(always)]
    pub fn get(self, k: u64, rest: u64, len: usize) -> Option<(u32, bool)> {
        let slots = self.slots;
        let mask = slots.len() - 1;
        let mut s = counted_slot(k, rest, self.shift);
        loop {
            let c = &slots[s & mask];
            if c.key == k && c.rest == rest && usize::from(c.len) == len {
                return Some((c.entry, c.function));
            }
            if c.len == 0 {
                return None;
            }
            s = (s & mask) + 1;
        }
    }
}

impl CountedSlot {
    /// An empty slot: no word is packed as its key (no UTF-8 text holds
    /// the byte 0xFF), and its length 0 ends a probe.
    const EMPTY: CountedSlot = CountedSlot {
        key: u64::MAX,
        rest: u64::MAX,
        entry: NO_ENTRY,
        len: 0,
        function: false,
    };
}

/// The lexicon entry of a word the lexicon does not have, in
/// [`Counted::get`].
pub const NO_ENTRY: u32 = u32::MAX;

/// The slot of [`TermTable::counted`] to start probing at for a word packed
/// in `key` and `rest`, in a table of `1 << (64 - shift)` slots. The
/// packed bytes identify a plain word of up to sixteen bytes (the zeros
/// after it tell its length), so they are all the hash needs: one
/// multiplication, its top bits.
#[inline(always)]
fn counted_slot(key: u64, rest: u64, shift: u32) -> usize {
    ((key ^ rest.rotate_left(31)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize
}

/// One word of a [`TermTable`].
#[derive(Clone, Copy, Debug)]
struct TableWord<'a> {
    /// Its first eight bytes ([`first_eight`]).
    key: u64,
    /// Its next eight bytes, from the ninth ([`first_eight`] of them; 0 for a
    /// word of up to eight bytes).
    rest: u64,
    text: &'a str,
    /// Its class; `None` for debris.
    class: Option<TermClass>,
}

/// The table's hash of a word from its key, its length and (past eight
/// bytes) the rest of its bytes.
#[inline(always)]
fn hash(key: u64, bytes: &[u8]) -> u64 {
    let mut h = hash_short(key, bytes.len());
    if let Some(rest) = bytes.get(8..) {
        for chunk in rest.chunks(8) {
            h = fold(h ^ first_eight(chunk), 0xa409_3822_299f_31d0);
        }
    }
    h
}

/// [`hash`] of a word of `len` bytes, at most eight, whose key is `key`:
/// its bytes are all in the key.
#[inline(always)]
fn hash_short(key: u64, len: usize) -> u64 {
    fold(
        key ^ 0x243f_6a88_85a3_08d3,
        len as u64 ^ 0x1319_8a2e_0370_7344,
    )
}

/// Multiplies to 128 bits and folds the halves together.
#[inline]
fn fold(x: u64, y: u64) -> u64 {
    let full = u128::from(x).wrapping_mul(u128::from(y));
    (full as u64) ^ ((full >> 64) as u64)
}

impl<'a> TermTable<'a> {
    /// A table of the function words, the debris, and `lexicon`, whose
    /// words are entries `0..` in order (a word listed twice is the later
    /// entry).
    pub fn new(lexicon: impl IntoIterator<Item = &'a str>) -> TermTable<'a> {
        let lexicon = lexicon.into_iter();
        let expected = lexicon.size_hint().0 + FUNCTION_WORDS.len() + DEBRIS.len();
        let mut table = TermTable {
            slots: vec![0; (expected * 2).next_power_of_two().max(64)],
            words: Vec::with_capacity(expected),
            counted: Vec::new(),
            counted_shift: 0,
        };
        for &w in FUNCTION_WORDS {
            *table.slot(w) = Some(TermClass {
                entry: None,
                function: true,
            });
        }
        for (i, w) in lexicon.enumerate() {
            let class = table.slot(w);
            if class.is_none() {
                // new, or debris listed in the lexicon (made debris again
                // below either way)
                *class = Some(TermClass::default());
            }
            if let Some(class) = class {
                class.entry = Some(i as u32);
            }
        }
        for &w in DEBRIS {
            *table.slot(w) = None;
        }
        table.counted = Self::counted_slots(&table.words);
        table.counted_shift = 64 - table.counted.len().trailing_zeros();
        table
    }

    /// The lexicon entries and function words among the plain words of up
    /// to sixteen bytes, by their packed bytes.
    pub fn counted(&self) -> Counted<'_> {
        Counted {
            slots: &self.counted,
            shift: self.counted_shift,
        }
    }

    /// [`TermTable::counted`] for `words`: at most one slot in three used,
    /// so that a probe is mostly one slot long.
    fn counted_slots(words: &[TableWord<'_>]) -> Vec<CountedSlot> {
        let counted = words.iter().filter_map(|w| {
            let class = w.class?;
            let listed = class.entry.is_some() || class.function;
            (listed && w.text.len() <= 16 && is_plain(w.text)).then_some(CountedSlot {
                key: w.key,
                rest: w.rest,
                entry: class.entry.unwrap_or(NO_ENTRY),
                len: w.text.len() as u16,
                function: class.function,
            })
        });
        let n = counted.clone().count();
        let mut slots = vec![CountedSlot::EMPTY; (n * 3).next_power_of_two().max(64)];
        let shift = 64 - slots.len().trailing_zeros();
        let mask = slots.len() - 1;
        for c in counted {
            let mut s = counted_slot(c.key, c.rest, shift);
            while slots[s].len != 0 {
                s = (s + 1) & mask;
            }
            slots[s] = c;
        }
        slots
    }

    /// The class of `word`, added as debris (`None`) if new.
    fn slot(&mut self, word: &'a str) -> &mut Option<TermClass> {
        let bytes = word.as_bytes();
        let k = first_eight(bytes);
        let i = match self.find(k, bytes) {
            Ok(i) => i,
            Err(slot) => {
                self.words.push(TableWord {
                    key: k,
                    rest: first_eight(bytes.get(8..).unwrap_or_default()),
                    text: word,
                    class: None,
                });
                self.slots[slot] = self.words.len() as u32;
                if self.words.len() * 2 > self.slots.len() {
                    self.grow();
                }
                self.words.len() - 1
            }
        };
        &mut self.words[i].class
    }

    /// Doubles the table and places every word again.
    fn grow(&mut self) {
        let mut slots = vec![0u32; self.slots.len() * 2];
        let mask = slots.len() - 1;
        for (i, w) in self.words.iter().enumerate() {
            let mut s = hash(w.key, w.text.as_bytes()) as usize & mask;
            while slots[s] != 0 {
                s = (s + 1) & mask;
            }
            slots[s] = i as u32 + 1;
        }
        self.slots = slots;
    }

    /// The index in `words` of `bytes`, whose key is `k`, or the empty slot
    /// where it would go.
    #[inline(always)]
    fn find(&self, k: u64, bytes: &[u8]) -> Result<usize, usize> {
        self.probe(hash(k, bytes), k, bytes.len(), |w| {
            bytes.len() <= 8 || w.text.as_bytes()[8..] == bytes[8..]
        })
    }

    /// The index in `words` of the word of `len` bytes (at most eight)
    /// packed in `k` ([`first_eight`]), or the empty slot where it would go.
    #[inline(always)]
    fn find_short(&self, k: u64, len: usize) -> Result<usize, usize> {
        debug_assert!(len <= 8);
        self.probe(hash_short(k, len), k, len, |_| true)
    }

    /// Linear probing from hash `h` for the word with key `k`, `len` bytes
    /// long, whose bytes past the eighth satisfy `rest`.
    #[inline(always)]
    fn probe(
        &self,
        h: u64,
        k: u64,
        len: usize,
        rest: impl Fn(&TableWord<'a>) -> bool,
    ) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut s = h as usize & mask;
        loop {
            match self.slots[s] {
                0 => return Err(s),
                i => {
                    let w = &self.words[i as usize - 1];
                    if w.key == k && w.text.len() == len && rest(w) {
                        return Ok(i as usize - 1);
                    }
                }
            }
            s = (s + 1) & mask;
        }
    }

    /// [`TermTable::plain`] for a plain token of `len` bytes (1 to 8)
    /// packed in `k` (`first_eight`), without its text: see [`is_plain_key`].
    #[inline(always)]
    pub fn plain_key(&self, k: u64, len: usize) -> Option<TermClass> {
        debug_assert!(is_plain_key(k, len));
        match self.find_short(k, len) {
            Ok(i) => self.words[i].class,
            Err(_) => Some(TermClass::default()),
        }
    }

    /// [`TermTable::plain`] for a plain token of `len` bytes (1 to 16)
    /// whose first eight bytes are packed in `k` and the others in `rest`
    /// (as [`crate::text::Vocabulary::packed_keys`] packs them), without
    /// its text: see [`is_plain_keys`].
    #[inline(always)]
    pub fn plain_keys(&self, k: u64, rest: u64, len: usize) -> Option<TermClass> {
        debug_assert!(is_plain_keys(k, rest, len));
        if len <= 8 {
            return self.plain_key(k, len);
        }
        // `hash` of the word: its bytes past the eighth are one chunk
        let h = fold(hash_short(k, len) ^ rest, 0xa409_3822_299f_31d0);
        match self.probe(h, k, len, |w| w.rest == rest) {
            Ok(i) => self.words[i].class,
            Err(_) => Some(TermClass::default()),
        }
    }

    /// What the table has for `word`: `None` if it is not listed,
    /// `Some(None)` for debris.
    #[inline(always)]
    fn get(&self, word: &str) -> Option<Option<TermClass>> {
        let bytes = word.as_bytes();
        self.find(first_eight(bytes), bytes)
            .ok()
            .map(|i| self.words[i].class)
    }

    /// The term of `token` ([`normalise`]d into `buf`, or `token` itself
    /// when normalising would not change it: a lowercase ASCII word, as most
    /// of a document's vocabulary is) with its class, or `None` if it is not
    /// a term.
    pub fn term<'t>(&self, token: &'t str, buf: &'t mut String) -> Option<(&'t str, TermClass)> {
        if is_plain(token) {
            return self.plain(token).map(|c| (token, c));
        }
        if !normalise(token, buf) {
            return None;
        }
        // debris was rejected by `normalise`
        let class = self.get(buf.as_str()).flatten();
        Some((buf.as_str(), class.unwrap_or_default()))
    }

    /// The class of a [plain](is_plain) token, its own term, or `None` if
    /// it is debris: what `normalise` would do with its bytes is copy them
    /// and find no apostrophe to drop.
    #[inline(always)]
    pub fn plain(&self, token: &str) -> Option<TermClass> {
        debug_assert!(is_plain(token));
        match self.get(token) {
            Some(class) => class,
            None => Some(TermClass::default()),
        }
    }
}

/// Whether `token` is lowercase ASCII letters only, no longer than a term
/// can be: its own term unless it is debris (as most words of a
/// document's vocabulary are).
#[inline]
pub fn is_plain(token: &str) -> bool {
    let b = token.as_bytes();
    if b.is_empty() || b.len() > MAX_CHARS {
        return false;
    }
    // eight bytes at a time; the last few loaded with zeros after them,
    // which the mask leaves out
    let (chunks, rest) = b.as_chunks::<8>();
    let mut bad = chunks
        .iter()
        .fold(0, |bad, c| bad | not_lowercase(u64::from_le_bytes(*c)));
    if !rest.is_empty() {
        bad |= not_lowercase(first_eight(rest)) & (u64::MAX >> (64 - 8 * rest.len()));
    }
    bad == 0
}

/// [`is_plain`] for a token of `len` bytes, 1 to 8, packed in `k` as
/// `first_eight` packs it.
#[inline(always)]
pub fn is_plain_key(k: u64, len: usize) -> bool {
    (1..=8).contains(&len) && not_lowercase(k) & (u64::MAX >> (64 - 8 * len)) == 0
}

/// [`is_plain`] for a token of `len` bytes, 1 to 16, packed in `k` and
/// `rest` as [`TermTable::plain_keys`] takes it.
#[inline(always)]
pub fn is_plain_keys(k: u64, rest: u64, len: usize) -> bool {
    match len {
        1..=8 => is_plain_key(k, len),
        9..=16 => not_lowercase(k) == 0 && is_plain_key(rest, len - 8),
        _ => false,
    }
}

/// The bytes of `x` that are not lowercase ASCII letters: the high bit of
/// each such byte, exactly (no carry crosses from one byte to the next:
/// each sum is of a seven-bit value and a constant below 0x80).
#[inline]
fn not_lowercase(x: u64) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let low7 = x & (ONES * 0x7f);
    let from_a = low7 + ONES * (0x80 - u64::from(b'a'));
    let past_z = low7 + ONES * (0x80 - u64::from(b'z') - 1);
    (x | !from_a | past_z) & HIGH
}

/// Normalises `token` into `out` and says whether it is a lexicon term.
///
/// `out` is cleared first; it is reused so that scoring allocates nothing
/// per word.
pub fn normalise(token: &str, out: &mut String) -> bool {
    out.clear();
    if token.is_ascii() {
        // the common case, without per-character case tables
        if token.len() > MAX_CHARS {
            return false;
        }
        for b in token.bytes() {
            match b {
                b'a'..=b'z' | b'\'' => out.push(b as char),
                b'A'..=b'Z' => out.push(b.to_ascii_lowercase() as char),
                _ => return false,
            }
        }
        return finish(out);
    }
    let mut chars = 0;
    for c in token.chars() {
        chars += 1;
        if chars > MAX_CHARS {
            return false;
        }
        match c {
            '\'' | '\u{2019}' | '\u{02BC}' => out.push('\''),
            c if c.is_alphabetic() => {
                for l in c.to_lowercase() {
                    out.push(l);
                }
            }
            _ => return false,
        }
    }
    finish(out)
}

/// Drops possessive `'s` and stray apostrophes; rejects what is left if it
/// is empty or debris.
fn finish(out: &mut String) -> bool {
    if let Some(stem) = out.strip_suffix("'s") {
        let keep = stem.len();
        out.truncate(keep);
    }
    while out.ends_with('\'') {
        out.pop();
    }
    while out.starts_with('\'') {
        out.remove(0);
    }
    !out.is_empty() && !DEBRIS.contains(&out.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(t: &str) -> Option<String> {
        let mut s = String::new();
        normalise(t, &mut s).then_some(s)
    }

    #[test]
    fn lowercases_and_straightens_apostrophes() {
        assert_eq!(term("Don\u{2019}t").as_deref(), Some("don't"));
        assert_eq!(term("Delve").as_deref(), Some("delve"));
        assert_eq!(term("company's").as_deref(), Some("company"));
        assert_eq!(term("Café").as_deref(), Some("café"));
    }

    #[test]
    fn function_words_are_sorted_and_found() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(
            STOPWORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted for binary search"
        );
        assert!(FUNCTION_WORDS.iter().all(|w| is_stopword(w)));
        assert!(is_function_word("the") && is_function_word("you"));
        assert!(!is_function_word("la") && !is_function_word("delve"));
    }

    #[test]
    fn the_table_agrees_with_the_lists_and_normalise() {
        let lexicon = ["delve", "company", "the", "br", "café", "delve"];
        let table = TermTable::new(lexicon);
        let mut a = String::new();
        let mut b = String::new();
        for t in [
            "delve",
            "the",
            "br",
            "nbsp",
            "don't",
            "company's",
            "café",
            "",
            "x",
            "abc1",
            "a",
            "you",
            "tapestry",
            "'",
            "it's",
            "ok-ish",
            "aaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            let want = normalise(t, &mut a).then(|| {
                let entry = lexicon.iter().rposition(|w| *w == a).map(|i| i as u32);
                let function = is_function_word(&a);
                (a.clone(), TermClass { entry, function })
            });
            let got = table.term(t, &mut b).map(|(t, c)| (t.to_string(), c));
            assert_eq!(got, want, "{t:?}");
            if is_plain_key(first_eight(t.as_bytes()), t.len()) {
                let by_key = table.plain_key(first_eight(t.as_bytes()), t.len());
                assert_eq!(by_key, want.map(|(_, c)| c), "{t:?}");
            }
        }
    }

    #[test]
    fn plain_means_lowercase_ascii_letters_of_a_term_s_length() {
        let slow = |t: &str| {
            !t.is_empty() && t.len() <= MAX_CHARS && t.bytes().all(|b| b.is_ascii_lowercase())
        };
        for b in 0..=255u8 {
            for at in 0..17 {
                for len in [at + 1, at + 3, 17, 24, 25] {
                    if len <= at {
                        continue;
                    }
                    let mut t = vec![b'q'; len];
                    t[at] = b;
                    let Ok(t) = String::from_utf8(t) else {
                        continue;
                    };
                    assert_eq!(is_plain(&t), slow(&t), "{t:?}");
                    if t.len() <= 8 {
                        let k = first_eight(t.as_bytes());
                        assert_eq!(is_plain_key(k, t.len()), slow(&t), "{t:?}");
                    }
                }
            }
        }
        assert!(!is_plain(""));
        assert!(!is_plain("café") && !is_plain("abcdefghcafé") && !is_plain("naïve"));
    }

    /// Words of up to sixteen bytes found by their packed bytes are found
    /// as by their text: lexicon words, words sharing their first eight or
    /// fifteen bytes with one, longer and shorter ones, debris.
    #[test]
    fn plain_keys_find_what_plain_finds() {
        let lexicon = [
            "leveraging",
            "seamlessly",
            "abcdefghi",
            "abcdefghijklmnop",
            "abcdefgh",
            "delve",
            "underscoring",
        ];
        let table = TermTable::new(lexicon);
        let others = [
            "abcdefghj",
            "abcdefghijklmnoq",
            "abcdefghijklmno",
            "abcdefghijklmnopq",
            "leveragin",
            "leveragings",
            "a",
            "zzzzzzzzzzzzzzzz",
            "the",
            "nbsp",
            "https",
            "Leveraging",
            "leverag1ng",
            "café",
            "seamlessly's",
        ];
        let mut found = 0;
        for w in lexicon.iter().chain(&others) {
            let b = w.as_bytes();
            let k = first_eight(&b[..b.len().min(8)]);
            let rest = first_eight(b.get(8..b.len().min(16)).unwrap_or_default());
            let plain = is_plain_keys(k, rest, b.len());
            assert_eq!(plain, is_plain(w) && b.len() <= 16, "{w}");
            if plain {
                let class = table.plain_keys(k, rest, b.len());
                assert_eq!(class, table.plain(w), "{w}");
                found += usize::from(class.is_some_and(|c| c.entry.is_some()));
            }
        }
        assert_eq!(found, lexicon.len());
    }

    /// The table of counted words answers as the whole table does: for
    /// every plain word of up to sixteen bytes, whether lexicon entry,
    /// function word, debris, both or neither, and for no other word.
    #[test]
    fn counted_keys_agree_with_plain() {
        // words with digits, never plain
        let lexicon: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
        // lexicon words written with letters only, of every length to 20
        let letters: Vec<String> = (0..4000)
            .map(|i: usize| {
                (0..1 + i % 20)
                    .map(|j| char::from(b'a' + ((i * 7 + j * 13) % 26) as u8))
                    .collect()
            })
            .collect();
        let specials = ["the", "and", "you", "br", "nbsp", "https", "delve", "it's"];
        let table = TermTable::new(
            lexicon
                .iter()
                .chain(&letters)
                .map(String::as_str)
                .chain(specials),
        );
        let mut others: Vec<String> = letters.iter().map(|w| format!("{w}q")).collect();
        others.extend(letters.iter().map(|w| w[1..].to_string()));
        others.extend(FUNCTION_WORDS.iter().chain(DEBRIS).map(|w| w.to_string()));
        others.extend(["Delve", "caf\u{e9}", "a1", "x_y", "", "it's"].map(String::from));
        let mut hits = 0;
        for w in letters.iter().chain(&lexicon).chain(&others) {
            let b = w.as_bytes();
            let k = first_eight(&b[..b.len().min(8)]);
            let rest = first_eight(b.get(8..b.len().min(16)).unwrap_or_default());
            let got = table.counted().get(k, rest, b.len());
            let want = if is_plain(w) && b.len() <= 16 {
                table
                    .plain(w)
                    .filter(|c| c.entry.is_some() || c.function)
                    .map(|c| (c.entry.unwrap_or(NO_ENTRY), c.function))
            } else {
                None
            };
            assert_eq!(got, want, "{w:?}");
            hits += usize::from(got.is_some());
        }
        assert!(hits > 3000, "{hits}");
    }

    #[test]
    fn the_table_finds_every_word_it_was_given_after_growing() {
        let words: Vec<String> = (0..3000)
            .map(|i| format!("w{i}{}", "x".repeat(i % 30)))
            .collect();
        let table = TermTable::new(words.iter().map(String::as_str));
        for (i, w) in words.iter().enumerate() {
            assert_eq!(
                table.get(w).flatten().and_then(|c| c.entry),
                Some(i as u32),
                "{w}"
            );
            let mut other = w.clone();
            other.push('y');
            assert_eq!(table.get(&other), None, "{other}");
        }
    }

    #[test]
    fn rejects_numbers_debris_and_long_tokens() {
        assert_eq!(term("2024"), None);
        assert_eq!(term("mp3"), None);
        assert_eq!(term("br"), None);
        assert_eq!(term("nbsp"), None);
        assert_eq!(term("a_b"), None);
        assert_eq!(term("proteinfoldingknotsevolutionary"), None);
        assert_eq!(term("'"), None);
    }
}
