//! `--fix` never loses a file: when writing fails at any step the original
//! stays byte for byte as it was and no temporary file is left behind.
//!
//! Making a folder read-only stops only ordinary users; these tests usually
//! run as root, which writes into read-only folders. So each test makes the
//! failure real for whoever runs it:
//! - the folder turns read-only after the file was read (`chmod` for an
//!   ordinary user; the immutable attribute, `chattr +i`, for root, which
//!   stops root too on ext2/3/4, XFS and btrfs);
//! - the file itself is immutable, so everything up to the final rename
//!   succeeds and the rename fails;
//! - the whole `telltale check --fix` run has a file-size limit of zero
//!   (`ulimit -f 0`, which binds root as well), so writing the temporary
//!   file fails with "File too large".

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use telltale::fix::{self, WriteError};

const DRAFT: &str = "# Notes\n\nCertainly! Here is the summary.\n";
const FIXED: &str = "# Notes\n\nHere is the summary.\n";

/// Sets the immutable attribute on a path for as long as it lives.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Immutable {
        let status = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .status()
            .expect("chattr runs");
        assert!(
            status.success(),
            "chattr +i {} failed: this file system has no immutable attribute, \
             so root cannot be made to fail a write here",
            path.display()
        );
        Immutable(path.to_path_buf())
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// Makes `dir` refuse new entries for whoever runs the tests; undone on drop.
enum ReadOnly {
    Mode(PathBuf),
    Attribute(#[allow(dead_code)] Immutable),
}

impl ReadOnly {
    fn set(dir: &Path) -> ReadOnly {
        if common::is_root() {
            ReadOnly::Attribute(Immutable::set(dir))
        } else {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).expect("chmod");
            ReadOnly::Mode(dir.to_path_buf())
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if let ReadOnly::Mode(dir) = self {
            let _ = fs::set_permissions(&*dir, fs::Permissions::from_mode(0o755));
        }
    }
}

/// Names in `dir` other than `keep`.
fn strays(dir: &Path, keep: &[&str]) -> Vec<String> {
    fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[test]
fn a_folder_made_read_only_after_reading_fails_the_write_and_keeps_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("draft.md");
    fs::write(&path, DRAFT).expect("write");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    // telltale has read the file and worked out the fix ...
    let read = fs::read(&path).expect("read");
    // ... when the folder turns read-only
    let guard = ReadOnly::set(dir.path());
    let err = fix::write_atomically(&path, &read, FIXED.as_bytes()).expect_err("must fail");
    drop(guard);
    assert!(matches!(err, WriteError::Io { .. }), "{err}");
    assert!(err.to_string().contains("draft.md"), "{err}");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        DRAFT,
        "original intact"
    );
    let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "permissions untouched");
    assert!(
        strays(dir.path(), &["draft.md"]).is_empty(),
        "no temp file left"
    );
    // once the folder is writable again the same write goes through
    fix::write_atomically(&path, &read, FIXED.as_bytes()).expect("writes");
    assert_eq!(fs::read_to_string(&path).expect("read"), FIXED);
    let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "permissions kept by the rewrite");
}

#[test]
fn a_rename_that_fails_at_the_last_step_keeps_the_file_and_cleans_up() {
    if !common::is_root() {
        // only root may set the immutable attribute; an ordinary user's
        // rename into a writable folder cannot be made to fail
        eprintln!("skipped: needs root to make the file immutable");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("draft.md");
    fs::write(&path, DRAFT).expect("write");
    let read = fs::read(&path).expect("read");
    let err = {
        let _guard = Immutable::set(&path);
        // the temp file is created, written, synced and given the mode;
        // only the rename over the immutable file fails
        fix::write_atomically(&path, &read, FIXED.as_bytes()).expect_err("must fail")
    };
    assert!(matches!(err, WriteError::Io { .. }), "{err}");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        DRAFT,
        "original intact"
    );
    assert!(
        strays(dir.path(), &["draft.md"]).is_empty(),
        "temp file removed"
    );
}

#[test]
fn a_fix_run_that_cannot_write_reports_it_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("draft.md");
    // a finding with a fix and one without
    let draft = "# Notes\n\nCertainly! We delve into the summary.\n";
    fs::write(&path, draft).expect("write");
    fs::write(dir.path().join("clean.md"), "Plain words here.\n").expect("write");
    let plain = common::telltale_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "compact",
            "draft.md",
            "clean.md",
        ],
        None,
    );
    // writing any byte to any file fails (EFBIG) once the size limit is 0;
    // SIGXFSZ is ignored so the write returns an error instead of killing
    let script = format!(
        "trap '' XFSZ; ulimit -f 0 && exec '{}' check --fix --no-config --format compact draft.md clean.md",
        env!("CARGO_BIN_EXE_telltale")
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a failed write is an error: {stderr}"
    );
    assert!(
        stderr.contains("draft.md: could not write the fix"),
        "names the file: {stderr}"
    );
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        draft,
        "original intact"
    );
    assert!(
        strays(dir.path(), &["draft.md", "clean.md"]).is_empty(),
        "no temp file left"
    );
    // the findings that could not be fixed are still reported, all of them
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("draft.md:3:1:"), "{stdout}");
    assert!(stdout.contains("draft.md:3:15:"), "{stdout}");
    assert_eq!(stdout, plain.stdout);
}
