//! The words the lexicon reads: which word tokens count as lexicon terms and
//! how they are normalised (lowercased, curly apostrophes straightened,
//! possessive `'s` dropped).
//!
//! Numbers, tokens with digits and leftovers of markup that slipped into
//! stored text (`br`, `nbsp`, `amp`, ...) are never terms: they say where a
//! text was stored, not who wrote it.

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
