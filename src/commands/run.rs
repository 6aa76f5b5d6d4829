//! Taking a quiz: `sgquiz run`, the menu, and the one run path they share with the kiosk and
//! resuming. The options of a run are built once (`RunOptions`); a recorded run keeps its record
//! as it goes and never loses a finished attempt.

use std::io::{self, Write};

use anyhow::{Context, Result, bail};
use serde::Serialize;

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
use crate::records::record::{self, HOLD_MINUTES, Hold, Record, clean_name};
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
    /// Carry on with it even if another sitting holds it.
    pub take_over: bool,
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
            take_over: args.take_over,
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
    /// On a kiosk, where the trainee carries on by giving their name again, not by a command.
    pub kiosk: bool,
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
        named_as: shell_quote(&bank.quiz.id),
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

/// The one run path: plans (or, resuming, re-plans) the quiz, takes it, and says how it ended.
/// A recorded run is saved as it goes, and a finished attempt the store will not take is kept
/// in a file of its own. With `--json`, standard output gets one JSON document however the
/// quiz ends.
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
    let mut transcript = term.transcript(options.json);
    let (plan, mut recorder, hint) = match recording {
        None => {
            let seed = options.seed.unwrap_or_else(Rng::fresh_seed);
            (plan_for(bank, seed, &settings)?, None, None)
        }
        Some(Recording {
            quiz,
            name,
            store,
            kiosk,
        }) => {
            let carried = match carry_on(quiz, name, store, options, prompter, &mut transcript)? {
                Ok(carried) => carried,
                Err(stop) => return stopped(stop, &mut transcript),
            };
            let (recorder, plan) = match carried {
                Some(Carried {
                    record,
                    plan,
                    resume: earlier,
                }) => {
                    resume = earlier;
                    settings = record.settings.clone();
                    (Recorder::resuming(store, record), plan)
                }
                None => {
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
                            settings: settings.clone(),
                        },
                        &plan,
                    );
                    (Recorder::new(store, record), plan)
                }
            };
            let hint = if kiosk {
                None
            } else {
                Some((quiz.named_as.clone(), shell_quote(name)))
            };
            (plan, Some(recorder), Some(hint))
        }
    };
    let total = plan.asked.len();
    let take_options = TakeOptions {
        review_at_end: settings.review_at_end,
        look,
    };
    let mut counted = Counting {
        inner: match &mut recorder {
            Some(recorder) => recorder,
            None => &mut Unobserved,
        },
        answered: 0,
    };
    let taken = take_observed(
        bank,
        plan,
        prompter,
        &mut transcript,
        take_options,
        resume,
        &mut counted,
    );
    let answered = counted.answered;
    let summary = |status| Unfinished {
        status,
        quiz: &bank.quiz.id,
        title: &bank.quiz.title,
        answered,
        questions: total,
    };
    match taken {
        Ok(Taken::Finished(result)) => {
            // The record was saved before the result was shown (`Observer::finished`); only
            // then is anything else printed.
            let mut exit = Exit::Success;
            let mut recorded = false;
            if let Some(recorder) = &mut recorder {
                match recorder.finish(&result) {
                    Ok(()) => recorded = true,
                    Err(e) => match &recorder.refused {
                        Some(refusal) => {
                            messages::error(refusal);
                            exit = Exit::Failure;
                        }
                        None => exit = keep_unsaved(recorder.record(), &bank.quiz.id, e)?,
                    },
                }
            }
            if options.json {
                print_json(&Completed {
                    status: "completed",
                    answered,
                    report: &result,
                });
            }
            if recorded {
                write!(transcript, "{}", transcript::recorded())?;
            } else if recorder.is_none() {
                write!(transcript, "{}", transcript::not_recorded())?;
            }
            transcript.flush()?;
            Ok(exit)
        }
        Ok(Taken::NotStarted) => {
            release(&mut recorder);
            if options.json {
                print_json(&summary("not-started"));
            }
            Ok(Exit::Success)
        }
        Ok(Taken::Halted { .. }) => {
            if let Some(refusal) = recorder.as_ref().and_then(|r| r.refused.as_ref()) {
                messages::line("");
                messages::error(refusal);
            }
            if options.json {
                print_json(&summary("stopped"));
            }
            Ok(Exit::Failure)
        }
        Err(stop) => {
            let mut note = None;
            if let (Some(recorder), Some(hint)) = (&mut recorder, hint) {
                if let Some(e) = &recorder.error {
                    messages::warning(format_args!(
                        "your answers so far could not be saved: {e:#}"
                    ));
                }
                let answered = recorder.record().questions.len();
                note = (recorder.saved() && recorder.error.is_none() && answered > 0).then(|| {
                    match &hint {
                        Some((quiz, name)) => transcript::how_to_resume(answered, quiz, name),
                        None => transcript::how_to_resume_at_kiosk(answered),
                    }
                });
            }
            release(&mut recorder);
            let status = match &stop {
                Stop::Cancelled => Some("stopped"),
                Stop::InputEnded => Some("input-ended"),
                Stop::Io(_) => None,
            };
            let exit = stopped(stop, &mut transcript)?;
            if let Some(note) = note {
                write!(transcript, "{note}")?;
            }
            write!(transcript, "\n{}", transcript::support(bank, &look))?;
            transcript.flush()?;
            if let (true, Some(status)) = (options.json, status) {
                print_json(&summary(status));
            }
            Ok(exit)
        }
    }
}

