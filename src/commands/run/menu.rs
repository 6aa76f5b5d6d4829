//! `sgquiz` with no command: the menu of bundled quizzes, and asking for the trainee's name,
//! which `sgquiz run` and the kiosk ask the same way.

use std::io::{self, Write};

use anyhow::{Result, bail};

use super::super::terminal::Terminal;
use super::super::{Exit, setting};
use super::{Quiz, Recording, RunOptions, shell_quote, stopped, take_quiz};
use crate::bank::catalog;
use crate::cli::Cli;
use crate::engine::prompter::{Prompter, Stop};
use crate::front::transcript;
use crate::records::record::clean_name;
use crate::records::store::Location;

/// `sgquiz` with no command: pick a bundled quiz from a menu and take it, recorded under the
/// trainee's name if they choose.
pub fn menu(cli: &Cli, term: &Terminal) -> Result<Exit> {
    let setting = setting::chosen(cli)?;
    let banks = catalog::bundled()?;
    let mut prompter = term.prompter(term.stdout_color());
    let menu_look = term.look(term.stdout_color());
    let options: Vec<String> = banks
        .iter()
        .map(|b| transcript::menu_line(b, &menu_look))
        .collect();
    let mut out = io::stdout();
    write!(out, "{}", transcript::menu_heading())?;
    let picked = match prompter.choose(transcript::MENU_QUESTION, &options, &mut out) {
        Ok(i) => i,
        Err(stop) => return stopped(stop, &mut io::stderr()),
    };
    let keep = match prompter.confirm(transcript::MENU_RECORD, &mut out) {
        Ok(keep) => keep,
        Err(stop) => return stopped(stop, &mut io::stderr()),
    };
    let options = RunOptions::default();
    let look = term.look(term.transcript_color(options.json));
    let bank = setting::applied(&banks[picked], setting.as_ref())?;
    if !keep {
        return take_quiz(term, &bank, &options, prompter.as_mut(), look, None);
    }
    let name = match ask_name(prompter.as_mut(), &mut out, term.typed())? {
        Ok(name) => name,
        Err(stop) => return stopped(stop, &mut io::stderr()),
    };
    let mut store = Location::choose(cli.store.as_deref())?.open()?;
    let quiz = Quiz {
        hash: catalog::find_source(&bank.quiz.id)?.hash(),
        named_as: shell_quote(&bank.quiz.id) + &super::super::session::store_argument(cli)?,
        bank,
        session: None,
        review_at_end: false,
    };
    let recording = Recording {
        quiz: &quiz,
        name: &name,
        store: store.as_mut(),
        kiosk: false,
    };
    take_quiz(
        term,
        &quiz.bank,
        &options,
        prompter.as_mut(),
        look,
        Some(recording),
    )
}

/// Asks for the trainee's name until a usable one is given; the outer error is a failure to
/// ask, the inner one the trainee stopping. When the name is read from a file or a pipe
/// (`typed` is false), a refused name ends with an error instead: asking again would take the
/// next line, an answer, for the name.
pub fn ask_name(
    prompter: &mut dyn Prompter,
    out: &mut dyn Write,
    typed: bool,
) -> Result<Result<String, Stop>> {
    loop {
        match prompter.name(transcript::ASK_NAME, out) {
            Ok(given) => match clean_name(&given) {
                Ok(name) => return Ok(Ok(name)),
                Err(why) if !typed => bail!(
                    "the name on the first line of the input was refused ({why}), so nothing \
                     was taken or recorded; put the trainee's name on the first line, or give \
                     it with --name"
                ),
                Err(why) => write!(out, "{}", transcript::name_refused(&why))?,
            },
            Err(stop) => return Ok(Err(stop)),
        }
    }
}
