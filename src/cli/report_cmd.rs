//! The `report` subcommand: the editor's view as one HTML page.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::progress::Progress;
use super::stats::RunStats;
use super::{CliError, ConfigArgs, ExitStatus, InputArgs, set_up, threads};
use crate::config::RuleChoices;
use crate::pipeline::{self, Outcome, Plan, ScorePlan};
use crate::report::html::{HtmlDoc, HtmlOptions, HtmlReport};
use crate::score::Scorer;
use crate::source;
use crate::text::Markup;

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files or folders to show; `-` reads stdin. Default: the current folder
    /// (stdin with `--stdin-filename`).
    pub paths: Vec<PathBuf>,
    /// Write the page to FILE (replaced atomically) instead of stdout, which
    /// must then be a pipe or a file, not a terminal.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How many contributors each document's breakdown lists each way.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub top: usize,
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
    /// Read the score model from this folder (written by `calibrate --write`).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Which config file to use.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// No notices and no progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print a summary of the run on stderr: files, words, findings by
    /// category, time and throughput.
    #[arg(long)]
    pub stats: bool,
    /// Which inputs, read how, with which extra packs, on how many threads.
    #[command(flatten)]
    pub input: InputArgs,
}

pub(super) fn report(args: ReportArgs) -> Result<ExitStatus, CliError> {
    page_has_somewhere_to_go(args.output.as_deref(), io::stdout().is_terminal())?;
    super::select_names_something(&args.select)?;
    let stats_clock = RunStats::start();
    let mut config = args.config.load()?;
    config.command_line = RuleChoices::from_flags(&args.select, &args.extend_select, &args.ignore);
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
    let select = |input: &source::Input| {
        let mut selection = selector.selection_for(input.path());
        selection.set_inline(!args.no_inline_config);
        selection
    };
    let (mut inputs, walk_errors) = setup.inputs?;
    if let Some(output) = &args.output {
        // a page written into the folder it reports on is found there by
        // the next run, and would report on itself
        let output = same_file_key(output);
        inputs.retain(|i| match i {
            source::Input::Path(p) => same_file_key(p) != output,
            source::Input::Stdin { .. } => true,
        });
    }
    let mut errors = 0;
    for e in &walk_errors {
        eprintln!("telltale: {e}");
        errors += 1;
    }
    let plan = Plan {
        rules: &rules,
        selection: &select,
        markup: args.input.input_format.map(Markup::from),
        score: Some(ScorePlan {
            scorer: &scorer,
            explain: true,
            paragraphs: true,
        }),
        // the report lays out every paragraph: it needs whole documents
        sections: None,
        outline: false,
    };
    let mut progress = Progress::for_run(inputs.len(), args.quiet);
    let mut stats = stats_clock;
    let mut page = HtmlReport::new(&rules, HtmlOptions { top: args.top });
    pipeline::run(&inputs, &plan, threads, |outcome| -> Result<(), CliError> {
        match outcome {
            Outcome::Checked(c) => {
                if !args.quiet {
                    for n in &c.notices {
                        progress.eprintln(format_args!("telltale: {n}"));
                    }
                }
                for w in &c.checked.warnings {
                    progress.eprintln(format_args!("telltale: {}: {w}", c.name));
                }
                if let Some(score) = &c.score {
                    page.add(&HtmlDoc {
                        path: &c.name,
                        doc: &c.doc,
                        findings: &c.checked.findings,
                        score,
                        paragraphs: &c.paragraphs,
                    });
                }
                stats.add(&c.doc, &c.checked.findings, &rules);
                progress.advance(c.doc.source().len());
            }
            Outcome::Skipped(notice) => {
                if !args.quiet {
                    progress.eprintln(format_args!("telltale: {notice}"));
                }
                progress.advance(0);
            }
            Outcome::Failed(e) => {
                progress.eprintln(format_args!("telltale: {e}"));
                errors += 1;
                progress.advance(0);
            }
        }
        Ok(())
    })?;
    progress.finish();
    let documents = page.len();
    match &args.output {
        Some(path) => write_atomically(path, |out| page.write(out))?,
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            page.write(&mut out)?;
            out.flush()?;
        }
    }
    let mut stderr = io::stderr().lock();
    if let (Some(path), false) = (&args.output, args.quiet) {
        let _ = writeln!(
            stderr,
            "telltale: wrote {} ({documents} document{})",
            path.display(),
            if documents == 1 { "" } else { "s" }
        );
    }
    if args.stats {
        let elapsed = stats.elapsed();
        stats.write(&mut stderr, elapsed)?;
    }
    Ok(if errors > 0 {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

/// Refuses to write the page to a terminal, as `gzip` refuses to write
/// compressed data to one: a page of HTML, script and style scrolled past
/// in the terminal is no use to anyone, and the run has done all its work
/// by the time it shows.
fn page_has_somewhere_to_go(
    output: Option<&Path>,
    stdout_is_terminal: bool,
) -> Result<(), CliError> {
    if output.is_none() && stdout_is_terminal {
        return Err(CliError::Usage(
            "report writes an HTML page: name its file with -o (telltale report drafts -o report.html) \
             or redirect stdout"
                .into(),
        ));
    }
    Ok(())
}

/// `path` spelt so two spellings of one file compare equal: resolved when it
/// exists, else made absolute by name.
fn same_file_key(path: &Path) -> std::path::PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        let cwd = std::env::current_dir().unwrap_or_default();
        source::discover::absolute(&cwd, path)
    })
}

/// Writes `path` through a temporary file in the same folder, renamed over
/// it once complete, so a reader never sees half a page.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    let failed = |source: io::Error| CliError::Write {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // a missing folder (a typo in -o) is said plainly: the temporary
    // file's error would name that file, which the user never asked for
    std::fs::metadata(dir).map_err(failed)?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    // a temporary file is private to its owner; a page is for sharing
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(failed)?;
    }
    {
        let mut out = io::BufWriter::new(file.as_file_mut());
        write(&mut out).map_err(failed)?;
        out.flush().map_err(failed)?;
    }
    file.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_goes_to_a_file_or_a_pipe_never_to_a_terminal() {
        let refused = page_has_somewhere_to_go(None, true);
        assert!(
            matches!(&refused, Err(CliError::Usage(m)) if m.contains("-o")),
            "{refused:?}"
        );
        assert!(page_has_somewhere_to_go(None, false).is_ok());
        assert!(page_has_somewhere_to_go(Some(Path::new("r.html")), true).is_ok());
    }
}
