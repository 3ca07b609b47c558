//! Annotated diagnostics for people, rendered with codespan-reporting: the
//! rule and message, `path:line:column`, the source line with the span
//! underlined, help and suggestion, and a summary line per file.

use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::WriteColor;
use codespan_reporting::term::{self, Config, termcolor};

use super::{DocReport, ReportOptions, Reporter, RunSummary, count_phrase};
use crate::engine::Finding;
use crate::rules::{RuleSet, Severity};
use crate::text::LineIndex;

/// Longest stretch of a line shown around a finding; longer lines are cut.
const MAX_SNIPPET: usize = 400;

/// The annotated-snippet format.
pub struct Human<'r> {
    rules: &'r RuleSet,
    options: ReportOptions,
    config: Config,
}

impl<'r> Human<'r> {
    /// A human reporter for findings of `rules`.
    pub fn new(rules: &'r RuleSet, options: ReportOptions) -> Self {
        Human {
            rules,
            options,
            config: Config::default(),
        }
    }

    fn diagnostic(&self, f: &Finding, window: &Window<'_>) -> Diagnostic<()> {
        let rule = &self.rules.rules()[f.rule];
        let severity = codespan_severity(f.severity);
        let mut label = Label::primary((), window.local(f.span.clone()));
        if let Some(text) = &rule.label {
            label = label.with_message(text);
        }
        let mut notes = Vec::new();
        if let Some(help) = &rule.help {
            notes.push(format!("help: {help}"));
        }
        match f.suggestion() {
            Some("") => notes.push("suggestion: delete it".to_string()),
            Some(s) => notes.push(format!("suggestion: replace with \u{201C}{s}\u{201D}")),
            None => {}
        }
        Diagnostic::new(severity)
            .with_code(&rule.id)
            .with_message(f.message(rule))
            .with_label(label)
            .with_notes(notes)
    }
}

impl Reporter for Human<'_> {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        let mut buf = if self.options.color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        let source = doc.doc.source();
        for f in doc.findings {
            let mut window = Window::around(doc.path, source, doc.doc.lines(), f.span.clone());
            window.anchor(f);
            let diag = self.diagnostic(f, &window);
            term::emit_to_write_style(&mut buf, &self.config, &window, &diag)
                .map_err(io::Error::other)?;
        }
        let rendered = rename_notes(buf.as_slice());
        out.write_all(&rendered)?;
        if !self.options.quiet && !doc.findings.is_empty() {
            let mut counts = [0; 3];
            for f in doc.findings {
                counts[f.severity as usize] += 1;
            }
            let score = doc
                .score
                // as given (to one decimal, `--max-score` compares the
                // same value): rounded to a whole number, 96.6 showed as 97
                // and passed --max-score 97
                .map(|s| format!(", score {s}"))
                .unwrap_or_default();
            writeln!(out, "{}: {}{score}", doc.path, count_phrase(counts))?;
            writeln!(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, run: &RunSummary) -> io::Result<()> {
        if self.options.quiet {
            return Ok(());
        }
        let files = if run.files == 1 { "file" } else { "files" };
        writeln!(
            out,
            "{} {files} checked: {}",
            run.files,
            count_phrase(run.by_severity)
        )
    }
}

/// codespan's level for a severity; its "note" is telltale's info.
fn codespan_severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Info => CsSeverity::Note,
        Severity::Warning => CsSeverity::Warning,
        Severity::Error => CsSeverity::Error,
    }
}

/// `text` in the colour this format gives a finding of `severity`, so a
/// severity looks the same in every command; dimmed for a rule that is off
/// (`None`). As it is when `color` is false.
pub fn severity_styled(text: &str, severity: Option<Severity>, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let spec = match severity {
        Some(s) => term::Styles::default().header(codespan_severity(s)).clone(),
        None => termcolor::ColorSpec::new().set_dimmed(true).clone(),
    };
    let mut buf = termcolor::Buffer::ansi();
    // writing to memory cannot fail
    let _ = buf.set_color(&spec);
    let _ = buf.write_all(text.as_bytes());
    let _ = buf.reset();
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

/// codespan calls the lowest level "note"; telltale calls it "info".
fn rename_notes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at_line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        if at_line_start && bytes[i..].starts_with(b"note[") {
            out.extend_from_slice(b"info[");
            i += 5;
            at_line_start = false;
            continue;
        }
        // coloured output starts the header with an escape sequence
        if at_line_start && bytes[i] == 0x1b {
            let esc_end = bytes[i..]
                .iter()
                .position(|&b| b == b'm')
                .map_or(bytes.len(), |p| i + p + 1);
            out.extend_from_slice(&bytes[i..esc_end]);
            i = esc_end;
            continue;
        }
        at_line_start = bytes[i] == b'\n';
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The part of a file shown for one finding: whole lines when they are
/// short, a cut around the span when a line is very long. Line and column
/// numbers are always those of the whole file.
struct Window<'a> {
    name: &'a str,
    source: &'a str,
    lines: &'a LineIndex,
    range: Range<usize>,
    first_line: usize,
    /// A byte offset on the first line, at or after its start, and its
    /// 1-based column: columns there are counted on from it.
    anchor: Option<(usize, usize)>,
}

