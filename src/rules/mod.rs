//! Rules: what a rule is, pattern packs that declare them (`pack.rs`), the
//! compiled matchers that find them in a document (`matcher.rs`), and the
//! structural metrics that no pattern can express (`metrics/`).
//!
//! May use `text`; never `engine`, `report` or `cli`.

mod anchors;
mod builtin;
pub mod directives;
mod fancy;
mod literals;
pub mod matcher;
pub mod metrics;
mod narrowing;
pub mod pack;
pub mod rates;
pub mod reference;
mod regex;
mod relaxing;
mod screen;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::{Document, Span};

pub use matcher::ScanWarning;
pub use pack::{PackError, PackErrors, PackSource};

/// How serious a finding is; also the level at which `check` fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Counts toward the score; a style note, never fails CI by default.
    Info,
    /// A clear tell; fails `check` at the default level.
    Warning,
    /// Near-proof of machine text (tool residue, model self-reference).
    Error,
}

impl Severity {
    /// The lowercase name used in output.
    pub const fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Read by hand so that a value of the wrong kind (`error = ["a-rule"]`
/// in a config's `[severity]` table) is told what a severity looks like,
/// where the derived reader's message named only the TOML types it wanted.
impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = Severity;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a severity: \"info\", \"warning\" or \"error\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Severity, E> {
                const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Error];
                const NAMES: [&str; 3] = [ALL[0].name(), ALL[1].name(), ALL[2].name()];
                ALL.into_iter()
                    .find(|s| s.name() == v)
                    .ok_or_else(|| E::unknown_variant(v, &NAMES))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which stretch of prose a pattern rule's regex is run over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One sentence at a time: `^` and `$` are the sentence's ends.
    #[default]
    Sentence,
    /// One block (paragraph, heading, list item, cell) at a time.
    Paragraph,
    /// The raw file, markup and addresses included: for tool residue such
    /// as tracking parameters that never reaches the prose.
    Source,
}

/// How a rule finds its matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// A list of whole-word, case-insensitive phrases.
    Phrases,
    /// A `regex` crate pattern.
    Regex,
    /// A `fancy-regex` pattern (lookaround, backreferences).
    Fancy,
    /// A structural metric implemented in code.
    Metric,
    /// A check of telltale's own input, not of the prose (an inline
    /// directive naming an unknown rule).
    Builtin,
}

impl RuleKind {
    /// The name used in listings.
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Phrases => "phrases",
            RuleKind::Regex => "regex",
            RuleKind::Fancy => "fancy",
            RuleKind::Metric => "metric",
            RuleKind::Builtin => "builtin",
        }
    }
}

/// Sentences a rule must flag and near-misses it must not.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Text the rule must flag.
    #[serde(default)]
    pub flag: Vec<String>,
    /// Text the rule must not flag.
    #[serde(default)]
    pub pass: Vec<String>,
    /// The markup the examples are written in (plain text unless stated).
    #[serde(default)]
    pub markup: Option<crate::text::Markup>,
}

/// Where a rule was declared.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The pack file, as named when it was loaded.
    pub pack: String,
    /// 1-based line of the rule's `[[rule]]` table.
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.pack, self.line)
    }
}

/// One rule, as declared in a pack.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Stable kebab-case id, never reused.
    pub id: String,
    /// Kebab-case category (vocabulary, rhetoric, chatbot, ...).
    pub category: String,
    /// Default severity.
    pub severity: Severity,
    /// Contribution of one finding to the document score.
    pub weight: f64,
    /// One line saying what is wrong.
    pub message: String,
    /// Short text shown under the flagged span.
    pub label: Option<String>,
    /// One line saying what to do instead.
    pub help: Option<String>,
    /// Replacement text offered as a fix, shared by the rule's findings.
    pub suggest: Option<std::sync::Arc<String>>,
    /// A paragraph for `telltale explain`, written for a writer.
    pub why: String,
    /// How the rule matches.
    pub kind: RuleKind,
    /// Text that must and must not be flagged.
    pub examples: Examples,
    /// Where the rule was declared.
    pub origin: Origin,
}

/// A match of one rule in a document's prose, before it becomes a finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Index of the rule in its [`RuleSet`].
    pub rule: usize,
    /// The matched prose (or raw source bytes, when `raw`).
    pub span: Span,
    /// Whether `span` is a range of the raw source rather than of the prose.
    pub raw: bool,
    /// A message replacing the rule's own, for metrics that report a value.
    pub message: Option<String>,
}

/// Every loaded rule, compiled and ready to run.
pub struct RuleSet {
    rules: Vec<Rule>,
    matchers: matcher::Matchers,
    metrics: Vec<(usize, Box<dyn metrics::Metric>)>,
    builtins: Vec<(usize, directives::Builtin)>,
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleSet")
            .field("rules", &self.rules.len())
            .finish()
    }
}

