//! Cutting a very large file into sections of whole paragraphs, so it can be
//! checked a section at a time: memory then holds one section's tables per
//! thread instead of the whole file's, and the sections run in parallel.
//!
//! A cut is made only where no Markdown construct can span it: at the start
//! of an unindented line after a blank line, outside front matter, fenced
//! code and the HTML blocks that may contain blank lines (comments,
//! `<script>`, `<pre>`, `<style>`, `<textarea>`, processing instructions,
//! declarations and CDATA). After such a line a new top-level block begins
//! whatever came before, so each section parses to the same blocks it would
//! have had inside the whole file. (Link reference definitions are the
//! exception CommonMark allows: a reference used in one section and defined
//! in another is not resolved. The text of such a link is still prose.)

use std::ops::Range;

use super::blocks;
use crate::text::Markup;

/// Cuts `text` into consecutive sections of at least `target` bytes (the
/// last may be shorter), each ending just before a line where a new
/// top-level block starts. Returns one range covering all of `text` when it
/// is no longer than `target`, when no safe cut exists, or for HTML and
/// MDX (whose elements and expressions may span any blank line).
pub fn split(text: &str, markup: Markup, target: usize) -> Vec<Range<usize>> {
    Cuts::new(text, markup, target).collect()
}

/// The sections of [`split`], found one at a time: a caller can check the
/// first sections while the later cuts are still being looked for.
pub struct Cuts<'t> {
    text: &'t str,
    markup: Markup,
    target: usize,
    /// Where the section being looked for starts.
    start: usize,
    /// The line to read next.
    at: usize,
    /// What the lines read so far leave open.
    state: State,
    /// Whether the line before `at` is blank.
    previous_blank: bool,
    /// Whether the last section has been given.
    done: bool,
}

impl<'t> Cuts<'t> {
    /// The sections of `text` as [`split`] cuts it.
    pub fn new(text: &'t str, markup: Markup, target: usize) -> Cuts<'t> {
        // HTML elements and MDX expressions may span any blank line, and a
        // commit message's scissors line ends it for every section after
        let whole = text.len() <= target
            || matches!(markup, Markup::Html | Markup::Mdx | Markup::Commit)
            || target == 0;
        let at = if whole {
            text.len()
        } else if markup == Markup::Markdown {
            front_matter_end(text)
        } else {
            0
        };
        Cuts {
            text,
            markup,
            target,
            start: 0,
            at,
            state: State::Prose,
            previous_blank: false,
            done: false,
        }
    }
}

impl Iterator for Cuts<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.done {
            return None;
        }
        let (text, markup, target) = (self.text, self.markup, self.target);
        let bytes = text.as_bytes();
        while self.at < bytes.len() {
            let at = self.at;
            if self.state == State::Prose && at - self.start < target {
                // No cut is due yet and nothing is open: only a line that may
                // open a construct needs a look, so the lines before it are
                // skipped whole, and with them most of a large file.
                let next = next_to_read(bytes, markup, at, self.start + target);
                if next > at {
                    let last_start =
                        memchr::memrchr(b'\n', &bytes[at..next - 1]).map_or(at, |i| at + i + 1);
                    self.previous_blank = is_blank(text, last_start, next);
                    self.at = next;
                    continue;
                }
            }
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
            let line = &text[at..end];
            let blank = is_blank(text, at, end);
            let cut = (self.state == State::Prose
                && self.previous_blank
                && !blank
                && !line.starts_with([' ', '\t'])
                && at - self.start >= target)
                .then_some(self.start..at);
            if markup == Markup::Markdown {
                self.state = self.state.after(line);
            }
            self.previous_blank = blank;
            self.at = end;
            if let Some(section) = cut {
                self.start = section.end;
                return Some(section);
            }
        }
        self.done = true;
        Some(self.start..text.len())
    }
}

/// Whether the line `text[start..end]` is blank. Most lines start with a
/// printable ASCII character, which settles it without a trim.
fn is_blank(text: &str, start: usize, end: usize) -> bool {
    !text.as_bytes()[start].is_ascii_graphic() && text[start..end].trim().is_empty()
}

