//! Required literals of a regex: strings one of which occurs in every match.
//!
//! The engine feeds these to one Aho-Corasick automaton with the phrase
//! lists, so a document is scanned once and a regex only runs on sentences
//! where one of its anchors was seen.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Largest literal set kept while combining; beyond it a shorter set wins.
const MAX_SET: usize = 256;

/// Shortest useful anchor, in bytes: a one-byte anchor matches nearly every sentence.
const MIN_ANCHOR: usize = 2;

#[derive(Clone, Debug)]
struct Lits {
    set: Vec<Vec<u8>>,
    /// Whether the sub-pattern matches exactly one of `set` and nothing else.
    exact: bool,
}

/// Lowercase literals one of which every match of `pattern` contains, or
/// `None` when no useful set can be derived (the regex must then run on
/// every sentence).
pub fn required_literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let lits = extract(&hir)?;
    if lits.set.iter().any(|l| l.len() < MIN_ANCHOR) {
        return None;
    }
    let mut out: Vec<String> = lits
        .set
        .into_iter()
        .filter_map(|l| String::from_utf8(l).ok())
        .collect();
    out.sort();
    out.dedup();
    (!out.is_empty()).then_some(out)
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
                return None;
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
        HirKind::Concat(parts) => concat(parts),
    }
}

fn concat(parts: &[Hir]) -> Option<Lits> {
    let mut best: Option<Vec<Vec<u8>>> = None;
    let mut run: Vec<Vec<u8>> = vec![Vec::new()];
    let mut all_exact = true;
    for part in parts {
        match extract(part) {
            Some(l) if l.exact => {
                let product = cross(&run, &l.set);
                if product.len() > MAX_SET {
                    consider(&mut best, std::mem::replace(&mut run, l.set));
                    all_exact = false;
                } else {
                    run = product;
                }
            }
            Some(l) => {
                consider(&mut best, std::mem::replace(&mut run, vec![Vec::new()]));
                consider(&mut best, l.set);
                all_exact = false;
            }
            None => {
                consider(&mut best, std::mem::replace(&mut run, vec![Vec::new()]));
                all_exact = false;
            }
        }
    }
    if all_exact {
        return exact(run);
    }
    consider(&mut best, run);
    best.map(|set| Lits { set, exact: false })
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

/// Keeps the more selective set: the one whose shortest literal is longest.
fn consider(best: &mut Option<Vec<Vec<u8>>>, set: Vec<Vec<u8>>) {
    let score = |s: &[Vec<u8>]| {
        (
            s.iter().map(Vec::len).min().unwrap_or(0),
            usize::MAX - s.len(),
        )
    };
    if score(&set).0 == 0 {
        return;
    }
    if best.as_ref().is_none_or(|b| score(&set) > score(b)) {
        *best = Some(set);
    }
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
    fn nothing_required() {
        assert_eq!(lits(r"\w+ing\b"), Some(vec!["ing".into()]));
        assert_eq!(lits(r"(?:a|b)\w+"), None);
        assert_eq!(lits(r".*"), None);
    }
}
