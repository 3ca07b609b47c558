//! The machine-readable formats end to end: JSON read back through its
//! documented shape, SARIF validated against the official 2.1.0 schema,
//! GitHub workflow commands escaped, and the same findings at the same
//! positions in every format.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{telltale, telltale_in};
use serde::Deserialize;

// ---- JSON, read back through the shape docs/json-output.md promises ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonOutput {
    version: u32,
    files: Vec<JsonFile>,
    summary: JsonSummary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFile {
    path: String,
    format: String,
    words: usize,
    score: Option<f64>,
    findings: Vec<JsonFinding>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFinding {
    rule: String,
    category: String,
    severity: String,
    message: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start: usize,
    end: usize,
    text: String,
    suggestion: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSummary {
    files: usize,
    findings: usize,
    by_severity: BTreeMap<String, usize>,
    errors: usize,
}

fn json(args: &[&str]) -> JsonOutput {
    let mut all = vec!["check", "--format", "json", "--fail-on", "never"];
    all.extend_from_slice(args);
    let run = telltale(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not the documented JSON ({e}):\n{}", run.stdout))
}

/// 1-based line and character column of byte `offset`, computed here
/// independently of the crate.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

#[test]
fn json_matches_the_documented_shape_and_the_source() {
    let out = json(&["corpus/ai/weekly-digest.md", "corpus/ai/product-launch.txt"]);
    assert_eq!(out.version, 1);
    assert_eq!(out.files.len(), 2);
    assert_eq!(out.files[0].format, "markdown");
    assert_eq!(out.files[1].format, "plain");
    let mut total = 0;
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for file in &out.files {
        assert!(file.words > 50, "{}: {} words", file.path, file.words);
        assert!(file.score.is_none_or(|s| (0.0..=100.0).contains(&s)));
        let source =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&file.path))
                .expect("corpus file");
        assert!(!file.findings.is_empty(), "{}", file.path);
        for f in &file.findings {
            assert_eq!(&source[f.start..f.end], f.text, "{} {}", file.path, f.rule);
            assert_eq!(line_col(&source, f.start), (f.line, f.column), "{f:?}");
            assert_eq!(
                line_col(&source, f.end),
                (f.end_line, f.end_column),
                "{f:?}"
            );
            assert!(["info", "warning", "error"].contains(&f.severity.as_str()));
            assert!(!f.category.is_empty() && !f.message.is_empty());
            assert!(f.suggestion.as_ref().is_none_or(|s| s != &f.text));
            *counted.entry(f.severity.clone()).or_default() += 1;
        }
        total += file.findings.len();
    }
    assert_eq!(out.summary.files, 2);
    assert_eq!(out.summary.findings, total);
    assert_eq!(out.summary.errors, 0);
    for sev in ["info", "warning", "error"] {
        assert_eq!(
            out.summary.by_severity.get(sev).copied().unwrap_or(0),
            counted.get(sev).copied().unwrap_or(0),
            "{sev}"
        );
    }
    assert_eq!(out.summary.by_severity.len(), 3);
}

#[test]
fn json_columns_count_characters_and_offsets_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    // "é" is 2 bytes, "🙂" 4 bytes (2 UTF-16 units): one column each
    let text = "Café 🙂 notes.\nNaïve 🙂🙂 — let us delve into it.\n";
    std::fs::write(dir.path().join("multi.txt"), text).expect("write");
    let run = telltale_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "multi.txt",
        ],
        None,
    );
    let out: JsonOutput = serde_json::from_str(&run.stdout).expect("valid JSON");
    let f = out.files[0]
        .findings
        .iter()
        .find(|f| f.text.to_lowercase().starts_with("delve"))
        .expect("delve is flagged");
    let start = text.find("delve").expect("in text");
    assert_eq!(f.start, start);
    assert_eq!((f.line, f.column), (2, 19));
    assert_eq!(f.end_column - f.column, f.text.chars().count());
}

#[test]
fn json_reports_unreadable_inputs_in_the_summary() {
    let run = telltale(&[
        "check",
        "--format",
        "json",
        "no-such-file.md",
        "corpus/human/field-notes.md",
    ]);
    assert_eq!(run.code, 2);
    let out: JsonOutput = serde_json::from_str(&run.stdout).expect("still valid JSON");
    assert_eq!(out.summary.errors, 1);
    assert_eq!(out.summary.files, 1);
}

// ---- SARIF, validated against the official schema ----

fn sarif_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema file")).expect("JSON");
    let url = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler.add_resource(url, schema).expect("schema loads");
    let index = compiler
        .compile(url, &mut schemas)
        .expect("schema compiles");
    (schemas, index)
}

fn sarif_in(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "sarif", "--fail-on", "never"];
    all.extend_from_slice(args);
    let run = telltale_in(dir, &all, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("SARIF is JSON")
}

