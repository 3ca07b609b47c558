//! What the language server lints with: the workspace root, the
//! `telltale.toml` found from it, and the rules that configuration loads.
//! Reloaded whenever the config file or one of its packs changes.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::engine::Selection;
use crate::rules::{PackSource, RuleSet};

/// The configuration and rules in force.
pub struct Workspace {
    /// The workspace folder, when the editor opened one.
    pub root: Option<PathBuf>,
    /// The configuration (the defaults when there is none or it is broken).
    pub config: Config,
    /// The built-in rules plus the config's packs.
    pub rules: RuleSet,
    /// What was wrong with the config or its packs, for the user.
    pub problems: Vec<String>,
}

impl Workspace {
    /// Finds and loads the configuration for `root` (walking up from it,
    /// as `telltale check` does from the current folder). A broken config
    /// or pack is reported in `problems` and linting goes on with the
    /// defaults, so the editor keeps working while the file is fixed.
    pub fn load(root: Option<PathBuf>) -> Workspace {
        let mut problems = Vec::new();
        let start = root
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        let mut config = match config::load(&config::Source::Discover(start.clone()), &start) {
            Ok(c) => c,
            Err(e) => {
                problems.push(e.to_string());
                Config::default()
            }
        };
        let builtin = || RuleSet::builtin().expect("the built-in packs are tested to load");
        let mut packs = RuleSet::builtin_packs();
        for path in &config.extend_patterns {
            match std::fs::read_to_string(path) {
                Ok(text) => packs.push(PackSource::new(path.display().to_string(), text)),
                Err(e) => problems.push(format!("{}: {e}", path.display())),
            }
        }
        let rules = match RuleSet::load(&packs) {
            Ok(r) => r,
            Err(e) => {
                problems.push(e.to_string());
                builtin()
            }
        };
        if let Err(e) = config.validate(&rules) {
            problems.push(e.to_string());
            config = Config::default();
        }
        Workspace {
            root,
            config,
            rules,
            problems,
        }
    }

    /// The rules to run on the file at `path` (`None` for an unsaved
    /// buffer), or `None` when the config excludes the file.
    pub fn selection_for(&self, path: Option<&Path>) -> Option<Selection> {
        let Some(path) = path else {
            return Some(self.config.selection_for(Path::new(""), &self.rules));
        };
        if self
            .config
            .exclude
            .as_ref()
            .is_some_and(|ex| ex.is_match(path, false))
        {
            return None;
        }
        Some(self.config.selection_for(path, &self.rules))
    }

    /// Whether a change to `path` calls for a reload: a config file name,
    /// the config in force, or one of its packs.
    pub fn is_config_file(&self, path: &Path) -> bool {
        let named = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| config::FILE_NAMES.contains(&n));
        named
            || self.config.path.as_deref() == Some(path)
            || self.config.extend_patterns.iter().any(|p| p == path)
    }
}
