//! `telltale lsp` driven over stdio as an editor drives it: initialize,
//! open a document, receive its diagnostics, hover, ask for code actions,
//! change the text, change `telltale.toml`, shut down and exit.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// Long enough for a slow machine; only reached when the server hangs.
const PATIENCE: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_telltale"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("server starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                reader.read_exact(&mut body).expect("message body");
                let value = serde_json::from_slice(&body).expect("JSON message");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            next_id: 0,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("send");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result, answering or skipping
    /// whatever the server sends meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let reply = self.wait_for(|m| m["id"] == id && m.get("method").is_none());
        assert!(reply.get("error").is_none(), "{method} failed: {reply}");
        reply["result"].clone()
    }

    /// The next message that `wanted` accepts; requests from the server
    /// are answered with an empty result on the way.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = match self.incoming.recv_timeout(PATIENCE) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => panic!("server sent nothing more"),
                Err(RecvTimeoutError::Disconnected) => panic!("server closed its output"),
            };
            if wanted(&message) {
                return message;
            }
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
        }
    }

    fn diagnostics_for(&mut self, uri: &str) -> Value {
        self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("server exits");
        assert!(status.success(), "exit status {status}");
    }
}

fn file_uri(path: &Path) -> String {
    let path = path.to_str().expect("UTF-8 temp path");
    assert!(
        path.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b)),
        "temp path needs no escaping: {path}"
    );
    format!("file://{path}")
}

fn initialize(client: &mut Client, root: &Path) -> Value {
    let result = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": file_uri(root),
            "capabilities": {
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                "textDocument": {"hover": {"contentFormat": ["markdown"]}}
            }
        }),
    );
    client.notify("initialized", json!({}));
    result
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

const DRAFT: &str = "# Notes\n\nCertainly! Here is the plan.\n\nCafé 🙂 — let us delve into it.\n";

#[test]
fn diagnostics_hover_and_code_actions_over_stdio() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let mut client = Client::start(&root);
    let init = initialize(&mut client, &root);
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.telltale"])
    );
    assert_eq!(init["serverInfo"]["name"], "telltale");

    let path = root.join("draft.md");
    std::fs::write(&path, DRAFT).expect("write");
    let uri = file_uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": DRAFT}}),
    );
    let published = client.diagnostics_for(&uri);
    assert_eq!(published["version"], 1);
    let diags = published["diagnostics"].as_array().expect("array").clone();
    let opener = diags
        .iter()
        .find(|d| d["code"] == "chatbot-opener")
        .expect("opener flagged");
    assert_eq!(opener["source"], "telltale");
    assert_eq!(opener["severity"], 1);
    assert_eq!(
        opener["range"],
        json!({"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 10}})
    );
    // "Café 🙂 — let us " is 17 UTF-16 units: the emoji counts two
    let delve = diags
        .iter()
        .find(|d| d["range"]["start"]["line"] == 4)
        .expect("delve flagged");
    assert_eq!(delve["range"]["start"]["character"], 17);

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 3}}),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown hover");
    assert!(text.contains("`chatbot-opener`"), "{text}");
    let rules = telltale::rules::RuleSet::builtin().expect("built-in packs load");
    let why = &rules.rules()[rules.index("chatbot-opener").expect("rule")].why;
    let first_words: Vec<&str> = why.split_whitespace().take(4).collect();
    assert!(text.contains(&first_words.join(" ")), "{text}");
    assert!(text.contains("telltale explain chatbot-opener"), "{text}");
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert_eq!(nothing, Value::Null);

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": opener["range"],
            "context": {"diagnostics": [opener]}
        }),
    );
    let actions = actions.as_array().expect("actions");
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().expect("title"))
        .collect();
    assert!(
        titles.contains(&"Delete \u{201C}Certainly!\u{201D}"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Disable chatbot-opener for this line"),
        "{titles:?}"
    );
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(
        fix["edit"]["changes"][&uri],
        json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 11}}, "newText": ""}])
    );
    let disable = actions
        .iter()
        .find(|a| a["title"] == "Disable chatbot-opener for this line")
        .expect("disable action");
    assert_eq!(
        disable["edit"]["changes"][&uri],
        json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                "newText": "<!-- telltale-disable-next-line chatbot-opener -->\n"}])
    );
    let fix_all = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}
        }),
    );
    assert_eq!(fix_all.as_array().map(Vec::len), Some(1), "{fix_all}");
    assert_eq!(fix_all[0]["kind"], "source.fixAll.telltale");
    // asked for by its own kind, it comes alone too
    let only_ours = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll.telltale"]}
        }),
    );
    assert_eq!(only_ours, fix_all);

    // the editor applies the disable comment: that finding goes, the rest stay
    let disabled = DRAFT.replacen(
        "Certainly!",
        "<!-- telltale-disable-next-line chatbot-opener -->\nCertainly!",
        1,
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": disabled}]}),
    );
    let published = client.diagnostics_for(&uri);
    assert_eq!(published["version"], 2);
    let mut expected = codes(&json!({ "diagnostics": diags }));
    expected.retain(|c| c != "chatbot-opener");
    assert_eq!(codes(&published), expected);

    // the editor applies the fix instead: new diagnostics for the new version
    let fixed = DRAFT.replace("Certainly! ", "");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": fixed}]}),
    );
    let published = client.diagnostics_for(&uri);
    assert_eq!(published["version"], 3);
    assert!(!codes(&published).contains(&"chatbot-opener".to_string()));

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = client.diagnostics_for(&uri);
    assert_eq!(cleared["diagnostics"], json!([]));
    client.shutdown();
}

