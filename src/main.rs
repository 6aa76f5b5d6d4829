//! Entry point: parse the command line, run, turn the result into an exit status.

use std::process::ExitCode;

use clap::Parser;
use sgquiz::cli::Cli;
use sgquiz::commands::messages;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match sgquiz::run(cli) {
        Ok(exit) => ExitCode::from(exit as u8),
        // Output piped into `head` or a pager that quit: nothing is wrong.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            messages::failed(&e);
            ExitCode::FAILURE
        }
    }
}
