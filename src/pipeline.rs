//! Runs read → extract → check over many inputs on a pool of worker threads
//! and hands the results back in input order, as they complete: a result is
//! passed on as soon as every earlier one has been, and no worker runs more
//! than a small window ahead of the oldest result not yet passed on, so
//! memory holds only the few documents in flight, not the whole input.
//!
//! May use `source`, `engine`, `score`, `rules` and `text`; never `report`
//! or `cli`.

mod sections;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use crate::engine::{self, Checked, Selection};
use crate::rules::RuleSet;
use crate::score::{Scored, Scorer};
use crate::source::{self, Contents, Input, SourceError};
use crate::text::{Document, Markup};

pub use sections::{DEFAULT_SECTION_BYTES, Sectioning};

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
    /// Check very large files a section at a time (`sections.rs`); `None`
    /// checks every file whole. Never used for explained or per-paragraph
    /// scores, which need the whole document's tables.
    pub sections: Option<Sectioning>,
}

/// Processes one input like [`process`], but turns a panic (a bug in
/// telltale) into a failed outcome naming the input, so one bad document
/// neither ends the run nor leaves the other workers waiting for it.
pub fn process_guarded(input: &Input, plan: &Plan<'_>) -> Outcome {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(input, plan))).unwrap_or_else(
        |payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Outcome::Failed(SourceError::Internal {
                path: input.name(),
                message,
            })
        },
    )
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
            let selection = (plan.selection)(input);
            let file = match sections::check(file, plan, &selection) {
                Ok(checked) => return Outcome::Checked(Box::new(checked)),
                Err(whole) => whole,
            };
            let doc = source::document(file.text, file.markup);
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

/// How many inputs past the oldest one not yet handed to the sink a worker
/// may start, per worker. Bounds the reorder buffer: a slow document holds
/// back at most this many finished ones, whatever the input size.
const WINDOW_PER_THREAD: usize = 2;

