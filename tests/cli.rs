//! The binary end to end: exit codes, stdin, missing files, broken packs,
//! the `rules` and `explain` subcommands.

mod common;

use common::{telltale, telltale_in};
use std::path::Path;

#[test]
fn findings_at_warning_exit_1_and_clean_text_exits_0() {
    let run = telltale(&["check", "--color", "never", "corpus/ai/weekly-digest.md"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("warning[negative-parallelism]"));
    assert!(run.stdout.contains("corpus/ai/weekly-digest.md: 1 error"));
    let clean = telltale(&["check", "corpus/human/field-notes.md"]);
    assert_eq!(clean.code, 0, "{}{}", clean.stdout, clean.stderr);
}

#[test]
fn fail_on_sets_the_threshold() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.txt"),
        "Experts say the rain will stop.\n",
    )
    .expect("write");
    // vague-attribution is info: passes at the default level, fails at info
    assert_eq!(telltale_in(dir.path(), &["check", "a.txt"], None).code, 0);
    assert_eq!(
        telltale_in(dir.path(), &["check", "--fail-on", "info", "a.txt"], None).code,
        1
    );
    assert_eq!(
        telltale(&["check", "--fail-on", "never", "corpus/ai"]).code,
        0
    );
    assert_eq!(
        telltale(&["check", "--fail-on", "error", "corpus/ai/weekly-digest.md"]).code,
        1
    );
}

#[test]
fn stdin_is_read_and_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = telltale_in(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--stdin-filename",
            "draft.md",
            "-",
        ],
        Some("# Title\n\nIt's not just a tool — it's a movement.\n"),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "draft.md:3:1: warning [negative-parallelism] \"not just X — it's Y\" framing"
    );
}

/// With a stdin name and no paths, stdin is read (as ruff and Prettier do)
/// rather than the current folder, whose drafts were checked instead.
#[test]
fn a_stdin_name_without_paths_reads_stdin() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("other.md"), "I hope this helps!\n").expect("write");
    for command in ["check", "score"] {
        let run = telltale_in(
            dir.path(),
            &[command, "--stdin-filename", "draft.md"],
            Some("# Title\n\nIt's not just a tool — it's a movement.\n"),
        );
        assert!(run.stdout.contains("draft.md"), "{command}: {}", run.stdout);
        assert!(
            !run.stdout.contains("other.md"),
            "{command}: {}",
            run.stdout
        );
    }
}

#[test]
fn missing_file_is_reported_and_the_rest_still_checked() {
    let run = telltale(&[
        "check",
        "--format",
        "compact",
        "no-such-file.md",
        "corpus/ai/product-launch.txt",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-file.md"), "{}", run.stderr);
    assert!(
        run.stdout.contains("corpus/ai/product-launch.txt:"),
        "{}",
        run.stdout
    );
}

#[test]
fn broken_pack_names_file_and_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = dir.path().join("house.toml");
    std::fs::write(
        &pack,
        "[[rule]]\nid = \"house-style\"\ncategory = \"house\"\nseverity = \"warning\"\nweight = 1.0\nmessage = \"m\"\nwhy = \"w\"\nregex = \"(unclosed\"\n",
    )
    .expect("write pack");
    std::fs::write(dir.path().join("a.txt"), "Hello.\n").expect("write");
    let run = telltale_in(
        dir.path(),
        &["check", "--extend-patterns", "house.toml", "a.txt"],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("house.toml:1: rule `house-style`: regex does not compile"),
        "{}",
        run.stderr
    );
}

#[test]
fn extra_pack_adds_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("house.toml"),
        "[[rule]]\nid = \"house-synergy\"\ncategory = \"house\"\nseverity = \"error\"\nweight = 1.0\nmessage = \"we do not say synergy\"\nwhy = \"House style.\"\nphrases = [\"synergy\"]\n",
    )
    .expect("write pack");
    std::fs::write(dir.path().join("a.txt"), "Real synergy at last.\n").expect("write");
    let run = telltale_in(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--extend-patterns",
            "house.toml",
            "a.txt",
        ],
        None,
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("a.txt:1:6: error [house-synergy] we do not say synergy"),
        "{}",
        run.stdout
    );
}

#[test]
fn rules_lists_every_rule() {
    let run = telltale(&["rules"]);
    assert_eq!(run.code, 0);
    let rows = run.stdout.lines().skip(1).count();
    assert!(rows >= 30, "{rows} rules");
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("negative-parallelism ") && l.contains("rhetoric"))
    );
    // the JSON listing says which rules --fix can fix, and with what
    let json = telltale(&["rules", "--format", "json"]);
    let list: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).expect("rules JSON");
    let suggest = |id: &str| {
        list.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["suggest"].clone())
            .expect("listed")
    };
    assert_eq!(suggest("chatbot-opener"), serde_json::json!(""));
    assert_eq!(suggest("negative-parallelism"), serde_json::Value::Null);
}

