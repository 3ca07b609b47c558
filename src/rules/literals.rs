//! One automaton over every literal the rules need (phrases and regex
//! anchors), scanned with a tight overlapping loop.
//!
//! The automaton is a full DFA built here rather than by `aho-corasick`:
//! its DFA builder resolves each missing transition by walking failure
//! links through a sparse NFA, which cost a quarter of start-up (197 M
//! instructions for the built-in packs). Filling the table in
//! breadth-first order, each missing transition copied from the row of the
//! state's failure state, is the textbook construction and takes one
//! step per table cell (about 2 M instructions). The scan is the same
//! loop over the same kind of table: one class lookup and one transition
//! lookup per byte.
//!
//! The loop drives the automaton byte by byte itself rather than through
//! `AhoCorasick::find_overlapping_iter`, which does per-match bookkeeping
//! this use does not need; on prose that iterator was the largest single
//! cost of a check.

use aho_corasick::automaton::Automaton;
use aho_corasick::{Anchored, MatchKind, nfa::contiguous};

/// Total literal bytes below which the automaton may be a full DFA (fast
/// to scan, larger to build); beyond it, very large user packs get the
/// compact NFA. A trie has at most one state per literal byte plus the
/// root; sets under this size whose trie still has more than
/// [`DFA_MAX_STATES`] states get the NFA too.
const DFA_LITERAL_BYTES: usize = u16::MAX as usize;

/// Most states a DFA may have: its table is then at most 32 MB (`2^15`
/// rows of at most 256 four-byte cells).
const DFA_MAX_STATES: usize = 1 << 15;

/// The bit of a transition cell that says its target is a match state.
/// The scan tests it on four runs' states with one `or` and one test, and
/// the table index drops it for free: the index is masked to the table's
/// length, which is far below `2^31` cells (see `LiteralDfa::new`).
const MATCH: u32 = 1 << 31;

/// Bytes in the order their classes are numbered, most frequent in
/// English prose first, so that the transitions a scan mostly takes sit
/// together at the start of each state's row (one cache line rather than
/// several). Letter order from the frequency table in Lewand, "Cryptological
/// Mathematics" (2000).
const FREQUENT_FIRST: &[u8] = b" etaoinshrdlcumwfgypbvkjxqz";

/// Independent runs of the DFA stepped together over one haystack.
pub(super) const LANES: usize = 4;

/// Haystacks from this length on are scanned in `LANES` runs; below it the
/// runs' warm-up and bookkeeping cost more than they save.
const LANES_MIN_BYTES: usize = 2048;

/// A compiled set of ASCII case-insensitive literals.
#[derive(Debug)]
pub(super) enum Literals {
    /// A full DFA: one table lookup per byte.
    Dfa(LiteralDfa),
    /// A contiguous NFA, for literal sets too large for a DFA.
    Nfa(contiguous::NFA),
}

