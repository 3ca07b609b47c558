//! A document's tables (its prose, offset map, blocks, sentences, words,
//! quotations and the builder's working lists), kept per thread from one
//! document to the next: each document allocated and freed about a dozen
//! of them, most as large as its text.
//!
//! The builder takes the thread's spare tables ([`Tables::take`]), the
//! document built from them owns them, and dropping it (a checked
//! document becomes its outline on the thread that built it) gives them
//! back, emptied. Tables are handed over whole, never shared, so nothing
//! of one document can reach the next but spare capacity.

use std::cell::Cell;
use std::ops::Range;

use super::offsets::OffsetMap;
use super::{Block, Sentence, Span};

/// The tables of one document; see the module's description.
#[derive(Debug, Default)]
pub(super) struct Tables {
    pub(super) prose: String,
    pub(super) map: OffsetMap,
    pub(super) blocks: Vec<Block>,
    pub(super) sentences: Vec<Sentence>,
    pub(super) words: Vec<Span>,
    pub(super) word_ids: Vec<u32>,
    pub(super) quotes: Vec<Span>,
    pub(super) strong: Vec<Span>,
    pub(super) comments: Vec<Range<usize>>,
    /// The builder's: starts of the strong spans still open.
    pub(super) strong_open: Vec<usize>,
    /// The builder's: cited titles, merged into `quotes` when it finishes.
    pub(super) cited: Vec<Span>,
}

/// Bytes of tables beyond which they are freed, not kept: those of a
/// document of about 1.5 MB (a large file's sections are 1 MiB), so a
/// huge document's are not held for the small ones after it.
const KEPT_BYTES: usize = 8 << 20;

thread_local! {
    static SPARE: Cell<Option<Tables>> = const { Cell::new(None) };
}

impl Tables {
    /// The thread's spare tables, empty, or new ones if it has none.
    pub(super) fn take() -> Tables {
        SPARE
            .try_with(Cell::take)
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// The bytes the tables hold allocated.
    fn bytes(&self) -> usize {
        fn of<T>(v: &Vec<T>) -> usize {
            v.capacity() * size_of::<T>()
        }
        self.prose.capacity()
            + self.map.capacity_bytes()
            + of(&self.blocks)
            + of(&self.sentences)
            + of(&self.words)
            + of(&self.word_ids)
            + of(&self.quotes)
            + of(&self.strong)
            + of(&self.comments)
            + of(&self.strong_open)
            + of(&self.cited)
    }

    /// Whether these tables go back to the thread when dropped: not a huge
    /// document's, nor ones that hold nothing (an outline's).
    pub(super) fn kept(&self) -> bool {
        (1..=KEPT_BYTES).contains(&self.bytes())
    }
}

impl Drop for Tables {
    fn drop(&mut self) {
        if !self.kept() {
            return;
        }
        // the thread keeps one set: when several documents were alive at
        // once, the first dropped is kept and the others freed (never
        // replacing the kept set, whose drop would come back here)
        let _ = SPARE.try_with(|spare| {
            let held = spare.take();
            if held.is_some() {
                spare.set(held);
                return;
            }
            let mut map = std::mem::take(&mut self.map);
            map.clear();
            spare.set(Some(Tables {
                prose: emptied_string(&mut self.prose),
                map,
                blocks: emptied(&mut self.blocks),
                sentences: emptied(&mut self.sentences),
                words: emptied(&mut self.words),
                word_ids: emptied(&mut self.word_ids),
                quotes: emptied(&mut self.quotes),
                strong: emptied(&mut self.strong),
                comments: emptied(&mut self.comments),
                strong_open: emptied(&mut self.strong_open),
                cited: emptied(&mut self.cited),
            }));
        });
    }
}

fn emptied<T>(v: &mut Vec<T>) -> Vec<T> {
    let mut v = std::mem::take(v);
    v.clear();
    v
}

fn emptied_string(s: &mut String) -> String {
    let mut s = std::mem::take(s);
    s.clear();
    s
}

/// Empties `v` and makes room for `n` elements. An allocation too small is
/// replaced rather than grown: growing would copy its old contents.
pub(super) fn room<T>(v: &mut Vec<T>, n: usize) {
    v.clear();
    if v.capacity() < n {
        *v = Vec::with_capacity(n);
    }
}

/// [`room`] for a string.
pub(super) fn room_string(s: &mut String, n: usize) {
    s.clear();
    if s.capacity() < n {
        *s = String::with_capacity(n);
    }
}

#[cfg(test)]
mod tests {
    use super::{KEPT_BYTES, Tables};
    use crate::text::{BlockKind, Document, Markup, ProseBuilder};

