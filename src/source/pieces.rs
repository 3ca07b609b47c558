//! Where a long Markdown text can be parsed in pieces. pulldown-cmark
//! builds its block tree for the whole text before the first event (48
//! bytes a node, about three times the text), and it lives until the last
//! event is read: a 1 MB document held a 3 MB tree. Parsed in pieces cut
//! where nothing can be open, the text gives exactly the events, offsets
//! moved by each piece's start, that it gives parsed whole, with one
//! piece's tree alive at a time.
//!
//! A cut is made before an unindented line that starts with an ASCII
//! letter and follows a blank line. Such a line ends every container (a
//! list item needs indentation, a block quote `>`, and a paragraph ends at
//! the blank line), so only a block that may hold blank lines can be open
//! there: fenced code, an HTML block of CommonMark's types 1 to 5
//! (comments, `<pre>`, `<script>`, `<style>`, `<textarea>`, `<?`, `<!X`,
//! CDATA) or a metadata block, which pulldown-cmark reads wherever a block
//! may start (`---` or `+++`, closed by a later line of its own). The lines
//! are read as pulldown-cmark reads them to know which is open.
//!
//! Where the reading cannot be sure what is open, no more cuts are made:
//! a fence or HTML opener indented one to three spaces while a list item
//! may be open (it may belong to the item), a fence, an HTML opener or a
//! metadata opener inside an HTML block of types 6 and 7 (which ends at a
//! blank line and holds any line), a metadata opener that does not follow
//! a blank line (it may be a heading's underline), and a tab before an
//! opener. A text with a link reference or footnote definition (`]:`),
//! whose labels resolve across the whole text, or with a carriage return
//! (a line end of its own to pulldown-cmark) is parsed whole.

use std::ops::Range;

use super::blocks::{closes_fence, contains, ends_in_spaces, fence_opener, html_end};

/// The size of a piece: texts up to twice this are parsed whole. A
/// piece's tree is about 200 KB, and the parser's fixed cost per piece is
/// a few thousand instructions.
pub(super) const PIECE_BYTES: usize = 64 << 10;

/// The pieces of `text`: consecutive ranges of at least `target` bytes
/// (the last may be shorter) that cover it, each parsing as it does
/// inside the whole text; one range when the text is at most twice
/// `target` or cannot be cut.
pub(super) fn pieces(text: &str, target: usize) -> Pieces<'_> {
    let whole = whole(text, target);
    Pieces {
        text,
        newlines: memchr::memchr_iter(b'\n', text.as_bytes()),
        target: target.max(1),
        start: 0,
        at: if whole { text.len() } else { 0 },
        state: State::Prose,
        list_open: false,
        previous_blank: true,
        no_closer_after: [usize::MAX; 2],
        done: false,
    }
}

/// Whether `text` is one piece: at most twice `target`, or with a link
/// reference or footnote definition or a carriage return.
pub(super) fn whole(text: &str, target: usize) -> bool {
    let bytes = text.as_bytes();
    text.len() <= target.saturating_mul(2)
        || memchr::memchr(b'\r', bytes).is_some()
        || has_definition_mark(bytes)
}

/// Whether `bytes` holds `]:`, which every link reference and footnote
/// definition has. Looked for at each `:`, which prose has fewer of
/// than `]` (a tell-dense text's citation markers made `memmem` take
/// about four instructions a byte).
fn has_definition_mark(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b':', bytes).any(|i| i > 0 && bytes[i - 1] == b']')
}

/// The ranges of [`pieces`], found one at a time.
pub(super) struct Pieces<'t> {
    text: &'t str,
    /// The text's line ends, in order.
    newlines: memchr::Memchr<'t>,
    target: usize,
    /// Where the piece being looked for starts.
    start: usize,
    /// The line to read next.
    at: usize,
    /// What the lines read so far leave open.
    state: State,
    /// A list item may be open: a list marker was read, and no unindented
    /// line after a blank line has ended the list since.
    list_open: bool,
    /// The line before `at` is blank, or `at` is the text's start: the
    /// line at `at` starts a block.
    previous_blank: bool,
    /// For metadata blocks of `-` and of `+`: no line from here on
    /// closes one.
    no_closer_after: [usize; 2],
    done: bool,
}

