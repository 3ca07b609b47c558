//! Fast paths for English prose that give exactly the UAX #29 sentence and
//! word boundaries of `unicode-segmentation`, without its per-character
//! table search. They cover ASCII plus the Latin letters and typographic
//! punctuation (curly quotes, dashes, ellipsis) that English text carries;
//! any other character sends the text to `unicode-segmentation`.
//! Segmentation was the largest cost of a check; the tests compare both on
//! real and random text.

use super::swar;

/// Whether every character of `text` has a class known to this module.
pub fn covered(text: &str) -> bool {
    // ASCII is covered: only the other characters need a look
    let bytes = text.as_bytes();
    let mut i = swar::next_non_ascii(bytes, 0);
    while let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) {
        if extra_class(c).is_none() {
            return false;
        }
        i = swar::next_non_ascii(bytes, i + c.len_utf8());
    }
    true
}

/// Whether `c` has a class known to this module ([`covered`] text holds
/// only such characters).
pub fn known(c: char) -> bool {
    c.is_ascii() || extra_class(c).is_some()
}

/// Sentence and word classes of the non-ASCII characters this module knows.
fn extra_class(c: char) -> Option<(Cat, WordCat)> {
    Some(match c {
        '\u{C0}'..='\u{17F}' if c != '\u{D7}' && c != '\u{F7}' => {
            let sentence = if c.is_uppercase() {
                Cat::Upper
            } else if c.is_lowercase() {
                Cat::Lower
            } else {
                return None;
            };
            (sentence, WordCat::Letter)
        }
        '\u{2013}' | '\u{2014}' => (Cat::SContinue, WordCat::Other),
        '\u{2018}' | '\u{2019}' => (Cat::Close, WordCat::MidNumLet),
        '\u{201C}' | '\u{201D}' | '\u{AB}' | '\u{BB}' => (Cat::Close, WordCat::Other),
        '\u{B7}' => (Cat::Other, WordCat::MidLetter),
        '\u{2026}' | '\u{2022}' | '\u{B0}' | '\u{A3}' | '\u{A9}' | '\u{AE}' | '\u{20AC}' => {
            (Cat::Other, WordCat::Other)
        }
        _ => return None,
    })
}

/// Sentence classes of the ASCII bytes, looked up instead of matched.
const CAT: [Cat; 128] = {
    let mut t = [Cat::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = cat(b as u8);
        b += 1;
    }
    t
};

/// Word classes of the ASCII bytes.
const WORD: [WordCat; 128] = {
    let mut t = [WordCat::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = word_cat(b as u8);
        b += 1;
    }
    t
};

/// The character at byte `i` of `text` with its sentence class and length.
#[inline(always)]
fn char_at(text: &str, i: usize) -> (Cat, usize) {
    let b = text.as_bytes()[i];
    if b < 128 {
        return (CAT[b as usize], 1);
    }
    let c = text[i..].chars().next().unwrap_or(' ');
    (extra_class(c).map_or(Cat::Other, |(s, _)| s), c.len_utf8())
}

/// The character at byte `i` of `text` with its word class and length.
#[inline(always)]
fn word_char_at(text: &str, i: usize) -> (WordCat, usize) {
    let b = text.as_bytes()[i];
    if b < 128 {
        return (WORD[b as usize], 1);
    }
    let c = text[i..].chars().next().unwrap_or(' ');
    (
        extra_class(c).map_or(WordCat::Other, |(_, w)| w),
        c.len_utf8(),
    )
}

/// UAX #29 sentence-break classes of the ASCII characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cat {
    Other,
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
}

const fn cat(b: u8) -> Cat {
    match b {
        b'\t' | 0x0B | 0x0C | b' ' => Cat::Sp,
        b'\n' => Cat::Lf,
        b'\r' => Cat::Cr,
        b'!' | b'?' => Cat::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Cat::Close,
        b',' | b'-' | b':' | b';' => Cat::SContinue,
        b'.' => Cat::ATerm,
        b'0'..=b'9' => Cat::Numeric,
        b'A'..=b'Z' => Cat::Upper,
        b'a'..=b'z' => Cat::Lower,
        _ => Cat::Other,
    }
}

/// The last four "parts" seen, as the UAX #29 rules look back at them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Sot,
    Other,
    Cr,
    Lf,
    ATerm,
    UpperLower,
    ClosePlus,
    SpPlus,
    STerm,
}

