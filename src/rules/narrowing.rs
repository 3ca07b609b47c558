//! The rewrites of a regex's syntax tree before it is compiled: Unicode
//! word boundaries made ASCII, and Unicode classes narrowed to the blocks
//! nearly all prose is written in (see `src/rules/regex.rs` for why):
//! a narrowed class keeps exactly the characters of those blocks it held,
//! and may take in characters outside them where that makes it cheaper to
//! compile, since a text it serves holds none of those. Also
//! compiled into `build.rs`, which writes the narrowed trees of the
//! built-in regexes out as data, so the two cannot differ.

use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

/// A set of blocks a narrowed form of a regex serves, and the runs of
/// characters outside it that a narrowed class may take in as well: a
/// text within the blocks holds none of them, so adding one changes no
/// match on such a text, and one that joins the class's ranges shortens
/// its UTF-8 automaton, which a bounded repetition compiles once per
/// allowed repeat (`[^.!?]` narrowed to [`COMMON`] is eleven byte
/// sequences; with the gaps between the blocks it uses filled, six).
pub(super) struct Blocks {
    /// The blocks, in order.
    pub(super) within: &'static [(char, char)],
    /// Runs outside them, split where UTF-8 sequences change length.
    pub(super) fill: &'static [(char, char)],
}

/// The characters nearly all prose is written in: ASCII, Latin-1 and
/// Latin Extended-A (accented letters, `£`, `©`, no-break space), General
/// Punctuation (curly quotes, dashes, ellipsis, zero-width characters),
/// currency signs, arrows and mathematical operators.
pub(super) const COMMON: Blocks = Blocks {
    within: &[
        ('\0', '\u{17F}'),
        ('\u{2000}', '\u{206F}'),
        ('\u{20A0}', '\u{20CF}'),
        ('\u{2190}', '\u{22FF}'),
    ],
    fill: &[
        ('\u{180}', '\u{7FF}'),
        ('\u{800}', '\u{1FFF}'),
        ('\u{2070}', '\u{209F}'),
        ('\u{20D0}', '\u{218F}'),
        ('\u{2300}', '\u{2FFF}'),
        ('\u{3000}', '\u{FFFF}'),
        ('\u{10000}', '\u{10FFFF}'),
    ],
};

/// [`COMMON`] and the other characters English prose and digests mix in:
/// the rest of Latin (names such as Ștefan, decomposed accents), Greek
/// and Cyrillic (λ, μ), symbols and emoji used as bullets and markers
/// (™, ✓, ★, ■, ➡, 🚀, flags, the emoji variation selector), the
/// supplemental and CJK punctuation (⸻, 【】) and fullwidth forms. A
/// text with any of these (45 of the 240 human Markdown documents in
/// `../shared/data/human-md`) is not within [`COMMON`], and the full Unicode form
/// of a regex costs several times this one to compile: the built-in
/// packs' regexes bound 67 MB of automaton in full, 13.8 MB narrowed to
/// these blocks and 7.5 MB narrowed to [`COMMON`].
pub(super) const WIDE: Blocks = Blocks {
    within: &[
        ('\0', '\u{4FF}'),
        ('\u{1E00}', '\u{1EFF}'),
        ('\u{2000}', '\u{2BFF}'),
        ('\u{2E00}', '\u{2E7F}'),
        ('\u{3000}', '\u{30FF}'),
        ('\u{4E00}', '\u{9FFF}'),
        ('\u{AC00}', '\u{D7AF}'),
        ('\u{FE00}', '\u{FE0F}'),
        ('\u{FF00}', '\u{FFEF}'),
        ('\u{1F000}', '\u{1FAFF}'),
    ],
    fill: &[
        ('\u{500}', '\u{7FF}'),
        ('\u{800}', '\u{1DFF}'),
        ('\u{1F00}', '\u{1FFF}'),
        ('\u{2C00}', '\u{2DFF}'),
        ('\u{2E80}', '\u{2FFF}'),
        ('\u{3100}', '\u{4DFF}'),
        ('\u{A000}', '\u{ABFF}'),
        ('\u{D7B0}', '\u{FDFF}'),
        ('\u{FE10}', '\u{FEFF}'),
        ('\u{FFF0}', '\u{FFFF}'),
        ('\u{10000}', '\u{1EFFF}'),
        ('\u{1FB00}', '\u{10FFFF}'),
    ],
};

impl Blocks {
    /// Whether `c` is in the blocks.
    pub(super) fn contains(&self, c: char) -> bool {
        self.within.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
    }

    /// The blocks as a class.
    fn class(&self) -> ClassUnicode {
        ClassUnicode::new(
            self.within
                .iter()
                .map(|&(lo, hi)| ClassUnicodeRange::new(lo, hi)),
        )
    }

    /// Whether every character of `class` is in the blocks: narrowing
    /// leaves it as it is. Asked without building the intersection.
    fn hold_all(&self, class: &ClassUnicode) -> bool {
        class.ranges().iter().all(|r| {
            self.within
                .iter()
                .any(|&(lo, hi)| lo <= r.start() && r.end() <= hi)
        })
    }
}

/// `hir` with every Unicode class narrowed to the characters of
/// `blocks` (and then widened by the runs of its fill that shorten it);
/// `None` when no class changes.
#[cfg(test)]
pub(super) fn narrow(hir: &Hir, blocks: &Blocks) -> Option<Hir> {
    let within = blocks.class();
    rebuild(hir, &mut |h| narrowed_class(h, blocks, &within))
}

