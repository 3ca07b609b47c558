//! The page's markup: the head with the inline style, script and content
//! security policy, the top bar, the index, one section per document, and
//! the glossary of the rules that fired. Every value is spliced in with
//! maud's escaping; only the page's own style and script go in unescaped.

use std::collections::{BTreeSet, HashMap};

use base64::Engine as _;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};

use super::layout::{self, Mark, Node, Row};
use super::{Entry, HtmlDoc, HtmlOptions};
use crate::engine::Finding;
use crate::report::score::{TopContributors, top_contributors};
use crate::report::unwrap_paragraphs;
use crate::rules::{Rule, RuleSet, Severity};
use crate::score::lexical::{self, WordPull};
use crate::score::{Contribution, Layer, Scored, UNUSED_WORDS};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// The page's content security policy: nothing is fetched, and the only
/// script that runs is the page's own (by its hash), so neither an injected
/// `<script>` nor an `onerror=` attribute could run even if escaping failed.
pub fn content_security_policy() -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT));
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; \
         base-uri 'none'; form-action 'none'"
    )
}

/// Categories of the built-in packs, in the order of their colours
/// (`.k0` .. `.k11` in the style sheet); other categories get a colour from
/// their name.
const CATEGORIES: &[&str] = &[
    "artifact",
    "rhetoric",
    "significance",
    "stock-phrase",
    "attribution",
    "typography",
    "discourse",
    "vocabulary",
    "chatbot",
    "inline-config",
    "formatting",
    "metric",
];

/// Number of category colours in the style sheet.
const COLOURS: usize = 12;

/// The colour class of a category.
fn colour(category: &str) -> String {
    let k = CATEGORIES
        .iter()
        .position(|&c| c == category)
        .unwrap_or_else(|| {
            // FNV-1a: stable across runs and builds, unlike the std hasher
            let h = category.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            (h % COLOURS as u64) as usize
        });
    format!("k{k}")
}

/// The colour class of a score: `s0` to `s10`.
fn score_class(score: f64) -> String {
    format!("s{}", (score / 10.0).round().clamp(0.0, 10.0) as u8)
}