#[cfg(test)]
thread_local! {
    /// String distances [`RuleSet::hint`] worked out on this thread, for
    /// tests that bound its work.
    pub(crate) static HINT_SCORES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl RuleSet {
    /// The packs shipped inside the binary.
    pub fn builtin_packs() -> Vec<PackSource> {
        builtin::PACKS
            .iter()
            .map(|&(path, text)| PackSource::new(path, text))
            .collect()
    }

    /// The rule set of the built-in packs.
    pub fn builtin() -> Result<RuleSet, PackErrors> {
        Self::load(&Self::builtin_packs())
    }

    /// Loads, validates and compiles packs; every problem is reported.
    pub fn load(packs: &[PackSource]) -> Result<RuleSet, PackErrors> {
        let loaded = pack::load(packs)?;
        let matchers = matcher::Matchers::compile(loaded.patterns);
        Ok(RuleSet {
            rules: loaded.rules,
            matchers,
            metrics: loaded.metrics,
            builtins: loaded.builtins,
        })
    }

    /// All rules, in pack order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether no rule is loaded.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Index of the rule with this id.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }

    /// Whether `name` names rule `i`: its id, its category, or `all`.
    pub fn names(&self, name: &str, i: usize) -> bool {
        self.rules
            .get(i)
            .is_some_and(|r| name == "all" || r.id == name || r.category == name)
    }

    /// Whether `name` is `all`, a rule id or a category.
    pub fn is_name(&self, name: &str) -> bool {
        name == "all"
            || self
                .rules
                .iter()
                .any(|r| r.id == name || r.category == name)
    }

    /// `"; did you mean `X`?"` for the closest id or category, or a pointer
    /// to `telltale rules` when none is close.
    pub fn hint(&self, name: &str) -> String {
        // ids and categories are lower case: `AI-Vocabulary` means one
        let name = name.to_lowercase();
        let name = name.as_str();
        let mut best: Option<(f64, &str)> = None;
        let chars = name.chars().count();
        for r in &self.rules {
            for candidate in [r.id.as_str(), r.category.as_str()] {
                // a name over four times a candidate's length cannot score
                // above 0.85 (Jaro at most 0.75, Winkler's prefix bonus
                // lifts that to 0.85), and scoring it costs its length
                // times the candidate's: skipped, so a huge name is cheap
                if chars > 4 * candidate.chars().count() {
                    continue;
                }
                #[cfg(test)]
                HINT_SCORES.with(|n| n.set(n.get() + 1));
                let score = strsim::jaro_winkler(name, candidate);
                if score > 0.85 && best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, candidate));
                }
            }
        }
        match best {
            Some((_, c)) => format!("; did you mean `{c}`?"),
            None => "; `telltale rules` lists them".to_string(),
        }
    }

    /// Indices of the rules that read inline directives; they are off when
    /// inline configuration is ignored.
    pub fn directive_rules(&self) -> impl Iterator<Item = usize> + '_ {
        self.builtins.iter().map(|(i, _)| *i)
    }

    /// Whether rule `i` offers fixes: its pack gives a `suggest`, or it is
    /// a built-in rule that writes each finding's fix itself
    /// (`unused-suppression` deletes or rewrites the directive).
    pub fn offers_fix(&self, i: usize) -> bool {
        self.rules.get(i).is_some_and(|r| r.suggest.is_some())
            || self.unused_suppression_rules().any(|u| u == i)
    }

    /// Indices of the rules that report directives which suppressed no
    /// finding: the engine runs them after suppressing, not [`RuleSet::scan`].
    pub fn unused_suppression_rules(&self) -> impl Iterator<Item = usize> + '_ {
        self.builtins
            .iter()
            .filter(|(_, b)| *b == directives::Builtin::UnusedSuppression)
            .map(|(i, _)| *i)
    }

    /// Runs every enabled rule over `doc`, appending hits to `out`.
    ///
    /// `enabled[i]` says whether rule `i` runs. Problems that skip a match
    /// (a fancy pattern hitting its backtrack limit) go to `warnings`.
    pub fn scan(
        &self,
        doc: &Document,
        enabled: &[bool],
        out: &mut Vec<Hit>,
        warnings: &mut Vec<ScanWarning>,
    ) {
        self.matchers.scan(doc, enabled, out, warnings);
        metrics::run(&self.metrics, doc, enabled, out);
        for (rule, check) in &self.builtins {
            if enabled.get(*rule).copied().unwrap_or(false) {
                check.check(doc, self, *rule, out);
            }
        }
    }

    /// Indices of the pattern rules the literal prefilter cannot narrow:
    /// their regex runs on every sentence (or block) of every document.
    pub fn unanchored_rules(&self) -> Vec<usize> {
        self.matchers.unanchored_rules()
    }

    /// The raw measurement of metric rule `rule` on `doc` (a rate, a
    /// coefficient of variation, a count), as the metric computes it before
    /// comparing it with its threshold; `None` for rules that are not
    /// metrics and for documents too short to measure. For tools and tests:
    /// the score does not call this; it reads a metric rule's findings like
    /// any rule's, and takes its own measurements in one pass with its word
    /// counts (`score::features::observe`).
    pub fn measure(&self, rule: usize, doc: &Document) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(r, _)| *r == rule)
            .and_then(|(_, m)| m.measure(doc))
    }

    /// The hits of one rule alone in `doc`, quoted text excluded; used to
    /// test a rule's examples.
    pub fn hits_of(&self, rule: usize, doc: &Document) -> Vec<Hit> {
        let mut enabled = vec![false; self.rules.len()];
        enabled[rule] = true;
        let mut hits = Vec::new();
        self.scan(doc, &enabled, &mut hits, &mut Vec::new());
        hits.retain(|h| h.raw || !doc.is_quoted(h.span));
        hits
    }
}
