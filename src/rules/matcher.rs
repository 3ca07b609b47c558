//! Compiled pattern matchers: one Aho-Corasick automaton over every phrase
//! and every regex anchor, so a document is scanned once; a rule's regex
//! runs only on the sentences (or blocks) where one of its anchors occurs.

use super::regex::Alphabet;
use super::{Hit, Scope};
use crate::text::{Document, Span};

/// Backtracking steps a `fancy` pattern may take on one sentence.
pub const FANCY_BACKTRACK_LIMIT: usize = 100_000;

/// How one rule matches, before compilation into the shared automaton.
pub(super) struct PatternSpec {
    pub rule: usize,
    pub kind: PatternSpecKind,
    /// What every match contains: for one of the alternatives, a literal
    /// of each of its sets; `None` runs everywhere.
    pub anchors: Option<Vec<super::anchors::Conjunction>>,
    /// A match overlapping a match of this regex is dropped.
    pub unless: Option<super::regex::LazyRegex>,
    pub scope: Scope,
}

pub(super) enum PatternSpecKind {
    Phrases(Vec<String>),
    Regex(super::regex::LazyRegex),
    Fancy(Box<super::fancy::FancyPattern>),
}

/// A problem that made a rule skip part of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanWarning {
    /// Index of the rule.
    pub rule: usize,
    /// What happened.
    pub message: String,
}

/// What an automaton pattern stands for.
#[derive(Clone, Copy)]
enum Entry {
    /// A phrase of rule `spec`: a hit is a finding once its ends are word boundaries.
    Phrase {
        spec: usize,
        word_start: bool,
        word_end: bool,
    },
    /// A literal of the regex of rule `spec`: bit `alt * MAX_SETS + set` of
    /// `sets` is on for each literal set of each alternative it belongs to;
    /// `sentence` says whether the regex runs on sentences (else blocks).
    Anchor {
        spec: usize,
        sets: u64,
        sentence: bool,
    },
}

/// A regex anchor as a match key of the automaton stands for it (see
/// [`Matchers::anchors`]).
#[derive(Clone, Copy)]
struct KeyedAnchor {
    /// The set bits of the anchor's spec, as in [`Entry::Anchor`].
    sets: u64,
    spec: u32,
    /// The length of the literal.
    len: u32,
    /// Whether the regex runs on sentences (else blocks).
    sentence: bool,
}

/// A phrase as a match key of the automaton stands for it (see
/// [`Matchers::phrases`]).
#[derive(Clone, Copy)]
struct KeyedPhrase {
    spec: u32,
    /// The length of the literal.
    len: u32,
    word_start: bool,
    word_end: bool,
}

/// Where each distinct literal is in the automaton's list. Hashed with
/// `foldhash` rather than the standard SipHash: some two thousand
/// literals are looked up at every start-up, and none comes from an
/// adversary who could aim at collisions (packs are the user's own).
type LiteralIndex<'a> = std::collections::HashMap<&'a str, usize, foldhash::fast::FixedState>;

/// Records that `literal` stands for `entry`, adding the literal if new.
fn add_entry<'a>(
    literals: &mut Vec<&'a str>,
    index: &mut LiteralIndex<'a>,
    per_literal: &mut Vec<Vec<Entry>>,
    literal: &'a str,
    entry: Entry,
) {
    let l = *index.entry(literal).or_insert_with(|| {
        literals.push(literal);
        per_literal.push(Vec::new());
        literals.len() - 1
    });
    let entries = &mut per_literal[l];
    match (entry, entries.last_mut()) {
        // another set or alternative of the same spec: one entry, more bits
        (
            Entry::Anchor { spec, sets, .. },
            Some(Entry::Anchor {
                spec: last,
                sets: all,
                ..
            }),
        ) if spec == *last => {
            *all |= sets;
        }
        _ => entries.push(entry),
    }
}

/// Whether every set of every alternative has a bit in a `u64` mask.
fn fits_mask(conjunctions: &[super::anchors::Conjunction]) -> bool {
    conjunctions.len() * super::anchors::MAX_SETS <= 64
        && conjunctions
            .iter()
            .all(|sets| sets.len() <= super::anchors::MAX_SETS)
}

/// The bit of literal set `set` of alternative `alt` in an anchor mask.
fn set_bit(alt: usize, set: usize) -> u64 {
    1 << (alt * super::anchors::MAX_SETS + set)
}

