//! `telltale lsp`: the language server, over stdio.
//!
//! Editors send the text of each open Markdown, plain-text or HTML
//! document; the server lints it on open, change and save and publishes
//! the findings as diagnostics (the rule id is the diagnostic code). Hover
//! over a finding shows the rule's explanation; code actions apply a rule's
//! fix, add a comment that turns the rule off for that line, or apply every
//! fix in the document. `telltale.toml` is found from each workspace folder
//! as `telltale check` finds it from the current folder (a document takes
//! the configuration of the folder that holds it; folders the editor adds
//! or removes later are followed), and is reloaded when it or one of its
//! packs changes.
//!
//! One thread reads and answers messages in order. An edit marks its
//! document stale; stale documents are linted once no message is waiting,
//! so a burst of edits (typing into a large document faster than it is
//! linted) costs one lint, not one per keystroke, and a request that reads
//! findings (hover, code actions) lints its document first.
//!
//! May use `config`, `engine`, `fix`, `report`, `rules`, `source` and
//! `text`; never `cli`.

mod actions;
mod position;
mod transport;
mod uris;
mod workspace;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidChangeWorkspaceFolders, DidCloseTextDocument,
    DidOpenTextDocument, DidSaveTextDocument, Exit, Initialized, Notification as _,
    PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, HoverRequest, Initialize, RegisterCapability, Request as _, Shutdown,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DiagnosticSeverity, DiagnosticTag,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, MarkupContent, MarkupKind, MessageType, NumberOrString,
    OneOf, PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
    WorkspaceEdit, WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};

use crate::engine::{self, Finding};
use crate::rules::Severity;
use crate::source;
use crate::text::Markup;

pub use actions::{TextChange, disable_change, fix_all_change, fix_change};
pub use position::{Encoding, LineMap};
pub use workspace::Workspace;

use uris::Aliases;

/// Why the server stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The client's `initialize` parameters could not be read.
    #[error("language server: bad initialize parameters: {0}")]
    Initialize(serde_json::Error),
    /// The client sent `exit` without `shutdown` first; the protocol has
    /// the server exit with code 1 then.
    #[error("language server: exit before shutdown")]
    ExitWithoutShutdown,
    /// Reading or writing stdio failed.
    #[error("language server: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves one client on stdin and stdout until it says `exit`.
pub fn run_stdio() -> Result<(), LspError> {
    let (connection, io_threads) = transport::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// Serves one client on `connection`: the handshake, then messages until
/// `shutdown` and `exit`.
pub fn serve(connection: &Connection) -> Result<(), LspError> {
    let Some((id, mut params)) = wait_for_initialize(connection)? else {
        // the client went away without a word
        return Ok(());
    };
    let mut aliases = Aliases::default();
    aliases.incoming(&mut params);
    let params: InitializeParams = match serde_json::from_value(params) {
        Ok(p) => p,
        Err(e) => {
            let message = format!("bad initialize parameters: {e}");
            let _ = connection
                .sender
                .send(Response::new_err(id, ErrorCode::InvalidParams as i32, message).into());
            return Err(LspError::Initialize(e));
        }
    };
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    // a client that lists the hover formats it reads, without Markdown,
    // gets plain text (the protocol's default when none is listed is
    // plain text too, but every client that renders Markdown says so)
    let hover_markdown = params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.hover.as_ref())
        .and_then(|h| h.content_format.as_ref())
        .is_none_or(|formats| formats.contains(&MarkupKind::Markdown));
    let result = InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "telltale".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    let result = serde_json::to_value(result).map_err(LspError::Initialize)?;
    let _ = connection.sender.send(Response::new_ok(id, result).into());
    let mut server = Server {
        connection,
        encoding,
        workspaces: workspace_roots(&params)
            .into_iter()
            .map(Workspace::load)
            .collect(),
        docs: HashMap::new(),
        next_request: 0,
        watch,
        aliases,
        hover_markdown,
    };
    server.report_problems();
    server.run()
}

