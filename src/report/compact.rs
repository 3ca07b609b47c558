//! One line per finding, `path:line:col: severity [rule-id] message`: the
//! shape vim's `errorformat`, Emacs compilation mode and VS Code problem
//! matchers read.

use std::io::{self, Write};

use super::{DocReport, Reporter};
use crate::rules::RuleSet;

/// The compact line format.
pub struct Compact<'r> {
    rules: &'r RuleSet,
}

impl<'r> Compact<'r> {
    /// A compact reporter for findings of `rules`.
    pub fn new(rules: &'r RuleSet) -> Self {
        Compact { rules }
    }
}

impl Reporter for Compact<'_> {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        for f in doc.findings {
            let rule = &self.rules.rules()[f.rule];
            let message = f.message(rule).replace(['\n', '\r'], " ");
            writeln!(
                out,
                "{}:{}:{}: {} [{}] {}",
                doc.path, f.start.line, f.start.column, f.severity, rule.id, message
            )?;
        }
        Ok(())
    }
}
