//! Reads a file or stdin into text: UTF-8 as is, UTF-16 with a byte-order
//! mark decoded, invalid UTF-8 repaired byte for byte so offsets stay exact,
//! binary files recognised and skipped.

use std::io::Read;

use super::Input;
use crate::text::Markup;

/// Largest document accepted: offsets are stored as 32-bit numbers.
pub const MAX_BYTES: u64 = u32::MAX as u64;

/// How much of the start of a file is searched for a NUL byte (as ripgrep does).
const BINARY_PROBE: usize = 8 * 1024;

/// A document's text, ready for extraction.
#[derive(Debug)]
pub struct SourceFile {
    /// The name to show in output: the path as given, or the stdin name.
    pub name: String,
    /// The markup to read it as.
    pub markup: Markup,
    /// The decoded text.
    pub text: String,
    /// One-line notices about the decoding (shown on stderr).
    pub notices: Vec<String>,
    /// Whether the text holds the inline-directive prefix, when reading
    /// found out on the way (a large file read in parts); `None` when it
    /// did not look.
    pub directive_prefix: Option<bool>,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The operating system refused or failed.
    #[error("{path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is larger than telltale can index.
    #[error("{path}: file is {size} bytes; the limit is 4 GiB")]
    TooLarge {
        /// The path as given.
        path: String,
        /// Its size.
        size: u64,
    },
    /// A path could not be walked (broken link, loop, permissions).
    #[error("{0}")]
    Walk(String),
    /// Checking the input hit a bug in telltale (a panic, caught so the
    /// other inputs are still checked).
    #[error("{path}: internal error, please report it as a bug in telltale: {message}")]
    Internal {
        /// The input's name.
        path: String,
        /// The panic's message.
        message: String,
    },
}

/// What reading an input gave.
#[derive(Debug)]
pub enum Contents {
    /// A text document.
    Text(SourceFile),
    /// A binary file, skipped; the notice says why.
    Binary(String),
}

/// Files at least this large are read by several threads at once when the
/// caller has them (see [`read_on`]).
const PARALLEL_READ_BYTES: u64 = 16 << 20;

/// Reads one input as `markup`.
///
/// The first block is read and probed for a NUL before the rest, so a
/// binary file (or an endless device such as `/dev/zero`) is skipped after
/// 8 KB instead of being read whole.
pub fn read(input: &Input, markup: Markup) -> Result<Contents, SourceError> {
    read_on(input, markup, 1)
}

/// Reads one input like [`read`], a large file on up to `threads` threads,
/// each filling its own part of the buffer: most of the time spent reading
/// a large file goes to the kernel giving the fresh buffer its pages and
/// copying into them, which threads do side by side.
pub fn read_on(input: &Input, markup: Markup, threads: usize) -> Result<Contents, SourceError> {
    let name = input.name();
    let io = |source| SourceError::Io {
        path: name.clone(),
        source,
    };
    let read = match input {
        Input::Stdin { .. } => read_probed(std::io::stdin().lock(), 0).map_err(io)?,
        Input::Path(path) => {
            let mut file = std::fs::File::open(path).map_err(io)?;
            // the probe is read before the size is asked for: most files
            // end within it, and then the size is not needed (a system
            // call less per file)
            let mut probe = Vec::with_capacity(BINARY_PROBE);
            if let Err(e) = (&mut file)
                .take(BINARY_PROBE as u64)
                .read_to_end(&mut probe)
            {
                // a directory opens but cannot be read
                if file.metadata().is_ok_and(|meta| meta.is_dir()) {
                    return Err(io(std::io::Error::other("is a directory")));
                }
                return Err(io(e));
            }
            // (Linux refuses to read a directory; elsewhere the size
            // check below also looks for one)
            if probe.len() < BINARY_PROBE && cfg!(target_os = "linux") {
                return match looks_binary(&probe) {
                    true => Ok(Contents::Binary(binary_notice(&name))),
                    false => Ok(decode(name, markup, probe)),
                };
            }
            let meta = file.metadata().map_err(io)?;
            if meta.is_dir() {
                return Err(io(std::io::Error::other("is a directory")));
            }
            if meta.len() > MAX_BYTES {
                return Err(SourceError::TooLarge {
                    path: name,
                    size: meta.len(),
                });
            }
            if threads > 1 && meta.len() >= PARALLEL_READ_BYTES {
                match read_in_parts(file, meta.len(), threads).map_err(io)? {
                    Some(PartsRead::Text {
                        text,
                        directive_prefix,
                    }) => return Ok(decoded_text(name, markup, text, directive_prefix)),
                    Some(PartsRead::Bytes(bytes)) => Some(bytes),
                    None => None,
                }
            } else if looks_binary(&probe) {
                None
            } else {
                read_rest(file, probe, meta.len()).map_err(io)?
            }
        }
    };
    let Some(bytes) = read else {
        return Ok(Contents::Binary(binary_notice(&name)));
    };
    if bytes.len() as u64 > MAX_BYTES {
        return Err(SourceError::TooLarge {
            path: name,
            size: bytes.len() as u64,
        });
    }
    Ok(decode(name, markup, bytes))
}

