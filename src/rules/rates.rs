//! Measured rule rates: how often each rule fired in human and in machine
//! text of a labelled set, as written by `telltale eval DIR --write-rates`.
//!
//! The built-in file (`patterns/rates.tsv`, measured on the project's dev
//! set) is embedded in the binary so that `telltale rules` and the
//! generated `docs/rules.md` can show each rule's precision without the
//! data at hand. A test re-measures it and fails when it is stale.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The rates file shipped with the binary.
const BUILTIN: &str = include_str!("../../patterns/rates.tsv");

/// Column names of the rates file, in order.
const COLUMNS: [&str; 9] = [
    "rule",
    "human_fires",
    "human_docs_hit",
    "human_docs",
    "human_words",
    "ai_fires",
    "ai_docs_hit",
    "ai_docs",
    "ai_words",
];

/// One rule's counts in one labelled set; index 0 is human text, 1 machine text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measured {
    /// Findings of the rule.
    pub fires: [u64; 2],
    /// Documents with at least one finding.
    pub docs_hit: [u64; 2],
    /// Documents in the set.
    pub docs: [u64; 2],
    /// Words in the set.
    pub words: [u64; 2],
}

impl Measured {
    /// Findings per 10,000 words of side `side` (0 human, 1 machine), or
    /// `None` when that side has no words.
    pub fn per_10k(&self, side: usize) -> Option<f64> {
        (self.words[side] > 0).then(|| self.fires[side] as f64 * 10_000.0 / self.words[side] as f64)
    }

    /// How many times more often the rule fires in machine text than in
    /// human text, per word. Half a finding is added to both sides so that
    /// a rule never seen in human text still gets a finite lift.
    pub fn lift(&self) -> Option<f64> {
        if self.words[0] == 0 || self.words[1] == 0 {
            return None;
        }
        let ai = (self.fires[1] as f64 + 0.5) / self.words[1] as f64;
        let human = (self.fires[0] as f64 + 0.5) / self.words[0] as f64;
        Some(ai / human)
    }
}

/// Measured counts by rule id, with a note on where they were measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rates {
    /// The comment line naming the set and command (without `# `).
    pub source: String,
    /// Counts by rule id, in file order.
    rows: Vec<(String, Measured)>,
    index: BTreeMap<String, usize>,
}

impl Rates {
    /// The rates shipped with the binary.
    pub fn builtin() -> Rates {
        // a broken built-in file fails the test suite; at run time it only
        // means no rates are shown
        Rates::parse(BUILTIN).unwrap_or_default()
    }

    /// A rates table from measured rows.
    pub fn new(source: impl Into<String>, rows: Vec<(String, Measured)>) -> Rates {
        let index = rows
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.clone(), i))
            .collect();
        Rates {
            source: source.into(),
            rows,
            index,
        }
    }

    /// The counts of rule `id`, if it was measured.
    pub fn get(&self, id: &str) -> Option<&Measured> {
        self.index.get(id).map(|&i| &self.rows[i].1)
    }

    /// All rows, in file order.
    pub fn rows(&self) -> &[(String, Measured)] {
        &self.rows
    }

    /// Parses a rates file; the error names the line.
    pub fn parse(text: &str) -> Result<Rates, String> {
        let mut source = String::new();
        let mut rows = Vec::new();
        let mut header_seen = false;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if let Some(comment) = line.strip_prefix('#') {
                if source.is_empty() {
                    source = comment.trim().to_string();
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if !header_seen {
                if fields != COLUMNS {
                    return Err(format!(
                        "line {n}: expected the header `{}`",
                        COLUMNS.join("\\t")
                    ));
                }
                header_seen = true;
                continue;
            }
            if fields.len() != COLUMNS.len() {
                return Err(format!(
                    "line {n}: expected {} tab-separated fields, found {}",
                    COLUMNS.len(),
                    fields.len()
                ));
            }
            let mut nums = [0u64; 8];
            for (slot, field) in nums.iter_mut().zip(&fields[1..]) {
                *slot = field
                    .parse()
                    .map_err(|_| format!("line {n}: `{field}` is not a count"))?;
            }
            rows.push((
                fields[0].to_string(),
                Measured {
                    fires: [nums[0], nums[4]],
                    docs_hit: [nums[1], nums[5]],
                    docs: [nums[2], nums[6]],
                    words: [nums[3], nums[7]],
                },
            ));
        }
        Ok(Rates::new(source, rows))
    }

    /// The file text: a comment line, the header, one row per rule.
    pub fn to_tsv(&self) -> String {
        let mut out = String::new();
        if !self.source.is_empty() {
            let _ = writeln!(out, "# {}", self.source);
        }
        out.push_str(&COLUMNS.join("\t"));
        out.push('\n');
        for (id, m) in &self.rows {
            let _ = writeln!(
                out,
                "{id}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                m.fires[0],
                m.docs_hit[0],
                m.docs[0],
                m.words[0],
                m.fires[1],
                m.docs_hit[1],
                m.docs[1],
                m.words[1]
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let m = Measured {
            fires: [1, 30],
            docs_hit: [1, 20],
            docs: [10, 10],
            words: [20_000, 10_000],
        };
        let rates = Rates::new("measured here", vec![("x".into(), m)]);
        let back = Rates::parse(&rates.to_tsv()).expect("parses");
        assert_eq!(back, rates);
        assert_eq!(back.get("x").and_then(|m| m.per_10k(0)), Some(0.5));
        let lift = m.lift().expect("both sides");
        assert!((lift - (30.5 / 10_000.0) / (1.5 / 20_000.0)).abs() < 1e-9);
    }

    #[test]
    fn errors_name_the_line() {
        let err = Rates::parse("rule\tx\n").expect_err("bad header");
        assert!(err.starts_with("line 1:"), "{err}");
        let text = format!("{}\nr\t1\t2\n", COLUMNS.join("\t"));
        let err = Rates::parse(&text).expect_err("short row");
        assert!(err.starts_with("line 2:"), "{err}");
    }

    #[test]
    fn builtin_file_parses() {
        Rates::parse(BUILTIN).expect("patterns/rates.tsv parses");
    }
}