/// Every pattern rule, compiled for one-pass scanning.
pub struct Matchers {
    specs: Vec<PatternSpec>,
    automaton: Option<super::literals::Literals>,
    /// What each match key of the automaton (see
    /// `Literals::keyed_literals`) stands for: with `[a, a2, p, p2] =
    /// keys[k]`, the anchors of key `k` are `anchors[a..a2]` and its
    /// phrases `phrases[p..p2]`, those of each of
    /// its literals in turn. A literal shared by several rules or
    /// alternatives is scanned for once; one table lookup a match gives
    /// every literal ending there and what it stands for. Anchors and
    /// phrases apart, the loop over the automaton's matches handles the
    /// anchors (most matches) alone and sets the few phrase matches aside.
    anchors: Vec<KeyedAnchor>,
    phrases: Vec<KeyedPhrase>,
    keys: Vec<[u32; 4]>,
    /// For each spec, when the regex runs on a unit: once all the set bits
    /// of one alternative were seen there (see [`Satisfied`]).
    satisfied: Vec<Satisfied>,
    /// Regex rules with no anchor: they run on every sentence or block.
    unanchored: Vec<usize>,
    /// Regex rules over the raw source: they run once per document.
    raw: Vec<usize>,
    /// The literals of the first anchor set of each alternative of the
    /// `raw` rules whose every alternative needs one ([`screened`]), and
    /// the screen that finds any of
    /// them, built on first use: a file with none of them skips those
    /// rules after one pass over its source instead of one (or several
    /// literal searches) per rule.
    raw_literals: Vec<String>,
    raw_screen: std::sync::OnceLock<Option<super::screen::LiteralScreen>>,
    /// The automaton's literals, by pattern id (for tests of the automaton).
    #[cfg(test)]
    literals: Vec<String>,
}

impl Matchers {
    /// The automaton's literals, by pattern id.
    #[cfg(test)]
    pub(super) fn literals(&self) -> &[String] {
        &self.literals
    }

    /// Indices of the rules whose regex has no anchor and so runs on every
    /// sentence or block.
    pub fn unanchored_rules(&self) -> Vec<usize> {
        self.unanchored
            .iter()
            .map(|&s| self.specs[s].rule)
            .collect()
    }

    pub(super) fn compile(specs: Vec<PatternSpec>) -> Matchers {
        // distinct literals in first-seen order, each with its entries
        let mut literals: Vec<&str> = Vec::new();
        let mut index = LiteralIndex::default();
        let mut per_literal: Vec<Vec<Entry>> = Vec::new();
        let mut unanchored = Vec::new();
        let mut raw = Vec::new();
        let mut alternatives = vec![Vec::new(); specs.len()];
        for (i, spec) in specs.iter().enumerate() {
            if spec.scope == Scope::Source {
                raw.push(i);
                continue;
            }
            let mut push = |literal, entry| {
                add_entry(&mut literals, &mut index, &mut per_literal, literal, entry);
            };
            match (&spec.kind, &spec.anchors) {
                (PatternSpecKind::Phrases(phrases), _) => {
                    for p in phrases {
                        push(
                            p,
                            Entry::Phrase {
                                spec: i,
                                word_start: p.chars().next().is_some_and(char::is_alphanumeric),
                                word_end: p.chars().next_back().is_some_and(char::is_alphanumeric),
                            },
                        );
                    }
                }
                (_, Some(conjunctions)) if fits_mask(conjunctions) => {
                    for (alt, sets) in conjunctions.iter().enumerate() {
                        let mut all = 0;
                        for (set, lits) in sets.iter().enumerate() {
                            all |= set_bit(alt, set);
                            for l in lits {
                                push(
                                    l,
                                    Entry::Anchor {
                                        spec: i,
                                        sets: set_bit(alt, set),
                                        sentence: spec.scope == Scope::Sentence,
                                    },
                                );
                            }
                        }
                        alternatives[i].push(all);
                    }
                }
                (_, _) => unanchored.push(i),
            }
        }
        let automaton = (!literals.is_empty()).then(|| super::literals::Literals::new(&literals));
        let satisfied = alternatives.iter().map(|m| Satisfied::new(m)).collect();
        let keyed = automaton
            .as_ref()
            .map(super::literals::Literals::keyed_literals)
            .unwrap_or_default();
        let mut keys = Vec::with_capacity(keyed.len());
        let (mut anchors, mut phrases) = (Vec::new(), Vec::new());
        for literals_of_key in keyed {
            let (a, p) = (anchors.len() as u32, phrases.len() as u32);
            for l in literals_of_key {
                let len = literals[l as usize].len() as u32;
                for &entry in &per_literal[l as usize] {
                    match entry {
                        Entry::Anchor {
                            spec,
                            sets,
                            sentence,
                        } => anchors.push(KeyedAnchor {
                            sets,
                            spec: spec as u32,
                            len,
                            sentence,
                        }),
                        Entry::Phrase {
                            spec,
                            word_start,
                            word_end,
                        } => phrases.push(KeyedPhrase {
                            spec: spec as u32,
                            len,
                            word_start,
                            word_end,
                        }),
                    }
                }
            }
            keys.push([a, anchors.len() as u32, p, phrases.len() as u32]);
        }
        let mut raw_literals: Vec<String> = Vec::new();
        for &spec in &raw {
            if let Some(conjunctions) = specs[spec].anchors.as_ref().filter(|c| screened(c)) {
                // one set of each alternative is enough: an alternative
                // with none of that set's literals is not satisfied; the
                // first is the most selective
                let firsts = conjunctions.iter().filter_map(|sets| sets.first());
                raw_literals.extend(firsts.flatten().cloned());
            }
        }
        raw_literals.sort();
        raw_literals.dedup();
        Matchers {
            #[cfg(test)]
            literals: literals.iter().map(|l| l.to_string()).collect(),
            raw_literals,
            raw_screen: std::sync::OnceLock::new(),
            specs,
            automaton,
            anchors,
            phrases,
            keys,
            satisfied,
            unanchored,
            raw,
        }
    }

