//! Reads plain text into a [`Document`]: blank lines separate paragraphs,
//! a line that starts with a bullet or a number is a list item of its own,
//! and a line that starts with `telltale-` (`telltale-disable-next-line
//! hedging`) is an inline directive, not prose. A commit message is read
//! the same way without the lines git drops from it.

use super::{BlockKind, Document, Markup, ProseBuilder};

impl Document {
    /// A plain-text document.
    pub fn plain(source: impl Into<String>) -> Document {
        read_lines(source.into(), Markup::Plain)
    }

    /// A git commit message, as git keeps it: lines that start with `#`
    /// are comments, and the scissors line of `git commit -v`
    /// (`# ------------------------ >8 ------------------------`) ends the
    /// message, with the diff below it. Only `#` is read as the comment
    /// character (git's default; `core.commentChar` is not consulted).
    pub fn commit_message(source: impl Into<String>) -> Document {
        read_lines(source.into(), Markup::Commit)
    }
}

/// Reads `source` line by line as plain text; a commit message leaves out
/// git's comment lines and everything from its scissors line on.
fn read_lines(source: String, markup: Markup) -> Document {
    let commit = markup == Markup::Commit;
    let mut b = ProseBuilder::with_capacity(source.len());
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        if commit && line.starts_with('#') {
            if line.starts_with("# -") && line.contains(">8") {
                break;
            }
            b.end_block();
            continue;
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.trim_end().is_empty() {
            b.end_block();
        } else if trimmed.starts_with(super::directive::PREFIX) {
            // a comment line is not prose and does not end a paragraph: the
            // text reads the same with or without it
            b.push_comment(at + indent..at + indent + trimmed.trim_end().len());
        } else if let Some(marker) = list_marker(trimmed) {
            b.start_block(BlockKind::ListItem, false);
            let marker_len = trimmed[..marker].trim_end().len();
            b.set_marker(at + indent..at + indent + marker_len);
            let text_at = indent + marker;
            b.push_text(at + text_at, &line[text_at..]);
        } else {
            if !b.in_block() {
                b.start_block(BlockKind::Paragraph, false);
            }
            b.push_text(at, line);
        }
    }
    b.finish(source, markup)
}

/// Length of a list marker (with its space) at the start of `line`.
fn list_marker(line: &str) -> Option<usize> {
    for bullet in [
        "- ",
        "* ",
        "+ ",
        "\u{2022} ",
        "\u{25E6} ",
        "\u{25AA} ",
        "\u{2023} ",
    ] {
        if line.starts_with(bullet) {
            return Some(bullet.len());
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line.as_bytes()[digits..];
        if rest.len() >= 2 && (rest[0] == b'.' || rest[0] == b')') && rest[1] == b' ' {
            return Some(digits + 2);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_are_list_items() {
        let doc = Document::plain("Intro line\n- first item\n- second item\n\n1. numbered\n");
        let kinds: Vec<BlockKind> = doc.blocks().iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Paragraph,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::ListItem
            ]
        );
        assert_eq!(doc.text(doc.blocks()[1].span), "first item");
        assert_eq!(doc.list_marker(1), Some("-"));
        assert_eq!(doc.list_marker(3), Some("1."));
        assert_eq!(doc.list_marker(0), None);
    }

    #[test]
    fn directive_lines_are_comments_not_prose() {
        let src = "One line.\ntelltale-disable-next-line hedging\nTwo line.\n";
        let doc = Document::plain(src);
        // nor do they end the paragraph: it reads as it would without them
        assert_eq!(doc.prose(), "One line. Two line.");
        assert_eq!(doc.blocks().len(), 1);
        assert_eq!(doc.directives().len(), 1);
        assert_eq!(&src[doc.directives()[0].ids[0].1.clone()], "hedging");
    }

    #[test]
    fn commit_messages_leave_out_comment_lines_and_the_diff() {
        let src = "Fix the parser\n\nIt read tabs as spaces.\n# Please enter the commit message.\n\
                   #\tmodified: src/a.rs\n\
                   # ------------------------ >8 ------------------------\n\
                   diff --git a/x b/x\n+Certainly! We delve into it.\n";
        let doc = Document::commit_message(src);
        assert_eq!(doc.markup(), Markup::Commit);
        assert_eq!(doc.prose(), "Fix the parser\nIt read tabs as spaces.");
        let last = doc.blocks().last().expect("a block");
        assert_eq!(doc.source_range(last.span), 16..39, "offsets into the file");
        // plain text keeps the same lines as prose
        assert!(Document::plain(src).prose().contains("Please enter"));
    }

    #[test]
    fn a_commit_message_keeps_lines_that_only_contain_a_hash() {
        let doc = Document::commit_message("Closes issue\n #12 is fixed; see #13.\n");
        assert_eq!(doc.prose(), "Closes issue #12 is fixed; see #13.");
    }
}
