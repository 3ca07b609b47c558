//! Required literals of a regex, as "any of these alternatives, each
//! needing all of these literal sets".
//!
//! The engine feeds the literals to one Aho-Corasick automaton with the
//! phrase lists, so a document is scanned once, and a regex runs only on a
//! sentence where, for one alternative, a literal of every set was seen.
//! Requiring several sets at once ("not" and "just" and "it's") keeps
//! regexes built from common words from running on most sentences.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Largest literal set kept while combining; beyond it a shorter set wins.
const MAX_SET: usize = 256;

/// Shortest useful literal, in bytes: a one-byte literal is in nearly every sentence.
const MIN_ANCHOR: usize = 2;

/// One-byte literals rare enough in prose to anchor on: brackets. A
/// sentence with a parenthesis is far rarer than one with any given word.
const RARE_MARKS: &[&[u8]] = &[b"(", b")", b"[", b"]"];

/// Bytes that make a short literal rare: the rare marks and the dollar
/// sign. "$x" is not inside any word, unlike most two-byte literals.
const RARE_BYTES: &[u8] = b"()[]$";

/// How selective a rare mark counts as: like a four-letter word.
const RARE_MARK_SCORE: usize = 4;

/// Whether literal `l` can anchor: long enough, or a rare mark.
fn usable(l: &[u8]) -> bool {
    l.len() >= MIN_ANCHOR || RARE_MARKS.contains(&l)
}

/// Literals this short are seen inside most sentences' words.
const SUBSTRING: usize = 2;

/// Sets whose weakest literal is shorter than this are dropped when a
/// stronger set is required anyway.
const WEAK: usize = 3;

/// Shortest optional word (`(?:and )?`) that literals run through: a
/// shorter one (`s?`, `(?:a )?`) would multiply the literals for little.
const OPTIONAL_WORD: usize = 3;

/// Most literal sets required per alternative.
pub const MAX_SETS: usize = 3;

/// Most alternatives kept; a regex with more top-level branches runs on
/// the union of their best sets instead.
const MAX_ALTERNATIVES: usize = 16;

/// Very common English words: a literal that is only one of these says
/// little about a sentence, so other sets are preferred as anchors.
const COMMON: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "but", "by", "can", "could", "did", "do", "does", "don't", "for", "from", "had", "has",
    "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "it's", "its", "just",
    "like", "more", "most", "my", "no", "not", "of", "on", "one", "only", "or", "our", "out", "so",
    "some", "than", "that", "that's", "the", "their", "them", "then", "there", "these", "they",
    "this", "to", "up", "was", "we", "were", "what", "when", "which", "who", "will", "with",
    "would", "you", "your",
];

#[derive(Clone, Debug)]
struct Lits {
    set: Vec<Vec<u8>>,
    /// Whether the sub-pattern matches exactly one of `set` and nothing else.
    exact: bool,
}

/// One alternative: every set must have a literal in the sentence.
pub type Conjunction = Vec<Vec<String>>;

/// The alternatives of the requirements of a pattern parsed to `hir`: a match satisfies at
/// least one, and for that one contains a literal of each of its sets.
/// `None` when some alternative has no usable literal (the regex must then
/// run on every sentence).
pub fn requirements(hir: &Hir) -> Option<Vec<Conjunction>> {
    alternatives(hir).iter().map(conjunction).collect()
}

/// The top-level alternatives of `h`. The parser factors a common prefix
/// out of an alternation (`\b(?:a|b)`), so a concatenation with exactly one
/// alternation is distributed over its branches.
fn alternatives(h: &Hir) -> Vec<Hir> {
    let h = strip_captures(h);
    let small_alternation = |p: &Hir| match strip_captures(p).kind() {
        HirKind::Alternation(b) if b.len() <= MAX_ALTERNATIVES => Some(b.clone()),
        _ => None,
    };
    if let Some(branches) = small_alternation(h) {
        return branches;
    }
    if let HirKind::Concat(parts) = h.kind() {
        let found: Vec<(usize, Vec<Hir>)> = parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| small_alternation(p).map(|b| (i, b)))
            .collect();
        if let [(i, branches)] = found.as_slice() {
            return branches
                .iter()
                .map(|b| {
                    let mut v = parts.clone();
                    v[*i] = b.clone();
                    Hir::concat(v)
                })
                .collect();
        }
    }
    vec![h.clone()]
}

