//! Structural metrics: tells that no pattern can express (sentence rhythm,
//! dash density, repeated openers, heading shapes), one file each.
//!
//! A metric rule names its implementation with `metric = "..."` in a pack
//! and tunes it with a `settings` table; each metric parses its own
//! settings strictly, so a typo in a pack is an error naming the key.

mod em_dash_density;

use serde::de::DeserializeOwned;

use super::Hit;
use crate::text::Document;

/// A structural rule that reads the shared token and sentence tables.
pub trait Metric: Send + Sync {
    /// Inspects `doc` and appends a hit for `rule` where the tell shows.
    fn check(&self, doc: &Document, rule: usize, out: &mut Vec<Hit>);
}

/// Every metric implementation, by the name packs use: one visible list.
const METRICS: &[(&str, Builder)] = &[("em-dash-density", em_dash_density::build)];

type Builder = fn(toml::Table) -> Result<Box<dyn Metric>, String>;

/// Names of the metric implementations packs can use.
pub fn names() -> impl Iterator<Item = &'static str> {
    METRICS.iter().map(|(n, _)| *n)
}

/// Builds the metric `name` with its pack settings.
pub fn build(name: &str, settings: toml::Table) -> Result<Box<dyn Metric>, String> {
    match METRICS.iter().find(|(n, _)| *n == name) {
        Some((_, build)) => build(settings),
        None => Err(format!(
            "unknown metric `{name}`; known metrics: {}",
            names().collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Parses a metric's settings table into its typed settings.
fn settings<T: DeserializeOwned>(table: toml::Table) -> Result<T, String> {
    toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| format!("bad settings: {}", e.message().trim()))
}