/// A score as shown: a whole number.
fn whole(score: f64) -> String {
    format!("{score:.0}")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The id of the highlight of finding `k` (0-based) in document `anchor`.
fn finding_id(anchor: &str, k: usize) -> String {
    format!("{anchor}-f{}", k + 1)
}

/// The id of the note of finding `k`.
fn note_id(anchor: &str, k: usize) -> String {
    format!("{anchor}-n{}", k + 1)
}

/// "1 error, 3 warnings" for the non-zero counts, or "no findings".
fn severity_phrase(by_severity: [usize; 3]) -> String {
    crate::report::count_phrase(by_severity)
}

/// The whole page.
/// Where [`page`] leaves room for the documents' sections, which are
/// written straight from their entries rather than copied into the page:
/// on a large run they are nearly all of it. Text from documents is
/// escaped, so no document can put this comment into the page.
pub(super) const SECTIONS: &str = "<!--telltale:sections-->";

/// The page around the documents' sections, which go where [`SECTIONS`] is.
pub(super) fn page(rules: &RuleSet, entries: &[Entry], fired: &BTreeSet<usize>) -> Markup {
    let words: usize = entries.iter().map(|e| e.words).sum();
    let mut totals = [0; 3];
    for e in entries {
        for (t, n) in totals.iter_mut().zip(e.by_severity) {
            *t += n;
        }
    }
    let title = match entries {
        [one] => format!("telltale report: {}", one.path),
        _ => format!(
            "telltale report: {}",
            plural(entries.len(), "document", "documents")
        ),
    };
    let mut categories: Vec<&str> = fired
        .iter()
        .map(|&r| rules.rules()[r].category.as_str())
        .collect();
    categories.sort_unstable();
    categories.dedup();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(content_security_policy());
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("telltale {}", env!("CARGO_PKG_VERSION")));
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a.skip href="#index" { "Skip to the documents" }
                header.top {
                    div.top-in {
                        h1 { "telltale " span { "where drafts read as generated" } }
                        div.views role="group" aria-label="What the text shows" {
                            label { input #show-findings type="checkbox" checked; " Findings" }
                            label { input #show-pull type="checkbox"; " Word pull" }
                        }
                        (legend(&categories))
                    }
                }
                main {
                    section #index aria-labelledby="index-h" {
                        h2 #index-h { "Documents, highest score first" }
                        p.lede {
                            (plural(entries.len(), "document", "documents")) ", "
                            (plural(words, "word", "words")) ", " (severity_phrase(totals)) ". "
                            "A score runs from 0 (reads as written by a person) to 100 (reads as generated). "
                            "Hover over or tab to a highlight to see what was found and why it is a tell."
                        }
                        (index(entries))
                    }
                    // the sections go here (`HtmlReport::write`)
                    (PreEscaped(SECTIONS))
                    (glossary(rules, fired))
                    footer {
                        "Made by telltale " (env!("CARGO_PKG_VERSION"))
                        ". This page is self-contained: it loads nothing from the network."
                    }
                }
                div #tip role="tooltip" hidden {}
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// The legend in the top bar: category colours (or word-pull colours when
/// that view is on) and severity underlines.
fn legend(categories: &[&str]) -> Markup {
    html! {
        ul.legend aria-label="Legend" {
            @for c in categories {
                li.cat-key { span class=(format!("swatch {}", colour(c))) aria-hidden="true" {} (c) }
            }
            li.sev-key { span.hl.info.k6 { "info" } }
            li.sev-key { span.hl.warning.k6 { "warning" } }
            li.sev-key { span.hl.error.k6 { "error" } }
            li.lx-key { span.key-p { "toward generated" } }
            li.lx-key { span.key-n { "toward human" } }
        }
    }
}

/// The index table.
fn index(entries: &[Entry]) -> Markup {
    html! {
        table.index {
            thead {
                tr {
                    th.num scope="col" { "Score" }
                    th scope="col" { "Document" }
                    th.num scope="col" { "Words" }
                    th.num scope="col" { "Errors" }
                    th.num scope="col" { "Warnings" }
                    th.num scope="col" { "Infos" }
                    th scope="col" { "Paragraph scores" }
                }
            }
            tbody {
                @for e in entries {
                    tr {
                        td.num {
                            span class=(format!("score {}", score_class(e.score))) data-score=(format!("{:.1}", e.score)) {
                                (whole(e.score))
                            }
                            @if e.low_confidence {
                                span.low title=(LOW_CONFIDENCE) {
                                    span aria-hidden="true" { " *" }
                                    span.sr { " (low confidence)" }
                                }
                            }
                        }
                        td.path { a href=(format!("#{}", e.anchor)) { (e.path) } }
                        td.num { (e.words) }
                        @for sev in [Severity::Error, Severity::Warning, Severity::Info] {
                            @let n = e.by_severity[sev as usize];
                            td.num.zero[n == 0] { (n) }
                        }
                        td { (sparkline(&e.paragraphs)) }
                    }
                }
            }
        }
        @if entries.iter().any(|e| e.low_confidence) {
            p.footnote { "* " (LOW_CONFIDENCE) }
        }
    }
}

/// What the asterisk after a score means, in the index and its footnote.
const LOW_CONFIDENCE: &str =
    "Low confidence: too few words of running English prose for the score to mean much.";

/// The paragraph scores of a document as a row of small bars.
fn sparkline(scores: &[f64]) -> Markup {
    if scores.is_empty() {
        return html! { span.zero { "no scored paragraphs" } };
    }
    let label = format!(
        "Paragraph scores in order: {}",
        scores
            .iter()
            .map(|s| whole(*s))
            .collect::<Vec<_>>()
            .join(", ")
    );
    html! {
        span.spark role="img" aria-label=(label) {
            @for s in scores {
                i class=(score_class(*s)) style=(format!("height:{}%", s.round().max(6.0))) {}
            }
        }
    }
}

/// One document's section.
pub(super) fn section(
    rules: &RuleSet,
    options: &HtmlOptions,
    anchor: &str,
    d: &HtmlDoc<'_>,
) -> Markup {
    let pulls = lexical::word_pulls(d.doc, d.score);
    let (tinted, buckets) = tints(d, &pulls);
    let rows = layout::lay_out(d.doc, d.findings, &tinted);
    let paragraph_scores: HashMap<usize, &Scored> =
        d.paragraphs.iter().map(|(b, s)| (*b, s)).collect();
    let mut by_severity = [0; 3];
    for f in d.findings {
        by_severity[f.severity as usize] += 1;
    }
    let ctx = DocCtx {
        rules,
        anchor,
        d,
        buckets: &buckets,
    };
    let heading = format!("{anchor}-h");
    html! {
        section.doc id=(anchor) aria-labelledby=(heading) {
            div.doc-head {
                span class=(format!("score big {}", score_class(d.score.score))) data-score=(format!("{:.1}", d.score.score)) {
                    (whole(d.score.score))
                }
                h2 id=(heading) { span.sr { "Score " (whole(d.score.score)) ": " } (d.path) }
                p.meta {
                    (plural(d.doc.word_count(), "word", "words")) " · " (severity_phrase(by_severity))
                    @if d.score.low_confidence { " · low confidence (too few words of running English prose)" }
                }
                a.back href="#index" { "Back to the index" }
            }
            div.doc-body {
                div.text {
                    p.text-head aria-hidden="true" {
                        span { "← each paragraph's own score" }
                        span { "dimmed: markup and code, not checked" }
                    }
                    @for row in &rows {
                        (row_markup(&ctx, row, &paragraph_scores))
                    }
                }
                aside.side aria-label="Score breakdown and rules" {
                    div.panel { (breakdown(anchor, d.score, options.top)) }
                    div.panel { (rules_table(&ctx)) }
                }
            }
            (notes(&ctx))
        }
    }
}

/// What the rendering of one document needs.
struct DocCtx<'a> {
    rules: &'a RuleSet,
    anchor: &'a str,
    d: &'a HtmlDoc<'a>,
    /// Tint class and per-use points of each tinted word, by pull index.
    buckets: &'a [(String, f64)],
}

/// The words worth tinting: their source ranges, and for each its class
/// (`p1`..`p4` toward generated, `n1`..`n4` toward human) and points.
/// Strength is relative to the strongest word of the document (at least a
/// quarter point), and words under a tenth of that are left plain.
fn tints(d: &HtmlDoc<'_>, pulls: &[WordPull]) -> (Vec<std::ops::Range<usize>>, Vec<(String, f64)>) {
    let strongest = pulls
        .iter()
        .map(|p| p.points.abs())
        .fold(0.25_f64, f64::max);
    let mut ranges = Vec::new();
    let mut buckets = Vec::new();
    for p in pulls {
        let r = p.points.abs() / strongest;
        let level = match r {
            r if r >= 0.75 => 4,
            r if r >= 0.5 => 3,
            r if r >= 0.25 => 2,
            r if r >= 0.1 => 1,
            _ => continue,
        };
        let side = if p.points > 0.0 { 'p' } else { 'n' };
        ranges.push(d.doc.source_range(p.span));
        buckets.push((format!("lx {side}{level}"), p.points));
    }
    (ranges, buckets)
}

/// The score's breakdown: baseline, the top contributors each way, the
/// rest, and the total, with a bar for each.
fn breakdown(anchor: &str, s: &Scored, top: usize) -> Markup {
    let TopContributors {
        up,
        down,
        rest,
        others,
    } = top_contributors(s, top);
    let shown: Vec<&Contribution> = up.iter().chain(&down).copied().collect();
    let widest = shown
        .iter()
        .map(|c| c.points.abs())
        .chain([rest.abs()])
        .fold(1.0_f64, f64::max);
    html! {
        h3 { "Why it scores " (whole(s.score)) }
        table.breakdown {
            caption.sr { "Contributions to the score, in points" }
            thead {
                tr {
                    th.num scope="col" { "Points" }
                    th scope="col" { span.sr { "Direction" } }
                    th scope="col" { "Evidence" }
                }
            }
            tbody {
                tr {
                    td.num.pts { (format!("{:.1}", s.baseline)) }
                    td.bar {}
                    td { "baseline: typical human word use and structure, no findings" }
                }
                @for c in &shown {
                    tr {
                        td.num.pts { (format!("{:+.1}", c.points)) }
                        td.bar { (bar(c.points, widest)) }
                        td { (contribution(anchor, c)) }
                    }
                }
                @if others > 0 {
                    tr {
                        td.num.pts { (format!("{rest:+.1}")) }
                        td.bar { (bar(rest, widest)) }
                        td { (plural(others, "smaller contribution", "smaller contributions")) }
                    }
                }
                tr.total {
                    td.num.pts { (format!("{:.1}", s.score)) }
                    td.bar {}
                    td { "score" }
                }
            }
        }
    }
}

/// A diverging bar: right of the centre line toward generated, left toward human.
fn bar(points: f64, widest: f64) -> Markup {
    let width = format!("width:{:.1}%", 50.0 * points.abs() / widest);
    let class = if points >= 0.0 { "up" } else { "down" };
    html! { div.dbar aria-hidden="true" { span class=(class) style=(width) {} } }
}

/// One contributor, described.
fn contribution(anchor: &str, c: &Contribution) -> Markup {
    let n = c.value.round() as usize;
    html! {
        @match c.layer {
            Layer::Rule => {
                span.layer { "rule" }
                a href=(format!("#{anchor}-r-{}", c.name)) { code { (c.name) } }
                " (" (plural(n, "finding", "findings")) ")"
            }
            Layer::Word if c.name == UNUSED_WORDS => {
                span.layer { "words" }
                (n) " lexicon words this text does not use; their absence reads as "
                (if c.points > 0.0 { "generated" } else { "human" })
            }
            Layer::Word => {
                span.layer { "word" }
                "“" (c.name) "” (" (plural(n, "use", "uses")) ")"
            }
            Layer::Metric => {
                span.layer { "measure" }
                (c.name) " = " (format!("{:.3}", c.value))
            }
        }
    }
}

/// The rules that fired in a document, most findings first, each linking to
/// its highlights.
fn rules_table(ctx: &DocCtx<'_>) -> Markup {
    let mut fired: Vec<(usize, Vec<usize>)> = Vec::new();
    for (k, f) in ctx.d.findings.iter().enumerate() {
        match fired.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, ks)) => ks.push(k),
            None => fired.push((f.rule, vec![k])),
        }
    }
    fired.sort_by(|a, b| {
        let sev = |x: &(usize, Vec<usize>)| ctx.d.findings[x.1[0]].severity;
        b.1.len()
            .cmp(&a.1.len())
            .then(sev(b).cmp(&sev(a)))
            .then(ctx.rules.rules()[a.0].id.cmp(&ctx.rules.rules()[b.0].id))
    });
    html! {
        h3 { "Rules that fired" }
        @if fired.is_empty() {
            p { "No findings." }
        } @else {
            table.rules-table {
                thead {
                    tr {
                        th scope="col" { "Rule" }
                        th.num scope="col" { "Count" }
                        th scope="col" { "Highlights" }
                    }
                }
                tbody {
                    @for (r, ks) in &fired {
                        @let rule = &ctx.rules.rules()[*r];
                        @let severity = ctx.d.findings[ks[0]].severity;
                        tr id=(format!("{}-r-{}", ctx.anchor, rule.id)) {
                            td {
                                span class=(format!("swatch {}", colour(&rule.category))) aria-hidden="true" {}
                                " "
                                a href=(format!("#rule-{}", rule.id)) { code { (rule.id) } }
                                " " span class=(format!("sev {}", severity.name())) { (severity.name()) }
                                span.msg { (rule.category) ": " (rule.message) }
                            }
                            td.num { (ks.len()) }
                            td.links {
                                @for &k in ks {
                                    @let f = &ctx.d.findings[k];
                                    a href=(format!("#{}", finding_id(ctx.anchor, k)))
                                        aria-label=(format!("finding {}, line {}", k + 1, f.start.line)) { (k + 1) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One row of text with its gutter.
fn row_markup(ctx: &DocCtx<'_>, row: &Row, paragraph_scores: &HashMap<usize, &Scored>) -> Markup {
    let scores: Vec<f64> = row
        .blocks
        .iter()
        .filter_map(|b| paragraph_scores.get(b).map(|s| s.score))
        .collect();
    let strongest = scores
        .iter()
        .copied()
        .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))));
    let gutter = match strongest {
        Some(s) => format!("gut {}", score_class(s)),
        None => "gut".to_string(),
    };
    html! {
        div.row.head[row.heading].gap[row.gap] {
            div class=(gutter) {
                @for s in &scores {
                    span.ps data-score=(format!("{s:.1}")) { span.sr { "Paragraph score " } (whole(*s)) }
                }
            }
            div.src { (nodes(ctx, &row.nodes)) }
        }
    }
}

/// The content of a row or a mark.
fn nodes(ctx: &DocCtx<'_>, nodes: &[Node]) -> Markup {
    let source = ctx.d.doc.source();
    html! {
        @for n in nodes {
            @match n {
                Node::Text(run) => {
                    @let text = source.get(run.range.clone()).unwrap_or_default();
                    @match (run.markup, run.pull.and_then(|p| ctx.buckets.get(p))) {
                        (false, None) => { (text) }
                        (true, None) => { span.m { (text) } }
                        (markup, Some((class, points))) => {
                            span class=(if markup { format!("m {class}") } else { class.clone() })
                                data-p=(format!("{points:.2}")) { (text) }
                        }
                    }
                }
                Node::Mark(m) => { (mark(ctx, m)) }
            }
        }
    }
}

/// One piece of a finding's highlight.
fn mark(ctx: &DocCtx<'_>, m: &Mark) -> Markup {
    let f: &Finding = &ctx.d.findings[m.finding];
    let rule: &Rule = &ctx.rules.rules()[f.rule];
    let mut class = format!(
        "hl {} {} h{}",
        colour(&rule.category),
        f.severity.name(),
        m.height.min(3)
    );
    if !m.first {
        class.push_str(" cont");
    }
    let note = note_id(ctx.anchor, m.finding);
    // numbers of findings that end together are kept apart: "3,2", not "32"
    let after_another = matches!(m.children.last(), Some(Node::Mark(inner)) if inner.last);
    html! {
        mark class=(class)
            id=[m.first.then(|| finding_id(ctx.anchor, m.finding))]
            tabindex=[m.first.then_some("0")]
            aria-describedby=[m.first.then(|| format!("{note} rule-{}", rule.id))]
            data-rule=(rule.id)
            data-note=(note) {
            (nodes(ctx, &m.children))
            @if m.last { sup.ref aria-hidden="true" { @if after_another { "," } (m.finding + 1) } }
        }
    }
}

/// Every finding as a numbered note: the tooltips and screen readers read
/// them, and they are printed under the text.
fn notes(ctx: &DocCtx<'_>) -> Markup {
    html! {
        @if !ctx.d.findings.is_empty() {
            ol.notes aria-label="Findings" {
                @for (k, f) in ctx.d.findings.iter().enumerate() {
                    @let rule = &ctx.rules.rules()[f.rule];
                    li id=(note_id(ctx.anchor, k)) {
                        div.n-body {
                            span.n-rule { (rule.id) }
                            " "
                            span.n-meta {
                                (f.severity.name()) " · " (rule.category) " · line " (f.start.line) ", column " (f.start.column)
                            }
                            p.n-msg { (f.message(rule)) }
                            @match f.suggestion() {
                                Some("") => { p.n-fix { "Fix: delete it." } }
                                Some(s) => { p.n-fix { "Fix: replace it with “" (s) "”." } }
                                None => {}
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What each rule that fired is about, once for the page: linked from the
/// rules tables and read by the tooltips.
fn glossary(rules: &RuleSet, fired: &BTreeSet<usize>) -> Markup {
    html! {
        @if !fired.is_empty() {
            section.glossary aria-labelledby="glossary-h" {
                h2 #glossary-h { "The rules that fired" }
                dl {
                    @for &r in fired {
                        @let rule = &rules.rules()[r];
                        div id=(format!("rule-{}", rule.id)) {
                            dt { (rule.id) }
                            dd {
                                (rule.message) " "
                                span.why { (unwrap_paragraphs(&rule.why)) }
                                @if let Some(help) = &rule.help {
                                    span.help { "Instead: " (help) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_stable_and_in_range() {
        assert_eq!(colour("artifact"), "k0");
        assert_eq!(colour("chatbot"), "k8");
        assert_eq!(colour("metric"), "k11");
        assert_eq!(CATEGORIES.len(), COLOURS);
        let other = colour("house-style");
        assert_eq!(other, colour("house-style"));
        let k: usize = other[1..].parse().expect("a number");
        assert!(k < COLOURS);
    }

    #[test]
    fn score_classes_cover_the_range() {
        assert_eq!(score_class(0.0), "s0");
        assert_eq!(score_class(44.9), "s4");
        assert_eq!(score_class(100.0), "s10");
        assert_eq!(score_class(f64::NAN), "s0");
    }

    #[test]
    fn the_policy_names_the_script_by_hash() {
        let csp = content_security_policy();
        assert!(csp.starts_with("default-src 'none';"), "{csp}");
        assert!(csp.contains("script-src 'sha256-"), "{csp}");
        assert!(!csp.contains("script-src 'unsafe-inline'"), "{csp}");
    }
}
