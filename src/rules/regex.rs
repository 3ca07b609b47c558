//! Compiles rule regexes for prose: the pattern's Unicode word boundaries
//! (`\b`) become ASCII ones before compilation.
//!
//! The lazy DFA cannot evaluate a Unicode `\b` on text that holds any
//! non-ASCII character (a curly quote, an em dash); the regex engine then
//! falls back to a much slower engine on that sentence. ASCII boundaries
//! treat a non-ASCII letter as a non-word character, which only matters
//! when a pattern's word ends right next to such a letter ("caf" in
//! "café"): a fair price for keeping every sentence on the fast engine.
//! Character classes (`\w`, case folding) stay Unicode.

use regex_automata::meta::{self, Regex};
use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};

/// Lazy DFA cache per regex and thread; the default is too small for the
/// case-folded alternations rule patterns are made of.
const DFA_CACHE: usize = 4 * (1 << 20);

/// Compiled NFA size limit per regex.
const NFA_LIMIT: usize = 16 * (1 << 20);

/// A regex that could not be compiled, with the reason.
#[derive(Debug)]
pub struct RegexError(String);

impl std::fmt::Display for RegexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses and compiles `pattern` with ASCII word boundaries.
pub fn compile(pattern: &str) -> Result<Regex, RegexError> {
    // a rule's regex runs only on the sentences its anchors picked: a
    // prefilter finds little there and cost a tenth of start-up
    build(pattern, false)
}

/// [`compile`] for a pattern that searches a whole file's source at once
/// (`scope = "source"`): there a literal prefilter skips almost every byte.
pub fn compile_for_source(pattern: &str) -> Result<Regex, RegexError> {
    build(pattern, true)
}

fn build(pattern: &str, prefilter: bool) -> Result<Regex, RegexError> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| RegexError(e.to_string()))?;
    let hir = ascii_boundaries(&hir);
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(NFA_LIMIT))
                .hybrid_cache_capacity(DFA_CACHE)
                .auto_prefilter(prefilter),
        )
        .build_from_hir(&hir)
        .map_err(|e| RegexError(e.to_string()))
}

/// `hir` with every Unicode word-boundary assertion made ASCII.
fn ascii_boundaries(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(look) => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => *other,
        }),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(ascii_boundaries(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(ascii_boundaries(&cap.sub)),
            ..cap.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(ascii_boundaries).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(ascii_boundaries).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::compile;

    fn matches(pattern: &str, text: &str) -> Vec<String> {
        let re = compile(pattern).expect("pattern compiles");
        re.find_iter(text)
            .map(|m| text[m.range()].to_string())
            .collect()
    }

    #[test]
    fn word_boundaries_still_bound_words() {
        assert_eq!(
            matches(r"(?i)\bdelve\b", "Delve, delver, undelve — “delve”."),
            ["Delve", "delve"]
        );
        assert_eq!(matches(r"(?i)\bnot\b", "It’s not — knot"), ["not"]);
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert!(compile("(unclosed").is_err());
    }
}
