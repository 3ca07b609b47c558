//! Embeds every pack in `patterns/` into the binary, so adding a pack file
//! needs no code change, and does once the work on them that depends only
//! on their text, which every run did at start-up:
//!
//! - each pack's rules as Rust data, so the loader does not parse TOML
//!   (it still validates and builds every rule as for any pack);
//! - for each regex, that it parses and the literals it requires
//!   (`src/rules/anchors.rs`, shared with the loader): the loader skips
//!   parsing it (it is parsed when it first runs) and extracting anchors,
//!   three quarters of start-up;
//! - for each regex with classes wider than the common blocks of prose,
//!   its narrowed form (`src/rules/narrowing.rs`), which a regex compiles
//!   to on first use for text within those blocks: rebuilding and
//!   narrowing its tree cost about half a million instructions a regex.
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

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Look, Repetition,
};

#[allow(dead_code)] // the loader uses more of it than this script
#[path = "src/rules/anchors.rs"]
mod anchors;
#[allow(dead_code)] // the regex compiler uses more of it than this script
#[path = "src/rules/narrowing.rs"]
mod narrowing;

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
    let mut rules = String::from(
        "/// The rules of each of [`PACKS`] as data; `None` for a pack that\n\
         /// must be parsed.\n\
         pub static PACK_RULES: &[Option<&[RuleRow]>] = &[\n",
    );
    for p in &packs {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().expect("file").to_string_lossy();
        code.push_str(&format!(
            "    (\"patterns/{name}\", include_str!({:?})),\n",
            p.display().to_string()
        ));
        let text = fs::read_to_string(p).unwrap_or_default();
        patterns.extend(regexes(&text));
        let _ = writeln!(
            rules,
            "    {},",
            pack_rules(&text).map_or("None".to_string(), |r| format!("Some(&[\n{r}    ])"))
        );
    }
    code.push_str("];\n\n");
    rules.push_str("];\n\n");
    code.push_str(&rules);
    patterns.sort();
    patterns.dedup();
    code.push_str(
        "/// Every regex of the built-in packs that parses, sorted, with the\n\
         /// literals it requires (`anchors::requirements`), a program\n\
         /// that builds its parse (`build_hir`) and ones that build its\n\
         /// narrowed forms (`narrowing::narrow_with_ascii_boundaries` to\n\
         /// `COMMON` and to `WIDE`), and whether it asserts a start.\n\
         pub static PARSED: &[Parsed] = &[\n",
    );
    let mut programs = Programs::default();
    for pattern in &patterns {
        let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
            continue;
        };
        let requirements = match anchors::requirements(&hir) {
            Some(r) => format!("Some({})", slices(&r)),
            None => "None".to_string(),
        };
        let build = programs.program(&hir);
        // the form the regex compiles to for common text, when it differs
        let narrowed = narrowing::narrow_with_ascii_boundaries(&hir, &narrowing::COMMON)
            .map_or("None".to_string(), |n| programs.program(&n));
        // and for text of the wide blocks
        let wide = narrowing::narrow_with_ascii_boundaries(&hir, &narrowing::WIDE)
            .map_or("None".to_string(), |n| programs.program(&n));
        // whether it asserts a start (`LazyRegex::anchored_at_start`)
        let looks = hir.properties().look_set();
        let anchored = [Look::Start, Look::StartLF, Look::StartCRLF]
            .into_iter()
            .any(|look| looks.contains(look));
        let _ = writeln!(
            code,
            "    ({pattern:?}, {requirements}, {build}, {narrowed}, {wide}, {anchored}),"
        );
    }
    code.push_str("];\n\n");
    code.push_str(&programs.code());
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

/// The `[[rule]]` tables of a pack with the byte offset each starts at.
type Rules = std::collections::BTreeMap<String, Vec<toml::Spanned<toml::Table>>>;

/// A pack's rules as `RuleRow` expressions (`src/rules/builtin.rs`), one
/// a line; `None` unless every rule has only the keys and types loading
/// accepts, written the plain way (a float weight, known severity, scope
/// and markup names): anything else is left to the loader, which parses
/// the pack and reports what is wrong as for any pack.
fn pack_rules(text: &str) -> Option<String> {
    let file: Rules = toml::from_str(text).ok()?;
    let mut out = String::new();
    for (key, rules) in &file {
        if key != "rule" {
            return None;
        }
        for rule in rules {
            let line = text.get(..rule.span().start)?.matches('\n').count() + 1;
            let _ = writeln!(out, "        {},", rule_row(line, rule.get_ref())?);
        }
    }
    Some(out)
}