fn assert_valid_sarif(log: &serde_json::Value) {
    let (schemas, index) = sarif_schema();
    if let Err(e) = schemas.validate(log, index) {
        panic!("SARIF does not validate:\n{e:#}");
    }
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let log = sarif_in(root, &["corpus/ai", "corpus/human"]);
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let listed = telltale(&["rules", "--format", "json"]);
    let ids: Vec<serde_json::Value> = serde_json::from_str(&listed.stdout).expect("rules JSON");
    assert_eq!(rules.len(), ids.len(), "every rule is described");
    for (r, listed) in rules.iter().zip(&ids) {
        assert_eq!(r["id"], listed["id"]);
        for key in ["shortDescription", "fullDescription", "help"] {
            let text = r[key]["text"].as_str().unwrap_or_default();
            assert!(!text.is_empty(), "{}: no {key}", r["id"]);
        }
        let level = r["defaultConfiguration"]["level"]
            .as_str()
            .unwrap_or_default();
        assert!(["note", "warning", "error"].contains(&level));
    }
    let results = run["results"].as_array().expect("results");
    assert!(results.len() > 10);
    for res in results {
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], res["ruleId"]);
        let region = &res["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(region["endColumn"].as_u64().is_some_and(|c| c >= 1));
    }
}

#[test]
fn sarif_with_awkward_paths_and_fixes_still_validates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "notes, draft #2 [50%].md";
    std::fs::write(
        dir.path().join(name),
        "# Draft\n\nCertainly! Let us delve into it.:contentReference[oaicite:0]{index=0}\n",
    )
    .expect("write");
    let log = sarif_in(dir.path(), &[name]);
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "notes%2C%20draft%20%232%20%5B50%25%5D.md"
    );
    // an absolute path becomes a file URI
    let abs = dir.path().join(name);
    let log = sarif_in(dir.path(), &[abs.to_str().expect("UTF-8 temp path")]);
    assert_valid_sarif(&log);
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .expect("uri")
        .to_string();
    assert!(uri.starts_with("file:///"), "{uri}");
}

#[test]
fn sarif_with_no_inputs_is_a_valid_empty_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = sarif_in(dir.path(), &["."]);
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}

#[test]
fn sarif_says_a_run_with_an_unreadable_input_did_not_succeed() {
    let run = telltale(&[
        "check",
        "--format",
        "sarif",
        "no-such-file.md",
        "corpus/ai/weekly-digest.md",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).expect("still valid JSON");
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    // and says why, as stderr does, for a viewer to show
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["level"], "error");
    let text = notes[0]["message"]["text"].as_str().expect("text");
    assert!(text.contains("no-such-file.md"), "{text}");
    // the readable input's findings are still reported
    assert!(run["results"].as_array().is_some_and(|r| !r.is_empty()));
    let clean = sarif_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["corpus/ai/weekly-digest.md"],
    );
    assert_eq!(
        clean["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    assert!(
        clean["runs"][0]["invocations"][0]
            .get("toolExecutionNotifications")
            .is_none()
    );
}

// ---- GitHub workflow commands ----

/// The runner's decoding of a workflow-command property or message.
fn unescape(s: &str) -> String {
    s.replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

/// Splits `::cmd k=v,k=v::message` the way the runner does.
fn parse_command(line: &str) -> (String, BTreeMap<String, String>, String) {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let (head, message) = rest.split_once("::").expect("has a message");
    let (cmd, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (k.to_string(), unescape(v))
        })
        .collect();
    (cmd.to_string(), props, unescape(message))
}

/// GitHub takes columns on one line only (the runner drops them from a
/// range of lines), so a finding over two lines gives its lines alone.
#[test]
fn a_github_annotation_over_lines_has_no_columns() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.md"),
        "It is not just a tool \u{2014}\nit is a movement.\n",
    )
    .expect("write doc");
    let run = telltale_in(dir.path(), &["check", "--format", "github", "a.md"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("negative-parallelism"))
        .expect("finding reported");
    let (_, props, _) = parse_command(line);
    assert_eq!(props["line"], "1");
    assert_eq!(props["endLine"], "2");
    assert!(
        !props.contains_key("col") && !props.contains_key("endColumn"),
        "{line}"
    );
}

#[test]
fn github_commands_escape_paths_and_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = r#"
[[rule]]
id = "awkward-message"
category = "test"
severity = "error"
weight = 1.0
message = "100% sure, maybe: it's a %0A test, 50%25 of the time"
why = "A rule whose message has every character GitHub needs escaped."
help = "none"
phrases = ["delve"]
examples.flag = ["delve"]
examples.pass = ["dig"]
"#;
    std::fs::write(dir.path().join("pack.toml"), pack).expect("write pack");
    // file names may hold commas, colons, percent signs, even line breaks
    let name = "a,b:c 100%\r\nnext %0A.txt";
    std::fs::write(dir.path().join(name), "We delve in.\n").expect("write doc");
    let run = telltale_in(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "--extend-patterns",
            "pack.toml",
            name,
        ],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.split('\n').filter(|l| !l.is_empty()).collect();
    let line = lines
        .iter()
        .find(|l| l.contains("awkward-message"))
        .expect("custom rule reported");
    assert!(!line.contains('\r'));
    let (cmd, props, message) = parse_command(line);
    assert_eq!(cmd, "error");
    assert_eq!(props["file"], name);
    assert_eq!(props["line"], "1");
    assert_eq!(props["col"], "4");
    assert_eq!(props["endLine"], "1");
    assert_eq!(props["endColumn"], "9");
    assert_eq!(props["title"], "telltale (awkward-message)");
    assert_eq!(
        message,
        "[awkward-message] 100% sure, maybe: it's a %0A test, 50%25 of the time"
    );
    // `info` findings are notices
    assert!(
        lines.iter().any(|l| l.starts_with("::notice ")),
        "{}",
        run.stdout
    );
}

