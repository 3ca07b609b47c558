//! Word identities: every word of a document interned once, lowercased, so
//! rules and the score compare words by number instead of allocating and
//! hashing a lowercased copy of each word again.
//!
//! Interning runs once per word of every document, so it allocates nothing
//! per word: the distinct words live one after another in a single string,
//! and the table from text to id is a small open-addressing table of ids.
//! Each id keeps the first eight bytes of its text as a number, so a short
//! ASCII word (most words of English prose) is lowercased, hashed and
//! compared as one `u64`, without touching its text.

use std::hash::{BuildHasher, Hasher};
use std::ops::Range;

use super::swar::{HIGH, ascii_lowercase, first_eight};

/// The distinct lowercased words of one document and the id of each word.
#[derive(Debug)]
pub struct Vocabulary {
    /// The lowercased text of every id, one after another, once
    /// [`Vocabulary::finish`] has checked it (empty until then).
    text: String,
    /// The same text while words are interned: bytes, so that a short
    /// ASCII word goes in with one fixed-size copy and no check as UTF-8
    /// each (every piece is UTF-8: a word's text or ASCII bytes); checked
    /// once for the whole text by [`Vocabulary::finish`].
    bytes: Vec<u8>,
    /// Per id: where its text lies in `text`, and its first bytes as a key.
    entries: Vec<Entry>,
    /// Open-addressing table (linear probing, a power of two long, at most
    /// half full): `id + 1` per used slot, 0 for an empty one.
    slots: Vec<u32>,
    /// Scratch space for lowercasing a word that is not lowercase.
    buf: String,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The first eight bytes of the lowercased text, little-endian, padded
    /// with zeros.
    key: u64,
    /// The next eight bytes (from the ninth), the same way; 0 for a word of
    /// at most eight bytes. A word of up to sixteen bytes is all in `key`
    /// and `rest`, so it is compared without touching its text.
    rest: u64,
    start: u32,
    len: u32,
}

/// The hash of a lowercased word, from its key and length (and, past eight
/// bytes, `rest`: its text after the first eight bytes).
#[inline]
fn hash(key: u64, len: usize, rest: &[u8]) -> u64 {
    let h = hash_head(key);
    if len <= 8 {
        return h;
    }
    if rest.len() <= 8 {
        // most longer words are nine to sixteen bytes: their rest is one
        // more number to fold in
        let mut packed = 0u64;
        for (j, &b) in rest.iter().enumerate() {
            packed |= u64::from(b) << (8 * j);
        }
        return hash_rest(h, packed);
    }
    let mut hasher = foldhash::fast::FixedState::with_seed(h).build_hasher();
    hasher.write(rest);
    hasher.finish()
}

/// The hash of a word of at most eight bytes, and the start of a longer
/// word's hash, from its key. Not from its length: the zeros after a
/// short word in its key, and the bytes a longer word hashes after its
/// key, already tell words of other lengths apart.
#[inline(always)]
fn hash_head(key: u64) -> u64 {
    fold(key ^ 0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344)
}

/// The hash of a word of nine to sixteen bytes from its [`hash_head`] and
/// its bytes from the ninth packed into `rest` (little-endian, zeros after).
#[inline(always)]
fn hash_rest(head: u64, rest: u64) -> u64 {
    fold(head ^ rest, 0xa409_3822_299f_31d0)
}

/// Multiplies to 128 bits and folds the halves together (as foldhash does).
#[inline]
fn fold(x: u64, y: u64) -> u64 {
    let full = (x as u128).wrapping_mul(y as u128);
    (full as u64) ^ ((full >> 64) as u64)
}

/// A vocabulary's tables, kept per thread from one document's vocabulary
/// to the next (emptied): each document had its own allocated, its slots
/// zeroed, and all freed after it was reported.
#[derive(Default)]
struct Spare {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    slots: Vec<u32>,
}

thread_local! {
    static SPARE: std::cell::Cell<Spare> = std::cell::Cell::default();
}

impl Drop for Vocabulary {
    fn drop(&mut self) {
        // the text, once finished, is the bytes' buffer
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        if bytes.capacity() < self.bytes.capacity() {
            bytes = std::mem::take(&mut self.bytes);
        }
        let mut spare = Spare {
            bytes,
            entries: std::mem::take(&mut self.entries),
            slots: std::mem::take(&mut self.slots),
        };
        // a huge document's tables are not kept for the small ones after
        // it, and an empty one's (one slot) would only displace real ones
        if (2..=1 << 16).contains(&spare.slots.capacity()) && spare.bytes.capacity() <= 1 << 19 {
            spare.bytes.clear();
            spare.entries.clear();
            spare.slots.clear();
            // not kept when the thread is being torn down
            let _ = SPARE.try_with(|s| s.set(spare));
        }
    }
}

