//! Embeds every pack in `patterns/` into the binary, so adding a pack file
//! needs no code change.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("patterns");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut packs: Vec<_> = fs::read_dir(&dir)
        .expect("patterns/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    packs.sort();
    let mut code = String::from(
        "/// The built-in packs: (path, text).\npub const PACKS: &[(&str, &str)] = &[\n",
    );
    for p in &packs {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().expect("file").to_string_lossy();
        code.push_str(&format!(
            "    (\"patterns/{name}\", include_str!({:?})),\n",
            p.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("set by cargo")).join("builtin_packs.rs");
    fs::write(out, code).expect("write generated pack list");
}
