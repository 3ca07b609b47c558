//! The document score: one logistic model over three layers of evidence,
//! with a breakdown that traces every point to words, rules or measurements.
//!
//! - **rules**: each rule's findings per 1,000 words, `ln(1 + rate)`;
//! - **metrics**: structural measurements (`structure.rs`), standardised;
//! - **words**: a learned lexicon (`patterns/lexicon.tsv`), each word's
//!   weight times `ln(1 + uses per 1,000 words)`.
//!
//! The score is the model's probability of machine authorship under equal
//! priors, times 100. `calibrate.rs` fits the weights; `fit.rs` is the
//! solver. May use `engine`, `rules` and `text`; never `report` or `cli`.

pub mod accuracy;
pub mod calibrate;
pub mod features;
pub mod fit;
pub mod lexical;
pub mod model;
pub mod structure;
pub mod terms;

use serde::{Deserialize, Serialize};

pub use model::{Model, ModelError};

use crate::engine::Finding;
use crate::rules::{Rule, RuleSet};
use crate::text::{BlockKind, Document};
use features::{Observation, WordFacts, length_weights, rate_value, word_value};

/// Documents with fewer words than this get a score marked low-confidence
/// (so do texts that do not read as English prose, see
/// [`features::english`]).
pub const MIN_CONFIDENT_WORDS: usize = 50;

/// A score as `check` shows it and `--max-score` compares it: to one
/// decimal, all a 0-100 score means (more would make every refit of the
/// model churn the output). Written with `{}`, it has no trailing `.0`.
pub fn shown(score: f64) -> f64 {
    (score * 10.0).round() / 10.0
}

/// Coefficient given to a rule the model has no weight for (new since the
/// last calibration): the pack's `weight`, in log-odds per unit of
/// `ln(1 + findings per 1,000 words)`. `calibrate` also starts every rule
/// from this prior and pulls toward it, so a rule that never fires in the
/// calibration set keeps it.
pub fn rule_prior(rule: &Rule) -> f64 {
    rule.weight
}

/// Which layer of the model a contribution comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// A pattern or metric rule's findings.
    Rule,
    /// A structural measurement.
    Metric,
    /// A lexicon word.
    Word,
}

/// One term of the score's breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The layer.
    pub layer: Layer,
    /// Rule id, measurement name or word.
    pub name: String,
    /// Findings or uses (rules, words) or the measured value (metrics).
    pub value: f64,
    /// Log-odds added.
    pub logit: f64,
    /// Points of score added (negative: toward human).
    pub points: f64,
}

/// The name of the contribution of lexicon words a text does not use.
pub const UNUSED_WORDS: &str = "(lexicon words not used)";

/// A scored document or stretch of one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// 0 (reads as written by a person) to 100 (reads as generated).
    pub score: f64,
    /// Words counted.
    pub words: usize,
    /// Too few words for the score to mean much.
    pub low_confidence: bool,
    /// Score of a text with the word use and structure of typical human
    /// prose and no findings.
    pub baseline: f64,
    /// The breakdown, largest effect first; with the baseline it sums to
    /// the score. Empty unless explained.
    pub contributions: Vec<Contribution>,
}

/// A model bound to a rule set: coefficients looked up by rule index.
#[derive(Debug)]
pub struct Scorer<'m> {
    model: &'m Model,
    rule_coef: Vec<f64>,
    rule_ids: Vec<String>,
    /// Σ weight·mean over the whole lexicon at each length node: what a
    /// text that uses none of the lexicon's words loses against typical
    /// human prose of that length.
    node_sums: [f64; features::LENGTH_NODES.len()],
    /// The lexicon's words with the function words and debris.
    terms: terms::TermTable<'m>,
}

