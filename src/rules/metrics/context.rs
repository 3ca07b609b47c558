//! What several metrics read about one document, worked out once: the
//! word ids of running text for lexical diversity, and the words in the
//! classes the rate metrics count (participles, nominalizations, copulas)
//! found in one pass over the words instead of one pass per metric.

use std::cell::OnceCell;

use super::{
    QuotedCursor, copula_deficit, nominalization_rate, participle_clause_rate, running_blocks,
};
use crate::text::Document;

/// A document and what the metrics share about it: [`super::run`] builds
/// one per document, and each part is computed on first use, so a part no
/// enabled metric asks for costs nothing.
pub struct Context<'d> {
    doc: &'d Document,
    running_ids: OnceCell<Vec<u32>>,
    occurrences: OnceCell<Occurrences>,
    classes: OnceCell<Classes>,
}

impl<'d> Context<'d> {
    /// The context of `doc`, nothing computed yet.
    pub fn new(doc: &'d Document) -> Self {
        Context {
            doc,
            running_ids: OnceCell::new(),
            occurrences: OnceCell::new(),
            classes: OnceCell::new(),
        }
    }

    /// The document.
    pub fn doc(&self) -> &'d Document {
        self.doc
    }

    /// The interned ids of the words of running paragraphs outside
    /// quotations, in order (see [`running_word_ids`]).
    pub(super) fn running_ids(&self) -> &[u32] {
        self.running_ids.get_or_init(|| running_word_ids(self.doc))
    }

    /// Where each word id occurs.
    pub(super) fn occurrences(&self) -> &Occurrences {
        self.occurrences
            .get_or_init(|| Occurrences::build(self.doc))
    }

    /// The words of the document in the classes the rate metrics count.
    pub(super) fn classes(&self) -> &Classes {
        self.classes
            .get_or_init(|| Classes::build(self.doc, self.occurrences()))
    }
}

/// The interned ids of the words of running paragraphs, outside
/// quotations. Headings, list items and table cells are left out: a list
/// of link titles is a list of distinct names, not a writer's vocabulary.
fn running_word_ids(doc: &Document) -> Vec<u32> {
    let ids = doc.word_ids();
    let words = doc.words();
    let sentences = doc.sentences();
    let mut quoted = QuotedCursor::new(doc);
    let mut out = Vec::with_capacity(ids.len());
    for (_, b) in running_blocks(doc, false) {
        for s in &sentences[b.sentences.clone()] {
            let range = s.words.clone();
            let (Some(first), Some(last)) = (
                words.get(range.start),
                range.end.checked_sub(1).and_then(|i| words.get(i)),
            ) else {
                continue;
            };
            // most sentences hold no quotation: their ids are copied whole
            if quoted.none_between(first.start, last.start)
                && let Some(all) = ids.get(range.clone())
            {
                out.extend_from_slice(all);
                continue;
            }
            for i in range {
                if !quoted.is_quoted(words[i])
                    && let Some(&id) = ids.get(i)
                {
                    out.push(id);
                }
            }
        }
    }
    out
}

/// A word a rate metric counts: a candidate participle (its lowercase form
/// ends in "ing").
pub(super) const PARTICIPLE: u8 = 1;
/// A nominalization ([`nominalization_rate::is_nominalization`]).
pub(super) const NOMINALIZATION: u8 = 2;
/// A present-tense copula ([`copula_deficit::PRESENT`]).
pub(super) const PRESENT_COPULA: u8 = 4;
/// A past-tense copula ([`copula_deficit::PAST`]).
pub(super) const PAST_COPULA: u8 = 8;

/// The words of a document in any of the classes above: each distinct
/// word is classified once, then one pass over the word ids finds the
/// few words in a class.
pub(super) struct Classes {
    /// The classes of each word id (bits), indexed by id.
    of_id: Vec<u8>,
    /// Indices (into [`Document::words`]) of the words in any class, in
    /// order.
    words: Vec<u32>,
}

