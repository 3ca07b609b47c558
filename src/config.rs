//! `telltale.toml`: discovery, strict parsing, and the rule selection it
//! gives each file.
//!
//! ## Where the file comes from
//! `--config FILE` names it; `--no-config` ignores any; otherwise the first
//! `telltale.toml` or `.telltale.toml` found walking up from the current
//! folder (in each folder `telltale.toml` wins). Paths in the file
//! (`extend-patterns`, `exclude`, `[[overrides]] files`) are relative to the
//! folder the file is in.
//!
//! ## Precedence (later wins)
//! 1. each rule's pack defaults (on, at its declared severity);
//! 2. the file's top-level `select`, `extend-select`, `ignore`, `severity`;
//! 3. every `[[overrides]]` table whose `files` match the path, in file order;
//! 4. the command line (`--select`, `--extend-select`, `--ignore`,
//!    `--fail-on`): flags win over the file.
//!
//! Within one layer: `select` (if given) turns on exactly the rules it names
//! and turns the rest off, then `extend-select` turns more on, then `ignore`
//! turns rules off; `severity` sets categories first, then single rules.
//! Excludes and packs add up: the file's and the command line's all apply.
//!
//! A rule is named by its id, its category, or `all`. Unknown keys, bad
//! values and names that are neither an id nor a category are errors that
//! give the file, line and column.
//!
//! May use `source`, `engine`, `rules` and `text`; never `report` or `cli`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::engine::Selection;
use crate::rules::{RuleSet, Severity};
use crate::source::discover::{PathGlobs, absolute};
use crate::text::LineIndex;

/// Names the config file may have, in the order they are looked for.
pub const FILE_NAMES: [&str; 2] = ["telltale.toml", ".telltale.toml"];

/// The lowest severity that makes `check` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Any finding fails.
    Info,
    /// Warnings and errors fail.
    Warning,
    /// Only errors fail.
    Error,
    /// No finding fails (exit 0 unless something could not be read, or a
    /// document reaches `--max-score`).
    Never,
}

impl FailOn {
    /// The lowest failing severity; `None` when nothing fails.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Error => Some(Severity::Error),
            FailOn::Never => None,
        }
    }
}

/// Where a setting was written: a place in a config file, or a flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A line and column (1-based) of a config file.
    File {
        /// The config file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
    },
    /// A command-line flag.
    Flag(&'static str),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File { path, line, column } => {
                write!(f, "{}:{line}:{column}", path.display())
            }
            Location::Flag(flag) => f.write_str(flag),
        }
    }
}

/// A problem with the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The config file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A setting is wrong: bad TOML, an unknown key, a bad value, an
    /// unknown rule.
    #[error("{at}: {message}")]
    Invalid {
        /// Where it was written.
        at: Location,
        /// What is wrong.
        message: String,
    },
}

/// Every problem found in the configuration.
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

impl From<ConfigError> for ConfigErrors {
    fn from(e: ConfigError) -> Self {
        ConfigErrors(vec![e])
    }
}

/// A rule name (id, category or `all`) and where it was written.
#[derive(Clone, Debug)]
pub struct Named {
    /// The name as written.
    pub name: String,
    /// Where.
    pub at: Location,
}

/// One layer of rule choices: the file's top level, one override, or the
/// command line.
#[derive(Clone, Debug, Default)]
pub struct RuleChoices {
    /// When set, exactly these rules are on (before `extend_select`).
    pub select: Option<Vec<Named>>,
    /// Rules turned on in addition.
    pub extend_select: Vec<Named>,
    /// Rules turned off.
    pub ignore: Vec<Named>,
    /// New severities, by rule or category.
    pub severity: Vec<(Named, Severity)>,
}