#[test]
fn config_is_read_from_the_workspace_and_reloaded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let config = root.join("telltale.toml");
    std::fs::write(&config, "ignore = [\"chatbot-opener\"]\n").expect("write config");
    let mut client = Client::start(Path::new("/"));
    initialize(&mut client, &root);
    // the server asks to be told about config changes
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability");
    let globs =
        registration["params"]["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert!(globs.contains("telltale.toml"), "{globs}");
    client.send(json!({"jsonrpc": "2.0", "id": registration["id"], "result": null}));

    let uri = file_uri(&root.join("notes.txt"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": DRAFT}}),
    );
    let first = codes(&client.diagnostics_for(&uri));
    assert!(!first.contains(&"chatbot-opener".to_string()), "{first:?}");
    assert!(!first.is_empty());

    // the config changes: the rule comes back on
    std::fs::write(&config, "ignore = []\n").expect("rewrite config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    let second = codes(&client.diagnostics_for(&uri));
    assert!(second.contains(&"chatbot-opener".to_string()), "{second:?}");

    // a broken config is reported and linting goes on with the defaults
    std::fs::write(&config, "ignore = [\"no-such-rule\"]\n").expect("break config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    let shown = client.wait_for(|m| m["method"] == "window/showMessage");
    let message = shown["params"]["message"].as_str().expect("message");
    assert!(message.contains("no-such-rule"), "{message}");
    let third = codes(&client.diagnostics_for(&uri));
    assert!(third.contains(&"chatbot-opener".to_string()), "{third:?}");

    // saving the config in the editor reloads it too (clients without watchers)
    std::fs::write(&config, "ignore = [\"chatbot-opener\"]\n").expect("rewrite config");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&config)}}),
    );
    let fourth = codes(&client.diagnostics_for(&uri));
    assert!(
        !fourth.contains(&"chatbot-opener".to_string()),
        "{fourth:?}"
    );
    // and saving a document lints it again
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(codes(&client.diagnostics_for(&uri)), fourth);
    // a file the config excludes gets no diagnostics
    std::fs::write(&config, "exclude = [\"notes.txt\"]\n").expect("rewrite config");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&config)}}),
    );
    assert_eq!(codes(&client.diagnostics_for(&uri)), Vec::<String>::new());
    client.shutdown();
}

#[test]
fn unknown_requests_get_an_error_not_a_crash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let mut client = Client::start(&root);
    initialize(&mut client, &root);
    client.next_id += 1;
    let id = client.next_id;
    client.send(
        json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/definition", "params": {}}),
    );
    let reply = client.wait_for(|m| m["id"] == id);
    assert_eq!(reply["error"]["code"], -32601);
    // bad parameters: an error answer, and the server keeps going
    client.next_id += 1;
    let id = client.next_id;
    client.send(
        json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {"x": 1}}),
    );
    let reply = client.wait_for(|m| m["id"] == id);
    assert_eq!(reply["error"]["code"], -32602);
    // a body that is not JSON-RPC is skipped, and the next message read
    for body in ["{not json", "[]"] {
        write!(client.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("send");
    }
    // a hover on a document never opened is simply empty
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.md"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover, Value::Null);
    client.shutdown();
}

