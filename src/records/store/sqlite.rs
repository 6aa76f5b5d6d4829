//! The database store: one SQLite file in WAL mode, so that a report can read while a trainee's
//! attempt is being written and several processes can record at once (each waits its turn for
//! up to `BUSY_TIMEOUT`). Every save is one transaction. The schema's version is kept in
//! `PRAGMA user_version` and upgraded in code, one step at a time (`schema`).
//!
//! This file is the queries: saving, reading and erasing attempts, and sessions. Saving an
//! answer adds one row and checks the sitting's hold in the same transaction.

mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{AnswerRow, Filter, Imported, Refusal, Store, Stored, check_claim, check_save};
use crate::engine::marking::Outcome;
use crate::records::record::{Hold, Record, RecordedQuestion, name_key, now, same_name};
use crate::records::session::Session;
use schema::{BUSY_TIMEOUT, retry_busy};

pub use schema::SCHEMA_VERSION;

pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// Whether the connection is set to `synchronous = NORMAL` (see `save_answer`).
    quick: bool,
}

impl SqliteStore {
    fn select_attempts(filter: &Filter) -> (String, Vec<Box<dyn rusqlite::ToSql>>) {
        let mut sql = String::from("WHERE 1 = 1");
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        if let Some(s) = &filter.session {
            sql.push_str(" AND t.session = ?");
            args.push(Box::new(s.clone()));
        }
        if let Some(q) = &filter.quiz {
            sql.push_str(" AND t.quiz = ?");
            args.push(Box::new(q.clone()));
        }
        if let Some(n) = &filter.name {
            sql.push_str(" AND t.name_key = ?");
            args.push(Box::new(name_key(n)));
        }
        if let Some(s) = &filter.since {
            sql.push_str(" AND t.started >= ?");
            args.push(Box::new(s.clone()));
        }
        if filter.finished_only {
            sql.push_str(" AND t.finished IS NOT NULL");
        }
        (sql, args)
    }

    /// The attempts that match, oldest first, without their answers, each with its row number.
    /// `brief` leaves out the settings and question order, which only resuming needs (reading
    /// them is most of the cost of a large report).
    fn attempt_rows(&self, filter: &Filter, brief: bool) -> Result<Vec<(i64, Record)>> {
        let (clause, args) = Self::select_attempts(filter);
        self.summaries_where(&clause, args, brief)
    }

    /// The query for the attempts `clause` picks (`t` is the attempts table), oldest first,
    /// without their answers; its rows are read by `attempt_row`.
    fn attempts_sql(clause: &str, brief: bool) -> String {
        let (settings, order) = if brief {
            ("'{}'", "'[]'")
        } else {
            ("settings", "question_order")
        };
        format!(
            "SELECT seq, id, quiz, title, bank_hash, name, session, started, finished, seed,
                    {settings}, {order}, score, max_score, percent, pass_mark, passed,
                    {DURATION}, held_by, {HELD_AT}
             FROM attempts t {clause} ORDER BY seq"
        )
    }