/// Counts the answers given (earlier sittings' too), passing everything on.
struct Counting<'a> {
    inner: &'a mut dyn Observer,
    answered: usize,
}

impl Observer for Counting<'_> {
    fn started(&mut self, attempt: &crate::engine::attempt::Attempt) {
        self.answered = attempt.marks().len();
        self.inner.started(attempt);
    }

    fn answered(
        &mut self,
        attempt: &crate::engine::attempt::Attempt,
        answer: &crate::engine::marking::Answer,
        elapsed: std::time::Duration,
    ) {
        self.answered = attempt.marks().len();
        self.inner.answered(attempt, answer, elapsed);
    }

    fn finished(&mut self, report: &crate::engine::attempt::Scorecard) {
        self.inner.finished(report);
    }

    fn halted(&self) -> bool {
        self.inner.halted()
    }
}

/// The `--json` document of a finished quiz: its status, then the result.
#[derive(Serialize)]
struct Completed<'a> {
    status: &'static str,
    answered: usize,
    #[serde(flatten)]
    report: &'a crate::engine::attempt::Scorecard,
}

/// The `--json` document of a quiz that did not finish.
#[derive(Serialize)]
struct Unfinished<'a> {
    /// `stopped`, `input-ended` or `not-started`.
    status: &'static str,
    quiz: &'a str,
    title: &'a str,
    answered: usize,
    questions: usize,
}

/// Prints the one JSON document of a run on standard output. Standard output failing (a full
/// disk, a closed pipe) is a warning: the result is already kept.
fn print_json(doc: &impl Serialize) {
    let written = (|| -> Result<()> {
        let mut out = io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, doc)?;
        writeln!(out)?;
        out.flush()?;
        Ok(())
    })();
    if let Err(e) = written {
        messages::warning(format_args!(
            "the JSON result could not be written to standard output: {e:#}"
        ));
    }
}

/// The sitting ends unfinished: lets go of its attempt, so that it can be carried on at once.
fn release(recorder: &mut Option<Recorder>) {
    if let Some(recorder) = recorder
        && let Err(e) = recorder.release()
    {
        messages::warning(format_args!(
            "the attempt could not be let go of ({e:#}); carrying it on elsewhere may need \
             --take-over for the next {HOLD_MINUTES} minutes"
        ));
    }
}

/// An unfinished attempt being carried on: its record (held by this sitting), the same plan,
/// and the answers so far.
struct Carried {
    record: Record,
    plan: Plan,
    resume: Resume,
}

