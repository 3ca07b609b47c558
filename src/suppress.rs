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
//! Each name in a directive remembers whether it suppressed a finding, so
//! that the `unused-suppression` rule can report the ones that did not
//! (see [`Suppressions::unused`]), as ruff's RUF100 and ESLint's
//! `--report-unused-disable-directives` do.
//!
//! May use `rules` and `text`; never `report` or `cli`.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::rules::RuleSet;
use crate::text::{Directive, DirectiveKind, Document, LineIndex};

/// The suppressions of one document, resolved to rule indices.
///
/// Kept sorted so that [`Suppressions::covers`] is a binary search: a file
/// may hold a directive on every line, and a search through a list of them
/// for each finding was quadratic (docs/hardening.md, "Scaling"). Every
/// entry keeps the index of the directive it came from, in `directives`.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// Rules off in the whole file.
    file: Vec<bool>,
    /// The `telltale-disable-file` directives.
    file_directives: Vec<usize>,
    /// Per rule, the source ranges where it is off, each with the directive
    /// that opened it: sorted and disjoint.
    regions: Vec<Vec<(Range<usize>, usize)>>,
    /// (1-based line, rule, directive) where a rule is off, sorted.
    lines: Vec<(usize, usize, usize)>,
    /// (1-based line, directive) where every rule is off, sorted: one entry
    /// for a directive that names no rule, not one per rule.
    all_lines: Vec<(usize, usize)>,
    /// The directives that turn rules off, in source order.
    directives: Vec<Suppressing>,
    /// What each of them names, in the directives' order.
    claims: Vec<Claim>,
    /// The `telltale-enable` directives: each one's span and the regions
    /// it closed, as (rule, directive in `directives` that opened it).
    enables: Vec<(Range<usize>, Vec<Closed>)>,
}

/// A region a `telltale-enable` ended: (rule, index in `directives` of
/// the directive that opened it).
type Closed = (usize, usize);

/// One directive that turns rules off.
#[derive(Debug)]
struct Suppressing {
    kind: DirectiveKind,
    /// Source byte range of the directive text.
    span: Range<usize>,
    /// Its names, in [`Suppressions::claims`].
    claims: Range<usize>,
}

/// One name in a directive (a rule id, a category, `all`), or the whole
/// directive when it names none: the rules it turns off, and whether it
/// has kept a finding of one of them from being reported.
#[derive(Debug)]
struct Claim {
    /// The name as written; `None` for a directive that names no rule.
    name: Option<String>,
    /// Every rule (no name, or `all`).
    every: bool,
    /// The rules it names, sorted, when not every rule.
    rules: Vec<usize>,
    /// Whether it suppressed a finding. Atomic: the sections of a large
    /// file are held against one file's suppressions on several threads.
    used: AtomicBool,
}

impl Claim {
    fn names(&self, rule: usize) -> bool {
        self.every || self.rules.binary_search(&rule).is_ok()
    }
}

/// The rules directive `d` names, each once, in order: every rule when it
/// names none.
fn named_by(d: &Directive, rules: &RuleSet) -> Vec<usize> {
    (0..rules.len())
        .filter(|&i| d.ids.is_empty() || d.ids.iter().any(|(id, _)| rules.names(id, i)))
        .collect()
}

