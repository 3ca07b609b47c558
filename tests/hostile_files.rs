//! Hostile files, each run through the binary: telltale must never panic,
//! hang or lose output on them, and must say clearly what it skipped.
//!
//! Runs go through [`run`], which kills a run still going after a generous
//! limit and fails the test: that turns a hang into a failure instead of a
//! stuck suite. It asserts nothing about speed (the limit is far above any
//! normal run); measured times are in docs/hardening.md.

mod common;

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Past this a run counts as hung.
const HANG_LIMIT: Duration = Duration::from_secs(600);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The binary under test: `TELLTALE_BIN` when set (CI points it at a
/// release build for the largest inputs), else the one cargo built.
fn binary() -> PathBuf {
    std::env::var_os("TELLTALE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_telltale")))
}

fn run(dir: &Path, args: &[&OsStr]) -> Run {
    run_cmd(Command::new(binary()).args(args).current_dir(dir))
}

fn run_cmd(cmd: &mut Command) -> Run {
    let mut child = cmd
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let began = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if began.elapsed() > HANG_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("telltale hung: still running after {HANG_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().expect("stdout read"),
        stderr: err.join().expect("stderr read"),
    }
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", run.stdout, run.stderr))
}

/// `(rule, start byte, end byte)` of every finding of the first file.
fn spans(v: &serde_json::Value) -> Vec<(String, u64, u64)> {
    v["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["start"].as_u64().expect("start"),
                f["end"].as_u64().expect("end"),
            )
        })
        .collect()
}

fn has_span(v: &serde_json::Value, start: usize, end: usize) -> bool {
    spans(v)
        .iter()
        .any(|(_, s, e)| *s == start as u64 && *e == end as u64)
}

const TELL: &str = "Let us delve into the rich tapestry of it.";

#[test]
fn empty_and_whitespace_only_files_are_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("empty.md"), "").expect("write");
    fs::write(dir.path().join("blank.md"), " \n\t\n  \r\n\u{a0}\n").expect("write");
    fs::write(dir.path().join("blank.html"), "  \n<p>  </p>\n").expect("write");
    fs::write(dir.path().join("empty.txt"), "").expect("write");
    let r = run(
        dir.path(),
        &[os("check"), os("--format"), os("json"), os(".")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["summary"]["files"], 4);
    assert_eq!(v["summary"]["findings"], 0);
    assert_eq!(r.stderr, "", "no notices for empty files");
}

#[test]
fn invalid_utf8_warns_once_and_keeps_byte_positions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bytes = b"Caf\xe9 \xff\xfe owners. ".to_vec();
    let delve = bytes.len() + "Let us ".len();
    bytes.extend_from_slice(TELL.as_bytes());
    fs::write(dir.path().join("latin1.md"), &bytes).expect("write");
    let r = run(
        dir.path(),
        &[os("check"), os("--format"), os("json"), os("latin1.md")],
    );
    assert_ne!(r.code, 2, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one warning: {:?}", r.stderr);
    assert!(
        lines[0].contains("latin1.md") && lines[0].contains("not valid UTF-8"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("3 invalid bytes"), "{}", lines[0]);
    // the span is in bytes of the file as it is on disk
    assert!(has_span(&json(&r), delve, delve + 5), "{}", r.stdout);
}

#[test]
fn utf16_with_a_bom_is_decoded_both_ways() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in TELL.encode_utf16() {
        le.extend(u.to_le_bytes());
        be.extend(u.to_be_bytes());
    }
    fs::write(dir.path().join("le.txt"), le).expect("write");
    fs::write(dir.path().join("be.txt"), be).expect("write");
    for name in ["le.txt", "be.txt"] {
        let r = run(
            dir.path(),
            &[os("check"), os("--format"), os("json"), os(name)],
        );
        assert_ne!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("UTF-16"), "{}", r.stderr);
        let v = json(&r);
        // positions refer to the decoded text, as the notice says
        assert!(has_span(&v, 7, 12), "{name}: {}", r.stdout);
    }
}

#[test]
fn binary_files_are_skipped_with_a_notice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend([0u8; 64]);
    bytes.extend_from_slice(TELL.as_bytes());
    fs::write(dir.path().join("archive.md"), &bytes).expect("write");
    fs::write(dir.path().join("fine.md"), TELL).expect("write");
    let r = run(
        dir.path(),
        &[os("check"), os("--format"), os("json"), os(".")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("archive.md: binary file"),
        "notice: {}",
        r.stderr
    );
    let v = json(&r);
    assert_eq!(v["summary"]["files"], 1, "only the text file is checked");
    assert_eq!(v["files"][0]["path"], "fine.md");
}