impl Iterator for Pieces<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.done {
            return None;
        }
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() && self.state != State::Unsure {
            let at = self.at;
            let end = self.newlines.next().map_or(bytes.len(), |i| i + 1);
            if self.state == State::Prose
                && self.previous_blank
                && bytes[at].is_ascii_alphabetic()
                && at - self.start >= self.target
            {
                // the line opens nothing and ends every container
                self.list_open = false;
                self.previous_blank = false;
                self.at = end;
                let piece = self.start..at;
                self.start = at;
                return Some(piece);
            }
            self.read(at, end);
            self.at = end;
        }
        self.done = true;
        Some(self.start..self.text.len())
    }
}

/// What the lines read so far leave open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nothing that a blank line does not end.
    Prose,
    /// Fenced code opened by `count` of `fence`.
    Fence { fence: u8, count: usize },
    /// An HTML block of types 1 to 5, ended by the line containing `end`.
    Html { end: &'static [u8] },
    /// An HTML block of types 6 or 7 (or a paragraph that starts with
    /// `<`): ended by a blank line.
    HtmlToBlank,
    /// A metadata block fenced by `fence`.
    Metadata { fence: u8 },
    /// Not known: no more cuts.
    Unsure,
}

impl Pieces<'_> {
    /// Reads the line `at..end`.
    fn read(&mut self, at: usize, end: usize) {
        let bytes = self.text.as_bytes();
        let line = &bytes[at..end];
        let blank = is_blank(line);
        let block_start = self.previous_blank;
        self.previous_blank = blank;
        match self.state {
            State::Prose => {}
            State::Fence { fence, count } => {
                if closes_fence(line, fence, count) {
                    self.state = State::Prose;
                }
                return;
            }
            State::Html { end } => {
                if contains(line, end) {
                    self.state = State::Prose;
                }
                return;
            }
            State::Metadata { fence } => {
                if closes_metadata(line, fence) {
                    self.state = State::Prose;
                }
                return;
            }
            State::HtmlToBlank => {
                if blank {
                    self.state = State::Prose;
                } else if self.may_open(at, end) {
                    self.state = State::Unsure;
                } else if may_start_item(line) {
                    // a paragraph that starts with `<` is not an HTML block,
                    // and a list item interrupts it
                    self.list_open = true;
                }
                return;
            }
            State::Unsure => return,
        }
        if blank {
            return;
        }
        let spaces = line.iter().take_while(|&&b| b == b' ').count();
        let rest = &line[spaces..];
        if block_start && spaces == 0 && rest[0] != b'\t' && !is_list_marker(rest) {
            // an unindented block after a blank line ends every list item
            self.list_open = false;
        }
        if spaces > 3 {
            // indented code, or a paragraph's or a list item's line
            return;
        }
        if rest[0] == b'\t' {
            if self.may_open(at, end) {
                self.state = State::Unsure;
            }
            return;
        }
        if is_list_marker(rest) {
            // what the item holds ends where the item does, at the latest
            self.list_open = true;
            return;
        }
        let in_item = self.list_open && spaces > 0;
        if let Some((fence, count)) = fence_opener(rest) {
            self.state = if in_item {
                State::Unsure
            } else {
                State::Fence { fence, count }
            };
        } else if rest[0] == b'<' {
            self.state = match html_end(&bytes[at + spaces + 1..]) {
                Some(_) if in_item => State::Unsure,
                // the block may close on the line that opens it
                Some(end) if contains(rest, end) => State::Prose,
                Some(end) => State::Html { end },
                None => State::HtmlToBlank,
            };
        } else if spaces == 0 && self.metadata_opens(at, end) {
            self.state = if block_start {
                State::Metadata { fence: rest[0] }
            } else {
                State::Unsure
            };
        }
    }

    /// Whether the line `at..end`, after its indentation (spaces and
    /// tabs), may open fenced code, an HTML block of types 1 to 5 or a
    /// metadata block.
    fn may_open(&self, at: usize, end: usize) -> bool {
        let bytes = self.text.as_bytes();
        let indent = bytes[at..end]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let rest = &bytes[at + indent..end];
        match rest.first() {
            Some(b'`' | b'~') => fence_opener(rest).is_some(),
            Some(b'<') => html_end(&bytes[at + indent + 1..]).is_some(),
            Some(b'-' | b'+') => metadata_fence(rest).is_some(),
            _ => false,
        }
    }

    /// Whether the unindented line `at..end` opens a metadata block where
    /// a block starts, as pulldown-cmark decides it: `---` or `+++` alone,
    /// followed by a line that is neither blank nor its closing line, with
    /// a closing line after that.
    fn metadata_opens(&mut self, at: usize, end: usize) -> bool {
        let bytes = self.text.as_bytes();
        let Some(fence) = metadata_fence(&bytes[at..end]) else {
            return false;
        };
        if end >= bytes.len() {
            return false;
        }
        let first = &bytes[end..];
        if is_blank_at_block_start(first) || closes_metadata(first, fence) {
            return false;
        }
        let after_first = memchr::memchr(b'\n', first).map_or(bytes.len(), |i| end + i + 1);
        self.closes_later(after_first, fence)
    }

    /// Whether a line that starts at or after `from` closes a metadata
    /// block fenced by `fence`. A find opens the block (or ends the cuts),
    /// so the next search starts past it; a search that finds none is
    /// not repeated. Either way the searches read the text once at most.
    fn closes_later(&mut self, from: usize, fence: u8) -> bool {
        let none_after = &mut self.no_closer_after[usize::from(fence == b'+')];
        if from >= *none_after {
            return false;
        }
        let bytes = self.text.as_bytes();
        let mut line = from;
        while line < bytes.len() {
            if closes_metadata(&bytes[line..], fence) {
                return true;
            }
            match memchr::memchr(b'\n', &bytes[line..]) {
                Some(i) => line += i + 1,
                None => break,
            }
        }
        *none_after = from;
        false
    }
}

