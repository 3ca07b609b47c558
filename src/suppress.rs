//! Inline suppressions: which findings a document's own directives turn off.
//!
//! - `telltale-disable [ids]` … `telltale-enable [ids]`: a region, from the
//!   directive to the matching enable (or the end of the file);
//! - `telltale-disable-next-line [ids]`: the line after the comment ends;
//! - `telltale-disable-line [ids]`: the line the comment is on;
//! - `telltale-disable-file [ids]`: the whole file.
//!
//! No ids means every rule; an id may also be a category or `all`. Unknown
//! names suppress nothing: the `unknown-suppression` rule reports them, and
//! its own findings cannot be suppressed (they are about the directives).
//! Directives are read by the extractors from Markdown and HTML comments
//! and from plain-text lines that start with `telltale-`.
//!
//! May use `rules` and `text`; never `report` or `cli`.

use std::ops::Range;

use crate::rules::RuleSet;
use crate::text::{DirectiveKind, Document};

/// The suppressions of one document, resolved to rule indices.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// Rules off in the whole file.
    file: Vec<bool>,
    /// (rule, source range) where a rule is off.
    regions: Vec<(usize, Range<usize>)>,
    /// (rule, 1-based line) where a rule is off.
    lines: Vec<(usize, usize)>,
}

impl Suppressions {
    /// Reads and resolves the directives of `doc`.
    pub fn of(doc: &Document, rules: &RuleSet) -> Suppressions {
        let n = rules.len();
        let mut s = Suppressions {
            file: vec![false; n],
            ..Suppressions::default()
        };
        // per rule: where its open `disable` region started
        let mut open: Vec<Option<usize>> = vec![None; n];
        for d in doc.directives() {
            let named: Vec<usize> = if d.ids.is_empty() {
                (0..n).collect()
            } else {
                (0..n)
                    .filter(|&i| d.ids.iter().any(|(id, _)| rules.names(id, i)))
                    .collect()
            };
            match d.kind {
                DirectiveKind::Disable => {
                    for i in named {
                        open[i].get_or_insert(d.span.end);
                    }
                }
                DirectiveKind::Enable => {
                    for i in named {
                        if let Some(start) = open[i].take() {
                            s.regions.push((i, start..d.span.start));
                        }
                    }
                }
                DirectiveKind::DisableNextLine => {
                    let line = doc.line_col(d.span.end).line + 1;
                    s.lines.extend(named.into_iter().map(|i| (i, line)));
                }
                DirectiveKind::DisableLine => {
                    let line = doc.line_col(d.span.start).line;
                    s.lines.extend(named.into_iter().map(|i| (i, line)));
                }
                DirectiveKind::DisableFile => {
                    for i in named {
                        s.file[i] = true;
                    }
                }
                DirectiveKind::Unknown(_) => {}
            }
        }
        let end = doc.source().len();
        for (i, start) in open.into_iter().enumerate() {
            if let Some(start) = start {
                s.regions.push((i, start..end));
            }
        }
        s
    }

    /// Whether a finding of `rule` starting at source offset `at`, on
    /// 1-based line `line`, is suppressed.
    pub fn covers(&self, rule: usize, at: usize, line: usize) -> bool {
        self.file.get(rule).copied().unwrap_or(false)
            || self.lines.iter().any(|&(r, l)| r == rule && l == line)
            || self
                .regions
                .iter()
                .any(|(r, range)| *r == rule && range.contains(&at))
    }
}
