//! Checking one very large file a section at a time (`source::sections`):
//! each section is extracted, checked and scored on its own, on several
//! threads, and only its findings are kept. Memory then holds the file's
//! text, its findings and the tables of the sections being checked, where
//! checking it whole would hold tables for every word of it, and a single
//! large file no longer runs on one core.
//!
//! What changes against checking the file whole, and why it is acceptable
//! for files this large: rules that measure a whole document (density,
//! rhythm, repetition) measure each section, and the file's score is the
//! mean of its sections' scores weighted by their words. A directive in
//! one section may govern lines in another, so a file's directives are
//! read from all its sections first and applied to each section's
//! findings as to the whole file's.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::engine::{self, Checked, Finding, Selection};
use crate::rules::RuleSet;
use crate::score::Scored;
use crate::source::{self, SourceFile};
use crate::suppress::Suppressions;
use crate::text::{Directive, Document, LineIndex, Markup, directive};

use super::{CheckedDoc, Plan};

/// When and how the pipeline cuts a file into sections.
#[derive(Clone, Copy, Debug)]
pub struct Sectioning {
    /// Files longer than this many bytes are cut into sections of about
    /// this size.
    pub bytes: usize,
    /// Threads that check one file's sections.
    pub threads: usize,
}

impl Sectioning {
    /// Sections of the default size, checked on `threads` threads.
    pub fn on_threads(threads: usize) -> Sectioning {
        Sectioning {
            bytes: DEFAULT_SECTION_BYTES,
            threads,
        }
    }

    /// The sectioning of a run over `inputs` files on `threads` threads:
    /// a lone file's sections use every thread; in a run of several, each
    /// file's are checked on the thread that took the file, since the run
    /// is parallel already and a file's own threads nested inside it held
    /// twice the documents at once.
    pub fn for_run(inputs: usize, threads: usize) -> Sectioning {
        Sectioning::on_threads(if inputs > 1 { 1 } else { threads })
    }
}

/// Files above this size are checked in sections by default: far larger
/// than any single article, chapter or digest, so every ordinary document
/// is checked whole, yet small enough that a section's tables (several
/// times its size) stay a small part of the memory budget and mostly in
/// the processor's cache: 1 MiB sections checked a 104 MB file with ~10%
/// less time than 4 MiB ones, and the last sections balance better
/// across threads.
pub const DEFAULT_SECTION_BYTES: usize = 1 << 20;

/// A file with inline directives is checked in sections only when it is
/// longer than this many sections: its sections with directives are
/// built twice (once for the directives, once to be checked), about a
/// fifth more instructions on tell-dense prose, which pays only where
/// the whole file's tables would outgrow the memory bound (a file checked
/// whole peaks at about eight times its size, 36 MB for 1 MB).
const DIRECTED_SECTIONS: usize = 4;

/// What one section left behind once its tables were dropped.
struct SectionResult {
    /// Where the section starts in the file.
    base: usize,
    checked: Checked,
    words: usize,
    score: Option<Scored>,
    /// The section's own line index, to build the file's from; `None`
    /// when the file's was built with its directives.
    lines: Option<LineIndex>,
    /// The 0-based line the section starts on, when `lines` is `None`.
    first_line: usize,
}

/// The file's results so far: the sections' results joined in file order
/// as they finish. Joining runs on the checking threads while later
/// sections are still being checked, instead of on one thread after the
/// last of them, and the file's line index is built from the sections'
/// instead of by another pass over the whole text.
struct Joined {
    /// The first section not yet joined.
    next: usize,
    /// Finished sections waiting for an earlier one, by section.
    waiting: Vec<Option<SectionResult>>,
    findings: Vec<Finding>,
    warnings: Vec<String>,
    words: usize,
    scores: Vec<Scored>,
    /// The line index of the sections joined so far.
    lines: Option<LineIndex>,
    /// The joined findings of each severity.
    severities: [usize; 3],
}

