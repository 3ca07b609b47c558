//! Fixes: applies the replacements that rules suggest (`suggest` in a pack)
//! to a document's source, shows them as a unified diff, and writes the
//! result back atomically.
//!
//! Fixing runs in passes. A pass takes the findings that carry a suggestion
//! in position order and applies each one that does not overlap an edit
//! already taken (so which of two overlapping fixes wins never depends on
//! anything but positions and rule order); the text is then checked again
//! and the next pass picks up what was left or newly found, until nothing
//! is left to fix. That makes fixing idempotent: fixing a fixed file
//! changes nothing.
//!
//! Writing never leaves a half-written file: the new text goes to a
//! temporary file in the same folder, is flushed to disk, takes the old
//! file's permissions and is renamed over it. A file whose bytes changed
//! since they were read is not written, nor is a read-only file.
//!
//! May use `engine`, `rules` and `text`; never `report` or `cli`.

mod diff;
pub mod disable;

use std::borrow::Cow;
use std::fs;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::engine::{self, Finding};

pub use diff::unified_diff;

/// Most passes of fix-and-recheck before giving up on reaching a fixed
/// point (a fix that keeps re-creating what it fixes).
pub const MAX_PASSES: usize = 10;

/// One replacement of a byte range of the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Bytes replaced.
    pub range: Range<usize>,
    /// Text put in their place.
    pub replacement: String,
    /// Index of the rule that suggested it.
    pub rule: usize,
    /// How many findings it fixes: more than one for deletions merged
    /// because they shared the spaces around them.
    pub findings: usize,
}

/// Picks the edits of one pass: every finding with a suggestion, in order
/// of start, end and rule, skipping any that overlaps one already picked or
/// would change nothing. Deletions also take the spaces they would leave
/// doubled or stranded (see [`widen_deletion`]).
pub fn edits(source: &str, findings: &[Finding]) -> Vec<Edit> {
    let mut candidates: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.suggestion().is_some())
        .collect();
    candidates.sort_by_key(|f| (f.span.start, f.span.end, f.rule));
    let mut picked: Vec<Edit> = Vec::new();
    // the range each picked deletion was asked for, before widening
    let mut asked: Vec<Option<Range<usize>>> = Vec::new();
    for f in candidates {
        let Some(replacement) = f.suggestion() else {
            continue;
        };
        let range = f.span.clone();
        if range.end > source.len()
            || !source.is_char_boundary(range.start)
            || !source.is_char_boundary(range.end)
            || source[range.clone()] == *replacement
        {
            continue;
        }
        let raw = range.clone();
        let range = if replacement.is_empty() {
            match widen_deletion(source, range) {
                Some(r) => r,
                None => continue,
            }
        } else {
            range
        };
        // two deletions that overlap or touch only by the spaces each would
        // take (`a <!-- x --> <!-- y -->`) are one deletion of both, widened
        // again: skipped, the second would wait for a pass that may not
        // come (not every rule is rechecked between passes)
        if let (Some(last), Some(Some(last_asked))) = (picked.last(), asked.last())
            && replacement.is_empty()
            && range.start <= last.range.end
            && raw.start >= last_asked.end
        {
            let before = picked
                .len()
                .checked_sub(2)
                .map_or(0, |i| picked[i].range.end);
            let both = last_asked.start..raw.end.max(last_asked.end);
            if let Some(merged) = widen_deletion(source, both.clone()).filter(|r| r.start >= before)
            {
                let n = picked.len() - 1;
                picked[n].range = merged;
                picked[n].findings += 1;
                asked[n] = Some(both);
                continue;
            }
        }
        if picked.last().is_some_and(|last| {
            range.start < last.range.end
                || (range.start == last.range.end && range.is_empty() && last.range.is_empty())
        }) {
            continue;
        }
        asked.push(replacement.is_empty().then_some(raw));
        picked.push(Edit {
            range,
            replacement: replacement.to_string(),
            rule: f.rule,
            findings: 1,
        });
    }
    picked
}

