//! Byte offsets to LSP positions and back.
//!
//! LSP counts a position as a 0-based line and a column in code units of
//! the negotiated encoding: UTF-16 unless client and server agree on UTF-8
//! or UTF-32 (LSP 3.17 `positionEncoding`). Lines end at `\n`; a `\r`
//! before it is not part of the line's text.

use lsp_types::{Position, PositionEncodingKind};

/// The unit a position's `character` counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units, the protocol's default.
    #[default]
    Utf16,
    /// Unicode code points.
    Utf32,
}

impl Encoding {
    /// The first encoding the client offers that telltale speaks, or UTF-16
    /// when it offers none (every client must accept UTF-16).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// The line starts of one text, for conversions in one encoding.
#[derive(Clone, Debug)]
pub struct LineMap {
    starts: Vec<usize>,
    encoding: Encoding,
}

impl LineMap {
    /// Indexes the lines of `text`.
    pub fn new(text: &str, encoding: Encoding) -> LineMap {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineMap { starts, encoding }
    }

    /// The position of byte `offset` (clamped to the text, and moved back
    /// to the start of the character it falls inside).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let character = text[self.starts[line]..offset]
            .chars()
            .map(|c| self.encoding.units(c))
            .sum();
        Position {
            line: line as u32,
            character,
        }
    }

    /// The byte offset of `pos`. A line past the end is the end of the
    /// text; a character past the end of its line is the end of the line;
    /// one inside a character (half a surrogate pair) is that character's
    /// start.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(text.len(), |&next| next - 1);
        let line = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            let next = units + self.encoding.units(c);
            if next > pos.character {
                return start + i;
            }
            units = next;
        }
        start + line.len()
    }

    /// The byte offset where 0-based `line` starts (the text's end past the
    /// last line).
    pub fn line_start(&self, text: &str, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(text.len())
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_counts_surrogate_pairs_as_two() {
        let text = "a🙂b\r\ncé x\n";
        let map = LineMap::new(text, Encoding::Utf16);
        let b = text.find('b').expect("b");
        assert_eq!(map.position(text, b), pos(0, 3));
        let x = text.find('x').expect("x");
        assert_eq!(map.position(text, x), pos(1, 3));
        assert_eq!(map.offset(text, pos(0, 3)), b);
        assert_eq!(map.offset(text, pos(1, 3)), x);
        // inside the surrogate pair: the emoji's start
        assert_eq!(map.offset(text, pos(0, 2)), 1);
        // past the line's end: before its \r\n
        assert_eq!(map.offset(text, pos(0, 99)), text.find('\r').expect("cr"));
        // past the last line: the end
        assert_eq!(map.offset(text, pos(9, 0)), text.len());
    }

    #[test]
    fn other_encodings_count_their_units() {
        let text = "é🙂z";
        let z = text.find('z').expect("z");
        assert_eq!(
            LineMap::new(text, Encoding::Utf8).position(text, z),
            pos(0, 6)
        );
        assert_eq!(
            LineMap::new(text, Encoding::Utf32).position(text, z),
            pos(0, 2)
        );
        assert_eq!(
            LineMap::new(text, Encoding::Utf32).offset(text, pos(0, 2)),
            z
        );
    }

    #[test]
    fn negotiation_takes_the_first_known_offer() {
        let offered = [
            PositionEncodingKind::new("utf-7"),
            PositionEncodingKind::UTF8,
            PositionEncodingKind::UTF16,
        ];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
