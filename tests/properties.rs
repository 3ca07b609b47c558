//! Property tests: the fuzz targets' invariants (see `tests/invariants`) on
//! random plain text, Markdown and HTML built from pieces that exercise the
//! extractors and the rules, and on random bytes.

mod invariants;

use std::sync::LazyLock;

use proptest::prelude::*;
use telltale::text::Markup;

use invariants::{Checker, MARKUPS};

static CHECKER: LazyLock<Checker> = LazyLock::new(Checker::builtin);

/// Pieces of prose, markup and awkward Unicode that documents are built from.
const PIECES: &[&str] = &[
    "delve",
    "into",
    "the",
    "rich",
    "tapestry",
    "It's not just",
    "it's",
    "a",
    "journey",
    "In conclusion,",
    "Certainly!",
    "utilize",
    "Moreover,",
    "—",
    "–",
    "...",
    "…",
    ".",
    ",",
    "!",
    "?",
    ":",
    ";",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\"",
    "“",
    "”",
    "'",
    "’",
    "(",
    ")",
    "é",
    "e\u{301}",
    "😀",
    "\u{feff}",
    "\u{200b}",
    "\u{a0}",
    "ß",
    "İ",
    "# ",
    "## ",
    "> ",
    ">> ",
    "- ",
    "* ",
    "1. ",
    "   ",
    "**",
    "__",
    "*",
    "_",
    "`",
    "```\n",
    "~~~",
    "[link](http://x.org)",
    "![img](a.png)",
    "<https://example.com>",
    "| a | b |\n",
    "|---|---|\n",
    "[^1]",
    "[^1]: note\n",
    "---\n",
    "+++\n",
    "<!-- telltale-disable -->",
    "<!-- telltale-enable -->",
    "<!-- telltale-disable-next-line -->",
    "<!-- telltale-disable-line delve -->",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<code>",
    "</code>",
    "<script>",
    "</script>",
    "<style>",
    "<pre>",
    "<!--",
    "-->",
    "&amp;",
    "&#x2014;",
    "&nbsp;",
    "<br/>",
    "<div class=\"x\">",
    "</div>",
    "<main>",
    "</main>",
    "<div role=\"main\">",
    "<div role=\"navigation\">",
    "<input role=\"search\">",
    "<header>",
    "</header>",
    "<footer>",
    "</footer>",
    "<aside>",
    "</aside>",
    "<article>",
    "</article>",
    "<section>",
    "</section>",
    "<nav>",
    "</nav>",
    "<template>",
    "</template>",
    "<a href=\"#r\" data-footnote-backref>",
    "</a>",
    "<h1>",
    "</h1>",
    "<",
    ">",
    "&",
    "\\",
    "import x from 'y'",
    "export const a = 1",
    "{",
    "}",
    "{/* telltale-disable-next-line */}",
    "<Tag a={1} b=\"x\">",
    "</Tag>",
    "$$",
    "$",
];

fn document() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn built_documents_keep_the_invariants(text in document()) {
        for markup in MARKUPS {
            CHECKER.check_bytes(text.as_bytes(), markup);
        }
    }

    #[test]
    fn arbitrary_bytes_keep_the_invariants(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for markup in MARKUPS {
            CHECKER.check_bytes(&bytes, markup);
        }
    }

    #[test]
    fn text_with_invalid_bytes_keeps_offsets(text in document(), at in any::<prop::sample::Index>(), junk in prop::collection::vec(0x80u8..=0xff, 1..4)) {
        let mut bytes = text.into_bytes();
        let i = at.index(bytes.len() + 1);
        bytes.splice(i..i, junk);
        if !bytes.starts_with(&[0xFF, 0xFE]) && !bytes.starts_with(&[0xFE, 0xFF]) {
            CHECKER.check_bytes(&bytes, Markup::Markdown);
        }
    }
}

/// Found by the property test: a finding that starts in the leading
/// byte-order mark (a second mark right after it) broke the human report.
#[test]
fn a_finding_inside_the_leading_bom_is_reported() {
    for markup in MARKUPS {
        let findings = CHECKER
            .check_bytes("\u{feff}\u{feff}".as_bytes(), markup)
            .expect("text");
        assert!(!findings.is_empty(), "the stray mark is flagged");
    }
}

#[test]
fn the_line_column_oracle_counts_characters_and_skips_the_bom() {
    use telltale::text::LineCol;
    let text = "\u{feff}ab\ncé d";
    assert_eq!(
        invariants::expected_line_col(text, 3),
        LineCol { line: 1, column: 1 }
    );
    let d = text.find('d').expect("d");
    assert_eq!(
        invariants::expected_line_col(text, d),
        LineCol { line: 2, column: 4 }
    );
}

#[test]
fn a_finding_off_a_character_boundary_is_caught() {
    use telltale::engine::Finding;
    use telltale::rules::Severity;
    use telltale::text::LineCol;
    let at = LineCol { line: 1, column: 1 };
    let bad = Finding::new(0, Severity::Warning, 0..1, at, at);
    let caught = std::panic::catch_unwind(|| invariants::assert_findings_sound("é", &[bad]));
    assert!(caught.is_err(), "a span inside 'é' must fail the invariant");
}
