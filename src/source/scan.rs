//! What the threads reading a large file in parts learn about their part
//! while it is still in cache: whether it is valid UTF-8, and whether it
//! holds the inline-directive prefix. Put together across the parts'
//! boundaries (a character or the prefix may straddle one), this spares
//! the thread that checks the file two passes over all of it, which ran
//! while every other thread waited.
//!
//! The answers are exact where they say "valid" or "found"; an unusual
//! boundary can only make the text look invalid, which sends it through
//! the ordinary validation and repair.

use crate::text::directive::PREFIX;

/// What scanning one part found, in offsets into the part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartScan {
    /// Where validation began: after the continuation bytes (at most
    /// three) that finish a character begun in the part before.
    head: usize,
    /// Where the character the part ends inside of begins (the part's end
    /// when it ends between characters).
    tail: usize,
    /// `[head, tail)` is valid UTF-8.
    valid: bool,
    /// The part holds the prefix whole.
    prefix: bool,
}

/// Scans one part as it is filled, block after block.
#[derive(Debug)]
pub struct Scanner {
    /// Validated up to here (a character boundary).
    valid_to: usize,
    head: Option<usize>,
    valid: bool,
    /// Searched for the prefix up to here.
    searched: usize,
    prefix: bool,
}

impl Scanner {
    /// A scanner of a part nothing of which is filled yet.
    pub fn new() -> Scanner {
        Scanner {
            valid_to: 0,
            head: None,
            valid: true,
            searched: 0,
            prefix: false,
        }
    }

    /// Scans what was filled since the last call: `part` is the whole
    /// part, and `part[..filled]` is filled now.
    pub fn advance(&mut self, part: &[u8], filled: usize) {
        if self.head.is_none() && (filled >= 3 || filled == part.len()) {
            let continuing = part[..filled.min(3)]
                .iter()
                .take_while(|&&b| is_continuation(b))
                .count();
            self.head = Some(continuing);
            self.valid_to = continuing;
        }
        if self.valid && self.head.is_some() && self.valid_to < filled {
            let block = &part[self.valid_to..filled];
            if simdutf8::basic::from_utf8(block).is_ok() {
                self.valid_to = filled;
            } else {
                self.advance_slowly(block);
            }
        }
        if !self.prefix && self.searched < filled {
            // a prefix begun in the last block is found from its start
            let from = self.searched.saturating_sub(PREFIX.len() - 1);
            self.prefix = memchr::memmem::find(&part[from..filled], PREFIX.as_bytes()).is_some();
            self.searched = filled;
        }
    }

    /// Validates `block`, from `valid_to` on, where it is not valid UTF-8
    /// whole: it may end inside a character, whose bytes are then
    /// validated with the next block's.
    fn advance_slowly(&mut self, block: &[u8]) {
        match simdutf8::compat::from_utf8(block) {
            Ok(_) => self.valid_to += block.len(),
            Err(e) if e.error_len().is_none() => self.valid_to += e.valid_up_to(),
            Err(_) => self.valid = false,
        }
    }

    /// What the part holds, once all of it was filled and scanned.
    pub fn finish(self) -> PartScan {
        // (a part not filled whole is never joined: the file is read again)
        let head = self.head.unwrap_or(0);
        PartScan {
            head,
            tail: self.valid_to,
            valid: self.valid && self.head.is_some(),
            prefix: self.prefix,
        }
    }
}

/// What the whole text holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// Every byte is valid UTF-8 (`false` may also mean "not known").
    pub valid_utf8: bool,
    /// The text holds the inline-directive prefix.
    pub directive_prefix: bool,
}

/// Puts together the scans of `bytes`'s parts, which start at `starts`
/// (the first at 0, in order) and each run to the next one's start or the
/// end of `bytes`.
pub fn join(bytes: &[u8], starts: &[usize], scans: &[PartScan]) -> Facts {
    assert_eq!(starts.len(), scans.len(), "one scan per part");
    assert_eq!(starts.first().copied().unwrap_or(0), 0, "parts from 0");
    let mut valid_utf8 = scans.iter().all(|s| s.valid);
    let mut directive_prefix = scans.iter().any(|s| s.prefix);
    // the bytes between one part's validated run and the next one's: the
    // character cut by their boundary, if any, and nothing else
    let mut previous_tail = 0;
    for (&start, scan) in starts.iter().zip(scans) {
        if valid_utf8 {
            valid_utf8 = std::str::from_utf8(&bytes[previous_tail..start + scan.head]).is_ok();
        }
        if !directive_prefix && start > 0 {
            // a prefix across the boundary lies within its length either side
            let from = start.saturating_sub(PREFIX.len() - 1);
            let to = (start + PREFIX.len() - 1).min(bytes.len());
            directive_prefix = memchr::memmem::find(&bytes[from..to], PREFIX.as_bytes()).is_some();
        }
        previous_tail = start + scan.tail;
    }
    if valid_utf8 {
        valid_utf8 = std::str::from_utf8(&bytes[previous_tail..]).is_ok();
    }
    Facts {
        valid_utf8,
        directive_prefix,
    }
}

