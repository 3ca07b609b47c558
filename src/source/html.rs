//! HTML prose extraction with html5gum, a WHATWG-compliant tokenizer that
//! gives every token its byte span in the source.
//!
//! Text nodes are prose; attributes, comments and the contents of `script`,
//! `style`, `pre`, `code`, `textarea`, `template` (and the like) are not,
//! nor is the `<head>` (its `<title>` is metadata, as front matter is in
//! Markdown). Block-level elements become document blocks: `h1`-`h6` are
//! headings, `li` list items, `td`/`th` table cells, text inside
//! `blockquote` is quoted; `strong` and `b` are strong spans; an `a` that
//! opens its block is a cited title, quoted like a quotation. Character
//! references are decoded while offsets keep pointing at the original bytes.
//! Comments are recorded for inline directives.
//!
//! A page is more than its prose: menus, search boxes, help pop-ups and
//! footers come from the site's template and repeat on every page. A
//! `<nav>` is never prose, and a page with a `<main>` element (the
//! dominant content of the body, in the HTML standard's words) is read
//! inside it only, as a reader-mode view would show it. The ARIA landmark
//! roles say the same of older markup (Sphinx writes `<div role="main">`
//! and `role="navigation"`), so they count as the elements they stand
//! for. On a page without a main part, the page's own `<header>` and
//! `<aside>` (those outside any `<article>` or `<section>`) are its
//! banner and sidebars, and footers anywhere hold bylines, copyright and
//! "edit this page" links: none of them is read.

use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::text::{BlockKind, Document, Markup, ProseBuilder};

/// Elements whose contents are never prose: code, scripts, styles, forms'
/// raw text, templates, embedded vector markup, document metadata.
const SKIPPED: &[&[u8]] = &[
    b"script",
    b"style",
    b"pre",
    b"code",
    b"kbd",
    b"samp",
    b"textarea",
    b"template",
    b"noscript",
    b"svg",
    b"math",
    b"head",
    b"title",
    b"iframe",
    b"object",
    b"select",
    b"nav",
];

/// Elements that end the running block and start another.
const BLOCKS: &[&[u8]] = &[
    b"p",
    b"div",
    b"li",
    b"dt",
    b"dd",
    b"td",
    b"th",
    b"tr",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"blockquote",
    b"section",
    b"article",
    b"header",
    b"footer",
    b"main",
    b"nav",
    b"aside",
    b"figure",
    b"figcaption",
    b"caption",
    b"address",
    b"details",
    b"summary",
    b"ul",
    b"ol",
    b"dl",
    b"table",
    b"thead",
    b"tbody",
    b"tfoot",
    b"form",
    b"fieldset",
    b"legend",
    b"body",
    b"html",
    b"hr",
    b"center",
];

/// Void elements that separate words (`a<br>b` is two words).
const BREAKS: &[&[u8]] = &[b"br", b"hr", b"img", b"input", b"wbr", b"area", b"embed"];

/// Void elements: they have no end tag, so skipping one skips nothing.
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr",
];

/// The block kind text directly inside element `name` gets.
fn kind_of(name: &[u8]) -> BlockKind {
    match name {
        [b'h', level @ b'1'..=b'6'] => BlockKind::Heading(level - b'0'),
        b"li" => BlockKind::ListItem,
        b"td" | b"th" => BlockKind::TableCell,
        _ => BlockKind::Paragraph,
    }
}

/// Marks the part of a page outside its `<main>` element on the stack of
/// skipped elements; no tag has this name.
const OUTSIDE_MAIN: &[u8] = b"#outside-main";

/// ARIA landmark roles of parts that are never prose, whatever element
/// carries them: menus, search forms, the page's banner and its footer.
const SKIPPED_ROLES: &[&[u8]] = &[b"navigation", b"search", b"banner", b"contentinfo"];

