//! The hold checks both stores share, and what the stores' own tests build attempts from.

use serde_json::Value;

use super::*;
use crate::engine::marking::{Answer, Outcome};
use crate::records::record::RecordedQuestion;

pub(super) fn question(i: usize) -> RecordedQuestion {
    let right = i.is_multiple_of(2);
    RecordedQuestion {
        id: format!("question-{i}"),
        topic: "general".to_string(),
        kind: "true_false".to_string(),
        response: Value::Bool(right),
        answer: Answer::Bool(right),
        outcome: if right {
            Outcome::Correct
        } else {
            Outcome::Incorrect
        },
        points: if right { 1.0 } else { 0.0 },
        max_points: 1.0,
    }
}

/// An unfinished attempt of ten questions, none answered, held by a new sitting.
pub(super) fn attempt() -> Record {
    Record {
        id: "0123456789abcdef0123456789abcdef".to_string(),
        quiz: "q".to_string(),
        title: "Q".to_string(),
        bank_hash: "0".repeat(64),
        name: "Sam Patel".to_string(),
        session: None,
        started: "2026-09-01T09:00:00Z".to_string(),
        finished: None,
        seed: 1,
        settings: Default::default(),
        order: (0..10).map(|i| format!("question-{i}")).collect(),
        score: None,
        max_score: 10.0,
        percent: None,
        pass_mark: 50.0,
        passed: None,
        duration_seconds: 0,
        questions: Vec::new(),
        held: Some(Hold::new()),
    }
}

pub(super) fn sitting(r: &Record) -> String {
    r.held.as_ref().unwrap().sitting.clone()
}

/// Answers the next question and saves it as the recorder does, three seconds on.
pub(super) fn answer(store: &mut dyn Store, r: &mut Record) -> anyhow::Result<()> {
    r.questions.push(question(r.questions.len()));
    r.duration_seconds += 3;
    let sitting = sitting(r);
    store.save_answer(r, &sitting)
}

pub(super) fn refusal(result: anyhow::Result<()>) -> Refusal {
    let e = result.expect_err("the save is refused");
    e.downcast_ref::<Refusal>()
        .unwrap_or_else(|| panic!("a refusal, not {e:#}"))
        .clone()
}

fn stored(finished: bool, held: Option<(&str, &str)>) -> Stored {
    Stored {
        finished,
        held: held.map(|(sitting, saved)| Hold {
            sitting: sitting.to_string(),
            saved: saved.to_string(),
        }),
    }
}

#[test]
fn only_the_holding_sitting_may_save_and_never_to_a_finished_attempt() {
    let now = crate::records::record::now();
    let mine = stored(false, Some(("me", &now)));
    assert_eq!(check_save(Some(&mine), "me"), Ok(()));
    assert_eq!(check_save(Some(&mine), "other"), Err(Refusal::TakenOver));
    assert_eq!(
        check_save(Some(&stored(false, None)), "me"),
        Err(Refusal::TakenOver),
        "let go of, then carried on elsewhere"
    );
    assert_eq!(
        check_save(Some(&stored(true, None)), "me"),
        Err(Refusal::Finished)
    );
    assert_eq!(check_save(None, "me"), Err(Refusal::Erased));
}

#[test]
fn a_hold_is_taken_over_only_on_purpose_until_it_lapses() {
    let now = crate::records::record::now();
    let live = stored(false, Some(("other", &now)));
    assert!(matches!(
        check_claim(Some(&live), false),
        Err(Refusal::HeldElsewhere { .. })
    ));
    assert_eq!(check_claim(Some(&live), true), Ok(()));
    let lapsed = stored(false, Some(("other", "2020-01-01T09:00:00Z")));
    assert_eq!(check_claim(Some(&lapsed), false), Ok(()));
    assert_eq!(check_claim(Some(&stored(false, None)), false), Ok(()));
    assert_eq!(
        check_claim(Some(&stored(true, None)), true),
        Err(Refusal::Finished),
        "not even on purpose"
    );
    assert_eq!(check_claim(None, true), Err(Refusal::Erased));
}

#[test]
fn a_hold_lapses_ten_minutes_after_its_last_save() {
    let saved: jiff::Timestamp = "2026-09-01T09:00:00Z".parse().unwrap();
    let hold = Hold {
        sitting: "s".to_string(),
        saved: "2026-09-01T09:00:00Z".to_string(),
    };
    let at = |minutes: i64| saved + jiff::SignedDuration::from_mins(minutes);
    assert!(!hold.lapsed(at(0)));
    assert!(!hold.lapsed(at(9)));
    assert!(hold.lapsed(at(10)));
    assert!(
        hold.lapsed(at(-11)),
        "a time far in the future is not trusted"
    );
    let unreadable = Hold {
        saved: "yesterday".to_string(),
        ..hold
    };
    assert!(unreadable.lapsed(at(0)));
}
