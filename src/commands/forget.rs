//! `sgquiz forget`: data-protection erasure of every record of one trainee.

use std::io::{self, Write};

use anyhow::Result;

use super::terminal::Terminal;
use super::{Exit, messages};
use crate::cli::Cli;
use crate::engine::prompter::Stop;
use crate::records::record::clean_name;
use crate::records::session::show_code;
use crate::records::store::{Filter, Location, Store};

/// `sgquiz forget`: erase every record of a trainee, after asking.
pub fn forget(cli: &Cli, term: &Terminal, name: &str, yes: bool) -> Result<Exit> {
    let name = clean_name(name).map_err(anyhow::Error::msg)?;
    let location = Location::choose(cli.store.as_deref())?;
    // A store that is not there is an error: "no records" from a mistyped path would look like
    // an erasure done.
    let mut store = location.open_existing()?;
    let exit = erase(term, store.as_mut(), &name, yes);
    for warning in store.warnings() {
        messages::warning(warning);
    }
    exit
}

fn erase(term: &Terminal, store: &mut dyn Store, name: &str, yes: bool) -> Result<Exit> {
    let filter = Filter {
        name: Some(name.to_string()),
        ..Filter::default()
    };
    let found = store.summaries(&filter)?;
    let n = found.len();
    if n == 0 {
        writeln!(io::stdout(), "There are no records of {name}.")?;
        return Ok(Exit::Success);
    }
    let records = if n == 1 { "record" } else { "records" };
    // What will go, one line per record, before anything is asked or erased.
    let mut out = io::stdout().lock();
    writeln!(out, "The {records} of {name} in {}:", store.location())?;
    for r in &found {
        writeln!(
            out,
            "  {} ({}), started {}, {}, {}",
            r.quiz,
            r.title,
            super::day(&r.started),
            r.session
                .as_deref()
                .map_or("no session".to_string(), |c| format!(
                    "session {}",
                    show_code(c)
                )),
            if r.is_complete() {
                "finished"
            } else {
                "unfinished"
            }
        )?;
    }
    drop(out);
    if !yes {
        let mut prompter = term.prompter(term.stdout_color());
        let question = format!("Erase all {n} {records} of {name}? This cannot be undone.");
        match prompter.confirm(&question, &mut io::stdout()) {
            Ok(true) => {}
            Ok(false) => {
                writeln!(io::stdout(), "Nothing was erased.")?;
                return Ok(Exit::Success);
            }
            Err(Stop::Io(e)) => return Err(e.into()),
            Err(Stop::Cancelled) => {
                writeln!(io::stdout(), "Nothing was erased.")?;
                return Ok(Exit::Stopped);
            }
            Err(Stop::InputEnded) => {
                messages::status("input ended before an answer was given; nothing was erased.");
                return Ok(Exit::InputEnded);
            }
        }
    }
    let gone = store.forget(name)?;
    let records = if gone == 1 { "record" } else { "records" };
    writeln!(io::stdout(), "Erased {gone} {records} of {name}.")?;
    Ok(Exit::Success)
}
