//! Rule of three.
//!
//! ## What it flags
//! Documents dense in triads: coordinations of exactly three short items
//! ("practical, affordable, and flexible"; "plan, track and celebrate").
//! ## Why it is a tell
//! Generated text lists three things to sound complete; expert annotators
//! note that AI text keeps listing exactly three items. One triad is style,
//! but lists of three are everywhere in human text (over half of human dev
//! documents have one), so only a high density counts: 2025-model essays
//! have a median of 7 per 1,000 words against a human median of 0.
//! ## Settings
//! `per-thousand` (rate that fires), `min-words`, `min-triads`.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Context, Density, Metric, QuotedCursor, per_thousand_words, running_blocks, settings};
use crate::rules::Hit;
use crate::text::{Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_rate")]
    per_thousand: f64,
    #[serde(default = "default_min_words")]
    min_words: usize,
    #[serde(default = "default_min_triads")]
    min_triads: usize,
}

fn default_rate() -> f64 {
    6.0
}
fn default_min_words() -> usize {
    150
}
fn default_min_triads() -> usize {
    3
}

/// Three items of one to three lower-case words, the last after "and"/"or":
/// proper nouns and numbers (flags, place lists, figures) are left out.
static TRIAD: LazyLock<Regex> = LazyLock::new(|| triad_regex(r"\b"));

/// [`TRIAD`] with ASCII word boundaries, which its lazy DFA can follow on
/// any text; a Unicode boundary sends the search to a slower engine on
/// every sentence with a non-ASCII character (a curly quote, a dash):
/// about 4 % of a run on real Markdown. See [`sentence_triads`].
static TRIAD_ASCII: LazyLock<Regex> = LazyLock::new(|| triad_regex(r"(?-u:\b)"));

fn triad_regex(boundary: &str) -> Regex {
    let item = "[a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2}";
    Regex::new(&format!(
        "{boundary}{item}, {item},? (?:and|or) {item}{boundary}"
    ))
    .expect("triad pattern compiles")
}

/// [`TRIAD`]'s matches in `text`, into `out`. The two boundaries differ
/// only next to a non-ASCII character, where the ASCII one holds and the
/// Unicode one may not (after "é"); and the ASCII one holds wherever the
/// Unicode one does. So when no match of [`TRIAD_ASCII`] starts or ends
/// next to a non-ASCII character, each is the match [`TRIAD`] finds there
/// and they are the same list; otherwise [`TRIAD`] searches the text.
fn sentence_triads(text: &str, out: &mut Vec<std::ops::Range<usize>>) {
    out.clear();
    let bytes = text.as_bytes();
    for m in TRIAD_ASCII.find_iter(text) {
        let before = m.start().checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(m.end()).copied();
        if before.is_some_and(|b| !b.is_ascii()) || after.is_some_and(|b| !b.is_ascii()) {
            out.clear();
            out.extend(TRIAD.find_iter(text).map(|m| m.range()));
            return;
        }
        out.push(m.range());
    }
}

struct RuleOfThree(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(RuleOfThree(settings(table)?)))
}

/// Where a needle occurs in the prose, asked in increasing order of
/// position: the next occurrence at or after a position, found by one
/// forward search per occurrence over the whole prose.
struct Occurrences<'a> {
    find: fn(&[u8]) -> Option<usize>,
    haystack: &'a [u8],
    /// The first occurrence at or after `from`.
    next: Option<usize>,
    from: usize,
}

impl<'a> Occurrences<'a> {
    fn new(find: fn(&[u8]) -> Option<usize>, haystack: &'a [u8]) -> Self {
        Occurrences {
            find,
            haystack,
            next: find(haystack),
            from: 0,
        }
    }

    /// The first occurrence that starts at or after `at`; `at` must not be
    /// below an earlier call's.
    fn at_or_after(&mut self, at: usize) -> Option<usize> {
        if at > self.from {
            self.from = at;
            if self.next.is_some_and(|n| n < at) {
                self.next = self.haystack.get(at..).and_then(self.find).map(|i| at + i);
            }
        }
        self.next
    }
}

/// The first ", ": commas are rarer than spaces, so a search for the comma
/// alone skips the most text.
fn comma_space(text: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b',', text).find(|&i| text.get(i + 1) == Some(&b' '))
}