#[derive(Clone, Copy)]
struct State([Part; 4]);

impl State {
    fn next(self, c: Cat) -> State {
        let p = self.0;
        match (p[3], c) {
            (Part::ClosePlus, Cat::Close) | (Part::SpPlus, Cat::Sp) => self,
            _ => State([
                p[1],
                p[2],
                p[3],
                match c {
                    Cat::Cr => Part::Cr,
                    Cat::Lf => Part::Lf,
                    Cat::ATerm => Part::ATerm,
                    Cat::Upper | Cat::Lower => Part::UpperLower,
                    Cat::Close => Part::ClosePlus,
                    Cat::Sp => Part::SpPlus,
                    Cat::STerm => Part::STerm,
                    _ => Part::Other,
                },
            ]),
        }
    }

    /// Index of the terminator before any trailing Close+ Sp+ parts.
    fn term_index(self, skip_sp: bool) -> usize {
        let p = self.0;
        let mut i = if skip_sp && p[3] == Part::SpPlus {
            2
        } else {
            3
        };
        if p[i] == Part::ClosePlus {
            i -= 1;
        }
        i
    }

    fn sb8(self, ahead: &str) -> bool {
        if self.0[self.term_index(true)] != Part::ATerm {
            return false;
        }
        lower_ahead(ahead, 0)
    }

    fn sb8a(self) -> bool {
        matches!(self.0[self.term_index(true)], Part::STerm | Part::ATerm)
    }

    fn sb9(self) -> bool {
        let i = if self.0[3] == Part::ClosePlus { 2 } else { 3 };
        matches!(self.0[i], Part::STerm | Part::ATerm)
    }

    fn sb11(self) -> bool {
        let p = self.0;
        let mut i = if matches!(p[3], Part::Cr | Part::Lf) {
            2
        } else {
            3
        };
        if p[i] == Part::SpPlus {
            i -= 1;
        }
        if p[i] == Part::ClosePlus {
            i -= 1;
        }
        matches!(p[i], Part::STerm | Part::ATerm)
    }
}

/// Applies the break rules to the character at `i`, advancing `state`;
/// returns the character's length.
fn step(text: &str, i: usize, state: &mut State, out: &mut Vec<usize>) -> usize {
    let before = *state;
    let (c, len) = char_at(text, i);
    *state = before.next(c);
    let last = before.0[3];
    let brk = if last == Part::Sot {
        true
    } else if c == Cat::Lf && last == Part::Cr {
        false
    } else if matches!(last, Part::Cr | Part::Lf) {
        true
    } else if (c == Cat::Numeric && last == Part::ATerm)
        || (c == Cat::Upper && before.0[2] == Part::UpperLower && last == Part::ATerm)
        || before.sb8(&text[i..])
        || (matches!(c, Cat::SContinue | Cat::STerm | Cat::ATerm) && before.sb8a())
        || (matches!(c, Cat::Close | Cat::Sp | Cat::Cr | Cat::Lf) && before.sb9())
        || (matches!(c, Cat::Sp | Cat::Cr | Cat::Lf) && before.sb8a())
    {
        false
    } else {
        before.sb11()
    };
    if brk {
        out.push(i);
    }
    len
}

/// Sentence break offsets of `text` (which must be [`covered`]): 0, every
/// boundary, and the end. `line_breaks` false promises that `text` holds
/// no `\n` or `\r`, which saves looking for them.
///
/// Breaks only follow terminators, so without line breaks the scan jumps
/// from one terminator to the next with `memchr` and applies the rules that
/// decide a break after one (UAX #29 SB6 to SB11) directly; text with line
/// breaks goes through the state machine character by character.
pub fn sentence_breaks(text: &str, line_breaks: bool, out: &mut Vec<usize>) {
    debug_assert!(covered(text));
    let bytes = text.as_bytes();
    let n = bytes.len();
    if n == 0 {
        return;
    }
    debug_assert!(line_breaks || memchr::memchr2(b'\n', b'\r', bytes).is_none());
    if line_breaks && memchr::memchr2(b'\n', b'\r', bytes).is_some() {
        let mut state = State([Part::Sot; 4]);
        let mut i = 0;
        while i < n {
            i += step(text, i, &mut state, out);
        }
        out.push(n);
        return;
    }
    // '.', '!' and '?' are the only terminators of covered text
    breaks_after_terminators(
        text,
        |from| memchr::memchr3(b'.', b'!', b'?', &bytes[from..]).map(|k| from + k),
        out,
    );
}