/// What a start tag is to the reader-mode view of a page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The page's main content: `<main>` or `role="main"`.
    Main,
    /// Never prose: a skipped element or landmark role.
    Skipped,
    /// The page's banner or sidebar when it stands outside any article or
    /// section: `<header>`, `<aside>`, `role="complementary"`.
    PageChrome,
    /// Anything else.
    Other,
}

impl Part {
    fn of(name: &[u8], role: Option<&[u8]>) -> Part {
        match role {
            Some(r) if r.eq_ignore_ascii_case(b"main") => return Part::Main,
            Some(r) if SKIPPED_ROLES.iter().any(|s| r.eq_ignore_ascii_case(s)) => {
                return Part::Skipped;
            }
            Some(r) if r.eq_ignore_ascii_case(b"complementary") => return Part::PageChrome,
            _ => {}
        }
        match name {
            b"main" => Part::Main,
            b"footer" => Part::Skipped,
            b"header" | b"aside" => Part::PageChrome,
            _ if SKIPPED.contains(&name) => Part::Skipped,
            _ => Part::Other,
        }
    }
}

/// The first token of a tag's `role` attribute (the role a browser uses).
fn role(tag: &html5gum::StartTag<usize>) -> Option<&[u8]> {
    let (_, value) = tag
        .attributes
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(b"role"))?;
    value
        .value
        .split(|b| b.is_ascii_whitespace())
        .find(|token| !token.is_empty())
}

/// How the page `telltale report` writes names its generator.
const REPORT_GENERATOR: &[u8] = b"<meta name=\"generator\" content=\"telltale ";

/// Whether `source` is a page written by `telltale report`: a view of
/// other drafts that holds their text, so checking it would report their
/// findings again. Its generator stands in its `<head>`, near the top.
pub fn is_telltale_report(source: &str) -> bool {
    let head = &source.as_bytes()[..source.len().min(8 * 1024)];
    memchr::memmem::find(head, REPORT_GENERATOR).is_some()
}

/// Reads HTML `source` into a document: inside `<main>` only when the page
/// has one (see the module notes).
pub fn document(source: String) -> Document {
    // `<main` may also stand in a script or a comment: a page where the
    // tokenizer met no such element is read whole
    let x = mentions_main(&source)
        .then(|| extract(&source, true))
        .filter(|x| x.saw_main)
        .unwrap_or_else(|| extract(&source, false));
    x.b.finish(source, Markup::Html)
}

/// Whether `<main` (any case) followed by `>`, `/` or a space occurs, or
/// a `role` attribute whose value starts with `main` (written in lower
/// case, as pages write it).
fn mentions_main(source: &str) -> bool {
    let bytes = source.as_bytes();
    let ends_name =
        |b: Option<&u8>| b.is_some_and(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace());
    let element = memchr::memmem::find_iter(bytes, b"<").any(|i| {
        bytes
            .get(i + 1..i + 5)
            .is_some_and(|tag| tag.eq_ignore_ascii_case(b"main"))
            && ends_name(bytes.get(i + 5))
    });
    element
        || memchr::memmem::find_iter(bytes, b"role=").any(|i| {
            let value = &bytes[i + 5..];
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            value.starts_with(b"main")
                && value.get(4).is_none_or(|&b| {
                    b == b'"' || b == b'\'' || b == b'>' || b.is_ascii_whitespace()
                })
        })
}

/// Whether `tag` opens a footnote's link back to where it was cited, as
/// Markdown renderers write them: GitHub's and comrak's
/// `data-footnote-backref`, markdown-it's and Python-Markdown's class
/// `footnote-backref`, pandoc's class `footnote-back` and the DPUB-ARIA
/// role `doc-backlink`.
fn is_backlink(tag: &html5gum::StartTag<usize>) -> bool {
    if !tag.name.eq_ignore_ascii_case(b"a") {
        return false;
    }
    let attribute = |name: &[u8]| {
        tag.attributes
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.value.as_slice())
    };
    attribute(b"data-footnote-backref").is_some()
        || attribute(b"role").is_some_and(|r| r.eq_ignore_ascii_case(b"doc-backlink"))
        || attribute(b"class").is_some_and(|c| {
            c.split(|b| b.is_ascii_whitespace())
                .any(|class| class.starts_with(b"footnote-back"))
        })
}

