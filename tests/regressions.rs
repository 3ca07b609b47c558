//! Inputs that once crashed telltale (found by the fuzz targets or the
//! property tests), kept so they never do again. Each file in
//! `tests/regressions/` runs through the whole check path as plain text,
//! Markdown and HTML, with the fuzz targets' invariants asserted.

mod invariants;

use std::fs;

use invariants::{Checker, MARKUPS};

#[test]
fn every_kept_crash_input_checks_cleanly() {
    let checker = Checker::builtin();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut names: Vec<_> = fs::read_dir(&dir)
        .expect("tests/regressions exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "input"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no kept inputs in {}", dir.display());
    for path in names {
        let bytes = fs::read(&path).expect("input reads");
        for markup in MARKUPS {
            checker.check_bytes(&bytes, markup);
        }
    }
}
