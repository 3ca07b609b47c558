//! Built-in checks of telltale's own input rather than of the prose: a
//! pack declares them with `builtin = "..."` so they have an id, a severity
//! and an entry in `telltale rules` and `telltale explain` like any rule.
//!
//! `unknown-suppression` reports inline directives (`<!-- telltale-disable
//! x -->`) that name no rule or category, or that misspell the directive
//! itself: a suppression that silently does nothing hides the very finding
//! it was written for. `unused-suppression` reports directives that turned
//! off no finding; it needs every other rule's findings first, so the
//! engine reports it after applying the suppressions, not [`Builtin::check`].

use std::collections::HashMap;

use super::{Hit, RuleSet};
use crate::text::{DirectiveKind, Document, Span};

/// A built-in check, by the name packs use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// Inline directives naming unknown rules, or unknown directives.
    UnknownSuppression,
    /// Inline directives that suppressed no finding.
    UnusedSuppression,
}

impl Builtin {
    /// Every built-in check: (name in packs, check).
    const ALL: &[(&str, Builtin)] = &[
        ("unknown-suppression", Builtin::UnknownSuppression),
        ("unused-suppression", Builtin::UnusedSuppression),
    ];

    /// The check named `name` in a pack.
    pub fn named(name: &str) -> Result<Builtin, String> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| *b)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown builtin `{name}`; known builtins: {}",
                    known.join(", ")
                )
            })
    }

    /// Runs the check over `doc` as rule `rule` of `rules`.
    pub fn check(self, doc: &Document, rules: &RuleSet, rule: usize, out: &mut Vec<Hit>) {
        match self {
            Builtin::UnknownSuppression => unknown_suppressions(doc, rules, rule, out),
            // reported by the engine once the suppressions are applied
            Builtin::UnusedSuppression => {}
        }
    }
}

fn unknown_suppressions(doc: &Document, rules: &RuleSet, rule: usize, out: &mut Vec<Hit>) {
    // a file may repeat one unknown name on every line; its hint (a string
    // distance to every rule id and category) is worked out once
    let mut hints: HashMap<&str, String> = HashMap::new();
    for d in doc.directives() {
        if let DirectiveKind::Unknown(word) = &d.kind {
            out.push(Hit {
                rule,
                span: Span::new(d.span.start, d.span.start + word.len()),
                raw: true,
                message: Some(format!(
                    "`{word}` is not a directive; use telltale-disable, telltale-enable, \
                     telltale-disable-next-line, telltale-disable-line or telltale-disable-file"
                )),
            });
            continue;
        }
        for (id, range) in &d.ids {
            if !rules.is_name(id) {
                out.push(Hit {
                    rule,
                    span: Span::new(range.start, range.end),
                    raw: true,
                    message: Some(format!(
                        "suppression names no rule or category `{id}`{}",
                        hints.entry(id.as_str()).or_insert_with(|| rules.hint(id))
                    )),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::HINT_SCORES;

    fn scored() -> usize {
        HINT_SCORES.with(|n| n.get())
    }

    #[test]
    fn one_unknown_name_on_every_line_is_scored_once() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let doc = Document::plain("telltale-disable-line em-dash-asid\n".repeat(500));
        let before = scored();
        let mut out = Vec::new();
        unknown_suppressions(&doc, &rules, 0, &mut out);
        assert_eq!(out.len(), 500);
        for h in &out {
            let message = h.message.as_deref().unwrap_or_default();
            assert!(
                message.ends_with("did you mean `em-dash-aside`?"),
                "{message}"
            );
        }
        // one id and one category per rule, for one name
        assert!(
            scored() - before <= 2 * rules.len(),
            "{}",
            scored() - before
        );
    }

    #[test]
    fn a_hint_ignores_case() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        assert_eq!(
            rules.hint("AI-Vocabulary"),
            "; did you mean `ai-vocabulary`?"
        );
    }

    #[test]
    fn a_name_too_long_to_be_close_is_not_scored() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let before = scored();
        let hint = rules.hint(&"em-dash-aside".repeat(10_000));
        assert_eq!(hint, "; `telltale rules` lists them");
        assert_eq!(scored(), before);
    }

    #[test]
    fn names_skipped_for_length_could_not_have_scored_high_enough() {
        // the closest a longer name can come: the candidate itself, padded
        // with its own letters, just past four times its length
        let rules = RuleSet::builtin().expect("built-in packs load");
        for r in &rules.rules {
            for candidate in [r.id.as_str(), r.category.as_str()] {
                let n = candidate.chars().count();
                let name: String = candidate.chars().cycle().take(4 * n + 1).collect();
                let score = strsim::jaro_winkler(&name, candidate);
                assert!(score <= 0.85, "{candidate}: {score}");
            }
        }
    }
}
