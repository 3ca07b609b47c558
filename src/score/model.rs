//! The score model as data: the intercept, one coefficient per rule and per
//! structural measurement, and the lexicon, read from and written to two
//! tab-separated files in `patterns/` (`score-model.tsv`, `lexicon.tsv`).
//!
//! Files are plain text so a reviewer can read a refit as a diff: every
//! weight that moved is one changed line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use super::features::LENGTH_NODES;
use super::structure;
use super::terms::FnvBuild;

/// File name of the coefficients table.
pub const MODEL_FILE: &str = "score-model.tsv";
/// File name of the lexicon.
pub const LEXICON_FILE: &str = "lexicon.tsv";

const BUILTIN_MODEL: &str = include_str!("../../patterns/score-model.tsv");
const BUILTIN_LEXICON: &str = include_str!("../../patterns/lexicon.tsv");

/// One lexicon line as data: word, weight, human_docs, ai_docs, means.
type LexiconRow = (&'static str, f64, u32, u32, &'static [f64]);

// `LEXICON_TABLE`: the built-in lexicon as written by build.rs
include!(concat!(env!("OUT_DIR"), "/builtin_lexicon.rs"));

/// Decimal places written for weights: enough to reproduce scores to far
/// below a point, few enough that refits give short diffs.
const PRECISION: usize = 6;

/// A model file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line is malformed.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// How a structural measurement enters the model: `weight · z`, where
/// `z = (value − center) / scale`, clipped to ±[`Z_LIMIT`].
#[derive(Clone, Debug, PartialEq)]
pub struct MetricWeight {
    /// Coefficient per standard unit.
    pub weight: f64,
    /// The value taken as typical (the mean over the human calibration
    /// documents).
    pub center: f64,
    /// The calibration standard deviation.
    pub scale: f64,
}

/// Standardised measurements are clipped here, so one extreme value on
/// unfamiliar text cannot dominate a score.
pub const Z_LIMIT: f64 = 3.0;

impl MetricWeight {
    /// The standardised, clipped value; 0 (typical) when unmeasured.
    pub fn z(&self, value: Option<f64>) -> f64 {
        match value {
            Some(v) if self.scale > 0.0 => {
                ((v - self.center) / self.scale).clamp(-Z_LIMIT, Z_LIMIT)
            }
            _ => 0.0,
        }
    }
}

impl Default for MetricWeight {
    fn default() -> Self {
        MetricWeight {
            weight: 0.0,
            center: 0.0,
            scale: 1.0,
        }
    }
}

/// One lexicon word.
#[derive(Clone, Debug, PartialEq)]
pub struct LexiconEntry {
    /// The normalised word (borrowed from the binary for the built-in
    /// model, whose thousands of words are then neither copied at
    /// start-up nor freed at exit).
    pub word: Cow<'static, str>,
    /// Coefficient per unit of its rate value.
    pub weight: f64,
    /// Its mean rate value over the human calibration documents, measured
    /// on their first `n` words for each `n` of [`LENGTH_NODES`].
    pub means: [f64; LENGTH_NODES.len()],
    /// Calibration documents by people that use it.
    pub human_docs: u32,
    /// Calibration documents by machines that use it.
    pub ai_docs: u32,
}

/// Fitting settings recorded with the model, so `eval --cv` refits the
/// same way.
#[derive(Clone, Debug, PartialEq)]
pub struct Hyper {
    /// L2 strength of rule and metric coefficients.
    pub lambda: f64,
    /// L2 strength of lexicon weights.
    pub lambda_words: f64,
    /// Fewest calibration documents a lexicon word must appear in.
    pub min_docs: u32,
    /// Most lexicon entries kept (by document frequency).
    pub max_words: usize,
    /// The log-odds of a text with no evidence, held rather than fitted.
    pub intercept: Option<f64>,
}

impl Default for Hyper {
    fn default() -> Self {
        Hyper {
            lambda: 1e-3,
            lambda_words: 1e-3,
            min_docs: 10,
            max_words: 6000,
            intercept: None,
        }
    }
}

