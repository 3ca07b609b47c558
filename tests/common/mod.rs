//! Helpers shared by the integration tests: run the binary, write temp files.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `telltale` with `args` in `dir`, feeding `stdin`.
pub fn telltale_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_telltale"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin piped")
            .write_all(input.as_bytes())
            .expect("stdin written");
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("binary finishes");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs `telltale` from the repository root.
pub fn telltale(args: &[&str]) -> Run {
    telltale_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, None)
}

/// Whether the tests run as root (reads the effective uid from /proc, so no
/// libc call is needed). Root reads and writes past file permissions, so
/// tests of refusals must make the refusal real some other way.
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// One line per finding of `warning` severity or above, `name:line:col:
/// severity [rule] "text"`, for assertion messages about false alarms.
pub fn alarm_lines(
    name: &str,
    text: &str,
    found: &[telltale::engine::Finding],
    rules: &telltale::rules::RuleSet,
) -> Vec<String> {
    found
        .iter()
        .filter(|f| f.severity >= telltale::rules::Severity::Warning)
        .map(|f| {
            format!(
                "{name}:{}:{}: {} [{}] {:?}",
                f.start.line,
                f.start.column,
                f.severity,
                rules.rules()[f.rule].id,
                &text[f.span.clone()]
            )
        })
        .collect()
}