impl RuleChoices {
    /// Choices from command-line flags; each value may hold several
    /// comma-separated names.
    pub fn from_flags(select: &[String], extend_select: &[String], ignore: &[String]) -> Self {
        let named = |flag: &'static str, values: &[String]| -> Vec<Named> {
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Named {
                    name: s.to_string(),
                    at: Location::Flag(flag),
                })
                .collect()
        };
        RuleChoices {
            select: (!select.is_empty()).then(|| named("--select", select)),
            extend_select: named("--extend-select", extend_select),
            ignore: named("--ignore", ignore),
            severity: Vec::new(),
        }
    }

    fn names(&self) -> impl Iterator<Item = &Named> {
        self.select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(n, _)| n))
    }

    /// Applies this layer to per-rule on/off flags and severities.
    fn apply(&self, rules: &RuleSet, on: &mut [bool], severity: &mut [Severity]) {
        if let Some(select) = &self.select {
            for (i, flag) in on.iter_mut().enumerate() {
                *flag = select.iter().any(|n| rules.names(&n.name, i));
            }
        }
        for (i, flag) in on.iter_mut().enumerate() {
            if self.extend_select.iter().any(|n| rules.names(&n.name, i)) {
                *flag = true;
            }
            if self.ignore.iter().any(|n| rules.names(&n.name, i)) {
                *flag = false;
            }
        }
        // categories (and `all`) first, then single ids, so the narrower wins
        for pass_ids in [false, true] {
            for (named, level) in &self.severity {
                let is_id = rules.index(&named.name).is_some();
                if is_id != pass_ids {
                    continue;
                }
                for (i, sev) in severity.iter_mut().enumerate() {
                    if rules.names(&named.name, i) {
                        *sev = *level;
                    }
                }
            }
        }
    }
}

/// Choices that apply to the files an `[[overrides]]` table names.
#[derive(Clone, Debug)]
pub struct Override {
    /// Which files.
    pub files: PathGlobs,
    /// What changes for them.
    pub choices: RuleChoices,
}

/// The loaded configuration, merged with the command line by the caller.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file it came from; `None` when there is none.
    pub path: Option<PathBuf>,
    /// Top-level rule choices of the file.
    pub base: RuleChoices,
    /// Per-path overrides, in file order.
    pub overrides: Vec<Override>,
    /// Choices from the command line, applied last.
    pub command_line: RuleChoices,
    /// `fail-on` from the file (the flag wins).
    pub fail_on: Option<FailOn>,
    /// `max-score` from the file: a document scoring this or more fails.
    pub max_score: Option<f64>,
    /// Extra pattern packs, as paths usable from the current folder.
    pub extend_patterns: Vec<PathBuf>,
    /// Paths to leave out when walking folders.
    pub exclude: Option<PathGlobs>,
    /// `force-exclude`: leave excluded paths out even when named on the
    /// command line (the flag can only turn it on).
    pub force_exclude: bool,
}

/// How to find the config file.
#[derive(Clone, Debug)]
pub enum Source {
    /// Walk up from this folder to the first config file.
    Discover(PathBuf),
    /// Use this file (`--config`).
    File(PathBuf),
    /// Use none (`--no-config`).
    None,
}

/// The first config file in `start` or a folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = absolute(Path::new("/"), start);
    start.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Finds and loads the configuration; no file gives the defaults.
