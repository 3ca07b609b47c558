//! The document model every rule reads: normalised prose with its blocks,
//! sentences, words and quotations, tokenized once, and a map from prose
//! offsets back to the original bytes and their lines and columns.
//!
//! This module imports nothing else from the crate.

mod builder;
pub mod directive;
mod latin;
mod lines;
mod offsets;
mod plain;
mod quotes;
mod segment;
mod span;
pub(crate) mod swar;
mod tables;
mod vocabulary;

use std::ops::Range;

pub use builder::ProseBuilder;
pub use directive::{Directive, DirectiveKind};
pub use lines::{LineCol, LineIndex};
pub use offsets::{OffsetMap, RangeCursor};
pub use span::Span;
use tables::{Tables, room};
pub use vocabulary::Vocabulary;

/// The markup a document was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Markup {
    /// Plain text: all of it is prose.
    Plain,
    /// CommonMark with GitHub extensions.
    Markdown,
    /// HTML: text nodes are prose.
    Html,
    /// MDX: Markdown whose `{expressions}` and JSX are code, and whose
    /// comments are written `{/* ... */}`.
    Mdx,
    /// A git commit message: plain text without the lines git drops
    /// (`#` comments, and the diff below `git commit -v`'s scissors line).
    Commit,
}

impl Markup {
    /// The lowercase name used in output and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Markup::Plain => "plain",
            Markup::Markdown => "markdown",
            Markup::Html => "html",
            Markup::Mdx => "mdx",
            Markup::Commit => "commit",
        }
    }

    /// Whether the markup is Markdown or a dialect of it (MDX), with its
    /// headings, lists and the rest.
    pub fn is_markdown(self) -> bool {
        matches!(self, Markup::Markdown | Markup::Mdx)
    }
}

/// What a block of prose is in its document's structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph of running text.
    Paragraph,
    /// A heading, with its level (1 to 6).
    Heading(u8),
    /// The text of a list item.
    ListItem,
    /// A table cell.
    TableCell,
}

/// A block of prose: a paragraph, heading, list item or table cell.
#[derive(Clone, Debug)]
pub struct Block {
    /// Where the block's text lies in the prose.
    pub span: Span,
    /// What the block is.
    pub kind: BlockKind,
    /// Whether the block sits inside a block quote (someone else's words).
    pub quoted: bool,
    /// Indices of the block's sentences in [`Document::sentences`].
    pub sentences: Range<usize>,
    /// Source byte range of a list item's marker (`-`, `*`, `1.`, `•`);
    /// `None` for other blocks and for markup without markers (HTML `<li>`).
    pub marker: Option<Range<usize>>,
    /// Known to hold only characters the fast tokenizer covers
    /// ([`latin::covered`]; set by the builder, which sees every character
    /// that reaches the prose; `false` when unknown): such text needs no
    /// look for other characters.
    covered: bool,
    /// May hold a line break (`\n` or `\r`): the builder collapses every
    /// whitespace run, so only decoded text brings one in.
    line_breaks: bool,
}

/// A sentence of one block.
#[derive(Clone, Debug)]
pub struct Sentence {
    /// Where the sentence lies in the prose.
    pub span: Span,
    /// Index of its block in [`Document::blocks`].
    pub block: usize,
    /// Indices of its words in [`Document::words`].
    pub words: Range<usize>,
}

/// A document, tokenized once: every rule reads these tables.
#[derive(Debug)]
pub struct Document {
    source: String,
    markup: Markup,
    /// Built on first use: findings are placed by a cursor over the source
    /// (`engine`), so most runs never need every line's start.
    lines: std::sync::OnceLock<LineIndex>,
    /// The prose, its offset map, blocks, sentences, words and their ids,
    /// quotations, strong spans and comments: given back to the thread's
    /// spare tables when the document is dropped.
    tables: Tables,
    vocabulary: Vocabulary,
    directives: Vec<Directive>,
    /// Set on an outline: the words its sections held (it has no tables).
    outline_words: Option<usize>,
    /// Every block is covered (see [`Document::covered`]).
    covered: bool,
}