#[test]
fn after_shutdown_requests_are_refused_and_exit_is_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let mut client = Client::start(&root);
    initialize(&mut client, &root);
    // the server asked to watch config files; the client answers only
    // after it has asked the server to shut down
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability");
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.send(json!({"jsonrpc": "2.0", "id": registration["id"], "result": null}));
    // notifications are dropped, requests refused with InvalidRequest
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///nowhere.md"}}),
    );
    client.next_id += 1;
    let id = client.next_id;
    client.send(json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": "file:///nowhere.md"}, "position": {"line": 0, "character": 0}}}));
    let reply = client.wait_for(|m| m["id"] == id);
    assert_eq!(reply["error"]["code"], -32600, "{reply}");
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("server exits");
    assert_eq!(status.code(), Some(0), "exit status {status}");
}

#[test]
fn exit_without_shutdown_exits_with_code_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let mut client = Client::start(&root);
    initialize(&mut client, &root);
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("server exits");
    assert_eq!(status.code(), Some(1), "exit status {status}");
}

/// Two folders under `root`: `plain`, and `quiet`, whose telltale.toml
/// turns `chatbot-opener` off.
fn plain_and_quiet_folders(root: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (plain, quiet) = (root.join("plain"), root.join("quiet"));
    for folder in [&plain, &quiet] {
        std::fs::create_dir(folder).expect("folder");
    }
    std::fs::write(
        quiet.join("telltale.toml"),
        "ignore = [\"chatbot-opener\"]\n",
    )
    .expect("write config");
    (plain, quiet)
}

#[test]
fn each_workspace_folder_has_its_own_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let (plain, quiet) = plain_and_quiet_folders(&root);
    let mut client = Client::start(&root);
    client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": file_uri(&plain),
            "workspaceFolders": [
                {"uri": file_uri(&plain), "name": "plain"},
                {"uri": file_uri(&quiet), "name": "quiet"}
            ],
            "capabilities": {}
        }),
    );
    client.notify("initialized", json!({}));
    let mut codes_in = |folder: &Path| {
        let uri = file_uri(&folder.join("draft.md"));
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": DRAFT}}),
        );
        codes(&client.diagnostics_for(&uri))
    };
    let opener = "chatbot-opener".to_string();
    assert!(codes_in(&plain).contains(&opener));
    assert!(!codes_in(&quiet).contains(&opener));
    client.shutdown();
}

#[test]
fn a_folder_added_while_running_reads_its_own_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let (plain, quiet) = plain_and_quiet_folders(&root);
    let mut client = Client::start(&root);
    let result = client.request(
        "initialize",
        json!({
            "processId": null,
            "workspaceFolders": [{"uri": file_uri(&plain), "name": "plain"}],
            "capabilities": {}
        }),
    );
    let folders = &result["capabilities"]["workspace"]["workspaceFolders"];
    assert_eq!(folders["supported"], true, "{result}");
    assert_eq!(folders["changeNotifications"], true, "{result}");
    client.notify("initialized", json!({}));
    let uri = file_uri(&quiet.join("draft.md"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": DRAFT}}),
    );
    let opener = "chatbot-opener".to_string();
    // outside every folder: the first folder's settings, which flag it
    assert!(codes(&client.diagnostics_for(&uri)).contains(&opener));
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(&quiet), "name": "quiet"}], "removed": []}}),
    );
    assert!(!codes(&client.diagnostics_for(&uri)).contains(&opener));
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [{"uri": file_uri(&quiet), "name": "quiet"}]}}),
    );
    assert!(codes(&client.diagnostics_for(&uri)).contains(&opener));
    client.shutdown();
}

#[test]
fn the_handshake_refuses_early_and_repeated_requests() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let mut client = Client::start(&root);
    // before initialize: requests refused, notifications dropped
    client.notify("$/setTrace", json!({"value": "off"}));
    client.next_id += 1;
    let id = client.next_id;
    client.send(json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": "file:///nowhere.md"}, "position": {"line": 0, "character": 0}}}));
    let reply = client.wait_for(|m| m["id"] == id);
    assert_eq!(reply["error"]["code"], -32002, "{reply}");
    initialize(&mut client, &root);
    // initialize again: refused, and the server carries on
    client.next_id += 1;
    let id = client.next_id;
    client.send(json!({"jsonrpc": "2.0", "id": id, "method": "initialize",
        "params": {"processId": null, "capabilities": {}}}));
    let reply = client.wait_for(|m| m["id"] == id);
    assert_eq!(reply["error"]["code"], -32600, "{reply}");
    client.shutdown();

    // exit before initialize: code 1, as exit without shutdown
    let mut client = Client::start(&root);
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("server exits");
    assert_eq!(status.code(), Some(1), "exit status {status}");
}

