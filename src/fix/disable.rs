//! Comments that turn rules off for one line: the editor's "Disable
//! `<rule>` for this line" action, and `check --add-suppressions`, which writes one
//! for every line with a finding so a project can adopt telltale and fail
//! only on new tells (as ruff's `--add-noqa` does for code).

use super::Change;
use crate::engine::Finding;
use crate::text::Markup;

/// Text to insert at a byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    /// Where it goes.
    pub at: usize,
    /// What goes there.
    pub text: String,
}

/// The comment that turns the rules `ids` (comma-separated) off for the
/// line that holds byte `at`.
///
/// Plain text (and a commit message) gets a `telltale-disable-next-line
/// ID` line above. HTML gets `<!-- telltale-disable-next-line ID -->`
/// above. Markdown gets the same comment above when the line starts a
/// paragraph or heading; inside a paragraph, a list item, a table row or a
/// quotation, a comment line would split the block, so `<!--
/// telltale-disable-line ID -->` goes at the end of the line instead
/// (inside the last cell of a table row, before a hard line break's
/// trailing spaces or backslash). MDX gets the same, written `{/* ... */}`
/// (it has no HTML comments). The comment above takes the line's
/// indentation.
pub fn line_comment(text: &str, markup: Markup, at: usize, ids: &str) -> Insertion {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[line_start..line_end];
    let content_end = line_start + line.strip_suffix('\r').unwrap_or(line).len();
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let newline = if line.ends_with('\r') { "\r\n" } else { "\n" };
    let above = |comment: String| Insertion {
        at: line_start,
        text: format!("{indent}{comment}{newline}"),
    };
    match markup {
        Markup::Plain | Markup::Commit => above(format!("telltale-disable-next-line {ids}")),
        Markup::Html => above(format!("<!-- telltale-disable-next-line {ids} -->")),
        Markup::Markdown | Markup::Mdx => {
            let comment = |directive: &str| match markup {
                Markup::Mdx => format!("{{/* {directive} {ids} */}}"),
                _ => format!("<!-- {directive} {ids} -->"),
            };
            let previous_blank = line_start == 0 || {
                let before = &text[..line_start - 1];
                let prev_start = before.rfind('\n').map_or(0, |i| i + 1);
                before[prev_start..].trim().is_empty()
            };
            if previous_blank && !inside_container(body) {
                above(comment("telltale-disable-next-line"))
            } else {
                // in a table row, inside the last cell: text after the
                // closing pipe would be an extra cell, which is dropped
                let content = text[line_start..content_end].trim_end();
                let at = match content.strip_suffix('|') {
                    Some(row) if body.starts_with('|') => line_start + row.trim_end().len(),
                    _ => line_start + before_hard_break(content),
                };
                Insertion {
                    at,
                    text: format!(" {}", comment("telltale-disable-line")),
                }
            }
        }
    }
}

/// One [`line_comment`] for each line on which a finding of `findings`
/// starts, naming every rule found there (by `id`, in order of first
/// finding), in order of position. A finding is suppressed by the line it
/// starts on, so a finding that runs over several lines needs one comment.
pub fn line_comments<'r>(
    text: &str,
    markup: Markup,
    findings: &[&Finding],
    id: impl Fn(usize) -> &'r str,
) -> Vec<Insertion> {
    let mut starts: Vec<(usize, usize)> = findings
        .iter()
        .map(|f| {
            let at = f.span.start.min(text.len());
            (text[..at].rfind('\n').map_or(0, |i| i + 1), f.rule)
        })
        .collect();
    // by line, keeping the order of findings within a line
    starts.sort_by_key(|&(line, _)| line);
    starts
        .chunk_by(|a, b| a.0 == b.0)
        .map(|run| {
            let mut ids: Vec<&str> = Vec::with_capacity(run.len());
            for &(_, rule) in run {
                let name = id(rule);
                if !ids.contains(&name) {
                    ids.push(name);
                }
            }
            line_comment(text, markup, run[0].0, &ids.join(", "))
        })
        .collect()
}