#[test]
fn explain_shows_why_and_examples() {
    let run = telltale(&["explain", "negative-parallelism"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Flagged:") && run.stdout.contains("Not flagged:"));
    assert!(run.stdout.contains("It's not just a phone"));
    // a rule with no fix says nothing of one; one with a fix says what it does
    assert!(!run.stdout.contains("Fix:"), "{}", run.stdout);
    let fixable = telltale(&["explain", "chatbot-opener"]);
    assert!(
        fixable
            .stdout
            .contains("Fix: `telltale check --fix` deletes it"),
        "{}",
        fixable.stdout
    );
    let unknown = telltale(&["explain", "parallelism"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("did you mean `negative-parallelism`"),
        "{}",
        unknown.stderr
    );
    // other case, a misspelling, a category: each gets a pointer
    let upper = telltale(&["explain", "Negative-Parallelism"]);
    assert!(
        upper.stderr.contains("did you mean `negative-parallelism`"),
        "{}",
        upper.stderr
    );
    let typo = telltale(&["explain", "negativ-paralelism"]);
    assert!(
        typo.stderr.contains("did you mean `negative-parallelism`"),
        "{}",
        typo.stderr
    );
    let category = telltale(&["explain", "chatbot"]);
    assert_eq!(category.code, 2);
    assert!(
        category
            .stderr
            .contains("it is a category, of the rules chatbot-opener, "),
        "{}",
        category.stderr
    );
}

#[test]
fn check_help_gives_the_exit_status() {
    for flag in ["-h", "--help"] {
        let run = telltale(&["check", flag]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout
                .contains("Exit status: 0 nothing at or above --fail-on"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    // an empty selection (an unset variable in `--select "$RULES"`) would
    // run nothing and pass everything
    for command in ["check", "report"] {
        for empty in ["", " , "] {
            let run = telltale(&[command, "--select", empty, "corpus/ai"]);
            assert_eq!(run.code, 2, "{command} --select {empty:?}: {}", run.stderr);
            assert!(
                run.stderr.contains("--select names no rule"),
                "{}",
                run.stderr
            );
        }
    }
    assert_eq!(
        telltale(&[
            "check",
            "--select",
            "chatbot,",
            "--format",
            "compact",
            "corpus/ai"
        ])
        .code,
        1,
        "a trailing comma is no empty selection"
    );
    assert_eq!(telltale(&["check", "--fail-on", "sometimes", "x"]).code, 2);
    assert_eq!(telltale(&["frobnicate"]).code, 2);
}

#[test]
fn folders_are_walked_in_sorted_order() {
    let run = telltale(&[
        "check",
        "--format",
        "compact",
        "--fail-on",
        "never",
        "corpus",
    ]);
    let files: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split(':').next())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(files.contains(&"corpus/ai/product-launch.txt"));
}

/// A reader that stops early (`| head`) is no error: every command exits 0
/// without a message when stdout's pipe is closed, as ripgrep does. JSON
/// written through serde hid the broken pipe inside another error kind, so
/// `rules --format json | head -1` said "writing output: Broken pipe" and
/// exited 2.
#[test]
fn a_closed_stdout_pipe_is_no_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [
        &["rules", "--format", "json"][..],
        &["rules"],
        &["score", "--format", "json", "corpus"],
        &["score", "corpus"],
        &["check", "--format", "json", "--fail-on", "never", "corpus"],
        &["check", "--format", "sarif", "--fail-on", "never", "corpus"],
    ] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        // closed before the child writes anything: its first write fails
        drop(reader);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_telltale"))
            .args(args)
            .current_dir(root)
            .env("CI", "1")
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

/// `--color` reaches every command that colours anything: the severities
/// of `rules` and `explain`, as `check` colours them. It had no effect
/// there. Commands that print no colour by design say so in `--help`.
#[test]
fn color_is_honoured_by_rules_and_explain() {
    let esc = "\u{1b}[";
    let strip = |s: &str| {
        regex::Regex::new("\u{1b}\\[[0-9;]*m")
            .expect("regex")
            .replace_all(s, "")
            .into_owned()
    };
    let always = telltale(&["rules", "--color", "always"]);
    let never = telltale(&["rules", "--color", "never"]);
    // piped, so auto is off
    let auto = telltale(&["rules"]);
    assert!(always.stdout.contains(esc), "{}", always.stdout);
    assert!(!never.stdout.contains(esc) && !auto.stdout.contains(esc));
    assert_eq!(
        strip(&always.stdout),
        never.stdout,
        "same text, columns aligned"
    );
    // check's colour for an error, on the same word
    let check = telltale(&["check", "--color", "always", "corpus/ai/weekly-digest.md"]);
    // the last escape before `word`: the colour it is written in
    let red = |text: &str, word: &str| {
        let at = text.find(word).expect("an error");
        text[..at].rfind("\u{1b}[").map(|s| text[s..at].to_string())
    };
    let listed = always
        .stdout
        .lines()
        .find(|l| l.starts_with("oaicite-residue "))
        .expect("listed");
    assert_eq!(
        red(listed, "error"),
        red(&check.stdout, "error[chatbot-opener]"),
        "{listed:?}"
    );
    let json = telltale(&["rules", "--color", "always", "--format", "json"]);
    assert!(!json.stdout.contains(esc));

    let explain = |color: &str| telltale(&["--color", color, "explain", "chatbot-opener"]).stdout;
    let coloured = explain("always");
    assert!(
        coloured.lines().next().is_some_and(|l| l.contains(esc)),
        "{coloured}"
    );
    assert_eq!(strip(&coloured), explain("never"));
    assert!(!explain("auto").contains(esc));

    // score prints nothing coloured, and its help says so
    let score = telltale(&["score", "--color", "always", "corpus/ai"]);
    assert_eq!(score.code, 0, "{}", score.stderr);
    assert!(!score.stdout.contains(esc));
    let help = telltale(&["score", "--help"])
        .stdout
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        help.contains("Everything else (score,") && help.contains("is never coloured"),
        "{help}"
    );
}
