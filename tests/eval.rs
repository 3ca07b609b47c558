//! `telltale eval` on small labelled sets written for the test: folder and
//! manifest layouts, one-sided sets, the rates file and bad input.

mod common;

use std::path::Path;

use common::telltale_in;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn row<'a>(out: &'a str, rule: &str) -> Vec<&'a str> {
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(rule))
        .unwrap_or_else(|| panic!("no row for {rule} in:\n{out}"))
        .split_whitespace()
        .collect()
}

#[test]
fn folders_give_rates_per_label() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // 10 words of human text with no tells, 10 of AI text with one delve
    write(
        tmp.path(),
        "human/a.txt",
        "The ferry left at nine and reached the island by noon.",
    );
    write(
        tmp.path(),
        "ai/b.txt",
        "This essay will delve into the history of the small ferry.",
    );
    let run = telltale_in(tmp.path(), &["eval", "."], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with(".: 1 human documents (11 words), 1 ai documents (11 words)"),
        "{}",
        run.stdout
    );
    // ai-vocabulary: 0 human fires; 1 in 11 AI words = 909.09 per 10k
    let cells = row(&run.stdout, "ai-vocabulary");
    assert_eq!(cells[1], "info");
    assert_eq!(&cells[2..5], ["0.000", "0.00", "0"]);
    assert_eq!(&cells[5..8], ["90.909", "909.09", "1"]);
    assert_eq!(cells[8], "3.0", "lift (1.5/11)/(0.5/11)");
}

#[test]
fn human_only_manifest_and_hits() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        tmp.path(),
        "manifest.tsv",
        "file\tlabel\tdomain\nposts/one.md\thuman\tblog\nposts/two.md\thuman\tdigest\n",
    );
    write(
        tmp.path(),
        "posts/one.md",
        "# Notes\n\nIt's not just a tool — it's a movement.\n",
    );
    write(
        tmp.path(),
        "posts/two.md",
        "A plain note about the weather.\n",
    );
    let run = telltale_in(
        tmp.path(),
        &[
            "eval",
            ".",
            "--hits",
            "human",
            "--by-domain",
            "--hide-silent",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("posts/one.md:3:1: [negative-parallelism] It's not just a tool — it's"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2 human documents"), "{}", run.stdout);
    assert!(run.stdout.contains("no ai documents"), "{}", run.stdout);
    assert!(
        run.stdout.contains(". [blog]: 1 human documents"),
        "{}",
        run.stdout
    );
    let cells = row(&run.stdout, "negative-parallelism");
    assert_eq!(&cells[5..], ["-", "-", "-", "-", "over", "limit"]);
}

#[test]
fn json_and_rates_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        tmp.path(),
        "ai/x.txt",
        "Certainly! Here is the answer you asked for today.",
    );
    let run = telltale_in(
        tmp.path(),
        &[
            "eval",
            ".",
            "--format",
            "json",
            "--rule",
            "chatbot-opener",
            "--write-rates",
            "rates.tsv",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["documents"]["ai"], 1);
    assert_eq!(v["rules"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["rules"][0]["rule"], "chatbot-opener");
    assert_eq!(v["rules"][0]["ai"]["fires"], 1);
    assert!(v["rules"][0]["human"]["per_10k"].is_null());
    let rates = std::fs::read_to_string(tmp.path().join("rates.tsv")).expect("rates written");
    let rates = telltale::rules::rates::Rates::parse(&rates).expect("rates parse");
    let m = rates.get("chatbot-opener").expect("every rule measured");
    assert_eq!((m.fires, m.docs, m.words), ([0, 1], [0, 1], [0, 9]));
}

#[test]
fn bad_sets_exit_2_naming_the_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let run = telltale_in(tmp.path(), &["eval", "."], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no labelled documents"),
        "{}",
        run.stderr
    );
    write(
        tmp.path(),
        "manifest.tsv",
        "file\tlabel\nmissing.txt\thuman\n",
    );
    let run = telltale_in(tmp.path(), &["eval", "."], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.txt"), "{}", run.stderr);
    let run = telltale_in(tmp.path(), &["eval", ".", "--rule", "no-such-rule"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no rule `no-such-rule`"),
        "{}",
        run.stderr
    );
    // a file where a folder is wanted is named as such, not as missing
    let run = telltale_in(tmp.path(), &["eval", "manifest.tsv"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("manifest.tsv: not a folder"),
        "{}",
        run.stderr
    );
    let run = telltale_in(tmp.path(), &["eval", "nowhere"], None);
    assert!(
        run.stderr.contains("nowhere: no such folder"),
        "{}",
        run.stderr
    );
}