/// Reads `reader` to its end (at most one byte past [`MAX_BYTES`]), or
/// stops after the first block and returns `None` when that block looks
/// binary. `size` is the expected length, used only to allocate once.
fn read_probed(reader: impl Read, size: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut reader = reader.take(MAX_BYTES + 1);
    let mut buf = Vec::with_capacity(size.min(MAX_BYTES + 1) as usize);
    (&mut reader)
        .take(BINARY_PROBE as u64)
        .read_to_end(&mut buf)?;
    if looks_binary(&buf) {
        return Ok(None);
    }
    if buf.len() == BINARY_PROBE {
        // a probe cut short met the end already: most files are smaller
        // than the probe, and another read would only return nothing
        reader.read_to_end(&mut buf)?;
    }
    Ok(Some(buf))
}

/// Reads the rest of a file after its `probe`, found not binary, up to
/// one byte past [`MAX_BYTES`] in all; `size` is the expected length, used
/// only to allocate once.
fn read_rest(
    file: std::fs::File,
    mut probe: Vec<u8>,
    size: u64,
) -> std::io::Result<Option<Vec<u8>>> {
    let done = probe.len() as u64;
    probe.reserve_exact((size.min(MAX_BYTES + 1).saturating_sub(done)) as usize);
    file.take(MAX_BYTES + 1 - done).read_to_end(&mut probe)?;
    Ok(Some(probe))
}

/// What [`read_in_parts`] read.
#[derive(Debug, PartialEq, Eq)]
enum PartsRead {
    /// The bytes, not known to be valid UTF-8.
    Bytes(Vec<u8>),
    /// The bytes, found valid UTF-8 as they were read.
    Text {
        text: String,
        /// The text holds the inline-directive prefix.
        directive_prefix: bool,
    },
}

/// How much a reading thread reads at a time before scanning it: the
/// block is still in the core's cache when scanned.
const SCAN_BLOCK: usize = 256 << 10;

