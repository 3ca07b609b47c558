//! Output formats, one file each, all behind the [`Reporter`] trait.
//!
//! A reporter never filters or scores: it writes what the engine found, in
//! the order documents are given to it. Only this module and `main.rs`
//! write to stdout.
//!
//! May use `engine`, `rules` and `text`; never `cli`.

mod compact;
mod github;
pub mod html;
mod human;
mod json;
mod pieces;
pub mod rules;
mod sarif;
pub mod score;

use std::io::{self, Write};

use crate::engine::Finding;
use crate::rules::{RuleSet, Severity};
use crate::text::Document;

pub use compact::Compact;
pub use github::{Github, escape_data, escape_property};
pub use human::{Human, severity_styled};
pub use json::{JSON_VERSION, Json};
pub use sarif::{SARIF_SCHEMA, Sarif, path_to_uri};

/// Everything a reporter needs about one checked document.
#[derive(Debug)]
pub struct DocReport<'a> {
    /// The name to show (path as given, or the stdin name).
    pub path: &'a str,
    /// The document, for its source text and line index.
    pub doc: &'a Document,
    /// Findings, sorted by position.
    pub findings: &'a [Finding],
    /// The document score (0-100) to one decimal, the value `--max-score`
    /// compares ([`crate::score::shown`]).
    pub score: Option<f64>,
}

/// Totals over a whole run, given to [`Reporter::finish`].
#[derive(Clone, Debug, Default)]
pub struct RunSummary {
    /// Documents checked.
    pub files: usize,
    /// Findings by severity: info, warning, error.
    pub by_severity: [usize; 3],
    /// Inputs that could not be read.
    pub errors: usize,
    /// What went wrong with them, one line each as stderr says it, for
    /// formats that carry it (SARIF's tool notifications).
    pub problems: Vec<String>,
}

impl RunSummary {
    /// Adds one document's findings to the totals.
    pub fn add(&mut self, findings: &[Finding]) {
        self.files += 1;
        for f in findings {
            self.by_severity[f.severity as usize] += 1;
        }
    }

    /// Adds one document's findings, counted already (by `Severity as
    /// usize`).
    pub fn add_counted(&mut self, by_severity: [usize; 3]) {
        self.files += 1;
        for (total, n) in self.by_severity.iter_mut().zip(by_severity) {
            *total += n;
        }
    }

    /// Total number of findings.
    pub fn findings(&self) -> usize {
        self.by_severity.iter().sum()
    }
}

/// Writes findings in one output format.
pub trait Reporter {
    /// Called once per document, in input order.
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()>;
    /// Called after the last document; formats that need the whole run write here.
    fn finish(&mut self, _out: &mut dyn Write, _run: &RunSummary) -> io::Result<()> {
        Ok(())
    }
}

/// The output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Annotated source snippets, for people at a terminal.
    Human,
    /// One line per finding: `path:line:col: severity [rule-id] message`.
    Compact,
    /// One JSON document for the run (see docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other analysis viewers.
    Sarif,
    /// GitHub Actions workflow commands, shown as annotations on pull requests.
    Github,
}

/// Options shared by the formats.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReportOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Print findings only: no summaries.
    pub quiet: bool,
    /// Threads a format may use to write one very large file's findings
    /// (0 or 1: only the calling thread).
    pub threads: usize,
}

/// The reporter for `format`.
pub fn reporter<'r>(
    format: Format,
    rules: &'r RuleSet,
    options: ReportOptions,
) -> Box<dyn Reporter + 'r> {
    match format {
        Format::Human => Box::new(Human::new(rules, options)),
        Format::Compact => Box::new(Compact::new(rules)),
        Format::Json => Box::new(Json::new(rules, options.threads)),
        Format::Sarif => Box::new(Sarif::new(rules)),
        Format::Github => Box::new(Github::new(rules)),
    }
}

/// "3 warnings, 1 info" for the non-zero counts, most severe first.
pub fn count_phrase(by_severity: [usize; 3]) -> String {
    let mut parts = Vec::new();
    for sev in [Severity::Error, Severity::Warning, Severity::Info] {
        let n = by_severity[sev as usize];
        if n > 0 {
            parts.push(format!(
                "{n} {}{}",
                sev.name(),
                if n == 1 { "" } else { "s" }
            ));
        }
    }
    if parts.is_empty() {
        "no findings".to_string()
    } else {
        parts.join(", ")
    }
}

/// Joins the hard-wrapped lines of each paragraph of `text` into one line,
/// keeping blank lines between paragraphs: for viewers that wrap text
/// themselves (SARIF viewers, editor hovers).
pub fn unwrap_paragraphs(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|para| !para.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
