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

use crate::engine::attempt::{Attempt, Scorecard};
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
    pub fn finish(&mut self, report: &Scorecard) -> Result<()> {
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
            let (Some(report), Some(answer)) = (attempt.scored_question(i), self.answers.get(i))
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

    fn finished(&mut self, report: &Scorecard) {
        // Saved before the result is shown: showing it can fail (a closed pipe), keeping it
        // must not depend on that.
        let _ = self.finish(report);
    }

    fn halted(&self) -> bool {
        self.refused.is_some()
    }
}

#[cfg(test)]
mod tests {

    use anyhow::bail;

    use super::*;
    use crate::bank::Bank;
    use crate::bank::load::validate_source;
    use crate::engine::plan::{Plan, Settings};
    use crate::records::record::Start;
    use crate::records::session::Session;
    use crate::records::store::Filter;

    /// Keeps every save in memory; refuses saves once `broken`.
    #[derive(Default)]
    struct Memory {
        saves: Vec<Record>,
        broken: bool,
    }

    impl Store for Memory {
        fn save(&mut self, record: &Record) -> Result<()> {
            if self.broken {
                bail!("the disk is full");
            }
            self.saves.push(record.clone());
            Ok(())
        }
        fn save_answer(&mut self, record: &Record, _: &str) -> Result<()> {
            self.save(record)
        }
        fn finish(&mut self, record: &Record, _: &str) -> Result<()> {
            self.save(record)
        }
        fn release(&mut self, _: &str, _: &str) -> Result<()> {
            Ok(())
        }
        fn claim(&mut self, _: &str, _: &Hold, _: bool) -> Result<Record> {
            bail!("nothing to claim")
        }
        fn discard(&mut self, _: &str, _: &str) -> Result<()> {
            Ok(())
        }
        fn import(&mut self, record: &Record) -> Result<crate::records::store::Imported> {
            self.save(record)?;
            Ok(crate::records::store::Imported::Added)
        }
        fn incomplete(&self, _: &str, _: &str, _: Option<&str>) -> Result<Option<Record>> {
            Ok(None)
        }
        fn records(&self, _: &Filter) -> Result<Vec<Record>> {
            Ok(self.saves.clone())
        }
        fn forget(&mut self, _: &str) -> Result<usize> {
            Ok(0)
        }
        fn add_session(&mut self, _: &Session) -> Result<()> {
            Ok(())
        }
        fn session(&self, _: &str) -> Result<Option<Session>> {
            Ok(None)
        }
        fn sessions(&self) -> Result<Vec<Session>> {
            Ok(Vec::new())
        }
        fn close_session(&mut self, _: &str, _: &str) -> Result<bool> {
            Ok(false)
        }
        fn location(&self) -> String {
            "memory".to_string()
        }

        fn kind(&self) -> &'static str {
            "memory"
        }

        fn schema_version(&self) -> Result<Option<crate::records::store::SchemaVersion>> {
            Ok(None)
        }
    }

    const BANK: &str = "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\nshuffle = false\n\
        [[question]]\nid = \"a\"\nprompt = \"P\"\nexplanation = \"E\"\n\
        type = \"true_false\"\nanswer = true\n\
        [[question]]\nid = \"b\"\nprompt = \"P\"\nexplanation = \"E\"\n\
        type = \"true_false\"\nanswer = true\n";

    fn start(bank: &Bank, plan: &Plan) -> Record {
        Record::start(
            Start {
                bank,
                bank_hash: "hash".to_string(),
                name: "Sam Patel".to_string(),
                session: None,
                seed: 7,
                settings: Settings::default(),
            },
            plan,
        )
    }

    fn setup() -> (Bank, Plan) {
        let bank = validate_source(BANK).unwrap();
        let plan = Plan::new(&bank, &Settings::default().plan_options(7)).unwrap();
        (bank, plan)
    }

    #[test]
    fn an_attempt_is_saved_at_the_start_after_each_answer_and_at_the_end() {
        let (bank, plan) = setup();
        let mut store = Memory::default();
        let record = start(&bank, &plan);
        let mut recorder = Recorder::new(&mut store, record);
        let mut attempt = Attempt::new(&bank, plan);
        recorder.started(&attempt);
        for answer in [Answer::Bool(true), Answer::Bool(false)] {
            attempt.answer(&answer);
            recorder.answered(&attempt, &answer, Duration::from_millis(2500));
        }
        assert!(recorder.saved() && recorder.error.is_none());
        recorder
            .finish(&attempt.scorecard(Duration::from_secs(3)))
            .unwrap();
        let saves = &store.saves;
        assert_eq!(saves.len(), 4);
        assert!(saves[..3].iter().all(|r| !r.is_complete()));
        assert_eq!(
            saves.iter().map(|r| r.questions.len()).collect::<Vec<_>>(),
            [0, 1, 2, 2]
        );
        assert_eq!(saves[2].duration_seconds, 2, "whole seconds");
        let last = &saves[3];
        assert!(last.is_complete());
        assert_eq!((last.score, last.passed), (Some(1.0), Some(false)));
        assert_eq!(last.answers(), [Answer::Bool(true), Answer::Bool(false)]);
    }

    #[test]
    fn a_store_that_fails_does_not_stop_the_quiz_and_the_record_is_kept() {
        let (bank, plan) = setup();
        let mut store = Memory {
            broken: true,
            ..Memory::default()
        };
        let record = start(&bank, &plan);
        let mut recorder = Recorder::new(&mut store, record);
        let mut attempt = Attempt::new(&bank, plan);
        recorder.started(&attempt);
        attempt.answer(&Answer::Bool(true));
        recorder.answered(&attempt, &Answer::Bool(true), Duration::ZERO);
        attempt.answer(&Answer::Bool(true));
        recorder.answered(&attempt, &Answer::Bool(true), Duration::ZERO);
        assert!(!recorder.saved());
        let error = recorder.error.as_ref().expect("the first failure is kept");
        assert_eq!(error.to_string(), "the disk is full");
        assert!(recorder.finish(&attempt.scorecard(Duration::ZERO)).is_err());
        let kept = recorder.record();
        assert!(kept.is_complete(), "the finished record is still here");
        assert_eq!(kept.score, Some(2.0));
    }

    #[test]
    fn a_resumed_record_keeps_its_earlier_answers() {
        let (bank, plan) = setup();
        let mut record = start(&bank, &plan);
        let mut attempt = Attempt::new(&bank, plan.clone());
        attempt.answer(&Answer::Bool(false));
        record.update(
            &attempt.scorecard(Duration::ZERO),
            &[Answer::Bool(false)],
            None,
        );
        let mut store = Memory::default();
        let mut recorder = Recorder::new(&mut store, record);
        attempt.answer(&Answer::Bool(true));
        recorder.answered(&attempt, &Answer::Bool(true), Duration::ZERO);
        assert_eq!(
            recorder.record().answers(),
            [Answer::Bool(false), Answer::Bool(true)]
        );
    }
}