#[test]
fn uris_with_brackets_as_helix_and_zed_send_them() {
    // the url crate leaves `[` and `]` unescaped in a file URI's path;
    // RFC 3986 does not allow them there
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let site = root.join("[site]");
    std::fs::create_dir(&site).expect("folder");
    std::fs::write(site.join("telltale.toml"), "ignore = [\"ai-vocabulary\"]\n")
        .expect("write config");
    let site_uri = format!("file://{}", site.display());
    let uri = format!("{site_uri}/[slug].md");
    let mut client = Client::start(&root);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": site_uri, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": DRAFT}}),
    );
    // published under the client's own spelling, linted with the config
    // of the folder the URI names
    let published = client.diagnostics_for(&uri);
    let found = codes(&published);
    assert!(found.contains(&"chatbot-opener".to_string()), "{found:?}");
    assert!(!found.contains(&"ai-vocabulary".to_string()), "{found:?}");
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
            "context": {"diagnostics": []}
        }),
    );
    assert!(
        actions[0]["edit"]["changes"].get(&uri).is_some(),
        "{actions}"
    );
    client.shutdown();
}

#[test]
fn an_unused_suppression_is_faded_and_offers_its_deletion_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let mut client = Client::start(&root);
    initialize(&mut client, &root);
    let text = "# Minutes\n\n<!-- telltale-disable-next-line chatbot-opener -->\nThe council met on Tuesday.\n";
    let path = root.join("minutes.md");
    std::fs::write(&path, text).expect("write");
    let uri = file_uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let published = client.diagnostics_for(&uri);
    let diags = published["diagnostics"].as_array().expect("array");
    let unused = diags
        .iter()
        .find(|d| d["code"] == "unused-suppression")
        .unwrap_or_else(|| panic!("reported: {published}"));
    assert_eq!(unused["severity"], 3);
    assert_eq!(unused["tags"], json!([1]));
    assert_eq!(
        unused["range"],
        json!({"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 50}})
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": unused["range"],
            "context": {"diagnostics": [unused]}
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["title"].as_str().expect("title"))
        .collect();
    assert_eq!(
        titles[0],
        "Delete \u{201C}<!-- telltale-disable-next-line chatbot-opener -->\u{201D}"
    );
    // a finding about a directive cannot itself be turned off
    assert!(
        !titles.iter().any(|t| t.starts_with("Disable")),
        "{titles:?}"
    );
    assert_eq!(
        actions[0]["edit"]["changes"][&uri],
        json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 3, "character": 0}}, "newText": ""}])
    );
    client.shutdown();
}

#[test]
fn code_files_get_no_prose_diagnostics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let mut client = Client::start(&root);
    initialize(&mut client, &root);
    let text = "// Certainly! Let us delve into the rich tapestry of this module.\nfn main() {}\n";
    let open = |client: &mut Client, name: &str, language: &str| {
        let path = root.join(name);
        std::fs::write(&path, text).expect("write");
        let uri = file_uri(&path);
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        client.diagnostics_for(&uri)
    };
    // a client set up to send every file: code is not linted as prose
    let code = open(&mut client, "main.rs", "rust");
    assert_eq!(code["diagnostics"], json!([]), "{code}");
    // the same words in a commit message are
    let commit = open(&mut client, "COMMIT_EDITMSG", "git-commit");
    assert!(
        codes(&commit).contains(&"ai-vocabulary".to_string()),
        "{commit}"
    );
    // git's own comment lines and the diff under the scissors line are not
    // the message: no Markdown residue for their `#`, no findings in them
    let message = "Fix the parser\n\n# Please enter the commit message for your changes. Lines starting\n\
                   # with '#' will be ignored.\n#\n# On branch main\n\
                   # ------------------------ >8 ------------------------\n\
                   +We delve into the rich tapestry.\n";
    let uri = file_uri(&root.join("MERGE_MSG"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "git-commit", "version": 1, "text": message}}),
    );
    let read = client.diagnostics_for(&uri);
    assert_eq!(read["diagnostics"], json!([]), "{read}");
    client.shutdown();
}
