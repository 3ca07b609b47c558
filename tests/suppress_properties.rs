//! `check --add-suppressions` as a property: on random documents built from
//! the block shapes Markdown, MDX and plain text have (paragraphs, wrapped
//! lines, headings, lists, tables, quotations, code, HTML, hard breaks), a
//! comment written on each line with a finding turns every finding off,
//! leaves no comment unused, and changes nothing else the rules see.

use std::sync::LazyLock;

use proptest::prelude::*;
use telltale::engine::{self, Finding, Selection};
use telltale::fix;
use telltale::rules::RuleSet;
use telltale::source;
use telltale::text::Markup;

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::builtin().expect("built-in packs load"));

/// Blocks of a document, many with tells on their first or a later line.
const BLOCKS: &[&str] = &[
    "Certainly! Here is the plan for the week.",
    "We delve into the rich tapestry of local history.",
    "It's not just a tool — it's a movement.",
    "I hope this helps! Let me know if you have questions.",
    "Plain words on a first line\nand Certainly! on a second line.",
    "A first line ends in a hard break  \nCertainly! the next one delves.",
    "A first line ends in a backslash\\\nCertainly! the next one delves.",
    "# Certainly! A heading that delves",
    "## Why it matters:",
    "A setext heading that delves into it\n===",
    "- Certainly! a list item that delves\n- a plain item",
    "- a plain item\n- I hope this helps!",
    "1. We delve into it.\n2. Certainly! Here it is.",
    "- an item\n  continued on a line that delves into it",
    "* an item that delves\n\n  a second paragraph in it. Certainly! Yes.",
    "| Team | Note |\n|---|---|\n| Ops | We delve into it. |",
    "| a |\n|---|\n| Certainly! Here it is. |",
    "> Certainly! A quotation is a mention.",
    "**Why it matters:** We delve into the details.",
    "**Bold start** and a tapestry of delving.",
    "```\nCertainly! Code is not prose.\n```",
    "    Certainly! indented code",
    "<div>\nCertainly! inside an HTML block\n</div>",
    "The council met on Tuesday.",
    "Sales rose [oaicite:2] last year.",
    "In today's fast-paced world, teams must adapt.",
    "A line with a [link](https://example.org) that delves into it.",
];

/// Blocks of an HTML page.
const HTML_BLOCKS: &[&str] = &[
    "<p>Certainly! Here is the plan for the week.</p>",
    "<p>Plain words on a first line\nand Certainly! on a second line.</p>",
    "<p>\n  We delve into the rich tapestry of it.\n</p>",
    "<h2>Why it matters:</h2>",
    "<ul>\n  <li>Certainly! an item that delves</li>\n  <li>a plain item</li>\n</ul>",
    "<table><tr><td>Certainly! Here it is.</td></tr></table>",
    "<blockquote>Certainly! A quotation.</blockquote>",
    "<pre>Certainly! Code is not prose.</pre>",
    "<p>It's not just a tool — it's a movement. I hope this helps!</p>",
    "<p>The council met on <b>Tuesday</b>.</p>",
];

fn document() -> impl Strategy<Value = String> {
    blocks_of(BLOCKS)
}

fn blocks_of(blocks: &'static [&'static str]) -> impl Strategy<Value = String> {
    let block = prop::sample::select(blocks);
    let gap = prop::sample::select(&["\n\n", "\n", "\n\n\n"][..]);
    prop::collection::vec((block, gap), 1..12).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(b, g)| format!("{b}{g}"))
            .collect::<String>()
    })
}

fn findings(text: &str, markup: Markup) -> Vec<Finding> {
    let doc = source::document(text.to_string(), markup);
    engine::check(&doc, &RULES, &Selection::all(&RULES)).findings
}

fn id(f: &Finding) -> &'static str {
    RULES.rules()[f.rule].id.as_str()
}

/// The text with a comment on each line that has a finding.
fn suppressed(text: &str, markup: Markup) -> (String, Vec<Finding>) {
    let directive_rules: Vec<usize> = RULES.directive_rules().collect();
    let found: Vec<Finding> = findings(text, markup)
        .into_iter()
        .filter(|f| !directive_rules.contains(&f.rule))
        .collect();
    let refs: Vec<&Finding> = found.iter().collect();
    let comments =
        fix::disable::line_comments(text, markup, &refs, |r| RULES.rules()[r].id.as_str());
    (fix::disable::insert(text, &comments).0, found)
}

/// Suppresses every finding of `text` read as `markup` and checks again:
/// the rules whose findings were suppressed, or what was left.
fn suppress_all(text: &str, markup: Markup) -> Result<Vec<&'static str>, String> {
    let (written, found) = suppressed(text, markup);
    let left = findings(&written, markup);
    if !left.is_empty() {
        return Err(format!(
            "{markup:?}: left {:?} of {:?} in\n{written}",
            left.iter()
                .map(|f| (id(f), &written[f.span.clone()]))
                .collect::<Vec<_>>(),
            found.iter().map(id).collect::<Vec<_>>(),
        ));
    }
    let mut rules: Vec<&'static str> = found.iter().map(id).collect();
    rules.sort_unstable();
    rules.dedup();
    Ok(rules)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn a_comment_on_each_line_turns_every_finding_off(text in document()) {
        for markup in [Markup::Markdown, Markup::Mdx, Markup::Plain] {
            let outcome = suppress_all(&text, markup);
            prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
        }
    }

    #[test]
    fn a_comment_on_each_line_of_a_page_turns_every_finding_off(text in blocks_of(HTML_BLOCKS)) {
        let outcome = suppress_all(&text, Markup::Html);
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}

/// The property is not vacuous: the blocks hold findings of many rules,
/// and every one of them goes.
#[test]
fn every_block_at_once_has_findings_and_all_go() {
    for (blocks, markups) in [
        (BLOCKS, &[Markup::Markdown, Markup::Mdx, Markup::Plain][..]),
        (HTML_BLOCKS, &[Markup::Html][..]),
    ] {
        let text = blocks.join("\n\n");
        for &markup in markups {
            let rules = suppress_all(&text, markup).unwrap_or_else(|e| panic!("{e}"));
            assert!(rules.len() >= 5, "{markup:?}: only {rules:?}");
        }
    }
}
