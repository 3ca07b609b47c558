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
/// surrounding whitespace. `latin` says the text is covered by the fast path;
/// `line_breaks` is false when the text is known to hold no `\n` or `\r`.
/// `breaks` is scratch space, reused across calls.
pub fn sentences(
    text: &str,
    base: usize,
    latin: bool,
    line_breaks: bool,
    breaks: &mut Vec<usize>,
    out: &mut Vec<Span>,
) {
    breaks.clear();
    if latin {
        super::latin::sentence_breaks(text, line_breaks, breaks);
    } else {
        breaks.extend(text.split_sentence_bound_indices().map(|(i, _)| i));
        breaks.push(text.len());
    }
    sentences_between(text, base, breaks, out);
}

/// Sentence spans of `text` (one block) between its sentence `breaks`
/// (from the start to the end of the text, as UAX #29 gives them), offset
/// by `base`, trimmed of surrounding whitespace, with breaks after
/// abbreviations undone.
pub fn sentences_between(text: &str, base: usize, breaks: &[usize], out: &mut Vec<Span>) {
    let first = out.len();
    for w in breaks.windows(2) {
        let (i, s) = (w[0], &text[w[0]..w[1]]);
        let t = trimmed(s);
        if t.is_empty() {
            continue;
        }
        let start = base + i + t.start;
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

/// The byte range of `s` without its leading and trailing whitespace, as
/// `str::trim` gives it; ASCII ends need no character decoding, and a
/// character past ASCII at an end is decoded only there.
pub(super) fn trimmed(s: &str) -> std::ops::Range<usize> {
    let is_space = |c: u8| c.is_ascii_whitespace() || c == 0x0B;
    let bytes = s.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if is_space(bytes[start]) {
            start += 1;
        } else if bytes[start] >= 0x80
            && let Some(c) = s[start..].chars().next()
            && c.is_whitespace()
        {
            start += c.len_utf8();
        } else {
            break;
        }
    }
    let mut end = bytes.len();
    while end > start {
        if is_space(bytes[end - 1]) {
            end -= 1;
        } else if bytes[end - 1] >= 0x80
            && let Some(c) = s[..end].chars().next_back()
            && c.is_whitespace()
        {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    start..end
}

/// The abbreviations as lowercase ASCII packed into a `u64` each
/// (little-endian, zeros after the word), so that a word is looked up as
/// one number instead of by string comparisons.
const ABBREVIATION_KEYS: [u64; ABBREVIATIONS.len()] = {
    let mut keys = [0u64; ABBREVIATIONS.len()];
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        let a = ABBREVIATIONS[i].as_bytes();
        assert!(a.len() <= LONGEST_ABBREVIATION);
        let mut j = 0;
        while j < a.len() {
            keys[i] |= (a[j] as u64) << (8 * j);
            j += 1;
        }
        i += 1;
    }
    keys
};

/// Slots of [`ABBREVIATION_TABLE`] (a power of two, four times the keys,
/// so that a multiplier that places every key in a slot of its own is
/// found in a few tries).
const ABBREVIATION_SLOTS: usize = 128;

/// A perfect hash of [`ABBREVIATION_KEYS`], found when compiling: the
/// multiplier, and each key in slot `key * multiplier >> 57` (0 in the
/// others; no key is 0). One multiplication and one comparison tell
/// whether a word is an abbreviation, where a binary search took five
/// unpredictable branches.
const ABBREVIATION_TABLE: (u64, [u64; ABBREVIATION_SLOTS]) = {
    let shift = 64 - ABBREVIATION_SLOTS.trailing_zeros();
    let mut multiplier: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut tries = 0;
    loop {
        assert!(tries < 10_000, "no perfect hash for the abbreviations");
        let mut table = [0u64; ABBREVIATION_SLOTS];
        let mut placed = true;
        let mut i = 0;
        while i < ABBREVIATION_KEYS.len() {
            let key = ABBREVIATION_KEYS[i];
            let slot = (key.wrapping_mul(multiplier) >> shift) as usize;
            if table[slot] != 0 {
                placed = false;
                break;
            }
            table[slot] = key;
            i += 1;
        }
        if placed {
            break (multiplier, table);
        }
        // the next odd multiplier of a fixed sequence
        multiplier = multiplier
            .wrapping_mul(0x2545_F491_4F6C_DD1D)
            .wrapping_add(2)
            | 1;
        tries += 1;
    }
};

/// Whether `key` (a word packed as in [`ABBREVIATION_KEYS`]) is an
/// abbreviation.
#[inline]
fn is_abbreviation_key(key: u64) -> bool {
    let (multiplier, table) = &ABBREVIATION_TABLE;
    let shift = 64 - ABBREVIATION_SLOTS.trailing_zeros();
    key != 0 && table[(key.wrapping_mul(*multiplier) >> shift) as usize] == key
}

/// Bytes in the longest abbreviation.
const LONGEST_ABBREVIATION: usize = 6;

/// Whether `sentence` ends with a full stop after an abbreviation (or an
/// initial), so that the sentence goes on after it.
pub(super) fn ends_with_abbreviation(sentence: &str) -> bool {
    let Some(body) = sentence.strip_suffix('.') else {
        return false;
    };
    // the last word decides, and every abbreviation (and initial) is ASCII
    // letters and full stops ending with a letter: in ASCII text the word
    // is read backwards over those bytes alone, at most one more than the
    // longest abbreviation
    let bytes = body.as_bytes();
    let Some(&last) = bytes.last() else {
        return false;
    };
    if !last.is_ascii_alphabetic() {
        // not a letter: no abbreviation ends with it, nor does one end
        // with a character past ASCII (the slow way gives the same)
        return false;
    }
    if let Some(start) = bytes.len().checked_sub(8) {
        // most sentences: their last eight bytes in one number give the
        // word, the byte before it and its key together
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&bytes[start..]);
        let x = u64::from_le_bytes(eight);
        let run = letters_and_stops_in(x);
        if run > LONGEST_ABBREVIATION {
            return false;
        }
        // as below; `run` is at most six, so the byte is in `x`
        let before = (x >> (8 * (7 - run))) as u8;
        if before >= 0x80 {
            return ends_with_abbreviation_slow(body);
        }
        if !(before.is_ascii_whitespace() || matches!(before, 0x0B | b'(' | b'"')) {
            return false;
        }
        if run == 1 {
            return last.is_ascii_uppercase();
        }
        // the word's lanes, moved down; letters and stops are ASCII
        return is_abbreviation_key(super::swar::ascii_lowercase(x >> (8 * (8 - run))));
    }
    let run = letters_and_stops_at_end(bytes);
    if run > LONGEST_ABBREVIATION {
        return false;
    }
    // the byte before the word must end the word before it: a space, '('
    // or '"' (anything else makes the word longer than the letters and
    // stops read); a character past ASCII is judged the slow way
    if let Some(&before) = bytes.len().checked_sub(run + 1).map(|k| &bytes[k]) {
        if before >= 0x80 {
            return ends_with_abbreviation_slow(body);
        }
        if !(before.is_ascii_whitespace() || matches!(before, 0x0B | b'(' | b'"')) {
            return false;
        }
    }
    let word = &bytes[bytes.len() - run..];
    if run == 1 {
        // an initial: "J. R. R. Tolkien"
        return word[0].is_ascii_uppercase();
    }
    let mut key = 0u64;
    for (j, &c) in word.iter().enumerate() {
        key |= (c.to_ascii_lowercase() as u64) << (8 * j);
    }
    is_abbreviation_key(key)
}

/// How many of the last bytes of `bytes` are ASCII letters or full stops,
/// counted up to eight (more than any abbreviation has): eight bytes at a
/// time when there are eight, since most sentences end with a word longer
/// than any abbreviation.
#[inline]
fn letters_and_stops_at_end(bytes: &[u8]) -> usize {
    let Some(start) = bytes.len().checked_sub(8) else {
        return bytes
            .iter()
            .rev()
            .take_while(|&&c| c.is_ascii_alphabetic() || c == b'.')
            .count();
    };
    let mut eight = [0u8; 8];
    eight.copy_from_slice(&bytes[start..]);
    letters_and_stops_in(u64::from_le_bytes(eight))
}

/// [`letters_and_stops_at_end`] of the eight bytes packed in `x`.
#[inline]
fn letters_and_stops_in(x: u64) -> usize {
    use super::swar::{HIGH, letter_lanes};
    // lanes holding '.': those where `x ^ '.'` is zero
    let t = x ^ (super::swar::ONES * u64::from(b'.'));
    let stops = !(((t & !HIGH) + !HIGH) | t) & HIGH;
    let other = !(letter_lanes(x) | stops) & HIGH;
    // the last byte is the highest lane
    (other.leading_zeros() / 8) as usize
}

/// [`ends_with_abbreviation`] for `body` (the sentence without its full
/// stop) when its end is not ASCII.
fn ends_with_abbreviation_slow(body: &str) -> bool {
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
            true,
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
    fn trims_like_str_trim() {
        for s in [
            "",
            " ",
            "  a  ",
            "a",
            "\t\u{b}x\r\n",
            "\u{a0}x\u{a0}",
            " \u{2003}é ",
            "é",
            " x\u{85}",
            "\u{3000}",
            " a b ",
            "\u{2003} \u{a0}x \u{2003}",
            "\u{201c}Stop!\u{201d}",
            "x\u{201d} \u{a0}",
            "\u{a0}\u{2003}",
            "\u{a0} \u{2003}\t",
        ] {
            let r = trimmed(s);
            assert_eq!(&s[r.clone()], s.trim(), "{s:?}");
            if !r.is_empty() {
                assert_eq!(r.start, s.len() - s.trim_start().len(), "{s:?}");
            }
        }
    }

    /// The run of letters and full stops at the end of a text, counted
    /// eight bytes at a time, is the run counted byte by byte.
    #[test]
    fn letters_and_stops_counted_at_the_end() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        for texts in [
            "a.Z.b",
            "x y",
            "\u{e9}ab",
            "(dr",
            "\"st",
            "9ab.",
            "ABCDEFGHIJ",
            "@[`{",
        ] {
            for lead in ["", " ", "abcdefgh", "\u{e9}\u{e9}\u{e9}\u{e9}"] {
                let text = format!("{lead}{texts}");
                let expected = text
                    .bytes()
                    .rev()
                    .take_while(|c| c.is_ascii_alphabetic() || *c == b'.')
                    .count()
                    .min(8);
                assert_eq!(
                    letters_and_stops_at_end(text.as_bytes()),
                    expected,
                    "{text:?}"
                );
            }
        }
        for b in bytes {
            for at in 0..9 {
                let mut text = *b"abc.defgh";
                text[at] = b;
                let expected = text
                    .iter()
                    .rev()
                    .take_while(|c| c.is_ascii_alphabetic() || **c == b'.')
                    .count()
                    .min(8);
                assert_eq!(letters_and_stops_at_end(&text), expected, "{text:?}");
            }
        }
    }

    #[test]
    fn abbreviation_keys_are_complete_and_alone() {
        for a in ABBREVIATIONS {
            assert!(ends_with_abbreviation(&format!("See {a}.")), "{a}");
        }
        // every key in the table once, and nothing else
        let (_, table) = &ABBREVIATION_TABLE;
        let mut stored: Vec<u64> = table.iter().copied().filter(|&k| k != 0).collect();
        let mut keys = ABBREVIATION_KEYS.to_vec();
        stored.sort_unstable();
        keys.sort_unstable();
        assert_eq!(stored, keys);
        // near misses: other words of the same letters are not taken
        for word in [
            "m", "mrs.", "drs", "e.", "e.gg", "cor", "corps", "approxx", "a", "x",
        ] {
            let mut key = 0u64;
            for (j, &c) in word.as_bytes().iter().enumerate() {
                key |= u64::from(c) << (8 * j);
            }
            assert!(!is_abbreviation_key(key), "{word}");
        }
        assert!(!is_abbreviation_key(0));
    }

    /// The byte scan agrees with the character scan on every ending.
    #[test]
    fn abbreviations_in_ascii_and_other_text() {
        let mut endings: Vec<String> = ABBREVIATIONS.iter().map(|a| a.to_string()).collect();
        endings.extend(ABBREVIATIONS.iter().map(|a| a.to_uppercase()));
        for other in [
            "J",
            "j",
            "",
            "x",
            "approxx",
            "ltd2",
            "E.G",
            "u.s",
            "The",
            "Ltd",
            "a b",
            "\u{e9}",
            "D\u{e9}",
            "caf\u{e9}",
            "\u{a0}mr",
            "(dr",
            "\"st",
            "a(dr",
            "1234567",
            "abcdefgh",
        ] {
            endings.push(other.to_string());
        }
        for ending in &endings {
            for before in [
                "",
                " ",
                "See ",
                "Voil\u{e0} ",
                "a\u{2014}",
                "x\t",
                "long sentence words ",
            ] {
                let sentence = format!("{before}{ending}.");
                let body = &sentence[..sentence.len() - 1];
                assert_eq!(
                    ends_with_abbreviation(&sentence),
                    ends_with_abbreviation_slow(body),
                    "{sentence:?}"
                );
            }
        }
        assert!(ends_with_abbreviation("Ask Dr."));
        assert!(ends_with_abbreviation("In the U.S."));
        assert!(ends_with_abbreviation("J."));
        assert!(!ends_with_abbreviation("It rained."));
        assert!(!ends_with_abbreviation("Dr"));
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
