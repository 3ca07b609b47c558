//! The rule table of `telltale eval`: for each rule, how often it fires per
//! 1,000 and 10,000 words of human and of machine text, how many documents
//! it hits, and the lift (machine rate over human rate).
//!
//! On human text every finding is a false alarm, so the human columns are
//! the rule's false-positive rate; severities are held to limits on them
//! ([`WARNING_LIMIT`], [`ERROR_LIMIT`]).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;

use super::{Label, LabelledDoc};
use crate::engine::Checked;
use crate::rules::rates::{Measured, Rates};
use crate::rules::{RuleSet, Severity};
use crate::text::Document;

/// Most findings per 10,000 words of human text a `warning` rule may have.
pub const WARNING_LIMIT: f64 = 2.0;
/// Most findings per 10,000 words of human text an `error` rule may have.
pub const ERROR_LIMIT: f64 = 0.5;

/// The human false-positive limit of a severity, per 10,000 words.
pub fn limit(severity: Severity) -> Option<f64> {
    match severity {
        Severity::Info => None,
        Severity::Warning => Some(WARNING_LIMIT),
        Severity::Error => Some(ERROR_LIMIT),
    }
}

/// What one document contributes to the table.
#[derive(Clone, Debug)]
pub struct DocTally {
    /// Who wrote it.
    pub label: Label,
    /// Its domain, if the manifest gives one.
    pub domain: Option<String>,
    /// Words of prose.
    pub words: u64,
    /// (rule index, findings) for every rule that fired.
    pub fires: Vec<(usize, u32)>,
}

/// Counts the findings of one checked document by rule.
pub fn tally(labelled: &LabelledDoc, doc: &Document, checked: &Checked) -> DocTally {
    let mut fires: Vec<(usize, u32)> = Vec::new();
    for f in &checked.findings {
        match fires.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, n)) => *n += 1,
            None => fires.push((f.rule, 1)),
        }
    }
    fires.sort_unstable();
    DocTally {
        label: labelled.label,
        domain: labelled.domain.clone(),
        words: doc.word_count() as u64,
        fires,
    }
}

/// The findings of one document as lines an editor can jump to:
/// `name:line:col: [rule] matched text  |  source line`. Only the rules for
/// which `wanted` is true are listed.
pub fn hit_lines(
    labelled: &LabelledDoc,
    doc: &Document,
    checked: &Checked,
    rules: &RuleSet,
    wanted: &dyn Fn(usize) -> bool,
) -> Vec<String> {
    checked
        .findings
        .iter()
        .filter(|f| wanted(f.rule))
        .map(|f| {
            let src = doc.source();
            let matched: String = src
                .get(f.span.clone())
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let line_start = src[..f.span.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = src[f.span.start..]
                .find('\n')
                .map_or(src.len(), |i| f.span.start + i);
            let line: String = src[line_start..line_end].trim().chars().take(200).collect();
            format!(
                "{}:{}:{}: [{}] {}  |  {}",
                labelled.name,
                f.start.line,
                f.start.column,
                rules.rules()[f.rule].id,
                matched,
                line
            )
        })
        .collect()
}

/// Per-rule counts over a set of documents.
#[derive(Clone, Debug)]
pub struct RuleTable {
    /// Counts by rule index.
    pub rules: Vec<Measured>,
    /// Documents by label.
    pub docs: [u64; 2],
    /// Words by label.
    pub words: [u64; 2],
}

impl RuleTable {
    /// Adds up the tallies of `docs` for a rule set of `n_rules` rules.
    pub fn build<'a>(n_rules: usize, docs: impl IntoIterator<Item = &'a DocTally>) -> RuleTable {
        let mut table = RuleTable {
            rules: vec![Measured::default(); n_rules],
            docs: [0; 2],
            words: [0; 2],
        };
        for d in docs {
            let side = d.label.index();
            table.docs[side] += 1;
            table.words[side] += d.words;
            for &(rule, n) in &d.fires {
                if let Some(m) = table.rules.get_mut(rule) {
                    m.fires[side] += u64::from(n);
                    m.docs_hit[side] += 1;
                }
            }
        }
        for m in &mut table.rules {
            m.docs = table.docs;
            m.words = table.words;
        }
        table
    }

    /// One table per domain, by domain name (documents without one under `-`).
    pub fn by_domain(n_rules: usize, docs: &[DocTally]) -> BTreeMap<String, RuleTable> {
        let mut groups: BTreeMap<String, Vec<&DocTally>> = BTreeMap::new();
        for d in docs {
            let key = d.domain.clone().unwrap_or_else(|| "-".to_string());
            groups.entry(key).or_default().push(d);
        }
        groups
            .into_iter()
            .map(|(k, v)| (k, RuleTable::build(n_rules, v)))
            .collect()
    }

    /// The table as a rates file, with `source` as its comment line.
    pub fn rates(&self, rules: &RuleSet, source: &str) -> Rates {
        Rates::new(
            source,
            rules
                .rules()
                .iter()
                .zip(&self.rules)
                .map(|(r, m)| (r.id.clone(), *m))
                .collect(),
        )
    }

    /// Indices of the `warning` and `error` rules whose human rate is over
    /// their severity's limit.
    pub fn over_limit(&self, rules: &RuleSet) -> Vec<usize> {
        (0..self.rules.len())
            .filter(|&i| {
                let limit = limit(rules.rules()[i].severity);
                let rate = self.rules[i].per_10k(0);
                matches!((limit, rate), (Some(l), Some(r)) if r > l)
            })
            .collect()
    }
}