/// [`sentence_breaks`] of `text` (which must be [`covered`] and hold no
/// line break) from the offsets of its terminators (`.`, `!`, `?`), in
/// order, as [`words_keyed`] reports them: a full stop inside a word
/// (`e.g`, `3.5`) may be left out, since none is followed by a break.
#[cfg(test)]
pub fn sentence_breaks_at(text: &str, terminators: &[usize], out: &mut Vec<usize>) {
    debug_assert!(covered(text));
    debug_assert!(memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_none());
    if text.is_empty() {
        return;
    }
    let mut next = 0;
    breaks_after_terminators(
        text,
        |from| {
            while terminators.get(next).is_some_and(|&t| t < from) {
                next += 1;
            }
            terminators.get(next).copied()
        },
        out,
    );
}

/// The sentence spans of `text` (which must be [`covered`] and hold no
/// line break), offset by `base`, from the offsets of its terminators as
/// `sentence_breaks_at` takes them: what `sentence_breaks_at` and
/// [`super::segment::sentences_between`] give together, in one pass that
/// makes each sentence as its break is found.
///
/// A break follows a terminator, its closing marks and its spaces, so the
/// sentence before it ends with the closing marks (nothing to trim) and
/// the one after starts at the break (nothing to trim but at the start of
/// the text); only the first and the last sentence need trimming.
pub fn sentences_at(text: &str, base: usize, terminators: &[usize], out: &mut Vec<super::Span>) {
    debug_assert!(covered(text));
    debug_assert!(memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_none());
    let n = text.len();
    let first = out.len();
    // start of the sentence being read
    let mut start = 0;
    let mut next = 0;
    let mut from = 0;
    loop {
        while terminators.get(next).is_some_and(|&t| t < from) {
            next += 1;
        }
        let Some(&found) = terminators.get(next) else {
            break;
        };
        match after_terminator(text, found) {
            AfterTerminator::End => break,
            AfterTerminator::Joined(j) => from = j,
            AfterTerminator::Break { closed, at } => {
                // SB11: a break at `at`
                let lead = if start == 0 {
                    super::segment::trimmed(&text[..closed]).start
                } else {
                    0
                };
                push_sentence(text, base, first, start + lead, closed, out);
                start = at;
                from = at;
            }
        }
    }
    if start < n {
        let t = super::segment::trimmed(&text[start..]);
        if !t.is_empty() {
            push_sentence(text, base, first, start + t.start, start + t.end, out);
        }
    }
}

/// Appends the sentence at `start..end` of `text` (offset by `base`) to
/// `out`, or joins it to the sentence before it (after `first`) when that
/// one ends with an abbreviation, as [`super::segment::sentences_between`]
/// does.
#[inline(always)]
fn push_sentence(
    text: &str,
    base: usize,
    first: usize,
    start: usize,
    end: usize,
    out: &mut Vec<super::Span>,
) {
    if out.len() > first
        && let Some(prev) = out.last_mut()
        && text.as_bytes()[prev.end as usize - base - 1] == b'.'
        && super::segment::ends_with_abbreviation(
            &text[prev.start as usize - base..prev.end as usize - base],
        )
    {
        prev.end = (base + end) as u32;
        return;
    }
    out.push(super::Span::new(base + start, base + end));
}

/// The breaks of text without line breaks, given `first_terminator(from)`,
/// the offset of its first terminator at or after `from`: UAX #29 SB6 to
/// SB11 applied directly after each terminator.
#[inline(always)]
fn breaks_after_terminators(
    text: &str,
    mut first_terminator: impl FnMut(usize) -> Option<usize>,
    out: &mut Vec<usize>,
) {
    out.push(0);
    let mut from = 0;
    while let Some(term) = first_terminator(from) {
        match after_terminator(text, term) {
            AfterTerminator::End => break,
            AfterTerminator::Joined(j) => from = j,
            AfterTerminator::Break { at, .. } => {
                out.push(at); // SB11
                from = at;
            }
        }
    }
    out.push(text.len());
}

/// What follows a terminator of text without line breaks.
enum AfterTerminator {
    /// The text ends within the terminators' closing marks and spaces.
    End,
    /// No break: the next terminator to look at is at or after this offset.
    Joined(usize),
    /// A break at `at`; the sentence before it ends at `closed`, after the
    /// terminators' closing marks and before their spaces.
    Break { closed: usize, at: usize },
}

