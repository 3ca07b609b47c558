//! Markdown prose extraction with pulldown-cmark's offset iterator.
//!
//! Paragraphs, headings, list items, table cells, block quotes, link text,
//! image alt text and emphasis are prose; code (fenced, indented, inline),
//! raw HTML, autolinks, link destinations, front matter and math are not.
//! Headings, list items, cells, block quotes and bold spans are recorded on
//! the document for structural rules. The text of a link that leads its
//! block (`- [Title](url)` in a digest) is the linked page's title, someone
//! else's words, and is marked quoted like a quotation. MDX's `import`/`export` statements
//! (top-level paragraphs that start with one) are code too; its JSX tags are
//! HTML blocks to CommonMark, so the Markdown between them stays prose. In
//! a file read as MDX, `{expressions}` are code as well, and the comments
//! inside them (`{/* telltale-disable-next-line */}`) carry directives, as
//! HTML comments do in Markdown (MDX has no HTML comments).

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{mdx, pieces};
use crate::text::{BlockKind, Document, Markup, ProseBuilder};

/// The CommonMark extensions telltale reads.
pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// Reads Markdown `source` into a document.
pub fn document(source: String) -> Document {
    extract(source, false)
}

/// Reads Markdown `source` into a document, parsed in one piece however
/// long it is.
pub fn document_in_one_piece(source: String) -> Document {
    extract_in_pieces(source, false, usize::MAX)
}

/// Reads MDX `source` into a document: Markdown whose `{expressions}` are
/// code.
pub fn mdx_document(source: String) -> Document {
    extract(source, true)
}

/// The extraction of both. One loop, not one per markup (with two, the
/// parser's iterator was no longer inlined into either: +1 % instructions
/// on Markdown), and MDX's checks only inside the arms it changes.
fn extract(source: String, mdx: bool) -> Document {
    extract_in_pieces(source, mdx, pieces::PIECE_BYTES)
}

/// [`extract`] with long Markdown parsed in pieces of about `piece_bytes`
/// (`pieces.rs`); MDX is parsed whole, since an expression may span a
/// blank line.
fn extract_in_pieces(source: String, mdx: bool, piece_bytes: usize) -> Document {
    let mut b = ProseBuilder::with_capacity(source.len());
    let target = if mdx { usize::MAX } else { piece_bytes };
    for piece in pieces::pieces(&source, target) {
        read_piece(&source, piece, mdx, &mut b);
    }
    b.finish(source, if mdx { Markup::Mdx } else { Markup::Markdown })
}