/// Lowercase literals one of which every match of `pattern` contains.
#[cfg(test)]
fn required_literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    extract(&hir).and_then(|l| finish_set(l.set))
}

fn strip_captures(h: &Hir) -> &Hir {
    match h.kind() {
        HirKind::Capture(c) => strip_captures(&c.sub),
        _ => h,
    }
}

/// The usable literal sets a match of `h` must all contain, best first.
fn conjunction(h: &Hir) -> Option<Conjunction> {
    let h = strip_captures(h);
    let mut sets: Vec<Vec<Vec<u8>>> = match h.kind() {
        HirKind::Concat(parts) => {
            let mut all = Vec::new();
            if let Some(run) = concat(parts, &mut all) {
                all.push(run);
            }
            all
        }
        _ => extract(h).map(|l| vec![l.set]).unwrap_or_default(),
    };
    sets.retain(|s| !s.is_empty() && s.iter().all(|l| usable(l)));
    sets.sort_by(|a, b| score(b).cmp(&score(a)).then_with(|| a.cmp(b)));
    sets.dedup();
    // a set of common words filters little and floods the scan with
    // sightings; keep it only when nothing better is required
    if let Some(best) = sets.first().map(|s| score(s).0) {
        sets.retain(|s| score(s).0 >= WEAK || score(s).0 == best);
    }
    sets.truncate(MAX_SETS);
    let out: Conjunction = sets.into_iter().filter_map(finish_set).collect();
    (!out.is_empty()).then_some(out)
}

fn finish_set(set: Vec<Vec<u8>>) -> Option<Vec<String>> {
    if !set.iter().all(|l| usable(l)) {
        return None;
    }
    let mut out: Vec<String> = set
        .into_iter()
        .filter_map(|l| String::from_utf8(l).ok())
        .collect();
    out.sort();
    out.dedup();
    // a text holding "from the " holds "from ": the longer one says no more
    let all = out.clone();
    out.retain(|l| {
        !all.iter()
            .any(|shorter| shorter.len() < l.len() && l.contains(shorter.as_str()))
    });
    (!out.is_empty()).then_some(out)
}

/// How selective a set is: the effective length of its weakest literal
/// (a common word counts as one byte, and a literal of two bytes or fewer
/// as none: the scan matches inside words, so "he" is seen in every "the"),
/// then fewer literals.
fn score(set: &[Vec<u8>]) -> (usize, usize) {
    let weakest = set
        .iter()
        .map(|l| {
            let word = String::from_utf8_lossy(l);
            let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
            if RARE_MARKS.contains(&l.as_slice())
                || (l.len() <= SUBSTRING && l.iter().any(|b| RARE_BYTES.contains(b)))
            {
                RARE_MARK_SCORE
            } else if l.len() <= SUBSTRING {
                0
            } else if COMMON.contains(&word) {
                1
            } else {
                l.len()
            }
        })
        .min()
        .unwrap_or(0);
    (weakest, usize::MAX - set.len())
}

fn exact(set: Vec<Vec<u8>>) -> Option<Lits> {
    Some(Lits { set, exact: true })
}

fn extract(h: &Hir) -> Option<Lits> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => exact(vec![Vec::new()]),
        HirKind::Literal(lit) => exact(vec![lit.0.to_ascii_lowercase()]),
        HirKind::Class(class) => class_literals(class).and_then(exact),
        HirKind::Capture(cap) => extract(&cap.sub),
        HirKind::Repetition(rep) => {
            if rep.min == 0 {
                // `X?` of an exact `X`: one of its literals, or nothing
                // ("(?:and )?from" holds "and from" or "from")
                return match extract(&rep.sub) {
                    Some(mut l)
                        if l.exact
                            && rep.max == Some(1)
                            && matches!(l.set.as_slice(), [one] if one.len() >= OPTIONAL_WORD) =>
                    {
                        l.set.push(Vec::new());
                        l.set.sort();
                        l.set.dedup();
                        Some(l)
                    }
                    _ => None,
                };
            }
            let inner = extract(&rep.sub)?;
            let once = rep.min == 1 && rep.max == Some(1);
            Some(Lits {
                set: inner.set,
                exact: inner.exact && once,
            })
        }
        HirKind::Alternation(alts) => {
            let mut set = Vec::new();
            let mut all_exact = true;
            for alt in alts {
                let l = extract(alt)?;
                all_exact &= l.exact;
                set.extend(l.set);
                if set.len() > MAX_SET {
                    return None;
                }
            }
            set.sort();
            set.dedup();
            Some(Lits {
                set,
                exact: all_exact,
            })
        }
        HirKind::Concat(parts) => concat_lits(parts),
    }
}

