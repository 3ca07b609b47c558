//! Where documents come from: finding files (`discover.rs`), reading and
//! decoding their bytes (`read.rs`), and extracting the prose of each markup
//! with offsets into the original (`markdown.rs`, `html.rs`; plain text is read by
//! [`Document::plain`]).
//!
//! May use `text`; never `rules`, `engine`, `report` or `cli`.

mod blocks;
pub mod discover;
pub mod html;
pub mod markdown;
mod mdx;
mod pieces;
pub mod read;
mod scan;
pub mod sections;

use std::path::Path;

use crate::text::{Directive, Document, Markup};

pub use discover::{Input, discover};
pub use read::{Contents, SourceError, SourceFile, read, read_on};

/// The markup of a file, from its extension; `None` for unknown extensions.
/// The files git writes a message into for the editor and the `commit-msg`
/// hook (`.git/COMMIT_EDITMSG` and its kin) are commit messages.
pub fn detect(path: &Path) -> Option<Markup> {
    let Some(ext) = path.extension() else {
        let name = path.file_name()?.to_str()?;
        let git = ["COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG", "TAG_EDITMSG"];
        return git.contains(&name).then_some(Markup::Commit);
    };
    let ext = ext.to_str()?;
    // compared in place, ignoring ASCII case: every file is detected twice
    // (when found and when read), and a lowercased copy was an allocation
    let is = |names: &[&str]| names.iter().any(|n| ext.eq_ignore_ascii_case(n));
    if is(&["md", "markdown", "mdown", "mkd"]) {
        Some(Markup::Markdown)
    } else if is(&["mdx"]) {
        Some(Markup::Mdx)
    } else if is(&["txt", "text"]) {
        Some(Markup::Plain)
    } else if is(&["html", "htm", "xhtml"]) {
        Some(Markup::Html)
    } else {
        None
    }
}

/// Parses `text` as `markup` into a tokenized document.
pub fn document(text: String, markup: Markup) -> Document {
    match markup {
        Markup::Markdown => markdown::document(text),
        Markup::Mdx => markdown::mdx_document(text),
        Markup::Html => html::document(text),
        Markup::Plain => Document::plain(text),
        Markup::Commit => Document::commit_message(text),
    }
}

/// [`document`] for a section of a large file (`sections.rs`): Markdown is
/// parsed in one piece (`pieces.rs`), since the section's size bounds the
/// parser's tree already, and finding the pieces of a tell-dense 1 MB
/// text cost about 3 % more instructions.
pub fn section_document(text: String, markup: Markup) -> Document {
    match markup {
        Markup::Markdown => markdown::document_in_one_piece(text),
        _ => document(text, markup),
    }
}

/// The inline directives of section `text` read as `markup`, as
/// [`section_document`] reads them. It builds the whole document: a
/// lighter parse of its own would make a second caller of the Markdown
/// parser's code, and the compiler then stopped inlining that code into
/// [`document`], which cost about 1 % of the instructions of ordinary
/// runs.
pub fn section_directives(text: &str, markup: Markup) -> Vec<Directive> {
    section_document(text.to_string(), markup)
        .directives()
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_detected_from_the_extension_in_any_case_or_a_git_message_name() {
        for (name, markup) in [
            ("a.md", Some(Markup::Markdown)),
            ("a.MD", Some(Markup::Markdown)),
            ("dir.x/a.Markdown", Some(Markup::Markdown)),
            ("a.mdx", Some(Markup::Mdx)),
            ("a.MDX", Some(Markup::Mdx)),
            ("a.mdown", Some(Markup::Markdown)),
            ("a.mkd", Some(Markup::Markdown)),
            ("a.txt", Some(Markup::Plain)),
            ("a.TEXT", Some(Markup::Plain)),
            ("a.html", Some(Markup::Html)),
            ("a.Htm", Some(Markup::Html)),
            ("a.xhtml", Some(Markup::Html)),
            ("a.mdd", None),
            ("a.m", None),
            ("md", None),
            ("a.rs", None),
            ("a.", None),
            ("a.ＭＤ", None),
            (".git/COMMIT_EDITMSG", Some(Markup::Commit)),
            ("MERGE_MSG", Some(Markup::Commit)),
            ("x/SQUASH_MSG", Some(Markup::Commit)),
            ("TAG_EDITMSG", Some(Markup::Commit)),
            ("commit_editmsg", None),
            ("COMMIT_EDITMSG.md", Some(Markup::Markdown)),
        ] {
            assert_eq!(detect(Path::new(name)), markup, "{name}");
        }
    }
}
