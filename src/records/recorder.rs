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

#[cfg(test)]
mod tests {
    use std::path::Path;

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
        fn incomplete(&self, _: &str, _: &str) -> Result<Option<Record>> {
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
        fn location(&self) -> &Path {
            Path::new("memory")
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
