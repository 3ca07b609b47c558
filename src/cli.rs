//! Command-line interface: clap types and subcommand dispatch.
//!
//! Flag help is written once, on the fields below. Every subcommand returns
//! an [`ExitStatus`]; `main` turns it into the process exit code.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod progress;
mod report_cmd;
mod report_out;
mod score_cmd;
mod stats;

pub use report_cmd::ReportArgs;

use crate::config::{self, Config, ConfigErrors, RuleChoices};
use crate::engine::{self, Selection};
use crate::fix;
use crate::pipeline::{self, Outcome, Plan};
use crate::report::{self, DocReport, Format, ReportOptions, RunSummary};
use crate::rules::{PackErrors, PackSource, RuleSet, Severity};
use crate::source::{
    self,
    discover::{PathGlobs, WalkOptions},
};
use crate::text::{Document, Markup};

/// How the run ended; `main` maps it to the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the failure level (exit 0).
    Success,
    /// Findings at or above the failure level (exit 1).
    Failure,
    /// A usage, configuration or I/O error (exit 2).
    Error,
}

/// An error that stops a command before or instead of its normal output.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A pattern pack is invalid.
    #[error("{0}")]
    Packs(#[from] PackErrors),
    /// A labelled set could not be loaded or read.
    #[error("{0}")]
    Eval(#[from] crate::eval::EvalError),
    /// A file could not be written.
    #[error("{path}: {source}")]
    Write {
        /// The path given.
        path: String,
        /// Why it could not be written.
        source: io::Error,
    },
    /// The configuration is invalid.
    #[error("{0}")]
    Config(#[from] ConfigErrors),
    /// An `--exclude` glob does not compile.
    #[error("--exclude: {0}")]
    Exclude(String),
    /// `init` found a config file already there.
    #[error("{path} already exists; telltale init does not overwrite it")]
    ConfigExists {
        /// The file found.
        path: String,
    },
    /// The current folder could not be read.
    #[error("current folder: {0}")]
    CurrentDir(io::Error),
    /// A pattern pack file could not be read.
    #[error("{path}: {source}")]
    PackFile {
        /// The path given.
        path: String,
        /// Why it could not be read.
        source: io::Error,
    },
    /// `explain` was given an id no rule has.
    #[error("no rule `{id}`{hint}")]
    UnknownRule {
        /// The id given.
        id: String,
        /// Close matches, if any.
        hint: String,
    },
    /// The score model could not be loaded.
    #[error("{0}")]
    Model(#[from] crate::score::ModelError),
    /// A flag value is out of range.
    #[error("{0}")]
    Usage(String),
    /// Writing the output failed.
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
    /// The language server stopped abnormally.
    #[error("{0}")]
    Lsp(#[from] crate::lsp::LspError),
    /// `--fix` was asked to rewrite standard input.
    #[error("--fix cannot rewrite stdin; use --diff to see the fixes")]
    FixStdin,
    /// `--add-suppressions` was asked to rewrite standard input.
    #[error("--add-suppressions cannot rewrite stdin")]
    SuppressStdin,
}

/// telltale: finds the tells of machine-written English prose and scores each document.
#[derive(Debug, Parser)]
#[command(name = "telltale", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to colour output: on a terminal (auto), always or never.
    ///
    /// Colours check's human format and the severities that rules and
    /// explain show. Everything else (score, eval, calibrate, check's other
    /// formats, rules --format json or markdown) is plain text by design,
    /// read by scripts as often as by people, and is never coloured.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files, folders or stdin (`-`) and report every tell found.
    #[command(
        after_help = "Exit status: 0 nothing at or above --fail-on (and no document at or \
above --max-score), 1 something was, 2 a usage, configuration or I/O error \
(the readable files are still checked). With --diff: 1 when there is \
something to fix."
    )]
    Check(CheckArgs),
    /// List every rule: id, category, severity and message, with the
    /// severities the config file sets (`off` for a rule it turns off).
    Rules(RulesArgs),
    /// Explain a rule: why it is a tell, and text that is and is not flagged.
    Explain(ExplainArgs),
    /// Run the language server on stdin and stdout, for editors.
    Lsp,
    /// Measure the rules on labelled text (DIR with human/ and ai/, or a manifest.tsv).
    Eval(EvalArgs),
    /// Write a commented starter `telltale.toml` in the current folder.
    Init,
    /// Score documents 0-100 (how generated they read), with the reasons.
    Score(ScoreArgs),
    /// Fit the score model's weights on a labelled set and write them.
    Calibrate(CalibrateArgs),
    /// Write one self-contained HTML page showing where drafts read as
    /// generated: scores, highlighted findings, paragraph scores, word pull.
    Report(ReportArgs),
}

/// When to use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when writing to a terminal and `NO_COLOR` is not set (or empty).
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

pub use crate::config::FailOn;

/// The markup to read inputs as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// CommonMark with GitHub extensions.
    Markdown,
    /// Plain text.
    Plain,
    /// HTML: text nodes only.
    Html,
    /// MDX: Markdown with JSX and `{expressions}`, which are not prose.
    Mdx,
    /// A git commit message: plain text without git's `#` comment lines and
    /// the diff below `git commit -v`'s scissors line (files named
    /// `COMMIT_EDITMSG`, `MERGE_MSG`, `SQUASH_MSG` or `TAG_EDITMSG` are read
    /// so without it).
    Commit,
}

