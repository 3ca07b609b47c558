//! Turns the paths on the command line into the list of documents to check:
//! files named explicitly are always checked; folders are walked like
//! ripgrep walks them (`.gitignore`, `.ignore`, hidden files skipped) and
//! only files with a known prose extension are kept; `-` is stdin.

use std::path::{Path, PathBuf};

use super::SourceError;

/// One document to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file on disk.
    Path(PathBuf),
    /// Standard input, shown under `name`.
    Stdin {
        /// The name given with `--stdin-filename`, or `<stdin>`.
        name: String,
    },
}

impl Input {
    /// The name shown in output.
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => display_path(p),
            Input::Stdin { name } => name.clone(),
        }
    }

    /// The path used to detect the markup (the stdin name for stdin).
    pub fn path(&self) -> &Path {
        match self {
            Input::Path(p) => p,
            Input::Stdin { name } => Path::new(name),
        }
    }
}

/// A path as shown to users: without a leading `./`, lossy if not UTF-8.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

/// What to walk and what to skip.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Glob patterns (gitignore syntax) of paths to leave out.
    pub exclude: Vec<String>,
    /// Name for stdin in output.
    pub stdin_name: Option<String>,
}

/// Expands `paths` into inputs, in a stable order: each argument in turn,
/// folder contents sorted by path. Problems are returned beside the inputs
/// so the rest can still be checked.
pub fn discover(
    paths: &[PathBuf],
    options: &WalkOptions,
    is_prose: impl Fn(&Path) -> bool,
) -> (Vec<Input>, Vec<SourceError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let excludes = match build_excludes(&options.exclude) {
        Ok(o) => o,
        Err(e) => {
            errors.push(SourceError::Walk(e));
            return (inputs, errors);
        }
    };
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin {
                name: options
                    .stdin_name
                    .clone()
                    .unwrap_or_else(|| "<stdin>".to_string()),
            });
            continue;
        }
        if !path.is_dir() {
            // named explicitly: checked whatever its extension (a missing
            // file is reported when it is read)
            inputs.push(Input::Path(path.clone()));
            continue;
        }
        let mut found = Vec::new();
        let mut walk = ignore::WalkBuilder::new(path);
        walk.require_git(false).follow_links(false);
        for entry in walk.build() {
            match entry {
                Ok(e) => {
                    let p = e.path();
                    if e.file_type().is_some_and(|t| t.is_file())
                        && is_prose(p)
                        && !excluded(&excludes, p)
                    {
                        found.push(p.to_path_buf());
                    }
                }
                Err(e) => errors.push(SourceError::Walk(e.to_string())),
            }
        }
        found.sort();
        inputs.extend(found.into_iter().map(Input::Path));
    }
    (inputs, errors)
}

fn build_excludes(globs: &[String]) -> Result<Option<ignore::overrides::Override>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = ignore::overrides::OverrideBuilder::new(".");
    for g in globs {
        // an override glob includes; `!` makes it exclude
        b.add(&format!("!{g}"))
            .map_err(|e| format!("--exclude {g}: {e}"))?;
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

fn excluded(excludes: &Option<ignore::overrides::Override>, path: &Path) -> bool {
    excludes
        .as_ref()
        .is_some_and(|o| o.matched(path, false).is_ignore())
}
