//! Keeps an attempt's record in step with the quiz: saved when the trainee starts, then one
//! small write after every answer (so a stopped attempt is kept as incomplete and can be
//! resumed), and finally, whole, with the score, before the result is shown.
//!
//! The recorder's sitting holds the attempt (see `record::Hold`). A save that fails for an
//! ordinary reason (a full disk, a busy store) never stops the quiz; the error is kept to be
//! told at the end, and a finished attempt is then kept some other way. A save the store
//! refuses because the attempt is no longer this sitting's (taken over, finished elsewhere,
//! erased) halts the quiz at once: carrying on would record nothing.

use std::time::Duration;

use anyhow::Result;

use crate::engine::attempt::{Attempt, Report};
use crate::engine::marking::Answer;
use crate::engine::observer::Observer;
use crate::records::record::{Hold, Record, RecordedQuestion, now};
use crate::records::store::{Refusal, Store};

pub struct Recorder<'s> {
    store: &'s mut dyn Store,
    record: Record,
    answers: Vec<Answer>,
    /// This sitting's id.
    sitting: String,
    /// Whether the store has the attempt (so that later saves are small ones).
    saved: bool,
    /// The first save that failed, to be told when the quiz ends.
    pub error: Option<anyhow::Error>,
    /// Why the store will take nothing more from this sitting, if it will not.
    pub refused: Option<Refusal>,
    /// The outcome of saving the finished attempt, once tried.
    finish: Option<Result<()>>,
}

impl<'s> Recorder<'s> {
    /// Records a new attempt, held by a new sitting.
    pub fn new(store: &'s mut dyn Store, mut record: Record) -> Self {
        let hold = Hold::new();
        let sitting = hold.sitting.clone();
        record.held = Some(hold);
        Self::with(store, record, sitting, false)
    }

    /// Carries on an attempt this sitting has just claimed (`Store::claim`); the record is as
    /// the store returned it, held by this sitting.
    pub fn resuming(store: &'s mut dyn Store, record: Record) -> Self {
        let sitting = match &record.held {
            Some(hold) => hold.sitting.clone(),
            None => String::new(),
        };
        Self::with(store, record, sitting, true)
    }

    fn with(store: &'s mut dyn Store, record: Record, sitting: String, saved: bool) -> Self {
        let answers = record.answers();
        Recorder {
            store,
            record,
            answers,
            sitting,
            saved,
            error: None,
            refused: None,
            finish: None,
        }
    }

    /// Whether anything of this attempt is in the store.
    pub fn saved(&self) -> bool {
        self.saved
    }

    pub fn record(&self) -> &Record {
        &self.record
    }

    fn keep(&mut self, result: Result<()>) {
        match result {
            Ok(()) => self.saved = true,
            Err(e) => match e.downcast_ref::<Refusal>() {
                Some(refusal) => self.refused = Some(refusal.clone()),
                None => {
                    if self.error.is_none() {
                        self.error = Some(e);
                    }
                }
            },
        }
    }

    /// Records the finished attempt with its score (once: a second call returns what the first
    /// did). On failure the record, complete, is still here (`record`) to be kept some other
    /// way, unless the store refused it (`refused`).
    pub fn finish(&mut self, report: &Report) -> Result<()> {
        if self.finish.is_none() {
            self.record.update(report, &self.answers, Some(now()));
            self.record.held = None;
            let result = if let Some(refusal) = &self.refused {
                Err(refusal.clone().into())
            } else if self.saved {
                self.store.finish(&self.record, &self.sitting)
            } else {
                self.store.save(&self.record)
            };
            if let Err(e) = &result
                && let Some(refusal) = e.downcast_ref::<Refusal>()
            {
                self.refused = Some(refusal.clone());
            }
            self.finish = Some(result);
        }
        match self.finish.as_ref().expect("just set") {
            Ok(()) => Ok(()),
            Err(e) => Err(anyhow::anyhow!("{e:#}")),
        }
    }

    /// The sitting ends without finishing: lets go of the attempt, so that it can be carried on
    /// at once elsewhere.
    pub fn release(&mut self) -> Result<()> {
        if self.saved && self.refused.is_none() && !self.record.is_complete() {
            self.store.release(&self.record.id, &self.sitting)?;
        }
        Ok(())
    }
}

impl Observer for Recorder<'_> {
    fn started(&mut self, attempt: &Attempt) {
        self.record.max_score = attempt.max_score();
        if !self.saved {
            let result = self.store.save(&self.record);
            self.keep(result);
        }
    }

    fn answered(&mut self, attempt: &Attempt, answer: &Answer, elapsed: Duration) {
        if self.refused.is_some() {
            return;
        }
        self.answers.push(answer.clone());
        let given = attempt.marks().len();
        // Only the new answer is added: the record (and its save) stays small per answer.
        while self.record.questions.len() < given {
            let i = self.record.questions.len();
            let (Some(report), Some(answer)) = (attempt.question_report(i), self.answers.get(i))
            else {
                break;
            };
            self.record
                .questions
                .push(RecordedQuestion::of(&report, answer));
        }
        self.record.duration_seconds = elapsed.as_secs();
        if let Some(hold) = &mut self.record.held {
            hold.saved = now();
        }
        let result = if self.saved {
            self.store.save_answer(&self.record, &self.sitting)
        } else {
            self.store.save(&self.record)
        };
        self.keep(result);
    }

    fn finished(&mut self, report: &Report) {
        // Saved before the result is shown: showing it can fail (a closed pipe), keeping it
        // must not depend on that.
        let _ = self.finish(report);
    }

    fn halted(&self) -> bool {
        self.refused.is_some()
    }
}
