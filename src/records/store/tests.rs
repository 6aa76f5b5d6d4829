//! The hold checks both stores share.

use super::*;

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
