//! The packs in `patterns/`, embedded at build time (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));