/// Widens a deletion so it leaves no empty markup and tidy spacing, or
/// returns `None` when it cannot be done cleanly.
///
/// Emphasis that would be left empty goes with it (`**Certainly!** Here` →
/// `Here`); a deletion that would empty a link's text or an HTML element is
/// refused. Then the spaces after it go when it starts a line or follows a
/// space ("Certainly! Here" → "Here", "a \[x\] b" → "a b"), and the spaces
/// before it go when it ends a line or precedes punctuation or a closing
/// tag ("done \[x\]." → "done."). A deletion that empties its line takes
/// the line, and when the line stood alone between blank lines, one of
/// them too, so no blank lines are left doubled.
pub fn widen_deletion(source: &str, range: Range<usize>) -> Option<Range<usize>> {
    let mut range = engine::deletion_span(source, range)?;
    if let Some(line) = emptied_line(source, &range) {
        return Some(line);
    }
    let before = source[..range.start].chars().next_back();
    let after = source[range.end..].chars().next();
    let is_space = |c: char| c == ' ' || c == '\t';
    // a byte-order mark is no text: after one, the deletion starts the
    // line; nor is an opening tag (`<p>Certainly! Here` → `<p>Here`)
    let line_start = |c: char| {
        c == '\n'
            || (c == '\u{feff}' && range.start == c.len_utf8())
            || (c == '>' && after_opening_tag(&source[..range.start]))
    };
    if after.is_some_and(is_space) && before.is_none_or(|c| line_start(c) || is_space(c)) {
        let rest = &source[range.end..];
        range.end += rest.len() - rest.trim_start_matches(is_space).len();
    } else if before.is_some_and(is_space)
        && (after.is_none_or(|c| matches!(c, '\n' | '\r' | '.' | ',' | ';' | ':' | '!' | '?'))
            // a closing tag ends the text as a line end does (`words. </p>`)
            || source[range.end..].starts_with("</"))
    {
        let head = &source[..range.start];
        let trimmed = head.trim_end_matches(is_space);
        // keep the indentation of a line the deletion empties
        if !(trimmed.is_empty() || trimmed.ends_with('\n')) {
            range.start = trimmed.len();
        }
    }
    Some(range)
}

/// Whether `head` ends with an opening HTML tag (`<p>`, `<li class="x">`),
/// after which text starts as at the start of a line.
fn after_opening_tag(head: &str) -> bool {
    let Some(open) = head.rfind('<') else {
        return false;
    };
    let tag = &head[open + 1..head.len() - 1];
    tag.starts_with(|c: char| c.is_ascii_alphabetic()) && !tag.contains(['<', '>', '\n'])
}

/// The lines a deletion of `range` should take instead, when it leaves
/// nothing but spaces on its line and a line end follows: the line with
/// its line end, and the blank line after it as well when a blank line
/// (or the start of the text) is also before it. A byte-order mark stays.
fn emptied_line(source: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let text_start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let blank = |s: &str| s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
    let begin = source[..range.start]
        .rfind('\n')
        .map_or(text_start, |i| i + 1)
        .max(text_start);
    let end = range.end + source[range.end..].find('\n')? + 1;
    if !blank(&source[begin..range.start]) || !blank(&source[range.end..end - 1]) {
        return None;
    }
    let before = &source[text_start..begin];
    let blank_before = before.is_empty() || {
        let above = &before[..before.len() - 1];
        blank(&above[above.rfind('\n').map_or(0, |i| i + 1)..])
    };
    let next_end = source[end..].find('\n').map(|i| end + i + 1);
    match next_end {
        Some(next) if blank_before && blank(&source[end..next - 1]) => Some(begin..next),
        _ => Some(begin..end),
    }
}

/// Applies edits sorted by position and not overlapping (as [`edits`]
/// returns them).
pub fn apply(source: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&source[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&source[at..]);
    out
}

/// Applies edits as [`apply`] does, but in `text`'s own buffer, so the old
/// and new texts of a large file are not both held at once. The text is
/// first moved up by what the edits add at most, so the rewrite, going
/// forwards, never overtakes what it has yet to read.
pub fn apply_in_place(text: &mut String, edits: &[Edit]) {
    let grow: usize = edits
        .iter()
        .map(|e| e.replacement.len().saturating_sub(e.range.len()))
        .sum();
    let mut bytes = std::mem::take(text).into_bytes();
    let len = bytes.len();
    if grow > 0 {
        bytes.resize(len + grow, 0);
        bytes.copy_within(0..len, grow);
    }
    // the old text now starts at `grow`; `at` is a position in it
    let (mut w, mut at) = (0, 0);
    for e in edits {
        bytes.copy_within(grow + at..grow + e.range.start, w);
        w += e.range.start - at;
        bytes[w..w + e.replacement.len()].copy_from_slice(e.replacement.as_bytes());
        w += e.replacement.len();
        at = e.range.end;
    }
    bytes.copy_within(grow + at..grow + len, w);
    w += len - at;
    bytes.truncate(w);
    // edits replace whole characters with whole strings
    *text = String::from_utf8(bytes).expect("edits keep the text UTF-8");
}