impl Joined {
    fn new() -> Joined {
        Joined {
            next: 0,
            waiting: Vec::new(),
            findings: Vec::new(),
            warnings: Vec::new(),
            words: 0,
            scores: Vec::new(),
            lines: None,
            severities: [0; 3],
        }
    }

    /// Takes section `i`'s result, and joins every section that is now
    /// next in file order.
    fn add(&mut self, i: usize, result: SectionResult) {
        if self.waiting.len() <= i {
            self.waiting.resize_with(i + 1, || None);
        }
        self.waiting[i] = Some(result);
        while let Some(mut r) = self.waiting.get_mut(self.next).and_then(Option::take) {
            let base = r.base;
            // 0-based line the section starts on
            let first_line = match (r.lines.take(), &mut self.lines) {
                (None, _) => r.first_line,
                (Some(own), None) => {
                    self.lines = Some(own);
                    0
                }
                (Some(own), Some(lines)) => {
                    let first_line = lines.len() - 1;
                    lines.append(&own, base);
                    first_line
                }
            };
            for f in &mut r.checked.findings {
                place(f, base, first_line);
                self.severities[f.severity as usize] += 1;
            }
            if self.findings.is_empty() {
                self.findings = r.checked.findings;
            } else {
                self.findings.extend(r.checked.findings);
            }
            for w in r.checked.warnings {
                if !self.warnings.contains(&w) {
                    self.warnings.push(w);
                }
            }
            self.words += r.words;
            self.scores.extend(r.score);
            self.next += 1;
        }
    }
}

/// The sections handed out so far, and the cuts still to find.
struct Claims<'t> {
    /// How many sections were handed out.
    taken: usize,
    /// Sections found before any thread started, the next one last.
    ready: Vec<Range<usize>>,
    /// The cuts still to find, if any.
    cuts: Option<source::sections::Cuts<'t>>,
}

/// What the inline directives of a whole file turn off: a directive in one
/// section may govern lines in another (`telltale-disable` … `enable`,
/// `telltale-disable-file`), so they are read from every section before
/// any is checked, and each section's findings are held against them
/// before the section is scored, as checking the file whole would.
struct Directed {
    /// The file's line index, for the lines directives name.
    lines: LineIndex,
    suppressed: Suppressions,
}

impl Directed {
    /// Reads the directives of `text`'s sections `ranges` on `threads`
    /// threads.
    fn read(
        text: &str,
        markup: Markup,
        ranges: &[Range<usize>],
        rules: &RuleSet,
        threads: usize,
    ) -> Directed {
        let next = AtomicUsize::new(0);
        let found: Vec<Mutex<Vec<Directive>>> = ranges.iter().map(|_| Mutex::default()).collect();
        let work = || {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(range) = ranges.get(k) else { break };
                let section = &text[range.clone()];
                // most sections of most files hold no directive
                if memchr::memmem::find(section.as_bytes(), directive::PREFIX.as_bytes()).is_none()
                {
                    continue;
                }
                let directives = source::section_directives(section, markup)
                    .into_iter()
                    .map(|d| d.shifted(range.start))
                    .collect();
                *found[k].lock().unwrap_or_else(|e| e.into_inner()) = directives;
            }
        };
        std::thread::scope(|scope| {
            for _ in 1..threads.clamp(1, ranges.len()) {
                scope.spawn(work);
            }
            work();
        });
        let directives: Vec<Directive> = found
            .into_iter()
            .flat_map(|d| d.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect();
        let lines = LineIndex::new(text);
        let suppressed = Suppressions::resolve(&directives, &lines, text.len(), rules);
        Directed { lines, suppressed }
    }
}

