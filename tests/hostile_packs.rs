//! Hostile pattern packs: catastrophic patterns must not hang, a huge
//! phrase list must load and match correctly, and every invalid pack must
//! fail with its file, line, rule id and reason.
//!
//! Load and scan times are measured in release builds and written down in
//! docs/hardening.md; these tests assert behaviour only.

mod common;

use std::fs;

use telltale::engine::{self, Selection};
use telltale::rules::{PackSource, RuleSet};
use telltale::source;
use telltale::text::Markup;

fn rule(id: &str, matcher: &str) -> String {
    format!(
        "[[rule]]\nid = \"{id}\"\ncategory = \"test\"\nseverity = \"warning\"\nweight = 1.0\n\
         message = \"m\"\nwhy = \"w\"\n{matcher}\n"
    )
}

/// A backreference inside a nested repetition: fancy-regex must backtrack
/// through every split of the run of words, exponentially many.
const CATASTROPHIC_FANCY: &str = r#"fancy = '''(?i)delve (\w+|\w+ ?)+\1!'''
anchors = ["delve"]
examples.flag = ["delve aa!"]
examples.pass = ["delve nothing"]"#;

/// Nested quantifiers that would be catastrophic for a backtracking engine;
/// the regex crate runs them in linear time.
const CATASTROPHIC_REGEX: &str = r#"regex = '''(?i)delve (a+)+(a|aa)*c'''
examples.flag = ["delve aac"]
examples.pass = ["delve aaab"]"#;

fn hostile_document() -> String {
    // four places where the fancy pattern gives up, then one quick match;
    // each place ends in "!", so the plain-regex screen (the pattern with
    // its backreference relaxed) matches there and the backtracking
    // engine has to run
    let mut doc = String::new();
    for _ in 0..3 {
        doc.push_str("Let us delve ");
        doc.push_str(&"aaaa ".repeat(200));
        doc.push_str("b!\n\n");
    }
    doc.push_str("We delve ");
    doc.push_str(&"a".repeat(5000));
    doc.push_str(" now!\n\nThen delve aa! Done.\n");
    doc
}

#[test]
fn a_catastrophic_fancy_pattern_gives_up_with_one_warning_naming_rule_and_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = format!(
        "{}\n{}",
        rule("catastrophic-fancy", CATASTROPHIC_FANCY),
        rule("catastrophic-regex", CATASTROPHIC_REGEX)
    );
    fs::write(dir.path().join("hostile.toml"), pack).expect("write");
    fs::write(dir.path().join("doc.md"), hostile_document()).expect("write");
    let run = common::telltale_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--extend-patterns",
            "hostile.toml",
            "--select",
            "catastrophic-fancy,catastrophic-regex",
            "--format",
            "compact",
            "doc.md",
        ],
        None,
    );
    assert_eq!(
        run.code, 1,
        "the quick match is still found: {}",
        run.stderr
    );
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("catastrophic"))
        .collect();
    assert_eq!(warnings.len(), 1, "one warning: {}", run.stderr);
    assert!(
        warnings[0].contains("doc.md") && warnings[0].contains("`catastrophic-fancy`"),
        "names file and rule: {}",
        warnings[0]
    );
    assert!(warnings[0].contains("backtrack"), "{}", warnings[0]);
    // the sentences where the pattern gave up yield nothing; the last one,
    // where it matches at once, is found
    let findings: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("[catastrophic"))
        .collect();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert!(
        findings[0].contains("[catastrophic-fancy]"),
        "{}",
        findings[0]
    );
    assert!(findings[0].starts_with("doc.md:9:6:"), "{}", findings[0]);
}

#[test]
fn the_backtrack_limit_warning_counts_every_place_it_was_hit() {
    let pack = rule("catastrophic-fancy", CATASTROPHIC_FANCY);
    let rules = RuleSet::load(&[PackSource::new("hostile.toml", pack)]).expect("pack loads");
    let doc = source::document(hostile_document(), Markup::Markdown);
    let checked = engine::check(&doc, &rules, &Selection::all(&rules));
    assert_eq!(checked.warnings.len(), 1, "{:?}", checked.warnings);
    assert!(
        checked.warnings[0].starts_with("rule `catastrophic-fancy`: ")
            && checked.warnings[0].ends_with(" times)"),
        "{:?}",
        checked.warnings
    );
    assert_eq!(checked.findings.len(), 1, "{:?}", checked.findings);
}

#[test]
fn a_nested_quantifier_regex_runs_to_the_end() {
    let pack = rule("catastrophic-regex", CATASTROPHIC_REGEX);
    let rules = RuleSet::load(&[PackSource::new("hostile.toml", pack)]).expect("pack loads");
    let text = format!("We delve {}aac.\n", "a".repeat(100_000));
    let doc = source::document(text, Markup::Plain);
    let checked = engine::check(&doc, &rules, &Selection::all(&rules));
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
    assert_eq!(checked.findings.len(), 1, "{:?}", checked.findings);
}