    fn run_raw(
        &self,
        spec_index: usize,
        doc: &Document,
        out: &mut Vec<Hit>,
        warnings: &mut Vec<ScanWarning>,
    ) {
        let spec = &self.specs[spec_index];
        let text = doc.source();
        if let Some(conjunctions) = &spec.anchors
            && !conjunctions.iter().any(|sets| {
                sets.iter()
                    .all(|literals| literals.iter().any(|l| may_occur(text, l)))
            })
        {
            // no alternative has all its literals in the file: no match
            return;
        }
        let mut push = |s: usize, e: usize| {
            if e > s {
                out.push(Hit {
                    rule: spec.rule,
                    span: Span::new(s, e),
                    raw: true,
                    message: None,
                });
            }
        };
        match &spec.kind {
            PatternSpecKind::Regex(re) => match re.get() {
                Ok(re) => re
                    .find_iter(text.as_bytes())
                    .for_each(|m| push(m.start(), m.end())),
                Err(e) => warnings.push(uncompiled(spec.rule, e)),
            },
            PatternSpecKind::Fancy(f) if !f.may_match(text, Alphabet::Any) => {}
            PatternSpecKind::Fancy(f) => match f.regex() {
                Ok(re) => re
                    .find_iter(text)
                    .flatten()
                    .for_each(|m| push(m.start(), m.end())),
                Err(e) => warnings.push(uncompiled_fancy(spec.rule, e)),
            },
            PatternSpecKind::Phrases(_) => {}
        }
    }

    /// Whether `source` may hold one of `raw_literals`; true when the
    /// screen cannot be built (each rule then checks for itself).
    fn raw_literal_in(&self, source: &str) -> bool {
        let screen = self.raw_screen.get_or_init(|| {
            let literals: Vec<&str> = self.raw_literals.iter().map(String::as_str).collect();
            super::screen::LiteralScreen::new(&literals)
        });
        screen.as_ref().is_none_or(|s| s.may_hold(source))
    }

