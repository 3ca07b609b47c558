//! docs/rules.md is generated: it must match what `telltale rules --format
//! markdown` writes from the packs and the committed rates.

use telltale::rules::RuleSet;
use telltale::rules::rates::Rates;
use telltale::rules::reference;

#[test]
fn committed_rules_reference_is_current() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let fresh = reference::markdown(&rules, &Rates::builtin());
    let committed = std::fs::read_to_string("docs/rules.md").expect("docs/rules.md exists");
    assert!(
        fresh == committed,
        "docs/rules.md is stale: run `{}`",
        reference::COMMAND
    );
}

#[test]
fn every_rule_is_measured_and_documented() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let rates = Rates::builtin();
    let doc = reference::markdown(&rules, &rates);
    for r in rules.rules() {
        assert!(
            rates.get(&r.id).is_some(),
            "{}: no row in patterns/rates.tsv",
            r.id
        );
        assert!(
            doc.contains(&format!("\n## {}\n", r.id)),
            "{}: no section",
            r.id
        );
    }
    assert!(rules.len() >= 80, "only {} rules", rules.len());
}

#[test]
fn every_catalogue_category_has_rules() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    for category in [
        "vocabulary",
        "stock-phrase",
        "significance",
        "attribution",
        "rhetoric",
        "discourse",
        "chatbot",
        "formatting",
        "typography",
        "artifact",
        "metric",
    ] {
        let n = rules
            .rules()
            .iter()
            .filter(|r| r.category == category)
            .count();
        assert!(n >= 2, "category {category} has {n} rules");
    }
}
