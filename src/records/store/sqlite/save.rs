//! Saving to the database store: a whole attempt (replacing an unfinished one, never a
//! finished one), and one answer at a time, checking the sitting's hold in the same
//! transaction.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, ToSql, params, params_from_iter};

use super::read::{HELD_AT, hold_of};
use super::schema::retry_busy;
use super::{SqliteStore, TxError};
use crate::engine::marking::Outcome;
use crate::records::record::{Record, RecordedQuestion, name_key, now};
use crate::records::store::{AnswerRow, Refusal, Stored, check_save};

/// The columns of an answer row, in the order `insert_answer` and `add_next` give them.
macro_rules! answer_columns {
    () => {
        "attempt, position, question, topic, kind, response, answer, outcome, points,
         max_points, share, wrong, elapsed, saved"
    };
}

impl SqliteStore {
    /// `save_answer`'s write. Usually the store lacks only the record's last answer: then one
    /// statement, a transaction of its own, checks the hold and adds it (`add_next`). Otherwise
    /// (an earlier save failed, or the sitting no longer holds the attempt) a transaction reads
    /// what the hold check needs, refuses the save or adds every answer the store lacks.
    pub(super) fn save_answer_in(&mut self, r: &Record, sitting: &str) -> Result<()> {
        // The attempt's own row is not touched: the answer row carries the time taken and
        // when it was saved (which keeps the hold).
        let saved = r.held.as_ref().map_or_else(now, |h| h.saved.clone());
        let progress = Some((r.duration_seconds, saved.as_str()));
        if let Some(last) = r.questions.len().checked_sub(1) {
            let conn = &self.conn;
            let q = &r.questions[last];
            let added = retry_busy(|| add_next(conn, &r.id, sitting, last, q, progress))
                .with_context(|| format!("writing to the results store {}", self.path.display()))?;
            if added {
                return Ok(());
            }
        }
        self.write_now(|tx| {
            let (seq, have) = holding(tx, &r.id, sitting)?;
            for (i, q) in r.questions.iter().enumerate().skip(have) {
                insert_answer(tx, seq, i, q, progress)?;
            }
            Ok(())
        })
    }
}

/// Adds answer `position` of the attempt with this id, in one statement, if and only if the
/// attempt is unfinished and `sitting` holds it (what `check_save` allows) and the store has
/// its answers up to `position` and none after; `false` if it added nothing. Run outside a
/// transaction, the statement is one: the hold it checks cannot change before the row is
/// written (a writing statement takes the write lock before it reads anything).
fn add_next(
    conn: &Connection,
    id: &str,
    sitting: &str,
    position: usize,
    q: &RecordedQuestion,
    progress: Option<(u64, &str)>,
) -> rusqlite::Result<bool> {
    // The attempt's row number is NULL when any condition fails, and `OR IGNORE` then skips
    // the row (it would break `NOT NULL`), as it skips one whose position is taken.
    let mut add = conn.prepare_cached(concat!(
        "INSERT OR IGNORE INTO answers (",
        answer_columns!(),
        ")
         VALUES ((SELECT t.seq FROM attempts t
                  WHERE t.id = ?1 AND t.finished IS NULL AND t.held_by = ?15
                    AND coalesce((SELECT a.position FROM answers a WHERE a.attempt = t.seq
                                  ORDER BY a.position DESC LIMIT 1), -1) = ?2 - 1),
                 ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    ))?;
    let v = AnswerValues::of(position, q, progress)?;
    let first: &dyn ToSql = &id;
    let last: &dyn ToSql = &sitting;
    let values = std::iter::once(first).chain(v.row(q)).chain([last]);
    let added = add.execute(params_from_iter(values))?;
    Ok(added == 1)
}

/// Checks that `sitting` may write to the attempt with this id (`check_save`), and returns the
/// attempt's row number and how many answers the store has of it (numbered from 0 with no
/// gaps), all from one query.
pub(super) fn holding(tx: &Connection, id: &str, sitting: &str) -> Result<(i64, usize), TxError> {
    let found = tx
        .prepare_cached(
            "SELECT seq, finished IS NOT NULL, held_by,
                    (SELECT a.position FROM answers a WHERE a.attempt = t.seq
                     ORDER BY a.position DESC LIMIT 1)
             FROM attempts t WHERE id = ?",
        )?
        .query_row([id], |row| {
            let stored = Stored {
                finished: row.get(1)?,
                // Only whose the hold is matters here, not when it was last kept.
                held: hold_of(row.get(2)?, None),
            };
            Ok((row.get::<_, i64>(0)?, stored, row.get::<_, Option<i64>>(3)?))
        })
        .optional()?;
    check_save(found.as_ref().map(|(_, s, _)| s), sitting)?;
    let (seq, _, last) = found.ok_or(Refusal::Erased)?;
    Ok((
        seq,
        last.map_or(0, |p| usize::try_from(p + 1).unwrap_or_default()),
    ))
}

pub(super) fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Correct => "correct",
        Outcome::Partial => "partial",
        Outcome::Incorrect => "incorrect",
    }
}

