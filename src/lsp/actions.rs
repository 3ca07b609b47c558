//! The edits behind the server's code actions: a rule's own fix, a comment
//! that turns the rule off for one line, and every fix in the document at
//! once. Pure functions over the text, so they are tested without a client.

use std::ops::Range;

use crate::engine::Finding;
use crate::fix;
use crate::text::Markup;

/// A replacement of a byte range, before conversion to LSP positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextChange {
    /// Bytes replaced (empty for an insertion).
    pub range: Range<usize>,
    /// The new text.
    pub text: String,
}

/// The edit that applies `finding`'s suggestion, with the same tidying
/// `check --fix` does; `None` when it has no suggestion or no clean edit.
pub fn fix_change(text: &str, finding: &Finding) -> Option<TextChange> {
    let edit = fix::edits(text, std::slice::from_ref(finding)).pop()?;
    Some(TextChange {
        range: edit.range,
        text: edit.replacement,
    })
}

/// The title of the fix action for `finding` in `text`.
pub fn fix_title(text: &str, finding: &Finding) -> String {
    let flagged = text.get(finding.span.clone()).unwrap_or_default();
    match finding.suggestion() {
        Some("") | None => format!("Delete \u{201C}{flagged}\u{201D}"),
        Some(s) => format!("Replace \u{201C}{flagged}\u{201D} with \u{201C}{s}\u{201D}"),
    }
}

/// The edit that turns rule `id` off for the line that holds byte `at`
/// (see [`fix::disable::line_comment`]).
pub fn disable_change(text: &str, markup: Markup, at: usize, id: &str) -> TextChange {
    let insertion = fix::disable::line_comment(text, markup, at, id);
    TextChange {
        range: insertion.at..insertion.at,
        text: insertion.text,
    }
}