/// Reads `file`, `size` bytes long when its metadata was read, like
/// [`read_probed`], but the bytes after the probe in `threads` parts read
/// at once, each thread validating its part as UTF-8 and looking for the
/// directive prefix in it a block at a time (`scan.rs`). A file found
/// shorter than `size` (it changed meanwhile) is read again from the
/// start, one block after another; bytes past `size` (it grew) are read
/// after the parts, and such a file's bytes are given back unscanned.
#[cfg(unix)]
fn read_in_parts(
    mut file: std::fs::File,
    size: u64,
    threads: usize,
) -> std::io::Result<Option<PartsRead>> {
    use std::io::Seek;
    use std::os::unix::fs::FileExt;

    use super::scan::{self, Scanner};

    /// Fills `buf` from `offset` on, scanning each block as it arrives;
    /// the count is short only at the end of the file.
    fn fill_at(
        file: &std::fs::File,
        buf: &mut [u8],
        offset: u64,
        scanner: &mut Scanner,
    ) -> std::io::Result<usize> {
        let mut done = 0;
        while done < buf.len() {
            let block = (done + SCAN_BLOCK).min(buf.len());
            match file.read_at(&mut buf[done..block], offset + done as u64) {
                Ok(0) => break,
                Ok(n) => {
                    done += n;
                    scanner.advance(buf, done);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    let size = size.min(MAX_BYTES) as usize;
    // zeroed by the allocator's fresh pages, not by a pass over them
    let mut buf = vec![0u8; size];
    let probe = BINARY_PROBE.min(size);
    let mut probe_scan = Scanner::new();
    let probed = fill_at(&file, &mut buf[..probe], 0, &mut probe_scan)?;
    if looks_binary(&buf[..probed]) {
        return Ok(None);
    }
    let mut complete = probed == probe;
    let mut starts = vec![0];
    let mut scans = vec![probe_scan.finish()];
    if complete {
        // parts of whole 2 MiB runs: at most a page at each of a few
        // boundaries is filled by two threads
        let part = (size - probe).div_ceil(threads).next_multiple_of(2 << 20);
        let file = &file;
        let results: Vec<std::io::Result<Option<scan::PartScan>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = buf[probe..]
                .chunks_mut(part)
                .enumerate()
                .map(|(i, chunk)| {
                    let offset = (probe + i * part) as u64;
                    scope.spawn(move || {
                        let mut scanner = Scanner::new();
                        let whole = fill_at(file, chunk, offset, &mut scanner)? == chunk.len();
                        Ok(whole.then(|| scanner.finish()))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Ok(None)))
                .collect()
        });
        for (i, r) in results.into_iter().enumerate() {
            match r? {
                Some(s) => {
                    starts.push(probe + i * part);
                    scans.push(s);
                }
                None => complete = false,
            }
        }
    }
    if !complete {
        file.rewind()?;
        return Ok(read_probed(file, size as u64)?.map(PartsRead::Bytes));
    }
    // whatever was appended since the size was read, up to the limit
    file.seek(std::io::SeekFrom::Start(size as u64))?;
    file.take(MAX_BYTES + 1 - size as u64)
        .read_to_end(&mut buf)?;
    if buf.len() != size {
        return Ok(Some(PartsRead::Bytes(buf)));
    }
    let facts = scan::join(&buf, &starts, &scans);
    if !facts.valid_utf8 {
        return Ok(Some(PartsRead::Bytes(buf)));
    }
    // SAFETY: `scan::join` found every byte of `buf` valid UTF-8 (each
    // part validated by the thread that read it, the characters across
    // the parts' boundaries there), and nothing has written to `buf` since.
    // Validating 100 MB again on this thread, while the others wait, took
    // some 40 ms.
    let text = unsafe { String::from_utf8_unchecked(buf) };
    Ok(Some(PartsRead::Text {
        text,
        directive_prefix: facts.directive_prefix,
    }))
}

/// Elsewhere a large file is read one block after another.
#[cfg(not(unix))]
fn read_in_parts(
    file: std::fs::File,
    size: u64,
    _threads: usize,
) -> std::io::Result<Option<PartsRead>> {
    Ok(read_probed(file, size)?.map(PartsRead::Bytes))
}

/// Whether bytes starting a file mark it as binary: a NUL in the first
/// [`BINARY_PROBE`] bytes, unless they start with a UTF-16 byte-order mark
/// (UTF-16 text is full of NULs).
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    memchr::memchr(0, probe).is_some()
}

fn binary_notice(name: &str) -> String {
    format!("{name}: binary file (NUL byte found), skipped")
}

/// Turns bytes into text, noting what had to be done.
pub fn decode(name: String, markup: Markup, bytes: Vec<u8>) -> Contents {
    let mut notices = Vec::new();
    let text = if let Some(utf16) = utf16_text(&bytes) {
        notices.push(format!(
            "{name}: read as UTF-16; positions refer to the decoded text"
        ));
        utf16
    } else {
        if looks_binary(&bytes) {
            return Contents::Binary(binary_notice(&name));
        }
        match utf8_string(bytes) {
            Ok(s) => s,
            Err(mut bytes) => {
                let count = repair_utf8(&mut bytes);
                notices.push(format!(
                    "{name}: not valid UTF-8; {count} invalid byte{} read as '?'",
                    if count == 1 { "" } else { "s" }
                ));
                String::from_utf8(bytes).unwrap_or_default()
            }
        }
    };
    Contents::Text(SourceFile {
        name,
        markup,
        text,
        notices,
        directive_prefix: None,
    })
}

/// `bytes` as text when they are valid UTF-8, else given back unchanged:
/// `String::from_utf8` with `simdutf8`'s check, several times faster than
/// std's (which took about 1 % of a run over many small files).
fn utf8_string(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    // SAFETY: `simdutf8` found every byte of `bytes` valid UTF-8 just above
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// The contents of a file read as valid UTF-8 text, as [`decode`] would
/// give them from its bytes.
fn decoded_text(name: String, markup: Markup, text: String, directive_prefix: bool) -> Contents {
    // (valid UTF-8 never starts with a UTF-16 byte-order mark)
    if looks_binary(text.as_bytes()) {
        return Contents::Binary(binary_notice(&name));
    }
    Contents::Text(SourceFile {
        name,
        markup,
        text,
        notices: Vec::new(),
        directive_prefix: Some(directive_prefix),
    })
}

/// Decodes UTF-16 text that starts with a byte-order mark.
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect(),
    )
}

/// Replaces every byte of an invalid UTF-8 sequence with `?`, in place, so
/// byte offsets into the file stay exact. Returns how many bytes changed.
fn repair_utf8(bytes: &mut [u8]) -> usize {
    let mut changed = 0;
    let mut i = 0;
    while i < bytes.len() {
        match std::str::from_utf8(&bytes[i..]) {
            Ok(_) => break,
            Err(e) => {
                i += e.valid_up_to();
                let bad = e.error_len().unwrap_or(bytes.len() - i);
                for b in &mut bytes[i..i + bad] {
                    *b = b'?';
                }
                changed += bad;
                i += bad;
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(r: Contents) -> SourceFile {
        match r {
            Contents::Text(f) => f,
            Contents::Binary(s) => panic!("skipped: {s}"),
        }
    }

    #[test]
    fn invalid_utf8_keeps_offsets() {
        let f = text_of(decode(
            "x".into(),
            Markup::Plain,
            b"caf\xe9 ok \xff\xfe!".to_vec(),
        ));
        assert_eq!(f.text, "caf? ok ??!");
        assert_eq!(f.notices.len(), 1);
        assert!(f.notices[0].contains("3 invalid bytes"), "{:?}", f.notices);
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Hi there".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(
            text_of(decode("x".into(), Markup::Plain, bytes)).text,
            "Hi there"
        );
    }

    /// Reading a file in parts gives its bytes exactly, also when the file
    /// is shorter or longer than the size it was said to have (it changed
    /// between the metadata and the read).
    #[cfg(unix)]
    #[test]
    fn a_file_read_in_parts_is_read_exactly() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.txt");
        let text: Vec<u8> = (0..5_000_003u32)
            .map(|i| {
                b"abcdefghij klmno\npqrstu"[(i.wrapping_mul(2_654_435_761) >> 27) as usize % 23]
            })
            .collect();
        std::fs::write(&path, &text).expect("write");
        let len = text.len() as u64;
        for threads in [2, 3, 8] {
            for said in [len, len - 1_000_000, len + 3_000_000, 9_000] {
                let file = std::fs::File::open(&path).expect("open");
                let read = read_in_parts(file, said, threads).expect("read");
                let bytes = match &read {
                    Some(PartsRead::Text { text, .. }) => Some(text.as_bytes()),
                    Some(PartsRead::Bytes(bytes)) => Some(&bytes[..]),
                    None => None,
                };
                assert!(bytes == Some(&text[..]), "{threads} threads, size {said}");
            }
        }
        let mut binary = text.clone();
        binary[100] = 0;
        std::fs::write(&path, &binary).expect("write");
        let file = std::fs::File::open(&path).expect("open");
        assert_eq!(read_in_parts(file, len, 2).expect("read"), None);
    }

    /// Reads `bytes` from a file in parts on two threads and through
    /// `decode`, and checks that both give the same contents, that reading
    /// found valid text valid and whether it holds the directive prefix.
    #[cfg(unix)]
    fn read_both_ways(dir: &std::path::Path, bytes: &[u8], case: &str) {
        let path = dir.join("big.md");
        std::fs::write(&path, bytes).expect("write");
        let file = std::fs::File::open(&path).expect("open");
        let name = "big.md".to_string();
        // as `read_on` takes what a large file's read gives
        let parts = match read_in_parts(file, bytes.len() as u64, 2).expect("read") {
            Some(PartsRead::Text {
                text,
                directive_prefix,
            }) => text_of(decoded_text(
                name.clone(),
                Markup::Markdown,
                text,
                directive_prefix,
            )),
            Some(PartsRead::Bytes(read)) => text_of(decode(name.clone(), Markup::Markdown, read)),
            None => panic!("{case}: found binary"),
        };
        let whole = text_of(decode(name, Markup::Markdown, bytes.to_vec()));
        assert_eq!(parts.text, whole.text, "{case}");
        assert_eq!(parts.notices, whole.notices, "{case}");
        let valid = std::str::from_utf8(bytes).is_ok();
        let prefix = memchr::memmem::find(bytes, crate::text::directive::PREFIX.as_bytes());
        // valid text is known valid, and then searched exactly
        let want = valid.then_some(prefix.is_some());
        assert_eq!(parts.directive_prefix, want, "{case}");
    }

    /// Characters of every length, invalid bytes, cut sequences and the
    /// directive prefix at and around each boundary between the parts of
    /// a file read in parts read as `decode` reads them.
    #[cfg(unix)]
    #[test]
    fn a_file_read_in_parts_decodes_as_a_whole_at_its_boundaries() {
        let dir = tempfile::tempdir().expect("temp dir");
        // two parts after the probe: boundaries at the probe's end and
        // 2 MiB after it
        let len = BINARY_PROBE + (2 << 20) + 100_000;
        let base: Vec<u8> = (0..len).map(|i| b"Some plain words.\n"[i % 18]).collect();
        let boundaries = [BINARY_PROBE, BINARY_PROBE + (2 << 20)];
        let pieces: [&[u8]; 7] = [
            "\u{1F600}".as_bytes(),
            "\u{2014}".as_bytes(),
            "\u{e9}".as_bytes(),
            b"\xff",
            b"\xe2\x80",
            b"\x80\x80\x80\x80",
            b"telltale-",
        ];
        read_both_ways(dir.path(), &base, "plain");
        for b in boundaries {
            for piece in pieces {
                for at in b - piece.len() - 1..=b + 1 {
                    let mut bytes = base.clone();
                    bytes[at..at + piece.len()].copy_from_slice(piece);
                    read_both_ways(dir.path(), &bytes, &format!("{piece:?} at {at}"));
                }
            }
        }
        // the first byte, and the last ones
        let mut bytes = base.clone();
        bytes[0] = 0x80;
        read_both_ways(dir.path(), &bytes, "continuation first");
        let mut bytes = base.clone();
        bytes[len - 2..].copy_from_slice(b"\xc3\xa9");
        read_both_ways(dir.path(), &bytes, "two-byte character last");
        bytes[len - 1] = b'x';
        read_both_ways(dir.path(), &bytes, "cut character before the last byte");
        let mut bytes = base.clone();
        bytes[len - 9..].copy_from_slice(b"telltale-");
        read_both_ways(dir.path(), &bytes, "prefix last");
    }

    /// Texts shorter than the probe, as long, and longer are read whole.
    #[test]
    fn texts_around_the_probe_size_are_read_whole() {
        for len in [
            0,
            1,
            100,
            BINARY_PROBE - 1,
            BINARY_PROBE,
            BINARY_PROBE + 1,
            3 * BINARY_PROBE,
        ] {
            let text: Vec<u8> = (0..len).map(|i| b"ab c\n"[i % 5]).collect();
            for size in [0, len as u64] {
                let read = read_probed(&text[..], size).expect("read from memory");
                assert!(
                    read.as_deref() == Some(&text[..]),
                    "{len} bytes, size {size}"
                );
            }
        }
    }

    /// A cut character at the very end is one invalid byte, as std counts.
    #[test]
    fn a_cut_character_at_the_end_is_repaired() {
        let f = text_of(decode("x".into(), Markup::Plain, b"caf\xc3".to_vec()));
        assert_eq!(f.text, "caf?");
        assert!(
            f.notices[0].contains("1 invalid byte read"),
            "{:?}",
            f.notices
        );
    }

    /// Files read from disk, ending within the probe, at its end or past
    /// it, valid or not, give what `decode` gives for their bytes.
    #[test]
    fn files_on_disk_read_as_their_bytes_decode() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f.txt");
        for len in [0, 1, 100, BINARY_PROBE - 1, BINARY_PROBE, BINARY_PROBE + 1] {
            let text: Vec<u8> = (0..len).map(|i| b"ab c\n"[i % 5]).collect();
            for last in [None, Some(0xffu8), Some(0xc3), Some(0)] {
                let mut bytes = text.clone();
                if let (Some(b), Some(end)) = (last, bytes.last_mut()) {
                    *end = b;
                }
                std::fs::write(&path, &bytes).expect("write");
                let read = read(&Input::Path(path.clone()), Markup::Plain).expect("read");
                let want = decode(read_name(&path), Markup::Plain, bytes);
                let case = format!("{len} bytes, last {last:?}");
                match (read, want) {
                    (Contents::Text(r), Contents::Text(w)) => {
                        assert_eq!(r.text, w.text, "{case}");
                        assert_eq!(r.notices, w.notices, "{case}");
                    }
                    (Contents::Binary(r), Contents::Binary(w)) => assert_eq!(r, w, "{case}"),
                    (r, w) => panic!("{case}: read {r:?}, decoded {w:?}"),
                }
            }
        }
    }

    fn read_name(path: &std::path::Path) -> String {
        Input::Path(path.to_path_buf()).name()
    }

    /// A directory given as a file is named as one, not read.
    #[test]
    fn a_directory_is_not_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = read(&Input::Path(dir.path().to_path_buf()), Markup::Plain)
            .expect_err("a directory is not a document");
        assert!(err.to_string().ends_with(": is a directory"), "{err}");
    }

    #[test]
    fn binary_is_skipped() {
        assert!(matches!(
            decode("x".into(), Markup::Plain, b"PK\x03\x04\x00\x00".to_vec()),
            Contents::Binary(_)
        ));
    }
}
