//! Runs the compiled rule set over one [`Document`] and turns rule hits into
//! [`Finding`]s: plain data with byte offsets and line/column positions in
//! the original file.
//!
//! May use `rules` and `text`; never `report` or `cli`.

use std::ops::Range;
use std::sync::Arc;

use crate::rules::{Hit, Rule, RuleSet, Severity};
use crate::suppress::Suppressions;
use crate::text::{DirectiveKind, Document, LineCol, Span};

/// Which rules run on a document, at what severity, and whether the
/// document's inline directives are obeyed.
#[derive(Clone, Debug)]
pub struct Selection {
    /// Per rule index: `None` when the rule is off, else its severity.
    severity: Vec<Option<Severity>>,
    /// Whether inline directives (`<!-- telltale-disable -->`) apply.
    inline: bool,
}

impl Selection {
    /// Every rule on, at its declared severity.
    pub fn all(rules: &RuleSet) -> Selection {
        Selection {
            severity: rules.rules().iter().map(|r| Some(r.severity)).collect(),
            inline: true,
        }
    }

    /// The rules rule `rule`'s examples and fixtures are checked with: the
    /// rule alone, or every rule for one that judges directives by the
    /// other rules' findings (`unused-suppression`).
    pub fn examples_of(rules: &RuleSet, rule: usize) -> Selection {
        let mut selection = Selection::all(rules);
        if !rules.unused_suppression_rules().any(|i| i == rule) {
            for i in (0..rules.len()).filter(|&i| i != rule) {
                selection.disable(i);
            }
        }
        selection
    }

    /// Obeys (`true`, the default) or ignores the document's inline
    /// directives; ignored directives are not reported either.
    pub fn set_inline(&mut self, on: bool) {
        self.inline = on;
    }

    /// Whether inline directives apply.
    pub fn inline(&self) -> bool {
        self.inline
    }

    /// Turns rule `index` off.
    pub fn disable(&mut self, index: usize) {
        self.severity[index] = None;
    }

    /// Turns rule `index` on at `severity`.
    pub fn set(&mut self, index: usize, severity: Severity) {
        self.severity[index] = Some(severity);
    }

    /// The severity of rule `index`, or `None` when it is off.
    pub fn severity(&self, index: usize) -> Option<Severity> {
        self.severity.get(index).copied().flatten()
    }

    /// This selection narrowed to the rules of `rules` that offer a fix
    /// (`suggest`): what rechecking a text between passes of fixes needs,
    /// since no other finding makes an edit.
    pub fn fixable_only(&self, rules: &RuleSet) -> Selection {
        let mut fixable = self.clone();
        for (i, rule) in rules.rules().iter().enumerate() {
            if rule.suggest.is_none() {
                fixable.disable(i);
            }
        }
        fixable
    }

    /// Sets `enabled` to whether each rule is on, by index.
    pub fn enabled_into(&self, enabled: &mut Vec<bool>) {
        enabled.clear();
        enabled.extend(self.severity.iter().map(Option::is_some));
    }
}

/// One reported tell in one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Index of the rule in the [`RuleSet`].
    pub rule: usize,
    /// Effective severity (after configuration).
    pub severity: Severity,
    /// Byte range in the original file.
    pub span: Range<usize>,
    /// Line and column where the span starts (1-based, columns in characters).
    pub start: LineCol,
    /// Line and column where the span ends (exclusive).
    pub end: LineCol,
    /// What is wrong, where the finding words it for itself (the metrics
    /// give their measure); `None` for the rule's own message. Boxed, as
    /// few findings have one.
    message: Option<Box<str>>,
    /// Replacement text for the span, if the rule offers one: the rule's
    /// own, shared, not copied into each finding (an `Arc<String>`, one
    /// pointer, where an `Arc<str>` would be two).
    suggestion: Option<Arc<String>>,
}

impl Finding {
    /// A finding of rule `rule` over `span` (from `start` to `end`), with
    /// the rule's own message and no suggestion.
    pub fn new(
        rule: usize,
        severity: Severity,
        span: Range<usize>,
        start: LineCol,
        end: LineCol,
    ) -> Finding {
        Finding {
            rule,
            severity,
            span,
            start,
            end,
            message: None,
            suggestion: None,
        }
    }

    /// What is wrong: the finding's own message, else that of `rule`, the
    /// rule the finding is of.
    pub fn message<'a>(&'a self, rule: &'a Rule) -> &'a str {
        self.own_message().unwrap_or(&rule.message)
    }