impl From<InputFormat> for Markup {
    fn from(f: InputFormat) -> Markup {
        match f {
            InputFormat::Markdown => Markup::Markdown,
            InputFormat::Plain => Markup::Plain,
            InputFormat::Html => Markup::Html,
            InputFormat::Mdx => Markup::Mdx,
            InputFormat::Commit => Markup::Commit,
        }
    }
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads stdin. Default: the current folder
    /// (stdin with `--stdin-filename`).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1 [default: warning, or the config's `fail-on`].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Run only these rules (ids, categories or `all`; comma-separated, repeatable).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Also run these rules, on top of the selection (comma-separated, repeatable).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Do not run these rules (ids or categories; comma-separated, repeatable).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Ignore inline `telltale-disable` comments (and do not report broken ones).
    #[arg(long)]
    pub no_inline_config: bool,
    /// Which config file to use.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Print findings only: no summaries, notices or progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print a summary of the run on stderr: files, words, findings by
    /// category, time and throughput.
    #[arg(long)]
    pub stats: bool,
    /// Which inputs, read how, with which extra packs, on how many threads.
    #[command(flatten)]
    pub input: InputArgs,
    /// Apply the fixes rules suggest, rewriting each changed file in place
    /// (atomically), then report the findings that are left.
    #[arg(long)]
    pub fix: bool,
    /// Print the changes `--fix` would make as a unified diff and write
    /// nothing; exits 1 when there is something to fix.
    #[arg(long)]
    pub diff: bool,
    /// Add a comment that turns the rule off on each line with a finding at
    /// or above the `--fail-on` level (every finding with `never`),
    /// rewriting each file in place (atomically), then report what is left:
    /// adopt telltale in a project and fail only on new tells.
    /// With `--diff`, print the comments as a diff and write nothing.
    #[arg(long, conflicts_with = "fix")]
    pub add_suppressions: bool,
    /// Exit 1 when any document scores N (0-100) or more, whatever its
    /// findings (overrides the config's `max-score`). The score compared is
    /// the one shown, to one decimal.
    #[arg(long, value_name = "N")]
    pub max_score: Option<f64>,
}

/// The input flags `check`, `score` and `report` share.
#[derive(Args, Debug, Default)]
pub struct InputArgs {
    /// Name to show for stdin; its extension picks the markup. With no paths,
    /// stdin is read.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Read every input as this markup instead of guessing from its extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Add the rules of a pattern pack (TOML, same format as `patterns/`). Repeatable.
    #[arg(long = "extend-patterns", value_name = "FILE")]
    pub extend_patterns: Vec<PathBuf>,
    /// Leave out paths matching this glob when walking folders. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply the excludes to files named on the command line too (for
    /// pre-commit hooks and editors, which name every file).
    #[arg(long)]
    pub force_exclude: bool,
    /// Number of worker threads (default, or 0: available cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}

/// How to find `telltale.toml`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this config file instead of looking for telltale.toml in this folder and above.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any config file.
    #[arg(long)]
    pub no_config: bool,
}

impl ConfigArgs {
    /// Loads the configuration these flags point to.
    pub fn load(&self) -> Result<Config, CliError> {
        let cwd = std::env::current_dir().map_err(CliError::CurrentDir)?;
        let source = match (&self.config, self.no_config) {
            (_, true) => config::Source::None,
            (Some(p), false) => config::Source::File(p.clone()),
            (None, false) => config::Source::Discover(cwd.clone()),
        };
        Ok(config::load(&source, &cwd)?)
    }
}

/// Arguments of `rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Listing format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
    /// Also list the rules of these pattern packs. Repeatable.
    #[arg(long = "extend-patterns", value_name = "FILE")]
    pub extend_patterns: Vec<PathBuf>,
    /// Which config file to use: its rule choices and `[severity]` are
    /// applied, and its `extend-patterns` listed too.
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// How `rules` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// Aligned columns.
    Table,
    /// One JSON array: `severity` as the config sets it (or `off`),
    /// `default_severity` as the pack declares it.
    Json,
    /// The Markdown reference of the built-in rules with their measured
    /// rates (the text of docs/rules.md): the packs' severities, whatever
    /// the config says.
    Markdown,
}

/// Arguments of `eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The labelled set: a folder with `human/` and `ai/` (either may be
    /// missing), or with a `manifest.tsv` (columns file, label, and
    /// optionally domain and generator).
    pub dir: PathBuf,
    /// Output format of the rule table.
    #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
    pub format: EvalFormat,
    /// Row order of the rule table.
    #[arg(long, value_enum, default_value_t = EvalSort::Rule)]
    pub sort: EvalSort,
    /// Also print one table per domain of the manifest.
    #[arg(long)]
    pub by_domain: bool,
    /// Leave out rules that fired in no document.
    #[arg(long)]
    pub hide_silent: bool,
    /// Only these rules. Repeatable.
    #[arg(long = "rule", value_name = "ID")]
    pub rule: Vec<String>,
    /// List every finding in documents of this label (of the `--rule`
    /// rules, else of every warning and error rule), to trace false alarms.
    #[arg(long, value_enum, value_name = "LABEL")]
    pub hits: Option<EvalLabel>,
    /// Score with models refitted K times, each document by a model fitted
    /// without it (K-fold cross-validation, deterministic folds).
    #[arg(long, value_name = "K")]
    pub cv: Option<usize>,
    /// Also measure each layer of the score alone and each pair
    /// (cross-validated: `--cv 5` unless given).
    #[arg(long)]
    pub layers: bool,
    /// Score with the model in this folder instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Write the measured counts to FILE (the format of `patterns/rates.tsv`).
    #[arg(long, value_name = "FILE")]
    pub write_rates: Option<PathBuf>,
    /// Add the rules of a pattern pack. Repeatable.
    #[arg(long = "extend-patterns", value_name = "FILE")]
    pub extend_patterns: Vec<PathBuf>,
    /// Number of worker threads (default, or 0: available cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}

/// How `eval` prints its rule table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// Aligned columns.
    Table,
    /// One JSON document.
    Json,
}

/// Row order of `eval`'s rule table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalSort {
    /// Pack order.
    Rule,
    /// Highest rate in human text first.
    Human,
    /// Highest rate in AI text first.
    Ai,
    /// Highest lift first.
    Lift,
}

