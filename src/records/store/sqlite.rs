//! The database store: one SQLite file in WAL mode, so that a report can read while a trainee's
//! attempt is being written and several processes can record at once (each waits its turn for
//! up to `BUSY_TIMEOUT`). Every save is one transaction. The schema's version is kept in
//! `PRAGMA user_version` and upgraded in code, one step at a time (`schema`).
//!
//! This file is the store itself and its write transaction; the queries are in `read`,
//! `save` and `forget`. Saving an answer adds one row and checks the sitting's hold in the
//! same transaction.

mod forget;
mod read;
mod save;
mod schema;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::{Connection, params};

use super::{AnswerRow, Filter, Imported, Refusal, SchemaVersion, Store, check_claim, check_save};
use crate::records::record::{Hold, Record};
use crate::records::session::Session;
use save::{holding, insert_answer, save_in, state_of};
use schema::retry_busy;

pub use schema::SCHEMA_VERSION;

pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// Whether the connection is set to `synchronous = NORMAL` (see `save_answer`).
    quick: bool,
}

impl SqliteStore {
    /// Runs `f` in one write transaction, again while the database is busy (for up to
    /// `BUSY_TIMEOUT`). A refusal comes back as a `Refusal`, for the caller to tell apart.
    fn write<T>(&mut self, f: impl FnMut(&Connection) -> Result<T, TxError>) -> Result<T> {
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

    /// `write`, at the connection's current `synchronous` setting. The transaction is begun
    /// and ended by statements prepared once per connection (see `Immediate`): an answer's save
    /// is a transaction of its own, and preparing `BEGIN` and `COMMIT` afresh each time cost
    /// as much as the answer's own statement.
    fn write_now<T>(&mut self, mut f: impl FnMut(&Connection) -> Result<T, TxError>) -> Result<T> {
        let conn = &self.conn;
        let mut refused = None;
        let result = retry_busy(|| {
            let tx = Immediate::begin(conn)?;
            match f(conn) {
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
}

/// A write transaction (`BEGIN IMMEDIATE`: the write lock is taken at once, so a hold checked
/// in it stays true until it commits), rolled back unless committed, as
/// `rusqlite::Transaction` is, but begun and ended through cached statements.
struct Immediate<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Immediate<'c> {
    fn begin(conn: &'c Connection) -> rusqlite::Result<Self> {
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        Ok(Immediate { conn, open: true })
    }

    fn commit(mut self) -> rusqlite::Result<()> {
        // A commit that fails leaves the transaction open; dropping `self` then rolls it back.
        self.conn.prepare_cached("COMMIT")?.execute([])?;
        self.open = false;
        Ok(())
    }
}

impl Drop for Immediate<'_> {
    fn drop(&mut self) {
        // SQLite may have rolled back already (after some errors); then there is nothing to do.
        if self.open && !self.conn.is_autocommit() {
            let _ = self
                .conn
                .prepare_cached("ROLLBACK")
                .and_then(|mut s| s.execute([]));
        }
    }
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
            let (seq, have) = holding(tx, &r.id, sitting)?;
            for (i, q) in r.questions.iter().enumerate().skip(have) {
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

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn kind(&self) -> &'static str {
        "SQLite database"
    }

    fn schema_version(&self) -> Result<Option<SchemaVersion>> {
        let found = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(anyhow::Error::from);
        explained(&self.path, found).map(|found| {
            Some(SchemaVersion {
                found,
                current: SCHEMA_VERSION,
            })
        })
    }

    fn ids(&self) -> Result<HashMap<String, bool>> {
        explained(&self.path, self.ids_of())
    }

    fn each_record(
        &self,
        filter: &Filter,
        visit: &mut dyn FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        // What `visit` fails with (a write to another store, say) is not this store's to
        // explain, and passes as it is.
        let mut stopped = None;
        let read = self.each_record_of(filter, &mut |r| {
            visit(r).map_err(|e| {
                stopped = Some(e);
                anyhow::anyhow!("stopped")
            })
        });
        match stopped {
            Some(e) => Err(e),
            None => explained(&self.path, read),
        }
    }
}
