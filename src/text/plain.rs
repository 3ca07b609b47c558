//! Reads plain text into a [`Document`]: blank lines separate paragraphs,
//! a line that starts with a bullet or a number is a list item of its own,
//! and a line that starts with `telltale-` (`telltale-disable-next-line
//! hedging`) is an inline directive, not prose.

use super::{BlockKind, Document, Markup, ProseBuilder};

impl Document {
    /// A plain-text document.
    pub fn plain(source: impl Into<String>) -> Document {
        let source = source.into();
        let mut b = ProseBuilder::with_capacity(source.len());
        let mut offset = 0;
        for line in source.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if trimmed.trim_end().is_empty() {
                b.end_block();
            } else if trimmed.starts_with(super::directive::PREFIX) {
                b.end_block();
                b.push_comment(offset + indent..offset + indent + trimmed.trim_end().len());
            } else if let Some(marker) = list_marker(trimmed) {
                b.start_block(BlockKind::ListItem, false);
                let marker_len = trimmed[..marker].trim_end().len();
                b.set_marker(offset + indent..offset + indent + marker_len);
                let text_at = indent + marker;
                b.push_text(offset + text_at, &line[text_at..]);
            } else {
                if !b.in_block() {
                    b.start_block(BlockKind::Paragraph, false);
                }
                b.push_text(offset, line);
            }
            offset += line.len();
        }
        b.finish(source, Markup::Plain)
    }
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
        assert_eq!(doc.prose(), "One line.\nTwo line.");
        assert_eq!(doc.directives().len(), 1);
        assert_eq!(&src[doc.directives()[0].ids[0].1.clone()], "hedging");
    }
}