fn triads(doc: &Document) -> Vec<Span> {
    let mut out = Vec::new();
    // every triad has ", " and then " and " or " or " in its sentence, and
    // the "and" or "or" there is a word of the sentence: most sentences
    // lack one, and a document without either word has no triad. The
    // words' ids settle that, far cheaper than the pattern (or a search of
    // the text for the conjunctions).
    let vocabulary = doc.vocabulary();
    let (and, or) = match (vocabulary.id("and"), vocabulary.id("or")) {
        (None, None) => return out,
        (and, or) => (and.unwrap_or(u32::MAX), or.unwrap_or(u32::MAX)),
    };
    let (ids, words) = (doc.word_ids(), doc.words());
    let mut quoted = QuotedCursor::new(doc);
    let prose = doc.prose().as_bytes();
    // one forward search for ", " over the whole prose serves every sentence
    let mut commas = Occurrences::new(comma_space, prose);
    let mut found = Vec::new();
    for (_, b) in running_blocks(doc, true) {
        for s in &doc.sentences()[b.sentences.clone()] {
            let (start, end) = (s.span.start as usize, s.span.end as usize);
            let Some(comma) = commas.at_or_after(start).filter(|&c| c + 2 <= end) else {
                continue;
            };
            // a conjunction word after the comma (" and " there is one; a
            // sentence let through with "AND" or a final "and" only has no
            // triad for the pattern to find)
            let (Some(ids), Some(words)) = (ids.get(s.words.clone()), words.get(s.words.clone()))
            else {
                continue;
            };
            let conjunction = ids
                .iter()
                .zip(words)
                .any(|(&id, w)| (id == and || id == or) && w.start as usize > comma);
            if !conjunction {
                continue;
            }
            let text = doc.text(s.span);
            sentence_triads(text, &mut found);
            // more commas than a triad needs: a longer list, not a triad
            for m in &found {
                let after = &text[m.end..];
                if after.starts_with(',') && !after.starts_with(", and") {
                    continue;
                }
                let span = Span::new(start + m.start, start + m.end);
                if !quoted.is_quoted(span) {
                    out.push(span);
                }
            }
        }
    }
    out
}

/// Triads per 1,000 words; `None` without words.
pub fn per_thousand(doc: &Document) -> Option<f64> {
    per_thousand_words(doc, triads(doc).len())
}

impl Metric for RuleOfThree {
    fn measure(&self, doc: &Document) -> Option<f64> {
        per_thousand(doc)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        Density {
            min_words: self.0.min_words,
            min_count: self.0.min_triads,
            per_thousand: self.0.per_thousand,
        }
        .check(doc, rule, "lists of exactly three", triads, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The triads as first written: two substring searches per sentence.
    fn reference(doc: &Document) -> Vec<Span> {
        let mut out = Vec::new();
        for (_, b) in running_blocks(doc, true) {
            for s in &doc.sentences()[b.sentences.clone()] {
                let text = doc.text(s.span);
                let Some(comma) = text.find(", ") else {
                    continue;
                };
                if !text[comma..].contains(" and ") && !text[comma..].contains(" or ") {
                    continue;
                }
                for m in TRIAD.find_iter(text) {
                    let after = &text[m.end()..];
                    if after.starts_with(',') && !after.starts_with(", and") {
                        continue;
                    }
                    let span = Span::new(
                        s.span.start as usize + m.start(),
                        s.span.start as usize + m.end(),
                    );
                    if !doc.is_quoted(span) {
                        out.push(span);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn prefilter_keeps_every_triad() {
        let mut found = 0;
        let edge_cases = [
            "Red, white AND blue. Salt, pepper and. Cats, dogs or fish, birds and bees.",
            "No conjunction here, none at all. Or, and: plain, fast and cheap.",
            "Tea, coffee, and cake, or none. Tea, cake, Or pie. Tea and, cake, and pie.",
        ]
        .map(Document::plain);
        for doc in super::super::sample_documents()
            .into_iter()
            .chain(edge_cases)
        {
            let expected = reference(&doc);
            found += expected.len();
            assert_eq!(triads(&doc), expected, "{}", doc.prose());
        }
        assert!(found > 3, "the samples hold triads");
    }

    #[test]
    fn ascii_boundaries_find_the_unicode_pattern_s_triads() {
        let texts = [
            "red, green, and blue",
            "naïve, simple, and clear",
            "a naïve, simple and clear plan",
            "café, tea, or milk",
            "tea, milk, or café",
            "tea, milk, or cafés and more",
            "“red, green, and blue”",
            "x—red, green and blue—y",
            "crêpe red, green, or blue, then ß, tea and milk",
            "über, alles, and nothing ünd",
        ];
        let mut found = Vec::new();
        let mut fell_back = 0;
        for text in texts {
            sentence_triads(text, &mut found);
            let expected: Vec<_> = TRIAD.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(found, expected, "{text}");
            let ascii: Vec<_> = TRIAD_ASCII.find_iter(text).map(|m| m.range()).collect();
            fell_back += usize::from(ascii != expected);
        }
        // the texts include matches only the ASCII boundaries allow
        assert!(fell_back >= 3, "{fell_back}");
    }

    proptest::proptest! {
        #[test]
        fn ascii_boundaries_agree_on_random_text(
            pieces in proptest::collection::vec((0..7usize, 0..6usize), 0..14)
        ) {
            const WORDS: [&str; 7] = ["tea", "b", "é", "naïve", "cafés", "ß", "x-y"];
            const GAPS: [&str; 6] = [", ", " ", " and ", " or ", "’", "—"];
            let text: String = pieces.iter().map(|&(w, g)| [WORDS[w], GAPS[g]].concat()).collect();
            let mut found = Vec::new();
            sentence_triads(&text, &mut found);
            let expected: Vec<_> = TRIAD.find_iter(&text).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(found, expected, "{}", text);
        }
    }
}
