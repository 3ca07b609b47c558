//! Builds a [`Document`] from the prose pieces an extractor finds in a source.
//!
//! Extractors (plain text, Markdown, HTML) walk their source and hand each
//! piece of prose to a [`ProseBuilder`] with its source offset. The builder
//! collapses every whitespace run (line breaks, indentation, removed markup)
//! to one space, joins blocks with `\n`, and records where each prose byte
//! came from, so rules match normalised text and findings point into the
//! original file.

use super::latin;
use super::tables::{Tables, room, room_string};
use super::{Block, BlockKind, Document, Markup, Span};

/// Collects prose pieces and block structure for one document.
#[derive(Debug, Default)]
pub struct ProseBuilder {
    /// The document's tables: the builder writes the prose, offset map,
    /// blocks, strong spans and comments; `cited` holds prose spans that
    /// are someone else's words though not in quotation marks (the title
    /// of a linked article), treated like quotations.
    tables: Tables,
    open: Option<OpenBlock>,
    /// Source offset and length of a whitespace run not yet written.
    pending_space: Option<(usize, usize)>,
    /// Start of the open cited span and whether it opened its block.
    cited_open: Option<(usize, bool)>,
    /// Some block holds a character the fast tokenizer does not cover (the
    /// document is then not [`Document::covered`]); set with the block's
    /// flag, which happens rarely, rather than read from each block.
    uncovered: bool,
    /// Tests turn the fast path of `push_text` off to compare against it.
    #[cfg(test)]
    char_by_char: bool,
}

#[derive(Debug)]
struct OpenBlock {
    kind: BlockKind,
    quoted: bool,
    start: usize,
    marker: Option<std::ops::Range<usize>>,
    /// Every character added is one the fast tokenizer covers.
    covered: bool,
    /// A line break may have been added (only decoded text brings one).
    line_breaks: bool,
}

