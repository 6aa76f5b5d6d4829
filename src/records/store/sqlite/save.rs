//! Saving to the database store: a whole attempt (replacing an unfinished one, never a
//! finished one), and one answer at a time, checking the sitting's hold in the same
//! transaction.

use anyhow::Result;
use rusqlite::{OptionalExtension, params};

use super::read::{HELD_AT, hold_of};
use super::{SqliteStore, TxError};
use crate::engine::marking::Outcome;
use crate::records::record::{Record, RecordedQuestion, name_key, now};
use crate::records::store::{AnswerRow, Refusal, Stored, check_save};

impl SqliteStore {
    /// `save_answer`'s transaction.
    pub(super) fn save_answer_in(&mut self, r: &Record, sitting: &str) -> Result<()> {
        self.write_now(|tx| {
            let state = state_of(tx, &r.id)?;
            check_save(state.as_ref().map(|(_, s)| s), sitting)?;
            let seq = state.map(|(seq, _)| seq).unwrap_or_default();
            // Usually one answer is new; more only if an earlier save failed.
            let have = answers_in(tx, seq)?;
            // The attempt's own row is not touched: the answer row carries the time taken and
            // when it was saved (which keeps the hold).
            let saved = r.held.as_ref().map_or_else(now, |h| h.saved.clone());
            for (i, q) in r.questions.iter().enumerate().skip(have) {
                insert_answer(tx, seq, i, q, Some((r.duration_seconds, &saved)))?;
            }
            Ok(())
        })
    }
}

pub(super) fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Correct => "correct",
        Outcome::Partial => "partial",
        Outcome::Incorrect => "incorrect",
    }
}

/// The row number of the attempt with this id, and what a hold check needs of it.
pub(super) fn state_of(
    tx: &rusqlite::Transaction,
    id: &str,
) -> rusqlite::Result<Option<(i64, Stored)>> {
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

/// How many answers attempt `seq` has stored (they are numbered from 0 with no gaps).
pub(super) fn answers_in(tx: &rusqlite::Transaction, seq: i64) -> rusqlite::Result<usize> {
    let last: Option<i64> = tx
        .prepare_cached(
            "SELECT position FROM answers WHERE attempt = ? ORDER BY position DESC LIMIT 1",
        )?
        .query_row([seq], |row| row.get(0))
        .optional()?;
    Ok(last.map_or(0, |p| usize::try_from(p + 1).unwrap_or_default()))
}

pub(super) fn json(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// Adds one answer row of attempt `seq`; `progress` is the time taken so far and when it was
/// saved, for an answer saved while the attempt is unfinished.
pub(super) fn insert_answer(
    tx: &rusqlite::Transaction,
    seq: i64,
    position: usize,
    q: &RecordedQuestion,
    progress: Option<(u64, &str)>,
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO answers (attempt, position, question, topic, kind, response, answer,
             outcome, points, max_points, share, wrong, elapsed, saved)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    let row = AnswerRow::of(q);
    let response = q.response.to_string();
    insert.execute(params![
        seq,
        position as i64,
        q.id,
        q.topic,
        q.kind,
        response,
        serde_json::to_string(&q.answer).map_err(json)?,
        outcome_name(q.outcome),
        q.points,
        q.max_points,
        row.share,
        (!row.correct).then_some(&response),
        progress.map(|(elapsed, _)| elapsed as i64),
        progress.map(|(_, saved)| saved),
    ])?;
    Ok(())
}

/// Saves one attempt inside a transaction, replacing an earlier save of it; a finished attempt
/// is never replaced.
pub(super) fn save_in(tx: &rusqlite::Transaction, r: &Record) -> Result<(), TxError> {
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