    /// What is wrong, where the finding words it for itself (the metrics
    /// give their measure); `None` for the rule's own message.
    pub fn own_message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Replacement text for the span, if the rule offers one.
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref().map(String::as_str)
    }

    /// Sets the finding's own message (`None`: the rule's).
    pub fn set_message(&mut self, message: Option<String>) {
        self.message = message.map(String::into_boxed_str);
    }

    /// Sets the replacement text for the span (`None`: no suggestion).
    pub fn set_suggestion(&mut self, suggestion: Option<Arc<String>>) {
        self.suggestion = suggestion;
    }

    /// The finding with `message` as its own message.
    pub fn with_message(mut self, message: Option<String>) -> Finding {
        self.set_message(message);
        self
    }

    /// The finding with `suggestion` as its replacement text.
    pub fn with_suggestion(mut self, suggestion: Option<Arc<String>>) -> Finding {
        self.set_suggestion(suggestion);
        self
    }
}

/// The outcome of checking one document.
#[derive(Debug, Default)]
pub struct Checked {
    /// Findings sorted by position, then rule.
    pub findings: Vec<Finding>,
    /// Problems that made a rule skip part of the document.
    pub warnings: Vec<String>,
}

/// Runs the selected rules over `doc`.
///
/// Hits inside quotations and block quotes are dropped (a pattern quoted is
/// mentioned, not used); overlapping hits of one rule are merged into the
/// first, longest one; findings the document's inline directives suppress
/// are dropped (see [`crate::suppress`]).
pub fn check(doc: &Document, rules: &RuleSet, selection: &Selection) -> Checked {
    let mut checked = check_unsuppressed(doc, rules, selection);
    if selection.inline && !doc.directives().is_empty() {
        let suppressed = Suppressions::of(doc, rules);
        suppress(&mut checked.findings, &suppressed, rules);
        let unused = unused_suppressions(&suppressed, rules, selection, doc.source(), |at| {
            doc.line_col(at)
        });
        add_findings(&mut checked.findings, unused);
    }
    checked
}

/// Source ranges of the findings of rule `rule` in `doc` when it runs
/// alone, or with every rule for one that judges directives by the other
/// rules' findings (`unused-suppression`): what a rule's examples are
/// tested and shown by.
pub fn flagged_by(doc: &Document, rules: &RuleSet, rule: usize) -> Vec<Range<usize>> {
    check(doc, rules, &Selection::examples_of(rules, rule))
        .findings
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.span)
        .collect()
}

/// Adds `more` to `findings`, keeping them sorted by position, then rule.
pub fn add_findings(findings: &mut Vec<Finding>, more: Vec<Finding>) {
    if more.is_empty() {
        return;
    }
    findings.extend(more);
    // stable: findings at one place keep the order they were found in
    findings.sort_by_key(|f| (f.span.start, f.span.end, f.rule));
}

/// The findings of the `unused-suppression` rules that are on: one for
/// each directive of `suppressed` whose names turned off no finding of a
/// rule that ran. Call once every finding of the file has been held
/// against `suppressed`. Each offers its fix: the whole comment deleted,
/// or the directive written again without its unused names.
pub fn unused_suppressions(
    suppressed: &Suppressions,
    rules: &RuleSet,
    selection: &Selection,
    source: &str,
    line_col: impl Fn(usize) -> LineCol,
) -> Vec<Finding> {
    let reporting: Vec<(usize, Severity)> = rules
        .unused_suppression_rules()
        .filter_map(|i| Some((i, selection.severity(i)?)))
        .collect();
    if reporting.is_empty() {
        return Vec::new();
    }
    let about_directives: Vec<usize> = rules.directive_rules().collect();
    let judged = |i: usize| selection.severity(i).is_some() && !about_directives.contains(&i);
    let mut out = Vec::new();
    for unused in suppressed.unused(judged, rules.len()) {
        let (span, fix) = if unused.kept.is_empty() {
            match whole_comment(source, &unused.span) {
                Some(comment) => (comment, Some(String::new())),
                None => (unused.span.clone(), None),
            }
        } else {
            let word = unused.kind.word().unwrap_or_default();
            (
                unused.span.clone(),
                Some(format!("{word} {}", unused.kept.join(", "))),
            )
        };
        let message = unused_message(&unused);
        let fix = fix.map(Arc::new);
        for &(rule, severity) in &reporting {
            out.push(
                Finding::new(
                    rule,
                    severity,
                    span.clone(),
                    line_col(span.start),
                    line_col(span.end),
                )
                .with_message(Some(message.clone()))
                .with_suggestion(fix.clone()),
            );
        }
    }
    out
}

