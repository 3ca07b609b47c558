//! The packs in `patterns/`, embedded at build time, with what `build.rs`
//! worked out from the text of their regexes.

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, Look,
    Repetition,
};

use super::anchors::Conjunction;
use super::{Scope, Severity};
use crate::text::Markup;

/// Alternatives of sets of literals, as [`Conjunction`]s in static data.
type Requirements = &'static [&'static [&'static [&'static str]]];

/// A built-in regex: its text, its requirements, the program that
/// builds its parse ([`build_hir`]), the ones that build its narrowed
/// forms ([`narrowed`], [`wide`]) and whether it asserts a start
/// ([`anchored`]).
type Parsed = (
    &'static str,
    Option<Requirements>,
    Option<&'static [u32]>,
    Option<&'static [u32]>,
    Option<&'static [u32]>,
    bool,
);

/// One `[[rule]]` table of a built-in pack, as build.rs read it: the
/// fields of the loader's rule definition, in static data.
pub(super) struct RuleRow {
    /// 1-based line of the table.
    pub(super) line: usize,
    pub(super) id: &'static str,
    pub(super) category: &'static str,
    pub(super) severity: Severity,
    pub(super) weight: f64,
    pub(super) message: &'static str,
    pub(super) why: &'static str,
    pub(super) label: Option<&'static str>,
    pub(super) help: Option<&'static str>,
    pub(super) suggest: Option<&'static str>,
    pub(super) phrases: Option<&'static [&'static str]>,
    pub(super) regex: Option<&'static str>,
    pub(super) fancy: Option<&'static str>,
    pub(super) metric: Option<&'static str>,
    pub(super) builtin: Option<&'static str>,
    pub(super) anchors: Option<&'static [&'static str]>,
    pub(super) unless: Option<&'static str>,
    pub(super) scope: Option<Scope>,
    /// Builds the `settings` table.
    pub(super) settings: Option<fn() -> toml::Table>,
    /// `examples`: flag, pass, markup.
    pub(super) examples: (
        &'static [&'static str],
        &'static [&'static str],
        Option<Markup>,
    ),
}

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// The parse of a regex of a built-in pack, built from data (a tenth of
/// the cost of parsing: case folding and Unicode classes are worked out
/// already); `None` for any other pattern.
pub(super) fn hir(pattern: &str) -> Option<Hir> {
    find(pattern)?.2.and_then(build_hir)
}

/// For a regex of a built-in pack whose classes narrowing changes: its
/// parse narrowed, with ASCII word boundaries
/// (`narrowing::narrow_with_ascii_boundaries`), built from data without
/// building the whole parse first; `None` for any other pattern.
pub(super) fn narrowed(pattern: &str) -> Option<Hir> {
    find(pattern)?.3.and_then(build_hir)
}

/// [`narrowed`] for the wide blocks (`narrowing::WIDE`): rewriting a
/// parse at run time cost more than compiling it (about 25 M
/// instructions for the regexes a run over 240 real Markdown documents
/// needed in this form).
pub(super) fn wide(pattern: &str) -> Option<Hir> {
    find(pattern)?.4.and_then(build_hir)
}

/// Whether a regex of a built-in pack asserts the start of its text or of
/// a line; `None` for any other pattern. Read from the table, since
/// working it out needs the whole parse, which a regex used only in its
/// narrowed forms never builds.
pub(super) fn anchored(pattern: &str) -> Option<bool> {
    find(pattern).map(|row| row.5)
}

/// The row of [`PARSED`] for `pattern`.
fn find(pattern: &str) -> Option<&'static Parsed> {
    let i = PARSED.binary_search_by(|(p, ..)| (*p).cmp(pattern)).ok()?;
    Some(&PARSED[i])
}

