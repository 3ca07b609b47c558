//! Byte offset to line and column conversion for the original source text.

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number in characters, starting at 1.
    pub column: usize,
}

/// The start offset of every line of a text, for offset to line/column lookups.
///
/// Lines end at `\n`; a `\r` before it belongs to the line it ends. A leading
/// byte-order mark is not counted as a column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    bom: usize,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        // one pass: room for lines of about forty bytes, the spare given
        // back when it is a sizeable share (a large file's index is large)
        let mut starts = Vec::with_capacity(text.len() / 40 + 2);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        super::shrink_vec(&mut starts);
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        LineIndex { starts, bom }
    }

    /// Extends the index of a text with `part`, the index of the text that
    /// follows it from byte `base`, the start of this index's last line
    /// (the text ends with `\n`): a large file's index put together from
    /// its sections' without reading the file again.
    pub fn append(&mut self, part: &LineIndex, base: usize) {
        debug_assert_eq!(self.starts.last(), Some(&base), "not at a line start");
        self.starts
            .extend(part.starts.iter().skip(1).map(|&start| start + base));
    }

    /// Number of lines (a text ending in `\n` has an empty last line).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the index is empty; never true, a text has at least one line.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The 0-based line that contains byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based `line` starts (after the BOM on line 0).
    pub fn line_start(&self, line: usize) -> usize {
        let start = self.starts[line.min(self.starts.len() - 1)];
        if start == 0 { self.bom } else { start }
    }

    /// Byte range of 0-based `line` in `text`, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The 1-based line and character column of byte `offset` in `text`.
    ///
    /// An offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = text.as_bytes()[start..offset]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40) // count UTF-8 lead bytes only
            .count();
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index put together from the indexes of a text's parts, cut at
    /// line starts, is the index of the whole text.
    #[test]
    fn parts_cut_at_line_starts_append_to_the_whole_index() {
        let text = "\u{feff}one\n\ntwo\r\nthree\n\nfour\nfive";
        let cuts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
        for first in 0..cuts.len() {
            for second in first + 1..cuts.len() {
                let (a, b) = (cuts[first], cuts[second]);
                let mut joined = LineIndex::new(&text[..a]);
                joined.append(&LineIndex::new(&text[a..b]), a);
                joined.append(&LineIndex::new(&text[b..]), b);
                assert_eq!(joined, LineIndex::new(text), "cut at {a} and {b}");
            }
        }
    }

    #[test]
    fn columns_count_characters() {
        let text = "ab\ncé d\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 1 });
        // 'd' is after "cé " = 4 bytes, 3 chars
        let d = text.find('d').unwrap();
        assert_eq!(idx.line_col(text, d), LineCol { line: 2, column: 4 });
    }

    /// Every line start is found, wherever the line breaks fall (at the
    /// ends, back to back, one every few bytes).
    #[test]
    fn line_starts_at_every_position() {
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 50] {
            for step in 1..20 {
                let text: String = (0..len)
                    .map(|i| if i % step == step - 1 { '\n' } else { 'x' })
                    .collect();
                let mut expected = vec![0];
                expected.extend(text.match_indices('\n').map(|(i, _)| i + 1));
                assert_eq!(LineIndex::new(&text).starts, expected, "{len} {step}");
            }
        }
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}one\r\ntwo";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, column: 1 });
        let two = text.find("two").unwrap();
        assert_eq!(idx.line_col(text, two), LineCol { line: 2, column: 1 });
        assert_eq!(idx.line_range(text, 0), 3..6);
        assert_eq!(&text[idx.line_range(text, 1)], "two");
    }
}
