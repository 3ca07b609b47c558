//! SARIF 2.1.0, the static-analysis interchange format that GitHub code
//! scanning and many IDEs import.
//!
//! One log with one run: every loaded rule is described in
//! `tool.driver.rules` (so a result's `ruleIndex` points into it), each
//! finding is a result with its region, and a rule's `suggest` becomes a
//! `fix`. Columns are declared as `unicodeCodePoints`, which is how telltale
//! counts them everywhere. Results are collected and the log is written at
//! the end of the run, since SARIF is a single JSON value.

use std::io::{self, Write};

use serde::Serialize;

use super::{DocReport, Reporter, RunSummary};
use crate::engine::Finding;
use crate::rules::{Rule, RuleSet, Severity};

/// Where the schema the output follows is published.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log format.
pub struct Sarif<'r> {
    rules: &'r RuleSet,
    results: Vec<SarifResult>,
}

impl<'r> Sarif<'r> {
    /// A SARIF reporter for findings of `rules`.
    pub fn new(rules: &'r RuleSet) -> Self {
        Sarif {
            rules,
            results: Vec::new(),
        }
    }

    fn result(&self, uri: &str, source: &str, f: &Finding) -> SarifResult {
        let rule = &self.rules.rules()[f.rule];
        let text = source.get(f.span.clone()).unwrap_or_default();
        let fixes = f.suggestion.as_ref().map(|replacement| {
            let description = if replacement.is_empty() {
                format!("Delete \u{201C}{text}\u{201D}")
            } else {
                format!("Replace \u{201C}{text}\u{201D} with \u{201C}{replacement}\u{201D}")
            };
            vec![Fix {
                description: Message { text: description },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: ArtifactLocation {
                        uri: uri.to_string(),
                    },
                    replacements: vec![Replacement {
                        deleted_region: ByteRegion {
                            byte_offset: f.span.start,
                            byte_length: f.span.len(),
                        },
                        inserted_content: Content {
                            text: replacement.clone(),
                        },
                    }],
                }],
            }]
        });
        SarifResult {
            rule_id: rule.id.clone(),
            rule_index: f.rule,
            level: level(f.severity),
            message: Message {
                text: f.message(rule).to_string(),
            },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: uri.to_string(),
                    },
                    region: Region {
                        start_line: f.start.line,
                        start_column: f.start.column,
                        end_line: f.end.line,
                        end_column: f.end.column,
                        byte_offset: f.span.start,
                        byte_length: f.span.len(),
                        snippet: Content {
                            text: text.to_string(),
                        },
                    },
                },
            }],
            fixes,
        }
    }
}

impl Reporter for Sarif<'_> {
    fn document(&mut self, _out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        let uri = path_to_uri(doc.path);
        let source = doc.doc.source();
        for f in doc.findings {
            let result = self.result(&uri, source, f);
            self.results.push(result);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, run: &RunSummary) -> io::Result<()> {
        let log = Log {
            schema: SARIF_SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "telltale",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        rules: self.rules.rules().iter().map(descriptor).collect(),
                    },
                },
                invocations: [Invocation {
                    execution_successful: run.errors == 0,
                }],
                column_kind: "unicodeCodePoints",
                results: std::mem::take(&mut self.results),
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

// The SARIF objects telltale writes, in the spec's key order; fields the
// spec names in camelCase.

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

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
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Message,
    full_description: Message,
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
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<Vec<Fix>>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Content {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
    snippet: Content,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ByteRegion {
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: ByteRegion,
    inserted_content: Content,
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