/// Reads the events of `piece` of `source` into `b`. Nothing is open
/// where one piece ends and the next starts, so each starts afresh. Kept
/// a function of its own: inlined into the loop over the pieces, it cost
/// about 900 instructions more a document of 5 KB (+0.14 % on the
/// generated corpus).
#[inline(never)]
fn read_piece(source: &str, piece: std::ops::Range<usize>, mdx: bool, b: &mut ProseBuilder) {
    {
        let mut quote_depth = 0usize;
        // inside code, HTML blocks, metadata or autolinks: not prose
        let mut skip_depth = 0usize;
        // innermost container that gives a paragraph its kind
        let mut item_depth = 0usize;
        let mut item_has_block = false;
        // the open item's marker, until its first block is started
        let mut marker: Option<std::ops::Range<usize>> = None;
        // inside an MDX import/export paragraph
        let mut in_esm = false;
        // MDX: the expressions and tags found, and the end of the block being
        // read, which bounds the search for one's end
        let mut code = mdx::Code::default();
        let mut block_end = 0;
        // Events are read against the piece, and what goes into the
        // builder is moved by its start: moving every event's range instead
        // cost about 5,000 instructions a document of 5 KB, where most
        // events do not need it.
        let base = piece.start;
        let source = &source[piece];
        // MDX is read in one piece: its expressions' offsets stay unmoved
        debug_assert!(base == 0 || !mdx);
        for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
            match event {
                Event::Start(tag) => match tag {
                    Tag::HtmlBlock => {
                        comments_in(source, range, base, b);
                        skip_depth += 1;
                    }
                    Tag::CodeBlock(_) | Tag::MetadataBlock(_) => skip_depth += 1,
                    Tag::Link {
                        link_type: LinkType::Autolink | LinkType::Email,
                        ..
                    } => skip_depth += 1,
                    Tag::Link { .. } if skip_depth == 0 => b.start_title(),
                    Tag::BlockQuote(_) => {
                        b.end_block();
                        quote_depth += 1;
                    }
                    Tag::List(_) => b.end_block(),
                    Tag::Item => {
                        block_end = range.end;
                        item_depth += 1;
                        item_has_block = false;
                        b.start_block(BlockKind::ListItem, quote_depth > 0);
                        marker =
                            list_marker(source, range.start).map(|m| m.start + base..m.end + base);
                        if let Some(m) = marker.clone() {
                            b.set_marker(m);
                        }
                    }
                    Tag::Paragraph
                        if item_depth == 0
                            && quote_depth == 0
                            && source.get(range.clone()).is_some_and(is_esm) =>
                    {
                        in_esm = true;
                        skip_depth += 1;
                    }
                    Tag::Paragraph => {
                        block_end = range.end;
                        let kind = if item_depth > 0 && !item_has_block {
                            BlockKind::ListItem
                        } else {
                            BlockKind::Paragraph
                        };
                        item_has_block = true;
                        b.start_block(kind, quote_depth > 0);
                        if let Some(m) = marker.take().filter(|_| kind == BlockKind::ListItem) {
                            b.set_marker(m);
                        }
                    }
                    Tag::Heading { level, .. } => {
                        block_end = range.end;
                        b.start_block(BlockKind::Heading(level as u8), quote_depth > 0)
                    }
                    Tag::TableCell => {
                        block_end = range.end;
                        b.start_block(BlockKind::TableCell, quote_depth > 0)
                    }
                    Tag::Strong => b.start_strong(),
                    _ => {}
                },
                Event::End(tag) => match tag {
                    TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => {
                        skip_depth = skip_depth.saturating_sub(1)
                    }
                    TagEnd::Link if skip_depth > 0 => skip_depth -= 1,
                    TagEnd::Link => b.end_title(),
                    TagEnd::BlockQuote(_) => {
                        b.end_block();
                        quote_depth = quote_depth.saturating_sub(1);
                    }
                    TagEnd::Item => {
                        b.end_block();
                        item_depth = item_depth.saturating_sub(1);
                        item_has_block = true;
                    }
                    TagEnd::Paragraph if in_esm => {
                        in_esm = false;
                        skip_depth = skip_depth.saturating_sub(1);
                    }
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell => b.end_block(),
                    TagEnd::Strong => b.end_strong(),
                    _ => {}
                },
                Event::Text(text) if skip_depth == 0 => {
                    // (dereferenced once: CowStr's deref is a call)
                    let text: &str = &text;
                    if mdx {
                        code.text(source, range, text, block_end, b);
                    } else if verbatim(source, &range, text) {
                        b.push_text(range.start + base, text);
                    } else {
                        b.push_replaced(range.start + base..range.end + base, text);
                    }
                }
                Event::Text(_) => {}
                Event::InlineHtml(_) if mdx && code.covers(range.start) => {}
                Event::InlineHtml(html) => {
                    comments_in(source, range.clone(), base, b);
                    match inline_tag(&html) {
                        // <code>, <kbd>, <samp> written as HTML are code too
                        Some((name, open)) if is_code_tag(&name) => {
                            if open {
                                skip_depth += 1;
                            } else {
                                skip_depth = skip_depth.saturating_sub(1);
                            }
                        }
                        Some((name, open)) if name == "b" || name == "strong" => {
                            if open {
                                b.start_strong();
                            } else {
                                b.end_strong();
                            }
                        }
                        // other inline tags (<em>, <span>, <a>) do not split words
                        Some((name, _))
                            if !matches!(name.as_str(), "br" | "img" | "hr" | "wbr") => {}
                        _ => {
                            if b.in_block() {
                                b.push_space(range.start + base);
                            }
                        }
                    }
                }
                // code, HTML and breaks inside an expression are its own
                Event::Code(_)
                | Event::InlineMath(_)
                | Event::DisplayMath(_)
                | Event::Html(_)
                | Event::FootnoteReference(_)
                | Event::SoftBreak
                | Event::HardBreak
                    if mdx && code.covers(range.start) => {}
                Event::Code(_)
                | Event::InlineMath(_)
                | Event::DisplayMath(_)
                | Event::Html(_)
                | Event::FootnoteReference(_)
                | Event::SoftBreak
                | Event::HardBreak => {
                    if b.in_block() {
                        b.push_space(range.start + base);
                    }
                }
                Event::Rule | Event::TaskListMarker(_) => {}
            }
        }
    }
}