/// A label of a labelled set, on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalLabel {
    /// Human-written documents.
    Human,
    /// AI-generated documents.
    Ai,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id.
    pub rule: String,
    /// Also look in these pattern packs. Repeatable.
    #[arg(long = "extend-patterns", value_name = "FILE")]
    pub extend_patterns: Vec<PathBuf>,
    /// Which config file to use: the severity shown is the one it sets,
    /// and its `extend-patterns` are searched too.
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Arguments of `score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Files or folders to score; `-` reads stdin. Default: the current folder
    /// (stdin with `--stdin-filename`).
    pub paths: Vec<PathBuf>,
    /// Rank documents from highest to lowest score.
    #[arg(long)]
    pub sort: bool,
    /// List the words, rules and measurements that moved each score most, both ways.
    #[arg(long)]
    pub explain: bool,
    /// How many contributors `--explain` lists each way.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub top: usize,
    /// Also score each paragraph and list item on its own.
    #[arg(long)]
    pub paragraphs: bool,
    /// No notices and no progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print a summary of the run on stderr: files, words, findings by
    /// category, time and throughput.
    #[arg(long)]
    pub stats: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Human)]
    pub format: ScoreFormat,
    /// Read the model from this folder (written by `calibrate --write`) instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Which inputs, read how, with which extra packs, on how many threads.
    #[command(flatten)]
    pub input: InputArgs,
    /// Which config file to use (rule selection and `extend-patterns`).
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// How `score` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// One aligned line per document: score, words, path.
    Human,
    /// One JSON array of documents.
    Json,
}

/// Arguments of `calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// A labelled set: `human/` and `ai/` folders, or a `manifest.tsv` (file, label, domain, generator).
    pub dir: PathBuf,
    /// Write `score-model.tsv` and `lexicon.tsv` into this folder (e.g. `patterns/`).
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
    /// Cross-validation folds used to choose the regularisation when the set has no domains (with three or more domains, each is held out in turn).
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub folds: usize,
    /// Fix the L2 strength of rule and metric weights (skips the search).
    #[arg(long, value_name = "X", requires = "lambda_words")]
    pub lambda: Option<f64>,
    /// Fix the L2 strength of lexicon weights (skips the search).
    #[arg(long, value_name = "X", requires = "lambda")]
    pub lambda_words: Option<f64>,
    /// Fewest documents a word must appear in to enter the lexicon.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub min_docs: u32,
    /// Most lexicon entries kept (the most widely used words).
    #[arg(long, value_name = "N", default_value_t = 6000)]
    pub max_words: usize,
    /// Add the rules of a pattern pack (TOML, same format as `patterns/`). Repeatable.
    #[arg(long = "extend-patterns", value_name = "FILE")]
    pub extend_patterns: Vec<PathBuf>,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitStatus, CliError> {
    let color = use_color(cli.color);
    let result = match cli.command {
        Command::Check(args) => check(args, color),
        Command::Rules(args) => rules(args, color),
        Command::Explain(args) => explain(args, color),
        Command::Lsp => match crate::lsp::run_stdio() {
            Ok(()) => Ok(ExitStatus::Success),
            // the protocol's exit code for `exit` without `shutdown` first
            Err(crate::lsp::LspError::ExitWithoutShutdown) => Ok(ExitStatus::Failure),
            Err(e) => Err(CliError::from(e)),
        },
        Command::Eval(args) => eval(args),
        Command::Init => init(),
        Command::Score(args) => score_cmd::score(args),
        Command::Calibrate(args) => score_cmd::calibrate(args),
        Command::Report(args) => report_cmd::report(args),
    };
    match result {
        Err(CliError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            Ok(ExitStatus::Success)
        }
        other => other,
    }
}

fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            !no_color(std::env::var_os("NO_COLOR").as_deref()) && io::stdout().is_terminal()
        }
    }
}

/// Whether a `NO_COLOR` value turns colour off: set and not empty, as
/// no-color.org defines it (an empty value is how a shell unsets it for
/// one command).
fn no_color(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

/// Worker threads: `n`, or the available cores when `n` is not given or
/// is 0 (as ripgrep and typos read `-j 0`).
pub(crate) fn threads(n: Option<usize>) -> usize {
    n.filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs `here` on this thread and `there` on another when `parallel`, else
/// one after the other. Start-up is serial work before any document is
/// checked; finding inputs and reading the model need nothing from the rules,
/// so with a second core they run while the rules load.
pub(crate) fn alongside<A, B: Send>(
    parallel: bool,
    here: impl FnOnce() -> A,
    there: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        let a = here();
        return (a, there());
    }
    std::thread::scope(|scope| {
        let there = scope.spawn(there);
        let a = here();
        let b = there
            .join()
            .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
        (a, b)
    })
}

/// What a run over inputs loads before checking, each part still to be
/// unwrapped in the order the command reports errors in.
pub(crate) struct Setup {
    /// The rules: built-in and extra packs.
    pub rules: Result<RuleSet, CliError>,
    /// The score model.
    pub model: Result<crate::score::Model, CliError>,
    /// The inputs, with what could not be walked.
    pub inputs: Result<(Vec<source::Input>, Vec<source::SourceError>), CliError>,
}

/// Loads the rules while the inputs are found and the model is read
/// ([`alongside`], on a second thread when `threads > 1`).
pub(crate) fn set_up(
    config: &Config,
    paths: &[PathBuf],
    input: &InputArgs,
    model: Option<&PathBuf>,
    threads: usize,
) -> Setup {
    let (rules, (model, inputs)) = alongside(
        threads > 1,
        || load_rules(config, &input.extend_patterns),
        || {
            let model = score_cmd::load_model(model);
            let inputs = find_inputs(paths, input, config);
            (model, inputs)
        },
    );
    Setup {
        rules,
        model,
        inputs,
    }
}

/// The built-in packs, the config's `extend-patterns` and the files named
/// with `--extend-patterns`.
pub(crate) fn load_rules(config: &Config, extra: &[PathBuf]) -> Result<RuleSet, CliError> {
    let mut packs = RuleSet::builtin_packs();
    // a pack named twice (in the config and again with --extend-patterns,
    // or spelt two ways) is loaded once: loaded twice, each of its rules
    // was 'already defined' by itself
    let mut seen = std::collections::HashSet::new();
    for path in config.extend_patterns.iter().chain(extra) {
        if !seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())) {
            continue;
        }
        let text = std::fs::read_to_string(path).map_err(|source| CliError::PackFile {
            path: path.display().to_string(),
            source,
        })?;
        packs.push(PackSource::new(path.display().to_string(), text));
    }
    Ok(RuleSet::load(&packs)?)
}

