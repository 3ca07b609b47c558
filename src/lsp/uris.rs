//! URIs as clients spell them.
//!
//! lsp-types parses URIs strictly (RFC 3986), but clients built on the
//! `url` crate (Helix, Zed) leave `[` and `]` unescaped in file names such
//! as `[slug].mdx`, and other clients may leave spaces or non-ASCII letters
//! as they are. A message with such a URI failed to parse and was dropped
//! without a word: the document got no diagnostics at all. [`Aliases`]
//! escapes those characters in what comes in, and puts the client's own
//! spelling back in what goes out, so the client recognises its document.

use std::collections::HashMap;

use lsp_types::Uri;
use serde_json::Value;

/// The client's spelling of each URI that had to be escaped to parse.
#[derive(Debug, Default)]
pub struct Aliases {
    /// Escaped spelling to the client's.
    to_client: HashMap<String, String>,
}

/// The fields of incoming parameters that hold URIs.
const URI_FIELDS: [&str; 2] = ["uri", "rootUri"];

impl Aliases {
    /// Escapes, in place, every URI in `params` that does not parse as it
    /// is, and remembers the client's spelling.
    pub fn incoming(&mut self, params: &mut Value) {
        match params {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    match value {
                        Value::String(s) if URI_FIELDS.contains(&key.as_str()) => {
                            if s.parse::<Uri>().is_err() {
                                let escaped = escape(s);
                                if escaped != *s {
                                    let original = std::mem::replace(s, escaped.clone());
                                    self.to_client.insert(escaped, original);
                                }
                            }
                        }
                        _ => self.incoming(value),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.incoming(v)),
            _ => {}
        }
    }

    /// Puts the client's spelling back, in place, wherever an escaped URI
    /// stands in `message` (as a value or as an object key).
    pub fn outgoing(&self, message: &mut Value) {
        if self.to_client.is_empty() {
            return;
        }
        match message {
            Value::String(s) => {
                if let Some(original) = self.to_client.get(s.as_str()) {
                    s.clone_from(original);
                }
            }
            Value::Object(map) => {
                let renamed: Vec<String> = map
                    .keys()
                    .filter(|k| self.to_client.contains_key(k.as_str()))
                    .cloned()
                    .collect();
                for key in renamed {
                    if let Some(value) = map.remove(&key) {
                        map.insert(self.to_client[&key].clone(), value);
                    }
                }
                map.values_mut().for_each(|v| self.outgoing(v));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.outgoing(v)),
            _ => {}
        }
    }
}

/// `uri` with every byte RFC 3986 does not allow unescaped percent-encoded
/// (`[` and `]` too: they belong to IPv6 hosts, never to paths), and a `%`
/// that starts no escape written `%25`.
fn escape(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = String::with_capacity(uri.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_start = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:/?#@".contains(&b) || escape_start {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unparsable_uris_are_escaped_and_spelt_back() {
        let mut aliases = Aliases::default();
        let raw = "file:///site/[slug] é.mdx";
        let mut params = json!({"textDocument": {"uri": raw, "version": 1},
            "changes": [{"uri": "file:///ok.md"}]});
        aliases.incoming(&mut params);
        let escaped = params["textDocument"]["uri"]
            .as_str()
            .expect("uri")
            .to_string();
        assert_eq!(escaped, "file:///site/%5Bslug%5D%20%C3%A9.mdx");
        assert!(escaped.parse::<Uri>().is_ok());
        assert_eq!(params["changes"][0]["uri"], "file:///ok.md");

        let mut out = json!({"uri": escaped, "edit": {"changes": {escaped.clone(): []}},
            "other": "file:///ok.md"});
        aliases.outgoing(&mut out);
        assert_eq!(out["uri"], raw);
        assert!(out["edit"]["changes"].get(raw).is_some(), "{out}");
        assert_eq!(out["other"], "file:///ok.md");
    }

    #[test]
    fn a_percent_sign_that_escapes_nothing_is_escaped() {
        assert_eq!(escape("file:///a%zz%41"), "file:///a%25zz%41");
    }
}