/// Reads messages until `initialize`, which it returns (`None` when the
/// input ends first). Requests before it are refused with
/// `ServerNotInitialized` and notifications dropped, as the protocol asks;
/// `exit` ends the server, as one without `shutdown` does.
fn wait_for_initialize(
    connection: &Connection,
) -> Result<Option<(RequestId, serde_json::Value)>, LspError> {
    for message in &connection.receiver {
        match message {
            Message::Request(req) if req.method == Initialize::METHOD => {
                return Ok(Some((req.id, req.params)));
            }
            Message::Request(req) => {
                let message = format!("{} before initialize", req.method);
                let error = ErrorCode::ServerNotInitialized as i32;
                let _ = connection
                    .sender
                    .send(Response::new_err(req.id, error, message).into());
            }
            Message::Notification(n) if n.method == Exit::METHOD => {
                return Err(LspError::ExitWithoutShutdown);
            }
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
    Ok(None)
}

/// What the server tells the client it can do.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, fix_all_kind()]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        // folders added or removed while the server runs are announced,
        // so each reads its own telltale.toml from the start
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// The kind of the fix-all action: `source.fixAll` narrowed to telltale, as
/// ruff, ESLint and Biome name theirs, so an editor can run it on save, or
/// not, apart from other servers' fixes. Asking for `source.fixAll` (or
/// `source`) still includes it, kinds being hierarchical.
fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.telltale")
}

/// The folders the editor opened: every workspace folder, else the older
/// `rootUri`, else the oldest `rootPath`; one `None` (the server's current
/// folder) when there is none. Never empty.
#[allow(deprecated)] // rootUri and rootPath are deprecated but still the only root some clients send
fn workspace_roots(params: &InitializeParams) -> Vec<Option<PathBuf>> {
    let folders: Vec<Option<PathBuf>> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| uri_to_path(&f.uri))
        .map(Some)
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    let root = params
        .root_uri
        .as_ref()
        .and_then(uri_to_path)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from));
    vec![root]
}

/// One document the editor has open.
struct OpenDoc {
    text: String,
    version: i32,
    /// `None` for a document that is not prose (see [`markup_of`]): it is
    /// never linted.
    markup: Option<Markup>,
    path: Option<PathBuf>,
    /// Which of the server's workspaces holds it (lints it and owns the
    /// rules its findings point into).
    workspace: usize,
    lines: LineMap,
    /// The findings of the last lint, in byte offsets of `text`.
    findings: Vec<Finding>,
    /// Whether `text` changed (or the rules did) since the last lint.
    stale: bool,
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    /// One per workspace folder, in the client's order; never empty.
    workspaces: Vec<Workspace>,
    docs: HashMap<Uri, OpenDoc>,
    next_request: i32,
    /// Whether the client lets the server register file watchers, which
    /// it does once the client says `initialized`.
    watch: bool,
    /// The client's spelling of URIs that had to be escaped to parse.
    aliases: Aliases,
    /// Whether hovers are written in Markdown (else plain text).
    hover_markdown: bool,
}

