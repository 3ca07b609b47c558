//! The screen that tells, in one pass over a file's source, whether it may
//! hold any anchor literal of the rules that search whole sources
//! (`scope = "source"`): a file with none of them skips those rules.
//!
//! It answers what `(?i:literal|…)` would ([`super::regex::literal_screen`])
//! or says "maybe" where that finds nothing, never the reverse. Compiling
//! that regex cost about 4.4 M instructions on the first file of every
//! run. For a few literals the screen is instead a SIMD search for the
//! ASCII case variants of three bytes of each (the same kind of prefilter
//! the regex gets; the three with the fewest and rarest letters, so that
//! prose gives few false hits), each hit checked against the literals
//! themselves, ASCII case-insensitively; and, since `(?i)` also folds two
//! characters outside ASCII to ASCII letters (`ſ` to `s`, the Kelvin sign
//! to `k`; a test checks there are no others), an occurrence of either
//! makes the answer "maybe".

use aho_corasick::{AhoCorasick, Input, MatchKind};
use regex_automata::meta::Regex;

/// The characters outside ASCII that Unicode simple case folding puts
/// with an ASCII letter.
const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// Bytes of each literal searched for.
const KEY: usize = 3;

/// Letters from commonest to rarest in English prose.
const FREQUENT_FIRST: &[u8] = b"etaoinshrdlcumwfgypbvkjxqz";

/// Most case variants of prefixes searched for at once (a SIMD search
/// serves up to 64 short patterns; beyond them the regex is used).
const MOST_VARIANTS: usize = 64;

/// A screen over a set of literals.
pub(super) enum LiteralScreen {
    /// The keys' case variants, and the literals with where each key
    /// starts in them.
    Keys {
        keys: AhoCorasick,
        literals: Vec<(Vec<u8>, usize)>,
    },
    /// The literals as one case-insensitive regex.
    Regex(Regex),
}

impl LiteralScreen {
    /// The screen for `literals`; `None` if none can be built (then every
    /// source may hold one).
    pub fn new(literals: &[&str]) -> Option<LiteralScreen> {
        LiteralScreen::keys(literals).or_else(|| {
            super::regex::literal_screen(literals)
                .ok()
                .map(LiteralScreen::Regex)
        })
    }

    /// The key search, if the variants are few enough.
    fn keys(literals: &[&str]) -> Option<LiteralScreen> {
        let mut variants: Vec<Vec<u8>> = Vec::new();
        let mut keyed = Vec::with_capacity(literals.len());
        for l in literals {
            let bytes = l.as_bytes();
            if bytes.len() < KEY || l.chars().any(has_case_outside_ascii) {
                return None;
            }
            // fewest letters, then rarest
            let cost = |w: &[u8]| {
                w.iter()
                    .filter(|b| b.is_ascii_alphabetic())
                    .map(|b| {
                        let rank = FREQUENT_FIRST
                            .iter()
                            .position(|&f| f == b.to_ascii_lowercase());
                        100 - rank.unwrap_or(0)
                    })
                    .sum::<usize>()
            };
            let at = (0..=bytes.len() - KEY).min_by_key(|&i| cost(&bytes[i..i + KEY]))?;
            let mut these = vec![Vec::new()];
            for &b in &bytes[at..at + KEY] {
                let cases = [b.to_ascii_lowercase(), b.to_ascii_uppercase()];
                let cases = &cases[..if cases[0] == cases[1] { 1 } else { 2 }];
                these = these
                    .into_iter()
                    .flat_map(|v| {
                        cases.iter().map(move |&c| {
                            let mut v = v.clone();
                            v.push(c);
                            v
                        })
                    })
                    .collect();
            }
            variants.extend(these);
            if variants.len() > MOST_VARIANTS * 2 {
                return None;
            }
            keyed.push((bytes.to_vec(), at));
        }
        // the Kelvin sign is three bytes: a key of its own, a hit itself
        let kelvin = FOLDS_TO_ASCII[1].to_string().into_bytes();
        variants.push(kelvin.clone());
        keyed.push((kelvin, 0));
        variants.sort();
        variants.dedup();
        if variants.len() > MOST_VARIANTS {
            return None;
        }
        let keys = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&variants)
            .ok()?;
        Some(LiteralScreen::Keys {
            keys,
            literals: keyed,
        })
    }

    /// Whether `source` may hold one of the literals.
    pub fn may_hold(&self, source: &str) -> bool {
        let (keys, literals) = match self {
            LiteralScreen::Regex(re) => return re.is_match(source),
            LiteralScreen::Keys { keys, literals } => (keys, literals),
        };
        let hay = source.as_bytes();
        let mut from = 0;
        while let Some(hit) = keys.find(Input::new(hay).span(from..hay.len())) {
            let whole = |(l, at): &(Vec<u8>, usize)| {
                let start = hit.start().checked_sub(*at);
                start
                    .and_then(|s| hay.get(s..s + l.len()))
                    .is_some_and(|r| r.eq_ignore_ascii_case(l))
            };
            if literals.iter().any(whole) {
                return true;
            }
            // another key may start inside this hit
            from = hit.start() + 1;
        }
        // `ſ` is two bytes, too short a key; its first byte is rare, and a
        // search for it needs no set-up (`memmem::find` built a searcher
        // on every call, about 500 instructions a file)
        let mut buf = [0; 4];
        let long_s = FOLDS_TO_ASCII[0].encode_utf8(&mut buf).as_bytes();
        memchr::memchr_iter(long_s[0], hay).any(|i| hay[i..].starts_with(long_s))
    }
}