///
/// `cwd` is the folder relative paths on the command line start from.
pub fn load(source: &Source, cwd: &Path) -> Result<Config, ConfigErrors> {
    let path = match source {
        Source::None => return Ok(Config::default()),
        Source::File(p) => p.clone(),
        Source::Discover(start) => match discover(start) {
            Some(p) => p,
            None => return Ok(Config::default()),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    parse(&text, &path, cwd)
}

/// Parses config `text` read from `path`.
pub fn parse(text: &str, path: &Path, cwd: &Path) -> Result<Config, ConfigErrors> {
    let lines = LineIndex::new(text);
    let at = |offset: usize| {
        let lc = lines.line_col(text, offset);
        Location::File {
            path: path.to_path_buf(),
            line: lc.line,
            column: lc.column,
        }
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| ConfigError::Invalid {
        at: at(e.span().map_or(0, |s| s.start)),
        message: e.message().trim().to_string(),
    })?;
    let dir = path
        .parent()
        .map(|p| absolute(cwd, p))
        .unwrap_or_else(|| absolute(Path::new("/"), cwd));
    let mut errors = Vec::new();
    // each glob is compiled alone first, so a bad one is reported where it is
    let globs = |list: &[Spanned<String>], errors: &mut Vec<ConfigError>| {
        let mut ok = Vec::new();
        for g in list {
            match PathGlobs::new(&dir, cwd, std::slice::from_ref(g.get_ref())) {
                Ok(_) => ok.push(g.get_ref().clone()),
                Err(message) => errors.push(ConfigError::Invalid {
                    at: at(g.span().start),
                    message,
                }),
            }
        }
        PathGlobs::new(&dir, cwd, &ok).ok()
    };
    let exclude = if raw.exclude.is_empty() {
        None
    } else {
        globs(&raw.exclude, &mut errors)
    };
    let mut overrides = Vec::new();
    for o in &raw.overrides {
        if o.files.get_ref().is_empty() {
            errors.push(ConfigError::Invalid {
                at: at(o.files.span().start),
                message: "`files` must list at least one glob".to_string(),
            });
        }
        if let Some(files) = globs(o.files.get_ref(), &mut errors) {
            overrides.push(Override {
                files,
                choices: RawChoices {
                    select: &o.select,
                    extend_select: &o.extend_select,
                    ignore: &o.ignore,
                    severity: &o.severity,
                }
                .resolve(&at),
            });
        }
    }
    let max_score = match raw.max_score {
        Some(s) if !(0.0..=100.0).contains(s.get_ref()) => {
            errors.push(ConfigError::Invalid {
                at: at(s.span().start),
                message: format!("`max-score` must be between 0 and 100, not {}", s.get_ref()),
            });
            None
        }
        s => s.map(Spanned::into_inner),
    };
    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }
    Ok(Config {
        path: Some(path.to_path_buf()),
        base: RawChoices {
            select: &raw.select,
            extend_select: &raw.extend_select,
            ignore: &raw.ignore,
            severity: &raw.severity,
        }
        .resolve(&at),
        overrides,
        command_line: RuleChoices::default(),
        fail_on: raw.fail_on,
        max_score,
        extend_patterns: raw
            .extend_patterns
            .into_iter()
            .map(|p| dir.join(p.into_inner()))
            .collect(),
        exclude,
        force_exclude: raw.force_exclude,
    })
}

impl Config {
    /// Checks that every rule name in the file and on the command line is a
    /// rule id, a category or `all`; reports each one that is not.
    pub fn validate(&self, rules: &RuleSet) -> Result<(), ConfigErrors> {
        let layers = std::iter::once(&self.base)
            .chain(self.overrides.iter().map(|o| &o.choices))
            .chain(std::iter::once(&self.command_line));
        let errors: Vec<ConfigError> = layers
            .flat_map(RuleChoices::names)
            .filter(|n| !rules.is_name(&n.name))
            .map(|n| ConfigError::Invalid {
                at: n.at.clone(),
                message: format!("no rule or category `{}`{}", n.name, rules.hint(&n.name)),
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ConfigErrors(errors))
        }
    }

    /// The rules that run on the file at `path`, and their severities.
    pub fn selection_for(&self, path: &Path, rules: &RuleSet) -> Selection {
        let matched = self
            .overrides
            .iter()
            .filter(|o| o.files.is_match(path, false));
        self.selection_with(rules, matched)
    }

    /// The selections of the files of one run, as [`Config::selection_for`]
    /// gives them: a run checks thousands of files, most of which no
    /// override matches, and the layers are applied once for all of those.
    pub fn selector<'a>(&'a self, rules: &'a RuleSet) -> Selector<'a> {
        Selector {
            config: self,
            rules,
            unmatched: self.selection(rules),
        }
    }

    /// The rules that run on a file no `[[overrides]]` table matches, and
    /// their severities: what `telltale rules` shows.
    pub fn selection(&self, rules: &RuleSet) -> Selection {
        self.selection_with(rules, std::iter::empty())
    }

    /// The selection with the overrides `matched` (in file order) applied
    /// between the top-level choices and the command line's.
    fn selection_with<'o>(
        &self,
        rules: &RuleSet,
        matched: impl Iterator<Item = &'o Override>,
    ) -> Selection {
        let mut on = vec![true; rules.len()];
        let mut severity: Vec<Severity> = rules.rules().iter().map(|r| r.severity).collect();
        self.base.apply(rules, &mut on, &mut severity);
        for o in matched {
            o.choices.apply(rules, &mut on, &mut severity);
        }
        self.command_line.apply(rules, &mut on, &mut severity);
        let mut selection = Selection::all(rules);
        for (i, (on, sev)) in on.into_iter().zip(severity).enumerate() {
            if on {
                selection.set(i, sev);
            } else {
                selection.disable(i);
            }
        }
        selection
    }
}

