//! Whole quizzes through the engine and the scripted front end, with no process or terminal.

use sgquiz::bank::load::load_path;
use sgquiz::engine::marking::{Answer, Outcome};
use sgquiz::engine::plan::{Plan, PlanOptions};
use sgquiz::engine::prompter::{Scripted, Stop};
use sgquiz::front::style::Style;
use sgquiz::front::take::{TakeOptions, Taken, take};
use sgquiz::front::transcript::Look;

use crate::support::answers::{Want, answers};
use crate::support::fixture;

fn options(review_at_end: bool) -> TakeOptions {
    TakeOptions {
        review_at_end,
        look: Look::interactive(Style::plain(), 78),
        hand_over: false,
    }
}

#[test]
fn scripted_quizzes_score_as_expected() {
    let bank = load_path(&fixture("all-types.toml")).unwrap();
    for seed in 0..20 {
        for want in [Want::Right, Want::Wrong] {
            let plan = Plan::new(
                &bank,
                &PlanOptions {
                    seed,
                    ..PlanOptions::default()
                },
            )
            .unwrap();
            let mut prompter = Scripted::new(answers(&bank, &plan, want));
            let mut out = Vec::new();
            let Ok(Taken::Finished(report)) =
                take(&bank, plan, &mut prompter, &mut out, options(false))
            else {
                panic!("seed {seed}: the quiz finishes")
            };
            let expected = if want == Want::Right {
                Outcome::Correct
            } else {
                Outcome::Incorrect
            };
            for q in &report.questions {
                assert_eq!(
                    q.outcome, expected,
                    "seed {seed}, {want:?}, question {}",
                    q.id
                );
            }
            assert_eq!(report.passed, want == Want::Right, "seed {seed}");
        }
    }
}

#[test]
fn running_out_of_answers_stops_without_a_score() {
    let bank = load_path(&fixture("all-types.toml")).unwrap();
    let plan = Plan::new(&bank, &PlanOptions::default()).unwrap();
    let mut prompter = Scripted::new([Answer::Bool(true)]);
    let mut out = Vec::new();
    let result = take(&bank, plan, &mut prompter, &mut out, options(false));
    assert!(matches!(result, Err(Stop::InputEnded)), "{result:?}");
    let shown = String::from_utf8(out).unwrap();
    assert!(!shown.contains("Your result"), "{shown}");
}

#[test]
fn the_transcript_wraps_long_text_to_the_width() {
    let bank = load_path(&fixture("all-types.toml")).unwrap();
    let plan = Plan::new(&bank, &PlanOptions::default()).unwrap();
    let mut prompter = Scripted::new(answers(&bank, &plan, Want::Right));
    let mut out = Vec::new();
    take(&bank, plan, &mut prompter, &mut out, options(true)).unwrap();
    let shown = String::from_utf8(out).unwrap();
    for line in shown.lines() {
        assert!(line.chars().count() <= 78, "too wide: {line:?}");
    }
}

/// Counts what an observer is told.
#[derive(Default)]
struct Counting {
    started: usize,
    answered: Vec<usize>,
}

impl sgquiz::engine::observer::Observer for Counting {
    fn started(&mut self, attempt: &sgquiz::engine::attempt::Attempt) {
        self.started += 1;
        assert!(self.answered.is_empty());
        let _ = attempt;
    }

    fn answered(
        &mut self,
        attempt: &sgquiz::engine::attempt::Attempt,
        _answer: &Answer,
        _elapsed: std::time::Duration,
    ) {
        self.answered.push(attempt.marks().len());
    }
}

#[test]
fn a_resumed_attempt_replays_its_answers_and_scores_as_one() {
    use sgquiz::engine::attempt::Resume;
    use sgquiz::front::take::take_observed;
    let bank = load_path(&fixture("all-types.toml")).unwrap();
    let opts = PlanOptions {
        seed: 11,
        ..PlanOptions::default()
    };
    let all = answers(&bank, &Plan::new(&bank, &opts).unwrap(), Want::Right);
    let mut whole = Scripted::new(all.clone());
    let Ok(Taken::Finished(straight)) = take(
        &bank,
        Plan::new(&bank, &opts).unwrap(),
        &mut whole,
        &mut Vec::new(),
        options(false),
    ) else {
        panic!("finishes")
    };

    let mut rest = Scripted::new(all[3..].to_vec());
    let mut observer = Counting::default();
    let mut out = Vec::new();
    let resumed = take_observed(
        &bank,
        Plan::new(&bank, &opts).unwrap(),
        &mut rest,
        &mut out,
        options(false),
        Resume {
            answers: all[..3].to_vec(),
            elapsed: std::time::Duration::from_secs(100),
        },
        &mut observer,
    );
    let Ok(Taken::Finished(report)) = resumed else {
        panic!("finishes")
    };
    assert_eq!(observer.started, 1);
    assert_eq!(
        observer.answered,
        [4, 5, 6, 7],
        "told of the new answers only"
    );
    assert_eq!(report.score, straight.score);
    assert_eq!(report.questions.len(), 7);
    assert!(report.duration_seconds >= 100, "earlier time counts");
    let shown = String::from_utf8(out).unwrap();
    assert!(shown.contains("carrying on from question 4"), "{shown}");
    assert!(!shown.contains("Question 3 of 7"), "{shown}");
}