/// Whether a text event's `text` is its source `range` as written (not
/// unescaped or decoded). Text borrowed from that very range is, which
/// most text is; the comparison is for the rest.
pub(super) fn verbatim(source: &str, range: &std::ops::Range<usize>, text: &str) -> bool {
    let Some(written) = source.get(range.clone()) else {
        return false;
    };
    (written.len() == text.len() && std::ptr::eq(written.as_ptr(), text.as_ptr()))
        || written == text
}

/// The lowercase name of an inline HTML tag and whether it opens (`true`)
/// or closes; `None` for comments, self-closing tags and other HTML.
fn inline_tag(html: &str) -> Option<(String, bool)> {
    let (open, rest) = match html.strip_prefix("</") {
        Some(rest) => (false, rest),
        None => (true, html.strip_prefix('<')?),
    };
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    if name_len == 0 || html.trim_end().ends_with("/>") {
        return None;
    }
    Some((rest[..name_len].to_ascii_lowercase(), open))
}

/// Whether inline HTML element `name` holds code, not prose.
fn is_code_tag(name: &str) -> bool {
    matches!(name, "code" | "kbd" | "samp")
}

/// Whether a paragraph is an MDX ES module statement: `import x from
/// "y"`, `import "y"`, `export const ...` (lowercase, at the line start).
fn is_esm(paragraph: &str) -> bool {
    // most paragraphs are neither: decided before looking for a line end
    if !(paragraph.starts_with("import ") || paragraph.starts_with("export ")) {
        return false;
    }
    let first = paragraph.lines().next().unwrap_or("");
    if let Some(rest) = first.strip_prefix("import ") {
        return rest.contains(" from ") || rest.starts_with(['"', '\'', '{']);
    }
    first.strip_prefix("export ").is_some_and(|rest| {
        [
            "const ",
            "let ",
            "var ",
            "function ",
            "default ",
            "class ",
            "async ",
            "{",
        ]
        .iter()
        .any(|k| rest.starts_with(k))
    })
}

