//! Keeps an attempt's record in step with the quiz: saved when the trainee starts, again after
//! every answer (so a stopped attempt is kept as incomplete and can be resumed), and finally with
//! the score. A save that fails never stops the quiz; the error is kept to be told at the end.

use std::time::Duration;

use anyhow::Result;

use crate::engine::attempt::{Attempt, Scorecard};
use crate::engine::marking::Answer;
use crate::engine::observer::Observer;
use crate::records::record::{Record, now};
use crate::records::store::Store;

pub struct Recorder<'s> {
    store: &'s mut dyn Store,
    record: Record,
    answers: Vec<Answer>,
    saved: bool,
    /// The first save that failed, to be told when the quiz ends.
    pub error: Option<anyhow::Error>,
}

impl<'s> Recorder<'s> {
    /// `record` is new, or the incomplete record being resumed; `answers` are its answers so far.
    pub fn new(store: &'s mut dyn Store, record: Record) -> Self {
        let answers = record.answers();
        Recorder {
            store,
            record,
            answers,
            saved: false,
            error: None,
        }
    }

    /// Whether anything of this attempt is in the store.
    pub fn saved(&self) -> bool {
        self.saved
    }

    pub fn record(&self) -> &Record {
        &self.record
    }

    fn save(&mut self) {
        match self.store.save(&self.record) {
            Ok(()) => self.saved = true,
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(e);
                }
            }
        }
    }

    /// Records the finished attempt with its score. On failure the record, complete, is still
    /// here (`record`) to be kept some other way.
    pub fn finish(&mut self, report: &Scorecard) -> Result<()> {
        self.record.update(report, &self.answers, Some(now()));
        self.store.save(&self.record)
    }
}

impl Observer for Recorder<'_> {
    fn started(&mut self, _attempt: &Attempt) {
        self.save();
    }

    fn answered(&mut self, attempt: &Attempt, answer: &Answer, elapsed: Duration) {
        self.answers.push(answer.clone());
        let report = attempt.scorecard(Duration::from_secs(elapsed.as_secs()));
        self.record.update(&report, &self.answers, None);
        self.save();
    }
}