fn concat_lits(parts: &[Hir]) -> Option<Lits> {
    let mut all = Vec::new();
    let exact_run = concat(parts, &mut all);
    if let Some(run) = exact_run {
        return exact(run);
    }
    all.into_iter()
        .filter(|s| score(s).0 > 0)
        .max_by_key(|s| score(s))
        .map(|set| Lits { set, exact: false })
}

/// Walks a concatenation, pushing every literal set a match must contain
/// onto `all`; returns the whole product when every part is exact.
fn concat(parts: &[Hir], all: &mut Vec<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    let mut run: Vec<Vec<u8>> = vec![Vec::new()];
    let mut all_exact = true;
    let flush = |run: &mut Vec<Vec<u8>>, all: &mut Vec<Vec<Vec<u8>>>| {
        let done = std::mem::replace(run, vec![Vec::new()]);
        if done.iter().any(|l| !l.is_empty()) {
            all.push(done);
        }
    };
    for part in parts {
        // a repetition of at least one copy (`X+`) that is not exact: the
        // run goes on into its first copy ("$" then "X" gives "$x"), and
        // its last copy starts the next run
        if let HirKind::Repetition(rep) = strip_captures(part).kind()
            && rep.min >= 1
            && !(rep.min == 1 && rep.max == Some(1))
            && let Some(copy) = extract(&rep.sub).filter(|l| l.exact)
        {
            let product = cross(&run, &copy.set);
            if product.len() <= MAX_SET {
                run = product;
            }
            flush(&mut run, all);
            run = copy.set;
            all_exact = false;
            continue;
        }
        match extract(part) {
            Some(l) if l.exact => {
                let product = cross(&run, &l.set);
                if product.len() > MAX_SET {
                    flush(&mut run, all);
                    run = l.set;
                    all_exact = false;
                } else {
                    run = product;
                }
            }
            Some(l) => {
                flush(&mut run, all);
                all.push(l.set);
                all_exact = false;
            }
            None => {
                flush(&mut run, all);
                all_exact = false;
            }
        }
    }
    if all_exact {
        return Some(run);
    }
    flush(&mut run, all);
    None
}

