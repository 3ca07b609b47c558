//! SARIF 2.1.0, the static-analysis interchange format that GitHub code
//! scanning and many IDEs import.
//!
//! One log with one run: every loaded rule is described in
//! `tool.driver.rules` (so a result's `ruleIndex` points into it), each
//! finding is a result with its region, and a rule's `suggest` becomes a
//! `fix`. Columns are declared as `unicodeCodePoints`, which is how telltale
//! counts them everywhere.
//!
//! The log is streamed, like the JSON format: its opening and `tool` are
//! written before the first document, each result once its document is
//! reported, and `invocations` (whether the run succeeded, which only its
//! end knows, with a notification for each input that could not be read
//! or written) after the results. Memory does not grow with the run's
//! findings. The output is pretty-printed as serde_json prints a whole
//! log (two spaces a level): each part is printed by serde_json on its
//! own, by a formatter that starts at the part's depth (see [`PrettyAt`]).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use super::pieces::{flush_full, trim};
use super::{DocReport, Reporter, RunSummary};
use crate::engine::Finding;
use crate::rules::{Rule, RuleSet, Severity};

/// Where the schema the output follows is published.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The depth of the run's fields (`tool`, `results`, ...): inside the log,
/// `runs` and the run.
const RUN_FIELD: usize = 3;

/// The depth of a result, inside `results`.
const RESULT: usize = 4;

/// The SARIF log format.
pub struct Sarif<'r> {
    rules: &'r RuleSet,
    /// Whether the log's opening (up to `"results": `) is written.
    opened: bool,
    results_written: usize,
    /// The output gathered and written in pieces of at least
    /// [`FLUSH_AT`](super::pieces::FLUSH_AT) bytes, as the JSON format does; kept between
    /// documents so it is allocated once.
    buf: Vec<u8>,
}

impl<'r> Sarif<'r> {
    /// A SARIF reporter for findings of `rules`.
    pub fn new(rules: &'r RuleSet) -> Self {
        Sarif {
            rules,
            opened: false,
            results_written: 0,
            buf: Vec::new(),
        }
    }

    /// Appends the log up to the value of `results`: the log's fields, the
    /// run's opening and its `tool`, which describes every loaded rule.
    fn opening(&mut self, buf: &mut Vec<u8>) -> io::Result<()> {
        buf.extend_from_slice(b"{\n  \"$schema\": \"");
        buf.extend_from_slice(SARIF_SCHEMA.as_bytes());
        buf.extend_from_slice(
            b"\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": ",
        );
        let tool = Tool {
            driver: Driver {
                name: "telltale",
                version: env!("CARGO_PKG_VERSION"),
                semantic_version: env!("CARGO_PKG_VERSION"),
                rules: self.rules.rules().iter().map(descriptor).collect(),
            },
        };
        pretty(buf, RUN_FIELD, &tool)?;
        buf.extend_from_slice(
            b",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ",
        );
        self.opened = true;
        Ok(())
    }

    /// Appends finding `f` of the document at `uri` whose text is `source`
    /// as a result, from its `{` (the caller writes what comes before).
    fn result(&self, buf: &mut Vec<u8>, uri: &str, source: &str, f: &Finding) -> io::Result<()> {
        let rule = &self.rules.rules()[f.rule];
        let text = source.get(f.span.clone()).unwrap_or_default();
        let fixes = f.suggestion().map(|replacement| {
            let description = if replacement.is_empty() {
                format!("Delete \u{201C}{text}\u{201D}")
            } else {
                format!("Replace \u{201C}{text}\u{201D} with \u{201C}{replacement}\u{201D}")
            };
            [Fix {
                description: Message { text: description },
                artifact_changes: [ArtifactChange {
                    artifact_location: ArtifactLocation { uri },
                    replacements: [Replacement {
                        deleted_region: ByteRegion {
                            byte_offset: f.span.start,
                            byte_length: f.span.len(),
                        },
                        inserted_content: Content { text: replacement },
                    }],
                }],
            }]
        });
        let result = SarifResult {
            rule_id: &rule.id,
            rule_index: f.rule,
            level: level(f.severity),
            message: Message {
                text: f.message(rule),
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri },
                    region: Region {
                        start_line: f.start.line,
                        start_column: f.start.column,
                        end_line: f.end.line,
                        end_column: f.end.column,
                        byte_offset: f.span.start,
                        byte_length: f.span.len(),
                        snippet: Content { text },
                    },
                },
            }],
            fixes,
        };
        pretty(buf, RESULT, &result)
    }
}

