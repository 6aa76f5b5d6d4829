//! Whole quizzes through the engine and the scripted front end, with no process or terminal.

use sgquiz::load::load_path;
use sgquiz::marking::{Answer, Outcome};
use sgquiz::plan::{Plan, PlanOptions};
use sgquiz::prompter::{Scripted, Stop};
use sgquiz::style::Style;
use sgquiz::take::{TakeOptions, Taken, take};
use sgquiz::transcript::Look;

use crate::support::answers::{Want, answers};
use crate::support::fixture;

fn options(review_at_end: bool) -> TakeOptions {
    TakeOptions {
        review_at_end,
        look: Look {
            style: Style::plain(),
            width: Some(78),
        },
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
