//! The database store: one SQLite file in WAL mode, so that a report can read while a trainee's
//! attempt is being written and several processes can record at once (each waits its turn for
//! up to `BUSY_TIMEOUT`). Every save is one transaction. The schema's version is kept in
//! `PRAGMA user_version` and upgraded in code, one step at a time (`schema`).
//!
//! This file is the queries: saving, reading and erasing attempts, and sessions.

mod schema;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{AnswerRow, Filter, Store};
use crate::engine::marking::Outcome;
use crate::records::record::{Record, RecordedQuestion, name_key, same_name};
use crate::records::session::Session;
use schema::retry_busy;

pub use schema::SCHEMA_VERSION;

pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
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

    /// The query for the attempts that match, oldest first, without their answers; its rows
    /// are read by `attempt_row`. `brief` leaves out the settings and question order, which
    /// only resuming needs (reading them is most of the cost of a large report).
    fn attempts_query(filter: &Filter, brief: bool) -> (String, Vec<Box<dyn rusqlite::ToSql>>) {
        let (clause, args) = Self::select_attempts(filter);
        let (settings, order) = if brief {
            ("'{}'", "'[]'")
        } else {
            ("settings", "question_order")
        };
        let sql = format!(
            "SELECT seq, id, quiz, title, bank_hash, name, session, started, finished, seed,
                    {settings}, {order}, score, max_score, percent, pass_mark, passed,
                    duration_seconds
             FROM attempts t {clause} ORDER BY seq"
        );
        (sql, args)
    }

    /// The attempts that match, oldest first, without their answers, each with its row number.
    fn attempt_rows(&self, filter: &Filter, brief: bool) -> Result<Vec<(i64, Record)>> {
        let (sql, args) = Self::attempts_query(filter, brief);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), attempt_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
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

/// One row of `attempts_query`: the attempt's row number and its record, without answers.
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

/// Saves one attempt inside a transaction, replacing an earlier save of it.
fn save_in(tx: &rusqlite::Transaction, r: &Record) -> rusqlite::Result<()> {
    let json = |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
    let settings = serde_json::to_string(&r.settings).map_err(json)?;
    let order = serde_json::to_string(&r.order).map_err(json)?;
    let existing: Option<i64> = tx
        .query_row("SELECT seq FROM attempts WHERE id = ?", [&r.id], |row| {
            row.get(0)
        })
        .optional()?;
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
        name_key(&r.name),
    ];
    let seq = match existing {
        Some(seq) => {
            tx.execute(
                "UPDATE attempts SET id = ?1, quiz = ?2, title = ?3, bank_hash = ?4,
                     name = ?5, session = ?6, started = ?7, finished = ?8, seed = ?9,
                     settings = ?10, question_order = ?11, score = ?12, max_score = ?13,
                     percent = ?14, pass_mark = ?15, passed = ?16, duration_seconds = ?17,
                     name_key = ?18
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
                     pass_mark, passed, duration_seconds, name_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, ?18)",
                values,
            )?;
            tx.last_insert_rowid()
        }
    };
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO answers (attempt, position, question, topic, kind, response, answer,
                 outcome, points, max_points, share, wrong)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?;
        for (i, q) in r.questions.iter().enumerate() {
            let row = AnswerRow::of(q);
            let response = q.response.to_string();
            insert.execute(params![
                seq,
                i as i64,
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
            ])?;
        }
    }
    Ok(())
}

impl Store for SqliteStore {
    fn save(&mut self, r: &Record) -> Result<()> {
        self.save_all(std::slice::from_ref(r))
    }

    fn save_all(&mut self, records: &[Record]) -> Result<()> {
        let conn = &mut self.conn;
        let saved = retry_busy(|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for r in records {
                save_in(&tx, r)?;
            }
            tx.commit()
        })
        .with_context(|| format!("writing to the results store {}", self.path.display()));
        explained(&self.path, saved)
    }

    fn incomplete(&self, quiz: &str, name: &str) -> Result<Option<Record>> {
        explained(&self.path, self.incomplete_of(quiz, name))
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
        let added = self.add(s);
        explained(&self.path, added)
    }

    fn session(&self, code: &str) -> Result<Option<Session>> {
        let found = self.sessions_where("WHERE code = ?", [code]);
        explained(&self.path, found).map(|s| s.into_iter().next())
    }

    fn sessions(&self) -> Result<Vec<Session>> {
        explained(&self.path, self.sessions_where("", []))
    }

    fn close_session(&mut self, code: &str, when: &str) -> Result<bool> {
        let n = self
            .conn
            .execute(
                "UPDATE sessions SET closed = coalesce(closed, ?) WHERE code = ?",
                [when, code],
            )
            .map_err(anyhow::Error::from);
        explained(&self.path, n).map(|n| n > 0)
    }

    fn location(&self) -> &Path {
        &self.path
    }
}

impl SqliteStore {
    fn incomplete_of(&self, quiz: &str, name: &str) -> Result<Option<Record>> {
        let filter = Filter {
            quiz: Some(quiz.to_string()),
            name: Some(name.to_string()),
            ..Filter::default()
        };
        let latest = self
            .attempt_rows(&filter, false)?
            .into_iter()
            .rev()
            .find(|(_, r)| !r.is_complete() && same_name(&r.name, name));
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
        let (attempts_sql, attempt_args) = Self::attempts_query(filter, true);
        let mut attempts_stmt = self.conn.prepare(&attempts_sql)?;
        let mut attempts = attempts_stmt.query(rusqlite::params_from_iter(attempt_args.iter()))?;
        // Without a filter on the attempts, the answers alone are read, in the order of their
        // key, which is much quicker than joining every one to its attempt; the walk below skips
        // the answers of attempts the filter left out (the unfinished ones).
        let narrowed = filter.session.is_some()
            || filter.quiz.is_some()
            || filter.name.is_some()
            || filter.since.is_some();
        let (clause, args) = Self::select_attempts(filter);
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
        while let Some(attempt_row_) = attempts.next()? {
            let (seq, record) = attempt_row(attempt_row_)?;
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
        // Erased rows are overwritten with zeros rather than left in free pages, and the log is
        // folded into the database and emptied, so the name is gone from the files too.
        self.conn.pragma_update(None, "secure_delete", true)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute("DELETE FROM attempts WHERE name_key = ?", [name_key(name)])?;
        tx.commit()?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(n)
    }

    fn add(&mut self, s: &Session) -> Result<()> {
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
}

impl SqliteStore {
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
