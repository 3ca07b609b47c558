//! The measured precision of the built-in rules on the shared labelled sets
//! (`../shared/data`): the committed `patterns/rates.tsv` must match a fresh
//! measurement on dev, and every `warning` and `error` rule must stay under
//! its human false-positive limit on dev and on human Markdown.
//!
//! The data lives outside the repository; when it is absent these tests
//! say so and pass, since there is nothing to measure.

use std::path::Path;

use telltale::engine::Selection;
use telltale::eval::{self, rules as table};
use telltale::rules::RuleSet;

const DEV: &str = "../shared/data/dev";
const HUMAN_MD: &str = "../shared/data/human-md";
const RATES: &str = "patterns/rates.tsv";

fn measure(dir: &str) -> Option<(RuleSet, table::RuleTable)> {
    if !Path::new(dir).is_dir() {
        eprintln!("{dir} is not here; skipping the measurement");
        return None;
    }
    let rules = RuleSet::builtin().expect("built-in packs load");
    let set = eval::load(Path::new(dir)).expect("labelled set loads");
    let tallies = eval::check_all(&set, &rules, &Selection::all(&rules), 2, table::tally)
        .expect("every document reads");
    let t = table::RuleTable::build(rules.len(), &tallies);
    Some((rules, t))
}

fn assert_under_limits(dir: &str, rules: &RuleSet, t: &table::RuleTable) {
    let over: Vec<String> = t
        .over_limit(rules)
        .into_iter()
        .map(|i| {
            let r = &rules.rules()[i];
            format!(
                "{} ({}): {:.2} per 10,000 human words",
                r.id,
                r.severity,
                t.rules[i].per_10k(0).unwrap_or(0.0)
            )
        })
        .collect();
    assert!(
        over.is_empty(),
        "over the human limit on {dir} (trace with `telltale eval {dir} --hits human --rule ID`):\n{}",
        over.join("\n")
    );
}

#[test]
fn committed_rates_are_current() {
    let Some((rules, t)) = measure(DEV) else {
        return;
    };
    let source = format!("measured with `telltale eval {DEV} --write-rates {RATES}`");
    let fresh = t.rates(&rules, &source).to_tsv();
    let committed = std::fs::read_to_string(RATES).expect("patterns/rates.tsv exists");
    assert!(
        fresh == committed,
        "{RATES} is stale: run `cargo run --release -- eval {DEV} --write-rates {RATES}`, then regenerate docs/rules.md"
    );
}

#[test]
fn warning_and_error_rules_are_rare_in_dev_human_text() {
    let Some((rules, t)) = measure(DEV) else {
        return;
    };
    assert!(
        t.docs[0] > 500 && t.docs[1] > 500,
        "dev set incomplete: {:?}",
        t.docs
    );
    assert_under_limits(DEV, &rules, &t);
}

#[test]
fn warning_and_error_rules_are_rare_in_human_markdown() {
    let Some((rules, t)) = measure(HUMAN_MD) else {
        return;
    };
    assert!(t.docs[0] >= 200, "human-md set incomplete: {:?}", t.docs);
    assert_under_limits(HUMAN_MD, &rules, &t);
}