/// The selection of each file of a run ([`Config::selector`]).
pub struct Selector<'a> {
    config: &'a Config,
    rules: &'a RuleSet,
    /// The selection of every file no override matches.
    unmatched: Selection,
}

impl Selector<'_> {
    /// The rules that run on the file at `path`, and their severities.
    pub fn selection_for(&self, path: &Path) -> Selection {
        if self
            .config
            .overrides
            .iter()
            .any(|o| o.files.is_match(path, false))
        {
            self.config.selection_for(path, self.rules)
        } else {
            self.unmatched.clone()
        }
    }
}

/// The commented starter file `telltale init` writes.
pub const STARTER: &str = r#"# telltale configuration. Every key is optional; delete what you do not need.
# Rules are named by id (`telltale rules` lists them), by category, or `all`.
# Command-line flags win over this file.

# Run only these rules (default: all of them).
# select = ["all"]

# Turn rules or whole categories off.
# ignore = ["em-dash-density"]

# Lowest severity that makes `telltale check` exit 1: info, warning, error, never.
# fail-on = "warning"

# Fail when a document scores this (0-100) or more.
# max-score = 40

# Your team's own packs, same format as telltale's patterns/ (paths are
# relative to this file).
# extend-patterns = ["style/house.toml"]

# Paths to leave out when walking folders (gitignore-style globs, relative to
# this file).
# exclude = ["vendor/**", "CHANGELOG.md"]

# Leave excluded paths out even when they are named on the command line, as
# pre-commit and editors name every file they want checked.
# force-exclude = true

# Change severities by rule or category: "info", "warning" or "error".
# [severity]
# vocabulary = "info"

# Different choices for some paths (globs relative to this file); tables
# further down win.
# [[overrides]]
# files = ["docs/legal/**"]
# ignore = ["promotional-puffery"]
"#;

// The rule-choice keys are repeated in both tables rather than flattened:
// serde's `flatten` defeats `deny_unknown_fields` and toml's spans.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFile {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Severity>,
    fail_on: Option<FailOn>,
    max_score: Option<Spanned<f64>>,
    #[serde(default)]
    extend_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    force_exclude: bool,
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    files: Spanned<Vec<Spanned<String>>>,
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Severity>,
}

struct RawChoices<'a> {
    select: &'a Option<Vec<Spanned<String>>>,
    extend_select: &'a [Spanned<String>],
    ignore: &'a [Spanned<String>],
    severity: &'a BTreeMap<Spanned<String>, Severity>,
}