/// The start of the next line from line start `at` that [`split`] must
/// read: one that may open a construct (`State::after` can leave `Prose`
/// only on a line that starts, after at most three spaces, with a fence
/// character or `<`), or else the first line at or past `due`, where cuts
/// may be made; the text's end when there is neither.
fn next_to_read(bytes: &[u8], markup: Markup, at: usize, due: usize) -> usize {
    let due = if due >= bytes.len() {
        bytes.len()
    } else if bytes[due - 1] == b'\n' {
        due
    } else {
        memchr::memchr(b'\n', &bytes[due..]).map_or(bytes.len(), |i| due + i + 1)
    };
    if markup != Markup::Markdown {
        return due;
    }
    // each line from `from` on, up to `due`, by its first candidate byte
    let mut from = at;
    while let Some(i) = memchr::memchr3(b'`', b'~', b'<', &bytes[from..due]) {
        let p = from + i;
        let line_start = memchr::memrchr(b'\n', &bytes[from..p]).map_or(from, |i| from + i + 1);
        if p - line_start <= 3 && bytes[line_start..p].iter().all(|&b| b == b' ') {
            return line_start;
        }
        from = memchr::memchr(b'\n', &bytes[p..due]).map_or(due, |i| p + i + 1);
    }
    due
}

/// Where front matter (`---` or `+++` fenced, at the very start) ends.
fn front_matter_end(text: &str) -> usize {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skipped = text.len() - body.len();
    for fence in ["---", "+++"] {
        let first_end = body.find('\n').unwrap_or(body.len());
        if body[..first_end].trim_end() != fence {
            continue;
        }
        let mut at = (first_end + 1).min(body.len());
        for line in body[at..].split_inclusive('\n') {
            at += line.len();
            let t = line.trim_end();
            if t == fence || (fence == "---" && t == "...") {
                return skipped + at;
            }
        }
        // unclosed: the whole file is front matter; never cut it
        return text.len();
    }
    0
}

/// What a Markdown line leaves open for the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nothing that a blank line would not end.
    Prose,
    /// A fenced code block opened by `count` of `fence`.
    Fence { fence: u8, count: usize },
    /// An HTML block that ends at the line containing `end`.
    Html { end: &'static [u8] },
}

impl State {
    fn after(self, line: &str) -> State {
        let line = line.as_bytes();
        match self {
            State::Prose => opens(line).unwrap_or(State::Prose),
            State::Fence { fence, count } if blocks::closes_fence(line, fence, count) => {
                State::Prose
            }
            State::Html { end } if blocks::contains(line, end) => State::Prose,
            open => open,
        }
    }
}

