//! One JSON document for the whole run, for scripts and other tools:
//! `{"version": 1, "files": [...], "summary": {...}}`, described field by
//! field in `docs/json-output.md`.
//!
//! The document is streamed: the opening is written before the first file,
//! each file's object on a line of its own once it is checked (gathered
//! into pieces of 64 KiB, see [`FLUSH_AT`](super::pieces::FLUSH_AT)), and the summary at the end.
//! Memory does not grow with the number of files, and the output is still
//! one valid JSON value.

use std::io::{self, Write};

use serde::Serialize;

use super::pieces::{flush_full, trim};
use super::{DocReport, Reporter, RunSummary};
use crate::engine::Finding;
use crate::rules::{RuleSet, Severity};

/// The version of the document's shape; raised on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// The JSON document format.
pub struct Json {
    files_written: usize,
    /// The entries are gathered here, across files, and written in pieces
    /// of at least [`FLUSH_AT`](super::pieces::FLUSH_AT) bytes (the rest by [`Reporter::finish`]):
    /// few dynamic writes, memory bounded however large the file, and
    /// pieces the writer's buffer passes on without copying them. Kept
    /// between files so it is allocated once.
    buf: Vec<u8>,
    /// Per rule index: the escaped opening of its findings
    /// (`{"rule":...,"category":...,"severity":`) and its escaped message.
    rule_json: Vec<RuleJson>,
    /// Threads that may write a large file's findings.
    threads: usize,
}

/// The parts of a finding's entry that depend only on its rule.
struct RuleJson {
    /// `{"rule":...,"category":...,"severity":`
    head: Vec<u8>,
    /// The rule's message, escaped.
    message: Vec<u8>,
    /// The whole opening of a finding at the rule's own severity and with
    /// its own message, most findings: from `{` to the message, so such
    /// an entry starts with one copy.
    usual: Vec<u8>,
    /// The severity `usual` has.
    severity: Severity,
}

/// Findings written by one thread at a time when a file has very many and
/// several threads write them (runs of this many go to the threads in
/// turn): about 270 KB of JSON, which stays in a core's cache until it is
/// written out. Runs of 8,192 did not, and wrote no faster on two threads
/// than on one.
const PARALLEL_RUN: usize = 1024;

/// Files with at least this many findings have them written on several
/// threads, when there are several: far more than any ordinary document
/// has, so only a very large file pays for starting threads.
const PARALLEL_FROM: usize = 16 * PARALLEL_RUN;

impl Json {
    /// A JSON reporter for findings of `rules`, writing one file's findings
    /// on up to `threads` threads when there are very many.
    pub fn new(rules: &RuleSet, threads: usize) -> Self {
        let rule_json = rules
            .rules()
            .iter()
            .map(|rule| {
                let mut head = b"{\"rule\":".to_vec();
                string(&mut head, &rule.id);
                head.extend_from_slice(b",\"category\":");
                string(&mut head, &rule.category);
                head.extend_from_slice(b",\"severity\":");
                let mut message = Vec::new();
                string(&mut message, &rule.message);
                let mut usual = head.clone();
                usual.push(b'"');
                usual.extend_from_slice(rule.severity.name().as_bytes());
                usual.extend_from_slice(b"\",\"message\":");
                usual.extend_from_slice(&message);
                RuleJson {
                    head,
                    message,
                    usual,
                    severity: rule.severity,
                }
            })
            .collect();
        Json {
            files_written: 0,
            buf: Vec::new(),
            rule_json,
            threads: threads.max(1),
        }
    }

