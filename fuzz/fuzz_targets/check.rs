//! The whole check path (decode, extract, rules, score, fixes, reports) on
//! arbitrary bytes read as plain text, Markdown and HTML in turn.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

static CHECKER: LazyLock<invariants::Checker> = LazyLock::new(invariants::Checker::builtin);

fuzz_target!(|data: &[u8]| {
    for markup in invariants::MARKUPS {
        CHECKER.check_bytes(data, markup);
    }
});
