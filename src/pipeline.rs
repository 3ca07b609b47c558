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
use std::sync::{Condvar, Mutex};

use crate::engine::{self, Checked, Finding, Selection};
use crate::rules::RuleSet;
use crate::score::{Scored, Scorer};
use crate::source::{self, Contents, Input, SourceError, SourceFile};
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
    /// How many findings there are of each severity (by `Severity as
    /// usize`), when they were counted on the way: a file checked in
    /// sections counts each section's as it joins them, while they are in
    /// cache. `None`: count `checked.findings`.
    pub severities: Option<[usize; 3]>,
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
    /// Hand back each checked document as its [`Document::into_outline`]
    /// (source, lines, word count), for callers that only report findings:
    /// the prose tables are dropped on the thread that built them, as soon
    /// as the document is checked and scored, so a finished document that
    /// waits for its turn holds little more than its source.
    pub outline: bool,
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
    // a large file may be read on the threads that will check its sections
    let threads = plan.sections.map_or(1, |s| s.threads);
    match source::read_on(input, markup, threads) {
        Err(e) => Outcome::Failed(e),
        Ok(Contents::Binary(notice)) => Outcome::Skipped(notice),
        // a report left among the drafts it shows is not a draft
        Ok(Contents::Text(file))
            if file.markup == Markup::Html && source::html::is_telltale_report(&file.text) =>
        {
            Outcome::Skipped(format!(
                "{}: a page written by `telltale report`, skipped",
                file.name
            ))
        }
        Ok(Contents::Text(file)) => {
            Outcome::Checked(Box::new(check_file(file, plan, &(plan.selection)(input))))
        }
    }
}

/// The findings in `text` (read as `markup`), checked in sections when it
/// is large enough and the plan allows, else whole; never scored. What
/// `--fix` checks each pass's text with: a large file is fixed within the
/// memory it is checked in, and the text is not copied for a sectioned
/// check.
pub fn findings(
    text: &str,
    markup: Markup,
    plan: &Plan<'_>,
    selection: &Selection,
) -> Vec<Finding> {
    let plan = Plan {
        score: None,
        ..*plan
    };
    match sections::check_text(text, markup, None, &plan, selection) {
        Some(sectioned) => sectioned.checked.findings,
        None => {
            engine::check(
                &source::document(text.to_string(), markup),
                plan.rules,
                selection,
            )
            .findings
        }
    }
}

/// Checks and scores one file's text as `plan` says: in sections when it
/// is large enough and the plan allows, else whole. Also what `--fix`
/// checks a fixed file with before it is reported.
pub fn check_file(file: SourceFile, plan: &Plan<'_>, selection: &Selection) -> CheckedDoc {
    let file = match sections::check(file, plan, selection) {
        Ok(checked) => return checked,
        Err(whole) => whole,
    };
    let doc = source::document(file.text, file.markup);
    let checked = engine::check(&doc, plan.rules, selection);
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
    let doc = if plan.outline {
        doc.into_outline()
    } else {
        doc
    };
    CheckedDoc {
        name: file.name,
        doc,
        checked,
        notices: file.notices,
        score,
        paragraphs,
        severities: None,
    }
}

/// How many inputs past the oldest one not yet handed to the sink a worker
/// may start, per worker. Bounds the reorder buffer: a slow document holds
/// back at most this many finished ones, whatever the input size.
const WINDOW_PER_THREAD: usize = 2;

