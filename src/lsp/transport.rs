//! Messages between stdin/stdout and the server's channels.
//!
//! lsp-server's own stdio transport hands each message over only when the
//! server asks for the next one, and stops reading for good at the first
//! body that is not a JSON-RPC message. This one queues whatever the
//! client has sent, so the server can see that more edits are waiting
//! before it lints, and skips a body it cannot read with a line on stderr:
//! the frame said how long the body was, so the next message is still
//! found. Headers without a usable `Content-Length` leave no way to find
//! the next message, and end the reading.

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use lsp_server::{Connection, Message};

/// The threads that move messages between stdio and a [`Connection`].
pub struct IoThreads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads; call after the server dropped its end of
    /// the connection, so the writer has flushed everything.
    pub fn join(self) -> io::Result<()> {
        let writer = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the thread writing to stdout panicked")));
        let reader = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the thread reading from stdin panicked")));
        writer.and(reader)
    }
}

/// A connection over stdin and stdout.
pub fn stdio() -> (Connection, IoThreads) {
    let (server, client) = Connection::memory();
    let Connection { sender, receiver } = client;
    let reader = std::thread::spawn(move || {
        let stdin = io::stdin();
        read_messages(&mut stdin.lock(), |message| sender.send(message).is_ok())
    });
    let writer = std::thread::spawn(move || {
        let stdout = io::stdout();
        let mut stdout = stdout.lock();
        for message in receiver {
            message.write(&mut stdout)?;
        }
        stdout.flush()
    });
    (server, IoThreads { reader, writer })
}

/// Reads framed messages from `input` and hands each to `deliver` until
/// the input ends, `deliver` says stop, or `exit` has been delivered.
/// A body that is not a message is reported on stderr and skipped.
pub fn read_messages(
    input: &mut impl BufRead,
    mut deliver: impl FnMut(Message) -> bool,
) -> io::Result<()> {
    while let Some(body) = read_frame(input)? {
        let message = match serde_json::from_slice::<Message>(&body) {
            Ok(m) => m,
            Err(e) => {
                eprintln!(
                    "telltale lsp: skipped a message that is not JSON-RPC ({e}): {}",
                    String::from_utf8_lossy(&body[..body.len().min(200)])
                );
                continue;
            }
        };
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if !deliver(message) || exit {
            break;
        }
    }
    Ok(())
}

/// The body of the next frame, `None` at the end of the input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut headers = false;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return if headers {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "input ended inside a message's headers",
                ))
            } else {
                Ok(None)
            };
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            match length {
                Some(_) => break,
                None if headers => return Err(bad_header("no Content-Length")),
                // blank lines between messages are tolerated
                None => continue,
            }
        }
        headers = true;
        let Some((name, value)) = header.split_once(':') else {
            return Err(bad_header(header));
        };
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| bad_header(header))?,
            );
        }
    }
    // read what the frame announces without allocating it up front: a
    // corrupt length (`Content-Length: 99999999999`) must end in an error,
    // not in an allocation failure that aborts the process
    let length = length.unwrap_or_default();
    let mut body = Vec::new();
    input.take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "input ended inside a message's body",
        ));
    }
    Ok(Some(body))
}

fn bad_header(header: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("bad message header ({header}): no way to find the next message"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn methods(input: &str) -> (Vec<String>, io::Result<()>) {
        let mut got = Vec::new();
        let result = read_messages(&mut input.as_bytes(), |m| {
            got.push(match m {
                Message::Request(r) => r.method,
                Message::Notification(n) => n.method,
                Message::Response(r) => format!("response {}", r.id),
            });
            true
        });
        (got, result)
    }

    #[test]
    fn a_body_that_is_not_a_message_is_skipped() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","method":"a"}"#),
            frame("{not json"),
            frame("[1, 2]"),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"b"}"#),
        ]
        .concat();
        let (got, result) = methods(&input);
        assert_eq!(got, ["a", "b"]);
        assert!(result.is_ok());
    }

    #[test]
    fn headers_are_read_as_clients_write_them() {
        let body = r#"{"jsonrpc":"2.0","method":"a"}"#;
        let input = format!(
            "content-length:{}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{body}",
            body.len()
        );
        assert_eq!(methods(&input).0, ["a"]);
    }

    #[test]
    fn reading_stops_after_exit_and_at_a_header_without_length() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"after"}"#),
        ]
        .concat();
        assert_eq!(methods(&input).0, ["exit"]);
        // a length far beyond the input is an error, not an allocation
        let (got, result) = methods("Content-Length: 99999999999999\r\n\r\n{}");
        assert!(got.is_empty());
        assert_eq!(
            result.map_err(|e| e.kind()),
            Err(io::ErrorKind::UnexpectedEof)
        );
        for input in [
            "Content-Length: x\r\n\r\n{}",
            "X-Other: 1\r\n\r\n{\"a\": 1}\r\n",
        ] {
            let (got, result) = methods(input);
            assert!(got.is_empty());
            assert_eq!(
                result.map_err(|e| e.kind()),
                Err(io::ErrorKind::InvalidData)
            );
        }
    }
}