impl<'m> Scorer<'m> {
    /// Binds `model` to `rules`; rules the model does not know get
    /// [`rule_prior`], model rules that no longer exist are ignored.
    pub fn new(model: &'m Model, rules: &RuleSet) -> Scorer<'m> {
        let rule_coef = rules
            .rules()
            .iter()
            .map(|r| model.rule(&r.id).unwrap_or_else(|| rule_prior(r)))
            .collect();
        Scorer {
            model,
            rule_coef,
            rule_ids: rules.rules().iter().map(|r| r.id.clone()).collect(),
            node_sums: std::array::from_fn(|k| {
                model.lexicon.iter().map(|e| e.weight * e.means[k]).sum()
            }),
            terms: terms::TermTable::new(model.lexicon.iter().map(|e| &*e.word)),
        }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        self.model
    }

    /// Scores a whole document from its findings.
    pub fn score(&self, doc: &Document, findings: &[Finding]) -> Scored {
        self.whole(doc, findings, false)
    }

    /// Scores a whole document with its breakdown.
    pub fn explain(&self, doc: &Document, findings: &[Finding]) -> Scored {
        self.whole(doc, findings, true)
    }

    /// Scores each paragraph and list item outside block quotes on its own
    /// (same model, the block's own findings, measurements and words):
    /// `(block index, score)` in document order.
    pub fn paragraphs(
        &self,
        doc: &Document,
        findings: &[Finding],
        explain: bool,
    ) -> Vec<(usize, Scored)> {
        let words = WordFacts::of(doc, &self.terms);
        // each block is given the findings that start in it, found by
        // binary search: handing every block all of them cost blocks times
        // findings
        let sorted;
        let findings = if findings.is_sorted_by_key(|f| f.span.start) {
            findings
        } else {
            let mut copy = findings.to_vec();
            copy.sort_by_key(|f| f.span.start);
            sorted = copy;
            &sorted
        };
        doc.blocks()
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                !b.quoted && matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem)
            })
            .map(|(i, b)| {
                let source = doc.source_range(b.span);
                // as `features::observe_with` bounds a block's findings
                let lo = findings.partition_point(|f| f.span.start < source.start);
                let hi = findings.partition_point(|f| f.span.start < source.end.max(1));
                let own = &findings[lo..hi.max(lo)];
                (i, self.block(doc, &words, own, i, explain))
            })
            .filter(|(_, s)| s.words > 0)
            .collect()
    }

    /// A whole document: uses counted by lexicon entry.
    fn whole(&self, doc: &Document, findings: &[Finding], explain: bool) -> Scored {
        let mut counts = EntryCounts::take(self.model.lexicon.len());
        let mut reader = features::CountedWords::new(doc, &self.terms, |e, n| counts.add(e, n));
        let obs = features::observe_with(doc, findings, None, &mut reader);
        // gives the reader's table back to the thread, and `counts` back
        drop(reader);
        let uses = counts.drain(doc.vocabulary().len());
        counts.put_back();
        self.combine(&obs, &uses, explain)
    }

    /// Block `block` of `doc`, whose words' facts are `words`: a block has
    /// few words, so each use of a lexicon word is noted.
    fn block(
        &self,
        doc: &Document,
        words: &WordFacts,
        findings: &[Finding],
        block: usize,
        explain: bool,
    ) -> Scored {
        let mut entries: Vec<u32> = Vec::new();
        let mut reader =
            features::EachWord::new(words, |_, entry: Option<u32>| entries.extend(entry));
        let obs = features::observe_with(doc, findings, Some(block..block + 1), &mut reader);
        entries.sort_unstable();
        self.combine(&obs, &runs(&entries), explain)
    }

    /// The score of an observation whose lexicon word uses are `uses`:
    /// `(lexicon entry, uses)`, ascending by entry, each entry once.
    pub(crate) fn combine(&self, obs: &Observation, uses: &[(u32, u32)], explain: bool) -> Scored {
        let m = self.model;
        let base = m.intercept;
        let mut parts: Vec<Contribution> = Vec::new();
        let mut logit = base;
        for &(rule, n) in &obs.rules {
            let coef = self.rule_coef.get(rule).copied().unwrap_or(0.0);
            let l = coef * rate_value(n, obs.checked_words);
            logit += l;
            if explain && l != 0.0 {
                parts.push(part(Layer::Rule, &self.rule_ids[rule], f64::from(n), l));
            }
        }
        let english = features::english(obs);
        let r = features::metric_evidence(obs);
        for (k, w) in m.metrics.iter().enumerate() {
            let l = r * w.weight * w.z(obs.metrics[k]);
            logit += l;
            if explain && l != 0.0 {
                let value = obs.metrics[k].unwrap_or(f64::NAN);
                parts.push(part(Layer::Metric, structure::NAMES[k], value, l));
            }
        }
        let s = features::word_evidence(obs);
        let phi = length_weights(obs.words);
        // at most two weights are non-zero, at adjacent nodes: the others'
        // terms are zeros (every mean is finite), which add nothing
        let k = phi
            .iter()
            .position(|&p| p != 0.0)
            .unwrap_or(0)
            .min(phi.len() - 2);
        let (a, b) = (phi[k], phi[k + 1]);
        let typical = |means: &[f64; features::LENGTH_NODES.len()]| -> f64 {
            a * means[k] + b * means[k + 1]
        };
        let mut used_mean = 0.0;
        // most words are used a few times: each small count's value is
        // worked out once (NaN: not yet)
        let mut small = [f64::NAN; 16];
        let mut value = |n: u32| match small.get_mut(n as usize) {
            Some(v) if v.is_nan() => {
                *v = word_value(n, obs.words);
                *v
            }
            Some(v) => *v,
            None => word_value(n, obs.words),
        };
        for &(id, n) in uses {
            let Some(e) = m.lexicon.get(id as usize) else {
                continue;
            };
            let mean = typical(&e.means);
            let l = s * e.weight * (value(n) - mean);
            used_mean += e.weight * mean;
            logit += l;
            if explain && l != 0.0 {
                parts.push(part(Layer::Word, &e.word, f64::from(n), l));
            }
        }
        let unused = -s * (typical(&self.node_sums) - used_mean);
        logit += unused;
        let score = 100.0 * fit::sigmoid(logit);
        let baseline = 100.0 * fit::sigmoid(base);
        if explain {
            if unused != 0.0 {
                let absent = m.lexicon.len() - uses.len();
                parts.push(part(Layer::Word, UNUSED_WORDS, absent as f64, unused));
            }
            // spread the score's distance from the baseline over the terms in
            // proportion to their log-odds: signs are kept, the sum is exact
            let per_logit = if (logit - base).abs() > 1e-9 {
                (score - baseline) / (logit - base)
            } else {
                let p = fit::sigmoid(base);
                100.0 * p * (1.0 - p)
            };
            for p in &mut parts {
                p.points = p.logit * per_logit;
            }
            parts.sort_by(|a, b| b.points.abs().total_cmp(&a.points.abs()));
        }
        Scored {
            score,
            words: obs.words,
            low_confidence: obs.words < MIN_CONFIDENT_WORDS || english < 1.0,
            baseline,
            contributions: parts,
        }
    }
}

