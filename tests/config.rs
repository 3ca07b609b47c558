//! `telltale.toml` end to end: discovery, `--config`, `--no-config`, house
//! packs, per-path overrides, precedence of flags, errors, `telltale init`.

mod common;

use std::fs;
use std::path::Path;

use common::telltale_in;

const HOUSE: &str = r#"
[[rule]]
id = "house-synergy"
category = "house"
severity = "warning"
weight = 1.0
message = "house style: no synergy"
why = "The style guide bans it."
phrases = ["synergy"]

[[rule]]
id = "house-leverage"
category = "house"
severity = "info"
weight = 1.0
message = "house style: say use"
why = "The style guide prefers plain verbs."
phrases = ["leverage"]
"#;

/// A repository with a house pack, a config selecting only it, and drafts.
fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    fs::create_dir_all(p.join("style")).expect("mkdir");
    fs::create_dir_all(p.join("docs/legal")).expect("mkdir");
    fs::write(p.join("style/house.toml"), HOUSE).expect("pack");
    fs::write(p.join("telltale.toml"), config).expect("config");
    let draft = "We leverage synergy.\n";
    fs::write(p.join("docs/a.md"), draft).expect("draft");
    fs::write(p.join("docs/legal/terms.md"), draft).expect("draft");
    dir
}

const BASE: &str = "extend-patterns = [\"style/house.toml\"]\nselect = [\"house\"]\n";

fn lines(stdout: &str) -> Vec<&str> {
    stdout.lines().collect()
}

#[test]
fn found_from_a_subfolder_with_paths_relative_to_it() {
    let dir = repo(&format!("{BASE}[severity]\nhouse-leverage = \"error\"\n"));
    let run = telltale_in(
        &dir.path().join("docs"),
        &["check", "--format", "compact", "a.md"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        lines(&run.stdout),
        [
            "a.md:1:4: error [house-leverage] house style: say use",
            "a.md:1:13: warning [house-synergy] house style: no synergy",
        ]
    );
}

/// A pack in the config named again on the command line (an editor or a
/// Makefile adding it), or twice in two spellings, is loaded once: each
/// of its rules was reported as already defined by itself (exit 2).
#[test]
fn a_pack_named_twice_is_loaded_once() {
    let dir = repo(BASE);
    let run = telltale_in(
        &dir.path().join("docs"),
        &[
            "check",
            "--format",
            "compact",
            "--extend-patterns",
            "../style/house.toml",
            "--extend-patterns",
            "../style/./house.toml",
            "a.md",
        ],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("already defined"), "{}", run.stderr);
    assert_eq!(
        lines(&run.stdout),
        [
            "a.md:1:4: info [house-leverage] house style: say use",
            "a.md:1:13: warning [house-synergy] house style: no synergy",
        ]
    );
}

#[test]
fn no_config_and_an_explicit_config() {
    let dir = repo(BASE);
    let sub = dir.path().join("docs");
    let run = telltale_in(
        &sub,
        &["check", "--format", "compact", "--no-config", "a.md"],
        None,
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("house-"), "{}", run.stdout);
    fs::write(dir.path().join("other.toml"), "ignore = [\"house\"]\n").expect("write");
    fs::rename(
        dir.path().join("telltale.toml"),
        dir.path().join("style/t.toml"),
    )
    .expect("mv");
    let run = telltale_in(
        &sub,
        &[
            "check",
            "--format",
            "compact",
            "--config",
            "../style/t.toml",
            "a.md",
        ],
        None,
    );
    // the pack path is relative to the config file's folder: style/style/house.toml
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("house.toml"), "{}", run.stderr);
}

#[test]
fn overrides_and_flags_win_over_the_file() {
    let config = format!(
        "{BASE}fail-on = \"info\"\n[[overrides]]\nfiles = [\"docs/legal/**\"]\nignore = [\"house-synergy\"]\n"
    );
    let dir = repo(&config);
    let run = telltale_in(dir.path(), &["check", "--format", "compact", "docs"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        lines(&run.stdout),
        [
            "docs/a.md:1:4: info [house-leverage] house style: say use",
            "docs/a.md:1:13: warning [house-synergy] house style: no synergy",
            "docs/legal/terms.md:1:4: info [house-leverage] house style: say use",
        ]
    );
    // fail-on from the file makes info fail; the flag wins over it
    let run = telltale_in(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--fail-on",
            "error",
            "docs/legal",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = telltale_in(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--ignore",
            "house-leverage",
            "docs",
        ],
        None,
    );
    assert_eq!(
        lines(&run.stdout),
        ["docs/a.md:1:13: warning [house-synergy] house style: no synergy"]
    );
}

#[test]
fn excludes_from_the_file_are_relative_to_it() {
    let dir = repo(&format!("{BASE}exclude = [\"docs/legal/\"]\n"));
    let run = telltale_in(
        &dir.path().join("docs"),
        &["check", "--format", "compact", "."],
        None,
    );
    assert!(run.stdout.contains("a.md:1:4"), "{}", run.stdout);
    assert!(!run.stdout.contains("terms.md"), "{}", run.stdout);
    // --exclude is relative to the current folder
    let run = telltale_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "compact",
            "--exclude",
            "docs/a.md",
            "--extend-patterns",
            "style/house.toml",
            "--select",
            "house",
            ".",
        ],
        None,
    );
    assert_eq!(
        lines(&run.stdout),
        [
            "docs/legal/terms.md:1:4: info [house-leverage] house style: say use",
            "docs/legal/terms.md:1:13: warning [house-synergy] house style: no synergy",
        ]
    );
}

