//! What MDX adds to Markdown inside a paragraph: `{expressions}` and JSX
//! tags (`<Chart data={rows} />`), both code. Flow-level JSX is an HTML
//! block to CommonMark and never reaches here; a tag CommonMark does not
//! take for HTML (an attribute written `{[1, 2]}`, a fragment `<>`) comes
//! as paragraph text, and so does every expression.
//!
//! The comments inside expressions (`{/* telltale-disable-next-line */}`)
//! are recorded for directives, as HTML comments are in Markdown: MDX has
//! no HTML comments.

use std::ops::Range;

use super::markdown::verbatim;
use crate::text::ProseBuilder;

/// Where a document's expressions and tags are, as its text events reach
/// them.
#[derive(Default)]
pub(super) struct Code {
    /// The source offset just past the last expression or tag found: text
    /// before it is code.
    end: usize,
    /// The end of the block being read, which bounds the search for an
    /// expression's or tag's end.
    block_end: usize,
    /// Opening braces before this offset are text: one in this block had no
    /// closing brace, so none is looked for again (which keeps a paragraph
    /// of unclosed braces linear).
    braces_literal_until: usize,
    /// The same for `<`.
    tags_literal_until: usize,
    /// The comments of the expression being matched.
    comments: Vec<Range<usize>>,
}

impl Code {
    /// Whether source offset `at` lies in the last expression or tag found.
    pub fn covers(&self, at: usize) -> bool {
        at < self.end
    }

    /// Pushes the prose of a text event at `range`, in a block that ends at
    /// `block_end`, leaving out its expressions and tags, each of which
    /// stands for one space as inline code does.
    #[inline(never)]
    pub fn text(
        &mut self,
        source: &str,
        range: Range<usize>,
        text: &str,
        block_end: usize,
        b: &mut ProseBuilder,
    ) {
        self.block_end = block_end;
        if range.end <= self.end {
            return;
        }
        if !verbatim(source, &range, text) {
            // an escape (`\{`) or an entity: text, unless it lies in code
            if range.start >= self.end {
                b.push_replaced(range, text);
            }
            return;
        }
        let mut from = range.start.max(self.end);
        while from < range.end {
            let rest = &source.as_bytes()[from..range.end];
            let Some(at) = memchr::memchr2(b'{', b'<', rest).map(|i| from + i) else {
                b.push_text(from, &source[from..range.end]);
                return;
            };
            let end = if escaped(source, at) {
                // `\{`: the parser's text starts at the brace itself
                None
            } else if source.as_bytes()[at] == b'{' {
                self.expression_end(source, at)
            } else {
                self.tag_end(source, at)
            };
            match end {
                Some(end) => {
                    if at > from {
                        b.push_text(from, &source[from..at]);
                    }
                    if b.in_block() {
                        b.push_space(at);
                    }
                    for c in self.comments.drain(..) {
                        b.push_comment(c);
                    }
                    self.end = end;
                    from = end;
                }
                None => {
                    b.push_text(from, &source[from..at + 1]);
                    from = at + 1;
                }
            }
        }
    }

    /// The end of the block being read, for an item opened at `at`.
    fn limit(&self, source: &str, at: usize) -> usize {
        self.block_end.max(at + 1).min(source.len())
    }

    /// The offset just past the brace that closes the expression opened at
    /// `open`, skipping strings, template literals and comments (whose
    /// bodies are kept for directives); `None` when the block ends first.
    fn expression_end(&mut self, source: &str, open: usize) -> Option<usize> {
        if open < self.braces_literal_until {
            return None;
        }
        self.comments.clear();
        let limit = self.limit(source, open);
        let end = skip_expression(&source.as_bytes()[..limit], open, &mut self.comments);
        if end.is_none() {
            self.comments.clear();
            self.braces_literal_until = limit;
        }
        end
    }

    /// The offset just past the `>` that ends the JSX tag opened at `open`
    /// (`<Name`, `</Name`, `<>`, `</>`), skipping quoted attribute values
    /// and expressions; `None` when `<` opens no tag or the block ends first.
    fn tag_end(&mut self, source: &str, open: usize) -> Option<usize> {
        let bytes = source.as_bytes();
        let after = bytes.get(open + 1..)?;
        let name = after.strip_prefix(b"/").unwrap_or(after);
        if !name
            .first()
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'>')
            || open < self.tags_literal_until
        {
            return None;
        }
        self.comments.clear();
        let limit = self.limit(source, open);
        let bytes = &bytes[..limit];
        let mut i = open + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'>' => return Some(i + 1),
                quote @ (b'"' | b'\'') => i = skip_string(bytes, i, quote),
                b'{' => match skip_expression(bytes, i, &mut self.comments) {
                    Some(end) => i = end - 1,
                    None => break,
                },
                _ => {}
            }
            i += 1;
        }
        self.comments.clear();
        self.tags_literal_until = limit;
        None
    }
}

/// The offset just past the `}` that closes the brace at `open` in
/// `bytes`, with strings, template literals and comments skipped and the
/// bodies of `/* */` comments added to `comments`.
fn skip_expression(bytes: &[u8], open: usize, comments: &mut Vec<Range<usize>>) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            quote @ (b'"' | b'\'' | b'`') => i = skip_string(bytes, i, quote),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let body = i + 2;
                let len = memchr::memmem::find(bytes.get(body..)?, b"*/")?;
                comments.push(body..body + len);
                i = body + len + 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset of the quote that closes the string opened at `open` (or
/// the end of `bytes`), stepping over backslash escapes.
fn skip_string(bytes: &[u8], open: usize, quote: u8) -> usize {
    let mut i = open + 1;
    while i < bytes.len() && bytes[i] != quote {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i
}

/// Whether the byte at `at` follows an odd run of backslashes.
fn escaped(source: &str, at: usize) -> bool {
    let run = source.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|&&c| c == b'\\')
        .count();
    run % 2 == 1
}
