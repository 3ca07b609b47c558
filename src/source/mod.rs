//! Where documents come from: finding files (`discover.rs`), reading and
//! decoding their bytes (`read.rs`), and extracting the prose of each markup
//! with offsets into the original (`markdown.rs`, `html.rs`; plain text is read by
//! [`Document::plain`]).
//!
//! May use `text`; never `rules`, `engine`, `report` or `cli`.

pub mod discover;
pub mod html;
pub mod markdown;
pub mod read;
mod scan;
pub mod sections;

use std::path::Path;

use crate::text::{Document, Markup};

pub use discover::{Input, discover};
pub use read::{Contents, SourceError, SourceFile, read, read_on};

/// The markup of a file, from its extension; `None` for unknown extensions.
pub fn detect(path: &Path) -> Option<Markup> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "md" | "markdown" | "mdx" | "mdown" | "mkd" => Some(Markup::Markdown),
        "txt" | "text" => Some(Markup::Plain),
        "html" | "htm" | "xhtml" => Some(Markup::Html),
        _ => None,
    }
}

/// Parses `text` as `markup` into a tokenized document.
pub fn document(text: String, markup: Markup) -> Document {
    match markup {
        Markup::Markdown => markdown::document(text),
        Markup::Html => html::document(text),
        Markup::Plain => Document::plain(text),
    }
}