    /// Scans `doc` once and runs the regexes its anchors point to.
    pub fn scan(
        &self,
        doc: &Document,
        enabled: &[bool],
        out: &mut Vec<Hit>,
        warnings: &mut Vec<ScanWarning>,
    ) {
        // the buffers of this thread's last scan, emptied: a check scans
        // thousands of small documents, and each buffer would otherwise be
        // allocated and grown again for each
        let mut scratch = SCRATCH.take();
        let Scratch {
            on,
            seen,
            latest,
            lanes,
            phrase_keys,
            runs,
        } = &mut scratch;
        on.clear();
        on.extend(
            self.specs
                .iter()
                .map(|s| enabled.get(s.rule).copied().unwrap_or(false)),
        );
        let prose = doc.prose();
        // which compiled form of each regex serves this document's units
        let alphabet = document_alphabet(doc);
        // anchor sightings: (spec, unit, set bits)
        seen.clear();
        // per spec, 1 + the index in `seen` of its latest sighting: units
        // mostly come in text order, so a sighting in the same unit joins it
        latest.clear();
        latest.resize(self.specs.len(), 0);
        // the automaton's matches first, then the work for each: the scan
        // loop stays small, and the work below keeps its state in registers
        // instead of reloading it through a closure's captures on every hit
        if let Some(automaton) = &self.automaton {
            automaton.match_keys(prose.as_bytes(), lanes);
        }
        // the anchors of every match (most matches are anchors only); the
        // matches with phrases set aside for the loop after
        let in_order = self.sight_anchors(doc, lanes, on, seen, latest, phrase_keys);
        for &(key, end) in phrase_keys.iter() {
            let Some(&[_, _, p, p2]) = self.keys.get(key as usize) else {
                continue;
            };
            let end = end as usize;
            for phrase in self
                .phrases
                .get(p as usize..p2 as usize)
                .unwrap_or_default()
            {
                let spec = phrase.spec as usize;
                let start = end - phrase.len as usize;
                if !on[spec]
                    || (phrase.word_start && !boundary_before(prose, start))
                    || (phrase.word_end && !boundary_after(prose, end))
                {
                    continue;
                }
                let span = Span::new(start, end);
                if !self.excluded(spec, doc, span, alphabet) {
                    out.push(Hit {
                        rule: self.specs[spec].rule,
                        span,
                        raw: false,
                        message: None,
                    });
                }
            }
        }
        // the (spec, unit) pairs where one alternative has all its sets,
        // in that order
        let satisfied = |spec: u32, sets: u64| self.satisfied[spec as usize].by(sets);
        runs.clear();
        if in_order {
            runs.extend(
                seen.iter()
                    .filter(|&&(spec, _, sets)| satisfied(spec, sets))
                    .map(|&(spec, unit, _)| (spec, unit)),
            );
            runs.sort_unstable();
        } else {
            seen.sort_unstable_by_key(|&(spec, unit, _)| (spec, unit));
            for group in seen.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
                let (spec, unit, _) = group[0];
                if satisfied(spec, group.iter().fold(0, |all, g| all | g.2)) {
                    runs.push((spec, unit));
                }
            }
        }
        for &(spec, unit) in runs.iter() {
            self.run(spec as usize, doc, unit as usize, alphabet, out, warnings);
        }
        // whether the source holds an anchor literal of a raw rule: asked
        // once, at the first screened rule that is on
        let mut any_raw_literal = None;
        for &spec in &self.raw {
            if !on[spec] {
                continue;
            }
            if let Some(conjunctions) = &self.specs[spec].anchors
                && screened(conjunctions)
                && !*any_raw_literal.get_or_insert_with(|| self.raw_literal_in(doc.source()))
            {
                continue;
            }
            self.run_raw(spec, doc, out, warnings);
        }
        for &spec in &self.unanchored {
            if !on[spec] {
                continue;
            }
            let units = match self.specs[spec].scope {
                Scope::Sentence => doc.sentences().len(),
                Scope::Paragraph => doc.blocks().len(),
                Scope::Source => 0,
            };
            for unit in 0..units {
                self.run(spec, doc, unit, alphabet, out, warnings);
            }
        }
        SCRATCH.set(scratch);
    }

    /// Records in `seen` the (spec, unit, set bits) of every anchor among
    /// the automaton's matches `lanes` in `doc` whose spec is `on`, one
    /// entry per (spec, unit) while each spec's units come in order, and
    /// sets aside in `phrase_keys` the matches whose keys stand for
    /// phrases. Returns whether each spec's sightings came in unit order,
    /// so that every (spec, unit) has exactly one entry in `seen`.
    ///
    /// A function of its own, not inlined into [`Matchers::scan`], so that
    /// this loop over most of the matches keeps its state in registers.
    #[inline(never)]
    fn sight_anchors(
        &self,
        doc: &Document,
        lanes: &[Vec<(u32, u32)>; super::literals::LANES],
        on: &[bool],
        seen: &mut Vec<(u32, u32, u64)>,
        latest: &mut [u32],
        phrase_keys: &mut Vec<(u32, u32)>,
    ) -> bool {
        phrase_keys.clear();
        let mut in_order = true;
        let (mut sentences, mut blocks) = (UnitCursor::default(), UnitCursor::default());
        for lane in lanes {
            for &(key, end) in lane {
                let Some(&[a, a2, p, p2]) = self.keys.get(key as usize) else {
                    continue;
                };
                if p2 > p {
                    phrase_keys.push((key, end));
                }
                let end = end as usize;
                for anchor in self
                    .anchors
                    .get(a as usize..a2 as usize)
                    .unwrap_or_default()
                {
                    let spec = anchor.spec as usize;
                    if !on.get(spec).copied().unwrap_or(false) {
                        continue;
                    }
                    let start = end - anchor.len as usize;
                    let unit = if anchor.sentence {
                        sentences.unit_at(doc.sentences(), |s| s.span, start)
                    } else {
                        blocks.unit_at(doc.blocks(), |b| b.span, start)
                    };
                    let (Some(unit), Some(latest)) = (unit, latest.get_mut(spec)) else {
                        continue;
                    };
                    let unit = unit as u32;
                    match (*latest as usize).checked_sub(1) {
                        Some(l) if seen[l].1 == unit => seen[l].2 |= anchor.sets,
                        last => {
                            if last.is_some_and(|l| seen[l].1 > unit) {
                                in_order = false;
                            }
                            seen.push((spec as u32, unit, anchor.sets));
                            *latest = seen.len() as u32;
                        }
                    }
                }
            }
        }
        in_order
    }

    /// Runs the regex of `spec` over one sentence or block of a document
    /// whose prose is of `alphabet`.
    fn run(
        &self,
        spec_index: usize,
        doc: &Document,
        unit: usize,
        alphabet: Alphabet,
        out: &mut Vec<Hit>,
        warnings: &mut Vec<ScanWarning>,
    ) {
        let spec = &self.specs[spec_index];
        let span = unit_span(doc, spec.scope, unit);
        let (base, text) = match &spec.kind {
            PatternSpecKind::Regex(re) => {
                searched(doc, spec.scope, span, || re.anchored_at_start())
            }
            PatternSpecKind::Fancy(f) => searched(doc, spec.scope, span, || f.anchored_at_start()),
            PatternSpecKind::Phrases(_) => (span.start as usize, doc.text(span)),
        };
        let alphabet = unit_alphabet(alphabet, text);
        let mut push = |s: usize, e: usize| {
            let hit = Span::new(base + s, base + e);
            if !self.excluded(spec_index, doc, hit, alphabet) {
                out.push(Hit {
                    rule: spec.rule,
                    span: hit,
                    raw: false,
                    message: None,
                });
            }
        };
        match &spec.kind {
            PatternSpecKind::Regex(re) => match re.get_for(alphabet) {
                Ok(re) => {
                    for m in re.find_iter(text) {
                        if !m.is_empty() {
                            push(m.start(), m.end());
                        }
                    }
                }
                Err(e) => warnings.push(uncompiled(spec.rule, e)),
            },
            // the screen proves there is no match: the backtracking
            // engine need not run
            PatternSpecKind::Fancy(f) if !f.may_match(text, alphabet) => {}
            PatternSpecKind::Fancy(f) => {
                let re = match f.regex() {
                    Ok(re) => re,
                    Err(e) => {
                        warnings.push(uncompiled_fancy(spec.rule, e));
                        return;
                    }
                };
                for m in re.find_iter(text) {
                    match m {
                        Ok(m) if !m.as_str().is_empty() => push(m.start(), m.end()),
                        Ok(_) => {}
                        Err(e) => {
                            warnings.push(ScanWarning {
                                rule: spec.rule,
                                message: format!("pattern gave up on a sentence ({e}); its matches there are skipped"),
                            });
                            break;
                        }
                    }
                }
            }
            PatternSpecKind::Phrases(_) => {}
        }
    }

    /// Whether the rule's `unless` pattern covers part of `hit`, in a
    /// document whose prose (or the hit's unit) is of `alphabet`.
    fn excluded(&self, spec: usize, doc: &Document, hit: Span, alphabet: Alphabet) -> bool {
        let Some(unless) = &self.specs[spec].unless else {
            return false;
        };
        let Some(unit) = unit_at(doc, self.specs[spec].scope, hit.start as usize) else {
            return false;
        };
        let span = unit_span(doc, self.specs[spec].scope, unit);
        let (base, text) = searched(doc, self.specs[spec].scope, span, || {
            unless.anchored_at_start()
        });
        // an `unless` that cannot compile (loading rules that out, see
        // LazyRegex) excludes nothing
        let Ok(unless) = unless.get_for(unit_alphabet(alphabet, text)) else {
            return false;
        };
        unless
            .find_iter(text)
            .any(|m| Span::new(base + m.start(), base + m.end()).overlaps(hit))
    }
}