/// UAX #29 SB6 to SB11 applied after the terminator at byte `term` of
/// `text`: one decision that both the break list and the sentence spans
/// are made from.
#[inline(always)]
fn after_terminator(text: &str, mut term: usize) -> AfterTerminator {
    let bytes = text.as_bytes();
    let n = bytes.len();
    loop {
        let aterm = bytes[term] == b'.';
        // SB9, SB10: the terminator's closing marks, then its spaces
        let mut j = term + 1;
        while j < n {
            let (c, len) = char_at(text, j);
            if c != Cat::Close {
                break;
            }
            j += len;
        }
        let closed = j;
        while j < n && bytes[j] < 0x80 && CAT[bytes[j] as usize] == Cat::Sp {
            j += 1;
        }
        if j == n {
            return AfterTerminator::End;
        }
        let (c, _) = char_at(text, j);
        let adjacent = j == term + 1;
        let joined = match c {
            // SB8a: a further terminator continues the run
            Cat::ATerm | Cat::STerm => {
                term = j;
                continue;
            }
            Cat::SContinue => true,
            // SB6: "3.5"
            Cat::Numeric if aterm && adjacent => true,
            // SB7: "U.S"
            Cat::Upper if aterm && adjacent && letter_before(text, term) => true,
            // SB8: a lowercase letter ahead ("e.g. the"); the letter at j
            // decides without a look further
            Cat::Lower => aterm,
            Cat::Upper => false,
            _ => aterm && lower_ahead(text, j),
        };
        return if joined {
            AfterTerminator::Joined(j)
        } else {
            AfterTerminator::Break { closed, at: j }
        };
    }
}

/// Whether the character before byte `i` of `text` is a letter (SB7).
fn letter_before(text: &str, i: usize) -> bool {
    let Some(&b) = i.checked_sub(1).and_then(|p| text.as_bytes().get(p)) else {
        return false;
    };
    let cat = if b < 0x80 {
        CAT[b as usize]
    } else {
        let c = text[..i].chars().next_back().unwrap_or(' ');
        extra_class(c).map_or(Cat::Other, |(s, _)| s)
    };
    matches!(cat, Cat::Upper | Cat::Lower)
}

/// Whether a lowercase letter follows byte `i` of `text` before any other
/// letter, terminator or line break (SB8).
fn lower_ahead(text: &str, mut i: usize) -> bool {
    while i < text.len() {
        let (c, len) = char_at(text, i);
        i += len;
        match c {
            Cat::Lower => return true,
            Cat::Upper | Cat::Cr | Cat::Lf | Cat::STerm | Cat::ATerm => return false,
            _ => {}
        }
    }
    false
}

/// Word kinds of the ASCII characters, for UAX #29 word boundaries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordCat {
    Letter,
    Digit,
    Underscore,
    /// `:` joins letters only.
    MidLetter,
    /// `.` and `'` join letters or digits.
    MidNumLet,
    /// `,` and `;` join digits only.
    MidNum,
    Other,
}

const fn word_cat(b: u8) -> WordCat {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => WordCat::Letter,
        b'0'..=b'9' => WordCat::Digit,
        b'_' => WordCat::Underscore,
        b':' => WordCat::MidLetter,
        b'.' | b'\'' => WordCat::MidNumLet,
        b',' | b';' => WordCat::MidNum,
        _ => WordCat::Other,
    }
}

/// Calls `f(start, end)` for each word of `text` (which must be
/// [`covered`]) that contains a letter or digit, with the boundaries UAX #29
/// gives.
pub fn words(text: &str, mut f: impl FnMut(usize, usize)) {
    words_keyed(text, text.as_bytes(), |s, e, _, _| f(s, e), |_, _| {});
}

/// The mask of the lowest `n` lanes (bytes) of a `u64`, `n` at most 7.
#[inline(always)]
fn lanes_below(n: usize) -> u64 {
    (1u64 << (8 * n)) - 1
}