/// The construct `line` opens that a blank line does not close, if any.
fn opens(line: &[u8]) -> Option<State> {
    let spaces = line.iter().take_while(|&&b| b == b' ').count();
    if spaces > 3 {
        return None;
    }
    let rest = &line[spaces..];
    if let Some((fence, count)) = blocks::fence_opener(rest) {
        return Some(State::Fence { fence, count });
    }
    // every HTML opener starts with `<`; most lines do not
    if rest.first() != Some(&b'<') {
        return None;
    }
    let end = blocks::html_end(&rest[1..])?;
    // the block may close on the line that opens it
    (!blocks::contains(rest, end)).then_some(State::Html { end })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str, markup: Markup, target: usize) -> Vec<&str> {
        let sections = split(text, markup, target);
        // the sections always cover the text, in order, without gaps
        assert_eq!(sections.first().map(|r| r.start), Some(0));
        assert_eq!(sections.last().map(|r| r.end), Some(text.len()));
        for pair in sections.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        sections.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn small_text_is_one_section() {
        assert_eq!(
            cut("One.\n\nTwo.\n", Markup::Markdown, 100),
            ["One.\n\nTwo.\n"]
        );
    }

    #[test]
    fn cuts_before_paragraphs_once_the_target_is_reached() {
        let text = "One two.\n\nThree four.\n\nFive six.\n";
        assert_eq!(
            cut(text, Markup::Markdown, 5),
            ["One two.\n\n", "Three four.\n\n", "Five six.\n"]
        );
        assert_eq!(
            cut(text, Markup::Markdown, 12),
            ["One two.\n\nThree four.\n\n", "Five six.\n"]
        );
    }

    #[test]
    fn never_cuts_inside_fenced_code() {
        let text = "Intro.\n\n```\ncode\n\nmore code\n```\n\nAfter.\n";
        assert_eq!(
            cut(text, Markup::Markdown, 1),
            ["Intro.\n\n", "```\ncode\n\nmore code\n```\n\n", "After.\n"]
        );
        let tildes = "Intro.\n\n~~~~\n```\n\nstill code\n~~~~\n\nAfter.\n";
        assert_eq!(
            cut(tildes, Markup::Markdown, 1),
            [
                "Intro.\n\n",
                "~~~~\n```\n\nstill code\n~~~~\n\n",
                "After.\n"
            ]
        );
    }

    #[test]
    fn never_cuts_inside_html_comments_or_pre() {
        let text = "A.\n\n<!-- note\n\nhidden -->\n\nB.\n\n<pre>\nx\n\ny\n</pre>\n\nC.\n";
        assert_eq!(
            cut(text, Markup::Markdown, 1),
            [
                "A.\n\n",
                "<!-- note\n\nhidden -->\n\n",
                "B.\n\n",
                "<pre>\nx\n\ny\n</pre>\n\n",
                "C.\n"
            ]
        );
    }

    /// HTML blocks open and close as pulldown-cmark reads them: a tag's
    /// name in any case, followed by a space, `>` or the line's end, and
    /// an end in the case written (`src/source/blocks.rs`).
    #[test]
    fn html_blocks_open_and_close_as_the_parser_reads_them() {
        let text = "A.\n\n<PRE class=x>\n\nB.\n\n</PRE>\n\nC.\n\n</pre>\n\nD.\n\n<prefix>\n\nE.\n";
        assert_eq!(
            cut(text, Markup::Markdown, 1),
            [
                "A.\n\n",
                "<PRE class=x>\n\nB.\n\n</PRE>\n\nC.\n\n</pre>\n\n",
                "D.\n\n",
                "<prefix>\n\n",
                "E.\n"
            ]
        );
    }

    #[test]
    fn never_cuts_before_indented_lines_or_inside_front_matter() {
        let text = "- item\n\n  more of the item\n\n---\n";
        assert_eq!(
            cut(text, Markup::Markdown, 1),
            ["- item\n\n  more of the item\n\n", "---\n"]
        );
        let fm = "---\ntitle: x\n\nbody: y\n---\n\nText.\n";
        assert_eq!(
            cut(fm, Markup::Markdown, 1),
            ["---\ntitle: x\n\nbody: y\n---\n\n", "Text.\n"]
        );
        let unclosed = "---\na\n\nb\n";
        assert_eq!(cut(unclosed, Markup::Markdown, 1), [unclosed]);
    }

    #[test]
    fn plain_text_cuts_at_blank_lines_and_html_is_never_cut() {
        let text = "One.\n\n```\n\nTwo.\n";
        // plain text has no fences: every blank line separates paragraphs
        assert_eq!(
            cut(text, Markup::Plain, 1),
            ["One.\n\n", "```\n\n", "Two.\n"]
        );
        assert_eq!(cut(text, Markup::Html, 1), [text]);
        assert_eq!(cut(text, Markup::Mdx, 1), [text]);
        assert_eq!(cut(text, Markup::Commit, 1), [text]);
    }

    /// `split` as it was first written: every line read, none skipped.
    fn split_every_line(text: &str, markup: Markup, target: usize) -> Vec<Range<usize>> {
        if text.len() <= target
            || matches!(markup, Markup::Html | Markup::Mdx | Markup::Commit)
            || target == 0
        {
            return std::iter::once(0..text.len()).collect();
        }
        let mut sections = Vec::new();
        let (mut start, mut state, mut previous_blank) = (0, State::Prose, false);
        let mut at = if markup == Markup::Markdown {
            front_matter_end(text)
        } else {
            0
        };
        for line in text[at..].split_inclusive('\n') {
            let blank = line.trim().is_empty();
            if state == State::Prose
                && previous_blank
                && !blank
                && !line.starts_with([' ', '\t'])
                && at - start >= target
            {
                sections.push(start..at);
                start = at;
            }
            if markup == Markup::Markdown {
                state = state.after(line);
            }
            previous_blank = blank;
            at += line.len();
        }
        sections.push(start..text.len());
        sections
    }

    #[test]
    fn skipping_lines_cuts_where_reading_every_line_cuts() {
        let pieces = [
            "Plain words here.\n",
            "\n",
            "  \t \n",
            "`inline` code starts this line.\n",
            "   ```rust\n",
            "```\n",
            "~~~~\n",
            "    ~~~ indented too far\n",
            "<!-- a comment\n",
            "ends here -->\n",
            "<DIV>\n",
            "<!DOCTYPE html>\n",
            "<pre>\n",
            "</PRE>\n",
            "text with < and ` and ~ inside.\n",
            "\u{a0}\n",
            "Ünïcödé line.\n",
            "- item\n",
            "\tindented by tab\n",
            "no newline at the end",
        ];
        let mut x: u32 = 7;
        let mut next = |n: u32| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) % n
        };
        for round in 0..400 {
            let mut text = String::new();
            for _ in 0..next(60) {
                text.push_str(pieces[next(pieces.len() as u32) as usize]);
            }
            if round % 7 == 0 {
                text.insert_str(0, "---\ntitle: x\n---\n");
            }
            for markup in [Markup::Markdown, Markup::Plain] {
                for target in [1, 2, 17, 40, 200] {
                    assert_eq!(
                        split(&text, markup, target),
                        split_every_line(&text, markup, target),
                        "{markup:?} {target} {text:?}"
                    );
                }
            }
        }
    }
}
