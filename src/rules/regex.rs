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
//!
//! Compiling a Unicode class costs a state per byte range of its UTF-8
//! sequences, and a bounded repetition (`[\w' ]{0,30}`) compiles its class
//! once per allowed repeat: such patterns cost millions of instructions
//! to compile, forward and reverse, on first use. Prose keeps almost
//! entirely to a few blocks of characters ([`COMMON`]), so each pattern
//! also has a form with every class narrowed to them, compiled only when
//! a text within them needs it and a small fraction of the cost. On such
//! a text both forms match exactly the same: a class admits the same
//! characters of the text whether narrowed or not, and nothing else about
//! the pattern changes. A text with other characters that prose mixes in
//! (an emoji, ™, Greek, Cyrillic, CJK) gets a second form, narrowed to
//! the wider blocks of [`WIDE`]; only a text beyond those needs the full
//! Unicode form, several times dearer to compile.

use regex_automata::meta::{self, Regex};
use regex_automata::util::iter::Searcher;
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Anchored, Input, Match, MatchError, hybrid, nfa::thompson};
use std::sync::OnceLock;

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::narrowing::{COMMON, WIDE, ascii_boundaries, narrow_with_ascii_boundaries};
#[cfg(test)]
use super::narrowing::{filled, narrow};
use super::relaxing;

/// Which compiled form of a pattern may search a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// Every character of the text is in [`COMMON`]: the form narrowed
    /// to it serves.
    Common,
    /// Every character is in [`WIDE`], and some are not in [`COMMON`]:
    /// the form narrowed to [`WIDE`] serves.
    Wide,
    /// The text holds other characters: only the full form serves.
    Any,
}

impl Alphabet {
    /// The alphabet of `text`. Skips ASCII thirty-two bytes at a time;
    /// only the few other characters are decoded.
    pub fn of(text: &str) -> Alphabet {
        let bytes = text.as_bytes();
        let mut alphabet = Alphabet::Common;
        let mut i = 0;
        loop {
            while let Some(chunk) = bytes.get(i..i + 32) {
                // the high bits of four words at once
                let any_high = chunk.chunks_exact(8).fold(0, |acc, w| {
                    let mut k = [0u8; 8];
                    k.copy_from_slice(w);
                    acc | u64::from_le_bytes(k)
                }) & 0x8080_8080_8080_8080;
                if any_high != 0 {
                    break;
                }
                i += 32;
            }
            while bytes.get(i).is_some_and(u8::is_ascii) {
                i += 1;
            }
            // `i` follows ASCII bytes or a whole character: a boundary
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                return alphabet;
            };
            if !COMMON.contains(c) {
                if !WIDE.contains(c) {
                    return Alphabet::Any;
                }
                alphabet = Alphabet::Wide;
            }
            i += c.len_utf8();
        }
    }
}

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

/// Parses `pattern`; the syntax check a pack gets at load time.
pub fn parse(pattern: &str) -> Result<Hir, RegexError> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| RegexError(e.to_string()))
}

/// Parses and compiles `pattern` with ASCII word boundaries.
#[cfg(test)]
pub fn compile(pattern: &str) -> Result<Regex, RegexError> {
    build(&parse(pattern)?, false)
}

/// Compiles `hir` with ASCII word boundaries. A rule's regex runs only on
/// the sentences its anchors picked: a prefilter finds little there and
/// costs start-up. A pattern that searches a whole file's source at once
/// (`scope = "source"`) gets one (`prefilter`): there it skips almost
/// every byte.
fn build(hir: &Hir, prefilter: bool) -> Result<Regex, RegexError> {
    let ascii = ascii_boundaries(hir);
    build_ascii(ascii.as_ref().unwrap_or(hir), prefilter)
}

/// [`build`] for a `hir` whose word boundaries are ASCII already.
fn build_ascii(hir: &Hir, prefilter: bool) -> Result<Regex, RegexError> {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(NFA_LIMIT))
                .hybrid_cache_capacity(DFA_CACHE)
                .auto_prefilter(prefilter),
        )
        .build_from_hir(hir)
        .map_err(|e| RegexError(e.to_string()))
}

/// A regex that matches wherever one of `literals` occurs, ASCII case
/// insensitively (and, like `(?i)`, through the few other characters
/// that fold to an ASCII letter), with a literal prefilter: one pass over
/// a file's source says whether any of them is there at all.
pub fn literal_screen(literals: &[&str]) -> Result<Regex, RegexError> {
    let alternatives: Vec<String> = literals.iter().map(|l| regex_syntax::escape(l)).collect();
    let pattern = format!("(?i:{})", alternatives.join("|"));
    build(&parse(&pattern)?, true)
}

/// A parsed rule regex, compiled on first use: building the automata of
/// every rule cost half of start-up (455 M instructions for the built-in
/// packs), and a check of one small file needs only the few rules whose
/// anchors occur in it. Threads share the compiled regex.
///
/// Loading still reports every pattern that cannot compile: the parse
/// catches syntax errors, and a pattern whose automaton might exceed the
/// size limit (by [`nfa_bound`]) is compiled at once, so its error is a
/// load error as before.
pub struct LazyRegex {
    pattern: String,
    /// Set at once by [`LazyRegex::new`]; parsed on first use for a
    /// pattern wrapped by [`LazyRegex::unparsed`].
    hir: OnceLock<Result<Hir, RegexError>>,
    prefilter: bool,
    regex: OnceLock<Result<Box<RuleRegex>, RegexError>>,
    /// The form with classes narrowed to [`COMMON`]; `None` when that is
    /// the same pattern (or, which the size bound rules out, does not
    /// compile): the full form serves.
    common: OnceLock<Option<Box<RuleRegex>>>,
    /// The form narrowed to [`WIDE`], likewise.
    wide: OnceLock<Option<Box<RuleRegex>>>,
    /// [`LazyRegex::anchored_at_start`], worked out on the first call.
    anchored: OnceLock<bool>,
}

impl LazyRegex {
    /// Wraps the parse of `pattern` (with a literal prefilter when
    /// `prefilter`, see [`build`]); compiles now when the automaton might
    /// be too large, returning the compile error.
    pub fn new(pattern: &str, hir: Hir, prefilter: bool) -> Result<LazyRegex, RegexError> {
        let regex = OnceLock::new();
        if nfa_bound(&hir) > NFA_LIMIT {
            let _ = regex.set(Ok(Box::new(RuleRegex::new(&hir, prefilter)?)));
        }
        Ok(LazyRegex {
            pattern: pattern.to_string(),
            regex,
            common: OnceLock::new(),
            wide: OnceLock::new(),
            anchored: OnceLock::new(),
            hir: OnceLock::from(Ok(hir)),
            prefilter,
        })
    }