impl Document {
    fn assemble(source: String, markup: Markup, mut tables: Tables) -> Document {
        // a large document's tables dominate its memory: no doubling slack
        // (tables small enough to be kept for the next document keep
        // theirs; this is asked again once all are filled)
        if !tables.kept() {
            shrink(&mut tables.prose);
            tables.map.shrink();
        }
        // the tables as locals while they are filled, as before they were
        // pooled (the word loop keeps their lengths closer at hand)
        let prose = std::mem::take(&mut tables.prose);
        let mut blocks = std::mem::take(&mut tables.blocks);
        let mut sentences = std::mem::take(&mut tables.sentences);
        let mut words = std::mem::take(&mut tables.words);
        let mut word_ids = std::mem::take(&mut tables.word_ids);
        let mut quotes = std::mem::take(&mut tables.quotes);
        // working lists, kept per thread between documents
        let mut scratch = SCRATCH.take();
        let Scratch {
            sentence_spans,
            breaks,
            terminators,
            quote_marks,
        } = &mut scratch;
        // room up front, so the tables are not copied as they grow: English
        // prose averages about six bytes a word and sixty a sentence
        room(&mut sentences, prose.len() / 48 + 4);
        room(&mut words, prose.len() / 5 + 4);
        room(&mut word_ids, prose.len() / 5 + 4);
        // distinct words: a few hundred in a page, a small share of a book
        let mut vocabulary = Vocabulary::with_capacity(64 + prose.len() / 32);
        quotes.clear();
        for (bi, block) in blocks.iter_mut().enumerate() {
            let text = &prose[block.span.range()];
            let base = block.span.start as usize;
            sentence_spans.clear();
            debug_assert!(!block.covered || latin::covered(text));
            debug_assert!(block.line_breaks || !text.contains(['\n', '\r']));
            let first = sentences.len();
            if block.covered {
                // one pass over the block for its words, which also marks
                // its terminators and quotation marks for the sentence
                // breaks and quotations, found from those marks alone
                let w0 = words.len();
                terminators.clear();
                quote_marks.clear();
                // the block's words are read eight bytes at a time past its
                // end when what follows it ends a word (the line break
                // before the next block, or a space)
                let ahead = match prose.as_bytes().get(block.span.end as usize) {
                    Some(b' ' | b'\n') => &prose.as_bytes()[base..],
                    _ => text.as_bytes(),
                };
                latin::words_keyed(
                    text,
                    ahead,
                    |s, e, key, rest| {
                        words.push(Span::new(base + s, base + e));
                        word_ids.push(if key == 0 {
                            vocabulary.intern_at(&prose, base + s..base + e)
                        } else if rest == 0 {
                            vocabulary.intern_key(key, &prose, base + s..base + e)
                        } else {
                            vocabulary.intern_keys(key, rest, e - s)
                        });
                    },
                    |at, b| {
                        if matches!(b, b'.' | b'!' | b'?') {
                            terminators.push(at);
                        } else {
                            quote_marks.push(at);
                        }
                    },
                );
                quotes::quoted_spans_at(text, base, quote_marks, &mut quotes);
                if block.line_breaks {
                    breaks.clear();
                    latin::sentence_breaks(text, true, breaks);
                    segment::sentences_between(text, base, breaks, sentence_spans);
                } else {
                    latin::sentences_at(text, base, terminators, sentence_spans);
                }
                // in this text no word runs across a sentence boundary (a
                // break follows a terminator, which never joins two letters
                // or digits), so each sentence's words are those inside its
                // span
                let mut w = w0;
                for &span in sentence_spans.iter() {
                    let start = w;
                    w += words[w..].partition_point(|x| x.start < span.end);
                    debug_assert!(
                        words[start..w]
                            .iter()
                            .all(|x| x.start >= span.start && x.end <= span.end)
                    );
                    sentences.push(Sentence {
                        span,
                        block: bi,
                        words: start..w,
                    });
                }
                debug_assert_eq!(w, words.len());
            } else {
                quotes::quoted_spans(text, base, &mut quotes);
                segment::sentences(text, base, false, block.line_breaks, breaks, sentence_spans);
                for &span in sentence_spans.iter() {
                    let w0 = words.len();
                    segment::words(&prose[span.range()], span.start as usize, false, &mut words);
                    for w in &words[w0..] {
                        word_ids.push(vocabulary.intern_at(&prose, w.range()));
                    }
                    sentences.push(Sentence {
                        span,
                        block: bi,
                        words: w0..words.len(),
                    });
                }
            }
            block.sentences = first..sentences.len();
        }
        // a huge document's lists are not kept for the small ones after it
        if sentence_spans.capacity() + breaks.capacity() + terminators.capacity() <= KEPT_SCRATCH
            && quote_marks.capacity() <= KEPT_SCRATCH
        {
            SCRATCH.set(scratch);
        }
        quotes.sort_unstable();
        vocabulary.finish();
        tables.prose = prose;
        tables.blocks = blocks;
        tables.sentences = sentences;
        tables.words = words;
        tables.word_ids = word_ids;
        tables.quotes = quotes;
        if !tables.kept() {
            shrink(&mut tables.prose);
            tables.map.shrink();
            shrink_vec(&mut tables.words);
            shrink_vec(&mut tables.word_ids);
            shrink_vec(&mut tables.sentences);
        }
        let directives = tables
            .comments
            .iter()
            .filter_map(|r| directive::parse(source.get(r.clone())?, r.start))
            .collect();
        Document {
            source,
            markup,
            lines: std::sync::OnceLock::new(),
            tables,
            vocabulary,
            directives,
            outline_words: None,
            // the builder knows, and says so (`set_covered`)
            covered: false,
        }
    }