#[test]
fn an_endless_binary_device_is_skipped_without_reading_it_all() {
    // /dev/zero never ends: reading it whole would take 4 GiB of memory
    // and then fail; the NUL probe must stop at the first block
    let dir = tempfile::tempdir().expect("temp dir");
    let r = run(dir.path(), &[os("check"), os("/dev/zero")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("/dev/zero: binary file"), "{}", r.stderr);
}

#[test]
fn a_million_one_word_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::with_capacity(8_000_000);
    for i in 0..1_000_000 {
        text.push_str(if i % 1000 == 999 { "delve\n" } else { "word\n" });
    }
    fs::write(dir.path().join("lines.txt"), &text).expect("write");
    let r = run(
        dir.path(),
        &[os("check"), os("--format"), os("json"), os("lines.txt")],
    );
    assert_ne!(r.code, 2, "{}", r.stderr);
    let v = json(&r);
    // the last "delve" is on line 1,000,000 at its byte offset
    let last = text.rfind("delve").expect("delve");
    let f = v["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["start"].as_u64() == Some(last as u64))
        .unwrap_or_else(|| panic!("no finding at {last}"));
    assert_eq!(f["line"], 1_000_000);
    assert_eq!(f["column"], 1);
}

/// A single line of about 100 MB with a tell at each end.
///
/// Ignored under plain `cargo test`: in a debug build it runs for minutes.
/// `.ci/run` runs it against a release build (`TELLTALE_BIN`).
#[test]
#[ignore = "100 MB input: slow in debug builds; .ci/run runs it with a release binary"]
fn a_single_100_mb_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("line.txt");
    let filler = "plain words and more plain words, ".repeat(1024);
    let mut text = String::with_capacity(100 * 1024 * 1024 + 1024);
    text.push_str(TELL);
    text.push(' ');
    while text.len() < 100 * 1024 * 1024 {
        text.push_str(&filler);
    }
    let last = text.len() + "Let us ".len();
    text.push_str(TELL);
    fs::write(&path, &text).expect("write");
    drop(text);
    let r = run(
        dir.path(),
        &[os("check"), os("--format"), os("json"), os("line.txt")],
    );
    assert_ne!(r.code, 2, "{}", r.stderr);
    let v = json(&r);
    assert!(has_span(&v, 7, 12), "first tell: {:?}", spans(&v));
    assert!(has_span(&v, last, last + 5), "last tell: {:?}", spans(&v));
}

/// A suppression directive before every line of a 12 MB file, and one
/// line left unsuppressed at the end.
///
/// Each finding was looked up in a list of every directive, so a file like
/// this took time quadratic in its size (8-13 s at 1 MB; well past
/// [`HANG_LIMIT`] at 12 MB); now the lookups are binary searches
/// (docs/hardening.md, "Scaling"). Ignored under plain `cargo test` for
/// its size; `.ci/run` runs it with a release binary.
#[test]
#[ignore = "12 MB input: slow in debug builds; .ci/run runs it with a release binary"]
fn a_suppression_directive_on_every_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let unit =
        "<!-- telltale-disable-next-line -->\nIt's not just a tool \u{2014} it's a movement.\n\n";
    let mut text = unit.repeat(12 * 1024 * 1024 / unit.len());
    let last = text.len();
    text.push_str("It's not just a tool \u{2014} it's a movement.\n");
    fs::write(dir.path().join("doc.md"), &text).expect("write");
    let r = run(
        dir.path(),
        &[os("check"), os("--format"), os("json"), os("doc.md")],
    );
    assert_ne!(r.code, 2, "{}", r.stderr);
    let v = json(&r);
    let findings = v["files"][0]["findings"].as_array().expect("findings");
    let starts: Vec<u64> = findings
        .iter()
        .filter(|f| f["rule"] == "negative-parallelism")
        .filter_map(|f| f["start"].as_u64())
        .collect();
    assert_eq!(starts, [last as u64], "only the last line's tell is left");
}

