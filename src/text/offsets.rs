//! Maps byte offsets in the normalised prose text back to the original source.

use std::ops::Range;

/// One run of prose bytes and the source bytes it came from.
///
/// A verbatim run has equal lengths and maps byte for byte; an atomic run
/// (a collapsed whitespace run, a decoded entity, a normalised apostrophe)
/// maps as a whole.
#[derive(Clone, Copy, Debug)]
struct Segment {
    prose: u32,
    prose_len: u32,
    source: u32,
    source_len: u32,
}

impl Segment {
    fn verbatim(&self) -> bool {
        self.prose_len == self.source_len
    }

    fn prose(&self) -> usize {
        self.prose as usize
    }

    fn prose_end(&self) -> usize {
        (self.prose + self.prose_len) as usize
    }

    fn source(&self) -> usize {
        self.source as usize
    }

    fn source_end(&self) -> usize {
        (self.source + self.source_len) as usize
    }
}

/// Sorted runs mapping prose offsets to source offsets (32-bit: documents
/// over 4 GiB are refused when read).
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

impl OffsetMap {
    /// Records that `prose_len` prose bytes at `prose` came from `source_len`
    /// source bytes at `source`; adjacent verbatim runs merge.
    pub(crate) fn push(
        &mut self,
        prose: usize,
        prose_len: usize,
        source: usize,
        source_len: usize,
    ) {
        let (prose, prose_len, source, source_len) = (
            prose as u32,
            prose_len as u32,
            source as u32,
            source_len as u32,
        );
        if let Some(last) = self.segments.last_mut()
            && last.verbatim()
            && prose_len == source_len
            && last.prose + last.prose_len == prose
            && last.source + last.source_len == source
        {
            last.prose_len += prose_len;
            last.source_len += source_len;
            return;
        }
        self.segments.push(Segment {
            prose,
            prose_len,
            source,
            source_len,
        });
    }

    /// Empties the map and makes room for `segments` runs (see
    /// `tables::room`).
    pub(crate) fn room(&mut self, segments: usize) {
        super::tables::room(&mut self.segments, segments);
    }

    /// Empties the map, keeping its allocation.
    pub(crate) fn clear(&mut self) {
        self.segments.clear();
    }

    /// The bytes the map holds allocated.
    pub(crate) fn capacity_bytes(&self) -> usize {
        self.segments.capacity() * size_of::<Segment>()
    }

    /// Gives back spare capacity when it is a sizeable share.
    pub(crate) fn shrink(&mut self) {
        let v = &mut self.segments;
        if v.capacity() > v.len() + v.len() / 8 + 512 {
            v.shrink_to_fit();
        }
    }

    fn segment_at(&self, prose: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.prose() <= prose);
        i.checked_sub(1).map(|i| &self.segments[i])
    }

    /// Source offset of the character starting at prose offset `prose`.
    pub fn start(&self, prose: usize) -> usize {
        start_in(self.segment_at(prose), prose)
    }

    /// Source offset just past the character ending at prose offset `prose`.
    pub fn end(&self, prose: usize) -> usize {
        if prose == 0 {
            return self.start(0);
        }
        end_in(self.segment_at(prose - 1), prose)
    }

    /// The source range a prose range came from.
    pub fn range(&self, prose: Range<usize>) -> Range<usize> {
        let start = self.start(prose.start);
        if prose.is_empty() {
            return start..start;
        }
        start..self.end(prose.end).max(start)
    }

    /// [`OffsetMap::range`] for prose ranges asked for in order of their
    /// starts, each found by walking on from the last instead of a binary
    /// search over every segment.
    pub fn ranges(&self) -> RangeCursor<'_> {
        RangeCursor {
            segments: &self.segments,
            after: 0,
        }
    }
}

/// [`OffsetMap::start`] of `prose`, with its segment already found.
fn start_in(segment: Option<&Segment>, prose: usize) -> usize {
    match segment {
        None => 0,
        Some(s) if prose < s.prose_end() => {
            if s.verbatim() {
                s.source() + (prose - s.prose())
            } else {
                s.source()
            }
        }
        Some(s) => s.source_end(),
    }
}

/// [`OffsetMap::end`] of `prose` (not 0), with the segment of `prose - 1`
/// already found.
fn end_in(segment: Option<&Segment>, prose: usize) -> usize {
    match segment {
        None => 0,
        Some(s) if s.verbatim() && prose <= s.prose_end() => s.source() + (prose - s.prose()),
        Some(s) => s.source_end(),
    }
}

/// A cursor over an [`OffsetMap`]: see [`OffsetMap::ranges`].
pub struct RangeCursor<'m> {
    segments: &'m [Segment],
    /// The segments that start at or before the last start asked for.
    after: usize,
}

impl RangeCursor<'_> {
    /// Segments walked past one by one before a binary search takes over.
    const WALK: usize = 8;

    /// [`OffsetMap::range`] of `prose`, whose start is not before the last
    /// one asked for.
    pub fn range(&mut self, prose: Range<usize>) -> Range<usize> {
        self.after = self.after_from(self.after, prose.start);
        let start = start_in(self.segment_before(self.after), prose.start);
        if prose.is_empty() {
            return start..start;
        }
        // the end's segment is the start's or a later one
        let last = self.after_from(self.after, prose.end - 1);
        start..end_in(self.segment_before(last), prose.end).max(start)
    }

    /// The segments that start at or before `prose`, counted on from
    /// `from` of them (which do).
    fn after_from(&self, from: usize, prose: usize) -> usize {
        let starts_by = |s: &Segment| s.prose() <= prose;
        let walk_end = (from + Self::WALK).min(self.segments.len());
        let mut i = from;
        while i < walk_end && starts_by(&self.segments[i]) {
            i += 1;
        }
        if i == walk_end {
            i += self.segments[i..].partition_point(starts_by);
        }
        i
    }

    /// The last of the first `after` segments, if any.
    fn segment_before(&self, after: usize) -> Option<&Segment> {
        after.checked_sub(1).and_then(|i| self.segments.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_and_atomic_runs() {
        let mut map = OffsetMap::default();
        // prose "ab c" from source "ab\n\nc": "ab" verbatim, " " from "\n\n", "c" verbatim
        map.push(0, 2, 0, 2);
        map.push(2, 1, 2, 2);
        map.push(3, 1, 4, 1);
        assert_eq!(map.range(0..2), 0..2);
        assert_eq!(map.range(3..4), 4..5);
        assert_eq!(map.range(0..4), 0..5);
        assert_eq!(map.range(2..3), 2..4);
    }

    #[test]
    fn the_cursor_agrees_with_the_binary_search() {
        // verbatim runs, atomic runs longer and shorter than their source,
        // and a run with no prose, across more segments than the cursor
        // walks before searching
        let mut map = OffsetMap::default();
        let (mut prose, mut source) = (0, 0);
        for i in 0..40 {
            let (p, s) = match i % 5 {
                0 => (3 + i % 4, 3 + i % 4),
                1 => (1, 3),
                2 => (2, 1),
                3 => (0, 2),
                _ => (1, 1),
            };
            map.push(prose, p, source, s);
            prose += p;
            source += s;
        }
        for step in [1, 2, 7, 30] {
            for len in [0, 1, 2, 5, 40] {
                let mut cursor = map.ranges();
                let mut start = 0;
                while start <= prose + 2 {
                    let r = start..start + len;
                    assert_eq!(cursor.range(r.clone()), map.range(r.clone()), "{r:?}");
                    start += step;
                }
            }
        }
    }
}