/// What an unused directive is told: which of its names suppressed
/// nothing, and where it looked.
fn unused_message(unused: &crate::suppress::Unused) -> String {
    let place = match unused.kind {
        DirectiveKind::DisableNextLine => "on the next line",
        DirectiveKind::DisableLine => "on its line",
        DirectiveKind::DisableFile => "in the file",
        DirectiveKind::Enable => {
            return "`telltale-enable` ends no region that suppresses anything".to_string();
        }
        _ => "in the region it opens",
    };
    match unused.names.as_slice() {
        [] => format!(
            "`{}` suppresses nothing: no finding {place}",
            unused.kind.word().unwrap_or_default()
        ),
        [one] => format!("`{one}` suppresses nothing: no finding of it {place}"),
        many => format!(
            "`{}` suppress nothing: no finding of them {place}",
            many.join("`, `")
        ),
    }
}

/// The source range of the whole comment that holds the directive at
/// `span`: `<!-- ... -->`, `{/* ... */}`, or a plain-text directive line.
/// Read from the source alone, so a file checked in sections gets the
/// same answer as one checked whole.
fn whole_comment(source: &str, span: &Range<usize>) -> Option<Range<usize>> {
    let before = source.get(..span.start)?;
    let lead = before.trim_end_matches([' ', '\t', '\r', '\n']);
    for (open, close) in [("<!--", "-->"), ("{/*", "*/}")] {
        if let Some(opened) = lead.strip_suffix(open) {
            let end = span.end + source.get(span.end..)?.find(close)? + close.len();
            return Some(opened.len()..end);
        }
    }
    // directives outside comments are whole lines of plain text
    let line_start = before.rfind('\n').map_or(0, |k| k + 1);
    let line = &source[span.start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    before[line_start..]
        .trim()
        .is_empty()
        .then(|| span.start..span.start + line.trim_end().len())
}

/// Drops the `findings` that `suppressed` covers, except those about the
/// directives themselves.
pub fn suppress(findings: &mut Vec<Finding>, suppressed: &Suppressions, rules: &RuleSet) {
    suppress_at(findings, suppressed, rules, 0, 0);
}

/// [`suppress`] for the findings of a section of a file that starts at
/// byte `base` and (0-based) line `first_line`, by the file's suppressions.
pub fn suppress_at(
    findings: &mut Vec<Finding>,
    suppressed: &Suppressions,
    rules: &RuleSet,
    base: usize,
    first_line: usize,
) {
    let about_directives: Vec<usize> = rules.directive_rules().collect();
    findings.retain(|f| {
        about_directives.contains(&f.rule)
            || !suppressed.covers(f.rule, f.span.start + base, f.start.line + first_line)
    });
}

/// [`check`] without applying the document's inline directives: for a
/// section of a file, whose directives may govern lines in other sections
/// and so are applied to the whole file's findings.
pub fn check_unsuppressed(doc: &Document, rules: &RuleSet, selection: &Selection) -> Checked {
    // this thread's buffers from its last document, emptied: a check runs
    // over thousands of small documents, and each buffer would otherwise
    // be allocated and grown again for each
    let mut buffers = BUFFERS.take();
    let Buffers {
        hits,
        enabled,
        in_order: order,
        in_text,
        last_kept,
    } = &mut buffers;
    hits.clear();
    let mut scan_warnings = Vec::new();
    selection.enabled_into(enabled);
    if !selection.inline {
        for i in rules.directive_rules() {
            enabled[i] = false;
        }
    }
    rules.scan(doc, enabled, hits, &mut scan_warnings);
    // Both orders below sort small keys, not the hits or findings they
    // stand for (moving those was most of the sorting's cost). Each key
    // ends in a position, so no two are equal and any sort gives the order
    // a stable sort of the hits gave.
    in_order(hits, order);
    // Hits are taken in text order, so whether each is quoted and where its
    // source is are found by cursors walking on through the document. Hits
    // inside quotations are dropped first; an overlapping hit of a rule is
    // merged into the last one the rule kept, which, in this order, is the
    // first and longest.
    last_kept.clear();
    last_kept.resize(rules.rules().len(), None);
    let mut quoted = Quoted::new(doc);
    let mut sources = doc.source_ranges();
    // the findings to be: source start, end, rule, position in the order
    // kept (the tie-break) and the hit
    in_text.clear();
    for &(.., i) in order.iter() {
        let h = &hits[i];
        if !h.raw && quoted.at(h.span.start) {
            continue;
        }
        let Some(last) = last_kept.get_mut(h.rule) else {
            continue;
        };
        if last.is_some_and(|l: Span| l.overlaps(h.span)) {
            continue;
        }
        *last = Some(h.span);
        if selection.severity(h.rule).is_some() {
            let span = if h.raw {
                h.span.range()
            } else {
                sources.range(h.span.range())
            };
            in_text.push((span.start, span.end, h.rule, in_text.len(), i));
        }
    }
    if in_text.len() < MANY {
        in_text.sort_unstable();
    } else {
        // runs in text order, which a merge sort takes as runs
        in_text.sort();
    }
    let mut findings: Vec<Finding> = Vec::with_capacity(in_text.len());
    let mut positions = Positions::new(doc);
    for &(start, end, .., i) in in_text.iter() {
        let h = &mut hits[i];
        let Some(mut f) = finding(doc, rules, selection, h, start..end) else {
            continue;
        };
        // positions are filled in text order, each counted on from the last
        f.start = positions.start(f.span.start);
        f.end = positions.end(f.span.clone(), f.start);
        findings.push(f);
    }
    let warnings = scan_warnings_by_rule(rules, scan_warnings);
    // a huge document's buffers are not kept for the small ones after it
    if hits.capacity() <= KEPT_CAPACITY && order.capacity() <= KEPT_CAPACITY {
        hits.clear();
        BUFFERS.set(buffers);
    }
    Checked { findings, warnings }
}

/// The working buffers of [`check`], kept per thread between documents.
#[derive(Default)]
struct Buffers {
    /// The rules' hits.
    hits: Vec<Hit>,
    /// Per rule, whether it runs ([`Selection::enabled_into`]).
    enabled: Vec<bool>,
    /// The hits in the order they are taken in (see [`in_order`]).
    in_order: Vec<(u64, usize, usize)>,
    /// The findings to be, in text order once sorted.
    in_text: Vec<(usize, usize, usize, usize, usize)>,
    /// Per rule, the span of the last hit it kept.
    last_kept: Vec<Option<Span>>,
}

thread_local! {
    static BUFFERS: std::cell::Cell<Buffers> = std::cell::Cell::new(Buffers::default());
}

/// Most hits whose buffers are kept for the next document.
const KEPT_CAPACITY: usize = 1 << 16;

/// Hits past which a document's hits and findings are sorted by a merge
/// sort, which takes the runs in text order they come in as runs.
const MANY: usize = 256;

/// Sets `order` to `(start and end, rule, index)` of each hit, in text
/// order: by start, the longest first, then by rule, ties in the order
/// found. A rule's hits come in the order a stable sort by start and
/// longest first gives.
fn in_order(hits: &[Hit], order: &mut Vec<(u64, usize, usize)>) {
    // start, then end descending, in one number (both are 32-bit)
    let key = |h: &Hit| (u64::from(h.span.start) << 32) | u64::from(u32::MAX - h.span.end);
    order.clear();
    order.extend(hits.iter().enumerate().map(|(i, h)| (key(h), h.rule, i)));
    if hits.len() < MANY {
        order.sort_unstable();
    } else {
        // each rule's hits, and a regex's in each sentence, come in text
        // order: runs a merge sort finds
        order.sort();
    }
}

/// [`Document::is_quoted`] for prose offsets asked for in increasing
/// order: cursors over the quotations and blocks walk on from the last
/// offset instead of searching both lists for each.
struct Quoted<'d> {
    doc: &'d Document,
    /// Whether the quotations' and blocks' ends increase with their starts,
    /// so that a walk finds what the binary searches of
    /// [`Document::is_quoted`] find (quotations may nest; then it is asked).
    walk: bool,
    /// The quotations, then the blocks, that end at or before the last
    /// offset asked for.
    quotes: usize,
    blocks: usize,
}