/// Processes `inputs` on `threads` workers, calling `sink` with each outcome
/// in input order. Stops early (and returns the error) if `sink` fails.
///
/// Workers take inputs in order, but none starts an input more than
/// `threads * WINDOW_PER_THREAD` places past the oldest outcome not yet
/// passed to `sink`. So however skewed the sizes (one huge file first, then
/// thousands of small ones), memory holds the documents being checked plus
/// a bounded number of finished ones waiting for their turn, never the
/// whole input. The oldest outcome's worker is never held back, so the
/// window always moves.
pub fn run<E: Send>(
    inputs: &[Input],
    plan: &Plan<'_>,
    threads: usize,
    mut sink: impl FnMut(Outcome) -> Result<(), E>,
) -> Result<(), E> {
    if threads <= 1 || inputs.len() <= 1 {
        for input in inputs {
            sink(process_guarded(input, plan))?;
        }
        return Ok(());
    }
    let window = threads.saturating_mul(WINDOW_PER_THREAD).max(1);
    let gate = Gate::default();
    let claimed = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|scope| {
        for _ in 0..threads.min(inputs.len()) {
            let tx = tx.clone();
            let (gate, claimed) = (&gate, &claimed);
            scope.spawn(move || {
                loop {
                    let i = claimed.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else {
                        return;
                    };
                    if !gate.wait_for_turn(i, window) {
                        return;
                    }
                    if tx.send((i, process_guarded(input, plan))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (i, outcome) in rx.iter() {
            waiting.insert(i, outcome);
            while let Some(outcome) = waiting.remove(&next) {
                next += 1;
                if let Err(e) = sink(outcome) {
                    // waiting workers give up; busy ones finish their
                    // input, find the gate stopped and return
                    gate.stop();
                    return Err(e);
                }
                gate.advance(next);
            }
        }
        Ok(())
    })
}

/// How far the sink has got, for workers waiting to start an input.
#[derive(Default)]
struct Gate {
    /// `(outcomes passed to the sink, stopped)`.
    state: Mutex<(usize, bool)>,
    moved: Condvar,
}

impl Gate {
    /// Waits until input `i` lies inside the window; false when the run
    /// was stopped.
    fn wait_for_turn(&self, i: usize, window: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let (done, stopped) = *state;
            if stopped {
                return false;
            }
            if i < done + window {
                return true;
            }
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Records that `done` outcomes have been passed on.
    fn advance(&self, done: usize) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0 = done;
        self.moved.notify_all();
    }

    /// Stops the run: waiting workers give up.
    fn stop(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
        self.moved.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::AtomicUsize;

    fn plan_for(rules: &RuleSet) -> impl Fn(&Input) -> Selection + Sync + '_ {
        move |_| Selection::all(rules)
    }

    fn plain_plan<'a>(
        rules: &'a RuleSet,
        selection: &'a (dyn Fn(&Input) -> Selection + Sync),
    ) -> Plan<'a> {
        Plan {
            rules,
            selection,
            markup: None,
            score: None,
            sections: None,
        }
    }

    fn inputs(dir: &std::path::Path, n: usize) -> Vec<Input> {
        (0..n)
            .map(|i| {
                let p = dir.join(format!("{i:04}.txt"));
                std::fs::write(&p, format!("Document {i}: let us delve into it.\n"))
                    .expect("write");
                Input::Path(p)
            })
            .collect()
    }

    #[test]
    fn outcomes_come_in_input_order_and_the_buffer_stays_inside_the_window() {
        let dir = tempfile::tempdir().expect("temp dir");
        let inputs = inputs(dir.path(), 60);
        let rules = RuleSet::builtin().expect("rules");
        let select = plan_for(&rules);
        let plan = plain_plan(&rules, &select);
        for threads in [2, 3, 8] {
            let mut names = Vec::new();
            run(&inputs, &plan, threads, |o| -> Result<(), ()> {
                match o {
                    Outcome::Checked(c) => names.push(PathBuf::from(c.name)),
                    other => panic!("{other:?}"),
                }
                Ok(())
            })
            .expect("run");
            let expected: Vec<PathBuf> = inputs.iter().map(|i| i.path().to_path_buf()).collect();
            assert_eq!(names, expected, "{threads} threads");
        }
    }

    #[test]
    fn a_slow_first_input_holds_back_only_a_window_of_others() {
        // the first input is slow to check: the other workers may run no
        // further than the window ahead of it, where before they checked
        // every other input and buffered all of them
        let dir = tempfile::tempdir().expect("temp dir");
        let inputs = inputs(dir.path(), 200);
        let first = inputs[0].clone();
        let rules = RuleSet::builtin().expect("rules");
        let select = plan_for(&rules);
        let started = AtomicUsize::new(0);
        let slow_first = |input: &Input| {
            started.fetch_add(1, Ordering::SeqCst);
            if *input == first {
                // give the other workers every chance to run ahead
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
            select(input)
        };
        let plan = plain_plan(&rules, &slow_first);
        let threads = 2;
        let mut seen = 0;
        let mut most_ahead = 0;
        run(&inputs, &plan, threads, |_| -> Result<(), ()> {
            seen += 1;
            most_ahead = most_ahead.max(started.load(Ordering::SeqCst) - seen);
            Ok(())
        })
        .expect("run");
        assert_eq!(seen, 200);
        assert!(
            most_ahead < threads * WINDOW_PER_THREAD,
            "{most_ahead} inputs started past the one being handed out"
        );
    }

    #[test]
    fn a_panic_on_one_input_fails_that_input_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let inputs = inputs(dir.path(), 30);
        let bad = inputs[3].clone();
        let rules = RuleSet::builtin().expect("rules");
        let select = plan_for(&rules);
        let panicking = |input: &Input| {
            assert!(*input != bad, "a bug met this input");
            select(input)
        };
        let plan = plain_plan(&rules, &panicking);
        for threads in [1, 2] {
            let mut kinds = Vec::new();
            run(&inputs, &plan, threads, |o| -> Result<(), ()> {
                kinds.push(match o {
                    Outcome::Checked(_) => "checked".to_string(),
                    Outcome::Failed(e) => e.to_string(),
                    Outcome::Skipped(s) => s,
                });
                Ok(())
            })
            .expect("run");
            assert_eq!(kinds.len(), 30, "{threads} threads");
            assert!(
                kinds[3].contains("0003.txt") && kinds[3].contains("a bug met this input"),
                "{}",
                kinds[3]
            );
            assert!(
                kinds
                    .iter()
                    .enumerate()
                    .all(|(i, k)| i == 3 || k == "checked")
            );
        }
    }

    #[test]
    fn a_failing_sink_stops_the_run() {
        let dir = tempfile::tempdir().expect("temp dir");
        let inputs = inputs(dir.path(), 100);
        let rules = RuleSet::builtin().expect("rules");
        let select = plan_for(&rules);
        let plan = plain_plan(&rules, &select);
        let mut seen = 0;
        let result = run(&inputs, &plan, 2, |_| {
            seen += 1;
            if seen == 3 { Err("stop") } else { Ok(()) }
        });
        assert_eq!(result, Err("stop"));
        assert_eq!(seen, 3);
    }
}
