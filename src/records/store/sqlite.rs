//! The database store: one SQLite file in WAL mode, so that a report can read while a trainee's
//! attempt is being written and several processes can record at once (each waits its turn for
//! up to `BUSY_TIMEOUT`). Every save is one transaction. The schema's version is kept in
//! `PRAGMA user_version` and upgraded here, in code, one step at a time.
//!
//! Before anything is written, the file is checked: a file that is not an SQLite database, or
//! one from a newer sgquiz, is refused and left exactly as it was.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use super::{
    AnswerRow, Filter, Imported, Refusal, Store, Stored, check_claim, check_save,
    create_private_dir, create_private_file, refuse_read_only,
};
use crate::engine::marking::Outcome;
use crate::records::record::RecordedQuestion;
use crate::records::record::{Hold, Record, now, same_name};
use crate::records::session::Session;

/// The schema this build writes. A store with a higher version is from a newer sgquiz.
pub const SCHEMA_VERSION: i64 = 2;

/// How long to wait for another process's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Each step takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 → 1: attempts, their answers, and sessions.
    "CREATE TABLE sessions (
         code TEXT PRIMARY KEY,
         title TEXT NOT NULL,
         quiz TEXT NOT NULL,
         bank_file TEXT NOT NULL,
         bank_text TEXT NOT NULL,
         bank_hash TEXT NOT NULL,
         pass_mark REAL,
         review_at_end INTEGER NOT NULL,
         created TEXT NOT NULL,
         closed TEXT
     );
     CREATE TABLE attempts (
         seq INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         quiz TEXT NOT NULL,
         title TEXT NOT NULL,
         bank_hash TEXT NOT NULL,
         name TEXT NOT NULL,
         session TEXT,
         started TEXT NOT NULL,
         finished TEXT,
         seed INTEGER NOT NULL,
         settings TEXT NOT NULL,
         question_order TEXT NOT NULL,
         score REAL,
         max_score REAL NOT NULL,
         percent REAL,
         pass_mark REAL NOT NULL,
         passed INTEGER,
         duration_seconds INTEGER NOT NULL
     );
     CREATE INDEX attempts_by_name ON attempts (name COLLATE NOCASE);
     CREATE INDEX attempts_by_quiz ON attempts (quiz, name);
     CREATE INDEX attempts_by_session ON attempts (session);
     -- `share` (points / max_points) and `wrong` (the response, only when not marked right)
     -- repeat what the other columns say, in the form the question analysis reads: it reads
     -- millions of answers, and SQLite reads a row's columns in order, so they come first.
     CREATE TABLE answers (
         attempt INTEGER NOT NULL REFERENCES attempts (seq) ON DELETE CASCADE,
         position INTEGER NOT NULL,
         question TEXT NOT NULL,
         share REAL NOT NULL,
         wrong TEXT,
         outcome TEXT NOT NULL,
         points REAL NOT NULL,
         max_points REAL NOT NULL,
         response TEXT NOT NULL,
         topic TEXT NOT NULL,
         kind TEXT NOT NULL,
         answer TEXT NOT NULL,
         PRIMARY KEY (attempt, position)
     ) WITHOUT ROWID;",
    // 1 → 2: the sitting that holds an unfinished attempt and when it took hold; and, for
    // each answer saved while the attempt is unfinished, the time taken so far and when it
    // was saved, so that saving an answer adds one row and changes nothing else. Existing rows
    // are kept as they are, held by no one.
    "ALTER TABLE attempts ADD COLUMN held_by TEXT;
     ALTER TABLE attempts ADD COLUMN held_at TEXT;
     ALTER TABLE answers ADD COLUMN elapsed INTEGER;
     ALTER TABLE answers ADD COLUMN saved TEXT;",
];

pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

/// Takes the schema one version up, if it is behind; `true` if it did.
fn migrate_step(conn: &mut Connection) -> rusqlite::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= SCHEMA_VERSION {
        return Ok(false);
    }
    let step = usize::try_from(version).unwrap_or_default();
    tx.execute_batch(MIGRATIONS[step])?;
    tx.pragma_update(None, "user_version", version + 1)?;
    tx.commit()?;
    Ok(true)
}