/// The inputs named on the command line: files, folders walked like
/// ripgrep (the current folder when none is named, stdin when none is
/// named but `--stdin-filename` is given) less `--exclude` and
/// the config's `exclude` (named paths too with `--force-exclude` or the
/// config's `force-exclude`), and `-` for stdin; with what could not be
/// walked.
pub(crate) fn find_inputs(
    paths: &[PathBuf],
    input: &InputArgs,
    config: &Config,
) -> Result<(Vec<source::Input>, Vec<source::SourceError>), CliError> {
    let paths = if paths.is_empty() {
        // a name for stdin means stdin is what is to be read, as ruff and
        // Prettier take it; checking the current folder instead ignored both
        // the text piped in and the name
        vec![PathBuf::from(if input.stdin_filename.is_some() {
            "-"
        } else {
            "."
        })]
    } else {
        paths.to_vec()
    };
    let cwd = std::env::current_dir().map_err(CliError::CurrentDir)?;
    let mut globs = Vec::new();
    if !input.exclude.is_empty() {
        globs.push(PathGlobs::new(&cwd, &cwd, &input.exclude).map_err(CliError::Exclude)?);
    }
    globs.extend(config.exclude.clone());
    let walk = WalkOptions {
        exclude: globs,
        force_exclude: input.force_exclude || config.force_exclude,
        stdin_name: input.stdin_filename.clone(),
    };
    Ok(source::discover(&paths, &walk, |p| {
        source::detect(p).is_some()
    }))
}

/// Refuses a `--select` that names nothing (`--select ''`, as an unset
/// shell variable gives): it would run no rule and pass every file.
pub(crate) fn select_names_something(select: &[String]) -> Result<(), CliError> {
    if !select.is_empty() && select.iter().all(|s| s.trim().is_empty()) {
        return Err(CliError::Usage(
            "--select names no rule; give rule ids, categories or `all`".into(),
        ));
    }
    Ok(())
}