    /// The attempts `clause` picks (`t` is the attempts table), as `summaries` returns them.
    fn summaries_where(
        &self,
        clause: &str,
        args: Vec<Box<dyn rusqlite::ToSql>>,
        brief: bool,
    ) -> Result<Vec<(i64, Record)>> {
        let mut stmt = self.conn.prepare(&Self::attempts_sql(clause, brief))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), attempt_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The attempt with this id, with its answers.
    fn by_id(&self, id: &str) -> Result<Option<Record>> {
        let found =
            self.summaries_where("WHERE t.id = ?", vec![Box::new(id.to_string())], false)?;
        match found.into_iter().next() {
            Some((seq, mut r)) => {
                r.questions = self.answers_of(seq)?;
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }

    /// Runs `f` in one write transaction, again while the database is busy (for up to
    /// `BUSY_TIMEOUT`). A refusal comes back as a `Refusal`, for the caller to tell apart.
    fn write<T>(
        &mut self,
        f: impl FnMut(&rusqlite::Transaction) -> Result<T, TxError>,
    ) -> Result<T> {
        self.durable(true)?;
        self.write_now(f)
    }

    /// Sets whether each commit waits for the disk: always, except for an unfinished attempt's
    /// answers (see `save_answer`).
    fn durable(&mut self, durable: bool) -> Result<()> {
        if self.quick == durable {
            let mode = if durable { "FULL" } else { "NORMAL" };
            self.conn.pragma_update(None, "synchronous", mode)?;
            self.quick = !durable;
        }
        Ok(())
    }

    /// `write`, at the connection's current `synchronous` setting.
    fn write_now<T>(
        &mut self,
        mut f: impl FnMut(&rusqlite::Transaction) -> Result<T, TxError>,
    ) -> Result<T> {
        let conn = &mut self.conn;
        let mut refused = None;
        let result = retry_busy(|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            match f(&tx) {
                Ok(value) => {
                    tx.commit()?;
                    Ok(Some(value))
                }
                Err(TxError::Sql(e)) => Err(e),
                Err(TxError::Refused(r)) => {
                    refused = Some(r);
                    Ok(None)
                }
            }
        })
        .with_context(|| format!("writing to the results store {}", self.path.display()))?;
        match (result, refused) {
            (Some(value), _) => Ok(value),
            (None, Some(r)) => Err(r.into()),
            (None, None) => unreachable!("a refusal is kept"),
        }
    }

    /// `save_answer`'s transaction.
    fn save_answer_in(&mut self, r: &Record, sitting: &str) -> Result<()> {
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

    fn answers_of(&self, seq: i64) -> Result<Vec<RecordedQuestion>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT question, topic, kind, response, answer, outcome, points, max_points
             FROM answers WHERE attempt = ? ORDER BY position",
        )?;
        let rows = stmt.query_map([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, f64>(6)?,
                r.get::<_, f64>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, topic, kind, response, answer, outcome, points, max_points) = row?;
            out.push(RecordedQuestion {
                id,
                topic,
                kind,
                response: serde_json::from_str(&response).with_context(|| {
                    format!("reading a stored response in {}", self.path.display())
                })?,
                answer: serde_json::from_str(&answer).with_context(|| {
                    format!("reading a stored answer in {}", self.path.display())
                })?,
                outcome: outcome_from(&outcome),
                points,
                max_points,
            });
        }
        Ok(out)
    }
}

/// One row of `attempts_sql`: the attempt's row number and its record, without answers.
fn attempt_row(r: &rusqlite::Row) -> rusqlite::Result<(i64, Record)> {
    let settings: String = r.get(10)?;
    let order: String = r.get(11)?;
    Ok((
        r.get::<_, i64>(0)?,
        Record {
            id: r.get(1)?,
            quiz: r.get(2)?,
            title: r.get(3)?,
            bank_hash: r.get(4)?,
            name: r.get(5)?,
            session: r.get(6)?,
            started: r.get(7)?,
            finished: r.get(8)?,
            // Kept as the same 64 bits in SQLite's signed integer.
            seed: r.get::<_, i64>(9)? as u64,
            settings: serde_json::from_str(&settings).unwrap_or_default(),
            order: serde_json::from_str(&order).unwrap_or_default(),
            score: r.get(12)?,
            max_score: r.get(13)?,
            percent: r.get(14)?,
            pass_mark: r.get(15)?,
            passed: r.get(16)?,
            duration_seconds: r.get::<_, i64>(17)?.max(0) as u64,
            questions: Vec::new(),
            held: hold_of(r.get(18)?, r.get(19)?),
        },
    ))
}

/// An error from reading or writing the store, explained where it is about the file itself
/// (damaged, full, not writable); any other passes as it is.
fn explained<T>(path: &Path, result: Result<T>) -> Result<T> {
    use rusqlite::ErrorCode::*;
    result.map_err(|e| {
        let code = e
            .downcast_ref::<rusqlite::Error>()
            .and_then(rusqlite::Error::sqlite_error_code);
        match code {
            Some(DatabaseCorrupt | NotADatabase | DiskFull | ReadOnly | CannotOpen) => {
                match e.downcast::<rusqlite::Error>() {
                    Ok(sqlite) => schema::explain(path, sqlite),
                    Err(e) => e,
                }
            }
            _ => e,
        }
    })
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Correct => "correct",
        Outcome::Partial => "partial",
        Outcome::Incorrect => "incorrect",
    }
}

fn outcome_from(s: &str) -> Outcome {
    match s {
        "correct" => Outcome::Correct,
        "partial" => Outcome::Partial,
        _ => Outcome::Incorrect,
    }
}

/// The time an attempt (`t`) has taken: for an unfinished one, as of its last answer saved.
const DURATION: &str = "CASE WHEN t.finished IS NULL
         THEN coalesce((SELECT a.elapsed FROM answers a WHERE a.attempt = t.seq
                        ORDER BY a.position DESC LIMIT 1), t.duration_seconds)
         ELSE t.duration_seconds END";