/// Calls `f(start, end, key, rest)` for each word of `text` (which must be
/// [`covered`]) that contains a letter or digit, with the boundaries UAX #29
/// gives. When the word is ASCII and the scan could tell that cheaply,
/// `key` is its first eight bytes lowercased and packed into a `u64` as
/// [`super::Vocabulary`] keys it (little-endian, zeros after the word) and
/// `rest` its bytes from the ninth (at most seven) packed the same way, 0
/// for a word of at most eight bytes; otherwise both are 0 (never a word's
/// key: words have no NUL byte).
///
/// A word is a run of letters, digits and underscores, in which a joiner
/// (`'`, `.`, `:`, `,`, `;`) between two letters or two digits stays; the
/// classes around a joiner are only looked at when one is met.
///
/// Most words of English prose are short ASCII words ended by a space or
/// punctuation that joins nothing: those are found eight bytes at a time
/// (see [`super::swar`]), and their key comes from the same eight bytes.
///
/// The scan passes every byte between the words, so it also calls
/// `mark(at, byte)` for each terminator (`.`, `!`, `?`) and quotation mark
/// (`"`, `'`, and the lead byte 0xE2 of the curly ones) there, in order,
/// for [`sentences_at`] and [`super::quotes::quoted_spans_at`]. A
/// `.` or `'` (or a curly apostrophe) that joins two parts of a word is not
/// marked: it neither ends a sentence nor opens or closes a quotation.
///
/// `ahead` is `text`'s bytes, or those and the bytes that follow them where
/// `text` lies in a longer string, when the first of those is a space or a
/// line break: eight bytes are then read at a time up to the end of `text`
/// without a shorter read near it (a byte that ends a word reads as the
/// end of the text does).
#[inline(always)]
pub fn words_keyed(
    text: &str,
    ahead: &[u8],
    mut f: impl FnMut(usize, usize, u64, u64),
    mut mark: impl FnMut(usize, u8),
) {
    debug_assert!(covered(text));
    let bytes = text.as_bytes();
    let n = bytes.len();
    debug_assert!(ahead.starts_with(bytes));
    debug_assert!(ahead.get(n).is_none_or(|&b| matches!(b, b' ' | b'\n')));
    let mut i = 0;
    while i < n {
        let start = i;
        // the eight bytes from here tell at once whether a word of ASCII
        // letters starts here (most do), before any look at the first
        // byte alone
        let x = swar::load8(ahead, start);
        let letters = swar::letter_lanes(x);
        let b = x as u8;
        debug_assert_eq!(b, bytes[i]);
        if letters & 0x80 != 0 {
            // the word's letters, and the byte after them (0 past the
            // end of the text); that byte ends the word unless it is a
            // digit, underscore or non-ASCII character, or a joiner
            // before a letter or digit
            let stops = !letters & swar::HIGH;
            let mut len = swar::first_lane(stops);
            // lowercase: the letters' lanes get their 0x20 bit
            let mut key = x | (letters >> 2);
            let mut rest = 0;
            let mut next = (x >> (8 * len.min(7))) as u8;
            if len == 8 {
                // eight letters: the next eight bytes, the same way
                let y = swar::load8(ahead, start + 8);
                let more = swar::letter_lanes(y);
                let extra = swar::first_lane(!more & swar::HIGH);
                next = (y >> (8 * extra.min(7))) as u8;
                rest = (y | (more >> 2)) & lanes_below(extra.min(7));
                len += extra;
            } else {
                // the lanes below the first stop: every bit up to the
                // stop's high bit, less that lane
                key &= (stops ^ stops.wrapping_sub(1)) >> 8;
            }
            if len < 16 {
                let after = AFTER_LETTERS[next as usize];
                let ends = matches!(after, After::Ends | After::EndsMark)
                    || (matches!(after, After::Joiner | After::JoinerMark)
                        && bytes
                            .get(start + len + 1)
                            .is_none_or(|&c| c < 0x80 && !WORD_CHAR[c as usize]));
                if ends {
                    // the byte after the word is passed over below
                    if matches!(after, After::EndsMark | After::JoinerMark) {
                        mark(start + len, next);
                    }
                    f(start, start + len, key, rest);
                    // the byte after the word starts no word
                    i = start + len + 1;
                    continue;
                }
            }
            i = start + len;
        } else if b < 0x80 {
            if !WORD_CHAR[b as usize] {
                if MARK[b as usize] {
                    mark(i, b);
                }
                i += 1;
                continue;
            }
            // a digit or an underscore
            i += 1;
        } else {
            let (c, len) = word_char_at(text, i);
            i += len;
            if !matches!(c, WordCat::Letter | WordCat::Digit | WordCat::Underscore) {
                if b == 0xE2 {
                    mark(start, b);
                }
                continue;
            }
        }
        loop {
            // runs of ASCII letters and digits (the bulk of prose) need no other checks
            while i < n && WORD_CHAR[bytes[i] as usize] {
                i += 1;
            }
            if i == n {
                break;
            }
            let (c, len) = word_char_at(text, i);
            match c {
                WordCat::Letter | WordCat::Digit | WordCat::Underscore => i += len,
                WordCat::MidLetter | WordCat::MidNumLet | WordCat::MidNum => {
                    let prev = word_class_before(text, i);
                    let next = (i + len < n).then(|| word_char_at(text, i + len).0);
                    let joins = matches!(
                        (prev, c, next),
                        (
                            WordCat::Letter,
                            WordCat::MidLetter | WordCat::MidNumLet,
                            Some(WordCat::Letter)
                        ) | (
                            WordCat::Digit,
                            WordCat::MidNum | WordCat::MidNumLet,
                            Some(WordCat::Digit)
                        )
                    );
                    if !joins {
                        break;
                    }
                    i += len; // the joiner; the next character continues the word
                }
                WordCat::Other => break,
            }
        }
        // a word of underscores alone is no word
        if b != b'_' || bytes[start..i].iter().any(|&b| b != b'_') {
            f(start, i, 0, 0);
        }
    }
}

