//! telltale: a linter for the tells of machine-written English prose.
//!
//! A document flows once through the modules below: `source` finds and
//! reads it and extracts its prose, `text` tokenizes it, `rules` and
//! `engine` find the tells, `report` writes them. See
//! `docs/architecture.md` for the map and where it differs from the design.
//!
//! ```
//! use telltale::{engine, rules::RuleSet, text::Document};
//!
//! let rules = RuleSet::builtin().expect("built-in packs load");
//! let doc = Document::plain("Let us delve into the rich tapestry of it.");
//! let found = engine::check(&doc, &rules, &engine::Selection::all(&rules));
//! assert!(!found.findings.is_empty());
//! ```

#![deny(missing_docs)]

pub mod cli;
pub mod config;
pub mod engine;
pub mod eval;
pub mod fix;
pub mod lsp;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod score;
pub mod source;
pub mod suppress;
pub mod text;

#[cfg(test)]
mod testing;