/// The source range of the list marker (`-`, `*`, `+`, `1.`, `1)`) at
/// `at`, where pulldown-cmark starts a list item.
fn list_marker(source: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let rest = source.get(at..)?.as_bytes();
    let len = match rest.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            match rest.get(digits) {
                Some(b'.' | b')') => digits + 1,
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(at..at + len)
}

/// Records every `<!-- ... -->` comment inside `range` of `source`, a
/// piece that starts `base` bytes into the document.
fn comments_in(source: &str, range: std::ops::Range<usize>, base: usize, b: &mut ProseBuilder) {
    let Some(text) = source.get(range.clone()) else {
        return;
    };
    let mut from = 0;
    while let Some(open) = text[from..].find("<!--") {
        let body = from + open + 4;
        let Some(close) = text[body..].find("-->") else {
            break;
        };
        let start = base + range.start + body;
        b.push_comment(start..start + close);
        from = body + close + 3;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Span;

    fn blocks(src: &str) -> Vec<(BlockKind, String)> {
        blocks_of(&document(src.to_string()))
    }

    fn blocks_of(doc: &Document) -> Vec<(BlockKind, String)> {
        doc.blocks()
            .iter()
            .map(|b| (b.kind, doc.text(b.span).to_string()))
            .collect()
    }

    #[test]
    fn code_front_matter_and_urls_are_not_prose() {
        let src = "---\ntitle: delve\n---\n\n# A *Title*\n\nSee `delve` and <https://x.io> or [the docs](https://d.io).\n\n```\ndelve into\n```\n";
        assert_eq!(
            blocks(src),
            [
                (BlockKind::Heading(1), "A Title".to_string()),
                (BlockKind::Paragraph, "See and or the docs.".to_string())
            ]
        );
    }

    #[test]
    fn a_link_that_leads_its_block_is_a_cited_title() {
        let src = "- [Why it matters](https://a.example)\n\n\u{261E} [Our guide](https://b.example)\n\nWe wrote [a short note](https://c.example) on it.\n";
        let doc = document(src.to_string());
        let at = |needle: &str| {
            let i = doc.prose().find(needle).expect("in the prose");
            doc.is_quoted(Span::new(i, i + needle.len()))
        };
        assert!(at("Why it matters"));
        assert!(at("Our guide"));
        assert!(
            !at("a short note"),
            "a link inside a sentence is the writer's"
        );
        assert!(!at("We wrote"));
        assert!(!at("on it"));
    }

    #[test]
    fn lists_tables_and_quotes() {
        let src = "- **Speed:** fast\n- two\n\n> quoted words\n\n| a | b |\n|---|---|\n| c | d |\n";
        let doc = document(src.to_string());
        let kinds: Vec<(BlockKind, bool)> =
            doc.blocks().iter().map(|b| (b.kind, b.quoted)).collect();
        assert_eq!(
            kinds,
            [
                (BlockKind::ListItem, false),
                (BlockKind::ListItem, false),
                (BlockKind::Paragraph, true),
                (BlockKind::TableCell, false),
                (BlockKind::TableCell, false),
                (BlockKind::TableCell, false),
                (BlockKind::TableCell, false),
            ]
        );
        assert_eq!(doc.text(doc.strong()[0]), "Speed:");
        assert_eq!(doc.lead_strong(0), Some(doc.strong()[0]));
        assert_eq!(doc.lead_strong(1), None);
        assert_eq!(doc.list_marker(0), Some("-"));
        assert_eq!(doc.list_marker(2), None);
    }

    #[test]
    fn loose_and_ordered_items_keep_their_markers() {
        let src = "1. **First:** one\n\n   more\n\n2) two\n\n* 🚀 **Fast** — yes\n";
        let doc = document(src.to_string());
        let kinds: Vec<(BlockKind, Option<&str>)> = (0..doc.blocks().len())
            .map(|i| (doc.blocks()[i].kind, doc.list_marker(i)))
            .collect();
        assert_eq!(
            kinds,
            [
                (BlockKind::ListItem, Some("1.")),
                (BlockKind::Paragraph, None),
                (BlockKind::ListItem, Some("2)")),
                (BlockKind::ListItem, Some("*")),
            ]
        );
        assert_eq!(doc.lead_strong(0).map(|s| doc.text(s)), Some("First:"));
        assert_eq!(doc.lead_strong(3).map(|s| doc.text(s)), Some("Fast"));
    }

    #[test]
    fn inline_html_code_is_not_prose() {
        let src = "Press <kbd>Ctrl</kbd> or run <code class=\"x\">delve()</code> and <b>go</b>.\n";
        assert_eq!(
            blocks(src),
            [(BlockKind::Paragraph, "Press or run and go.".to_string())]
        );
        let doc = document("A <b>bold</b>, <em>wo</em>rd and a<br>break.\n".to_string());
        assert_eq!(doc.prose(), "A bold, word and a break.");
        assert_eq!(doc.strong().len(), 1);
        assert_eq!(doc.text(doc.strong()[0]), "bold");
    }

    fn mdx_blocks(src: &str) -> Vec<(BlockKind, String)> {
        blocks_of(&mdx_document(src.to_string()))
    }

    fn paragraphs(blocks: Vec<(BlockKind, String)>) -> Vec<String> {
        blocks.into_iter().map(|(_, text)| text).collect()
    }

    #[test]
    fn mdx_expressions_are_code() {
        let src = "# Hello {props.name}\n\nWe met {count > 1 ? \"twice\" : `once`} in {\n  city\n} today.\n\n{/* a note on the tapestry */}\n\nKeep {{nested: {deep: 1}}} and {\"}\"} out.\n";
        assert_eq!(
            mdx_blocks(src),
            [
                (BlockKind::Heading(1), "Hello".to_string()),
                (BlockKind::Paragraph, "We met in today.".to_string()),
                (BlockKind::Paragraph, "Keep and out.".to_string()),
            ]
        );
        // the same file read as Markdown keeps its braces as prose
        let markdown = paragraphs(blocks(src));
        assert!(markdown[1].starts_with("We met {count"), "{markdown:?}");
    }

    #[test]
    fn mdx_escaped_and_unclosed_braces_are_text() {
        assert_eq!(
            paragraphs(mdx_blocks(
                "Sets like \\{a, b\\} are fine.\n\nAn { unclosed brace { and } more.\n"
            )),
            [
                "Sets like {a, b} are fine.",
                "An { unclosed brace { and } more."
            ]
        );
        // many unclosed braces in one long paragraph: each is text, and the
        // closing brace is not looked for again from each of them
        let long = "a { ".repeat(20_000);
        let text = paragraphs(mdx_blocks(&long));
        assert_eq!(text.len(), 1);
        assert_eq!(text[0].matches('{').count(), 20_000);
    }

    #[test]
    fn mdx_jsx_tags_in_text_are_code() {
        assert_eq!(
            paragraphs(mdx_blocks(
                "See <Chart data={[1, 2]} label=\"a > b\" /> here, and <>a fragment</> too.\n\nFor a < b and x <3 y, <Foo is unclosed.\n"
            )),
            [
                "See here, and a fragment too.",
                "For a < b and x <3 y, <Foo is unclosed."
            ]
        );
        let long = "a <Tag ".repeat(20_000);
        assert_eq!(
            paragraphs(mdx_blocks(&long))[0].matches("<Tag").count(),
            20_000
        );
    }

    #[test]
    fn mdx_comments_carry_directives() {
        use crate::text::DirectiveKind;
        let src = "{/* telltale-disable-next-line hedging */}\nIt may perhaps work.\n\nText {/* telltale-disable-line */} here.\n";
        let doc = mdx_document(src.to_string());
        let kinds: Vec<_> = doc.directives().iter().map(|d| d.kind.clone()).collect();
        assert_eq!(
            kinds,
            [DirectiveKind::DisableNextLine, DirectiveKind::DisableLine]
        );
        let d = &doc.directives()[0];
        assert_eq!(&src[d.ids[0].1.clone()], "hedging");
        assert_eq!(
            paragraphs(mdx_blocks(src)),
            ["It may perhaps work.", "Text here."]
        );
        // an HTML comment is not an MDX comment, but is still read
        assert_eq!(
            mdx_document("<!-- telltale-disable -->\n\nText.\n".to_string())
                .directives()
                .len(),
            1
        );
    }

    #[test]
    fn mdx_imports_and_exports_are_code() {
        let src = "import Chart from './chart'\nimport { a } from \"b\"\n\nexport const meta = { title: 'delve' }\n\n# Title\n\n<Chart data={x} />\n\nWe import goods from abroad.\n\n- import this from that\n";
        assert_eq!(
            blocks(src),
            [
                (BlockKind::Heading(1), "Title".to_string()),
                (
                    BlockKind::Paragraph,
                    "We import goods from abroad.".to_string()
                ),
                (BlockKind::ListItem, "import this from that".to_string()),
            ]
        );
    }

    #[test]
    fn comments_become_directives() {
        let src = "<!-- telltale-disable hedging -->\n\nText <!-- telltale-disable-line puffery --> here.\n";
        let doc = document(src.to_string());
        let ids: Vec<&str> = doc
            .directives()
            .iter()
            .map(|d| &src[d.ids[0].1.clone()])
            .collect();
        assert_eq!(ids, ["hedging", "puffery"]);
        assert_eq!(doc.prose(), "Text here.");
    }

    #[test]
    fn positions_map_into_the_original() {
        let src = "Intro.\n\n| x | delve into it |\n|---|---|\n";
        let doc = document(src.to_string());
        let at = doc.prose().find("delve").expect("cell text is prose");
        let range = doc.source_range(crate::text::Span::new(at, at + 5));
        assert_eq!(&src[range.clone()], "delve");
        assert_eq!(doc.line_col(range.start).line, 3);
    }

    /// Everything extraction records, as text: the prose (with where each
    /// of its characters is in the source), its blocks, sentences, words,
    /// quotations, strong spans, list markers, comments and directives.
    fn extracted(doc: &Document) -> String {
        // where each character of the prose comes from
        let prose = doc.prose();
        let sources: Vec<_> = prose
            .char_indices()
            .map(|(i, c)| doc.source_range(Span::new(i, i + c.len_utf8())))
            .collect();
        let markers: Vec<_> = (0..doc.blocks().len())
            .map(|b| doc.list_marker(b))
            .collect();
        format!(
            "{:?}",
            (
                (doc.prose(), doc.blocks(), doc.sentences(), doc.words()),
                (sources, doc.quotes(), doc.strong(), markers),
                (doc.comments(), doc.directives(), doc.covered()),
            )
        )
    }

    /// A long text parsed in pieces reads as it does parsed whole: every
    /// Markdown file of `corpus/` one after another, cut wherever a piece
    /// of 64 bytes or more can end.
    #[test]
    fn pieces_extract_as_the_whole_does() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut text = String::new();
        for file in &crate::testing::files_under(&corpus, &["md"]) {
            text.push_str(&std::fs::read_to_string(file).expect("readable"));
            text.push_str("\n\n");
        }
        let cut = pieces::pieces(&text, 64).count();
        assert!(cut > 50, "{cut} pieces of {} bytes", text.len());
        let whole = extract_in_pieces(text.clone(), false, usize::MAX);
        let pieced = extract_in_pieces(text, false, 64);
        assert_eq!(extracted(&pieced), extracted(&whole));
    }
}