/// The order rows are listed in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Pack order.
    #[default]
    Rule,
    /// Highest human rate first (false alarms).
    Human,
    /// Highest machine rate first (recall).
    Ai,
    /// Highest lift first.
    Lift,
}

/// Which rows to show and how.
#[derive(Clone, Debug, Default)]
pub struct TableOptions {
    /// Row order.
    pub sort: SortBy,
    /// Show only these rule indices (all when `None`).
    pub only: Option<Vec<usize>>,
    /// Leave out rules that fired nowhere.
    pub hide_silent: bool,
}

fn ordered(table: &RuleTable, opts: &TableOptions) -> Vec<usize> {
    let mut rows: Vec<usize> = match &opts.only {
        Some(only) => only.clone(),
        None => (0..table.rules.len()).collect(),
    };
    if opts.hide_silent {
        rows.retain(|&i| table.rules[i].fires.iter().any(|&n| n > 0));
    }
    let key = |i: usize| -> f64 {
        let m = &table.rules[i];
        match opts.sort {
            SortBy::Rule => 0.0,
            SortBy::Human => m.per_10k(0).unwrap_or(0.0),
            SortBy::Ai => m.per_10k(1).unwrap_or(0.0),
            SortBy::Lift => m.lift().unwrap_or(0.0),
        }
    };
    if opts.sort != SortBy::Rule {
        rows.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
    }
    rows
}

fn side_summary(table: &RuleTable, label: Label) -> String {
    let i = label.index();
    if table.docs[i] == 0 {
        format!("no {label} documents")
    } else {
        format!(
            "{} {label} documents ({} words)",
            table.docs[i],
            group_thousands(table.words[i])
        )
    }
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn rate_cells(m: &Measured, side: usize) -> (String, String, String) {
    match m.per_10k(side) {
        Some(r) => (
            format!("{:.3}", r / 10.0),
            format!("{r:.2}"),
            m.docs_hit[side].to_string(),
        ),
        None => ("-".into(), "-".into(), "-".into()),
    }
}

/// Writes the rule table as aligned text, with a headline naming `title`
/// and a closing line listing the rules over their human limit.
pub fn write_table(
    out: &mut dyn Write,
    title: &str,
    rules: &RuleSet,
    table: &RuleTable,
    opts: &TableOptions,
) -> io::Result<()> {
    writeln!(
        out,
        "{title}: {}, {}",
        side_summary(table, Label::Human),
        side_summary(table, Label::Ai)
    )?;
    let rows = ordered(table, opts);
    let w_id = rows
        .iter()
        .map(|&i| rules.rules()[i].id.len())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "{:w_id$}  {:8}  {:>9} {:>8} {:>5}  {:>9} {:>8} {:>5}  {:>7}",
        "RULE", "SEVERITY", "HUMAN/1k", "/10k", "docs", "AI/1k", "/10k", "docs", "LIFT"
    )?;
    for i in rows {
        let r = &rules.rules()[i];
        let m = &table.rules[i];
        let (h1, h10, hd) = rate_cells(m, 0);
        let (a1, a10, ad) = rate_cells(m, 1);
        let lift = m.lift().map_or("-".to_string(), |l| format!("{l:.1}"));
        let over = match (limit(r.severity), m.per_10k(0)) {
            (Some(l), Some(rate)) if rate > l => "  over limit",
            _ => "",
        };
        writeln!(
            out,
            "{:w_id$}  {:8}  {h1:>9} {h10:>8} {hd:>5}  {a1:>9} {a10:>8} {ad:>5}  {lift:>7}{over}",
            r.id,
            r.severity.name()
        )?;
    }
    let over = table.over_limit(rules);
    if table.docs[0] > 0 {
        if over.is_empty() {
            writeln!(
                out,
                "every warning rule is at or under {WARNING_LIMIT} and every error rule at or under {ERROR_LIMIT} findings per 10,000 human words"
            )?;
        } else {
            let ids: Vec<&str> = over.iter().map(|&i| rules.rules()[i].id.as_str()).collect();
            writeln!(
                out,
                "{} rule(s) over the human limit (warning {WARNING_LIMIT}, error {ERROR_LIMIT} per 10,000 words): {}",
                ids.len(),
                ids.join(", ")
            )?;
        }
    }
    Ok(())
}