/// Whether the anchor sets seen in a unit satisfy one alternative of a
/// spec, asked in one test instead of a loop over its alternatives:
/// alternative `a` owns bits `a * MAX_SETS ..` (see [`set_bit`]); the bits
/// of sets it does not have are taken as seen, and an alternative is
/// satisfied when all of its bits are.
#[derive(Clone, Copy)]
struct Satisfied {
    /// The bits of the sets the alternatives lack.
    missing: u64,
    /// The first bit of each alternative.
    firsts: u64,
}

impl Satisfied {
    /// From the mask of each alternative's sets.
    fn new(alternatives: &[u64]) -> Satisfied {
        let mut missing = 0;
        let mut firsts = 0;
        for (alt, &all) in alternatives.iter().enumerate() {
            let group = (0..super::anchors::MAX_SETS).fold(0, |g, set| g | set_bit(alt, set));
            missing |= group & !all;
            firsts |= set_bit(alt, 0);
        }
        Satisfied { missing, firsts }
    }

    /// Whether the sets seen, `sets`, satisfy an alternative.
    fn by(self, sets: u64) -> bool {
        const _: () = assert!(super::anchors::MAX_SETS == 3, "one shift per set below");
        let seen = sets | self.missing;
        seen & (seen >> 1) & (seen >> 2) & self.firsts != 0
    }
}