impl ProseBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty builder for a source of `source_len` bytes: the prose is
    /// reserved up front (it is never much longer than its source), which
    /// avoids the copies and the slack of a doubling buffer on large files.
    /// The tables are the thread's spare ones when it has them.
    pub fn with_capacity(source_len: usize) -> Self {
        let mut tables = Tables::take();
        room_string(&mut tables.prose, source_len.saturating_add(64));
        // a block about every 200 bytes of Markdown, a map segment about
        // every line
        room(&mut tables.blocks, source_len / 128 + 4);
        tables.map.room(source_len / 32 + 4);
        ProseBuilder {
            tables,
            ..Self::default()
        }
    }

    /// Starts a block; an open block is ended first.
    pub fn start_block(&mut self, kind: BlockKind, quoted: bool) {
        self.end_block();
        if !self.tables.prose.is_empty() && !self.tables.prose.ends_with('\n') {
            self.tables.prose.push('\n');
        }
        self.open = Some(OpenBlock {
            kind,
            quoted,
            start: self.tables.prose.len(),
            marker: None,
            covered: true,
            line_breaks: false,
        });
        self.pending_space = None;
    }

    /// Records the source range of the open block's list marker.
    pub fn set_marker(&mut self, marker: std::ops::Range<usize>) {
        if let Some(open) = &mut self.open {
            open.marker = Some(marker);
        }
    }

    /// Records a comment whose text (inside its delimiters) is the source
    /// range `text`; inline directives are read from comments.
    pub fn push_comment(&mut self, text: std::ops::Range<usize>) {
        self.tables.comments.push(text);
    }

    /// Whether a block is open.
    pub fn in_block(&self) -> bool {
        self.open.is_some()
    }

    /// Ends the open block, if any; blocks with no prose are dropped.
    pub fn end_block(&mut self) {
        let Some(open) = self.open.take() else { return };
        self.pending_space = None;
        while self.tables.strong_open.pop().is_some() {}
        self.end_title();
        if self.tables.prose.len() > open.start {
            self.tables.blocks.push(Block {
                span: Span::new(open.start, self.tables.prose.len()),
                kind: open.kind,
                quoted: open.quoted,
                sentences: 0..0,
                marker: open.marker,
                covered: open.covered,
                line_breaks: open.line_breaks,
            });
        }
    }

    /// Adds prose copied verbatim from the source at `source_offset`.
    ///
    /// Opens a paragraph block if none is open. Bare URLs are left out: they
    /// are addresses, not prose.
    pub fn push_text(&mut self, source_offset: usize, text: &str) {
        if self.open.is_none() {
            self.start_block(BlockKind::Paragraph, false);
        }
        let bytes = text.as_bytes();
        let mut run_start: Option<usize> = None;
        let mut i = 0;
        // most pieces start with an ordinary byte, which starts a run as
        // the look below would (after the pending space), so the fast path
        // takes over from the second byte
        if !self.char_by_char() && bytes.first().is_some_and(|&b| ORDINARY[b as usize]) {
            self.flush_space();
            run_start = Some(0);
            i = 1;
        }
        while i < text.len() {
            // fast path: inside a run, ordinary ASCII bytes (and single
            // spaces before one) continue it; 'h' and 'w' are ordinary
            // unless a URL may start there (after a space or bracket, with
            // "http" or "www." ahead)
            if run_start.is_some() && !self.char_by_char() {
                loop {
                    // sixteen bytes at a time up to the first byte that
                    // needs the look below (i > 0: a run has begun)
                    while let Some(k) = first_stop(bytes, i) {
                        i += k;
                        if k < 16 {
                            break;
                        }
                    }
                    let Some(&b) = bytes.get(i) else { break };
                    if ORDINARY[b as usize]
                        || (URL_START[b as usize]
                            && (!url_may_follow(bytes[i - 1]) || !url_ahead(bytes, i)))
                    {
                        i += 1;
                    } else if b == b' '
                        && bytes.get(i + 1).is_some_and(|&n| {
                            ORDINARY[n as usize]
                                || (URL_START[n as usize] && !url_ahead(bytes, i + 1))
                        })
                    {
                        i += 2;
                    } else {
                        break;
                    }
                }
                // the byte at i, if any, is one the fast path refused: the
                // look below takes it (going round again would only
                // refuse it again)
                if i >= text.len() {
                    break;
                }
            }
            let b = bytes[i];
            let c = if b.is_ascii() {
                b as char
            } else {
                // every character past ASCII comes this way (the fast path
                // takes printable ASCII only)
                text[i..].chars().next().unwrap_or(' ')
            };
            let len = c.len_utf8();
            if c.is_whitespace() {
                // a single ASCII space between two words stays in the run
                let single = c == ' '
                    && run_start.is_some()
                    && bytes.get(i + 1).is_some_and(|&n| {
                        if n.is_ascii() {
                            !n.is_ascii_whitespace() && n != 0x0B
                        } else {
                            text[i + 1..]
                                .chars()
                                .next()
                                .is_some_and(|n| !n.is_whitespace())
                        }
                    });
                if !single {
                    if let Some(s) = run_start.take() {
                        self.copy(source_offset + s, &text[s..i]);
                    }
                    if self.pending_space.is_none() {
                        self.pending_space = Some((source_offset + i, len));
                    }
                }
                i += len;
                continue;
            }
            // only 'h' and 'w' can start a URL; test the cheap byte first
            let maybe_url =
                matches!(c, 'h' | 'H' | 'w' | 'W') && (i == 0 || url_may_follow(bytes[i - 1]));
            if maybe_url && let Some(url_len) = url_at(&text[i..]) {
                if let Some(s) = run_start.take() {
                    let run = text[s..i].trim_end_matches(' ');
                    self.copy(source_offset + s, run);
                    if run.len() < i - s {
                        self.push_space(source_offset + s + run.len());
                    }
                }
                self.push_space(source_offset + i);
                i += url_len;
                continue;
            }
            if (c == '\u{2019}' && self.apostrophe_between_letters(text, i, run_start))
                || c == '\u{feff}'
            {
                if let Some(s) = run_start.take() {
                    self.copy(source_offset + s, &text[s..i]);
                }
                if c == '\u{2019}' {
                    // a curly apostrophe inside a word matches rules written with '
                    self.replace(source_offset + i, len, "'");
                }
                i += len;
                continue;
            }
            // the character goes into the prose
            if !b.is_ascii()
                && !latin::known(c)
                && let Some(open) = &mut self.open
            {
                open.covered = false;
                self.uncovered = true;
            }
            if run_start.is_none() {
                self.flush_space();
                run_start = Some(i);
            }
            i += len;
        }
        if let Some(s) = run_start {
            self.copy(source_offset + s, &text[s..]);
        }
    }

    /// Adds prose that differs from its source bytes (a decoded entity):
    /// `text` stands for the whole source range.
    pub fn push_replaced(&mut self, source: std::ops::Range<usize>, text: &str) {
        if self.open.is_none() {
            self.start_block(BlockKind::Paragraph, false);
        }
        if text.chars().all(char::is_whitespace) {
            self.push_space(source.start);
            return;
        }
        self.flush_space();
        self.replace(source.start, source.len(), text);
    }

    /// Marks a word break (a line break or removed markup) at `source_offset`.
    pub fn push_space(&mut self, source_offset: usize) {
        if self.pending_space.is_none() {
            self.pending_space = Some((source_offset, 0));
        }
    }

    /// Starts a strong (bold) span at the current position.
    pub fn start_strong(&mut self) {
        self.flush_space();
        self.tables.strong_open.push(self.tables.prose.len());
    }

    /// Ends the innermost strong span.
    pub fn end_strong(&mut self) {
        if let Some(start) = self.tables.strong_open.pop()
            && self.tables.prose.len() > start
        {
            self.tables
                .strong
                .push(Span::new(start, self.tables.prose.len()));
        }
    }

    /// Starts a span that may be a cited title (a link's text); whether it
    /// is one is known when it ends ([`ProseBuilder::end_title`]).
    pub fn start_title(&mut self) {
        // only the outermost link counts; a link's text is never empty of
        // intent, so an unclosed one is simply dropped at the block's end
        if self.cited_open.is_some() {
            return;
        }
        let opens_block = self.open.as_ref().is_none_or(|open| {
            self.tables.prose[open.start..]
                .chars()
                .all(|c| c.is_whitespace() || !c.is_alphanumeric())
        });
        self.flush_space();
        self.cited_open = Some((self.tables.prose.len(), opens_block));
    }

    /// Ends the span begun by [`ProseBuilder::start_title`]. It is recorded
    /// as cited when it opened its block (after at most a bullet symbol):
    /// a link that leads a list item, paragraph, heading or cell is the
    /// title of the page it points to, someone else's words, as in a
    /// digest's `- [Title](url)` lines. A link inside a sentence is the
    /// writer's own wording and stays prose like any other.
    pub fn end_title(&mut self) {
        let Some((start, opens_block)) = self.cited_open.take() else {
            return;
        };
        if opens_block && self.tables.prose.len() > start {
            self.tables
                .cited
                .push(Span::new(start, self.tables.prose.len()));
        }
    }

    /// Finishes the document for `source`, which the pieces were taken from.
    pub fn finish(mut self, source: String, markup: Markup) -> Document {
        self.end_block();
        self.tables.strong.sort_unstable();
        let mut doc = Document::assemble(source, markup, self.tables);
        doc.cite();
        doc.set_covered(!self.uncovered);
        doc
    }

    /// Whether `push_text` must judge every character on its own (only in
    /// tests, which compare the fast path against it).
    #[inline(always)]
    fn char_by_char(&self) -> bool {
        #[cfg(test)]
        return self.char_by_char;
        #[cfg(not(test))]
        false
    }

    fn apostrophe_between_letters(&self, text: &str, i: usize, run_start: Option<usize>) -> bool {
        let before = if run_start.is_some() {
            text[..i].chars().next_back()
        } else if self.pending_space.is_none() {
            self.tables.prose.chars().next_back()
        } else {
            None
        };
        let after = text[i + '\u{2019}'.len_utf8()..].chars().next();
        before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphabetic)
    }

    #[inline]
    fn flush_space(&mut self) {
        if let Some((at, len)) = self.pending_space.take() {
            let open_start = self.open.as_ref().map_or(0, |b| b.start);
            if self.tables.prose.len() > open_start {
                self.tables.map.push(self.tables.prose.len(), 1, at, len);
                self.tables.prose.push(' ');
            }
        }
    }

    #[inline]
    fn copy(&mut self, source_offset: usize, piece: &str) {
        self.flush_space();
        self.tables.map.push(
            self.tables.prose.len(),
            piece.len(),
            source_offset,
            piece.len(),
        );
        self.tables.prose.push_str(piece);
    }

    fn replace(&mut self, source_offset: usize, source_len: usize, text: &str) {
        if let Some(open) = &mut self.open
            && !text
                .bytes()
                .all(|b| b.is_ascii() && b != b'\n' && b != b'\r')
        {
            open.line_breaks |= text.contains(['\n', '\r']);
            let known = text.chars().all(latin::known);
            open.covered &= known;
            self.uncovered |= !known;
        }
        self.flush_space();
        self.tables.map.push(
            self.tables.prose.len(),
            text.len(),
            source_offset,
            source_len,
        );
        self.tables.prose.push_str(text);
    }
}