fn part(layer: Layer, name: &str, value: f64, logit: f64) -> Contribution {
    Contribution {
        layer,
        name: name.to_string(),
        value,
        logit,
        points: 0.0,
    }
}

/// Uses of each lexicon entry in a document, counted in a table as large
/// as the lexicon that each thread keeps from one document to the next:
/// clearing a fresh one per document cost more than the counting.
#[derive(Default)]
struct EntryCounts {
    /// Uses of each entry; all zero between documents.
    counts: Vec<u32>,
    /// Which entries are used, a bit each, so that they are read back in
    /// order without a sort; all zero between documents.
    used: Vec<u64>,
}

/// Words of [`EntryCounts::used`] tested at once.
const BLOCK: usize = 8;

thread_local! {
    static ENTRY_COUNTS: std::cell::Cell<EntryCounts> = std::cell::Cell::default();
}

impl EntryCounts {
    /// This thread's table, for `entries` entries. Taken rather than
    /// borrowed: if scoring panics (the pipeline reports a panic as a
    /// failed file and goes on) the half-filled table is dropped, not
    /// reused.
    fn take(entries: usize) -> EntryCounts {
        let mut t = ENTRY_COUNTS.take();
        if t.counts.len() < entries {
            t.counts.resize(entries, 0);
            // whole blocks, for `drain`
            t.used
                .resize(entries.div_ceil(64).next_multiple_of(BLOCK), 0);
        }
        t
    }

    /// Gives the table, cleared by [`EntryCounts::drain`], back to the
    /// thread.
    fn put_back(self) {
        ENTRY_COUNTS.set(self);
    }

    /// Adds `uses` uses (at least one) of `entry`.
    #[inline]
    fn add(&mut self, entry: u32, uses: u32) {
        let e = entry as usize;
        if let Some(n) = self.counts.get_mut(e) {
            if *n == 0 {
                self.used[e / 64] |= 1 << (e % 64);
            }
            *n += uses;
        }
    }

