//! Lays a document's source text out for the page: rows of source lines,
//! one per block (from the line where a block starts to the line where the
//! next starts), findings as marks that nest, and the text between them cut
//! into runs by what they are (prose or markup) and by word pull.
//!
//! Findings may overlap partly or run across rows. HTML elements must nest,
//! so a finding that sticks out of the mark it starts in, or out of its row,
//! is split: the part inside is nested, the rest continues as a second piece
//! of the same finding. Every finding keeps one *first* piece (the one that
//! takes keyboard focus) and one *last* piece (the one that carries its
//! number), even an empty finding.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

use crate::engine::Finding;
use crate::text::{BlockKind, Document, Span};

/// One row of the text view.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Source bytes shown (trailing blank lines trimmed).
    pub range: Range<usize>,
    /// Indices of the blocks that start in this row.
    pub blocks: Vec<usize>,
    /// Whether a block starting here is a heading.
    pub heading: bool,
    /// Whether a blank line followed the row in the source.
    pub gap: bool,
    /// The row's content.
    pub nodes: Vec<Node>,
}

/// A piece of a row's content.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Text outside any further mark.
    Text(Run),
    /// A piece of a finding, with what lies inside it.
    Mark(Mark),
}

/// One piece of a finding's highlight.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Index of the finding in the document's findings.
    pub finding: usize,
    /// Whether this is the finding's first piece.
    pub first: bool,
    /// Whether this is the finding's last piece.
    pub last: bool,
    /// How many levels of marks lie inside this one (0: innermost).
    pub height: usize,
    /// What lies inside.
    pub children: Vec<Node>,
}

/// A stretch of source text that reads the same throughout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Source bytes.
    pub range: Range<usize>,
    /// Markup rather than prose (syntax, code, addresses, comments).
    pub markup: bool,
    /// Index into the word pulls given to [`lay_out`], if the run is (part
    /// of) a pulling word.
    pub pull: Option<usize>,
}

/// Lays out `doc` with its `findings` (sorted by position, as the engine
/// gives them) and `pulls`, the source ranges of tinted words (sorted, not
/// overlapping).
pub fn lay_out(doc: &Document, findings: &[Finding], pulls: &[Range<usize>]) -> Vec<Row> {
    let source = doc.source();
    let runs = runs(doc, pulls);
    let mut rows = rows(doc);
    let mut pieces: Vec<Vec<Piece>> = vec![Vec::new(); rows.len()];
    for (k, f) in findings.iter().enumerate() {
        let start = floor_char(source, f.span.start);
        let end = ceil_char(source, f.span.end.max(start));
        let mut mine: Vec<(usize, Piece)> = Vec::new();
        let first_row = rows.partition_point(|r| r.range.end <= start);
        for (ri, row) in rows.iter().enumerate().skip(first_row) {
            if row.range.start >= end {
                break;
            }
            let s = start.max(row.range.start);
            let e = end.min(row.range.end);
            if s < e {
                mine.push((ri, Piece::new(s, e, k)));
            }
        }
        if mine.is_empty() {
            // empty, or over trimmed blank lines only: an empty piece where it starts
            let ri = rows
                .partition_point(|r| r.range.start <= start)
                .saturating_sub(1);
            if let Some(row) = rows.get(ri) {
                let at = start.clamp(row.range.start, row.range.end);
                mine.push((ri, Piece::new(at, at, k)));
            }
        }
        let n = mine.len();
        for (i, (ri, mut p)) in mine.into_iter().enumerate() {
            p.first = i == 0;
            p.last = i + 1 == n;
            pieces[ri].push(p);
        }
    }
    for (row, pieces) in rows.iter_mut().zip(pieces) {
        row.nodes = nest(row.range.clone(), pieces, &runs);
    }
    rows
}