/// One rule as a `RuleRow` expression (see [`pack_rules`]).
fn rule_row(line: usize, rule: &toml::Table) -> Option<String> {
    use toml::Value;
    const KEYS: &[&str] = &[
        "id", "category", "severity", "weight", "message", "why", "label", "help", "suggest",
        "phrases", "regex", "fancy", "metric", "builtin", "anchors", "unless", "scope", "settings",
        "examples",
    ];
    if !rule.keys().all(|k| KEYS.contains(&k.as_str())) {
        return None;
    }
    let string = |key: &str| -> Option<Option<String>> {
        match rule.get(key) {
            None => Some(None),
            Some(Value::String(s)) => Some(Some(format!("{s:?}"))),
            Some(_) => None,
        }
    };
    let optional = |key: &str| -> Option<String> {
        Some(string(key)?.map_or("None".to_string(), |s| format!("Some({s})")))
    };
    let strings = |v: &Value| -> Option<String> {
        let items: Option<Vec<String>> = v
            .as_array()?
            .iter()
            .map(|s| s.as_str().map(|s| format!("{s:?}")))
            .collect();
        Some(format!("&[{}]", items?.join(", ")))
    };
    let optional_strings = |key: &str| -> Option<String> {
        match rule.get(key) {
            None => Some("None".to_string()),
            Some(v) => Some(format!("Some({})", strings(v)?)),
        }
    };
    let named = |key: &str, names: &[(&str, &str)]| -> Option<String> {
        match rule.get(key) {
            None => Some("None".to_string()),
            Some(Value::String(s)) => names
                .iter()
                .find(|(name, _)| name == s)
                .map(|(_, path)| format!("Some({path})")),
            Some(_) => None,
        }
    };
    let severity = named(
        "severity",
        &[
            ("info", "crate::rules::Severity::Info"),
            ("warning", "crate::rules::Severity::Warning"),
            ("error", "crate::rules::Severity::Error"),
        ],
    )?;
    let scope = named(
        "scope",
        &[
            ("sentence", "crate::rules::Scope::Sentence"),
            ("paragraph", "crate::rules::Scope::Paragraph"),
            ("source", "crate::rules::Scope::Source"),
        ],
    )?;
    let weight = match rule.get("weight") {
        Some(Value::Float(w)) if w.is_finite() => format!("{w:?}"),
        _ => return None,
    };
    let examples = match rule.get("examples") {
        None => "(&[], &[], None)".to_string(),
        Some(Value::Table(t)) => {
            if !t
                .keys()
                .all(|k| ["flag", "pass", "markup"].contains(&k.as_str()))
            {
                return None;
            }
            let list = |key: &str| t.get(key).map_or(Some("&[]".to_string()), strings);
            let markup = match t.get("markup") {
                None => "None",
                Some(Value::String(m)) if m == "plain" => "Some(crate::text::Markup::Plain)",
                Some(Value::String(m)) if m == "markdown" => "Some(crate::text::Markup::Markdown)",
                Some(Value::String(m)) if m == "html" => "Some(crate::text::Markup::Html)",
                Some(_) => return None,
            };
            format!("({}, {}, {markup})", list("flag")?, list("pass")?)
        }
        Some(_) => return None,
    };
    let settings = match rule.get("settings") {
        None => "None".to_string(),
        Some(Value::Table(t)) => format!("Some(|| {})", table(t)?),
        Some(_) => return None,
    };
    Some(format!(
        "RuleRow {{ line: {line}, id: {}, category: {}, severity: {}, weight: {weight}, \
         message: {}, why: {}, label: {}, help: {}, suggest: {}, phrases: {}, regex: {}, \
         fancy: {}, metric: {}, builtin: {}, anchors: {}, unless: {}, scope: {scope}, \
         settings: {settings}, examples: {examples} }}",
        string("id")??,
        string("category")??,
        severity.strip_prefix("Some(")?.strip_suffix(')')?,
        string("message")??,
        string("why")??,
        optional("label")?,
        optional("help")?,
        optional("suggest")?,
        optional_strings("phrases")?,
        optional("regex")?,
        optional("fancy")?,
        optional("metric")?,
        optional("builtin")?,
        optional_strings("anchors")?,
        optional("unless")?,
    ))
}

/// A TOML table as a Rust expression that builds it; `None` for values
/// without a plain literal (dates, non-finite floats).
fn table(t: &toml::Table) -> Option<String> {
    let mut out = String::from("{ let mut t = toml::Table::new(); ");
    for (k, v) in t {
        let _ = write!(out, "t.insert({k:?}.to_string(), {}); ", value(v)?);
    }
    out.push_str("t }");
    Some(out)
}