fn check(args: CheckArgs, color: bool) -> Result<ExitStatus, CliError> {
    select_names_something(&args.select)?;
    if args.max_score.is_some_and(|n| !(0.0..=100.0).contains(&n)) {
        return Err(CliError::Usage(
            "--max-score must be between 0 and 100".into(),
        ));
    }
    // counted only when asked for: on a huge file the count is another
    // pass over every finding
    let mut stats = args.stats.then(stats::RunStats::start);
    let mut config = args.config.load()?;
    config.command_line = RuleChoices::from_flags(&args.select, &args.extend_select, &args.ignore);
    // the compiled rules live until the process exits: freeing their
    // automata and regexes cost 2% of a run for nothing
    let threads = threads(args.input.threads);
    let setup = set_up(&config, &args.paths, &args.input, None, threads);
    let rules = std::mem::ManuallyDrop::new(setup.rules?);
    config.validate(&rules)?;
    let selector = config.selector(&rules);
    let select = |input: &source::Input| {
        let mut selection = selector.selection_for(input.path());
        selection.set_inline(!args.no_inline_config);
        selection
    };
    let (inputs, walk_errors) = setup.inputs?;
    // with `never` no finding fails, and every one is taken
    let suppress_at = || {
        args.fail_on
            .or(config.fail_on)
            .unwrap_or(FailOn::Warning)
            .threshold()
            .unwrap_or(Severity::Info)
    };
    let fixing = match (args.fix, args.diff, args.add_suppressions) {
        (_, true, true) => Some(FixMode::SuppressDiff(suppress_at())),
        (_, false, true) => Some(FixMode::Suppress(suppress_at())),
        (_, true, false) => Some(FixMode::Diff),
        (true, false, false) => Some(FixMode::Write),
        (false, false, false) => None,
    };
    if fixing.is_some_and(FixMode::writes)
        && inputs
            .iter()
            .any(|i| matches!(i, source::Input::Stdin { .. }))
    {
        return Err(if args.add_suppressions {
            CliError::SuppressStdin
        } else {
            CliError::FixStdin
        });
    }
    let mut fixes = FixTotals::default();
    // locked per write, not for the run: a worker thread that wrote to
    // stderr while this thread held it and waited for that worker's
    // outcome would hang the run
    let mut stderr = io::stderr();
    let mut errors = 0;
    let mut problems = Vec::new();
    for e in &walk_errors {
        let _ = writeln!(stderr, "telltale: {e}");
        errors += 1;
        problems.push(e.to_string());
    }
    let model = setup.model?;
    let scorer = crate::score::Scorer::new(&model, &rules);
    let max_score = args.max_score.or(config.max_score);
    let plan = Plan {
        rules: &rules,
        selection: &select,
        markup: args.input.input_format.map(Markup::from),
        score: Some(pipeline::ScorePlan {
            scorer: &scorer,
            explain: false,
            paragraphs: false,
        }),
        // a large file is checked in sections, and so is its text as each
        // pass of fixes leaves it (`fix_document`)
        sections: Some(pipeline::Sectioning::for_run(inputs.len(), threads)),
        // reporters, fixes and statistics read only the source, its lines
        // and the word count
        outline: true,
    };
    let options = ReportOptions {
        color,
        quiet: args.quiet,
        threads,
    };
    let mut reporter = report::reporter(args.format, &rules, options);
    let mut progress = progress::Progress::for_run(inputs.len(), args.quiet);
    // a report to the terminal the bar is on goes out a whole line at a time
    let gate = if io::stdout().is_terminal() {
        progress.handle()
    } else {
        None
    };
    let mut out = io::BufWriter::with_capacity(
        64 * 1024,
        progress::LineGate::new(report_out::report_out(), gate),
    );
    let mut run = RunSummary::default();
    let mut failing = false;
    let mut over_max: Vec<(String, f64)> = Vec::new();
    let threshold = args
        .fail_on
        .or(config.fail_on)
        .unwrap_or(FailOn::Warning)
        .threshold();
    let mut next_input = 0;
    pipeline::run(&inputs, &plan, threads, |outcome| -> Result<(), CliError> {
        // the sink sees exactly one outcome per input, in input order
        let input = &inputs[next_input];
        next_input += 1;
        match outcome {
            Outcome::Checked(c) => {
                progress.advance(c.doc.source().len());
                if !args.quiet {
                    for n in &c.notices {
                        progress.eprintln(format_args!("telltale: {n}"));
                    }
                }
                for w in &c.checked.warnings {
                    progress.eprintln(format_args!("telltale: {}: {w}", c.name));
                }
                if let Some(mode) = fixing {
                    let selection = select(input);
                    if !mode.writes() {
                        // a diff shows no findings: they count only for the
                        // statistics, so they go before fixing; those that
                        // offer no fix then go (a large file has hundreds
                        // of thousands)
                        if let Some(stats) = &mut stats {
                            stats.add(&c.doc, &c.checked.findings, &rules);
                        }
                        if mode == FixMode::Diff {
                            keep_fixable(&mut c.checked.findings);
                        }
                    }
                    // --fix reports the findings of the text it leaves: the
                    // source's are needed again only if it is not rewritten,
                    // and are then found again rather than held while fixing
                    let dropped = mode == FixMode::Write
                        && c.notices.is_empty()
                        && keep_fixable(&mut c.checked.findings);
                    let fixed = fix_document(c, input, &plan, &selection, mode, &mut out);
                    if dropped && !matches!(fixed, Ok(Some(_))) {
                        check_again(c, None, &plan, &selection);
                    }
                    match fixed {
                        Err(e) => {
                            progress.eprintln(format_args!("telltale: {e}"));
                            if !matches!(e, FixFailure::Undecodable(_)) {
                                errors += 1;
                                problems.push(e.to_string());
                            }
                        }
                        Ok(None) => {}
                        Ok(Some((count, fixed))) => {
                            fixes.applied += count;
                            fixes.files += 1;
                            if !fixed.settled {
                                progress.eprintln(format_args!(
                                    "telltale: {}: fixes still changed the text after {} passes; some are left",
                                    c.name,
                                    fix::MAX_PASSES
                                ));
                            }
                            if mode.writes() {
                                // what is left to report is the fixed text's
                                check_again(c, Some(fixed.text), &plan, &selection);
                            }
                        }
                    }
                    if !mode.writes() {
                        return Ok(());
                    }
                }
                let findings = &c.checked.findings;
                failing |= threshold.is_some_and(|t| findings.iter().any(|f| f.severity >= t));
                // the gate compares the score every format shows, so a
                // document shown as 97 fails --max-score 97 and one shown
                // as 96.9 passes it
                let score = c.score.as_ref().map(|s| crate::score::shown(s.score));
                if let (Some(max), Some(s)) = (max_score, score)
                    && s >= max
                {
                    failing = true;
                    // said apart from the findings, which may not fail the
                    // run themselves: else a CI job ends in exit 1 with
                    // nothing in its log that says why
                    over_max.push((c.name.clone(), s));
                }
                match c.severities {
                    // a large file's were counted as its sections were joined
                    Some(counted) => run.add_counted(counted),
                    None => run.add(findings),
                }
                if let Some(stats) = &mut stats {
                    stats.add(&c.doc, findings, &rules);
                }
                reporter.document(
                    &mut out,
                    &DocReport {
                        path: &c.name,
                        doc: &c.doc,
                        findings,
                        score,
                    },
                )?;
                if next_input == inputs.len() {
                    // the last input's findings are left to the process's
                    // exit, like the rules: a very large file has hundreds
                    // of thousands, and freeing them one by one at the end
                    // of the run, with nothing else to do, took ~8 ms
                    std::mem::forget(std::mem::take(&mut c.checked.findings));
                }
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
                problems.push(e.to_string());
            }
        }
        Ok(())
    })?;
    progress.finish();
    run.errors = errors;
    run.problems = problems;
    if let Some(mode) = fixing.filter(|m| !m.writes()) {
        out.flush()?;
        if !args.quiet {
            let done = match mode {
                FixMode::SuppressDiff(_) => fixes.phrase("would suppress", "nothing to suppress"),
                _ => fixes.phrase("would fix", "nothing to fix"),
            };
            let _ = writeln!(stderr, "telltale: {done}");
        }
        if let Some(stats) = &stats {
            stats.write(&mut stderr, stats.elapsed())?;
        }
        return Ok(if errors > 0 {
            ExitStatus::Error
        } else if fixes.applied > 0 {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        });
    }
    reporter.finish(&mut out, &run)?;
    out.flush()?;
    if let Some(mode) = fixing
        && !args.quiet
    {
        let done = match mode {
            FixMode::Suppress(_) => fixes.phrase("suppressed", "nothing to suppress"),
            _ => fixes.phrase("fixed", "nothing to fix"),
        };
        let _ = writeln!(stderr, "telltale: {done}");
    }
    if let Some(max) = max_score
        && !args.quiet
    {
        for (name, score) in &over_max {
            let _ = writeln!(
                stderr,
                "telltale: {name}: score {score} is at or above the max-score of {max}"
            );
        }
    }
    if let Some(stats) = &stats {
        stats.write(&mut stderr, stats.elapsed())?;
    }
    Ok(if errors > 0 {
        ExitStatus::Error
    } else if failing {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Whether `check` writes fixes or only shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FixMode {
    /// `--fix`: rewrite the files.
    Write,
    /// `--diff`: print a unified diff, write nothing.
    Diff,
    /// `--add-suppressions`: turn off the rules of the findings at or above
    /// this severity on their lines, rewriting the files.
    Suppress(Severity),
    /// `--add-suppressions --diff`: print those comments as a diff.
    SuppressDiff(Severity),
}

impl FixMode {
    /// Whether the files are rewritten (else a diff is printed).
    fn writes(self) -> bool {
        matches!(self, FixMode::Write | FixMode::Suppress(_))
    }

    /// The level of the findings `--add-suppressions` turns off.
    fn suppresses(self) -> Option<Severity> {
        match self {
            FixMode::Suppress(level) | FixMode::SuppressDiff(level) => Some(level),
            FixMode::Write | FixMode::Diff => None,
        }
    }
}

/// Fixes counted over a run.
#[derive(Default)]
struct FixTotals {
    applied: usize,
    files: usize,
}

impl FixTotals {
    /// "fixed 3 findings in 2 files", or `nothing` ("nothing to fix").
    fn phrase(&self, verb: &str, nothing: &str) -> String {
        if self.applied == 0 {
            return nothing.to_string();
        }
        let s = |n: usize| if n == 1 { "" } else { "s" };
        format!(
            "{verb} {} finding{} in {} file{}",
            self.applied,
            s(self.applied),
            self.files,
            s(self.files)
        )
    }
}

/// Why a document was not fixed.
#[derive(Debug, thiserror::Error)]
enum FixFailure {
    /// The text was decoded or repaired on reading, so writing it back
    /// would change bytes no fix touched.
    #[error("{0}: not fixed: it is not plain UTF-8 (see the notice above)")]
    Undecodable(String),
    /// Writing failed or the file changed on disk.
    #[error("{0}")]
    Write(#[from] fix::WriteError),
    /// Printing the diff failed.
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
}

/// Keeps only the findings that offer a fix (all that fixing reads) and
/// returns whether any went; a file with no fix to offer keeps them all.
fn keep_fixable(findings: &mut Vec<engine::Finding>) -> bool {
    let before = findings.len();
    if !findings.iter().any(|f| f.suggestion().is_some()) {
        return false;
    }
    findings.retain(|f| f.suggestion().is_some());
    findings.shrink_to_fit();
    findings.len() != before
}

/// Checks a document again, as it was read, in place of `c`: its `text`
/// when given (the fixed text), else its source. The old document and its
/// findings go before the check.
fn check_again(
    c: &mut pipeline::CheckedDoc,
    text: Option<String>,
    plan: &Plan<'_>,
    selection: &Selection,
) {
    let markup = c.doc.markup();
    c.checked.findings = Vec::new();
    let doc = std::mem::replace(&mut c.doc, Document::outline(String::new(), markup, 0));
    let text = match text {
        Some(text) => {
            drop(doc);
            text
        }
        None => doc.into_source(),
    };
    let file = source::SourceFile {
        name: std::mem::take(&mut c.name),
        markup,
        text,
        notices: std::mem::take(&mut c.notices),
        directive_prefix: None,
    };
    *c = pipeline::check_file(file, plan, selection);
}

/// Fixes one checked document: prints its diff (`--diff`) or rewrites the
/// file (`--fix`). Returns the number of edits and the fixed text, or
/// `None` when there was nothing to fix.
fn fix_document(
    c: &pipeline::CheckedDoc,
    input: &source::Input,
    plan: &Plan<'_>,
    selection: &Selection,
    mode: FixMode,
    out: &mut dyn Write,
) -> Result<Option<(usize, fix::Fixed)>, FixFailure> {
    if let Some(level) = mode.suppresses() {
        return suppress_document(c, input, plan, level, mode.writes(), out);
    }
    if !c.checked.findings.iter().any(|f| f.suggestion().is_some()) {
        return Ok(None);
    }
    if !c.notices.is_empty() {
        return Err(FixFailure::Undecodable(c.name.clone()));
    }
    let original = c.doc.source();
    let markup = c.doc.markup();
    // each pass's text is checked as the file was, in sections if large,
    // for the rules that offer fixes only: no other finding makes an edit
    let fixable = selection.fixable_only(plan.rules);
    let fixed = fix::fix(original, &c.checked.findings, |text| {
        pipeline::findings(text, markup, plan, &fixable)
    });
    if fixed.applied == 0 || fixed.text == original {
        return Ok(None);
    }
    match (mode, input) {
        (FixMode::Diff, _) => {
            out.write_all(
                fix::unified_diff(&c.name, original, &fixed.text, &fixed.changes).as_bytes(),
            )?;
        }
        (FixMode::Write, source::Input::Path(path)) => {
            fix::write_atomically(path, original.as_bytes(), fixed.text.as_bytes())?;
        }
        // refused before checking began
        (FixMode::Write, source::Input::Stdin { .. }) => return Ok(None),
        (FixMode::Suppress(_) | FixMode::SuppressDiff(_), _) => {
            unreachable!("suppressions are written above")
        }
    }
    Ok(Some((fixed.applied, fixed)))
}

/// Writes a comment that turns the rule off on each line of one checked
/// document with a finding at or above `level` (`--add-suppressions`), or
/// prints them as a diff when not `write`. Returns the number of findings
/// suppressed and the new text, or `None` when there was nothing to
/// suppress. Findings about directives are left: no directive turns them
/// off.
fn suppress_document(
    c: &pipeline::CheckedDoc,
    input: &source::Input,
    plan: &Plan<'_>,
    level: Severity,
    write: bool,
    out: &mut dyn Write,
) -> Result<Option<(usize, fix::Fixed)>, FixFailure> {
    let directive_rules: Vec<usize> = plan.rules.directive_rules().collect();
    let findings: Vec<&engine::Finding> = c
        .checked
        .findings
        .iter()
        .filter(|f| f.severity >= level && !directive_rules.contains(&f.rule))
        .collect();
    if findings.is_empty() {
        return Ok(None);
    }
    if !c.notices.is_empty() {
        return Err(FixFailure::Undecodable(c.name.clone()));
    }
    let original = c.doc.source();
    let rules = plan.rules.rules();
    let comments = fix::disable::line_comments(original, c.doc.markup(), &findings, |r| {
        rules[r].id.as_str()
    });
    let (text, changes) = fix::disable::insert(original, &comments);
    match input {
        source::Input::Path(path) if write => {
            fix::write_atomically(path, original.as_bytes(), text.as_bytes())?;
        }
        // refused before checking began
        source::Input::Stdin { .. } if write => return Ok(None),
        _ => out.write_all(fix::unified_diff(&c.name, original, &text, &changes).as_bytes())?,
    }
    let fixed = fix::Fixed {
        text,
        changes,
        applied: findings.len(),
        settled: true,
    };
    Ok(Some((findings.len(), fixed)))
}

fn rules(args: RulesArgs, color: bool) -> Result<ExitStatus, CliError> {
    let config = args.config.load()?;
    let rules = load_rules(&config, &args.extend_patterns)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut status = ExitStatus::Success;
    match args.format {
        RulesFormat::Table | RulesFormat::Json => {
            // a name the config gets wrong is an error, as for `check`; the
            // listing still follows, since it is where to look up the name
            if let Err(errors) = config.validate(&rules) {
                let mut err = io::stderr().lock();
                for e in &errors.0 {
                    let _ = writeln!(err, "telltale: error: {e}");
                }
                status = ExitStatus::Error;
            }
            let selection = config.selection(&rules);
            note_overrides(&config);
            if args.format == RulesFormat::Table {
                report::rules::write_table(&mut out, &rules, &selection, color)?;
            } else {
                report::rules::write_json(&mut out, &rules, &selection)?;
            }
        }
        RulesFormat::Markdown => {
            // the reference documents the shipped rules only, so it is the
            // same whatever configuration is in force
            let builtin = RuleSet::builtin()?;
            let rates = crate::rules::rates::Rates::builtin();
            write!(
                out,
                "{}",
                crate::rules::reference::markdown(&builtin, &rates)
            )?;
        }
    }
    out.flush()?;
    Ok(status)
}

/// Says on stderr that the severities shown, from [`Config::selection`],
/// are not those of the files the config's `[[overrides]]` match.
fn note_overrides(config: &Config) {
    if let Some(path) = config
        .path
        .as_ref()
        .filter(|_| !config.overrides.is_empty())
    {
        let _ = writeln!(
            io::stderr(),
            "telltale: {} has [[overrides]] tables; the severities shown are those of files they do not match",
            path.display()
        );
    }
}

fn explain(args: ExplainArgs, color: bool) -> Result<ExitStatus, CliError> {
    let config = args.config.load()?;
    let rules = load_rules(&config, &args.extend_patterns)?;
    let Some(index) = rules.index(&args.rule) else {
        let in_category: Vec<&str> = rules
            .rules()
            .iter()
            .filter(|r| r.category == args.rule)
            .map(|r| r.id.as_str())
            .collect();
        let name = args.rule.to_lowercase();
        let close: Vec<String> = rules
            .rules()
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| id.contains(name.as_str()) || name.contains(id))
            .take(5)
            .map(|id| format!("`{id}`"))
            .collect();
        let hint = if !in_category.is_empty() {
            format!(
                "; it is a category, of the rules {}",
                in_category.join(", ")
            )
        } else if close.is_empty() {
            rules.hint(&args.rule)
        } else {
            format!("; did you mean {}?", close.join(", "))
        };
        return Err(CliError::UnknownRule {
            id: args.rule,
            hint,
        });
    };
    let r = &rules.rules()[index];
    let mut out = io::BufWriter::new(io::stdout().lock());
    let configured = config.selection(&rules).severity(index);
    writeln!(
        out,
        "{} ({}, {}, weight {})",
        r.id,
        r.category,
        report::severity_styled(report::rules::severity_name(configured), configured, color),
        r.weight
    )?;
    if let Some(path) = config
        .path
        .as_ref()
        .filter(|_| configured != Some(r.severity))
    {
        note_overrides(&config);
        let what = match configured {
            Some(s) => format!("Set to {s}"),
            None => "Turned off".to_string(),
        };
        writeln!(
            out,
            "{what} by {} (its pack says {}).",
            path.display(),
            r.severity
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", r.message)?;
    writeln!(out)?;
    writeln!(out, "{}", r.why)?;
    if let Some(help) = &r.help {
        writeln!(out)?;
        writeln!(out, "Instead: {help}")?;
    }
    match &r.suggest {
        Some(suggest) if suggest.is_empty() => {
            writeln!(out)?;
            writeln!(out, "Fix: `telltale check --fix` deletes it")?;
        }
        Some(suggest) => {
            writeln!(out)?;
            writeln!(
                out,
                "Fix: `telltale check --fix` replaces it with \"{suggest}\""
            )?;
        }
        // a built-in rule that writes each finding's fix
        None if rules.offers_fix(index) => {
            writeln!(out)?;
            writeln!(
                out,
                "Fix: `telltale check --fix` deletes the directive, or rewrites it without the names that match no finding"
            )?;
        }
        None => {}
    }
    let markup = r.examples.markup.unwrap_or(Markup::Plain);
    let show = |out: &mut dyn Write, title: &str, list: &[String]| -> io::Result<()> {
        if list.is_empty() {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(out, "{title}")?;
        for ex in list {
            let doc = source::document(ex.clone(), markup);
            let flagged = engine::flagged_by(&doc, &rules, index);
            let mut line = ex.replace('\n', "\n    ");
            if let Some(span) = flagged.first() {
                let text = doc.source().get(span.clone()).unwrap_or_default();
                line = format!("{line}  ← {}", text.replace('\n', "\n    "));
            }
            writeln!(out, "  - {line}")?;
        }
        Ok(())
    };
    show(&mut out, "Flagged:", &r.examples.flag)?;
    show(&mut out, "Not flagged:", &r.examples.pass)?;
    writeln!(out)?;
    writeln!(out, "Defined in {}", r.origin)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

fn eval(args: EvalArgs) -> Result<ExitStatus, CliError> {
    use crate::eval::{self, Label, rules as table};
    // measurements use the packs alone, not a local config's selection
    let rules = load_rules(&Config::default(), &args.extend_patterns)?;
    let mut only = Vec::new();
    for id in &args.rule {
        match rules.index(id) {
            Some(i) => only.push(i),
            None => {
                return Err(CliError::UnknownRule {
                    id: id.clone(),
                    hint: "; `telltale rules` lists them".to_string(),
                });
            }
        }
    }
    let set = eval::load(&args.dir)?;
    let threads = threads(args.threads);
    let hits_label = args.hits.map(|l| match l {
        EvalLabel::Human => Label::Human,
        EvalLabel::Ai => Label::Ai,
    });
    let wanted = |i: usize| {
        if only.is_empty() {
            rules.rules()[i].severity >= Severity::Warning
        } else {
            only.contains(&i)
        }
    };
    let results = eval::check_all(
        &set,
        &rules,
        &Selection::all(&rules),
        threads,
        |labelled, doc, checked| {
            let hits = if hits_label == Some(labelled.label) {
                table::hit_lines(labelled, doc, checked, &rules, &wanted)
            } else {
                Vec::new()
            };
            (table::tally(labelled, doc, checked), hits)
        },
    )?;
    let tallies: Vec<table::DocTally> = results.iter().map(|(t, _)| t.clone()).collect();
    let rule_table = table::RuleTable::build(rules.len(), &tallies);
    let title = args.dir.display().to_string();
    if let Some(path) = &args.write_rates {
        let source = format!(
            "measured with `telltale eval {title} --write-rates {}`",
            path.display()
        );
        let text = rule_table.rates(&rules, &source).to_tsv();
        std::fs::write(path, text).map_err(|source| CliError::Write {
            path: path.display().to_string(),
            source,
        })?;
    }
    let opts = table::TableOptions {
        sort: match args.sort {
            EvalSort::Rule => table::SortBy::Rule,
            EvalSort::Human => table::SortBy::Human,
            EvalSort::Ai => table::SortBy::Ai,
            EvalSort::Lift => table::SortBy::Lift,
        },
        only: (!only.is_empty()).then(|| only.clone()),
        hide_silent: args.hide_silent,
    };
    let domains = args
        .by_domain
        .then(|| table::RuleTable::by_domain(rules.len(), &tallies));
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Table => {
            for (_, lines) in &results {
                for line in lines {
                    writeln!(out, "{line}")?;
                }
            }
            if hits_label.is_some() {
                writeln!(out)?;
            }
            table::write_table(&mut out, &title, &rules, &rule_table, &opts)?;
            writeln!(out)?;
            score_cmd::eval_scores(&args, &set, &rules, threads, &mut out, None)?;
            for (domain, t) in domains.iter().flatten() {
                writeln!(out)?;
                let domain_opts = table::TableOptions {
                    hide_silent: true,
                    ..opts.clone()
                };
                table::write_table(
                    &mut out,
                    &format!("{title} [{domain}]"),
                    &rules,
                    t,
                    &domain_opts,
                )?;
            }
        }
        EvalFormat::Json => {
            let mut doc = table::to_json(&rules, &rule_table, &opts);
            doc["set"] = serde_json::Value::String(title.clone());
            if let Some(domains) = &domains {
                let map: serde_json::Map<String, serde_json::Value> = domains
                    .iter()
                    .map(|(d, t)| (d.clone(), table::to_json(&rules, t, &opts)))
                    .collect();
                doc["domains"] = serde_json::Value::Object(map);
            }
            if hits_label.is_some() {
                let lines: Vec<&String> = results.iter().flat_map(|(_, l)| l).collect();
                doc["hits"] = serde_json::json!(lines);
            }
            let mut score = serde_json::Value::Null;
            score_cmd::eval_scores(
                &args,
                &set,
                &rules,
                threads,
                &mut io::sink(),
                Some(&mut score),
            )?;
            doc["score"] = score;
            serde_json::to_writer_pretty(&mut out, &doc).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}

fn init() -> Result<ExitStatus, CliError> {
    let cwd = std::env::current_dir().map_err(CliError::CurrentDir)?;
    if let Some(found) = config::FILE_NAMES
        .iter()
        .map(|n| cwd.join(n))
        .find(|p| p.exists())
    {
        return Err(CliError::ConfigExists {
            path: found.display().to_string(),
        });
    }
    let path = cwd.join(config::FILE_NAMES[0]);
    // create_new: never overwrite, even if a file appeared since the check
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => CliError::ConfigExists {
                path: path.display().to_string(),
            },
            _ => CliError::Output(e),
        })?;
    file.write_all(config::STARTER.as_bytes())?;
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "telltale: wrote {}", path.display());
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn zero_threads_means_the_available_cores() {
        assert_eq!(threads(Some(3)), 3);
        assert_eq!(threads(Some(0)), threads(None));
        assert!(threads(None) >= 1);
    }

    #[test]
    fn an_empty_no_color_leaves_colour_on() {
        assert!(!no_color(None));
        assert!(!no_color(Some(OsStr::new(""))));
        assert!(no_color(Some(OsStr::new("1"))));
        assert!(no_color(Some(OsStr::new("0"))), "any value but empty");
    }
}