/// One edit that applies every fix in the document (as `check --fix`
/// would), covering only the stretch that changes; `None` when nothing
/// changes.
pub fn fix_all_change(
    text: &str,
    findings: &[Finding],
    recheck: impl FnMut(&str) -> Vec<Finding>,
) -> Option<TextChange> {
    let fixed = fix::fix(text, findings, recheck);
    if fixed.text == text {
        return None;
    }
    let new = fixed.text;
    let mut prefix = text
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !text.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (text.len() - prefix).min(new.len() - prefix);
    let mut suffix = text
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !text.is_char_boundary(text.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some(TextChange {
        range: prefix..text.len() - suffix,
        text: new[prefix..new.len() - suffix].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, c: &TextChange) -> String {
        format!(
            "{}{}{}",
            &text[..c.range.start],
            c.text,
            &text[c.range.end..]
        )
    }

    fn disabled(text: &str, markup: Markup, needle: &str) -> String {
        let at = text.find(needle).expect("needle");
        apply(text, &disable_change(text, markup, at, "rule-x"))
    }

    #[test]
    fn markdown_paragraph_start_gets_a_comment_above() {
        assert_eq!(
            disabled("# T\n\nCertainly! Yes.\n", Markup::Markdown, "Certainly"),
            "# T\n\n<!-- telltale-disable-next-line rule-x -->\nCertainly! Yes.\n"
        );
        assert_eq!(
            disabled("Certainly! Yes.", Markup::Markdown, "Yes"),
            "<!-- telltale-disable-next-line rule-x -->\nCertainly! Yes."
        );
    }

    #[test]
    fn markdown_inside_a_block_gets_a_line_comment() {
        assert_eq!(
            disabled("One line\ntwo delve.\r\nthree\n", Markup::Markdown, "delve"),
            "One line\ntwo delve. <!-- telltale-disable-line rule-x -->\r\nthree\n"
        );
        assert_eq!(
            disabled("\n  - an item delve\n", Markup::Markdown, "delve"),
            "\n  - an item delve <!-- telltale-disable-line rule-x -->\n"
        );
        assert_eq!(
            disabled("1. delve\n", Markup::Markdown, "delve"),
            "1. delve <!-- telltale-disable-line rule-x -->\n"
        );
        assert_eq!(
            disabled("| a | delve |  \n", Markup::Markdown, "delve"),
            "| a | delve <!-- telltale-disable-line rule-x --> |  \n"
        );
    }

    #[test]
    fn markdown_line_comments_keep_hard_line_breaks() {
        // two trailing spaces and a trailing backslash end a line in a
        // break; the comment goes before them so they still end the line
        assert_eq!(
            disabled(
                "One line\ntwo delve.  \r\nthree\n",
                Markup::Markdown,
                "delve"
            ),
            "One line\ntwo delve. <!-- telltale-disable-line rule-x -->  \r\nthree\n"
        );
        assert_eq!(
            disabled("One line\ntwo delve.\\\nthree\n", Markup::Markdown, "delve"),
            "One line\ntwo delve. <!-- telltale-disable-line rule-x -->\\\nthree\n"
        );
        // an escaped backslash is text, not a break
        assert_eq!(
            disabled(
                "One line\ntwo delve\\\\\nthree\n",
                Markup::Markdown,
                "delve"
            ),
            "One line\ntwo delve\\\\ <!-- telltale-disable-line rule-x -->\nthree\n"
        );
    }

    #[test]
    fn mdx_gets_its_own_comments() {
        assert_eq!(
            disabled("# T\n\nCertainly! Yes.\n", Markup::Mdx, "Certainly"),
            "# T\n\n{/* telltale-disable-next-line rule-x */}\nCertainly! Yes.\n"
        );
        assert_eq!(
            disabled("One line\ntwo delve.\n", Markup::Mdx, "delve"),
            "One line\ntwo delve. {/* telltale-disable-line rule-x */}\n"
        );
    }

    #[test]
    fn plain_and_html_get_a_line_above_with_the_indent() {
        assert_eq!(
            disabled("a\n   delve here\n", Markup::Plain, "delve"),
            "a\n   telltale-disable-next-line rule-x\n   delve here\n"
        );
        assert_eq!(
            disabled("<p>\n  delve</p>", Markup::Html, "delve"),
            "<p>\n  <!-- telltale-disable-next-line rule-x -->\n  delve</p>"
        );
    }

    #[test]
    fn fix_all_covers_only_what_changes() {
        use crate::rules::Severity;
        use crate::text::LineCol;
        let text = "keep é Certainly! and é keep";
        let start = text.find("Certainly!").expect("in text");
        let at = LineCol { line: 1, column: 1 };
        let f = Finding::new(
            0,
            Severity::Error,
            start..start + "Certainly!".len(),
            at,
            at,
        )
        .with_suggestion(Some(String::new().into()));
        let change = fix_all_change(text, &[f], |_| Vec::new()).expect("a change");
        assert_eq!(apply(text, &change), "keep é and é keep");
        assert!(change.range.start >= "keep é".len(), "{change:?}");
        assert!(fix_all_change(text, &[], |_| Vec::new()).is_none());
    }

    #[test]
    fn disable_comments_suppress_exactly_that_finding() {
        use crate::engine::{self, Selection};
        use crate::rules::RuleSet;
        let rules = RuleSet::builtin().expect("built-in packs load");
        let selection = Selection::all(&rules);
        let ids = |text: &str, markup: Markup| -> Vec<String> {
            let doc = crate::source::document(text.to_string(), markup);
            engine::check(&doc, &rules, &selection)
                .findings
                .iter()
                .map(|f| rules.rules()[f.rule].id.clone())
                .collect()
        };
        let cases = [
            (Markup::Markdown, "# T\n\nCertainly! We delve into it.\n"),
            (
                Markup::Markdown,
                "We delve.\nCertainly! We delve into it.\n",
            ),
            (Markup::Markdown, "- a\n- Certainly! We delve into it.\n"),
            (
                Markup::Markdown,
                "| a |\n|---|\n| Certainly! We delve into it. |\n",
            ),
            (Markup::Mdx, "# T\n\nCertainly! We delve into {props.x}.\n"),
            (Markup::Mdx, "We delve.\nCertainly! We delve into it.\n"),
            (
                Markup::Markdown,
                "We delve.\nCertainly! We delve into it.  \nMore.\n",
            ),
            (
                Markup::Markdown,
                "We delve.\nCertainly! We delve into it.\\\nMore.\n",
            ),
            (Markup::Mdx, "- a\n- Certainly! We delve into it.\n"),
            (
                Markup::Mdx,
                "| a |\n|---|\n| Certainly! We delve into it. |\n",
            ),
            (Markup::Plain, "Intro.\n\n  Certainly! We delve into it.\n"),
            (Markup::Html, "<p>Certainly! We delve into it.</p>\n"),
        ];
        for (markup, text) in cases {
            let doc = crate::source::document(text.to_string(), markup);
            let found = engine::check(&doc, &rules, &selection).findings;
            let opener = found
                .iter()
                .find(|f| rules.rules()[f.rule].id == "chatbot-opener")
                .unwrap_or_else(|| panic!("opener not found in {text:?}"));
            let before = ids(text, markup);
            let change = disable_change(text, markup, opener.span.start, "chatbot-opener");
            let after_text = apply(text, &change);
            let mut expected = before.clone();
            expected.retain(|id| id != "chatbot-opener");
            assert_eq!(ids(&after_text, markup), expected, "{after_text:?}");
        }
    }
}