/// The trainee's unfinished attempt to carry on, held by this sitting, with the same plan and
/// the answers so far: with `--resume`, or when one is found and the trainee chooses to. `None`
/// to start a new attempt. The inner error is the trainee stopping at the question.
fn carry_on(
    quiz: &Quiz,
    name: &str,
    store: &mut dyn Store,
    options: &RunOptions,
    prompter: &mut dyn Prompter,
    out: &mut dyn Write,
) -> Result<Result<Option<Carried>, Stop>> {
    let bank = &quiz.bank;
    let found = store.incomplete(&bank.quiz.id, name, quiz.session.as_deref())?;
    if options.resume {
        let Some(found) = found else {
            bail!(
                "there is no unfinished attempt of {}{} by {name} to carry on with; run it \
                 without --resume to start afresh",
                bank.quiz.id,
                in_session(quiz)
            );
        };
        plan_again(quiz, name, &found)?;
        let record = store.claim(&found.id, &Hold::new(), options.take_over)?;
        let (plan, resume) = plan_again(quiz, name, &record)?;
        return Ok(Ok(Some(Carried {
            record,
            plan,
            resume,
        })));
    }
    let Some(found) = found.filter(|r| !r.questions.is_empty()) else {
        return Ok(Ok(None));
    };
    if !options.take_over
        && found
            .held
            .as_ref()
            .is_some_and(|h| !h.lapsed(jiff::Timestamp::now()))
    {
        // Open in another sitting right now: that one carries on; this is a new attempt.
        write!(out, "{}", transcript::held_elsewhere(next_question(&found)))?;
        return Ok(Ok(None));
    }
    if plan_again(quiz, name, &found).is_err() {
        // The bank has changed since: that attempt cannot be carried on.
        return Ok(Ok(None));
    }
    let next = next_question(&found);
    let question =
        transcript::carry_on_question(&bank.quiz.title, &super::day(&found.started), next);
    let choices = transcript::carry_on_choices(next);
    let carry = match prompter.choose(&question, &choices, out) {
        Ok(choice) => choice == 0,
        Err(stop) => return Ok(Err(stop)),
    };
    let hold = Hold::new();
    if carry {
        let record = store.claim(&found.id, &hold, options.take_over)?;
        let (plan, resume) = plan_again(quiz, name, &record)?;
        return Ok(Ok(Some(Carried {
            record,
            plan,
            resume,
        })));
    }
    // Starting again: the unfinished attempt goes, unless another sitting holds it.
    if store.claim(&found.id, &hold, options.take_over).is_ok() {
        store.discard(&found.id, &hold.sitting)?;
    }
    Ok(Ok(None))
}

/// The number of the question an unfinished attempt would carry on from.
fn next_question(record: &Record) -> usize {
    record.questions.len() + 1
}

/// " in session CODE", or nothing.
fn in_session(quiz: &Quiz) -> String {
    quiz.session.as_deref().map_or(String::new(), |code| {
        format!(" in session {}", show_code(code))
    })
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

/// For the browser (`session serve`): the trainee's unfinished attempt of the session, claimed
/// for a new sitting, with the same plan and the answers so far; `None` to start afresh (no
/// such attempt, or one whose bank has changed since). A trainee who rejoins in the browser
/// means to carry on, so the attempt is taken over even from a sitting that still holds it (the
/// server that was stopped, or another device).
pub(super) fn carried_on_in_browser(
    quiz: &Quiz,
    name: &str,
    store: &mut dyn Store,
) -> Result<Option<(Record, Plan, Resume)>> {
    let found = store.incomplete(&quiz.bank.quiz.id, name, quiz.session.as_deref())?;
    let Some(found) = found.filter(|r| !r.questions.is_empty()) else {
        return Ok(None);
    };
    if plan_again(quiz, name, &found).is_err() {
        return Ok(None);
    }
    let record = store.claim(&found.id, &Hold::new(), true)?;
    let (plan, resume) = plan_again(quiz, name, &record)?;
    Ok(Some((record, plan, resume)))
}

/// The plan of an unfinished attempt, made again from its seed and settings, and its answers so
/// far; an error if the bank has changed since or the plan cannot be repeated.
fn plan_again(quiz: &Quiz, name: &str, record: &Record) -> Result<(Plan, Resume)> {
    let bank = &quiz.bank;
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
    Ok((plan, resume))
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