/// Processes `inputs` on `threads` threads, calling `sink` with each outcome
/// in input order. Stops early (and returns the error) if `sink` fails.
///
/// The calling thread is one of the `threads`: it hands finished outcomes to
/// `sink` (which need not be `Send`) and, when none is ready, checks an
/// input itself rather than sleeping until a worker delivers one. A thread
/// that only waited for results would share the cores with the workers and
/// be woken once per document, which cost more than the hand-over itself.
///
/// No input is started more than `threads * WINDOW_PER_THREAD` places past
/// the oldest outcome not yet passed to `sink`. So however skewed the sizes
/// (one huge file first, then thousands of small ones), memory holds the
/// documents being checked plus a bounded number of finished ones waiting
/// for their turn, never the whole input. The oldest outcome's thread is
/// never held back, so the window always moves.
///
/// The sink borrows each outcome; the outcome is then dropped on the
/// thread that checked it. With glibc's allocator, freeing a document on
/// the sink's thread locked the worker's arena while the worker allocated
/// in it, and the two threads took turns on that lock (most of the
/// context switches of a two-thread run, and about a tenth of its wall
/// time).
pub fn run<E: Send>(
    inputs: &[Input],
    plan: &Plan<'_>,
    threads: usize,
    mut sink: impl FnMut(&mut Outcome) -> Result<(), E>,
) -> Result<(), E> {
    if threads <= 1 || inputs.len() <= 1 {
        for input in inputs {
            sink(&mut process_guarded(input, plan))?;
        }
        return Ok(());
    }
    let window = threads.saturating_mul(WINDOW_PER_THREAD).max(1);
    let board = Board::default();
    let claimed = AtomicUsize::new(0);
    let workers = threads.min(inputs.len());
    // outcomes the sink is done with, by the thread that made them (0 is
    // the calling thread, which drops its own at once)
    let spent: Vec<Mutex<Vec<Outcome>>> = (0..workers).map(|_| Mutex::default()).collect();
    std::thread::scope(|scope| {
        for worker in 1..workers {
            let (board, claimed, spent) = (&board, &claimed, &spent[worker]);
            scope.spawn(move || {
                loop {
                    drop(std::mem::take(
                        &mut *spent.lock().unwrap_or_else(|e| e.into_inner()),
                    ));
                    let i = claimed.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else {
                        return;
                    };
                    if !board.wait_for_turn(i, window) {
                        return;
                    }
                    board.deliver(i, worker, process_guarded(input, plan));
                }
            });
        }
        let result = hand_over(inputs, plan, window, &board, &claimed, &spent, &mut sink);
        if result.is_err() {
            // waiting workers give up; busy ones finish their input, find
            // the board stopped and return
            board.stop();
        }
        result
    })
}

/// The calling thread's part of [`run`]: passes outcomes to `sink` in input
/// order, checking inputs inside the window itself while the next outcome
/// is not ready.
fn hand_over<E>(
    inputs: &[Input],
    plan: &Plan<'_>,
    window: usize,
    board: &Board,
    claimed: &AtomicUsize,
    spent: &[Mutex<Vec<Outcome>>],
    sink: &mut impl FnMut(&mut Outcome) -> Result<(), E>,
) -> Result<(), E> {
    let mut next = 0;
    while next < inputs.len() {
        let (maker, mut outcome) = match board.take(next) {
            Some(made) => made,
            None => match claim_inside(claimed, next + window, inputs.len()) {
                Some(i) if i == next => (0, process_guarded(&inputs[i], plan)),
                Some(i) => {
                    board.deliver(i, 0, process_guarded(&inputs[i], plan));
                    continue;
                }
                None => board.wait_for(next),
            },
        };
        sink(&mut outcome)?;
        if maker > 0 {
            spent[maker]
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(outcome);
        }
        next += 1;
        board.advance(next);
    }
    Ok(())
}

/// Claims the next unclaimed input if it lies before `limit` (and inside
/// the input), else `None`.
fn claim_inside(claimed: &AtomicUsize, limit: usize, len: usize) -> Option<usize> {
    let mut i = claimed.load(Ordering::Relaxed);
    while i < limit.min(len) {
        match claimed.compare_exchange_weak(i, i + 1, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return Some(i),
            Err(now) => i = now,
        }
    }
    None
}

/// Where finished outcomes wait for their turn, and how far the sink has
/// got.
#[derive(Default)]
struct Board {
    state: Mutex<BoardState>,
    /// Signalled when the sink moves on (for workers waiting to start).
    moved: Condvar,
    /// Signalled when the outcome the sink waits for arrives.
    arrived: Condvar,
}

#[derive(Default)]
struct BoardState {
    /// Outcomes passed to the sink.
    done: usize,
    /// The run was stopped.
    stopped: bool,
    /// Workers waiting on `moved` (waking none costs a system call each).
    waiting: usize,
    /// The sink's thread waits on `arrived`.
    sink_waiting: bool,
    /// Finished outcomes by input index, not yet passed to the sink, with
    /// the thread that made each.
    finished: BTreeMap<usize, (usize, Outcome)>,
}

