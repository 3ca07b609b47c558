//! `check --fix` and `--diff` end to end: fixes are applied once and for
//! all, `--diff` writes nothing, files keep their permissions and are never
//! written when they changed on disk, and every rule's own fix removes what
//! it flags.

mod common;

use std::fs;
use std::path::Path;

use common::telltale_in;
use telltale::engine::{self, Selection};
use telltale::fix;
use telltale::rules::RuleSet;
use telltale::source;
use telltale::text::Markup;

const DRAFT: &str = "# Notes\n\nCertainly! Here is the summary.\n\n\
Sales rose [oaicite:2] last year turn0search1.\n\n**Certainly!** The bold one goes too.\n\n\
Thanks. [Certainly!](https://example.com) The link stays.\n";

const FIXED: &str = "# Notes\n\nHere is the summary.\n\n\
Sales rose last year.\n\nThe bold one goes too.\n\n\
Thanks. [Certainly!](https://example.com) The link stays.\n";

fn draft_in(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("draft.md");
    fs::write(&path, DRAFT).expect("write draft");
    path
}

#[test]
fn fix_applies_suggestions_and_a_second_fix_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = draft_in(dir.path());
    let run = telltale_in(
        dir.path(),
        &["check", "--fix", "--format", "compact", "draft.md"],
        None,
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), FIXED);
    assert!(
        run.stderr.contains("fixed 4 findings in 1 file"),
        "{}",
        run.stderr
    );
    // the report is of the fixed file: the fixed findings are gone, the
    // opener inside a link (no clean deletion) is still reported (after a
    // sentence: a link that opens its paragraph is a cited title)
    assert!(!run.stdout.contains("oaicite"), "{}", run.stdout);
    assert!(
        run.stdout.contains("draft.md:9:10: error [chatbot-opener]"),
        "{}",
        run.stdout
    );
    let second = telltale_in(
        dir.path(),
        &["check", "--fix", "--format", "compact", "draft.md"],
        None,
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), FIXED);
    assert!(
        second.stderr.contains("nothing to fix"),
        "{}",
        second.stderr
    );
    assert_eq!(second.stdout, run.stdout, "same findings left both times");
    let diff = telltale_in(dir.path(), &["check", "--diff", "draft.md"], None);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert_eq!(diff.stdout, "");
    // no temporary file is left beside it
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["draft.md"]);
}

#[test]
fn diff_prints_the_change_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = draft_in(dir.path());
    let before = fs::metadata(&path)
        .expect("stat")
        .modified()
        .expect("mtime");
    let run = telltale_in(dir.path(), &["check", "--diff", "draft.md"], None);
    assert_eq!(run.code, 1, "there is something to fix: {}", run.stderr);
    assert_eq!(fs::read_to_string(&path).expect("read"), DRAFT);
    assert_eq!(
        fs::metadata(&path)
            .expect("stat")
            .modified()
            .expect("mtime"),
        before
    );
    assert!(
        run.stdout.starts_with("--- a/draft.md\n+++ b/draft.md\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n-Certainly! Here is the summary.\n+Here is the summary.\n")
    );
    assert!(run.stdout.contains("\n+Sales rose last year.\n"));
    assert!(run.stderr.contains("would fix 4 findings in 1 file"));
    // --diff wins over --fix
    let both = telltale_in(dir.path(), &["check", "--fix", "--diff", "draft.md"], None);
    assert_eq!(both.stdout, run.stdout);
    assert_eq!(fs::read_to_string(&path).expect("read"), DRAFT);
}

/// A file named as well as inside a named folder is one input: `--fix`
/// rewrote it twice and the second write, seeing the first one's result,
/// failed as "changed on disk" (exit 2); `--diff` printed its hunk twice.
#[test]
fn a_file_named_twice_is_fixed_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = draft_in(dir.path());
    let diff = telltale_in(
        dir.path(),
        &["check", "--diff", ".", "draft.md", "./draft.md"],
        None,
    );
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert_eq!(
        diff.stdout.matches("+++ b/draft.md").count(),
        1,
        "{}",
        diff.stdout
    );
    assert!(
        diff.stderr.contains("would fix 4 findings in 1 file"),
        "{}",
        diff.stderr
    );
    let run = telltale_in(
        dir.path(),
        &["check", "--fix", "--format", "compact", ".", "draft.md"],
        None,
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), FIXED);
    assert!(!run.stderr.contains("changed on disk"), "{}", run.stderr);
    assert!(
        run.stderr.contains("fixed 4 findings in 1 file"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stdout.matches("[chatbot-opener]").count(),
        1,
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// A file over the section size (1 MiB) is checked in sections, and so is
/// the text each pass of fixes leaves: fixing it gives the fix of each of
/// its parts, and what `--fix` reports afterwards is what `check` finds
/// in the fixed file.
#[test]
fn a_file_checked_in_sections_is_fixed_like_its_parts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copies = (1 << 20) / DRAFT.len() + 200;
    fs::write(dir.path().join("big.md"), DRAFT.repeat(copies)).expect("write");
    let diff = telltale_in(dir.path(), &["check", "--diff", "big.md"], None);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(
        diff.stderr
            .contains(&format!("would fix {} findings in 1 file", 4 * copies)),
        "{}",
        diff.stderr
    );
    let fixed = telltale_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "--format",
            "json",
            "--fail-on",
            "never",
            "big.md",
        ],
        None,
    );
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    let text = fs::read_to_string(dir.path().join("big.md")).expect("read");
    assert!(text == FIXED.repeat(copies), "every copy fixed alike");
    let after = telltale_in(
        dir.path(),
        &["check", "--format", "json", "--fail-on", "never", "big.md"],
        None,
    );
    assert_eq!(fixed.stdout, after.stdout);
}