/// Whether `b` continues a multi-byte character (`0b10xx_xxxx`).
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans `bytes` cut into parts at `cuts`, each part filled in blocks
    /// of `block` bytes.
    fn scan(bytes: &[u8], cuts: &[usize], block: usize) -> Facts {
        let mut starts = vec![0];
        starts.extend_from_slice(cuts);
        let scans: Vec<PartScan> = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = starts.get(i + 1).copied().unwrap_or(bytes.len());
                let part = &bytes[start..end];
                let mut scanner = Scanner::new();
                let mut filled = 0;
                while filled < part.len() {
                    filled = (filled + block).min(part.len());
                    scanner.advance(part, filled);
                }
                scanner.finish()
            })
            .collect();
        join(bytes, &starts, &scans)
    }

    fn truth(bytes: &[u8]) -> Facts {
        Facts {
            valid_utf8: std::str::from_utf8(bytes).is_ok(),
            directive_prefix: memchr::memmem::find(bytes, PREFIX.as_bytes()).is_some(),
        }
    }

    /// Every way of cutting short texts into two and three parts, filled
    /// in blocks of every size, gives what one pass over the text gives,
    /// for texts with characters of every length, invalid bytes and the
    /// prefix at every place.
    #[test]
    fn parts_give_what_one_pass_gives_at_every_boundary() {
        let texts: Vec<Vec<u8>> = vec![
            b"plain ascii text, nothing else".to_vec(),
            "caf\u{e9} \u{2014} \u{1F600} na\u{ef}ve \u{4E2D}\u{6587}".into(),
            "\u{1F600}\u{1F600}\u{1F600}".into(),
            b"<!-- telltale-disable -->".to_vec(),
            "x\u{e9}telltale-\u{1F600}".into(),
            b"caf\xe9 ok \xff\xfe!".to_vec(),
            b"\x80\x80abc".to_vec(),
            b"abc\xe2\x80".to_vec(),
            b"ab\xf0\x9f\x98".to_vec(),
            b"a\xf0\x9f\x98\x80\x80b".to_vec(),
            b"\xed\xa0\x80 surrogate".to_vec(),
            b"\xc0\xaf overlong".to_vec(),
            b"\xf4\x90\x80\x80 too large".to_vec(),
            b"telltale\xe2\x80\x94telltale-".to_vec(),
            b"telltaletelltale".to_vec(),
        ];
        for text in &texts {
            let want = truth(text);
            for block in 1..=text.len().max(1) {
                assert_eq!(scan(text, &[], block), want, "{text:?} block {block}");
                for a in 1..text.len() {
                    let got = scan(text, &[a], block);
                    assert_eq!(
                        got.directive_prefix, want.directive_prefix,
                        "{text:?} at {a}"
                    );
                    // "valid" is exact; "invalid" may be said of a valid
                    // text only where a part is shorter than a character
                    assert!(!got.valid_utf8 || want.valid_utf8, "{text:?} at {a}");
                    if want.valid_utf8 {
                        assert!(got.valid_utf8, "{text:?} at {a}, block {block}");
                    }
                    for b in a + 1..text.len() {
                        let got = scan(text, &[a, b], block);
                        assert_eq!(got.directive_prefix, want.directive_prefix);
                        assert!(!got.valid_utf8 || want.valid_utf8, "{text:?} at {a}, {b}");
                        if want.valid_utf8 && b - a >= 4 {
                            assert!(got.valid_utf8, "{text:?} at {a}, {b}");
                        }
                    }
                }
            }
        }
    }

    /// Parts longer than a character never make valid text look invalid,
    /// wherever the cuts fall inside multi-byte characters.
    #[test]
    fn long_parts_of_valid_text_are_found_valid() {
        let text: String = (0..2_000)
            .map(|i| ['a', '\u{e9}', '\u{2014}', '\u{1F600}', ' '][i * 7 % 5])
            .collect();
        let bytes = text.as_bytes();
        for a in 1..40 {
            for block in [1, 2, 3, 5, 64, 4096] {
                let got = scan(bytes, &[a * 7, 1000 + a, 1500 + 3 * a], block);
                assert!(got.valid_utf8, "cuts near {a}, block {block}");
                assert!(!got.directive_prefix);
            }
        }
    }
}
