//! Pattern packs: TOML files of `[[rule]]` tables, loaded, validated and
//! turned into [`Rule`]s with their matchers.
//!
//! Loading checks everything at once (unknown keys, ids, duplicate ids,
//! regexes that do not compile, `fancy` patterns without anchors, metric
//! settings) and reports every problem with its file, line and rule id.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use super::matcher::{PatternSpec, PatternSpecKind};
use super::metrics::{self, Metric};
use super::{Examples, Origin, Rule, RuleKind, Scope, Severity};
use crate::text::LineIndex;

/// The text of one pack and the name to report it by.
#[derive(Clone, Debug)]
pub struct PackSource {
    /// Path or name shown in errors and in `telltale rules`.
    pub path: String,
    /// The TOML text.
    pub text: Cow<'static, str>,
}

impl PackSource {
    /// A pack from its name and text.
    pub fn new(path: impl Into<String>, text: impl Into<Cow<'static, str>>) -> Self {
        PackSource {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// One problem in one pack.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The TOML does not parse or does not fit the pack format.
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// Pack file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What the parser said.
        message: String,
    },
    /// A rule is invalid.
    #[error("{path}:{line}: rule `{id}`: {reason}")]
    Invalid {
        /// Pack file.
        path: String,
        /// 1-based line of the rule.
        line: usize,
        /// The rule's id as written.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// Two rules share an id.
    #[error("{path}:{line}: rule `{id}`: id already defined at {first}")]
    DuplicateId {
        /// Pack file of the second definition.
        path: String,
        /// Its line.
        line: usize,
        /// The id.
        id: String,
        /// Where the first definition is.
        first: Origin,
    },
}

/// Every problem found while loading packs.
#[derive(Debug)]
pub struct PackErrors(pub Vec<PackError>);

impl fmt::Display for PackErrors {
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

impl std::error::Error for PackErrors {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(default)]
    rule: Vec<Spanned<RuleDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleDef {
    id: String,
    category: String,
    severity: Severity,
    weight: f64,
    message: String,
    why: String,
    label: Option<String>,
    help: Option<String>,
    suggest: Option<String>,
    phrases: Option<Vec<String>>,
    regex: Option<String>,
    fancy: Option<String>,
    metric: Option<String>,
    builtin: Option<String>,
    anchors: Option<Vec<String>>,
    unless: Option<String>,
    scope: Option<Scope>,
    settings: Option<toml::Table>,
    #[serde(default)]
    examples: Examples,
}

/// The result of loading packs: rules, their pattern specs and metrics.
pub(super) struct Loaded {
    pub rules: Vec<Rule>,
    pub patterns: Vec<PatternSpec>,
    pub metrics: Vec<(usize, Box<dyn Metric>)>,
    pub builtins: Vec<(usize, super::directives::Builtin)>,
}

/// Parses and validates all packs together (ids are unique across packs).
pub(super) fn load(packs: &[PackSource]) -> Result<Loaded, PackErrors> {
    let mut errors = Vec::new();
    let mut loaded = Loaded {
        rules: Vec::new(),
        patterns: Vec::new(),
        metrics: Vec::new(),
        builtins: Vec::new(),
    };
    let mut seen: HashMap<String, Origin> = HashMap::new();
    for pack in packs {
        let defs = match rule_defs(pack) {
            Ok(defs) => defs,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for (line, def) in defs {
            let origin = Origin {
                pack: pack.path.clone(),
                line,
            };
            let id = def.id.clone();
            let invalid = |reason: String| PackError::Invalid {
                path: pack.path.clone(),
                line,
                id: id.clone(),
                reason,
            };
            if let Some(first) = seen.get(&def.id) {
                errors.push(PackError::DuplicateId {
                    path: pack.path.clone(),
                    line,
                    id: def.id.clone(),
                    first: first.clone(),
                });
                continue;
            }
            seen.insert(def.id.clone(), origin.clone());
            match build_rule(def, origin, loaded.rules.len()) {
                Ok((rule, built)) => {
                    match built {
                        Built::Pattern(p) => loaded.patterns.push(*p),
                        Built::Metric(m) => loaded.metrics.push((loaded.rules.len(), m)),
                        Built::Builtin(b) => loaded.builtins.push((loaded.rules.len(), b)),
                    }
                    loaded.rules.push(rule);
                }
                Err(reasons) => errors.extend(reasons.into_iter().map(invalid)),
            }
        }
    }
    if errors.is_empty() {
        Ok(loaded)
    } else {
        Err(PackErrors(errors))
    }
}

/// The rules of a pack with their lines: from the data build.rs wrote for
/// a built-in pack (no TOML to parse), else parsed from its text.
fn rule_defs(pack: &PackSource) -> Result<Vec<(usize, RuleDef)>, PackError> {
    match super::builtin::rules_of(&pack.text) {
        Some(rows) => Ok(rows
            .iter()
            .map(|row| (row.line, RuleDef::from(row)))
            .collect()),
        None => parse_rule_defs(pack),
    }
}

/// The rules of a pack parsed from its TOML text.
fn parse_rule_defs(pack: &PackSource) -> Result<Vec<(usize, RuleDef)>, PackError> {
    let lines = LineIndex::new(&pack.text);
    let line_of = |offset: usize| lines.line_of(offset) + 1;
    let file: PackFile = toml::from_str(&pack.text).map_err(|e| PackError::Syntax {
        path: pack.path.clone(),
        line: e.span().map_or(1, |s| line_of(s.start)),
        message: e.message().trim().to_string(),
    })?;
    Ok(file
        .rule
        .into_iter()
        .map(|spanned| (line_of(spanned.span().start), spanned.into_inner()))
        .collect())
}

impl From<&super::builtin::RuleRow> for RuleDef {
    fn from(row: &super::builtin::RuleRow) -> RuleDef {
        let owned = |s: &str| s.to_string();
        let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (flag, pass, markup) = row.examples;
        RuleDef {
            id: owned(row.id),
            category: owned(row.category),
            severity: row.severity,
            weight: row.weight,
            message: owned(row.message),
            why: owned(row.why),
            label: row.label.map(owned),
            help: row.help.map(owned),
            suggest: row.suggest.map(owned),
            phrases: row.phrases.map(list),
            regex: row.regex.map(owned),
            fancy: row.fancy.map(owned),
            metric: row.metric.map(owned),
            builtin: row.builtin.map(owned),
            anchors: row.anchors.map(list),
            unless: row.unless.map(owned),
            scope: row.scope,
            settings: row.settings.map(|build| build()),
            examples: Examples {
                flag: list(flag),
                pass: list(pass),
                markup,
            },
        }
    }
}

enum Built {
    Pattern(Box<PatternSpec>),
    Metric(Box<dyn Metric>),
    Builtin(super::directives::Builtin),
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Validates one rule definition; every problem with it is returned.
fn build_rule(def: RuleDef, origin: Origin, index: usize) -> Result<(Rule, Built), Vec<String>> {
    let mut problems = Vec::new();
    if !is_kebab(&def.id) {
        problems.push(
            "id must be kebab-case (lowercase letters, digits and single hyphens)".to_string(),
        );
    }
    if !is_kebab(&def.category) {
        problems.push(format!("category `{}` must be kebab-case", def.category));
    }
    if !def.weight.is_finite() || def.weight < 0.0 {
        problems.push(format!(
            "weight must be a finite number >= 0, not {}",
            def.weight
        ));
    }
    if def.message.trim().is_empty() || def.message.contains('\n') {
        problems.push("message must be one non-empty line".to_string());
    }
    let matchers = [
        def.phrases.is_some(),
        def.regex.is_some(),
        def.fancy.is_some(),
        def.metric.is_some(),
        def.builtin.is_some(),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    if matchers != 1 {
        problems.push(format!(
            "needs exactly one of `phrases`, `regex`, `fancy`, `metric` or `builtin`, found {matchers}"
        ));
        return Err(problems);
    }
    if def.settings.is_some() && def.metric.is_none() {
        problems.push("`settings` only applies to `metric` rules".to_string());
    }
    if (def.metric.is_some() || def.builtin.is_some())
        && (def.anchors.is_some() || def.unless.is_some() || def.scope.is_some())
    {
        problems.push(
            "`anchors`, `unless` and `scope` do not apply to `metric` or `builtin` rules"
                .to_string(),
        );
    }
    let unless = match def.unless.as_deref().map(lazy_unless) {
        Some(Err(e)) => {
            problems.push(format!("`unless` regex does not compile: {e}"));
            None
        }
        Some(Ok(re)) => Some(re),
        None => None,
    };
    if let Some(anchors) = &def.anchors
        && (anchors.is_empty() || anchors.iter().any(|a| a.trim().is_empty()))
    {
        problems.push("`anchors` must list non-empty strings".to_string());
    }
    let scope = def.scope.unwrap_or_default();
    let (kind, built) = if let Some(phrases) = &def.phrases {
        let normalised: Vec<String> = phrases.iter().map(|p| normalise_phrase(p)).collect();
        if normalised.is_empty() || normalised.iter().any(String::is_empty) {
            problems.push("`phrases` must list non-empty phrases".to_string());
        }
        if def.anchors.is_some() {
            problems.push(
                "`anchors` do not apply to `phrases` rules (the phrases are their own anchors)"
                    .to_string(),
            );
        }
        let spec = PatternSpec {
            rule: index,
            kind: PatternSpecKind::Phrases(normalised),
            anchors: None,
            unless,
            scope,
        };
        (RuleKind::Phrases, Some(Built::Pattern(Box::new(spec))))
    } else if let Some(pattern) = &def.regex {
        let prefilter = scope == Scope::Source;
        let explicit = def.anchors.as_ref().map(|a| vec![vec![a.clone()]]);
        let parsed = match super::builtin::parsed(pattern) {
            // a built-in pack's regex: worked out by build.rs
            Some(requirements) => Ok((
                super::regex::LazyRegex::unparsed(pattern, prefilter),
                explicit.or(requirements),
            )),
            None => super::regex::parse(pattern).and_then(|hir| {
                // the anchors come from the same parse the regex compiles from
                let anchors = explicit.or_else(|| super::anchors::requirements(&hir));
                let re = super::regex::LazyRegex::new(pattern, hir, prefilter)?;
                Ok((re, anchors))
            }),
        };
        match parsed {
            Ok((re, anchors)) => {
                let spec = PatternSpec {
                    rule: index,
                    kind: PatternSpecKind::Regex(re),
                    anchors,
                    unless,
                    scope,
                };
                (RuleKind::Regex, Some(Built::Pattern(Box::new(spec))))
            }
            Err(e) => {
                problems.push(format!("regex does not compile: {e}"));
                (RuleKind::Regex, None)
            }
        }
    } else if let Some(pattern) = &def.fancy {
        if def.anchors.is_none() {
            problems.push(
                "`fancy` patterns need `anchors`: literal strings one of which every match contains".to_string(),
            );
        }
        // a built-in pack's pattern (the tests compile each) waits for
        // its first use; a user's is compiled now, so its error is a load
        // error
        let compiled = if super::builtin::is_fancy(pattern) {
            Ok(super::fancy::FancyPattern::deferred(pattern))
        } else {
            super::fancy::FancyPattern::compile(pattern)
                .map(|re| super::fancy::FancyPattern::new(pattern, re))
        };
        match compiled {
            Ok(fancy) => {
                let spec = PatternSpec {
                    rule: index,
                    kind: PatternSpecKind::Fancy(Box::new(fancy)),
                    anchors: def.anchors.clone().map(|a| vec![vec![a]]),
                    unless,
                    scope,
                };
                (RuleKind::Fancy, Some(Built::Pattern(Box::new(spec))))
            }
            Err(e) => {
                problems.push(format!("fancy regex does not compile: {e}"));
                (RuleKind::Fancy, None)
            }
        }
    } else if let Some(name) = &def.builtin {
        match super::directives::Builtin::named(name) {
            Ok(b) => (RuleKind::Builtin, Some(Built::Builtin(b))),
            Err(e) => {
                problems.push(e);
                (RuleKind::Builtin, None)
            }
        }
    } else {
        let name = def.metric.as_deref().unwrap_or_default();
        let settings = def.settings.clone().unwrap_or_default();
        match metrics::build(name, settings) {
            Ok(m) => (RuleKind::Metric, Some(Built::Metric(m))),
            Err(e) => {
                problems.push(e);
                (RuleKind::Metric, None)
            }
        }
    };
    match built {
        Some(built) if problems.is_empty() => Ok((
            Rule {
                id: def.id,
                category: def.category,
                severity: def.severity,
                weight: def.weight,
                message: def.message,
                label: def.label,
                help: def.help,
                suggest: def.suggest.map(std::sync::Arc::new),
                why: def.why.trim().to_string(),
                kind,
                examples: def.examples,
                origin,
            },
            built,
        )),
        _ => Err(problems),
    }
}

/// The `unless` regex of a rule, parsed now unless it is a built-in
/// pack's (known to parse, see `build.rs`).
fn lazy_unless(pattern: &str) -> Result<super::regex::LazyRegex, super::regex::RegexError> {
    match super::builtin::parsed(pattern) {
        Some(_) => Ok(super::regex::LazyRegex::unparsed(pattern, false)),
        None => super::regex::LazyRegex::parse(pattern),
    }
}

/// Lowercases a phrase, folds curly apostrophes and collapses its spaces,
/// as the prose it is matched against is normalised the same way.
fn normalise_phrase(p: &str) -> String {
    p.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\u{2019}', "'")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_one(text: &'static str) -> Result<Loaded, PackErrors> {
        load(&[PackSource::new("test.toml", text)])
    }

    const OK: &str = r#"
[[rule]]
id = "delve"
category = "vocabulary"
severity = "warning"
weight = 0.3
message = "AI vocabulary"
why = "Overused."
phrases = ["delve into"]
"#;

    #[test]
    fn loads_a_rule() {
        let loaded = load_one(OK).expect("valid pack");
        assert_eq!(loaded.rules.len(), 1);
        assert_eq!(loaded.rules[0].origin.line, 2);
    }

    #[test]
    fn bad_regex_names_file_line_and_rule() {
        let text = "[[rule]]\nid = \"broken\"\ncategory = \"x\"\nseverity = \"info\"\nweight = 1.0\nmessage = \"m\"\nwhy = \"w\"\nregex = \"(unclosed\"\n";
        let err = load_one(text).err().expect("invalid regex").to_string();
        assert!(
            err.starts_with("test.toml:1: rule `broken`: regex does not compile"),
            "{err}"
        );
    }

    #[test]
    fn regex_over_the_size_limit_is_a_load_error() {
        let text = "[[rule]]\nid = \"huge\"\ncategory = \"x\"\nseverity = \"info\"\nweight = 1.0\nmessage = \"m\"\nwhy = \"w\"\nregex = '(?:\\w{100}){100}'\n";
        let err = load_one(text).err().expect("too large").to_string();
        assert!(
            err.starts_with("test.toml:1: rule `huge`: regex does not compile"),
            "{err}"
        );
    }

    #[test]
    fn unknown_key_and_duplicate_id() {
        let text = "[[rule]]\nid = \"a\"\ncategory = \"x\"\nseverity = \"info\"\nweight = 1.0\nmessage = \"m\"\nwhy = \"w\"\nphrases = [\"x\"]\ncolour = 1\n";
        let err = load_one(text).err().expect("unknown key").to_string();
        assert!(
            err.contains("test.toml:") && err.contains("colour"),
            "{err}"
        );
        let twice = format!("{OK}\n{OK}");
        let err = load(&[PackSource::new("t.toml", twice)])
            .err()
            .expect("dup")
            .to_string();
        assert!(
            err.contains("rule `delve`: id already defined at t.toml:2"),
            "{err}"
        );
    }

    #[test]
    fn builtin_rule_data_is_what_parsing_the_packs_gives() {
        for pack in crate::rules::RuleSet::builtin_packs() {
            let rows = crate::rules::builtin::rules_of(&pack.text)
                .expect("build.rs wrote every built-in pack as data");
            let from_rows: Vec<_> = rows.iter().map(|r| (r.line, RuleDef::from(r))).collect();
            let parsed = parse_rule_defs(&pack).expect("built-in pack parses");
            assert!(!parsed.is_empty(), "{}", pack.path);
            // Debug prints every field, floats to the bit
            assert_eq!(
                format!("{from_rows:#?}"),
                format!("{parsed:#?}"),
                "{}",
                pack.path
            );
        }
        let user = PackSource::new("patterns/vocabulary.toml", OK);
        assert!(crate::rules::builtin::rules_of(&user.text).is_none());
    }

    #[test]
    fn fancy_needs_anchors() {
        let text = "[[rule]]\nid = \"f\"\ncategory = \"x\"\nseverity = \"info\"\nweight = 1.0\nmessage = \"m\"\nwhy = \"w\"\nfancy = \"(?<=a)b\"\n";
        let err = load_one(text).err().expect("no anchors").to_string();
        assert!(err.contains("need `anchors`"), "{err}");
    }
}