/// Runs a program build.rs wrote: a postfix encoding of a parse, each
/// node an opcode and its operands, built with the constructors the
/// parser uses. `0`: empty; `1 n b…`: a literal of `n` bytes; `2 k` or
/// `3 k`: class `k` of [`CLASSES`] (characters, bytes); `4 r`: the look
/// with repr `r`; `5 min max+1 greedy`: a repetition of the last node
/// (`max+1` 0 for none); `6 i`: unnamed capture group `i` of the last
/// node; `7 n` / `8 n`: the concatenation / alternation of the last `n`
/// nodes. `None` for a program it cannot run (never for one build.rs
/// wrote; tested).
fn build_hir(program: &[u32]) -> Option<Hir> {
    let mut stack: Vec<Hir> = Vec::new();
    let mut ops = program.iter().copied();
    while let Some(op) = ops.next() {
        let mut arg = || ops.next();
        let node = match op {
            0 => Hir::empty(),
            1 => {
                let n = arg()? as usize;
                let bytes: Option<Vec<u8>> = (0..n)
                    .map(|_| arg().and_then(|b| u8::try_from(b).ok()))
                    .collect();
                Hir::literal(bytes?)
            }
            2 | 3 => {
                let (bytes, ranges) = CLASSES.get(arg()? as usize)?;
                if *bytes != (op == 3) {
                    return None;
                }
                let pairs = ranges.chunks_exact(2);
                if op == 2 {
                    let ranges: Option<Vec<ClassUnicodeRange>> = pairs
                        .map(|r| {
                            Some(ClassUnicodeRange::new(
                                char::from_u32(r[0])?,
                                char::from_u32(r[1])?,
                            ))
                        })
                        .collect();
                    Hir::class(Class::Unicode(ClassUnicode::new(ranges?)))
                } else {
                    let ranges: Option<Vec<ClassBytesRange>> = pairs
                        .map(|r| {
                            Some(ClassBytesRange::new(
                                u8::try_from(r[0]).ok()?,
                                u8::try_from(r[1]).ok()?,
                            ))
                        })
                        .collect();
                    Hir::class(Class::Bytes(ClassBytes::new(ranges?)))
                }
            }
            4 => Hir::look(Look::from_repr(arg()?)?),
            5 => {
                let (min, max, greedy) = (arg()?, arg()?, arg()?);
                Hir::repetition(Repetition {
                    min,
                    max: max.checked_sub(1),
                    greedy: greedy != 0,
                    sub: Box::new(stack.pop()?),
                })
            }
            6 => {
                let index = arg()?;
                Hir::capture(Capture {
                    index,
                    name: None,
                    sub: Box::new(stack.pop()?),
                })
            }
            7 | 8 => {
                let n = arg()? as usize;
                let subs = stack.split_off(stack.len().checked_sub(n)?);
                if op == 7 {
                    Hir::concat(subs)
                } else {
                    Hir::alternation(subs)
                }
            }
            _ => return None,
        };
        stack.push(node);
    }
    let hir = stack.pop()?;
    stack.is_empty().then_some(hir)
}

/// The rules of the built-in pack whose text is `text`, when build.rs
/// could write them as data; `None` for any other text, which the loader
/// parses.
pub(super) fn rules_of(text: &str) -> Option<&'static [RuleRow]> {
    let i = PACKS.iter().position(|&(_, t)| t == text)?;
    PACK_RULES.get(i).copied().flatten()
}

/// For a regex of a built-in pack that parses: the literals it requires
/// (`anchors::requirements` of its parse). `None` for any other pattern,
/// which the loader parses and checks itself.
pub fn parsed(pattern: &str) -> Option<Option<Vec<Conjunction>>> {
    Some(find(pattern)?.1.map(|alternatives| {
        alternatives
            .iter()
            .map(|sets| {
                sets.iter()
                    .map(|set| set.iter().map(|l| l.to_string()).collect())
                    .collect()
            })
            .collect()
    }))
}

/// Whether `pattern` is the `fancy` pattern of a rule of a built-in pack
/// (each of which compiles, tested): the loader defers compiling it.
pub(super) fn is_fancy(pattern: &str) -> bool {
    PACK_RULES
        .iter()
        .flatten()
        .flat_map(|rows| rows.iter())
        .any(|row| row.fancy == Some(pattern))
}

