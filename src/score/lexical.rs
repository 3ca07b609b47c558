//! The lexical layer of a score, word by word: for each use of a lexicon
//! word, the points that word added to the score, shared equally among its
//! uses. The HTML report tints words with it, so an editor sees which
//! vocabulary moved the number.
//!
//! The per-word points come from the explained [`Scored`] itself (its
//! [`Layer::Word`] contributions), so they add up to exactly what the
//! breakdown says; this file only finds where in the text each counted use
//! is. The words walked are the ones [`super::features::observe`] counts:
//! running text only, as [`Terms`] of the document's vocabulary.

use std::collections::HashMap;

use super::features::Terms;
use super::{Layer, Scored, UNUSED_WORDS, structure};
use crate::text::{Document, Span};

/// One use of a lexicon word and its share of the word's contribution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WordPull {
    /// Where the word is in the prose.
    pub span: Span,
    /// Points of score this use added (negative: toward human).
    pub points: f64,
}

/// Every use of a lexicon word in the running text of `doc`, with its share
/// of the points `scored` gives that word, in document order. `scored` must
/// be the explained score of the whole document (see
/// [`super::Scorer::explain`]); words it has no contribution for are left
/// out.
pub fn word_pulls(doc: &Document, scored: &Scored) -> Vec<WordPull> {
    let per_use: HashMap<&str, f64> = scored
        .contributions
        .iter()
        .filter(|c| c.layer == Layer::Word && c.name != UNUSED_WORDS && c.value > 0.0)
        .map(|c| (c.name.as_str(), c.points / c.value))
        .collect();
    let mut pulls = Vec::new();
    if per_use.is_empty() {
        return pulls;
    }
    let points = Terms::of(doc).map(|t| per_use.get(t).copied());
    let ids = doc.word_ids();
    for block in doc.blocks() {
        if !structure::is_running_text(doc, block) {
            continue;
        }
        for sentence in &doc.sentences()[block.sentences.clone()] {
            let words = sentence.words.clone();
            for (&span, &id) in doc.words()[words.clone()].iter().zip(&ids[words]) {
                if let Some(points) = points[id as usize] {
                    pulls.push(WordPull { span, points });
                }
            }
        }
    }
    pulls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Selection};
    use crate::rules::RuleSet;
    use crate::score::{Model, Scorer, terms};

    #[test]
    fn pulls_add_up_to_each_words_contribution() {
        let rules = RuleSet::builtin().expect("packs load");
        let model = Model::builtin().expect("model loads");
        let scorer = Scorer::new(&model, &rules);
        let text = "We delve into the rich tapestry of ideas. The team said the \
                    plan would work, and we think it will. Delve deeper, they said.\n\n\
                    > Quoted words are someone else's and never delve.\n";
        let doc = crate::source::document(text.into(), crate::text::Markup::Markdown);
        let found = engine::check(&doc, &rules, &Selection::all(&rules));
        let scored = scorer.explain(&doc, &found.findings);
        let pulls = word_pulls(&doc, &scored);
        assert!(!pulls.is_empty());
        let mut buf = String::new();
        for c in scored
            .contributions
            .iter()
            .filter(|c| c.layer == Layer::Word && c.name != UNUSED_WORDS)
        {
            let mine: Vec<&WordPull> = pulls
                .iter()
                .filter(|p| terms::normalise(doc.text(p.span), &mut buf) && buf == c.name)
                .collect();
            assert_eq!(mine.len() as f64, c.value, "uses of {}", c.name);
            let sum: f64 = mine.iter().map(|p| p.points).sum();
            assert!(
                (sum - c.points).abs() < 1e-9,
                "{}: {sum} vs {}",
                c.name,
                c.points
            );
        }
        // the quoted paragraph is not running text, so none of its words pull
        let quote = doc.prose().find("Quoted").expect("quote in prose");
        assert!(pulls.iter().all(|p| (p.span.start as usize) < quote));
    }

    #[test]
    fn an_unexplained_score_has_no_pulls() {
        let rules = RuleSet::builtin().expect("packs load");
        let model = Model::builtin().expect("model loads");
        let scorer = Scorer::new(&model, &rules);
        let doc = Document::plain("We delve into the rich tapestry of ideas.");
        let scored = scorer.score(&doc, &[]);
        assert!(word_pulls(&doc, &scored).is_empty());
    }
}