/// The whole model.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// Comment lines describing where the weights came from.
    pub about: Vec<String>,
    /// Log-odds of a text with the word use and measurements of typical
    /// human prose and no findings.
    pub intercept: f64,
    /// Rule coefficients by rule id (per unit of rate value).
    pub rules: Vec<(String, f64)>,
    /// Measurement weights, in [`structure::NAMES`] order.
    pub metrics: Vec<MetricWeight>,
    /// Lexicon entries, sorted by word.
    pub lexicon: Vec<LexiconEntry>,
    /// The settings it was fitted with.
    pub hyper: Hyper,
    /// Each lexicon word's entry index, made on the first [`Model::word`]
    /// (or to find a word listed twice): checking text never asks, so
    /// the built-in model does not hash its thousands of words at every
    /// start-up.
    index: OnceLock<HashMap<Cow<'static, str>, u32, FnvBuild>>,
}

/// Models are equal when their data are: the index is made from the
/// lexicon, and one model may have made it while the other has not.
impl PartialEq for Model {
    fn eq(&self, other: &Model) -> bool {
        self.about == other.about
            && self.intercept == other.intercept
            && self.rules == other.rules
            && self.metrics == other.metrics
            && self.lexicon == other.lexicon
            && self.hyper == other.hyper
    }
}

/// The entry index of each word of `lexicon`; `None` if a word is listed
/// twice.
fn index_of(lexicon: &[LexiconEntry]) -> Option<HashMap<Cow<'static, str>, u32, FnvBuild>> {
    let mut index = HashMap::with_capacity_and_hasher(lexicon.len(), FnvBuild::default());
    for (i, e) in lexicon.iter().enumerate() {
        if index.insert(e.word.clone(), i as u32).is_some() {
            return None;
        }
    }
    Some(index)
}

fn parse_err(file: &str, line: usize, message: impl Into<String>) -> ModelError {
    ModelError::Parse {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

fn number(file: &str, line: usize, field: &str, text: &str) -> Result<f64, ModelError> {
    // a short decimal has no spaces to trim
    short_decimal(text)
        .or_else(|| text.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            parse_err(
                file,
                line,
                format!("{field} `{text}` is not a finite number"),
            )
        })
}

/// `text` as a number if it is a short decimal (`-12.345678`: a sign,
/// digits, a point and at most 15 digits in all, as the model files are
/// written), else `None`. The digits make an integer below 2^53 and the
/// divisor a power of ten below 10^16, both exact as `f64`, so the one
/// division rounds correctly: the value `str::parse` gives, at a fraction
/// of its cost over the lexicon's tens of thousands of numbers.
fn short_decimal(text: &str) -> Option<f64> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, bytes) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    let mut m: u64 = 0;
    let mut point = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => m = m * 10 + u64::from(b - b'0'),
            b'.' if point.is_none() && i > 0 => point = Some(i),
            _ => return None,
        }
        if i >= 16 {
            return None;
        }
    }
    let places = point.map_or(0, |p| bytes.len() - p - 1);
    let digits = bytes.len() - usize::from(point.is_some());
    if digits == 0 || digits > 15 {
        return None;
    }
    let v = m as f64 / POWERS[places];
    Some(if negative { -v } else { v })
}

/// Splits `line` at tabs into `fields` (the fields past its length are
/// dropped) and returns the number of fields. Byte by byte: the lexicon's
/// lines are short, and a search per field cost more than the scan.
fn tab_fields<'a, const N: usize>(line: &'a str, fields: &mut [&'a str; N]) -> usize {
    let mut n = 0;
    let mut start = 0;
    for (i, b) in line.bytes().enumerate() {
        if b == b'\t' {
            if let Some(f) = fields.get_mut(n) {
                *f = &line[start..i];
            }
            n += 1;
            start = i + 1;
        }
    }
    if let Some(f) = fields.get_mut(n) {
        *f = &line[start..];
    }
    n + 1
}