    /// Appends the entry of finding `f` of a file whose text is `source`.
    fn finding(&self, buf: &mut Vec<u8>, source: &str, f: &Finding) {
        let cached = &self.rule_json[f.rule];
        if f.severity == cached.severity && f.own_message().is_none() {
            buf.extend_from_slice(&cached.usual);
        } else {
            buf.extend_from_slice(&cached.head);
            // severity names need no escape
            buf.push(b'"');
            buf.extend_from_slice(f.severity.name().as_bytes());
            buf.push(b'"');
            buf.extend_from_slice(b",\"message\":");
            match f.own_message() {
                None => buf.extend_from_slice(&cached.message),
                Some(message) => string(buf, message),
            }
        }
        positions(
            buf,
            [
                f.start.line,
                f.start.column,
                f.end.line,
                f.end.column,
                f.span.start,
                f.span.end,
            ],
        );
        buf.extend_from_slice(b",\"text\":");
        string(buf, source.get(f.span.clone()).unwrap_or_default());
        match f.suggestion() {
            Some(s) => {
                buf.extend_from_slice(b",\"suggestion\":");
                string(buf, s);
                buf.push(b'}');
            }
            None => buf.extend_from_slice(b",\"suggestion\":null}"),
        }
    }

    /// Writes the entries of `findings`, after at least one written
    /// already, on [`Json::threads`] threads: the findings are taken in
    /// runs of [`PARALLEL_RUN`], thread `t` of `n` writes runs `t`, `t + n`,
    /// and so on into a buffer of its own, and this thread (thread 0) puts
    /// the runs out in order. Each helper has two buffers, one being
    /// filled while the other waits its turn, so memory stays a few runs
    /// per thread, and a run's entries are small enough to stay in cache
    /// until written.
    fn findings_in_parallel(
        &self,
        out: &mut dyn Write,
        source: &str,
        findings: &[Finding],
    ) -> io::Result<()> {
        use std::sync::mpsc;
        let runs: Vec<&[Finding]> = findings.chunks(PARALLEL_RUN).collect();
        let threads = self.threads.min(runs.len()).max(1);
        std::thread::scope(|scope| {
            // per helper: its filled runs, and its emptied buffers back
            let mut helpers = Vec::with_capacity(threads - 1);
            for t in 1..threads {
                let (filled, from_helper) = mpsc::sync_channel::<Vec<u8>>(1);
                let (to_helper, emptied) = mpsc::channel::<Vec<u8>>();
                let runs = &runs;
                scope.spawn(move || {
                    for run in runs.iter().skip(t).step_by(threads) {
                        let mut buf = emptied.try_recv().unwrap_or_default();
                        self.run_of_findings(&mut buf, source, run);
                        if filled.send(buf).is_err() {
                            // the writer stopped on an error
                            return;
                        }
                    }
                });
                helpers.push((from_helper, to_helper));
            }
            let mut own = Vec::new();
            for (i, run) in runs.iter().enumerate() {
                match i % threads {
                    0 => {
                        self.run_of_findings(&mut own, source, run);
                        out.write_all(&own)?;
                    }
                    t => {
                        let (from_helper, to_helper) = &helpers[t - 1];
                        let buf = from_helper
                            .recv()
                            .map_err(|_| io::Error::other("a JSON writing thread stopped"))?;
                        out.write_all(&buf)?;
                        // the helper may have finished; the buffer is then dropped
                        let _ = to_helper.send(buf);
                    }
                }
            }
            Ok(())
        })
    }

    /// Fills `buf` with the entries of `run`, each after a comma.
    fn run_of_findings(&self, buf: &mut Vec<u8>, source: &str, run: &[Finding]) {
        buf.clear();
        for f in run {
            buf.push(b',');
            self.finding(buf, source, f);
        }
    }
}

/// The run's totals, as serialized.
#[derive(Serialize)]
struct SummaryEntry {
    files: usize,
    findings: usize,
    by_severity: BySeverity,
    errors: usize,
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    info: usize,
}