/// The extractor after reading all of `source`; with `main_only`, text
/// outside `<main>` elements is skipped.
fn extract(source: &str, main_only: bool) -> Extractor {
    let mut x = Extractor {
        b: ProseBuilder::with_capacity(source.len()),
        stack: Vec::new(),
        skip: if main_only {
            vec![OUTSIDE_MAIN.to_vec()]
        } else {
            Vec::new()
        },
        quote_depth: 0,
        item_fresh: false,
        main_only,
        main_depth: 0,
        main_name: Vec::new(),
        saw_main: false,
    };
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    // switch to raw-text states after <script>, <style>, <textarea> ...
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(source, emitter).flatten() {
        match token {
            // a footnote's link back to its reference (`↩`) is navigation
            Token::StartTag(tag) if x.skip.is_empty() && !tag.self_closing && is_backlink(&tag) => {
                x.skip.push(b"a".to_vec());
            }
            Token::StartTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                let part = Part::of(&name, role(&tag));
                x.start(name, part, tag.self_closing, tag.span.start);
            }
            Token::EndTag(tag) => x.end(&tag.name),
            Token::String(text) if x.skip.is_empty() => {
                x.text(source, text.span.start..text.span.end);
            }
            Token::Comment(c) => {
                let raw = source.get(c.span.start..c.span.end).unwrap_or("");
                if let Some(body) = raw.strip_prefix("<!--") {
                    let body = body.strip_suffix("-->").unwrap_or(body);
                    let start = c.span.start + 4;
                    x.b.push_comment(start..start + body.len());
                }
            }
            _ => {}
        }
    }
    x
}

struct Extractor {
    b: ProseBuilder,
    /// Open block-level elements, innermost last.
    stack: Vec<(Vec<u8>, BlockKind)>,
    /// Open skipped elements, innermost last.
    skip: Vec<Vec<u8>>,
    quote_depth: usize,
    /// A list item is open and has no block of its own yet.
    item_fresh: bool,
    /// Only text inside `<main>` is read.
    main_only: bool,
    /// Open elements of the main part's name, from the main part in.
    main_depth: usize,
    /// The name of the element that holds the main part (`main`, or the
    /// element with `role="main"`).
    main_name: Vec<u8>,
    /// A `<main>` element was opened (outside any skipped element).
    saw_main: bool,
}

impl Extractor {
    fn start(&mut self, name: Vec<u8>, part: Part, self_closing: bool, at: usize) {
        if self.main_only && !self_closing {
            if part == Part::Main && self.main_depth == 0 && self.skip.len() == 1 {
                // only the template's part of the page is skipped here
                self.skip.clear();
                self.saw_main = true;
                self.main_name.clone_from(&name);
            }
            // nested elements of the main part's name, so its end is found
            if self.skip.is_empty() && name == self.main_name {
                self.main_depth += 1;
            }
        }
        if !self.skip.is_empty() {
            // skipped elements inside are tracked, so a `<main>` in a
            // `<template>` stays hidden; so are elements of a skipped
            // one's name, so a menu `<div>` with `<div>`s inside ends at
            // its own end tag
            if !self_closing
                && !VOID.contains(&name.as_slice())
                && (part == Part::Skipped || self.skip.contains(&name))
            {
                self.skip.push(name);
            }
            return;
        }
        let skipped = match part {
            Part::Skipped => true,
            Part::PageChrome => self.at_page_level(),
            Part::Main | Part::Other => false,
        };
        if skipped {
            if !self_closing && !VOID.contains(&name.as_slice()) {
                self.skip.push(name);
            }
            return;
        }
        if BREAKS.contains(&name.as_slice()) {
            if name == b"hr" {
                self.b.end_block();
            } else if self.b.in_block() {
                self.b.push_space(at);
            }
            return;
        }
        if BLOCKS.contains(&name.as_slice()) {
            self.b.end_block();
            if self_closing {
                return;
            }
            let mut kind = kind_of(&name);
            if name == b"p" && self.item_fresh {
                kind = BlockKind::ListItem;
            }
            if name == b"blockquote" {
                self.quote_depth += 1;
            }
            self.item_fresh = name == b"li";
            self.stack.push((name, kind));
            return;
        }
        if name == b"strong" || name == b"b" {
            self.open_block();
            self.b.start_strong();
        }
        if name == b"a" && !self_closing {
            // a link that opens its block is a cited title (see ProseBuilder)
            self.open_block();
            self.b.start_title();
        }
    }