impl<'d> Quoted<'d> {
    fn new(doc: &'d Document) -> Self {
        let quotes = doc.quotes().windows(2).all(|w| w[0].end <= w[1].end);
        let blocks = doc
            .blocks()
            .windows(2)
            .all(|w| w[0].span.end <= w[1].span.end);
        Quoted {
            doc,
            walk: quotes && blocks,
            quotes: 0,
            blocks: 0,
        }
    }

    /// Whether `offset` (not before the last one asked for) is inside a
    /// quotation or a block quote.
    fn at(&mut self, offset: u32) -> bool {
        if !self.walk {
            return self.doc.is_quoted(Span {
                start: offset,
                end: offset,
            });
        }
        let quotes = self.doc.quotes();
        while quotes.get(self.quotes).is_some_and(|q| q.end <= offset) {
            self.quotes += 1;
        }
        if quotes
            .get(self.quotes)
            .is_some_and(|q| q.contains(offset as usize))
        {
            return true;
        }
        let blocks = self.doc.blocks();
        while blocks
            .get(self.blocks)
            .is_some_and(|b| b.span.end <= offset)
        {
            self.blocks += 1;
        }
        blocks
            .get(self.blocks)
            .is_some_and(|b| b.quoted && b.span.contains(offset as usize))
    }
}