/// Checks `file` in sections if the plan allows it and the file is large
/// enough; gives the file back when it is to be checked whole.
pub(super) fn check(
    file: SourceFile,
    plan: &Plan<'_>,
    selection: &Selection,
) -> Result<CheckedDoc, SourceFile> {
    let Some(sectioned) = check_text(
        &file.text,
        file.markup,
        file.directive_prefix,
        plan,
        selection,
    ) else {
        return Err(file);
    };
    Ok(CheckedDoc {
        name: file.name,
        doc: Document::outline_with_lines(file.text, file.markup, sectioned.words, sectioned.lines),
        checked: sectioned.checked,
        notices: file.notices,
        score: sectioned.score,
        paragraphs: Vec::new(),
        severities: Some(sectioned.severities),
    })
}

/// What checking a text in sections found, without the text.
pub(super) struct Sectioned {
    pub(super) checked: Checked,
    pub(super) words: usize,
    pub(super) score: Option<Scored>,
    pub(super) lines: LineIndex,
    pub(super) severities: [usize; 3],
}

/// [`check`] of a borrowed text; `None` when it is to be checked whole.
/// `directive_prefix` is whether the text holds the directive prefix, when
/// already known.
pub(super) fn check_text(
    text: &str,
    markup: Markup,
    directive_prefix: Option<bool>,
    plan: &Plan<'_>,
    selection: &Selection,
) -> Option<Sectioned> {
    let sectioning = plan.sections?;
    if plan.score.is_some_and(|p| p.explain || p.paragraphs) {
        return None;
    }
    if text.len() <= sectioning.bytes {
        return None;
    }
    // a large file read in parts was searched as it was read
    let directed = selection.inline()
        && directive_prefix.unwrap_or_else(|| {
            memchr::memmem::find(text.as_bytes(), directive::PREFIX.as_bytes()).is_some()
        });
    if directed && text.len() <= DIRECTED_SECTIONS * sectioning.bytes {
        return None;
    }
    let mut cuts = source::sections::Cuts::new(text, markup, sectioning.bytes);
    let first = cuts.next().unwrap_or_default();
    if first.end == text.len() {
        // no safe cut: one section
        return None;
    }
    // Sections are claimed in file order, each cut looked for when a
    // thread asks for the next section, so checking starts at once
    // instead of after a pass over the whole file. A file with directives
    // is cut first, since its directives are read before any section is
    // checked.
    let (ready, cuts, directed) = if directed {
        let ranges: Vec<Range<usize>> = std::iter::once(first).chain(cuts).collect();
        let directed = Directed::read(text, markup, &ranges, plan.rules, sectioning.threads);
        (ranges.into_iter().rev().collect(), None, Some(directed))
    } else {
        (vec![first], Some(cuts), None)
    };
    let claims = Mutex::new(Claims {
        taken: 0,
        ready,
        cuts,
    });
    let claim = || {
        let mut c = claims.lock().unwrap_or_else(|e| e.into_inner());
        let range = match c.ready.pop() {
            Some(range) => range,
            None => c.cuts.as_mut()?.next()?,
        };
        c.taken += 1;
        Some((c.taken - 1, range))
    };
    let joined = Mutex::new(Joined::new());
    let work = || {
        while let Some((i, range)) = claim() {
            let doc = source::section_document(text[range.clone()].to_string(), markup);
            let mut checked = engine::check_unsuppressed(&doc, plan.rules, selection);
            // a file with directives has its line index already
            let (lines, first_line) = match &directed {
                Some(d) => (None, d.lines.line_of(range.start)),
                None => (Some(doc.lines().clone()), 0),
            };
            if let Some(d) = &directed {
                engine::suppress_at(
                    &mut checked.findings,
                    &d.suppressed,
                    plan.rules,
                    range.start,
                    first_line,
                );
            }
            let score = plan.score.map(|p| p.scorer.score(&doc, &checked.findings));
            let result = SectionResult {
                base: range.start,
                checked,
                words: doc.word_count(),
                score,
                lines,
                first_line,
            };
            drop(doc);
            joined
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .add(i, result);
        }
    };
    let threads = sectioning
        .threads
        .clamp(1, text.len().div_ceil(sectioning.bytes));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    // every section was claimed and joined, or a worker panicked and the
    // scope passed the panic on before this point
    let mut joined = joined.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(d) = &directed {
        // judged once every section's findings were held against them
        let unused =
            engine::unused_suppressions(&d.suppressed, plan.rules, selection, text, |at| {
                d.lines.line_col(text, at)
            });
        for f in &unused {
            joined.severities[f.severity as usize] += 1;
        }
        engine::add_findings(&mut joined.findings, unused);
    }
    let lines = match directed {
        Some(d) => d.lines,
        None => joined.lines.expect("a section was not checked"),
    };
    let taken = claims.into_inner().unwrap_or_else(|e| e.into_inner()).taken;
    assert_eq!(joined.next, taken, "a section was not checked");
    debug_assert_eq!(lines, LineIndex::new(text));
    let score = (!joined.scores.is_empty()).then(|| weighted_score(&joined.scores));
    Some(Sectioned {
        checked: Checked {
            findings: joined.findings,
            warnings: joined.warnings,
        },
        words: joined.words,
        score,
        lines,
        severities: joined.severities,
    })
}

