//! One JSON document for the whole run, for scripts and other tools:
//! `{"version": 1, "files": [...], "summary": {...}}`, described field by
//! field in `docs/json-output.md`.
//!
//! The document is streamed: the opening is written before the first file,
//! each file's object on a line of its own as soon as it is checked, and the
//! summary at the end. Memory does not grow with the number of files, and
//! the output is still one valid JSON value.

use std::io::{self, Write};

use serde::Serialize;

use super::{DocReport, Reporter, RunSummary};
use crate::rules::{RuleSet, Severity};

/// The version of the document's shape; raised on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// The JSON document format.
pub struct Json<'r> {
    rules: &'r RuleSet,
    files_written: usize,
}

impl<'r> Json<'r> {
    /// A JSON reporter for findings of `rules`.
    pub fn new(rules: &'r RuleSet) -> Self {
        Json {
            rules,
            files_written: 0,
        }
    }
}

/// One checked file, as serialized.
#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    format: &'static str,
    words: usize,
    score: Option<f64>,
    findings: Vec<FindingEntry<'a>>,
}

/// One finding, as serialized.
#[derive(Serialize)]
struct FindingEntry<'a> {
    rule: &'a str,
    category: &'a str,
    severity: Severity,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start: usize,
    end: usize,
    text: &'a str,
    suggestion: Option<&'a str>,
}

/// The run's totals, as serialized.
#[derive(Serialize)]
struct SummaryEntry {
    files: usize,
    findings: usize,
    by_severity: BySeverity,
    errors: usize,
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    info: usize,
}

impl Reporter for Json<'_> {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        let source = doc.doc.source();
        let findings = doc
            .findings
            .iter()
            .map(|f| {
                let rule = &self.rules.rules()[f.rule];
                FindingEntry {
                    rule: &rule.id,
                    category: &rule.category,
                    severity: f.severity,
                    message: &f.message,
                    line: f.start.line,
                    column: f.start.column,
                    end_line: f.end.line,
                    end_column: f.end.column,
                    start: f.span.start,
                    end: f.span.end,
                    text: source.get(f.span.clone()).unwrap_or_default(),
                    suggestion: f.suggestion.as_deref(),
                }
            })
            .collect();
        let entry = FileEntry {
            path: doc.path,
            format: doc.doc.markup().name(),
            words: doc.doc.word_count(),
            score: doc.score.filter(|s| s.is_finite()),
            findings,
        };
        if self.files_written == 0 {
            writeln!(out, "{{\"version\":{JSON_VERSION},\"files\":[")?;
        } else {
            out.write_all(b",\n")?;
        }
        // serde_json writes many small pieces, each a dynamic call through
        // `out`: gather them in a small buffer (not the whole entry, which
        // for a huge file is hundreds of megabytes)
        let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *out);
        serde_json::to_writer(&mut buffered, &entry)?;
        buffered.flush()?;
        self.files_written += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, run: &RunSummary) -> io::Result<()> {
        if self.files_written == 0 {
            write!(out, "{{\"version\":{JSON_VERSION},\"files\":[")?;
        } else {
            out.write_all(b"\n")?;
        }
        let summary = SummaryEntry {
            files: run.files,
            findings: run.findings(),
            by_severity: BySeverity {
                error: run.by_severity[Severity::Error as usize],
                warning: run.by_severity[Severity::Warning as usize],
                info: run.by_severity[Severity::Info as usize],
            },
            errors: run.errors,
        };
        out.write_all(b"],\"summary\":")?;
        serde_json::to_writer(&mut *out, &summary)?;
        out.write_all(b"}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Selection};
    use crate::text::Document;

    fn render(texts: &[&str]) -> serde_json::Value {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let mut reporter = Json::new(&rules);
        let mut out = Vec::new();
        let mut run = RunSummary::default();
        for (i, text) in texts.iter().enumerate() {
            let doc = Document::plain(*text);
            let checked = engine::check(&doc, &rules, &Selection::all(&rules));
            run.add(&checked.findings);
            let path = format!("doc{i}.txt");
            reporter
                .document(
                    &mut out,
                    &DocReport {
                        path: &path,
                        doc: &doc,
                        findings: &checked.findings,
                        score: None,
                    },
                )
                .expect("write to memory");
        }
        reporter.finish(&mut out, &run).expect("write to memory");
        serde_json::from_slice(&out).expect("one valid JSON document")
    }

    #[test]
    fn no_files_is_still_a_document() {
        let v = render(&[]);
        assert_eq!(v["version"], 1);
        assert_eq!(v["files"].as_array().map(Vec::len), Some(0));
        assert_eq!(v["summary"]["files"], 0);
    }

    #[test]
    fn several_files_are_separated() {
        let v = render(&["Let us delve into it.", "Plain words.", "Delve deeper."]);
        let files = v["files"].as_array().expect("files array");
        assert_eq!(files.len(), 3);
        assert_eq!(files[1]["findings"].as_array().map(Vec::len), Some(0));
        assert_eq!(files[0]["findings"][0]["text"], "delve");
        assert_eq!(v["summary"]["files"], 3);
    }
}