impl Reporter for Json {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        // The entry is written by hand, field by field in the order and
        // compact form serde_json gives a struct of these fields (the
        // output is unchanged); through serde it was most of the cost of
        // the output stage. Integers are decimal, strings are escaped by
        // `string`, and the one float goes through serde_json.
        let source = doc.doc.source();
        // (holding the entries of earlier files not yet written)
        let mut buf = std::mem::take(&mut self.buf);
        if self.files_written == 0 {
            buf.extend_from_slice(format!("{{\"version\":{JSON_VERSION},\"files\":[\n").as_bytes());
        } else {
            buf.extend_from_slice(b",\n");
        }
        buf.extend_from_slice(b"{\"path\":");
        string(&mut buf, doc.path);
        buf.extend_from_slice(b",\"format\":");
        string(&mut buf, doc.doc.markup().name());
        buf.extend_from_slice(b",\"words\":");
        uint(&mut buf, doc.doc.word_count());
        buf.extend_from_slice(b",\"score\":");
        match doc.score.filter(|s| s.is_finite()) {
            Some(score) => serde_json::to_writer(&mut buf, &score)?,
            None => buf.extend_from_slice(b"null"),
        }
        buf.extend_from_slice(b",\"findings\":[");
        match doc.findings.split_first() {
            Some((first, rest)) if rest.len() >= PARALLEL_FROM && self.threads > 1 => {
                self.finding(&mut buf, source, first);
                out.write_all(&buf)?;
                buf.clear();
                self.findings_in_parallel(out, source, rest)?;
            }
            _ => {
                for (i, f) in doc.findings.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    self.finding(&mut buf, source, f);
                    flush_full(&mut buf, out)?;
                }
            }
        }
        buf.extend_from_slice(b"]}");
        flush_full(&mut buf, out)?;
        trim(&mut buf);
        self.buf = buf;
        self.files_written += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, run: &RunSummary) -> io::Result<()> {
        out.write_all(&self.buf)?;
        self.buf.clear();
        if self.files_written == 0 {
            write!(out, "{{\"version\":{JSON_VERSION},\"files\":[")?;
        } else {
            out.write_all(b"\n")?;
        }
        let summary = SummaryEntry {
            files: run.files,
            findings: run.findings(),
            by_severity: BySeverity {
                error: run.by_severity[Severity::Error as usize],
                warning: run.by_severity[Severity::Warning as usize],
                info: run.by_severity[Severity::Info as usize],
            },
            errors: run.errors,
        };
        out.write_all(b"],\"summary\":")?;
        serde_json::to_writer(&mut *out, &summary)?;
        out.write_all(b"}\n")
    }
}

/// Appends `n` in decimal.
#[inline]
fn uint(buf: &mut Vec<u8>, n: usize) {
    let mut out = [0u8; MAX_DIGITS];
    let len = decimal(&mut out, 0, n);
    buf.extend_from_slice(&out[..len]);
}

/// Digits of the largest `usize`.
const MAX_DIGITS: usize = 20;

/// Appends a finding's six position fields (`line`, `column`, `end_line`,
/// `end_column`, `start`, `end`, in that order), keys included: put
/// together on the stack and appended at once, as the six integers and
/// their keys were a fifth of the output stage one by one.
fn positions(buf: &mut Vec<u8>, values: [usize; 6]) {
    const KEYS: [&[u8]; 6] = [
        b",\"line\":",
        b",\"column\":",
        b",\"end_line\":",
        b",\"end_column\":",
        b",\"start\":",
        b",\"end\":",
    ];
    const ROOM: usize = 6 * MAX_DIGITS + 9 + 11 + 13 + 15 + 10 + 8;
    let mut out = [0u8; ROOM];
    let mut at = 0;
    for (key, n) in KEYS.iter().zip(values) {
        out[at..at + key.len()].copy_from_slice(key);
        at = decimal(&mut out, at + key.len(), n);
    }
    buf.extend_from_slice(&out[..at]);
}