    /// The outline of a document checked section by section
    /// (`source::sections`): the source, its lines and its word count,
    /// without the prose tables, which lived only while each section was
    /// checked. Reporters that show findings in their source need no more.
    pub fn outline(source: String, markup: Markup, words: usize) -> Document {
        Document {
            source,
            markup,
            lines: std::sync::OnceLock::new(),
            // none taken from the thread's spare tables, which the next
            // document checked on this thread will want (empty, they are
            // not given back either)
            tables: Tables::default(),
            vocabulary: Vocabulary::empty(),
            directives: Vec::new(),
            outline_words: Some(words),
            covered: false,
        }
    }

    /// [`Document::outline`] with the source's line index already built
    /// (`lines` must be `LineIndex::new(&source)`), so that a caller can
    /// build it on a thread that would otherwise wait.
    pub fn outline_with_lines(
        source: String,
        markup: Markup,
        words: usize,
        lines: LineIndex,
    ) -> Document {
        let mut doc = Document::outline(String::new(), markup, words);
        // an outline has no comments, so no directives to read off the
        // source: its text and lines are all it takes from it
        doc.source = source;
        doc.lines = std::sync::OnceLock::from(lines);
        doc
    }

    /// This document's [`Document::outline`]: the source, its lines (if
    /// built) and its word count, the prose tables dropped. What a caller
    /// that only reports findings keeps of a checked document, so that one
    /// waiting for its turn holds about its source's size, not several
    /// times it.
    pub fn into_outline(self) -> Document {
        let words = self.word_count();
        let mut outline = Document::outline(self.source, self.markup, words);
        outline.lines = self.lines;
        // the prose tables are dropped here, on the thread that built them,
        // and go back to its spare tables, as the vocabulary's do
        outline
    }

    /// The original text, exactly as read (after decoding).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Gives the original text back, dropping the tables.
    pub fn into_source(self) -> String {
        self.source
    }

    /// The markup the document was read as.
    pub fn markup(&self) -> Markup {
        self.markup
    }

    /// The normalised prose every rule matches against: markup removed,
    /// whitespace runs collapsed to one space, blocks joined by `\n`.
    pub fn prose(&self) -> &str {
        &self.tables.prose
    }

    /// Whether the builder saw only characters the fast tokenizer covers
    /// (`latin::covered`) go into the prose (between blocks there are
    /// only ASCII separators): ASCII and Latin letters and punctuation.
    /// Lets a reader that asks about the whole prose's characters skip a
    /// pass over it; `false` says nothing.
    pub fn covered(&self) -> bool {
        self.covered
    }

    /// Records that every block is covered: the builder, which saw each
    /// character go in, knows this without a look at the blocks.
    fn set_covered(&mut self, covered: bool) {
        debug_assert!(!covered || self.tables.blocks.iter().all(|b| b.covered));
        self.covered = covered;
    }

