//! Writing to the PostgreSQL store. Saving an answer and finishing are each one statement, so
//! one round trip: the hold is checked by the `UPDATE`'s own condition (under the row's lock)
//! and the new answers are added from arrays in the same statement, skipping any the server
//! has already (so a save retried after a lost connection adds nothing twice). Only when the
//! check fails is a second query made, to say why.

use std::sync::LazyLock;

use postgres::GenericClient;
use postgres::types::ToSql;

use super::{Conn, PostgresStore, TxError};
use crate::engine::marking::Outcome;
use crate::records::record::{Hold, Record, name_key};
use crate::records::store::{AnswerRow, Imported, Refusal, Stored, check_claim, check_save};

/// How long erasing waits for other connections' older views of the store to end.
const ERASE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// The answers of an attempt from `from` on, one array per column.
pub(super) struct Answers {
    position: Vec<i32>,
    question: Vec<String>,
    topic: Vec<String>,
    kind: Vec<String>,
    response: Vec<String>,
    answer: Vec<String>,
    outcome: Vec<&'static str>,
    points: Vec<f64>,
    max_points: Vec<f64>,
    share: Vec<f64>,
    wrong: Vec<Option<String>>,
}

impl Answers {
    pub(super) fn of(r: &Record, from: usize) -> Result<Answers, serde_json::Error> {
        let n = r.questions.len().saturating_sub(from);
        let mut a = Answers {
            position: Vec::with_capacity(n),
            question: Vec::with_capacity(n),
            topic: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            response: Vec::with_capacity(n),
            answer: Vec::with_capacity(n),
            outcome: Vec::with_capacity(n),
            points: Vec::with_capacity(n),
            max_points: Vec::with_capacity(n),
            share: Vec::with_capacity(n),
            wrong: Vec::with_capacity(n),
        };
        for (i, q) in r.questions.iter().enumerate().skip(from) {
            let row = AnswerRow::of(q);
            let response = q.response.to_string();
            a.position.push(i32::try_from(i).unwrap_or(i32::MAX));
            a.question.push(q.id.clone());
            a.topic.push(q.topic.clone());
            a.kind.push(q.kind.clone());
            a.wrong.push((!row.correct).then(|| response.clone()));
            a.response.push(response);
            a.answer.push(serde_json::to_string(&q.answer)?);
            a.outcome.push(outcome_name(q.outcome));
            a.points.push(q.points);
            a.max_points.push(q.max_points);
            a.share.push(row.share);
        }
        Ok(a)
    }

    /// The arrays, as the statements' parameters from `ANSWER_ARRAYS`' first on.
    fn params(&self) -> [&(dyn ToSql + Sync); 11] {
        [
            &self.position,
            &self.question,
            &self.topic,
            &self.kind,
            &self.response,
            &self.answer,
            &self.outcome,
            &self.points,
            &self.max_points,
            &self.share,
            &self.wrong,
        ]
    }
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Correct => "correct",
        Outcome::Partial => "partial",
        Outcome::Incorrect => "incorrect",
    }
}

/// Adds the answers in arrays `$first`… to the attempt(s) `source` selects (`seq`), leaving
/// any already there.
fn insert_answers(source: &str, first: usize) -> String {
    const TYPES: [&str; 11] = [
        "int4", "text", "text", "text", "text", "text", "text", "float8", "float8", "float8",
        "text",
    ];
    let arrays = TYPES
        .iter()
        .enumerate()
        .map(|(i, t)| format!("${}::{t}[]", first + i))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO answers (attempt, position, question, topic, kind, response, answer,
             outcome, points, max_points, share, wrong)
         SELECT s.seq, a.* FROM {source} s, unnest({arrays}) AS a
         ON CONFLICT (attempt, position) DO NOTHING"
    )
}

