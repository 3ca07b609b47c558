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
use crate::text::{Directive, DirectiveKind, Document, LineIndex};

/// The suppressions of one document, resolved to rule indices.
///
/// Kept sorted so that [`Suppressions::covers`] is a binary search: a file
/// may hold a directive on every line, and a search through a list of them
/// for each finding was quadratic (docs/hardening.md, "Scaling").
#[derive(Debug, Default)]
pub struct Suppressions {
    /// Rules off in the whole file.
    file: Vec<bool>,
    /// Per rule, the source ranges where it is off: sorted and disjoint.
    regions: Vec<Vec<Range<usize>>>,
    /// (1-based line, rule) where a rule is off, sorted.
    lines: Vec<(usize, usize)>,
    /// 1-based lines where every rule is off, sorted: one entry for a
    /// directive that names no rule, not one per rule.
    all_lines: Vec<usize>,
}

impl Suppressions {
    /// Reads and resolves the directives of `doc`.
    pub fn of(doc: &Document, rules: &RuleSet) -> Suppressions {
        Suppressions::resolve(doc.directives(), doc.lines(), doc.source().len(), rules)
    }

    /// Resolves `directives`, in source order, of a file of `len` bytes
    /// whose lines are `lines`: for a file checked in sections, whose
    /// directives were read section by section.
    pub fn resolve(
        directives: &[Directive],
        lines: &LineIndex,
        len: usize,
        rules: &RuleSet,
    ) -> Suppressions {
        let n = rules.len();
        let mut s = Suppressions {
            file: vec![false; n],
            regions: vec![Vec::new(); n],
            ..Suppressions::default()
        };
        // per rule: where its open `disable` region started
        let mut open: Vec<Option<usize>> = vec![None; n];
        for d in directives {
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
                            s.regions[i].push(start..d.span.start);
                        }
                    }
                }
                DirectiveKind::DisableNextLine => {
                    let line = lines.line_of(d.span.end) + 2;
                    s.off_on(line, named, n);
                }
                DirectiveKind::DisableLine => {
                    let line = lines.line_of(d.span.start) + 1;
                    s.off_on(line, named, n);
                }
                DirectiveKind::DisableFile => {
                    for i in named {
                        s.file[i] = true;
                    }
                }
                DirectiveKind::Unknown(_) => {}
            }
        }
        for (i, start) in open.into_iter().enumerate() {
            if let Some(start) = start {
                s.regions[i].push(start..len);
            }
        }
        for ranges in &mut s.regions {
            *ranges = disjoint(std::mem::take(ranges));
        }
        s.lines.sort_unstable();
        s.lines.dedup();
        s.all_lines.sort_unstable();
        s.all_lines.dedup();
        s
    }

    /// Records that the rules `named` (of `n`) are off on 1-based `line`.
    fn off_on(&mut self, line: usize, named: Vec<usize>, n: usize) {
        if named.len() == n {
            self.all_lines.push(line);
        } else {
            self.lines.extend(named.into_iter().map(|i| (line, i)));
        }
    }

    /// Whether a finding of `rule` starting at source offset `at`, on
    /// 1-based line `line`, is suppressed.
    pub fn covers(&self, rule: usize, at: usize, line: usize) -> bool {
        self.file.get(rule).copied().unwrap_or(false)
            || self.all_lines.binary_search(&line).is_ok()
            || self.lines.binary_search(&(line, rule)).is_ok()
            || self.regions.get(rule).is_some_and(|ranges| {
                // the last range starting at or before `at`
                let i = ranges.partition_point(|r| r.start <= at);
                i > 0 && at < ranges[i - 1].end
            })
    }
}

/// `ranges` sorted, with empty ones dropped and overlapping ones merged:
/// the same offsets, ready for a binary search.
fn disjoint(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_unstable_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> RuleSet {
        RuleSet::builtin().expect("built-in packs load")
    }

    #[test]
    fn a_directive_naming_no_rule_is_one_entry_not_one_per_rule() {
        let rules = builtin();
        let text = "telltale-disable-next-line\nWe delve into it.\n".repeat(1000);
        let s = Suppressions::of(&Document::plain(text), &rules);
        assert_eq!(s.all_lines.len(), 1000);
        assert!(s.lines.is_empty());
        assert!(s.covers(0, 0, 2) && s.covers(rules.len() - 1, 0, 2000));
        assert!(!s.covers(0, 0, 1) && !s.covers(0, 0, 2001));
    }

    /// The suppressions as first written: every directive's entries in
    /// lists searched from the start for each finding.
    fn by_scanning(doc: &Document, rules: &RuleSet, rule: usize, at: usize) -> bool {
        let line = doc.line_col(at).line;
        let mut open = None;
        let mut off = false;
        for d in doc.directives() {
            let named = d.ids.is_empty() || d.ids.iter().any(|(id, _)| rules.names(id, rule));
            if !named {
                continue;
            }
            match d.kind {
                DirectiveKind::Disable => {
                    open.get_or_insert(d.span.end);
                }
                DirectiveKind::Enable => {
                    if let Some(start) = open.take() {
                        off |= (start..d.span.start).contains(&at);
                    }
                }
                DirectiveKind::DisableNextLine => off |= doc.line_col(d.span.end).line + 1 == line,
                DirectiveKind::DisableLine => off |= doc.line_col(d.span.start).line == line,
                DirectiveKind::DisableFile => off = true,
                DirectiveKind::Unknown(_) => {}
            }
        }
        off || open.is_some_and(|start| (start..doc.source().len()).contains(&at))
    }

    #[test]
    fn sorted_lookups_agree_with_scanning_every_directive() {
        let rules = builtin();
        let text = "telltale-disable rhetoric\nA one.\ntelltale-disable\nB two.\n\
                    telltale-enable rhetoric\nC three.\ntelltale-disable-line vocabulary\n\
                    telltale-enable\nD four.\ntelltale-disable-next-line vocabulary, chatbot\n\
                    E five.\ntelltale-disable-next-line\nF six.\ntelltale-disable rhetoric\n\
                    telltale-disable rhetoric\nG seven.\ntelltale-enable\nH eight.\n\
                    telltale-disable-file artifact\ntelltale-disable chatbot\nI nine.\n";
        let doc = Document::plain(text);
        let s = Suppressions::of(&doc, &rules);
        let (mut on, mut off) = (0, 0);
        for rule in 0..rules.len() {
            for at in 0..=text.len() {
                let want = by_scanning(&doc, &rules, rule, at);
                let line = doc.line_col(at).line;
                assert_eq!(s.covers(rule, at, line), want, "rule {rule} at {at}");
                if want { off += 1 } else { on += 1 }
            }
        }
        // both answers are given, many times over
        assert!(on > 1000 && off > 1000, "{on} {off}");
    }
}
