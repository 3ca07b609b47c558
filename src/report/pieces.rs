//! The machine formats (JSON, SARIF) gather their output in a buffer of
//! their own and hand it to the writer in pieces of about [`FLUSH_AT`]
//! bytes.

use std::io::{self, Write};

/// How much a format gathers before writing it out: as much as the
/// command's `BufWriter` holds, which writes a piece that large straight
/// through instead of copying it into its buffer (a copy of every byte of
/// the report when each file's entry was written as it ended).
pub(super) const FLUSH_AT: usize = 1 << 16;

/// Writes `buf` out and empties it once it holds a piece.
#[inline]
pub(super) fn flush_full(buf: &mut Vec<u8>, out: &mut dyn Write) -> io::Result<()> {
    if buf.len() >= FLUSH_AT {
        out.write_all(buf)?;
        buf.clear();
    }
    Ok(())
}

/// Gives back the memory of a buffer that one document's huge message or
/// text grew far past a piece.
pub(super) fn trim(buf: &mut Vec<u8>) {
    if buf.capacity() > 4 * FLUSH_AT {
        buf.shrink_to(FLUSH_AT);
    }
}