impl RawChoices<'_> {
    fn resolve(&self, at: &impl Fn(usize) -> Location) -> RuleChoices {
        let named = |s: &Spanned<String>| Named {
            name: s.get_ref().clone(),
            at: at(s.span().start),
        };
        RuleChoices {
            select: self.select.as_ref().map(|v| v.iter().map(named).collect()),
            extend_select: self.extend_select.iter().map(named).collect(),
            ignore: self.ignore.iter().map(named).collect(),
            severity: self.severity.iter().map(|(k, v)| (named(k), *v)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::PackSource;

    const PACK: &str = r#"
[[rule]]
id = "delve"
category = "vocabulary"
severity = "warning"
weight = 1.0
message = "m"
why = "w"
phrases = ["delve"]

[[rule]]
id = "tapestry"
category = "vocabulary"
severity = "info"
weight = 1.0
message = "m"
why = "w"
phrases = ["tapestry"]

[[rule]]
id = "sign-off"
category = "chatbot"
severity = "error"
weight = 1.0
message = "m"
why = "w"
phrases = ["hope this helps"]
"#;

    fn rules() -> RuleSet {
        RuleSet::load(&[PackSource::new("t.toml", PACK)]).expect("pack loads")
    }

    fn cfg(text: &str) -> Result<Config, ConfigErrors> {
        parse(text, Path::new("/repo/telltale.toml"), Path::new("/repo"))
    }

    /// (id, severity) of every rule on for `path`; the selector a run uses
    /// gives the same.
    fn on(config: &Config, path: &str) -> Vec<(String, Severity)> {
        let rules = rules();
        let sel = config.selection_for(Path::new(path), &rules);
        let selected = config.selector(&rules).selection_for(Path::new(path));
        for i in 0..rules.len() {
            assert_eq!(sel.severity(i), selected.severity(i), "{path}: rule {i}");
        }
        (0..rules.len())
            .filter_map(|i| sel.severity(i).map(|s| (rules.rules()[i].id.clone(), s)))
            .collect()
    }

    fn pairs(list: &[(&str, Severity)]) -> Vec<(String, Severity)> {
        list.iter().map(|(i, s)| (i.to_string(), *s)).collect()
    }

    use Severity::{Error, Info, Warning};

    #[test]
    fn no_file_runs_every_rule_at_its_default() {
        let c = Config::default();
        assert_eq!(
            on(&c, "a.md"),
            pairs(&[("delve", Warning), ("tapestry", Info), ("sign-off", Error)])
        );
    }

    #[test]
    fn select_ignore_and_severity_by_id_and_category() {
        let c = cfg("select = [\"vocabulary\"]\nignore = [\"tapestry\"]\n[severity]\nvocabulary = \"error\"\n")
            .expect("valid");
        c.validate(&rules()).expect("known names");
        assert_eq!(on(&c, "a.md"), pairs(&[("delve", Error)]));
        // a single id beats its category, whatever the order in the table
        let c = cfg("[severity]\ndelve = \"info\"\nvocabulary = \"error\"\n").expect("valid");
        assert_eq!(
            on(&c, "a.md"),
            pairs(&[("delve", Info), ("tapestry", Error), ("sign-off", Error)])
        );
    }

    #[test]
    fn overrides_apply_by_path_in_order_and_flags_win() {
        let text = r#"
ignore = ["chatbot"]
[[overrides]]
files = ["docs/legal/**"]
ignore = ["vocabulary"]
[[overrides]]
files = ["*.txt"]
extend-select = ["sign-off"]
"#;
        let mut c = cfg(text).expect("valid");
        assert_eq!(
            on(&c, "/repo/README.md"),
            pairs(&[("delve", Warning), ("tapestry", Info)])
        );
        assert_eq!(on(&c, "/repo/docs/legal/terms.md"), pairs(&[]));
        assert_eq!(on(&c, "docs/legal/terms.md"), pairs(&[]), "relative to cwd");
        assert_eq!(
            on(&c, "/repo/docs/legal/terms.txt"),
            pairs(&[("sign-off", Error)])
        );
        assert_eq!(on(&c, "/other/docs/legal/terms.md").len(), 2);
        // the command line is the last layer
        c.command_line = RuleChoices::from_flags(&[], &["chatbot".into()], &["delve".into()]);
        assert_eq!(
            on(&c, "/repo/README.md"),
            pairs(&[("tapestry", Info), ("sign-off", Error)])
        );
        c.command_line = RuleChoices::from_flags(&["delve,sign-off".into()], &[], &[]);
        assert_eq!(
            on(&c, "/repo/docs/legal/terms.md"),
            pairs(&[("delve", Warning), ("sign-off", Error)])
        );
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let c = parse(
            "extend-patterns = [\"style/house.toml\"]\nfail-on = \"error\"\nmax-score = 40\n",
            Path::new("conf/telltale.toml"),
            Path::new("/work"),
        )
        .expect("valid");
        assert_eq!(
            c.extend_patterns,
            [PathBuf::from("/work/conf/style/house.toml")]
        );
        assert_eq!(c.fail_on, Some(FailOn::Error));
        assert_eq!(c.max_score, Some(40.0));
    }

    fn error_of(text: &str) -> String {
        match cfg(text) {
            Ok(c) => c
                .validate(&rules())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let e = error_of("fail-on = \"warning\"\ncolour = true\n");
        assert!(e.starts_with("/repo/telltale.toml:2:1: "), "{e}");
        assert!(e.contains("colour"), "{e}");
        let e = error_of("\nfail-on = \"sometimes\"\n");
        assert!(e.starts_with("/repo/telltale.toml:2:11: "), "{e}");
        let e = error_of("[severity]\ndelve = \"loud\"\n");
        assert!(e.starts_with("/repo/telltale.toml:2:"), "{e}");
        let e = error_of("max-score = 140\n");
        assert!(e.starts_with("/repo/telltale.toml:1:13: "), "{e}");
        let e = error_of("ignore = [\"tapestri\", \"nope\"]\n[severity]\nchatbat = \"info\"\n");
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 3, "{e}");
        assert!(
            lines[0].starts_with(
                "/repo/telltale.toml:1:11: no rule or category `tapestri`; did you mean `tapestry`?"
            ),
            "{e}"
        );
        assert!(
            lines[1].starts_with("/repo/telltale.toml:1:23: no rule or category `nope`"),
            "{e}"
        );
        assert!(
            lines[2].starts_with("/repo/telltale.toml:3:1: no rule or category `chatbat`"),
            "{e}"
        );
        let e = error_of("[[overrides]]\nfiles = []\n");
        assert!(e.starts_with("/repo/telltale.toml:2:9: `files`"), "{e}");
        let e = error_of("[[overrides]]\nfiles = [\"a/**{\"]\nselect = [\"all\"]\n");
        assert!(e.starts_with("/repo/telltale.toml:2:10: glob"), "{e}");
        let e = error_of("[[overrides]]\nfiles = [\"a\"]\nfail-on = \"info\"\n");
        assert!(
            e.contains("fail-on"),
            "overrides accept rule choices only: {e}"
        );
    }

    #[test]
    fn flag_names_are_checked_too() {
        let c = Config {
            command_line: RuleChoices::from_flags(&[], &[], &["delv".into()]),
            ..Config::default()
        };
        let e = c.validate(&rules()).expect_err("unknown").to_string();
        assert_eq!(
            e,
            "--ignore: no rule or category `delv`; did you mean `delve`?"
        );
    }

    #[test]
    fn discovery_walks_up_and_prefers_the_plain_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).expect("mkdir");
        assert_eq!(discover(&deep), None);
        std::fs::write(dir.path().join(".telltale.toml"), "").expect("write");
        assert_eq!(discover(&deep), Some(dir.path().join(".telltale.toml")));
        std::fs::write(dir.path().join("a/telltale.toml"), "").expect("write");
        std::fs::write(dir.path().join("a/.telltale.toml"), "").expect("write");
        assert_eq!(discover(&deep), Some(dir.path().join("a/telltale.toml")));
    }

    #[test]
    fn the_starter_file_parses() {
        let c = cfg(STARTER).expect("starter is valid");
        c.validate(&rules()).expect("starter names nothing");
        let uncommented: String = STARTER
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| l.contains('=') || l.starts_with('['))
                    .unwrap_or("")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let c = cfg(&uncommented).expect("every example key parses");
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(c.overrides.len(), 1);
    }
}