    /// The text of a prose span.
    pub fn text(&self, span: Span) -> &str {
        &self.tables.prose[span.range()]
    }

    /// Blocks in document order.
    pub fn blocks(&self) -> &[Block] {
        &self.tables.blocks
    }

    /// Sentences in document order.
    pub fn sentences(&self) -> &[Sentence] {
        &self.tables.sentences
    }

    /// Words in document order.
    pub fn words(&self) -> &[Span] {
        &self.tables.words
    }

    /// The id of each word (parallel to [`Document::words`]): equal ids
    /// are the same word, ignoring case. Compare words through these rather
    /// than by lowercasing their text again.
    pub fn word_ids(&self) -> &[u32] {
        &self.tables.word_ids
    }

    /// The document's distinct lowercased words, by id.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Quoted stretches of prose, sorted.
    pub fn quotes(&self) -> &[Span] {
        &self.tables.quotes
    }

    /// Bold (strong) stretches of prose, sorted.
    pub fn strong(&self) -> &[Span] {
        &self.tables.strong
    }

    /// The bold lead-in of block `block`: a strong span that opens the
    /// block, after nothing but symbols or spaces (`**Speed:** fast`,
    /// `🚀 **Speed** — fast`). Used by rules on bold inline headers.
    pub fn lead_strong(&self, block: usize) -> Option<Span> {
        let b = self.tables.blocks.get(block)?;
        let i = self
            .tables
            .strong
            .partition_point(|s| s.start < b.span.start);
        let s = *self.tables.strong.get(i)?;
        if s.end > b.span.end {
            return None;
        }
        let before = &self.tables.prose[b.span.start as usize..s.start as usize];
        before.chars().all(|c| !c.is_alphanumeric()).then_some(s)
    }

    /// The source text of block `block`'s list marker (`-`, `1.`, `•`), if
    /// it is a list item written with one.
    pub fn list_marker(&self, block: usize) -> Option<&str> {
        let range = self.tables.blocks.get(block)?.marker.clone()?;
        self.source.get(range)
    }

    /// Source byte ranges of the text of every comment (HTML comments in
    /// Markdown and HTML, directive lines in plain text), in order.
    pub fn comments(&self) -> &[Range<usize>] {
        &self.tables.comments
    }

    /// The inline configuration directives found in the comments, in order.
    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    /// Number of words of prose.
    pub fn word_count(&self) -> usize {
        self.outline_words.unwrap_or(self.tables.words.len())
    }

    /// The sentence that contains prose offset `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self
            .tables
            .sentences
            .partition_point(|s| (s.span.end as usize) <= offset);
        (i < self.tables.sentences.len() && self.tables.sentences[i].span.contains(offset))
            .then_some(i)
    }

    /// The block that contains prose offset `offset`, if any.
    pub fn block_at(&self, offset: usize) -> Option<usize> {
        let i = self
            .tables
            .blocks
            .partition_point(|b| (b.span.end as usize) <= offset);
        (i < self.tables.blocks.len() && self.tables.blocks[i].span.contains(offset)).then_some(i)
    }

    /// Marks the builder's cited spans (titles) as someone else's words,
    /// like quotations: rules do not flag what starts inside them.
    fn cite(&mut self) {
        let t = &mut self.tables;
        if t.cited.is_empty() {
            return;
        }
        t.quotes.extend_from_slice(&t.cited);
        t.quotes.sort_unstable();
        merge_overlapping(&mut t.quotes);
    }

    /// Whether a prose span starts inside a quotation or a block quote.
    pub fn is_quoted(&self, span: Span) -> bool {
        let i = self.tables.quotes.partition_point(|q| q.end <= span.start);
        if self
            .tables
            .quotes
            .get(i)
            .is_some_and(|q| q.contains(span.start as usize))
        {
            return true;
        }
        self.block_at(span.start as usize)
            .is_some_and(|b| self.tables.blocks[b].quoted)
    }

    /// The range of source bytes a prose span came from.
    pub fn source_range(&self, span: Span) -> Range<usize> {
        self.tables.map.range(span.range())
    }

    /// [`Document::source_range`] for prose spans taken in order of their
    /// starts.
    pub fn source_ranges(&self) -> RangeCursor<'_> {
        self.tables.map.ranges()
    }

    /// The line index of the source text.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.source))
    }

    /// Whether the line index has been built (tests check who needs it).
    #[cfg(test)]
    pub(crate) fn has_line_index(&self) -> bool {
        self.lines.get().is_some()
    }

    /// The 1-based line and column of a source byte offset.
    pub fn line_col(&self, source_offset: usize) -> LineCol {
        self.lines().line_col(&self.source, source_offset)
    }
}

