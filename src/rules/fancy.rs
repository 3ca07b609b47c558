//! `fancy` rule patterns (lookaround, backreferences) and the plain regex
//! that screens a sentence before the backtracking engine runs on it.
//!
//! `fancy-regex` runs a pattern with backreferences on its backtracking
//! VM, trying every start position of the sentence: on prose that cost
//! about a thousand instructions a byte, on sentences the anchors picked
//! but where nothing matched. The screen is the pattern relaxed into one
//! the `regex` crate runs (a lazy DFA, a few instructions a byte): each
//! lookaround and assertion dropped, each backreference replaced by the
//! group it refers to. Every text a backreference can match, the group's
//! own pattern matches too (case-insensitively when the backreference is),
//! and dropping a condition only admits more; so every match of the fancy
//! pattern is a match of the screen, and a sentence the screen rejects
//! holds no match.

use std::sync::OnceLock;

use fancy_regex::Expr;

use super::regex::{Alphabet, LazyRegex};

/// A `fancy` pattern and its screen, each compiled when first needed.
///
/// A user's pattern is compiled as its pack loads, so an error in it is a
/// load error; a built-in pack's pattern (which the tests compile) waits
/// for its first use: compiling the two built-in patterns and parsing
/// their screens was a fifth of every start-up, and most runs never reach
/// them (their anchors are rare, and the screen rejects most sentences
/// that hold one).
pub(super) struct FancyPattern {
    pattern: String,
    /// The pattern compiled, or why it does not compile.
    regex: OnceLock<Result<fancy_regex::Regex, String>>,
    /// A plain regex every match of the pattern also matches; `None` when
    /// the pattern uses a construct the relaxation does not cover.
    screen: OnceLock<Option<LazyRegex>>,
    /// [`FancyPattern::anchored_at_start`], worked out on the first call.
    anchored: OnceLock<bool>,
}

impl FancyPattern {
    /// Wraps `regex`, compiled from `pattern`.
    pub fn new(pattern: &str, regex: fancy_regex::Regex) -> FancyPattern {
        FancyPattern {
            pattern: pattern.to_string(),
            regex: OnceLock::from(Ok(regex)),
            screen: OnceLock::new(),
            anchored: OnceLock::new(),
        }
    }

    /// Wraps `pattern`, known to compile (a built-in pack's), to be
    /// compiled on first use.
    pub fn deferred(pattern: &str) -> FancyPattern {
        FancyPattern {
            pattern: pattern.to_string(),
            regex: OnceLock::new(),
            screen: OnceLock::new(),
            anchored: OnceLock::new(),
        }
    }

    /// Compiles `pattern` as the loader does, with the backtrack limit.
    pub fn compile(pattern: &str) -> Result<fancy_regex::Regex, fancy_regex::Error> {
        fancy_regex::RegexBuilder::new(pattern)
            .backtrack_limit(super::matcher::FANCY_BACKTRACK_LIMIT)
            .build()
    }

