//! Human Markdown is not machine-written because of its structure (issue
//! 10). `corpus/false-alarms/` holds one document per class of false alarm
//! found on real human Markdown (link lists, quoted excerpts, changelog
//! lines, title-case news headings, code-heavy prose, tables, dingbat
//! bullets, a short digest that is mostly boilerplate), written for the
//! project. Each must raise no warning or error and score low.
//!
//! Quoted material: block quotes and the titles of linked posts are someone
//! else's words. They raise no findings and are left out of the score
//! entirely, so a digest that quotes its sources scores as if it did not.

mod common;

use std::path::Path;

use telltale::engine::{self, Finding, Selection};
use telltale::rules::{RuleSet, Severity};
use telltale::score::{Model, Scorer};
use telltale::source;
use telltale::text::{Document, Markup};

const DIR: &str = "corpus/false-alarms";
/// A low score: well under the 50 that `check --max-score` users start at.
const LOW: f64 = 35.0;

fn checked(text: &str, rules: &RuleSet) -> (Document, Vec<Finding>) {
    let doc = source::document(text.to_string(), Markup::Markdown);
    let found = engine::check(&doc, rules, &Selection::all(rules)).findings;
    (doc, found)
}

#[test]
fn each_false_alarm_class_raises_no_alarm_and_scores_low() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let model = Model::builtin().expect("built-in model loads");
    let scorer = Scorer::new(&model, &rules);
    let mut bad = Vec::new();
    let mut files = 0;
    let mut entries: Vec<_> = std::fs::read_dir(DIR)
        .expect("false-alarm corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).expect("fixture reads");
        assert!(
            text.starts_with("<!-- false-alarm class: "),
            "{name}: first line names the class of false alarm"
        );
        files += 1;
        let (doc, found) = checked(&text, &rules);
        bad.extend(common::alarm_lines(&name, &text, &found, &rules));
        let scored = scorer.explain(&doc, &found);
        if scored.score >= LOW {
            let top: Vec<String> = scored
                .contributions
                .iter()
                .take(4)
                .map(|c| format!("{:+.0} {}", c.points, c.name))
                .collect();
            bad.push(format!(
                "{name}: scores {:.0} ({})",
                scored.score,
                top.join(", ")
            ));
        }
    }
    assert!(files >= 8, "only {files} false-alarm fixtures");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Machine-flavoured excerpts quoted in a digest: the editor's own text
/// around them decides the score.
const EXCERPTS: &[&str] = &[
    "In today's fast-paced world, it's important to note that this is not just a tool — it's a testament to the power of community.",
    "Whether you're a seasoned developer or a curious beginner, this comprehensive guide delves into the rich tapestry of async runtimes.",
    "Let's dive in. The results underscore the pivotal role of caching, highlighting its transformative potential.",
];

const EDITOR: &str = "Three posts this week. The first is about caching; the \
second compares async runtimes on a small web server; the third is a \
short write-up of a talk from the spring meetup. I quote a paragraph from \
each, as usual, so you can decide whether to read the rest. The meetup \
itself moves to the library in June, because the pub got too loud.";

#[test]
fn block_quotes_count_for_neither_findings_nor_score() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let model = Model::builtin().expect("built-in model loads");
    let scorer = Scorer::new(&model, &rules);
    let mut quoted = format!("# Links\n\n{EDITOR}\n");
    for (i, ex) in EXCERPTS.iter().enumerate() {
        quoted.push_str(&format!(
            "\n- [Post {i}](https://example.org/{i})\n\n  > {ex}\n"
        ));
    }
    let mut bare = format!("# Links\n\n{EDITOR}\n");
    for i in 0..EXCERPTS.len() {
        bare.push_str(&format!("\n- [Post {i}](https://example.org/{i})\n"));
    }
    let (qdoc, qfound) = checked(&quoted, &rules);
    let (bdoc, bfound) = checked(&bare, &rules);
    let ids = |f: &[Finding]| -> Vec<String> {
        f.iter().map(|f| rules.rules()[f.rule].id.clone()).collect()
    };
    assert_eq!(ids(&qfound), ids(&bfound), "quotes raised findings");
    let (q, b) = (scorer.score(&qdoc, &qfound), scorer.score(&bdoc, &bfound));
    assert!(
        (q.score - b.score).abs() < 1e-9,
        "quoting moved the score: {} vs {}",
        q.score,
        b.score
    );

    // the same sentences written by the editor are findings and raise the
    // score: the exclusion is what keeps the quoted digest low
    let mut own = format!("# Links\n\n{EDITOR}\n");
    for ex in EXCERPTS {
        own.push_str(&format!("\n{ex}\n"));
    }
    let (odoc, ofound) = checked(&own, &rules);
    assert!(ofound.iter().any(|f| f.severity >= Severity::Warning));
    let o = scorer.score(&odoc, &ofound);
    assert!(
        o.score > q.score + 20.0,
        "own {} vs quoted {}",
        o.score,
        q.score
    );
}

#[test]
fn link_titles_are_cited_but_links_inside_sentences_are_prose() {
    let rules = RuleSet::builtin().expect("built-in packs load");
    let title = "- [It's not the compiler — it's your build script](https://example.org/a)\n";
    let (_, found) = checked(title, &rules);
    assert!(found.is_empty(), "{found:?}");
    let inline = "Our build broke again. It's not the compiler — it's [your build script](https://example.org/a).\n";
    let (_, found) = checked(inline, &rules);
    assert!(
        found
            .iter()
            .any(|f| rules.rules()[f.rule].id == "negative-parallelism"),
        "{found:?}"
    );
}

#[test]
fn the_corpus_directory_is_where_the_docs_say() {
    assert!(Path::new(DIR).is_dir());
    let doc = std::fs::read_to_string("docs/precision.md").expect("docs/precision.md");
    assert!(doc.contains(DIR), "docs/precision.md names {DIR}");
}
