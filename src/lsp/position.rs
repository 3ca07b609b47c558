//! Byte offsets to LSP positions and back.
//!
//! LSP counts a position as a 0-based line and a column in code units of
//! the negotiated encoding: UTF-16 unless client and server agree on UTF-8
//! or UTF-32 (LSP 3.17 `positionEncoding`). Lines end at `\n`, `\r\n`
//! or a lone `\r`, as the protocol says; the break is not part of the
//! line's text.

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

/// Bytes between two checkpoints of a [`LineMap`]: the most a conversion
/// counts, so a position costs the same at the end of a long line as at
/// its start.
const CHECKPOINT: usize = 1024;

#[cfg(test)]
thread_local! {
    /// Characters [`LineMap::position`] counted on this thread, for tests
    /// that bound its work.
    static COUNTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The line starts of one text, for conversions in one encoding.
#[derive(Clone, Debug)]
pub struct LineMap {
    starts: Vec<usize>,
    encoding: Encoding,
    /// Every [`CHECKPOINT`] bytes or so, a character boundary and the units
    /// before it in the text; empty when units are bytes (UTF-8, or a text
    /// all ASCII).
    checkpoints: Vec<(usize, u32)>,
}

impl LineMap {
    /// Indexes the lines of `text`.
    pub fn new(text: &str, encoding: Encoding) -> LineMap {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        // the protocol ends a line at \n, \r\n or a lone \r (old Mac
        // files): the editor shows each on a line of its own
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        let mut checkpoints = Vec::new();
        if encoding != Encoding::Utf8 && !text.is_ascii() {
            let mut units = 0u32;
            for (i, c) in text.char_indices() {
                if i >= checkpoints.len() * CHECKPOINT {
                    checkpoints.push((i, units));
                }
                units = units.wrapping_add(encoding.units(c));
            }
        }
        LineMap {
            starts,
            encoding,
            checkpoints,
        }
    }

    /// The units of the encoding in `text[..offset]` (a character
    /// boundary), counted on from the nearest checkpoint. Wrapping: only
    /// differences within one line are used.
    fn units_before(&self, text: &str, offset: usize) -> u32 {
        if self.checkpoints.is_empty() {
            return offset as u32;
        }
        let (at, units) =
            self.checkpoints[self.checkpoints.partition_point(|&(i, _)| i <= offset) - 1];
        #[cfg(test)]
        COUNTED.with(|n| n.set(n.get() + text[at..offset].chars().count()));
        text[at..offset]
            .chars()
            .fold(units, |n, c| n.wrapping_add(self.encoding.units(c)))
    }

    /// The position of byte `offset` (clamped to the text, and moved back
    /// to the start of the character it falls inside).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        // from the line's start this would count the whole line once per
        // position: quadratic for many findings on one long line
        let character = self
            .units_before(text, offset)
            .wrapping_sub(self.units_before(text, self.starts[line]));
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
    fn a_lone_carriage_return_ends_a_line() {
        let text = "one\rtwo\r\nthree\nfour\r";
        let map = LineMap::new(text, Encoding::Utf16);
        for (word, line) in [("one", 0), ("two", 1), ("three", 2), ("four", 3)] {
            let at = text.find(word).expect("there");
            assert_eq!(map.position(text, at), pos(line, 0), "{word}");
            assert_eq!(map.offset(text, pos(line, 0)), at, "{word}");
            // past the line's end: before its break
            assert_eq!(map.offset(text, pos(line, 99)), at + word.len(), "{word}");
        }
        // the empty line after the last \r
        assert_eq!(map.position(text, text.len()), pos(4, 0));
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

    /// The position of `offset` counted from its line's start, as the map
    /// once did.
    fn counted(text: &str, offset: usize, encoding: Encoding) -> Position {
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: text[..offset].matches('\n').count() as u32,
            character: text[start..offset].chars().map(|c| encoding.units(c)).sum(),
        }
    }

    #[test]
    fn positions_across_checkpoints_are_those_counted_from_the_line_start() {
        // lines shorter and longer than a checkpoint's stretch, with
        // characters of every width straddling checkpoints
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(["a", "é", "—", "🙂", " "][i % 5]);
            if i % 997 == 0 || i % 13 == 0 && i < 600 {
                text.push('\n');
            }
        }
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let map = LineMap::new(&text, encoding);
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                assert_eq!(
                    map.position(&text, offset),
                    counted(&text, offset, encoding),
                    "{encoding:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn positions_on_one_long_line_count_a_bounded_stretch() {
        // a finding every seven characters on one line: counting from the
        // line's start counted 126 million characters, the square of the
        // line's length over 2
        let text = "word \u{2014} ".repeat(6_000);
        let map = LineMap::new(&text, Encoding::Utf16);
        let before = COUNTED.with(|n| n.get());
        let mut last = pos(0, 0);
        for (offset, _) in text.match_indices('\u{2014}') {
            last = map.position(&text, offset);
        }
        assert_eq!(last, counted(&text, text.len() - 4, Encoding::Utf16));
        let counted = COUNTED.with(|n| n.get()) - before;
        assert!(counted <= 6_000 * 2 * CHECKPOINT, "{counted}");
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