#[test]
fn diff_reads_stdin_and_fix_refuses_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = telltale_in(
        dir.path(),
        &["check", "--diff", "--stdin-filename", "x.md", "-"],
        Some("Certainly! Fine.\n"),
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("+Fine.\n"), "{}", run.stdout);
    let run = telltale_in(
        dir.path(),
        &["check", "--fix", "-"],
        Some("Certainly! Fine.\n"),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--fix cannot rewrite stdin"),
        "{}",
        run.stderr
    );
}

/// A read-only file is left as it is, with an error naming it (exit 2),
/// as ruff, Black and Prettier fail to write one: renaming the fixed text
/// over it succeeded in any writable folder, and even kept it read-only.
#[test]
fn a_read_only_file_is_not_fixed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = draft_in(dir.path());
    let mut permissions = fs::metadata(&path).expect("stat").permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).expect("chmod");
    let run = telltale_in(
        dir.path(),
        &["check", "--fix", "--format", "compact", "draft.md"],
        None,
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), DRAFT);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("draft.md: read-only; not fixed"),
        "{}",
        run.stderr
    );
    // what could not be fixed is still reported
    assert!(run.stdout.contains("[oaicite-residue]"), "{}", run.stdout);
    // --diff only reads, so it still shows the change
    let diff = telltale_in(dir.path(), &["check", "--diff", "draft.md"], None);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(
        diff.stdout.contains("+Here is the summary."),
        "{}",
        diff.stdout
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_permissions_and_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = draft_in(dir.path());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    std::os::unix::fs::symlink("draft.md", dir.path().join("link.md")).expect("symlink");
    let run = telltale_in(dir.path(), &["check", "--fix", "link.md"], None);
    assert!(run.stderr.contains("fixed 4 findings"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&path).expect("read"), FIXED);
    let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let link = fs::symlink_metadata(dir.path().join("link.md")).expect("lstat");
    assert!(link.file_type().is_symlink(), "the link is still a link");
}

#[test]
fn a_file_changed_since_it_was_read_is_not_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = draft_in(dir.path());
    // someone saved the file after telltale read DRAFT
    fs::write(&path, "New text from the editor.\n").expect("write");
    let err =
        fix::write_atomically(&path, DRAFT.as_bytes(), FIXED.as_bytes()).expect_err("must refuse");
    assert!(matches!(err, fix::WriteError::Changed { .. }), "{err}");
    assert!(err.to_string().contains("changed on disk"));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "New text from the editor.\n"
    );
    // and with the expected bytes it writes
    fix::write_atomically(&path, b"New text from the editor.\n", b"Replaced.\n").expect("writes");
    assert_eq!(fs::read_to_string(&path).expect("read"), "Replaced.\n");
}

#[test]
fn a_fix_that_changes_nothing_reports_every_finding_of_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    // the opener's deletion would empty an HTML element, so is refused;
    // "delve" offers no fix at all
    let text = "Some text.\n\n<b>Certainly!</b> We delve into it.\n";
    fs::write(dir.path().join("draft.md"), text).expect("write");
    let args = ["check", "--no-config", "--format", "compact", "draft.md"];
    let plain = telltale_in(dir.path(), &args, None);
    assert_eq!(plain.stdout.lines().count(), 2, "{}", plain.stdout);
    let fixed = telltale_in(dir.path(), &[&args[..], &["--fix"]].concat(), None);
    assert_eq!(fixed.stdout, plain.stdout);
    assert_eq!(fixed.code, plain.code);
    assert_eq!(
        fs::read_to_string(dir.path().join("draft.md")).expect("read"),
        text
    );
}

#[test]
fn files_not_read_as_plain_utf8_are_not_fixed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("latin1.txt");
    let bytes = b"Certainly! Caf\xe9 notes.\n";
    fs::write(&path, bytes).expect("write");
    let run = telltale_in(dir.path(), &["check", "--fix", "latin1.txt"], None);
    assert!(run.stderr.contains("not fixed"), "{}", run.stderr);
    assert_eq!(fs::read(&path).expect("read"), bytes);
}

/// Every rule that suggests a fix: fixing each of its `examples.flag`
/// leaves text the rule no longer flags, and fixing again changes nothing.
#[test]
fn every_rule_fix_removes_what_it_flags() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let mut fixable = 0;
    let mut bad = Vec::new();
    for (i, rule) in rules.rules().iter().enumerate() {
        if rule.suggest.is_none() {
            continue;
        }
        fixable += 1;
        let mut only = Selection::all(&rules);
        for j in 0..rules.len() {
            if j != i {
                only.disable(j);
            }
        }
        let markup = rule.examples.markup.unwrap_or(Markup::Plain);
        let check = |text: &str| {
            engine::check(&source::document(text.to_string(), markup), &rules, &only).findings
        };
        for example in &rule.examples.flag {
            let fixed = fix::fix(example, &check(example), check);
            if fixed.applied == 0 {
                bad.push(format!("{}: no fix applied to {example:?}", rule.id));
            }
            if !check(&fixed.text).is_empty() {
                bad.push(format!("{}: {:?} still flagged", rule.id, fixed.text));
            }
            let again = fix::fix(&fixed.text, &check(&fixed.text), check);
            if again.text != fixed.text {
                bad.push(format!("{}: second fix changed {:?}", rule.id, fixed.text));
            }
            if fixed.text.contains("  ") || fixed.text.starts_with(' ') {
                bad.push(format!("{}: untidy spacing in {:?}", rule.id, fixed.text));
            }
        }
    }
    assert!(fixable >= 3, "only {fixable} rules suggest a fix");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
