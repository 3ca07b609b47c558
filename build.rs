//! Embeds every pack in `patterns/` into the binary, so adding a pack file
//! needs no code change, and records what loading would work out from the
//! text of their regexes alone: that each parses, and the literals it
//! requires (`src/rules/anchors.rs`, shared with the loader). Loading the
//! built-in packs then skips parsing their regexes (each is parsed when it
//! first runs) and extracting their anchors: three quarters of start-up.
//!
//! It also writes the lexicon (`patterns/lexicon.tsv`) as data, so the
//! built-in score model is not parsed from text on every run.
//!
//! A pack or a pattern this script cannot read is left out of the table,
//! so the loader checks it as it checks a user's pack and reports it the
//! same way; a lexicon line that is not plain words and decimals leaves
//! the lexicon to be parsed at run time, and its errors reported there.
//! The build never fails on the content of `patterns/`.

use std::{env, fmt::Write as _, fs, path::Path};

#[allow(dead_code)] // the loader uses more of it than this script
#[path = "src/rules/anchors.rs"]
mod anchors;

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
    let mut patterns = Vec::new();
    for p in &packs {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().expect("file").to_string_lossy();
        code.push_str(&format!(
            "    (\"patterns/{name}\", include_str!({:?})),\n",
            p.display().to_string()
        ));
        if let Ok(text) = fs::read_to_string(p) {
            patterns.extend(regexes(&text));
        }
    }
    code.push_str("];\n\n");
    patterns.sort();
    patterns.dedup();
    code.push_str(
        "/// Every regex of the built-in packs that parses, sorted, with the\n\
         /// literals it requires (`anchors::requirements`).\n\
         pub const PARSED: &[(&str, Option<Requirements>)] = &[\n",
    );
    for pattern in &patterns {
        let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
            continue;
        };
        let requirements = match anchors::requirements(&hir) {
            Some(r) => format!("Some({})", slices(&r)),
            None => "None".to_string(),
        };
        let _ = writeln!(code, "    ({pattern:?}, {requirements}),");
    }
    code.push_str("];\n");
    let out = env::var("OUT_DIR").expect("set by cargo");
    let out = Path::new(&out);
    fs::write(out.join("builtin_packs.rs"), code).expect("write generated pack list");

    let lexicon = dir.join("lexicon.tsv");
    println!("cargo:rerun-if-changed={}", lexicon.display());
    let table = fs::read_to_string(&lexicon)
        .ok()
        .and_then(|text| lexicon_table(&text))
        .unwrap_or_else(|| "None".to_string());
    let code = format!(
        "/// `patterns/lexicon.tsv` as (header, rows); `None` when it must be parsed.\n\
         static LEXICON_TABLE: Option<(&str, &[LexiconRow])> = {table};\n"
    );
    fs::write(out.join("builtin_lexicon.rs"), code).expect("write generated lexicon");
}

/// The lexicon as a Rust expression `Some((header, &[rows]))`, each row
/// `(word, weight, human_docs, ai_docs, &[means])` with the numbers as
/// written (a decimal literal is the `f64` that parsing its text gives);
/// `None` if any line is not plain: the run-time parser then reads the
/// text and reports what is wrong with it. Skips comments and blank lines
/// as the parser does; the header and the row width are checked there.
fn lexicon_table(text: &str) -> Option<String> {
    let decimal = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
        [int, frac]
            .iter()
            .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    };
    let count = |s: &str| (1..=9).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let mut header = None;
    let mut rows = String::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if header.is_none() {
            header = Some(line);
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [word, weight, human, ai, means @ ..] = fields.as_slice() else {
            return None;
        };
        if !decimal(weight) || !count(human) || !count(ai) || !means.iter().all(|m| decimal(m)) {
            return None;
        }
        let means: Vec<String> = means.iter().map(|m| format!("{m}_f64")).collect();
        let _ = writeln!(
            rows,
            "    ({word:?}, {weight}_f64, {human}, {ai}, &[{}]),",
            means.join(", ")
        );
    }
    Some(format!("Some(({:?}, &[\n{rows}]))", header?))
}

/// The `regex` and `unless` patterns of a pack's rules.
fn regexes(text: &str) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(toml::Value::Array(rules)) = table.get("rule") else {
        return Vec::new();
    };
    rules
        .iter()
        .flat_map(|rule| ["regex", "unless"].map(|key| rule.get(key)))
        .filter_map(|v| v.and_then(toml::Value::as_str).map(str::to_string))
        .collect()
}

/// `requirements` as a Rust expression of nested slices.
fn slices(requirements: &[anchors::Conjunction]) -> String {
    let list = |items: Vec<String>| format!("&[{}]", items.join(", "));
    list(
        requirements
            .iter()
            .map(|conjunction| {
                list(
                    conjunction
                        .iter()
                        .map(|set| list(set.iter().map(|l| format!("{l:?}")).collect()))
                        .collect(),
                )
            })
            .collect(),
    )
}