/// Whether `line` (up to its line end) is blank: spaces and tabs only.
/// (pulldown-cmark also takes vertical tabs and form feeds for blank
/// where a block starts, but not after a paragraph's line.)
fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .take_while(|&&b| b != b'\n')
        .all(|&b| b == b' ' || b == b'\t')
}

/// Whether `line` is blank where a block starts, as pulldown-cmark reads
/// it: spaces, tabs, vertical tabs and form feeds only.
fn is_blank_at_block_start(line: &[u8]) -> bool {
    line.iter()
        .take_while(|&&b| b != b'\n')
        .all(|&b| matches!(b, b' ' | b'\t' | 0x0b | 0x0c))
}

/// Whether `line` may open a list item: a list marker after at most three
/// spaces.
fn may_start_item(line: &[u8]) -> bool {
    let spaces = line.iter().take_while(|&&b| b == b' ').count();
    spaces <= 3 && is_list_marker(&line[spaces..])
}

/// Whether `rest` (a line after its indentation) starts with a list
/// marker: `-`, `*` or `+`, or one to nine digits and `.` or `)`, then a
/// space, a tab or the line's end. (A thematic break such as `* * *` reads
/// as one too, which only makes the reading more careful.)
fn is_list_marker(rest: &[u8]) -> bool {
    let marker = match rest.first() {
        Some(b'-' | b'*' | b'+') => 1,
        Some(b'0'..=b'9') => {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(rest.get(digits), Some(b'.' | b')')) {
                return false;
            }
            digits + 1
        }
        _ => return false,
    };
    matches!(rest.get(marker), None | Some(b' ' | b'\t' | b'\n'))
}

/// The fence of a metadata block's opening line: exactly three `-` or `+`
/// at its start, then whitespace only.
fn metadata_fence(line: &[u8]) -> Option<u8> {
    let fence = *line.first()?;
    if fence != b'-' && fence != b'+' {
        return None;
    }
    let run = line.iter().take_while(|&&b| b == fence).count();
    let rest = &line[run..];
    let rest = &rest[..memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1)];
    (run == 3
        && rest
            .iter()
            .all(|&b| (0x09..=0x0d).contains(&b) || b == b' '))
    .then_some(fence)
}

