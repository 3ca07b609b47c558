//! One automaton over every literal the rules need (phrases and regex
//! anchors), scanned with a tight overlapping loop.
//!
//! The loop drives the automaton byte by byte itself rather than through
//! `AhoCorasick::find_overlapping_iter`, which does per-match bookkeeping
//! this use does not need; on prose that iterator was the largest single
//! cost of a check.

use aho_corasick::automaton::Automaton;
use aho_corasick::{Anchored, MatchKind, dfa, nfa::contiguous};

/// Total literal bytes up to which the automaton is a full DFA (fast to
/// scan, larger to build); beyond it, very large user packs get the compact NFA.
const DFA_LITERAL_BYTES: usize = 64 * 1024;

/// A compiled set of ASCII case-insensitive literals.
#[derive(Debug)]
pub(super) enum Literals {
    /// A full DFA: one table lookup per byte.
    Dfa(dfa::DFA),
    /// A contiguous NFA, for literal sets too large for a DFA.
    Nfa(contiguous::NFA),
}

impl Literals {
    /// Compiles `literals`; pattern ids are their indices.
    pub fn new(literals: &[&str]) -> Literals {
        let bytes: usize = literals.iter().map(|l| l.len()).sum();
        if bytes <= DFA_LITERAL_BYTES {
            let dfa = dfa::Builder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(literals)
                .expect("literal DFA within size limits");
            Literals::Dfa(dfa)
        } else {
            let nfa = contiguous::Builder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(literals)
                .expect("literal NFA within size limits");
            Literals::Nfa(nfa)
        }
    }

    /// Calls `f(pattern, start, end)` for every occurrence of every literal
    /// in `haystack`, overlapping ones included, in order of their ends.
    pub fn for_each(&self, haystack: &[u8], f: impl FnMut(usize, usize, usize)) {
        match self {
            Literals::Dfa(a) => scan(a, haystack, f),
            Literals::Nfa(a) => scan(a, haystack, f),
        }
    }
}

fn scan<A: Automaton>(a: &A, haystack: &[u8], mut f: impl FnMut(usize, usize, usize)) {
    let Ok(mut sid) = a.start_state(Anchored::No) else {
        return; // Standard automata always support unanchored starts
    };
    for (i, &b) in haystack.iter().enumerate() {
        sid = a.next_state(Anchored::No, sid, b);
        if a.is_special(sid) && a.is_match(sid) {
            for k in 0..a.match_len(sid) {
                let p = a.match_pattern(sid, k);
                let end = i + 1;
                f(p.as_usize(), end - a.pattern_len(p), end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Literals;

    fn found(lits: &[&str], text: &str) -> Vec<(usize, String)> {
        let mut v = Vec::new();
        Literals::new(lits).for_each(text.as_bytes(), |p, s, e| {
            v.push((p, text[s..e].to_string()))
        });
        v
    }

    #[test]
    fn overlapping_and_case_insensitive() {
        assert_eq!(
            found(&["delve", "delve into", "into"], "We DELVE into it."),
            [
                (0, "DELVE".to_string()),
                (1, "DELVE into".to_string()),
                (2, "into".to_string())
            ]
        );
    }

    #[test]
    fn big_sets_use_the_nfa_and_agree() {
        let many: Vec<String> = (0..20_000).map(|i| format!("phrase number {i}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(matches!(Literals::new(&refs), Literals::Nfa(_)));
        let hits = found(&refs, "see phrase number 1234 and Phrase Number 7.");
        let texts: Vec<&str> = hits.iter().map(|(_, t)| t.as_str()).collect();
        assert!(
            texts.contains(&"phrase number 1234") && texts.contains(&"Phrase Number 7"),
            "{texts:?}"
        );
    }
}
