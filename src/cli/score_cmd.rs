//! The `score` and `calibrate` subcommands.

use std::io::{self, Write};
use std::path::PathBuf;

use super::progress::Progress;
use super::stats::RunStats;
use super::{
    CalibrateArgs, CliError, EvalArgs, ExitStatus, ScoreArgs, ScoreFormat, load_rules, set_up,
    threads,
};
use crate::config::Config;
use crate::eval::{self, Label};
use crate::pipeline::{self, Outcome, Plan, ScorePlan};
use crate::report::score::{ParagraphRecord, ScoreRecord, write_human, write_json};
use crate::score::calibrate;
use crate::score::model::{Hyper, LEXICON_FILE, MODEL_FILE};
use crate::score::{Model, Scorer};
use crate::source;
use crate::text::Markup;

/// The built-in model, or the one in `dir`.
pub(super) fn load_model(dir: Option<&PathBuf>) -> Result<Model, CliError> {
    Ok(match dir {
        Some(d) => Model::load(d)?,
        None => Model::builtin()?,
    })
}

/// The first words of a block, for paragraph listings.
fn opening(text: &str) -> String {
    const MAX: usize = 48;
    let mut s: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX {
        s.push('\u{2026}');
    }
    s
}

pub(super) fn score(args: ScoreArgs) -> Result<ExitStatus, CliError> {
    let mut stats = RunStats::start();
    let config = args.config.load()?;
    let threads = threads(args.input.threads);
    let setup = set_up(
        &config,
        &args.paths,
        &args.input,
        args.model.as_ref(),
        threads,
    );
    let rules = setup.rules?;
    config.validate(&rules)?;
    let model = setup.model?;
    let scorer = Scorer::new(&model, &rules);
    let selector = config.selector(&rules);
    let select = |input: &source::Input| selector.selection_for(input.path());
    let (inputs, walk_errors) = setup.inputs?;
    // locked per write, not for the run: a worker thread that wrote to
    // stderr while this thread held it and waited for that worker's
    // outcome would hang the run
    let mut stderr = io::stderr();
    let mut errors = 0;
    for e in &walk_errors {
        let _ = writeln!(stderr, "telltale: {e}");
        errors += 1;
    }
    let plan = Plan {
        rules: &rules,
        selection: &select,
        markup: args.input.input_format.map(Markup::from),
        score: Some(ScorePlan {
            scorer: &scorer,
            explain: args.explain,
            paragraphs: args.paragraphs,
        }),
        sections: Some(pipeline::Sectioning::for_run(inputs.len(), threads)),
        // only per-paragraph records read more than the source (the blocks)
        outline: !args.paragraphs,
    };
    let mut records = Vec::new();
    let mut progress = Progress::for_run(inputs.len(), args.quiet);
    pipeline::run(&inputs, &plan, threads, |outcome| -> Result<(), CliError> {
        match outcome {
            Outcome::Checked(c) => {
                progress.advance(c.doc.source().len());
                stats.add(&c.doc, &c.checked.findings, &rules);
                let Some(scored) = c.score.take() else {
                    return Ok(());
                };
                let paragraphs = std::mem::take(&mut c.paragraphs)
                    .into_iter()
                    .map(|(b, scored)| {
                        let block = &c.doc.blocks()[b];
                        ParagraphRecord {
                            // the line alone: its column, counted from the
                            // line's start, made many paragraphs on one
                            // long line (HTML) cost the square of its length
                            line: c.doc.lines().line_of(c.doc.source_range(block.span).start) + 1,
                            opening: opening(c.doc.text(block.span)),
                            scored,
                        }
                    })
                    .collect();
                records.push(ScoreRecord {
                    path: std::mem::take(&mut c.name),
                    scored,
                    paragraphs,
                });
            }
            Outcome::Skipped(notice) => {
                progress.advance(0);
                if !args.quiet {
                    progress.eprintln(format_args!("telltale: {notice}"));
                }
            }
            Outcome::Failed(e) => {
                progress.advance(0);
                progress.eprintln(format_args!("telltale: {e}"));
                errors += 1;
            }
        }
        Ok(())
    })?;
    progress.finish();
    if args.sort {
        // stable: equal scores keep input order
        records.sort_by(|a, b| b.scored.score.total_cmp(&a.scored.score));
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        ScoreFormat::Human => write_human(&mut out, &records, args.top)?,
        ScoreFormat::Json => write_json(&mut out, &records)?,
    }
    out.flush()?;
    if args.stats {
        stats.write(&mut stderr, stats.elapsed())?;
    }
    Ok(if errors > 0 {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

pub(super) fn calibrate(args: CalibrateArgs) -> Result<ExitStatus, CliError> {
    if args.folds < 2 {
        return Err(CliError::Usage("--folds must be at least 2".into()));
    }
    for (flag, v) in [
        ("--lambda", args.lambda),
        ("--lambda-words", args.lambda_words),
    ] {
        if v.is_some_and(|v| !(v.is_finite() && v > 0.0)) {
            return Err(CliError::Usage(format!("{flag} must be a number above 0")));
        }
    }
    // the packs alone, not a local config's selection: weights are for
    // every rule
    let rules = load_rules(&Config::default(), &args.extend_patterns)?;
    let set = eval::load(&args.dir)?;
    let (n_h, n_ai) = (set.count(Label::Human), set.count(Label::Ai));
    if n_ai == 0 || n_h == 0 {
        return Err(CliError::Usage(format!(
            "{}: calibration needs documents of both labels (found {n_h} human, {n_ai} ai)",
            args.dir.display(),
        )));
    }
    let mut stderr = io::stderr().lock();
    let _ = writeln!(
        stderr,
        "telltale: observing {} documents ({n_h} human, {n_ai} ai)",
        set.docs.len(),
    );
    let corpus = calibrate::observe(&set, &rules, threads(None))?;
    let base = Hyper {
        lambda: args.lambda.unwrap_or(Hyper::default().lambda),
        lambda_words: args.lambda_words.unwrap_or(Hyper::default().lambda_words),
        min_docs: args.min_docs,
        max_words: args.max_words,
        intercept: None,
    };
    let source = args.dir.display().to_string();
    let fixed = args.lambda.is_some();
    let cal = calibrate::calibrate(&corpus, &rules, args.folds, &base, fixed, &source);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let how = if cal.by_domain {
        "leave-one-domain-out CV".to_string()
    } else {
        format!("{}-fold CV", args.folds)
    };
    writeln!(out, "lambda   lambda-words  AUROC   TPR@1%FPR  ({how})")?;
    for (i, t) in cal.trials.iter().enumerate() {
        writeln!(
            out,
            "{:<8} {:<13} {:.4}  {:>5.1}%{}",
            t.hyper.lambda,
            t.hyper.lambda_words,
            t.auroc,
            100.0 * t.tpr_at_1,
            if i == cal.chosen { "   <- chosen" } else { "" }
        )?;
    }
    writeln!(
        out,
        "{} lexicon words, {} rules, {} measurements",
        cal.model.lexicon.len(),
        cal.model.rules.len(),
        cal.model.metrics.len()
    )?;
    if let Some(dir) = &args.write {
        std::fs::create_dir_all(dir).map_err(|e| io_at(dir, e))?;
        for (name, text) in [
            (MODEL_FILE, cal.model.model_text()),
            (LEXICON_FILE, cal.model.lexicon_text()),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| io_at(&path, e))?;
            writeln!(out, "wrote {}", path.display())?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}

fn io_at(path: &std::path::Path, e: io::Error) -> CliError {
    CliError::Usage(format!("{}: {e}", path.display()))
}

/// The score part of `telltale eval`: accuracy rows (or false alarms on a
/// one-label set), per layer with `--layers`; written to `out`, or as JSON
/// into `json` when given.
pub(super) fn eval_scores(
    args: &EvalArgs,
    set: &eval::LabelledSet,
    rules: &crate::rules::RuleSet,
    threads: usize,
    out: &mut dyn Write,
    json: Option<&mut serde_json::Value>,
) -> Result<(), CliError> {
    use crate::eval::score as report;
    use crate::score::calibrate::Layers;
    if args.cv.is_some_and(|k| k < 2) {
        return Err(CliError::Usage("--cv must be at least 2".into()));
    }
    let model = load_model(args.model.as_ref())?;
    let corpus = calibrate::observe(set, rules, threads)?;
    let both = set.count(Label::Human) > 0 && set.count(Label::Ai) > 0;
    let all: Vec<usize> = (0..corpus.samples.len()).collect();
    let cv = args.cv.or(args.layers.then_some(5)).filter(|_| both);
    let how = match cv {
        Some(k) => format!("{k}-fold cross-validated, refitted with the model's settings"),
        None => "the built-in model".to_string(),
    };
    let how = if args.model.is_some() && cv.is_none() {
        "the model given with --model".to_string()
    } else {
        how
    };
    let mut value = serde_json::Map::new();
    if both {
        let scores = match cv {
            Some(k) => calibrate::cross_validate(&corpus, rules, &model.hyper, Layers::ALL, k),
            None => calibrate::score_samples(&corpus, &model, rules, &all),
        };
        let rows = report::rows(&corpus, &scores);
        report::write_rows(out, &format!("score ({how})"), &rows)?;
        value.insert("method".into(), how.clone().into());
        value.insert(
            "rows".into(),
            serde_json::to_value(&rows).map_err(io::Error::other)?,
        );
        if args.layers {
            let k = cv.unwrap_or(5);
            let labels: Vec<bool> = corpus.samples.iter().map(|s| s.ai).collect();
            writeln!(out)?;
            writeln!(out, "score layers ({k}-fold cross-validated)")?;
            writeln!(out, "{:22}  {:>6}  {:>9}", "LAYERS", "AUROC", "TPR@1%FPR")?;
            let mut layers_json = Vec::new();
            for (r, m, w) in [
                (true, false, false),
                (false, true, false),
                (false, false, true),
                (true, true, false),
                (true, false, true),
                (false, true, true),
                (true, true, true),
            ] {
                let layers = Layers {
                    rules: r,
                    metrics: m,
                    words: w,
                };
                let s = calibrate::cross_validate(&corpus, rules, &model.hyper, layers, k);
                let a = crate::score::accuracy::auroc(&s, &labels);
                let t = crate::score::accuracy::tpr_at_fpr(&s, &labels, 0.01).map(|t| t.0);
                writeln!(
                    out,
                    "{:22}  {:>6}  {:>9}",
                    layers.name(),
                    a.map_or("-".into(), |a| format!("{a:.4}")),
                    t.map_or("-".into(), |t| format!("{:.1}%", 100.0 * t))
                )?;
                layers_json.push(serde_json::json!({
                    "layers": layers.name(), "auroc": a, "tpr_at_1": t,
                }));
            }
            value.insert("layers".into(), layers_json.into());
        }
    } else {
        let scored = calibrate::scored_samples(&corpus, &model, rules, &all, true);
        let alarms = report::alarms(&corpus, scored);
        let label = if set.count(Label::Ai) > 0 {
            "ai"
        } else {
            "human"
        };
        report::write_alarms(
            out,
            &format!("score on a {label}-only set ({how})"),
            &alarms,
        )?;
        value.insert("method".into(), how.into());
        value.insert("documents".into(), alarms.documents.into());
        value.insert("at_50".into(), alarms.at_50.into());
        value.insert("at_80".into(), alarms.at_80.into());
        let top: Vec<serde_json::Value> = alarms
            .top
            .iter()
            .map(|(name, s)| {
                serde_json::json!({"file": name, "score": s.score, "words": s.words,
                "contributions": s.contributions.iter().take(6).collect::<Vec<_>>()})
            })
            .collect();
        value.insert("top".into(), top.into());
    }
    if let Some(j) = json {
        *j = serde_json::Value::Object(value);
    }
    Ok(())
}