    /// Everything a document's tables say, as text.
    fn contents(doc: &Document) -> String {
        let t = &doc.tables;
        let vocabulary: Vec<&str> = (0..doc.vocabulary().len() as u32)
            .map(|id| doc.vocabulary().text(id))
            .collect();
        format!(
            "{:?}",
            (
                &t.prose,
                &t.map,
                &t.blocks,
                &t.sentences,
                &t.words,
                &t.word_ids,
                &t.quotes,
                &t.strong,
                &t.comments,
                doc.directives(),
                vocabulary,
            )
        )
    }

    /// A document with a bit of every table: blocks of each kind, a list
    /// marker, strong spans (one left open), a cited title, quotations,
    /// comments with a directive, a decoded entity.
    fn rich(n: usize) -> Document {
        let mut source = String::new();
        let mut b = ProseBuilder::with_capacity(n * 64);
        for i in 0..n {
            let at = source.len();
            let line = format!(
                "Title {i} \"quoted {i}\" **bold** &amp; more. Second {i}?\n<!-- telltale-disable hedging -->\n"
            );
            source.push_str(&line);
            b.start_block(
                [
                    BlockKind::Heading(2),
                    BlockKind::ListItem,
                    BlockKind::Paragraph,
                ][i % 3],
                i % 2 == 0,
            );
            b.set_marker(at..at + 1);
            b.start_title();
            b.push_text(at, &line[..8]);
            b.end_title();
            b.push_text(at + 8, &line[8..22]);
            b.start_strong();
            b.push_text(at + 22, &line[22..30]);
            b.end_strong();
            b.start_strong();
            b.push_replaced(at + 31..at + 36, "&");
            b.push_text(at + 36, &line[36..line.find('\n').unwrap_or(36)]);
            let comment = at + line.find("telltale").unwrap_or(0);
            b.push_comment(comment..comment + 25);
        }
        b.finish(source, Markup::Markdown)
    }

    /// A document built from the tables another left to its thread has
    /// the tables it would have had from new ones: nothing of the first
    /// (a larger one, with every kind of table filled) carries over.
    #[test]
    fn a_document_knows_nothing_of_the_one_before() {
        let fresh = {
            // held, so the document below is built from new tables
            let _held = Tables::take();
            contents(&rich(3))
        };
        let before = rich(40);
        let words = before.tables.words.capacity();
        assert!(!before.quotes().is_empty() && !before.strong().is_empty());
        assert!(!before.directives().is_empty() && before.tables.cited.len() == 40);
        drop(before);
        let after = rich(3);
        assert_eq!(
            after.tables.words.capacity(),
            words,
            "the tables are reused"
        );
        assert_eq!(contents(&after), fresh);
        // and from plain text, with tables of other shapes
        let plain = "One line. Two.\n\n- item\n".to_string();
        let fresh = {
            let _held = Tables::take();
            contents(&Document::plain(plain.clone()))
        };
        drop(after);
        assert_eq!(contents(&Document::plain(plain)), fresh);
    }

    /// An outline (a checked document's) gives its document's tables back
    /// and, holding none, neither takes nor displaces them; a huge
    /// document's are freed, not kept.
    #[test]
    fn outlines_and_huge_tables_leave_the_spare_alone() {
        let doc = rich(20);
        let (prose, words) = (doc.tables.prose.capacity(), doc.word_count());
        let outline = doc.into_outline();
        assert_eq!(outline.word_count(), words);
        let other = Document::outline(String::new(), Markup::Plain, 0);
        drop((outline, other));
        let next = Tables::take();
        assert_eq!(next.prose.capacity(), prose, "the document's tables");
        assert!(next.prose.is_empty() && next.words.is_empty() && next.cited.is_empty());
        drop(next);
        let mut huge = Tables::take();
        huge.words
            .reserve(KEPT_BYTES / size_of::<crate::text::Span>());
        assert!(!huge.kept());
        drop(huge);
        assert_eq!(Tables::take().prose.capacity(), 0, "nothing kept");
    }
}