    /// Wraps a pattern known to parse and to compile within the size limit
    /// (a built-in pack's, which the tests compile): parsed on first use.
    pub fn unparsed(pattern: &str, prefilter: bool) -> LazyRegex {
        LazyRegex {
            pattern: pattern.to_string(),
            regex: OnceLock::new(),
            common: OnceLock::new(),
            wide: OnceLock::new(),
            anchored: OnceLock::new(),
            hir: OnceLock::new(),
            prefilter,
        }
    }

    /// The parse of the pattern, made on the first call when deferred.
    fn hir(&self) -> Result<&Hir, &RegexError> {
        self.hir
            .get_or_init(|| {
                super::builtin::hir(&self.pattern).map_or_else(|| parse(&self.pattern), Ok)
            })
            .as_ref()
    }

    /// Parses `pattern` and wraps it (see [`LazyRegex::new`]).
    pub fn parse(pattern: &str) -> Result<LazyRegex, RegexError> {
        LazyRegex::new(pattern, parse(pattern)?, false)
    }

    /// Parses `pattern` and wraps it, compiled on first use whatever its
    /// size: for a pattern whose failure to compile need not be a load
    /// error (a screen that cannot compile proves nothing), so loading
    /// skips the walk of [`nfa_bound`] (2 M instructions at start-up for
    /// the built-in packs' two screens).
    pub fn parse_unchecked(pattern: &str) -> Result<LazyRegex, RegexError> {
        Ok(LazyRegex {
            pattern: pattern.to_string(),
            regex: OnceLock::new(),
            common: OnceLock::new(),
            wide: OnceLock::new(),
            anchored: OnceLock::new(),
            hir: OnceLock::from(Ok(parse(pattern)?)),
            prefilter: false,
        })
    }

    /// The compiled regex, built on the first call; an error names the
    /// pattern (it cannot happen for a pattern within [`nfa_bound`]).
    pub fn get(&self) -> Result<&RuleRegex, &RegexError> {
        self.regex
            .get_or_init(|| {
                let built = match self.hir() {
                    Ok(hir) => RuleRegex::new(hir, self.prefilter).map(Box::new),
                    Err(e) => Err(RegexError(e.0.clone())),
                };
                built.map_err(|e| {
                    RegexError(format!("regex `{}` does not compile: {e}", self.pattern))
                })
            })
            .as_ref()
            .map(|re| &**re)
    }

    /// The compiled form that serves a text of `alphabet` (see
    /// [`Alphabet`]), built on the first call: both find the same matches
    /// in such a text.
    pub fn get_for(&self, alphabet: Alphabet) -> Result<&RuleRegex, &RegexError> {
        let narrowed = match alphabet {
            // narrowed and given ASCII word boundaries in one rewrite, or
            // built so from data for a built-in pattern
            Alphabet::Common => self.common.get_or_init(|| {
                let hir = super::builtin::narrowed(&self.pattern)
                    .or_else(|| narrow_with_ascii_boundaries(self.hir().ok()?, &COMMON))?;
                self.narrowed_form(hir)
            }),
            // the full form serves as well, if a text of other characters
            // has built it already
            Alphabet::Wide => match self.regex.get() {
                Some(Ok(full)) if self.wide.get().is_none() => return Ok(full),
                _ => self.wide.get_or_init(|| {
                    let hir = super::builtin::wide(&self.pattern)
                        .or_else(|| narrow_with_ascii_boundaries(self.hir().ok()?, &WIDE))?;
                    self.narrowed_form(hir)
                }),
            },
            Alphabet::Any => &None,
        };
        match narrowed {
            Some(re) => Ok(re),
            None => self.get(),
        }
    }

    /// Whether the pattern asserts the start of the text or of a line
    /// (`^`, `\A`, `(?m)^`) anywhere: it then reads a text from its start.
    /// False for a pattern that does not parse.
    pub fn anchored_at_start(&self) -> bool {
        *self.anchored.get_or_init(|| {
            // unless the parse is at hand, a built-in pattern's answer is
            // read from the table: working it out needs the whole parse,
            // which a regex used only in its narrowed forms never builds
            // (that cost 0.4 % of a run over the generated corpus)
            if let (None, Some(anchored)) =
                (self.hir.get(), super::builtin::anchored(&self.pattern))
            {
                return anchored;
            }
            self.hir().is_ok_and(|hir| {
                let looks = hir.properties().look_set();
                [Look::Start, Look::StartLF, Look::StartCRLF]
                    .into_iter()
                    .any(|look| looks.contains(look))
            })
        })
    }

    /// A narrowed form compiled; `None` if it does not compile.
    fn narrowed_form(&self, hir: Hir) -> Option<Box<RuleRegex>> {
        RuleRegex::with_ascii_boundaries(hir, self.prefilter)
            .ok()
            .map(Box::new)
    }
}

/// A compiled rule regex. Most are searched with their own forward lazy
/// DFA, and the reverse one that finds where a match starts is compiled
/// only once a match needs it: compiling a regex on first use cost about
/// 2 M instructions, half of it the reverse automaton, which a regex
/// anchored at the start of its text, a regex that finds nothing in a
/// run, and a yes-or-no question never need. The matches are those of
/// the general engine (`meta`): the same lazy DFAs find the same
/// leftmost-first matches, and any search they give up on is answered by
/// the general engine, built then.
pub struct RuleRegex {
    /// The pattern, with ASCII word boundaries, as compiled.
    hir: Hir,
    prefilter: bool,
    /// The pattern's screen, searched first where it has long counted
    /// repetitions (see [`relaxing`]): its own lazy DFAs are built at
    /// once, the pattern's only when a match is too long for the screen
    /// to answer.
    screen: Option<Screened>,
    /// The own forward and reverse lazy DFAs; `None` for a pattern that
    /// can match the empty string (the general engine keeps such matches
    /// off the middle of a UTF-8 character) or searches whole files (it
    /// gets the general engine's literal prefilter), or whose lazy DFA
    /// could not be built. Built at once unless there is a screen.
    lean: OnceLock<Option<Box<Lean>>>,
    /// The general engine: built at once when `lean` is `None`, else on
    /// the first search the lean one gives up on.
    general: OnceLock<Result<Regex, RegexError>>,
}