/// What the byte after a run of ASCII letters does to the word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    /// Ends it: a space, punctuation that joins nothing, the end (0).
    Ends,
    /// Ends it, and is a byte [`words_keyed`] marks (`!`, `?`, `"`).
    EndsMark,
    /// Joins it to what follows if that is a letter or digit.
    Joiner,
    /// A joiner that is marked where it joins nothing (`.`, `'`).
    JoinerMark,
    /// May continue it: a digit, an underscore, a non-ASCII character.
    Continues,
}

/// [`After`] by byte.
const AFTER_LETTERS: [After; 256] = {
    let mut t = [After::Continues; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match (WORD[b], MARK[b]) {
            (WordCat::Other, false) => After::Ends,
            (WordCat::Other, true) => After::EndsMark,
            (WordCat::MidLetter | WordCat::MidNumLet | WordCat::MidNum, false) => After::Joiner,
            (WordCat::MidLetter | WordCat::MidNumLet | WordCat::MidNum, true) => After::JoinerMark,
            _ => After::Continues,
        };
        b += 1;
    }
    t
};

/// The ASCII bytes [`words_keyed`] marks: terminators and quotation marks.
const MARK: [bool; 256] = {
    let mut t = [false; 256];
    t[b'.' as usize] = true;
    t[b'!' as usize] = true;
    t[b'?' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t
};

/// ASCII letters, digits and the underscore: bytes that continue a word.
const WORD_CHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = matches!(
            WORD[b],
            WordCat::Letter | WordCat::Digit | WordCat::Underscore
        );
        b += 1;
    }
    t
};

/// The word class of the character that ends at byte `i` of `text`.
fn word_class_before(text: &str, i: usize) -> WordCat {
    let b = text.as_bytes()[i - 1];
    if b < 0x80 {
        return WORD[b as usize];
    }
    let c = text[..i].chars().next_back().unwrap_or(' ');
    extra_class(c).map_or(WordCat::Other, |(_, w)| w)
}

#[cfg(test)]
mod tests {
    use unicode_segmentation::UnicodeSegmentation;

    fn reference_breaks(text: &str) -> Vec<usize> {
        let mut v: Vec<usize> = text
            .split_sentence_bound_indices()
            .map(|(i, _)| i)
            .collect();
        if !text.is_empty() {
            v.push(text.len());
        }
        v
    }

    fn reference_words(text: &str) -> Vec<(usize, usize)> {
        text.split_word_bound_indices()
            .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
            .map(|(i, w)| (i, i + w.len()))
            .collect()
    }