    /// Whether an element starting now belongs to the page rather than to
    /// one of its articles or sections (or its main part).
    fn at_page_level(&self) -> bool {
        self.main_depth == 0
            && !self
                .stack
                .iter()
                .any(|(n, _)| n == b"article" || n == b"section")
    }

    fn end(&mut self, name: &[u8]) {
        let name = name.to_ascii_lowercase();
        if self.main_only && name == self.main_name && self.skip.is_empty() && self.main_depth > 0 {
            self.main_depth -= 1;
            if self.main_depth == 0 {
                // the block and elements open in <main> end with it
                self.b.end_block();
                self.stack.clear();
                self.quote_depth = 0;
                self.item_fresh = false;
                self.skip.push(OUTSIDE_MAIN.to_vec());
                return;
            }
        }
        if let Some(pos) = self.skip.iter().rposition(|n| *n == name) {
            self.skip.truncate(pos);
            return;
        }
        if !self.skip.is_empty() {
            return;
        }
        if name == b"strong" || name == b"b" {
            self.b.end_strong();
            return;
        }
        if name == b"a" {
            self.b.end_title();
            return;
        }
        if BLOCKS.contains(&name.as_slice()) {
            self.b.end_block();
            // close up to the matching element (end tags may be implied)
            if let Some(pos) = self.stack.iter().rposition(|(n, _)| *n == name) {
                for (closed, _) in self.stack.drain(pos..) {
                    if closed == b"blockquote" {
                        self.quote_depth = self.quote_depth.saturating_sub(1);
                    }
                }
            }
            self.item_fresh = false;
        }
    }

    /// Opens a block of the innermost container's kind, if none is open.
    fn open_block(&mut self) {
        if !self.b.in_block() {
            let kind = self.stack.last().map_or(BlockKind::Paragraph, |(_, k)| *k);
            self.b.start_block(kind, self.quote_depth > 0);
            self.item_fresh = false;
        }
    }