/// A stretch of the source and the stretch of the fixed text that took its
/// place; the text between two changes is the same on both sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Bytes of the source.
    pub old: Range<usize>,
    /// Bytes of the fixed text.
    pub new: Range<usize>,
}

/// Folds one pass's `edits` (of the text the `changes` made from the
/// source) into `changes`, so they go from the source straight to the text
/// the pass makes; changes that overlap or touch become one. One sweep over
/// both lists, which are sorted and do not overlap.
pub fn compose(changes: &[Change], edits: &[Edit]) -> Vec<Change> {
    let mut out = Vec::with_capacity(changes.len() + edits.len());
    let (mut i, mut j) = (0, 0);
    // text before the sweep: current minus source length, pass result
    // minus current length
    let (mut grown, mut pass_grown) = (0isize, 0isize);
    let shift = |at: usize, by: isize| at.checked_add_signed(by).expect("offset in text");
    loop {
        let next_change = changes.get(i).map(|c| c.new.start);
        let next_edit = edits.get(j).map(|e| e.range.start);
        let start = match (next_change, next_edit) {
            (None, None) => break,
            (Some(c), Some(e)) => c.min(e),
            (Some(c), None) => c,
            (None, Some(e)) => e,
        };
        let old_start = shift(start, -grown);
        let new_start = shift(start, pass_grown);
        let mut end = start;
        loop {
            if let Some(c) = changes.get(i).filter(|c| c.new.start <= end) {
                end = end.max(c.new.end);
                grown += c.new.len() as isize - c.old.len() as isize;
                i += 1;
            } else if let Some(e) = edits.get(j).filter(|e| e.range.start <= end) {
                end = end.max(e.range.end);
                pass_grown += e.replacement.len() as isize - e.range.len() as isize;
                j += 1;
            } else {
                break;
            }
        }
        out.push(Change {
            old: old_start..shift(end, -grown),
            new: new_start..shift(end, pass_grown),
        });
    }
    out
}

/// The outcome of fixing one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    /// The fixed text (the source itself when nothing applied).
    pub text: String,
    /// What changed, from the source to `text`, in order.
    pub changes: Vec<Change>,
    /// Number of findings fixed over all passes (an edit that merged
    /// several deletions counts each).
    pub applied: usize,
    /// Whether the last pass left nothing to fix; false when
    /// [`MAX_PASSES`] ran out first.
    pub settled: bool,
}

/// Fixes `source` in passes until no finding with a suggestion is left.
///
/// `findings` are those of `source`; `recheck` checks a fixed text and
/// returns its findings.
pub fn fix(
    source: &str,
    findings: &[Finding],
    mut recheck: impl FnMut(&str) -> Vec<Finding>,
) -> Fixed {
    let mut text = Cow::Borrowed(source);
    let mut changes = Vec::new();
    let mut applied = 0;
    let mut pass = edits(source, findings);
    for _ in 0..MAX_PASSES {
        if pass.is_empty() {
            return Fixed {
                text: text.into_owned(),
                changes,
                applied,
                settled: true,
            };
        }
        applied += pass.iter().map(|e| e.findings).sum::<usize>();
        // the first pass reads the source, later ones rewrite the text in
        // place: a large file's source and fixed text are the most held
        if let Cow::Owned(t) = &mut text {
            apply_in_place(t, &pass);
        } else {
            text = Cow::Owned(apply(&text, &pass));
        }
        changes = compose(&changes, &pass);
        pass = edits(&text, &recheck(&text));
    }
    Fixed {
        settled: pass.is_empty(),
        text: text.into_owned(),
        changes,
        applied,
    }
}

