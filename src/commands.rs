//! The commands: `run` dispatches a parsed command line to one handler per command. The
//! terminal policy (plain or not, colour, where the words go) is decided once, in `Terminal`,
//! and every `sgquiz: error/warning/note:` line is written by `messages`.
//!
//! May import: every other layer. Nothing but `main.rs` imports `commands`.

mod authoring;
mod forget;
mod list;
mod manual;
pub mod messages;
mod report;
mod run;
pub mod serve;
mod session;
mod setting;
mod store;
mod terminal;

use std::io;

use anyhow::Result;

use crate::cli::{Cli, Command, SettingCommand};
use terminal::Terminal;

/// How the program ended, as an exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The command did its job (a failed quiz is not an error).
    Success = 0,
    /// Something went wrong, and has been said (such as `check` finding errors).
    Failure = 1,
    /// Plain mode: standard input ended before the quiz did.
    InputEnded = 3,
    /// The trainee stopped the quiz.
    Stopped = 130,
}

/// The whole program behind a parsed command line.
pub fn run(cli: Cli) -> Result<Exit> {
    let term = Terminal::of(&cli);
    match &cli.command {
        Some(Command::List { json }) => list::list(*json),
        Some(Command::Run(args)) => run::run(&cli, &term, args),
        Some(Command::Check {
            paths,
            deny_warnings,
            format,
        }) => authoring::check(paths, *deny_warnings, *format),
        Some(Command::New { file, force }) => authoring::new_bank(file, *force),
        Some(Command::Schema { output, force }) => {
            authoring::print_schema(output.as_deref(), *force)
        }
        Some(Command::Export {
            quiz,
            format,
            no_answers,
            seed,
            output,
            force,
            ..
        }) => authoring::export(
            &cli,
            quiz,
            *format,
            !*no_answers,
            *seed,
            output.as_deref(),
            *force,
        ),
        Some(Command::Import {
            file,
            output,
            force,
        }) => authoring::import(file, output, *force),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "sgquiz", &mut io::stdout());
            Ok(Exit::Success)
        }
        Some(Command::Man { command, dir }) => manual::man(command, dir.as_deref()),
        Some(Command::Session { action }) => session::session(&cli, &term, action),
        Some(Command::Setting {
            action: SettingCommand::Init { file },
        }) => setting::init(file),
        Some(Command::Report(args)) => report::report(&cli, args),
        Some(Command::Forget { name, yes }) => forget::forget(&cli, &term, name, *yes),
        Some(Command::Store { action }) => store::store(&cli, action),
        None => run::menu(&cli, &term),
    }
}

/// The date part of a record's time.
fn day(time: &str) -> String {
    time.get(..10).unwrap_or(time).to_string()
}