/// The finding a kept hit becomes, over `span` (the source bytes it covers), or
/// `None` when its rule is off. The hit's own message is moved out.
fn finding(
    doc: &Document,
    rules: &RuleSet,
    selection: &Selection,
    h: &mut Hit,
    span: Range<usize>,
) -> Option<Finding> {
    let severity = selection.severity(h.rule)?;
    let rule = &rules.rules()[h.rule];
    let suggestion = rule
        .suggest
        .as_ref()
        .filter(|s| {
            (h.raw || prose_is_source(doc.text(h.span), &doc.source()[span.clone()]))
                && (!s.is_empty() || deletion_span(doc.source(), span.clone()).is_some())
        })
        .cloned();
    // set by `Positions` once the findings are in text order
    let unknown = LineCol { line: 0, column: 0 };
    Some(
        Finding::new(h.rule, severity, span, unknown, unknown)
            .with_message(h.message.take())
            .with_suggestion(suggestion),
    )
}

/// [`Document::line_col`] for findings in text order. A finding's column
/// was counted in characters from the start of its line, and a Markdown
/// paragraph is one line: per finding that was a walk over most of a
/// paragraph. Here each start is counted on from the previous one on the
/// same line, and each end from its start, with the same results. Lines
/// are counted on too, by a cursor over the source, so a document's line
/// index is not built (most findings' lines are found by counting the
/// line breaks since the last one, which is far cheaper than indexing
/// every line).
struct Positions<'d> {
    doc: &'d Document,
    /// The source up to here has been looked at for line breaks.
    scanned: usize,
    /// The 0-based line of `scanned` and where it starts (after a BOM on
    /// the first line).
    line: usize,
    line_start: usize,
    /// Where the line of the last start looked up starts.
    start_line_start: usize,
    /// The last start looked up: its 0-based line, byte offset and
    /// 1-based column, once there is one to count on from.
    last: Option<(usize, usize, usize)>,
}

impl<'d> Positions<'d> {
    fn new(doc: &'d Document) -> Self {
        let bom = if doc.source().starts_with('\u{feff}') {
            3
        } else {
            0
        };
        Positions {
            doc,
            scanned: 0,
            line: 0,
            line_start: bom,
            start_line_start: bom,
            last: None,
        }
    }

    /// The 0-based line of `offset` and where it starts, counted on from
    /// the last offset asked for when it is not before it.
    fn line_of(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.scanned {
            let lines = self.doc.lines();
            let line = lines.line_of(offset);
            return (line, lines.line_start(line));
        }
        let bytes = &self.doc.source().as_bytes()[self.scanned..offset];
        if let Some(k) = memchr::memrchr(b'\n', bytes) {
            self.line += 1 + memchr::memchr_iter(b'\n', &bytes[..k]).count();
            self.line_start = self.scanned + k + 1;
        }
        self.scanned = offset;
        (self.line, self.line_start)
    }

    /// The position of a finding's start; starts come in increasing order.
    fn start(&mut self, offset: usize) -> LineCol {
        let offset = offset.min(self.doc.source().len());
        let (line, line_start) = self.line_of(offset);
        let at = match self.last {
            Some((last_line, from, column)) if last_line == line && from <= offset => LineCol {
                line: line + 1,
                column: column + characters(&self.doc.source().as_bytes()[from..offset]),
            },
            // as `Document::line_col`, with the line already found
            _ => {
                let start = line_start.min(offset);
                LineCol {
                    line: line + 1,
                    column: 1 + characters(&self.doc.source().as_bytes()[start..offset]),
                }
            }
        };
        // a line's columns count from its first byte (after a BOM on the
        // first line): only an offset there or later is counted on from
        self.last = (offset >= line_start).then_some((line, offset, at.column));
        self.start_line_start = line_start;
        at
    }