/// A [`relaxing::Screen`] and its lazy DFAs.
struct Screened {
    hir: Hir,
    lean: Box<Lean>,
    safe_len: usize,
}

/// One search's caches of a [`RuleRegex`]'s lazy DFAs, each taken from
/// its pool on first use.
#[derive(Default)]
struct Caches<'a> {
    screen: Option<PoolGuard<'a, LeanCache, Box<CacheFn>>>,
    exact: Option<PoolGuard<'a, LeanCache, Box<CacheFn>>>,
}

/// The lazy DFAs of a [`RuleRegex`] and the per-thread caches they need.
struct Lean {
    forward: hybrid::dfa::DFA,
    /// Built on the first match whose start is not known otherwise;
    /// `None` if it cannot be (the general engine then answers).
    reverse: OnceLock<Option<hybrid::dfa::DFA>>,
    /// Whether every match starts where the search does (`^...`): no
    /// reverse search is needed.
    anchored: bool,
    /// Whether every match starts at the start of the text: a search
    /// from anywhere later finds nothing.
    at_text_start: bool,
    /// The length of the shortest match.
    shortest: usize,
    caches: Pool<LeanCache, Box<CacheFn>>,
}

type CacheFn =
    dyn Fn() -> LeanCache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe;

/// One thread's caches of a [`Lean`] regex's lazy DFAs.
struct LeanCache {
    forward: hybrid::dfa::Cache,
    reverse: Option<hybrid::dfa::Cache>,
}

/// The lazy DFA settings of the general engine (`meta`'s own, for a
/// regex without a prefilter): the same sizes, and the same give-up
/// rules, after which the general engine answers as `meta` would.
fn lazy_dfa_config() -> hybrid::dfa::Config {
    hybrid::dfa::Config::new()
        .starts_for_each_pattern(true)
        .unicode_word_boundary(true)
        .specialize_start_states(false)
        .cache_capacity(DFA_CACHE)
        .skip_cache_capacity_check(false)
        .minimum_cache_clear_count(Some(3))
        .minimum_bytes_per_state(Some(10))
}

/// A Thompson NFA compiler, forward or `reverse`, without capture states
/// (the lazy DFA reports no groups).
fn nfa_compiler(reverse: bool) -> thompson::Compiler {
    let mut compiler = thompson::Compiler::new();
    compiler.configure(
        thompson::Config::new()
            .nfa_size_limit(Some(NFA_LIMIT))
            .shrink(false)
            .which_captures(thompson::WhichCaptures::None)
            .reverse(reverse),
    );
    compiler
}

thread_local! {
    /// Each thread's forward and reverse NFA compilers, kept between
    /// regexes: a compiler allocates a table of 10,000 entries for its
    /// UTF-8 classes on first use and frees it entry by entry when
    /// dropped (about 180,000 instructions a regex); a compiler reused
    /// only clears its state, and builds the same NFA.
    static NFA_COMPILERS: [thompson::Compiler; 2] = [nfa_compiler(false), nfa_compiler(true)];
}

/// The Thompson NFA of `hir`, forward or `reverse`, without capture
/// states (see [`nfa_compiler`]).
fn thompson_nfa(hir: &Hir, reverse: bool) -> Option<thompson::NFA> {
    NFA_COMPILERS.with(|compilers| compilers[usize::from(reverse)].build_from_hir(hir).ok())
}

impl Lean {
    /// The forward lazy DFA of `hir`, if it builds.
    fn new(hir: &Hir) -> Option<Box<Lean>> {
        let props = hir.properties();
        let at_text_start = props.look_set_prefix().contains(Look::Start);
        let shortest = props.minimum_len()?;
        let nfa = thompson_nfa(hir, false)?;
        let anchored = nfa.is_always_start_anchored();
        let forward = hybrid::dfa::Builder::new()
            .configure(lazy_dfa_config())
            .build_from_nfa(nfa)
            .ok()?;
        let for_caches = forward.clone();
        let create: Box<CacheFn> = Box::new(move || LeanCache {
            forward: for_caches.create_cache(),
            reverse: None,
        });
        Some(Box::new(Lean {
            forward,
            reverse: OnceLock::new(),
            anchored,
            at_text_start,
            shortest,
            caches: Pool::new(create),
        }))
    }

    /// The leftmost-first match in `input`, as `hybrid::regex::Regex`
    /// finds it; an error where the lazy DFAs give up.
    fn search(
        &self,
        hir: &Hir,
        cache: &mut LeanCache,
        input: &Input<'_>,
    ) -> Result<Option<Match>, MatchError> {
        // no match can be there (as `meta` finds before it searches)
        if (input.start() > 0 && self.at_text_start) || input.get_span().len() < self.shortest {
            return Ok(None);
        }
        let Some(end) = self.forward.try_search_fwd(&mut cache.forward, input)? else {
            return Ok(None);
        };
        if input.start() == end.offset() {
            return Ok(Some(Match::new(end.pattern(), end.offset()..end.offset())));
        }
        if self.anchored || input.get_anchored().is_anchored() {
            return Ok(Some(Match::new(end.pattern(), input.start()..end.offset())));
        }
        let reverse = self.reverse.get_or_init(|| {
            hybrid::dfa::Builder::new()
                .configure(
                    lazy_dfa_config()
                        .match_kind(regex_automata::MatchKind::All)
                        .specialize_start_states(false),
                )
                .build_from_nfa(thompson_nfa(hir, true)?)
                .ok()
        });
        let Some(reverse) = reverse else {
            return Err(MatchError::gave_up(end.offset()));
        };
        let cache = cache.reverse.get_or_insert_with(|| reverse.create_cache());
        let back = input
            .clone()
            .span(input.start()..end.offset())
            .anchored(Anchored::Yes)
            .earliest(false);
        match reverse.try_search_rev(cache, &back)? {
            Some(start) => Ok(Some(Match::new(
                end.pattern(),
                start.offset()..end.offset(),
            ))),
            None => Err(MatchError::gave_up(end.offset())),
        }
    }
}

impl RuleRegex {
    /// Compiles `hir` with ASCII word boundaries (and a literal prefilter
    /// when `prefilter`, see [`build`]).
    fn new(hir: &Hir, prefilter: bool) -> Result<RuleRegex, RegexError> {
        RuleRegex::with_ascii_boundaries(
            ascii_boundaries(hir).unwrap_or_else(|| hir.clone()),
            prefilter,
        )
    }

