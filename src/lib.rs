//! sgquiz: safeguarding training quizzes for the terminal.
//!
//! `run` is the whole program behind a parsed command line; `main.rs` only turns its result into
//! an exit status. The engine (bank, plan, marking, attempt) knows nothing of terminals; the front
//! ends (interactive, plain) and the transcript are the edges. ARCHITECTURE.md has the map.

pub mod attempt;
pub mod bank;
pub mod catalog;
pub mod cli;
pub mod diagnostic;
pub mod interactive;
pub mod load;
pub mod marking;
pub mod plain;
pub mod plan;
pub mod prompter;
pub mod record;
pub mod report;
pub mod rng;
pub mod session;
pub mod store;
pub mod style;
pub mod table;
pub mod take;
pub mod text;
pub mod transcript;

use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::bank::Bank;
use crate::cli::{Cli, ColorChoice, Command, RunArgs};
use crate::interactive::Interactive;
use crate::plain::Plain;
use crate::plan::{Plan, PlanOptions};
use crate::prompter::{Prompter, Stop};
use crate::rng::Rng;
use crate::style::Style;
use crate::take::{TakeOptions, Taken, take};
use crate::transcript::Look;

/// How the program ended, as an exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The command did its job (a failed quiz is not an error).
    Success = 0,
    /// Plain mode: standard input ended before the quiz did.
    InputEnded = 3,
    /// The trainee stopped the quiz.
    Stopped = 130,
}

/// Width that interactive text is wrapped to.
const WRAP_WIDTH: usize = 78;

pub fn run(cli: Cli) -> Result<Exit> {
    match &cli.command {
        Some(Command::List { json }) => list(*json),
        Some(Command::Run(args)) => {
            let bank = catalog::find(&args.quiz)?;
            run_quiz(&cli, &bank, args)
        }
        None => menu(&cli),
    }
}

#[derive(Serialize)]
struct Listing<'a> {
    id: &'a str,
    title: &'a str,
    questions: usize,
    topics: Vec<String>,
    audience: &'a str,
    minutes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
}

fn list(json: bool) -> Result<Exit> {
    let banks = catalog::bundled()?;
    let rows: Vec<Listing> = banks
        .iter()
        .map(|b| Listing {
            id: &b.quiz.id,
            title: &b.quiz.title,
            questions: b.questions.len(),
            topics: b.topics(),
            audience: &b.quiz.audience,
            minutes: b.minutes(),
            summary: b.quiz.summary.as_deref(),
        })
        .collect();
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(Exit::Success);
    }
    let id_w = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let title_w = rows
        .iter()
        .map(|r| r.title.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    writeln!(
        out,
        "{:id_w$}  {:title_w$}  {:>9}  {:>7}  AUDIENCE",
        "ID", "TITLE", "QUESTIONS", "MINUTES"
    )?;
    for r in &rows {
        writeln!(
            out,
            "{:id_w$}  {:title_w$}  {:>9}  {:>7}  {}",
            r.id, r.title, r.questions, r.minutes, r.audience
        )?;
    }
    writeln!(out, "\nTake one with: sgquiz run ID")?;
    Ok(Exit::Success)
}

/// Plain mode is asked for, or standard input is not a terminal (inquire could not read it).
fn plain_mode(cli: &Cli) -> bool {
    cli.plain || !io::stdin().is_terminal() || !io::stderr().is_terminal()
}

fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn prompter(cli: &Cli, color: bool) -> Box<dyn Prompter> {
    if plain_mode(cli) {
        Box::new(Plain::new(io::stdin().lock()).echo(!io::stdin().is_terminal()))
    } else {
        Box::new(Interactive::new(color))
    }
}

fn menu(cli: &Cli) -> Result<Exit> {
    let banks = catalog::bundled()?;
    let color = use_color(cli.color, io::stdout().is_terminal());
    let mut prompter = prompter(cli, color);
    let options: Vec<String> = banks
        .iter()
        .map(|b| {
            format!(
                "{} · {} questions, about {} min · {}",
                b.quiz.title,
                b.questions.len(),
                b.minutes(),
                b.quiz.audience
            )
        })
        .collect();
    let mut out = io::stdout();
    writeln!(out, "sgquiz: safeguarding training quizzes\n")?;
    let picked = match prompter.choose("Which quiz would you like to take?", &options, &mut out) {
        Ok(i) => i,
        Err(stop) => return stopped(stop, None, &mut io::stderr()),
    };
    let args = RunArgs {
        quiz: banks[picked].quiz.id.clone(),
        ..RunArgs::default()
    };
    let look = look(cli, color_for(cli, &args));
    run_with(&banks[picked], &args, prompter.as_mut(), look)
}

fn color_for(cli: &Cli, args: &RunArgs) -> bool {
    let transcript_is_terminal = if args.json {
        io::stderr().is_terminal()
    } else {
        io::stdout().is_terminal()
    };
    use_color(cli.color, transcript_is_terminal)
}

/// How the transcript looks: the plain mode is not wrapped, so that screen readers and braille
/// displays get whole sentences.
fn look(cli: &Cli, color: bool) -> Look {
    Look {
        style: Style::new(color),
        width: (!plain_mode(cli)).then_some(WRAP_WIDTH),
    }
}

fn run_quiz(cli: &Cli, bank: &Bank, args: &RunArgs) -> Result<Exit> {
    let color = color_for(cli, args);
    let mut prompter = prompter(cli, color);
    run_with(bank, args, prompter.as_mut(), look(cli, color))
}

fn run_with(bank: &Bank, args: &RunArgs, prompter: &mut dyn Prompter, look: Look) -> Result<Exit> {
    let plan = Plan::new(
        bank,
        &PlanOptions {
            seed: args.seed.unwrap_or_else(Rng::fresh_seed),
            shuffle: args.shuffle_override(),
            count: args.count,
            topics: args.topics.clone(),
        },
    )?;
    let options = TakeOptions {
        review_at_end: args.review_at_end,
        look,
    };
    // With --json, standard output carries the JSON document alone.
    let mut transcript: Box<dyn Write> = if args.json {
        Box::new(io::stderr())
    } else {
        Box::new(io::stdout())
    };
    match take(bank, plan, prompter, &mut transcript, options) {
        Ok(Taken::Finished(report)) => {
            if args.json {
                let mut out = io::stdout().lock();
                serde_json::to_writer_pretty(&mut out, &report).context("writing the result")?;
                writeln!(out)?;
            }
            Ok(Exit::Success)
        }
        Ok(Taken::NotStarted) => Ok(Exit::Success),
        Err(stop) => stopped(stop, Some((bank, &look)), &mut transcript),
    }
}

/// Says why the quiz ended early, shows the support text again, and picks the exit status.
fn stopped(stop: Stop, bank: Option<(&Bank, &Look)>, out: &mut dyn Write) -> Result<Exit> {
    let exit = match stop {
        Stop::Cancelled => {
            writeln!(out, "\nQuiz stopped; no score recorded.")?;
            Exit::Stopped
        }
        Stop::InputEnded => {
            eprintln!("\nsgquiz: input ended before the quiz finished; nothing was scored.");
            Exit::InputEnded
        }
        Stop::Io(e) => return Err(e).context("reading the answer"),
    };
    if let Some((bank, look)) = bank {
        write!(out, "\n{}", transcript::support(bank, look))?;
    }
    out.flush()?;
    Ok(exit)
}