/// The largest char boundary at or before `i`.
fn floor_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or after `i`.
fn ceil_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
thread_local! {
    /// Block cuts [`rows`] compared with a row's start on this thread, for tests that bound
    /// its work.
    static CUTS_SEEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The rows of `doc`, without content yet.
fn rows(doc: &Document) -> Vec<Row> {
    let source = doc.source();
    let lines = doc.lines();
    let mut cuts: Vec<(usize, usize)> = Vec::new(); // (line start, block)
    for (i, b) in doc.blocks().iter().enumerate() {
        let at = doc.source_range(b.span).start.min(source.len());
        cuts.push((lines.line_start(lines.line_of(at)).min(at), i));
    }
    cuts.sort_unstable();
    let mut starts: Vec<usize> = vec![0];
    starts.extend(cuts.iter().map(|&(at, _)| at));
    starts.dedup();
    let mut rows = Vec::new();
    // the cuts of each row, taken in order: searching all of them for each
    // row cost rows times blocks
    let mut cut = cuts.iter().peekable();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(source.len());
        let mut blocks: Vec<usize> = Vec::new();
        while let Some(&(_, b)) = cut.next_if(|&&(at, _)| {
            #[cfg(test)]
            CUTS_SEEN.with(|n| n.set(n.get() + 1));
            at == start
        }) {
            blocks.push(b);
        }
        let text = &source[start..end];
        let shown = text.trim_end_matches(|c: char| c.is_whitespace());
        if shown.is_empty() {
            continue;
        }
        let trimmed = &text[shown.len()..];
        let heading = blocks
            .iter()
            .any(|&b| matches!(doc.blocks()[b].kind, BlockKind::Heading(_)));
        rows.push(Row {
            range: start..start + shown.len(),
            blocks,
            heading,
            gap: trimmed.matches('\n').count() >= 2,
            nodes: Vec::new(),
        });
    }
    rows
}

/// Runs over the whole source: a new run wherever prose meets markup or a
/// pulling word starts or ends. Whitespace belongs to the run it follows.
fn runs(doc: &Document, pulls: &[Range<usize>]) -> Vec<Run> {
    let source = doc.source();
    let mut prose = vec![false; source.len()];
    for block in doc.blocks() {
        let base = block.span.start as usize;
        for (i, c) in doc.text(block.span).char_indices() {
            if c.is_whitespace() {
                continue;
            }
            let at = base + i;
            let r = doc.source_range(Span::new(at, at + c.len_utf8()));
            if let Some(bytes) = prose.get_mut(r) {
                bytes.fill(true);
            }
        }
    }
    let mut runs: Vec<Run> = Vec::new();
    let mut next_pull = 0;
    for (i, c) in source.char_indices() {
        while pulls.get(next_pull).is_some_and(|p| p.end <= i) {
            next_pull += 1;
        }
        let pull = pulls
            .get(next_pull)
            .filter(|p| p.start <= i)
            .map(|_| next_pull);
        let markup = match runs.last() {
            Some(last) if c.is_whitespace() && pull.is_none() && last.pull.is_none() => last.markup,
            _ => !prose[i] && !c.is_whitespace(),
        };
        let end = i + c.len_utf8();
        match runs.last_mut() {
            Some(last) if last.markup == markup && last.pull == pull => last.range.end = end,
            _ => runs.push(Run {
                range: i..end,
                markup,
                pull,
            }),
        }
    }
    runs
}

/// One piece of a finding within a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Piece {
    // field order is the processing order: by start, longest first, then
    // in findings order
    start: usize,
    end: Reverse<usize>,
    finding: usize,
    first: bool,
    last: bool,
}

impl Piece {
    fn new(start: usize, end: usize, finding: usize) -> Piece {
        Piece {
            start,
            end: Reverse(end),
            finding,
            first: true,
            last: true,
        }
    }
}

/// A mark being filled.
struct Open {
    mark: Mark,
    end: usize,
}

/// Nests the pieces of one row into a tree over `row`.
fn nest(row: Range<usize>, pieces: Vec<Piece>, runs: &[Run]) -> Vec<Node> {
    let mut queue: BinaryHeap<Reverse<Piece>> = pieces.into_iter().map(Reverse).collect();
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Vec<Node> = Vec::new();
    let mut pos = row.start;
    loop {
        let next_start = queue.peek().map(|p| p.0.start);
        while let Some(top) = stack.last() {
            if next_start.is_some_and(|s| s < top.end) {
                break;
            }
            let Some(mut done) = stack.pop() else { break };
            text(pos..done.end, runs, &mut done.mark.children);
            pos = pos.max(done.end);
            done.mark.height = done
                .mark
                .children
                .iter()
                .map(|n| match n {
                    Node::Mark(m) => m.height + 1,
                    Node::Text(_) => 0,
                })
                .max()
                .unwrap_or(0);
            let parent = match stack.last_mut() {
                Some(p) => &mut p.mark.children,
                None => &mut root,
            };
            parent.push(Node::Mark(done.mark));
        }
        let Some(Reverse(mut p)) = queue.pop() else {
            break;
        };
        let here = match stack.last_mut() {
            Some(o) => &mut o.mark.children,
            None => &mut root,
        };
        text(pos..p.start, runs, here);
        pos = pos.max(p.start);
        let mut end = p.end.0;
        if let Some(top) = stack.last()
            && end > top.end
        {
            // sticks out of the mark it starts in: the rest becomes a piece
            // of its own, starting where that mark ends
            queue.push(Reverse(Piece {
                start: top.end,
                end: Reverse(end),
                finding: p.finding,
                first: false,
                last: p.last,
            }));
            end = top.end;
            p.last = false;
        }
        stack.push(Open {
            mark: Mark {
                finding: p.finding,
                first: p.first,
                last: p.last,
                height: 0,
                children: Vec::new(),
            },
            end,
        });
    }
    text(pos..row.end, runs, &mut root);
    root
}

