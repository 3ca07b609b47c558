//! The unified diff of a fix, written from the fix's own changes.
//!
//! A general line diff (Myers) costs the length times the number of
//! differences, which is quadratic when a fix touches every line. The fix
//! already knows which bytes it replaced, so each change is widened to the
//! whole lines around it, lines that came out the same at either end are
//! dropped, and what is left is the hunk body: linear in the text.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`. Changed lines with no
//! unchanged line between them form one block, its old lines before its new
//! ones; blocks whose context would overlap (no more than twice the context
//! apart) share a hunk. A line without a line end is followed by the
//! `\ No newline at end of file` marker.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use super::Change;

/// Lines of context around each block.
const CONTEXT: usize = 3;

/// A unified diff of `old` to `new` for the file shown as `path`, with
/// three lines of context, as `git diff` writes it; empty when the texts
/// are equal. `changes` say what became what (as [`super::Fixed`] has
/// them).
pub fn unified_diff(path: &str, old: &str, new: &str, changes: &[Change]) -> String {
    if old == new {
        return String::new();
    }
    let old_lines = Lines::new(old);
    let new_lines = Lines::new(new);
    let blocks = blocks(&old_lines, &new_lines, changes);
    let mut out = String::new();
    if blocks.is_empty() {
        return out;
    }
    // `a/` and `b/` as git writes them, for `git apply`; an absolute path
    // is shown as it is
    if Path::new(path).is_absolute() {
        let _ = write!(out, "--- {path}\n+++ {path}\n");
    } else {
        let _ = write!(out, "--- a/{path}\n+++ b/{path}\n");
    }
    for hunk in hunks(&blocks) {
        write_hunk(&mut out, &old_lines, &new_lines, hunk);
    }
    out
}

/// A text cut into lines, each with its line end.
struct Lines<'a> {
    text: &'a str,
    /// Where each line starts, then the text's length.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut at = 0;
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[at..]) {
            let end = at + i;
            at = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                end + 2
            } else {
                end + 1
            };
            starts.push(at);
        }
        if at < bytes.len() {
            starts.push(bytes.len());
        }
        Lines { text, starts }
    }

    /// Number of lines.
    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn line(&self, i: usize) -> &'a str {
        &self.text[self.starts[i]..self.starts[i + 1]]
    }

    /// The line holding byte `at`; the number of lines at the text's end.
    fn of(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at) - 1
    }

    /// The line starting at byte `at`, which must start one.
    fn starting_at(&self, at: usize) -> usize {
        let i = self.of(at);
        debug_assert_eq!(self.starts[i], at, "a line starts here");
        i
    }

    /// Whether line `i` ends with a lone `\r`, which a `\n` put after it
    /// would join to the next line.
    fn ends_in_lone_cr(&self, i: usize) -> bool {
        self.line(i).ends_with('\r')
    }
}

/// Changed lines: old lines `old` became new lines `new`, and the lines
/// between two blocks are the same on both sides.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Block {
    old: Range<usize>,
    new: Range<usize>,
}

/// The blocks of changed lines, in order.
fn blocks(old: &Lines, new: &Lines, changes: &[Change]) -> Vec<Block> {
    // the whole lines around a change: from the line of its first byte
    // through the line of the byte after it, which a replacement without a
    // line end joins on; and the line before, when a `\n` put first would
    // join that one's line end
    let line_of_start = |c: &Change| {
        let a = old.of(c.old.start);
        if a > 0 && old.ends_in_lone_cr(a - 1) {
            a - 1
        } else {
            a
        }
    };
    let line_after_end = |c: &Change| (old.of(c.old.end) + 1).min(old.len());
    let mut out: Vec<Block> = Vec::new();
    let mut k = 0;
    while k < changes.len() {
        let first = &changes[k];
        let a = line_of_start(first);
        let mut b = line_after_end(first);
        let mut last = first;
        k += 1;
        // changes whose lines overlap are one stretch
        while let Some(c) = changes.get(k).filter(|c| line_of_start(c) < b) {
            b = b.max(line_after_end(c));
            last = c;
            k += 1;
        }
        let (old_start, old_end) = (old.starts[a], old.starts[b]);
        let new_start = old_start + first.new.start - first.old.start;
        let new_end = (old_end + last.new.end)
            .checked_sub(last.old.end)
            .expect("a change ends before its line");
        let (mut a, mut b) = (a, b);
        let (mut c, mut d) = (new.starting_at(new_start), new.starting_at(new_end));
        // lines that came out the same are context
        while a < b && c < d && old.line(a) == new.line(c) {
            a += 1;
            c += 1;
        }
        while a < b && c < d && old.line(b - 1) == new.line(d - 1) {
            b -= 1;
            d -= 1;
        }
        if a == b && c == d {
            continue;
        }
        match out.last_mut() {
            // no unchanged line between: one block
            Some(prev) if prev.old.end == a => {
                debug_assert_eq!(prev.new.end, c, "no line between on either side");
                prev.old.end = b;
                prev.new.end = d;
            }
            _ => out.push(Block {
                old: a..b,
                new: c..d,
            }),
        }
    }
    out
}