/// The working buffers of [`Matchers::scan`], kept per thread between
/// documents.
#[derive(Default)]
struct Scratch {
    /// Whether each spec's rule is enabled.
    on: Vec<bool>,
    /// Anchor sightings: (spec, unit, set bits).
    seen: Vec<(u32, u32, u64)>,
    /// Per spec, 1 + the index in `seen` of its latest sighting.
    latest: Vec<u32>,
    /// The automaton's matches: (key, end), see `Literals::match_keys`.
    lanes: [Vec<(u32, u32)>; super::literals::LANES],
    /// The matches among them whose keys stand for phrases.
    phrase_keys: Vec<(u32, u32)>,
    /// The (spec, unit) pairs whose regex runs.
    runs: Vec<(u32, u32)>,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// The warning for a rule whose regex failed to compile on first use.
fn uncompiled(rule: usize, e: &super::regex::RegexError) -> ScanWarning {
    ScanWarning {
        rule,
        message: format!("{e}; the rule is skipped"),
    }
}

/// The warning for a rule whose `fancy` pattern failed to compile on first
/// use.
fn uncompiled_fancy(rule: usize, e: &str) -> ScanWarning {
    ScanWarning {
        rule,
        message: format!("{e}; the rule is skipped"),
    }
}

/// Finds the sentence (or block) holding an offset, remembering where the
/// last lookup ended: automaton matches come in text order, so most
/// lookups land in the same unit as the one before or in the next few.
#[derive(Default)]
struct UnitCursor {
    /// The number of units that end at or before the last offset looked up.
    before: usize,
}

impl UnitCursor {
    /// Units farther ahead than this are found by binary search.
    const WALK: usize = 4;

    /// The index of the unit of `units` (sorted, not overlapping) that
    /// contains `offset`, if any.
    fn unit_at<T>(
        &mut self,
        units: &[T],
        span: impl Fn(&T) -> Span,
        offset: usize,
    ) -> Option<usize> {
        // most lookups: the unit of the last one (`before` is its index),
        // or the next
        for next in [self.before, self.before + 1] {
            if units.get(next).is_some_and(|u| span(u).contains(offset)) {
                self.before = next;
                return Some(next);
            }
        }
        let ends_before = |u: &T| (span(u).end as usize) <= offset;
        let mut i = self.before.min(units.len());
        if i > 0 && !ends_before(&units[i - 1]) {
            // an earlier offset than last time
            i = units[..i].partition_point(ends_before);
        } else {
            let walk_end = (i + Self::WALK).min(units.len());
            while i < walk_end && ends_before(&units[i]) {
                i += 1;
            }
            if i == walk_end {
                i += units[i..].partition_point(ends_before);
            }
        }
        self.before = i;
        units
            .get(i)
            .is_some_and(|u| span(u).contains(offset))
            .then_some(i)
    }
}

/// [`Alphabet::of`] the document's prose. Covered prose is ASCII and
/// Latin, inside the common blocks, and the builder has recorded whether
/// it is: most documents then need no pass over their prose.
fn document_alphabet(doc: &Document) -> Alphabet {
    if doc.covered() {
        Alphabet::Common
    } else {
        Alphabet::of(doc.prose())
    }
}

/// The alphabet of a unit `text` of a document of `alphabet`: a document
/// of other characters may still have units of common ones.
fn unit_alphabet(alphabet: Alphabet, text: &str) -> Alphabet {
    match alphabet {
        Alphabet::Common => Alphabet::Common,
        Alphabet::Wide | Alphabet::Any => Alphabet::of(text),
    }
}

fn unit_at(doc: &Document, scope: Scope, offset: usize) -> Option<usize> {
    match scope {
        Scope::Sentence => doc.sentence_at(offset),
        Scope::Paragraph | Scope::Source => doc.block_at(offset),
    }
}

/// Where a pattern searches unit `span` of `doc`, and its text: the whole
/// unit, but a sentence or paragraph a bullet symbol opens ("🚀 Why it
/// matters: ...") past that symbol for a pattern `anchored` at the start,
/// which reads it from its first word as it reads the same unit without
/// the symbol.
fn searched(
    doc: &Document,
    scope: Scope,
    span: Span,
    anchored: impl FnOnce() -> bool,
) -> (usize, &str) {
    let text = doc.text(span);
    let skip = if scope != Scope::Source && anchored() {
        decoration_len(text)
    } else {
        0
    };
    (span.start as usize + skip, &text[skip..])
}

/// The length of the symbols and emoji that open `text` as a bullet or
/// marker (🚀, ✅, ☞, ★, ➤, •, ①), with the spaces, variation selectors
/// and joiners after them; 0 when it opens with anything else.
fn decoration_len(text: &str) -> usize {
    // the symbol blocks, bullets, circled numbers and the emoji planes
    let is_marker = |c: char| {
        super::metrics::in_symbol_blocks(c)
            || matches!(u32::from(c), 0x2022 | 0x2023 | 0x2043 | 0x2460..=0x24FF | 0x1F000..=0x1FAFF)
    };
    let joins = |c: char| {
        c.is_whitespace() || matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}' | '\u{20E3}')
    };
    if !text.starts_with(is_marker) {
        return 0;
    }
    text.find(|c: char| !is_marker(c) && !joins(c))
        .unwrap_or(text.len())
}

