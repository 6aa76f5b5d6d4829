//! The commands: `run` dispatches a parsed command line to one handler per command, and the
//! terminal policy (plain or not, colour, where the words go) is decided here once.
//!
//! May import: every other layer. Nothing imports `commands` but `main.rs`.

mod authoring;
mod school;

use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::bank::Bank;
use crate::bank::catalog;
use crate::cli::{Cli, ColorChoice, Command, RunArgs};
use crate::engine::attempt::Resume;
use crate::engine::plan::{Plan, PlanOptions};
use crate::engine::prompter::{Prompter, Stop};
use crate::engine::rng::Rng;
use crate::front::interactive::Interactive;
use crate::front::plain::Plain;
use crate::front::style::Style;
use crate::front::take::{TakeOptions, Taken, take, take_observed};
use crate::front::transcript;
use crate::front::transcript::Look;
use crate::records::record::{Record, Settings, clean_name};
use crate::records::recorder::Recorder;
use crate::records::session::{Session, show_code};
use crate::records::store::{Location, Store};
use crate::records::{record, store};

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

/// Width that interactive text is wrapped to.
const WRAP_WIDTH: usize = 78;

pub fn run(cli: Cli) -> Result<Exit> {
    match &cli.command {
        Some(Command::List { json }) => list(*json),
        Some(Command::Run(args)) => run_command(&cli, args),
        Some(Command::Check {
            paths,
            deny_warnings,
            format,
        }) => authoring::check(paths, *deny_warnings, *format),
        Some(Command::New { file }) => authoring::new_bank(file),
        Some(Command::Schema) => authoring::print_schema(),
        Some(Command::Export {
            quiz,
            format,
            no_answers,
            output,
            ..
        }) => authoring::export(quiz, *format, !*no_answers, output.as_deref()),
        Some(Command::Import { file, output }) => authoring::import(file, output),
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
        Some(Command::Session { action }) => school::session(&cli, action),
        Some(Command::Report(args)) => school::report(&cli, args),
        Some(Command::Forget { name, yes }) => school::forget(&cli, name, *yes),
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
pub(crate) fn plain_mode(cli: &Cli) -> bool {
    cli.plain || !io::stdin().is_terminal() || !io::stderr().is_terminal()
}

pub(crate) fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

pub(crate) fn prompter(cli: &Cli, color: bool) -> Box<dyn Prompter> {
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
            // Short enough to fit one line of a normal terminal: the audience said briefly.
            let audience = match b.quiz.audience.as_str() {
                "Designated safeguarding leads" => "for DSLs",
                "All staff" => "all staff",
                other => other,
            };
            format!(
                "{} · {} questions, {} min · {audience}",
                b.quiz.title,
                b.questions.len(),
                b.minutes(),
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
        quiz: Some(banks[picked].quiz.id.clone()),
        ..RunArgs::default()
    };
    let look = look(cli, color_for(cli, &args));
    run_with(cli, &banks[picked], &args, prompter.as_mut(), look)
}

fn color_for(cli: &Cli, args: &RunArgs) -> bool {
    let transcript_is_terminal = if transcript_on_stderr(cli, args) {
        io::stderr().is_terminal()
    } else {
        io::stdout().is_terminal()
    };
    use_color(cli.color, transcript_is_terminal)
}

/// The words of a quiz go to standard error when standard output carries the JSON result, or
/// when an interactive trainee would otherwise not see them (standard output sent to a file).
fn transcript_on_stderr(cli: &Cli, args: &RunArgs) -> bool {
    args.json || (!plain_mode(cli) && !io::stdout().is_terminal())
}

/// How the transcript looks: the plain mode is not wrapped, so that screen readers and braille
/// displays get whole sentences.
pub(crate) fn look(cli: &Cli, color: bool) -> Look {
    Look {
        style: Style::new(color),
        width: (!plain_mode(cli)).then_some(WRAP_WIDTH),
    }
}

/// A quiz as a record knows it: the bank, a hash of its text, and the session it is taken in.
pub(crate) struct Quiz {
    pub bank: Bank,
    pub hash: String,
    pub session: Option<String>,
    /// The session asks for every answer to be reviewed at the end.
    pub review_at_end: bool,
    /// What `sgquiz run` was given to name the quiz, for the hint on resuming.
    pub named_as: String,
}

impl Quiz {
    pub fn of_session(session: &Session) -> Result<Quiz> {
        Ok(Quiz {
            bank: session.bank()?,
            hash: session.bank_hash.clone(),
            session: Some(session.code.clone()),
            review_at_end: session.review_at_end,
            named_as: format!("--session {}", show_code(&session.code)),
        })
    }
}

fn run_command(cli: &Cli, args: &RunArgs) -> Result<Exit> {
    let color = color_for(cli, args);
    let look = look(cli, color);
    let name = args
        .name
        .as_deref()
        .map(clean_name)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let (quiz, mut store) = match (&args.session, &args.quiz) {
        (Some(code), _) => {
            let mut store = Location::choose(cli.store.as_deref())?.open_existing()?;
            let session = school::open_session(store.as_mut(), code)?;
            (Quiz::of_session(&session)?, store)
        }
        (None, Some(quiz)) => {
            let source = catalog::find_source(quiz)?;
            let bank = source.load()?;
            if name.is_none() && !args.record && !args.resume {
                let mut prompter = prompter(cli, color);
                return run_with(cli, &bank, args, prompter.as_mut(), look);
            }
            let store = Location::choose(cli.store.as_deref())?.open()?;
            let quiz = Quiz {
                bank,
                hash: source.hash(),
                session: None,
                review_at_end: false,
                named_as: shell_quote(quiz),
            };
            (quiz, store)
        }
        (None, None) => bail!("name a quiz to run, or a session with --session"),
    };
    let mut prompter = prompter(cli, color);
    let name = match name {
        Some(name) => name,
        None => match ask_name(prompter.as_mut(), transcript_stream(cli, args).as_mut())? {
            Ok(name) => name,
            Err(stop) => return stopped(stop, None, &mut io::stderr()),
        },
    };
    run_recorded(
        cli,
        &quiz,
        args,
        &name,
        prompter.as_mut(),
        look,
        store.as_mut(),
    )
}

/// Asks for the trainee's name until a usable one is given; the outer error is a failure to
/// ask, the inner one the trainee stopping.
pub(crate) fn ask_name(
    prompter: &mut dyn Prompter,
    out: &mut dyn Write,
) -> Result<Result<String, Stop>> {
    loop {
        match prompter.name("Your name, for the training record:", out) {
            Ok(typed) => match clean_name(&typed) {
                Ok(name) => return Ok(Ok(name)),
                Err(why) => writeln!(out, "Sorry, {why}. Please try again.")?,
            },
            Err(stop) => return Ok(Err(stop)),
        }
    }
}

/// Takes the quiz and keeps the record: saved as it goes, and never lost once finished.
pub(crate) fn run_recorded(
    cli: &Cli,
    quiz: &Quiz,
    args: &RunArgs,
    name: &str,
    prompter: &mut dyn Prompter,
    look: Look,
    store: &mut dyn Store,
) -> Result<Exit> {
    let bank = &quiz.bank;
    let (record, plan, resume) = if args.resume {
        resumed(quiz, name, store)?
    } else {
        let settings = Settings {
            shuffle: args.shuffle_override(),
            count: args.count,
            topics: args.topics.clone(),
            review_at_end: args.review_at_end || quiz.review_at_end,
        };
        let seed = args.seed.unwrap_or_else(Rng::fresh_seed);
        let plan = plan_for(bank, seed, &settings)?;
        let record = Record::start(
            record::Start {
                bank,
                bank_hash: quiz.hash.clone(),
                name: name.to_string(),
                session: quiz.session.clone(),
                seed,
                settings,
            },
            &plan,
        );
        (record, plan, Resume::default())
    };
    let options = TakeOptions {
        review_at_end: record.settings.review_at_end,
        look,
    };
    let mut transcript = transcript_stream(cli, args);
    let mut recorder = Recorder::new(store, record);
    let taken = take_observed(
        bank,
        plan,
        prompter,
        &mut transcript,
        options,
        resume,
        &mut recorder,
    );
    match taken {
        Ok(Taken::Finished(report)) => {
            if args.json {
                let mut out = io::stdout().lock();
                serde_json::to_writer_pretty(&mut out, &report).context("writing the result")?;
                writeln!(out)?;
            }
            match recorder.finish(&report) {
                Ok(()) => {
                    writeln!(transcript, "Your result has been recorded.")?;
                    Ok(Exit::Success)
                }
                Err(e) => keep_unsaved(recorder.record(), &bank.quiz.id, e),
            }
        }
        Ok(Taken::NotStarted) => Ok(Exit::Success),
        Err(stop) => {
            if let Some(e) = &recorder.error {
                eprintln!("sgquiz: warning: your answers so far could not be saved: {e:#}");
            }
            let answered = recorder.record().questions.len();
            let note = (recorder.saved() && recorder.error.is_none() && answered > 0).then(|| {
                format!(
                    "Your {answered} answer{} so far {} kept. To carry on later where you \
                     stopped:\n  sgquiz run {} --name {} --resume\n",
                    if answered == 1 { "" } else { "s" },
                    if answered == 1 { "is" } else { "are" },
                    quiz.named_as,
                    shell_quote(name)
                )
            });
            let exit = stopped(stop, None, &mut transcript)?;
            if let Some(note) = note {
                write!(transcript, "{note}")?;
            }
            write!(transcript, "\n{}", transcript::support(bank, &look))?;
            transcript.flush()?;
            Ok(exit)
        }
    }
}

/// The store would not take a finished attempt: keep it in a file of its own, say so, and fail.
fn keep_unsaved(record: &Record, quiz: &str, error: anyhow::Error) -> Result<Exit> {
    eprintln!(
        "\nsgquiz: error: the result of {quiz} could not be saved to the results store: {error:#}"
    );
    match store::write_fallback(record) {
        Ok(path) => eprintln!(
            "Nothing is lost: the whole result was written to {} instead. Please keep that file \
             and give it to whoever looks after your training records.",
            path.display()
        ),
        Err(e) => {
            eprintln!(
                "It could not be written to a file either ({e:#}). Here it is, so that it is not \
                 lost; please copy it and give it to whoever looks after your training records:"
            );
            eprintln!("{}", serde_json::to_string_pretty(record)?);
        }
    }
    Ok(Exit::Failure)
}

/// The trainee's unfinished attempt of the quiz, ready to carry on: its record, the same plan,
/// and its answers so far.
fn resumed(quiz: &Quiz, name: &str, store: &mut dyn Store) -> Result<(Record, Plan, Resume)> {
    let bank = &quiz.bank;
    let Some(record) = store.incomplete(&bank.quiz.id, name)? else {
        bail!(
            "there is no unfinished attempt of {} by {name} to carry on with; run it without \
             --resume to start afresh",
            bank.quiz.id
        );
    };
    if record.bank_hash != quiz.hash {
        bail!(
            "the quiz {} has been changed since {name} started it, so the attempt cannot carry \
             on where it stopped; run it without --resume to start afresh",
            bank.quiz.id
        );
    }
    let plan = plan_for(bank, record.seed, &record.settings)?;
    if record::order_of(bank, &plan) != record.order {
        bail!(
            "the unfinished attempt of {} by {name} asked its questions in an order this version \
             of sgquiz cannot repeat; run it without --resume to start afresh",
            bank.quiz.id
        );
    }
    let resume = Resume {
        answers: record.answers(),
        elapsed: record.duration(),
    };
    Ok((record, plan, resume))
}

fn plan_for(bank: &Bank, seed: u64, settings: &Settings) -> Result<Plan> {
    Ok(Plan::new(
        bank,
        &PlanOptions {
            seed,
            shuffle: settings.shuffle,
            count: settings.count,
            topics: settings.topics.clone(),
        },
    )?)
}

/// Where the words of a quiz go (see `transcript_on_stderr`).
fn transcript_stream(cli: &Cli, args: &RunArgs) -> Box<dyn Write> {
    if transcript_on_stderr(cli, args) {
        Box::new(io::stderr())
    } else {
        Box::new(io::stdout())
    }
}

/// A name as it would be typed in a shell command.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn run_with(
    cli: &Cli,
    bank: &Bank,
    args: &RunArgs,
    prompter: &mut dyn Prompter,
    look: Look,
) -> Result<Exit> {
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
    let mut transcript = transcript_stream(cli, args);
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
pub(crate) fn stopped(
    stop: Stop,
    bank: Option<(&Bank, &Look)>,
    out: &mut dyn Write,
) -> Result<Exit> {
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