#[cfg(test)]
mod tests {
    use super::{PACKS, PARSED, parsed};
    use crate::rules::{anchors, narrowing, regex};

    #[test]
    fn the_table_holds_what_loading_would_work_out() {
        let (mut narrowed, mut wide, mut starts) = (0, 0, 0);
        for (pattern, _, build, narrowed_build, wide_build, anchored) in PARSED {
            let hir = regex::parse(pattern).expect("a pattern in the table parses");
            let program = build.expect("build.rs wrote the parse of every built-in regex");
            assert!(super::build_hir(program) == Some(hir.clone()), "{pattern}");
            assert!(super::hir(pattern) == Some(hir.clone()), "{pattern}");
            // written for every pattern narrowing changes, and the same tree
            let expected = narrowing::narrow_with_ascii_boundaries(&hir, &narrowing::COMMON);
            assert_eq!(narrowed_build.is_some(), expected.is_some(), "{pattern}");
            assert!(super::narrowed(pattern) == expected, "{pattern}");
            narrowed += usize::from(expected.is_some());
            let expected = narrowing::narrow_with_ascii_boundaries(&hir, &narrowing::WIDE);
            assert_eq!(wide_build.is_some(), expected.is_some(), "{pattern}");
            assert!(super::wide(pattern) == expected, "{pattern}");
            wide += usize::from(expected.is_some());
            // and the same answer as the parse gives
            let lazy = regex::LazyRegex::parse(pattern).expect("parses");
            assert_eq!(lazy.anchored_at_start(), *anchored, "{pattern}");
            assert_eq!(super::anchored(pattern), Some(*anchored), "{pattern}");
            starts += usize::from(*anchored);
            assert_eq!(
                parsed(pattern),
                Some(anchors::requirements(&hir)),
                "{pattern}"
            );
            // loading skips the size check for these: they must compile
            let lazy = regex::LazyRegex::unparsed(pattern, false);
            assert!(lazy.get().is_ok(), "{pattern}");
        }
        assert!(
            narrowed > 20 && wide > 20 && starts > 10,
            "{narrowed} {wide} {starts}"
        );
        assert_eq!(parsed("(?i)not a built-in pattern"), None);
        assert!(super::narrowed("(?i)not a built-in pattern").is_none());
        assert!(super::wide("(?i)not a built-in pattern").is_none());
    }

    /// Every built-in pack's `[[rule]]` tables, with the pack's path.
    fn pack_rules() -> Vec<(&'static str, toml::Value)> {
        let mut all = Vec::new();
        for (path, text) in PACKS {
            let table: toml::Table = toml::from_str(text).expect("pack parses");
            if let Some(toml::Value::Array(rules)) = table.get("rule") {
                all.extend(rules.iter().map(|rule| (*path, rule.clone())));
            }
        }
        all
    }

    #[test]
    fn every_builtin_regex_is_in_the_table() {
        let mut patterns = 0;
        for (path, rule) in pack_rules() {
            for key in ["regex", "unless"] {
                if let Some(p) = rule.get(key).and_then(|v| v.as_str()) {
                    assert!(parsed(p).is_some(), "{path}: {p}");
                    patterns += 1;
                }
            }
        }
        assert!(patterns > 40, "{patterns}");
    }

    #[test]
    fn every_builtin_fancy_pattern_compiles_and_is_known_as_builtin() {
        // the loader compiles these on first use, trusting this test
        let mut patterns = 0;
        for (path, rule) in pack_rules() {
            if let Some(p) = rule.get("fancy").and_then(|v| v.as_str()) {
                assert!(super::is_fancy(p), "{path}: {p}");
                let fancy = crate::rules::fancy::FancyPattern::deferred(p);
                assert!(fancy.regex().is_ok(), "{path}: {p}");
                patterns += 1;
            }
        }
        assert!(patterns >= 2, "{patterns}");
        assert!(!super::is_fancy(r"(?<=a)not a built-in pattern"));
    }
}