/// How many of the sixteen bytes of `bytes` from `at` the fast path of
/// [`ProseBuilder::push_text`] takes without a closer look (16 when it
/// takes them all); `None` when at most one byte is left, or `at` is 0.
///
/// A byte needs a look when it is not printable ASCII (but a space before
/// a printable byte is taken), or when it is 'h' or 'w' in either case after
/// a byte a URL may follow. The test may stop at a byte the fast path would
/// take (any byte below 'A' before "h" or "w" counts as such a byte), never
/// pass one it would not: the fast path then judges that byte on its own.
///
/// Near the end of `bytes` the bytes left are copied before bytes that
/// stop the scan (0x80), so that a piece's last sixteen bytes take the
/// fast path too (they went byte by byte, a quarter of the prose: pieces
/// average about sixty bytes).
#[inline(always)]
fn first_stop(bytes: &[u8], at: usize) -> Option<usize> {
    let from = at.checked_sub(1)?;
    if let Some(window) = bytes.get(from..from + 18) {
        return Some(stops(window.try_into().ok()?));
    }
    let left = bytes.get(from..)?;
    if left.len() < 3 {
        return None;
    }
    Some(stops(&padded(left)))
}

/// The first (up to) eighteen bytes of `left` (at least three), then 0x80
/// bytes. Put together from copies of fixed sizes, which need no call: a
/// copy of `left.len()` bytes was a call to `memcpy` at the end of every
/// piece, after which the vector constants of [`stops`] were loaded again.
#[inline(always)]
fn padded(left: &[u8]) -> [u8; 18] {
    let mut window = [0x80u8; 18];
    let n = left.len().min(18);
    // two overlapping copies cover any length from the smaller size up to
    // twice it: the bytes they share are the same
    if n >= 16 {
        window[..16].copy_from_slice(&left[..16]);
        window[n - 2..n].copy_from_slice(&left[n - 2..n]);
    } else if n >= 8 {
        window[..8].copy_from_slice(&left[..8]);
        window[n - 8..n].copy_from_slice(&left[n - 8..n]);
    } else if n >= 4 {
        window[..4].copy_from_slice(&left[..4]);
        window[n - 4..n].copy_from_slice(&left[n - 4..n]);
    } else {
        for (w, &b) in window.iter_mut().zip(&left[..n]) {
            *w = b;
        }
    }
    window
}

