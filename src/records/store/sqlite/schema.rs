//! Opening the database safely, and its schema: the file is checked before SQLite is let near
//! it (a file that is not an SQLite database, or one that is not a results store, or one from a
//! newer sgquiz, is refused and left exactly as it was); then WAL mode is set and the schema is
//! brought up to date, one migration per transaction.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use super::SqliteStore;
use crate::records::record::name_key;
use crate::records::store::{
    StoreError, create_private_dir, create_private_file, refuse_read_only, refuse_special,
};

/// The schema this build writes. A store with a higher version is from a newer sgquiz.
pub const SCHEMA_VERSION: i64 = 3;

/// How long to wait for another process's write to finish before giving up.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Each step takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[fn(&Transaction) -> rusqlite::Result<()>] = &[
    |tx| tx.execute_batch(VERSION_1),
    |tx| tx.execute_batch(VERSION_2),
    name_keys,
];

/// 0 → 1: attempts, their answers, and sessions.
const VERSION_1: &str = "CREATE TABLE sessions (
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
     ) WITHOUT ROWID;";

/// 1 → 2: the sitting that holds an unfinished attempt and when it took hold; and, for each
/// answer saved while the attempt is unfinished, the time taken so far and when it was saved,
/// so that saving an answer adds one row and changes nothing else. Existing rows are kept as
/// they are, held by no one.
const VERSION_2: &str = "ALTER TABLE attempts ADD COLUMN held_by TEXT;
     ALTER TABLE attempts ADD COLUMN held_at TEXT;
     ALTER TABLE answers ADD COLUMN elapsed INTEGER;
     ALTER TABLE answers ADD COLUMN saved TEXT;";

/// 2 → 3: each attempt keeps its name's key (`record::name_key`: normalised, with Unicode case
/// folding), so that a name is found, reported and erased however its letters were typed. The
/// old index compared A to Z only.
fn name_keys(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE attempts ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
         DROP INDEX attempts_by_name;
         CREATE INDEX attempts_by_name_key ON attempts (name_key);",
    )?;
    let names: Vec<(i64, String)> = tx
        .prepare("SELECT seq, name FROM attempts")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE attempts SET name_key = ? WHERE seq = ?")?;
    for (seq, name) in names {
        update.execute(rusqlite::params![name_key(&name), seq])?;
    }
    Ok(())
}

/// Takes the schema one version up, if it is behind; `true` if it did.
fn migrate_step(conn: &mut Connection) -> rusqlite::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= SCHEMA_VERSION {
        return Ok(false);
    }
    let step = usize::try_from(version).unwrap_or_default();
    MIGRATIONS[step](&tx)?;
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
        refuse_special(path)?;
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
        tune(&conn)?;
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            quick: false,
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

    /// Opens an existing database to read it only (reports): nothing is written to it, so a
    /// file or folder this user may only read still gives reports. A store that needs its
    /// schema upgraded is upgraded first where it can be written.
    pub fn open_to_read(path: &Path) -> Result<SqliteStore> {
        refuse_special(path)?;
        check_header(path)?;
        let mut store = Self::read_only(path, false)?;
        // Reading a database in WAL mode needs its shared-memory file; where this user cannot
        // make one (a read-only folder), the file is read as it stands.
        if let Err(e) = store.version() {
            match e.sqlite_error_code() {
                Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly) => {
                    store = Self::read_only(path, true)?;
                }
                _ => return Err(store.explain(e)),
            }
        }
        match store.check_version()? {
            v if v < SCHEMA_VERSION => {
                if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
                    return Err(StoreError::NeedsUpgrade {
                        path: path.to_path_buf(),
                    }
                    .into());
                }
                drop(store);
                Self::open(path)
            }
            _ => Ok(store),
        }
    }

    fn read_only(path: &Path, immutable: bool) -> Result<SqliteStore> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = if immutable {
            Connection::open_with_flags(
                format!("file:{}?immutable=1", uri_path(path)),
                flags | OpenFlags::SQLITE_OPEN_URI,
            )
        } else {
            Connection::open_with_flags(path, flags)
        }
        .with_context(|| format!("opening the results store {}", path.display()))?;
        tune(&conn)?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
            quick: false,
        })
    }

    /// The schema version and how many tables there are, from one snapshot.
    fn version(&self) -> rusqlite::Result<(i64, i64)> {
        // Both in one statement, so both come from one snapshot: read apart, another process
        // creating the store could commit its tables between them.
        let conn = &self.conn;
        retry_busy(|| {
            conn.query_row(
                "SELECT (SELECT user_version FROM pragma_user_version),
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
    }

    /// Refuses a store from a newer sgquiz, or a database that is not a results store, before
    /// anything is written; returns the schema's version.
    fn check_version(&self) -> Result<i64> {
        let (version, tables) = self.version().map_err(|e| self.explain(e))?;
        let path = self.path.clone();
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema { path, version }.into());
        }
        if version < 0 || (version == 0 && tables > 0) {
            return Err(StoreError::Foreign { path }.into());
        }
        Ok(version)
    }

    /// Brings the schema up to date, one version per transaction. The version is read again
    /// inside the transaction, so two processes opening a new store at once do not both do it.
    fn migrate(&mut self) -> Result<()> {
        let conn = &mut self.conn;
        let path = self.path.clone();
        while retry_busy(|| migrate_step(conn))
            .map_err(|e| explain(&path, e))
            .context("upgrading the results store")?
        {}
        Ok(())
    }

    /// Turns SQLite's terse errors about the file itself into something a trainer can act on.
    pub(super) fn explain(&self, e: rusqlite::Error) -> anyhow::Error {
        explain(&self.path, e)
    }
}

/// Turns SQLite's terse errors about the file itself into something a trainer can act on:
/// what is wrong with which store, and what to do.
pub(super) fn explain(path: &Path, e: rusqlite::Error) -> anyhow::Error {
    use rusqlite::ErrorCode::*;
    let path = path.to_path_buf();
    let reason = e.to_string();
    let error = match e.sqlite_error_code() {
        Some(NotADatabase) => StoreError::NotAStore { path },
        Some(DatabaseCorrupt) => StoreError::Corrupt { path, reason },
        Some(DiskFull) => StoreError::DiskFull { path },
        Some(ReadOnly) | Some(CannotOpen) | Some(PermissionDenied) => {
            StoreError::CannotWrite { path, reason }
        }
        _ => StoreError::Damaged { path, reason },
    };
    error.into()
}

/// Settings for every connection. Reports read whole stores, a page at a time and once each,
/// so a modest page cache serves them as well as a large one, and reads go through the
/// operating system's cache rather than memory-mapped pages, which would count against the
/// process's memory for as long as the report runs.
fn tune(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "cache_size", -8_192)?;
    conn.pragma_update(None, "mmap_size", 0)?;
    Ok(())
}

/// A path as an SQLite URI's path: every byte that could be read as part of the URI's syntax
/// is percent-encoded.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
