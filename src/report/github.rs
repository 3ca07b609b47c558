//! GitHub Actions workflow commands: one `::warning file=…,line=…::message`
//! line per finding, which the runner turns into annotations on the pull
//! request's changed lines.
//!
//! Severity maps to the command: `error` to `::error`, `warning` to
//! `::warning`, `info` to `::notice`. Columns are 1-based characters and the
//! end column is exclusive, the same positions as every other format. A
//! finding over several lines gives its lines only: GitHub takes columns
//! on one line alone, and the runner drops them from a range of lines.

use std::io::{self, Write};

use super::{DocReport, Reporter};
use crate::rules::{RuleSet, Severity};

/// The workflow-command format.
pub struct Github<'r> {
    rules: &'r RuleSet,
}

impl<'r> Github<'r> {
    /// A GitHub Actions reporter for findings of `rules`.
    pub fn new(rules: &'r RuleSet) -> Self {
        Github { rules }
    }
}

impl Reporter for Github<'_> {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        for f in doc.findings {
            let rule = &self.rules.rules()[f.rule];
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (col, end_col) = if f.start.line == f.end.line {
                (
                    format!(",col={}", f.start.column),
                    format!(",endColumn={}", f.end.column),
                )
            } else {
                (String::new(), String::new())
            };
            writeln!(
                out,
                "::{command} file={},line={}{col},endLine={}{end_col},title={}::{}",
                escape_property(doc.path),
                f.start.line,
                f.end.line,
                escape_property(&format!("telltale ({})", rule.id)),
                escape_data(&format!("[{}] {}", rule.id, f.message(rule))),
            )?;
        }
        Ok(())
    }
}

/// Escapes the message part of a workflow command (after `::`).
///
/// The runner decodes `%25`, `%0D` and `%0A`; anything else is literal, so
/// `%` must be escaped first or a literal `%0A` in the text would turn into a
/// line break.
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// Escapes a property value (`file=`, `title=`): as [`escape_data`], plus
/// `:` and `,`, which would otherwise end the value.
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_first() {
        assert_eq!(escape_data("100%"), "100%25");
        assert_eq!(escape_data("a%0Ab"), "a%250Ab");
        assert_eq!(escape_data("two\r\nlines"), "two%0D%0Alines");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
    }

    #[test]
    fn properties_escape_separators() {
        assert_eq!(
            escape_property("docs/a,b:c %d\n.md"),
            "docs/a%2Cb%3Ac %25d%0A.md"
        );
    }
}