/// [`first_stop`] over `window`: the byte before the sixteen, the sixteen,
/// and the byte after them. Written lane by lane over arrays, so that the
/// compiler does all sixteen at once in vector registers.
#[inline(always)]
fn stops(window: &[u8; 18]) -> usize {
    // (the fallbacks never happen: the ranges are sixteen bytes long)
    let before: &[u8; 16] = window[..16].try_into().unwrap_or(&[0x80; 16]);
    let here: &[u8; 16] = window[1..17].try_into().unwrap_or(&[0x80; 16]);
    let after: &[u8; 16] = window[2..].try_into().unwrap_or(&[0x80; 16]);
    let mut stop = [0u8; 16];
    for k in 0..16 {
        // not in '!'..='~'
        let odd = here[k].wrapping_sub(b'!') > b'~' - b'!';
        let odd_after = after[k].wrapping_sub(b'!') > b'~' - b'!';
        let space = here[k] == b' ';
        let folded = here[k] | 0x20;
        let url_start = (folded == b'h') | (folded == b'w');
        let p = before[k];
        // a superset of the bytes a URL may follow (space, control bytes,
        // '(', '[', '<', '"', '\''), in two tests rather than six: a stop
        // it adds (an 'h' after a digit or a dash) is judged on its own
        let url_may_follow = (p < b'A') | (p == b'[');
        stop[k] = ((odd & !space) | (space & odd_after) | (url_start & url_may_follow)) as u8;
    }
    (u128::from_le_bytes(stop).trailing_zeros() / 8) as usize
}