impl Model {
    /// The model shipped in the binary (`patterns/score-model.tsv` and
    /// `patterns/lexicon.tsv`).
    ///
    /// The lexicon comes from the table build.rs wrote (the same entries
    /// as parsing the file, tested, at a fifth of the cost: reading the
    /// model was a quarter of start-up); the text is parsed only if the
    /// script could not read it, so its errors are reported as before.
    pub fn builtin() -> Result<Model, ModelError> {
        let mut m = Model::coefficients(("patterns/score-model.tsv", BUILTIN_MODEL))?;
        if !m.lexicon_from_table() {
            m.lexicon.clear();
            m.index = OnceLock::new();
            m.read_lexicon(("patterns/lexicon.tsv", BUILTIN_LEXICON))?;
        }
        Ok(m)
    }

    /// Fills the lexicon from [`LEXICON_TABLE`]; false (and a partial
    /// lexicon) if the table is missing or differs from what the parser
    /// accepts: another header, another width, a word twice.
    fn lexicon_from_table(&mut self) -> bool {
        let Some((header, rows)) = LEXICON_TABLE else {
            return false;
        };
        if header != lexicon_header() {
            return false;
        }
        self.lexicon.reserve(rows.len());
        for &(word, weight, human_docs, ai_docs, means) in rows {
            let Ok(means) = <[f64; LENGTH_NODES.len()]>::try_from(means) else {
                return false;
            };
            self.lexicon.push(LexiconEntry {
                word: Cow::Borrowed(word),
                weight,
                human_docs,
                ai_docs,
                means,
            });
        }
        // no word twice: proved by strict order (the file is written
        // sorted), else by making the index
        let sorted = rows.windows(2).all(|w| w[0].0 < w[1].0);
        sorted
            || match index_of(&self.lexicon) {
                Some(index) => {
                    self.index = OnceLock::from(index);
                    true
                }
                None => false,
            }
    }