/// Two decimal digits of each number below 100.
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// Writes `n` in decimal into `out` from `at` (which has room for
/// [`MAX_DIGITS`] digits), two digits at a time from the last; returns the
/// end.
#[inline]
fn decimal(out: &mut [u8], at: usize, n: usize) -> usize {
    // lines, columns and offsets in a file are mostly below 10,000
    let pair = |p: usize| [DIGIT_PAIRS[2 * p], DIGIT_PAIRS[2 * p + 1]];
    if n < 10 {
        out[at] = b'0' + n as u8;
        return at + 1;
    }
    if n < 100 {
        out[at..at + 2].copy_from_slice(&pair(n));
        return at + 2;
    }
    if n < 1000 {
        out[at] = b'0' + (n / 100) as u8;
        out[at + 1..at + 3].copy_from_slice(&pair(n % 100));
        return at + 3;
    }
    if n < 10_000 {
        out[at..at + 2].copy_from_slice(&pair(n / 100));
        out[at + 2..at + 4].copy_from_slice(&pair(n % 100));
        return at + 4;
    }
    let end = at + n.checked_ilog10().map_or(1, |l| l as usize + 1);
    let mut i = end;
    let mut n = n;
    while n >= 100 {
        let pair = 2 * (n % 100);
        n /= 100;
        i -= 2;
        out[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        out[i - 2..i].copy_from_slice(&DIGIT_PAIRS[2 * n..2 * n + 2]);
    } else {
        out[i - 1] = b'0' + n as u8;
    }
    end
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it: `"`,
/// `\\` and control characters only (the short forms where JSON has one,
/// else `\u00XX` in lowercase hex); everything else, non-ASCII included,
/// is copied as it is.
fn string(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    // most strings need no escape: test eight bytes at a time (the last
    // few as the string's last eight, or one by one in a short string)
    // and copy the string whole
    let (chunks, rest) = bytes.as_chunks::<8>();
    let mut clean = chunks.iter().all(|c| !any_escaped(u64::from_le_bytes(*c)));
    if clean && !rest.is_empty() {
        clean = match bytes.last_chunk::<8>() {
            Some(last) => !any_escaped(u64::from_le_bytes(*last)),
            None => rest.iter().all(|&b| escape(b).is_none()),
        };
    }
    if clean {
        buf.extend_from_slice(bytes);
    } else {
        let mut plain = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if let Some(escape) = escape(b) {
                buf.extend_from_slice(&bytes[plain..i]);
                plain = i + 1;
                let len = if escape[1] == b'u' { 6 } else { 2 };
                buf.extend_from_slice(&escape[..len]);
            }
        }
        buf.extend_from_slice(&bytes[plain..]);
    }
    buf.push(b'"');
}

/// Whether any of the eight bytes in `w` is a control character, `"` or
/// `\\`: the classic "has a byte less than n" test on the word and on the
/// word with each of the two characters xored away (exact for whether
/// such a byte exists).
fn any_escaped(w: u64) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let quote = w ^ (ONES * b'"' as u64);
    let backslash = w ^ (ONES * b'\\' as u64);
    (below(w, 0x20) | below(quote, 1) | below(backslash, 1)) != 0
}

