//! Reads a report page (the file telltale wrote, or the DOM Chromium
//! dumped after running it) with html5gum, for the report tests: which
//! elements it has, the text of every finding's highlight, and the findings
//! `check --format json` gives for the same document.

#![allow(dead_code)]

use std::collections::BTreeMap;

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// One start tag: its name and attributes.
#[derive(Clone, Debug)]
pub struct Element {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }
}

/// What the tests read from a page.
#[derive(Debug, Default)]
pub struct Page {
    /// Every element, in document order.
    pub elements: Vec<Element>,
    /// Text inside the highlights of each finding, by note id (`d1-n3`),
    /// all pieces joined, the finding numbers (`sup`) left out.
    pub highlighted: BTreeMap<String, String>,
    /// Text outside `script` and `style`.
    pub text: String,
    /// The content of each `script` and `style` element.
    pub scripts: Vec<String>,
    pub styles: Vec<String>,
}

impl Page {
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements.iter().filter(move |e| e.name == name)
    }

    pub fn by_id(&self, id: &str) -> Option<&Element> {
        self.elements.iter().find(|e| e.attr("id") == Some(id))
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

fn string(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Reads `html`.
pub fn parse(html: &str) -> Page {
    let mut page = Page::default();
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut open: Vec<Element> = Vec::new();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let e = Element {
                    name: string(&tag.name),
                    attrs: tag
                        .attributes
                        .iter()
                        .map(|(k, v)| (string(k), string(&v.value)))
                        .collect(),
                };
                page.elements.push(e.clone());
                if !tag.self_closing && !VOID.contains(&e.name.as_str()) {
                    if e.name == "script" {
                        page.scripts.push(String::new());
                    }
                    if e.name == "style" {
                        page.styles.push(String::new());
                    }
                    open.push(e);
                }
            }
            Token::EndTag(tag) => {
                let name = string(&tag.name);
                if let Some(i) = open.iter().rposition(|e| e.name == name) {
                    open.truncate(i);
                }
            }
            Token::String(text) => {
                let text = string(&text.value);
                match open.last().map(|e| e.name.as_str()) {
                    Some("script") => page
                        .scripts
                        .last_mut()
                        .expect("open script")
                        .push_str(&text),
                    Some("style") => page.styles.last_mut().expect("open style").push_str(&text),
                    _ => {
                        page.text.push_str(&text);
                        if open.iter().any(|e| e.name == "sup") {
                            continue;
                        }
                        for e in open.iter().filter(|e| e.name == "mark") {
                            if let Some(note) = e.attr("data-note") {
                                page.highlighted
                                    .entry(note.to_string())
                                    .or_default()
                                    .push_str(&text);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    page
}

/// One finding as `check --format json` reports it.
#[derive(Debug)]
pub struct Expected {
    pub rule: String,
    pub text: String,
    pub line: u64,
}

/// The findings of the single file `check --format json` reported.
pub fn expected_findings(json: &str) -> Vec<Expected> {
    let v: serde_json::Value = serde_json::from_str(json).expect("check JSON parses");
    let files = v["files"].as_array().expect("files array");
    assert_eq!(files.len(), 1, "one file expected");
    files[0]["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| Expected {
            rule: f["rule"].as_str().expect("rule").to_string(),
            text: f["text"].as_str().expect("text").to_string(),
            line: f["line"].as_u64().expect("line"),
        })
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Checks that every finding has its highlight in document `anchor`: the
/// first piece (focusable, with its id) names the rule, and the text of all
/// its pieces is the finding's text (up to whitespace: blank lines between
/// rows are not shown). Returns how many findings were checked.
pub fn assert_every_finding_highlighted(page: &Page, anchor: &str, expected: &[Expected]) -> usize {
    assert!(!expected.is_empty(), "the document should have findings");
    for (i, f) in expected.iter().enumerate() {
        let k = i + 1;
        let id = format!("{anchor}-f{k}");
        let mark = page.by_id(&id).unwrap_or_else(|| {
            panic!(
                "finding {k} ({}, line {}) has no highlight #{id}",
                f.rule, f.line
            )
        });
        assert_eq!(mark.name, "mark", "#{id}");
        assert_eq!(mark.attr("data-rule"), Some(f.rule.as_str()), "#{id}");
        assert_eq!(mark.attr("tabindex"), Some("0"), "#{id} is focusable");
        let note = format!("{anchor}-n{k}");
        assert_eq!(mark.attr("data-note"), Some(note.as_str()), "#{id}");
        let described = mark.attr("aria-describedby").unwrap_or_default();
        assert!(
            described.split(' ').any(|d| d == note),
            "#{id} is described by its note"
        );
        for d in described.split(' ') {
            assert!(
                page.by_id(d).is_some(),
                "#{id} is described by #{d}, which exists"
            );
        }
        let shown = page
            .highlighted
            .get(&note)
            .map(String::as_str)
            .unwrap_or("");
        assert_eq!(
            squeeze(shown),
            squeeze(&f.text),
            "text of finding {k} ({})",
            f.rule
        );
    }
    let marks = page
        .all("mark")
        .filter(|m| m.has_class("hl") && m.attr("tabindex").is_some());
    assert_eq!(
        marks.count(),
        expected.len(),
        "one focusable highlight per finding"
    );
    expected.len()
}

/// Checks that nothing in the page points outside it: no element that
/// loads anything, links only to fragments, no `url(` or `@import` in its
/// style, a policy that allows no requests, and one script, the page's own.
pub fn assert_self_contained(page: &Page) {
    for e in &page.elements {
        for loader in [
            "img", "link", "iframe", "object", "embed", "audio", "video", "source", "frame",
            "base", "form",
        ] {
            assert_ne!(e.name, loader, "the page has a <{loader}> element: {e:?}");
        }
        assert!(e.attr("src").is_none(), "an element loads something: {e:?}");
        if let Some(href) = e.attr("href") {
            assert!(href.starts_with('#'), "a link leaves the page: {e:?}");
        }
        for name in e.attrs.keys() {
            assert!(!name.starts_with("on"), "an inline event handler: {e:?}");
        }
    }
    for style in &page.styles {
        assert!(!style.contains("url("), "the style sheet fetches something");
        assert!(
            !style.contains("@import"),
            "the style sheet imports something"
        );
    }
    assert_eq!(page.all("script").count(), 1, "one script");
    assert_eq!(page.all("style").count(), 1, "one style sheet");
    let csp = page
        .all("meta")
        .find(|m| m.attr("http-equiv") == Some("Content-Security-Policy"))
        .and_then(|m| m.attr("content"))
        .expect("a content security policy");
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
}
