//! Built-in checks of telltale's own input rather than of the prose: a
//! pack declares them with `builtin = "..."` so they have an id, a severity
//! and an entry in `telltale rules` and `telltale explain` like any rule.
//!
//! `unknown-suppression` reports inline directives (`<!-- telltale-disable
//! x -->`) that name no rule or category, or that misspell the directive
//! itself: a suppression that silently does nothing hides the very finding
//! it was written for.

use super::{Hit, RuleSet};
use crate::text::{DirectiveKind, Document, Span};

/// A built-in check, by the name packs use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// Inline directives naming unknown rules, or unknown directives.
    UnknownSuppression,
}

impl Builtin {
    /// Every built-in check: (name in packs, check).
    const ALL: &[(&str, Builtin)] = &[("unknown-suppression", Builtin::UnknownSuppression)];

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
        }
    }
}

fn unknown_suppressions(doc: &Document, rules: &RuleSet, rule: usize, out: &mut Vec<Hit>) {
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
                        rules.hint(id)
                    )),
                });
            }
        }
    }
}