impl Default for Vocabulary {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl Vocabulary {
    /// Room for about `words` distinct words, so that a document's table
    /// is not grown word by word.
    pub(crate) fn with_capacity(words: usize) -> Self {
        let Spare {
            mut bytes,
            mut entries,
            mut slots,
        } = SPARE.take();
        bytes.reserve(words * 8);
        entries.reserve(words);
        slots.resize((words * 2).next_power_of_two().max(64), 0);
        Vocabulary {
            text: String::new(),
            bytes,
            entries,
            slots,
            buf: String::new(),
        }
    }

    /// A vocabulary of no words that neither takes the thread's spare
    /// tables nor, dropped, gives any back: an outline's
    /// (`Document::outline`), which holds no prose.
    pub(crate) fn empty() -> Self {
        Vocabulary {
            text: String::new(),
            bytes: Vec::new(),
            entries: Vec::new(),
            // one empty slot: every lookup ends at once, finding nothing
            slots: vec![0],
            buf: String::new(),
        }
    }

    /// The id of `word`, compared in lowercase; new words get the next id.
    pub(crate) fn intern(&mut self, word: &str) -> u32 {
        let bytes = word.as_bytes();
        if !bytes
            .iter()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
        {
            return self.intern_lowercase(word);
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        if word.is_ascii() {
            buf.push_str(word);
            buf.make_ascii_lowercase();
        } else {
            buf.extend(word.chars().flat_map(char::to_lowercase));
        }
        let id = self.intern_lowercase(&buf);
        self.buf = buf;
        id
    }

    /// The id of the word at `range` of `text`, as [`Vocabulary::intern`]
    /// gives it; faster for a short ASCII word with text after it.
    #[inline(never)]
    pub(crate) fn intern_at(&mut self, text: &str, range: Range<usize>) -> u32 {
        let len = range.len();
        if (1..=8).contains(&len)
            && let Some(eight) = text.as_bytes().get(range.start..range.start + 8)
        {
            let mut k = [0u8; 8];
            k.copy_from_slice(eight);
            // the word's bytes, without those after it
            let x = u64::from_le_bytes(k) & (u64::MAX >> (64 - 8 * len));
            if x & HIGH == 0 {
                return self.intern_key(ascii_lowercase(x), text, range);
            }
        }
        // a longer ASCII word, capitalised or not: its first eight bytes
        // lowercased are its key, and the rest, already lowercase, is
        // hashed and compared where it lies
        if len > 8
            && let (Some(eight), Some(head), Some(rest)) = (
                text.as_bytes().get(range.start..range.start + 8),
                text.get(range.start..range.start + 8),
                text.get(range.start + 8..range.end),
            )
            && rest
                .bytes()
                .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            let mut k = [0u8; 8];
            k.copy_from_slice(eight);
            let x = u64::from_le_bytes(k);
            if x & HIGH == 0 {
                return self.intern_long(ascii_lowercase(x), head, rest);
            }
        }
        self.intern(&text[range])
    }

    /// The id of the ASCII word at `range` of `text` (1 to 8 bytes), whose
    /// lowercased bytes are packed in `key` (little-endian, zeros after the
    /// word), as [`Vocabulary::intern`] gives it.
    #[inline(always)]
    pub(crate) fn intern_key(&mut self, key: u64, text: &str, range: Range<usize>) -> u32 {
        let len = range.len();
        debug_assert!((1..=8).contains(&len) && (len == 8 || key >> (8 * len) == 0));
        debug_assert!(text.get(range).is_some());
        // a word of up to eight bytes has nothing after its key, so its
        // hash is its key's alone (the length need not be asked again)
        self.intern_packed(hash_head(key), key, 0, len)
    }

    /// The id of the ASCII word of `len` bytes (nine to fifteen) whose
    /// lowercased bytes are packed in `key` (the first eight) and `rest`
    /// (the others, zeros after them), as [`Vocabulary::intern`] gives it.
    #[inline(always)]
    pub(crate) fn intern_keys(&mut self, key: u64, rest: u64, len: usize) -> u32 {
        debug_assert!((9..16).contains(&len) && rest >> (8 * (len - 8)) == 0);
        self.intern_packed(hash_rest(hash_head(key), rest), key, rest, len)
    }