/// 10,000 distinct two-word phrases: "zorv17 quan42" and so on.
fn phrases() -> Vec<String> {
    let mut out = Vec::with_capacity(10_000);
    for a in 0..100 {
        for b in 0..100 {
            out.push(format!("zorv{a} quan{b}"));
        }
    }
    out
}

#[test]
fn a_pack_of_ten_thousand_phrases_loads_and_matches_each_exactly() {
    let list = phrases();
    let quoted: Vec<String> = list.iter().map(|p| format!("\"{p}\"")).collect();
    let matcher = format!(
        "phrases = [{}]\nexamples.flag = [\"a zorv0 quan0 b\"]\nexamples.pass = [\"zorv0quan0\"]",
        quoted.join(", ")
    );
    let pack = rule("many-phrases", &matcher);
    let rules = RuleSet::load(&[PackSource::new("big.toml", pack)]).expect("pack loads");
    // every 97th phrase, in other case, each as its own word; and near misses
    let mut text = String::new();
    let mut expected = Vec::new();
    for p in list.iter().step_by(97) {
        text.push_str("See ");
        let start = text.len();
        text.push_str(&p.to_uppercase());
        expected.push(start..text.len());
        text.push_str(" here. ");
    }
    text.push_str("Near misses: xzorv1 quan1, zorv1 quan1x, zorv1quan1, zorv100 quan1.");
    let doc = source::document(text, Markup::Plain);
    let checked = engine::check(&doc, &rules, &Selection::all(&rules));
    let found: Vec<_> = checked.findings.iter().map(|f| f.span.clone()).collect();
    assert_eq!(found, expected);
}

/// Runs `check` with one user pack and returns stderr, asserting exit 2.
fn load_error(pack: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("bad.toml"), pack).expect("write");
    fs::write(dir.path().join("doc.md"), "Text.\n").expect("write");
    let run = common::telltale_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--extend-patterns",
            "bad.toml",
            "doc.md",
        ],
        None,
    );
    assert_eq!(
        run.code, 2,
        "invalid pack must be a usage error: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

#[test]
fn invalid_packs_fail_with_file_line_rule_and_reason() {
    let cases: &[(&str, &str, &str)] = &[
        (
            &rule(
                "bad-regex",
                "regex = '(unclosed'\nexamples.flag = [\"x\"]\nexamples.pass = [\"y\"]",
            ),
            "bad.toml:1: rule `bad-regex`:",
            "regex does not compile",
        ),
        (
            &rule(
                "huge-regex",
                "regex = '(?:\\w{1000}){1000}'\nexamples.flag = [\"x\"]\nexamples.pass = [\"y\"]",
            ),
            "bad.toml:1: rule `huge-regex`:",
            "regex does not compile",
        ),
        (
            &rule(
                "bad-fancy",
                "fancy = '(?<=a)b'\nexamples.flag = [\"ab\"]\nexamples.pass = [\"b\"]",
            ),
            "bad.toml:1: rule `bad-fancy`:",
            "need `anchors`",
        ),
        (
            &rule(
                "two-matchers",
                "regex = 'a'\nphrases = [\"a\"]\nexamples.flag = [\"a\"]\nexamples.pass = [\"b\"]",
            ),
            "bad.toml:1: rule `two-matchers`:",
            "exactly one of",
        ),
        (
            &format!(
                "{}\n{}",
                rule(
                    "twice",
                    "phrases = [\"a b\"]\nexamples.flag = [\"a b\"]\nexamples.pass = [\"b\"]"
                ),
                rule(
                    "twice",
                    "phrases = [\"c d\"]\nexamples.flag = [\"c d\"]\nexamples.pass = [\"b\"]"
                )
            ),
            "rule `twice`:",
            "already defined at bad.toml:1",
        ),
        (
            "[[rule]]\nid = \"typo\"\ncategory = \"test\"\nseverity = \"loud\"\nweight = 1.0\nmessage = \"m\"\nwhy = \"w\"\nphrases = [\"x\"]\n",
            "bad.toml:",
            "loud",
        ),
        ("[[rule]\nid = \"broken\"\n", "bad.toml:1:", ""),
        ("\u{0}\u{1}binary junk", "bad.toml:1:", ""),
    ];
    for (pack, place, reason) in cases {
        let err = load_error(pack);
        assert!(err.contains(place), "expected {place:?} in: {err}");
        assert!(err.contains(reason), "expected {reason:?} in: {err}");
    }
}
