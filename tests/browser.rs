//! The report in a real browser: headless Chromium opens the page of a
//! corpus digest, runs its script under its content security policy, and
//! dumps the DOM it rendered; the test checks every finding has its
//! highlight there, that the page's own script ran, that hostile text did
//! not run, and (from Chromium's network log) that the page asked for
//! nothing over the network.
//!
//! Needs Chromium (Debian: `apt-get install -y chromium`; or set `CHROMIUM`
//! to the browser's path). Where there is none, a plain `cargo test` skips
//! these tests and says so on stderr; where a browser is required (`CI` or
//! `TELLTALE_REQUIRE_BROWSER` set, as `.ci/run` does after installing
//! Chromium) a missing browser fails them instead, so CI never passes by
//! skipping. DNS is mapped to nowhere for the browser
//! (`--host-resolver-rules`), so nothing it tries leaves the machine.

mod common;
mod report_dom;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::telltale;
use report_dom::{
    assert_every_finding_highlighted, assert_self_contained, expected_findings, parse,
};

/// A news digest written in the style of a chat model (corpus/digests/).
const DIGEST: &str = "corpus/digests/ai/ai-roundup.md";

/// How long one browser run may take before the test gives up on it.
const BROWSER_LIMIT: Duration = Duration::from_secs(90);

/// The browser to run: `CHROMIUM`, else the first Chromium or Chrome on
/// `PATH`; `None` when there is none.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    ["chromium", "chromium-browser", "google-chrome", "chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Whether this run must have a browser: in CI a missing one is a failure,
/// never a quiet skip.
fn browser_required() -> bool {
    ["CI", "TELLTALE_REQUIRE_BROWSER"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// The browser for `test`, or `None` after telling the user on stderr why
/// the test is skipped. Panics when a browser is required and missing.
fn chromium_for(test: &str) -> Option<PathBuf> {
    if let Some(found) = find_chromium() {
        return Some(found);
    }
    let advice =
        "install Chromium (Debian: apt-get install -y chromium) or set CHROMIUM to its path";
    assert!(
        !browser_required(),
        "{test}: no Chromium found, and this run requires one (CI or \
         TELLTALE_REQUIRE_BROWSER is set): {advice}"
    );
    // straight to the process's stderr: the test harness captures eprintln!
    // of passing tests, and a skip must be seen
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED browser test {test}: no Chromium found on PATH; {advice}"
    );
    None
}
/// What one headless browser run gave.
struct Rendered {
    dom: String,
    /// URLs of every request a page made (not the browser's own traffic).
    page_requests: Vec<String>,
}

/// Opens `page` in headless Chromium with a fresh profile in `work`.
fn render(browser: &Path, page: &Path, work: &Path) -> Rendered {
    let profile = tempfile::tempdir_in(work).expect("profile dir");
    let netlog = work.join(format!(
        "{}.netlog.json",
        page.file_stem().and_then(|s| s.to_str()).unwrap_or("page")
    ));
    let dom_path = work.join("dom.html");
    let dom_file = std::fs::File::create(&dom_path).expect("dom file");
    let url = format!("file://{}", page.display());
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            "--disable-breakpad",
            "--no-pings",
            "--no-first-run",
            "--no-default-browser-check",
            "--metrics-recording-only",
            "--disable-features=NetworkTimeServiceQuerying,MediaRouter,OptimizationHints,Translate",
            // whatever is asked for resolves nowhere and never leaves the machine
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(dom_file)
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("chromium runs") {
            break status;
        }
        if started.elapsed() > BROWSER_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {BROWSER_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "chromium failed: {status}");
    let dom = std::fs::read_to_string(&dom_path).expect("dumped DOM");
    let log = std::fs::read_to_string(&netlog).expect("network log written");
    Rendered {
        dom,
        page_requests: page_requests(&log),
    }
}

/// The URL of every request a page made, from a Chromium network log: a
/// URL request whose initiator is an origin (a page from a file has the
/// origin "null"; the browser's own traffic has "not an origin").
fn page_requests(log: &str) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(log).expect("the network log is JSON");
    let types = &log["constants"]["logEventTypes"];
    let type_id = |name: &str| {
        types[name]
            .as_u64()
            .unwrap_or_else(|| panic!("netlog has no {name} events"))
    };
    let (start_job, alive) = (type_id("URL_REQUEST_START_JOB"), type_id("REQUEST_ALIVE"));
    let events = log["events"].as_array().expect("events");
    let mut urls = std::collections::HashMap::new();
    for e in events {
        if e["type"].as_u64() == Some(alive)
            && let Some(url) = e["params"]["url"].as_str()
        {
            urls.insert(e["source"]["id"].as_u64(), url.to_string());
        }
    }
    events
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        // a job logs its start (with parameters) and its end (without)
        .filter(|e| {
            e["params"]["initiator"]
                .as_str()
                .is_some_and(|i| i != "not an origin")
        })
        .map(|e| {
            urls.get(&e["source"]["id"].as_u64())
                .cloned()
                .unwrap_or_else(|| format!("{}", e["params"]))
        })
        .collect()
}

