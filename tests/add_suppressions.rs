//! `check --add-suppressions` end to end: every line with a finding at or
//! above the `--fail-on` level gets a comment that turns its rules off, so
//! the next check passes; a second run changes nothing, `--diff` shows the
//! comments without writing them, and input that cannot be rewritten
//! safely is refused.

mod common;

use std::fs;

use common::telltale_in;

const MARKDOWN: &str = "# Weekly notes\n\n\
Certainly! Here is this week's summary.\n\n\
- Sales rose [oaicite:2] last year.\n\
- Costs fell.\n\n\
| Team | Note |\n|---|---|\n| Ops | I hope this helps! |\n\n\
Plain closing words, with a\nsecond line: I hope this helps!\n";

const PLAIN: &str = "Intro.\n\n  Certainly! We delve into it.\n";

fn check(dir: &std::path::Path, args: &[&str]) -> common::Run {
    let mut all = vec!["check", "--no-config", "--format", "compact"];
    all.extend_from_slice(args);
    telltale_in(dir, &all, None)
}

#[test]
fn suppressed_files_pass_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("notes.md"), MARKDOWN).expect("write");
    fs::write(dir.path().join("notes.txt"), PLAIN).expect("write");
    let before = check(dir.path(), &["."]);
    assert_eq!(before.code, 1, "{}", before.stdout);

    let run = check(dir.path(), &["--add-suppressions", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("suppressed 5 findings in 2 files"),
        "{}",
        run.stderr
    );
    let md = fs::read_to_string(dir.path().join("notes.md")).expect("read");
    assert_eq!(
        md,
        "# Weekly notes\n\n\
         <!-- telltale-disable-next-line chatbot-opener -->\n\
         Certainly! Here is this week's summary.\n\n\
         - Sales rose [oaicite:2] last year. <!-- telltale-disable-line oaicite-residue -->\n\
         - Costs fell.\n\n\
         | Team | Note |\n|---|---|\n\
         | Ops | I hope this helps! <!-- telltale-disable-line chatbot-closer --> |\n\n\
         Plain closing words, with a\n\
         second line: I hope this helps! <!-- telltale-disable-line chatbot-closer -->\n"
    );
    let txt = fs::read_to_string(dir.path().join("notes.txt")).expect("read");
    assert_eq!(
        txt,
        "Intro.\n\n  telltale-disable-next-line chatbot-opener\n  Certainly! We delve into it.\n"
    );
    // the notes below the fail-on level are still reported
    assert!(run.stdout.contains("[ai-vocabulary]"), "{}", run.stdout);
    assert!(!run.stdout.contains("[chatbot-opener]"), "{}", run.stdout);

    // nothing is left to fail, and no comment is unused
    let after = check(dir.path(), &["--fail-on", "warning", "."]);
    assert_eq!(after.code, 0, "{}", after.stdout);
    assert!(
        !after.stdout.contains("unused-suppression"),
        "{}",
        after.stdout
    );

    let again = check(dir.path(), &["--add-suppressions", "."]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("nothing to suppress"),
        "{}",
        again.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.md")).expect("read"),
        md
    );
}

#[test]
fn the_fail_on_level_chooses_what_is_suppressed() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("notes.txt"), PLAIN).expect("write");
    // errors only: the opener is an error, the vocabulary note is not
    let run = check(
        dir.path(),
        &["--add-suppressions", "--fail-on", "info", "notes.txt"],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.txt")).expect("read"),
        "Intro.\n\n  telltale-disable-next-line chatbot-opener, ai-vocabulary\n  Certainly! We delve into it.\n"
    );
    assert_eq!(run.stdout, "", "everything is suppressed");
}

#[test]
fn stdin_conflicting_flags_and_undecodable_files_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let piped = telltale_in(
        dir.path(),
        &["check", "--no-config", "--add-suppressions", "-"],
        Some("Certainly! Here it is.\n"),
    );
    assert_eq!(piped.code, 2);
    assert!(
        piped
            .stderr
            .contains("--add-suppressions cannot rewrite stdin"),
        "{}",
        piped.stderr
    );
    let both = check(dir.path(), &["--add-suppressions", "--fix", "."]);
    assert_eq!(both.code, 2, "{}", both.stderr);
    assert!(
        both.stderr.contains("cannot be used with"),
        "{}",
        both.stderr
    );

    // a byte that is not UTF-8 would be written back as `?`
    let bytes = b"Certainly! Caf\xe9 notes.\n";
    fs::write(dir.path().join("latin1.txt"), bytes).expect("write");
    let run = check(dir.path(), &["--add-suppressions", "latin1.txt"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("not fixed"), "{}", run.stderr);
    assert_eq!(
        fs::read(dir.path().join("latin1.txt")).expect("read"),
        bytes
    );
}

#[test]
fn with_diff_the_comments_are_shown_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("notes.txt"), PLAIN).expect("write");
    let run = check(dir.path(), &["--add-suppressions", "--diff", "notes.txt"]);
    assert_eq!(run.code, 1, "something to suppress: {}", run.stderr);
    assert_eq!(
        run.stdout,
        "--- a/notes.txt\n+++ b/notes.txt\n@@ -1,3 +1,4 @@\n Intro.\n \n\
         +  telltale-disable-next-line chatbot-opener\n   Certainly! We delve into it.\n"
    );
    assert!(
        run.stderr.contains("would suppress 1 finding in 1 file"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.txt")).expect("read"),
        PLAIN
    );
    // stdin can be shown, though not rewritten
    let piped = telltale_in(
        dir.path(),
        &["check", "--no-config", "--add-suppressions", "--diff", "-"],
        Some(PLAIN),
    );
    assert_eq!(piped.code, 1, "{}", piped.stderr);
    assert!(
        piped
            .stdout
            .contains("+  telltale-disable-next-line chatbot-opener\n"),
        "{}",
        piped.stdout
    );
    // nothing at the level: exit 0, no diff
    let none = check(
        dir.path(),
        &[
            "--add-suppressions",
            "--diff",
            "--fail-on",
            "error",
            "--select",
            "ai-vocabulary",
            "notes.txt",
        ],
    );
    assert_eq!(none.code, 0, "{}", none.stderr);
    assert_eq!(none.stdout, "");
    assert!(
        none.stderr.contains("nothing to suppress"),
        "{}",
        none.stderr
    );
}