/// An answer saved while the attempt is held: `$1` id, `$2` sitting, `$3` the hold's time,
/// `$4` time taken, `$5`… the answers.
static SAVE_ANSWER: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH up AS (
             UPDATE attempts SET held_at = $3, duration_seconds = $4
             WHERE id = $1 AND finished IS NULL AND held_by = $2 RETURNING seq
         ), ins AS ({} RETURNING 1)
         SELECT (SELECT seq FROM up), (SELECT count(*) FROM ins)",
        insert_answers("up", 5)
    )
});

/// The finished attempt: `$1` id, `$2` sitting, `$3`…`$9` the result, `$10`… any answers the
/// server does not have yet.
static FINISH: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH up AS (
             UPDATE attempts SET finished = $3, score = $4, max_score = $5, percent = $6,
                 pass_mark = $7, passed = $8, duration_seconds = $9, held_by = NULL,
                 held_at = NULL
             WHERE id = $1 AND finished IS NULL AND held_by = $2 RETURNING seq
         ), ins AS ({} RETURNING 1)
         SELECT (SELECT seq FROM up), (SELECT count(*) FROM ins)",
        insert_answers("up", 10)
    )
});

/// Every answer of attempt `$1` (its row number).
static ALL_ANSWERS: LazyLock<String> =
    LazyLock::new(|| insert_answers("(SELECT $1::int8 AS seq)", 2));

const STATE: &str = "SELECT seq, finished IS NOT NULL, held_by, held_at, finished
     FROM attempts WHERE id = $1";

/// The attempt's row number and what a hold check needs, locked until the transaction ends
/// when `lock`.
fn state_of(
    c: &mut impl GenericClient,
    id: &str,
    lock: bool,
) -> Result<Option<(i64, Stored, Option<String>)>, postgres::Error> {
    let sql = if lock {
        format!("{STATE} FOR UPDATE")
    } else {
        STATE.to_string()
    };
    Ok(c.query_opt(&sql, &[&id])?.map(|row| {
        (
            row.get(0),
            Stored {
                finished: row.get(1),
                held: row.get::<_, Option<String>>(2).map(|sitting| Hold {
                    sitting,
                    saved: row.get::<_, Option<String>>(3).unwrap_or_default(),
                }),
            },
            row.get(4),
        )
    }))
}

/// Saves a whole attempt in the caller's transaction, replacing an unfinished one; a finished
/// one is never replaced.
fn save_in(tx: &mut postgres::Transaction, r: &Record) -> Result<(), TxError> {
    let existing = state_of(tx, &r.id, true)?;
    if existing.as_ref().is_some_and(|(_, s, _)| s.finished) {
        return Err(Refusal::Finished.into());
    }
    let settings = serde_json::to_string(&r.settings)?;
    let order = serde_json::to_string(&r.order)?;
    let (held_by, held_at) = match &r.held {
        Some(h) => (Some(&h.sitting), Some(&h.saved)),
        None => (None, None),
    };
    let seed = r.seed as i64;
    let duration = r.duration_seconds as i64;
    let key = name_key(&r.name);
    let values: [&(dyn ToSql + Sync); 20] = [
        &r.id,
        &r.quiz,
        &r.title,
        &r.bank_hash,
        &r.name,
        &r.session,
        &r.started,
        &r.finished,
        &seed,
        &settings,
        &order,
        &r.score,
        &r.max_score,
        &r.percent,
        &r.pass_mark,
        &r.passed,
        &duration,
        &held_by,
        &held_at,
        &key,
    ];
    let seq: i64 = match existing {
        Some((seq, _, _)) => {
            tx.execute(
                "UPDATE attempts SET quiz = $2, title = $3, bank_hash = $4, name = $5,
                     session = $6, started = $7, finished = $8, seed = $9, settings = $10,
                     question_order = $11, score = $12, max_score = $13, percent = $14,
                     pass_mark = $15, passed = $16, duration_seconds = $17, held_by = $18,
                     held_at = $19, name_key = $20
                 WHERE id = $1",
                &values,
            )?;
            tx.execute("DELETE FROM answers WHERE attempt = $1", &[&seq])?;
            seq
        }
        None => tx
            .query_one(
                "INSERT INTO attempts (id, quiz, title, bank_hash, name, session, started,
                     finished, seed, settings, question_order, score, max_score, percent,
                     pass_mark, passed, duration_seconds, held_by, held_at, name_key)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                     $17, $18, $19, $20)
                 RETURNING seq",
                &values,
            )?
            .get(0),
    };
    if !r.questions.is_empty() {
        let answers = Answers::of(r, 0)?;
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&seq];
        params.extend(answers.params());
        tx.execute(ALL_ANSWERS.as_str(), &params)?;
    }
    Ok(())
}

