//! Runs read → extract → check over many inputs on a rayon pool and hands
//! the results back in input order, as they complete: a result is passed on
//! as soon as every earlier one has been, so memory holds only the few
//! documents in flight, not the whole input.
//!
//! May use `source`, `engine`, `score`, `rules` and `text`; never `report`
//! or `cli`.

use std::collections::BTreeMap;
use std::sync::mpsc;

use rayon::iter::{ParallelBridge, ParallelIterator};

use crate::engine::{self, Checked, Selection};
use crate::rules::RuleSet;
use crate::score::{Scored, Scorer};
use crate::source::{self, Contents, Input, SourceError};
use crate::text::{Document, Markup};

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    /// The document was checked.
    Checked(Box<CheckedDoc>),
    /// The input was skipped (binary); the notice says why.
    Skipped(String),
    /// The input could not be read.
    Failed(SourceError),
}

/// One checked document with its findings.
#[derive(Debug)]
pub struct CheckedDoc {
    /// The name shown in output.
    pub name: String,
    /// The tokenized document.
    pub doc: Document,
    /// Findings and rule warnings.
    pub checked: Checked,
    /// Notices from reading (decoding repairs).
    pub notices: Vec<String>,
    /// The document's score, when the plan asks for it.
    pub score: Option<Scored>,
    /// Per-paragraph scores `(block index, score)`, when the plan asks.
    pub paragraphs: Vec<(usize, Scored)>,
}

/// What scoring the workers do beside checking.
#[derive(Clone, Copy, Debug)]
pub struct ScorePlan<'a> {
    /// The model, bound to the plan's rules.
    pub scorer: &'a Scorer<'a>,
    /// Keep each score's breakdown.
    pub explain: bool,
    /// Also score each paragraph.
    pub paragraphs: bool,
}

/// How each document is read and checked.
pub struct Plan<'a> {
    /// The compiled rules.
    pub rules: &'a RuleSet,
    /// The selection for a document, by its path (configuration may vary it).
    pub selection: &'a (dyn Fn(&Input) -> Selection + Sync),
    /// Markup forced for every input, else detected from the name.
    pub markup: Option<Markup>,
    /// Score documents too (in the workers, so scoring runs in parallel).
    pub score: Option<ScorePlan<'a>>,
}

/// Reads, extracts and checks one input.
pub fn process(input: &Input, plan: &Plan<'_>) -> Outcome {
    let markup = plan
        .markup
        .or_else(|| source::detect(input.path()))
        .unwrap_or(Markup::Plain);
    match source::read(input, markup) {
        Err(e) => Outcome::Failed(e),
        Ok(Contents::Binary(notice)) => Outcome::Skipped(notice),
        Ok(Contents::Text(file)) => {
            let doc = source::document(file.text, file.markup);
            let selection = (plan.selection)(input);
            let checked = engine::check(&doc, plan.rules, &selection);
            let (score, paragraphs) = match plan.score {
                None => (None, Vec::new()),
                Some(p) => {
                    let f = &checked.findings;
                    let score = if p.explain {
                        p.scorer.explain(&doc, f)
                    } else {
                        p.scorer.score(&doc, f)
                    };
                    let paragraphs = if p.paragraphs {
                        p.scorer.paragraphs(&doc, f, p.explain)
                    } else {
                        Vec::new()
                    };
                    (Some(score), paragraphs)
                }
            };
            Outcome::Checked(Box::new(CheckedDoc {
                name: file.name,
                doc,
                checked,
                notices: file.notices,
                score,
                paragraphs,
            }))
        }
    }
}

/// Processes `inputs` on `threads` workers, calling `sink` with each outcome
/// in input order. Stops early (and returns the error) if `sink` fails.
pub fn run<E: Send>(
    inputs: &[Input],
    plan: &Plan<'_>,
    threads: usize,
    mut sink: impl FnMut(Outcome) -> Result<(), E>,
) -> Result<(), E> {
    if threads <= 1 || inputs.len() <= 1 {
        for input in inputs {
            sink(process(input, plan))?;
        }
        return Ok(());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool starts");
    let (tx, rx) = mpsc::sync_channel::<(usize, Outcome)>(threads * 4);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            pool.install(|| {
                // par_bridge hands inputs out in order, so results arrive
                // nearly in order and the reorder buffer stays small
                inputs
                    .iter()
                    .enumerate()
                    .par_bridge()
                    .for_each_with(tx, |tx, (i, input)| {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) {
                            return;
                        }
                        let _ = tx.send((i, process(input, plan)));
                    });
            });
        });
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        let mut result = Ok(());
        for (i, outcome) in rx {
            if result.is_err() {
                continue; // drain so the workers can finish
            }
            waiting.insert(i, outcome);
            while let Some(outcome) = waiting.remove(&next) {
                next += 1;
                if let Err(e) = sink(outcome) {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    result = Err(e);
                    break;
                }
            }
        }
        result
    })
}
