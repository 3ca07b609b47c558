//! Inline configuration comments: `telltale-disable`, `telltale-enable`,
//! `telltale-disable-next-line`, `telltale-disable-line` and
//! `telltale-disable-file`, each followed by optional rule ids or categories.
//!
//! Extractors record where comments are (HTML comments in Markdown and HTML,
//! directive lines in plain text); this module reads the directives out of
//! them with the source range of every id, so an unknown id can be reported
//! where it is written. What the ids mean is decided by the engine.

use std::ops::Range;

/// The prefix every directive starts with.
pub const PREFIX: &str = "telltale-";

/// What a directive asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// Turn rules off from here until a matching `telltale-enable`.
    Disable,
    /// Turn rules back on.
    Enable,
    /// Turn rules off on the line after the comment.
    DisableNextLine,
    /// Turn rules off on the line the comment is on.
    DisableLine,
    /// Turn rules off for the whole file.
    DisableFile,
    /// A `telltale-` word that is no directive (a typo); kept so it can be
    /// reported rather than silently ignored.
    Unknown(String),
}

impl DirectiveKind {
    /// Every directive there is.
    const KNOWN: [DirectiveKind; 5] = [
        DirectiveKind::Disable,
        DirectiveKind::Enable,
        DirectiveKind::DisableNextLine,
        DirectiveKind::DisableLine,
        DirectiveKind::DisableFile,
    ];

    /// The directive as written (`telltale-disable-line`); `None` for an
    /// unknown one.
    pub fn word(&self) -> Option<&'static str> {
        Some(match self {
            DirectiveKind::Disable => "telltale-disable",
            DirectiveKind::Enable => "telltale-enable",
            DirectiveKind::DisableNextLine => "telltale-disable-next-line",
            DirectiveKind::DisableLine => "telltale-disable-line",
            DirectiveKind::DisableFile => "telltale-disable-file",
            DirectiveKind::Unknown(_) => return None,
        })
    }
}

/// One directive found in a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// What it asks for.
    pub kind: DirectiveKind,
    /// The rule ids or categories it names (empty: every rule), each with
    /// its source byte range.
    pub ids: Vec<(String, Range<usize>)>,
    /// Source byte range of the directive text (inside the comment).
    pub span: Range<usize>,
    /// Source offset where the comment's text ends (where its closing
    /// `-->` or `*/}` starts): `-next-line` means the line after this one,
    /// which is later than the directive's own for a comment whose closer
    /// is on a line of its own.
    pub comment_end: usize,
}

impl Directive {
    /// The same directive `by` bytes further on: one read from a section
    /// of a file, placed in the whole file.
    pub fn shifted(mut self, by: usize) -> Directive {
        self.span = self.span.start + by..self.span.end + by;
        self.comment_end += by;
        for (_, r) in &mut self.ids {
            *r = r.start + by..r.end + by;
        }
        self
    }
}

/// Reads the directive in a comment whose text is `body`, found at source
/// offset `offset`. Returns `None` when the comment is not a directive.
///
/// Ids are separated by commas or spaces; anything after ` -- ` is a note
/// for the reader and is ignored (`telltale-disable hedging -- quoting a
/// source`), also when the `--` starts a line of a comment that spans
/// several.
pub fn parse(body: &str, offset: usize) -> Option<Directive> {
    let lead = body.len() - body.trim_start().len();
    let text = body.trim_start();
    let rest = text.strip_prefix(PREFIX)?;
    let word_len = rest
        .find(|c: char| c.is_whitespace() || c == ',')
        .unwrap_or(rest.len());
    let word = &rest[..word_len];
    let kind = DirectiveKind::KNOWN
        .iter()
        .find(|k| k.word().and_then(|w| w.strip_prefix(PREFIX)) == Some(word))
        .cloned()
        .unwrap_or_else(|| DirectiveKind::Unknown(format!("{PREFIX}{word}")));
    let ids_at = lead + PREFIX.len() + word_len;
    let mut ids_text = &body[ids_at..];
    // `--` after whitespace (a space, or the line break of a comment over
    // several lines) and before whitespace or the end
    let note = ids_text.match_indices("--").map(|(i, _)| i).find(|&i| {
        ids_text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace)
            && ids_text[i + 2..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
    });
    if let Some(i) = note {
        ids_text = &ids_text[..i];
    }
    let mut ids = Vec::new();
    let mut i = 0;
    for piece in ids_text.split(|c: char| c.is_whitespace() || c == ',') {
        if !piece.is_empty() {
            let start = offset + ids_at + i;
            ids.push((piece.to_string(), start..start + piece.len()));
        }
        i += piece.len()
            + ids_text[i + piece.len()..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
    }
    let end = ids.last().map_or(offset + ids_at, |(_, r)| r.end);
    Some(Directive {
        kind,
        ids,
        span: offset + lead..end,
        comment_end: offset + body.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kinds_ids_and_their_offsets() {
        let body = " telltale-disable hedging, em-dash-density ";
        let d = parse(body, 10).expect("a directive");
        assert_eq!(d.kind, DirectiveKind::Disable);
        let ids: Vec<&str> = d.ids.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(ids, ["hedging", "em-dash-density"]);
        let r = d.ids[1].1.clone();
        assert_eq!(&body[r.start - 10..r.end - 10], "em-dash-density");
        assert_eq!(&body[d.span.start - 10..d.span.end - 10], body.trim());
    }

    #[test]
    fn no_ids_notes_and_non_directives() {
        let d = parse("telltale-enable", 0).expect("a directive");
        assert_eq!(d.kind, DirectiveKind::Enable);
        assert!(d.ids.is_empty());
        let d = parse("telltale-disable-next-line puffery -- quoting the ad", 0).expect("note");
        assert_eq!(d.kind, DirectiveKind::DisableNextLine);
        assert_eq!(d.ids.len(), 1);
        assert_eq!(
            parse("telltale-disabel x", 0).map(|d| d.kind),
            Some(DirectiveKind::Unknown("telltale-disabel".into()))
        );
        assert!(parse("a note about telltale-disable", 0).is_none());
        assert_eq!(
            parse("telltale-disable-file", 0).map(|d| d.kind),
            Some(DirectiveKind::DisableFile)
        );
    }

    #[test]
    fn a_note_may_start_its_own_line() {
        let ids = |body: &str| -> Vec<String> {
            parse(body, 0)
                .expect("a directive")
                .ids
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        let body = "\ntelltale-disable-next-line puffery, hedging\n-- the ad is quoted\n";
        assert_eq!(ids(body), ["puffery", "hedging"]);
        assert_eq!(ids("telltale-disable puffery\r\n--\r\n"), ["puffery"]);
        // not a note: no space before the dashes, or text right after them
        assert_eq!(ids("telltale-disable a--b"), ["a--b"]);
        assert_eq!(ids("telltale-disable a --b"), ["a", "--b"]);
    }
}