/// The table as a JSON value: totals, then one object per rule.
pub fn to_json(rules: &RuleSet, table: &RuleTable, opts: &TableOptions) -> serde_json::Value {
    let side = |m: &Measured, s: usize| {
        json!({
            "fires": m.fires[s],
            "docs_hit": m.docs_hit[s],
            "per_1k": m.per_10k(s).map(|r| r / 10.0),
            "per_10k": m.per_10k(s),
        })
    };
    let rows: Vec<serde_json::Value> = ordered(table, opts)
        .into_iter()
        .map(|i| {
            let r = &rules.rules()[i];
            let m = &table.rules[i];
            json!({
                "rule": r.id,
                "category": r.category,
                "severity": r.severity,
                "human": side(m, 0),
                "ai": side(m, 1),
                "lift": m.lift(),
                "over_limit": table.over_limit(rules).contains(&i),
            })
        })
        .collect();
    json!({
        "documents": {"human": table.docs[0], "ai": table.docs[1]},
        "words": {"human": table.words[0], "ai": table.words[1]},
        "rules": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::PackSource;

    const PACK: &str = r#"
[[rule]]
id = "delve"
category = "vocabulary"
severity = "warning"
weight = 0.3
message = "AI vocabulary"
why = "w"
phrases = ["delve"]

[[rule]]
id = "certainly"
category = "chatbot"
severity = "error"
weight = 1.0
message = "opener"
why = "w"
phrases = ["certainly!"]
"#;

    fn doc(label: Label, words: u64, fires: Vec<(usize, u32)>) -> DocTally {
        DocTally {
            label,
            domain: Some(
                if label == Label::Human {
                    "news"
                } else {
                    "blog"
                }
                .into(),
            ),
            words,
            fires,
        }
    }

    #[test]
    fn rates_limits_and_lift() {
        let rules = RuleSet::load(&[PackSource::new("t.toml", PACK)]).expect("loads");
        let docs = vec![
            doc(Label::Human, 5_000, vec![(0, 3)]),
            doc(Label::Human, 5_000, vec![]),
            doc(Label::Ai, 10_000, vec![(0, 20), (1, 1)]),
        ];
        let table = RuleTable::build(rules.len(), &docs);
        assert_eq!(table.rules[0].per_10k(0), Some(3.0));
        assert_eq!(table.rules[0].docs_hit, [1, 1]);
        assert_eq!(table.over_limit(&rules), vec![0]);
        let mut out = Vec::new();
        write_table(&mut out, "t", &rules, &table, &TableOptions::default()).expect("writes");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.starts_with("t: 2 human documents (10,000 words), 1 ai documents (10,000 words)"),
            "{text}"
        );
        assert!(text.contains("over limit"), "{text}");
        assert!(text.contains("1 rule(s) over the human limit"), "{text}");
        let domains = RuleTable::by_domain(rules.len(), &docs);
        assert_eq!(domains["news"].docs, [2, 0]);
        assert_eq!(domains["blog"].rules[1].fires, [0, 1]);
    }

    #[test]
    fn one_sided_sets_print_dashes() {
        let rules = RuleSet::load(&[PackSource::new("t.toml", PACK)]).expect("loads");
        let docs = vec![doc(Label::Human, 1_000, vec![])];
        let table = RuleTable::build(rules.len(), &docs);
        assert_eq!(table.rules[0].lift(), None);
        let mut out = Vec::new();
        write_table(&mut out, "t", &rules, &table, &TableOptions::default()).expect("writes");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("no ai documents"), "{text}");
        assert!(text.contains("every warning rule is at or under"), "{text}");
    }
}
