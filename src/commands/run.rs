//! Taking a quiz: `sgquiz run`, the menu, and the one run path they share with the kiosk and
//! resuming. The options of a run are built once (`RunOptions`); a recorded run keeps its record
//! as it goes and never loses a finished attempt.

mod fallback;
mod menu;
mod options;
mod resume;
#[cfg(test)]
mod tests;

use std::io::{self, Write};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::terminal::Terminal;
use super::{Exit, messages, setting};
use crate::bank::{Bank, catalog};
use crate::cli::{Cli, RunArgs};
use crate::engine::attempt::Resume;
use crate::engine::observer::{Observer, Unobserved};
use crate::engine::prompter::{Prompter, Stop};
use crate::engine::rng::Rng;
use crate::front::take::{TakeOptions, Taken, take_observed};
use crate::front::transcript::{self, Look};
use crate::records::record::{self, HOLD_MINUTES, Record, clean_name};
use crate::records::recorder::Recorder;
use crate::records::store::Location;

use fallback::keep_unsaved;
pub use menu::{ask_name, menu};
pub use options::{Quiz, Recording, RunOptions};
pub(super) use resume::carried_on_in_browser;
use resume::{Carried, carry_on, plan_for};

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
    let mut quiz = quiz;
    quiz.named_as
        .push_str(&super::session::store_argument(cli)?);
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
    // On a kiosk the result stays on screen while the next person is called.
    let hand_over = recording.as_ref().is_some_and(|r| r.kiosk);
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
        hand_over,
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
