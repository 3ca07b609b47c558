//! Output of `telltale score`: one aligned line per document (`score  words
//! path`), optional breakdowns and paragraph scores under it, or one JSON
//! array for tools.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::score::{Contribution, Layer, Scored, UNUSED_WORDS};

/// One scored paragraph, as printed and serialised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParagraphRecord {
    /// 1-based line where the paragraph starts.
    pub line: usize,
    /// The paragraph's opening words.
    pub opening: String,
    /// Its score.
    #[serde(flatten)]
    pub scored: Scored,
}

/// One scored document, as printed and serialised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreRecord {
    /// The name shown (path as given, or the stdin name).
    pub path: String,
    /// Its score.
    #[serde(flatten)]
    pub scored: Scored,
    /// Per-paragraph scores, when asked for.
    #[serde(default)]
    pub paragraphs: Vec<ParagraphRecord>,
}

/// The marker printed after a low-confidence score.
const LOW_MARK: &str = "*";

/// A score to one decimal, the value `check` shows and `--max-score`
/// compares ([`crate::score::shown`]): a whole number here read 96.6 as 97.
fn score_cell(s: &Scored) -> String {
    let mark = if s.low_confidence { LOW_MARK } else { " " };
    format!("{:>5.1}{mark}", crate::score::shown(s.score))
}

/// Writes the human format: a line per document, with `top` contributors
/// each way under it when the scores carry breakdowns.
pub fn write_human(out: &mut dyn Write, records: &[ScoreRecord], top: usize) -> io::Result<()> {
    let width = records
        .iter()
        .map(|r| r.scored.words.to_string().len())
        .max()
        .unwrap_or(1)
        .max(5);
    for r in records {
        writeln!(
            out,
            "{}  {:>width$}  {}",
            score_cell(&r.scored),
            r.scored.words,
            r.path
        )?;
        write_breakdown(out, &r.scored, top, "      ")?;
        for p in &r.paragraphs {
            writeln!(
                out,
                "      {}  {:>5}  line {}: {}",
                score_cell(&p.scored),
                p.scored.words,
                p.line,
                p.opening
            )?;
            write_breakdown(out, &p.scored, top, "            ")?;
        }
    }
    // the mark is explained wherever it was printed, on a paragraph too
    if records
        .iter()
        .any(|r| r.scored.low_confidence || r.paragraphs.iter().any(|p| p.scored.low_confidence))
    {
        writeln!(
            out,
            "{LOW_MARK} fewer than {} words: low confidence",
            crate::score::MIN_CONFIDENT_WORDS
        )?;
    }
    Ok(())
}

fn write_breakdown(out: &mut dyn Write, s: &Scored, top: usize, indent: &str) -> io::Result<()> {
    if s.contributions.is_empty() || top == 0 {
        return Ok(());
    }
    writeln!(
        out,
        "{indent}{:>7.1}  baseline (typical human word use and structure, no findings)",
        s.baseline
    )?;
    let t = top_contributors(s, top);
    for c in t.up.iter().chain(&t.down) {
        writeln!(out, "{indent}{:>+7.1}  {}", c.points, describe(c))?;
    }
    if t.others > 0 {
        writeln!(
            out,
            "{indent}{:>+7.1}  {} smaller contributions",
            t.rest, t.others
        )?;
    }
    Ok(())
}

/// What a breakdown lists: the largest contributors each way, and the rest
/// summed.
#[derive(Debug)]
pub struct TopContributors<'a> {
    /// Up to `top` contributions toward generated, largest first.
    pub up: Vec<&'a Contribution>,
    /// Up to `top` contributions toward human, largest first.
    pub down: Vec<&'a Contribution>,
    /// Points of all the others together.
    pub rest: f64,
    /// How many others there are.
    pub others: usize,
}

/// The `top` largest contributors of `s` each way (its contributions are
/// sorted largest first), and the rest.
pub fn top_contributors(s: &Scored, top: usize) -> TopContributors<'_> {
    let up: Vec<&Contribution> = s
        .contributions
        .iter()
        .filter(|c| c.points > 0.0)
        .take(top)
        .collect();
    let down: Vec<&Contribution> = s
        .contributions
        .iter()
        .filter(|c| c.points < 0.0)
        .take(top)
        .collect();
    let shown: f64 = up.iter().chain(&down).map(|c| c.points).sum();
    TopContributors {
        rest: s.score - s.baseline - shown,
        others: s.contributions.len() - up.len() - down.len(),
        up,
        down,
    }
}

/// "word \"delve\" (3 uses)", "rule ai-vocabulary (4 findings)", ...
pub fn describe(c: &Contribution) -> String {
    let plural =
        |n: f64, one: &str, many: &str| format!("{n:.0} {}", if n == 1.0 { one } else { many });
    match c.layer {
        Layer::Word if c.name == UNUSED_WORDS => {
            format!("words  {} ({:.0} entries)", c.name, c.value)
        }
        Layer::Word => format!("word   \"{}\" ({})", c.name, plural(c.value, "use", "uses")),
        Layer::Rule => format!(
            "rule   {} ({})",
            c.name,
            plural(c.value, "finding", "findings")
        ),
        Layer::Metric => format!("metric {} = {:.3}", c.name, c.value),
    }
}

/// Writes all records as one JSON array.
pub fn write_json(out: &mut dyn Write, records: &[ScoreRecord]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, records).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(score: f64, low: bool) -> ScoreRecord {
        ScoreRecord {
            path: "a.md".into(),
            scored: Scored {
                score,
                words: if low { 20 } else { 300 },
                low_confidence: low,
                baseline: 50.0,
                contributions: vec![
                    Contribution {
                        layer: Layer::Word,
                        name: "delve".into(),
                        value: 2.0,
                        logit: 1.0,
                        points: score - 50.0 + 5.0,
                    },
                    Contribution {
                        layer: Layer::Metric,
                        name: "comma-rate".into(),
                        value: 3.2,
                        logit: -0.2,
                        points: -5.0,
                    },
                ],
            },
            paragraphs: Vec::new(),
        }
    }

    #[test]
    fn human_lines_and_low_confidence_mark() {
        let mut out = Vec::new();
        write_human(&mut out, &[record(96.66, false), record(20.0, true)], 0).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // to one decimal, as check shows it and --max-score compares it
        assert_eq!(lines[0], " 96.7     300  a.md");
        assert_eq!(lines[1], " 20.0*     20  a.md");
        assert!(lines[2].starts_with("* fewer than 50 words"));
    }

    #[test]
    fn a_low_confidence_paragraph_explains_the_mark_too() {
        let mut r = record(81.0, false);
        let paragraph = record(30.0, true).scored;
        r.paragraphs.push(ParagraphRecord {
            line: 3,
            opening: "A short one.".to_string(),
            scored: paragraph,
        });
        let mut out = Vec::new();
        write_human(&mut out, &[r], 0).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(" 30.0*"), "{text}");
        assert!(text.contains("* fewer than 50 words"), "{text}");
    }

    #[test]
    fn breakdown_lists_both_ways() {
        let mut out = Vec::new();
        write_human(&mut out, &[record(81.0, false)], 3).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("+36.0  word   \"delve\" (2 uses)"), "{text}");
        assert!(text.contains("-5.0  metric comma-rate = 3.200"), "{text}");
    }
}