impl Classes {
    fn build(doc: &Document, occurrences: &Occurrences) -> Classes {
        let vocabulary = doc.vocabulary();
        let mut of_id: Vec<u8> = vocabulary
            .iter()
            .map(|(_, lower)| {
                let mut c = 0;
                if participle_clause_rate::may_be_participle(lower) {
                    c |= PARTICIPLE;
                }
                if nominalization_rate::is_nominalization(lower) {
                    c |= NOMINALIZATION;
                }
                c
            })
            .collect();
        for (list, class) in [
            (copula_deficit::PAST, PAST_COPULA),
            (copula_deficit::PRESENT, PRESENT_COPULA),
        ] {
            for word in list {
                if let Some(id) = vocabulary.id(word) {
                    of_id[id as usize] |= class;
                }
            }
        }
        // the words of each id in a class, marked in a bit set that is
        // then read in order: about one word in ten is in a class, and the
        // ids in a class are few
        let n = doc.word_ids().len();
        let mut marked = vec![0u64; n.div_ceil(64)];
        for (id, &class) in of_id.iter().enumerate() {
            if class != 0 {
                for i in occurrences.of(id as u32) {
                    marked[i / 64] |= 1 << (i % 64);
                }
            }
        }
        let total: u32 = marked.iter().map(|b| b.count_ones()).sum();
        let mut words = Vec::with_capacity(total as usize);
        for (k, &bits) in marked.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                words.push((k * 64) as u32 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
        Classes { of_id, words }
    }

    /// The classes of word id `id`.
    pub(super) fn of(&self, id: u32) -> u8 {
        self.of_id.get(id as usize).copied().unwrap_or(0)
    }

    /// Indices of the words in `class`, in order.
    pub(super) fn words<'a>(
        &'a self,
        doc: &'a Document,
        class: u8,
    ) -> impl Iterator<Item = usize> + 'a {
        let ids = doc.word_ids();
        self.words
            .iter()
            .map(|&i| i as usize)
            .filter(move |&i| self.of(ids[i]) & class != 0)
    }
}

/// Where each word id occurs: its last word and, per word, the previous
/// word with the same id. Built in one pass over the word ids, it lists
/// the words of any id without another pass.
pub(super) struct Occurrences {
    /// Per id (the table a power of two long, indexed by `id & mask`): its
    /// last word, or [`Occurrences::NONE`].
    last: Vec<u32>,
    /// Per word: the previous word with its id, or [`Occurrences::NONE`].
    previous: Vec<u32>,
    mask: usize,
}

impl Occurrences {
    const NONE: u32 = u32::MAX;

    fn build(doc: &Document) -> Occurrences {
        let ids = doc.word_ids();
        // `id & mask` is the id itself (ids are below the vocabulary's
        // length), and needs no bounds check
        let mask = doc.vocabulary().len().max(1).next_power_of_two() - 1;
        let mut last = vec![Self::NONE; mask + 1];
        let table = &mut last[..=mask];
        let previous = ids
            .iter()
            .enumerate()
            .map(|(i, &id)| std::mem::replace(&mut table[id as usize & mask], i as u32))
            .collect();
        Occurrences {
            last,
            previous,
            mask,
        }
    }

    /// Indices (into [`Document::words`]) of the words with id `id`, last
    /// first.
    pub(super) fn of(&self, id: u32) -> impl Iterator<Item = usize> + '_ {
        let mut at = self.last[id as usize & self.mask];
        std::iter::from_fn(move || {
            (at != Self::NONE).then(|| {
                let i = at as usize;
                at = self.previous[i];
                i
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_list_every_word_of_an_id() {
        for doc in super::super::sample_documents().iter().take(30) {
            let occurrences = Occurrences::build(doc);
            let mut seen = 0;
            for id in 0..doc.vocabulary().len() as u32 {
                let mut found: Vec<usize> = occurrences.of(id).collect();
                found.reverse();
                let expected: Vec<usize> = (0..doc.word_ids().len())
                    .filter(|&i| doc.word_ids()[i] == id)
                    .collect();
                assert_eq!(found, expected);
                seen += found.len();
            }
            assert_eq!(seen, doc.word_ids().len());
        }
    }
}