    /// The compiled pattern, built on the first call; an error names the
    /// pattern (it cannot happen for a built-in one, tested).
    pub fn regex(&self) -> Result<&fancy_regex::Regex, &str> {
        self.regex
            .get_or_init(|| {
                FancyPattern::compile(&self.pattern)
                    .map_err(|e| format!("fancy regex `{}` does not compile: {e}", self.pattern))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Whether the pattern asserts the start of the text or of a line
    /// anywhere (`^`, `\A`), as [`LazyRegex::anchored_at_start`] tells
    /// for a plain pattern. False for a pattern that does not parse.
    pub fn anchored_at_start(&self) -> bool {
        *self.anchored.get_or_init(|| {
            Expr::parse_tree(&self.pattern).is_ok_and(|tree| asserts_start(&tree.expr))
        })
    }

    /// Whether `text`, of `alphabet`, may hold a match: false only when
    /// the screen proves it holds none. A screen that fails to compile
    /// proves nothing.
    pub fn may_match(&self, text: &str, alphabet: Alphabet) -> bool {
        let screen = self.screen.get_or_init(|| {
            // a screen that does not compile (found at first use) proves nothing
            screen_pattern(&self.pattern).and_then(|p| LazyRegex::parse_unchecked(&p).ok())
        });
        match screen.as_ref().map(|s| s.get_for(alphabet)) {
            Some(Ok(screen)) => screen.is_match(text),
            _ => true,
        }
    }
}

/// Whether `e` asserts the start of the text or of a line anywhere.
fn asserts_start(e: &Expr) -> bool {
    use fancy_regex::Assertion::{StartLine, StartLineOniguruma, StartText};
    matches!(
        e,
        Expr::Assertion(StartText | StartLine { .. } | StartLineOniguruma { .. })
    ) || (!e.is_leaf_node() && e.children_iter().any(asserts_start))
}

/// The relaxed form of `pattern` in `regex` crate syntax, or `None` when
/// it has a construct other than groups, alternation, repetition, literals,
/// character classes, assertions, lookaround, atomic groups and
/// backreferences to groups.
fn screen_pattern(pattern: &str) -> Option<String> {
    let tree = Expr::parse_tree(pattern).ok()?;
    let mut groups = Vec::new();
    collect_groups(&tree.expr, &mut groups);
    let relaxed = relax(&tree.expr, &groups, &mut Vec::new())?;
    let mut out = String::new();
    relaxed.to_str(&mut out, 0);
    Some(out)
}

/// The capture groups of `e` in the order of their opening parentheses
/// (their numbers, from 1).
fn collect_groups<'a>(e: &'a Expr, groups: &mut Vec<&'a Expr>) {
    if let Expr::Group(inner) = e {
        groups.push(inner);
    }
    if !e.is_leaf_node() {
        for child in e.children_iter() {
            collect_groups(child, groups);
        }
    }
}

/// `e` with every match it has and possibly more, in constructs the
/// `regex` crate supports. `expanding` holds the groups whose text is
/// being substituted for a backreference, to refuse a group that refers
/// to itself.
fn relax(e: &Expr, groups: &[&Expr], expanding: &mut Vec<usize>) -> Option<Expr> {
    Some(match e {
        Expr::Empty | Expr::Any { .. } | Expr::Literal { .. } | Expr::Delegate { .. } => e.clone(),
        // a condition on the context only removes matches
        Expr::Assertion(_) | Expr::LookAround(..) => Expr::Empty,
        Expr::Concat(children) => Expr::Concat(relax_all(children, groups, expanding)?),
        Expr::Alt(children) => Expr::Alt(relax_all(children, groups, expanding)?),
        Expr::Group(inner) => Expr::Group(std::sync::Arc::new(relax(inner, groups, expanding)?)),
        // an atomic group matches a subset of what the plain group matches
        Expr::AtomicGroup(inner) => Expr::Concat(vec![relax(inner, groups, expanding)?]),
        Expr::Repeat {
            child,
            lo,
            hi,
            greedy,
        } => {
            let child = relax(child, groups, expanding)?;
            if matches!(child, Expr::Empty) {
                Expr::Empty
            } else {
                Expr::Repeat {
                    child: Box::new(child),
                    lo: *lo,
                    hi: *hi,
                    greedy: *greedy,
                }
            }
        }
        Expr::Backref { group, casei } => {
            let target = *groups.get(group.checked_sub(1)?)?;
            if expanding.contains(group) {
                return None;
            }
            expanding.push(*group);
            let body = relax(target, groups, expanding);
            expanding.pop();
            let body = body?;
            if *casei {
                // fancy-regex compares a case-insensitive backreference
                // by simple case folding, as `(?i)` matches
                case_insensitive(body)?
            } else {
                Expr::Concat(vec![body])
            }
        }
        _ => return None,
    })
}

fn relax_all(children: &[Expr], groups: &[&Expr], expanding: &mut Vec<usize>) -> Option<Vec<Expr>> {
    children
        .iter()
        .map(|c| relax(c, groups, expanding))
        .collect()
}

/// `e` matched case-insensitively: every literal and class marked so. A
/// class is a `Delegate` whose text is a single class or escape; it is
/// marked by its `casei` flag, which `to_str` writes as `(?i:...)`.
fn case_insensitive(e: Expr) -> Option<Expr> {
    Some(match e {
        Expr::Literal { val, .. } => Expr::Literal { val, casei: true },
        Expr::Delegate { inner, .. } => Expr::Delegate { inner, casei: true },
        Expr::Empty | Expr::Any { .. } => e,
        Expr::Concat(children) => Expr::Concat(
            children
                .into_iter()
                .map(case_insensitive)
                .collect::<Option<_>>()?,
        ),
        Expr::Alt(children) => Expr::Alt(
            children
                .into_iter()
                .map(case_insensitive)
                .collect::<Option<_>>()?,
        ),
        Expr::Group(inner) => Expr::Group(std::sync::Arc::new(case_insensitive(
            std::sync::Arc::unwrap_or_clone(inner),
        )?)),
        Expr::Repeat {
            child,
            lo,
            hi,
            greedy,
        } => Expr::Repeat {
            child: Box::new(case_insensitive(*child)?),
            lo,
            hi,
            greedy,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{Alphabet, FancyPattern, screen_pattern};

    fn pattern(p: &str) -> FancyPattern {
        FancyPattern::new(p, FancyPattern::compile(p).expect("compiles"))
    }

    #[test]
    fn a_pattern_asserting_a_start_anywhere_is_anchored() {
        for (p, anchored) in [
            (r"(?i)^certainly!", true),
            (r"(?i)^(?:sure)!|(?<=[.!?] )sure!", true),
            (r"(?m)(?<!\w)^why\b", true),
            (r"\Afirst", true),
            (r"(?i)(?<=[.!?] )certainly!", false),
            (r"(\w+) \1$", false),
        ] {
            assert_eq!(pattern(p).anchored_at_start(), anchored, "{p}");
        }
        // a pattern that does not parse is read whole
        assert!(!FancyPattern::deferred(r"(?<=").anchored_at_start());
    }

    #[test]
    fn backreferences_become_their_group_and_lookaround_goes() {
        assert_eq!(
            screen_pattern(r"(?i)\b(every|each) (\w+)[,;] \1 (?=x)\w+").as_deref(),
            Some(concat!(
                r"((?i:e)(?i:v)(?i:e)(?i:r)(?i:y)|(?i:e)(?i:a)(?i:c)(?i:h))(?i: )((?i:\w)+)(?i:[,;])",
                r"(?i: )(?:(?i:e)(?i:v)(?i:e)(?i:r)(?i:y)|(?i:e)(?i:a)(?i:c)(?i:h))(?i: )(?i:\w)+"
            ))
        );
        let p = pattern(
            r"(?i)\b(every|each) (\w+(?: \w+)?)[,;] \1 \w+(?: \w+)?[,;]? (?:and |or )?\1 \w+",
        );
        // the screen is made on first use, and this pattern has one
        assert!(p.screen.get().is_none());
        assert!(!p.may_match("x", Alphabet::Any));
        assert!(p.screen.get().is_some_and(Option::is_some));
        assert!(p.may_match(
            "Every alley, every doorway, every window had a story.",
            Alphabet::Any
        ));
        assert!(!p.may_match("Every day I walk the dog before work.", Alphabet::Any));
        let p = pattern(r"(?<=[.!?] )(?:certainly|great question)!");
        assert!(p.may_match("certainly! Fine.", Alphabet::Any));
        assert!(!p.may_match("Great question, sir.", Alphabet::Any));
    }

    #[test]
    fn case_insensitive_backreferences_screen_case_insensitively() {
        let p = pattern(r"(abc)(?i:\1)");
        assert!(p.regex().unwrap().is_match("abcABC").unwrap());
        assert!(p.may_match("abcABC", Alphabet::Any));
        let p = pattern(r"(ab)\1");
        assert!(!p.may_match("abAB", Alphabet::Any));
    }

    #[test]
    fn unsupported_constructs_screen_nothing() {
        // a group that refers to itself
        assert_eq!(screen_pattern(r"(a\1?)"), None);
        let p = pattern(r"(a|b\1)");
        assert!(p.may_match("zzz", Alphabet::Any));
    }

    proptest::proptest! {
        /// The screen never rejects a text the pattern matches.
        #[test]
        fn the_screen_admits_every_match(text in "[aAbB ,.!?éÉ]{0,40}") {
            for p in [
                r"(?i)\b(a|b) (\w+)?[,.] \1",
                r"(a+)b\1",
                r"(?i)(?<=[.!?] )(?:ab|ba)!",
                r"(?i)^(?:a|b)!|(?<![.!?])b\b",
                r"(?i:(é|a))\1",
                r"(?>a+|b)a?b",
            ] {
                let f = pattern(p);
                if f.regex().unwrap().is_match(&text).unwrap() {
                    proptest::prop_assert!(f.may_match(&text, Alphabet::Any), "{} on {:?}", p, text);
                }
            }
        }
    }
}
