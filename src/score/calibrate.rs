//! Fitting the score model on a labelled set: observe every document once
//! (findings, measurements, word counts), then fit the intercept, rule and
//! metric coefficients and the lexicon together in one regularised
//! logistic regression, choosing the regularisation by cross-validation.
//!
//! Everything is deterministic: documents are observed in parallel but
//! collected in set order, folds are assigned by position, and the solver
//! sums in a fixed order, so the same set gives the same files byte for
//! byte.

use std::collections::HashMap;

use rayon::prelude::*;

use super::features::{
    self, LENGTH_NODES, Observation, length_weights, metric_evidence, rate_value, word_evidence,
    word_value,
};
use super::fit::{self, Centering, Options, Problem, SparseRow};
use super::model::{Hyper, LexiconEntry, MetricWeight, Model};
use super::{Scorer, rule_prior, structure};
use crate::engine::Selection;
use crate::eval::{self, EvalError, Label, LabelledDoc, LabelledSet};
use crate::rules::RuleSet;

/// One labelled document, observed.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The document and its label.
    pub doc: LabelledDoc,
    /// Whether it is machine-written.
    pub ai: bool,
    /// Findings per rule, measurements and word count.
    pub obs: Observation,
    /// Uses of each corpus term: (term id in [`Corpus::vocab`], count).
    pub terms: Vec<(u32, u32)>,
    /// Its running-text words in order, as term ids ([`NOT_A_TERM`] for
    /// words that are not terms).
    pub sequence: Vec<u32>,
}

/// (term, count) pairs of a stretch of a sequence, sorted by term.
fn count_terms(sequence: &[u32]) -> Vec<(u32, u32)> {
    let mut sorted: Vec<u32> = sequence
        .iter()
        .copied()
        .filter(|&t| t != NOT_A_TERM)
        .collect();
    sorted.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for t in sorted {
        match out.last_mut() {
            Some((last, n)) if *last == t => *n += 1,
            _ => out.push((t, 1)),
        }
    }
    out
}

/// Fewest human documents that must reach a length node for its typical
/// word use to be measured there; shorter nodes' values are carried up.
const MIN_NODE_DOCS: usize = 20;

/// Typical human use of each lexicon column at each length node: the mean
/// over human documents of the word's value in chunks of that many words.
fn typical_use(
    corpus: &Corpus,
    human: &[usize],
    column: &HashMap<u32, u32>,
    first_word: usize,
    n_words: usize,
) -> Vec<[f64; LENGTH_NODES.len()]> {
    let mut means = vec![[0.0; LENGTH_NODES.len()]; n_words];
    for (k, &node) in LENGTH_NODES.iter().enumerate() {
        let mut docs = 0usize;
        let mut acc = vec![0.0; n_words];
        for &i in human {
            let seq = &corpus.samples[i].sequence;
            let chunks = seq.len() / node;
            if chunks == 0 {
                continue;
            }
            docs += 1;
            for chunk in seq.chunks_exact(node) {
                for (t, n) in count_terms(chunk) {
                    if let Some(&c) = column.get(&t) {
                        acc[c as usize - first_word] += word_value(n, node) / chunks as f64;
                    }
                }
            }
        }
        for (m, a) in means.iter_mut().zip(&acc) {
            m[k] = if docs >= MIN_NODE_DOCS {
                a / docs as f64
            } else if k > 0 {
                m[k - 1]
            } else {
                0.0
            };
        }
    }
    means
}

/// A labelled set, observed once so that many fits can share the work.
#[derive(Clone, Debug)]
pub struct Corpus {
    /// The documents.
    pub samples: Vec<Sample>,
    /// Every term seen, by term id.
    pub vocab: Vec<String>,
    /// Rule ids, by rule index.
    pub rule_ids: Vec<String>,
    /// Each rule's prior coefficient ([`rule_prior`]).
    pub rule_priors: Vec<f64>,
    /// Rules held at their prior rather than fitted.
    pub held: Vec<bool>,
}

/// Whether a rule is held at its prior during calibration. Dash rules are:
/// the labelled sets telltale is calibrated on lost many human em dashes
/// when they were stored, so a fitted dash weight would learn that loss.
pub fn held_rule(id: &str) -> bool {
    id.contains("dash")
}

/// A document's observation and its running-text words in order (`None`
/// for words that are not lexicon terms).
type Observed = (Observation, Vec<Option<String>>);