impl Server<'_> {
    /// Handles messages until `exit`. After `shutdown` the server answers
    /// requests with `InvalidRequest` and drops notifications, as the
    /// protocol asks, and waits for `exit` however long it takes: a late
    /// answer to one of our requests or a `didClose` sent on the way out
    /// is no reason to fail.
    fn run(&mut self) -> Result<(), LspError> {
        let mut shut_down = false;
        loop {
            if !shut_down && self.connection.receiver.is_empty() {
                self.lint_stale();
            }
            let Ok(message) = self.connection.receiver.recv() else {
                break;
            };
            match message {
                Message::Request(req) if shut_down => self.send(Response::new_err(
                    req.id,
                    ErrorCode::InvalidRequest as i32,
                    format!("{} after shutdown", req.method),
                )),
                Message::Request(req) if req.method == Shutdown::METHOD => {
                    shut_down = true;
                    self.send(Response::new_ok(req.id, ()));
                }
                Message::Request(req) if req.method == Initialize::METHOD => {
                    self.send(Response::new_err(
                        req.id,
                        ErrorCode::InvalidRequest as i32,
                        "initialize twice".to_string(),
                    ));
                }
                Message::Request(req) => self.request(req),
                Message::Notification(n) if n.method == Exit::METHOD => {
                    return if shut_down {
                        Ok(())
                    } else {
                        Err(LspError::ExitWithoutShutdown)
                    };
                }
                Message::Notification(_) if shut_down => {}
                Message::Notification(n) if n.method == Initialized::METHOD => {
                    if self.watch {
                        self.watch_config_files();
                    }
                }
                Message::Notification(n) => self.notification(n),
                // answers to our own requests (registerCapability): nothing to do
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: impl Into<Message>) {
        let mut message = message.into();
        match &mut message {
            Message::Notification(n) => self.aliases.outgoing(&mut n.params),
            Message::Request(r) => self.aliases.outgoing(&mut r.params),
            Message::Response(r) => {
                if let Ok(result) = &mut r.response_result {
                    self.aliases.outgoing(result);
                }
            }
        }
        // a closed channel means the client is gone; the loop ends on its own
        let _ = self.connection.sender.send(message);
    }

    fn request(&mut self, mut req: Request) {
        self.aliases.incoming(&mut req.params);
        let id = req.id.clone();
        let response = match req.method.as_str() {
            HoverRequest::METHOD => params::<HoverParams>(&req).map(|p| {
                self.lint_if_stale(&p.text_document_position_params.text_document.uri);
                serde_json::to_value(self.hover(&p)).unwrap_or(serde_json::Value::Null)
            }),
            CodeActionRequest::METHOD => params::<CodeActionParams>(&req).map(|p| {
                self.lint_if_stale(&p.text_document.uri);
                serde_json::to_value(self.code_actions(&p)).unwrap_or(serde_json::Value::Null)
            }),
            _ => Err(Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("telltale does not handle {}", req.method),
            )),
        };
        match response {
            Ok(value) => self.send(Response::new_ok(id, value)),
            Err(error) => self.send(error),
        }
    }

    fn notification(&mut self, mut n: Notification) {
        self.aliases.incoming(&mut n.params);
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = n.extract::<DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD) {
                    let doc = p.text_document;
                    let path = uri_to_path(&doc.uri);
                    let markup = markup_of(&doc.language_id, path.as_deref());
                    let workspace = self.workspace_of(path.as_deref());
                    self.docs.insert(
                        doc.uri.clone(),
                        OpenDoc {
                            lines: LineMap::new(&doc.text, self.encoding),
                            text: doc.text,
                            version: doc.version,
                            markup,
                            path,
                            workspace,
                            findings: Vec::new(),
                            stale: true,
                        },
                    );
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                {
                    let uri = p.text_document.uri;
                    if let Some(doc) = self.docs.get_mut(&uri) {
                        for change in p.content_changes {
                            match change.range {
                                // clients should send whole texts (we asked for
                                // FULL) but a range is honoured all the same
                                Some(range) => {
                                    let start = doc.lines.offset(&doc.text, range.start);
                                    let end = doc.lines.offset(&doc.text, range.end).max(start);
                                    doc.text.replace_range(start..end, &change.text);
                                }
                                None => doc.text = change.text,
                            }
                            doc.lines = LineMap::new(&doc.text, self.encoding);
                        }
                        doc.version = p.text_document.version;
                        doc.stale = true;
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) = n.extract::<DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD) {
                    let uri = p.text_document.uri;
                    let is_config = uri_to_path(&uri).is_some_and(|p| self.is_config_file(&p));
                    if is_config {
                        self.reload();
                    } else if let Some(doc) = self.docs.get_mut(&uri) {
                        doc.stale = true;
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = n.extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    let uri = p.text_document.uri;
                    self.docs.remove(&uri);
                    self.publish(uri, Vec::new(), None);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) =
                    n.extract::<DidChangeWatchedFilesParams>(DidChangeWatchedFiles::METHOD)
                {
                    let relevant = p
                        .changes
                        .iter()
                        .any(|c| uri_to_path(&c.uri).is_some_and(|p| self.is_config_file(&p)));
                    if relevant {
                        self.reload();
                    }
                }
            }
            DidChangeWorkspaceFolders::METHOD => {
                if let Ok(p) =
                    n.extract::<DidChangeWorkspaceFoldersParams>(DidChangeWorkspaceFolders::METHOD)
                {
                    let paths = |folders: &[lsp_types::WorkspaceFolder]| -> Vec<PathBuf> {
                        folders.iter().filter_map(|f| uri_to_path(&f.uri)).collect()
                    };
                    self.change_folders(&paths(&p.event.added), &paths(&p.event.removed));
                }
            }
            _ => {}
        }
    }

    /// Drops the workspaces of the `removed` folders and loads those of the
    /// `added` ones; every open document then belongs to the folder that
    /// holds it most closely, and is linted again. The server's current
    /// folder stands in when no folder is left, as at start-up.
    fn change_folders(&mut self, added: &[PathBuf], removed: &[PathBuf]) {
        self.workspaces
            .retain(|w| w.root.as_ref().is_none_or(|root| !removed.contains(root)));
        for root in added {
            if !self
                .workspaces
                .iter()
                .any(|w| w.root.as_ref() == Some(root))
            {
                self.workspaces.push(Workspace::load(Some(root.clone())));
            }
        }
        // a folder-less stand-in gives way to real folders
        if self.workspaces.len() > 1 {
            self.workspaces.retain(|w| w.root.is_some());
        }
        if self.workspaces.is_empty() {
            self.workspaces.push(Workspace::load(None));
        }
        self.report_problems();
        let homes: Vec<(Uri, usize)> = self
            .docs
            .iter()
            .map(|(uri, doc)| (uri.clone(), self.workspace_of(doc.path.as_deref())))
            .collect();
        for (uri, workspace) in homes {
            if let Some(doc) = self.docs.get_mut(&uri) {
                doc.workspace = workspace;
                doc.stale = true;
            }
        }
    }

    /// Loads the configuration again; every open document is to be linted
    /// again.
    fn reload(&mut self) {
        for workspace in &mut self.workspaces {
            *workspace = Workspace::load(workspace.root.clone());
        }
        self.report_problems();
        for doc in self.docs.values_mut() {
            doc.stale = true;
        }
    }

    /// Lints and publishes every document changed since its last lint.
    fn lint_stale(&mut self) {
        let stale: Vec<Uri> = self
            .docs
            .iter()
            .filter(|(_, doc)| doc.stale)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in stale {
            self.lint(&uri);
        }
    }

    /// Lints `uri` if it changed since its last lint, so a request reads
    /// findings of the text the client has.
    fn lint_if_stale(&mut self, uri: &Uri) {
        if self.docs.get(uri).is_some_and(|doc| doc.stale) {
            self.lint(uri);
        }
    }

    /// The workspace a document at `path` belongs to: the one whose folder
    /// holds it most closely, else the first.
    fn workspace_of(&self, path: Option<&Path>) -> usize {
        let Some(path) = path else {
            return 0;
        };
        self.workspaces
            .iter()
            .enumerate()
            .filter_map(|(i, w)| Some((i, w.root.as_deref()?)))
            .filter(|(_, root)| path.starts_with(root))
            .max_by_key(|(_, root)| root.components().count())
            .map_or(0, |(i, _)| i)
    }

    /// Whether a change to `path` calls for a reload of the configuration.
    fn is_config_file(&self, path: &Path) -> bool {
        self.workspaces.iter().any(|w| w.is_config_file(path))
    }

    fn report_problems(&self) {
        let problems: Vec<&str> = self
            .workspaces
            .iter()
            .flat_map(|w| &w.problems)
            .map(String::as_str)
            .collect();
        if problems.is_empty() {
            return;
        }
        let message = format!(
            "telltale: configuration problem, using the defaults where needed:\n{}",
            problems.join("\n")
        );
        self.send(Notification::new(
            ShowMessage::METHOD.to_string(),
            ShowMessageParams {
                typ: MessageType::ERROR,
                message,
            },
        ));
    }

    /// Asks the client to report changes to config files and packs.
    fn watch_config_files(&mut self) {
        let watchers = ["**/telltale.toml", "**/.telltale.toml", "**/*.toml"]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob.to_string()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "telltale-config".to_string(),
                method: DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let id = RequestId::from(format!("telltale-{}", self.next_request));
        self.send(Request::new(
            id,
            RegisterCapability::METHOD.to_string(),
            params,
        ));
    }

    fn lint(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        doc.stale = false;
        let workspace = &self.workspaces[doc.workspace];
        doc.findings = match (doc.markup, workspace.selection_for(doc.path.as_deref())) {
            (Some(markup), Some(selection)) => {
                let parsed = source::document(doc.text.clone(), markup);
                engine::check(&parsed, &workspace.rules, &selection).findings
            }
            _ => Vec::new(),
        };
        let doc = &self.docs[uri];
        let diagnostics = doc
            .findings
            .iter()
            .map(|f| self.diagnostic(doc, f))
            .collect();
        self.publish(uri.clone(), diagnostics, Some(doc.version));
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        self.send(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        ));
    }

    fn range(&self, doc: &OpenDoc, span: &std::ops::Range<usize>) -> lsp_types::Range {
        lsp_types::Range {
            start: doc.lines.position(&doc.text, span.start),
            end: doc.lines.position(&doc.text, span.end),
        }
    }

    fn diagnostic(&self, doc: &OpenDoc, f: &Finding) -> Diagnostic {
        let rules = &self.workspaces[doc.workspace].rules;
        let rule = &rules.rules()[f.rule];
        // editors fade what is tagged unnecessary, as they do unused code
        let unused = rules.unused_suppression_rules().any(|i| i == f.rule);
        Diagnostic {
            range: self.range(doc, &f.span),
            severity: Some(match f.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(rule.id.clone())),
            source: Some("telltale".to_string()),
            message: f.message(rule).to_string(),
            tags: unused.then(|| vec![DiagnosticTag::UNNECESSARY]),
            ..Diagnostic::default()
        }
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let pos = &p.text_document_position_params;
        let doc = self.docs.get(&pos.text_document.uri)?;
        let at = doc.lines.offset(&doc.text, pos.position);
        let here: Vec<&Finding> = doc
            .findings
            .iter()
            .filter(|f| f.span.start <= at && at < f.span.end.max(f.span.start + 1))
            .collect();
        let first = here.first()?;
        let value = here
            .iter()
            .map(|f| self.explanation(doc, f))
            .collect::<Vec<_>>()
            .join("\n\n---\n\n");
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: if self.hover_markdown {
                    MarkupKind::Markdown
                } else {
                    MarkupKind::PlainText
                },
                value,
            }),
            range: Some(self.range(doc, &first.span)),
        })
    }

    /// The hover text for one finding: what `telltale explain` says, short;
    /// in Markdown or plain text, as the client reads hovers.
    fn explanation(&self, doc: &OpenDoc, f: &Finding) -> String {
        let rule = &self.workspaces[doc.workspace].rules.rules()[f.rule];
        let (bold, code) = if self.hover_markdown {
            ("**", "`")
        } else {
            ("", "")
        };
        let mut out = format!(
            "{bold}{}{bold} · {code}{}{code} ({}, {})\n\n{}",
            f.message(rule),
            rule.id,
            rule.category,
            f.severity,
            crate::report::unwrap_paragraphs(&rule.why)
        );
        if let Some(help) = &rule.help {
            out.push_str(&format!("\n\n{bold}Instead:{bold} {help}"));
        }
        if f.suggestion().is_some() {
            out.push_str(&format!(
                "\n\n{bold}Fix:{bold} {}",
                actions::fix_title(&doc.text, f)
            ));
        }
        out.push_str(&format!(
            "\n\nExamples: {code}telltale explain {}{code}",
            rule.id
        ));
        out
    }

    fn code_actions(&self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        // a document that is not prose has no findings to act on
        let Some(markup) = doc.markup else {
            return Vec::new();
        };
        let workspace = &self.workspaces[doc.workspace];
        let wanted = |kind: &CodeActionKind| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let start = doc.lines.offset(&doc.text, p.range.start);
        let end = doc.lines.offset(&doc.text, p.range.end).max(start);
        let edit = |change: TextChange| {
            // lsp-types' Uri hashes and compares by its text; the cell
            // inside it is a parse cache that never changes that
            #[allow(clippy::mutable_key_type)]
            let mut changes = HashMap::new();
            changes.insert(
                uri.clone(),
                vec![TextEdit {
                    range: self.range(doc, &change.range),
                    new_text: change.text,
                }],
            );
            Some(WorkspaceEdit {
                changes: Some(changes),
                ..WorkspaceEdit::default()
            })
        };
        let mut out = Vec::new();
        // (rule id, edit, index in `out`) of each disable action: findings
        // of one rule on one line share one, which lists them all
        let mut disables: Vec<(&str, TextChange, usize)> = Vec::new();
        if wanted(&CodeActionKind::QUICKFIX) {
            for f in doc
                .findings
                .iter()
                .filter(|f| f.span.start <= end && start <= f.span.end)
            {
                let rule = &workspace.rules.rules()[f.rule];
                let diagnostic = self.diagnostic(doc, f);
                if let Some(change) = actions::fix_change(&doc.text, f) {
                    out.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: actions::fix_title(&doc.text, f),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic.clone()]),
                        edit: edit(change),
                        is_preferred: Some(true),
                        ..CodeAction::default()
                    }));
                }
                // findings about the directives cannot be suppressed
                if workspace.rules.directive_rules().any(|i| i == f.rule) {
                    continue;
                }
                let change = actions::disable_change(&doc.text, markup, f.span.start, &rule.id);
                let same = disables
                    .iter()
                    .find(|(id, c, _)| *id == rule.id && *c == change);
                if let Some(&(_, _, i)) = same {
                    if let CodeActionOrCommand::CodeAction(CodeAction {
                        diagnostics: Some(listed),
                        ..
                    }) = &mut out[i]
                    {
                        listed.push(diagnostic);
                    }
                    continue;
                }
                disables.push((&rule.id, change.clone(), out.len()));
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Disable {} for this line", rule.id),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: edit(change),
                    ..CodeAction::default()
                }));
            }
        }
        if wanted(&fix_all_kind())
            && let Some(selection) = workspace.selection_for(doc.path.as_deref())
        {
            let recheck = |text: &str| {
                let parsed = source::document(text.to_string(), markup);
                engine::check(&parsed, &workspace.rules, &selection).findings
            };
            if let Some(change) = actions::fix_all_change(&doc.text, &doc.findings, recheck) {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Fix all telltale findings that have a fix".to_string(),
                    kind: Some(fix_all_kind()),
                    edit: edit(change),
                    ..CodeAction::default()
                }));
            }
        }
        out
    }
}

