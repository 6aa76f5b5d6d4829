//! Taking a quiz: `sgquiz run`, the menu, and the one run path they share with the kiosk and
//! resuming. The options of a run are built once (`RunOptions`); a recorded run keeps its record
//! as it goes and never loses a finished attempt.

use std::io::{self, Write};

use anyhow::{Context, Result, bail};

use super::terminal::Terminal;
use super::{Exit, messages, setting};
use crate::bank::setting::Setting;
use crate::bank::{Bank, catalog};
use crate::cli::{Cli, RunArgs};
use crate::engine::attempt::Resume;
use crate::engine::observer::{Observer, Unobserved};
use crate::engine::plan::{Plan, Settings};
use crate::engine::prompter::{Prompter, Stop};
use crate::engine::rng::Rng;
use crate::front::take::{TakeOptions, Taken, take_observed};
use crate::front::transcript::{self, Look};
use crate::records::record::{self, Record, clean_name};
use crate::records::recorder::Recorder;
use crate::records::session::{Session, show_code};
use crate::records::store::{self, Location, Store};

/// The options of one run, built once: from the command line for `sgquiz run`, as the defaults
/// for the menu, and from the session for the kiosk. A resumed run takes its settings from the
/// record instead.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The seed to plan with; a fresh one when not given.
    pub seed: Option<u64>,
    pub settings: Settings,
    /// Carry on with the trainee's unfinished attempt.
    pub resume: bool,
    /// Print the result as JSON on standard output.
    pub json: bool,
}

impl RunOptions {
    pub fn of(args: &RunArgs) -> RunOptions {
        RunOptions {
            seed: args.seed,
            settings: Settings {
                shuffle: args.shuffle_override(),
                count: args.count,
                topics: args.topics.clone(),
                review_at_end: args.review_at_end,
            },
            resume: args.resume,
            json: args.json,
        }
    }
}

/// A quiz as a record knows it: the bank, a hash of its text, and the session it is taken in.
pub struct Quiz {
    pub bank: Bank,
    pub hash: String,
    pub session: Option<String>,
    /// The session asks for every answer to be reviewed at the end.
    pub review_at_end: bool,
    /// What `sgquiz run` was given to name the quiz, for the hint on resuming.
    pub named_as: String,
}

impl Quiz {
    /// The session's quiz, with the setting applied (see `setting::applied`).
    pub fn of_session(session: &Session, setting: Option<&Setting>) -> Result<Quiz> {
        Ok(Quiz {
            bank: setting::applied(&session.bank()?, setting)?,
            hash: session.bank_hash.clone(),
            session: Some(session.code.clone()),
            review_at_end: session.review_at_end,
            named_as: format!("--session {}", show_code(&session.code)),
        })
    }
}

/// A run that is recorded: the quiz, the trainee and the store that keeps the attempt.
pub struct Recording<'a> {
    pub quiz: &'a Quiz,
    pub name: &'a str,
    pub store: &'a mut dyn Store,
}