impl Board {
    fn lock(&self) -> std::sync::MutexGuard<'_, BoardState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until input `i` lies inside the window; false when the run
    /// was stopped.
    fn wait_for_turn(&self, i: usize, window: usize) -> bool {
        let mut state = self.lock();
        loop {
            if state.stopped {
                return false;
            }
            if i < state.done + window {
                return true;
            }
            state.waiting += 1;
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
            state.waiting -= 1;
        }
    }

    /// Leaves input `i`'s outcome, made by thread `maker`, for the sink.
    fn deliver(&self, i: usize, maker: usize, outcome: Outcome) {
        let mut state = self.lock();
        state.finished.insert(i, (maker, outcome));
        if i == state.done && state.sink_waiting {
            self.arrived.notify_one();
        }
    }

    /// Input `i`'s outcome and its maker, if it has arrived.
    fn take(&self, i: usize) -> Option<(usize, Outcome)> {
        self.lock().finished.remove(&i)
    }

    /// Waits for input `i`'s outcome and its maker (the sink's next).
    fn wait_for(&self, i: usize) -> (usize, Outcome) {
        let mut state = self.lock();
        loop {
            if let Some(outcome) = state.finished.remove(&i) {
                return outcome;
            }
            state.sink_waiting = true;
            state = self.arrived.wait(state).unwrap_or_else(|e| e.into_inner());
            state.sink_waiting = false;
        }
    }

    /// Records that `done` outcomes have been passed on.
    fn advance(&self, done: usize) {
        let mut state = self.lock();
        state.done = done;
        if state.waiting > 0 {
            self.moved.notify_all();
        }
    }

    /// Stops the run: waiting workers give up.
    fn stop(&self) {
        self.lock().stopped = true;
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
            outline: false,
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
                    Outcome::Checked(c) => names.push(PathBuf::from(&c.name)),
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
    fn an_outline_plan_hands_back_sources_without_tables() {
        let dir = tempfile::tempdir().expect("temp dir");
        let inputs = inputs(dir.path(), 6);
        let rules = RuleSet::builtin().expect("rules");
        let select = plan_for(&rules);
        let whole = plain_plan(&rules, &select);
        let outline = Plan {
            outline: true,
            ..plain_plan(&rules, &select)
        };
        for threads in [1, 2] {
            let mut seen = Vec::new();
            for plan in [&whole, &outline] {
                let mut docs = Vec::new();
                run(&inputs, plan, threads, |o| -> Result<(), ()> {
                    let Outcome::Checked(c) = o else {
                        panic!("{o:?}")
                    };
                    docs.push((
                        c.doc.source().to_string(),
                        c.doc.word_count(),
                        c.doc.words().len(),
                        c.checked.findings.len(),
                    ));
                    Ok(())
                })
                .expect("run");
                seen.push(docs);
            }
            for (w, o) in seen[0].iter().zip(&seen[1]) {
                assert_eq!((&w.0, w.1, w.3), (&o.0, o.1, o.3), "{threads} threads");
                assert!(w.2 > 0 && w.2 == w.1, "whole documents keep their words");
                assert_eq!(o.2, 0, "an outline has no word table");
            }
            assert!(seen[0].iter().all(|d| d.3 > 0), "each input has a finding");
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
    fn the_sinks_thread_checks_inputs_too() {
        // with two threads, one worker is spawned and the calling thread
        // checks whatever the worker has not claimed while it waits
        let dir = tempfile::tempdir().expect("temp dir");
        let inputs = inputs(dir.path(), 200);
        let rules = RuleSet::builtin().expect("rules");
        let select = plan_for(&rules);
        let caller = std::thread::current().id();
        let by_caller = AtomicUsize::new(0);
        let counting = |input: &Input| {
            if std::thread::current().id() == caller {
                by_caller.fetch_add(1, Ordering::SeqCst);
            }
            select(input)
        };
        let plan = plain_plan(&rules, &counting);
        let mut seen = 0;
        run(&inputs, &plan, 2, |o| -> Result<(), ()> {
            assert!(matches!(o, Outcome::Checked(_)));
            seen += 1;
            Ok(())
        })
        .expect("run");
        assert_eq!(seen, 200);
        let by_caller = by_caller.load(Ordering::SeqCst);
        // (how many the worker takes depends on scheduling, so no upper bound)
        assert!(by_caller > 0, "the calling thread checked no input");
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
                    Outcome::Skipped(s) => s.clone(),
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