fn value(v: &toml::Value) -> Option<String> {
    use toml::Value;
    Some(match v {
        Value::String(s) => format!("toml::Value::String({s:?}.to_string())"),
        Value::Integer(i) => format!("toml::Value::Integer({i})"),
        Value::Float(f) if f.is_finite() => format!("toml::Value::Float({f:?})"),
        Value::Boolean(b) => format!("toml::Value::Boolean({b})"),
        Value::Array(a) => {
            let items: Option<Vec<String>> = a.iter().map(value).collect();
            format!("toml::Value::Array(vec![{}])", items?.join(", "))
        }
        Value::Table(t) => format!("toml::Value::Table({})", table(t)?),
        _ => return None,
    })
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

/// `hir` built anew by the constructors the parser builds it with (they
/// simplify as they go, so this checks that they leave it as it is).
fn rebuild(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => Hir::literal(lit.0.clone()),
        HirKind::Class(Class::Unicode(c)) => Hir::class(Class::Unicode(ClassUnicode::new(
            c.ranges()
                .iter()
                .map(|r| ClassUnicodeRange::new(r.start(), r.end())),
        ))),
        HirKind::Class(Class::Bytes(c)) => Hir::class(Class::Bytes(ClassBytes::new(
            c.ranges()
                .iter()
                .map(|r| ClassBytesRange::new(r.start(), r.end())),
        ))),
        HirKind::Look(look) => Hir::look(*look),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            max: rep.max,
            greedy: rep.greedy,
            sub: Box::new(rebuild(&rep.sub)),
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(rebuild(&cap.sub)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(rebuild).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(rebuild).collect()),
    }
}

/// The parses of the built-in regexes as programs for
/// `builtin::build_hir` (see there for the encoding), with their classes.
#[derive(Default)]
struct Programs {
    /// Each distinct class's ranges, by index.
    classes: Vec<Vec<u32>>,
    /// Whether each class is of bytes (else of characters).
    bytes: Vec<bool>,
    index: std::collections::HashMap<(bool, Vec<u32>), u32>,
}

impl Programs {
    /// `Some(&[program])` for `hir`, as Rust; `None` where building it
    /// anew would not give the same syntax tree, or it cannot be encoded.
    fn program(&mut self, hir: &Hir) -> String {
        let mut program = Vec::new();
        if rebuild(hir) == *hir && self.encode(hir, &mut program) {
            format!("Some(&{program:?})")
        } else {
            "None".to_string()
        }
    }

    /// `hir` as a program appended to `out`; false if it has a construct
    /// the encoding leaves out (a named group).
    fn encode(&mut self, hir: &Hir, out: &mut Vec<u32>) -> bool {
        match hir.kind() {
            HirKind::Empty => out.push(0),
            HirKind::Literal(lit) => {
                out.extend([1, lit.0.len() as u32]);
                out.extend(lit.0.iter().map(|&b| u32::from(b)));
            }
            HirKind::Class(Class::Unicode(c)) => {
                let ranges = c
                    .ranges()
                    .iter()
                    .flat_map(|r| [r.start() as u32, r.end() as u32]);
                out.extend([2, self.class(false, ranges.collect())]);
            }
            HirKind::Class(Class::Bytes(c)) => {
                let ranges = c
                    .ranges()
                    .iter()
                    .flat_map(|r| [u32::from(r.start()), u32::from(r.end())]);
                out.extend([3, self.class(true, ranges.collect())]);
            }
            HirKind::Look(look) => out.extend([4, look.as_repr()]),
            HirKind::Repetition(rep) => {
                if !self.encode(&rep.sub, out) {
                    return false;
                }
                let max = rep.max.map_or(0, |m| m + 1);
                out.extend([5, rep.min, max, u32::from(rep.greedy)]);
            }
            HirKind::Capture(cap) => {
                if cap.name.is_some() || !self.encode(&cap.sub, out) {
                    return false;
                }
                out.extend([6, cap.index]);
            }
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                for sub in subs {
                    if !self.encode(sub, out) {
                        return false;
                    }
                }
                let op = if matches!(hir.kind(), HirKind::Concat(_)) {
                    7
                } else {
                    8
                };
                out.extend([op, subs.len() as u32]);
            }
        }
        true
    }

    fn class(&mut self, bytes: bool, ranges: Vec<u32>) -> u32 {
        let next = self.classes.len() as u32;
        *self
            .index
            .entry((bytes, ranges))
            .or_insert_with_key(|(bytes, ranges)| {
                self.classes.push(ranges.clone());
                self.bytes.push(*bytes);
                next
            })
    }

    /// The classes as `CLASSES: &[(bool, &[u32])]` (bytes, flat ranges).
    fn code(&self) -> String {
        let mut code = String::from(
            "/// The classes of the programs in [`PARSED`]: (of bytes, flat ranges).\n\
             static CLASSES: &[(bool, &[u32])] = &[\n",
        );
        for (ranges, bytes) in self.classes.iter().zip(&self.bytes) {
            let _ = writeln!(code, "    ({bytes}, &{ranges:?}),");
        }
        code.push_str("];\n");
        code
    }
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
