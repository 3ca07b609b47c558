//! Every rule's `examples.flag` must be flagged by that rule and every
//! `examples.pass` must not be; every built-in rule has both.

use telltale::engine;
use telltale::rules::RuleSet;
use telltale::source;
use telltale::text::Markup;

#[test]
fn pack_examples() {
    let set = RuleSet::builtin().expect("built-in packs load");
    let mut bad = Vec::new(); // collect all, so one run shows the whole damage
    for (i, r) in set.rules().iter().enumerate() {
        let markup = r.examples.markup.unwrap_or(Markup::Plain);
        let flags = |text: &str| {
            !engine::flagged_by(&source::document(text.to_string(), markup), &set, i).is_empty()
        };
        if r.examples.flag.is_empty() || r.examples.pass.is_empty() {
            bad.push(format!("{}: needs examples.flag and examples.pass", r.id));
        }
        for s in r.examples.flag.iter().filter(|s| !flags(s)) {
            bad.push(format!("{}: missed {s:?}", r.id));
        }
        for s in r.examples.pass.iter().filter(|s| flags(s)) {
            bad.push(format!("{}: false hit {s:?}", r.id));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn rules_are_documented() {
    let set = RuleSet::builtin().expect("built-in packs load");
    assert!(set.len() >= 30, "only {} rules", set.len());
    for r in set.rules() {
        assert!(
            r.why.len() > 40,
            "{}: `why` is too short to explain the rule",
            r.id
        );
        assert!(r.help.is_some(), "{}: no `help` line", r.id);
    }
}

#[test]
fn every_builtin_pattern_rule_has_a_literal_anchor() {
    // a regex without an extractable literal runs on every sentence of
    // every document; keep a literal word in every alternative
    let set = RuleSet::builtin().expect("built-in packs load");
    let slow: Vec<&str> = set
        .unanchored_rules()
        .into_iter()
        .map(|i| set.rules()[i].id.as_str())
        .collect();
    assert!(
        slow.is_empty(),
        "rules without anchors: {}",
        slow.join(", ")
    );
}
