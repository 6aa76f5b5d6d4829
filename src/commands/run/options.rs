//! What a run is given: its options (`RunOptions`, built once), the quiz as a record knows it
//! (`Quiz`), and the trainee and store of a recorded run (`Recording`).

use anyhow::Result;

use super::super::setting;
use crate::bank::Bank;
use crate::bank::setting::Setting;
use crate::cli::RunArgs;
use crate::engine::plan::Settings;
use crate::records::session::{Session, show_code};
use crate::records::store::Store;

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
    /// What `sgquiz run` was given to name the quiz (and its store, when one was named), for
    /// the hint on resuming.
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