    /// Reads a model written by `telltale calibrate --write DIR`.
    pub fn load(dir: &Path) -> Result<Model, ModelError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map(|text| (path.display().to_string(), text))
                .map_err(|source| ModelError::Io {
                    path: path.display().to_string(),
                    source,
                })
        };
        let (mp, mt) = read(MODEL_FILE)?;
        let (lp, lt) = read(LEXICON_FILE)?;
        Model::parse((&mp, &mt), (&lp, &lt))
    }

    /// Parses the two files, given as (name, text) pairs.
    pub fn parse(model: (&str, &str), lexicon: (&str, &str)) -> Result<Model, ModelError> {
        let mut m = Model::coefficients(model)?;
        m.read_lexicon(lexicon)?;
        Ok(m)
    }

    /// Parses the coefficients table, with an empty lexicon.
    fn coefficients(model: (&str, &str)) -> Result<Model, ModelError> {
        let mut m = Model {
            metrics: vec![MetricWeight::default(); structure::COUNT],
            ..Model::default()
        };
        let (file, text) = model;
        let mut header = false;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if let Some(c) = line.strip_prefix('#') {
                m.about.push(c.trim().to_string());
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if !header {
                if f != ["kind", "name", "weight", "center", "scale"] {
                    return Err(parse_err(
                        file,
                        n,
                        "expected the header `kind name weight center scale` (tab-separated)",
                    ));
                }
                header = true;
                continue;
            }
            if f.len() != 5 {
                return Err(parse_err(
                    file,
                    n,
                    format!("expected 5 fields, found {}", f.len()),
                ));
            }
            let weight = number(file, n, "weight", f[2])?;
            match f[0] {
                "intercept" => m.intercept = weight,
                "rule" => m.rules.push((f[1].to_string(), weight)),
                "metric" => {
                    let Some(k) = structure::NAMES.iter().position(|&x| x == f[1]) else {
                        // a measurement this build no longer has: ignore it
                        continue;
                    };
                    let scale = number(file, n, "scale", f[4])?;
                    if scale <= 0.0 {
                        return Err(parse_err(file, n, "scale must be above 0"));
                    }
                    m.metrics[k] = MetricWeight {
                        weight,
                        center: number(file, n, "center", f[3])?,
                        scale,
                    };
                }
                "param" => match f[1] {
                    "lambda" => m.hyper.lambda = weight,
                    "lambda-words" => m.hyper.lambda_words = weight,
                    "min-docs" => m.hyper.min_docs = weight as u32,
                    "max-words" => m.hyper.max_words = weight as usize,
                    "fixed-intercept" => m.hyper.intercept = Some(weight),
                    other => return Err(parse_err(file, n, format!("unknown param `{other}`"))),
                },
                other => {
                    return Err(parse_err(
                        file,
                        n,
                        format!("unknown kind `{other}` (intercept, rule, metric, param)"),
                    ));
                }
            }
        }
        if !header {
            return Err(parse_err(file, 1, "no header line"));
        }
        Ok(m)
    }

    /// Parses the lexicon file into this model's empty lexicon.
    fn read_lexicon(&mut self, lexicon: (&str, &str)) -> Result<(), ModelError> {
        let m = self;
        let (file, text) = lexicon;
        // about a line per entry: room once rather than growing ten times
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        m.lexicon.reserve(lines);
        let expected = lexicon_header();
        let mut header = false;
        let mut index = HashMap::with_capacity_and_hasher(lines, FnvBuild::default());
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !header {
                if !line.split('\t').eq(expected.split('\t')) {
                    return Err(parse_err(
                        file,
                        n,
                        format!(
                            "expected the header `{}` (tab-separated)",
                            expected.replace('\t', " ")
                        ),
                    ));
                }
                header = true;
                continue;
            }
            // the fields into an array: the lexicon has thousands of lines,
            // and a vector per line was a third of reading the model
            const WIDTH: usize = 4 + LENGTH_NODES.len();
            let mut f = [""; WIDTH];
            let fields = tab_fields(line, &mut f);
            if fields != WIDTH {
                return Err(parse_err(
                    file,
                    n,
                    format!("expected {WIDTH} fields, found {fields}"),
                ));
            }
            let count = |s: &str| {
                s.parse::<u32>()
                    .map_err(|_| parse_err(file, n, format!("`{s}` is not a document count")))
            };
            let mut means = [0.0; LENGTH_NODES.len()];
            for (k, m) in means.iter_mut().enumerate() {
                *m = number(file, n, "mean", f[4 + k])?;
            }
            let entry = LexiconEntry {
                word: Cow::Owned(f[0].to_string()),
                weight: number(file, n, "weight", f[1])?,
                human_docs: count(f[2])?,
                ai_docs: count(f[3])?,
                means,
            };
            match index.entry(entry.word.clone()) {
                std::collections::hash_map::Entry::Occupied(_) => {
                    return Err(parse_err(
                        file,
                        n,
                        format!("word `{}` listed twice", entry.word),
                    ));
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(m.lexicon.len() as u32);
                }
            }
            m.lexicon.push(entry);
        }
        if !header {
            return Err(parse_err(file, 1, "no header line"));
        }
        m.index = OnceLock::from(index);
        Ok(())
    }

    /// Builds a model from fitted parts.
    pub fn new(
        about: Vec<String>,
        intercept: f64,
        rules: Vec<(String, f64)>,
        metrics: Vec<MetricWeight>,
        mut lexicon: Vec<LexiconEntry>,
        hyper: Hyper,
    ) -> Model {
        lexicon.sort_by(|a, b| a.word.cmp(&b.word));
        Model {
            about,
            intercept,
            rules,
            metrics,
            lexicon,
            hyper,
            index: OnceLock::new(),
        }
    }

    /// The lexicon entry index of a normalised word: one hash lookup
    /// (the first call makes the index). A word listed twice, which only
    /// [`Model::new`] lets through, gives its last entry.
    pub fn word(&self, word: &str) -> Option<u32> {
        self.index
            .get_or_init(|| {
                let mut index =
                    HashMap::with_capacity_and_hasher(self.lexicon.len(), FnvBuild::default());
                for (i, e) in self.lexicon.iter().enumerate() {
                    index.insert(e.word.clone(), i as u32);
                }
                index
            })
            .get(word)
            .copied()
    }

    /// The coefficient the model gives rule `id`, if it has one.
    pub fn rule(&self, id: &str) -> Option<f64> {
        self.rules.iter().find(|(r, _)| r == id).map(|(_, w)| *w)
    }

    /// The coefficients table as written to [`MODEL_FILE`].
    pub fn model_text(&self) -> String {
        let mut s = String::new();
        for line in &self.about {
            let _ = writeln!(s, "# {line}");
        }
        s.push_str("kind\tname\tweight\tcenter\tscale\n");
        let p = PRECISION;
        let _ = writeln!(s, "intercept\t-\t{:.p$}\t0\t1", self.intercept);
        for (id, w) in &self.rules {
            let _ = writeln!(s, "rule\t{id}\t{w:.p$}\t0\t1");
        }
        for (name, m) in structure::NAMES.iter().zip(&self.metrics) {
            let _ = writeln!(
                s,
                "metric\t{name}\t{:.p$}\t{:.p$}\t{:.p$}",
                m.weight, m.center, m.scale
            );
        }
        let h = &self.hyper;
        let _ = writeln!(s, "param\tlambda\t{}\t0\t1", h.lambda);
        let _ = writeln!(s, "param\tlambda-words\t{}\t0\t1", h.lambda_words);
        let _ = writeln!(s, "param\tmin-docs\t{}\t0\t1", h.min_docs);
        let _ = writeln!(s, "param\tmax-words\t{}\t0\t1", h.max_words);
        if let Some(b) = h.intercept {
            let _ = writeln!(s, "param\tfixed-intercept\t{b}\t0\t1");
        }
        s
    }

    /// The lexicon as written to [`LEXICON_FILE`].
    pub fn lexicon_text(&self) -> String {
        let mut s = String::from(
            "# telltale lexicon: written by `telltale calibrate`; refit rather than edit.\n\
             # weight: log-odds per unit of ln(1 + uses per 1,000 words) above typical human use;\n\
             # *_docs: calibration documents that use the word; mean@N: the average of that value\n\
             # over the human calibration documents cut to their first N words.\n",
        );
        s.push_str(&lexicon_header());
        s.push('\n');
        let p = PRECISION;
        for e in &self.lexicon {
            let _ = write!(
                s,
                "{}\t{:.p$}\t{}\t{}",
                e.word, e.weight, e.human_docs, e.ai_docs
            );
            for m in &e.means {
                let _ = write!(s, "\t{m:.p$}");
            }
            s.push('\n');
        }
        s
    }
}