impl Literals {
    /// Compiles `literals`; pattern ids are their indices.
    pub fn new(literals: &[&str]) -> Literals {
        let bytes: usize = literals.iter().map(|l| l.len()).sum();
        if let Some(dfa) = (bytes < DFA_LITERAL_BYTES)
            .then(|| LiteralDfa::new(literals))
            .flatten()
        {
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
    #[cfg(test)]
    pub fn for_each(&self, haystack: &[u8], f: impl FnMut(usize, usize, usize)) {
        match self {
            Literals::Dfa(a) => a.for_each(haystack, f),
            Literals::Nfa(a) => scan(a, haystack, f),
        }
    }

    /// The literals each match key stands for, in the order they are
    /// reported: a key of [`Literals::match_keys`] indexes this list.
    /// The DFA's keys are its match states (several literals can end at
    /// one, "she" and "he"); the NFA's are the literals themselves.
    pub fn keyed_literals(&self) -> Vec<Vec<u32>> {
        match self {
            Literals::Dfa(a) => (0..a.match_starts.len() - 1)
                .map(|m| {
                    a.matches[a.match_starts[m] as usize..a.match_starts[m + 1] as usize].to_vec()
                })
                .collect(),
            Literals::Nfa(a) => (0..a.patterns_len() as u32).map(|p| vec![p]).collect(),
        }
    }

    /// Fills `lanes` with a (key, end) pair for every place in `haystack`
    /// where literals end: the literals are those of the key (see
    /// [`Literals::keyed_literals`]), each ending just before offset `end`.
    /// The lanes hold consecutive parts of the haystack: read one after
    /// the other, the pairs come in order of their ends, as
    /// `for_each` reports them.
    pub fn match_keys(&self, haystack: &[u8], lanes: &mut [Vec<(u32, u32)>; LANES]) {
        for lane in lanes.iter_mut() {
            lane.clear();
        }
        match self {
            Literals::Dfa(a) => a.match_states(haystack, lanes),
            Literals::Nfa(a) => {
                let [first, ..] = lanes;
                scan(a, haystack, |p, _, end| first.push((p as u32, end as u32)));
            }
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

/// An Aho-Corasick DFA over ASCII case-insensitive literals, reporting
/// every match (overlapping ones included) at the position it ends, the
/// literals ending there in the order `aho-corasick`'s standard automata
/// give: the state's own literals, then those of its failure state.
#[derive(Debug)]
pub(super) struct LiteralDfa {
    /// The equivalence class of each byte; ASCII capitals share the class
    /// of their lowercase letter, and bytes in no literal share class 0.
    classes: [u8; 256],
    /// `1 << stride2` transitions per state, at least one per class.
    stride2: u32,
    /// Transitions: the cell of state `id` on a byte of class `class` is
    /// `trans[id << stride2 | class]`. A cell holds its target's row
    /// offset, `target << stride2`, with [`MATCH`] set when the target is
    /// a match state: the scan's states are these cells, and the next one
    /// is `trans[(cell | class) & mask]` without a shift. States are
    /// numbered breadth first.
    trans: Vec<u32>,
    /// The unanchored start state (as a cell, see `trans`).
    start: u32,
    /// The match key of each state (`u32::MAX` for one that is no match
    /// state): match states counted in breadth-first order.
    match_key: Vec<u32>,
    /// Literals matched at the match state of key `k` are
    /// `matches[match_starts[k]..match_starts[k + 1]]`.
    matches: Vec<u32>,
    match_starts: Vec<u32>,
    /// Length in bytes of each literal (the scan's callers keep their own).
    #[cfg(test)]
    lens: Vec<u32>,
    /// Length in bytes of the longest literal.
    longest: u32,
}

impl LiteralDfa {
    /// The DFA of `literals`, or `None` if it would have more than
    /// [`DFA_MAX_STATES`] states.
    fn new(literals: &[&str]) -> Option<LiteralDfa> {
        // classes: one per distinct (lowercased) byte of any literal,
        // frequent ones first
        let mut classes = [0u8; 256];
        let mut next_class = 1usize;
        let mut used = [false; 256];
        let lowered = || {
            literals
                .iter()
                .flat_map(|l| l.bytes().map(|b| b.to_ascii_lowercase()))
        };
        for b in lowered() {
            used[usize::from(b)] = true;
        }
        let frequent = FREQUENT_FIRST
            .iter()
            .copied()
            .filter(|&b| used[usize::from(b)]);
        for b in frequent.chain(lowered()) {
            if classes[usize::from(b)] == 0 {
                // at most 256 - 26 distinct lowercased bytes: fits a u8 with class 0
                classes[usize::from(b)] = next_class as u8;
                next_class += 1;
            }
        }
        for b in b'A'..=b'Z' {
            classes[usize::from(b)] = classes[usize::from(b.to_ascii_lowercase())];
        }
        let alphabet = next_class;
        let stride2 = alphabet.next_power_of_two().trailing_zeros();
        let stride = 1usize << stride2;

        // the trie: the root's children in a dense row, every other
        // state's as a linked list of edges (few states have many)
        const NONE: u32 = u32::MAX;
        // at most one state per literal byte, and the root
        let most = literals.iter().map(|l| l.len()).sum::<usize>() + 1;
        let mut root_child = vec![NONE; alphabet];
        let mut first_edge: Vec<u32> = Vec::with_capacity(most);
        first_edge.push(NONE);
        // (class, target state, next edge of the same state)
        let mut edges: Vec<(u8, u32, u32)> = Vec::with_capacity(most);
        // the literals ending at each state, in id order, as linked lists
        let mut own_head: Vec<u32> = Vec::with_capacity(most);
        let mut own_tail: Vec<u32> = Vec::with_capacity(most);
        own_head.push(NONE);
        own_tail.push(NONE);
        let mut own_next: Vec<u32> = vec![NONE; literals.len()];
        let child = |first_edge: &[u32], edges: &[(u8, u32, u32)], s: usize, c: u8| {
            let mut e = first_edge[s];
            while e != NONE {
                let (k, target, next) = edges[e as usize];
                if k == c {
                    return Some(target as usize);
                }
                e = next;
            }
            None
        };
        for (p, l) in literals.iter().enumerate() {
            let mut s = 0usize;
            for b in l.bytes() {
                let c = classes[usize::from(b)];
                let found = if s == 0 {
                    Some(root_child[usize::from(c)])
                        .filter(|&n| n != NONE)
                        .map(|n| n as usize)
                } else {
                    child(&first_edge, &edges, s, c)
                };
                s = match found {
                    Some(next) => next,
                    None => {
                        let new = first_edge.len();
                        first_edge.push(NONE);
                        own_head.push(NONE);
                        own_tail.push(NONE);
                        if s == 0 {
                            root_child[usize::from(c)] = new as u32;
                        } else {
                            edges.push((c, new as u32, first_edge[s]));
                            first_edge[s] = (edges.len() - 1) as u32;
                        }
                        new
                    }
                };
            }
            if own_tail[s] == NONE {
                own_head[s] = p as u32;
            } else {
                own_next[own_tail[s] as usize] = p as u32;
            }
            own_tail[s] = p as u32;
        }
        let states = first_edge.len();
        if states > DFA_MAX_STATES {
            return None;
        }
        // the children of trie state `s`, as (class, child) pairs
        let edges = &edges;
        let children = |s: usize| {
            let (root, mut e) = if s == 0 {
                (&root_child[..], NONE)
            } else {
                (&[][..], first_edge[s])
            };
            let from_root = root
                .iter()
                .enumerate()
                .filter(|&(_, &n)| n != NONE)
                .map(|(c, &n)| (c as u8, n as usize));
            let from_list = std::iter::from_fn(move || {
                let (c, target, next) = *edges.get(e as usize)?;
                e = next;
                Some((c, target as usize))
            });
            from_root.chain(from_list)
        };

        // Breadth first, one pass: a state's id is its place in that
        // order; its row is its failure state's row (shallower, so
        // complete already) with its own children written over it; and
        // the failure state of its child on class `c` is where its
        // failure state's row goes on `c`. A state matches its own
        // literals, then those of its failure state; the match states'
        // keys count them in breadth-first order.
        let mut trans = vec![0u32; (states * stride).next_power_of_two()];
        // (at most `DFA_MAX_STATES << 8` cells: the mask drops `MATCH`);
        // the padding and the cells past the alphabet in each row are
        // never read, and stay the zeroed pages the allocator gives
        debug_assert!(trans.len() <= MATCH as usize);
        // trie states in breadth-first order
        let mut order = Vec::with_capacity(states);
        // by id: the failure state's id, and the key (NONE: no match)
        let mut fail = vec![0u32; states];
        let mut match_key = vec![NONE; states];
        let mut matches = Vec::new();
        let mut match_starts = vec![0u32];
        // the key of trie state `trie` whose failure state has key
        // `fail_key` (NONE for none), its literals appended to `matches`
        let mut key_of = |trie: usize, fail_key: u32| {
            let start = matches.len();
            let mut p = own_head[trie];
            while p != NONE {
                matches.push(p);
                p = own_next[p as usize];
            }
            if fail_key != NONE {
                let k = fail_key as usize;
                matches.extend_from_within(match_starts[k] as usize..match_starts[k + 1] as usize);
            }
            if matches.len() == start {
                return NONE;
            }
            match_starts.push(matches.len() as u32);
            (match_starts.len() - 2) as u32
        };
        let cell =
            |id: usize, key: u32| ((id as u32) << stride2) | if key != NONE { MATCH } else { 0 };
        match_key[0] = key_of(0, NONE);
        order.push(0usize);
        let root_cell = cell(0, match_key[0]);
        trans[..alphabet].fill(root_cell);
        let mut id = 0;
        while let Some(&s) = order.get(id) {
            let row = id << stride2;
            let fail_row = (fail[id] as usize) << stride2;
            if id != 0 {
                trans.copy_within(fail_row..fail_row + alphabet, row);
            }
            for (c, child) in children(s) {
                let child_id = order.len();
                order.push(child);
                let f = if id == 0 {
                    0
                } else {
                    ((trans[fail_row | usize::from(c)] & !MATCH) >> stride2) as usize
                };
                fail[child_id] = f as u32;
                match_key[child_id] = key_of(child, match_key[f]);
                trans[row | usize::from(c)] = cell(child_id, match_key[child_id]);
            }
            id += 1;
        }
        Some(LiteralDfa {
            classes,
            stride2,
            trans,
            match_key,
            start: root_cell,
            matches,
            match_starts,
            #[cfg(test)]
            lens: literals.iter().map(|l| l.len() as u32).collect(),
            longest: literals.iter().map(|l| l.len() as u32).max().unwrap_or(0),
        })
    }

    #[cfg(test)]
    fn for_each(&self, haystack: &[u8], mut f: impl FnMut(usize, usize, usize)) {
        let mut lanes = Default::default();
        self.match_states(haystack, &mut lanes);
        for lane in lanes {
            for (state, end) in lane {
                self.report(state, end as usize, &mut f);
            }
        }
    }

    /// Appends to `lanes` the match states reached in `haystack` and the
    /// offsets just past the bytes that reached them, in order of offset
    /// when the lanes are read one after the other.
    fn match_states(&self, haystack: &[u8], lanes: &mut [Vec<(u32, u32)>; LANES]) {
        if haystack.len() < LANES_MIN_BYTES {
            let [first, ..] = lanes;
            let mut sid = self.start;
            let mut from = 0;
            while let Some((state, end)) = self.next_match(sid, haystack, from) {
                first.push((self.key(state), end as u32));
                sid = state;
                from = end;
            }
            return;
        }
        self.match_states_in_lanes(haystack, lanes);
    }

    /// The match states reached in `haystack` and the offsets just past
    /// the bytes that reached them, as four runs of the automaton over
    /// four quarters of it, stepped together.
    ///
    /// One run is a chain of dependent loads: each transition's address
    /// needs the state the last one gave, and the table (megabytes for
    /// the built-in packs) mostly misses the first-level cache, so the
    /// processor waits on every byte. Four independent runs keep four
    /// loads in flight at once.
    ///
    /// A run's state after a byte depends only on the last `longest`
    /// bytes (it is the longest suffix read so far that is a prefix of a
    /// literal), so each run after the first starts from the start state
    /// `longest - 1` bytes before its quarter and keeps only matches that
    /// end inside it: the same matches, in the same order, as one run.
    #[inline(never)]
    fn match_states_in_lanes(&self, haystack: &[u8], found: &mut [Vec<(u32, u32)>; LANES]) {
        let n = haystack.len();
        let warm_up = (self.longest as usize).saturating_sub(1);
        let mut bounds = [0usize; LANES + 1];
        for (k, b) in bounds.iter_mut().enumerate() {
            *b = n * k / LANES;
        }
        let starts: [usize; LANES] = std::array::from_fn(|k| bounds[k].saturating_sub(warm_up));
        // the steps every lane has left to take
        let together = (0..LANES)
            .map(|k| bounds[k + 1] - starts[k])
            .min()
            .unwrap_or(0);
        // room for a match every 32 bytes, about what prose with the
        // built-in packs gives: few lanes grow (each growth copies a lane)
        for lane in found.iter_mut() {
            lane.reserve(n / LANES / 32 + 8);
        }
        let mut sids = [self.start as usize; LANES];
        let lanes = std::array::from_fn(|k| &haystack[starts[k]..][..together]);
        let ends = Ends { starts, bounds };
        self.step_together(lanes, &ends, &mut sids, found);
        for k in 0..LANES {
            let mut sid = sids[k] as u32;
            let mut from = starts[k] + together;
            let quarter = &haystack[..bounds[k + 1]];
            while let Some((state, end)) = self.next_match(sid, quarter, from) {
                if end > bounds[k] || k == 0 {
                    found[k].push((self.key(state), end as u32));
                }
                sid = state;
                from = end;
            }
        }
    }

    /// Steps the four runs of [`LiteralDfa::match_states_in_lanes`] over
    /// their equal-length parts `lanes` from states `sids`, pushing the
    /// matches each keeps onto `found`.
    #[inline(always)]
    fn step_together(
        &self,
        lanes: [&[u8]; LANES],
        ends: &Ends,
        sids: &mut [usize; LANES],
        found: &mut [Vec<(u32, u32)>; LANES],
    ) {
        let trans = &self.trans[..];
        // a copy on the stack: addressed from the stack pointer, the
        // table needs no register of its own
        let classes = self.classes;
        // also drops `MATCH` (see `new`)
        let mask = trans.len().wrapping_sub(1);
        let step =
            |sid: usize, b: u8| trans[(sid | usize::from(classes[usize::from(b)])) & mask] as usize;
        let match_bit = MATCH as usize;
        let [a, b, c, d] = lanes;
        let mut s = *sids;
        for i in 0..a.len().min(b.len()).min(c.len()).min(d.len()) {
            s = [
                step(s[0], a[i]),
                step(s[1], b[i]),
                step(s[2], c[i]),
                step(s[3], d[i]),
            ];
            // one test for the four runs: most rounds reach no match
            if (s[0] | s[1] | s[2] | s[3]) & match_bit == 0 {
                continue;
            }
            for (k, &sid) in s.iter().enumerate() {
                let end = ends.starts[k] + i + 1;
                // a match inside the warm-up is the previous lane's
                if sid & match_bit != 0 && (end > ends.bounds[k] || k == 0) {
                    found[k].push((self.key(sid as u32), end as u32));
                }
            }
        }
        *sids = s;
    }

    /// The match key of state `cell`, a match state.
    fn key(&self, cell: u32) -> u32 {
        let id = ((cell & !MATCH) >> self.stride2) as usize;
        self.match_key.get(id).copied().unwrap_or(u32::MAX)
    }

    /// Runs from state `sid` (a cell, see `trans`) over
    /// `haystack[from..]` to the first match state: that state and the
    /// offset just past the byte that reached it. A function of its own (not inlined into the caller's loop with
    /// the match callback), so the per-byte loop keeps its few variables
    /// in registers; inlined into `Matchers::scan` it spilled them.
    ///
    /// Four bytes a round, each step one class lookup and one masked
    /// transition lookup (no bounds check, see `new`).
    #[inline(never)]
    fn next_match(&self, sid: u32, haystack: &[u8], from: usize) -> Option<(u32, usize)> {
        let (trans, classes) = (&self.trans[..], &self.classes);
        let mask = trans.len().wrapping_sub(1);
        let is_match = |sid: usize| sid & MATCH as usize != 0;
        let rest = haystack.get(from..)?;
        let mut sid = sid as usize;
        let step =
            |sid: usize, b: u8| trans[(sid | usize::from(classes[usize::from(b)])) & mask] as usize;
        let mut quads = rest.chunks_exact(4);
        let mut at = from;
        for q in quads.by_ref() {
            sid = step(sid, q[0]);
            if is_match(sid) {
                return Some((sid as u32, at + 1));
            }
            sid = step(sid, q[1]);
            if is_match(sid) {
                return Some((sid as u32, at + 2));
            }
            sid = step(sid, q[2]);
            if is_match(sid) {
                return Some((sid as u32, at + 3));
            }
            sid = step(sid, q[3]);
            if is_match(sid) {
                return Some((sid as u32, at + 4));
            }
            at += 4;
        }
        for &b in quads.remainder() {
            sid = step(sid, b);
            at += 1;
            if is_match(sid) {
                return Some((sid as u32, at));
            }
        }
        None
    }

    /// Calls `f` for each literal match state `sid` stands for, ending at `end`.
    #[cfg(test)]
    fn report(&self, sid: u32, end: usize, f: &mut impl FnMut(usize, usize, usize)) {
        let m = sid as usize;
        let (from, to) = (
            self.match_starts[m] as usize,
            self.match_starts[m + 1] as usize,
        );
        for &p in &self.matches[from..to] {
            f(p as usize, end - self.lens[p as usize] as usize, end);
        }
    }
}
/// Where the lanes of [`LiteralDfa::match_states_in_lanes`] start
/// reading, and where the part each reports begins (the last lane's end
/// is the haystack's).
struct Ends {
    starts: [usize; LANES],
    bounds: [usize; LANES + 1],
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

    /// `aho-corasick`'s own standard DFA of `lits`.
    fn reference_dfa(lits: &[&str]) -> aho_corasick::dfa::DFA {
        aho_corasick::dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(lits)
            .expect("DFA within size limits")
    }

    /// Every match `dfa` reports, in its order.
    fn matches_of(dfa: &impl super::Automaton, text: &str) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        super::scan(dfa, text.as_bytes(), |p, s, e| v.push((p, s, e)));
        v
    }

    /// Every match `aho-corasick`'s own standard DFA reports, in its order.
    fn reference(lits: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        matches_of(&reference_dfa(lits), text)
    }

    fn ours(lits: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        let dfa = Literals::new(lits);
        assert!(matches!(dfa, Literals::Dfa(_)));
        dfa.for_each(text.as_bytes(), |p, s, e| v.push((p, s, e)));
        v
    }

    #[test]
    fn dfa_agrees_with_aho_corasick_on_shared_suffixes_and_duplicates() {
        let lits = [
            "he", "she", "his", "hers", "s h", "HE", "é", "éa", "a", "ab", "bab", "he",
        ];
        let text = "Ushers, SHE said: his hers — éab hE bab ababab he";
        assert_eq!(ours(&lits, text), reference(&lits, text));
    }

    proptest::proptest! {
        #[test]
        fn dfa_agrees_with_aho_corasick(
            lits in proptest::collection::vec("[abAB é’.]{1,5}", 1..12),
            text in "[abcABC é’.]{0,60}",
        ) {
            let lits: Vec<&str> = lits.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(ours(&lits, &text), reference(&lits, &text));
        }
    }

    /// Match states and the offsets just past them.
    type MatchStates = Vec<(u32, u32)>;

    /// Match states from one run of the DFA, and from four.
    fn one_run_and_lanes(lits: &[&str], text: &str) -> (MatchStates, MatchStates) {
        let Literals::Dfa(dfa) = Literals::new(lits) else {
            panic!("small sets get a DFA");
        };
        let (mut one, mut sid, mut from) = (Vec::new(), dfa.start, 0);
        while let Some((state, end)) = dfa.next_match(sid, text.as_bytes(), from) {
            one.push((dfa.key(state), end as u32));
            (sid, from) = (state, end);
        }
        let mut lanes = Default::default();
        dfa.match_states_in_lanes(text.as_bytes(), &mut lanes);
        let lanes = lanes.concat();
        (one, lanes)
    }

    #[test]
    fn lanes_find_matches_across_their_bounds_once() {
        // each quarter bound of this text falls inside a literal
        let text = "delve into ".repeat(40);
        let (one, lanes) = one_run_and_lanes(&["delve into", "into", "e i"], &text);
        // two match states a repeat: after "e i", and after "into" (both literals ending there)
        assert_eq!(one.len(), 80);
        assert_eq!(lanes, one);
    }

    proptest::proptest! {
        #[test]
        fn lanes_agree_with_one_run(
            lits in proptest::collection::vec("[abAB é’.]{1,9}", 1..12),
            text in "[abcABC é’.]{0,400}",
        ) {
            let lits: Vec<&str> = lits.iter().map(String::as_str).collect();
            let (one, lanes) = one_run_and_lanes(&lits, &text);
            proptest::prop_assert_eq!(lanes, one);
        }
    }

    #[test]
    fn long_haystacks_agree_with_aho_corasick() {
        let lits = ["it's not just", "rich tapestry", "delve", "not", "y—"];
        let text = "It's NOT JUST this; a rich tapestry—delve, not only. ".repeat(100);
        assert!(text.len() >= super::LANES_MIN_BYTES);
        assert_eq!(ours(&lits, &text), reference(&lits, &text));
    }

    /// Every literal of the built-in packs (phrases and regex anchors), by
    /// pattern id, as the matcher compiles them.
    fn builtin_literals() -> Vec<String> {
        let rules = crate::rules::RuleSet::builtin().expect("built-in packs load");
        rules.matchers.literals().to_vec()
    }

    /// A deterministic stream of pseudo-random numbers (xorshift64).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Text dense in the built-in literals: pieces of them, whole ones in
    /// changed case, words and separators, in random order and lengths
    /// (short texts take the one-run scan, long ones the lanes).
    fn random_text(rng: &mut Rng, lits: &[&str]) -> String {
        const OTHER: &[&str] = &[
            " ", " ", ". ", ", ", "'", "’", "—", "-", "the", "delve", "ing", "é", "\n", "[", "]",
        ];
        let mut text = String::new();
        let len = [40, 300, 3_000, 9_000][rng.below(4)];
        while text.len() < len {
            let lit = lits[rng.below(lits.len())];
            match rng.below(4) {
                0 => text.push_str(lit),
                1 => text.push_str(&lit.to_ascii_uppercase()),
                2 => {
                    let cut = (0..=lit.len())
                        .filter(|&i| lit.is_char_boundary(i))
                        .nth(rng.below(3))
                        .unwrap_or(0);
                    text.push_str(&lit[cut..]);
                }
                _ => text.push_str(OTHER[rng.below(OTHER.len())]),
            }
        }
        text
    }

    #[test]
    fn builtin_literals_agree_with_aho_corasick_on_dev_and_random_text() {
        let owned = builtin_literals();
        let lits: Vec<&str> = owned.iter().map(String::as_str).collect();
        let ours = Literals::new(&lits);
        assert!(
            matches!(ours, Literals::Dfa(_)),
            "the built-in set gets a DFA"
        );
        let reference = reference_dfa(&lits);
        let ours_of = |text: &str| {
            let mut v = Vec::new();
            ours.for_each(text.as_bytes(), |p, s, e| v.push((p, s, e)));
            v
        };
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut found = 0;
        for _ in 0..200 {
            let text = random_text(&mut rng, &lits);
            let want = matches_of(&reference, &text);
            found += want.len();
            assert_eq!(ours_of(&text), want, "{text:?}");
        }
        assert!(
            found > 10_000,
            "the random texts hold many matches: {found}"
        );
        // real prose, where it is at hand (the shared data set)
        for dir in ["../shared/data/dev/ai", "../shared/data/dev/human"] {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for path in paths.iter().take(30) {
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                assert_eq!(ours_of(&text), matches_of(&reference, &text), "{path:?}");
            }
        }
    }

    #[test]
    fn sets_with_too_many_states_for_a_dfa_use_the_nfa_and_agree() {
        // under the byte limit, but a trie of more than 2^15 states
        let many: Vec<String> = (0..6_000)
            .map(|i| format!("{i:05}-{:04}", i * 7 % 10_000))
            .collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(refs.iter().map(|l| l.len()).sum::<usize>() < super::DFA_LITERAL_BYTES);
        let ours = Literals::new(&refs);
        assert!(matches!(ours, Literals::Nfa(_)));
        let text = "at 00012-0084 and 05999-1993, not 00012-008".repeat(3);
        let mut v = Vec::new();
        ours.for_each(text.as_bytes(), |p, s, e| v.push((p, s, e)));
        assert_eq!(v, reference(&refs, &text));
        assert_eq!(v.len(), 6);
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
