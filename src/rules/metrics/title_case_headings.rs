//! Title-case headings with capitalised function words.
//!
//! ## What it flags
//! Headings of four or more words in which every word is capitalised,
//! including short function words that title-case styles leave lower-case
//! ("Key Benefits Of Remote Work", "What This Means For Your Business").
//! ## Why it is a tell
//! Chat models capitalise section headings book-style, function words and
//! all (Wikipedia's guide; lcamtuf 2025). News headlines in title case keep
//! "to", "of", "for" lower-case ("Storm Cuts Power to 40,000 Homes") and
//! capitalise longer prepositions ("Hours Change From May"); neither is
//! flagged, and plain title case alone is too common to count.
//! ## Settings
//! `min-words` (shorter headings are skipped).

use serde::Deserialize;

use super::{Context, Metric, hit, settings};
use crate::rules::Hit;
use crate::text::{BlockKind, Document, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    #[serde(default = "default_min_words")]
    min_words: usize,
}

fn default_min_words() -> usize {
    4
}

/// Function words that every title-case style keeps lower-case mid-heading.
/// Longer prepositions ("with", "from", "into") are left out: news style
/// (AP) capitalises every word of four letters or more, so "Hours Change
/// From Next Month" is a correct headline.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "for", "to", "in", "on", "at", "by", "as",
    "via", "vs",
];

struct TitleCaseHeadings(Settings);

pub(super) fn build(table: toml::Table) -> Result<Box<dyn Metric>, String> {
    Ok(Box::new(TitleCaseHeadings(settings(table)?)))
}

/// Whether `heading` is in title case with at least one capitalised
/// function word after its first word (and not right after a colon or dash).
pub fn capitalises_function_words(heading: &str, min_words: usize) -> bool {
    if heading.split_whitespace().count() < min_words.max(2) {
        return false;
    }
    let mut capitalised_function_word = false;
    let mut after_break = true;
    for w in heading.split_whitespace() {
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let starts_break = after_break;
        after_break = w.ends_with([':', '—', '–']) || w == "-";
        let Some(first) = core.chars().next() else {
            continue;
        };
        if !first.is_alphabetic() {
            continue;
        }
        if first.is_lowercase() {
            // a lower-case word (function or not) means the heading is not
            // in all-words title case
            return false;
        }
        if !starts_break && is_function_word(core) {
            capitalised_function_word = true;
        }
    }
    capitalised_function_word
}

/// Whether `word`, lowercased, is one of the [`FUNCTION_WORDS`]; ASCII
/// words are compared without lowercasing a copy.
fn is_function_word(word: &str) -> bool {
    if word.is_ascii() {
        FUNCTION_WORDS.iter().any(|f| word.eq_ignore_ascii_case(f))
    } else {
        FUNCTION_WORDS.contains(&word.to_lowercase().as_str())
    }
}

/// The headings (outside quotes) that capitalise their function words.
pub fn flagged_headings(doc: &Document, min_words: usize) -> Vec<Span> {
    doc.blocks()
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading(_)) && !b.quoted)
        .filter(|b| capitalises_function_words(doc.text(b.span), min_words))
        .map(|b| b.span)
        .collect()
}

impl Metric for TitleCaseHeadings {
    fn measure(&self, doc: &Document) -> Option<f64> {
        Some(flagged_headings(doc, self.0.min_words).len() as f64)
    }

    fn check(&self, cx: &Context<'_>, rule: usize, out: &mut Vec<Hit>) {
        let doc = cx.doc();
        for span in flagged_headings(doc, self.0.min_words) {
            out.push(hit(
                rule,
                span,
                "heading capitalises every word, short function words included".to_string(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::capitalises_function_words as flags;
    use super::{BlockKind, FUNCTION_WORDS};

    /// The test as first written: the words collected, each lowercased.
    fn reference(heading: &str, min_words: usize) -> bool {
        let words: Vec<&str> = heading.split_whitespace().collect();
        if words.len() < min_words.max(2) {
            return false;
        }
        let mut capitalised_function_word = false;
        let mut after_break = true;
        for w in &words {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            let starts_break = after_break;
            after_break = w.ends_with([':', '—', '–']) || *w == "-";
            let Some(first) = core.chars().next() else {
                continue;
            };
            if !first.is_alphabetic() {
                continue;
            }
            let lower = core.to_lowercase();
            let is_function = FUNCTION_WORDS.contains(&lower.as_str());
            if first.is_lowercase() {
                return false;
            }
            if is_function && !starts_break {
                capitalised_function_word = true;
            }
        }
        capitalised_function_word
    }

    #[test]
    fn headings_are_judged_as_they_were() {
        let mut headings: Vec<String> = [
            "Key Benefits Of Remote Work",
            "\u{c9}tude Of The \u{c9}t\u{e9}",
            "Rock \u{212A}ey To The Door",
            "Why: The Case For It",
            "A - The Thing",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        for doc in crate::rules::metrics::sample_documents() {
            for b in doc.blocks() {
                if matches!(b.kind, BlockKind::Heading(_)) {
                    headings.push(doc.text(b.span).to_string());
                }
            }
        }
        let mut flagged = 0;
        for h in &headings {
            for min_words in [2, 4] {
                let expected = reference(h, min_words);
                flagged += usize::from(expected);
                assert_eq!(flags(h, min_words), expected, "{h}");
            }
        }
        assert!(flagged > 2 && headings.len() > 50);
    }

    #[test]
    fn function_words_decide() {
        assert!(flags("Key Benefits Of Remote Work", 4));
        assert!(flags("What This Means For Your Business", 4));
        assert!(!flags("Storm Cuts Power to 40,000 Homes", 4));
        assert!(!flags("Results and discussion", 2));
        assert!(!flags("The Big Picture", 4));
        assert!(!flags("Outlook: The Year Ahead Looks Busy", 4));
    }
}
