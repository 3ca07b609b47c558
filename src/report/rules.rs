//! Output of `telltale rules`: every rule with the severity the
//! configuration gives it, `off` when it does not run, as an aligned table
//! or one JSON array. (The Markdown reference is `rules::reference`: the
//! packs' defaults, whatever the configuration.)

use std::io::{self, Write};

use super::human::severity_styled;
use crate::engine::Selection;
use crate::rules::{RuleSet, Severity};

/// What the severity column says of a rule that does not run.
pub const OFF: &str = "off";

/// A rule's severity as listed: its name, or [`OFF`].
pub fn severity_name(severity: Option<Severity>) -> &'static str {
    severity.map_or(OFF, Severity::name)
}

/// Writes the table: `ID  CATEGORY  SEVERITY  MESSAGE`, severities as
/// `selection` gives them, coloured as `check` colours them when `color`.
pub fn write_table(
    out: &mut dyn Write,
    rules: &RuleSet,
    selection: &Selection,
    color: bool,
) -> io::Result<()> {
    let width = |f: fn(&crate::rules::Rule) -> usize, least: usize| {
        rules
            .rules()
            .iter()
            .map(f)
            .max()
            .unwrap_or(least)
            .max(least)
    };
    let w_id = width(|r| r.id.len(), 2);
    let w_cat = width(|r| r.category.len(), 8);
    writeln!(
        out,
        "{:w_id$}  {:w_cat$}  {:8}  MESSAGE",
        "ID", "CATEGORY", "SEVERITY"
    )?;
    for (i, r) in rules.rules().iter().enumerate() {
        let severity = selection.severity(i);
        let name = severity_name(severity);
        // padded outside the colour codes, which take no columns
        writeln!(
            out,
            "{:w_id$}  {:w_cat$}  {}{:pad$}  {}",
            r.id,
            r.category,
            severity_styled(name, severity, color),
            "",
            r.message,
            pad = 8 - name.len(),
        )?;
    }
    Ok(())
}

/// Writes every rule as one JSON array: `severity` as `selection` gives it
/// (or `"off"`), `default_severity` as its pack declares it.
pub fn write_json(out: &mut dyn Write, rules: &RuleSet, selection: &Selection) -> io::Result<()> {
    let list: Vec<serde_json::Value> = rules
        .rules()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::json!({
                "id": r.id,
                "category": r.category,
                "severity": severity_name(selection.severity(i)),
                "default_severity": r.severity,
                "weight": r.weight,
                "kind": r.kind.name(),
                "message": r.message,
                "help": r.help,
                "suggest": r.suggest.as_deref(),
                "fixable": rules.offers_fix(i),
                "why": r.why,
                "pack": r.origin.pack,
                "line": r.origin.line,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &list).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_says_which_rules_offer_a_fix() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let mut out = Vec::new();
        write_json(&mut out, &rules, &Selection::all(&rules)).expect("written");
        let list: Vec<serde_json::Value> = serde_json::from_slice(&out).expect("JSON");
        let fixable = |id: &str| {
            list.iter()
                .find(|r| r["id"] == id)
                .map(|r| r["fixable"].clone())
        };
        // a pack `suggest`, a built-in fix per finding, and no fix
        assert_eq!(fixable("chatbot-opener"), Some(true.into()));
        assert_eq!(fixable("unused-suppression"), Some(true.into()));
        assert_eq!(fixable("ai-vocabulary"), Some(false.into()));
        assert_eq!(fixable("unknown-suppression"), Some(false.into()));
    }

    #[test]
    fn the_table_shows_the_selections_severities() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let mut selection = Selection::all(&rules);
        selection.set(0, Severity::Info);
        selection.disable(1);
        let mut out = Vec::new();
        write_table(&mut out, &rules, &selection, false).expect("written");
        let text = String::from_utf8(out).expect("UTF-8");
        let listed: Vec<Vec<&str>> = text
            .lines()
            .take(4)
            .map(|l| l.split_whitespace().take(3).collect())
            .collect();
        let r = rules.rules();
        assert_eq!(
            listed,
            [
                vec!["ID", "CATEGORY", "SEVERITY"],
                vec![r[0].id.as_str(), &r[0].category, "info"],
                vec![r[1].id.as_str(), &r[1].category, "off"],
                vec![r[2].id.as_str(), &r[2].category, r[2].severity.name()],
            ]
        );
    }
}