/// An 8 MB file whose every paragraph opens with a chat opener, shown as
/// `check --diff`.
///
/// The diff was a general line diff, whose cost grows with the length times
/// the number of changed lines: 14-29 s at 1 MB and over 60 s at 2 MB, so
/// well past [`HANG_LIMIT`] at 8 MB; now it is written from the fix's own
/// edits (docs/hardening.md, "Scaling"). Ignored under plain `cargo test`
/// for its size; `.ci/run` runs it with a release binary.
#[test]
#[ignore = "8 MB input: slow in debug builds; .ci/run runs it with a release binary"]
fn a_fix_in_every_paragraph_shown_as_a_diff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let unit = "Certainly! Here is the text.\n\n";
    let count = 8 * 1024 * 1024 / unit.len();
    fs::write(dir.path().join("doc.md"), unit.repeat(count)).expect("write");
    let r = run(dir.path(), &[os("check"), os("--diff"), os("doc.md")]);
    // 1: there is something to fix
    assert_eq!(r.code, 1, "{}", r.stderr);
    // one hunk: the changed lines are one blank line apart
    let lines = 2 * count;
    let expected = format!(
        "--- a/doc.md\n+++ b/doc.md\n@@ -1,{lines} +1,{lines} @@\n{}",
        "-Certainly! Here is the text.\n+Here is the text.\n \n".repeat(count)
    );
    assert!(
        r.stdout == expected,
        "{}",
        &r.stdout[..r.stdout.len().min(500)]
    );
}