/// Marks a word of a [`Sample::sequence`] that is not a lexicon term.
pub const NOT_A_TERM: u32 = u32::MAX;

/// Reads and checks every document of `set` with all rules on, on
/// `threads` workers.
pub fn observe(set: &LabelledSet, rules: &RuleSet, threads: usize) -> Result<Corpus, EvalError> {
    let observed: Vec<Observed> = eval::check_all(
        set,
        rules,
        &Selection::all(rules),
        threads,
        |_, doc, checked| {
            let terms = features::Terms::of(doc);
            let mut sequence = Vec::new();
            let obs = features::observe(doc, terms.facts(), &checked.findings, None, |id| {
                sequence.push(terms.term(id).map(str::to_string));
            });
            (obs, sequence)
        },
    )?;
    let mut vocab: Vec<String> = Vec::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut samples = Vec::with_capacity(set.docs.len());
    for (d, (obs, words)) in set.docs.iter().zip(observed) {
        let sequence: Vec<u32> = words
            .into_iter()
            .map(|t| match t {
                None => NOT_A_TERM,
                Some(t) => *ids.entry(t.clone()).or_insert_with(|| {
                    vocab.push(t);
                    (vocab.len() - 1) as u32
                }),
            })
            .collect();
        let terms = count_terms(&sequence);
        samples.push(Sample {
            doc: d.clone(),
            ai: d.label == Label::Ai,
            obs,
            terms,
            sequence,
        });
    }
    Ok(Corpus {
        samples,
        vocab,
        rule_ids: rules.rules().iter().map(|r| r.id.clone()).collect(),
        rule_priors: rules.rules().iter().map(rule_prior).collect(),
        held: rules.rules().iter().map(|r| held_rule(&r.id)).collect(),
    })
}

/// Which layers a fit uses (for `eval --layers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layers {
    /// Rule findings.
    pub rules: bool,
    /// Structural measurements.
    pub metrics: bool,
    /// The lexicon.
    pub words: bool,
}

impl Layers {
    /// All three layers.
    pub const ALL: Layers = Layers {
        rules: true,
        metrics: true,
        words: true,
    };

    /// "rules+metrics" and the like.
    pub fn name(self) -> String {
        let mut v = Vec::new();
        if self.rules {
            v.push("rules");
        }
        if self.metrics {
            v.push("metrics");
        }
        if self.words {
            v.push("words");
        }
        v.join("+")
    }
}

/// Strength with which held rules are pinned to their prior.
const HOLD_PENALTY: f64 = 1e4;

