//! `telltale report`: the page is self-contained, highlights every finding,
//! agrees with `score` on every number, escapes hostile text, and stays
//! the same from run to run (a snapshot of the corpus digest). The same
//! page in a real browser is tested in tests/browser.rs.

mod common;
mod report_dom;

use std::path::Path;

use common::{telltale, telltale_in};
use report_dom::{
    assert_every_finding_highlighted, assert_self_contained, expected_findings, parse,
};
use telltale::report::score::ScoreRecord;

const DIGEST: &str = "corpus/ai/weekly-digest.md";

/// Two AI-written and two human-written corpus documents.
const LABELLED: [&str; 2] = ["corpus/ai", "corpus/human"];

/// The page for `paths`, written to stdout.
fn page(paths: &[&str]) -> String {
    let mut args = vec!["report", "--quiet"];
    args.extend_from_slice(paths);
    let run = telltale(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run.stdout
}

#[test]
fn the_digest_page_is_self_contained_and_highlights_every_finding() {
    let html = page(&[DIGEST]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..40]);
    let dom = parse(&html);
    assert_self_contained(&dom);
    let check = telltale(&["check", "--format", "json", "--fail-on", "never", DIGEST]);
    let expected = expected_findings(&check.stdout);
    assert!(assert_every_finding_highlighted(&dom, "d1", &expected) >= 20);
    // every rule that fired is in the table, linked to its highlights
    for f in &expected {
        let row = dom
            .by_id(&format!("d1-r-{}", f.rule))
            .unwrap_or_else(|| panic!("no table row for {}", f.rule));
        assert_eq!(row.name, "tr");
        assert!(
            dom.by_id(&format!("rule-{}", f.rule)).is_some(),
            "no glossary entry for {}",
            f.rule
        );
    }
    let links = dom
        .all("a")
        .filter(|a| a.attr("href").is_some_and(|h| h.starts_with("#d1-f")))
        .count();
    assert_eq!(
        links,
        expected.len(),
        "one link per finding from the rules table"
    );
}

/// The numbers the page shows for a document: its score and its paragraph
/// scores in order (one decimal, from `data-score`).
fn page_scores(dom: &report_dom::Page, anchor: &str) -> (String, Vec<String>) {
    // the section's heading badge comes first after the section opens
    let start = dom
        .elements
        .iter()
        .position(|e| e.attr("id") == Some(anchor))
        .expect("the section");
    let mut scores = dom.elements[start..]
        .iter()
        .take_while(|e| !(e.name == "section" && e.attr("id") != Some(anchor)))
        .filter_map(|e| {
            let s = e.attr("data-score")?;
            Some((e.has_class("ps"), s.to_string()))
        });
    let (_, doc) = scores.next().expect("the document's score");
    let paragraphs = scores.filter(|(p, _)| *p).map(|(_, s)| s).collect();
    (doc, paragraphs)
}