/// Whether `line` closes a metadata block fenced by `fence`: exactly three
/// of it (or of `.` for `-`) at its start, then spaces only.
fn closes_metadata(line: &[u8], fence: u8) -> bool {
    let run_of = |c: u8| line.iter().take_while(|&&b| b == c).count();
    (run_of(fence) == 3 || (fence == b'-' && run_of(b'.') == 3)) && ends_in_spaces(&line[3..])
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    use super::pieces;
    use crate::source::markdown::options;

    /// The pieces of `text`, checked to cover it in order without gaps.
    fn cut(text: &str, target: usize) -> Vec<&str> {
        let ranges: Vec<Range<usize>> = pieces(text, target).collect();
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        ranges.into_iter().map(|r| &text[r]).collect()
    }

    /// pulldown-cmark's events and their ranges, parsing `text` whole.
    fn events(text: &str) -> Vec<String> {
        events_from(text, 0)
    }

    fn events_from(text: &str, base: usize) -> Vec<String> {
        Parser::new_ext(text, options())
            .into_offset_iter()
            .map(|(event, r)| {
                // where a list and its items end is not read (see the property)
                let end = match event {
                    Event::Start(Tag::List(_) | Tag::Item)
                    | Event::End(TagEnd::List(_) | TagEnd::Item) => 0,
                    _ => r.end + base,
                };
                format!("{event:?} {:?}", r.start + base..end)
            })
            .collect()
    }

    /// The same, parsing the pieces of `text` one after another.
    fn events_in_pieces(text: &str, target: usize) -> Vec<String> {
        pieces(text, target)
            .flat_map(|r| events_from(&text[r.clone()], r.start))
            .collect()
    }

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(cut("One.\n\nTwo.\n", 100), ["One.\n\nTwo.\n"]);
        assert_eq!(cut("", 1), [""]);
    }

    #[test]
    fn cuts_before_unindented_lines_that_start_with_a_letter() {
        let text = "One two.\n\nThree four.\n\n- five\n\nSix.\n\n  Seven.\n\n# Eight\n\nNine.\n";
        assert_eq!(
            cut(text, 1),
            [
                "One two.\n\n",
                "Three four.\n\n- five\n\n",
                "Six.\n\n  Seven.\n\n# Eight\n\n",
                "Nine.\n"
            ]
        );
        assert_eq!(
            cut(text, 26),
            [
                "One two.\n\nThree four.\n\n- five\n\n",
                "Six.\n\n  Seven.\n\n# Eight\n\nNine.\n"
            ]
        );
    }

    #[test]
    fn never_cuts_inside_a_block_that_holds_blank_lines() {
        for open in [
            "```\nA\n\nB\n```\n",
            "~~~~ rust\nA\n\nB\n~~~\nC\n\nD\n~~~~\n",
            "<!-- A\n\nB -->\n",
            "<pre>\nA\n\nB</pre>\n",
            "<script type=x>\nA\n\nB\n</script>\n",
            "<?php\nA\n\nB ?>\n",
            "<!DOCTYPE\nA\n\nB>\n",
            "<![CDATA[\nA\n\nB]]>\n",
            "---\ntitle: x\n\nmore: y\n...\n",
            "+++\ntitle = 1\n\nB\n+++\n",
        ] {
            let text = format!("Intro.\n\n{open}\nAfter.\n\nEnd.\n");
            let pieces = cut(&text, 1);
            assert!(
                pieces.iter().any(|p| p.contains(open)),
                "{open:?} was cut: {pieces:?}"
            );
            assert!(pieces.len() >= 3, "{pieces:?}");
        }
        // closed on the line that opens it
        assert_eq!(cut("<!-- a -->\n\nB.\n\nC.\n", 1).len(), 3);
        // a closing tag in another case does not close, as in pulldown-cmark
        assert_eq!(
            cut("Intro.\n\nMore.\n\n<pre>\n\nA\n</PRE>\n\nB.\n", 1).len(),
            2
        );
    }

    #[test]
    fn stops_cutting_where_it_cannot_tell_what_is_open() {
        for unsure in [
            // a fence that may belong to a list item
            "- item\n\n  ```\nA\n\nB\n",
            // a fence inside an HTML block that ends at a blank line
            "<div>\n```\n\nA\n\nB\n",
            // `---` after a paragraph line: an underline here, but a
            // metadata opener after a heading
            "# Title\n---\nA\n\nB\n---\n\nC\n",
            // a tab before a fence
            "\t ```\nA\n\nB\n",
        ] {
            let text = format!("Intro.\n\nMore.\n\n{unsure}\nAfter.\n\nEnd.\n");
            assert_eq!(cut(&text, 1).len(), 2, "{unsure:?}");
        }
        // definitions resolve across the whole text, carriage returns are
        // line ends: parsed whole
        for whole in ["[a]: /u\n\nB.\n\nC.\n", "A.\r\n\r\nB.\n\nC.\n"] {
            assert_eq!(cut(whole, 1).len(), 1, "{whole:?}");
        }
    }

    /// Lines that open, close or may be mistaken for what a cut must not
    /// fall inside, and ordinary ones.
    const LINES: &[&str] = &[
        "",
        "",
        "",
        "Letter line.",
        "Another *line* here",
        "a",
        "Z `code`",
        "```",
        "```rust",
        "``` a`b",
        "~~~",
        "~~~ a`b",
        "````",
        "   ```",
        "  ```",
        "    ```",
        " ~~~",
        "\t```",
        "```   ",
        "- item",
        "- ```",
        "-",
        "  - nested",
        "* * *",
        "1. one",
        "2) two",
        "1234567890. no",
        "> quote",
        "> ```",
        ">",
        "<!--",
        "-->",
        "<!-- x -->",
        "<!-->",
        "  <!--",
        "   -->",
        "<pre>",
        "</pre>",
        "<PRE>",
        "</PRE>",
        "<prefix>",
        "<div>",
        "</div>",
        "<span>x</span>",
        "<?php",
        "?>",
        "<!DOCTYPE x",
        "<![CDATA[",
        "]]>",
        "<script>",
        "</script>",
        "<style>x</style>",
        "<textarea",
        "---",
        "--- ",
        "+++",
        "...",
        "----",
        "--",
        " ---",
        "***",
        "    indented",
        "  two spaces",
        "| a | b |",
        "|---|---|",
        "# Heading",
        "===",
        "$$",
        "x\ty",
        "\tx",
        "\u{b}",
        "Text <!-- c",
    ];

    /// Texts of the lines above, with a paragraph and a blank line (where
    /// a cut may follow) between some of them.
    fn document() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            2 => Just("Para.\n\n".to_string()),
            3 => (0..LINES.len()).prop_map(|i| format!("{}\n", LINES[i])),
        ];
        proptest::collection::vec(line, 0..60).prop_map(|lines| {
            let mut text = lines.concat();
            // with and without a final line end
            if lines.len() % 3 == 0 {
                text.pop();
            }
            text
        })
    }

    /// A list item that interrupts a paragraph starting with `<` (read as
    /// a possible HTML block) may hold the fence indented after it: the
    /// case the property test below found.
    #[test]
    fn an_item_after_a_paragraph_that_starts_with_a_tag_may_hold_a_fence() {
        let text = "<span>x</span>\n- item\nPara.\n\n   ```\n```   \nPara.\n\nPara.\n\nPara.\n\n";
        assert_eq!(events_in_pieces(text, 1), events(text));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]
        /// Parsing the pieces gives the events of parsing the whole, on
        /// texts made of the lines above, cut wherever a cut may be made.
        #[test]
        fn pieces_parse_as_the_whole_does(text in document(), target in 1usize..40) {
            prop_assert_eq!(events_in_pieces(&text, target), events(&text));
        }
    }

    /// The real Markdown of `../shared/data/human-md` (blog posts and
    /// newsletters with code, HTML, lists and tables) parses in pieces as
    /// it does whole, each file cut wherever a piece of 64 bytes or more
    /// may end.
    #[test]
    fn real_markdown_parses_in_pieces_as_it_does_whole() {
        let (mut files, mut cut_files) = (0, 0);
        let human_md = crate::testing::shared_data("human-md");
        for path in crate::testing::files_under(&human_md, &["md"]) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            files += 1;
            cut_files += usize::from(pieces(&text, 64).count() > 1);
            assert_eq!(
                events_in_pieces(&text, 64),
                events(&text),
                "{}",
                path.display()
            );
        }
        // the data is shared, not in the repository: where it is present,
        // most of its files are cut
        assert!(
            files == 0 || cut_files * 2 > files,
            "{cut_files} of {files} cut"
        );
    }

    /// The property above is not met by never cutting: most of its texts
    /// are cut.
    #[test]
    fn the_texts_of_the_property_are_cut() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut texts, mut cut_texts) = (0, 0);
        for _ in 0..500 {
            let text = document().new_tree(&mut runner).unwrap().current();
            texts += 1;
            cut_texts += usize::from(pieces(&text, 1).count() > 1);
        }
        assert!(cut_texts * 3 > texts, "{cut_texts} of {texts} cut");
    }
}
