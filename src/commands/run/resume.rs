//! Carrying on an unfinished attempt: finding it, asking whether to carry on (or `--resume`),
//! claiming it for this sitting, and planning it again from its seed and settings, in the
//! terminal and for the browser.

use std::io::Write;

use anyhow::{Result, bail};

use super::{Quiz, RunOptions};
use crate::bank::Bank;
use crate::engine::attempt::Resume;
use crate::engine::plan::{Plan, Settings};
use crate::engine::prompter::{Prompter, Stop};
use crate::front::transcript;
use crate::records::record::{self, Hold, Record};
use crate::records::session::show_code;
use crate::records::store::Store;

/// An unfinished attempt being carried on: its record (held by this sitting), the same plan,
/// and the answers so far.
pub(super) struct Carried {
    pub(super) record: Record,
    pub(super) plan: Plan,
    pub(super) resume: Resume,
}

/// The trainee's unfinished attempt to carry on, held by this sitting, with the same plan and
/// the answers so far: with `--resume`, or when one is found and the trainee chooses to. `None`
/// to start a new attempt. The inner error is the trainee stopping at the question.
pub(super) fn carry_on(
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
        transcript::carry_on_question(&bank.quiz.title, &super::super::day(&found.started), next);
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

/// For the browser (`session serve`): the trainee's unfinished attempt of the session, claimed
/// for a new sitting, with the same plan and the answers so far; `None` to start afresh (no
/// such attempt, or one whose bank has changed since). A trainee who rejoins in the browser
/// means to carry on, so the attempt is taken over even from a sitting that still holds it (the
/// server that was stopped, or another device).
pub(in crate::commands) fn carried_on_in_browser(
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

pub(super) fn plan_for(bank: &Bank, seed: u64, settings: &Settings) -> Result<Plan> {
    Ok(Plan::new(bank, &settings.plan_options(seed))?)
}