// ---- the same findings at the same positions in every format ----

/// (path, rule, line, column, end line, end column) of every finding.
type Position = (String, String, usize, usize, usize, usize);

fn run_format(format: &str, paths: &[&str]) -> String {
    let mut args = vec![
        "check",
        "--color",
        "never",
        "--fail-on",
        "never",
        "--format",
        format,
    ];
    args.extend_from_slice(paths);
    let run = telltale(&args);
    assert_eq!(run.code, 0, "{format}: {}", run.stderr);
    run.stdout
}

#[test]
fn every_format_reports_the_same_findings_at_the_same_positions() {
    let paths = ["corpus/ai", "corpus/human"];
    let from_json: Vec<Position> = {
        let out: JsonOutput =
            serde_json::from_str(&run_format("json", &paths)).expect("valid JSON");
        out.files
            .iter()
            .flat_map(|file| {
                file.findings.iter().map(|f| {
                    (
                        file.path.clone(),
                        f.rule.clone(),
                        f.line,
                        f.column,
                        f.end_line,
                        f.end_column,
                    )
                })
            })
            .collect()
    };
    assert!(from_json.len() > 20);
    let from_sarif: Vec<Position> = {
        let log: serde_json::Value =
            serde_json::from_str(&run_format("sarif", &paths)).expect("valid JSON");
        let n = |v: &serde_json::Value| v.as_u64().expect("number") as usize;
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                let loc = &r["locations"][0]["physicalLocation"];
                let reg = &loc["region"];
                (
                    loc["artifactLocation"]["uri"]
                        .as_str()
                        .expect("uri")
                        .to_string(),
                    r["ruleId"].as_str().expect("ruleId").to_string(),
                    n(&reg["startLine"]),
                    n(&reg["startColumn"]),
                    n(&reg["endLine"]),
                    n(&reg["endColumn"]),
                )
            })
            .collect()
    };
    assert_eq!(from_sarif, from_json);
    let from_github: Vec<Position> = run_format("github", &paths)
        .lines()
        .map(|line| {
            let (_, props, _) = parse_command(line);
            let n = |k: &str| props[k].parse::<usize>().expect("number");
            let title = &props["title"];
            let rule = title
                .strip_prefix("telltale (")
                .and_then(|t| t.strip_suffix(')'))
                .expect("title names the rule");
            // columns only on one line, as GitHub takes them
            let (line, end_line) = (n("line"), n("endLine"));
            let has_columns = props.contains_key("col") && props.contains_key("endColumn");
            assert_eq!(has_columns, line == end_line, "{line:?}");
            let (col, end_col) = if has_columns {
                (n("col"), n("endColumn"))
            } else {
                (0, 0)
            };
            (
                props["file"].clone(),
                rule.to_string(),
                line,
                col,
                end_line,
                end_col,
            )
        })
        .collect();
    let json_on_one_line: Vec<Position> = from_json
        .iter()
        .map(|(file, rule, line, col, end_line, end_col)| {
            let (col, end_col) = if line == end_line {
                (*col, *end_col)
            } else {
                (0, 0)
            };
            (file.clone(), rule.clone(), *line, col, *end_line, end_col)
        })
        .collect();
    assert_eq!(from_github, json_on_one_line);
    // compact gives starts only
    let from_compact: Vec<(String, String, usize, usize)> = run_format("compact", &paths)
        .lines()
        .map(|line| {
            let mut parts = line.splitn(4, ':');
            let path = parts.next().expect("path").to_string();
            let line_no = parts.next().expect("line").parse().expect("number");
            let col = parts.next().expect("column").parse().expect("number");
            let rest = parts.next().expect("rest");
            let rule = rest
                .split_once('[')
                .and_then(|(_, r)| r.split_once(']'))
                .map(|(id, _)| id.to_string())
                .expect("rule id");
            (path, rule, line_no, col)
        })
        .collect();
    let starts: Vec<(String, String, usize, usize)> = from_json
        .iter()
        .map(|(p, r, l, c, _, _)| (p.clone(), r.clone(), *l, *c))
        .collect();
    assert_eq!(from_compact, starts);
    // and human output names each finding at the same place
    let human = run_format("human", &paths);
    for (path, rule, line, col, _, _) in &from_json {
        assert!(
            human.contains(&format!("{path}:{line}:{col}")),
            "human output lacks {path}:{line}:{col} ({rule})"
        );
    }
}
