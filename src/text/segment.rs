//! Sentence and word segmentation of block text (Unicode UAX #29), with a
//! repair pass for abbreviations that the standard splits on.

use unicode_segmentation::UnicodeSegmentation;

use super::Span;

/// Abbreviations after which a full stop does not end a sentence.
/// Ambiguous ones that often end sentences (etc., a.m., p.m.) are left out.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "e.g", "i.e", "inc", "ltd", "co",
    "corp", "gen", "gov", "sen", "rep", "lt", "col", "capt", "mt", "fig", "approx", "no", "u.s",
    "u.k", "cf", "al",
];

/// Sentence spans of `text` (one block), offset by `base`, trimmed of
/// surrounding whitespace. `latin` says the text is covered by the fast path.
/// `breaks` is scratch space, reused across calls.
pub fn sentences(
    text: &str,
    base: usize,
    latin: bool,
    breaks: &mut Vec<usize>,
    out: &mut Vec<Span>,
) {
    let first = out.len();
    breaks.clear();
    if latin {
        super::latin::sentence_breaks(text, breaks);
    } else {
        breaks.extend(text.split_sentence_bound_indices().map(|(i, _)| i));
        breaks.push(text.len());
    }
    for w in breaks.windows(2) {
        let (i, s) = (w[0], &text[w[0]..w[1]]);
        let trimmed_start = s.len() - s.trim_start().len();
        let t = s.trim();
        if t.is_empty() {
            continue;
        }
        let start = base + i + trimmed_start;
        let span = Span::new(start, start + t.len());
        if out.len() > first
            && let Some(prev) = out.last_mut()
            && ends_with_abbreviation(&text[prev.start as usize - base..prev.end as usize - base])
        {
            prev.end = span.end;
            continue;
        }
        out.push(span);
    }
}

fn ends_with_abbreviation(sentence: &str) -> bool {
    let Some(body) = sentence.strip_suffix('.') else {
        return false;
    };
    let last = body
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    if last.len() == 1 && last.chars().all(|c| c.is_ascii_uppercase()) {
        return true; // an initial: "J. R. R. Tolkien"
    }
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(last))
}

/// Word spans of `text` (one sentence), offset by `base`: segments that
/// contain a letter or digit.
pub fn words(text: &str, base: usize, latin: bool, out: &mut Vec<Span>) {
    if latin {
        super::latin::words(text, |s, e| out.push(Span::new(base + s, base + e)));
        return;
    }
    for (i, w) in text.split_word_bound_indices() {
        let wordlike = if w.len() == 1 {
            w.as_bytes()[0].is_ascii_alphanumeric()
        } else {
            w.chars().any(char::is_alphanumeric)
        };
        if wordlike {
            out.push(Span::new(base + i, base + i + w.len()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        sentences(
            text,
            0,
            super::super::latin::covered(text),
            &mut Vec::new(),
            &mut v,
        );
        v.iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn splits_sentences_and_keeps_abbreviations() {
        assert_eq!(
            split("Dr. Smith arrived. He sat down! Did he? Yes."),
            ["Dr. Smith arrived.", "He sat down!", "Did he?", "Yes."]
        );
        assert_eq!(
            split("J. K. Rowling wrote it."),
            ["J. K. Rowling wrote it."]
        );
    }

    #[test]
    fn words_skip_punctuation() {
        let text = "It's not just a tool — it's 2024.";
        let mut v = Vec::new();
        words(text, 0, super::super::latin::covered(text), &mut v);
        let w: Vec<&str> = v.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(w, ["It's", "not", "just", "a", "tool", "it's", "2024"]);
    }
}