impl PostgresStore {
    pub(super) fn save_records(&mut self, records: &[Record]) -> anyhow::Result<()> {
        self.run(super::FINISH_PATIENCE, |conn| {
            let mut tx = conn.client.transaction()?;
            for r in records {
                save_in(&mut tx, r)?;
            }
            tx.commit()?;
            Ok(())
        })?;
        for r in records {
            self.sent.insert(r.id.clone(), r.questions.len());
        }
        Ok(())
    }

    /// `save_answer` (`finish` false) or `finish`: one statement, then, only if the hold check
    /// failed, a look at why.
    pub(super) fn save_held(
        &mut self,
        r: &Record,
        sitting: &str,
        finish: bool,
    ) -> anyhow::Result<()> {
        let from = self.sent.get(&r.id).copied().unwrap_or(0);
        let answers = Answers::of(r, from)?;
        let saved = r.held.as_ref().map(|h| h.saved.clone());
        let duration = r.duration_seconds as i64;
        let patience = if finish {
            super::FINISH_PATIENCE
        } else {
            super::ANSWER_PATIENCE
        };
        self.run(patience, |conn: &mut Conn| {
            let row = if finish {
                let statement = conn.statement(FINISH.as_str())?;
                let mut params: Vec<&(dyn ToSql + Sync)> = vec![
                    &r.id,
                    &sitting,
                    &r.finished,
                    &r.score,
                    &r.max_score,
                    &r.percent,
                    &r.pass_mark,
                    &r.passed,
                    &duration,
                ];
                params.extend(answers.params());
                conn.client.query_one(&statement, &params)?
            } else {
                let statement = conn.statement(SAVE_ANSWER.as_str())?;
                let mut params: Vec<&(dyn ToSql + Sync)> = vec![&r.id, &sitting, &saved, &duration];
                params.extend(answers.params());
                conn.client.query_one(&statement, &params)?
            };
            if row.get::<_, Option<i64>>(0).is_some() {
                return Ok(());
            }
            let state = state_of(&mut conn.client, &r.id, false)?;
            if finish
                && let Some((_, s, finished)) = &state
                && s.finished
                && finished.is_some()
                && *finished == r.finished
            {
                // This very save reached the server before the connection was lost.
                return Ok(());
            }
            check_save(state.as_ref().map(|(_, s, _)| s), sitting)?;
            Err(TxError::Refused(Refusal::TakenOver))
        })?;
        self.sent.insert(r.id.clone(), r.questions.len());
        Ok(())
    }

