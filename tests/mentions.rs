//! A rule that mentions a pattern is not using it: every flagged example of
//! every prose pattern rule, quoted inline, set as a block quote or cited
//! as the title of a linked post, must not be flagged (issue 3, part 2). The examples are the same sentences
//! `tests/packs.rs` proves are flagged when used.

use telltale::rules::{RuleKind, RuleSet};
use telltale::source;
use telltale::text::Markup;

/// Categories whose rules judge the writer's own prose (artifacts are
/// found in the raw source, where quoting does not change what they prove).
const PROSE: &[&str] = &[
    "vocabulary",
    "stock-phrase",
    "significance",
    "attribution",
    "rhetoric",
    "discourse",
    "chatbot",
    "typography",
];

#[test]
fn quoted_examples_are_mentions_not_uses() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let mut bad = Vec::new();
    let mut checked = 0;
    for (i, r) in rules.rules().iter().enumerate() {
        if r.kind == RuleKind::Metric || !PROSE.contains(&r.category.as_str()) {
            continue;
        }
        if r.examples.markup == Some(Markup::Markdown) || r.id == "invisible-unicode" {
            continue;
        }
        for ex in &r.examples.flag {
            let ex = ex.trim();
            if ex.contains('\n') {
                continue;
            }
            let used = source::document(ex.to_string(), Markup::Plain);
            if rules.hits_of(i, &used).is_empty() {
                continue; // the example test reports this
            }
            let mentions = [
                (
                    format!("The style guide lists \u{201C}{ex}\u{201D} among phrases to cut."),
                    Markup::Plain,
                ),
                (
                    format!("An editor marked this sentence:\n\n> {ex}\n\nThe rest was fine."),
                    Markup::Markdown,
                ),
                // a digest's link list: the title of someone else's post
                (
                    format!(
                        "## This week\n\n- [{}](https://example.org/post)\n- [Notes](https://example.org/n)\n",
                        ex.replace(['[', ']'], "")
                    ),
                    Markup::Markdown,
                ),
            ];
            for (text, markup) in mentions {
                checked += 1;
                let doc = source::document(text.clone(), markup);
                if !rules.hits_of(i, &doc).is_empty() {
                    bad.push(format!("{}: flags a mention: {text:?}", r.id));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} mentions checked");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