#[test]
fn the_page_and_score_agree() {
    let html = page(&LABELLED);
    let dom = parse(&html);
    let mut args = vec!["score", "--format", "json", "--paragraphs"];
    args.extend_from_slice(&LABELLED);
    let run = telltale(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records: Vec<ScoreRecord> = serde_json::from_str(&run.stdout).expect("score JSON");
    assert_eq!(records.len(), 4);
    // sections are numbered in input order, and so is `score`'s output
    for (i, r) in records.iter().enumerate() {
        let (doc, paragraphs) = page_scores(&dom, &format!("d{}", i + 1));
        assert_eq!(doc, format!("{:.1}", r.scored.score), "{}", r.path);
        let want: Vec<String> = r
            .paragraphs
            .iter()
            .map(|p| format!("{:.1}", p.scored.score))
            .collect();
        assert!(!want.is_empty(), "{}", r.path);
        assert_eq!(paragraphs, want, "{}", r.path);
        // the index row's bar chart has the same paragraphs, rounded
        let href = format!("#d{}", i + 1);
        let row = dom
            .elements
            .iter()
            .position(|e| e.name == "a" && e.attr("href") == Some(href.as_str()))
            .expect("an index row");
        let spark = dom.elements[row..]
            .iter()
            .find(|e| e.has_class("spark"))
            .expect("a paragraph bar chart");
        let rounded: Vec<String> = r
            .paragraphs
            .iter()
            .map(|p| format!("{:.0}", p.scored.score))
            .collect();
        assert_eq!(
            spark.attr("aria-label"),
            Some(format!("Paragraph scores in order: {}", rounded.join(", ")).as_str()),
            "{}",
            r.path
        );
    }
    // the index lists the documents highest score first
    let index: Vec<f64> = dom
        .elements
        .iter()
        .take_while(|e| !(e.name == "section" && e.has_class("doc")))
        .filter(|e| e.has_class("score"))
        .filter_map(|e| e.attr("data-score")?.parse().ok())
        .collect();
    assert_eq!(index.len(), 4);
    assert!(index.windows(2).all(|w| w[0] >= w[1]), "{index:?}");
}

/// Text no draft may turn into markup.
const HOSTILE: &str = "<script>document.title='pwned'</script>\n\n\
\"><img src=x onerror=\"document.title='pwned'\">\n\n\
</textarea></style></title><svg onload=alert(1)> & &amp; &lt;b&gt; ]]> <!-- -->\n\n\
It's not just a draft — it's <b onmouseover=alert(1)>a statement</b>. Let us delve into it.\n";

/// Checks that `dom` has none of the elements or attributes `HOSTILE` tries
/// to smuggle in, and shows its text.
fn assert_inert(dom: &report_dom::Page, html: &str) {
    assert_self_contained(dom);
    for e in &dom.elements {
        assert!(
            !matches!(e.name.as_str(), "img" | "svg" | "b" | "textarea"),
            "hostile element became markup: {e:?}"
        );
    }
    assert!(!html.contains("<script>document"), "raw script in the page");
    assert!(
        dom.text.contains("<script>document.title='pwned'</script>"),
        "script shown as text"
    );
    assert!(
        dom.text
            .contains("\"><img src=x onerror=\"document.title='pwned'\">")
    );
    assert!(dom.text.contains("<b onmouseover=alert(1)>a statement</b>"));
}

#[test]
fn hostile_text_is_shown_never_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    // the file name is hostile too, and so are a pack's message and
    // explanation; the name also holds the comment the page is cut at to
    // write the documents' sections in
    let name = "\"><img src=x onerror=alert(1)><!--telltale:sections-->.md";
    std::fs::write(dir.path().join(name), HOSTILE).expect("write");
    std::fs::write(dir.path().join("plain.txt"), HOSTILE).expect("write");
    std::fs::write(
        dir.path().join("page.html"),
        format!("<p>{}</p>", HOSTILE.replace('\n', " ")),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("house.toml"),
        r#"[[rule]]
id = "house-draft"
category = "house"
severity = "warning"
weight = 1.0
message = "<img src=x onerror=alert(1)> message"
why = "</dd><script>alert(1)</script> why"
help = "<svg onload=alert(1)>"
phrases = ["a draft"]
examples.flag = ["It is a draft."]
examples.pass = ["It is a drift."]
"#,
    )
    .expect("write");
    let run = telltale_in(
        dir.path(),
        &[
            "report",
            "--extend-patterns",
            "house.toml",
            "-o",
            "out.html",
            ".",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(dir.path().join("out.html")).expect("page written");
    let dom = parse(&html);
    assert_inert(&dom, &html);
    assert!(dom.text.contains(name), "the file name is shown as text");
    assert!(
        !html.contains("<!--telltale:sections-->"),
        "the sections' place is filled, and the name escaped"
    );
    assert!(
        dom.text.contains("<img src=x onerror=alert(1)> message"),
        "the message is text"
    );
    assert!(
        dom.text.contains("</dd><script>alert(1)</script> why"),
        "the explanation is text"
    );
    assert!(
        dom.by_id("rule-house-draft").is_some(),
        "the house rule fired"
    );
    // the plain and HTML drafts are shown as their source, escaped
    assert_eq!(dom.all("section").filter(|s| s.has_class("doc")).count(), 3);
}

#[test]
fn output_goes_to_a_file_atomically_or_to_stdout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let digest = root.join(DIGEST);
    let digest = digest.to_str().expect("utf-8 path");
    let run = telltale_in(dir.path(), &["report", digest, "-o", "r.html"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("wrote r.html (1 document)"),
        "{}",
        run.stderr
    );
    let written = std::fs::read_to_string(dir.path().join("r.html")).expect("written");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("r.html"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }
    let to_stdout = telltale_in(dir.path(), &["report", "--quiet", digest], None);
    assert_eq!(to_stdout.stdout, written, "the same page either way");

    let missing = telltale_in(
        dir.path(),
        &["report", "nope.md", digest, "-o", "r2.html"],
        None,
    );
    assert_eq!(missing.code, 2, "a missing input is an error");
    assert!(missing.stderr.contains("nope.md"), "{}", missing.stderr);
    assert!(
        dir.path().join("r2.html").exists(),
        "the other documents are still shown"
    );

    let unwritable = telltale_in(
        dir.path(),
        &["report", digest, "-o", "no/such/dir/r.html"],
        None,
    );
    assert_eq!(unwritable.code, 2);
    assert!(
        unwritable.stderr.contains("no/such/dir/r.html"),
        "{}",
        unwritable.stderr
    );
    // the temporary file it would have written through is not named
    assert!(
        !unwritable.stderr.contains(".tmp") && !unwritable.stderr.contains("at path"),
        "{}",
        unwritable.stderr
    );
}

/// A temporary folder holding `drafts/a.md`, one draft with a finding.
fn drafts_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("drafts")).expect("mkdir");
    std::fs::write(
        dir.path().join("drafts/a.md"),
        "It's not just a tool \u{2014} it's a movement.\n",
    )
    .expect("draft");
    dir
}

