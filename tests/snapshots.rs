//! Snapshots of the human output (no colour) on the labelled corpus
//! documents: review every change to them like code.

mod common;

use common::telltale;

fn human(path: &str) -> String {
    telltale(&["check", "--color", "never", "--fail-on", "never", path]).stdout
}

#[test]
fn human_output_weekly_digest() {
    insta::assert_snapshot!(human("corpus/ai/weekly-digest.md"));
}

#[test]
fn human_output_product_launch() {
    insta::assert_snapshot!(human("corpus/ai/product-launch.txt"));
}

#[test]
fn human_output_clean_documents() {
    insta::assert_snapshot!(human("corpus/human"));
}

// ---- every format on the same documents ----
//
// The same two corpus documents in each machine-readable format, so a
// change in what is found shows up once per format and a change in one
// format's shape shows up alone.

const SAME_DOCUMENTS: [&str; 2] = ["corpus/ai/weekly-digest.md", "corpus/ai/product-launch.txt"];

fn formatted(format: &str) -> String {
    let mut args = vec![
        "check",
        "--color",
        "never",
        "--fail-on",
        "never",
        "--format",
        format,
    ];
    args.extend_from_slice(&SAME_DOCUMENTS);
    let run = telltale(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn compact_output_same_documents() {
    insta::assert_snapshot!(formatted("compact"));
}

#[test]
fn github_output_same_documents() {
    insta::assert_snapshot!(formatted("github"));
}

#[test]
fn json_output_same_documents() {
    // re-indented so a review sees one field a line; the raw shape is
    // tested in tests/formats.rs
    let value: serde_json::Value = serde_json::from_str(&formatted("json")).expect("valid JSON");
    insta::assert_snapshot!(serde_json::to_string_pretty(&value).expect("serializes"));
}

#[test]
fn sarif_output_same_documents() {
    // the rule descriptors change with every pack edit and are checked
    // against the schema in tests/formats.rs; the snapshot keeps the results
    let mut log: serde_json::Value = serde_json::from_str(&formatted("sarif")).expect("valid JSON");
    let driver = &mut log["runs"][0]["tool"]["driver"];
    driver["rules"] = serde_json::Value::String("[every rule]".into());
    driver["version"] = serde_json::Value::String("[version]".into());
    driver["semanticVersion"] = serde_json::Value::String("[version]".into());
    insta::assert_snapshot!(serde_json::to_string_pretty(&log).expect("serializes"));
}

#[test]
fn diff_output_same_documents() {
    let mut args = vec!["check", "--diff"];
    args.extend_from_slice(&SAME_DOCUMENTS);
    let run = telltale(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}
