//! Pack loading on arbitrary TOML: a user pack either loads (and its rules
//! run soundly) or fails with errors that name the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = invariants::load_pack(&text);
});