#[test]
fn the_digest_renders_every_highlight_and_fetches_nothing() {
    let Some(browser) = chromium_for("the_digest_renders_every_highlight_and_fetches_nothing")
    else {
        return;
    };
    let work = tempfile::tempdir().expect("temp dir");
    let page = work.path().join("report.html");
    let out = page.to_str().expect("utf-8 path");
    let run = telltale(&["report", "--quiet", DIGEST, "-o", out]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let rendered = render(&browser, &page, work.path());
    let dom = parse(&rendered.dom);
    let html = dom.all("html").next().expect("an html element");
    assert_eq!(
        html.attr("data-ready"),
        Some("1"),
        "the page's own script ran under its content security policy"
    );
    assert_self_contained(&dom);
    let check = telltale(&["check", "--format", "json", "--fail-on", "never", DIGEST]);
    let checked = assert_every_finding_highlighted(&dom, "d1", &expected_findings(&check.stdout));
    assert!(checked >= 20, "{checked}");
    assert!(
        rendered.page_requests.is_empty(),
        "the page made requests: {:?}",
        rendered.page_requests
    );

    // the same log does show a page's requests when there are some, so the
    // check above can fail
    let leaky = work.path().join("leaky.html");
    std::fs::write(
        &leaky,
        "<!DOCTYPE html><title>t</title><p>x</p><img src=\"http://telltale.invalid/x.png\">",
    )
    .expect("write");
    let control = render(&browser, &leaky, work.path());
    assert!(
        control
            .page_requests
            .iter()
            .any(|u| u.contains("telltale.invalid")),
        "a page's request shows in the log: {:?}",
        control.page_requests
    );
}

#[test]
fn hostile_text_does_not_run_in_the_browser() {
    let Some(browser) = chromium_for("hostile_text_does_not_run_in_the_browser") else {
        return;
    };
    let work = tempfile::tempdir().expect("temp dir");
    let draft = work.path().join("draft.md");
    std::fs::write(
        &draft,
        "<script>document.title='pwned'</script>\n\n\
         \"><img src=x onerror=\"document.title='pwned'\">\n\n\
         It's not just a draft — it's <svg onload=\"document.title='pwned'\"></svg> a statement.\n",
    )
    .expect("write");
    let page = work.path().join("report.html");
    let run = telltale(&[
        "report",
        "--quiet",
        draft.to_str().expect("utf-8"),
        "-o",
        page.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rendered = render(&browser, &page, work.path());
    let dom = parse(&rendered.dom);
    let title = dom.all("title").count();
    assert_eq!(title, 1);
    assert!(
        !rendered.dom.contains("<title>pwned"),
        "a hostile script ran"
    );
    assert!(
        dom.text.contains("<script>document.title='pwned'</script>"),
        "the hostile text is shown as text"
    );
    for e in &dom.elements {
        assert!(
            !matches!(e.name.as_str(), "img" | "svg"),
            "hostile element in the DOM: {e:?}"
        );
    }
    assert_eq!(dom.all("script").count(), 1);
    assert!(
        rendered.page_requests.is_empty(),
        "{:?}",
        rendered.page_requests
    );
}
