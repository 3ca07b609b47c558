//! Eight bytes at a time in a `u64` ("SIMD within a register"): the byte
//! classes the tokenizer asks about most, answered for eight bytes with a
//! few arithmetic steps instead of eight table look-ups and branches.
//!
//! A "lane" is one byte of the `u64`, little-endian, so lane `k` is byte
//! `at + k` of the text. Each test returns a mask with the high bit of every
//! lane that passes set, and nothing else; lanes never carry into each other.

/// The high bit of every lane.
pub const HIGH: u64 = 0x8080_8080_8080_8080;
/// One in every lane.
pub const ONES: u64 = 0x0101_0101_0101_0101;

/// The eight bytes of `bytes` from `at`, little-endian, padded with zeros
/// past the end.
#[inline(always)]
pub fn load8(bytes: &[u8], at: usize) -> u64 {
    if let Some(eight) = bytes.get(at..at + 8) {
        let mut k = [0u8; 8];
        k.copy_from_slice(eight);
        return u64::from_le_bytes(k);
    }
    load_tail(bytes, at)
}

/// The first (up to) eight bytes of `bytes` as a little-endian number,
/// padded with zeros: the key under which the vocabulary and the score's
/// tables file a word. No call: copying a slice of unknown length would be
/// one, dearer than most of the look-ups the key leads to.
#[inline(always)]
pub fn first_eight(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if let Some(eight) = bytes.first_chunk::<8>() {
        return u64::from_le_bytes(*eight);
    }
    // two overlapping loads cover every length below eight: the bytes
    // they share are the same, so or-ing them is exact
    if n >= 4 {
        let lo = u64::from(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
        let hi = u64::from(u32::from_le_bytes([
            bytes[n - 4],
            bytes[n - 3],
            bytes[n - 2],
            bytes[n - 1],
        ]));
        return lo | hi << (8 * (n - 4));
    }
    match n {
        0 => 0,
        _ => {
            u64::from(bytes[0])
                | u64::from(bytes[n / 2]) << (8 * (n / 2))
                | u64::from(bytes[n - 1]) << (8 * (n - 1))
        }
    }
}

/// [`load8`] near the end of `bytes`.
#[cold]
#[inline(never)]
fn load_tail(bytes: &[u8], at: usize) -> u64 {
    let mut k = [0u8; 8];
    let rest = bytes.get(at..).unwrap_or_default();
    k[..rest.len()].copy_from_slice(rest);
    u64::from_le_bytes(k)
}

/// The lanes of `x` holding an ASCII letter. Shifted right by two, the
/// mask is the bit that lowercases each of them.
#[inline(always)]
pub fn letter_lanes(x: u64) -> u64 {
    // the low seven bits of each lane, with the case bit set: 0x61..=0x7a
    // are the letters, and adding at most 0x80 cannot carry
    let folded = (x & !HIGH) | (ONES * 0x20);
    let ge_a = folded + ONES * (0x80 - b'a' as u64);
    let gt_z = folded + ONES * (0x7f - b'z' as u64);
    ge_a & !gt_z & !x & HIGH
}

/// Lowercases the ASCII letters of the eight bytes packed in `x` (all of
/// them ASCII), leaving the other bytes alone.
#[inline(always)]
pub fn ascii_lowercase(x: u64) -> u64 {
    // per lane: high bit of `ge_a` set when the byte is >= 'A', of `gt_z`
    // when it is > 'Z' (no lane carries into the next: bytes are < 0x80)
    let ge_a = x + ONES * (0x80 - b'A' as u64);
    let gt_z = x + ONES * (0x7f - b'Z' as u64);
    let upper = ge_a & !gt_z & HIGH;
    x | (upper >> 2)
}

/// The number of lanes before the first lane of `mask` (a lane mask as the
/// tests return), 8 when there is none.
#[inline(always)]
pub fn first_lane(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The offset of the first byte of `bytes` from `from` that is not ASCII,
/// or `bytes.len()`.
#[inline]
pub fn next_non_ascii(bytes: &[u8], mut from: usize) -> usize {
    while let Some(eight) = bytes.get(from..from + 8) {
        let mut k = [0u8; 8];
        k.copy_from_slice(eight);
        let high = u64::from_le_bytes(k) & HIGH;
        if high != 0 {
            return from + first_lane(high);
        }
        from += 8;
    }
    while from < bytes.len() && bytes[from] < 0x80 {
        from += 1;
    }
    from
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_eight_is_the_first_eight_bytes_padded_with_zeros() {
        let text = b"abcdefghijkl";
        for n in 0..=text.len() {
            let mut want = [0u8; 8];
            let m = n.min(8);
            want[..m].copy_from_slice(&text[..m]);
            assert_eq!(
                super::first_eight(&text[..n]),
                u64::from_le_bytes(want),
                "{n}"
            );
        }
    }

    use super::*;

    #[test]
    fn lanes_agree_with_byte_tests() {
        for b in 0..=255u8 {
            // the byte in every lane position, among other bytes
            for lane in 0..8 {
                let mut k = [b'!', 0xC3, b'z', b'_', 0x7f, b'A', 0xFF, b'0'];
                k[lane] = b;
                let x = u64::from_le_bytes(k);
                let letters = letter_lanes(x);
                assert_eq!(letters & !HIGH, 0);
                for (j, &c) in k.iter().enumerate() {
                    assert_eq!(letters >> (8 * j + 7) & 1 == 1, c.is_ascii_alphabetic());
                }
                let lowered = (x | (letters >> 2)).to_le_bytes();
                assert_eq!(lowered, k.map(|c| c.to_ascii_lowercase()));
                if k.iter().all(u8::is_ascii) {
                    let lower = ascii_lowercase(x).to_le_bytes();
                    assert_eq!(lower, k.map(|c| c.to_ascii_lowercase()));
                }
            }
        }
    }

    #[test]
    fn loads_and_finds_non_ascii() {
        let text = "abcdefghij\u{e9}klmnop".as_bytes();
        assert_eq!(load8(text, 0), u64::from_le_bytes(*b"abcdefgh"));
        assert_eq!(load8(text, 15), u64::from_le_bytes(*b"nop\0\0\0\0\0"));
        assert_eq!(load8(text, 99), 0);
        assert_eq!(next_non_ascii(text, 0), 10);
        assert_eq!(next_non_ascii(text, 11), 11);
        assert_eq!(next_non_ascii(text, 12), text.len());
        assert_eq!(next_non_ascii(b"ab", 0), 2);
        assert_eq!(first_lane(0), 8);
        assert_eq!(first_lane(0x80 << 16), 2);
    }
}