/// When the sitting holding an attempt (`t`) last saved: it took hold, or saved an answer.
const HELD_AT: &str = "CASE WHEN t.held_by IS NULL THEN NULL
         ELSE max(coalesce(t.held_at, ''),
                  coalesce((SELECT a.saved FROM answers a WHERE a.attempt = t.seq
                            ORDER BY a.position DESC LIMIT 1), ''))
         END";

/// A write transaction's failure: SQLite's, or the store refusing the write.
enum TxError {
    Sql(rusqlite::Error),
    Refused(Refusal),
}

impl From<rusqlite::Error> for TxError {
    fn from(e: rusqlite::Error) -> Self {
        TxError::Sql(e)
    }
}

impl From<Refusal> for TxError {
    fn from(r: Refusal) -> Self {
        TxError::Refused(r)
    }
}

fn hold_of(sitting: Option<String>, saved: Option<String>) -> Option<Hold> {
    Some(Hold {
        sitting: sitting?,
        saved: saved.unwrap_or_default(),
    })
}

/// The row number of the attempt with this id, and what a hold check needs of it.
fn state_of(tx: &rusqlite::Transaction, id: &str) -> rusqlite::Result<Option<(i64, Stored)>> {
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
fn answers_in(tx: &rusqlite::Transaction, seq: i64) -> rusqlite::Result<usize> {
    let last: Option<i64> = tx
        .prepare_cached(
            "SELECT position FROM answers WHERE attempt = ? ORDER BY position DESC LIMIT 1",
        )?
        .query_row([seq], |row| row.get(0))
        .optional()?;
    Ok(last.map_or(0, |p| usize::try_from(p + 1).unwrap_or_default()))
}

fn json(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// Adds one answer row of attempt `seq`; `progress` is the time taken so far and when it was
/// saved, for an answer saved while the attempt is unfinished.
fn insert_answer(
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
fn save_in(tx: &rusqlite::Transaction, r: &Record) -> Result<(), TxError> {
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

impl Store for SqliteStore {
    fn save(&mut self, r: &Record) -> Result<()> {
        self.save_all(std::slice::from_ref(r))
    }

    fn save_all(&mut self, records: &[Record]) -> Result<()> {
        // Only unfinished attempts (a trainee starting) may skip the wait for the disk.
        self.durable(records.iter().any(Record::is_complete))?;
        let saved = self.write_now(|tx| {
            for r in records {
                save_in(tx, r)?;
            }
            Ok(())
        });
        explained(&self.path, saved)
    }

    fn save_answer(&mut self, r: &Record, sitting: &str) -> Result<()> {
        // An unfinished attempt's answer is written to the log without waiting for the disk
        // (`synchronous = NORMAL`): a crash of sgquiz loses nothing, a power cut at most the
        // last few answers of an unfinished attempt, and the wait for the disk after every
        // answer would cost far more than the answer. Everything else, the finished attempt
        // above all, is written with the default, `FULL`, which also makes these answers safe.
        self.durable(false)?;
        self.save_answer_in(r, sitting)
    }

    fn finish(&mut self, r: &Record, sitting: &str) -> Result<()> {
        // The answers are in the store already (the hold saw to that): add any an earlier
        // failed save missed, then the score, without rewriting the rest.
        self.write(|tx| {
            let state = state_of(tx, &r.id)?;
            check_save(state.as_ref().map(|(_, s)| s), sitting)?;
            let seq = state.map(|(seq, _)| seq).unwrap_or_default();
            for (i, q) in r.questions.iter().enumerate().skip(answers_in(tx, seq)?) {
                insert_answer(tx, seq, i, q, None)?;
            }
            tx.execute(
                "UPDATE attempts SET finished = ?, score = ?, max_score = ?, percent = ?,
                     pass_mark = ?, passed = ?, duration_seconds = ?, held_by = NULL,
                     held_at = NULL
                 WHERE seq = ?",
                params![
                    r.finished,
                    r.score,
                    r.max_score,
                    r.percent,
                    r.pass_mark,
                    r.passed,
                    r.duration_seconds as i64,
                    seq
                ],
            )?;
            Ok(())
        })
    }

    fn release(&mut self, id: &str, sitting: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE attempts SET held_by = NULL, held_at = NULL
                 WHERE id = ? AND held_by = ? AND finished IS NULL",
                [id, sitting],
            )?;
            Ok(())
        })
    }

    fn claim(&mut self, id: &str, hold: &Hold, take_over: bool) -> Result<Record> {
        self.write(|tx| {
            check_claim(state_of(tx, id)?.as_ref().map(|(_, s)| s), take_over)?;
            tx.execute(
                "UPDATE attempts SET held_by = ?, held_at = ? WHERE id = ?",
                [&hold.sitting, &hold.saved, id],
            )?;
            Ok(())
        })?;
        self.by_id(id)?.ok_or_else(|| Refusal::Erased.into())
    }

    fn discard(&mut self, id: &str, sitting: &str) -> Result<()> {
        self.write(|tx| {
            let state = state_of(tx, id)?;
            check_save(state.as_ref().map(|(_, s)| s), sitting)?;
            if let Some((seq, _)) = state {
                tx.execute("DELETE FROM attempts WHERE seq = ?", [seq])?;
            }
            Ok(())
        })
    }

    fn import(&mut self, r: &Record) -> Result<Imported> {
        self.write(|tx| match state_of(tx, &r.id)? {
            Some((_, s)) if s.finished => Ok(Imported::AlreadyThere),
            Some(_) => save_in(tx, r).map(|()| Imported::Completed),
            None => save_in(tx, r).map(|()| Imported::Added),
        })
    }

    fn incomplete(&self, quiz: &str, name: &str, session: Option<&str>) -> Result<Option<Record>> {
        explained(&self.path, self.incomplete_of(quiz, name, session))
    }

    fn records(&self, filter: &Filter) -> Result<Vec<Record>> {
        explained(&self.path, self.records_of(filter))
    }

    fn scan(&self, filter: &Filter, visit: &mut dyn FnMut(&Record, &[AnswerRow])) -> Result<()> {
        explained(&self.path, self.scan_of(filter, visit))
    }

    fn summaries(&self, filter: &Filter) -> Result<Vec<Record>> {
        let rows = self.attempt_rows(filter, false);
        explained(&self.path, rows).map(|rows| rows.into_iter().map(|(_, r)| r).collect())
    }

    fn count(&self) -> Result<usize> {
        let n = self
            .conn
            .query_row("SELECT count(*) FROM attempts", [], |r| r.get::<_, i64>(0))
            .map_err(anyhow::Error::from);
        explained(&self.path, n).map(|n| n.max(0) as usize)
    }

    fn forget(&mut self, name: &str) -> Result<usize> {
        let gone = self.forget_named(name);
        explained(&self.path, gone)
    }

    fn add_session(&mut self, s: &Session) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sessions (code, title, quiz, bank_file, bank_text, bank_hash, pass_mark,
                 review_at_end, created, closed)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                s.code,
                s.title,
                s.quiz,
                s.bank_file,
                s.bank_text,
                s.bank_hash,
                s.pass_mark,
                s.review_at_end,
                s.created,
                s.closed
            ],
        )?;
        Ok(())
    }

    fn session(&self, code: &str) -> Result<Option<Session>> {
        Ok(self
            .sessions_where("WHERE code = ?", [code])?
            .into_iter()
            .next())
    }

    fn sessions(&self) -> Result<Vec<Session>> {
        self.sessions_where("", [])
    }

    fn close_session(&mut self, code: &str, when: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE sessions SET closed = coalesce(closed, ?) WHERE code = ?",
            [when, code],
        )?;
        Ok(n > 0)
    }

    fn location(&self) -> &Path {
        &self.path
    }
}

