//! Where `check` writes its report.

use std::io::{self, IsTerminal, Write};

/// The report's destination: standard output, without std's line buffer
/// when it is a pipe or a file.
///
/// Std's stdout is line-buffered whatever it is connected to, so each block
/// our own buffer flushed was scanned for its last newline and copied again
/// (3.6 M instructions per MB of JSON, one line per document). A duplicate
/// of the descriptor writes straight through; a terminal keeps std's stdout
/// so the progress bar's line gate sees whole lines.
pub fn report_out() -> Box<dyn Write> {
    let stdout = io::stdout();
    if stdout.is_terminal() {
        return Box::new(stdout.lock());
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = stdout.as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(stdout.lock())
}