/// `sgquiz run`.
pub fn run(cli: &Cli, term: &Terminal, args: &RunArgs) -> Result<Exit> {
    let options = RunOptions::of(args);
    let color = term.transcript_color(options.json);
    let look = term.look(color);
    let name = args
        .name
        .as_deref()
        .map(clean_name)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let setting = setting::chosen(cli)?;
    let (quiz, mut store) = match (&args.session, &args.quiz) {
        (Some(code), _) => {
            let mut store = Location::choose(cli.store.as_deref())?.open_existing()?;
            let session = super::session::open_session(store.as_mut(), code)?;
            (Quiz::of_session(&session, setting.as_ref())?, store)
        }
        (None, Some(quiz)) => {
            let source = catalog::find_source(quiz)?;
            let bank = setting::applied(&source.load()?, setting.as_ref())?;
            if name.is_none() && !args.record && !options.resume {
                let mut prompter = term.prompter(color);
                return take_quiz(term, &bank, &options, prompter.as_mut(), look, None);
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
    let mut prompter = term.prompter(color);
    let name = match name {
        Some(name) => name,
        None => match ask_name(
            prompter.as_mut(),
            term.transcript(options.json).as_mut(),
            term.typed(),
        )? {
            Ok(name) => name,
            Err(stop) => return stopped(stop, &mut io::stderr()),
        },
    };
    let recording = Recording {
        quiz: &quiz,
        name: &name,
        store: store.as_mut(),
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

/// `sgquiz` with no command: pick a bundled quiz from a menu and take it, unrecorded.
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
    let options = RunOptions::default();
    let look = term.look(term.transcript_color(options.json));
    let bank = setting::applied(&banks[picked], setting.as_ref())?;
    take_quiz(term, &bank, &options, prompter.as_mut(), look, None)
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

/// The one run path: plans (or, resuming, re-plans) the quiz, takes it, and says how it ended.
/// A recorded run is saved as it goes, and a finished attempt the store will not take is kept
/// in a file of its own.
pub fn take_quiz(
    term: &Terminal,
    bank: &Bank,
    options: &RunOptions,
    prompter: &mut dyn Prompter,
    look: Look,
    recording: Option<Recording>,
) -> Result<Exit> {
    let mut resume = Resume::default();
    let mut settings = options.settings.clone();
    let (plan, mut recorder, named_as, name) = match recording {
        None => {
            let seed = options.seed.unwrap_or_else(Rng::fresh_seed);
            (plan_for(bank, seed, &settings)?, None, None, None)
        }
        Some(Recording { quiz, name, store }) => {
            let (record, plan) = if options.resume {
                let (record, plan, earlier) = resumed(quiz, name, store)?;
                resume = earlier;
                (record, plan)
            } else {
                settings.review_at_end |= quiz.review_at_end;
                let seed = options.seed.unwrap_or_else(Rng::fresh_seed);
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
                (record, plan)
            };
            settings = record.settings.clone();
            let recorder = Recorder::new(store, record);
            (plan, Some(recorder), Some(&quiz.named_as), Some(name))
        }
    };
    let take_options = TakeOptions {
        review_at_end: settings.review_at_end,
        look,
    };
    let mut transcript = term.transcript(options.json);
    let observer: &mut dyn Observer = match &mut recorder {
        Some(recorder) => recorder,
        None => &mut Unobserved,
    };
    let taken = take_observed(
        bank,
        plan,
        prompter,
        &mut transcript,
        take_options,
        resume,
        observer,
    );
    match taken {
        Ok(Taken::Finished(result)) => {
            if options.json {
                let mut out = io::stdout().lock();
                serde_json::to_writer_pretty(&mut out, &result).context("writing the result")?;
                writeln!(out)?;
            }
            let Some(recorder) = &mut recorder else {
                write!(transcript, "{}", transcript::not_recorded())?;
                transcript.flush()?;
                return Ok(Exit::Success);
            };
            match recorder.finish(&result) {
                Ok(()) => {
                    write!(transcript, "{}", transcript::recorded())?;
                    Ok(Exit::Success)
                }
                Err(e) => keep_unsaved(recorder.record(), &bank.quiz.id, e),
            }
        }
        Ok(Taken::NotStarted) => Ok(Exit::Success),
        Err(stop) => {
            let mut note = None;
            if let (Some(recorder), Some(named_as), Some(name)) = (&recorder, named_as, name) {
                if let Some(e) = &recorder.error {
                    messages::warning(format_args!(
                        "your answers so far could not be saved: {e:#}"
                    ));
                }
                let answered = recorder.record().questions.len();
                note = (recorder.saved() && recorder.error.is_none() && answered > 0)
                    .then(|| transcript::how_to_resume(answered, named_as, &shell_quote(name)));
            }
            let exit = stopped(stop, &mut transcript)?;
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
    messages::line("");
    messages::error(format_args!(
        "the result of {quiz} could not be saved to the results store: {error:#}"
    ));
    match store::write_fallback(record) {
        Ok(path) => messages::line(format_args!(
            "Nothing is lost: the whole result was written to {} instead. Please keep that file \
             and give it to whoever looks after your training records.",
            path.display()
        )),
        Err(e) => {
            messages::line(format_args!(
                "It could not be written to a file either ({e:#}). Here it is, so that it is not \
                 lost; please copy it and give it to whoever looks after your training records:"
            ));
            messages::line(serde_json::to_string_pretty(record)?);
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
    Ok(Plan::new(bank, &settings.plan_options(seed))?)
}

/// A name as it would be typed in a shell command.
pub(super) fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Says why the quiz (or the question before it) ended early, and picks the exit status.
pub fn stopped(stop: Stop, out: &mut dyn Write) -> Result<Exit> {
    let exit = match stop {
        Stop::Cancelled => {
            write!(out, "{}", transcript::stopped())?;
            Exit::Stopped
        }
        Stop::InputEnded => {
            messages::line("");
            messages::status("input ended before the quiz finished; nothing was scored.");
            Exit::InputEnded
        }
        Stop::Io(e) => return Err(e).context("reading the answer"),
    };
    out.flush()?;
    Ok(exit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::prompter::Scripted;

    #[test]
    fn a_name_is_asked_for_again_until_it_will_do() {
        let long = "x".repeat(201);
        let mut prompter = Scripted::new([]).with_names(["  ", long.as_str(), " Sam   Patel "]);
        let mut out = Vec::new();
        let name = ask_name(&mut prompter, &mut out, true).unwrap();
        assert_eq!(name.unwrap(), "Sam Patel");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Sorry, the trainee's name is empty. Please try again.\n\
             Sorry, the trainee's name is longer than 200 characters. Please try again.\n"
        );
        let stop = ask_name(&mut prompter, &mut Vec::new(), true).unwrap();
        assert!(matches!(stop, Err(Stop::InputEnded)));
    }

    #[test]
    fn a_name_read_from_a_file_is_not_asked_for_again() {
        let mut prompter = Scripted::new([]).with_names(["\u{200b}", "Sam Patel"]);
        let mut out = Vec::new();
        let refused = ask_name(&mut prompter, &mut out, false).unwrap_err();
        assert!(refused.to_string().contains("name is empty"), "{refused}");
        assert!(out.is_empty());
    }

    #[test]
    fn options_are_built_once_from_the_command_line() {
        use clap::Parser;
        let cli = Cli::try_parse_from([
            "sgquiz",
            "run",
            "q",
            "--seed",
            "9",
            "--no-shuffle",
            "--count",
            "3",
            "--topic",
            "a",
            "--review-at-end",
            "--json",
            "--resume",
        ])
        .unwrap();
        let Some(crate::cli::Command::Run(args)) = cli.command else {
            panic!("run")
        };
        let options = RunOptions::of(&args);
        assert_eq!(options.seed, Some(9));
        assert!(options.resume && options.json);
        assert_eq!(
            options.settings,
            Settings {
                shuffle: Some(false),
                count: Some(3),
                topics: vec!["a".to_string()],
                review_at_end: true,
            }
        );
    }

    #[test]
    fn names_are_quoted_for_the_shell_only_when_they_need_it() {
        assert_eq!(shell_quote("words-matter"), "words-matter");
        assert_eq!(shell_quote("Sam Patel"), "'Sam Patel'");
        assert_eq!(shell_quote("O'Neil"), "'O'\\''Neil'");
        assert_eq!(shell_quote(""), "''");
    }
}
