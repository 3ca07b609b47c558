//! Inline suppressions, one fixture per form (`tests/fixtures/suppress/`),
//! checked with the fixture pack alone so only suppression changes them.

mod common;

use common::telltale;

fn run(file: &str, extra: &[&str]) -> Vec<String> {
    run_selecting(file, "fixture,unknown-suppression", extra)
}

/// `check` in the compact format with the fixture pack and the rules
/// `select` on.
fn check_args(select: &str) -> Vec<&str> {
    vec![
        "check",
        "--no-config",
        "--format",
        "compact",
        "--extend-patterns",
        "tests/fixtures/inputs/pack.toml",
        "--select",
        select,
    ]
}

/// `run` with the rules `select` on.
fn run_selecting(file: &str, select: &str, extra: &[&str]) -> Vec<String> {
    let path = format!("tests/fixtures/suppress/{file}");
    let mut args = check_args(select);
    args.extend(["--fail-on", "never"]);
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

#[test]
fn directives_that_suppress_nothing_are_reported() {
    let select = "fixture,unused-suppression";
    // the tapestry name on line 4, the line directive on line 7 and the
    // region on line 9 turn off no finding, so the enable on line 13 ends
    // nothing that did; the first directive does
    assert_eq!(
        run_selecting("unused.md", select, &[]),
        [
            "4:6 unused-suppression",
            "7:15 unused-suppression",
            "9:1 unused-suppression",
            "13:1 unused-suppression"
        ]
    );
    // a name for a rule that is off in this run is not judged
    assert_eq!(
        run_selecting("unused.md", "fixture-delve,unused-suppression", &[]),
        [
            "7:15 unused-suppression",
            "9:1 unused-suppression",
            "13:1 unused-suppression"
        ]
    );
    assert!(
        !run_selecting("unused.md", select, &["--no-inline-config"])
            .iter()
            .any(|l| l.ends_with("unused-suppression"))
    );
    // every directive of the other fixtures suppresses something
    for file in [
        "disable-enable.md",
        "disable-ids.md",
        "notes.txt",
        "page.html",
    ] {
        let unused: Vec<String> = run_selecting(file, select, &[])
            .into_iter()
            .filter(|l| l.ends_with("unused-suppression"))
            .collect();
        assert!(unused.is_empty(), "{file}: {unused:?}");
    }
}

#[test]
fn unused_suppressions_are_info_and_fixed_by_deleting_or_rewriting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string("tests/fixtures/suppress/unused.md").expect("fixture");
    std::fs::write(dir.path().join("unused.md"), &text).expect("written");
    std::fs::write(
        dir.path().join("page.mdx"),
        "{/* telltale-disable-next-line fixture */}\nNothing here.\n",
    )
    .expect("written");
    let args = |fix: bool| {
        let mut a = check_args("fixture-tapestry,unused-suppression");
        if fix {
            a.push("--fix");
        }
        a
    };
    let pack = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (md, mdx) = (copy("unused.md"), copy("page.mdx"));
    // info does not fail the default --fail-on warning
    let mut check = args(false);
    check.extend([md.as_str(), mdx.as_str()]);
    let out = common::telltale_in(pack, &check, None);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("info [unused-suppression]"),
        "{}",
        out.stdout
    );
    let mut fix = args(true);
    fix.extend([md.as_str(), mdx.as_str()]);
    let out = common::telltale_in(pack, &fix, None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // only tapestry ran: every directive naming nothing else goes; the
    // one naming delve as well keeps delve
    assert_eq!(
        std::fs::read_to_string(&md).expect("read"),
        "<!-- telltale-disable-next-line fixture-delve -->\nWe delve into it.\n\n\
         <!-- telltale-disable-next-line fixture-delve -->\nWe delve into it.\n\n\
         A plain line.\n\nNothing here.\n\nThe end.\n"
    );
    assert_eq!(
        std::fs::read_to_string(&mdx).expect("read"),
        "Nothing here.\n"
    );
}

#[test]
fn an_enable_left_ending_only_unused_names_goes_in_the_same_fix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = dir.path().join("enable.md");
    std::fs::write(
        &md,
        "<!-- telltale-disable fixture-delve, fixture-tapestry -->\nWe delve into it.\n\
         <!-- telltale-enable fixture-tapestry -->\n\nThe end.\n",
    )
    .expect("written");
    let md = md.to_string_lossy().into_owned();
    let pack = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut check = check_args("fixture,unused-suppression");
    check.push(&md);
    // the enable ends only tapestry's region, which suppressed nothing:
    // it is reported with the name, not only once the name is gone
    let out = common::telltale_in(pack, &check, None);
    assert_eq!(
        out.stdout.matches("[unused-suppression]").count(),
        2,
        "{}",
        out.stdout
    );
    let mut fix = check.clone();
    fix.push("--fix");
    let out = common::telltale_in(pack, &fix, None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&md).expect("read"),
        "<!-- telltale-disable fixture-delve -->\nWe delve into it.\n\nThe end.\n"
    );
    // a second check finds nothing more to fix
    let out = common::telltale_in(pack, &check, None);
    assert!(!out.stdout.contains("unused-suppression"), "{}", out.stdout);
}

#[test]
fn next_line_is_the_line_after_the_comment_closes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = dir.path().join("long.md");
    std::fs::write(
        &md,
        "Intro.\n\n<!--\ntelltale-disable-next-line fixture-delve -- quoting\n-->\n\
         We delve into it.\n",
    )
    .expect("written");
    let mdx = dir.path().join("long.mdx");
    std::fs::write(
        &mdx,
        "{/*\n  telltale-disable-next-line fixture-delve\n*/}\nWe delve into it.\n",
    )
    .expect("written");
    let pack = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut check = check_args("fixture,unused-suppression");
    let (md, mdx) = (md.to_string_lossy(), mdx.to_string_lossy());
    check.extend([md.as_ref(), mdx.as_ref()]);
    // the directive covers the line after `-->`, not the one after its
    // own words, so it is used, and --fix would not delete it
    let out = common::telltale_in(pack, &check, None);
    assert_eq!(out.stdout, "", "{}", out.stderr);
}

#[test]
fn a_note_on_its_own_line_of_the_comment_is_not_read_as_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = dir.path().join("note.md");
    std::fs::write(
        &md,
        "Intro.\n\n<!--\ntelltale-disable-next-line fixture-delve\n-- we quote the brochure\n-->\n\
         We delve into it.\n",
    )
    .expect("written");
    let pack = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut check = check_args("fixture,unknown-suppression,unused-suppression");
    let md = md.to_string_lossy();
    check.push(md.as_ref());
    // before, each word of the note was an unknown rule name
    let out = common::telltale_in(pack, &check, None);
    assert_eq!(out.stdout, "", "{}", out.stderr);
    assert_eq!(out.code, 0, "{}", out.stderr);
}
