//! Inline suppressions, one fixture per form (`tests/fixtures/suppress/`),
//! checked with the fixture pack alone so only suppression changes them.

mod common;

use common::telltale;

fn run(file: &str, extra: &[&str]) -> Vec<String> {
    let path = format!("tests/fixtures/suppress/{file}");
    let mut args = vec![
        "check",
        "--no-config",
        "--format",
        "compact",
        "--extend-patterns",
        "tests/fixtures/inputs/pack.toml",
        "--select",
        "fixture,unknown-suppression",
        "--fail-on",
        "never",
    ];
    args.extend_from_slice(extra);
    args.push(&path);
    let out = telltale(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|l| {
            // "path:line:col: severity [rule] message" -> "line:col rule"
            let rest = l.strip_prefix(&format!("{path}:")).expect("path first");
            let mut parts = rest.splitn(3, ':');
            let line = parts.next().unwrap_or_default();
            let col = parts.next().unwrap_or_default();
            let rule = l
                .split('[')
                .nth(1)
                .and_then(|r| r.split(']').next())
                .unwrap_or_default();
            format!("{line}:{col} {rule}")
        })
        .collect()
}

#[test]
fn disable_then_enable() {
    assert_eq!(
        run("disable-enable.md", &[]),
        [
            "1:4 fixture-delve",
            "1:17 fixture-tapestry",
            "9:19 fixture-delve",
            "9:32 fixture-tapestry"
        ]
    );
}

#[test]
fn disable_and_enable_by_id_and_category() {
    assert_eq!(
        run("disable-ids.md", &[]),
        [
            "3:36 fixture-tapestry",
            "11:49 fixture-tapestry",
            "15:10 fixture-delve",
            "15:23 fixture-tapestry"
        ]
    );
}

#[test]
fn disable_next_line() {
    assert_eq!(
        run("disable-next-line.md", &[]),
        ["2:17 fixture-tapestry", "3:5 fixture-delve"]
    );
}

#[test]
fn disable_line() {
    assert_eq!(
        run("disable-line.md", &[]),
        ["2:4 fixture-delve", "3:4 fixture-delve"]
    );
}

#[test]
fn disable_file() {
    assert_eq!(
        run("disable-file.md", &[]),
        ["1:19 fixture-tapestry", "5:17 fixture-tapestry"]
    );
}

#[test]
fn unknown_names_and_directives_are_reported() {
    assert_eq!(
        run("unknown.md", &[]),
        [
            "1:23 unknown-suppression",
            "3:4 fixture-delve",
            "5:6 unknown-suppression"
        ]
    );
    let out = telltale(&[
        "check",
        "--no-config",
        "--format",
        "compact",
        "--extend-patterns",
        "tests/fixtures/inputs/pack.toml",
        "tests/fixtures/suppress/unknown.md",
    ]);
    assert!(
        out.stdout
            .contains("no rule or category `fixture-delv`; did you mean `fixture-delve`?"),
        "{}",
        out.stdout
    );
}

#[test]
fn html_comments() {
    assert_eq!(
        run("page.html", &[]),
        [
            "3:20 fixture-tapestry",
            "5:7 fixture-delve",
            "7:7 fixture-delve",
            "7:20 fixture-tapestry"
        ]
    );
}

#[test]
fn plain_text_directive_lines() {
    assert_eq!(
        run("notes.txt", &[]),
        [
            "2:17 fixture-tapestry",
            "8:4 fixture-delve",
            "8:17 fixture-tapestry",
            "9:28 unknown-suppression"
        ]
    );
}

#[test]
fn directives_inside_code_do_nothing() {
    assert_eq!(
        run("in-code.md", &[]),
        ["9:4 fixture-delve", "9:17 fixture-tapestry"]
    );
}

#[test]
fn no_inline_config_ignores_them_all() {
    let all = [
        "1:4 fixture-delve",
        "1:17 fixture-tapestry",
        "5:21 fixture-delve",
        "5:34 fixture-tapestry",
        "9:19 fixture-delve",
        "9:32 fixture-tapestry",
    ];
    assert_eq!(run("disable-enable.md", &["--no-inline-config"]), all);
    assert_eq!(
        run("unknown.md", &["--no-inline-config"]),
        ["3:4 fixture-delve", "3:17 fixture-tapestry"]
    );
}

#[test]
fn the_rule_is_listed_and_explained() {
    let rules = telltale(&["rules"]);
    assert!(
        rules.stdout.contains("unknown-suppression"),
        "{}",
        rules.stdout
    );
    let explain = telltale(&["explain", "unknown-suppression"]);
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    assert!(
        explain.stdout.contains("telltale-disable"),
        "{}",
        explain.stdout
    );
}
