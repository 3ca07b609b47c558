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

/// Whether a normalised term is one of the commonest English function words.
pub fn is_function_word(term: &str) -> bool {
    FUNCTION_WORDS.binary_search(&term).is_ok()
}

/// Longest token taken as a word; longer ones are glued words or debris.
const MAX_CHARS: usize = 24;

/// Normalises `token` into `out` and says whether it is a lexicon term.
///
/// `out` is cleared first; it is reused so that scoring allocates nothing
/// per word.
pub fn normalise(token: &str, out: &mut String) -> bool {
    out.clear();
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