/// Groups blocks into hunks: blocks whose context would meet share one.
fn hunks(blocks: &[Block]) -> Vec<&[Block]> {
    let mut out = Vec::new();
    let mut from = 0;
    for i in 1..=blocks.len() {
        if i == blocks.len() || blocks[i].old.start - blocks[i - 1].old.end > 2 * CONTEXT {
            out.push(&blocks[from..i]);
            from = i;
        }
    }
    out
}

/// Writes one hunk: its header, then context, old and new lines.
fn write_hunk(out: &mut String, old: &Lines, new: &Lines, hunk: &[Block]) {
    let (first, last) = (&hunk[0], &hunk[hunk.len() - 1]);
    let before = first.old.start.min(CONTEXT);
    let after = (old.len() - last.old.end).min(CONTEXT);
    let old_range = first.old.start - before..last.old.end + after;
    let new_range = first.new.start - before..last.new.end + after;
    let _ = writeln!(
        out,
        "@@ -{} +{} @@",
        HunkRange(old_range.clone()),
        HunkRange(new_range)
    );
    let mut at = old_range.start;
    for block in hunk {
        for i in at..block.old.start {
            write_line(out, ' ', old.line(i));
        }
        for i in block.old.clone() {
            write_line(out, '-', old.line(i));
        }
        for i in block.new.clone() {
            write_line(out, '+', new.line(i));
        }
        at = block.old.end;
    }
    for i in at..old_range.end {
        write_line(out, ' ', old.line(i));
    }
}