    /// [`RuleRegex::new`] for a `hir` whose word boundaries are ASCII.
    fn with_ascii_boundaries(hir: Hir, prefilter: bool) -> Result<RuleRegex, RegexError> {
        let never_empty = hir.properties().minimum_len().is_some_and(|n| n > 0);
        let searched_lean = !prefilter && never_empty;
        // a pattern over the size limit is compiled at once, so that its
        // error is reported now (the bound is walked only for a pattern
        // that has a screen: most have none)
        let screen = searched_lean
            .then(|| relaxing::screen(&hir))
            .flatten()
            .filter(|_| nfa_bound(&hir) <= NFA_LIMIT)
            .and_then(|screen| {
                Some(Screened {
                    lean: Lean::new(&screen.hir)?,
                    hir: screen.hir,
                    safe_len: screen.safe_len,
                })
            });
        let lean = OnceLock::new();
        let general = OnceLock::new();
        if screen.is_none() {
            let built = searched_lean.then(|| Lean::new(&hir)).flatten();
            if built.is_none() {
                let _ = general.set(Ok(build_ascii(&hir, prefilter)?));
            }
            let _ = lean.set(built);
        }
        Ok(RuleRegex {
            hir,
            prefilter,
            screen,
            lean,
            general,
        })
    }

    /// The pattern's own lazy DFAs, built on first use.
    fn lean(&self) -> Option<&Lean> {
        self.lean.get_or_init(|| Lean::new(&self.hir)).as_deref()
    }

    /// The general engine, built on first use.
    fn general(&self) -> Result<&Regex, &RegexError> {
        self.general
            .get_or_init(|| build_ascii(&self.hir, self.prefilter))
            .as_ref()
    }

    /// The leftmost-first match in `input` (no match if the general
    /// engine cannot be built, which the size bound rules out).
    fn search_general(&self, input: &Input<'_>) -> Option<Match> {
        self.general().ok()?.search(input)
    }

    /// The leftmost-first match in `input`: the screen's where it finds
    /// none or one short enough, else the pattern's own.
    fn search<'a>(&'a self, caches: &mut Caches<'a>, input: &Input<'_>) -> Option<Match> {
        if let Some(screen) = &self.screen {
            let cache = caches
                .screen
                .get_or_insert_with(|| screen.lean.caches.get());
            match screen.lean.search(&screen.hir, cache, input) {
                Ok(None) => return None,
                Ok(Some(found)) if found.len() <= screen.safe_len => return Some(found),
                // too long to be sure of, or the lazy DFAs gave up
                _ => {}
            }
        }
        match self.lean() {
            Some(lean) => {
                let cache = caches.exact.get_or_insert_with(|| lean.caches.get());
                lean.search(&self.hir, cache, input)
                    .unwrap_or_else(|_| self.search_general(input))
            }
            None => self.search_general(input),
        }
    }

    /// The successive non-overlapping matches in `haystack`, as
    /// `meta::Regex::find_iter` gives them.
    pub fn find_iter<H: AsRef<[u8]> + ?Sized>(&self, haystack: &H) -> impl Iterator<Item = Match> {
        let mut searcher = Searcher::new(Input::new(haystack.as_ref()));
        let mut caches = Caches::default();
        std::iter::from_fn(move || searcher.advance(|input| Ok(self.search(&mut caches, input))))
    }

    /// Whether `haystack` holds a match: the forward lazy DFA alone where
    /// it can answer.
    pub fn is_match(&self, haystack: &(impl AsRef<[u8]> + ?Sized)) -> bool {
        let input = Input::new(haystack.as_ref()).earliest(true);
        let forward = match &self.screen {
            Some(screen) => &screen.lean,
            None => match self.lean() {
                Some(lean) => lean,
                None => return self.search_general(&input).is_some(),
            },
        };
        match forward
            .forward
            .try_search_fwd(&mut forward.caches.get().forward, &input)
        {
            // no match of the screen is none of the pattern
            Ok(None) => false,
            Ok(Some(_)) if self.screen.is_none() => true,
            _ => self
                .search(&mut Caches::default(), &Input::new(haystack.as_ref()))
                .is_some(),
        }
    }
}

/// Bytes per NFA state while it is built (`regex_automata`'s
/// `builder::State`, 32 bytes on 64-bit targets).
const STATE_BYTES: usize = std::mem::size_of::<usize>() * 4;
/// Bytes per transition (8 in the builder; a union alternative takes 4).
const EDGE_BYTES: usize = 8;

/// An upper bound on the heap a Thompson NFA for `hir` takes while it is
/// built, forward or reverse, in the units of `nfa_size_limit`: each
/// construct is charged more states and edges than the compiler emits for
/// it (a Unicode class at most one state and one edge per byte range of
/// its UTF-8 sequences; a bounded repetition a copy of its body per
/// allowed repeat). A test checks it against the real compiler. Cheap:
/// one walk of the syntax tree.
pub fn nfa_bound(hir: &Hir) -> usize {
    const FIXED: usize = 16 * STATE_BYTES; // start, match, unanchored prefix
    FIXED.saturating_add(bound(hir))
}

