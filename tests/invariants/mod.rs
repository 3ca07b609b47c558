//! The invariants every check must keep, whatever its input: shared by the
//! fuzz targets (`fuzz/fuzz_targets/*.rs` include this file by path) and by
//! the property tests in `tests/properties.rs`.
//!
//! Each function panics with a message saying which invariant broke, so a
//! fuzzer records the input as a crash and a test fails with the reason.

#![allow(dead_code)]

use std::path::Path;

use telltale::engine::{self, Finding, Selection};
use telltale::fix;
use telltale::report::{self, DocReport, Format, ReportOptions, RunSummary};
use telltale::rules::{PackSource, RuleSet};
use telltale::score::{Model, Scorer};
use telltale::source::{self, Contents};
use telltale::text::{Document, LineCol, Markup};

/// The three markups a document can be read as.
pub const MARKUPS: [Markup; 4] = [Markup::Plain, Markup::Markdown, Markup::Html, Markup::Mdx];

/// The 1-based line and character column of byte `offset` in `text`,
/// computed the slow, obvious way (independently of `LineIndex`): a leading
/// byte-order mark is no column, as editors show it.
pub fn expected_line_col(text: &str, offset: usize) -> LineCol {
    let before = &text.as_bytes()[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let mut from = line_start;
    if line_start == 0 && text.starts_with('\u{feff}') {
        from = offset.min(3);
    }
    let column = 1 + text[from..offset].chars().count();
    LineCol { line, column }
}

/// Asserts that every finding's span lies inside `source` on character
/// boundaries, that its line and column agree with its byte offsets, and
/// that findings come sorted by position.
pub fn assert_findings_sound(source: &str, findings: &[Finding]) {
    for f in findings {
        let s = &f.span;
        assert!(
            s.start <= s.end && s.end <= source.len(),
            "finding {f:?} outside the input of {} bytes",
            source.len()
        );
        assert!(
            source.is_char_boundary(s.start) && source.is_char_boundary(s.end),
            "finding {f:?} not on character boundaries"
        );
        assert_eq!(
            f.start,
            expected_line_col(source, s.start),
            "start line/column of {f:?}"
        );
        assert_eq!(
            f.end,
            expected_line_col(source, s.end),
            "end line/column of {f:?}"
        );
    }
    for pair in findings.windows(2) {
        assert!(
            pair[0].span.start <= pair[1].span.start,
            "findings out of order: {pair:?}"
        );
    }
}

/// Everything the check path needs, loaded once.
pub struct Checker {
    /// The built-in rules.
    pub rules: RuleSet,
    model: Model,
}

impl Checker {
    /// The built-in rules and model.
    pub fn builtin() -> Checker {
        Checker {
            rules: RuleSet::builtin().expect("built-in packs load"),
            model: Model::builtin().expect("built-in model loads"),
        }
    }

    /// Runs the whole check path on `bytes` read as `markup` (decoding,
    /// extraction, rules, score, fixes, every report format) and asserts the
    /// invariants. Returns the findings, or `None` for a skipped binary.
    pub fn check_bytes(&self, bytes: &[u8], markup: Markup) -> Option<Vec<Finding>> {
        let file = match source::read::decode("input".into(), markup, bytes.to_vec()) {
            Contents::Binary(notice) => {
                assert!(notice.contains("input"), "notice names the file: {notice}");
                return None;
            }
            Contents::Text(file) => file,
        };
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        if !utf16 {
            // repaired bytes are replaced one for one: offsets are the file's
            assert_eq!(file.text.len(), bytes.len(), "decoding kept every byte");
        }
        for n in &file.notices {
            assert!(!n.contains('\n'), "a notice is one line: {n:?}");
        }
        let doc = source::document(file.text, markup);
        let findings = self.check_doc(&doc);
        // the same input gives the same findings
        let again = source::document(doc.source().to_string(), markup);
        assert_eq!(
            self.check_doc(&again),
            findings,
            "same input, same findings"
        );
        self.score_fix_report(&doc, &findings);
        Some(findings)
    }

    /// Checks `doc` with every rule and asserts the invariants.
    pub fn check_doc(&self, doc: &Document) -> Vec<Finding> {
        let checked = engine::check(doc, &self.rules, &Selection::all(&self.rules));
        assert_findings_sound(doc.source(), &checked.findings);
        checked.findings
    }

    fn score_fix_report(&self, doc: &Document, findings: &[Finding]) {
        let scorer = Scorer::new(&self.model, &self.rules);
        let score = scorer.score(doc, findings).score;
        assert!((0.0..=100.0).contains(&score), "score {score} out of range");
        let source = doc.source();
        let edits = fix::edits(source, findings);
        for pair in edits.windows(2) {
            assert!(pair[0].range.end <= pair[1].range.start, "edits overlap");
        }
        for e in &edits {
            assert!(
                e.range.end <= source.len()
                    && source.is_char_boundary(e.range.start)
                    && source.is_char_boundary(e.range.end),
                "edit {e:?} not on character boundaries"
            );
        }
        let _fixed = fix::apply(source, &edits);
        for format in [
            Format::Human,
            Format::Compact,
            Format::Json,
            Format::Sarif,
            Format::Github,
        ] {
            let mut reporter = report::reporter(format, &self.rules, ReportOptions::default());
            let mut out = Vec::new();
            let mut run = RunSummary::default();
            run.add(findings);
            let report = DocReport {
                path: "input",
                doc,
                findings,
                score: Some(score),
            };
            reporter
                .document(&mut out, &report)
                .expect("report to memory");
            reporter.finish(&mut out, &run).expect("report to memory");
            if matches!(format, Format::Json | Format::Sarif) {
                let v: Result<serde_json::Value, _> = serde_json::from_slice(&out);
                assert!(v.is_ok(), "{format:?} output is JSON");
            }
        }
    }
}

/// Loads `text` as a user pack named `user.toml` on its own. On success the
/// rules run over their own examples and a fixed text with the invariants
/// asserted; on failure every error names the file.
pub fn load_pack(text: &str) -> Result<RuleSet, String> {
    let pack = PackSource::new("user.toml", text.to_string());
    match RuleSet::load(&[pack]) {
        Err(errors) => {
            assert!(!errors.0.is_empty(), "a failed load says why");
            for e in &errors.0 {
                let msg = e.to_string();
                assert!(msg.starts_with("user.toml:"), "error names the pack: {msg}");
            }
            Err(errors.to_string())
        }
        Ok(rules) => {
            let all = Selection::all(&rules);
            let mut texts: Vec<String> = vec![SAMPLE.to_string()];
            for r in rules.rules() {
                texts.extend(r.examples.flag.iter().cloned());
                texts.extend(r.examples.pass.iter().cloned());
            }
            for t in texts.iter().take(64) {
                let doc = source::document(t.clone(), Markup::Markdown);
                let checked = engine::check(&doc, &rules, &all);
                assert_findings_sound(doc.source(), &checked.findings);
            }
            Ok(rules)
        }
    }
}

/// Parses `text` as a config file. On success it is validated against the
/// built-in rules and asked for the selection of a few paths; on failure
/// every error names the file.
pub fn load_config(text: &str, rules: &RuleSet) -> Result<(), String> {
    let path = Path::new("/project/telltale.toml");
    let cwd = Path::new("/project");
    let config = match telltale::config::parse(text, path, cwd) {
        Ok(c) => c,
        Err(errors) => {
            let msg = errors.to_string();
            assert!(msg.contains("telltale.toml"), "error names the file: {msg}");
            return Err(msg);
        }
    };
    if let Err(errors) = config.validate(rules) {
        let msg = errors.to_string();
        assert!(!msg.is_empty(), "a failed validation says why");
        return Err(msg);
    }
    for p in [
        "/project/a.md",
        "/project/docs/x/y.txt",
        "/elsewhere/z.html",
        "rel.md",
    ] {
        let _ = config.selection_for(Path::new(p), rules);
    }
    Ok(())
}

/// A short document with a few tells, for packs that loaded.
pub const SAMPLE: &str = "# Title\n\nLet us delve into the rich tapestry of it. \
It's not just a tool — it's a journey.\n\n- one\n- two\n\n> quoted delve\n\nIn conclusion, café.\n";
