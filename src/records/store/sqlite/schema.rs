//! Opening the database safely, and its schema: the file is checked before SQLite is let near
//! it (a file that is not an SQLite database, or one that is not a results store, or one from a
//! newer sgquiz, is refused and left exactly as it was); then WAL mode is set and the schema is
//! brought up to date, one migration per transaction.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::SqliteStore;
use crate::records::store::{
    StoreError, create_private_dir, create_private_file, refuse_read_only,
};

/// The schema this build writes. A store with a higher version is from a newer sgquiz.
pub const SCHEMA_VERSION: i64 = 1;

/// How long to wait for another process's write to finish before giving up.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

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
];

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
pub(super) fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
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
        let path = self.path.clone();
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema { path, version }.into());
        }
        if version < 0 || (version == 0 && tables > 0) {
            return Err(StoreError::Foreign { path }.into());
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
        let path = self.path.clone();
        let error = match e.sqlite_error_code() {
            Some(NotADatabase) => StoreError::NotAStore { path },
            Some(ReadOnly) | Some(CannotOpen) | Some(PermissionDenied) => StoreError::CannotWrite {
                path,
                reason: e.to_string(),
            },
            _ => StoreError::Damaged {
                path,
                reason: e.to_string(),
            },
        };
        error.into()
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
    Err(StoreError::NotAStore {
        path: path.to_path_buf(),
    }
    .into())
}
