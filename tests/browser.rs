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

/// A test-only script, added to a copy of the page after the page's own:
/// it works the page as a reader would (focus, pointer, Escape, the two
/// view toggles) by sending the page's own handlers their events, and
/// writes what the tooltip and the styles showed into `data-probe` on the
/// root element, for the dumped DOM to carry out. It reads; it never
/// builds what it checks.
const PROBE: &str = r#"(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var out = { ready: document.documentElement.getAttribute("data-ready"), focus: [] };
  function cards() { return tip.hidden ? 0 : tip.querySelectorAll(".card").length; }
  function over(el) { el.dispatchEvent(new MouseEvent("mouseover", { bubbles: true })); }
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.hl[tabindex]"));
  marks.forEach(function (m) {
    m.focus();
    m.dispatchEvent(new FocusEvent("focusin", { bubbles: true }));
    out.focus.push({ id: m.id, rule: m.getAttribute("data-rule"), cards: cards(), text: tip.textContent });
  });
  // the pointer away from every highlight: the focused one keeps its tooltip
  var title = document.querySelector("h1");
  over(title);
  out.restFocused = { cards: cards(), text: tip.textContent, id: document.activeElement.id };
  // Escape dismisses it, and moving the pointer does not bring it back
  document.activeElement.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  out.afterEscape = tip.hidden;
  over(title);
  out.afterEscapeMove = tip.hidden;
  // the pointer on the innermost of nested highlights: one card for each
  var inner = marks.filter(function (m) { return m.parentElement.closest("mark.hl"); })[0];
  if (inner) {
    var around = [];
    for (var e = inner; e; e = e.parentElement && e.parentElement.closest("mark.hl")) {
      around.push(e.getAttribute("data-rule"));
    }
    over(inner);
    out.nested = { rules: around, cards: cards(),
      shown: Array.prototype.map.call(tip.querySelectorAll(".card .n-rule"), function (r) { return r.textContent; }) };
  }
  // the findings toggle: off, highlights lose their colour and the pointer shows nothing
  var findings = document.getElementById("show-findings");
  var mark = marks[0];
  var markOn = getComputedStyle(mark).backgroundColor;
  findings.checked = false;
  var markOff = getComputedStyle(mark).backgroundColor;
  over(mark);
  out.findingsOff = { on: markOn, off: markOff, hidden: tip.hidden };
  findings.checked = true;
  // the lexical layer: words tinted only while it is on, with their points
  var pull = document.getElementById("show-pull");
  var up = document.querySelector(".lx.p2, .lx.p3, .lx.p4");
  var down = document.querySelector(".lx.n2, .lx.n3, .lx.n4");
  var plain = getComputedStyle(up).backgroundColor;
  pull.checked = true;
  over(up);
  out.pull = { plain: plain, up: getComputedStyle(up).backgroundColor,
    down: getComputedStyle(down).backgroundColor, word: up.textContent,
    points: up.getAttribute("data-p"), tip: tip.textContent };
  document.documentElement.setAttribute("data-probe", JSON.stringify(out));
})();"#;

/// `html` with `PROBE` after the page's script, and its hash added to the
/// page's content security policy (which still blocks everything else).
fn with_probe(html: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(PROBE));
    let csp = "script-src 'sha256-";
    assert!(html.contains(csp), "the page has a script policy");
    let html = html.replacen(csp, &format!("script-src 'sha256-{hash}' 'sha256-"), 1);
    let end = html.rfind("</body>").expect("the page ends its body");
    format!("{}<script>{PROBE}</script>{}", &html[..end], &html[end..])
}