/// Moves a finding of a section starting at byte `base`, line `first_line`
/// (0-based), to its place in the whole file. Sections start at the start
/// of a line, so columns stay as they are.
fn place(f: &mut Finding, base: usize, first_line: usize) {
    f.span = f.span.start + base..f.span.end + base;
    f.start.line += first_line;
    f.end.line += first_line;
}

/// The sections' scores combined: each weighs as much as its words.
fn weighted_score(scores: &[Scored]) -> Scored {
    let words: usize = scores.iter().map(|s| s.words).sum();
    let weight = |s: &Scored| {
        if words == 0 {
            1.0 / scores.len() as f64
        } else {
            s.words as f64 / words as f64
        }
    };
    Scored {
        score: scores.iter().map(|s| weight(s) * s.score).sum(),
        words,
        low_confidence: scores.iter().all(|s| s.low_confidence),
        baseline: scores.iter().map(|s| weight(s) * s.baseline).sum(),
        contributions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RuleKind, RuleSet};
    use crate::score::{Scorer, model::Model};
    use crate::source::Input;
    use crate::text::Markup;

    /// A Markdown file of `n` varied paragraphs with tells, a fenced block
    /// with a blank line in it, headings and a list.
    fn long_markdown(n: usize) -> String {
        let mut text = String::from("---\ntitle: test\n---\n\n");
        for i in 0..n {
            match i % 5 {
                0 => text.push_str(&format!("## Part {i}\n\n")),
                1 => text.push_str("```text\nlet us delve\n\ninto code\n```\n\n"),
                2 => text.push_str("- first item\n- It's not just a tool — it's a revolution.\n\n"),
                _ => {}
            }
            text.push_str(&format!(
                "Paragraph {i} is plain. In today's fast-paced world, we delve into the rich \
                 tapestry of ideas. Experts say it matters.\nIt spans two lines here.\n\n"
            ));
        }
        text
    }

    fn run(text: &str, markup: Markup, sections: Option<Sectioning>) -> CheckedDoc {
        let dir = tempfile::tempdir().expect("temp dir");
        let name = match markup {
            Markup::Markdown => "doc.md",
            _ => "doc.txt",
        };
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let rules = RuleSet::builtin().expect("rules");
        let model = Model::builtin().expect("model");
        let scorer = Scorer::new(&model, &rules);
        let select = |_: &Input| Selection::all(&rules);
        let plan = Plan {
            rules: &rules,
            selection: &select,
            markup: None,
            score: Some(super::super::ScorePlan {
                scorer: &scorer,
                explain: false,
                paragraphs: false,
            }),
            sections,
            outline: false,
        };
        match super::super::process(&Input::Path(path), &plan) {
            super::super::Outcome::Checked(c) => *c,
            other => panic!("{other:?}"),
        }
    }

    /// Findings of the rules that look at a sentence or phrase, with their
    /// place: these must not depend on how the file was cut.
    fn local_findings(c: &CheckedDoc) -> Vec<(usize, std::ops::Range<usize>, usize, usize)> {
        let rules = RuleSet::builtin().expect("rules");
        c.checked
            .findings
            .iter()
            .filter(|f| rules.rules()[f.rule].kind != RuleKind::Metric)
            .map(|f| (f.rule, f.span.clone(), f.start.line, f.start.column))
            .collect()
    }

    /// `check --fix` checks a large file in sections (`check_file`), and
    /// the text each pass of fixes leaves in sections too, for the rules
    /// that offer fixes only (`findings`): the fixed text is the one
    /// checking whole with every rule gives, including fixes that only the
    /// second pass finds (an opener that starts a paragraph once a token
    /// before it is deleted).
    #[test]
    fn fixing_in_sections_gives_the_text_fixing_whole_gives() {
        let mut text = long_markdown(30);
        for i in 0..30 {
            text.push_str(&format!(
                "Output doubled [oaicite:{i}] in year {i}. turn0search{i}\n\n\
                 [oaicite:{i}] Certainly! Here is part {i} of the plan.\n\n"
            ));
        }
        let rules = RuleSet::builtin().expect("rules");
        let select = |_: &Input| Selection::all(&rules);
        let selection = Selection::all(&rules);
        let fixable = selection.fixable_only(&rules);
        let fixed = |sections: Option<Sectioning>, recheck: &Selection| {
            let plan = Plan {
                rules: &rules,
                selection: &select,
                markup: None,
                score: None,
                sections,
                outline: true,
            };
            let check = |text: &str| {
                let file = SourceFile {
                    name: "doc.md".to_string(),
                    markup: Markup::Markdown,
                    text: text.to_string(),
                    notices: Vec::new(),
                    directive_prefix: None,
                };
                super::super::check_file(file, &plan, &selection)
            };
            let first = check(&text);
            assert_eq!(
                first.severities.is_some(),
                sections.is_some(),
                "checked in sections only when asked"
            );
            crate::fix::fix(&text, &first.checked.findings, |t| {
                super::super::findings(t, Markup::Markdown, &plan, recheck)
            })
        };
        let whole = fixed(None, &selection);
        let cut = fixed(
            Some(Sectioning {
                bytes: 700,
                threads: 3,
            }),
            &fixable,
        );
        assert!(whole.applied > 90, "{} fixes", whole.applied);
        assert!(whole.settled && cut.settled);
        assert!(!whole.text.contains("oaicite") && !whole.text.contains("Certainly!"));
        assert_eq!(cut.applied, whole.applied);
        assert_eq!(cut.text, whole.text);
        assert_eq!(cut.changes, whole.changes);
    }

    #[test]
    fn sections_find_what_the_whole_file_finds_in_the_same_places() {
        for markup in [Markup::Markdown, Markup::Plain] {
            let text = long_markdown(40);
            let whole = run(&text, markup, None);
            let cut = Sectioning {
                bytes: 700,
                threads: 3,
            };
            assert!(source::sections::split(&text, markup, cut.bytes).len() > 5);
            let sectioned = run(&text, markup, Some(cut));
            assert!(!local_findings(&whole).is_empty());
            assert_eq!(
                local_findings(&sectioned),
                local_findings(&whole),
                "{markup:?}"
            );
            assert_eq!(sectioned.doc.word_count(), whole.doc.word_count());
            let mut counted = [0; 3];
            for f in &sectioned.checked.findings {
                counted[f.severity as usize] += 1;
            }
            assert!(counted.iter().sum::<usize>() > 0);
            assert_eq!(sectioned.severities, Some(counted));
            assert_eq!(whole.severities, None);
            assert_eq!(sectioned.doc.source(), text);
            assert_eq!(sectioned.doc.lines(), &crate::text::LineIndex::new(&text));
            // each finding's line and column still point at its text
            for f in &sectioned.checked.findings {
                let at = sectioned.doc.line_col(f.span.start);
                assert_eq!((at.line, at.column), (f.start.line, f.start.column));
            }
            let (s, w) = (sectioned.score.expect("score"), whole.score.expect("score"));
            assert_eq!(s.words, w.words);
            assert!((0.0..=100.0).contains(&s.score));
        }
    }

    #[test]
    fn small_files_and_small_files_with_directives_are_checked_whole() {
        let cut = Some(Sectioning {
            bytes: 700,
            threads: 2,
        });
        let short = "We delve into the rich tapestry.\n";
        assert!(!run(short, Markup::Markdown, cut).doc.words().is_empty());
        // a few sections' worth, with a directive: checked whole
        let mut directed = long_markdown(10);
        directed.push_str("<!-- telltale-disable-file -->\n");
        assert!(directed.len() > 700 && directed.len() <= DIRECTED_SECTIONS * 700);
        let c = run(&directed, Markup::Markdown, cut);
        assert!(c.checked.findings.is_empty(), "the directive held");
        assert!(!c.doc.words().is_empty(), "checked whole");
    }

    #[test]
    fn directives_hold_across_sections_as_in_the_whole_file() {
        for markup in [Markup::Markdown, Markup::Plain] {
            let directive = |d: &str| match markup {
                Markup::Plain => format!("{d}\n\n"),
                _ => format!("<!-- {d} -->\n\n"),
            };
            // a region open over several sections, a line, an unknown
            // name, and a file-wide directive at the end that governs the
            // first sections
            let mut text = String::new();
            for (i, part) in long_markdown(60).split_inclusive("\n\n").enumerate() {
                match i {
                    10 => text.push_str(&directive("telltale-disable ai-vocabulary")),
                    50 => text.push_str(&directive("telltale-enable ai-vocabulary")),
                    60 => text.push_str(match markup {
                        Markup::Plain => "telltale-disable-next-line\n",
                        _ => "<!-- telltale-disable-next-line -->\n",
                    }),
                    70 => text.push_str(&directive("telltale-disable vague-atribution")),
                    _ => {}
                }
                text.push_str(part);
            }
            text.push_str(&directive("telltale-disable-file negative-parallelism"));
            let cut = Sectioning {
                bytes: 700,
                threads: 3,
            };
            assert!(source::sections::split(&text, markup, cut.bytes).len() > 10);
            let whole = run(&text, markup, None);
            let sectioned = run(&text, markup, Some(cut));
            assert!(sectioned.doc.words().is_empty(), "checked in sections");
            assert_eq!(
                local_findings(&sectioned),
                local_findings(&whole),
                "{markup:?}"
            );
            let rules = RuleSet::builtin().expect("rules");
            let of = |id: &str| {
                let rule = rules.index(id).expect("a rule");
                let starts: Vec<usize> = sectioned
                    .checked
                    .findings
                    .iter()
                    .filter(|f| f.rule == rule)
                    .map(|f| f.span.start)
                    .collect();
                starts
            };
            let at = |d: &str| text.find(d).expect("in the text");
            let (off, on) = (at("disable ai-vocabulary"), at("enable ai-vocabulary"));
            let vocabulary = of("ai-vocabulary");
            assert!(vocabulary.iter().any(|&s| s < off) && vocabulary.iter().any(|&s| s > on));
            assert!(
                !vocabulary.iter().any(|&s| off < s && s < on),
                "the region held"
            );
            assert!(of("negative-parallelism").is_empty());
            assert_eq!(of("unknown-suppression").len(), 1);
            // judged on every section's findings: the next-line directive
            // stands before a line without a tell; the others suppressed
            // findings in sections other than their own
            let unused = of("unused-suppression");
            assert_eq!(unused.len(), 1, "{markup:?}");
            let at = &text[unused[0]..];
            assert!(
                at.starts_with("<!-- telltale-disable-next-line -->\n")
                    || at.starts_with("telltale-disable-next-line\n"),
                "{markup:?}"
            );
        }
    }
}