/// The row number of the attempt with this id, and what a hold check needs of it.
pub(super) fn state_of(tx: &Connection, id: &str) -> rusqlite::Result<Option<(i64, Stored)>> {
    tx.prepare_cached(&format!(
        "SELECT seq, finished IS NOT NULL, held_by, {HELD_AT} FROM attempts t WHERE id = ?"
    ))?
    .query_row([id], |row| {
        Ok((
            row.get(0)?,
            Stored {
                finished: row.get(1)?,
                held: hold_of(row.get(2)?, row.get(3)?),
            },
        ))
    })
    .optional()
}

pub(super) fn json(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// Adds one answer row of attempt `seq`; `progress` is the time taken so far and when it was
/// saved, for an answer saved while the attempt is unfinished.
pub(super) fn insert_answer(
    tx: &Connection,
    seq: i64,
    position: usize,
    q: &RecordedQuestion,
    progress: Option<(u64, &str)>,
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(concat!(
        "INSERT INTO answers (",
        answer_columns!(),
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    ))?;
    let v = AnswerValues::of(position, q, progress)?;
    let first: &dyn ToSql = &seq;
    insert.execute(params_from_iter(std::iter::once(first).chain(v.row(q))))?;
    Ok(())
}

/// An answer row's values that are worked out rather than copied from the question.
struct AnswerValues<'a> {
    position: i64,
    response: String,
    answer: String,
    outcome: &'static str,
    share: f64,
    /// The response again, only when the answer was not marked right.
    wrong: Option<String>,
    elapsed: Option<i64>,
    saved: Option<&'a str>,
}

impl<'a> AnswerValues<'a> {
    /// The row's values after its first column (the attempt), in `answer_columns!` order.
    fn row<'b>(&'b self, q: &'b RecordedQuestion) -> [&'b dyn ToSql; 13] {
        [
            &self.position,
            &q.id,
            &q.topic,
            &q.kind,
            &self.response,
            &self.answer,
            &self.outcome,
            &q.points,
            &q.max_points,
            &self.share,
            &self.wrong,
            &self.elapsed,
            &self.saved,
        ]
    }

    fn of(
        position: usize,
        q: &RecordedQuestion,
        progress: Option<(u64, &'a str)>,
    ) -> rusqlite::Result<Self> {
        let row = AnswerRow::of(q);
        let response = q.response.to_string();
        Ok(AnswerValues {
            position: position as i64,
            wrong: (!row.correct).then(|| response.clone()),
            response,
            answer: serde_json::to_string(&q.answer).map_err(json)?,
            outcome: outcome_name(q.outcome),
            share: row.share,
            elapsed: progress.map(|(elapsed, _)| elapsed as i64),
            saved: progress.map(|(_, saved)| saved),
        })
    }
}

/// Saves one attempt inside a transaction, replacing an earlier save of it; a finished attempt
/// is never replaced.
pub(super) fn save_in(tx: &Connection, r: &Record) -> Result<(), TxError> {
    let settings = serde_json::to_string(&r.settings).map_err(json)?;
    let order = serde_json::to_string(&r.order).map_err(json)?;
    let existing = state_of(tx, &r.id)?;
    if existing.as_ref().is_some_and(|(_, s)| s.finished) {
        return Err(Refusal::Finished.into());
    }
    let (held_by, held_at) = match &r.held {
        Some(h) => (Some(&h.sitting), Some(&h.saved)),
        None => (None, None),
    };
    let values = params![
        r.id,
        r.quiz,
        r.title,
        r.bank_hash,
        r.name,
        r.session,
        r.started,
        r.finished,
        r.seed as i64,
        settings,
        order,
        r.score,
        r.max_score,
        r.percent,
        r.pass_mark,
        r.passed,
        r.duration_seconds as i64,
        held_by,
        held_at,
        name_key(&r.name),
    ];
    let seq = match existing {
        Some((seq, _)) => {
            tx.execute(
                "UPDATE attempts SET id = ?1, quiz = ?2, title = ?3, bank_hash = ?4,
                     name = ?5, session = ?6, started = ?7, finished = ?8, seed = ?9,
                     settings = ?10, question_order = ?11, score = ?12, max_score = ?13,
                     percent = ?14, pass_mark = ?15, passed = ?16, duration_seconds = ?17,
                     held_by = ?18, held_at = ?19, name_key = ?20
                 WHERE id = ?1",
                values,
            )?;
            tx.execute("DELETE FROM answers WHERE attempt = ?", [seq])?;
            seq
        }
        None => {
            tx.execute(
                "INSERT INTO attempts (id, quiz, title, bank_hash, name, session, started,
                     finished, seed, settings, question_order, score, max_score, percent,
                     pass_mark, passed, duration_seconds, held_by, held_at, name_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, ?18, ?19, ?20)",
                values,
            )?;
            tx.last_insert_rowid()
        }
    };
    for (i, q) in r.questions.iter().enumerate() {
        insert_answer(tx, seq, i, q, None)?;
    }
    Ok(())
}