impl Reporter for Sarif<'_> {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        // (holding the results of earlier documents not yet written)
        let mut buf = std::mem::take(&mut self.buf);
        if !self.opened {
            self.opening(&mut buf)?;
        }
        let uri = path_to_uri(doc.path);
        let source = doc.doc.source();
        for f in doc.findings {
            buf.push(if self.results_written == 0 {
                b'['
            } else {
                b','
            });
            line(&mut buf, RESULT)?;
            self.result(&mut buf, &uri, source, f)?;
            self.results_written += 1;
            flush_full(&mut buf, out)?;
        }
        trim(&mut buf);
        self.buf = buf;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, run: &RunSummary) -> io::Result<()> {
        let mut buf = std::mem::take(&mut self.buf);
        if !self.opened {
            self.opening(&mut buf)?;
        }
        if self.results_written == 0 {
            buf.extend_from_slice(b"[]");
        } else {
            line(&mut buf, RUN_FIELD)?;
            buf.push(b']');
        }
        buf.extend_from_slice(b",\n      \"invocations\": ");
        let invocations = [Invocation {
            execution_successful: run.errors == 0,
            tool_execution_notifications: run
                .problems
                .iter()
                .map(|p| Notification {
                    level: "error",
                    message: Message { text: p.as_str() },
                })
                .collect(),
        }];
        pretty(&mut buf, RUN_FIELD, &invocations)?;
        buf.extend_from_slice(b"\n    }\n  ]\n}\n");
        out.write_all(&buf)
    }
}

/// Appends `value` pretty-printed by serde_json, as it is printed inside a
/// whole log where its first line follows a key `depth` levels deep.
fn pretty(buf: &mut Vec<u8>, depth: usize, value: &impl Serialize) -> io::Result<()> {
    let formatter = PrettyAt {
        depth,
        has_value: false,
    };
    value
        .serialize(&mut serde_json::Serializer::with_formatter(buf, formatter))
        .map_err(io::Error::from)
}

/// serde_json's pretty printing (`PrettyFormatter`: a line per element and
/// key, two spaces a level) of a value that starts `depth` levels deep, so
/// a part of the log printed on its own reads as it would in the whole
/// log. Each line's start is one write, where `PrettyFormatter` writes the
/// newline and each level's indent apart (re-indenting its output line by
/// line cost 5 % more instructions than printing the whole log at once).
struct PrettyAt {
    depth: usize,
    /// Whether the innermost array or object open has an element.
    has_value: bool,
}

impl PrettyAt {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            line(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    fn element<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        line(w, self.depth)
    }
}

impl Formatter for PrettyAt {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.element(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.element(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes a newline and the indent of a line `depth` levels deep.
fn line<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
    /// A newline and the indent of 16 levels, deeper than any line of
    /// the log (deeper ones are written in several pieces).
    const LINE: &[u8; 33] = b"\n                                ";
    let mut spaces = 2 * depth;
    let first = spaces.min(LINE.len() - 1);
    w.write_all(&LINE[..1 + first])?;
    spaces -= first;
    while spaces > 0 {
        let more = spaces.min(LINE.len() - 1);
        w.write_all(&LINE[1..1 + more])?;
        spaces -= more;
    }
    Ok(())
}

// The SARIF objects telltale writes, in the spec's key order; fields the
// spec names in camelCase. A result borrows from its finding and rule, so
// writing one allocates only a fix's description.

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    /// Why the run did not succeed: each input that could not be read,
    /// walked or written, so a viewer can say which.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'a>>,
}

/// A problem of the run itself, not a finding in a document.
#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Message<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Message<String>,
    full_description: Message<String>,
    help: Help,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    tags: [String; 1],
    weight: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message<&'a str>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[Fix<'a>; 1]>,
}

/// A `message`: borrowed from the finding or rule in a result, made for
/// a rule's descriptor or a fix.
#[derive(Serialize)]
struct Message<S> {
    text: S,
}