/// Whether `c` lies outside ASCII and `(?i)` may match it to another
/// character: the key search compares ASCII case only, so a literal
/// holding such a letter (`é` against `É`) gets the regex.
fn has_case_outside_ascii(c: char) -> bool {
    !c.is_ascii() && (c.is_alphabetic() || c.to_lowercase().ne([c]) || c.to_uppercase().ne([c]))
}

#[cfg(test)]
mod tests {
    use super::{FOLDS_TO_ASCII, LiteralScreen};

    /// The screen as it was: the literals as one case-insensitive regex.
    fn by_regex(literals: &[&str], text: &str) -> bool {
        let alternatives: Vec<String> = literals.iter().map(|l| regex::escape(l)).collect();
        regex::Regex::new(&format!("(?i:{})", alternatives.join("|")))
            .expect("compiles")
            .is_match(text)
    }

    #[test]
    fn only_two_characters_outside_ascii_fold_to_an_ascii_letter() {
        let mut found = Vec::new();
        for letter in b'a'..=b'z' {
            let re = regex::Regex::new(&format!("(?i)^{}$", letter as char)).expect("compiles");
            for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
                if re.is_match(&c.to_string()) {
                    found.push(c);
                }
            }
        }
        found.sort();
        assert_eq!(found, FOLDS_TO_ASCII);
    }

    const LITERALS: [&str; 9] = [
        "utm_source=chatgpt",
        "utm_source=openai",
        "attributableindex",
        "[attached_file:",
        "[web:",
        "grok-card",
        "\u{200B}",
        "\u{FEFF}",
        "kkk",
    ];

    #[test]
    fn the_screen_finds_what_the_regex_found() {
        let literals = &LITERALS[..8];
        let screen = LiteralScreen::new(literals).expect("builds");
        assert!(matches!(screen, LiteralScreen::Keys { .. }));
        let texts = [
            "",
            "plain prose with no literal at all: attention, groups, at.",
            "see https://x.org/?UTM_SOURCE=ChatGPT.com",
            "see https://x.org/?utm_\u{17F}ource=chatgpt.com",
            "a grok\u{2010}card, a GROK-\u{212A}ARD and a grok-card",
            "({\"attribution\":{\"AttributableIndex\":\"1-2\"}})",
            "[attributableindex: [Web:1] and [attached_FILE:2]",
            "[[[[web:",
            "zero\u{200B}width and a \u{FEFF}mark",
            "caf\u{E9} \u{201C}quoted\u{201D} \u{2014} dashes",
            "utm_source=chatgp",
        ];
        for text in texts {
            let old = by_regex(literals, text);
            let new = screen.may_hold(text);
            // never "no" where the regex found one
            assert!(new || !old, "{text:?}");
            // and "maybe" only where the regex found one, or for a fold
            assert!(old || !new || text.contains(FOLDS_TO_ASCII), "{text:?}");
        }
    }

    #[test]
    fn a_literal_with_a_letter_outside_ascii_gets_the_regex() {
        let screen = LiteralScreen::new(&["caf\u{E9} society", "[web:"]).expect("builds");
        assert!(matches!(screen, LiteralScreen::Regex(_)));
        assert!(screen.may_hold("the CAF\u{C9} SOCIETY pages"));
        assert!(!screen.may_hold("the cafe society pages"));
    }

    #[test]
    fn many_literals_get_the_regex() {
        let many: Vec<String> = (0..40).map(|i| format!("word{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let screen = LiteralScreen::new(&many).expect("builds");
        assert!(matches!(screen, LiteralScreen::Regex(_)));
        assert!(screen.may_hold("a WORD17 here"));
        assert!(!screen.may_hold("no words here"));
    }

    proptest::proptest! {
        /// Never "no" where the regex found a literal, and "maybe" only
        /// where it found one or a folding character occurs.
        #[test]
        fn the_screen_agrees_with_the_regex(
            text in "[a-zA-Z_=:\\[\\- \u{17F}\u{212A}\u{200B}\u{FEFF}]{0,40}",
            n in 1usize..=9,
        ) {
            let literals = &LITERALS[..n];
            let screen = LiteralScreen::new(literals).expect("builds");
            let old = by_regex(literals, &text);
            let new = screen.may_hold(&text);
            proptest::prop_assert!(new || !old, "{:?}", text);
            proptest::prop_assert!(old || !new || text.contains(FOLDS_TO_ASCII), "{:?}", text);
        }
    }
}
