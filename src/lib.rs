//! sgquiz: safeguarding training quizzes for the terminal.
//!
//! `run` is the whole program behind a parsed command line; `main.rs` only turns its result into
//! an exit status. The engine (bank, plan, marking, attempt) knows nothing of terminals; the front
//! ends (interactive, plain) and the transcript are the edges. ARCHITECTURE.md has the map.

pub mod attempt;
pub mod bank;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod gift;
pub mod handout;
pub mod interactive;
pub mod load;
pub mod marking;
pub mod plain;
pub mod plan;
pub mod prompter;
pub mod rng;
pub mod schema;
pub mod style;
pub mod take;
pub mod text;
pub mod transcript;

use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::bank::Bank;
use crate::cli::{CheckFormat, Cli, ColorChoice, Command, ExportFormat, RunArgs};
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
    /// The command found problems it reports itself (such as `check` finding errors).
    Failure = 1,
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
        Some(Command::Check {
            paths,
            deny_warnings,
            format,
        }) => check(paths, *deny_warnings, *format),
        Some(Command::New { file }) => new_bank(file),
        Some(Command::Schema) => {
            let mut out = io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &schema::schema())?;
            writeln!(out)?;
            Ok(Exit::Success)
        }
        Some(Command::Export {
            quiz,
            format,
            no_answers,
            output,
            ..
        }) => export(quiz, *format, !*no_answers, output.as_deref()),
        Some(Command::Import { file, output }) => import(file, output),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "sgquiz", &mut io::stdout());
            Ok(Exit::Success)
        }
        Some(Command::Man) => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut io::stdout())?;
            Ok(Exit::Success)
        }
        None => menu(&cli),
    }
}

fn export(
    quiz: &str,
    format: ExportFormat,
    with_answers: bool,
    output: Option<&std::path::Path>,
) -> Result<Exit> {
    let source = catalog::locate(quiz)?;
    let bank = load::load_str(&source.file, &source.text)?;
    let text = match format {
        ExportFormat::Gift => {
            let (text, notes) = gift::export(&bank);
            for gift::Note(note) in notes {
                eprintln!("sgquiz: warning: {note}");
            }
            text
        }
        ExportFormat::Markdown => handout::markdown(&bank, with_answers),
        ExportFormat::Json => {
            // Key for key as written: the file's own TOML, not the bank with defaults filled in.
            let table: toml::Table =
                toml::from_str(&source.text).with_context(|| format!("reading {}", source.file))?;
            serde_json::to_string_pretty(&table)? + "\n"
        }
    };
    match output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(Exit::Success)
}

fn import(file: &std::path::Path, output: &std::path::Path) -> Result<Exit> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let imported = gift::import(&text);
    if imported.questions.is_empty() {
        for gift::Note(note) in &imported.notes {
            eprintln!("sgquiz: note: {note}");
        }
        anyhow::bail!("{} has no questions that a bank can hold", file.display());
    }
    let stem = output
        .file_stem()
        .map(|s| load::to_kebab(&s.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "imported".to_string());
    let id = imported.id.clone().unwrap_or(stem);
    let title = imported
        .title
        .clone()
        .unwrap_or_else(|| id.replace('-', " "));
    let bank_text = gift::to_toml(&id, &title, &imported.questions);
    write_new(output, &bank_text)?;
    for gift::Note(note) in &imported.notes {
        eprintln!("sgquiz: note: {note}");
    }
    let checked = load::check_source(&bank_text);
    println!(
        "Wrote {} with {} question{}. {} error{}, {} warning{}: run `sgquiz check {}` for details.",
        output.display(),
        imported.questions.len(),
        if imported.questions.len() == 1 {
            ""
        } else {
            "s"
        },
        checked.errors(),
        if checked.errors() == 1 { "" } else { "s" },
        checked.warnings(),
        if checked.warnings() == 1 { "" } else { "s" },
        output.display()
    );
    Ok(if checked.errors() == 0 {
        Exit::Success
    } else {
        Exit::Failure
    })
}

/// Writes a new file, refusing to replace one that exists: a trainer's work is never overwritten.
fn write_new(path: &std::path::Path, text: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| match path.exists() {
            true => format!(
                "{} already exists; choose another name, or move it first",
                path.display()
            ),
            false => format!("cannot create {}", path.display()),
        })?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// The bank `sgquiz new` writes.
pub const STARTER_BANK: &str = include_str!("starter.toml");

fn new_bank(file: &std::path::Path) -> Result<Exit> {
    let id = file
        .file_stem()
        .map(|s| load::to_kebab(&s.to_string_lossy()))
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| "my-first-bank".to_string());
    let text = STARTER_BANK.replacen("id = \"my-first-bank\"", &format!("id = \"{id}\""), 1);
    write_new(file, &text)?;
    println!(
        "Wrote {}: a starter bank with one example of every question type.\nEdit it, then check it with: sgquiz check {}",
        file.display(),
        file.display()
    );
    Ok(Exit::Success)
}

fn check(paths: &[std::path::PathBuf], deny_warnings: bool, format: CheckFormat) -> Result<Exit> {
    let run = check::check_paths(paths);
    let mut out = io::stdout().lock();
    match format {
        CheckFormat::Text => write!(out, "{}", run.render())?,
        CheckFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &run.problems())?;
            writeln!(out)?;
            eprintln!("{}", run.summary());
        }
    }
    Ok(if run.passed(deny_warnings) {
        Exit::Success
    } else {
        Exit::Failure
    })
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
