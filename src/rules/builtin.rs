//! The packs in `patterns/`, embedded at build time, with what `build.rs`
//! worked out from the text of their regexes.

use super::anchors::Conjunction;
use super::{Scope, Severity};
use crate::text::Markup;

/// Alternatives of sets of literals, as [`Conjunction`]s in static data.
type Requirements = &'static [&'static [&'static [&'static str]]];

/// One `[[rule]]` table of a built-in pack, as build.rs read it: the
/// fields of the loader's rule definition, in static data.
pub(super) struct RuleRow {
    /// 1-based line of the table.
    pub(super) line: usize,
    pub(super) id: &'static str,
    pub(super) category: &'static str,
    pub(super) severity: Severity,
    pub(super) weight: f64,
    pub(super) message: &'static str,
    pub(super) why: &'static str,
    pub(super) label: Option<&'static str>,
    pub(super) help: Option<&'static str>,
    pub(super) suggest: Option<&'static str>,
    pub(super) phrases: Option<&'static [&'static str]>,
    pub(super) regex: Option<&'static str>,
    pub(super) fancy: Option<&'static str>,
    pub(super) metric: Option<&'static str>,
    pub(super) builtin: Option<&'static str>,
    pub(super) anchors: Option<&'static [&'static str]>,
    pub(super) unless: Option<&'static str>,
    pub(super) scope: Option<Scope>,
    /// Builds the `settings` table.
    pub(super) settings: Option<fn() -> toml::Table>,
    /// `examples`: flag, pass, markup.
    pub(super) examples: (
        &'static [&'static str],
        &'static [&'static str],
        Option<Markup>,
    ),
}

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// The rules of the built-in pack whose text is `text`, when build.rs
/// could write them as data; `None` for any other text, which the loader
/// parses.
pub(super) fn rules_of(text: &str) -> Option<&'static [RuleRow]> {
    let i = PACKS.iter().position(|&(_, t)| t == text)?;
    PACK_RULES.get(i).copied().flatten()
}

/// For a regex of a built-in pack that parses: the literals it requires
/// (`anchors::requirements` of its parse). `None` for any other pattern,
/// which the loader parses and checks itself.
pub fn parsed(pattern: &str) -> Option<Option<Vec<Conjunction>>> {
    let i = PARSED.binary_search_by(|(p, _)| (*p).cmp(pattern)).ok()?;
    Some(PARSED[i].1.map(|alternatives| {
        alternatives
            .iter()
            .map(|sets| {
                sets.iter()
                    .map(|set| set.iter().map(|l| l.to_string()).collect())
                    .collect()
            })
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::{PACKS, PARSED, parsed};
    use crate::rules::{anchors, regex};

    #[test]
    fn the_table_holds_what_loading_would_work_out() {
        for (pattern, _) in PARSED {
            let hir = regex::parse(pattern).expect("a pattern in the table parses");
            assert_eq!(
                parsed(pattern),
                Some(anchors::requirements(&hir)),
                "{pattern}"
            );
            // loading skips the size check for these: they must compile
            let lazy = regex::LazyRegex::unparsed(pattern, false);
            assert!(lazy.get().is_ok(), "{pattern}");
        }
        assert_eq!(parsed("(?i)not a built-in pattern"), None);
    }

    #[test]
    fn every_builtin_regex_is_in_the_table() {
        let mut patterns = 0;
        for (path, text) in PACKS {
            let table: toml::Table = toml::from_str(text).expect("pack parses");
            let Some(toml::Value::Array(rules)) = table.get("rule") else {
                continue;
            };
            for rule in rules {
                for key in ["regex", "unless"] {
                    if let Some(p) = rule.get(key).and_then(|v| v.as_str()) {
                        assert!(parsed(p).is_some(), "{path}: {p}");
                        patterns += 1;
                    }
                }
            }
        }
        assert!(patterns > 40, "{patterns}");
    }
}
