//! The `telltale` binary: parses arguments, runs the command, and turns the
//! outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;
use telltale::cli::{self, Cli, ExitStatus};

fn main() -> ExitCode {
    let args = Cli::parse();
    match cli::run(args) {
        // 0: nothing at or above the --fail-on level
        Ok(ExitStatus::Success) => ExitCode::from(0),
        // 1: findings at or above the --fail-on level, so CI can fail the build
        Ok(ExitStatus::Failure) => ExitCode::from(1),
        // 2: something could not be read or configured; output is incomplete
        Ok(ExitStatus::Error) => ExitCode::from(2),
        Err(e) => {
            eprintln!("telltale: error: {e}");
            ExitCode::from(2)
        }
    }
}