/// Whitespace-free, for comparing text the page reflows.
fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_reader_can_work_the_page() {
    let Some(browser) = chromium_for("a_reader_can_work_the_page") else {
        return;
    };
    let work = tempfile::tempdir().expect("temp dir");
    let page = work.path().join("report.html");
    let run = telltale(&[
        "report",
        "--quiet",
        DIGEST,
        "-o",
        page.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let probed = work.path().join("probed.html");
    let html = std::fs::read_to_string(&page).expect("page");
    std::fs::write(&probed, with_probe(&html)).expect("write");
    let rendered = render(&browser, &probed, work.path());
    assert!(
        rendered.page_requests.is_empty(),
        "{:?}",
        rendered.page_requests
    );
    let dom = parse(&rendered.dom);
    let root = dom.all("html").next().expect("html");
    let probe: serde_json::Value = serde_json::from_str(
        root.attr("data-probe")
            .expect("the probe ran under the page's policy"),
    )
    .expect("probe JSON");
    assert_eq!(probe["ready"], "1", "the page's script ran first");

    // focusing each highlight shows its rule, message, fix, explanation and
    // advice: the same words `check` and the rule's pack give
    let check = telltale(&["check", "--format", "json", "--fail-on", "never", DIGEST]);
    let checked: serde_json::Value = serde_json::from_str(&check.stdout).expect("check JSON");
    let findings = checked["files"][0]["findings"]
        .as_array()
        .expect("findings");
    let focus = probe["focus"].as_array().expect("focus results");
    assert_eq!(
        focus.len(),
        findings.len(),
        "one focusable highlight per finding"
    );
    let rules = telltale::rules::RuleSet::builtin().expect("packs load");
    for (k, f) in findings.iter().enumerate() {
        let id = f["rule"].as_str().expect("rule");
        let anchor = format!("d1-f{}", k + 1);
        let shown = focus
            .iter()
            .find(|s| s["id"] == anchor.as_str())
            .unwrap_or_else(|| panic!("no highlight #{anchor} was focused"));
        assert_eq!(shown["rule"], id);
        assert_eq!(
            shown["cards"], 1,
            "focus shows the focused finding: {shown}"
        );
        let text = squeezed(shown["text"].as_str().expect("tooltip text"));
        let rule = rules
            .rules()
            .iter()
            .find(|r| r.id == id)
            .expect("a built-in rule");
        let mut parts = vec![
            id.to_string(),
            f["message"].as_str().expect("message").to_string(),
            rule.why.clone(),
        ];
        parts.extend(rule.help.clone());
        match f["suggestion"].as_str() {
            Some("") => parts.push("delete it".into()),
            Some(s) => parts.push(s.to_string()),
            None => {}
        }
        for part in parts {
            assert!(
                text.contains(&squeezed(&part)),
                "the tooltip of finding {} ({id}) shows {part:?}: {}",
                k + 1,
                shown["text"]
            );
        }
    }

    let rest = &probe["restFocused"];
    assert_eq!(rest["cards"], 1, "{rest}");
    assert_eq!(
        rest["id"],
        focus.last().expect("a highlight")["id"],
        "the last focused highlight keeps focus"
    );
    assert_eq!(probe["afterEscape"], true, "Escape hides the tooltip");
    assert_eq!(
        probe["afterEscapeMove"], true,
        "a dismissed tooltip stays dismissed"
    );

    // overlapping findings: the pointer on the innermost lists them all
    let nested = &probe["nested"];
    let around = nested["rules"]
        .as_array()
        .expect("a nested highlight in the digest");
    assert!(around.len() >= 2, "{nested}");
    assert_eq!(nested["cards"], around.len(), "{nested}");
    assert_eq!(&nested["shown"], &nested["rules"], "innermost first");

    let off = &probe["findingsOff"];
    assert_ne!(
        off["on"], off["off"],
        "switching findings off clears their colour"
    );
    assert_eq!(off["hidden"], true, "and their tooltips");

    // the lexical layer tints words only when switched on, in two colours,
    // and a word's tooltip gives its points
    let pull = &probe["pull"];
    assert_ne!(pull["plain"], pull["up"], "{pull}");
    assert_ne!(
        pull["up"], pull["down"],
        "toward AI and toward human differ"
    );
    let points: f64 = pull["points"]
        .as_str()
        .expect("points")
        .parse()
        .expect("a number");
    assert!(points > 0.0);
    let tip = pull["tip"].as_str().expect("word tooltip");
    assert!(
        tip.contains(pull["word"].as_str().expect("word"))
            && tip.contains(&format!("+{points:.2}"))
            && tip.contains("toward generated"),
        "{tip}"
    );
}