#[derive(Serialize)]
struct Content<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region<'a>,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
    snippet: Content<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ByteRegion {
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix<'a> {
    description: Message<String>,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation<'a>,
    replacements: [Replacement<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: ByteRegion,
    inserted_content: Content<'a>,
}

/// A rule as a SARIF `reportingDescriptor`.
fn descriptor(rule: &Rule) -> Descriptor {
    let why = super::unwrap_paragraphs(&rule.why);
    let mut help = why.clone();
    if let Some(instead) = &rule.help {
        help.push_str("\n\nInstead: ");
        help.push_str(instead);
    }
    help.push_str(&format!(
        "\n\nRun `telltale explain {}` for examples.",
        rule.id
    ));
    Descriptor {
        id: rule.id.clone(),
        name: rule.id.clone(),
        short_description: Message {
            text: rule.message.clone(),
        },
        full_description: Message { text: why },
        help: Help {
            text: help.clone(),
            markdown: help,
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: DescriptorProperties {
            tags: [rule.category.clone()],
            weight: rule.weight,
        },
    }
}

/// The SARIF level of a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A displayed path as a URI reference: relative paths stay relative
/// (GitHub resolves them against the repository root), absolute ones become
/// `file://` URIs; `\` becomes `/` and every byte that may not appear in a
/// URI path is percent-encoded.
pub fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len() + 8);
    let bytes = path.as_bytes();
    let windows_drive = cfg!(windows)
        && bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && bytes[2] == b'/';
    if path.starts_with('/') {
        out.push_str("file://");
    } else if windows_drive {
        out.push_str("file:///");
    }
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b';'
                    | b'='
                    | b'@'
            )
            // a drive letter's colon; elsewhere a colon could read as a scheme
            || (b == b':' && windows_drive && i == 1);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Selection};
    use crate::text::Document;
    use serde_json::{Value, json};

    /// Documents to report: path, document and findings.
    type Docs<'a> = [(&'a str, Document, Vec<Finding>)];

    /// Checks each `(path, text)` with every built-in rule; the finding
    /// on "delve" is given a replacement, so results carry both kinds of
    /// fix (built-in rules only delete).
    fn checked(
        rules: &RuleSet,
        texts: &[(&'static str, &str)],
    ) -> Vec<(&'static str, Document, Vec<Finding>)> {
        texts
            .iter()
            .map(|&(path, text)| {
                let doc = Document::plain(text);
                let mut findings = engine::check(&doc, rules, &Selection::all(rules)).findings;
                for f in &mut findings {
                    if doc.source()[f.span.clone()].eq_ignore_ascii_case("delve") {
                        f.set_suggestion(Some("dig “deeper” — ü".to_string().into()));
                    }
                }
                (path, doc, findings)
            })
            .collect()
    }

    /// What the reporter writes for `docs` in a run with `errors`
    /// unreadable inputs.
    fn written(rules: &RuleSet, docs: &Docs<'_>, errors: usize) -> String {
        let mut reporter = Sarif::new(rules);
        let mut out = Vec::new();
        let mut run = RunSummary::default();
        for (path, doc, findings) in docs {
            run.add(findings);
            reporter
                .document(
                    &mut out,
                    &DocReport {
                        path,
                        doc,
                        findings,
                        score: None,
                    },
                )
                .expect("write to memory");
        }
        run.errors = errors;
        reporter.finish(&mut out, &run).expect("write to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    /// The log as the reporter wrote it before it streamed, when it
    /// gathered a `Log { $schema, version, runs: [{ tool, invocations,
    /// columnKind, results }] }` and printed it whole; built here field
    /// by field from the findings (the rule descriptors are unchanged).
    fn whole_log(rules: &RuleSet, docs: &Docs<'_>, errors: usize) -> Value {
        let mut results = Vec::new();
        for (path, doc, findings) in docs {
            let uri = path_to_uri(path);
            for f in findings {
                let rule = &rules.rules()[f.rule];
                let text = &doc.source()[f.span.clone()];
                let mut result = json!({
                    "ruleId": rule.id,
                    "ruleIndex": f.rule,
                    "level": level(f.severity),
                    "message": { "text": f.message(rule) },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri },
                            "region": {
                                "startLine": f.start.line,
                                "startColumn": f.start.column,
                                "endLine": f.end.line,
                                "endColumn": f.end.column,
                                "byteOffset": f.span.start,
                                "byteLength": f.span.len(),
                                "snippet": { "text": text },
                            },
                        },
                    }],
                });
                if let Some(replacement) = f.suggestion() {
                    let description = if replacement.is_empty() {
                        format!("Delete “{text}”")
                    } else {
                        format!("Replace “{text}” with “{replacement}”")
                    };
                    result["fixes"] = json!([{
                        "description": { "text": description },
                        "artifactChanges": [{
                            "artifactLocation": { "uri": uri },
                            "replacements": [{
                                "deletedRegion": {
                                    "byteOffset": f.span.start,
                                    "byteLength": f.span.len(),
                                },
                                "insertedContent": { "text": replacement },
                            }],
                        }],
                    }]);
                }
                results.push(result);
            }
        }
        let descriptors: Vec<Value> = rules
            .rules()
            .iter()
            .map(|rule| serde_json::to_value(descriptor(rule)).expect("serializes"))
            .collect();
        json!({
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "telltale",
                        "version": env!("CARGO_PKG_VERSION"),
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "rules": descriptors,
                    },
                },
                "invocations": [{ "executionSuccessful": errors == 0 }],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        })
    }

    #[test]
    fn the_streamed_log_is_the_log_written_whole() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let docs = checked(
            &rules,
            &[
                (
                    "notes/café draft #1.md",
                    "Certainly! Let us delve into the rich tapestry of “ideas” — 🚀 naïve.\n\nIn today's fast-paced world, it \"matters\".\n",
                ),
                ("plain.md", "Plain words about a garden.\n"),
                ("/abs/Ünïcode.txt", "We delve deeper.\tTab\\slash.\n"),
            ],
        );
        let results: usize = docs.iter().map(|(_, _, f)| f.len()).sum();
        assert!(results >= 4, "{results} findings");
        assert!(docs[1].2.is_empty(), "a document without findings");
        let fixes = |delete: bool| {
            docs.iter()
                .flat_map(|(_, _, f)| f)
                .any(|f| f.suggestion().is_some_and(|s| s.is_empty() == delete))
        };
        assert!(fixes(true) && fixes(false), "both kinds of fix");
        for (docs, errors) in [
            (&docs[..], 0),
            (&docs[..], 2),
            (&docs[1..2], 0),
            (&[][..], 0),
        ] {
            let out = written(&rules, docs, errors);
            let value: Value = serde_json::from_str(&out).expect("one valid JSON value");
            assert!(value == whole_log(&rules, docs, errors), "{out}");
            assert!(out.ends_with("}\n"));
        }
    }

    #[test]
    fn a_value_printed_on_its_own_is_indented_as_inside_a_whole_log() {
        // deeper than the indent `line` writes in one piece
        let mut deep = json!("deep");
        for _ in 0..20 {
            deep = json!([deep, {}]);
        }
        let inner = json!({
            "a": [1, { "b": "x\ny\t\"z\"" }],
            "deep": deep,
            "empty": [],
            "none": {},
            "s": "é 🚀",
        });
        let whole =
            serde_json::to_string_pretty(&json!({ "k": [{ "v": inner }] })).expect("prints");
        let mut buf = b"{\n  \"k\": [\n    {\n      \"v\": ".to_vec();
        pretty(&mut buf, RUN_FIELD, &inner).expect("prints");
        buf.extend_from_slice(b"\n    }\n  ]\n}");
        assert_eq!(String::from_utf8(buf).expect("UTF-8"), whole);
    }

    #[test]
    fn relative_paths_stay_relative() {
        assert_eq!(path_to_uri("docs/intro.md"), "docs/intro.md");
        assert_eq!(path_to_uri("docs\\intro.md"), "docs/intro.md");
    }

    #[test]
    fn unsafe_bytes_are_encoded() {
        assert_eq!(
            path_to_uri("my notes/50% done,v2.md"),
            "my%20notes/50%25%20done%2Cv2.md"
        );
        assert_eq!(path_to_uri("a:b#c?.md"), "a%3Ab%23c%3F.md");
        assert_eq!(path_to_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(path_to_uri("é.md"), "%C3%A9.md");
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        assert_eq!(path_to_uri("/home/a b/x.md"), "file:///home/a%20b/x.md");
        if cfg!(windows) {
            assert_eq!(path_to_uri("C:\\docs\\x.md"), "file:///C:/docs/x.md");
        }
    }
}