    /// Adds the text node at `range` of `source`, decoding its character
    /// references one by one so each maps back to its own bytes.
    fn text(&mut self, source: &str, range: Range<usize>) {
        let Some(raw) = source.get(range.clone()) else {
            return;
        };
        if raw.trim().is_empty() {
            if self.b.in_block() {
                self.b.push_space(range.start);
            }
            return;
        }
        self.open_block();
        // pieces start at each `&`; a reference never reaches past the next one
        let mut at = 0;
        while at < raw.len() {
            // look past the piece's first character, which may be any
            // character (the node's first) and more than one byte long
            let first = raw[at..].chars().next().map_or(1, char::len_utf8);
            let mut next = raw[at + first..]
                .find('&')
                .map_or(raw.len(), |i| at + first + i);
            if raw[at..].starts_with('&') {
                // a reference never spans a line break or a NUL, and the
                // tokenizer that decodes it rewrites those (CRLF becomes
                // LF), so the piece's tail would no longer match: they
                // start a piece of their own
                if let Some(i) = raw[at..next].find(['\r', '\n', '\0']) {
                    next = at + i;
                }
            }
            let piece = &raw[at..next];
            let offset = range.start + at;
            if piece.starts_with('&') {
                let after_word = raw[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
                self.reference_piece(piece, offset, after_word);
            } else {
                self.b.push_text(offset, piece);
            }
            at = next;
        }
    }

    /// Adds a piece that starts with `&`: a character reference (if it is
    /// one) followed by literal text.
    fn reference_piece(&mut self, piece: &str, offset: usize, after_word: bool) {
        let decoded = decode(piece);
        if decoded == piece {
            self.b.push_text(offset, piece);
            return;
        }
        let name_len = 1 + piece[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(piece.len() - 1);
        let ref_len = if piece[name_len..].starts_with(';') {
            name_len + 1
        } else {
            name_len
        };
        let tail = &piece[ref_len..];
        match decoded.strip_suffix(tail) {
            Some(value) if !value.is_empty() => {
                // `it&rsquo;s` matches rules written with `'`, as `it’s` does
                let apostrophe = value == "\u{2019}"
                    && after_word
                    && tail.chars().next().is_some_and(char::is_alphabetic);
                let value = if apostrophe { "'" } else { value };
                self.b.push_replaced(offset..offset + ref_len, value);
                if !tail.is_empty() {
                    self.b.push_text(offset + ref_len, tail);
                }
            }
            // a legacy reference without `;` that ate part of the tail
            _ => self.b.push_replaced(offset..offset + piece.len(), &decoded),
        }
    }
}

/// `text` with its character references decoded, as the tokenizer decodes
/// them in a text node.
fn decode(text: &str) -> String {
    let mut out = String::new();
    for token in Tokenizer::new(text).flatten() {
        if let Token::String(s) = token {
            out.push_str(&String::from_utf8_lossy(&s));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Span;

    fn blocks(src: &str) -> Vec<(BlockKind, bool, String)> {
        let doc = document(src.to_string());
        doc.blocks()
            .iter()
            .map(|b| (b.kind, b.quoted, doc.text(b.span).to_string()))
            .collect()
    }

    fn para(text: &str) -> (BlockKind, bool, String) {
        (BlockKind::Paragraph, false, text.to_string())
    }

    #[test]
    fn text_nodes_only() {
        let src = r#"<!doctype html><html><head><title>Delve</title><style>p{}</style></head>
<body><p class="delve">Plain <a href="https://delve.io">link</a> text.</p>
<script>var delve = "<p>x</p>";</script><pre>delve
into</pre><p>Use <code>delve()</code> now.</p><!-- a comment --></body></html>"#;
        assert_eq!(blocks(src), [para("Plain link text."), para("Use now.")]);
    }

    #[test]
    fn a_page_with_main_is_read_inside_main_only() {
        let src = r#"<!doctype html><html><body>
<div class="help"><p>Press S to search.</p><p>Press Esc to close.</p></div>
<header><p>Site name</p></header>
<main><h1>Delve</h1><p>The <b>first</b> paragraph.</p><ul><li>An item</main>
<footer><p>Made with care.</p></footer>
<main><p>A second main.</p></main></body></html>"#;
        assert_eq!(
            blocks(src),
            [
                (BlockKind::Heading(1), false, "Delve".to_string()),
                para("The first paragraph."),
                (BlockKind::ListItem, false, "An item".to_string()),
                para("A second main."),
            ]
        );
        // positions still point into the whole page
        let doc = document(src.to_string());
        let at = doc.prose().find("first").expect("prose");
        assert_eq!(&src[doc.source_range(Span::new(at, at + 5))], "first");
    }

    #[test]
    fn a_page_that_only_mentions_main_is_read_whole() {
        let src = "<p>One.</p><script>let s = \"<main>\";</script><!-- <main> -->\
                   <template><main><p>Hidden.</p></main></template><p>Two.</p>";
        assert_eq!(blocks(src), [para("One."), para("Two.")]);
        assert!(!mentions_main("<p>mainly</p><mainframe>"));
        assert!(mentions_main("<MAIN class=x>") && mentions_main("<main>"));
    }

    #[test]
    fn landmark_roles_count_as_the_elements_they_stand_for() {
        // the shape of a Sphinx page: menus are `div`s with roles, and
        // the text is inside `<div role="main">`
        let src = r#"<body><div class="related" role="navigation"><div><ul><li>Index</li></ul></div>
<div>Next topic</div></div><div role="search"><form><input role="search" name="q"></form></div>
<div class="document"><div class="body" role="main"><section><h1>IDLE</h1>
<p>Body text.</p><div class="note"><p>A note.</p></div></section></div>
<div class="sidebar"><p>Quick search</p></div></div>
<div class="footer" role="contentinfo">Last updated.</div></body>"#;
        assert_eq!(
            blocks(src),
            [
                (BlockKind::Heading(1), false, "IDLE".to_string()),
                para("Body text."),
                para("A note."),
            ]
        );
        assert!(mentions_main(r#"<div role="main">"#));
        assert!(mentions_main("<div role='main other'>") && mentions_main("<div role=main>"));
        assert!(!mentions_main(r#"<div role="mainframe">"#));
    }

    #[test]
    fn a_page_without_main_leaves_out_its_banner_sidebars_and_footers() {
        let src = "<body><header><p>Acme: seamless tools for teams</p></header>\
                   <article><header><h1>Title</h1></header><p>Text.</p>\
                   <aside><p>An aside.</p></aside><footer><p>By Ann.</p></footer></article>\
                   <aside><p>Sidebar.</p></aside><div role=\"complementary\">Ads.</div>\
                   <section><p>More text.</p><input role=\"search\"><p>Still here.</p></section>\
                   <footer><p>Copyright Acme.</p></footer></body>";
        assert_eq!(
            blocks(src),
            [
                (BlockKind::Heading(1), false, "Title".to_string()),
                para("Text."),
                para("An aside."),
                para("More text."),
                para("Still here."),
            ]
        );
    }

    #[test]
    fn footnote_backlinks_are_not_prose() {
        let src = "<p>A claim.<sup><a href=\"#fn1\" id=\"ref1\">1</a></sup></p>\
                   <section data-footnotes><ol>\
                   <li><p>GitHub style. <a href=\"#ref1\" data-footnote-backref>↩</a></p></li>\
                   <li><p>markdown-it style. <a href=\"#r2\" class=\"x footnote-backref\">↩</a></p></li>\
                   <li><p>pandoc style. <a href=\"#r3\" class=\"footnote-back\" role=\"doc-backlink\">↩︎</a></p></li>\
                   <li><p>A plain <a href=\"#top\">↩ link</a> stays.</p></li></ol></section>";
        let doc = document(src.to_string());
        assert_eq!(
            doc.prose().matches('\u{21a9}').count(),
            1,
            "{}",
            doc.prose()
        );
        assert!(doc.prose().contains("GitHub style."));
        assert!(doc.prose().contains("pandoc style."));
    }

    #[test]
    fn navigation_is_never_prose() {
        let src =
            "<nav><ul><li><a href=\"/\">Home</a></li><li>Docs</li></ul></nav><p>Body text.</p>";
        assert_eq!(blocks(src), [para("Body text.")]);
    }

    #[test]
    fn structure_kinds_quotes_and_strong() {
        let src = "<h2>A <b>Big</b> Title</h2><ul><li><strong>Speed:</strong> fast<li>two</ul>\
                   <blockquote><p>Quoted words.</p></blockquote><table><tr><th>a</th><td>b</td></tr></table>\
                   <ol><li><p>para item</p><p>second para</p></li></ol>";
        let doc = document(src.to_string());
        let got: Vec<(BlockKind, bool, &str)> = doc
            .blocks()
            .iter()
            .map(|b| (b.kind, b.quoted, doc.text(b.span)))
            .collect();
        assert_eq!(
            got,
            [
                (BlockKind::Heading(2), false, "A Big Title"),
                (BlockKind::ListItem, false, "Speed: fast"),
                (BlockKind::ListItem, false, "two"),
                (BlockKind::Paragraph, true, "Quoted words."),
                (BlockKind::TableCell, false, "a"),
                (BlockKind::TableCell, false, "b"),
                (BlockKind::ListItem, false, "para item"),
                (BlockKind::Paragraph, false, "second para"),
            ]
        );
        let strong: Vec<&str> = doc.strong().iter().map(|s| doc.text(*s)).collect();
        assert_eq!(strong, ["Big", "Speed:"]);
        assert_eq!(doc.lead_strong(1).map(|s| doc.text(s)), Some("Speed:"));
    }

    #[test]
    fn a_link_that_opens_its_block_is_a_cited_title() {
        let src = "<ul><li> <a href=\"https://a.example\">Why it matters</a></li></ul>\
                   <p>We wrote <a href=\"https://b.example\">a short note</a> on it.</p>";
        let doc = document(src.to_string());
        let quoted = |needle: &str| {
            let at = doc.prose().find(needle).expect("in prose");
            doc.is_quoted(Span::new(at, at + needle.len()))
        };
        assert!(quoted("Why it matters"));
        assert!(!quoted("a short note"));
        assert!(!quoted("We wrote"));
    }

    #[test]
    fn entities_decode_and_map_back() {
        let src = "<p>Caf&eacute; &amp; bar&nbsp;&mdash; it&#8217;s &#x201C;fine&#x201D; &notit; &bogus; AT&T</p>";
        let doc = document(src.to_string());
        assert_eq!(
            doc.prose(),
            "Caf\u{e9} & bar \u{2014} it's \u{201c}fine\u{201d} \u{ac}it; &bogus; AT&T"
        );
        let find = |needle: &str| {
            let at = doc.prose().find(needle).expect("in prose");
            &src[doc.source_range(Span::new(at, at + needle.len()))]
        };
        assert_eq!(find("Caf\u{e9}"), "Caf&eacute;");
        assert_eq!(find("\u{2014}"), "&mdash;");
        assert_eq!(find("it's"), "it&#8217;s");
        assert_eq!(find("\u{201c}fine\u{201d}"), "&#x201C;fine&#x201D;");
        assert_eq!(find("&bogus;"), "&bogus;");
        assert_eq!(find("AT&T"), "AT&T");
    }

    #[test]
    fn a_reference_before_a_crlf_line_break_keeps_positions() {
        let src = "<p>Caf&eacute; &amp; we delve into\r\nthe tapestry.</p>\r\n";
        let doc = document(src.to_string());
        for needle in ["delve", "tapestry"] {
            let at = doc.prose().find(needle).expect("in prose");
            let range = doc.source_range(Span::new(at, at + needle.len()));
            assert_eq!(&src[range], needle);
        }
    }

    #[test]
    fn positions_are_exact_across_lines() {
        let src = "<html>\n<body>\n  <p>First line\n  and <em>delve</em> here.</p>\n</body>\n";
        let doc = document(src.to_string());
        let at = doc.prose().find("delve").expect("prose");
        let range = doc.source_range(Span::new(at, at + 5));
        assert_eq!(&src[range.clone()], "delve");
        let lc = doc.line_col(range.start);
        assert_eq!((lc.line, lc.column), (4, 11));
    }

    #[test]
    fn comments_are_kept_for_directives() {
        let src = "<p>a</p><!-- telltale-disable hedging --><p>b</p>";
        let doc = document(src.to_string());
        assert_eq!(doc.directives().len(), 1);
        assert_eq!(&src[doc.directives()[0].ids[0].1.clone()], "hedging");
    }

    #[test]
    fn broken_markup_never_panics() {
        for src in [
            "<p>unclosed <b>bold",
            "</p></div>text",
            "<script>never closed",
            "&",
            "a &#xZZ; b &#99999999; c",
            "<p>\r\n&amp;\r\n</p>",
            "<!-- unclosed comment",
            "<<<>>>",
        ] {
            let doc = document(src.to_string());
            for w in doc.words() {
                let _ = doc.source_range(*w);
            }
        }
        assert_eq!(document("</p></div>text".into()).prose(), "text");
    }
}