    /// The position of the end of `span`, whose start is at `start` (the
    /// last start looked up).
    fn end(&self, span: Range<usize>, start: LineCol) -> LineCol {
        let source = self.doc.source();
        let (from, to) = (span.start.min(source.len()), span.end.min(source.len()));
        if from > to || from < self.start_line_start {
            return self.doc.line_col(span.end);
        }
        let bytes = &source.as_bytes()[from..to];
        if let Some(more) = characters_in_line(bytes) {
            return LineCol {
                line: start.line,
                column: start.column + more,
            };
        }
        // on a later line, which starts after the last line break
        let k = memchr::memrchr(b'\n', bytes).unwrap_or(0);
        LineCol {
            line: start.line + 1 + memchr::memchr_iter(b'\n', &bytes[..k]).count(),
            column: 1 + characters(&bytes[k + 1..]),
        }
    }
}

/// [`characters`] of `bytes` when they hold no line break (`\n`); `None`
/// when they do. Eight bytes at a time, like [`characters`]: most gaps
/// between findings, and most findings, lie within a line, and a call to
/// search for the break cost more than counting it on the way.
fn characters_in_line(bytes: &[u8]) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let (chunks, rest) = bytes.as_chunks::<8>();
    let mut continuation = 0;
    for chunk in chunks {
        let w = u64::from_le_bytes(*chunk);
        // a lane of `x` is zero where `w` has a line break: its low seven
        // bits plus 0x7f leave the high bit clear only for zero
        let x = w ^ (ONES * u64::from(b'\n'));
        if !(((x & !HIGH) + !HIGH) | x) & HIGH != 0 {
            return None;
        }
        continuation += continuation_bytes(w);
    }
    if rest.contains(&b'\n') {
        return None;
    }
    continuation += rest.iter().filter(|&&b| (b as i8) < -0x40).count();
    Some(bytes.len() - continuation)
}

/// Characters that start in `bytes` (UTF-8 lead bytes), as
/// [`Document::line_col`] counts them.
fn characters(bytes: &[u8]) -> usize {
    // all bytes but continuation bytes, eight at a time
    let (chunks, rest) = bytes.as_chunks::<8>();
    let mut continuation = 0;
    for chunk in chunks {
        continuation += continuation_bytes(u64::from_le_bytes(*chunk));
    }
    continuation += rest.iter().filter(|&&b| (b as i8) < -0x40).count();
    bytes.len() - continuation
}

/// How many of the eight bytes in `w` are UTF-8 continuation bytes
/// (`0b10xx_xxxx`): bit 7 set and bit 6 clear marks one, and the marks,
/// one bit per byte, are summed by multiplying them into the top byte.
fn continuation_bytes(w: u64) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let marked = (w & !(w << 1) & HIGH) >> 7;
    (marked.wrapping_mul(ONES) >> 56) as usize
}

/// One line per rule and kind of problem, however often it happened (a
/// catastrophic pattern may give up on every sentence of a long file), in
/// the order first met, with the count when it is more than one.
fn scan_warnings_by_rule(rules: &RuleSet, warnings: Vec<crate::rules::ScanWarning>) -> Vec<String> {
    let mut seen: Vec<(usize, String, usize)> = Vec::new();
    for w in warnings {
        match seen
            .iter_mut()
            .find(|(rule, message, _)| *rule == w.rule && *message == w.message)
        {
            Some((_, _, count)) => *count += 1,
            None => seen.push((w.rule, w.message, 1)),
        }
    }
    seen.into_iter()
        .map(|(rule, message, count)| {
            let id = &rules.rules()[rule].id;
            if count == 1 {
                format!("rule `{id}`: {message}")
            } else {
                format!("rule `{id}`: {message} ({count} times)")
            }
        })
        .collect()
}

/// The bytes to delete so that deleting `range` of `source` leaves no
/// empty markup: `range` widened over emphasis it would empty
/// (`**Certainly!**`), or `None` when the deletion would empty a link's
/// text (`[x](url)`) or an HTML element (`<b>x</b>`), which only a person
/// can repair.
pub fn deletion_span(source: &str, range: Range<usize>) -> Option<Range<usize>> {
    let mut range = range;
    // peel matching delimiters pair by pair, innermost first
    while let (Some(b), Some(a)) = (
        source[..range.start].chars().next_back(),
        source[range.end..].chars().next(),
    ) {
        if a != b || !matches!(a, '*' | '_' | '~') {
            break;
        }
        range = range.start - 1..range.end + 1;
    }
    let before = source[..range.start].chars().next_back();
    let after = source[range.end..].chars().next();
    if (before == Some('[') && after == Some(']')) || (before == Some('>') && after == Some('<')) {
        return None;
    }
    Some(range)
}

