//! A progress bar on stderr for long interactive runs of `check`, `score`
//! and `report`: files done out of all, bytes read and the rate.
//!
//! It appears only when stderr is a terminal, `CI` is not set and
//! `--quiet` is not given ([`allowed`]), and only once the run is long:
//! [`MANY_FILES`] or more inputs from the start, else after [`SLOW`] of
//! work ([`due`]). A short run in a terminal never flickers a bar, and a CI
//! log or a pipe never gets one. While the bar shows, other output to the
//! terminal goes through [`Progress::suspend`] or [`LineGate`], so lines are
//! never torn by a redraw.

use std::ffi::OsStr;
use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs at or above which a run counts as long from the start.
pub const MANY_FILES: usize = 300;

/// Work after which a run counts as long whatever its number of inputs.
pub const SLOW: Duration = Duration::from_secs(2);

/// Whether a run may show progress: stderr is a terminal, the `CI`
/// variable is unset (or empty, `0` or `false`), and `--quiet` is off.
pub fn allowed(stderr_is_terminal: bool, ci: Option<&OsStr>, quiet: bool) -> bool {
    let in_ci = ci.is_some_and(|v| !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false")));
    stderr_is_terminal && !in_ci && !quiet
}

/// Whether a run of `files` inputs that has worked for `elapsed` is long
/// enough for a bar.
pub fn due(files: usize, elapsed: Duration) -> bool {
    files >= MANY_FILES || elapsed >= SLOW
}

/// The progress of one run; a no-op when progress is not allowed.
pub struct Progress {
    bar: Option<ProgressBar>,
    visible: bool,
    started: Instant,
    files: usize,
    bytes: u64,
}

impl Progress {
    /// Progress for a run over `files` inputs, decided from this process's
    /// stderr and environment.
    pub fn for_run(files: usize, quiet: bool) -> Progress {
        let ok = allowed(
            io::stderr().is_terminal(),
            std::env::var_os("CI").as_deref(),
            quiet,
        );
        Progress::new(ok, files)
    }

    /// Progress for a run over `files` inputs; `allowed` from [`allowed`].
    pub fn new(allowed: bool, files: usize) -> Progress {
        let bar = allowed.then(|| {
            let style = ProgressStyle::with_template(
                "{spinner} {pos}/{len} files [{bar:28}] {msg}  {elapsed}, about {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::hidden())
                .with_style(style)
        });
        let mut p = Progress {
            bar,
            visible: false,
            started: Instant::now(),
            files,
            bytes: 0,
        };
        p.reveal_if_due();
        p
    }

    /// Whether the bar is on screen.
    #[cfg(test)]
    fn visible(&self) -> bool {
        self.visible
    }

    fn reveal_if_due(&mut self) {
        if let Some(bar) = &self.bar
            && !self.visible
            && due(self.files, self.started.elapsed())
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.visible = true;
        }
    }

    /// One input done, of `bytes` bytes (0 when it could not be read).
    pub fn advance(&mut self, bytes: usize) {
        self.bytes += bytes as u64;
        self.reveal_if_due();
        if let Some(bar) = &self.bar {
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            let mb = self.bytes as f64 / 1e6;
            bar.set_message(format!("{mb:.1} MB, {:.1} MB/s", mb / secs));
            bar.inc(1);
        }
    }

    /// Runs `f` with the bar cleared from the screen, for other output to
    /// the terminal.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if self.visible => bar.suspend(f),
            _ => f(),
        }
    }

    /// Prints a line on stderr without tearing the bar.
    pub fn eprintln(&self, line: impl std::fmt::Display) {
        self.suspend(|| {
            let _ = writeln!(io::stderr(), "{line}");
        });
    }

    /// A handle for [`LineGate`].
    pub fn handle(&self) -> Option<ProgressBar> {
        self.bar.clone()
    }

    /// Removes the bar from the screen.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A writer for stdout that passes on whole lines only, each batch with the
/// bar cleared, so a report written to the same terminal as the bar is
/// never interleaved with it. Without a bar it writes straight through.
pub struct LineGate<W: Write> {
    inner: W,
    bar: Option<ProgressBar>,
    pending: Vec<u8>,
}

impl<W: Write> LineGate<W> {
    /// Gates `inner` on `bar` (from [`Progress::handle`]); pass `None` when
    /// stdout is not the terminal the bar is drawn on.
    pub fn new(inner: W, bar: Option<ProgressBar>) -> Self {
        LineGate {
            inner,
            bar,
            pending: Vec::new(),
        }
    }

    fn pass(&mut self, upto: usize) -> io::Result<()> {
        let (inner, pending) = (&mut self.inner, &self.pending[..upto]);
        match &self.bar {
            Some(bar) if !bar.is_hidden() => bar.suspend(|| inner.write_all(pending)),
            _ => inner.write_all(pending),
        }?;
        self.pending.drain(..upto);
        Ok(())
    }
}

impl<W: Write> Write for LineGate<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bar.is_none() {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        if let Some(last) = memchr::memrchr(b'\n', &self.pending) {
            self.pass(last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.pass(self.pending.len())?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_interactive_runs_may_show_progress() {
        assert!(allowed(true, None, false));
        // a pipe or a file
        assert!(!allowed(false, None, false));
        // CI, however it is spelt
        assert!(!allowed(true, Some(OsStr::new("true")), false));
        assert!(!allowed(true, Some(OsStr::new("1")), false));
        assert!(!allowed(true, Some(OsStr::new("woodpecker")), false));
        // set but saying no
        assert!(allowed(true, Some(OsStr::new("false")), false));
        assert!(allowed(true, Some(OsStr::new("0")), false));
        assert!(allowed(true, Some(OsStr::new("")), false));
        // --quiet
        assert!(!allowed(true, None, true));
    }

    #[test]
    fn only_long_runs_are_due() {
        assert!(!due(10, Duration::from_millis(100)));
        assert!(due(MANY_FILES, Duration::ZERO));
        assert!(due(1, SLOW));
        assert!(!due(MANY_FILES - 1, SLOW - Duration::from_millis(1)));
    }

    #[test]
    fn a_disallowed_run_never_shows_a_bar() {
        let mut p = Progress::new(false, 10_000);
        p.advance(100);
        assert!(!p.visible());
        assert!(p.handle().is_none());
        assert_eq!(p.suspend(|| 7), 7);
    }

    #[test]
    fn a_long_allowed_run_shows_one_from_the_start() {
        let p = Progress::new(true, MANY_FILES);
        assert!(p.visible());
        p.finish();
        let short = Progress::new(true, 3);
        assert!(!short.visible());
    }

    #[test]
    fn the_gate_passes_whole_lines_and_the_rest_on_flush() {
        let bar = ProgressBar::hidden();
        let mut out = Vec::new();
        {
            let mut gate = LineGate::new(&mut out, Some(bar));
            gate.write_all(b"one\ntw").expect("write");
            assert_eq!(gate.inner.as_slice(), b"one\n");
            gate.write_all(b"o\nthr").expect("write");
            assert_eq!(gate.inner.as_slice(), b"one\ntwo\n");
            gate.flush().expect("flush");
        }
        assert_eq!(out, b"one\ntwo\nthr");
    }
}
