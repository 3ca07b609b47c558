//! `--stats`: a closing summary of a run on stderr (files, words, findings
//! by category, elapsed time and throughput), kept off stdout so it never
//! mixes with a machine-readable report.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use crate::engine::Finding;
use crate::rules::RuleSet;
use crate::text::Document;

/// Totals gathered over a run.
#[derive(Debug)]
pub struct RunStats {
    started: Instant,
    files: usize,
    words: usize,
    bytes: u64,
    /// Findings counted per rule index: a counter bumped per finding, where
    /// a lookup of the rule's category by name was most of this stage's
    /// cost. A run checks with one rule set, so an index is one rule.
    by_rule: Vec<usize>,
    /// Each counted rule's category, by rule index, so that the counts can
    /// be totalled by category without the rules at hand.
    category_of: Vec<Option<String>>,
}

impl RunStats {
    /// Starts the clock.
    pub fn start() -> RunStats {
        RunStats {
            started: Instant::now(),
            files: 0,
            words: 0,
            bytes: 0,
            by_rule: Vec::new(),
            category_of: Vec::new(),
        }
    }

    /// Adds one checked document.
    pub fn add(&mut self, doc: &Document, findings: &[Finding], rules: &RuleSet) {
        self.files += 1;
        self.words += doc.word_count();
        self.bytes += doc.source().len() as u64;
        for f in findings {
            if self.by_rule.len() <= f.rule {
                self.by_rule.resize(f.rule + 1, 0);
                self.category_of.resize(f.rule + 1, None);
            }
            if self.category_of[f.rule].is_none() {
                self.category_of[f.rule] = Some(rules.rules()[f.rule].category.clone());
            }
            self.by_rule[f.rule] += 1;
        }
    }

    /// Findings per category, the per-rule counts folded in.
    fn by_category(&self) -> BTreeMap<String, usize> {
        let mut by_category = BTreeMap::new();
        for (n, category) in self.by_rule.iter().zip(&self.category_of) {
            if let Some(category) = category {
                *by_category.entry(category.clone()).or_default() += n;
            }
        }
        by_category
    }

    /// Time since [`RunStats::start`].
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Writes the summary, as of `elapsed` into the run.
    pub fn write(&self, out: &mut dyn Write, elapsed: Duration) -> io::Result<()> {
        let by_category = self.by_category();
        let findings: usize = by_category.values().sum();
        let mut categories: Vec<(&String, &usize)> = by_category.iter().collect();
        // most findings first; equal counts by name
        categories.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let secs = elapsed.as_secs_f64();
        writeln!(out, "files:     {}", thousands(self.files as u64))?;
        writeln!(out, "words:     {}", thousands(self.words as u64))?;
        write!(out, "findings:  {}", thousands(findings as u64))?;
        if !categories.is_empty() {
            let list: Vec<String> = categories
                .iter()
                .map(|(c, n)| format!("{c} {}", thousands(**n as u64)))
                .collect();
            write!(out, " ({})", list.join(", "))?;
        }
        writeln!(out)?;
        writeln!(out, "elapsed:   {secs:.2} s")?;
        let bytes = self.bytes as f64;
        let rate = if secs > 0.0 { bytes / secs } else { 0.0 };
        writeln!(out, "read:      {} at {}/s", size(bytes), size(rate))?;
        Ok(())
    }
}

/// Bytes in MB (10^6), or in kB below one MB.
fn size(bytes: f64) -> String {
    if bytes >= 1e6 {
        format!("{:.2} MB", bytes / 1e6)
    } else {
        format!("{:.2} kB", bytes / 1e3)
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Selection};

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn summary_counts_files_words_and_categories() {
        let rules = RuleSet::builtin().expect("packs load");
        let mut stats = RunStats::start();
        for text in [
            "Let us delve into the rich tapestry of it.",
            "I hope this helps! Let me know if you need anything else.",
        ] {
            let doc = Document::plain(text);
            let found = engine::check(&doc, &rules, &Selection::all(&rules));
            stats.add(&doc, &found.findings, &rules);
        }
        let mut out = Vec::new();
        stats
            .write(&mut out, Duration::from_millis(2500))
            .expect("written");
        let text = String::from_utf8(out).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "files:     2");
        assert_eq!(lines[1], "words:     21");
        assert!(lines[2].starts_with("findings:  "), "{text}");
        assert!(lines[2].contains("chatbot "), "{text}");
        assert!(lines[2].contains("vocabulary "), "{text}");
        assert_eq!(lines[3], "elapsed:   2.50 s");
        assert_eq!(lines[4], "read:      0.10 kB at 0.04 kB/s");
        assert_eq!(size(12_345_678.0), "12.35 MB");
    }
}
