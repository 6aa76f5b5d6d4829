//! Saving answers one at a time: the one-statement path (`save::add_next`) and the transaction
//! it falls back to must allow and refuse exactly what `check_save` does, and never leave a
//! gap, a repeat or an open transaction behind.

use std::path::PathBuf;

use super::SqliteStore;
use crate::records::record::{Hold, RecordedQuestion};
use crate::records::store::tests::{answer, attempt, question, refusal, sitting};
use crate::records::store::{Filter, Refusal, Store};

/// A new database in its own folder under the system's temporary folder.
fn new_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sgquiz-sqlite-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("results.db")
}

/// The attempt's answer rows as stored: position and question, in order.
fn rows(store: &SqliteStore) -> Vec<(i64, String)> {
    store
        .conn
        .prepare("SELECT position, question FROM answers ORDER BY attempt, position")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn positions(n: usize) -> Vec<(i64, String)> {
    (0..n)
        .map(|i| (i as i64, format!("question-{i}")))
        .collect()
}

#[test]
fn each_answer_adds_its_own_row_and_reads_back_whole() {
    let db = new_db("rows");
    let mut store = SqliteStore::open(&db).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    for _ in 0..4 {
        answer(&mut store, &mut r).unwrap();
    }
    assert_eq!(rows(&store), positions(4));
    let back = store.records(&Filter::default()).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].questions, r.questions);
    assert_eq!(
        back[0].duration_seconds, 12,
        "the time taken, from the last answer"
    );
    assert!(store.conn.is_autocommit(), "no transaction is left open");
}

#[test]
fn a_save_after_a_failed_one_adds_every_answer_the_store_lacks_and_repeats_none() {
    let db = new_db("catch-up");
    let mut store = SqliteStore::open(&db).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    answer(&mut store, &mut r).unwrap();
    // Two answers whose saves failed (a full disk, say): the record has them, the store not.
    r.questions.push(question(1));
    r.questions.push(question(2));
    answer(&mut store, &mut r).unwrap();
    assert_eq!(rows(&store), positions(4));
    // Saving again with nothing new adds nothing.
    let s = sitting(&r);
    store.save_answer(&r, &s).unwrap();
    assert_eq!(rows(&store), positions(4));
    answer(&mut store, &mut r).unwrap();
    assert_eq!(rows(&store), positions(5));
}

#[test]
fn a_sitting_whose_attempt_was_taken_over_is_refused_and_writes_nothing() {
    let db = new_db("taken-over");
    let mut first = SqliteStore::open(&db).unwrap();
    let mut r = attempt();
    first.save(&r).unwrap();
    answer(&mut first, &mut r).unwrap();
    // Another process takes the attempt over on purpose, and carries on.
    let mut second = SqliteStore::open(&db).unwrap();
    let mut theirs = second.claim(&r.id, &Hold::new(), true).unwrap();
    answer(&mut second, &mut theirs).unwrap();
    // The first sitting's next answer, and every one after, is refused and adds nothing.
    assert_eq!(
        refusal(answer(&mut first, &mut r)),
        Refusal::TakenOver,
        "refused"
    );
    assert_eq!(refusal(answer(&mut first, &mut r)), Refusal::TakenOver);
    assert_eq!(rows(&first), positions(2));
    assert!(
        first.conn.is_autocommit(),
        "the refused write was rolled back"
    );
    // The sitting that holds it carries on.
    answer(&mut second, &mut theirs).unwrap();
    assert_eq!(rows(&second), positions(3));
}

#[test]
fn a_sitting_whose_attempt_was_let_go_is_refused() {
    let db = new_db("released");
    let mut store = SqliteStore::open(&db).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    answer(&mut store, &mut r).unwrap();
    store.release(&r.id, &sitting(&r)).unwrap();
    assert_eq!(refusal(answer(&mut store, &mut r)), Refusal::TakenOver);
    assert_eq!(rows(&store), positions(1));
}

#[test]
fn a_finished_attempt_is_never_changed_by_a_later_save() {
    let db = new_db("finished");
    let mut store = SqliteStore::open(&db).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    answer(&mut store, &mut r).unwrap();
    answer(&mut store, &mut r).unwrap();
    let mut done = r.clone();
    done.finished = Some("2026-09-01T09:05:00Z".to_string());
    done.score = Some(1.0);
    done.percent = Some(50.0);
    done.passed = Some(true);
    done.held = None;
    store.finish(&done, &sitting(&r)).unwrap();
    // A stale sitting of the same attempt answers once more.
    assert_eq!(refusal(answer(&mut store, &mut r)), Refusal::Finished);
    assert_eq!(rows(&store), positions(2));
    let back = store.records(&Filter::default()).unwrap();
    assert_eq!(back[0].finished, done.finished);
    assert_eq!(back[0].score, Some(1.0));
    // Even a finished row that still names the sitting as holding it (finishing clears the
    // hold, but the check must not lean on that) takes nothing more; here the answer is the
    // very next one the store lacks.
    r.questions.truncate(2);
    store
        .conn
        .execute("UPDATE attempts SET held_by = ?", [sitting(&r)])
        .unwrap();
    assert_eq!(refusal(answer(&mut store, &mut r)), Refusal::Finished);
    assert_eq!(rows(&store), positions(2));
}

#[test]
fn a_sitting_whose_attempt_was_erased_is_refused_and_nothing_comes_back() {
    let db = new_db("erased");
    let mut store = SqliteStore::open(&db).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    answer(&mut store, &mut r).unwrap();
    let mut other = SqliteStore::open(&db).unwrap();
    assert_eq!(other.forget("Sam Patel").unwrap(), 1);
    assert_eq!(refusal(answer(&mut store, &mut r)), Refusal::Erased);
    assert!(rows(&store).is_empty());
    assert_eq!(store.count().unwrap(), 0);
}

#[test]
fn an_answer_the_store_cannot_take_fails_loudly() {
    let db = new_db("not-a-number");
    let mut store = SqliteStore::open(&db).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    // SQLite stores a NaN as NULL, which the answers table refuses: the one-statement path
    // skips such a row, and the step-by-step path must then fail rather than pass over it.
    r.questions.push(RecordedQuestion {
        points: f64::NAN,
        ..question(0)
    });
    let s = sitting(&r);
    let e = store
        .save_answer(&r, &s)
        .expect_err("a row that cannot be stored is an error");
    assert!(
        e.downcast_ref::<Refusal>().is_none(),
        "not a refusal: {e:#}"
    );
    assert!(rows(&store).is_empty());
    assert!(store.conn.is_autocommit());
}
