//! The score's accuracy on a labelled set: AUROC, true-positive rate at 1%
//! and 5% false positives and the best-F1 threshold, overall, per domain and
//! per generator; on a human-only set, the share of false alarms and the
//! highest-scoring documents with what drove their scores.
//!
//! Scores come from the shipped model, or with `--cv K` from models refitted
//! K times so that no document is scored by a model fitted on it.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::score::accuracy::{auroc, best_f1, tpr_at_fpr};
use crate::score::calibrate::Corpus;
use crate::score::{Contribution, Scored};

/// Accuracy of the score on one group of documents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreRow {
    /// "overall", a domain or a generator.
    pub group: String,
    /// Human documents in the group.
    pub human: usize,
    /// Machine-written documents in the group.
    pub ai: usize,
    /// Area under the ROC curve.
    pub auroc: Option<f64>,
    /// Share of machine text caught at 1% false positives.
    pub tpr_at_1: Option<f64>,
    /// Share of machine text caught at 5% false positives.
    pub tpr_at_5: Option<f64>,
    /// Score threshold (flag at or above) with the best F1.
    pub best_f1_threshold: Option<f64>,
    /// That F1.
    pub best_f1: Option<f64>,
}

fn row(group: &str, scores: &[f64], ai: &[bool]) -> ScoreRow {
    let f1 = best_f1(scores, ai);
    ScoreRow {
        group: group.to_string(),
        human: ai.iter().filter(|&&a| !a).count(),
        ai: ai.iter().filter(|&&a| a).count(),
        auroc: auroc(scores, ai),
        tpr_at_1: tpr_at_fpr(scores, ai, 0.01).map(|t| t.0),
        tpr_at_5: tpr_at_fpr(scores, ai, 0.05).map(|t| t.0),
        best_f1_threshold: f1.map(|f| f.0),
        best_f1: f1.map(|f| f.1),
    }
}

/// Rows for the whole set, each domain (both labels of that domain) and
/// each generator (its documents against every human one).
pub fn rows(corpus: &Corpus, scores: &[f64]) -> Vec<ScoreRow> {
    let ai: Vec<bool> = corpus.samples.iter().map(|s| s.ai).collect();
    let mut out = vec![row("overall", scores, &ai)];
    let mut domains: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut generators: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in corpus.samples.iter().enumerate() {
        if let Some(d) = s.doc.domain.as_deref() {
            domains.entry(d).or_default().push(i);
        }
        if s.ai
            && let Some(g) = s.doc.generator.as_deref()
        {
            generators.entry(g).or_default().push(i);
        }
    }
    let pick = |idx: &[usize]| -> (Vec<f64>, Vec<bool>) {
        (
            idx.iter().map(|&i| scores[i]).collect(),
            idx.iter().map(|&i| ai[i]).collect(),
        )
    };
    for (d, idx) in &domains {
        let (s, a) = pick(idx);
        out.push(row(&format!("domain {d}"), &s, &a));
    }
    let humans: Vec<usize> = (0..ai.len()).filter(|&i| !ai[i]).collect();
    for (g, idx) in &generators {
        let mut all = humans.clone();
        all.extend(idx);
        let (s, a) = pick(&all);
        out.push(row(&format!("generator {g}"), &s, &a));
    }
    out
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:.1}%", 100.0 * v))
}

/// Writes the accuracy table.
pub fn write_rows(out: &mut dyn Write, title: &str, rows: &[ScoreRow]) -> io::Result<()> {
    writeln!(out, "{title}")?;
    let w = rows.iter().map(|r| r.group.len()).max().unwrap_or(7).max(7);
    writeln!(
        out,
        "{:w$}  {:>5}  {:>5}  {:>6}  {:>9}  {:>9}  {:>13}",
        "GROUP", "HUMAN", "AI", "AUROC", "TPR@1%FPR", "TPR@5%FPR", "BEST F1 (>=)"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:w$}  {:>5}  {:>5}  {:>6}  {:>9}  {:>9}  {:>13}",
            r.group,
            r.human,
            r.ai,
            r.auroc.map_or("-".into(), |a| format!("{a:.4}")),
            pct(r.tpr_at_1),
            pct(r.tpr_at_5),
            match (r.best_f1, r.best_f1_threshold) {
                (Some(f), Some(t)) => format!("{f:.3} ({t:.0})"),
                _ => "-".into(),
            }
        )?;
    }
    Ok(())
}

/// False alarms on a set of one label: shares at or above 50 and 80, and
/// the highest-scoring documents.
#[derive(Clone, Debug, Serialize)]
pub struct Alarms {
    /// Documents scored.
    pub documents: usize,
    /// Share scoring 50 or more.
    pub at_50: f64,
    /// Share scoring 80 or more.
    pub at_80: f64,
    /// The highest-scoring documents: (name, score, top contributors).
    pub top: Vec<(String, Scored)>,
}

/// How many of the highest-scoring documents [`alarms`] lists.
pub const TOP_DOCUMENTS: usize = 10;

/// Builds [`Alarms`] from explained scores, in set order.
pub fn alarms(corpus: &Corpus, scored: Vec<Scored>) -> Alarms {
    let n = scored.len().max(1) as f64;
    let share = |t: f64| scored.iter().filter(|s| s.score >= t).count() as f64 / n;
    let (at_50, at_80) = (share(50.0), share(80.0));
    let mut top: Vec<(String, Scored)> = corpus
        .samples
        .iter()
        .map(|s| s.doc.name.clone())
        .zip(scored)
        .collect();
    top.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    top.truncate(TOP_DOCUMENTS);
    Alarms {
        documents: corpus.samples.len(),
        at_50,
        at_80,
        top,
    }
}

/// Writes the false-alarm summary with each top document's three largest
/// contributors each way.
pub fn write_alarms(out: &mut dyn Write, title: &str, a: &Alarms) -> io::Result<()> {
    writeln!(out, "{title}")?;
    writeln!(
        out,
        "{} documents: {:.1}% score 50 or more, {:.1}% score 80 or more",
        a.documents,
        100.0 * a.at_50,
        100.0 * a.at_80
    )?;
    writeln!(out, "highest scores:")?;
    for (name, s) in &a.top {
        writeln!(out, "  {:>3.0}  {:>6}  {name}", s.score, s.words)?;
        let up = s.contributions.iter().filter(|c| c.points > 0.0).take(3);
        let down = s.contributions.iter().filter(|c| c.points < 0.0).take(3);
        let parts: Vec<String> = up.chain(down).map(short).collect();
        if !parts.is_empty() {
            writeln!(out, "         {}", parts.join(", "))?;
        }
    }
    Ok(())
}

fn short(c: &Contribution) -> String {
    format!("{:+.0} {}", c.points, c.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_counts_and_metrics() {
        let r = row("x", &[10.0, 20.0, 80.0, 90.0], &[false, false, true, true]);
        assert_eq!((r.human, r.ai), (2, 2));
        assert_eq!(r.auroc, Some(1.0));
        assert_eq!(r.tpr_at_1, Some(1.0));
        assert_eq!(r.best_f1, Some(1.0));
        assert_eq!(r.best_f1_threshold, Some(80.0));
        let mut out = Vec::new();
        write_rows(&mut out, "t", &[r]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("1.0000"), "{text}");
        assert!(text.contains("100.0%"), "{text}");
    }
}