impl SqliteStore {
    fn incomplete_of(
        &self,
        quiz: &str,
        name: &str,
        session: Option<&str>,
    ) -> Result<Option<Record>> {
        let filter = Filter {
            quiz: Some(quiz.to_string()),
            name: Some(name.to_string()),
            ..Filter::default()
        };
        // Only unfinished attempts are read: a trainee's finished ones may be many, and each
        // carries its question order.
        let (mut clause, mut args) = Self::select_attempts(&filter);
        clause.push_str(" AND t.finished IS NULL AND t.session IS ?");
        args.push(Box::new(session.map(str::to_string)));
        let latest = self
            .summaries_where(&clause, args, false)?
            .into_iter()
            .rev()
            .find(|(_, r)| same_name(&r.name, name));
        match latest {
            Some((seq, mut r)) => {
                r.questions = self.answers_of(seq)?;
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }

    fn records_of(&self, filter: &Filter) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        for (seq, mut r) in self.attempt_rows(filter, false)? {
            r.questions = self.answers_of(seq)?;
            out.push(r);
        }
        Ok(out)
    }

    /// The attempts stream from one query and their answers from another, both in the order
    /// of the attempts' row numbers, stepped side by side: only one attempt is in memory at a
    /// time, however large the store.
    fn scan_of(&self, filter: &Filter, visit: &mut dyn FnMut(&Record, &[AnswerRow])) -> Result<()> {
        let (clause, args) = Self::select_attempts(filter);
        let mut attempts_stmt = self.conn.prepare(&Self::attempts_sql(&clause, true))?;
        let mut attempts = attempts_stmt.query(rusqlite::params_from_iter(args.iter()))?;
        // Without a filter on the attempts, the answers alone are read, in the order of their
        // key, which is much quicker than joining every one to its attempt; the walk below skips
        // the answers of attempts the filter left out (the unfinished ones).
        let narrowed = filter.session.is_some()
            || filter.quiz.is_some()
            || filter.name.is_some()
            || filter.since.is_some();
        let sql = if narrowed {
            format!(
                "SELECT a.attempt, a.question, a.share, a.wrong
                 FROM attempts t JOIN answers a ON a.attempt = t.seq {clause}
                 ORDER BY a.attempt, a.position"
            )
        } else {
            "SELECT attempt, question, share, wrong FROM answers ORDER BY attempt, position"
                .to_string()
        };
        let args = if narrowed { args } else { Vec::new() };
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        let mut next = rows.next()?;
        // One attempt's answers at a time; their strings are reused from one attempt to the
        // next, so that two million answers do not mean four million allocations.
        let mut batch: Vec<AnswerRow> = Vec::new();
        while let Some(summary) = attempts.next()? {
            let (seq, record) = attempt_row(summary)?;
            let mut len = 0;
            while let Some(row) = next {
                let attempt: i64 = row.get(0)?;
                if attempt < seq {
                    next = rows.next()?;
                    continue;
                }
                if attempt > seq {
                    break;
                }
                if len == batch.len() {
                    batch.push(AnswerRow::default());
                }
                let slot = &mut batch[len];
                slot.question.clear();
                slot.question.push_str(row.get_ref(1)?.as_str()?);
                slot.share = row.get(2)?;
                slot.response.clear();
                let wrong = row.get_ref(3)?.as_str_or_null()?;
                slot.correct = wrong.is_none();
                slot.response.push_str(wrong.unwrap_or_default());
                len += 1;
                next = rows.next()?;
            }
            visit(&record, &batch[..len]);
        }
        Ok(())
    }

    fn forget_named(&mut self, name: &str) -> Result<usize> {
        // Every connection overwrites what it deletes with zeros (`secure_delete`), but pages
        // freed by an older sgquiz, or by a process killed part way, may still hold copies:
        // VACUUM rebuilds the file without them, and the log is folded in and emptied.
        let n = self.write(|tx| {
            Ok(tx.execute("DELETE FROM attempts WHERE name_key = ?", [name_key(name)])?)
        })?;
        let shown = self.path.display().to_string();
        let conn = &self.conn;
        retry_busy(|| conn.execute_batch("VACUUM"))
            .with_context(|| format!("compacting the results store {shown} after erasing"))?;
        // A reader still using older pages keeps them in the log; wait for it, as writers do.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            let busy: i64 =
                retry_busy(|| conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0)))
                    .with_context(|| format!("emptying the log of the results store {shown}"))?;
            if busy == 0 {
                break;
            }
            if std::time::Instant::now() >= deadline {
                bail!(
                    "the records of {name} were erased from the results store {shown}, but \
                     another program reading it still keeps older copies in its log; run \
                     `sgquiz forget` again once nothing is using the store"
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(n)
    }

    fn sessions_where<P: rusqlite::Params>(&self, clause: &str, args: P) -> Result<Vec<Session>> {
        let sql = format!(
            "SELECT code, title, quiz, bank_file, bank_text, bank_hash, pass_mark, review_at_end,
                    created, closed
             FROM sessions {clause} ORDER BY created, code"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok(Session {
                code: r.get(0)?,
                title: r.get(1)?,
                quiz: r.get(2)?,
                bank_file: r.get(3)?,
                bank_text: r.get(4)?,
                bank_hash: r.get(5)?,
                pass_mark: r.get(6)?,
                review_at_end: r.get(7)?,
                created: r.get(8)?,
                closed: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