fn cross(a: &[Vec<u8>], b: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The literals a small class stands for; a case-folded letter counts as one.
fn class_literals(class: &Class) -> Option<Vec<Vec<u8>>> {
    let chars: Vec<char> = match class {
        Class::Unicode(c) => {
            let mut v = Vec::new();
            for r in c.ranges() {
                if (r.end() as u32 - r.start() as u32) > 8 {
                    return None;
                }
                v.extend(r.start()..=r.end());
                if v.len() > 8 {
                    return None;
                }
            }
            v
        }
        Class::Bytes(c) => {
            let mut v = Vec::new();
            for r in c.ranges() {
                if r.end() - r.start() > 8 || r.end() > 0x7f {
                    return None;
                }
                v.extend((r.start()..=r.end()).map(char::from));
                if v.len() > 8 {
                    return None;
                }
            }
            v
        }
    };
    let ascii_letters: Vec<char> = chars
        .iter()
        .filter(|c| c.is_ascii_alphabetic())
        .copied()
        .collect();
    if let Some(first) = ascii_letters.first()
        && ascii_letters.iter().all(|c| c.eq_ignore_ascii_case(first))
        && chars
            .iter()
            .all(|c| c.is_ascii_alphabetic() || !c.is_ascii())
    {
        // (?i)k is [Kk\u{212A}]: anchors are ASCII case-insensitive
        return Some(vec![vec![first.to_ascii_lowercase() as u8]]);
    }
    let mut set: Vec<Vec<u8>> = chars
        .iter()
        .map(|c| c.to_string().to_ascii_lowercase().into_bytes())
        .collect();
    set.sort();
    set.dedup();
    Some(set)
}

#[cfg(test)]
mod tests {
    use super::required_literals;

    fn lits(p: &str) -> Option<Vec<String>> {
        required_literals(p)
    }

    /// The syntax tree of `p`, which must parse.
    fn parsed(p: &str) -> regex_syntax::hir::Hir {
        regex_syntax::ParserBuilder::new()
            .build()
            .parse(p)
            .expect("pattern parses")
    }

    #[test]
    fn plain_words() {
        assert_eq!(lits(r"(?i)\bdelve into\b"), Some(vec!["delve into".into()]));
    }

    #[test]
    fn alternations_expand() {
        assert_eq!(
            lits(r"(?i)\b(?:highlight|underscore)s? the importance"),
            Some(vec![" the importance".into()])
        );
        assert_eq!(
            lits(r"(?i)as of my (?:last|latest)"),
            Some(vec!["as of my last".into(), "as of my latest".into()])
        );
    }

    #[test]
    fn optional_parts_break_runs() {
        assert_eq!(lits(r"(?i)\bit'?s not"), Some(vec!["s not".into()]));
    }

    #[test]
    fn requirements_need_every_set() {
        let requirements = |p: &str| super::requirements(&parsed(p));
        let r = requirements(r"(?i)^This (?:\w+ ){0,2}(?:move|deal)s? (?:signals|marks)\b")
            .expect("anchored");
        assert_eq!(r.len(), 1);
        // "this " is a common word: dropped because stronger sets are required
        assert!(!r[0].contains(&vec!["this ".to_string()]), "{r:?}");
        assert!(
            r[0].contains(&vec!["deal".to_string(), "move".to_string()]),
            "{r:?}"
        );
        assert!(
            r[0].contains(&vec![" marks".to_string(), " signals".to_string()]),
            "{r:?}"
        );
        let alts = requirements(r"(?i)\bnot just\b|\bmerely\b").expect("anchored");
        assert_eq!(alts.len(), 2);
        assert_eq!(requirements(r"(?i)\bnot just\b|\w+"), None);
    }

    #[test]
    fn a_repetition_joins_the_runs_on_both_sides() {
        let requirements = |p: &str| super::requirements(&parsed(p)).expect("anchored");
        // the first copy ends the run before it, the last starts the next
        assert_eq!(
            requirements(r"(?i)xyz+abc"),
            [vec![vec!["zabc".to_string()], vec!["xyz".to_string()]]]
        );
        // a short literal with a dollar sign is not inside words: kept
        let money = requirements(r"\$X+(?:\.X+)? (?:million|billion)");
        let sets = |a: &str| vec![vec![a.to_string()], vec!["$x".to_string()]];
        assert_eq!(money, [sets(" million"), sets(" billion")]);
        // every match holds each required literal
        let re = regex::Regex::new(r"\$X+(?:\.X+)? (?:million|billion)").expect("compiles");
        for text in ["cost $XX million", "$X.XX billion", "$X billion"] {
            let m = re
                .find(text)
                .expect("matches")
                .as_str()
                .to_ascii_lowercase();
            let holds = |sets: &Vec<Vec<String>>| {
                sets.iter()
                    .all(|set| set.iter().any(|l| m.contains(l.as_str())))
            };
            assert!(money.iter().any(holds), "{m}");
        }
    }

    #[test]
    fn nothing_required() {
        assert_eq!(lits(r"\w+ing\b"), Some(vec!["ing".into()]));
        assert_eq!(lits(r"(?:a|b)\w+"), None);
        assert_eq!(lits(r".*"), None);
    }

    #[test]
    fn an_optional_word_runs_into_what_follows() {
        let requirements = |p: &str| super::requirements(&parsed(p)).expect("anchored");
        // "from" alone wakes on every "from"; the comma before it does not
        assert_eq!(
            requirements(r"(?i:\bfrom)\b[^,.!?]{3,40}\bto\b[^,.!?]{3,40}, (?:and )?from\b"),
            [vec![
                vec!["from".to_string()],
                vec![", and from".to_string(), ", from".to_string()]
            ]]
        );
        // a short optional part still breaks the run
        assert_eq!(lits(r"(?i)\bit'?s not"), Some(vec!["s not".into()]));
    }

    #[test]
    fn a_literal_holding_another_of_its_set_is_dropped() {
        assert_eq!(
            lits(r"(?i)from (?:the )?x"),
            Some(vec!["from the x".into(), "from x".into()])
        );
        assert_eq!(
            super::requirements(&parsed(r"^From (?:the )?[a-z]+ to (?:the )?[a-z]+,"))
                .expect("anchored"),
            [vec![vec![" to ".to_string()], vec!["from ".to_string()]]]
        );
    }

    /// Whether `text` (of a match) holds, ASCII case-insensitively, a
    /// literal of each set of one of `alternatives`: what the scan asks
    /// before a regex runs.
    fn satisfies(text: &str, alternatives: &[super::Conjunction]) -> bool {
        let lower = text.to_ascii_lowercase();
        alternatives.iter().any(|sets| {
            sets.iter()
                .all(|set| set.iter().any(|l| lower.contains(l.as_str())))
        })
    }

    /// `ſ` and the Kelvin sign match `s` and `k` case-insensitively; the
    /// scan's anchors are ASCII case-insensitive and miss them, by design.
    fn folds_outside_ascii(text: &str) -> bool {
        text.contains('\u{17F}') || text.contains('\u{212A}')
    }

    #[test]
    fn every_match_of_a_builtin_pattern_holds_its_anchors() {
        let texts = crate::rules::regex::tests::sample_texts();
        let mut matches = 0;
        for (_, p) in crate::rules::regex::tests::builtin_patterns() {
            let Some(alternatives) = super::requirements(&parsed(&p)) else {
                continue;
            };
            let re = regex::Regex::new(&p).expect("compiles");
            for text in &texts {
                for m in re.find_iter(text) {
                    if folds_outside_ascii(m.as_str()) {
                        continue;
                    }
                    assert!(
                        satisfies(m.as_str(), &alternatives),
                        "{p}: {:?}",
                        m.as_str()
                    );
                    matches += 1;
                }
            }
        }
        assert!(matches > 100, "{matches}");
    }

    /// Pieces of the random patterns.
    const ATOMS: &[&str] = &[
        "from",
        "to",
        ", ",
        "this ",
        "ab",
        "(?:and )?",
        "(?:and |or )?",
        "(?:x|yz)",
        "[a-z]+",
        r"\w*",
        r"\s+",
        "^",
        r"\b",
        ".{0,5}",
        "[,;]",
        "(?:the )?",
        "s?",
        "(?:from|to)+",
        "(?:ab)?",
        "(?:abc|de)?",
    ];

    /// Pieces of the random texts.
    const TEXT: &[&str] = &[
        "from", "From", "to", "TO", " ", ", ", ",", ";", "this", "the ", "and ", "or ", "ab",
        "abc", "de", "x", "yz", "s", ".",
    ];

    proptest::proptest! {
        /// For random patterns, on random text, every match holds the
        /// anchors.
        #[test]
        fn every_match_of_a_random_pattern_holds_its_anchors(
            case_insensitive: bool,
            branches in proptest::collection::vec(
                proptest::collection::vec(0usize..ATOMS.len(), 1..6), 1..4),
            picks in proptest::collection::vec(0usize..TEXT.len(), 0..40),
        ) {
            let alternatives: Vec<String> =
                branches.iter().map(|b| b.iter().map(|&a| ATOMS[a]).collect()).collect();
            let pattern = format!(
                "{}(?:{})",
                if case_insensitive { "(?i)" } else { "" },
                alternatives.join("|")
            );
            let text: String = picks.iter().map(|&p| TEXT[p]).collect();
            let re = regex::Regex::new(&pattern).expect("compiles");
            if let Some(anchors) = super::requirements(&parsed(&pattern)) {
                for m in re.find_iter(&text) {
                    proptest::prop_assert!(
                        satisfies(m.as_str(), &anchors),
                        "{} misses {:?} in {:?}: {:?}", pattern, m.as_str(), text, anchors
                    );
                }
            }
        }
    }
}