/// Why a fixed file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file's bytes are no longer those that were checked.
    #[error("{path}: changed on disk since it was read; not fixed (run again)")]
    Changed {
        /// The path written to.
        path: String,
    },
    /// The file is read-only: renaming a new file over it would succeed
    /// wherever its folder is writable, but a read-only file (generated,
    /// or checked out for reading only) is one its owner asked not to
    /// have rewritten.
    #[error("{path}: read-only; not fixed")]
    ReadOnly {
        /// The path written to.
        path: String,
    },
    /// Reading, writing or renaming failed; the original file is untouched.
    #[error("{path}: could not write the fix: {source}")]
    Io {
        /// The path written to.
        path: String,
        /// The underlying error.
        source: io::Error,
    },
}

/// Replaces the contents of `path` with `new`, atomically, provided the
/// file still holds exactly `expected`.
///
/// A symbolic link is followed and its target rewritten, so the link stays
/// a link. The new file keeps the old one's permissions (not its owner). A
/// read-only file is not written, as a plain write would not be.
pub fn write_atomically(path: &Path, expected: &[u8], new: &[u8]) -> Result<(), WriteError> {
    let shown = path.display().to_string();
    let io_error = |source| WriteError::Io {
        path: shown.clone(),
        source,
    };
    let target: PathBuf = fs::canonicalize(path).map_err(io_error)?;
    let unchanged = |target: &Path| -> Result<(), WriteError> {
        let now = fs::read(target).map_err(io_error)?;
        if now == expected {
            Ok(())
        } else {
            Err(WriteError::Changed {
                path: shown.clone(),
            })
        }
    };
    unchanged(&target)?;
    let permissions = fs::metadata(&target).map_err(io_error)?.permissions();
    if permissions.readonly() {
        return Err(WriteError::ReadOnly { path: shown });
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".telltale-fix-")
        .tempfile_in(dir)
        .map_err(io_error)?;
    temp.write_all(new).map_err(io_error)?;
    temp.as_file().sync_all().map_err(io_error)?;
    fs::set_permissions(temp.path(), permissions).map_err(io_error)?;
    // the last look before the rename: a write that lands between this read
    // and the rename is the one race left, and it is a short one
    unchanged(&target)?;
    temp.persist(&target).map_err(|e| io_error(e.error))?;
    sync_dir(dir);
    Ok(())
}

