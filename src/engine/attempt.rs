//! One trainee's run through a plan: the marks so far, and the totals when it is done.
//!
//! The totals are derived from the marks whenever they are asked for, never kept alongside them,
//! so they cannot drift apart. `Scorecard` is the JSON document `--json` prints and records
//! will store.

use std::time::Duration;

use serde::Serialize;

use crate::bank::Bank;
use crate::engine::marking::{Answer, Mark, Outcome, mark};
use crate::engine::plan::Plan;

#[derive(Debug)]
pub struct Attempt<'a> {
    bank: &'a Bank,
    plan: Plan,
    marks: Vec<Mark>,
}

/// Points per topic, in the order topics were first asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicScore {
    pub topic: String,
    pub asked: usize,
    pub correct: usize,
    pub points: f64,
    pub max_points: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    pub quiz: String,
    pub title: String,
    pub seed: u64,
    pub score: f64,
    pub max_score: f64,
    pub percent: f64,
    pub pass_mark: f64,
    pub passed: bool,
    pub duration_seconds: u64,
    pub topics: Vec<TopicScore>,
    pub questions: Vec<ScoredQuestion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoredQuestion {
    pub id: String,
    pub topic: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub outcome: Outcome,
    pub points: f64,
    pub max_points: f64,
    pub response: serde_json::Value,
}

/// The earlier sitting of an attempt that is being resumed: its answers, in asked order, to the
/// same plan, and the time it took.
#[derive(Debug, Clone, Default)]
pub struct Resume {
    pub answers: Vec<Answer>,
    pub elapsed: Duration,
}

impl<'a> Attempt<'a> {
    pub fn new(bank: &'a Bank, plan: Plan) -> Self {
        Attempt {
            bank,
            plan,
            marks: Vec::new(),
        }
    }

    pub fn bank(&self) -> &'a Bank {
        self.bank
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// Marks the answer to the next unanswered question and keeps the mark.
    /// Returns `None` when every question has been answered.
    pub fn answer(&mut self, answer: &Answer) -> Option<&Mark> {
        let asked = self.plan.asked.get(self.marks.len())?;
        let question = &self.bank.questions[asked.question];
        self.marks.push(mark(question, asked, answer));
        self.marks.last()
    }

    pub fn is_finished(&self) -> bool {
        self.marks.len() == self.plan.asked.len()
    }

    pub fn score(&self) -> f64 {
        self.marks.iter().map(|m| m.points).sum()
    }

    /// The most that could be scored on the questions of this plan.
    pub fn max_score(&self) -> f64 {
        self.plan
            .asked
            .iter()
            .map(|a| self.bank.questions[a.question].points)
            .sum()
    }

    pub fn percent(&self) -> f64 {
        let max = self.max_score();
        if max > 0.0 {
            (self.score() / max * 1000.0).round() / 10.0
        } else {
            100.0
        }
    }

    pub fn passed(&self) -> bool {
        self.percent() + 1e-9 >= self.bank.quiz.pass_mark
    }

    pub fn topics(&self) -> Vec<TopicScore> {
        let mut topics: Vec<TopicScore> = Vec::new();
        for (asked, mark) in self.plan.asked.iter().zip(&self.marks) {
            let topic = &self.bank.questions[asked.question].topic;
            let entry = match topics.iter().position(|t| &t.topic == topic) {
                Some(i) => &mut topics[i],
                None => {
                    topics.push(TopicScore {
                        topic: topic.clone(),
                        asked: 0,
                        correct: 0,
                        points: 0.0,
                        max_points: 0.0,
                    });
                    topics.last_mut().expect("just pushed")
                }
            };
            entry.asked += 1;
            entry.correct += usize::from(mark.outcome == Outcome::Correct);
            entry.points += mark.points;
            entry.max_points += mark.max_points;
        }
        topics
    }

    /// The scored answer to the `i`th question asked (0-based), if it has been given.
    pub fn scored_question(&self, i: usize) -> Option<ScoredQuestion> {
        let mark = self.marks.get(i)?;
        let q = &self.bank.questions[self.plan.asked[i].question];
        Some(ScoredQuestion {
            id: q.id.clone(),
            topic: q.topic.clone(),
            kind: q.kind.name(),
            outcome: mark.outcome,
            points: round2(mark.points),
            max_points: mark.max_points,
            response: mark.response.clone(),
        })
    }

    pub fn scorecard(&self, duration: Duration) -> Scorecard {
        let questions = (0..self.marks.len())
            .filter_map(|i| self.scored_question(i))
            .collect();
        Scorecard {
            quiz: self.bank.quiz.id.clone(),
            title: self.bank.quiz.title.clone(),
            seed: self.plan.seed,
            score: round2(self.score()),
            max_score: self.max_score(),
            percent: self.percent(),
            pass_mark: self.bank.quiz.pass_mark,
            passed: self.passed(),
            duration_seconds: duration.as_secs(),
            topics: self.topics(),
            questions,
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::load::validate_source;
    use crate::engine::plan::PlanOptions;

    fn bank(pass_mark: u32) -> Bank {
        let src = format!(
            "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\npass_mark = {pass_mark}\n\
             [[question]]\nid = \"a\"\ntopic = \"x\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplanation = \"E\"\n\
             [[question]]\nid = \"b\"\ntopic = \"y\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplanation = \"E\"\npoints = 3\n\
             [[question]]\nid = \"c\"\ntopic = \"x\"\ntype = \"true_false\"\nanswer = false\nprompt = \"P\"\nexplanation = \"E\"\n"
        );
        validate_source(&src).expect("valid")
    }

    fn run(bank: &Bank, answers: [bool; 3]) -> Attempt<'_> {
        let opts = PlanOptions {
            shuffle: Some(false),
            ..PlanOptions::default()
        };
        let mut attempt = Attempt::new(bank, Plan::new(bank, &opts).unwrap());
        for a in answers {
            assert!(!attempt.is_finished());
            attempt.answer(&Answer::Bool(a)).expect("a question left");
        }
        assert!(attempt.is_finished());
        assert!(attempt.answer(&Answer::Bool(true)).is_none());
        attempt
    }

    #[test]
    fn totals_weight_points_and_break_down_by_topic() {
        let bank = bank(80);
        let attempt = run(&bank, [true, true, true]);
        assert_eq!((attempt.score(), attempt.max_score()), (4.0, 5.0));
        assert_eq!(attempt.percent(), 80.0);
        let topics = attempt.topics();
        assert_eq!(topics.len(), 2);
        assert_eq!(
            (topics[0].topic.as_str(), topics[0].asked, topics[0].correct),
            ("x", 2, 1)
        );
        assert_eq!((topics[1].points, topics[1].max_points), (3.0, 3.0));
    }

    #[test]
    fn the_pass_mark_is_inclusive() {
        let b80 = bank(80);
        assert!(
            run(&b80, [true, true, true]).passed(),
            "80% meets a pass mark of 80"
        );
        let b81 = bank(81);
        assert!(!run(&b81, [true, true, true]).passed());
        let b0 = bank(0);
        assert!(run(&b0, [false, false, true]).passed());
        assert_eq!(run(&b80, [false, false, true]).percent(), 0.0);
    }

    #[test]
    fn report_lists_questions_in_asked_order() {
        let bank = bank(80);
        let attempt = run(&bank, [true, false, false]);
        let report = attempt.scorecard(Duration::from_secs(75));
        let ids: Vec<&str> = report.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(report.questions[1].outcome, Outcome::Incorrect);
        assert_eq!(report.duration_seconds, 75);
        assert!(!report.passed);
    }
}