/// `check` over a folder that holds a report page leaves the page out with
/// a notice: it holds the drafts' text, and would report their findings a
/// second time. An ordinary page that only mentions telltale is checked.
#[test]
fn check_skips_a_report_page_among_the_drafts() {
    let dir = drafts_folder();
    std::fs::write(
        dir.path().join("drafts/about.html"),
        "<meta name=\"description\" content=\"telltale notes\"><p>We delve into it.</p>\n",
    )
    .expect("page");
    let run = telltale_in(
        dir.path(),
        &["report", "drafts", "-o", "drafts/report.html"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = telltale_in(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--fail-on",
            "never",
            "drafts",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("report.html: a page written by `telltale report`, skipped"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("report.html"), "{}", run.stdout);
    assert!(run.stdout.contains("drafts/a.md:1:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("drafts/about.html:1:"),
        "{}",
        run.stdout
    );
}

/// A page written into the folder it shows is not read back as a draft by
/// the next run: it was, and reported on itself (2 documents, then 3).
#[test]
fn a_page_written_among_the_drafts_does_not_report_on_itself() {
    let dir = drafts_folder();
    for _ in 0..2 {
        for out in ["drafts/report.html", "./drafts/report.html"] {
            let run = telltale_in(dir.path(), &["report", "drafts", "-o", out], None);
            assert_eq!(run.code, 0, "{}", run.stderr);
            assert!(run.stderr.contains("(1 document)"), "{}", run.stderr);
        }
    }
}

/// The page with its style and script left out (they are reviewed as code)
/// and a line break before each block, so a change reads as a short diff.
fn reviewable(html: &str) -> String {
    let dom_style = html.find("<style>").expect("style");
    let dom_style_end = html.find("</style>").expect("style end");
    let script = html.rfind("<script>").expect("script");
    let script_end = html.rfind("</script>").expect("script end");
    let mut s = String::new();
    s.push_str(&html[..dom_style + 7]);
    s.push_str("[style.css]");
    s.push_str(&html[dom_style_end..script + 8]);
    s.push_str("[script.js]");
    s.push_str(&html[script_end..]);
    let s = s.replace(env!("CARGO_PKG_VERSION"), "[version]");
    let csp = regex::Regex::new("sha256-[A-Za-z0-9+/=]+").expect("regex");
    let s = csp.replace_all(&s, "sha256-[hash]");
    let blocks = regex::Regex::new(
        r"<(head|body|header|main|section|div|aside|table|thead|tbody|tr|h1|h2|h3|p|ul|ol|li|dl|dt|dd|footer|script|style)[ >]",
    )
    .expect("regex");
    blocks.replace_all(&s, "\n$0").into_owned()
}

#[test]
fn html_of_the_digest() {
    insta::assert_snapshot!(reviewable(&page(&[DIGEST])));
}

#[test]
fn a_low_confidence_score_is_explained_in_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("short.md"), "Let us delve into it.\n").expect("write");
    let run = telltale_in(dir.path(), &["report", "--quiet", "short.md"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dom = parse(&run.stdout);
    // the asterisk is for the eye; a screen reader hears the words, and the
    // footnote says what it means, on screen and on paper
    assert!(dom.text.contains("* (low confidence)"), "{}", dom.text);
    assert!(dom.all("p").any(|p| p.has_class("footnote")));
    assert!(dom.text.contains("* Low confidence: too few words"));
    // a long draft has neither
    let html = page(&[DIGEST]);
    let dom = parse(&html);
    assert!(!dom.all("p").any(|p| p.has_class("footnote")));
    assert!(!dom.text.contains("low confidence"));
}

#[test]
fn the_page_counts_words_as_check_and_stats_do() {
    let mut args = vec!["report", "--stats"];
    args.extend_from_slice(&LABELLED);
    let run = telltale(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stats: usize = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("words:"))
        .expect("a words line")
        .trim()
        .replace(',', "")
        .parse()
        .expect("a number");
    let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
    args.extend_from_slice(&LABELLED);
    let check: serde_json::Value =
        serde_json::from_str(&telltale(&args).stdout).expect("check JSON");
    let checked: u64 = check["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["words"].as_u64().expect("words"))
        .sum();
    assert_eq!(stats as u64, checked);
    let dom = parse(&run.stdout);
    let lede = format!("4 documents, {stats} words");
    assert!(dom.text.contains(&lede), "{lede:?} not on the page");
}