/// Whether a hit's prose is its source text, up to spacing and curly
/// apostrophes: only then can a suggestion replace the source bytes without
/// touching markup (emphasis marks, links, entities, addresses) that the
/// prose leaves out.
fn prose_is_source(prose: &str, source: &str) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .map(|w| w.replace('\u{2019}', "'"))
            .collect::<Vec<_>>()
    };
    words(prose) == words(source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::PackSource;
    use crate::text::Span;

    #[test]
    fn a_finding_stays_small() {
        // a large file's findings are all held until it is reported, and
        // tell-dense prose has about 8,400 per MB: at 88 bytes they are
        // over two thirds of a 100 MB file's own size (docs/hardening.md, "For
        // the per-document memory work"), so a field added here should
        // be weighed against that
        assert!(std::mem::size_of::<Finding>() <= 88);
    }

    const PACK: &str = r#"
[[rule]]
id = "delve"
category = "vocabulary"
severity = "warning"
weight = 0.3
message = "AI vocabulary"
why = "w"
phrases = ["delve", "delve into"]

[[rule]]
id = "not-just"
category = "rhetoric"
severity = "info"
weight = 0.6
message = "negative parallelism"
why = "w"
regex = '''(?i)\bnot just\b[^.!?]{1,60}?[,;—]\s*(?:it's|but)\b'''
"#;

    fn rules() -> RuleSet {
        RuleSet::load(&[PackSource::new("t.toml", PACK)]).expect("pack loads")
    }

    #[test]
    fn finds_phrases_and_regexes_with_positions() {
        let rules = rules();
        let doc =
            Document::plain("Intro.\n\nLet us delve into it. It's not just a tool — it's a way.\n");
        let out = check(&doc, &rules, &Selection::all(&rules));
        let found: Vec<(&str, &str, usize, usize)> = out
            .findings
            .iter()
            .map(|f| {
                (
                    rules.rules()[f.rule].id.as_str(),
                    &doc.source()[f.span.clone()],
                    f.start.line,
                    f.start.column,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("delve", "delve into", 3, 8),
                ("not-just", "not just a tool — it's", 3, 28)
            ]
        );
    }

    #[test]
    fn whole_words_only_and_quotes_skipped() {
        let rules = rules();
        let doc = Document::plain("The delver said \"delve into it\" twice.");
        assert!(
            check(&doc, &rules, &Selection::all(&rules))
                .findings
                .is_empty()
        );
    }

    #[test]
    fn disabled_rules_do_not_run() {
        let rules = rules();
        let mut sel = Selection::all(&rules);
        sel.disable(0);
        let doc = Document::plain("We delve into it.");
        assert!(check(&doc, &rules, &sel).findings.is_empty());
    }

    #[test]
    fn suggestions_only_where_the_source_is_plain_prose() {
        let pack = r#"
[[rule]]
id = "utilize"
category = "vocabulary"
severity = "info"
weight = 0.1
message = "m"
why = "w"
suggest = "use"
phrases = ["utilize", "really utilize"]
"#;
        let rules = RuleSet::load(&[PackSource::new("t.toml", pack)]).expect("pack loads");
        let sel = Selection::all(&rules);
        let plain = check(&Document::plain("We utilize it."), &rules, &sel);
        assert_eq!(plain.findings[0].suggestion(), Some("use"));
        // emphasis marks inside the span are not in the prose: no fix
        let md = crate::source::document(
            "We really *utilize* it and utilize\nit.\n".to_string(),
            crate::text::Markup::Markdown,
        );
        let found = check(&md, &rules, &sel).findings;
        let suggested: Vec<Option<&str>> = found.iter().map(|f| f.suggestion()).collect();
        assert_eq!(suggested, [None, Some("use")]);
    }

    #[test]
    fn deletions_offered_only_where_they_leave_clean_markup() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let sel = Selection::all(&rules);
        let opener = |text: &str| {
            let doc = crate::source::document(text.to_string(), crate::text::Markup::Markdown);
            check(&doc, &rules, &sel)
                .findings
                .into_iter()
                .find(|f| rules.rules()[f.rule].id == "chatbot-opener")
                .map(|f| f.suggestion().map(str::to_string))
        };
        assert_eq!(opener("**Certainly!** Here."), Some(Some(String::new())));
        // (a link that opens its block is a cited title and not checked, so
        // the link here follows a sentence)
        assert_eq!(
            opener("Thanks. [Certainly!](https://example.com) Here."),
            Some(None)
        );
    }

    #[test]
    fn positions_counted_on_agree_with_line_col() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let sel = Selection::all(&rules);
        let mut findings = 0;
        let mut across = 0;
        for text in [
            "\u{feff}Certainly! Let us delve into the rich tapestry — a testament to it. We delve, we delve.\n\nIt\u{2019}s not just a tool — it\u{2019}s a way. Delve into the realm of possibilities.\n",
            "Caf\u{e9} na\u{ef}ve: we delve into it, we delve into the tapestry,\nand delve\ninto a testament.\r\nDelve.",
            "\n\nWe delve\ninto the rich\n\u{e9}\u{e9} tapestry, a testament\nto it.\r\nIt is a\n\u{e9} testament\nto them.\n\nDelve.",
        ] {
            for markup in [crate::text::Markup::Markdown, crate::text::Markup::Plain] {
                let doc = crate::source::document(text.to_string(), markup);
                let checked = check(&doc, &rules, &sel).findings;
                // counted without the document's line index
                assert!(!doc.has_line_index());
                for f in checked {
                    assert_eq!(f.start, doc.line_col(f.span.start), "{f:?}");
                    assert_eq!(f.end, doc.line_col(f.span.end), "{f:?}");
                    findings += 1;
                    across += usize::from(f.end.line > f.start.line);
                }
            }
        }
        assert!(findings > 10, "{findings} findings");
        assert!(across > 2, "{across} findings across lines");
    }

    #[test]
    fn characters_counts_lead_bytes_at_any_length_and_cut() {
        let text = "a é — 日本 🚀 plain\nwords, then ü and ñ;\n\n 🚀🚀 end\n".as_bytes();
        for from in 0..text.len() {
            for to in from..=text.len() {
                let bytes = &text[from..to];
                let leads = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
                assert_eq!(characters(bytes), leads, "{from}..{to}");
                let in_line = (!bytes.contains(&b'\n')).then_some(leads);
                assert_eq!(characters_in_line(bytes), in_line, "{from}..{to}");
            }
        }
    }

    #[test]
    fn hits_are_taken_in_text_order_and_each_rule_in_stable_order() {
        // a fixed pseudo-random walk: rules, starts and ends with ties
        let mut x: u32 = 12345;
        let mut next = |n: u32| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) % n
        };
        for count in [0, 1, 30, MANY - 1, MANY, 3 * MANY] {
            let hits: Vec<Hit> = (0..count)
                .map(|_| {
                    let start = next(200);
                    Hit {
                        rule: next(40) as usize,
                        span: Span::new(start as usize, (start + next(5)) as usize),
                        raw: next(2) == 0,
                        message: None,
                    }
                })
                .collect();
            let mut stable: Vec<usize> = (0..hits.len()).collect();
            stable.sort_by_key(|&i| {
                let h = &hits[i];
                (h.span.start, std::cmp::Reverse(h.span.end), h.rule)
            });
            // into a buffer holding an earlier document's order
            let mut buffer = vec![(7, 7, 7); 3];
            in_order(&hits, &mut buffer);
            let order: Vec<usize> = buffer.iter().map(|&(.., i)| i).collect();
            assert_eq!(order, stable, "{count} hits");
        }
    }

    #[test]
    fn quoted_cursor_agrees_with_is_quoted() {
        let mut checked = 0;
        for text in [
            "He said \"we delve\" and left. > no. She wrote 'a tapestry' here.\n\n> A quoted block, \"with a quote\".\n\nAfter \u{201C}curly\u{201D} text.\n",
            // a single quotation around a double one's end: quotations nest
            "A \"b 'c\" d' e \"f 'g' h\" i.\n\n> Quoted \"x\".\n\nEnd.\n",
            "Plain text with no quotes at all.\n",
        ] {
            for markup in [crate::text::Markup::Markdown, crate::text::Markup::Plain] {
                let doc = crate::source::document(text.to_string(), markup);
                let mut cursor = Quoted::new(&doc);
                for offset in 0..=doc.prose().len() as u32 + 1 {
                    let span = Span {
                        start: offset,
                        end: offset,
                    };
                    assert_eq!(
                        cursor.at(offset),
                        doc.is_quoted(span),
                        "{text:?} at {offset}"
                    );
                    checked += usize::from(doc.is_quoted(span));
                }
            }
        }
        assert!(checked > 20, "{checked} quoted offsets");
    }
}