/// Flushes a folder's entry list so the rename survives a crash; best
/// effort, as not every platform or file system can open a folder.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;
    use crate::text::LineCol;

    fn finding(source: &str, needle: &str, rule: usize, replacement: &str) -> Finding {
        let start = source.find(needle).expect("needle in source");
        let at = LineCol { line: 1, column: 1 };
        Finding::new(rule, Severity::Warning, start..start + needle.len(), at, at)
            .with_suggestion(Some(replacement.to_string().into()))
    }

    fn fixed(source: &str, findings: &[Finding]) -> String {
        apply(source, &edits(source, findings))
    }

    #[test]
    fn deletions_that_share_only_spaces_are_one_deletion() {
        // each would take the space between them: both go in one pass
        let s = "A line. <!-- x --> <!-- y -->\nNext";
        let both = [
            finding(s, "<!-- x -->", 0, ""),
            finding(s, "<!-- y -->", 1, ""),
        ];
        assert_eq!(edits(s, &both).len(), 1);
        assert_eq!(fixed(s, &both), "A line.\nNext");
        let s = "<!-- x --> <!-- y --> <!-- z -->\nNext";
        let all = [
            finding(s, "<!-- x -->", 0, ""),
            finding(s, "<!-- y -->", 0, ""),
            finding(s, "<!-- z -->", 0, ""),
        ];
        assert_eq!(fixed(s, &all), "Next");
        // one edit, three findings fixed, as the run's summary says
        assert_eq!(edits(s, &all).len(), 1);
        assert_eq!(fix(s, &all, |_| Vec::new()).applied, 3);
        // a replacement next to a deletion still waits
        let s = "Certainly! Yes [x] more.";
        let mixed = [finding(s, "[x]", 0, ""), finding(s, "more", 1, "less")];
        assert_eq!(fixed(s, &mixed), "Certainly! Yes less.");
    }

    #[test]
    fn a_deletion_before_a_closing_tag_takes_the_space_before_it() {
        let s = "<p>Plain words. <!-- x --></p>";
        let f = [finding(s, "<!-- x -->", 0, "")];
        assert_eq!(fixed(s, &f), "<p>Plain words.</p>");
        // an opening tag after it is text to come: the space stays
        let s = "<p>Plain words. <!-- x --><b>Bold</b></p>";
        let f = [finding(s, "<!-- x -->", 0, "")];
        assert_eq!(fixed(s, &f), "<p>Plain words. <b>Bold</b></p>");
    }

    #[test]
    fn deletions_leave_tidy_spacing() {
        let s = "Certainly! Here is the plan.";
        assert_eq!(
            fixed(s, &[finding(s, "Certainly!", 0, "")]),
            "Here is the plan."
        );
        let s = "A claim [oaicite:1] and more.";
        assert_eq!(
            fixed(s, &[finding(s, "[oaicite:1]", 0, "")]),
            "A claim and more."
        );
        let s = "A claim [oaicite:1].\nNext";
        assert_eq!(
            fixed(s, &[finding(s, "[oaicite:1]", 0, "")]),
            "A claim.\nNext"
        );
        let s = "Done. turn0search3\n";
        assert_eq!(fixed(s, &[finding(s, "turn0search3", 0, "")]), "Done.\n");
        let s = "<p>Certainly! Here.</p>";
        assert_eq!(fixed(s, &[finding(s, "Certainly!", 0, "")]), "<p>Here.</p>");
        // after a closing tag the space is a word's, and stays
        let s = "<b>Note</b> turn0search3 here.";
        assert_eq!(
            fixed(s, &[finding(s, "turn0search3", 0, "")]),
            "<b>Note</b> here."
        );
        let s = "<b>Note</b>turn0search3 here.";
        assert_eq!(
            fixed(s, &[finding(s, "turn0search3", 0, "")]),
            "<b>Note</b> here."
        );
        let s = "a->turn0search3 b";
        assert_eq!(fixed(s, &[finding(s, "turn0search3", 0, "")]), "a-> b");
        // a deletion that empties its line takes the line, and a blank
        // line beside it when it stood alone
        let s = "# T\n\nCertainly!\n\nText.\n";
        assert_eq!(
            fixed(s, &[finding(s, "Certainly!", 0, "")]),
            "# T\n\nText.\n"
        );
        let s = "Intro.\n  Certainly!  \r\nText.\n";
        assert_eq!(
            fixed(s, &[finding(s, "Certainly!", 0, "")]),
            "Intro.\nText.\n"
        );
        let s = "\u{feff}Certainly!\r\n\r\nText.\r\n";
        assert_eq!(
            fixed(s, &[finding(s, "Certainly!", 0, "")]),
            "\u{feff}Text.\r\n"
        );
        // a token alone on a line inside a paragraph: the paragraph stays
        // one (an emptied line would have split it in two)
        let s = "Sales rose\nturn0search1\nlast year.\n";
        assert_eq!(
            fixed(s, &[finding(s, "turn0search1", 0, "")]),
            "Sales rose\nlast year.\n"
        );
        // at the end of a text without a line end, the line stays
        let s = "Text.\n\nturn0search3";
        assert_eq!(fixed(s, &[finding(s, "turn0search3", 0, "")]), "Text.\n\n");
        // a byte-order mark stays, and the opener after it goes with its space
        let s = "\u{feff}Certainly! Here is the plan.\r\n";
        assert_eq!(
            fixed(s, &[finding(s, "Certainly!", 0, "")]),
            "\u{feff}Here is the plan.\r\n"
        );
    }

    #[test]
    fn deletions_take_emptied_markup_or_refuse() {
        let s = "**Certainly!** Here.";
        assert_eq!(fixed(s, &[finding(s, "Certainly!", 0, "")]), "Here.");
        let s = "A _b_ c";
        assert_eq!(fixed(s, &[finding(s, "b", 0, "")]), "A c");
        // only matching pairs go
        let s = "*__x_ y";
        assert_eq!(fixed(s, &[finding(s, "x", 0, "")]), "*_ y");
        let s = "_**x**_ y";
        assert_eq!(fixed(s, &[finding(s, "x", 0, "")]), "y");
        let s = "See [Certainly!](https://x.org) now.";
        assert_eq!(fixed(s, &[finding(s, "Certainly!", 0, "")]), s);
        let s = "<b>Certainly!</b> Yes.";
        assert_eq!(fixed(s, &[finding(s, "Certainly!", 0, "")]), s);
    }

    #[test]
    fn replacements_keep_spacing() {
        let s = "we utilize it";
        assert_eq!(fixed(s, &[finding(s, "utilize", 0, "use")]), "we use it");
    }

    #[test]
    fn overlapping_fixes_resolve_by_position_then_rule() {
        let s = "one two three";
        let a = finding(s, "one two", 1, "A");
        let b = finding(s, "two three", 0, "B");
        let c = finding(s, "one two", 0, "C");
        // same span: the lower rule index wins; the later overlap waits
        assert_eq!(fixed(s, &[a.clone(), b.clone(), c.clone()]), "C three");
        // input order does not matter
        assert_eq!(fixed(s, &[b, c, a]), "C three");
    }

    #[test]
    fn passes_continue_until_settled() {
        let s = "x one two three";
        // the overlapping second fix is found again on the fixed text
        let first = [
            finding(s, "one two", 0, "1"),
            finding(s, "two three", 1, "3"),
        ];
        let out = fix(s, &first, |text| {
            text.find("three")
                .map(|_| vec![finding(text, "three", 1, "3")])
                .unwrap_or_default()
        });
        assert_eq!(out.text, "x 1 3");
        assert_eq!(out.applied, 2);
        assert!(out.settled);
    }

    #[test]
    fn a_fix_that_recreates_itself_stops() {
        let s = "loop";
        let out = fix(s, &[finding(s, "loop", 0, "loop!")], |text| {
            vec![finding(text, "loop", 0, "loop!")]
        });
        assert!(!out.settled);
        assert_eq!(out.applied, MAX_PASSES);
    }

    #[test]
    fn applying_in_place_matches_applying_to_a_copy() {
        let edit = |range: Range<usize>, replacement: &str| Edit {
            range,
            replacement: replacement.to_string(),
            rule: 0,
            findings: 1,
        };
        let s = "aa bb cc dd ee ff — gg";
        let cases = [
            vec![],
            vec![edit(0..2, "")],
            vec![edit(0..0, "ZZZZ"), edit(3..5, "B")],
            // growth before shrinkage, an insertion, a multi-byte character
            vec![
                edit(0..2, "AAAAAAAA"),
                edit(3..5, ""),
                edit(9..9, "++"),
                edit(12..14, "E"),
                edit(18..21, "–––"),
                edit(22..24, "GGGGG"),
            ],
            vec![edit(3..5, "b"), edit(6..8, "cccccccc")],
            vec![edit(0..s.len(), "")],
        ];
        for edits in cases {
            let mut text = s.to_string();
            apply_in_place(&mut text, &edits);
            assert_eq!(text, apply(s, &edits), "{edits:?}");
        }
    }

    #[test]
    fn changes_compose_over_passes() {
        let edit = |range: Range<usize>, replacement: &str| Edit {
            range,
            replacement: replacement.to_string(),
            rule: 0,
            findings: 1,
        };
        let s = "aa bb cc dd ee";
        let first = [edit(3..5, "B"), edit(9..11, "DDDD")];
        let t = apply(s, &first);
        assert_eq!(t, "aa B cc DDDD ee");
        let changes = compose(&[], &first);
        assert_eq!(
            changes,
            [
                Change {
                    old: 3..5,
                    new: 3..4
                },
                Change {
                    old: 9..11,
                    new: 8..12
                }
            ]
        );
        // a second pass: one edit before, one touching a change, one
        // inside a change, one after
        let second = [
            edit(0..2, ""),
            edit(4..5, "-"),
            edit(9..10, "x"),
            edit(13..15, "E"),
        ];
        let u = apply(&t, &second);
        assert_eq!(u, " B-cc DxDD E");
        let changes = compose(&changes, &second);
        assert_eq!(
            changes,
            [
                Change {
                    old: 0..2,
                    new: 0..0
                },
                Change {
                    old: 3..6,
                    new: 1..3
                },
                Change {
                    old: 9..11,
                    new: 6..10
                },
                Change {
                    old: 12..14,
                    new: 11..12
                },
            ]
        );
        for c in &changes {
            assert!(s.get(c.old.clone()).is_some() && u.get(c.new.clone()).is_some());
        }
        // between changes the texts agree
        assert_eq!(&s[2..3], &u[0..1]);
        assert_eq!(&s[6..9], &u[3..6]);
        assert_eq!(&s[11..12], &u[10..11]);
    }
}
