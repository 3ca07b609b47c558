//! The generated rules reference (`docs/rules.md`): every rule with its
//! category, severity, weight, message, explanation, examples and the rates
//! measured on the dev set (`patterns/rates.tsv`). One source, no drift: a
//! test fails when the committed file differs from what this writes.

use std::fmt::Write as _;

use super::rates::Rates;
use super::{RuleSet, Severity};

/// The command that regenerates the reference, shown at its top.
pub const COMMAND: &str = "cargo run --release -- rules --format markdown > docs/rules.md";

fn rate(r: Option<f64>) -> String {
    r.map_or("–".to_string(), |v| format!("{v:.2}"))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}

/// The rules reference as Markdown.
pub fn markdown(rules: &RuleSet, rates: &Rates) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Rules reference");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Generated from the packs in `patterns/` and the measured rates in `patterns/rates.tsv`; do not edit by hand. Regenerate with:"
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "```sh");
    let _ = writeln!(
        out,
        "cargo run --release -- eval ../shared/data/dev --write-rates patterns/rates.tsv"
    );
    let _ = writeln!(out, "{COMMAND}");
    let _ = writeln!(out, "```");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Rates are findings per 10,000 words of human and of AI text on the dev set ({}), and the lift (AI rate over human rate, half a finding added to each side). On human text every finding is a false alarm: `warning` rules are held to 2 and `error` rules to 0.5 per 10,000 human words. `info` rules count toward the score but never fail a check; weight 0 means shown, never scored.",
        if rates.source.is_empty() {
            "no measurement"
        } else {
            rates.source.as_str()
        }
    );
    let _ = writeln!(out);
    let total = rules.len();
    let by = |s: Severity| rules.rules().iter().filter(|r| r.severity == s).count();
    let _ = writeln!(
        out,
        "{total} rules: {} error, {} warning, {} info.",
        by(Severity::Error),
        by(Severity::Warning),
        by(Severity::Info)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| rule | category | severity | weight | human /10k | AI /10k | lift | message |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    let mut order: Vec<usize> = (0..total).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&rules.rules()[a], &rules.rules()[b]);
        (&x.category, &x.id).cmp(&(&y.category, &y.id))
    });
    for &i in &order {
        let r = &rules.rules()[i];
        let m = rates.get(&r.id);
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.id,
            r.category,
            r.severity,
            r.weight,
            rate(m.and_then(|m| m.per_10k(0))),
            rate(m.and_then(|m| m.per_10k(1))),
            m.and_then(|m| m.lift())
                .map_or("–".to_string(), |l| format!("{l:.1}")),
            cell(&r.message)
        );
    }
    for &i in &order {
        let r = &rules.rules()[i];
        let _ = writeln!(out);
        let _ = writeln!(out, "## {}", r.id);
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} · {} · weight {} · {} rule · `{}`",
            r.category,
            r.severity,
            r.weight,
            r.kind.name(),
            r.origin.pack
        );
        let _ = writeln!(out);
        let _ = writeln!(out, "**{}**", one_line(&r.message));
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", one_line(&r.why));
        if let Some(help) = &r.help {
            let _ = writeln!(out);
            let _ = writeln!(out, "Instead: {}", one_line(help));
        }
        if let Some(m) = rates.get(&r.id) {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "Measured: {} per 10,000 human words ({} of {} documents), {} per 10,000 AI words ({} of {} documents).",
                rate(m.per_10k(0)),
                m.docs_hit[0],
                m.docs[0],
                rate(m.per_10k(1)),
                m.docs_hit[1],
                m.docs[1]
            );
        }
        let list = |out: &mut String, title: &str, items: &[String]| {
            if items.is_empty() {
                return;
            }
            let _ = writeln!(out);
            let _ = writeln!(out, "{title}");
            let _ = writeln!(out);
            for ex in items {
                let text = one_line(ex);
                let short: String = text.chars().take(160).collect();
                let ellipsis = if short.len() < text.len() { " …" } else { "" };
                let _ = writeln!(out, "- `{}{ellipsis}`", short.replace('`', "'"));
            }
        };
        list(&mut out, "Flagged:", &r.examples.flag);
        list(&mut out, "Not flagged:", &r.examples.pass);
    }
    out
}