/// Appends the runs covering `range` to `out`.
fn text(range: Range<usize>, runs: &[Run], out: &mut Vec<Node>) {
    if range.start >= range.end {
        return;
    }
    let first = runs.partition_point(|r| r.range.end <= range.start);
    for r in &runs[first..] {
        if r.range.start >= range.end {
            break;
        }
        out.push(Node::Text(Run {
            range: r.range.start.max(range.start)..r.range.end.min(range.end),
            markup: r.markup,
            pull: r.pull,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;
    use crate::text::{LineCol, Markup};

    fn finding(doc: &Document, span: Range<usize>) -> Finding {
        let (start, end) = (doc.line_col(span.start), doc.line_col(span.end));
        Finding::new(0, Severity::Warning, span, start, end)
    }

    /// The row tree written out: `[k ... ]` for a piece of finding k,
    /// `{...}` for markup, `<...>` for a pulling word.
    fn show(doc: &Document, nodes: &[Node]) -> String {
        let mut s = String::new();
        for n in nodes {
            match n {
                Node::Text(r) => {
                    let t = &doc.source()[r.range.clone()];
                    match (r.markup, r.pull.is_some()) {
                        (true, _) => s.push_str(&format!("{{{t}}}")),
                        (false, true) => s.push_str(&format!("<{t}>")),
                        (false, false) => s.push_str(t),
                    }
                }
                Node::Mark(m) => {
                    let open = if m.first { "[" } else { "[+" };
                    let close = if m.last { "]" } else { "+]" };
                    s.push_str(&format!(
                        "{open}{} {}{close}",
                        m.finding,
                        show(doc, &m.children)
                    ));
                }
            }
        }
        s
    }

    fn layout(text: &str, markup: Markup, spans: &[Range<usize>]) -> (Document, Vec<Row>) {
        let doc = crate::source::document(text.into(), markup);
        let findings: Vec<Finding> = spans.iter().map(|s| finding(&doc, s.clone())).collect();
        let rows = lay_out(&doc, &findings, &[]);
        (doc, rows)
    }

    fn at(text: &str, needle: &str) -> Range<usize> {
        let i = text.find(needle).expect("needle in text");
        i..i + needle.len()
    }

    #[test]
    fn each_row_takes_its_blocks_without_searching_them_all() {
        // 3,000 paragraphs, each a row: comparing every block's start with
        // every row's was nine million comparisons
        let mut t = "A short paragraph of prose.\n\n- an item\n- another\n\n".repeat(1000);
        t.push_str("| a | b |\n|---|---|\n| 1 | 2 |\n");
        let before = CUTS_SEEN.with(|n| n.get());
        let (doc, rows) = layout(&t, Markup::Markdown, &[]);
        let seen = CUTS_SEEN.with(|n| n.get()) - before;
        assert!(seen <= 2 * (doc.blocks().len() + rows.len()), "{seen}");
        assert!(
            rows.len() > 3000,
            "a row per paragraph and item: {}",
            rows.len()
        );
        // every block in the row of its line, each once
        let mut blocks: Vec<usize> = rows.iter().flat_map(|r| r.blocks.clone()).collect();
        blocks.sort_unstable();
        blocks.dedup();
        assert_eq!(blocks.len(), doc.blocks().len());
        for r in &rows {
            for &b in &r.blocks {
                let at = doc.source_range(doc.blocks()[b].span).start;
                assert!(r.range.contains(&at), "{b} {:?}", r.range);
            }
        }
    }

    #[test]
    fn nested_findings_nest() {
        let t = "One two three four five.";
        let (doc, rows) = layout(t, Markup::Plain, &[at(t, "two three four"), at(t, "three")]);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            show(&doc, &rows[0].nodes),
            "One [0 two [1 three] four] five."
        );
        let Node::Mark(outer) = &rows[0].nodes[1] else {
            panic!("mark expected")
        };
        assert_eq!(outer.height, 1);
    }

    #[test]
    fn partly_overlapping_findings_split() {
        let t = "One two three four five.";
        let (doc, rows) = layout(t, Markup::Plain, &[at(t, "two three"), at(t, "three four")]);
        assert_eq!(
            show(&doc, &rows[0].nodes),
            "One [0 two [1 three+]][+1  four] five."
        );
    }

    #[test]
    fn a_finding_across_rows_is_split_per_row() {
        let t = "First paragraph ends here.\n\nSecond one starts here.\n";
        let (doc, rows) = layout(t, Markup::Plain, &[at(t, "here.\n\nSecond")]);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].gap && !rows[1].gap);
        assert_eq!(
            show(&doc, &rows[0].nodes),
            "First paragraph ends [0 here.+]"
        );
        assert_eq!(show(&doc, &rows[1].nodes), "[+0 Second] one starts here.");
    }

    #[test]
    fn empty_findings_keep_a_piece() {
        let t = "Some text.";
        let empty = 4..4;
        let (doc, rows) = layout(t, Markup::Plain, std::slice::from_ref(&empty));
        assert_eq!(show(&doc, &rows[0].nodes), "Some[0 ] text.");
    }

    #[test]
    fn identical_spans_nest_in_findings_order() {
        let t = "Delve deep.";
        let (doc, rows) = layout(t, Markup::Plain, &[0..5, 0..5]);
        assert_eq!(show(&doc, &rows[0].nodes), "[0 [1 Delve]] deep.");
    }

    #[test]
    fn markup_is_marked_and_headings_get_their_own_row() {
        let t = "# A title\n\n**Why it matters:** it *does*.\n- one item\n- two item\n";
        let (doc, rows) = layout(t, Markup::Markdown, &[]);
        let shown: Vec<String> = rows.iter().map(|r| show(&doc, &r.nodes)).collect();
        assert_eq!(
            shown,
            [
                "{# }A title",
                "{**}Why it matters:{** }it {*}does{*}.",
                "{- }one item",
                "{- }two item"
            ]
        );
        assert!(rows[0].heading && rows[0].gap);
        assert!(!rows[1].heading && !rows[1].gap);
    }

    #[test]
    fn code_between_paragraphs_is_markup_of_the_row_before() {
        let t = "Before it.\n\n```\nlet x = 1;\n```\n\nAfter it.\n";
        let (doc, rows) = layout(t, Markup::Markdown, &[]);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            show(&doc, &rows[0].nodes),
            "Before it.\n\n{```\nlet x = 1;\n```}"
        );
        assert_eq!(
            doc.line_col(rows[1].range.start),
            LineCol { line: 7, column: 1 }
        );
    }

    #[test]
    fn pulling_words_are_runs_of_their_own() {
        let t = "We delve into it.";
        let doc = Document::plain(t);
        let rows = lay_out(
            &doc,
            &[finding(&doc, at(t, "delve into"))],
            &[at(t, "delve")],
        );
        assert_eq!(show(&doc, &rows[0].nodes), "We [0 <delve> into] it.");
    }

    #[test]
    fn entities_in_html_are_prose_and_tags_markup() {
        let t = "<p>Fish &amp; chips</p>";
        let (doc, rows) = layout(t, Markup::Html, &[]);
        assert_eq!(show(&doc, &rows[0].nodes), "{<p>}Fish &amp; chips{</p>}");
    }

    #[test]
    fn findings_off_char_boundaries_and_past_the_end_do_not_panic() {
        let t = "Café au lait.";
        let doc = Document::plain(t);
        let f = vec![finding(&doc, 4..5), finding(&doc, 8..400)];
        let rows = lay_out(&doc, &f, &[]);
        assert_eq!(show(&doc, &rows[0].nodes), "Caf[0 é] au[1  lait.]");
    }
}
