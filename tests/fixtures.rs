//! One fixture per rule (ruff's layout): `corpus/fixtures/<rule-id>.md`
//! holds documents that rule must flag (after `<!-- flag -->` lines) and
//! documents it must not (after `<!-- pass -->` lines). Each fixture is run
//! with that rule alone (`Selection::examples_of`) and its findings are
//! snapshotted, so a change in what a rule matches, where, or with which
//! message shows up in review.

use std::fmt::Write as _;
use std::path::Path;

use telltale::engine::{self, Selection};
use telltale::rules::RuleSet;
use telltale::source;
use telltale::text::Markup;

const DIR: &str = "corpus/fixtures";

struct Fixture {
    markup: Markup,
    /// (must flag?, document text)
    docs: Vec<(bool, String)>,
}

fn parse(text: &str, id: &str) -> Fixture {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let expected = format!("<!-- telltale fixture: {id} (markup: ");
    assert!(
        header.starts_with(&expected),
        "{id}: first line must be `{expected}...) -->`"
    );
    let markup = if header.contains("markup: markdown") {
        Markup::Markdown
    } else {
        Markup::Plain
    };
    let mut docs: Vec<(bool, String)> = Vec::new();
    for line in lines {
        match line.trim() {
            "<!-- flag -->" => docs.push((true, String::new())),
            "<!-- pass -->" => docs.push((false, String::new())),
            _ => {
                let (_, doc) = docs
                    .last_mut()
                    .unwrap_or_else(|| panic!("{id}: text before the first <!-- flag --> line"));
                doc.push_str(line);
                doc.push('\n');
            }
        }
    }
    Fixture { markup, docs }
}

#[test]
fn every_rule_has_a_fixture_and_no_fixture_is_orphaned() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    for r in rules.rules() {
        assert!(
            Path::new(DIR).join(format!("{}.md", r.id)).is_file(),
            "{}: no fixture in {DIR}",
            r.id
        );
    }
    for entry in std::fs::read_dir(DIR).expect("fixtures folder") {
        let path = entry.expect("entry").path();
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        assert!(
            rules.index(id).is_some(),
            "{}: no rule `{id}`",
            path.display()
        );
    }
}

#[test]
fn fixtures_flag_and_pass_as_marked() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let mut bad = Vec::new();
    for (i, r) in rules.rules().iter().enumerate() {
        let path = Path::new(DIR).join(format!("{}.md", r.id));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let fixture = parse(&text, &r.id);
        let selection = Selection::examples_of(&rules, i);
        let mut snap = String::new();
        let (mut flags, mut passes) = (0, 0);
        for (n, (must_flag, doc_text)) in fixture.docs.iter().enumerate() {
            let doc = source::document(doc_text.clone(), fixture.markup);
            let mut found = engine::check(&doc, &rules, &selection).findings;
            found.retain(|f| f.rule == i);
            let kind = if *must_flag { "flag" } else { "pass" };
            let _ = writeln!(
                snap,
                "--- document {} ({kind}): {} finding(s)",
                n + 1,
                found.len()
            );
            for f in &found {
                let matched: String = doc.source()[f.span.clone()]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(80)
                    .collect();
                let _ = writeln!(
                    snap,
                    "{}:{} {} \"{}\" {}",
                    f.start.line,
                    f.start.column,
                    f.severity,
                    matched,
                    f.message(&rules.rules()[f.rule])
                );
            }
            if *must_flag {
                flags += 1;
                if found.is_empty() {
                    bad.push(format!("{}: document {} is not flagged", r.id, n + 1));
                }
            } else {
                passes += 1;
                if !found.is_empty() {
                    bad.push(format!("{}: document {} is flagged", r.id, n + 1));
                }
            }
        }
        if flags == 0 || passes == 0 {
            bad.push(format!("{}: fixture needs flag and pass documents", r.id));
        }
        insta::assert_snapshot!(format!("fixture-{}", r.id), snap);
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