/// A request's parameters, or the error response saying they are bad.
fn params<P: serde::de::DeserializeOwned>(req: &Request) -> Result<P, Response> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        Response::new_err(
            req.id.clone(),
            ErrorCode::InvalidParams as i32,
            format!("bad {} parameters: {e}", req.method),
        )
    })
}

/// The markup of a document from its language id, else its file name;
/// `None` for a document that is not prose telltale reads (source code, a
/// data file): a client set up to send every file gets no diagnostics for
/// those, not prose findings on code. A commit message is read as git
/// keeps it ([`Markup::Commit`]); a
/// file without an extension (README, NOTES) is taken as plain text, as
/// `check` takes it, unless the client names a language for it: a
/// `Dockerfile`, a `Makefile` or a script with no extension is code.
fn markup_of(language_id: &str, path: Option<&Path>) -> Option<Markup> {
    match language_id {
        "markdown" => Some(Markup::Markdown),
        "mdx" => Some(Markup::Mdx),
        "html" => Some(Markup::Html),
        "plaintext" | "text" => Some(Markup::Plain),
        "git-commit" | "gitcommit" => Some(Markup::Commit),
        _ => {
            let path = path?;
            // ids a client sends for a file it knows no language of
            let no_language = ["", "other", "unknown", "plain", "plain text", "fundamental"]
                .iter()
                .any(|id| language_id.eq_ignore_ascii_case(id));
            source::detect(path)
                .or((no_language && path.extension().is_none()).then_some(Markup::Plain))
        }
    }
}

