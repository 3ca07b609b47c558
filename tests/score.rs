//! `telltale score` and `telltale calibrate` end to end: output shapes, the
//! breakdown adding up, low-confidence marking, Markdown neutrality, and
//! calibration giving the same bytes for the same input.

mod common;

use common::{telltale, telltale_in};
use telltale::report::score::ScoreRecord;

fn json_records(run: &common::Run) -> Vec<ScoreRecord> {
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("score JSON deserializes")
}

#[test]
fn json_breakdowns_sum_to_the_score() {
    let run = telltale(&[
        "score",
        "--format",
        "json",
        "--explain",
        "--paragraphs",
        "corpus",
    ]);
    let records = json_records(&run);
    assert!(records.len() >= 4);
    let check = |s: &telltale::score::Scored, what: &str| {
        assert!((0.0..=100.0).contains(&s.score), "{what}");
        // short texts are always low-confidence (so are texts that do not
        // read as English prose)
        assert!(s.low_confidence || s.words >= 50, "{what}");
        let sum: f64 = s.baseline + s.contributions.iter().map(|c| c.points).sum::<f64>();
        assert!((sum - s.score).abs() < 1e-6, "{what}: {sum} vs {}", s.score);
    };
    for r in &records {
        check(&r.scored, &r.path);
        assert!(!r.scored.contributions.is_empty(), "{}", r.path);
        for p in &r.paragraphs {
            check(&p.scored, &format!("{} line {}", r.path, p.line));
        }
    }
    assert!(records.iter().any(|r| !r.paragraphs.is_empty()));
}

#[test]
fn lines_sort_and_mark_short_documents() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("short.txt"), "A short note to say hello.\n").expect("write");
    let run = telltale_in(dir.path(), &["score", "short.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = run.stdout.lines().next().expect("a line");
    let cells: Vec<&str> = first.split_whitespace().collect();
    assert!(cells[0].ends_with('*'), "{first}");
    assert_eq!(cells[1..], ["6", "short.txt"]);
    assert!(run.stdout.contains("fewer than 50 words: low confidence"));

    let sorted = telltale(&["score", "--sort", "corpus"]);
    assert_eq!(sorted.code, 0, "{}", sorted.stderr);
    let scores: Vec<f64> = sorted
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|s| s.trim_end_matches('*').parse().ok())
        .collect();
    assert!(scores.len() >= 4);
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn markdown_syntax_does_not_move_the_score() {
    let plain = "We tried the new parser on our largest files last week. It was \
                 slower than the old one on small inputs, but the big logs \
                 finished in half the time. Nobody expected that, and we are \
                 still not sure why the cache helps so much here.\n";
    let markdown = "We tried the *new parser* on our [largest files](https://example.com) \
                    last week. It was **slower** than the old one on small inputs, but \
                    the big logs finished in half the time. Nobody expected that, and we \
                    are still not sure why the `cache` helps so much here.\n";
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.txt"), plain).expect("write");
    std::fs::write(dir.path().join("a.md"), markdown).expect("write");
    let run = telltale_in(
        dir.path(),
        &["score", "--format", "json", "a.txt", "a.md"],
        None,
    );
    let r = json_records(&run);
    // the code span drops one word from the prose; everything else matches
    assert_eq!(r[0].scored.words, r[1].scored.words + 1);
    assert!(
        (r[0].scored.score - r[1].scored.score).abs() < 1.0,
        "{} vs {}",
        r[0].scored.score,
        r[1].scored.score
    );
}

/// A small labelled set whose two classes differ in word choice.
fn write_labelled_set(dir: &std::path::Path) {
    let human = [
        "I walked down to the harbour after lunch and the boats were all in.",
        "My brother said the ferry was late again, so we waited by the cafe.",
        "It rained a bit. We got wet anyway and laughed about it later.",
        "The old man at the stall sold us two fish and told a long story.",
        "Honestly the soup was too salty, but I would still go back there.",
    ];
    let ai = [
        "This vibrant harbour offers a rich tapestry of maritime experiences.",
        "Moreover, the ferry schedule underscores the crucial role of transport.",
        "Visitors can delve into the intricate history of the local fishing trade.",
        "Furthermore, the seamless blend of tradition and innovation is pivotal.",
        "Ultimately, this destination fosters a profound sense of community.",
    ];
    for (label, lines) in [("human", human), ("ai", ai)] {
        std::fs::create_dir_all(dir.join(label)).expect("mkdir");
        for i in 0..12 {
            let text: Vec<&str> = (0..30)
                .map(|k| lines[(i * 7 + k * 3) % lines.len()])
                .collect();
            std::fs::write(dir.join(format!("{label}/{i:02}.txt")), text.join(" ")).expect("write");
        }
    }
}

#[test]
fn calibrate_writes_the_same_bytes_and_the_model_separates() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_labelled_set(&dir.path().join("set"));
    let args = |out: &str| {
        vec![
            "calibrate".to_string(),
            "set".into(),
            "--folds".into(),
            "3".into(),
            "--min-docs".into(),
            "3".into(),
            "--write".into(),
            out.into(),
        ]
    };
    for out in ["m1", "m2"] {
        let a = args(out);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let run = telltale_in(dir.path(), &a, None);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("<- chosen"), "{}", run.stdout);
    }
    for f in ["score-model.tsv", "lexicon.tsv"] {
        let a = std::fs::read(dir.path().join("m1").join(f)).expect("written");
        let b = std::fs::read(dir.path().join("m2").join(f)).expect("written");
        assert_eq!(a, b, "{f} differs between runs");
    }
    let lexicon = std::fs::read_to_string(dir.path().join("m1/lexicon.tsv")).expect("lexicon");
    assert!(lexicon.lines().any(|l| l.starts_with("tapestry\t")));
    let run = telltale_in(
        dir.path(),
        &["score", "--model", "m1", "--format", "json", "set"],
        None,
    );
    let records = json_records(&run);
    let mean = |label: &str| {
        let v: Vec<f64> = records
            .iter()
            .filter(|r| r.path.contains(label))
            .map(|r| r.scored.score)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(mean("/ai/") > 80.0 && mean("/human/") < 20.0);
}

