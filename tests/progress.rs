//! Progress and `--stats` end to end: the summary goes to stderr and
//! leaves stdout alone, and a long run draws a bar on a terminal (a
//! pseudo-terminal from util-linux `script`) but never when stderr is not
//! one, in CI or with `--quiet`. (When a bar may show is unit-tested in src/cli/progress.rs.)

mod common;

use common::{telltale, telltale_in};

#[test]
fn stats_summarise_the_run_on_stderr() {
    for command in ["check", "score", "report"] {
        let mut args = vec![command, "--stats", "corpus/ai", "corpus/human"];
        if command == "check" {
            args.extend(["--fail-on", "never", "--format", "json"]);
        }
        let run = telltale(&args);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        let lines: Vec<&str> = run.stderr.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("files:"))
            .unwrap_or_else(|| panic!("{command}: no summary in {:?}", run.stderr));
        assert_eq!(lines[at], "files:     4", "{command}");
        assert!(lines[at + 1].starts_with("words:     "), "{command}");
        assert!(lines[at + 2].starts_with("findings:  "), "{command}");
        assert!(
            lines[at + 2].contains("vocabulary "),
            "{command}: {}",
            lines[at + 2]
        );
        assert!(lines[at + 3].starts_with("elapsed:   "), "{command}");
        assert!(lines[at + 3].ends_with(" s"), "{command}");
        assert!(lines[at + 4].starts_with("read:      "), "{command}");
        assert!(lines[at + 4].ends_with("B/s"), "{command}");
        assert!(
            !run.stdout.contains("files:"),
            "{command}: the summary is not on stdout"
        );
    }
    // the same numbers whichever command counted them
    let words = |command: &str| {
        let run = telltale(&[command, "--stats", "--quiet", "corpus/ai", "corpus/human"]);
        run.stderr
            .lines()
            .find(|l| l.starts_with("findings:"))
            .map(str::to_string)
    };
    assert_eq!(words("score"), words("report"));
}

#[test]
fn a_long_run_draws_no_bar_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..320 {
        std::fs::write(
            dir.path().join(format!("note-{i:03}.txt")),
            "A short note. Let us delve into it.\n",
        )
        .expect("write");
    }
    for command in ["check", "score"] {
        let run = telltale_in(dir.path(), &[command, "."], None);
        assert!(run.code <= 1, "{command}: {}", run.stderr);
        assert!(!run.stderr.contains("files ["), "{command}: {}", run.stderr);
        assert!(!run.stderr.contains('\r'), "{command}: {:?}", run.stderr);
        assert!(
            !run.stderr.contains('\u{1b}'),
            "{command}: {:?}",
            run.stderr
        );
    }
}

/// Runs `telltale args` in `dir` with its stderr on a pseudo-terminal (via
/// util-linux `script`) and its stdout discarded, `CI` set to `ci` or
/// removed; returns what reached the terminal, or `None` (after saying so)
/// where there is no `script`.
fn on_a_terminal(dir: &std::path::Path, args: &[&str], ci: Option<&str>) -> Option<String> {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = quote(env!("CARGO_BIN_EXE_telltale"));
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    line.push_str(" >/dev/null");
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .env_remove("CI");
    if let Some(v) = ci {
        cmd.env("CI", v);
    }
    match cmd.output() {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            use std::io::Write;
            // straight to stderr: the harness swallows eprintln! of passing tests
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED terminal progress test: no `script` (util-linux) to give it a terminal"
            );
            None
        }
        Err(e) => panic!("script runs: {e}"),
    }
}

#[test]
fn a_long_run_in_a_terminal_draws_a_bar_unless_ci_or_quiet() {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..320 {
        std::fs::write(
            dir.path().join(format!("note-{i:03}.txt")),
            "A short note. Let us delve into it.\n",
        )
        .expect("write");
    }
    let page = dir.path().join("out.html");
    let page = page.to_str().expect("utf-8");
    for command in [
        vec!["check", "."],
        vec!["score", "."],
        vec!["report", ".", "-o", page],
    ] {
        let Some(shown) = on_a_terminal(dir.path(), &command, None) else {
            return;
        };
        assert!(
            shown.contains("/320 files ["),
            "{command:?}: no bar on the terminal: {shown:?}"
        );
        assert!(shown.contains("MB/s"), "{command:?}: {shown:?}");
    }
    // the three commands share one decision; CI and --quiet turn it off
    for (ci, extra) in [(Some("true"), None), (None, Some("--quiet"))] {
        let mut args = vec!["check", "."];
        args.extend(extra);
        let shown = on_a_terminal(dir.path(), &args, ci).expect("script ran before");
        assert!(
            !shown.contains("files ["),
            "{args:?} with CI={ci:?}: {shown:?}"
        );
    }
}