/// Printable ASCII bytes other than those that may start a URL.
const ORDINARY: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = b'!';
    while b < 0x7f {
        t[b as usize] = !matches!(b, b'h' | b'H' | b'w' | b'W');
        b += 1;
    }
    t
};

/// Bytes a bare URL can start with.
const URL_START: [bool; 256] = {
    let mut t = [false; 256];
    t[b'h' as usize] = true;
    t[b'H' as usize] = true;
    t[b'w' as usize] = true;
    t[b'W' as usize] = true;
    t
};

/// Whether a URL may start after byte `b` (a space or an opening bracket).
fn url_may_follow(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\r' | b'(' | b'[' | b'<' | b'"' | b'\''
    )
}

/// Whether `bytes` from `at` start with `http` or `www.` in any case: a
/// cheap test that is never false where [`url_at`] finds a URL, so that
/// words such as "which" and "the" stay on the fast path.
#[inline(always)]
fn url_ahead(bytes: &[u8], at: usize) -> bool {
    let Some(four) = bytes.get(at..at + 4) else {
        return true;
    };
    // setting each byte's 0x20 bit lowercases the letters and keeps '.'
    let word = u32::from_le_bytes([four[0], four[1], four[2], four[3]]) | 0x2020_2020;
    word == u32::from_le_bytes(*b"http") || word == u32::from_le_bytes(*b"www.")
}

/// Length of a bare URL at the start of `text`, without trailing punctuation.
fn url_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let starts = |prefix: &[u8]| {
        bytes
            .get(..prefix.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(prefix))
    };
    if !(starts(b"http://") || starts(b"https://") || starts(b"www.")) {
        return None;
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let trimmed = text[..end].trim_end_matches(|c: char| ".,;:!?)]}'\"".contains(c));
    Some(trimmed.len().max(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window put together from fixed-size copies is the bytes left
    /// and 0x80 after them, at every length the end of a piece leaves.
    #[test]
    fn padded_windows_hold_the_bytes_left() {
        let bytes: Vec<u8> = (1..=40).collect();
        for len in 3..=18 {
            let mut expected = [0x80u8; 18];
            expected[..len].copy_from_slice(&bytes[..len]);
            assert_eq!(padded(&bytes[..len]), expected, "{len}");
        }
    }

    #[test]
    fn collapses_whitespace_and_maps_back() {
        let src = "It is\n  not   just a tool.";
        let mut b = ProseBuilder::new();
        b.push_text(0, src);
        let doc = b.finish(src.to_string(), Markup::Plain);
        assert_eq!(doc.prose(), "It is not just a tool.");
        let not = doc.prose().find("not").unwrap();
        assert_eq!(doc.source_range(Span::new(not, not + 3)), 8..11);
        let just = doc.prose().find("just").unwrap();
        assert_eq!(&src[doc.source_range(Span::new(just, just + 4))], "just");
    }

    /// Random text without URLs: the prose is the text with whitespace runs
    /// collapsed, and every prose character maps back to itself.
    #[test]
    fn random_text_normalises_and_maps_back() {
        let alphabet = "ab hw.,\t\n  x(\"'Q\u{e9}\u{2014}\u{2019}";
        for src in crate::text::random_texts(alphabet, 50, 3000) {
            if src.to_ascii_lowercase().contains("www.") {
                continue;
            }
            let mut b = ProseBuilder::new();
            b.push_text(0, &src);
            let doc = b.finish(src.clone(), Markup::Plain);
            let expected = src.split_whitespace().collect::<Vec<_>>().join(" ");
            let expected_chars: Vec<char> = expected.chars().collect();
            let got: String = doc.prose().to_string();
            let got_chars: Vec<char> = got.chars().collect();
            assert_eq!(got_chars.len(), expected_chars.len(), "{src:?} -> {got:?}");
            for (i, (g, e)) in got_chars.iter().zip(&expected_chars).enumerate() {
                let ok = g == e || (*g == '\'' && *e == '\u{2019}');
                assert!(ok, "{src:?}: char {i} is {g:?}, expected {e:?}");
            }
            for (i, c) in got.char_indices() {
                if c == ' ' {
                    continue;
                }
                let r = doc.source_range(Span::new(i, i + c.len_utf8()));
                let back = &src[r];
                assert!(
                    back == c.to_string() || (c == '\'' && back == "\u{2019}"),
                    "{src:?}: {c:?} maps to {back:?}"
                );
            }
        }
    }

    /// The fast path gives the prose and the map that judging every
    /// character gives, on text full of URL starts, spaces and brackets.
    #[test]
    fn fast_path_matches_char_by_char() {
        let pieces = [
            "http://x.io/a",
            "HTTPS://y.z",
            "www.q.com",
            "wWw.",
            "http",
            "htt",
            "h",
            "w",
            "H",
            "W",
            "with",
            "the",
            " ",
            "  ",
            "\t",
            "\n",
            "(",
            "[",
            "<",
            "\"",
            "'",
            "\u{e9}",
            "\u{2019}",
            "\u{a0}",
            "x",
            ".",
            ",",
            "ab",
            "\u{b}",
            "\u{7f}",
            "~",
        ];
        // one character of the alphabet per piece
        let alphabet: String = (0..pieces.len() as u8)
            .map(|k| char::from(b'A' + k))
            .collect();
        for seed in crate::text::random_texts(&alphabet, 40, 4000) {
            let src: String = seed
                .bytes()
                .map(|b| pieces[usize::from(b - b'A')])
                .collect();
            let build = |char_by_char: bool| {
                let mut b = ProseBuilder::new();
                b.char_by_char = char_by_char;
                // in two pieces, as an extractor hands them over
                let cut = (0..=src.len() / 2)
                    .rev()
                    .find(|&c| src.is_char_boundary(c))
                    .unwrap_or(0);
                b.push_text(0, &src[..cut]);
                b.push_text(cut, &src[cut..]);
                b.finish(src.clone(), Markup::Plain)
            };
            let (fast, slow) = (build(false), build(true));
            assert_eq!(fast.prose(), slow.prose(), "{src:?}");
            let prose = fast.prose();
            let ends: Vec<usize> = (0..=prose.len())
                .filter(|&i| prose.is_char_boundary(i))
                .collect();
            for w in ends.windows(2) {
                for span in [
                    Span::new(w[0], w[1]),
                    Span::new(0, w[0]),
                    Span::new(w[0], prose.len()),
                ] {
                    assert_eq!(fast.source_range(span), slow.source_range(span), "{src:?}");
                }
            }
        }
    }

    #[test]
    fn bare_urls_are_not_prose() {
        let src = "See https://example.com/a?utm_source=x. Then www.example.org, ok.";
        let mut b = ProseBuilder::new();
        b.push_text(0, src);
        let doc = b.finish(src.to_string(), Markup::Plain);
        assert_eq!(doc.prose(), "See . Then , ok.");
    }

    #[test]
    fn curly_apostrophe_becomes_straight() {
        let src = "It\u{2019}s a \u{2018}quote\u{2019}.";
        let mut b = ProseBuilder::new();
        b.push_text(0, src);
        let doc = b.finish(src.to_string(), Markup::Plain);
        assert_eq!(doc.prose(), "It's a \u{2018}quote\u{2019}.");
        let s = doc.prose().find("It's").unwrap();
        assert_eq!(&src[doc.source_range(Span::new(s, s + 4))], "It\u{2019}s");
    }
}