    fn check(text: &str) {
        let mut breaks = Vec::new();
        assert!(super::covered(text), "test text {text:?} is covered");
        super::sentence_breaks(text, true, &mut breaks);
        assert_eq!(breaks, reference_breaks(text), "sentences of {text:?}");
        if !text.contains(['\n', '\r']) {
            let mut without = Vec::new();
            super::sentence_breaks(text, false, &mut without);
            assert_eq!(without, breaks, "sentences of {text:?} without line breaks");
        }
        let mut words = Vec::new();
        super::words(text, |s, e| words.push((s, e)));
        assert_eq!(words, reference_words(text), "words of {text:?}");
        // the marks the word scan leaves give the same breaks and quotations
        let (mut terminators, mut quote_marks) = (Vec::new(), Vec::new());
        super::words_keyed(
            text,
            text.as_bytes(),
            |_, _, _, _| {},
            |at, b| {
                if matches!(b, b'.' | b'!' | b'?') {
                    terminators.push(at);
                } else {
                    quote_marks.push(at);
                }
            },
        );
        if !text.contains(['\n', '\r']) {
            let mut from_marks = Vec::new();
            super::sentence_breaks_at(text, &terminators, &mut from_marks);
            assert_eq!(from_marks, breaks, "sentences of {text:?} from marks");
        }
        if !text.contains(['\n', '\r']) {
            // sentences made as their breaks are found are those made from
            // the breaks afterwards
            let (mut fused, mut between) = (Vec::new(), Vec::new());
            super::sentences_at(text, 7, &terminators, &mut fused);
            super::super::segment::sentences_between(text, 7, &breaks, &mut between);
            assert_eq!(fused, between, "sentence spans of {text:?}");
        }
        let (mut quoted, mut from_marks) = (Vec::new(), Vec::new());
        super::super::quotes::quoted_spans(text, 0, &mut quoted);
        super::super::quotes::quoted_spans_at(text, 0, &quote_marks, &mut from_marks);
        assert_eq!(from_marks, quoted, "quotations of {text:?} from marks");
    }

    /// The scan that skips ASCII eight bytes at a time judges every
    /// character, wherever it falls.
    #[test]
    fn covered_is_every_character_known() {
        for odd in [
            "\u{436}",
            "\u{4e2d}",
            "\u{1f680}",
            "\u{d7}",
            "\u{e9}",
            "\u{2019}",
            "\u{a0}",
        ] {
            for at in 0..20 {
                let mut text = "ab cd ef gh ij kl mn op".to_string();
                text.insert_str(at, odd);
                let expected = text
                    .chars()
                    .all(|c| c.is_ascii() || super::extra_class(c).is_some());
                assert_eq!(super::covered(&text), expected, "{text:?}");
                text.push('\u{e9}');
                assert_eq!(super::covered(&text), expected, "{text:?}");
            }
        }
        assert!(super::covered(""));
    }

    #[test]
    fn matches_unicode_segmentation_on_tricky_text() {
        for text in [
            "Dr. Smith arrived. He sat down! Did he? Yes.",
            "It cost $3.50 (approx.) in the U.S.A. Then it rose.",
            "\"Stop!\" she said. 'Really?' he asked... and left.",
            "e.g. the 1,000,000 users; a:b, can't won't o'clock __init__ x_1",
            "Wait... what?! No -- never.) [Done.] {Ok.}  Next",
            "A. B. C. d. 3. 4.5 .5 5. end",
            "",
            " ",
            "no terminator here",
            "line one.\nline two.\r\nline three",
            "\u{201c}Stop!\u{201d} she said\u{2014}then left. \u{2018}Caf\u{e9}\u{2019} isn\u{2019}t open\u{2026} \u{c9}t\u{e9}.",
        ] {
            check(text);
        }
    }

    #[test]
    fn matches_unicode_segmentation_on_random_ascii() {
        // a small deterministic generator over characters that matter to the rules
        // with and without line breaks: the scan skips between terminators only without them
        let latin: Vec<char> = "aZ  .!?\"'(),-:;_xY0bQ\u{e9}\u{c9}\u{df}\u{2014}\u{2013}\u{2018}\u{2019}\u{201c}\u{201d}\u{2026}\u{b7}\u{ab}\u{bb}\u{17e}\u{152}".chars().collect();
        for alphabet in [
            "aZ9 .!?\"'()[]{},-:;_\t\nxY0"
                .chars()
                .collect::<Vec<char>>(),
            "aZ  .!?\"'()],-:;_xY0bQ".chars().collect(),
            latin,
        ] {
            random_texts(&alphabet);
        }
    }

    fn random_texts(alphabet: &[char]) {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 60) as usize;
            let mut s = String::new();
            let mut x = seed;
            for _ in 0..len {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(x >> 33) as usize % alphabet.len()]);
            }
            check(&s);
        }
    }

    #[test]
    fn matches_unicode_segmentation_on_real_prose() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/dev/human");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return; // the shared data set is not on this machine
        };
        for e in entries.flatten().take(200) {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            for para in text.split("\n\n").filter(|p| super::covered(p)) {
                check(para);
            }
        }
    }
}