/// The escape for byte `b` of a JSON string, padded to six bytes (only
/// `\u00XX` uses all six; the others use the first two), or `None`.
fn escape(b: u8) -> Option<[u8; 6]> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = |c: u8| Some([b'\\', c, 0, 0, 0, 0]);
    match b {
        b'"' => short(b'"'),
        b'\\' => short(b'\\'),
        b'\n' => short(b'n'),
        b'\r' => short(b'r'),
        b'\t' => short(b't'),
        0x08 => short(b'b'),
        0x0C => short(b'f'),
        0..0x20 => Some([
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[(b >> 4) as usize],
            HEX[(b & 0xF) as usize],
        ]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Selection};
    use crate::text::Document;

    fn render(texts: &[&str]) -> serde_json::Value {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let mut reporter = Json::new(&rules, 1);
        let mut out = Vec::new();
        let mut run = RunSummary::default();
        for (i, text) in texts.iter().enumerate() {
            let doc = Document::plain(*text);
            let checked = engine::check(&doc, &rules, &Selection::all(&rules));
            run.add(&checked.findings);
            let path = format!("doc{i}.txt");
            reporter
                .document(
                    &mut out,
                    &DocReport {
                        path: &path,
                        doc: &doc,
                        findings: &checked.findings,
                        score: None,
                    },
                )
                .expect("write to memory");
        }
        reporter.finish(&mut out, &run).expect("write to memory");
        serde_json::from_slice(&out).expect("one valid JSON document")
    }

    /// A file with very many findings is written on several threads
    /// exactly as on one, however the runs fall to the threads and however
    /// short the last run is.
    #[test]
    fn many_findings_on_several_threads_are_written_as_on_one() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let doc = Document::plain(
            "We delve into the rich tapestry of ideas. In today's fast-paced world, it \"matters\".",
        );
        let checked = engine::check(&doc, &rules, &Selection::all(&rules));
        assert!(checked.findings.len() >= 2);
        for count in [
            PARALLEL_FROM,
            PARALLEL_FROM + 2,
            PARALLEL_FROM + 7 * PARALLEL_RUN + 5,
        ] {
            let findings: Vec<Finding> = (0..count)
                .map(|i| {
                    let mut f = checked.findings[i % checked.findings.len()].clone();
                    f.start.line = i + 1;
                    f
                })
                .collect();
            let write = |threads| {
                let mut reporter = Json::new(&rules, threads);
                let mut out = Vec::new();
                let report = DocReport {
                    path: "many.txt",
                    doc: &doc,
                    findings: &findings,
                    score: Some(50.0),
                };
                reporter
                    .document(&mut out, &report)
                    .expect("write to memory");
                reporter
                    .document(&mut out, &report)
                    .expect("write to memory");
                reporter
                    .finish(&mut out, &RunSummary::default())
                    .expect("write to memory");
                out
            };
            let one = write(1);
            let value: serde_json::Value = serde_json::from_slice(&one).expect("valid JSON");
            assert_eq!(
                value["files"][1]["findings"].as_array().map(Vec::len),
                Some(count)
            );
            for threads in [2, 3, 4] {
                assert!(write(threads) == one, "{count} findings, {threads} threads");
            }
        }
    }

    #[test]
    fn no_files_is_still_a_document() {
        let v = render(&[]);
        assert_eq!(v["version"], 1);
        assert_eq!(v["files"].as_array().map(Vec::len), Some(0));
        assert_eq!(v["summary"]["files"], 0);
    }

    #[test]
    fn several_files_are_separated() {
        let v = render(&["Let us delve into it.", "Plain words.", "Delve deeper."]);
        let files = v["files"].as_array().expect("files array");
        assert_eq!(files.len(), 3);
        assert_eq!(files[1]["findings"].as_array().map(Vec::len), Some(0));
        assert_eq!(files[0]["findings"][0]["text"], "delve");
        assert_eq!(v["summary"]["files"], 3);
    }

    #[test]
    fn strings_and_integers_are_written_as_serde_json_writes_them() {
        let mut every: String = (0u8..0x80).map(char::from).collect();
        every.push_str("é — “quoted” \u{2028} 🚀 \u{7f}");
        for s in [
            every.as_str(),
            "",
            "plain",
            "\"",
            "a\\b",
            "tab\tend\n",
            "eight ch",
            "seven\n",
            "exactly sixteen!",
            "sixteen + one: \u{1}",
            "nine\"char",
            "ninechar\\",
            "x\u{1f}",
            "abc",
            "ab\"",
        ] {
            let mut buf = Vec::new();
            string(&mut buf, s);
            assert_eq!(
                String::from_utf8(buf).expect("utf-8"),
                serde_json::to_string(s).expect("serialise")
            );
        }
        let mut numbers = vec![usize::MAX, usize::MAX / 10, 1 << 32];
        // every digit in every place, not only the nines and zeros of the
        // powers of ten below
        numbers.extend([
            12_345,
            123_456,
            1_234_567,
            98_765_432,
            102_030_405,
            123_456_789_012_345,
        ]);
        let mut p = 1usize;
        while let Some(next) = p.checked_mul(10) {
            numbers.extend([p - 1, p, p + 1, 5 * p, next - 1]);
            p = next;
        }
        for n in numbers {
            let mut buf = Vec::new();
            uint(&mut buf, n);
            assert_eq!(buf, n.to_string().into_bytes());
        }
        let mut buf = b"x".to_vec();
        positions(&mut buf, [1, 22, 333, 4444, 0, usize::MAX]);
        assert_eq!(
            String::from_utf8(buf).expect("utf-8"),
            format!(
                "x,\"line\":1,\"column\":22,\"end_line\":333,\"end_column\":4444,\
                 \"start\":0,\"end\":{}",
                usize::MAX
            )
        );
    }
}