fn write_line(out: &mut String, tag: char, line: &str) {
    out.push(tag);
    out.push_str(line);
    if !line.ends_with(['\n', '\r']) {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// A hunk header's line range: first line (from 1) and count, the count
/// left out when it is 1, and an empty range given by the line before it.
struct HunkRange(Range<usize>);

impl std::fmt::Display for HunkRange {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.0.len() {
            1 => write!(f, "{}", self.0.start + 1),
            0 => write!(f, "{},0", self.0.start),
            n => write!(f, "{},{}", self.0.start + 1, n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{Edit, apply, compose};

    /// The diff of one pass of edits, each given as the text it replaces
    /// (found after the one before) and its replacement.
    fn diff(old: &str, edits: &[(&str, &str)]) -> String {
        let mut from = 0;
        let edits: Vec<Edit> = edits
            .iter()
            .map(|(needle, replacement)| {
                let start = from + old[from..].find(needle).expect("needle");
                from = start + needle.len();
                Edit {
                    range: start..from,
                    replacement: replacement.to_string(),
                    rule: 0,
                    findings: 1,
                }
            })
            .collect();
        let new = apply(old, &edits);
        unified_diff("f.md", old, &new, &compose(&[], &edits))
    }

    fn numbered(n: usize) -> String {
        (1..=n).map(|i| format!("line {i}\n")).collect()
    }

    #[test]
    fn a_changed_line_has_three_lines_of_context() {
        assert_eq!(
            diff(&numbered(9), &[("line 5", "five")]),
            "--- a/f.md\n+++ b/f.md\n@@ -2,7 +2,7 @@\n \
             line 2\n line 3\n line 4\n-line 5\n+five\n line 6\n line 7\n line 8\n"
        );
    }

    #[test]
    fn hunks_share_context_up_to_six_lines_apart() {
        let text = numbered(20);
        let d = diff(&text, &[("line 3\n", "3\n"), ("line 10\n", "10\n")]);
        let headers: Vec<&str> = d.lines().filter(|l| l.starts_with("@@")).collect();
        assert_eq!(headers, ["@@ -1,13 +1,13 @@"], "{d}");
        let d = diff(&text, &[("line 3\n", "3\n"), ("line 11\n", "11\n")]);
        let headers: Vec<&str> = d.lines().filter(|l| l.starts_with("@@")).collect();
        assert_eq!(headers, ["@@ -1,6 +1,6 @@", "@@ -8,7 +8,7 @@"], "{d}");
    }

    #[test]
    fn the_first_and_last_lines_and_no_newline_at_the_end() {
        assert_eq!(
            diff("one\ntwo", &[("one", "1"), ("two", "2")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,2 +1,2 @@\n-one\n-two\n\
             \\ No newline at end of file\n+1\n+2\n\\ No newline at end of file\n"
        );
        // context without a line end is marked too
        assert_eq!(
            diff("one\ntwo", &[("one", "1")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,2 +1,2 @@\n-one\n+1\n two\n\
             \\ No newline at end of file\n"
        );
        // the line end itself fixed away
        assert_eq!(
            diff("one\n", &[("\n", "")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1 +1 @@\n-one\n+one\n\
             \\ No newline at end of file\n"
        );
    }

    #[test]
    fn lines_removed_and_added() {
        assert_eq!(
            diff("a\nx\nb\n", &[("x\n", "")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,3 +1,2 @@\n a\n-x\n b\n"
        );
        assert_eq!(
            diff("a\nb\n", &[("b", "new\nb")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,2 +1,3 @@\n a\n+new\n b\n"
        );
        // everything removed
        assert_eq!(
            diff("a\n", &[("a\n", "")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1 +0,0 @@\n-a\n"
        );
        // a replacement over lines: lines at its ends that come out the
        // same are context; the lines between are all shown replaced
        assert_eq!(
            diff("a\nb x\nc\nd\n", &[("x\nc\nd", "y\nc\nd")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,4 +1,4 @@\n a\n-b x\n+b y\n c\n d\n"
        );
        assert_eq!(
            diff("a\nb x\nc\nd\n", &[("x\nc\nd", "y\nc\nD")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,4 +1,4 @@\n a\n-b x\n-c\n-d\n+b y\n+c\n+D\n"
        );
    }

    #[test]
    fn each_changed_line_is_shown_where_the_fix_changed_it() {
        // a line diff would keep the second old line as the first new one
        // (-x, y, +z); the fix changed both lines
        assert_eq!(
            diff("x\ny\n", &[("x", "y"), ("y", "z")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,2 +1,2 @@\n-x\n-y\n+y\n+z\n"
        );
        // a line emptied beside a blank one stays in its place, not matched
        // with the blank line
        assert_eq!(
            diff("t\n\nP x\n", &[("t", ""), (" x", "")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,3 +1,3 @@\n-t\n+\n \n-P x\n+P\n"
        );
    }

    #[test]
    fn line_ends_are_kept_as_they_are() {
        assert_eq!(
            diff("a\r\nb x\r\nc\r\n", &[(" x", "")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,3 +1,3 @@\n a\r\n-b x\r\n+b\r\n c\r\n"
        );
        // a `\n` put after a lone `\r` makes one line end of the two
        assert_eq!(
            diff("a\rb\n", &[("b", "\nb")]),
            "--- a/f.md\n+++ b/f.md\n@@ -1,2 +1,2 @@\n-a\r+a\r\n b\n"
        );
    }

    #[test]
    fn edits_of_two_passes_make_one_diff() {
        let old = "keep\nCertainly! Great question! Here.\nkeep\n";
        let first = [Edit {
            range: 5..16,
            replacement: String::new(),
            rule: 0,
            findings: 1,
        }];
        let mid = apply(old, &first);
        let second = [Edit {
            range: 5..21,
            replacement: String::new(),
            rule: 0,
            findings: 1,
        }];
        let new = apply(&mid, &second);
        assert_eq!(new, "keep\nHere.\nkeep\n");
        let changes = compose(&compose(&[], &first), &second);
        assert_eq!(
            unified_diff("/abs/f.md", old, &new, &changes),
            "--- /abs/f.md\n+++ /abs/f.md\n@@ -1,3 +1,3 @@\n keep\n\
             -Certainly! Great question! Here.\n+Here.\n keep\n"
        );
        assert_eq!(unified_diff("f.md", old, old, &[]), "");
    }
}