/// The local path of a `file:` URI; `None` for other schemes (unsaved
/// buffers, remote files).
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // an authority ("localhost") may stand before the path
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        let s = String::from_utf8(bytes).ok()?;
        // "/C:/x" on Windows is "C:/x"
        let s = match s.as_bytes() {
            [b'/', d, b':', ..] if d.is_ascii_alphabetic() => s[1..].to_string(),
            _ => s,
        };
        Some(PathBuf::from(s))
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the server on `messages`, all queued before it starts, and
    /// returns what it sent back.
    fn serve_queued(messages: Vec<Message>) -> Vec<Message> {
        let (server, client) = Connection::memory();
        for m in messages {
            client.sender.send(m).expect("queued");
        }
        serve(&server).expect("served to the end");
        drop(server);
        client.receiver.try_iter().collect()
    }

    fn request(id: i32, method: &str, params: serde_json::Value) -> Message {
        Request::new(id.into(), method.to_string(), params).into()
    }

    fn notification(method: &str, params: serde_json::Value) -> Message {
        Notification::new(method.to_string(), params).into()
    }

    #[test]
    fn edits_waiting_in_the_queue_are_linted_once() {
        use serde_json::json;
        let dir = tempfile::tempdir().expect("temp dir");
        let uri = "untitled:draft";
        let mut messages = opened(dir.path(), uri, "A start.\n");
        let mut text = String::from("A start.\n");
        for version in 2..=30 {
            text.push_str("We delve.\n");
            messages.push(notification(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": text}]}),
            ));
        }
        // a hover reads the findings of the last text, not of an older one
        messages.push(request(
            2,
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 29, "character": 4}}),
        ));
        messages.push(request(3, "shutdown", json!(null)));
        messages.push(notification("exit", json!(null)));
        let sent = serve_queued(messages);
        let published: Vec<&Notification> = sent
            .iter()
            .filter_map(|m| match m {
                Message::Notification(n) if n.method == PublishDiagnostics::METHOD => Some(n),
                _ => None,
            })
            .collect();
        let versions: Vec<&serde_json::Value> =
            published.iter().map(|n| &n.params["version"]).collect();
        assert_eq!(versions.len(), 1, "published for versions {versions:?}");
        assert_eq!(published[0].params["version"], 30);
        let lines: Vec<u64> = published[0].params["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["code"] == "ai-vocabulary")
            .filter_map(|d| d["range"]["start"]["line"].as_u64())
            .collect();
        assert_eq!(lines, (1..=29).collect::<Vec<u64>>());
        let hover = result_of(&sent, 2);
        assert!(
            hover["contents"]["value"]
                .to_string()
                .contains("ai-vocabulary"),
            "{hover}"
        );
    }

    #[test]
    fn hovers_are_plain_text_for_a_client_that_reads_no_markdown() {
        use serde_json::json;
        let dir = tempfile::tempdir().expect("temp dir");
        let uri = "untitled:draft";
        let hover_of = |formats: serde_json::Value| {
            let mut messages = opened(dir.path(), uri, "We delve into it.\n");
            messages[0] = request(
                1,
                "initialize",
                json!({"capabilities": {"textDocument": {"hover": {"contentFormat": formats}}}}),
            );
            messages.extend([
                request(
                    2,
                    "textDocument/hover",
                    json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 4}}),
                ),
                request(3, "shutdown", json!(null)),
                notification("exit", json!(null)),
            ]);
            result_of(&serve_queued(messages), 2)["contents"].clone()
        };
        let plain = hover_of(json!(["plaintext"]));
        assert_eq!(plain["kind"], "plaintext");
        let text = plain["value"].as_str().expect("hover text");
        assert!(text.contains("ai-vocabulary"), "{text}");
        assert!(!text.contains("**") && !text.contains('`'), "{text}");
        let markdown = hover_of(json!(["markdown", "plaintext"]));
        assert_eq!(markdown["kind"], "markdown");
        assert!(
            markdown["value"].as_str().is_some_and(|t| t.contains("**")),
            "{markdown}"
        );
    }

    /// The opening of a session rooted at `root` (request 1 is
    /// `initialize`) that opens the Markdown document `uri` holding `text`.
    fn opened(root: &std::path::Path, uri: &str, text: &str) -> Vec<Message> {
        use serde_json::json;
        let root = format!("file://{}", root.display());
        vec![
            request(
                1,
                "initialize",
                json!({"capabilities": {}, "rootUri": root}),
            ),
            notification("initialized", json!({})),
            notification(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                    "text": text}}),
            ),
        ]
    }

    /// The result of request `id` among the messages the server sent.
    fn result_of(sent: &[Message], id: i32) -> serde_json::Value {
        sent.iter()
            .find_map(|m| match m {
                Message::Response(r) if r.id == id.into() => r.response_result.clone().ok(),
                _ => None,
            })
            .unwrap_or_else(|| panic!("request {id} answered"))
    }

    #[test]
    fn one_disable_action_per_rule_and_line() {
        use serde_json::json;
        let dir = tempfile::tempdir().expect("temp dir");
        let uri = "untitled:draft";
        let text = "We delve into the tapestry and delve again.\n\nCertainly! We delve.\n";
        let mut messages = opened(dir.path(), uri, text);
        messages.extend([
            request(
                2,
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri},
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}},
                    "context": {"diagnostics": [], "only": ["quickfix"]}}),
            ),
            request(3, "shutdown", json!(null)),
            notification("exit", json!(null)),
        ]);
        let sent = serve_queued(messages);
        let actions = result_of(&sent, 2);
        let disables: Vec<&serde_json::Value> = actions
            .as_array()
            .expect("actions")
            .iter()
            .filter(|a| a["title"] == "Disable ai-vocabulary for this line")
            .collect();
        // three findings on the first line, one on the third
        assert_eq!(disables.len(), 2, "{actions}");
        assert_eq!(disables[0]["diagnostics"].as_array().map(Vec::len), Some(3));
        assert_eq!(disables[1]["diagnostics"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///home/a%20b/n%C3%A9.md".parse().expect("uri");
        if cfg!(unix) {
            assert_eq!(uri_to_path(&uri), Some(PathBuf::from("/home/a b/né.md")));
            let uri: Uri = "file://localhost/tmp/x.md".parse().expect("uri");
            assert_eq!(uri_to_path(&uri), Some(PathBuf::from("/tmp/x.md")));
        }
        let uri: Uri = "untitled:Untitled-1".parse().expect("uri");
        assert_eq!(uri_to_path(&uri), None);
    }

    #[test]
    fn language_ids_pick_the_markup() {
        assert_eq!(markup_of("markdown", None), Some(Markup::Markdown));
        assert_eq!(markup_of("mdx", None), Some(Markup::Mdx));
        assert_eq!(
            markup_of("other", Some(Path::new("a.mdx"))),
            Some(Markup::Mdx)
        );
        assert_eq!(markup_of("html", None), Some(Markup::Html));
        assert_eq!(
            markup_of("plaintext", Some(Path::new("a.md"))),
            Some(Markup::Plain)
        );
        assert_eq!(
            markup_of("other", Some(Path::new("a.md"))),
            Some(Markup::Markdown)
        );
        assert_eq!(markup_of("git-commit", None), Some(Markup::Commit));
        assert_eq!(
            markup_of("other", Some(Path::new("NOTES"))),
            Some(Markup::Plain)
        );
        // code and data are not prose, whatever the client sends
        assert_eq!(markup_of("rust", Some(Path::new("src/main.rs"))), None);
        assert_eq!(markup_of("json", Some(Path::new("package.json"))), None);
        assert_eq!(markup_of("python", None), None);
        // nor is code in a file without an extension
        assert_eq!(markup_of("dockerfile", Some(Path::new("Dockerfile"))), None);
        assert_eq!(markup_of("makefile", Some(Path::new("Makefile"))), None);
        assert_eq!(markup_of("python", Some(Path::new("bin/deploy"))), None);
        assert_eq!(markup_of("", Some(Path::new("NOTES"))), Some(Markup::Plain));
    }
}