/// `text` with `comments` (in order of position, as [`line_comments`]
/// gives them) inserted, and the changes they make, for a diff.
pub fn insert(text: &str, comments: &[Insertion]) -> (String, Vec<Change>) {
    let added: usize = comments.iter().map(|c| c.text.len()).sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut changes = Vec::with_capacity(comments.len());
    let mut from = 0;
    for comment in comments {
        out.push_str(&text[from..comment.at]);
        let at = out.len();
        out.push_str(&comment.text);
        changes.push(Change {
            old: comment.at..comment.at,
            new: at..out.len(),
        });
        from = comment.at;
    }
    out.push_str(&text[from..]);
    (out, changes)
}

/// The length of a Markdown line's text (already without trailing
/// spaces) before the backslash of a hard line break. Trailing spaces, the
/// other hard break, stay after a comment put at the end of the line, and so
/// must this backslash: before a comment it would only escape a space.
fn before_hard_break(content: &str) -> usize {
    let backslashes = content.len() - content.trim_end_matches('\\').len();
    if backslashes % 2 == 1 {
        content.len() - 1
    } else {
        content.len()
    }
}

/// Whether a Markdown line is a list item, table row or quotation, which a
/// comment line above would cut off from its neighbours.
fn inside_container(body: &str) -> bool {
    // a bullet is followed by a space or ends the line; `**Bold**` opens a
    // paragraph
    let marker_ends = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t', '\r']);
    if body.starts_with(['|', '>']) {
        return true;
    }
    if body.starts_with(['-', '*', '+']) && marker_ends(&body[1..]) {
        return true;
    }
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && body[digits..].starts_with(['.', ')']) && marker_ends(&body[digits + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;
    use crate::text::LineCol;

    fn finding(text: &str, needle: &str, rule: usize) -> Finding {
        let start = text.find(needle).expect("needle");
        let at = LineCol { line: 1, column: 1 };
        Finding::new(rule, Severity::Warning, start..start + needle.len(), at, at)
    }

    fn with(text: &str, comments: &[Insertion]) -> String {
        insert(text, comments).0
    }

    #[test]
    fn one_comment_per_line_names_each_rule_once() {
        let text = "# T\n\nWe delve. Certainly! We delve.\nNext line delves.\n";
        let found = [
            finding(text, "delve.", 0),
            finding(text, "Certainly!", 1),
            finding(text, "We delve.\n", 0),
            finding(text, "delves", 0),
        ];
        let refs: Vec<&Finding> = found.iter().collect();
        let ids = ["ai-vocabulary", "chatbot-opener"];
        let comments = line_comments(text, Markup::Markdown, &refs, |r| ids[r]);
        assert_eq!(
            with(text, &comments),
            "# T\n\n<!-- telltale-disable-next-line ai-vocabulary, chatbot-opener -->\n\
             We delve. Certainly! We delve.\n\
             Next line delves. <!-- telltale-disable-line ai-vocabulary -->\n"
        );
    }

    #[test]
    fn bold_text_opens_a_paragraph_and_a_bullet_needs_a_space() {
        let comment = |text: &str| {
            let c = line_comment(text, Markup::Markdown, 0, "x");
            with(text, &[c])
        };
        assert_eq!(
            comment("**Why:** it matters.\n"),
            "<!-- telltale-disable-next-line x -->\n**Why:** it matters.\n"
        );
        assert_eq!(
            comment("* item\n"),
            "* item <!-- telltale-disable-line x -->\n"
        );
        assert_eq!(comment("-\n"), "- <!-- telltale-disable-line x -->\n");
        assert_eq!(
            comment("2024 was a year.\n"),
            "<!-- telltale-disable-next-line x -->\n2024 was a year.\n"
        );
        assert_eq!(
            comment("3. third\n"),
            "3. third <!-- telltale-disable-line x -->\n"
        );
    }
}