/// The working lists of [`Document::assemble`], one block's worth each.
#[derive(Default)]
struct Scratch {
    sentence_spans: Vec<Span>,
    breaks: Vec<usize>,
    terminators: Vec<usize>,
    quote_marks: Vec<usize>,
}

/// Elements beyond which [`Scratch`] lists are dropped, not kept.
const KEPT_SCRATCH: usize = 1 << 16;

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// Gives back a string's spare capacity when it is a sizeable share.
fn shrink(s: &mut String) {
    if s.capacity() > s.len() + s.len() / 8 + 4096 {
        s.shrink_to_fit();
    }
}

/// Gives back a vector's spare capacity when it is a sizeable share.
/// Merges overlapping or touching spans of a sorted list in place, so that
/// a binary search finds the one span containing an offset.
fn merge_overlapping(spans: &mut Vec<Span>) {
    // spans[..kept] are merged; each next span joins the last or follows it
    let mut kept = 0usize;
    for i in 0..spans.len() {
        let s = spans[i];
        match kept.checked_sub(1).map(|k| &mut spans[k]) {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => {
                spans[kept] = s;
                kept += 1;
            }
        }
    }
    spans.truncate(kept);
}

fn shrink_vec<T>(v: &mut Vec<T>) {
    if v.capacity() > v.len() + v.len() / 8 + 512 {
        v.shrink_to_fit();
    }
}

