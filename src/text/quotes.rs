//! Finds quoted stretches of prose, so that a rule can tell a pattern used
//! from a pattern mentioned or reported ("the phrase 'not just X' ...").

use super::Span;

/// Longest stretch treated as a quotation; an unclosed mark further away is
/// more likely stray than a quotation.
const MAX_QUOTE: usize = 600;

/// Appends the quoted spans of `text` (one block), offset by `base`.
///
/// Double quotes (straight and curly) pair up within the block; curly single
/// quotes open before a word and close after one; straight single quotes only
/// when they open after a space and close before a non-letter, so that
/// apostrophes ("it's", "the Smiths' car") never open a quotation. Unclosed
/// marks quote nothing.
pub fn quoted_spans(text: &str, base: usize, out: &mut Vec<Span>) {
    // quotation marks are '"', '\'' and three-byte curly quotes starting 0xE2
    quotes_at(
        text,
        base,
        memchr::memchr3_iter(b'"', b'\'', 0xE2, text.as_bytes()),
        out,
    );
}

/// [`quoted_spans`] from the offsets of the candidate marks of `text` (every
/// `"`, `'` and byte 0xE2, in order, as [`super::latin::words_keyed`]
/// reports them): an apostrophe between two letters or digits may be left
/// out, since it neither opens nor closes a quotation.
pub fn quoted_spans_at(text: &str, base: usize, marks: &[usize], out: &mut Vec<Span>) {
    quotes_at(text, base, marks.iter().copied(), out);
}

#[inline(always)]
fn quotes_at(text: &str, base: usize, marks: impl Iterator<Item = usize>, out: &mut Vec<Span>) {
    let mut double: Option<usize> = None;
    let mut curly_double: Option<usize> = None;
    let mut single: Option<usize> = None;
    for i in marks {
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let from = i + c.len_utf8();
        let prev = text[..i].chars().next_back();
        let next = text[from..].chars().next();
        let after_space =
            prev.is_none_or(|p| p.is_whitespace() || "([{\u{2014}\u{2013}-/".contains(p));
        let next_letter = next.is_some_and(char::is_alphanumeric);
        match c {
            '"' => match double.take() {
                Some(s) if i - s <= MAX_QUOTE => out.push(Span::new(base + s, base + i + 1)),
                _ => double = Some(i),
            },
            '\u{201C}' => curly_double = Some(i),
            '\u{201D}' => {
                if let Some(s) = curly_double.take()
                    && i - s <= MAX_QUOTE
                {
                    out.push(Span::new(base + s, base + i + c.len_utf8()));
                }
            }
            '\u{2018}' if after_space => single = Some(i),
            '\'' if after_space && next_letter && single.is_none() => single = Some(i),
            '\u{2019}' | '\'' if !next_letter && prev.is_some_and(|p| !p.is_whitespace()) => {
                if let Some(s) = single.take()
                    && i - s <= MAX_QUOTE
                {
                    out.push(Span::new(base + s, base + i + c.len_utf8()));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        quoted_spans(text, 0, &mut v);
        v.sort();
        v.iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn finds_double_and_single_quotes() {
        assert_eq!(
            quoted(r#"He said "not just X" twice."#),
            [r#""not just X""#]
        );
        assert_eq!(
            quoted("the phrase \u{201C}it's not\u{201D} here"),
            ["\u{201C}it's not\u{201D}"]
        );
        assert_eq!(
            quoted("the phrase 'not just this' here"),
            ["'not just this'"]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(quoted("It's the Smiths' car and they're late.").is_empty());
        assert!(quoted("An unclosed \"quote runs on").is_empty());
    }
}