    /// The id of the ASCII word of `len` bytes (at most fifteen) packed in
    /// `key` and `rest`, whose hash is `h`: found by its packed bytes, its
    /// text never read, or given the next id.
    #[inline(always)]
    fn intern_packed(&mut self, h: u64, key: u64, rest: u64, len: usize) -> u32 {
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            match self.slots[i] {
                0 => return self.add_packed(i, key, rest, len),
                s => {
                    let e = self.entries[s as usize - 1];
                    // equal packed bytes are an equal word, length and all:
                    // a word has no NUL byte, so the zeros after it in `key`
                    // and `rest` mark its end, and a stored word of sixteen
                    // bytes or more has no zero in its `rest`
                    if e.key == key && e.rest == rest {
                        debug_assert_eq!(e.len as usize, len);
                        return s - 1;
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Gives the next id to the ASCII word of `len` bytes whose lowercase
    /// is packed in `key` and `rest`, in empty slot `slot`.
    #[inline(never)]
    fn add_packed(&mut self, slot: usize, key: u64, rest: u64, len: usize) -> u32 {
        let start = self.bytes.len();
        self.push_packed(key, rest, len);
        self.add(slot, key, rest, start)
    }

    /// Appends the first `len` bytes (at most sixteen) of the ASCII word
    /// packed in `key` and `rest` to the text.
    ///
    /// All sixteen bytes go in at once and the text is cut back: a copy of
    /// a fixed size needs no call (pushing the bytes one by one cost a
    /// check of the capacity each).
    #[inline(always)]
    fn push_packed(&mut self, key: u64, rest: u64, len: usize) {
        debug_assert!(key & HIGH == 0 && rest & HIGH == 0 && len <= 16);
        let mut bytes = [0u8; 16];
        // ASCII, so the text stays UTF-8
        bytes[..8].copy_from_slice(&(key & !HIGH).to_le_bytes());
        bytes[8..].copy_from_slice(&(rest & !HIGH).to_le_bytes());
        let start = self.bytes.len();
        self.bytes.extend_from_slice(&bytes);
        self.bytes.truncate(start + len.min(16));
    }

    /// The id of the ASCII word longer than eight bytes whose first eight
    /// bytes are `head`, packed lowercased in `key`, and whose lowercase
    /// remainder is `rest`.
    fn intern_long(&mut self, key: u64, head: &str, rest: &str) -> u32 {
        match self.find_parts(key, 8 + rest.len(), rest.as_bytes()) {
            Ok(id) => id,
            Err(slot) => {
                let start = self.bytes.len();
                self.bytes.extend_from_slice(head.as_bytes());
                self.bytes[start..].make_ascii_lowercase();
                self.bytes.extend_from_slice(rest.as_bytes());
                self.add(slot, key, first_eight(rest.as_bytes()), start)
            }
        }
    }

    /// The id of `word`, which is already lowercase.
    fn intern_lowercase(&mut self, word: &str) -> u32 {
        let bytes = word.as_bytes();
        let key = first_eight(bytes);
        match self.find(key, bytes) {
            Ok(id) => id,
            Err(slot) => {
                let start = self.bytes.len();
                self.bytes.extend_from_slice(word.as_bytes());
                self.add(
                    slot,
                    key,
                    first_eight(bytes.get(8..).unwrap_or_default()),
                    start,
                )
            }
        }
    }

    /// The id of lowercased `bytes` with key `key`, or the empty slot where
    /// it would go.
    #[inline]
    fn find(&self, key: u64, bytes: &[u8]) -> Result<u32, usize> {
        self.find_parts(key, bytes.len(), bytes.get(8..).unwrap_or_default())
    }

    /// [`Vocabulary::find`] for the lowercased word of `len` bytes whose
    /// first eight are packed in `key` and the others are `rest`.
    #[inline]
    fn find_parts(&self, key: u64, len: usize, rest: &[u8]) -> Result<u32, usize> {
        let h = hash(key, len, rest);
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            match self.slots[i] {
                0 => return Err(i),
                s => {
                    let e = self.entries[s as usize - 1];
                    // equal keys are equal first eight bytes
                    if e.key == key
                        && e.len as usize == len
                        && (len <= 8 || self.stored(e).get(8..) == Some(rest))
                    {
                        return Ok(s - 1);
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Gives the next id to the text just added to `self.bytes` at `start`,
    /// whose first bytes are packed in `key` and `rest`, in empty slot
    /// `slot`.
    #[inline(always)]
    fn add(&mut self, slot: usize, key: u64, rest: u64, start: usize) -> u32 {
        let id = self.entries.len() as u32;
        debug_assert!(self.text.is_empty(), "a word interned after finish");
        debug_assert_eq!(
            rest,
            first_eight(self.bytes.get(start + 8..).unwrap_or_default())
        );
        self.entries.push(Entry {
            key,
            rest,
            start: start as u32,
            len: (self.bytes.len() - start) as u32,
        });
        self.slots[slot] = id + 1;
        if self.entries.len() * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    /// Doubles the table and places every id again.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let mut slots = vec![0u32; self.slots.len() * 2];
        let mask = slots.len() - 1;
        for (id, e) in self.entries.iter().enumerate() {
            let text = self.stored(*e);
            let rest = text.get(8..).unwrap_or_default();
            let mut i = hash(e.key, text.len(), rest) as usize & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = id as u32 + 1;
        }
        self.slots = slots;
    }

    /// The lowercased text of word `id`.
    #[inline]
    pub fn text(&self, id: u32) -> &str {
        let e = self.entries[id as usize];
        let range = e.start as usize..(e.start + e.len) as usize;
        if self.bytes.is_empty() {
            &self.text[range]
        } else {
            // before `finish`: only tests look, checking the word alone
            std::str::from_utf8(&self.bytes[range]).unwrap_or_default()
        }
    }

    /// The stored bytes of an entry, before or after `finish`.
    #[inline]
    fn stored(&self, e: Entry) -> &[u8] {
        let range = e.start as usize..(e.start + e.len) as usize;
        let all = if self.bytes.is_empty() {
            self.text.as_bytes()
        } else {
            &self.bytes
        };
        &all[range]
    }

    /// The id of a lowercased word, if the document has it.
    pub fn id(&self, lowercase: &str) -> Option<u32> {
        let bytes = lowercase.as_bytes();
        self.find(first_eight(bytes), bytes).ok()
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the document has no words.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every distinct word with its id.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.len() as u32).map(|id| (id, self.text(id)))
    }

    /// Every distinct word by id, as its first eight bytes (little-endian,
    /// padded with zeros) and its length in bytes: a word of up to eight
    /// bytes is all there, so a caller can classify it without its text.
    pub fn keys(&self) -> impl Iterator<Item = (u64, usize)> + '_ {
        self.entries.iter().map(|e| (e.key, e.len as usize))
    }

    /// Every distinct word by id as [`Vocabulary::keys`] gives it, with
    /// its next eight bytes (from the ninth) packed the same way: a word of
    /// up to sixteen bytes is all in the two numbers.
    pub fn packed_keys(&self) -> impl Iterator<Item = (u64, u64, usize)> + '_ {
        self.entries.iter().map(|e| (e.key, e.rest, e.len as usize))
    }

    /// Ends interning once the document is tokenized: the text is checked
    /// as UTF-8, once, and spare capacity given back.
    pub(crate) fn finish(&mut self) {
        self.buf = String::new();
        if !self.bytes.is_empty() {
            let bytes = std::mem::take(&mut self.bytes);
            // every piece added was a word's text or ASCII: never lossy
            self.text = String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        }
        super::shrink(&mut self.text);
        super::shrink_vec(&mut self.entries);
    }
}

#[cfg(test)]
mod tests {
    use super::Vocabulary;

    /// A vocabulary made after another, from the tables the first leaves
    /// to its thread, knows only its own words.
    #[test]
    fn a_vocabulary_knows_nothing_of_the_one_before() {
        let mut big = Vocabulary::with_capacity(4);
        let words: Vec<String> = (0..3000).map(|i| format!("Word{i}")).collect();
        for w in &words {
            big.intern(w);
        }
        big.finish();
        assert_eq!(big.len(), 3000);
        drop(big);
        let mut small = Vocabulary::with_capacity(2);
        assert_eq!(small.intern("word7"), 0);
        assert_eq!(small.intern("Other"), 1);
        assert_eq!(small.intern("WORD7"), 0);
        small.finish();
        assert_eq!(small.len(), 2);
        assert_eq!(small.text(1), "other");
        for w in words.iter().filter(|w| w.as_str() != "Word7") {
            assert_eq!(small.id(&w.to_lowercase()), None, "{w}");
        }
    }

    /// An empty vocabulary (an outline's) finds nothing, and neither takes
    /// nor displaces the tables a document leaves to its thread.
    #[test]
    fn an_empty_vocabulary_leaves_the_spare_tables_alone() {
        let mut used = Vocabulary::with_capacity(1000);
        used.intern("delve");
        used.finish();
        let slots = used.slots.capacity();
        drop(used);
        let empty = Vocabulary::empty();
        assert_eq!(empty.id("delve"), None);
        assert_eq!(empty.len(), 0);
        drop(empty);
        let next = Vocabulary::with_capacity(2);
        assert_eq!(next.slots.capacity(), slots, "the used tables are reused");
    }

    #[test]
    fn case_insensitive_ids() {
        let mut v = Vocabulary::default();
        let a = v.intern("Delve");
        assert_eq!(v.intern("delve"), a);
        assert_eq!(v.intern("DELVE"), a);
        let b = v.intern("Café");
        assert_eq!(v.intern("café"), b);
        assert_eq!(v.intern("CAFÉ"), b);
        assert_ne!(a, b);
        assert_eq!(v.text(b), "café");
        assert_eq!(v.id("delve"), Some(a));
        assert_eq!(v.id("Delve"), None);
        assert_eq!(v.len(), 2);
        assert_eq!(Vocabulary::default().id("delve"), None);
    }

    /// Many distinct words (the table grows several times): every word keeps
    /// its first id, ids are dense and in first-seen order.
    #[test]
    fn ids_survive_growth() {
        let mut v = Vocabulary::default();
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}x")).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(v.intern(w), i as u32);
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(v.intern(&w.to_uppercase()), i as u32);
            assert_eq!(v.id(w), Some(i as u32));
            assert_eq!(v.text(i as u32), w);
        }
        assert_eq!(v.len(), words.len());
        let listed: Vec<(u32, &str)> = v.iter().collect();
        assert_eq!(listed.len(), words.len());
        assert_eq!(listed[42], (42, "w42x"));
        assert_eq!(v.id("w5000x"), None);
    }

    /// The fast path for short ASCII words in running text gives the same
    /// ids as interning each word on its own, for words on both sides of
    /// eight bytes, in any case, next to non-ASCII text.
    #[test]
    fn words_in_text_match_words_alone() {
        let text = "The THE the tHe abcdefgh ABCDEFGH abcdefghi Abcdefghi \
                    Government government GOVERNMENT governMent governments \
                    Caf\u{e9}teria caf\u{e9}teria abcdefgh\u{e9} ABCDEFGH\u{c9} \
                    a A Zz @[` {z café CAFÉ naïve Naïve 12ab 12AB x_y X_Y e.g E.G end";
        let mut alone = Vocabulary::default();
        let mut in_text = Vocabulary::default();
        let mut at = 0;
        for word in text.split(' ') {
            let id = alone.intern(word);
            assert_eq!(in_text.intern_at(text, at..at + word.len()), id, "{word}");
            at += word.len() + 1;
        }
        for (id, word) in alone.iter() {
            assert_eq!(in_text.text(id), word);
            assert_eq!(in_text.id(word), Some(id));
        }
        assert_eq!(alone.len(), in_text.len());
        for ((id, word), (key, rest, len)) in in_text.iter().zip(in_text.packed_keys()) {
            let mut k = [0u8; 16];
            let n = len.min(16);
            k[..n].copy_from_slice(&word.as_bytes()[..n]);
            let (head, tail) = k.split_at(8);
            let packed = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("eight bytes"));
            assert_eq!(
                (key, rest, len),
                (packed(head), packed(tail), word.len()),
                "{id}"
            );
        }
        let keys: Vec<(u64, usize)> = in_text.keys().collect();
        let packed: Vec<(u64, usize)> = in_text.packed_keys().map(|(k, _, n)| (k, n)).collect();
        assert_eq!(keys, packed);
        // the text checked once at the end is the text interned
        let before: Vec<String> = in_text.iter().map(|(_, w)| w.to_string()).collect();
        in_text.finish();
        for (id, word) in in_text.iter() {
            assert_eq!(word, before[id as usize]);
            assert_eq!(in_text.id(word), Some(id));
        }
        in_text.finish();
        assert_eq!(in_text.len(), before.len());
        assert_eq!(in_text.text(0), before[0]);
        let odd = alone.intern("@[`");
        assert_eq!(alone.text(odd), "@[`");
        let mut odd_words = Vocabulary::default();
        let odd = odd_words.intern_at("{Z and more text", 0..2);
        assert_eq!(odd_words.text(odd), "{z");
    }
}
