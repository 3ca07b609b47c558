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

/// The characters nearly all prose is written in: ASCII, Latin-1 and
/// Latin Extended-A (accented letters, `£`, `©`, no-break space), General
/// Punctuation (curly quotes, dashes, ellipsis, zero-width characters),
/// currency signs, arrows and mathematical operators.
pub(super) const COMMON: [(char, char); 4] = [
    ('\0', '\u{17F}'),
    ('\u{2000}', '\u{206F}'),
    ('\u{20A0}', '\u{20CF}'),
    ('\u{2190}', '\u{22FF}'),
];

/// Runs of characters outside [`COMMON`], between and after its blocks,
/// that a narrowed class may take in as well: a text within [`COMMON`]
/// holds none of them, so adding one changes no match on such a text,
/// and one that joins the class's ranges shortens its UTF-8 automaton,
/// which a bounded repetition compiles once per allowed repeat
/// (`[^.!?]` narrowed is eleven byte sequences; with the gaps between the
/// blocks it uses filled, six).
const FILL: [(char, char); 7] = [
    ('\u{180}', '\u{7FF}'),
    ('\u{800}', '\u{1FFF}'),
    ('\u{2070}', '\u{209F}'),
    ('\u{20D0}', '\u{218F}'),
    ('\u{2300}', '\u{2FFF}'),
    ('\u{3000}', '\u{FFFF}'),
    ('\u{10000}', '\u{10FFFF}'),
];

/// `hir` with every Unicode class narrowed to the characters of
/// [`COMMON`] (and then widened by the runs of [`FILL`] that shorten it);
/// `None` when no class changes.
#[cfg(test)]
pub(super) fn narrow(hir: &Hir) -> Option<Hir> {
    let common = common_class();
    rebuild(hir, &mut |h| narrowed_class(h, &common))
}

/// The characters of [`COMMON`] as a class.
fn common_class() -> ClassUnicode {
    ClassUnicode::new(
        COMMON
            .iter()
            .map(|&(lo, hi)| ClassUnicodeRange::new(lo, hi)),
    )
}

/// Leaf `h` narrowed to `common` when it is a class wider than it.
fn narrowed_class(h: &Hir, common: &ClassUnicode) -> Option<Hir> {
    match h.kind() {
        HirKind::Class(Class::Unicode(class)) if !within_common(class) => {
            let mut narrowed = class.clone();
            narrowed.intersect(common);
            Some(Hir::class(Class::Unicode(filled(narrowed))))
        }
        _ => None,
    }
}

/// `class` (within [`COMMON`]) with each run of [`FILL`] added, in turn,
/// that lowers the number of its UTF-8 byte sequences (the states the
/// NFA compiler builds for it). Only a run next to a character of the
/// class can join its ranges, so only those are tried; an ASCII class
/// compiles to one state and is left as it is.
pub(super) fn filled(mut class: ClassUnicode) -> ClassUnicode {
    if class.is_ascii() {
        return class;
    }
    let mut cost = sequences(&class);
    for &(lo, hi) in &FILL {
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

/// [`narrow`] and then [`ascii_boundaries`] in one rewrite of the tree
/// (each rebuilds every node above a leaf it changes); `None` when no
/// class changes.
pub(super) fn narrow_with_ascii_boundaries(hir: &Hir) -> Option<Hir> {
    let common = common_class();
    let mut narrowed = false;
    let out = rebuild(hir, &mut |h| {
        let class = narrowed_class(h, &common);
        narrowed |= class.is_some();
        class.or_else(|| ascii_leaf(h))
    })?;
    narrowed.then_some(out)
}

/// Whether every character of `class` is in [`COMMON`]: narrowing leaves
/// it as it is. Asked without building the intersection.
fn within_common(class: &ClassUnicode) -> bool {
    class.ranges().iter().all(|r| {
        COMMON
            .iter()
            .any(|&(lo, hi)| lo <= r.start() && r.end() <= hi)
    })
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
    let changed: Vec<Option<Hir>> = subs.iter().map(|h| rebuild(h, leaf)).collect();
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