#[test]
fn force_exclude_keeps_named_files_out_as_pre_commit_names_them() {
    // pre-commit names each staged file; without force-exclude a file the
    // config excludes is still checked when named
    let dir = repo(&format!("{BASE}exclude = [\"docs/legal/\"]\n"));
    let named = [
        "check",
        "--format",
        "compact",
        "docs/legal/terms.md",
        "docs/a.md",
    ];
    let run = telltale_in(dir.path(), &named, None);
    assert!(
        run.stdout.contains("docs/legal/terms.md:1:4"),
        "{}",
        run.stdout
    );
    let forced = [&named[..], &["--force-exclude"]].concat();
    let run = telltale_in(dir.path(), &forced, None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("docs/a.md:1:4"), "{}", run.stdout);
    assert!(!run.stdout.contains("terms.md"), "{}", run.stdout);
    // the config key does the same, and an only-excluded run passes
    let dir = repo(&format!(
        "{BASE}exclude = [\"docs/legal/\"]\nforce-exclude = true\n"
    ));
    let run = telltale_in(
        dir.path(),
        &["check", "--format", "compact", "docs/legal/terms.md"],
        None,
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

#[test]
fn bad_config_exits_2_naming_file_line_and_column() {
    let dir = repo(&format!(
        "{BASE}ignore = [\"house-synergi\"]\ncolor = \"red\"\n"
    ));
    let run = telltale_in(dir.path(), &["check", "docs"], None);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("telltale.toml:4:1: unknown field `color`"),
        "{}",
        run.stderr
    );
    let dir = repo(&format!("{BASE}ignore = [\"house-synergi\"]\n"));
    let run = telltale_in(dir.path(), &["check", "docs"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "telltale.toml:3:11: no rule or category `house-synergi`; did you mean `house-synergy`?"
        ),
        "{}",
        run.stderr
    );
    let run = telltale_in(
        dir.path(),
        &["check", "--select", "nope", "--no-config", "docs"],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--select: no rule or category `nope`"),
        "{}",
        run.stderr
    );
    let run = telltale_in(
        dir.path(),
        &["check", "--config", "missing.toml", "docs"],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.toml"), "{}", run.stderr);
    // the table written the other way round: severity to rules
    let dir = repo(&format!("{BASE}[severity]\nerror = [\"house-synergy\"]\n"));
    let run = telltale_in(dir.path(), &["check", "docs"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "telltale.toml:4:9: invalid type: sequence, expected a severity: \"info\", \"warning\" or \"error\""
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn rules_lists_the_house_pack() {
    let dir = repo(BASE);
    let run = telltale_in(&dir.path().join("docs"), &["rules"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("house-synergy"), "{}", run.stdout);
}

/// The SEVERITY column of `telltale rules`, by rule id.
fn listed_severity<'a>(table: &'a str, id: &str) -> Option<&'a str> {
    table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|cols| cols.first() == Some(&id))
        .and_then(|cols| cols.get(2).copied())
}

/// `rules` shows what a check would do: the config's `[severity]`, and
/// `off` for what its selection leaves out (the packs' own severities
/// were shown, whatever the config said).
#[test]
fn rules_show_the_severities_the_config_sets() {
    let dir = repo(&format!(
        "{BASE}extend-select = [\"chatbot-closer\"]\n[severity]\nhouse-leverage = \"error\"\nchatbot-closer = \"info\"\n"
    ));
    let docs = dir.path().join("docs");
    let run = telltale_in(&docs, &["rules"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (id, shown) in [
        ("house-synergy", "warning"),
        ("house-leverage", "error"),
        ("chatbot-closer", "info"),
        ("negative-parallelism", "off"),
    ] {
        assert_eq!(listed_severity(&run.stdout, id), Some(shown), "{id}");
    }
    let json = telltale_in(&docs, &["rules", "--format", "json"], None);
    let list: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).expect("rules JSON");
    let rule = |id: &str| list.iter().find(|r| r["id"] == id).expect("listed");
    assert_eq!(rule("house-leverage")["severity"], "error");
    assert_eq!(rule("house-leverage")["default_severity"], "info");
    assert_eq!(rule("negative-parallelism")["severity"], "off");
    assert_eq!(rule("negative-parallelism")["default_severity"], "warning");
    // without the config, the packs' severities
    let plain = telltale_in(&docs, &["rules", "--no-config"], None);
    assert_eq!(
        listed_severity(&plain.stdout, "negative-parallelism"),
        Some("warning")
    );
    assert_eq!(listed_severity(&plain.stdout, "house-leverage"), None);
    // the generated reference documents the packs, config or none
    let markdown = telltale_in(&docs, &["rules", "--format", "markdown"], None);
    let committed = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
        .expect("docs/rules.md");
    assert!(
        markdown.stdout == committed,
        "the config changed the reference"
    );
}

#[test]
fn explain_shows_the_configured_severity_and_where_it_was_set() {
    let dir = repo(&format!("{BASE}[severity]\nhouse-leverage = \"error\"\n"));
    let run = telltale_in(dir.path(), &["explain", "house-leverage"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("house-leverage (house, error, weight 1)")
    );
    let set = lines.next().unwrap_or_default();
    assert!(
        set.starts_with("Set to error by ") && set.ends_with("telltale.toml (its pack says info)."),
        "{set}"
    );
    let off = telltale_in(dir.path(), &["explain", "negative-parallelism"], None);
    assert!(
        off.stdout
            .starts_with("negative-parallelism (rhetoric, off, weight ")
            && off.stdout.contains("\nTurned off by "),
        "{}",
        off.stdout
    );
    // as the pack has it: nothing more to say
    let kept = telltale_in(dir.path(), &["explain", "house-synergy"], None);
    assert_eq!(
        kept.stdout.lines().take(2).collect::<Vec<_>>(),
        ["house-synergy (house, warning, weight 1)", ""]
    );
}

#[test]
fn rules_say_what_overrides_leave_out_and_name_bad_rule_names() {
    let dir = repo(&format!(
        "{BASE}[[overrides]]\nfiles = [\"docs/legal/**\"]\nignore = [\"house\"]\n"
    ));
    let run = telltale_in(dir.path(), &["rules"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        listed_severity(&run.stdout, "house-synergy"),
        Some("warning")
    );
    assert!(
        run.stderr.contains(
            "has [[overrides]] tables; the severities shown are those of files they do not match"
        ),
        "{}",
        run.stderr
    );
    // a misspelt name is an error, and the listing to look it up still follows
    let dir = repo(&format!("{BASE}ignore = [\"house-synergie\"]\n"));
    let run = telltale_in(dir.path(), &["rules"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no rule or category `house-synergie`; did you mean `house-synergy`?"),
        "{}",
        run.stderr
    );
    assert_eq!(
        listed_severity(&run.stdout, "house-synergy"),
        Some("warning")
    );
}

#[test]
fn init_writes_a_starter_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = telltale_in(dir.path(), &["init"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = fs::read_to_string(dir.path().join("telltale.toml")).expect("written");
    assert!(written.contains("# [[overrides]]"));
    let check = telltale_in(dir.path(), &["check", "."], None);
    assert_eq!(check.code, 0, "the starter config loads: {}", check.stderr);
    fs::write(dir.path().join("telltale.toml"), "# mine\n").expect("write");
    let again = telltale_in(dir.path(), &["init"], None);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("telltale.toml")).expect("kept"),
        "# mine\n"
    );
    let hidden = tempfile::tempdir().expect("temp dir");
    fs::write(hidden.path().join(".telltale.toml"), "").expect("write");
    assert_eq!(telltale_in(hidden.path(), &["init"], None).code, 2);
    assert!(!Path::new(&hidden.path().join("telltale.toml")).exists());
}

/// Every example in the starter config is meant to be uncommented as it
/// stands: one that named no rule (`puffery`) failed the first run after.
#[test]
fn the_starter_configs_examples_uncommented_are_a_valid_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(telltale_in(dir.path(), &["init"], None).code, 0);
    let path = dir.path().join("telltale.toml");
    let starter = fs::read_to_string(&path).expect("written");
    let mut uncommented = 0;
    let config: String = starter
        .lines()
        .map(|line| {
            let example = line.strip_prefix("# ").filter(|rest| {
                rest.starts_with('[')
                    || rest.split_once(" = ").is_some_and(|(key, _)| {
                        key.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    })
            });
            if example.is_some() {
                uncommented += 1;
            }
            format!("{}\n", example.unwrap_or(line))
        })
        .collect();
    assert!(uncommented >= 12, "{config}");
    fs::write(&path, &config).expect("config");
    fs::create_dir_all(dir.path().join("style")).expect("mkdir");
    fs::write(dir.path().join("style/house.toml"), HOUSE).expect("pack");
    fs::write(dir.path().join("a.md"), "Plain words.\n").expect("draft");
    let run = telltale_in(dir.path(), &["check", "a.md"], None);
    assert_eq!(run.code, 0, "{config}{}{}", run.stdout, run.stderr);
}

#[test]
fn the_readme_example_is_a_valid_config() {
    let readme = include_str!("../README.md");
    let start = readme.find("```toml\n").expect("README has a toml example") + 8;
    let len = readme[start..].find("```").expect("closed");
    let example = &readme[start..start + len];
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("style")).expect("mkdir");
    fs::write(dir.path().join("style/house.toml"), HOUSE).expect("pack");
    fs::write(dir.path().join("telltale.toml"), example).expect("config");
    fs::write(dir.path().join("a.md"), "Plain words.\n").expect("draft");
    let run = telltale_in(dir.path(), &["check", "a.md"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}