/// Fits a model on the samples `train` of `corpus`.
pub fn fit_model(corpus: &Corpus, train: &[usize], hyper: &Hyper, layers: Layers) -> Model {
    let n_rules = corpus.rule_ids.len();
    let n_metrics = structure::COUNT;
    // the lexicon: words used by at least `min_docs` training documents
    let mut df: HashMap<u32, (u32, u32)> = HashMap::new();
    for &i in train {
        let s = &corpus.samples[i];
        for &(t, _) in &s.terms {
            let e = df.entry(t).or_default();
            if s.ai {
                e.1 += 1;
            } else {
                e.0 += 1;
            }
        }
    }
    let mut words: Vec<(u32, (u32, u32))> = if layers.words {
        df.into_iter()
            .filter(|(t, (h, a))| {
                h + a >= hyper.min_docs && !super::terms::is_stopword(&corpus.vocab[*t as usize])
            })
            .collect()
    } else {
        Vec::new()
    };
    words.sort_by(|a, b| {
        (b.1.0 + b.1.1)
            .cmp(&(a.1.0 + a.1.1))
            .then_with(|| corpus.vocab[a.0 as usize].cmp(&corpus.vocab[b.0 as usize]))
    });
    words.truncate(hyper.max_words);
    words.sort_by(|a, b| corpus.vocab[a.0 as usize].cmp(&corpus.vocab[b.0 as usize]));
    let column: HashMap<u32, u32> = words
        .iter()
        .enumerate()
        .map(|(k, (t, _))| (*t, (n_rules + n_metrics + k) as u32))
        .collect();
    // measurements and word rates are centred on typical human writing, so
    // that a text with little evidence reads as typical human prose
    let is_human: Vec<usize> = train
        .iter()
        .copied()
        .filter(|&i| !corpus.samples[i].ai)
        .collect();
    let metrics: Vec<MetricWeight> = (0..n_metrics)
        .map(|k| {
            let values = |docs: &[usize]| -> Vec<f64> {
                docs.iter()
                    .filter_map(|&i| corpus.samples[i].obs.metrics[k])
                    .collect()
            };
            let (all, human) = (values(train), values(&is_human));
            if all.len() < 2 || human.is_empty() {
                return MetricWeight::default();
            }
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let m = mean(&all);
            let sd = (all.iter().map(|x| (x - m).powi(2)).sum::<f64>() / all.len() as f64).sqrt();
            MetricWeight {
                weight: 0.0,
                center: mean(&human),
                scale: if sd > 1e-12 { sd } else { 1.0 },
            }
        })
        .collect();
    let first_word = n_rules + n_metrics;
    let typical = typical_use(corpus, &is_human, &column, first_word, words.len());
    let rows: Vec<SparseRow> = train
        .iter()
        .map(|&i| design_row(&corpus.samples[i], &metrics, &column, n_rules, layers))
        .collect();
    // word value minus typical human use at the text's length, as centring
    // terms: one per length node, weighted by the interpolation weights
    let centers: Vec<Vec<f64>> = (0..LENGTH_NODES.len())
        .map(|k| {
            let mut c = vec![0.0; first_word];
            c.extend(typical.iter().map(|m| m[k]));
            c
        })
        .collect();
    let scales: Vec<Vec<f64>> = (0..LENGTH_NODES.len())
        .map(|k| {
            train
                .iter()
                .map(|&i| {
                    let obs = &corpus.samples[i].obs;
                    word_evidence(obs) * length_weights(obs.words)[k]
                })
                .collect()
        })
        .collect();
    let centering: Vec<Centering<'_>> = if layers.words {
        centers
            .iter()
            .zip(&scales)
            .map(|(center, scale)| Centering { center, scale })
            .collect()
    } else {
        Vec::new()
    };
    let labels: Vec<bool> = train.iter().map(|&i| corpus.samples[i].ai).collect();
    let n_ai = labels.iter().filter(|&&a| a).count().max(1) as f64;
    let n_h = labels.iter().filter(|&&a| !a).count().max(1) as f64;
    // equal priors: each class carries half the total weight
    let weights: Vec<f64> = labels
        .iter()
        .map(|&a| if a { 0.5 / n_ai } else { 0.5 / n_h })
        .collect();
    let dim = n_rules + n_metrics + words.len();
    let mut penalty = vec![hyper.lambda; dim];
    let mut prior = vec![0.0; dim];
    for r in 0..n_rules {
        if !layers.rules {
            penalty[r] = HOLD_PENALTY;
        } else if corpus.held[r] {
            penalty[r] = HOLD_PENALTY;
            prior[r] = corpus.rule_priors[r];
        } else {
            prior[r] = corpus.rule_priors[r];
        }
    }
    for p in &mut penalty[first_word..] {
        *p = hyper.lambda_words;
    }
    let problem = Problem {
        rows: &rows,
        labels: &labels,
        weights: &weights,
        penalty: &penalty,
        prior: &prior,
        intercept: hyper.intercept,
        centering: &centering,
    };
    let fitted = fit::fit(&problem, &Options::default());
    let rule_weights = (0..n_rules)
        .map(|r| {
            let w = if !layers.rules {
                0.0
            } else if corpus.held[r] {
                prior[r]
            } else {
                fitted.coef[r]
            };
            (corpus.rule_ids[r].clone(), w)
        })
        .collect();
    let metrics = metrics
        .into_iter()
        .enumerate()
        .map(|(k, m)| MetricWeight {
            weight: if layers.metrics {
                fitted.coef[n_rules + k]
            } else {
                0.0
            },
            ..m
        })
        .collect();
    let lexicon = words
        .iter()
        .zip(&typical)
        .enumerate()
        .map(|(k, (&(t, (h, a)), &means))| LexiconEntry {
            word: corpus.vocab[t as usize].clone().into(),
            weight: fitted.coef[first_word + k],
            means,
            human_docs: h,
            ai_docs: a,
        })
        .collect();
    Model::new(
        Vec::new(),
        fitted.intercept,
        rule_weights,
        metrics,
        lexicon,
        hyper.clone(),
    )
}