/// `count` pseudo-random strings of up to `max_len` characters drawn from
/// `alphabet`, the same every run: for tests of the tokenizer on text no
/// one would think to write.
#[cfg(test)]
fn random_texts(alphabet: &str, max_len: u64, count: usize) -> Vec<String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (0..(x % max_len))
                .map(|k| {
                    let r = x.wrapping_mul(k + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                    alphabet[r as usize % alphabet.len()]
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_blocks_sentences_words() {
        let doc = Document::plain("First one. Second one.\n\nNew para\nwraps here.\n");
        assert_eq!(doc.blocks().len(), 2);
        assert_eq!(doc.sentences().len(), 3);
        assert_eq!(doc.text(doc.sentences()[2].span), "New para wraps here.");
        assert_eq!(doc.word_count(), 8);
        let s = doc.sentences()[2].span;
        assert_eq!(
            doc.line_col(doc.source_range(s).start),
            LineCol { line: 3, column: 1 }
        );
        assert_eq!(
            doc.line_col(doc.source_range(s).end),
            LineCol {
                line: 4,
                column: 12
            }
        );
    }

    #[test]
    fn an_outline_keeps_source_lines_and_word_count_only() {
        let src = "First one. Second one.\n\nNew para\nwraps here.\n";
        let doc = Document::plain(src);
        let at = doc.line_col(20);
        let outline = doc.into_outline();
        assert_eq!(outline.source(), src);
        assert_eq!(outline.word_count(), 8);
        assert_eq!(outline.markup(), Markup::Plain);
        assert!(outline.has_line_index(), "a built index is kept");
        assert_eq!(outline.line_col(20), at);
        assert!(outline.words().is_empty() && outline.blocks().is_empty());
        assert!(outline.prose().is_empty());
        // an index not built before is built from the source on demand
        let outline = Document::plain(src).into_outline();
        assert!(!outline.has_line_index());
        assert_eq!(outline.line_col(24), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn empty_and_whitespace_documents() {
        assert_eq!(Document::plain("").word_count(), 0);
        assert!(Document::plain(" \n\t\n").blocks().is_empty());
    }

    /// Words are found once per block, not per sentence: on random prose
    /// over the characters that matter to both segmentations, each
    /// sentence's words are exactly the UAX #29 words of its text, and
    /// equal words (ignoring case) share an id.
    #[test]
    fn block_words_are_the_words_of_each_sentence() {
        let alphabet =
            "aZ  .!?\"'(),-:;_xY0 1bQ \u{e9}\u{c9}\u{2014}\u{2019}\u{201c}\u{201d}\u{2026}";
        for src in random_texts(alphabet, 80, 3000) {
            let doc = Document::plain(src.clone());
            let mut expected = Vec::new();
            for s in doc.sentences() {
                let w0 = expected.len();
                segment::words(
                    doc.text(s.span),
                    s.span.start as usize,
                    false,
                    &mut expected,
                );
                assert_eq!(s.words, w0..expected.len(), "{src:?}");
            }
            assert_eq!(doc.words(), expected, "{src:?}");
            for (i, w) in doc.words().iter().enumerate() {
                let id = doc.word_ids()[i];
                let lower = doc.text(*w).to_lowercase();
                assert_eq!(doc.vocabulary().text(id), lower, "{src:?}");
                // one id per distinct word, however the scan found it
                assert_eq!(doc.vocabulary().id(&lower), Some(id), "{src:?}");
            }
        }
    }

    /// Words of every length around the eight and sixteen bytes the word
    /// scan packs into keys, in any case and next to joiners, digits and
    /// the end of the text, get the ids interning each word alone gives.
    #[test]
    fn long_words_share_ids_with_their_other_cases() {
        let stems = "abcdefghijklmnopqrstuvwx";
        let mut src = String::new();
        for len in 1..=stems.len() {
            let w = &stems[..len];
            let upper = w.to_uppercase();
            let title = format!("{}{}", &upper[..1], &w[1..]);
            src.push_str(&format!(
                "{w} {upper}. {title}, ({w}) {w}'s {w}9 {w}_x {title}.{w} \"{upper}\" {w}\n\n"
            ));
        }
        src.push_str("abcdefghijklmno");
        let doc = Document::plain(src.clone());
        let mut alone = Vocabulary::default();
        for (w, &id) in doc.words().iter().zip(doc.word_ids()) {
            let text = doc.text(*w);
            let lower = text.to_lowercase();
            assert_eq!(doc.vocabulary().text(id), lower, "{text}");
            assert_eq!(doc.vocabulary().id(&lower), Some(id), "{text}");
            assert_eq!(alone.intern(text), id, "{text}");
        }
        assert_eq!(doc.vocabulary().len(), alone.len());
    }

    /// The builder marks a block covered when every character it put in
    /// the prose is one the fast tokenizer knows (characters the prose
    /// drops, such as a no-break space or a curly apostrophe made
    /// straight, do not count), and marks where a decoded line break may be.
    #[test]
    fn blocks_know_their_characters() {
        let doc = Document::plain(
            "Plain words here.\n\nA caf\u{e9}.\n\nNo\u{a0}break.\n\nIt\u{2019}s.\n\n\u{4e2d}\u{6587}.\n",
        );
        let covered: Vec<bool> = doc.blocks().iter().map(|b| b.covered).collect();
        assert_eq!(covered, [true, true, true, true, false]);
        assert!(doc.blocks().iter().all(|b| !b.line_breaks));
        let mut b = ProseBuilder::new();
        b.push_text(0, "one");
        b.push_replaced(3..8, "\nx");
        b.start_block(BlockKind::Paragraph, false);
        b.push_text(9, "two");
        b.push_replaced(12..20, "\u{4e2d}");
        let doc = b.finish("one&#10;x two&#20013;".to_string(), Markup::Plain);
        assert!(doc.blocks()[0].line_breaks && doc.blocks()[0].covered);
        assert!(!doc.blocks()[1].line_breaks && !doc.blocks()[1].covered);
    }

    #[test]
    fn quoted_spans_are_known() {
        let doc = Document::plain("Editors flag \"not just X\" often.");
        let at = doc.prose().find("not").unwrap();
        assert!(doc.is_quoted(Span::new(at, at + 3)));
        assert!(!doc.is_quoted(Span::new(0, 7)));
    }
}
