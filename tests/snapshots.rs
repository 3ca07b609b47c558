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