fn design_row(
    s: &Sample,
    metrics: &[MetricWeight],
    column: &HashMap<u32, u32>,
    n_rules: usize,
    layers: Layers,
) -> SparseRow {
    let mut row = SparseRow::default();
    if layers.rules {
        for &(r, n) in &s.obs.rules {
            row.index.push(r as u32);
            row.value.push(rate_value(n, s.obs.checked_words));
        }
    }
    if layers.metrics {
        let r = metric_evidence(&s.obs);
        for (k, m) in metrics.iter().enumerate() {
            let z = r * m.z(s.obs.metrics[k]);
            if z != 0.0 {
                row.index.push((n_rules + k) as u32);
                row.value.push(z);
            }
        }
    }
    let mut words: Vec<(u32, f64)> = s
        .terms
        .iter()
        .filter_map(|&(t, n)| {
            Some((
                *column.get(&t)?,
                word_evidence(&s.obs) * word_value(n, s.obs.words),
            ))
        })
        .collect();
    words.sort_by_key(|w| w.0);
    for (c, v) in words {
        row.index.push(c);
        row.value.push(v);
    }
    row
}

/// Scores samples `which` of `corpus` with `model`, from their observations.
pub fn score_samples(corpus: &Corpus, model: &Model, rules: &RuleSet, which: &[usize]) -> Vec<f64> {
    scored_samples(corpus, model, rules, which, false)
        .into_iter()
        .map(|s| s.score)
        .collect()
}

/// Scores samples `which` of `corpus` with `model`, with breakdowns when
/// `explain`.
pub fn scored_samples(
    corpus: &Corpus,
    model: &Model,
    rules: &RuleSet,
    which: &[usize],
    explain: bool,
) -> Vec<super::Scored> {
    let scorer = Scorer::new(model, rules);
    let to_entry: Vec<Option<u32>> = corpus.vocab.iter().map(|w| model.word(w)).collect();
    which
        .iter()
        .map(|&i| {
            let s = &corpus.samples[i];
            let mut ids: Vec<u32> = Vec::new();
            for &(t, n) in &s.terms {
                if let Some(e) = to_entry[t as usize] {
                    ids.extend(std::iter::repeat_n(e, n as usize));
                }
            }
            ids.sort_unstable();
            scorer.combine(&s.obs, &super::runs(&ids), explain)
        })
        .collect()
}

/// Deterministic stratified folds: documents are grouped by label and
/// domain, and each group is dealt round-robin, in set order.
pub fn folds(corpus: &Corpus, k: usize) -> Vec<usize> {
    let mut next: HashMap<(bool, Option<&str>), usize> = HashMap::new();
    corpus
        .samples
        .iter()
        .map(|s| {
            let c = next.entry((s.ai, s.doc.domain.as_deref())).or_default();
            let f = *c % k.max(1);
            *c += 1;
            f
        })
        .collect()
}

/// Cross-validated scores: each sample scored by a model fitted without
/// its fold.
pub fn cross_validate(
    corpus: &Corpus,
    rules: &RuleSet,
    hyper: &Hyper,
    layers: Layers,
    k: usize,
) -> Vec<f64> {
    cross_validate_folds(corpus, rules, hyper, layers, &folds(corpus, k))
}

/// Leave-one-domain-out folds when every document has a domain and there
/// are at least three of them: each domain is scored by a model that never
/// saw it, which rewards weights that carry over to new kinds of text.
pub fn domain_folds(corpus: &Corpus) -> Option<Vec<usize>> {
    let mut domains: Vec<&str> = Vec::new();
    for s in &corpus.samples {
        let d = s.doc.domain.as_deref()?;
        if !domains.contains(&d) {
            domains.push(d);
        }
    }
    if domains.len() < 3 {
        return None;
    }
    domains.sort_unstable();
    Some(
        corpus
            .samples
            .iter()
            .map(|s| {
                let d = s.doc.domain.as_deref().unwrap_or("");
                domains.iter().position(|x| *x == d).unwrap_or(0)
            })
            .collect(),
    )
}

/// Cross-validated scores over the given fold of each sample.
pub fn cross_validate_folds(
    corpus: &Corpus,
    rules: &RuleSet,
    hyper: &Hyper,
    layers: Layers,
    fold: &[usize],
) -> Vec<f64> {
    let k = fold.iter().copied().max().map_or(0, |m| m + 1);
    let per_fold: Vec<(Vec<usize>, Vec<f64>)> = (0..k)
        .into_par_iter()
        .map(|f| {
            let train: Vec<usize> = (0..fold.len()).filter(|&i| fold[i] != f).collect();
            let test: Vec<usize> = (0..fold.len()).filter(|&i| fold[i] == f).collect();
            let model = fit_model(corpus, &train, hyper, layers);
            let scores = score_samples(corpus, &model, rules, &test);
            (test, scores)
        })
        .collect();
    let mut out = vec![0.0; corpus.samples.len()];
    for (test, scores) in per_fold {
        for (i, s) in test.into_iter().zip(scores) {
            out[i] = s;
        }
    }
    out
}

