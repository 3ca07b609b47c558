//! Progress and `--stats` end to end: the summary goes to stderr and
//! leaves stdout alone, and a long run never draws a bar when stderr is not
//! a terminal. (When a bar may show is unit-tested in src/cli/progress.rs.)

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