fn unit_span(doc: &Document, scope: Scope, unit: usize) -> Span {
    match scope {
        Scope::Sentence => doc.sentences()[unit].span,
        Scope::Paragraph | Scope::Source => doc.blocks()[unit].span,
    }
}

/// Whether a raw rule with anchor requirements `conjunctions` is screened
/// by [`Matchers::raw_literal_in`]: when every alternative requires at
/// least one literal set, a source with none of the literals has no match.
fn screened(conjunctions: &[super::anchors::Conjunction]) -> bool {
    conjunctions.iter().all(|sets| !sets.is_empty())
}

/// Whether anchor `literal` may occur in `text`. Anchors match ASCII
/// case-insensitively; a literal without ASCII letters is searched for
/// exactly (SIMD), one with letters is assumed present.
fn may_occur(text: &str, literal: &str) -> bool {
    literal.bytes().any(|b| b.is_ascii_alphabetic())
        || memchr::memmem::find(text.as_bytes(), literal.as_bytes()).is_some()
}

/// Whether a word may start at `i`: the character before is not a letter or digit.
fn boundary_before(text: &str, i: usize) -> bool {
    !text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Whether a word may end at `i`: the character after is not a letter or digit.
fn boundary_after(text: &str, i: usize) -> bool {
    !text[i..].chars().next().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use crate::rules::{PackSource, RuleSet};
    use crate::text::Markup;

    /// The matched texts of the one rule in `pack` on plain `text`.
    fn matches(pack: &str, text: &str) -> Vec<String> {
        let rules =
            RuleSet::load(&[PackSource::new("test.toml", pack.to_string())]).expect("pack loads");
        let doc = crate::source::document(text.to_string(), Markup::Plain);
        let mut hits: Vec<(usize, usize)> = rules
            .hits_of(0, &doc)
            .iter()
            .map(|h| (h.span.start as usize, h.span.end as usize))
            .collect();
        hits.sort_unstable();
        hits.iter()
            .map(|&(s, e)| doc.prose()[s..e].to_string())
            .collect()
    }

    const HEADER: &str = "[[rule]]\nid = \"r\"\ncategory = \"x\"\nseverity = \"info\"\nweight = 1.0\nmessage = \"m\"\nwhy = \"w\"\n";

    #[test]
    fn anchor_hits_that_come_back_to_an_earlier_sentence_still_run_it() {
        // "c" ends first and starts in the second sentence; "b. c d" ends
        // later but starts in the first: the sightings arrive out of
        // sentence order
        let pack = format!("{HEADER}regex = '''(?i)\\b[bc]\\b'''\nanchors = [\"c\", \"b. c d\"]\n");
        assert_eq!(matches(&pack, "A b. C d."), ["b", "C"]);
        // and in order, the same
        assert_eq!(matches(&pack, "A c. B c d."), ["c", "B", "c"]);
    }

    #[test]
    fn source_rules_run_where_a_literal_of_theirs_is_in_any_case() {
        let pack = format!(
            "{HEADER}regex = '''(?i)utm_source=\\w+|\\[web:\\d+\\]'''\nscope = \"source\"\n"
        );
        assert_eq!(
            matches(&pack, "See x.com/?UTM_Source=chatgpt and [web:3]."),
            ["UTM_Source=chatgpt", "[web:3]"]
        );
        assert_eq!(matches(&pack, "See [WEB:3] and utm_sourc."), ["[WEB:3]"]);
        assert_eq!(
            matches(&pack, "See [we:3] and utm_sourc=x."),
            Vec::<String>::new()
        );
    }

    /// The alphabet taken from the builder's record is the one
    /// `Alphabet::of` reads off the prose, for a document of each
    /// character up to well past the last one the fast tokenizer covers.
    #[test]
    fn document_alphabet_is_that_of_its_prose_for_each_character() {
        for c in ('\0'..='\u{3000}').chain(['\u{1F600}', '\u{FEFF}']) {
            let doc = crate::text::Document::plain(format!("a{c}b {c}"));
            assert_eq!(
                super::document_alphabet(&doc),
                super::Alphabet::of(doc.prose()),
                "{c:?}"
            );
        }
    }

    proptest::proptest! {
        /// The same on random text in each markup, with entities the
        /// builder decodes, curly apostrophes it straightens, spaces it
        /// collapses and characters inside and outside the common blocks.
        #[test]
        fn document_alphabet_is_that_of_its_prose(
            text in "([a-z &;#0-9<>*\\[\\]()\n`’é×→中\u{a0}\u{feff}ſK]|&#[0-9]{2,5};|&rarr;|&nbsp;|<p>|</p>|<b>|<br>){0,40}",
            markup in 0..3u8,
        ) {
            let markup = [Markup::Plain, Markup::Markdown, Markup::Html][markup as usize];
            let doc = crate::source::document(text, markup);
            proptest::prop_assert_eq!(
                super::document_alphabet(&doc),
                super::Alphabet::of(doc.prose())
            );
        }
    }

    proptest::proptest! {
        /// The one-test form agrees with asking each alternative in turn.
        #[test]
        fn satisfied_agrees_with_a_loop_over_alternatives(
            shapes in proptest::collection::vec(1usize..=3, 1..=21),
            sets: u64,
        ) {
            let masks: Vec<u64> = shapes
                .iter()
                .enumerate()
                .map(|(alt, &n)| (0..n).fold(0, |m, set| m | super::set_bit(alt, set)))
                .collect();
            let by_loop = masks.iter().any(|&all| all & !sets == 0);
            proptest::prop_assert_eq!(super::Satisfied::new(&masks).by(sets), by_loop);
            // and with only the bits of some alternative seen
            let alt = sets as usize % masks.len();
            proptest::prop_assert!(super::Satisfied::new(&masks).by(masks[alt]));
        }
    }

    proptest::proptest! {
        /// The cursor finds the unit a linear search finds, whatever the
        /// order of the offsets it is asked about.
        #[test]
        fn unit_cursor_agrees_with_a_linear_search(
            gaps in proptest::collection::vec((0u32..3, 1u32..6), 0..12),
            offsets in proptest::collection::vec(0usize..80, 0..40),
        ) {
            let mut units = Vec::new();
            let mut at = 0;
            for (gap, len) in gaps {
                units.push(crate::text::Span::new((at + gap) as usize, (at + gap + len) as usize));
                at += gap + len;
            }
            let mut cursor = super::UnitCursor::default();
            for offset in offsets {
                let want = units.iter().position(|u| u.contains(offset));
                proptest::prop_assert_eq!(cursor.unit_at(&units, |u| *u, offset), want);
            }
        }
    }

    #[test]
    fn a_regex_runs_only_where_its_anchors_are_seen() {
        let pack = format!("{HEADER}regex = '''(?i)\\bfoo\\b'''\nanchors = [\"bar\"]\n");
        assert_eq!(matches(&pack, "Foo bar. Foo baz. Bar foo."), ["Foo", "foo"]);
    }

    #[test]
    fn patterns_anchored_at_the_start_read_a_sentence_past_its_bullet_symbol() {
        let pack = format!(
            "{HEADER}regex = '''^Why it matters:'''\nunless = '''^Why it matters: never'''\n"
        );
        assert_eq!(
            matches(&pack, "🚀 Why it matters: the merger."),
            ["Why it matters:"]
        );
        assert_eq!(
            matches(&pack, "✅\u{FE0F} • Why it matters: costs."),
            ["Why it matters:"]
        );
        // the anchored `unless` is read the same way
        assert!(matches(&pack, "🚀 Why it matters: never mind.").is_empty());
        assert!(matches(&pack, "A note. Why it matters: never mind.").is_empty());
        // a pattern not anchored still sees the symbol
        let pack = format!("{HEADER}regex = '''[✓→]'''\n");
        assert_eq!(matches(&pack, "✓ Done. → Next."), ["✓", "→"]);
    }

    #[test]
    fn a_sentence_s_opening_decoration_is_its_symbols_and_the_spaces_after() {
        for (text, len) in [
            ("🚀 Launch on Friday", "🚀 ".len()),
            ("✅\u{FE0F}  Why it matters", "✅\u{FE0F}  ".len()),
            ("👩\u{200D}💻 Coding", "👩\u{200D}💻 ".len()),
            ("☞ ★ • Read this", "☞ ★ • ".len()),
            ("① First", "① ".len()),
            ("Plain text 🚀", 0),
            ("“Quoted” text", 0),
            ("— a dash", 0),
            ("🚀✅", "🚀✅".len()),
        ] {
            assert_eq!(super::decoration_len(text), len, "{text}");
        }
    }
}