/// One point of the regularisation search.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// The settings tried.
    pub hyper: Hyper,
    /// Cross-validated AUROC.
    pub auroc: f64,
    /// Cross-validated true-positive rate at 1% false positives.
    pub tpr_at_1: f64,
}

/// The outcome of [`calibrate`].
#[derive(Clone, Debug)]
pub struct Calibration {
    /// The model fitted on every document with the chosen settings.
    pub model: Model,
    /// Every setting tried, in order.
    pub trials: Vec<Trial>,
    /// Index of the chosen trial.
    pub chosen: usize,
    /// Whether the trials held out one domain at a time.
    pub by_domain: bool,
}

/// Regularisation strengths tried for rule and metric coefficients.
pub const LAMBDAS: &[f64] = &[1e-3, 3e-3, 1e-2];
/// Regularisation strengths tried for lexicon weights.
pub const WORD_LAMBDAS: &[f64] = &[3e-4, 1e-3, 3e-3, 1e-2];

/// Fits the model on all of `corpus`, choosing the regularisation that
/// cross-validates best (by AUROC; the stronger regularisation wins a tie
/// within 0.001): leave-one-domain-out when the set has domains
/// ([`domain_folds`]), else `k` stratified folds. `fixed` skips the search.
pub fn calibrate(
    corpus: &Corpus,
    rules: &RuleSet,
    k: usize,
    base: &Hyper,
    fixed: bool,
    source: &str,
) -> Calibration {
    let mut grid = Vec::new();
    if fixed {
        grid.push(base.clone());
    } else {
        for &lambda in LAMBDAS {
            for &lambda_words in WORD_LAMBDAS {
                grid.push(Hyper {
                    lambda,
                    lambda_words,
                    ..base.clone()
                });
            }
        }
    }
    let labels: Vec<bool> = corpus.samples.iter().map(|s| s.ai).collect();
    let by_domain = domain_folds(corpus);
    let fold = by_domain.clone().unwrap_or_else(|| folds(corpus, k));
    let trials: Vec<Trial> = grid
        .into_iter()
        .map(|hyper| {
            let scores = cross_validate_folds(corpus, rules, &hyper, Layers::ALL, &fold);
            Trial {
                auroc: super::accuracy::auroc(&scores, &labels).unwrap_or(0.5),
                tpr_at_1: super::accuracy::tpr_at_fpr(&scores, &labels, 0.01).map_or(0.0, |t| t.0),
                hyper,
            }
        })
        .collect();
    let best = trials.iter().map(|t| t.auroc).fold(0.0, f64::max);
    // the strongest regularisation within 0.001 of the best
    let chosen = (0..trials.len())
        .filter(|&i| trials[i].auroc >= best - 0.001)
        .max_by(|&a, &b| {
            let s = |t: &Trial| t.hyper.lambda * t.hyper.lambda_words;
            s(&trials[a]).total_cmp(&s(&trials[b]))
        })
        .unwrap_or(0);
    let all: Vec<usize> = (0..corpus.samples.len()).collect();
    let mut model = fit_model(corpus, &all, &trials[chosen].hyper, Layers::ALL);
    let n_ai = labels.iter().filter(|&&a| a).count();
    let t = &trials[chosen];
    model.about = vec![
        "telltale score model: written by `telltale calibrate`; refit rather than edit.".into(),
        format!(
            "fitted on {} documents ({} human, {} ai) from {source}",
            labels.len(),
            labels.len() - n_ai,
            n_ai
        ),
        format!(
            "regularisation chosen by {}: AUROC {:.4}, TPR {:.1}% at 1% FPR",
            if by_domain.is_some() {
                "leave-one-domain-out cross-validation".to_string()
            } else {
                format!("{k}-fold cross-validation")
            },
            t.auroc,
            100.0 * t.tpr_at_1
        ),
        "rule weight: log-odds per unit of ln(1 + findings per 1,000 words)".into(),
        "metric weight: log-odds per standard deviation (value - center) / scale".into(),
    ];
    Calibration {
        model,
        trials,
        chosen,
        by_domain: by_domain.is_some(),
    }
}
