//! Real inputs end to end: what each markup yields as prose, where findings
//! land in the original file, and which files a folder walk picks.
//!
//! The fixtures use their own pack (`tests/fixtures/inputs/pack.toml`), so
//! these snapshots change only when extraction or positions change.

mod common;

use std::fs;
use std::path::Path;

use common::telltale_in;
use telltale::source;

const FIXTURES: &str = "tests/fixtures/inputs";

/// Runs `check` in `dir` with the fixture pack alone, compact output,
/// then `args`.
fn check_fixture_rules(dir: &Path, args: &[&str]) -> common::Run {
    let pack = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURES)
        .join("pack.toml");
    let pack = pack.to_string_lossy();
    let mut all = vec![
        "check",
        "--no-config",
        "--format",
        "compact",
        "--extend-patterns",
        &pack,
        "--select",
        "fixture",
    ];
    all.extend_from_slice(args);
    telltale_in(dir, &all, None)
}

/// Compact findings of the fixture pack alone on one fixture.
fn findings(file: &str) -> String {
    let run = check_fixture_rules(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[&format!("{FIXTURES}/{file}")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.stdout
}

/// The prose a fixture yields, one block per line, with its kind.
fn prose(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURES)
        .join(file);
    let text = fs::read_to_string(&path).expect("fixture reads");
    let markup = source::detect(&path).expect("known extension");
    let doc = source::document(text, markup);
    doc.blocks()
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let marker = doc
                .list_marker(i)
                .map(|m| format!(" {m}"))
                .unwrap_or_default();
            let quoted = if b.quoted { " quoted" } else { "" };
            format!("{:?}{marker}{quoted}: {}\n", b.kind, doc.text(b.span))
        })
        .collect()
}

#[test]
fn markdown_prose_and_positions() {
    insta::assert_snapshot!("markdown_prose", prose("markdown.md"));
    insta::assert_snapshot!("markdown_findings", findings("markdown.md"));
}

#[test]
fn html_prose_and_positions() {
    insta::assert_snapshot!("html_prose", prose("page.html"));
    insta::assert_snapshot!("html_findings", findings("page.html"));
}

#[test]
fn plain_prose_and_positions() {
    insta::assert_snapshot!("plain_prose", prose("notes.txt"));
    insta::assert_snapshot!("plain_findings", findings("notes.txt"));
}

#[test]
fn mdx_prose_and_positions() {
    insta::assert_snapshot!("mdx_prose", prose("guide.mdx"));
    insta::assert_snapshot!("mdx_findings", findings("guide.mdx"));
}

#[test]
fn nothing_in_code_urls_or_front_matter_is_prose() {
    for file in ["markdown.md", "page.html", "notes.txt", "guide.mdx"] {
        let text = prose(file);
        for banned in [
            "fn delve",
            "delve()",
            "delve title",
            "delve-ref",
            "tags:",
            "title:",
            "example",
            "delve.png",
            "indented code",
            "HTML block",
            "in a comment",
            "color",
            "const",
            "preformatted",
            "$",
        ] {
            assert!(
                !text.contains(banned),
                "{file}: `{banned}` is prose:\n{text}"
            );
        }
    }
}

#[test]
fn input_format_overrides_the_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("page.txt"),
        "<p>We <code>delve</code> into <b>it</b>.</p>\n",
    )
    .expect("write");
    let args = |format: &'static str| ["--input-format", format, "page.txt"];
    // as plain text the tag text is prose; as HTML the code is not
    let plain = check_fixture_rules(dir.path(), &args("plain"));
    assert!(
        plain
            .stdout
            .contains("page.txt:1:13: warning [fixture-delve]"),
        "{}",
        plain.stdout
    );
    let html = check_fixture_rules(dir.path(), &args("html"));
    assert_eq!(html.code, 0, "{}{}", html.stdout, html.stderr);
}

#[test]
fn a_folder_walk_skips_what_git_ignores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    for f in [
        "docs/guide.md",
        "docs/page.html",
        "site/_build/guide.html",
        "notes.txt",
        "src/main.rs",
        ".github/README.md",
        "draft.md",
    ] {
        let path = p.join(f);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, "We delve into it.\n").expect("write");
    }
    fs::create_dir(p.join(".git")).expect("git dir");
    fs::write(p.join(".gitignore"), "_build/\ndraft.md\n").expect("gitignore");
    let run = check_fixture_rules(p, &["-j", "2"]);
    let files: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(
        files,
        ["docs/guide.md", "docs/page.html", "notes.txt"],
        "{}",
        run.stderr
    );
    // a file named explicitly is checked whatever its extension or ignore status
    let run = check_fixture_rules(p, &["src/main.rs", "draft.md"]);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
}

/// A commit message as `git commit` leaves it for the editor and the
/// `commit-msg` hook: the message, git's `#` help, and (with `-v`) the
/// diff below the scissors line.
const COMMIT_MESSAGE: &str = "Certainly! Here is the fix for the parser\n\
    \n\
    We delve into tabs: they were read as spaces.\n\
    \n\
    # Please enter the commit message for your changes. We delve into it.\n\
    # ------------------------ >8 ------------------------\n\
    diff --git a/notes.md b/notes.md\n\
    +We delve into the rich tapestry of it.\n";

#[test]
fn a_git_commit_message_is_linted_without_gits_comment_lines_and_diff() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("mkdir");
    let path = dir.path().join(".git/COMMIT_EDITMSG");
    fs::write(&path, COMMIT_MESSAGE).expect("write");
    // as the commit-msg hook runs it: the file named, its markup from its name
    let run = check_fixture_rules(dir.path(), &[".git/COMMIT_EDITMSG"]);
    assert_eq!(
        run.stdout, ".git/COMMIT_EDITMSG:3:4: warning [fixture-delve] delve\n",
        "{}",
        run.stderr
    );
    // the same text read as plain text finds the words git drops
    let plain = check_fixture_rules(
        dir.path(),
        &["--input-format", "plain", ".git/COMMIT_EDITMSG"],
    );
    assert_eq!(plain.stdout.lines().count(), 4, "{}", plain.stdout);
    // and on stdin, named by --input-format
    let piped = common::telltale_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "compact",
            "--select",
            "chatbot-opener,ai-vocabulary",
            "--input-format",
            "commit",
            "-",
        ],
        Some(COMMIT_MESSAGE),
    );
    assert_eq!(piped.code, 1, "{}", piped.stderr);
    assert_eq!(
        piped
            .stdout
            .lines()
            .map(|l| l.split(' ').nth(1))
            .collect::<Vec<_>>(),
        [Some("error"), Some("info")],
        "{}",
        piped.stdout
    );
    assert!(
        piped
            .stdout
            .starts_with("<stdin>:1:1: error [chatbot-opener]"),
        "{}",
        piped.stdout
    );
}

#[test]
fn fixing_a_commit_message_keeps_gits_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("COMMIT_EDITMSG"), COMMIT_MESSAGE).expect("write");
    let run = common::telltale_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--select",
            "chatbot-opener",
            "--fix",
            "COMMIT_EDITMSG",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let fixed = fs::read_to_string(dir.path().join("COMMIT_EDITMSG")).expect("read");
    assert_eq!(
        fixed,
        COMMIT_MESSAGE.replacen("Certainly! ", "", 1),
        "only the opener goes; the comment lines and the diff stay"
    );
}
