//! A regex's screen: the pattern with the upper bounds of its long
//! counted repetitions removed (`[^.!?]{1,100}?` becomes `[^.!?]{1,}?`),
//! and the match length up to which the screen's match is the pattern's.
//!
//! A lazy DFA follows a counted repetition with a state for each count,
//! combined with every state of what follows it, so on varied prose it
//! keeps building states: on real text a few such rules cost a quarter of
//! a run. The screen has no counts to follow. Every match of the pattern
//! is a match of the screen, and among the matches that keep to the
//! bounds the two prefer the same ones (a lazy repetition prefers fewer
//! repeats, a greedy one more, bounded or not), so where the screen finds
//! nothing the pattern finds nothing, and where the screen's
//! leftmost-first match keeps to the bounds it is the pattern's
//! leftmost-first match too. A match no longer than the screen's safe
//! length keeps to them: a repetition whose body is at least `l` bytes
//! long repeats at most `n / l` times in `n` bytes. A longer match, rare
//! in prose, is left to the pattern itself.

use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

/// The fewest allowed repeats at which a repetition's bound is removed:
/// shorter counts (`{0,3}`, an optional group) add few states, and
/// removing them would shorten the safe length below most matches.
const LONG: u32 = 20;

/// A pattern's screen.
pub(super) struct Screen {
    /// The pattern without the bounds of its long repetitions.
    pub(super) hir: Hir,
    /// The longest match, in bytes, that is certainly also the pattern's.
    pub(super) safe_len: usize,
}

/// The screen of `hir`; `None` if it has no long counted repetition.
pub(super) fn screen(hir: &Hir) -> Option<Screen> {
    let (relaxed, safe_len) = relax(hir);
    relaxed.map(|hir| Screen { hir, safe_len })
}

/// The node rewritten (`None` where nothing in it changes) and the
/// longest match of it in which every removed bound still holds
/// (`usize::MAX` where none was removed).
fn relax(hir: &Hir) -> (Option<Hir>, usize) {
    match hir.kind() {
        HirKind::Repetition(rep) => {
            let (sub, sub_safe) = relax(&rep.sub);
            // a body that can match nothing has no count a length bounds
            let body_len = rep.sub.properties().minimum_len().unwrap_or(0);
            let long = rep.max.filter(|&max| max >= LONG && body_len > 0);
            // one repeat of the body is no longer than the whole match
            let mut safe = sub_safe;
            if let Some(max) = long {
                safe = safe.min((max as usize).saturating_mul(body_len));
            }
            let changed = sub.is_some() || long.is_some();
            let rewritten = changed.then(|| {
                Hir::repetition(Repetition {
                    max: if long.is_some() { None } else { rep.max },
                    sub: Box::new(sub.unwrap_or_else(|| (*rep.sub).clone())),
                    ..rep.clone()
                })
            });
            (rewritten, safe)
        }
        HirKind::Capture(cap) => {
            let (sub, safe) = relax(&cap.sub);
            let rewritten = sub.map(|sub| {
                Hir::capture(Capture {
                    sub: Box::new(sub),
                    ..cap.clone()
                })
            });
            (rewritten, safe)
        }
        HirKind::Concat(subs) => {
            let parts: Vec<(Option<Hir>, usize)> = subs.iter().map(relax).collect();
            // a part takes at most the match less the shortest of the rest
            let shortest = |h: &Hir| h.properties().minimum_len().unwrap_or(0);
            let total: usize = subs.iter().map(shortest).sum();
            let safe = parts
                .iter()
                .zip(subs)
                .map(|((_, safe), h)| safe.saturating_add(total - shortest(h)))
                .min()
                .unwrap_or(usize::MAX);
            (rewritten(parts, subs).map(Hir::concat), safe)
        }
        HirKind::Alternation(subs) => {
            let parts: Vec<(Option<Hir>, usize)> = subs.iter().map(relax).collect();
            let safe = parts
                .iter()
                .map(|&(_, safe)| safe)
                .min()
                .unwrap_or(usize::MAX);
            (rewritten(parts, subs).map(Hir::alternation), safe)
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {
            (None, usize::MAX)
        }
    }
}

/// The parts rewritten, unchanged ones copied; `None` if none changed.
fn rewritten(parts: Vec<(Option<Hir>, usize)>, subs: &[Hir]) -> Option<Vec<Hir>> {
    super::narrowing::merged(parts.into_iter().map(|(part, _)| part).collect(), subs)
}

#[cfg(test)]
mod tests {
    use super::screen;
    use crate::rules::regex::parse;

    fn safe_len(pattern: &str) -> Option<usize> {
        screen(&parse(pattern).expect("parses")).map(|s| s.safe_len)
    }

    #[test]
    fn short_counts_and_open_repetitions_need_no_screen() {
        for pattern in [
            r"a{0,3}b",
            r"[^.]+x",
            r"(?:\w+\s){0,2}?no",
            r"x[^.]{0,19}y",
            r"plain",
        ] {
            assert_eq!(safe_len(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn a_long_count_loses_its_upper_bound_and_keeps_its_lower() {
        let relaxed = screen(&parse(r"x[^.]{3,100}?y").expect("parses")).expect("screened");
        let shown = relaxed.hir.to_string();
        assert!(shown.contains("{3,}?"), "{shown}");
        assert!(!shown.contains("100"), "{shown}");
        // an unchanged part keeps its count
        let relaxed = screen(&parse(r"a{0,3}[^.]{1,40}").expect("parses")).expect("screened");
        assert!(relaxed.hir.to_string().contains("{0,3}"));
    }

    #[test]
    fn the_safe_length_leaves_room_for_the_rest_of_the_match() {
        // 100 repeats of a one-byte body, plus `x` and `y`
        assert_eq!(safe_len(r"x[^.]{1,100}?y"), Some(102));
        // a two-byte body repeats 20 times in 40 bytes
        assert_eq!(safe_len(r"(?:ab){0,20}c"), Some(41));
        // each branch of an alternation, and each count in a sequence
        assert_eq!(safe_len(r"ab[^.]{1,30}c|d[^,]{2,40}e"), Some(33));
        assert_eq!(
            safe_len(r"f[^,]{3,40}t[^,]{3,25}!"),
            Some(25 + 1 + 3 + 1 + 1)
        );
        // a count inside a short one: each repeat is within the match
        assert_eq!(safe_len(r"(?:-[^.]{1,20}){1,3}"), Some(21));
        // a body that can match nothing has no count a length bounds
        assert_eq!(safe_len(r"(?:a?){0,30}b"), None);
    }
}