/// Runs `f` again while the database is busy or locked, for up to `BUSY_TIMEOUT`: for the few
/// steps where SQLite reports a busy database at once instead of waiting.
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(5);
    loop {
        match f() {
            Err(e)
                if matches!(e.sqlite_error_code(), Some(DatabaseBusy | DatabaseLocked))
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

impl SqliteStore {
    /// Opens the database at `path`, creating it (readable by its owner only) if need be.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let shown = path.display();
        if path.exists() {
            refuse_read_only(path, "file")?;
            check_header(path)?;
        } else {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                create_private_dir(parent).with_context(|| {
                    format!("creating the folder for the results store {shown}")
                })?;
            }
            match create_private_file(path) {
                Ok(_) => {}
                // Another process made it first: that is fine.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e).with_context(|| format!("creating the results store {shown}"));
                }
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("opening the results store {shown}"))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reports read whole stores: a larger page cache and memory-mapped reads help them.
        conn.pragma_update(None, "cache_size", -32_768)?;
        conn.pragma_update(None, "mmap_size", 268_435_456)?;
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
        };
        store.check_version()?;
        // WAL mode is kept in the file, so this changes something only for a new store. Several
        // processes opening a new store at once can find it busy without SQLite's busy handler
        // being asked to wait, so waiting is done here.
        let conn = &store.conn;
        retry_busy(|| {
            let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
            }
            Ok(())
        })
        .map_err(|e| store.explain(e))?;
        store.conn.pragma_update(None, "foreign_keys", true)?;
        // Whatever this connection deletes or replaces is overwritten with zeros, not left in
        // free space: older copies of an erased trainee's rows must not linger in the file.
        store.conn.pragma_update(None, "secure_delete", true)?;
        store.migrate()?;
        Ok(store)
    }

    /// Refuses a store from a newer sgquiz, or a database that is not a results store, before
    /// anything is written.
    fn check_version(&self) -> Result<()> {
        // Both in one statement, so both come from one snapshot: read apart, another process
        // creating the store could commit its tables between them.
        let conn = &self.conn;
        let (version, tables): (i64, i64) = retry_busy(|| {
            conn.query_row(
                "SELECT (SELECT user_version FROM pragma_user_version),
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .map_err(|e| self.explain(e))?;
        if version > SCHEMA_VERSION {
            bail!(
                "the results store {} was made by a newer version of sgquiz (its schema is \
                 version {version}; this sgquiz reads up to version {SCHEMA_VERSION}); nothing \
                 was changed. Use the newer sgquiz, or choose another store with --store",
                self.path.display()
            );
        }
        if version < 0 {
            bail!(
                "{} is an SQLite database, but not an sgquiz results store; nothing was \
                 changed. Choose another store with --store",
                self.path.display()
            );
        }
        if version == 0 && tables > 0 {
            bail!(
                "{} is an SQLite database, but not an sgquiz results store; nothing was \
                 changed. Choose another store with --store",
                self.path.display()
            );
        }
        Ok(())
    }

    /// Brings the schema up to date, one version per transaction. The version is read again
    /// inside the transaction, so two processes opening a new store at once do not both do it.
    fn migrate(&mut self) -> Result<()> {
        let conn = &mut self.conn;
        while retry_busy(|| migrate_step(conn)).context("upgrading the results store")? {}
        Ok(())
    }

    /// Turns SQLite's terse errors about the file itself into something a trainer can act on.
    fn explain(&self, e: rusqlite::Error) -> anyhow::Error {
        use rusqlite::ErrorCode::*;
        let shown = self.path.display();
        match e.sqlite_error_code() {
            Some(NotADatabase) => anyhow::anyhow!(
                "{shown} is not an sgquiz results store (it is not an SQLite database); nothing \
                 was changed. Choose another store with --store"
            ),
            Some(ReadOnly) | Some(CannotOpen) | Some(PermissionDenied) => anyhow::anyhow!(
                "the results store {shown} cannot be written to ({e}); check its permissions, \
                 or choose another store with --store"
            ),
            _ => anyhow::Error::from(e).context(format!("using the results store {shown}")),
        }
    }

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
            sql.push_str(" AND t.name = ? COLLATE NOCASE");
            args.push(Box::new(n.clone()));
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
    fn summaries(&self, filter: &Filter, brief: bool) -> Result<Vec<(i64, Record)>> {
        let (clause, args) = Self::select_attempts(filter);
        self.summaries_where(&clause, args, brief)
    }

    /// The attempts `clause` picks (`t` is the attempts table), as `summaries` returns them.
    fn summaries_where(
        &self,
        clause: &str,
        args: Vec<Box<dyn rusqlite::ToSql>>,
        brief: bool,
    ) -> Result<Vec<(i64, Record)>> {
        let (settings, order) = if brief {
            ("'{}'", "'[]'")
        } else {
            ("settings", "question_order")
        };
        let sql = format!(
            "SELECT seq, id, quiz, title, bank_hash, name, session, started, finished, seed,
                    {settings}, {order}, score, max_score, percent, pass_mark, passed,
                    {DURATION}, held_by, {HELD_AT}
             FROM attempts t {clause} ORDER BY seq"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
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
        })?;
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

/// Refuses a file that is not empty and does not start as an SQLite database does, before SQLite
/// is let near it. Another process may be creating the same new store at this moment, and a
/// file being created can briefly read as zeros, so a mismatch is read again for up to a second
/// before the file is called foreign.
fn check_header(path: &Path) -> Result<()> {
    let read_head = || -> Result<Vec<u8>> {
        let mut head = Vec::with_capacity(SQLITE_HEADER.len());
        std::fs::File::open(path)
            .and_then(|f| f.take(SQLITE_HEADER.len() as u64).read_to_end(&mut head))
            .with_context(|| format!("reading the results store {}", path.display()))?;
        Ok(head)
    };
    for _ in 0..20 {
        if SQLITE_HEADER.starts_with(&read_head()?) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if SQLITE_HEADER.starts_with(&read_head()?) {
        return Ok(());
    }
    bail!(
        "{} is not an sgquiz results store (it is not an SQLite database); nothing was \
         changed. Choose another store with --store",
        path.display()
    )
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
    tx.query_row(
        &format!(
            "SELECT seq, finished IS NOT NULL, held_by, {HELD_AT} FROM attempts t WHERE id = ?"
        ),
        [id],
        |row| {
            Ok((
                row.get(0)?,
                Stored {
                    finished: row.get(1)?,
                    held: hold_of(row.get(2)?, row.get(3)?),
                },
            ))
        },
    )
    .optional()
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
    ];
    let seq = match existing {
        Some((seq, _)) => {
            tx.execute(
                "UPDATE attempts SET id = ?1, quiz = ?2, title = ?3, bank_hash = ?4,
                     name = ?5, session = ?6, started = ?7, finished = ?8, seed = ?9,
                     settings = ?10, question_order = ?11, score = ?12, max_score = ?13,
                     percent = ?14, pass_mark = ?15, passed = ?16, duration_seconds = ?17,
                     held_by = ?18, held_at = ?19
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
                     pass_mark, passed, duration_seconds, held_by, held_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, ?18, ?19)",
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
        self.write(|tx| {
            for r in records {
                save_in(tx, r)?;
            }
            Ok(())
        })
    }

    fn save_answer(&mut self, r: &Record, sitting: &str) -> Result<()> {
        self.write(|tx| {
            let state = state_of(tx, &r.id)?;
            check_save(state.as_ref().map(|(_, s)| s), sitting)?;
            let seq = state.map(|(seq, _)| seq).unwrap_or_default();
            // Usually one answer is new; more only if an earlier save failed.
            let have: i64 = tx.query_row(
                "SELECT count(*) FROM answers WHERE attempt = ?",
                [seq],
                |row| row.get(0),
            )?;
            let have = usize::try_from(have).unwrap_or_default();
            // The attempt's own row is not touched: the answer row carries the time taken and
            // when it was saved (which keeps the hold).
            let saved = r.held.as_ref().map_or_else(now, |h| h.saved.clone());
            for (i, q) in r.questions.iter().enumerate().skip(have) {
                insert_answer(tx, seq, i, q, Some((r.duration_seconds, &saved)))?;
            }
            Ok(())
        })
    }

    fn finish(&mut self, r: &Record, sitting: &str) -> Result<()> {
        self.write(|tx| {
            check_save(state_of(tx, &r.id)?.as_ref().map(|(_, s)| s), sitting)?;
            save_in(tx, r)
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
        let filter = Filter {
            quiz: Some(quiz.to_string()),
            name: Some(name.to_string()),
            ..Filter::default()
        };
        let latest = self
            .summaries(&filter, false)?
            .into_iter()
            .rev()
            .find(|(_, r)| {
                !r.is_complete() && same_name(&r.name, name) && r.session.as_deref() == session
            });
        match latest {
            Some((seq, mut r)) => {
                r.questions = self.answers_of(seq)?;
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }

    fn records(&self, filter: &Filter) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        for (seq, mut r) in self.summaries(filter, false)? {
            r.questions = self.answers_of(seq)?;
            out.push(r);
        }
        Ok(out)
    }

    fn scan(&self, filter: &Filter, visit: &mut dyn FnMut(&Record, &[AnswerRow])) -> Result<()> {
        let summaries = self.summaries(filter, true)?;
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
        for (seq, record) in &summaries {
            let mut len = 0;
            while let Some(row) = next {
                let attempt: i64 = row.get(0)?;
                if attempt < *seq {
                    next = rows.next()?;
                    continue;
                }
                if attempt > *seq {
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
            visit(record, &batch[..len]);
        }
        Ok(())
    }

    fn summaries(&self, filter: &Filter) -> Result<Vec<Record>> {
        Ok(self
            .summaries(filter, false)?
            .into_iter()
            .map(|(_, r)| r)
            .collect())
    }

    fn forget(&mut self, name: &str) -> Result<usize> {
        // Every connection overwrites what it deletes with zeros (`secure_delete`), but pages
        // freed by an older sgquiz, or by a process killed part way, may still hold copies:
        // VACUUM rebuilds the file without them, and the log is folded in and emptied.
        let n = self.write(|tx| {
            Ok(tx.execute("DELETE FROM attempts WHERE name = ? COLLATE NOCASE", [name])?)
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