#[test]
fn calibrate_rejects_bad_sets_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = telltale_in(dir.path(), &["calibrate", "."], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no labelled documents"),
        "{}",
        run.stderr
    );
    std::fs::create_dir(dir.path().join("human")).expect("mkdir");
    std::fs::write(dir.path().join("human/a.txt"), "words").expect("write");
    let run = telltale_in(dir.path(), &["calibrate", "."], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("needs documents of both labels"),
        "{}",
        run.stderr
    );
    let run = telltale_in(dir.path(), &["score", "--model", "nowhere", "human"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("score-model.tsv"), "{}", run.stderr);
}

/// `--max-score` compares the score as `check` shows it, to one decimal:
/// a document shown as 12.6 fails `--max-score 12.6` even when its exact
/// score is 12.57, and one shown as 11.9 passes `--max-score 11.92` even
/// when it is 11.93. The summary used to round to a whole number while the
/// gate compared the exact score, so the two could disagree either way.
#[test]
fn max_score_compares_the_score_as_shown() {
    let scored = telltale(&["score", "--format", "json", "corpus/false-alarms"]);
    let records: Vec<serde_json::Value> = serde_json::from_str(&scored.stdout).expect("score JSON");
    let (mut up, mut down) = (0, 0);
    for r in &records {
        let path = r["path"].as_str().expect("path");
        let exact = r["score"].as_f64().expect("score");
        let shown = (exact * 10.0).round() / 10.0;
        let check = |max: &str| {
            telltale(&[
                "check",
                "--color",
                "never",
                "--fail-on",
                "never",
                "--max-score",
                max,
                path,
            ])
        };
        let at = check(&shown.to_string());
        assert_eq!(
            at.code, 1,
            "{path}: {exact} shown as {shown}: {}",
            at.stderr
        );
        assert!(
            at.stderr.contains(&format!(
                "{path}: score {shown} is at or above the max-score of {shown}"
            )),
            "{}",
            at.stderr
        );
        if let Some(summary) = at
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{path}:")))
        {
            assert!(summary.ends_with(&format!(", score {shown}")), "{summary}");
        }
        // a limit between the exact score and the shown one: the shown one decides
        if exact == shown {
            continue;
        }
        let between = format!("{}", (exact + shown) / 2.0);
        let run = check(&between);
        let expected = if shown >= (exact + shown) / 2.0 {
            up += 1;
            1
        } else {
            down += 1;
            0
        };
        assert_eq!(
            run.code, expected,
            "{path}: exact {exact}, shown {shown}, --max-score {between}: {}",
            run.stderr
        );
    }
    assert!(
        up > 0 && down > 0,
        "scores rounded both ways: {up} up, {down} down"
    );
}

#[test]
fn check_prints_the_score_and_max_score_fails() {
    let run = telltale(&[
        "check",
        "--color",
        "never",
        "--fail-on",
        "never",
        "corpus/ai/product-launch.txt",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run
        .stdout
        .lines()
        .find(|l| l.starts_with("corpus/ai/product-launch.txt:"))
        .expect("summary line");
    let score: f64 = summary
        .rsplit("score ")
        .next()
        .and_then(|s| s.parse().ok())
        .expect("score in the summary");
    assert!(score >= 50.0, "{summary}");
    let fails = telltale(&[
        "check",
        "--fail-on",
        "never",
        "--max-score",
        "50",
        "corpus/ai/product-launch.txt",
    ]);
    assert_eq!(fails.code, 1);
    // the only reason for the exit code is said on stderr, whatever the format
    assert!(
        fails
            .stderr
            .contains("corpus/ai/product-launch.txt: score ")
            && fails.stderr.contains(" is at or above the max-score of 50"),
        "{}",
        fails.stderr
    );
    let passes = telltale(&[
        "check",
        "--fail-on",
        "never",
        "--max-score",
        "100",
        "corpus/human/field-notes.md",
    ]);
    assert_eq!(passes.code, 0);
    assert!(!passes.stderr.contains("max-score"), "{}", passes.stderr);
    let bad = telltale(&["check", "--max-score", "101", "corpus"]);
    assert_eq!(bad.code, 2);
}