/// The header line of [`LEXICON_FILE`].
fn lexicon_header() -> String {
    let mut h = String::from("word\tweight\thuman_docs\tai_docs");
    for n in LENGTH_NODES {
        let _ = write!(h, "\tmean@{n}");
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_model_parses() {
        let m = Model::builtin().expect("shipped model parses");
        assert_eq!(m.metrics.len(), structure::COUNT);
    }

    #[test]
    fn the_lexicon_table_is_the_parsed_lexicon() {
        let mut table = Model::default();
        assert!(table.lexicon_from_table(), "build.rs wrote the lexicon");
        let parsed = Model::parse(
            ("patterns/score-model.tsv", BUILTIN_MODEL),
            ("patterns/lexicon.tsv", BUILTIN_LEXICON),
        )
        .expect("shipped model parses");
        assert_eq!(table.lexicon.len(), parsed.lexicon.len());
        assert!(table.lexicon.len() > 1000, "{}", table.lexicon.len());
        for (t, p) in table.lexicon.iter().zip(&parsed.lexicon) {
            // bit for bit: the literal build.rs wrote is the parsed value
            let bits = |e: &LexiconEntry| {
                let mut v = vec![e.weight.to_bits()];
                v.extend(e.means.iter().map(|m| m.to_bits()));
                v
            };
            assert_eq!(
                (&t.word, t.human_docs, t.ai_docs),
                (&p.word, p.human_docs, p.ai_docs)
            );
            assert_eq!(bits(t), bits(p), "{}", t.word);
        }
        // the table's index, made on first use, is the parsed one
        assert!(table.index.get().is_none(), "made at start-up");
        for (i, e) in parsed.lexicon.iter().enumerate() {
            assert_eq!(table.word(&e.word), Some(i as u32), "{}", e.word);
        }
        assert_eq!(table.word("no-such-word"), None);
        assert_eq!(
            table.index.get().map(HashMap::len),
            parsed.index.get().map(HashMap::len)
        );
        assert_eq!(Model::builtin().expect("builtin"), parsed);
    }

    #[test]
    fn short_decimals_parse_as_str_parse_does() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "0.0",
            "-0.000000",
            "1",
            "12.5",
            "0.1",
            "0.3",
            "-2.675",
            "123456789012345",
            "1234567890.12345",
            "0.000001",
            "9.999999",
            "1e5",
            "+1",
            ".5",
            "5.",
            "-",
            "",
            "1.2.3",
            "12a",
            "1234567890123456",
            "-0.1234567890123456",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let places = (seed % 9) as usize;
            let whole = (seed >> 8) % 10_000_000;
            let fraction = (seed >> 40) % 1_000_000_000;
            let sign = if seed & 16 == 0 { "-" } else { "" };
            let f = format!("{fraction:09}");
            texts.push(format!("{sign}{whole}.{}", &f[..places]));
            texts.push(format!("{sign}{}", whole % 100));
        }
        for t in &texts {
            // what it does not take is left to str::parse
            if let Some(v) = short_decimal(t) {
                let want = t.parse::<f64>().ok().map(f64::to_bits);
                assert_eq!(Some(v.to_bits()), want, "{t:?}");
            }
        }
        assert_eq!(short_decimal("-12.345678"), Some(-12.345678));
        assert_eq!(short_decimal("1e5"), None);
        let mut f = [""; 3];
        assert_eq!(tab_fields("a\tbé\t\tc", &mut f), 4);
        assert_eq!(f, ["a", "bé", ""]);
        assert_eq!(tab_fields("", &mut f), 1);
    }

    #[test]
    fn text_round_trips() {
        let m = Model::new(
            vec!["test model".into()],
            -0.25,
            vec![("ai-vocabulary".into(), 0.5)],
            vec![MetricWeight::default(); structure::COUNT],
            vec![LexiconEntry {
                word: "delve".into(),
                weight: 1.5,
                means: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
                human_docs: 1,
                ai_docs: 9,
            }],
            Hyper::default(),
        );
        let back = Model::parse(("m", &m.model_text()), ("l", &m.lexicon_text())).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.word("delve"), Some(0));
        assert_eq!(back.rule("ai-vocabulary"), Some(0.5));
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let model = "kind\tname\tweight\tcenter\tscale\nrule\tx\tNaN\t0\t1\n";
        let lex = lexicon_header() + "\n";
        let err = Model::parse(("m.tsv", model), ("l.tsv", &lex)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "m.tsv:2: weight `NaN` is not a finite number"
        );
        let model = "kind\tname\tweight\tcenter\tscale\n";
        let lex = lexicon_header() + "\nx\t1\t-1\t2\t0\t0\t0\t0\t0\t0\t0\n";
        let err = Model::parse(("m.tsv", model), ("l.tsv", &lex)).unwrap_err();
        assert!(err.to_string().starts_with("l.tsv:2:"), "{err}");
        for (line, message) in [
            (
                "x\t1\t1\t2\t0\t0\t0\t0\t0\t0",
                "expected 11 fields, found 10",
            ),
            (
                "x\t1\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0",
                "expected 11 fields, found 12",
            ),
            (
                "x\t1\t1\t2\t0\t0\t0\t0\t0\tz\t0",
                "mean `z` is not a finite number",
            ),
        ] {
            let lex = lexicon_header() + "\n" + line + "\n";
            let err = Model::parse(("m.tsv", model), ("l.tsv", &lex)).unwrap_err();
            assert_eq!(err.to_string(), format!("l.tsv:2: {message}"));
        }
        let twice = "\nx\t1\t1\t2\t0\t0\t0\t0\t0\t0\t0";
        let lex = lexicon_header() + twice + twice + "\n";
        let err = Model::parse(("m.tsv", model), ("l.tsv", &lex)).unwrap_err();
        assert_eq!(err.to_string(), "l.tsv:3: word `x` listed twice");
        let lex = "word\tweight\n";
        let err = Model::parse(("m.tsv", model), ("l.tsv", lex)).unwrap_err();
        assert!(err.to_string().contains("expected the header"), "{err}");
    }
}