/// Leaf `h` narrowed to `blocks` (whose class is `within`) when it is a
/// class wider than them.
fn narrowed_class(h: &Hir, blocks: &Blocks, within: &ClassUnicode) -> Option<Hir> {
    match h.kind() {
        HirKind::Class(Class::Unicode(class)) if !blocks.hold_all(class) => {
            let mut narrowed = class.clone();
            narrowed.intersect(within);
            Some(Hir::class(Class::Unicode(filled(narrowed, blocks))))
        }
        _ => None,
    }
}

/// `class` (within `blocks`) with each run of their fill added, in turn,
/// that lowers the number of its UTF-8 byte sequences (the states the
/// NFA compiler builds for it). Only a run next to a character of the
/// class can join its ranges, so only those are tried; an ASCII class
/// compiles to one state and is left as it is.
pub(super) fn filled(mut class: ClassUnicode, blocks: &Blocks) -> ClassUnicode {
    if class.is_ascii() {
        return class;
    }
    let mut cost = sequences(&class);
    for &(lo, hi) in blocks.fill {
        let touches = |c: u32| char::from_u32(c).is_some_and(|c| contains(&class, c));
        if !touches(u32::from(lo) - 1) && !touches(u32::from(hi) + 1) {
            continue;
        }
        let mut wider = class.clone();
        wider.union(&ClassUnicode::new([ClassUnicodeRange::new(lo, hi)]));
        let wider_cost = sequences(&wider);
        if wider_cost < cost {
            (class, cost) = (wider, wider_cost);
        }
    }
    class
}

/// Whether `class` holds `c`.
fn contains(class: &ClassUnicode, c: char) -> bool {
    class
        .ranges()
        .iter()
        .any(|r| r.start() <= c && c <= r.end())
}

/// The number of UTF-8 byte sequences `class` compiles to.
pub(crate) fn sequences(class: &ClassUnicode) -> usize {
    class
        .ranges()
        .iter()
        .map(|r| regex_syntax::utf8::Utf8Sequences::new(r.start(), r.end()).count())
        .sum()
}

/// `narrow` and then [`ascii_boundaries`] in one rewrite of the tree
/// (each rebuilds every node above a leaf it changes); `None` when no
/// class changes.
pub(super) fn narrow_with_ascii_boundaries(hir: &Hir, blocks: &Blocks) -> Option<Hir> {
    let within = blocks.class();
    let mut narrowed = false;
    let out = rebuild(hir, &mut |h| {
        let class = narrowed_class(h, blocks, &within);
        narrowed |= class.is_some();
        class.or_else(|| ascii_leaf(h))
    })?;
    narrowed.then_some(out)
}

/// `hir` with each leaf for which `leaf` gives a replacement replaced;
/// `None` when no leaf is. Only the nodes above a replaced leaf are built
/// again (with the parser's constructors); every other subtree is shared
/// by reference until then and cloned as it is: compiling a pattern on
/// first use rebuilt its whole syntax tree twice, a quarter of the cost.
fn rebuild(hir: &Hir, leaf: &mut impl FnMut(&Hir) -> Option<Hir>) -> Option<Hir> {
    match hir.kind() {
        HirKind::Repetition(rep) => Some(Hir::repetition(Repetition {
            sub: Box::new(rebuild(&rep.sub, leaf)?),
            ..rep.clone()
        })),
        HirKind::Capture(cap) => Some(Hir::capture(Capture {
            sub: Box::new(rebuild(&cap.sub, leaf)?),
            ..cap.clone()
        })),
        HirKind::Concat(subs) => rebuild_all(subs, leaf).map(Hir::concat),
        HirKind::Alternation(subs) => rebuild_all(subs, leaf).map(Hir::alternation),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => leaf(hir),
    }
}

/// `subs` with [`rebuild`] applied to each; `None` when none changes.
fn rebuild_all(subs: &[Hir], leaf: &mut impl FnMut(&Hir) -> Option<Hir>) -> Option<Vec<Hir>> {
    merged(subs.iter().map(|h| rebuild(h, leaf)).collect(), subs)
}

/// `subs` with each rewritten one (`Some` in `changed`, in the same
/// order) in its place; `None` when none was rewritten. Shared with the
/// rewrite of `relaxing`.
pub(super) fn merged(changed: Vec<Option<Hir>>, subs: &[Hir]) -> Option<Vec<Hir>> {
    if changed.iter().all(Option::is_none) {
        return None;
    }
    Some(
        changed
            .into_iter()
            .zip(subs)
            .map(|(new, old)| new.unwrap_or_else(|| old.clone()))
            .collect(),
    )
}

/// `hir` with every Unicode word-boundary assertion made ASCII; `None`
/// when it has none.
pub(super) fn ascii_boundaries(hir: &Hir) -> Option<Hir> {
    if !hir.properties().look_set().contains_word_unicode() {
        return None;
    }
    rebuild(hir, &mut ascii_leaf)
}

/// Leaf `h` made an ASCII word boundary when it is a Unicode one.
fn ascii_leaf(h: &Hir) -> Option<Hir> {
    let HirKind::Look(look) = h.kind() else {
        return None;
    };
    let ascii = match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        _ => return None,
    };
    Some(Hir::look(ascii))
}