impl<'a> Window<'a> {
    fn around(name: &'a str, source: &'a str, lines: &'a LineIndex, span: Range<usize>) -> Self {
        let first_line = lines.line_of(span.start);
        let last_line = lines.line_of(
            span.end
                .max(span.start + 1)
                .min(source.len())
                .saturating_sub(1)
                .max(span.start),
        );
        let start = lines.line_start(first_line).min(span.start);
        let end = lines.line_range(source, last_line).end.max(span.end);
        let mut range = start..end;
        if range.len() > MAX_SNIPPET + span.len().min(MAX_SNIPPET) {
            let lo = floor_char(
                source,
                span.start.saturating_sub(MAX_SNIPPET / 4).max(start),
            );
            let hi = ceil_char(
                source,
                (span.end.min(span.start + MAX_SNIPPET) + MAX_SNIPPET / 4).min(end),
            );
            range = lo..hi;
        }
        Window {
            name,
            source,
            lines,
            range,
            first_line,
            anchor: None,
        }
    }

    /// Takes the column of `f`'s start, already worked out, as the point
    /// columns on the first line are counted from. Counted from the line's
    /// start instead, each finding on a line of megabytes cost the length
    /// of the line before it, and such a line's findings all together the
    /// square of it (docs/hardening.md, "Scaling").
    fn anchor(&mut self, f: &Finding) {
        let line_start = self.lines.line_start(self.first_line);
        if f.start.line == self.first_line + 1 && f.span.start >= line_start {
            self.anchor = Some((f.span.start, f.start.column));
        }
    }

    /// A file range as a range into the window.
    fn local(&self, span: Range<usize>) -> Range<usize> {
        let s = span.start.clamp(self.range.start, self.range.end) - self.range.start;
        let e = span.end.clamp(self.range.start, self.range.end) - self.range.start;
        s..e.max(s)
    }
}

/// Characters begun in `bytes`: all but UTF-8 continuation bytes, counted
/// as [`LineIndex::line_col`] counts columns.
fn characters(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl<'a> Files<'a> for Window<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.source[self.range.clone()])
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.lines.line_of(self.range.start + byte_index) - self.first_line)
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        Ok(self.first_line + line_index + 1)
    }

    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let at = self.range.start + byte_index;
        if let Some((from, column)) = self.anchor
            && at >= self.lines.line_start(self.first_line)
            && self.lines.line_of(at) == self.first_line
        {
            let bytes = self.source.as_bytes();
            return Ok(if at >= from {
                column + characters(&bytes[from..at])
            } else {
                column.saturating_sub(characters(&bytes[at..from]))
            });
        }
        Ok(self.lines.line_col(self.source, at).column)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let line = self.first_line + line_index;
        let full = self.lines.line_range(self.source, line);
        // The window's first line starts where the window does: a finding
        // may begin inside the byte-order mark the line index skips.
        let start = if line == self.first_line {
            self.range.start
        } else {
            full.start.clamp(self.range.start, self.range.end)
        };
        let end = full.end.clamp(self.range.start, self.range.end);
        Ok(start - self.range.start..end - self.range.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_on_a_long_first_line_are_counted_on_from_the_finding() {
        let source = format!(
            "\u{feff}{}tail \u{e9} end\nnext\n",
            "\u{e9} word ".repeat(10_000)
        );
        let lines = LineIndex::new(&source);
        let from = source.find("tail").expect("tail");
        let mut w = Window::around("f", &source, &lines, from..from + 4);
        assert!(w.range.start > 1000, "a cut of the long line");
        w.anchor = Some((from, lines.line_col(&source, from).column));
        for at in w.range.clone().filter(|&at| source.is_char_boundary(at)) {
            let got = w.column_number((), 0, at - w.range.start).expect("column");
            assert_eq!(got, lines.line_col(&source, at).column, "at {at}");
        }
        // counted from the anchor, not from the line's start megabytes back:
        // a made-up anchor shows through
        w.anchor = Some((from, 1));
        assert_eq!(
            w.column_number((), 0, from + 7 - w.range.start).ok(),
            Some(7)
        );
    }
}