/// A directive, or some names in one, that suppressed no finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    /// Source byte range of the directive text.
    pub span: Range<usize>,
    /// The names that suppressed nothing, as written; empty when the
    /// directive names no rule.
    pub names: Vec<String>,
    /// The names that did suppress something, as written; empty when the
    /// whole directive is unused.
    pub kept: Vec<String>,
    /// What the directive asks for.
    pub kind: DirectiveKind,
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
        // per rule: where its open `disable` region started, and the
        // directive that opened it
        let mut open: Vec<Option<(usize, usize)>> = vec![None; n];
        for d in directives {
            if matches!(d.kind, DirectiveKind::Enable | DirectiveKind::Unknown(_)) {
                if d.kind == DirectiveKind::Enable {
                    let named = named_by(d, rules);
                    let mut closed = Vec::new();
                    for i in named {
                        if let Some((start, by)) = open[i].take() {
                            s.regions[i].push((start..d.span.start, by));
                            closed.push((i, by));
                        }
                    }
                    // one naming only unknown rules is `unknown-suppression`'s
                    if d.ids.is_empty() || d.ids.iter().any(|(id, _)| rules.is_name(id)) {
                        s.enables.push((d.span.clone(), closed));
                    }
                }
                continue;
            }
            let k = s.directives.len();
            let named = s.claim(d, n, rules);
            match d.kind {
                DirectiveKind::Disable => {
                    for i in named {
                        open[i].get_or_insert((d.span.end, k));
                    }
                }
                DirectiveKind::DisableNextLine => {
                    let line = lines.line_of(d.comment_end) + 2;
                    s.off_on(line, named, n, k);
                }
                DirectiveKind::DisableLine => {
                    let line = lines.line_of(d.span.start) + 1;
                    s.off_on(line, named, n, k);
                }
                DirectiveKind::DisableFile => {
                    for i in named {
                        s.file[i] = true;
                    }
                    s.file_directives.push(k);
                }
                DirectiveKind::Enable | DirectiveKind::Unknown(_) => {}
            }
        }
        for (i, region) in open.into_iter().enumerate() {
            if let Some((start, by)) = region {
                s.regions[i].push((start..len, by));
            }
        }
        for ranges in &mut s.regions {
            // a rule's regions come in source order and one opens only
            // after the last one closed, so they are disjoint already
            ranges.retain(|(r, _)| r.start < r.end);
            ranges.sort_unstable_by_key(|(r, _)| r.start);
        }
        s.lines.sort_unstable();
        s.lines.dedup();
        s.all_lines.sort_unstable();
        s.all_lines.dedup();
        s
    }

    /// Records directive `d`, which turns rules off, and its names;
    /// returns the rules it names, each once, in order.
    fn claim(&mut self, d: &Directive, n: usize, rules: &RuleSet) -> Vec<usize> {
        let first = self.claims.len();
        if d.ids.is_empty() {
            self.claims.push(Claim {
                name: None,
                every: true,
                rules: Vec::new(),
                used: AtomicBool::new(false),
            });
        }
        for (id, _) in &d.ids {
            let every = id == "all";
            let named = if every {
                Vec::new()
            } else {
                (0..n).filter(|&i| rules.names(id, i)).collect()
            };
            self.claims.push(Claim {
                name: Some(id.clone()),
                every,
                rules: named,
                used: AtomicBool::new(false),
            });
        }
        let claims = first..self.claims.len();
        let named = if self.claims[claims.clone()].iter().any(|c| c.every) {
            (0..n).collect()
        } else {
            let mut named: Vec<usize> = self.claims[claims.clone()]
                .iter()
                .flat_map(|c| c.rules.iter().copied())
                .collect();
            named.sort_unstable();
            named.dedup();
            named
        };
        self.directives.push(Suppressing {
            kind: d.kind.clone(),
            span: d.span.clone(),
            claims,
        });
        named
    }

    /// Records that the rules `named` (of `n`) are off on 1-based `line`,
    /// by directive `by`.
    fn off_on(&mut self, line: usize, named: Vec<usize>, n: usize, by: usize) {
        if named.len() == n {
            self.all_lines.push((line, by));
        } else {
            self.lines.extend(named.into_iter().map(|i| (line, i, by)));
        }
    }

    /// Whether a finding of `rule` starting at source offset `at`, on
    /// 1-based line `line`, is suppressed. Every directive that covers it
    /// counts as used, not only the first found: one made redundant by
    /// another is not reported as unused while both apply.
    pub fn covers(&self, rule: usize, at: usize, line: usize) -> bool {
        let mut covered = false;
        if self.file.get(rule).copied().unwrap_or(false) {
            for &by in &self.file_directives {
                self.used(by, rule);
            }
            covered = true;
        }
        let from = self.all_lines.partition_point(|&(l, _)| l < line);
        for &(_, by) in self.all_lines[from..]
            .iter()
            .take_while(|&&(l, _)| l == line)
        {
            self.used(by, rule);
            covered = true;
        }
        let from = self
            .lines
            .partition_point(|&(l, r, _)| (l, r) < (line, rule));
        for &(.., by) in self.lines[from..]
            .iter()
            .take_while(|&&(l, r, _)| (l, r) == (line, rule))
        {
            self.used(by, rule);
            covered = true;
        }
        if let Some(ranges) = self.regions.get(rule) {
            // the last range starting at or before `at`
            let i = ranges.partition_point(|(r, _)| r.start <= at);
            if i > 0 && at < ranges[i - 1].0.end {
                self.used(ranges[i - 1].1, rule);
                covered = true;
            }
        }
        covered
    }

    /// Marks the names of directive `by` that name `rule` as used.
    fn used(&self, by: usize, rule: usize) {
        let Some(d) = self.directives.get(by) else {
            return;
        };
        for c in &self.claims[d.claims.clone()] {
            if c.names(rule) {
                c.used.store(true, Ordering::Relaxed);
            }
        }
    }

    /// The directives, or names in them, that have suppressed no finding
    /// so far, judged only on the rules `judged` says ran (a name for a
    /// rule that is off in this run could not have suppressed anything,
    /// and is not wrong for that). Call once every finding of the document
    /// has been held against [`Suppressions::covers`].
    ///
    /// A `telltale-enable` is unused when every region it closes is opened
    /// for that rule only by names that are unused, so that the fix, which
    /// deletes those names, does not leave it behind ending nothing
    /// (ESLint reports unused enables too).
    pub fn unused(&self, judged: impl Fn(usize) -> bool, rules: usize) -> Vec<Unused> {
        let any_judged = (0..rules).any(&judged);
        let judged = |c: &Claim| {
            if c.every {
                any_judged
            } else {
                c.rules.iter().any(|&i| judged(i))
            }
        };
        let used = |c: &Claim| c.used.load(Ordering::Relaxed);
        // a name the fix keeps: it suppressed something, or its rules did
        // not run
        let kept = |c: &Claim| used(c) || !judged(c);
        let mut out = Vec::new();
        for d in &self.directives {
            let claims = &self.claims[d.claims.clone()];
            let unused: Vec<&Claim> = claims.iter().filter(|c| !kept(c)).collect();
            if unused.is_empty() {
                continue;
            }
            let name = |c: &&Claim| c.name.clone();
            out.push(Unused {
                span: d.span.clone(),
                names: unused.iter().filter_map(name).collect(),
                kept: claims
                    .iter()
                    .filter(|c| kept(c))
                    .filter_map(|c| c.name.clone())
                    .collect(),
                kind: d.kind.clone(),
            });
        }
        for (span, closed) in &self.enables {
            let ends_a_kept_region = closed.iter().any(|&(rule, by)| {
                self.claims[self.directives[by].claims.clone()]
                    .iter()
                    .any(|c| c.names(rule) && kept(c))
            });
            if !ends_a_kept_region {
                out.push(Unused {
                    span: span.clone(),
                    names: Vec::new(),
                    kept: Vec::new(),
                    kind: DirectiveKind::Enable,
                });
            }
        }
        out.sort_by_key(|u| u.span.start);
        out
    }
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
                DirectiveKind::DisableNextLine => {
                    off |= doc.line_col(d.comment_end).line + 1 == line
                }
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

    fn unused_names(
        s: &Suppressions,
        rules: &RuleSet,
        off: &[usize],
    ) -> Vec<(Vec<String>, Vec<String>)> {
        s.unused(|i| !off.contains(&i), rules.len())
            .into_iter()
            .map(|u| (u.names, u.kept))
            .collect()
    }

    #[test]
    fn each_name_remembers_whether_it_suppressed_a_finding() {
        let rules = builtin();
        let text = "telltale-disable-next-line ai-vocabulary, chatbot, em-dash-aside
\
                    We delve.\ntelltale-disable-line all\nPlain.\n";
        let s = Suppressions::of(&Document::plain(text), &rules);
        let vocabulary = rules.index("ai-vocabulary").expect("a rule");
        let aside = rules.index("em-dash-aside").expect("a rule");
        assert!(s.covers(vocabulary, text.find("delve").expect("there"), 2));
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // the category found nothing; the rule that is off is not judged,
        // so it is kept; `all` on a line without findings is unused whole
        assert_eq!(
            unused_names(&s, &rules, &[aside]),
            [
                (
                    names(&["chatbot"]),
                    names(&["ai-vocabulary", "em-dash-aside"])
                ),
                (names(&["all"]), Vec::new()),
            ]
        );
        // with no rule judged, nothing is reported
        let every: Vec<usize> = (0..rules.len()).collect();
        assert!(unused_names(&s, &rules, &every).is_empty());
    }

    #[test]
    fn a_directive_made_redundant_by_another_still_counts_as_used() {
        let rules = builtin();
        let vocabulary = rules.index("ai-vocabulary").expect("a rule");
        let text = "telltale-disable-file ai-vocabulary\n\
                    telltale-disable-next-line ai-vocabulary\nWe delve.\n";
        let s = Suppressions::of(&Document::plain(text), &rules);
        assert!(s.covers(vocabulary, text.find("delve").expect("there"), 3));
        assert!(unused_names(&s, &rules, &[]).is_empty());
    }

    #[test]
    fn a_disable_inside_an_open_region_of_its_rule_suppresses_nothing() {
        let rules = builtin();
        let vocabulary = rules.index("ai-vocabulary").expect("a rule");
        // the region belongs to the first; the second opens nothing
        let text = "telltale-disable ai-vocabulary\ntelltale-disable ai-vocabulary\n\
                    We delve.\ntelltale-enable\n";
        let s = Suppressions::of(&Document::plain(text), &rules);
        assert!(s.covers(vocabulary, text.find("delve").expect("there"), 3));
        let unused = s.unused(|_| true, rules.len());
        assert_eq!(unused.len(), 1);
        assert_eq!(
            unused[0].span.start,
            text.find("\ntelltale-disable").expect("there") + 1
        );
    }

    #[test]
    fn an_enable_is_unused_when_it_ends_no_region_that_suppressed_anything() {
        let rules = builtin();
        let vocabulary = rules.index("ai-vocabulary").expect("a rule");
        let text = "telltale-enable\ntelltale-enable no-such-rule\n\
                    telltale-disable ai-vocabulary\nPlain.\ntelltale-enable ai-vocabulary\n\
                    telltale-disable ai-vocabulary\nWe delve.\ntelltale-enable\n\
                    telltale-disable ai-vocabulary\ntelltale-disable chatbot\nWe delve.\n\
                    telltale-enable\n";
        let s = Suppressions::of(&Document::plain(text), &rules);
        let delve = |n: usize| text.match_indices("delve").nth(n).expect("there").0;
        assert!(s.covers(vocabulary, delve(0), 7));
        assert!(s.covers(vocabulary, delve(1), 11));
        let unused: Vec<(usize, DirectiveKind)> = s
            .unused(|_| true, rules.len())
            .into_iter()
            .map(|u| (text[..u.span.start].lines().count() + 1, u.kind))
            .collect();
        // line 1 ends nothing (line 2 names only an unknown rule, which
        // unknown-suppression reports); line 5 ends only line 3's unused
        // region; line 12 ends line 9's used region and line 10's unused one
        assert_eq!(
            unused,
            [
                (1, DirectiveKind::Enable),
                (3, DirectiveKind::Disable),
                (5, DirectiveKind::Enable),
                (10, DirectiveKind::Disable),
            ]
        );
    }
}