    /// `(entry, uses)` of every entry used, ascending; clears the table.
    /// `most` is an upper bound on the number of entries used (the
    /// document's distinct words: each is at most one entry), for the
    /// result's capacity.
    fn drain(&mut self, most: usize) -> Vec<(u32, u32)> {
        let mut uses = Vec::with_capacity(most.min(self.counts.len()));
        // a document uses a few of the lexicon's entries: a block of
        // `used` is tested whole (vector instructions), and most blocks
        // are all zero and skipped; counting the bits and visiting every
        // word first cost about 2,000 instructions a document
        let (blocks, _) = self.used.as_chunks_mut::<BLOCK>();
        for (j, block) in blocks.iter_mut().enumerate() {
            if block.iter().fold(0, |a, &w| a | w) == 0 {
                continue;
            }
            for (i, bits) in block.iter_mut().enumerate() {
                let mut b = std::mem::take(bits);
                while b != 0 {
                    let e = (j * BLOCK + i) * 64 + b.trailing_zeros() as usize;
                    uses.push((e as u32, std::mem::take(&mut self.counts[e])));
                    b &= b - 1;
                }
            }
        }
        uses
    }
}

/// Sorted `ids` as `(id, uses)`, each id once.
pub(crate) fn runs(ids: &[u32]) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &id in ids {
        match runs.last_mut() {
            Some((last, n)) if *last == id => *n += 1,
            _ => runs.push((id, 1)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::PackSource;

    #[test]
    fn entry_counts_drain_every_used_entry_in_order_and_clear() {
        // sizes around a block's bits, entries at the ends of blocks and
        // of the table, and a second document after the first
        for entries in [1, 63, 64, 65, 511, 512, 513, 5000] {
            let mut counts = EntryCounts::take(entries);
            for round in 0..2u32 {
                let picked: Vec<u32> = (0..entries as u32)
                    .filter(|e| e % (7 + round) == 0 || e % 512 == 511 || *e + 1 == entries as u32)
                    .collect();
                for &e in &picked {
                    counts.add(e, 1 + e % 3);
                    counts.add(e, 2);
                }
                let expected: Vec<(u32, u32)> = picked.iter().map(|&e| (e, 3 + e % 3)).collect();
                assert_eq!(counts.drain(0), expected, "{entries} entries");
                assert!(counts.counts.iter().all(|&n| n == 0));
                assert!(counts.used.iter().all(|&b| b == 0));
            }
        }
    }

    const PACK: &str = r#"
[[rule]]
id = "delve"
category = "vocabulary"
severity = "warning"
weight = 0.7
message = "AI vocabulary"
why = "w"
phrases = ["delve"]
"#;

    fn model(rules: Vec<(String, f64)>) -> Model {
        Model::new(
            Vec::new(),
            -1.0,
            rules,
            vec![model::MetricWeight::default(); structure::COUNT],
            Vec::new(),
            model::Hyper::default(),
        )
    }

    #[test]
    fn new_rules_get_their_prior_and_old_ones_are_ignored() {
        let rules = RuleSet::load(&[PackSource::new("t.toml", PACK)]).expect("pack loads");
        let m = model(vec![("gone-rule".into(), 5.0)]);
        let scorer = Scorer::new(&m, &rules);
        assert_eq!(scorer.rule_coef, [0.7]);
        let m = model(vec![("delve".into(), 0.2)]);
        assert_eq!(Scorer::new(&m, &rules).rule_coef, [0.2]);
    }

    #[test]
    fn the_term_table_finds_each_lexicon_word_at_its_entry() {
        let model = Model::builtin().expect("model loads");
        let rules = RuleSet::builtin().expect("packs load");
        let scorer = Scorer::new(&model, &rules);
        let mut buf = String::new();
        for e in &model.lexicon {
            if let Some((_, class)) = scorer.terms.term(&e.word, &mut buf) {
                assert_eq!(class.entry, model.word(&e.word), "{}", e.word);
            }
        }
    }

    /// Each paragraph is scored on the findings that start in it, and looks
    /// at no others: once every paragraph went through every finding of
    /// the document, so 2,000 paragraphs with a finding each cost four
    /// million looks.
    #[test]
    fn a_paragraph_looks_only_at_its_own_findings() {
        let model = Model::builtin().expect("model loads");
        let rules = RuleSet::builtin().expect("packs load");
        let scorer = Scorer::new(&model, &rules);
        let mut text = "It's not just a tool \u{2014} it's a movement.\n\n".repeat(2000);
        text.push_str("A plain last paragraph of a few quiet words.\n");
        let doc = crate::source::document(text, crate::text::Markup::Markdown);
        let selection = crate::engine::Selection::all(&rules);
        let findings = crate::engine::check(&doc, &rules, &selection).findings;
        assert!(findings.len() >= 2000, "{}", findings.len());
        let seen = || features::FINDINGS_SEEN.with(|n| n.get());
        let before = seen();
        let scored = scorer.paragraphs(&doc, &findings, false);
        assert!(seen() - before <= findings.len(), "{}", seen() - before);
        assert_eq!(scored.len(), 2001);
        // the same scores as a paragraph given every finding to filter
        for &(b, ref s) in scored.iter().step_by(97) {
            let words = WordFacts::of(&doc, &scorer.terms);
            assert_eq!(*s, scorer.block(&doc, &words, &findings, b, false));
        }
        assert!(scored[0].1.score > scored[2000].1.score);
    }

    /// A whole document scored the fast way (uses counted by vocabulary
    /// id, facts worked out while reading the counts) scores exactly as
    /// noting each use of each word does, on the shared data when it is on
    /// this machine and on a Markdown text with lists and quotations.
    #[test]
    fn counting_uses_scores_as_noting_each_use() {
        let model = Model::builtin().expect("model loads");
        let rules = RuleSet::builtin().expect("packs load");
        let scorer = Scorer::new(&model, &rules);
        let mut docs = vec![crate::source::document(
            "# Notes\n\nWe delve into the rich tapestry; it is, frankly, a lot. Café naïve \
             THE the The don\u{2019}t 2024 br.\n\n- A list item written as a sentence \
             with many words in it.\n- link\n\n> Quoted words are someone else's.\n"
                .repeat(20),
            crate::text::Markup::Markdown,
        )];
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        for (dir, markup) in [
            ("dev/ai", crate::text::Markup::Plain),
            ("dev/human", crate::text::Markup::Plain),
            ("human-md", crate::text::Markup::Markdown),
        ] {
            let Ok(entries) = std::fs::read_dir(data.join(dir)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for path in paths.into_iter().filter(|p| p.is_file()).take(30) {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    docs.push(crate::source::document(text, markup));
                }
            }
        }
        let selection = crate::engine::Selection::all(&rules);
        for doc in &docs {
            let found = crate::engine::check(doc, &rules, &selection).findings;
            let words = WordFacts::of(doc, &scorer.terms);
            let mut entries = Vec::new();
            let mut each = features::EachWord::new(&words, |_, e: Option<u32>| entries.extend(e));
            let obs = features::observe_with(doc, &found, None, &mut each);
            entries.sort_unstable();
            let plain = scorer.combine(&obs, &runs(&entries), true);
            assert_eq!(scorer.explain(doc, &found), plain, "{}", doc.prose());
            assert_eq!(scorer.score(doc, &found).score, plain.score);
        }
    }

    #[test]
    fn findings_raise_the_score_and_the_breakdown_adds_up() {
        let rules = RuleSet::load(&[PackSource::new("t.toml", PACK)]).expect("pack loads");
        let m = model(Vec::new());
        let scorer = Scorer::new(&m, &rules);
        let text = "We delve into it. Then we delve again, and delve once more for luck.";
        let doc = Document::plain(text);
        let found = crate::engine::check(&doc, &rules, &crate::engine::Selection::all(&rules));
        let with = scorer.explain(&doc, &found.findings);
        let without = scorer.explain(&doc, &[]);
        assert!(with.score > without.score);
        assert!(with.low_confidence);
        let sum: f64 = with.baseline + with.contributions.iter().map(|c| c.points).sum::<f64>();
        assert!((sum - with.score).abs() < 1e-9);
        assert_eq!(with.contributions[0].name, "delve");
        assert_eq!(with.contributions[0].value, 3.0);
    }
}