fn bound(hir: &Hir) -> usize {
    const S: usize = STATE_BYTES;
    const E: usize = EDGE_BYTES;
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 2 * S,
        // alternations of literals become tries of up to two states a byte
        HirKind::Literal(lit) => (lit.0.len() + 1) * 2 * (S + E),
        HirKind::Class(Class::Bytes(c)) => 2 * S + (c.ranges().len() + 1) * E,
        HirKind::Class(Class::Unicode(c)) => {
            let mut units = 0usize;
            for r in c.ranges() {
                units = units.saturating_add(if r.start() == r.end() {
                    // one character: one sequence (most case-folded letters)
                    r.start().len_utf8() + 1
                } else if r.end().is_ascii() {
                    2
                } else {
                    regex_syntax::utf8::Utf8Sequences::new(r.start(), r.end())
                        .map(|seq| seq.len() + 1)
                        .sum()
                });
            }
            units.saturating_mul(2 * (S + E)).saturating_add(4 * S)
        }
        HirKind::Capture(cap) => bound(&cap.sub).saturating_add(4 * S),
        HirKind::Repetition(rep) => {
            let copies = match rep.max {
                Some(max) => max.max(rep.min).max(1),
                None => rep.min.saturating_add(1),
            } as usize;
            bound(&rep.sub)
                .saturating_add(2 * (S + E))
                .saturating_mul(copies)
                .saturating_add(2 * S)
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().fold(2 * S, |sum, h| {
            sum.saturating_add(bound(h)).saturating_add(S + E)
        }),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::compile;
    use crate::rules::narrowing::sequences;
    use regex_syntax::hir::{
        Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
    };

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

    /// Every rule table of the built-in packs, with its pack's path.
    fn builtin_rules() -> Vec<(String, toml::Value)> {
        let mut all = Vec::new();
        for pack in crate::rules::RuleSet::builtin_packs() {
            let table: toml::Table = toml::from_str(&pack.text).expect("pack parses");
            if let Some(toml::Value::Array(rules)) = table.get("rule") {
                all.extend(rules.iter().map(|r| (pack.path.to_string(), r.clone())));
            }
        }
        all
    }

    /// Every `regex` and `unless` pattern of the built-in packs, with
    /// its pack's path.
    pub(in crate::rules) fn builtin_patterns() -> Vec<(String, String)> {
        let mut patterns = Vec::new();
        for (path, rule) in builtin_rules() {
            for key in ["regex", "unless"] {
                if let Some(p) = rule.get(key).and_then(|v| v.as_str()) {
                    patterns.push((path.clone(), p.to_string()));
                }
            }
        }
        patterns
    }

    /// Whether `pattern` compiles, forward and reverse, within its bound.
    fn fits_bound(pattern: &str) -> bool {
        let parsed = super::parse(pattern).expect("parses");
        let hir = super::ascii_boundaries(&parsed).unwrap_or(parsed);
        let limit = super::nfa_bound(&hir);
        regex_automata::meta::Builder::new()
            .configure(
                regex_automata::meta::Config::new()
                    .nfa_size_limit(Some(limit))
                    .auto_prefilter(false),
            )
            .build_from_hir(&hir)
            .is_ok()
    }

    #[test]
    fn the_bound_is_an_upper_bound_for_every_builtin_pattern() {
        let patterns = builtin_patterns();
        for (path, p) in &patterns {
            assert!(fits_bound(p), "{path}: {p}");
        }
        assert!(patterns.len() > 40, "{}", patterns.len());
    }

    #[test]
    fn the_bound_holds_for_large_classes_and_repetitions() {
        for p in [
            r"[^.!?]{0,60}",
            r"(?i)[^.!?]{0,60}\bdelve",
            r"\w+",
            r"(?i)\w{3,9}",
            r"(?:\pL\pN?){2,5}",
            r"(?:(?:a|bc|[\u{80}-\u{10FFFF}]){0,3}){4}",
            r"(?i)(?:alpha|beta|gamma|delta)*\s+(?:é|ß|ǅ)",
            r"(?s).*?",
            r"",
            r"(?-u:[\x00-\x7F])+",
            r"^\b$",
            "abcdefghijklmnopqrstuvwxyz|bcdefghijklmnopqrstuvwxyz|cdefghijklmnopqrstuvwxyz",
            "^(?:In short|Put simply|Simply put|In essence|In other words)[,:]",
            "(?:one|two|three|four|five|six|seven|eight|nine|ten){2,4}",
        ] {
            assert!(fits_bound(p), "{p}");
        }
    }

    #[test]
    fn a_pattern_over_the_size_limit_fails_when_wrapped() {
        let hir = super::parse(r"(?:\w{100}){100}").expect("parses");
        assert!(super::nfa_bound(&hir) > super::NFA_LIMIT);
        assert!(super::LazyRegex::new("big", hir, false).is_err());
    }

    #[test]
    fn an_unchecked_pattern_over_the_size_limit_fails_at_first_use() {
        let lazy = super::LazyRegex::parse_unchecked(r"(?:\w{100}){100}").expect("parses");
        assert!(lazy.get().is_err());
        // (its narrowed form is small enough, and serves common text)
        assert!(lazy.get_for(super::Alphabet::Common).is_ok());
        let small = super::LazyRegex::parse_unchecked(r"(?i)\bdelve\b").expect("parses");
        assert!(small.get().expect("compiles").is_match("We Delve."));
    }

    #[test]
    fn the_alphabet_of_a_text_is_the_narrowest_that_holds_every_character() {
        use super::Alphabet::{Any, Common, Wide};
        assert_eq!(super::Alphabet::of(""), Common);
        assert_eq!(
            super::Alphabet::of("Plain ASCII prose, nothing else."),
            Common
        );
        assert_eq!(
            super::Alphabet::of("It’s “café” — £5, ſ, → ≈ x\u{200B}"),
            Common
        );
        let wide = [
            '日', '🙂', '\u{212A}', 'ǅ', '\u{2100}', '\u{2070}', 'λ', '✅', '\u{FE0F}',
        ];
        let other = [
            '\u{10A0}',
            '\u{0E01}',
            '\u{1D400}',
            '\u{E0001}',
            '\u{2C60}',
            '\u{A000}',
        ];
        for (odd, expected) in wide
            .map(|c| (c, Wide))
            .into_iter()
            .chain(other.map(|c| (c, Any)))
        {
            // at every position relative to the thirty-two-byte steps
            for at in 0..70 {
                let text = format!("{}{odd}{}", "a".repeat(at), "é".repeat(3));
                assert_eq!(super::Alphabet::of(&text), expected, "{text}");
            }
        }
        // a character of neither decides, wherever it is
        assert_eq!(super::Alphabet::of("🙂 then \u{10A0}"), Any);
        assert_eq!(super::Alphabet::of("\u{10A0} then 🙂"), Any);
    }

    /// The texts each built-in pattern is checked on: every example of
    /// every built-in rule, and each with common non-ASCII characters
    /// (curly quotes, dashes, accented and case-folding letters) in it.
    pub(in crate::rules) fn sample_texts() -> Vec<String> {
        let mut examples: Vec<String> = Vec::new();
        for (_, rule) in builtin_rules() {
            for kind in ["flag", "pass"] {
                if let Some(toml::Value::Array(texts)) =
                    rule.get("examples").and_then(|e| e.get(kind))
                {
                    examples.extend(texts.iter().filter_map(|t| t.as_str()).map(str::to_string));
                }
            }
        }
        let mut texts = Vec::new();
        for e in examples {
            texts.push(e.to_string());
            texts.push(e.replace('\'', "’").replace(" - ", " — "));
            texts.push(e.replace("e", "é").replace("s ", "ſ "));
            texts.push(e.replace(' ', "\u{A0}").replace(',', "…"));
            texts.push(format!("“{e}” £ → x"));
            // and with characters of the wide blocks only
            texts.push(format!("✅ {e} 🚀\u{FE0F} λ™ 【x】 Ștefan 日本"));
        }
        texts
    }

    /// Asserts that each built-in pattern's form for `alphabet` finds what
    /// its full form finds in each of `texts` within that alphabet;
    /// returns how many texts had matches.
    fn forms_agree(texts: &[String], alphabet: super::Alphabet) -> usize {
        let within = |text: &str| match super::Alphabet::of(text) {
            super::Alphabet::Common => true,
            super::Alphabet::Wide => alphabet == super::Alphabet::Wide,
            super::Alphabet::Any => false,
        };
        let mut compared = 0;
        for (_, p) in builtin_patterns() {
            let lazy = super::LazyRegex::parse(&p).expect("compiles");
            // narrowed first: a wide text is served by the full form once
            // that is built
            let narrowed = lazy.get_for(alphabet).expect("compiles");
            let full = lazy.get().expect("compiles");
            for text in texts.iter().filter(|t| within(t)) {
                let a: Vec<_> = full.find_iter(text.as_str()).map(|m| m.range()).collect();
                let b: Vec<_> = narrowed
                    .find_iter(text.as_str())
                    .map(|m| m.range())
                    .collect();
                assert_eq!(a, b, "{p} ({alphabet:?}) on {text:?}");
                compared += usize::from(!a.is_empty());
            }
        }
        compared
    }

    #[test]
    fn each_set_of_blocks_and_its_fill_cover_every_character_once() {
        use crate::rules::narrowing::Blocks;
        let in_runs = |runs: &[(char, char)], c: char| {
            runs.iter()
                .filter(|&&(lo, hi)| (lo..=hi).contains(&c))
                .count()
        };
        for blocks in [&super::COMMON, &super::WIDE] {
            let Blocks { within, fill } = blocks;
            for c in (0..=0x10FFFF).filter_map(char::from_u32) {
                assert_eq!(in_runs(within, c) + in_runs(fill, c), 1, "{c:?}");
            }
            // runs in order, and no fill run crosses a change of UTF-8 length
            assert!(within.windows(2).all(|w| w[0].1 < w[1].0));
            for &(lo, hi) in fill.iter() {
                assert_eq!(lo.len_utf8(), hi.len_utf8(), "{lo:?}..{hi:?}");
            }
        }
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert!(
                !super::COMMON.contains(c) || super::WIDE.contains(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn the_narrowed_forms_find_what_the_full_form_finds_on_their_texts() {
        let texts = sample_texts();
        let common = forms_agree(&texts, super::Alphabet::Common);
        assert!(common > 100, "{common}");
        // the wide form is checked on the texts of both alphabets
        let wide = forms_agree(&texts, super::Alphabet::Wide);
        assert!(wide > common + 50, "{wide} {common}");
    }

    #[test]
    fn the_lean_engine_finds_what_the_general_engine_finds() {
        let texts = sample_texts();
        let mut lean = 0;
        let mut compared = 0;
        for (_, p) in builtin_patterns() {
            let parsed = super::parse(&p).expect("parses");
            let general = super::build(&parsed, false).expect("compiles");
            let ours = super::RuleRegex::new(&parsed, false).expect("compiles");
            lean +=
                usize::from(ours.lean.get().is_some_and(Option::is_some) || ours.screen.is_some());
            for text in &texts {
                let a: Vec<_> = general
                    .find_iter(text.as_str())
                    .map(|m| m.range())
                    .collect();
                let b: Vec<_> = ours.find_iter(text.as_str()).map(|m| m.range()).collect();
                assert_eq!(a, b, "{p} on {text:?}");
                assert_eq!(
                    general.is_match(text),
                    ours.is_match(text),
                    "{p} on {text:?}"
                );
                compared += usize::from(!a.is_empty());
            }
        }
        assert!(lean > 40, "{lean}");
        assert!(compared > 100, "{compared}");
    }

    proptest::proptest! {
        /// On any text, anchored or not, with repeated and empty matches.
        #[test]
        fn the_lean_engine_agrees_on_random_text(text in "[aAbBkKsS ,.!?'’—é£ſ\u{212A}\n]{0,40}") {
            for p in [
                r"(?i)\b(?:a|b)[\w' ]{0,5}\bk",
                r"(?i)^[^,]{2,9},",
                r"(?im)^b\w*$",
                r"a|ab|b+",
                r"(?i)s\b",
                r"b*",
                r"\W[[:^alpha:]]\S",
            ] {
                let parsed = super::parse(p).expect("parses");
                let general = super::build(&parsed, false).expect("compiles");
                let ours = super::RuleRegex::new(&parsed, false).expect("compiles");
                let a: Vec<_> = general.find_iter(text.as_str()).map(|m| m.range()).collect();
                let b: Vec<_> = ours.find_iter(text.as_str()).map(|m| m.range()).collect();
                proptest::prop_assert_eq!(a, b, "{} on {:?}", p, text);
                proptest::prop_assert_eq!(general.is_match(&text), ours.is_match(&text));
            }
        }
    }

    /// Patterns with long counts, each searched through its screen.
    const SCREENED: [&str; 8] = [
        r"a[^.]{1,20}?b",
        r"(?i)\bx[^.,]{0,24}y",
        r"a[^.]{2,20}b|x[^,]{1,22}?, ?[ab]",
        r"a(?:b[^.]{1,20}){1,3}y",
        r"^[^,]{1,21},",
        r"b[a-z ]{0,30}\.|\ba +b",
        // long counts inside long counts, greedy and lazy
        r"(?:[^.]{1,25}?x){1,22}",
        r"(?:a?[^.y]{1,20}){2,25}y",
    ];

    proptest::proptest! {
        /// Matches short enough for the screen to answer and longer ones.
        #[test]
        fn a_screened_pattern_finds_what_the_general_engine_finds(text in "[aAbxy ,.]{0,90}") {
            for p in SCREENED {
                let parsed = super::parse(p).expect("parses");
                let general = super::build(&parsed, false).expect("compiles");
                let ours = super::RuleRegex::new(&parsed, false).expect("compiles");
                proptest::prop_assert!(ours.screen.is_some(), "{}", p);
                let a: Vec<_> = general.find_iter(text.as_str()).map(|m| m.range()).collect();
                let b: Vec<_> = ours.find_iter(text.as_str()).map(|m| m.range()).collect();
                proptest::prop_assert_eq!(a, b, "{} on {:?}", p, text);
                proptest::prop_assert_eq!(general.is_match(&text), ours.is_match(&text));
            }
        }
    }

    #[test]
    fn a_screened_pattern_is_compiled_only_for_a_match_too_long_for_its_screen() {
        let parsed = super::parse(r"not (?:just|only merely)[^.!?]{1,100}?, but").expect("parses");
        let ours = super::RuleRegex::new(&parsed, false).expect("compiles");
        let found = |text: &str| ours.find_iter(text).map(|m| m.range()).collect::<Vec<_>>();
        assert!(found("It was not just fast. It was fun.").is_empty());
        assert_eq!(found("It was not just fast, but fun."), vec![7..25]);
        assert!(ours.lean.get().is_none());
        // 96 characters counted, in a match longer than the screen's
        // safe length (113 bytes, for the shorter opening)
        let long = format!("It was not only merely {}, but fun.", "very ".repeat(19));
        assert_eq!(found(&long), vec![7..long.len() - 5]);
        assert!(ours.lean.get().is_some());
        // over its bound: the screen matches, the pattern does not
        let too_long = format!("It was not only merely {}, but fun.", "very ".repeat(21));
        assert!(found(&too_long).is_empty());
        assert!(ours.is_match(&long) && !ours.is_match(&too_long));
    }

    /// `hir` rebuilt whole with the parser's constructors, each leaf
    /// replaced by `leaf`: the rewrite as first written, every node built
    /// again whether or not anything under it changed.
    fn rebuilt_whole(hir: &Hir, leaf: &impl Fn(&Hir) -> Hir) -> Hir {
        match hir.kind() {
            HirKind::Repetition(rep) => Hir::repetition(Repetition {
                sub: Box::new(rebuilt_whole(&rep.sub, leaf)),
                ..rep.clone()
            }),
            HirKind::Capture(cap) => Hir::capture(Capture {
                sub: Box::new(rebuilt_whole(&cap.sub, leaf)),
                ..cap.clone()
            }),
            HirKind::Concat(subs) => {
                Hir::concat(subs.iter().map(|h| rebuilt_whole(h, leaf)).collect())
            }
            HirKind::Alternation(subs) => {
                Hir::alternation(subs.iter().map(|h| rebuilt_whole(h, leaf)).collect())
            }
            _ => leaf(hir),
        }
    }

    #[test]
    fn rewriting_only_what_changes_gives_the_tree_a_whole_rebuild_gives() {
        let common = ClassUnicode::new(
            super::COMMON
                .within
                .iter()
                .map(|&(lo, hi)| ClassUnicodeRange::new(lo, hi)),
        );
        let narrow_leaf = |h: &Hir| match h.kind() {
            HirKind::Class(Class::Unicode(class)) => {
                let mut narrowed = class.clone();
                narrowed.intersect(&common);
                if narrowed == *class {
                    return h.clone(); // within the common blocks: left as it is
                }
                Hir::class(Class::Unicode(super::filled(narrowed, &super::COMMON)))
            }
            _ => h.clone(),
        };
        let ascii_leaf = |h: &Hir| match h.kind() {
            HirKind::Look(Look::WordUnicode) => Hir::look(Look::WordAscii),
            HirKind::Look(Look::WordUnicodeNegate) => Hir::look(Look::WordAsciiNegate),
            HirKind::Look(Look::WordStartUnicode) => Hir::look(Look::WordStartAscii),
            HirKind::Look(Look::WordEndUnicode) => Hir::look(Look::WordEndAscii),
            HirKind::Look(Look::WordStartHalfUnicode) => Hir::look(Look::WordStartHalfAscii),
            HirKind::Look(Look::WordEndHalfUnicode) => Hir::look(Look::WordEndHalfAscii),
            _ => h.clone(),
        };
        let mut patterns: Vec<String> = builtin_patterns().into_iter().map(|(_, p)| p).collect();
        patterns.extend(
            [
                r"(?i)\bk\b|[\w' ]{0,30}\bx",
                r"(?-u:\b)a|\Bb|(?m)^\w+$",
                r"plain words, nothing to change",
            ]
            .map(String::from),
        );
        let mut narrowed = 0;
        for p in &patterns {
            let hir = super::parse(p).expect("parses");
            let whole = rebuilt_whole(&hir, &narrow_leaf);
            let fast = super::narrow(&hir, &super::COMMON);
            assert_eq!(fast.is_some(), whole != hir, "{p}");
            narrowed += usize::from(fast.is_some());
            let fast = fast.unwrap_or_else(|| hir.clone());
            assert_eq!(fast, whole, "{p}");
            for h in [&hir, &fast] {
                let whole = rebuilt_whole(h, &ascii_leaf);
                let ascii = super::ascii_boundaries(h).unwrap_or_else(|| h.clone());
                assert_eq!(ascii, whole, "{p}");
            }
        }
        assert!(narrowed > 20, "{narrowed}");
    }

    #[test]
    fn narrowing_with_ascii_boundaries_in_one_rewrite_gives_both_in_turn() {
        let mut patterns: Vec<String> = builtin_patterns().into_iter().map(|(_, p)| p).collect();
        patterns.extend(
            [
                r"(?i)\bk\b|[\w' ]{0,30}\bx",
                r"\bplain\b",
                r"[^.!?]+",
                r"\w+\B",
            ]
            .map(String::from),
        );
        for p in &patterns {
            let hir = super::parse(p).expect("parses");
            let in_turn = super::narrow(&hir, &super::COMMON)
                .map(|n| super::ascii_boundaries(&n).unwrap_or(n));
            assert_eq!(
                super::narrow_with_ascii_boundaries(&hir, &super::COMMON),
                in_turn,
                "{p}"
            );
        }
    }

    #[test]
    fn only_patterns_with_wider_classes_are_narrowed() {
        let narrowed =
            |p: &str| super::narrow(&super::parse(p).expect("parses"), &super::COMMON).is_some();
        assert!(narrowed(r"[\w' ]{0,30}"));
        assert!(narrowed(r"(?i)risk"));
        assert!(!narrowed(r"(?i)delve"));
        assert!(narrowed(r"[^.!?]+"));
        assert!(!narrowed(r"delve|[a-z]+\b"));
        assert!(!narrowed(r"[—–] [’é]"));
    }

    /// The first of `patterns` whose form for `alphabet` finds other
    /// matches in `text` than its full form, with both finds.
    fn disagreement(patterns: &[&str], alphabet: super::Alphabet, text: &str) -> Option<String> {
        patterns.iter().find_map(|p| {
            let lazy = super::LazyRegex::parse(p).expect("compiles");
            let narrowed = lazy.get_for(alphabet).expect("compiles");
            let full = lazy.get().expect("compiles");
            let a: Vec<_> = full.find_iter(text).map(|m| m.range()).collect();
            let b: Vec<_> = narrowed.find_iter(text).map(|m| m.range()).collect();
            (a != b).then(|| format!("{p} ({alphabet:?}) on {text:?}: {a:?} against {b:?}"))
        })
    }

    proptest::proptest! {
        /// On any text of the wide blocks' characters the wide form and
        /// the full one agree.
        #[test]
        fn the_wide_form_agrees_on_random_wide_text(text in "[aAkKsS ,.!?'’—é£ſ\u{A0}ǅȘλΛжЖ™\u{212A}\u{2126}①✅★🚀🇺\u{FE0F}日ア한ＡＫ\u{3000}\u{2E3B}\u{1E9E}]{0,40}") {
            let patterns = [
                r"(?i)\b(?:a|k)[\w' ]{0,5}\bs",
                r"(?i)[^.!?]{1,8}?s\b",
                r"(?:\w+ ){0,2}k",
                r"\w+",
                r"(?i)^[^,]{2,9},",
                r"\W[[:^alpha:]]\S\s",
                r"(?i)\pL{2}",
            ];
            proptest::prop_assert_eq!(disagreement(&patterns, super::Alphabet::Wide, &text), None);
        }

        /// On any text of common characters the two forms agree.
        #[test]
        fn the_forms_agree_on_random_common_text(text in "[aAbBkKsS ,.!?'’—é£ſ\u{A0}\u{2192}\u{80}\u{2000}\u{206F}\u{20A0}\u{20CF}\u{2190}\u{22FF}]{0,40}") {
            let patterns = [
                r"(?i)\b(?:a|b)[\w' ]{0,5}\bk",
                r"(?i)[^.!?]{1,8}?s\b",
                r"(?i)\bs[^.!?,;]{1,9}?\bk",
                r"(?:\w+ ){0,2}k",
                r"[^a]{2,3}",
                r"\w+",
                r"(?i)^[^,]{2,9},",
                r"\W[[:^alpha:]]\S",
            ];
            proptest::prop_assert_eq!(disagreement(&patterns, super::Alphabet::Common, &text), None);
        }
    }

    /// Every Unicode class in `hir`.
    fn classes(hir: &Hir, out: &mut Vec<ClassUnicode>) {
        match hir.kind() {
            HirKind::Class(Class::Unicode(c)) => out.push(c.clone()),
            HirKind::Repetition(rep) => classes(&rep.sub, out),
            HirKind::Capture(cap) => classes(&cap.sub, out),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().for_each(|h| classes(h, out))
            }
            _ => {}
        }
    }

    #[test]
    fn a_narrowed_class_holds_exactly_the_common_characters_it_held() {
        let mut patterns: Vec<String> = builtin_patterns().into_iter().map(|(_, p)| p).collect();
        patterns.extend(
            [
                r"[^.!?]",
                r"[^,;]",
                r"\w",
                r"\W",
                r"\s",
                r"\S",
                r"(?i)[a-zſ]",
                r"[\x{17F}-\x{2001}]",
                r"[\x{100}-\x{22FF}]",
                r"[^\x{2070}]",
                r"[\x{22FF}\x{3000}]",
                r".",
                r"\pL",
                r"[^\pL\x{20AC}]",
            ]
            .map(String::from),
        );
        let (mut shorter, mut fewer) = (0, 0);
        for p in &patterns {
            let mut found = Vec::new();
            classes(&super::parse(p).expect("parses"), &mut found);
            for class in found {
                let Some(narrowed) =
                    super::narrow(&Hir::class(Class::Unicode(class.clone())), &super::COMMON)
                else {
                    continue;
                };
                let HirKind::Class(Class::Unicode(narrowed)) = narrowed.kind() else {
                    // one character: a literal, and the only one it held
                    continue;
                };
                for &(lo, hi) in super::COMMON.within {
                    for c in lo..=hi {
                        let has = |k: &ClassUnicode| {
                            k.ranges().iter().any(|r| r.start() <= c && c <= r.end())
                        };
                        assert_eq!(has(&class), has(narrowed), "{p}: {c:?}");
                    }
                }
                let mut plain = class.clone();
                plain.intersect(&ClassUnicode::new(
                    super::COMMON
                        .within
                        .iter()
                        .map(|&(lo, hi)| ClassUnicodeRange::new(lo, hi)),
                ));
                assert!(sequences(narrowed) <= sequences(&plain), "{p}");
                shorter += usize::from(sequences(narrowed) < sequences(&plain));
                fewer += 1;
            }
        }
        assert!(shorter > 10 && fewer > shorter, "{shorter} of {fewer}");
        let hir = super::parse(r"[^.!?]").expect("parses");
        let narrowed = super::narrow(&hir, &super::COMMON).expect("narrows");
        let HirKind::Class(Class::Unicode(dots)) = narrowed.kind() else {
            panic!("a class");
        };
        // four ASCII ranges, C2-C5 80-BF and E2 80-8B 80-BF
        assert_eq!(sequences(dots), 6);
    }

    #[test]
    fn the_narrowed_forms_find_what_the_full_form_finds_in_the_corpus() {
        let mut texts = Vec::new();
        for dir in ["ai", "human", "false-alarms", "fixtures", "digests"] {
            let Ok(entries) = std::fs::read_dir(format!("corpus/{dir}")) else {
                continue;
            };
            for entry in entries.flatten() {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    texts.push(text);
                }
            }
        }
        let common = texts
            .iter()
            .filter(|t| super::Alphabet::of(t) == super::Alphabet::Common)
            .count();
        let wide = texts
            .iter()
            .filter(|t| super::Alphabet::of(t) == super::Alphabet::Wide)
            .count();
        assert!(common > 50 && wide >= 2, "{common} {wide}");
        let compared = forms_agree(&texts, super::Alphabet::Common);
        assert!(compared > 50, "{compared}");
        let compared = forms_agree(&texts, super::Alphabet::Wide);
        assert!(compared > 50, "{compared}");
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert!(compile("(unclosed").is_err());
    }
}
