//! Config loading on arbitrary TOML: a config either parses and validates
//! against the built-in rules, or fails with errors that name the file.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use telltale::rules::RuleSet;

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::builtin().expect("built-in packs load"));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = invariants::load_config(&text, &RULES);
});