#[test]
fn deeply_nested_markdown_and_html_do_not_overflow_the_stack() {
    let dir = tempfile::tempdir().expect("temp dir");
    let depth = 10_000;
    let quotes = format!("{}{TELL}\n", "> ".repeat(depth));
    let lists = format!("{}{TELL}\n", "- ".repeat(depth));
    // indented nesting grows as the square of its depth (10,000 levels
    // would be a 100 MB file); 1,000 levels still nest far past any stack
    // that recursed per level
    let mut indented = String::new();
    for level in 0..1_000 {
        indented.push_str(&" ".repeat(level * 2));
        indented.push_str("- item\n");
    }
    let emphasis = format!("{}{TELL}{}\n", "*".repeat(depth), "*".repeat(depth));
    let links = format!("{}{TELL}{}\n", "[".repeat(depth), "](x)".repeat(depth));
    let html = format!(
        "{}{TELL}{}",
        "<div><blockquote>".repeat(depth),
        "</blockquote></div>".repeat(depth)
    );
    fs::write(dir.path().join("quotes.md"), quotes).expect("write");
    fs::write(dir.path().join("lists.md"), lists).expect("write");
    fs::write(dir.path().join("indented.md"), indented).expect("write");
    fs::write(dir.path().join("emphasis.md"), emphasis).expect("write");
    fs::write(dir.path().join("links.md"), links).expect("write");
    fs::write(dir.path().join("nested.html"), html).expect("write");
    // two threads, so documents run on the worker pool's smaller stacks
    let r = run(
        dir.path(),
        &[
            os("check"),
            os("--threads"),
            os("2"),
            os("--format"),
            os("json"),
            os("."),
        ],
    );
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert_eq!(json(&r)["summary"]["files"], 6, "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("docs");
    fs::create_dir(&sub).expect("mkdir");
    fs::write(sub.join("a.md"), TELL).expect("write");
    symlink(&sub, sub.join("again")).expect("loop to its own folder");
    symlink("self.md", sub.join("self.md")).expect("link to itself");
    symlink("ping.md", sub.join("pong.md")).expect("link");
    symlink("pong.md", sub.join("ping.md")).expect("link");
    let r = run(
        dir.path(),
        &[os("check"), os("--format"), os("json"), os("docs")],
    );
    assert_ne!(r.code, 2, "walking skips links: {}", r.stderr);
    let v = json(&r);
    assert_eq!(v["summary"]["files"], 1, "{}", r.stdout);
    assert_eq!(v["files"][0]["path"], "docs/a.md");
    // named explicitly, a looping link is an error naming it
    let r = run(
        dir.path(),
        &[os("check"), os("docs/self.md"), os("docs/a.md")],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("docs/self.md:"), "{}", r.stderr);
    assert!(
        r.stdout.contains("docs/a.md"),
        "the other file is still checked"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_errors_naming_them() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().expect("temp dir");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    let locked = dir.path().join("locked.md");
    fs::write(&locked, TELL).expect("write");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let closed = dir.path().join("closed");
    fs::create_dir(&closed).expect("mkdir");
    fs::write(closed.join("inside.md"), TELL).expect("write");
    fs::set_permissions(&closed, fs::Permissions::from_mode(0o000)).expect("chmod");
    fs::write(dir.path().join("open.md"), TELL).expect("write");
    // root reads anything: run as `nobody` to see a real refusal, from a
    // copy of the binary any user may run
    let mut cmd = if common::is_root() {
        let bin = dir.path().join("telltale");
        fs::copy(binary(), &bin).expect("copy binary");
        fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).expect("chmod");
        let mut cmd = Command::new(bin);
        cmd.uid(65534).gid(65534);
        cmd
    } else {
        Command::new(binary())
    };
    let r = run_cmd(
        cmd.args(["check", "--format", "json", "--no-config", "."])
            .env("HOME", dir.path())
            .current_dir(dir.path()),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("locked.md") && r.stderr.contains("ermission denied"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("closed"), "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["summary"]["files"], 1, "the readable file is checked");
    assert_eq!(v["summary"]["errors"], 2, "{}", r.stdout);
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn fifos_in_folders_are_skipped_and_named_ones_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    mkfifo(&dir.path().join("pipe.md"));
    fs::write(dir.path().join("real.md"), TELL).expect("write");
    // walking: nothing ever writes to the FIFO, so opening it would hang
    let r = run(
        dir.path(),
        &[os("check"), os("--format"), os("json"), os(".")],
    );
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert_eq!(json(&r)["summary"]["files"], 1, "{}", r.stdout);
    // named explicitly, a FIFO is read like ripgrep reads one (this is what
    // makes `telltale check <(producer)` work)
    let fifo = dir.path().join("pipe.md");
    let writer = std::thread::spawn(move || {
        fs::write(&fifo, TELL).expect("write to the FIFO");
    });
    let r = run(
        dir.path(),
        &[os("check"), os("--format"), os("json"), os("pipe.md")],
    );
    writer.join().expect("writer");
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert!(has_span(&json(&r), 7, 12), "{}", r.stdout);
}

#[cfg(unix)]
#[test]
fn paths_that_are_not_utf8_are_checked_and_shown_lossily() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = OsStr::from_bytes(b"caf\xe9.md");
    fs::write(dir.path().join(name), TELL).expect("write");
    for arg in [os("."), name] {
        let r = run(dir.path(), &[os("check"), os("--format"), os("json"), arg]);
        assert_ne!(r.code, 2, "{}", r.stderr);
        let v = json(&r);
        assert_eq!(v["summary"]["files"], 1, "{}", r.stdout);
        assert_eq!(v["files"][0]["path"], "caf\u{fffd}.md");
        assert!(has_span(&v, 7, 12), "{}", r.stdout);
    }
}

/// 4 MB of short HTML paragraphs on one line, scored paragraph by
/// paragraph.
///
/// Each paragraph's line was found with its column, counted from the
/// line's start, so this took time quadratic in the line's length (13 s at
/// 0.5 MB and 48 s at 1 MB for paragraphs of 20 bytes: at that growth some
/// fifteen minutes at 4 MB, past [`HANG_LIMIT`]); now the line alone is
/// looked up (docs/hardening.md, "Scaling"). Ignored under plain `cargo
/// test` for its size; `.ci/run` runs it with a release binary.
#[test]
#[ignore = "4 MB input: slow in debug builds; .ci/run runs it with a release binary"]
fn many_paragraphs_on_one_long_line_scored_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    let unit = "<p>A quiet river.</p>";
    let count = 4 * 1024 * 1024 / unit.len();
    let text = format!("<html><body>\n{}\n</body></html>\n", unit.repeat(count));
    fs::write(dir.path().join("doc.html"), &text).expect("write");
    drop(text);
    let r = run(
        dir.path(),
        &[
            os("score"),
            os("--paragraphs"),
            os("--format"),
            os("json"),
            os("doc.html"),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r);
    let paragraphs = v[0]["paragraphs"].as_array().expect("paragraphs");
    assert_eq!(paragraphs.len(), count);
    assert!(
        paragraphs.iter().all(|p| p["line"] == 2),
        "{:?}",
        paragraphs[0]
    );
}
