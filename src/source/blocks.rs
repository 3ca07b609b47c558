//! How pulldown-cmark tells the blocks that may hold blank lines: fenced
//! code and HTML blocks of CommonMark's types 1 to 5 (comments, `<pre>`,
//! `<script>`, `<style>`, `<textarea>`, `<?`, `<!X`, CDATA), read from a
//! line's bytes as its first pass reads them. Both places that cut a
//! Markdown text where nothing is open use these: `pieces.rs`, whose
//! pieces must parse exactly as the whole text does, and `sections.rs`.

/// The fence character and length `rest` (a line after its indentation)
/// opens fenced code with: three or more backticks or tildes, and for
/// backticks no backtick after them on the line.
pub(super) fn fence_opener(rest: &[u8]) -> Option<(u8, usize)> {
    let fence = *rest.first()?;
    if fence != b'`' && fence != b'~' {
        return None;
    }
    let count = rest.iter().take_while(|&&b| b == fence).count();
    if count < 3 {
        return None;
    }
    let info = &rest[count..];
    let info = &info[..memchr::memchr(b'\n', info).unwrap_or(info.len())];
    (fence == b'~' || !info.contains(&b'`')).then_some((fence, count))
}

/// Whether `line` closes fenced code opened by `count` of `fence`: at most
/// three spaces (a tab reaches the fourth column), at least `count` of
/// `fence`, then spaces only.
pub(super) fn closes_fence(line: &[u8], fence: u8, count: usize) -> bool {
    let spaces = line.iter().take_while(|&&b| b == b' ').count();
    if spaces > 3 {
        return false;
    }
    let rest = &line[spaces..];
    let run = rest.iter().take_while(|&&b| b == fence).count();
    run >= count && ends_in_spaces(&rest[run..])
}

/// Whether `rest` holds only spaces up to its line end.
pub(super) fn ends_in_spaces(rest: &[u8]) -> bool {
    rest.iter().take_while(|&&b| b != b'\n').all(|&b| b == b' ')
}

/// What ends the HTML block of types 1 to 5 that `after` (the text after
/// a line's `<`) opens, if any. Case matters in the end but not in a
/// tag's name, as in pulldown-cmark.
pub(super) fn html_end(after: &[u8]) -> Option<&'static [u8]> {
    const TAGS: [(&[u8], &[u8]); 4] = [
        (b"pre", b"</pre>"),
        (b"style", b"</style>"),
        (b"script", b"</script>"),
        (b"textarea", b"</textarea>"),
    ];
    for (name, end) in TAGS {
        let Some(head) = after.get(..name.len()) else {
            break;
        };
        if head.eq_ignore_ascii_case(name)
            && after
                .get(name.len())
                .is_none_or(|&b| b == b'>' || (0x09..=0x0d).contains(&b) || b == b' ')
        {
            return Some(end);
        }
    }
    for (start, end) in [
        (&b"!--"[..], &b"-->"[..]),
        (b"?", b"?>"),
        (b"![CDATA[", b"]]>"),
    ] {
        if after.starts_with(start) {
            return Some(end);
        }
    }
    (after.len() > 1 && after[0] == b'!' && after[1].is_ascii_alphabetic()).then_some(b">")
}

/// Whether `line` holds `end`: lines are short, and `memmem` built a
/// searcher for each.
pub(super) fn contains(line: &[u8], end: &[u8]) -> bool {
    memchr::memchr_iter(end[0], line).any(|i| line[i..].starts_with(end))
}
