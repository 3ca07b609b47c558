//! The words the lexicon reads: which word tokens count as lexicon terms and
//! how they are normalised (lowercased, curly apostrophes straightened,
//! possessive `'s` dropped).
//!
//! Numbers, tokens with digits and leftovers of markup that slipped into
//! stored text (`br`, `nbsp`, `amp`, ...) are never terms: they say where a
//! text was stored, not who wrote it.

use std::collections::HashMap;

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

/// Whether a normalised term is an English function word ([`STOPWORDS`]).
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
/// lexicon, the function words and the debris. One hash lookup per distinct
/// word of a document replaces three searches.
#[derive(Clone, Debug, Default)]
pub struct TermTable<'a> {
    /// The class of each word; `None` for debris.
    words: HashMap<&'a str, Option<TermClass>, foldhash::fast::FixedState>,
}

impl<'a> TermTable<'a> {
    /// A table of the function words, the debris, and `lexicon`, whose
    /// words are entries `0..` in order (a word listed twice is the later
    /// entry).
    pub fn new(lexicon: impl IntoIterator<Item = &'a str>) -> TermTable<'a> {
        let lexicon = lexicon.into_iter();
        let mut words: HashMap<&'a str, Option<TermClass>, _> = HashMap::with_capacity_and_hasher(
            lexicon.size_hint().0 + FUNCTION_WORDS.len() + DEBRIS.len(),
            Default::default(),
        );
        for &w in FUNCTION_WORDS {
            words.insert(
                w,
                Some(TermClass {
                    entry: None,
                    function: true,
                }),
            );
        }
        for (i, w) in lexicon.enumerate() {
            let class = words.entry(w).or_insert(Some(TermClass::default()));
            if let Some(class) = class {
                class.entry = Some(i as u32);
            }
        }
        for &w in DEBRIS {
            words.insert(w, None);
        }
        TermTable { words }
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
        let class = self.words.get(buf.as_str()).copied().flatten();
        Some((buf.as_str(), class.unwrap_or_default()))
    }

    /// The class of a [plain](is_plain) token, its own term, or `None` if
    /// it is debris: what `normalise` would do with its bytes is copy them
    /// and find no apostrophe to drop.
    pub fn plain(&self, token: &str) -> Option<TermClass> {
        debug_assert!(is_plain(token));
        match self.words.get(token) {
            Some(&class) => class,
            None => Some(TermClass::default()),
        }
    }
}

/// Whether `token` is lowercase ASCII letters only, no longer than a term
/// can be: its own term unless it is debris (as most words of a
/// document's vocabulary are).
pub fn is_plain(token: &str) -> bool {
    let b = token.as_bytes();
    !b.is_empty() && b.len() <= MAX_CHARS && b.iter().all(u8::is_ascii_lowercase)
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