    pub(super) fn claim_held(
        &mut self,
        id: &str,
        hold: &Hold,
        take_over: bool,
    ) -> anyhow::Result<()> {
        self.run(super::ANSWER_PATIENCE, |conn| {
            let mut tx = conn.client.transaction()?;
            let state = state_of(&mut tx, id, true)?;
            let ours = state
                .as_ref()
                .and_then(|(_, s, _)| s.held.as_ref())
                .is_some_and(|h| h.sitting == hold.sitting);
            if !ours {
                check_claim(state.as_ref().map(|(_, s, _)| s), take_over)?;
            }
            tx.execute(
                "UPDATE attempts SET held_by = $2, held_at = $3 WHERE id = $1",
                &[&id, &hold.sitting, &hold.saved],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    pub(super) fn release_held(&mut self, id: &str, sitting: &str) -> anyhow::Result<()> {
        self.run(super::ANSWER_PATIENCE, |conn| {
            conn.client.execute(
                "UPDATE attempts SET held_by = NULL, held_at = NULL
                 WHERE id = $1 AND held_by = $2 AND finished IS NULL",
                &[&id, &sitting],
            )?;
            Ok(())
        })
    }

    pub(super) fn discard_held(&mut self, id: &str, sitting: &str) -> anyhow::Result<()> {
        self.run(super::ANSWER_PATIENCE, |conn| {
            let mut tx = conn.client.transaction()?;
            if let Some((seq, s, _)) = state_of(&mut tx, id, true)? {
                check_save(Some(&s), sitting)?;
                tx.execute("DELETE FROM attempts WHERE seq = $1", &[&seq])?;
            }
            tx.commit()?;
            Ok(())
        })?;
        self.sent.remove(id);
        Ok(())
    }

    pub(super) fn import_one(&mut self, r: &Record) -> anyhow::Result<Imported> {
        self.run(super::FINISH_PATIENCE, |conn| {
            let mut tx = conn.client.transaction()?;
            let done = match state_of(&mut tx, &r.id, true)? {
                Some((_, s, _)) if s.finished => Imported::AlreadyThere,
                Some(_) => save_in(&mut tx, r).map(|()| Imported::Completed)?,
                None => save_in(&mut tx, r).map(|()| Imported::Added)?,
            };
            tx.commit()?;
            Ok(done)
        })
    }

    /// Deletes the name's attempts (their answers go with them), then rebuilds both tables
    /// and their indexes, so that the erased rows are not left in the tables' files. The
    /// server keeps deleted rows while any transaction that began before the delete is still
    /// running (in any database on the server: the rebuild's own view reaches back to the
    /// oldest), or while a connection to this database still reads with an older view; so the
    /// rebuild waits (for up to `ERASE_PATIENCE`) until neither is so.
    pub(super) fn forget_named(&mut self, name: &str) -> anyhow::Result<usize> {
        let key = name_key(name);
        let (n, xid) = self.run(std::time::Duration::ZERO, |conn| {
            let mut tx = conn.client.transaction()?;
            let n = tx.execute("DELETE FROM attempts WHERE name_key = $1", &[&key])?;
            let xid: String = tx
                .query_one("SELECT pg_current_xact_id()::text", &[])?
                .get(0);
            tx.commit()?;
            Ok((n, xid))
        })?;
        let deadline = std::time::Instant::now() + ERASE_PATIENCE;
        loop {
            let older: i64 = self.run(std::time::Duration::ZERO, |conn| {
                Ok(conn
                    .client
                    .query_one(
                        "SELECT (pg_snapshot_xmin(pg_current_snapshot()) <= $1::text::xid8)::int::int8
                              + (SELECT count(*) FROM pg_stat_activity
                                 WHERE datname = current_database()
                                   AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL
                                   AND age(backend_xmin) >= age(xid($1::text::xid8)))",
                        &[&xid],
                    )?
                    .get(0))
            })?;
            if older == 0 {
                break;
            }
            if std::time::Instant::now() >= deadline {
                anyhow::bail!(
                    "the records of {name} were deleted from the results store {}, but a \
                     transaction on the server that began before the deletion is still running, \
                     and the server keeps copies of deleted rows until it ends; run `sgquiz \
                     forget` again once it has ended, to clear them",
                    self.target.shown
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        self.run(std::time::Duration::ZERO, |conn| {
            conn.client
                .batch_execute("VACUUM (FULL, ANALYZE) answers, attempts")?;
            Ok(())
        })?;
        self.sent.clear();
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
}
